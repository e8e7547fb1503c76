/*
 * import_cve5.c — CVE JSON 5.x records (cvelistV5, vulnrichment) into
 * struct kk_vuln_rec: the CNA container and every ADP container.
 */
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* metrics[]: cvssV4_0, cvssV3_1, cvssV3_0, cvssV2_0 of one container. */
static int metrics(const json_t *arr, const char *at, const char *who, const char *type,
                   struct kk_vuln_rec *rec, struct kk_diag *d)
{
	static const char *const keys[] = {"cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"};
	size_t i;
	const json_t *m;
	char p[128], q[128];
	json_array_foreach(arr, i, m)
	{
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(m))
			return kk_diag_set(d, KK_EPARSE, p, "metric must be an object");
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			const json_t *cv;
			KK_TRY(kk_jget_obj(m, p, keys[k], 0, &cv, d));
			if (!cv)
				continue;
			kk_jget_path(q, sizeof q, p, keys[k], 0);
			struct kk_vuln_cvss c = {.source = who, .type = type};
			KK_TRY(kk_jget_cvss(cv, q, &c, rec, d));
		}
	}
	return 0;
}

/* problemTypes[].descriptions[]: cweId, else a "CWE-NNN ..." description of type CWE. */
static int problem_types(const json_t *arr, const char *at, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	size_t i, j;
	const json_t *pt, *e, *descs;
	char p[128], q[128], r[128];
	json_array_foreach(arr, i, pt)
	{
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(pt))
			return kk_diag_set(d, KK_EPARSE, p, "problem type must be an object {descriptions}");
		KK_TRY(kk_jget_arr(pt, p, "descriptions", 0, &descs, d));
		kk_jget_path(q, sizeof q, p, "descriptions", 0);
		json_array_foreach(descs, j, e)
		{
			const char *cwe, *type, *text;
			kk_jget_path(r, sizeof r, q, NULL, j);
			if (!json_is_object(e))
				return kk_diag_set(d, KK_EPARSE, r,
				                   "problem type description must be an object");
			KK_TRY(kk_jget_str(e, r, "cweId", 0, &cwe, d));
			KK_TRY(kk_jget_str(e, r, "type", 0, &type, d));
			KK_TRY(kk_jget_str(e, r, "description", 0, &text, d));
			int id = -1;
			if (cwe) {
				id = kk_vuln_cwe_id(cwe);
				if (id < 0) {
					char s[128];
					return kk_diag_set(d, KK_EPARSE,
					                   kk_jget_path(s, sizeof s, r, "cweId", 0),
					                   "'%.30s' is not a CWE id (CWE-NNN)", cwe);
				}
			} else if (type && !strcmp(type, "CWE") && text && !strncmp(text, "CWE-", 4)) {
				id = atoi(text + 4);
			}
			if (id > 0)
				KK_TRY(kk_vuln_rec_cwe(rec, id));
		}
	}
	return 0;
}

/* Version bounds that mean "no bound". */
static int unbounded(const char *v)
{
	return !v || !*v || !strcmp(v, "*") || !strcmp(v, "n/a") || !strcmp(v, "unspecified");
}

/* affected[] of one container; *cfg numbers the entries across containers. */
static int affected(const json_t *arr, const char *at, int *cfg, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	size_t i, j;
	const json_t *af, *cpes, *vers, *v;
	char p[128], q[128], r[128];
	json_array_foreach(arr, i, af)
	{
		struct kk_vuln_cpe c = {.cfg = (*cfg)++, .vulnerable = true};
		const char *dflt;
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(af))
			return kk_diag_set(d, KK_EPARSE, p,
			                   "affected entry must be an object {vendor, product, versions}");
		KK_TRY(kk_jget_str(af, p, "vendor", 0, &c.vendor, d));
		KK_TRY(kk_jget_str(af, p, "product", 0, &c.product, d));
		KK_TRY(kk_jget_str(af, p, "defaultStatus", 0, &dflt, d));
		KK_TRY(kk_jget_arr(af, p, "cpes", 0, &cpes, d));
		json_array_foreach(cpes, j,
		                   v) if (json_is_string(v) && !strncmp(json_string_value(v), "cpe:2.3:", 8))
		{
			c.cpe23 = json_string_value(v);
			c.vendor = c.product = NULL; /* taken from the CPE name */
			break;
		}
		if (!c.cpe23 && !c.product) {
			const char *pkg;
			KK_TRY(kk_jget_str(af, p, "packageName", 0, &pkg, d));
			if (!pkg)
				return kk_diag_set(
				    d, KK_EPARSE, p,
				    "affected entry names no product (product, packageName or cpes)");
			c.product = pkg;
			KK_TRY(kk_jget_str(af, p, "collectionURL", 0, &c.vendor, d));
		}
		KK_TRY(kk_jget_arr(af, p, "versions", 0, &vers, d));
		if (!json_array_size(vers) && dflt && !strcmp(dflt, "affected"))
			KK_TRY(kk_vuln_rec_cpe(rec, &c));
		kk_jget_path(q, sizeof q, p, "versions", 0);
		json_array_foreach(vers, j, v)
		{
			const char *ver, *status, *lt, *le;
			kk_jget_path(r, sizeof r, q, NULL, j);
			if (!json_is_object(v))
				return kk_diag_set(d, KK_EPARSE, r,
				                   "version must be an object {version, status}");
			KK_TRY(kk_jget_str(v, r, "version", 1, &ver, d));
			KK_TRY(kk_jget_str(v, r, "status", 1, &status, d));
			KK_TRY(kk_jget_str(v, r, "lessThan", 0, &lt, d));
			KK_TRY(kk_jget_str(v, r, "lessThanOrEqual", 0, &le, d));
			if (strcmp(status, "affected") && strcmp(status, "unaffected") &&
			    strcmp(status, "unknown")) {
				char s[128];
				return kk_diag_set(
				    d, KK_EPARSE, kk_jget_path(s, sizeof s, r, "status", 0),
				    "status must be affected, unaffected or unknown, not '%.20s'", status);
			}
			if (strcmp(status, "affected"))
				continue;
			struct kk_vuln_cpe row = c;
			if (lt || le) {
				row.start_incl = unbounded(ver) ? NULL : ver;
				row.end_excl = unbounded(lt) ? NULL : lt;
				row.end_incl = unbounded(le) ? NULL : le;
			} else {
				row.version = ver;
			}
			KK_TRY(kk_vuln_rec_cpe(rec, &row));
		}
	}
	return 0;
}

/* One container (cna or an adp) at `at`. */
static int container(const json_t *c, const char *at, int is_cna, int *cfg, struct kk_vuln_rec *rec,
                     struct kk_diag *d)
{
	const json_t *arr, *pm, *e;
	const char *who = NULL, *title;
	char p[128];
	size_t i;
	if (!json_is_object(c))
		return kk_diag_set(d, KK_EPARSE, at, "container must be an object");
	KK_TRY(kk_jget_obj(c, at, "providerMetadata", 0, &pm, d));
	if (pm) {
		KK_TRY(kk_jget_str(pm, kk_jget_path(p, sizeof p, at, "providerMetadata", 0), "shortName", 0,
		                   &who, d));
		if (!who)
			KK_TRY(kk_jget_str(pm, p, "orgId", 0, &who, d));
	}
	if (is_cna) {
		static const char *const kinds[][2] = {{"descriptions", "overview"},
		                                       {"solutions", "solution"},
		                                       {"workarounds", "workaround"},
		                                       {"rejectedReasons", "overview"}};
		KK_TRY(kk_jget_str(c, at, "title", 0, &title, d));
		KK_TRY(kk_vuln_rec_text(rec, "en", "title", title));
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			KK_TRY(kk_jget_arr(c, at, kinds[k][0], 0, &arr, d));
			KK_TRY(kk_jget_texts(arr, kk_jget_path(p, sizeof p, at, kinds[k][0], 0), kinds[k][1],
			                     rec, d));
		}
	}
	KK_TRY(kk_jget_arr(c, at, "metrics", 0, &arr, d));
	KK_TRY(
	    metrics(arr, kk_jget_path(p, sizeof p, at, "metrics", 0), who, is_cna ? "cna" : "adp", rec, d));
	KK_TRY(kk_jget_arr(c, at, "problemTypes", 0, &arr, d));
	KK_TRY(problem_types(arr, kk_jget_path(p, sizeof p, at, "problemTypes", 0), rec, d));
	KK_TRY(kk_jget_arr(c, at, "affected", 0, &arr, d));
	KK_TRY(affected(arr, kk_jget_path(p, sizeof p, at, "affected", 0), cfg, rec, d));
	KK_TRY(kk_jget_arr(c, at, "references", 0, &arr, d));
	json_array_foreach(arr, i, e)
	{
		char q[128];
		kk_jget_path(q, sizeof q, at, "references", 0);
		KK_TRY(kk_jget_ref(e, kk_jget_path(p, sizeof p, q, NULL, i), rec, d));
	}
	return 0;
}

int kk_vuln_parse_cve5(const json_t *obj, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *meta, *conts, *cna, *adps, *adp;
	const char *type, *ver, *id, *state;
	int64_t rejected;
	size_t i;
	int cfg = 0;
	KK_TRY(kk_vuln_rec_start(rec, a, "cve5", "cve5", obj, "a CVE JSON 5 record", d));
	KK_TRY(kk_jget_obj(obj, "", "cveMetadata", 1, &meta, d));
	KK_TRY(kk_jget_str(meta, "/cveMetadata", "cveId", 1, &id, d));
	KK_TRY(kk_jget_cve_id(id, "/cveMetadata", "cveId", rec, d));
	KK_TRY(kk_jget_str(obj, "", "dataType", 1, &type, d));
	if (strcmp(type, "CVE_RECORD"))
		return kk_diag_set(d, KK_EPARSE, "/dataType", "must be CVE_RECORD, not '%.30s'", type);
	KK_TRY(kk_jget_str(obj, "", "dataVersion", 1, &ver, d));
	if (strncmp(ver, "5.", 2))
		return kk_diag_set(d, KK_EUNSUPPORTED, "/dataVersion",
		                   "CVE JSON %.10s is not supported (5.0 and later are)", ver);
	/* CNA submission files (e.g. the Go CNA's) carry only cveId: they are published content */
	KK_TRY(kk_jget_str(meta, "/cveMetadata", "state", 0, &state, d));
	if (!state)
		state = "PUBLISHED";
	if (strcmp(state, "PUBLISHED") && strcmp(state, "REJECTED"))
		return kk_diag_set(d, KK_EPARSE, "/cveMetadata/state",
		                   "must be PUBLISHED or REJECTED, not '%.20s'", state);
	rec->withdrawn = !strcmp(state, "REJECTED");
	KK_TRY(kk_jget_time(meta, "/cveMetadata", "datePublished", 0, &rec->published, d));
	KK_TRY(kk_jget_time(meta, "/cveMetadata", "dateUpdated", 0, &rec->modified, d));
	KK_TRY(kk_jget_time(meta, "/cveMetadata", "dateRejected", 0, &rejected, d));
	if (rejected > rec->modified)
		rec->modified = rejected;
	if (!rec->modified)
		rec->modified = rec->published;
	KK_TRY(kk_jget_obj(obj, "", "containers", 1, &conts, d));
	KK_TRY(kk_jget_obj(conts, "/containers", "cna", 1, &cna, d));
	KK_TRY(container(cna, "/containers/cna", 1, &cfg, rec, d));
	if (rec->withdrawn) { /* when and why: dateRejected, the CNA's rejectedReasons (English first) */
		rec->withdrawn_at = rejected ? rejected : rec->modified;
		const json_t *why = json_object_get(cna, "rejectedReasons"), *e;
		json_array_foreach(why, i, e)
		{
			const char *lang = json_string_value(json_object_get(e, "lang"));
			const char *value = json_string_value(json_object_get(e, "value"));
			if (value && *value && (!rec->withdrawn_reason || (lang && !strncasecmp(lang, "en", 2)))) {
				if (!(rec->withdrawn_reason = kk_arena_strdup(a, value)))
					return KK_ENOMEM;
				if (lang && !strncasecmp(lang, "en", 2))
					break;
			}
		}
	}
	KK_TRY(kk_jget_arr(conts, "/containers", "adp", 0, &adps, d));
	json_array_foreach(adps, i, adp)
	{
		char p[128];
		KK_TRY(
		    container(adp, kk_jget_path(p, sizeof p, "/containers/adp", NULL, i), 0, &cfg, rec, d));
	}
	return 0;
}
