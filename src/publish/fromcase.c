/*
 * fromcase.c — fills an advisory from its coordination case (coord/case.h):
 * the per-vendor status table from the vendors' participation and
 * statements, the vulnerabilities, the product and the report (for the
 * finder's credit) when the advisory has none yet, and the case reference.
 */
#include "base/alloc.h"
#include "base/clock.h"
#include "coord/case.h"
#include "publish/internal.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

int pub_doc_text(const struct kk_adv *adv, char **out);

#define MAX_ROWS KK_ADV_LIST_MAX

struct fill {
	struct kk_arena *a;
	struct kk_adv *adv;
	struct kk_adv_vendor rows[MAX_ROWS];
	int64_t pid[MAX_ROWS];
	size_t n;
	struct kk_adv_vuln vulns[MAX_ROWS];
	size_t nv;
	const char *report;
	int err;
};

static const char *day(struct kk_arena *a, int64_t t)
{
	char s[32];
	if (!t)
		return NULL;
	kk_time_iso(t + 9 * 3600, s, sizeof(s)); /* the date in Japan */
	return kk_arena_printf(a, "%.10s", s);
}

/* The advisory's status of one vendor from its participation (before statements refine it). */
static const char *participation_status(const struct kk_participant *p)
{
	if (p->unreachable_at || !strcmp(p->state, "notified"))
		return "no_response";
	if (!strcmp(p->state, "acknowledged") || !strcmp(p->state, "details_requested") ||
	    !strcmp(p->state, "details_sent"))
		return "under_investigation";
	if (!strcmp(p->verification, "not_affected"))
		return "not_affected";
	return p->fix_reported_at ? "fixed" : "affected";
}

static int on_participant(void *arg, const struct kk_participant *p)
{
	struct fill *f = arg;
	if (!strcmp(p->state, "added") || f->n >= MAX_ROWS)
		return 0; /* never told of the case: not part of the table */
	struct kk_adv_vendor *v = &f->rows[f->n];
	f->pid[f->n++] = p->id;
	v->vendor = kk_arena_strdup(f->a, p->org_name);
	v->status = participation_status(p);
	v->updated = day(f->a, p->last_vendor_at ? p->last_vendor_at : p->notified_at);
	if (!v->vendor)
		f->err = KK_ENOMEM;
	return 0;
}

/* A statement refines its vendor's row: its status (the strongest over the vulnerabilities) and its text. */
static int on_statement(void *arg, const struct kk_statement *s)
{
	struct fill *f = arg;
	static const char *const rank[][2] = {
	    {"investigating", "under_investigation"}, {"not_affected", "not_affected"},
	    {"fixed", "fixed"},			       {"affected", "affected"}};
	for (size_t i = 0; i < f->n; i++) {
		if (f->pid[i] != s->participant_id)
			continue;
		struct kk_adv_vendor *v = &f->rows[i];
		for (size_t k = 0; k < 4; k++)
			if (!strcmp(s->status, rank[k][0])) {
				size_t cur = 0;
				while (cur < 4 && strcmp(v->status, rank[cur][1]))
					cur++;
				if (cur >= 4 || k > cur || !strcmp(v->status, "no_response") ||
				    !strcmp(v->status, "under_investigation"))
					v->status = rank[k][1];
			}
		if (!v->note.ja && s->text_ja && *s->text_ja)
			v->note.ja = kk_arena_strdup(f->a, s->text_ja);
		if (!v->note.en && s->text_en && *s->text_en)
			v->note.en = kk_arena_strdup(f->a, s->text_en);
		const char *u = day(f->a, s->updated_at);
		if (u && (!v->updated || strcmp(u, v->updated) > 0))
			v->updated = u;
	}
	return 0;
}

static int on_vuln(void *arg, const struct kk_case_vuln *cv)
{
	struct fill *f = arg;
	if (f->nv >= MAX_ROWS)
		return 0;
	struct kk_adv_vuln *v = &f->vulns[f->nv++];
	memset(v, 0, sizeof(*v));
	v->title.ja = v->title.en = kk_arena_strdup(f->a, cv->title);
	v->cwe = cv->cwe > 0 ? cv->cwe : 0;
	v->cve = cv->cve && kk_adv_cve_valid(cv->cve) ? kk_arena_strdup(f->a, cv->cve) : NULL;
	v->score31 = v->score40 = -1;
	return 0;
}

static int on_report(void *arg, const char *tracking)
{
	struct fill *f = arg;
	if (!f->report)
		f->report = kk_arena_strdup(f->a, tracking);
	return 0;
}

int kk_adv_from_case(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *ref, int64_t *publish_at,
		     struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_advisory adv;
	struct kk_case_info c;
	struct fill *fp = NULL;
	memset(&c, 0, sizeof(c));
	kk_arena_init(&ar, 0);
	int rc = kk_adv_get(db, id, false, &ar, &adv, d);
	if (!rc && (rc = kk_case_get(db, a, ref, &c, d)) == KK_ENOTFOUND)
		rc = kk_diag_set(d, rc, "case", "no case %s; 'keikai case list' shows them", ref);
	if (rc)
		goto out;
	fp = kk_calloc(1, sizeof(*fp)); /* ~40 KiB: not on a worker thread's stack */
	if (!fp) {
		rc = KK_ENOMEM;
		goto out;
	}
	fp->a = &ar;
	fp->adv = &adv.doc;
	struct kk_participant_filter pf = {NULL, NULL, 500, 0};
	int64_t total = 0;
	if ((rc = kk_case_participants(db, a, &c, &pf, on_participant, fp, &total)) < 0 ||
	    (rc = kk_case_statements(db, a, &c, 0, on_statement, fp)) < 0 ||
	    (rc = kk_case_vulns(db, &c, on_vuln, fp)) < 0 || (rc = kk_case_reports(db, a, &c, on_report, fp)) < 0)
		goto out;
	if ((rc = fp->err))
		goto out;
	struct kk_adv *doc = &adv.doc;
	doc->vendors = fp->rows;
	doc->n_vendors = fp->n;
	if (!doc->n_vulns) {
		doc->vulns = fp->vulns;
		doc->n_vulns = fp->nv;
	}
	if (!doc->product.ja && !doc->product.en && c.product && *c.product)
		doc->product.ja = doc->product.en = kk_arena_strdup(&ar, c.product);
	if (!doc->report)
		doc->report = fp->report;
	doc->case_ref = kk_arena_strdup(&ar, c.ref);
	char *text = NULL;
	if ((rc = pub_doc_text(doc, &text)) == 0) {
		rc = kk_adv_update(db, a, id, text, strlen(text), d);
		kk_free(text);
	}
	if (!rc && publish_at)
		*publish_at = c.publish_at;
out:
	kk_free(fp);
	kk_case_info_release(&c);
	kk_arena_release(&ar);
	return rc < 0 ? rc : 0;
}
