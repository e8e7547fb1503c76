/*
 * api_watch.c — the MyJVN tools over JSON: POST /api/v1/check (the version
 * checker on an SBOM or package list), and the operation the check page
 * shares with it (watch_web.h).
 */
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/watch_web.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

int kk_web_check_inputs(struct kk_req *r, struct kk_web_check *c, const char **field)
{
	*field = "sbom";
	if (kk_req_is_multipart(r)) {
		const struct kk_part *parts;
		struct kk_diag d;
		int n = kk_req_parts(r, &parts, &d);
		if (n < 0)
			return KK_EINVAL;
		for (int i = 0; i < n; i++) {
			if (!strcmp(parts[i].name, "sbom") && parts[i].len && !c->sbom) {
				c->sbom = parts[i].data;
				c->sbom_len = parts[i].len;
			} else if (!strcmp(parts[i].name, "vex") && parts[i].len && c->nvex < 8) {
				c->vex[c->nvex] = parts[i].data;
				c->vex_len[c->nvex++] = parts[i].len;
			}
		}
	} else if (r->body && r->body_len) {
		const char *form = kk_req_form(r, "sbom"); /* a page's urlencoded textarea */
		const char *type = kk_req_header(r, "Content-Type");
		if (form && type && strstr(type, "x-www-form-urlencoded")) {
			c->sbom = form;
			c->sbom_len = strlen(form);
		} else {
			c->sbom = r->body;
			c->sbom_len = r->body_len;
		}
	}
	return c->sbom ? 0 : KK_EINVAL;
}

/* "sbom: /components/3/name": which document, then where in it */
static void prefix_where(struct kk_diag *d, const char *doc)
{
	char where[sizeof d->where + 16];
	snprintf(where, sizeof where, "%s%s%s", doc, d->where[0] ? ": " : "", d->where);
	memcpy(d->where, where, sizeof d->where - 1);
	d->where[sizeof d->where - 1] = 0;
}

int kk_web_check_run(struct kk_req *r, struct kk_web_check *c, struct kk_diag *d)
{
	int rc = kk_sbom_parse(c->sbom, c->sbom_len, &r->arena, &c->s, d);
	if (rc < 0) {
		prefix_where(d, "sbom");
		return rc;
	}
	for (int i = 0; i < c->nvex; i++) {
		struct kk_vex one;
		if ((rc = kk_vex_parse(c->vex[i], c->vex_len[i], &r->arena, &one, d)) < 0) {
			prefix_where(d, "vex");
			return rc;
		}
		for (size_t k = 0; k < one.n; k++)
			KK_TRY(kk_vex_add(&c->v, &r->arena, &one.v[k]));
	}
	if (!r->db)
		return kk_diag_set(d, KK_EBUSY, NULL, "the database is unreachable; try again");
	struct kk_check_opts o = {.lang = r->lang, .vex = c->nvex ? &c->v : NULL};
	return kk_check_run(r->db, &c->s, &o, &r->arena, &c->res);
}

int api_check(struct kk_req *r)
{
	struct kk_web_check c = {0};
	struct kk_diag d;
	const char *field;
	const char *format = kk_req_query(r, "format");
	if (!format || !*format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "cyclonedx-vex"))
		return kk_req_fail(r, KK_EINVAL, "format", "format must be json, sarif or cyclonedx-vex");
	if (kk_web_check_inputs(r, &c, &field) < 0)
		return kk_req_fail(r, KK_EINVAL, field,
		                   "send the SBOM (CycloneDX or SPDX 2.3 JSON, CSV, dpkg-query -W or rpm -qa output) as "
		                   "the body, or as the multipart field sbom (with optional vex fields)");
	kk_diag_clear(&d);
	int rc = kk_web_check_run(r, &c, &d);
	if (rc < 0)
		return kk_req_fail(r, rc, d.where[0] ? d.where : NULL, "%s", d.msg[0] ? d.msg : kk_err_msg(rc));
	const char *all = kk_req_query(r, "all");
	struct kk_json j;
	kk_resp_json(r, 200, &j);
	if (!strcmp(format, "sarif"))
		kk_check_sarif(&j, &c.res, "sbom");
	else if (!strcmp(format, "cyclonedx-vex"))
		kk_check_cyclonedx_vex(&j, &c.res, &c.s, kk_clock_now());
	else
		kk_check_json(&j, &c.res, all && !strcmp(all, "1"));
	return kk_api_done(r, &j);
}
