/*
 * case.c — the changes to a coordination case: opening (from an accepted
 * report through the intake opener, or from several), merging, vendors and
 * their two-stage notice, statements, the publication date and its
 * cancellation. Reading is in case_read.c, reminders in case_jobs.c.
 */
#include "auth/audit.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
#include "coord/directory.h"
#include "intake/intake.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

/* ---- opening ----------------------------------------------------------------- */

/* What a case takes from one accepted report (read from intake's report row, never the sealed finder). */
struct rep {
	int64_t id;
	char tracking[KK_TRACKING_MAX];
	char *product, *version, *vendor, *cve, *description, *steps, *impact;
	int cwe;
	char in_case[KK_CASE_REF_MAX]; /* KK_EEXISTS: the case the report is in */
};

static void rep_release(struct rep *r)
{
	kk_free(r->product);
	kk_free(r->version);
	kk_free(r->vendor);
	kk_free(r->cve);
	kk_free(r->description);
	kk_free(r->steps);
	kk_free(r->impact);
	memset(r, 0, sizeof(*r));
}

static char *dup_col(struct kk_stmt *st, int col)
{
	return kk_stmt_is_null(st, col) ? NULL : kk_strdup(kk_stmt_text(st, col));
}

/*
 * Loads report (by id, or by tracking when id is 0) and checks it can open a
 * case. accepting: called by the opener inside the acceptance, before the
 * status changes.
 */
static int rep_load(struct kk_db *db, int64_t id, const char *tracking, bool accepting, struct rep *r,
		    struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT r.id, r.tracking, r.kind, r.status, r.product_name, r.product_version, r.product_vendor, "
			       "r.cve, r.description, r.steps, r.impact, coalesce(r.cwe, 0), "
			       "(SELECT c.ref FROM coord_case_report x JOIN coord_case c ON c.id = x.case_id "
			       " WHERE x.report_id = r.id) FROM report r WHERE r.id = ? OR r.tracking = ?",
			       &st);
	if (rc)
		return kk_diag_set(d, rc, "report", "cannot read the report: %s", kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, id);
	kk_stmt_bind_text(st, 2, tracking ? tracking : "", -1);
	rc = kk_stmt_step(st);
	if (rc != KK_ROW) {
		kk_stmt_done(st);
		if (rc < 0)
			return kk_diag_set(d, rc, "report", "cannot read the report: %s", kk_db_errmsg(db));
		return kk_diag_set(d, KK_ENOTFOUND, "report", "no report %s", tracking ? tracking : "with that id");
	}
	memset(r, 0, sizeof(*r));
	r->id = kk_stmt_int64(st, 0);
	kk_strlcpy(r->tracking, kk_stmt_text(st, 1), sizeof(r->tracking));
	if (strcmp(kk_stmt_text(st, 2), "product"))
		rc = kk_diag_set(d, KK_ECONFLICT, "report", "report %s is about a website; website cases open it",
				 r->tracking);
	else if (!accepting && strcmp(kk_stmt_text(st, 3), "accepted"))
		rc = kk_diag_set(d, KK_ECONFLICT, "report", "report %s is %s; only an accepted report opens a case",
				 r->tracking, kk_stmt_text(st, 3));
	else if (!kk_stmt_is_null(st, 12)) {
		kk_strlcpy(r->in_case, kk_stmt_text(st, 12), sizeof(r->in_case));
		rc = kk_diag_set(d, KK_EEXISTS, "report", "report %s is already in case %s", r->tracking, r->in_case);
	} else
		rc = 0;
	if (!rc) {
		r->product = dup_col(st, 4);
		r->version = dup_col(st, 5);
		r->vendor = dup_col(st, 6);
		r->cve = dup_col(st, 7);
		r->description = dup_col(st, 8);
		r->steps = dup_col(st, 9);
		r->impact = dup_col(st, 10);
		r->cwe = (int)kk_stmt_int64(st, 11);
	}
	kk_stmt_done(st);
	return rc;
}

static int next_ref(struct kk_db *db, int64_t now, char ref[KK_CASE_REF_MAX])
{
	char iso[32];
	kk_time_iso(now + 9 * 3600, iso, sizeof(iso)); /* the year in Japan */
	int year = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
	int rc = kk_db_exec(db,
			    "INSERT INTO coord_case_serial (year, next) VALUES (?, 2) "
			    "ON CONFLICT (year) DO UPDATE SET next = next + 1",
			    "i", (int64_t)year);
	if (rc < 0)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT next - 1 FROM coord_case_serial WHERE year = ?", &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, year);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		snprintf(ref, KK_CASE_REF_MAX, "KKC-%04d-%04lld", year, (long long)kk_stmt_int64(st, 0));
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_EDB;
}

static void vuln_title(const struct rep *r, char *out, size_t n)
{
	const char *p = r->product && *r->product ? r->product : "product";
	if (r->cwe)
		snprintf(out, n, "%s: CWE-%d", p, r->cwe);
	else
		snprintf(out, n, "%s: vulnerability", p);
}

static int add_vuln_row(struct kk_db *db, int64_t case_id, const char *title, int cwe, const char *cve, int *seq_out)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT coalesce(max(seq), 0) + 1 FROM coord_vuln WHERE case_id = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, case_id);
	int seq = kk_stmt_step(st) == KK_ROW ? (int)kk_stmt_int64(st, 0) : 1;
	kk_stmt_done(st);
	rc = kk_db_exec(db, "INSERT INTO coord_vuln (case_id, seq, title, cwe, cve) VALUES (?, ?, ?, ?, ?)", "iisis",
			case_id, (int64_t)seq, title, (int64_t)cwe, cve);
	if (rc < 0)
		return rc;
	if (seq_out)
		*seq_out = seq;
	if (cwe == 0)
		kk_db_exec(db, "UPDATE coord_vuln SET cwe = NULL WHERE case_id = ? AND seq = ?", "ii", case_id,
			   (int64_t)seq);
	return 0;
}

static int open_reports(struct kk_db *db, const struct kk_actor *a, struct rep *reps, size_t n,
			char ref[KK_CASE_REF_MAX], struct kk_diag *d)
{
	int64_t now = kk_clock_now();
	const struct kk_coord_config *cf = kk_coord_config();
	int rc = next_ref(db, now, ref);
	if (rc)
		return kk_diag_set(d, rc, "case", "cannot number the case: %s", kk_db_errmsg(db));
	struct kk_buf title = KK_BUF_INIT(1000), over = KK_BUF_INIT(KK_CASE_TEXT_MAX),
		      det = KK_BUF_INIT(KK_CASE_TEXT_MAX * 4);
	char vt[600];
	vuln_title(&reps[0], vt, sizeof(vt));
	kk_buf_puts(&title, vt);
	if (n > 1)
		kk_buf_printf(&title, " (+%zu)", n - 1);
	for (size_t i = 0; i < n; i++) {
		const struct rep *r = &reps[i];
		const char *sep = n > 1 ? "\n" : "";
		if (n > 1) {
			kk_buf_printf(&over, "[%s]\n", r->tracking);
			kk_buf_printf(&det, "[%s]\n", r->tracking);
		}
		kk_buf_printf(&over, "製品 / Product: %s %s\n", r->product ? r->product : "-", r->version ? r->version : "");
		/* never the vendor's name: every vendor of the case reads the overview (identities stay private) */
		if (r->cwe)
			kk_buf_printf(&over, "種類 / Type: CWE-%d\n", r->cwe);
		if (r->impact)
			kk_buf_printf(&over, "影響 / Impact: %s\n", r->impact);
		kk_buf_puts(&over, sep);
		kk_buf_printf(&det, "%s\n", r->description ? r->description : "");
		if (r->steps)
			kk_buf_printf(&det, "\n再現手順 / Steps:\n%s\n", r->steps);
		if (r->impact)
			kk_buf_printf(&det, "\n影響 / Impact:\n%s\n", r->impact);
		if (r->cve)
			kk_buf_printf(&det, "\nCVE: %s\n", r->cve);
		kk_buf_puts(&det, sep);
	}
	rc = kk_buf_error(&title) ? kk_buf_error(&title) : kk_buf_error(&over) ? kk_buf_error(&over) : kk_buf_error(&det);
	int64_t publish = kk_case_default_date(now, cf->publish_days, cf->publish_hour);
	if (!rc)
		rc = kk_db_exec(db,
				"INSERT INTO coord_case (ref, title, overview, details, product, product_version, state, "
				"started_at, publish_at, last_activity_at, created_at, updated_at) "
				"VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
				"ssssssiiiii", ref, title.ptr, over.ptr, det.ptr, reps[0].product, reps[0].version, now,
				publish, now, now, now);
	kk_buf_release(&title);
	kk_buf_release(&over);
	kk_buf_release(&det);
	if (rc < 0)
		return kk_diag_set(d, rc, "case", "cannot store the case: %s", kk_db_errmsg(db));
	int64_t case_id = kk_db_last_insert_id(db);
	if (a && a->user_id && kk_policy_allow(a, KK_ACT_CASE_COORDINATE, NULL) &&
	    (rc = kk_db_exec(db, "UPDATE coord_case SET coordinator_user_id = ? WHERE id = ?", "ii", a->user_id, case_id)) < 0)
		return rc;
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		rc = kk_db_exec(db, "INSERT INTO coord_case_report (case_id, report_id, tracking, added_at) VALUES (?, ?, ?, ?)",
				"iisi", case_id, reps[i].id, reps[i].tracking, now);
		if (rc >= 0) {
			vuln_title(&reps[i], vt, sizeof(vt));
			rc = add_vuln_row(db, case_id, vt, reps[i].cwe, reps[i].cve, NULL);
		}
	}
	if (rc < 0)
		return kk_diag_set(d, rc, "case", "cannot store the case's reports: %s", kk_db_errmsg(db));
	rc = kk_sched_at(db, "coord.date_reminder", case_id, publish - (int64_t)cf->date_warn_days * 86400, NULL, d);
	if (rc)
		return rc;
	char when[40], after[160];
	kk_time_jst(publish, when, sizeof(when));
	snprintf(after, sizeof(after), "{\"publish_at\":%lld}", (long long)publish);
	return case_audit(db, a, "case.open", ref, after, "opened case %s from %s%s; publication %s", ref, reps[0].tracking,
			  n > 1 ? " and others" : "", when);
}

int kk_coord_open_from_report(struct kk_db *db, const struct kk_actor *a, int64_t report_id, char *case_ref,
			      size_t case_ref_size, struct kk_diag *d)
{
	int rc = case_need_tx(db, d);
	if (rc)
		return rc;
	struct rep r = {.id = 0};
	if ((rc = rep_load(db, report_id, NULL, true, &r, d))) {
		if (rc == KK_EEXISTS && r.in_case[0]) {
			/* a pending hand-off whose report was put in a case by hand: that is its case */
			kk_strlcpy(case_ref, r.in_case, case_ref_size);
			kk_diag_clear(d);
			rc = 0;
		}
		return rc;
	}
	char ref[KK_CASE_REF_MAX];
	rc = open_reports(db, a, &r, 1, ref, d);
	rep_release(&r);
	if (!rc)
		kk_strlcpy(case_ref, ref, case_ref_size);
	return rc;
}

int kk_case_open(struct kk_db *db, const struct kk_actor *a, const char *const *tracking, size_t n,
		 char ref[KK_CASE_REF_MAX], struct kk_diag *d)
{
	int rc;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)))
		return rc;
	if (!n || n > 100)
		return kk_diag_set(d, KK_EINVAL, "reports", "give 1 to 100 accepted reports");
	struct rep *reps = kk_calloc(n, sizeof(*reps));
	if (!reps)
		return KK_ENOMEM;
	size_t got = 0;
	for (; got < n && !rc; got++) {
		for (size_t j = 0; j < got && !rc; j++)
			if (!strcmp(tracking[j], tracking[got]))
				rc = kk_diag_set(d, KK_EINVAL, "reports", "report %s is given twice", tracking[got]);
		if (!rc)
			rc = rep_load(db, 0, tracking[got], false, &reps[got], d);
	}
	if (!rc)
		rc = open_reports(db, a, reps, n, ref, d);
	for (size_t i = 0; i < n && !rc; i++) /* a hand-off still pending is done now */
		rc = kk_intake_handoff_opened(db, reps[i].id, ref, d);
	for (size_t i = 0; i < n; i++)
		rep_release(&reps[i]);
	kk_free(reps);
	return rc;
}

int kk_case_merge(struct kk_db *db, const struct kk_actor *a, const char *into, const char *from, struct kk_diag *d)
{
	int rc;
	struct case_core ci, cf;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, into, &ci, d)) || (rc = case_load(db, from, &cf, d)) ||
	    (rc = case_must_be_open(&ci, d)) || (rc = case_must_be_open(&cf, d)))
		return rc;
	if (ci.id == cf.id)
		return kk_diag_set(d, KK_EINVAL, "from", "a case cannot be merged into itself");
	int64_t now = kk_clock_now();
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT coalesce(max(seq), 0) FROM coord_vuln WHERE case_id = ?", &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, ci.id);
	int64_t base = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	/* move seq out of the way first so (case_id, seq) stays unique */
	if ((rc = kk_db_exec(db, "UPDATE coord_vuln SET seq = -seq WHERE case_id = ?", "i", cf.id)) < 0 ||
	    (rc = kk_db_exec(db, "UPDATE coord_vuln SET case_id = ?, seq = ? - seq WHERE case_id = ?", "iii", ci.id, base,
			     cf.id)) < 0 ||
	    (rc = kk_db_exec(db, "UPDATE coord_case_report SET case_id = ? WHERE case_id = ?", "ii", ci.id, cf.id)) < 0 ||
	    (rc = kk_db_exec(db,
			     "UPDATE coord_participant SET case_id = ? WHERE case_id = ? AND org_id NOT IN "
			     "(SELECT org_id FROM coord_participant WHERE case_id = ?)",
			     "iii", ci.id, cf.id, ci.id)) < 0 ||
	    (rc = kk_db_exec(db,
			     "UPDATE coord_message SET case_id = ? WHERE case_id = ? AND (participant_id IS NULL OR "
			     "participant_id IN (SELECT id FROM coord_participant WHERE case_id = ?))",
			     "iii", ci.id, cf.id, ci.id)) < 0 ||
	    (rc = kk_db_exec(db,
			     "UPDATE coord_case SET state = 'merged', merged_into = ?, updated_at = ?, "
			     "last_activity_at = ? WHERE id = ?",
			     "iiii", ci.id, now, now, cf.id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot merge %s into %s: %s", from, into, kk_db_errmsg(db));
	if ((rc = kk_sched_cancel(db, "coord.date_reminder", cf.id, d)) || (rc = case_touch(db, ci.id)) ||
	    (rc = case_audit(db, a, "case.merge", cf.ref, NULL, "merged %s into %s", cf.ref, ci.ref)))
		return rc;
	return case_audit(db, a, "case.merge", ci.ref, NULL, "%s merged into this case", cf.ref);
}

int kk_case_edit(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *title, const char *overview,
		 const char *details, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_text(title, 1000, false, "title", d)) ||
	    (rc = case_text(overview, KK_CASE_TEXT_MAX, false, "overview", d)) ||
	    (rc = case_text(details, KK_CASE_TEXT_MAX * 4, false, "details", d)))
		return rc;
	if ((title && !*title) || (overview && !*overview))
		return kk_diag_set(d, KK_EINVAL, title && !*title ? "title" : "overview", "cannot be empty");
	rc = kk_db_exec(db,
			"UPDATE coord_case SET title = coalesce(?, title), overview = coalesce(?, overview), "
			"details = coalesce(?, details) WHERE id = ?",
			"sssi", title, overview, details, c.id);
	if (rc < 0)
		return kk_diag_set(d, rc, "case", "cannot change case %s: %s", ref, kk_db_errmsg(db));
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.edit", c.ref, NULL, "changed%s%s%s", title ? " title" : "",
			  overview ? " overview" : "", details ? " details" : "");
}

int kk_case_add_vuln(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *title, int cwe,
		     const char *cve, int *seq, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_open(&c, d)) ||
	    (rc = case_text(title, 1000, true, "title", d)) || (rc = case_text(cve, 40, false, "cve", d)))
		return rc;
	if (cwe < 0)
		return kk_diag_set(d, KK_EINVAL, "cwe", "a CWE number such as 79");
	int s = 0;
	if ((rc = add_vuln_row(db, c.id, title, cwe, cve && *cve ? cve : NULL, &s)) < 0)
		return kk_diag_set(d, rc, "vulnerability", "cannot add it: %s", kk_db_errmsg(db));
	if (seq)
		*seq = s;
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.vuln.add", c.ref, NULL, "added vulnerability #%d", s);
}

int kk_case_add_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
		       int64_t *participant_id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if (participant_id)
		*participant_id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_active(&c, d)))
		return rc;
	struct kk_org o;
	if (kk_org_get(db, org_id, &o))
		return kk_diag_set(d, KK_ENOTFOUND, "vendor", "no organization %lld", (long long)org_id);
	if (o.kind != KK_ORG_VENDOR)
		return kk_diag_set(d, KK_EINVAL, "vendor", "%s is a %s organization, not a vendor", o.name,
				   kk_org_kind_name(o.kind));
	/* a vendor not yet in the directory is added to it (its contacts can follow there) */
	struct kk_vendor v;
	if (kk_vendor_get(db, org_id, &v) == KK_ENOTFOUND) {
		struct kk_vendor_in in = {.name = o.name, .terms_agreed = -1};
		if ((rc = kk_vendor_create(db, a, &in, NULL, d)))
			return rc;
	}
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "INSERT INTO coord_participant (case_id, org_id, state, added_at) VALUES (?, ?, 'added', ?)",
			"iii", c.id, org_id, now);
	if (rc == KK_EEXISTS)
		return kk_diag_set(d, rc, "vendor", "vendor %s is already in case %s", o.name, c.ref);
	if (rc < 0)
		return kk_diag_set(d, rc, "vendor", "cannot add vendor %s: %s", o.name, kk_db_errmsg(db));
	if (participant_id)
		*participant_id = kk_db_last_insert_id(db);
	if ((rc = case_touch(db, c.id)) || (rc = case_recompute(db, a, &c, d)))
		return rc;
	return case_audit(db, a, "case.vendor.add", c.ref, NULL, "added vendor %s", o.name);
}

/* ---- the two-stage notice ------------------------------------------------------ */

static const char *const step_cols[] = {
	[KK_PS_NOTIFIED] = "notified_at",	  [KK_PS_ACKNOWLEDGED] = "acknowledged_at",
	[KK_PS_DETAILS_REQUESTED] = "details_requested_at", [KK_PS_DETAILS_SENT] = "details_sent_at",
	[KK_PS_VERIFIED] = "verified_at",	  [KK_PS_FIX_REPORTED] = "fix_reported_at",
	[KK_PS_READY] = "ready_at",
};

static int notice_mail(struct kk_db *db, const struct case_core *c, const struct part_core *p, bool details,
		       struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT overview, details FROM coord_case WHERE id = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	if ((rc = kk_stmt_step(st)) != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : KK_ENOTFOUND;
	}
	char *secret = kk_strdup(kk_stmt_text(st, details ? 1 : 0));
	kk_stmt_done(st);
	if (!secret)
		return KK_ENOMEM;
	char subject[512], when[40], plain[1200];
	kk_time_jst(c->publish_at, when, sizeof(when));
	if (details) {
		snprintf(subject, sizeof(subject), "[%s] 脆弱性詳細情報 / Vulnerability details", c->ref);
		snprintf(plain, sizeof(plain),
			 "%s 様\n\nご依頼の脆弱性詳細情報をポータルで閲覧できます (案件 %s)。\n"
			 "The vulnerability details you asked for can be read on the portal (case %s).\n"
			 "公表予定日 / Publication: %s",
			 p->org_name, c->ref, c->ref, when);
	} else {
		snprintf(subject, sizeof(subject), "[%s] 脆弱性概要情報 / Vulnerability overview", c->ref);
		snprintf(plain, sizeof(plain),
			 "%s 様\n\n貴社製品に関する脆弱性の届出がありました (案件 %s)。ポータルで概要情報をご確認のうえ、\n"
			 "受領の確認と、詳細情報の送付依頼 (秘密保持の同意) または「該当製品なし」をご回答ください。\n\n"
			 "A vulnerability report concerns your products (case %s). Please read the overview on the\n"
			 "portal, acknowledge it, and either ask for the details (accepting the confidentiality terms)\n"
			 "or answer that you have no affected product.\n"
			 "公表予定日 / Publication: %s",
			 p->org_name, c->ref, c->ref, when);
	}
	rc = case_mail_vendor(db, c, p, details ? "details" : "notice", subject, plain, secret, d);
	kk_free(secret);
	if (rc == 0 && !details)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "vendor",
				   "vendor %s has no e-mail contact: add one to the directory (keikai vendor contact add) "
				   "or give the organization a vendor user",
				   p->org_name);
	return rc < 0 ? rc : 0;
}

static int tell_coordinators(struct kk_db *db, const struct case_core *c, const struct part_core *p, const char *what,
			     struct kk_diag *d)
{
	char subject[512], body[1400];
	snprintf(subject, sizeof(subject), "[%s] %s: %s", c->ref, p->org_name, what);
	snprintf(body, sizeof(body), "Case %s: vendor %s — %s.", c->ref, p->org_name, what);
	int rc = case_mail_role(db, KK_ROLE_COORDINATOR, c, subject, body, d);
	return rc < 0 ? rc : 0;
}

int kk_case_step(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
		 const struct kk_case_step *s, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	struct part_core p;
	if ((rc = case_need_tx(db, d)))
		return rc;
	if ((unsigned)s->verb >= KK_PV__COUNT)
		return kk_diag_set(d, KK_EINVAL, "step", "unknown step");
	bool by_vendor = kk_pverb_by_vendor(s->verb);
	if ((rc = case_load(db, ref, &c, d)))
		return rc;
	/* a vendor asking about a case its organization is not in learns nothing */
	if (!case_is_staff(a) && !case_actor_part(db, a, c.id))
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	if ((rc = case_gate(a, by_vendor ? KK_ACT_CASE_RESPOND : KK_ACT_CASE_COORDINATE, org_id, d)) ||
	    (rc = case_must_be_active(&c, d)) || (rc = part_load(db, c.id, org_id, &p, d)))
		return rc;
	enum kk_pstate to;
	rc = kk_participant_next(p.state, p.ver, s->verb, s->verb == KK_PV_VERIFY ? s->verification : KK_VER_NONE, &to);
	if (rc == KK_EINVAL)
		return kk_diag_set(d, rc, "verification", "verify needs affected, not_affected or already_known");
	if (rc)
		return kk_diag_set(d, rc, "state", "vendor %s is %s%s%s; %s is not possible there", p.org_name,
				   kk_pstate_name(p.state), p.ver ? " " : "", kk_verification_name(p.ver),
				   kk_pverb_name(s->verb));
	if (s->verb == KK_PV_REQUEST_DETAILS && !s->accept_terms)
		return kk_diag_set(d, KK_EINVAL, "accept_terms",
				   "the details are sent only once the confidentiality terms are accepted");
	if (s->verb == KK_PV_REPORT_FIX && (rc = case_text(s->text, KK_CASE_TEXT_MAX, true, "fix", d)))
		return rc;
	if (s->verb != KK_PV_REPORT_FIX && (rc = case_text(s->text, KK_CASE_REASON_MAX, false, "note", d)))
		return rc;
	if (s->verb == KK_PV_READY) {
		int miss = case_missing_statements(db, c.id, p.id);
		if (miss != 0)
			return kk_diag_set(d, KK_ECONFLICT, "statements",
					   "vendor %s has no statement on %d vulnerabilit%s of case %s; post them first",
					   p.org_name, miss, miss == 1 ? "y" : "ies", c.ref);
	}
	int64_t now = kk_clock_now();
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE coord_participant SET state = ?, %s = coalesce(%s, ?) WHERE id = ?",
		 step_cols[to], to == KK_PS_FIX_REPORTED ? "NULL" : step_cols[to]);
	if ((rc = kk_db_exec(db, sql, "sii", kk_pstate_name(to), now, p.id)) < 0)
		return kk_diag_set(d, rc, "vendor", "cannot record the step: %s", kk_db_errmsg(db));
	enum kk_verification ver = s->verb == KK_PV_NO_AFFECTED ? KK_VER_NOT_AFFECTED : s->verification;
	if ((s->verb == KK_PV_VERIFY || s->verb == KK_PV_NO_AFFECTED) &&
	    (rc = kk_db_exec(db, "UPDATE coord_participant SET verification = ? WHERE id = ?", "si",
			     kk_verification_name(ver), p.id)) < 0)
		return rc;
	if (s->verb == KK_PV_REQUEST_DETAILS &&
	    (rc = kk_db_exec(db, "UPDATE coord_participant SET terms_accepted_at = ? WHERE id = ?", "ii", now, p.id)) < 0)
		return rc;
	if (s->verb == KK_PV_REPORT_FIX &&
	    (rc = kk_db_exec(db, "UPDATE coord_participant SET fix_text = ? WHERE id = ?", "si", s->text, p.id)) < 0)
		return rc;
	if (by_vendor && (rc = part_heard(db, a, &c, &p, d)))
		return rc;
	const struct kk_coord_config *cf = kk_coord_config();
	switch (s->verb) {
	case KK_PV_NOTIFY:
		if ((rc = notice_mail(db, &c, &p, false, d)) ||
		    (rc = kk_sched_at(db, "coord.ack_reminder", p.id, now + (int64_t)cf->ack_days * 86400, NULL, d)))
			return rc;
		break;
	case KK_PV_ACKNOWLEDGE:
		if ((rc = kk_sched_cancel(db, "coord.ack_reminder", p.id, d)) ||
		    (rc = kk_sched_at(db, "coord.verify_reminder", p.id, now + (int64_t)cf->verify_days * 86400, NULL, d)))
			return rc;
		break;
	case KK_PV_REQUEST_DETAILS:
		if ((rc = kk_sched_cancel(db, "coord.ack_reminder", p.id, d)) ||
		    (rc = kk_sched_at(db, "coord.verify_reminder", p.id, now + (int64_t)cf->verify_days * 86400, NULL, d)) ||
		    (rc = tell_coordinators(db, &c, &p, "asks for the details (terms accepted)", d)))
			return rc;
		break;
	case KK_PV_SEND_DETAILS:
		if ((rc = notice_mail(db, &c, &p, true, d)) ||
		    (rc = kk_sched_at(db, "coord.verify_reminder", p.id, now + (int64_t)cf->verify_days * 86400, NULL, d)))
			return rc;
		break;
	case KK_PV_NO_AFFECTED:
	case KK_PV_VERIFY:
		if ((rc = kk_sched_cancel(db, "coord.ack_reminder", p.id, d)) ||
		    (rc = kk_sched_cancel(db, "coord.verify_reminder", p.id, d)))
			return rc;
		char what[96];
		snprintf(what, sizeof(what), "verification: %s", kk_verification_name(ver));
		if ((rc = tell_coordinators(db, &c, &p, what, d)))
			return rc;
		break;
	case KK_PV_REPORT_FIX:
		if ((rc = tell_coordinators(db, &c, &p, "fix / workaround reported", d)))
			return rc;
		break;
	case KK_PV_READY:
	case KK_PV__COUNT:
		break;
	}
	if ((rc = case_touch(db, c.id)))
		return rc;
	char after[160];
	snprintf(after, sizeof(after), "{\"vendor\":%lld,\"state\":\"%s\",\"verification\":\"%s\",\"at\":%lld}",
		 (long long)p.org_id, kk_pstate_name(to), kk_verification_name(ver), (long long)now);
	char action[48];
	snprintf(action, sizeof(action), "case.vendor.%s", kk_pverb_name(s->verb));
	if ((rc = case_audit(db, a, action, c.ref, after, "vendor %s: %s -> %s%s%s", p.org_name,
			     kk_pstate_name(p.state), kk_pstate_name(to), ver ? " " : "", kk_verification_name(ver))))
		return rc;
	return case_recompute(db, a, &c, d);
}

/* ---- statements ----------------------------------------------------------------- */

static bool status_ok(const char *s)
{
	return s && (!strcmp(s, "affected") || !strcmp(s, "not_affected") || !strcmp(s, "fixed") ||
		     !strcmp(s, "investigating"));
}

int kk_case_statement(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, int seq,
		      const char *status, const char *text_ja, const char *text_en, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	struct part_core p;
	if ((rc = case_need_tx(db, d)) || (rc = case_load(db, ref, &c, d)))
		return rc;
	if (!case_is_staff(a) && !case_actor_part(db, a, c.id))
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	if ((rc = case_gate(a, KK_ACT_CASE_RESPOND, org_id, d)) || (rc = case_must_be_active(&c, d)) ||
	    (rc = part_load(db, c.id, org_id, &p, d)))
		return rc;
	if (p.state == KK_PS_ADDED)
		return kk_diag_set(d, KK_ECONFLICT, "state", "vendor %s has not been notified yet", p.org_name);
	if (!status_ok(status))
		return kk_diag_set(d, KK_EINVAL, "status", "status must be one of " KK_STATEMENT_STATUSES);
	if ((rc = case_text(text_ja, KK_CASE_TEXT_MAX, false, "text_ja", d)) ||
	    (rc = case_text(text_en, KK_CASE_TEXT_MAX, false, "text_en", d)))
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT id FROM coord_vuln WHERE case_id = ? AND seq = ?", &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c.id);
	kk_stmt_bind_int64(st, 2, seq);
	int64_t vuln_id = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (!vuln_id)
		return kk_diag_set(d, KK_ENOTFOUND, "vuln", "case %s has no vulnerability #%d", c.ref, seq);
	int64_t now = kk_clock_now();
	const char *ja = text_ja && *text_ja ? text_ja : NULL, *en = text_en && *text_en ? text_en : NULL;
	rc = kk_db_exec(db,
			"INSERT INTO coord_statement (participant_id, vuln_id, status, text_ja, text_en, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id, vuln_id) DO UPDATE SET "
			"status = excluded.status, text_ja = coalesce(excluded.text_ja, text_ja), "
			"text_en = coalesce(excluded.text_en, text_en), updated_at = excluded.updated_at",
			"iisssi", p.id, vuln_id, status, ja, en, now);
	if (rc < 0)
		return kk_diag_set(d, rc, "statement", "cannot store the statement: %s", kk_db_errmsg(db));
	if ((rc = kk_db_prepare(db, "SELECT text_ja IS NULL AND text_en IS NULL FROM coord_statement WHERE "
				    "participant_id = ? AND vuln_id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, p.id);
	kk_stmt_bind_int64(st, 2, vuln_id);
	bool empty = kk_stmt_step(st) == KK_ROW && kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (empty)
		return kk_diag_set(d, KK_EINVAL, "text_ja", "a statement needs text in Japanese (text_ja) or English (text_en)");
	if ((rc = part_heard(db, a, &c, &p, d)) || (rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.statement", c.ref, NULL, "vendor %s: statement on #%d (%s%s%s)", p.org_name, seq,
			  status, ja ? ", ja" : "", en ? ", en" : "");
}

/* ---- the publication date --------------------------------------------------------- */

struct date_each {
	const struct case_core *c;
	const char *subject, *body;
	struct kk_diag *d;
};

static int date_one(struct kk_db *db, struct part_core *p, void *arg)
{
	struct date_each *de = arg;
	int rc = case_mail_vendor(db, de->c, p, "date", de->subject, de->body, NULL, de->d);
	return rc < 0 ? rc : 0;
}

/* Tells every notified vendor and the receiving organization that the date moved. */
static int announce_date(struct kk_db *db, const struct case_core *c, int64_t old_at, int64_t new_at,
			 const char *reason, struct kk_diag *d)
{
	char was[40], now_s[40], subject[128];
	kk_time_jst(old_at, was, sizeof(was));
	kk_time_jst(new_at, now_s, sizeof(now_s));
	snprintf(subject, sizeof(subject), "[%s] 公表日の変更 / Publication date changed", c->ref);
	struct kk_buf body = KK_BUF_INIT(KK_CASE_REASON_MAX + 1000);
	kk_buf_printf(&body,
		      "案件 %s の公表予定日が変更されました。\nThe publication date of case %s has changed.\n\n"
		      "変更前 / was: %s\n変更後 / now: %s\n理由 / reason: %s",
		      c->ref, c->ref, was, now_s, reason);
	int rc = kk_buf_error(&body);
	if (!rc && (rc = case_mail_role(db, KK_ROLE_RECEIVER, c, subject, body.ptr, d)) >= 0)
		rc = 0;
	struct date_each de = {c, subject, body.ptr, d};
	if (!rc)
		rc = case_each_participant(db, c->id, true, date_one, &de);
	kk_buf_release(&body);
	return rc;
}

static kk_case_date_listener date_listener;

void kk_case_set_date_listener(kk_case_date_listener fn)
{
	date_listener = fn;
}

/*
 * Moves the date of c to new_at (checked), moves what is scheduled for it
 * (the listener: the case's scheduled advisories), announces it and moves
 * the reminder.
 */
static int move_date(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, int64_t new_at,
		     const char *reason, struct kk_diag *d)
{
	int64_t now = kk_clock_now();
	int rc = kk_db_exec(db, "UPDATE coord_case SET publish_at = ? WHERE id = ?", "ii", new_at, c->id);
	if (rc < 0)
		return kk_diag_set(d, rc, "publish_at", "cannot change the date: %s", kk_db_errmsg(db));
	if (date_listener && (rc = date_listener(db, a, c->ref, new_at, d)) < 0)
		return rc;
	int64_t warn = new_at - (int64_t)kk_coord_config()->date_warn_days * 86400;
	if ((rc = kk_sched_at(db, "coord.date_reminder", c->id, warn > now ? warn : now, NULL, d)) ||
	    (rc = announce_date(db, c, c->publish_at, new_at, reason, d)) || (rc = case_touch(db, c->id)))
		return rc;
	char was[40], to[40], after[96];
	kk_time_jst(c->publish_at, was, sizeof(was));
	kk_time_jst(new_at, to, sizeof(to));
	snprintf(after, sizeof(after), "{\"publish_at\":%lld}", (long long)new_at);
	return case_audit(db, a, "case.date", c->ref, after, "publication date %s -> %s", was, to);
}

static int date_checks(int64_t new_at, const char *reason, const struct case_core *c, struct kk_diag *d)
{
	int rc;
	if ((rc = case_text(reason, KK_CASE_REASON_MAX, true, "reason", d)))
		return rc;
	if (new_at <= kk_clock_now())
		return kk_diag_set(d, KK_EINVAL, "publish_at", "the publication date must be in the future");
	if (new_at == c->publish_at)
		return kk_diag_set(d, KK_EINVAL, "publish_at", "that is already the publication date");
	return 0;
}

int kk_case_set_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t new_at, const char *reason,
		     struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_active(&c, d)) ||
	    (rc = date_checks(new_at, reason, &c, d)))
		return rc;
	rc = kk_db_exec(db,
			"INSERT INTO coord_date_change (case_id, old_at, new_at, reason, state, by_user_id, at) "
			"VALUES (?, ?, ?, ?, 'applied', ?, ?)",
			"iiisii", c.id, c.publish_at, new_at, reason, a->user_id, kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, "publish_at", "cannot record the change: %s", kk_db_errmsg(db));
	return move_date(db, a, &c, new_at, reason, d);
}

int kk_case_request_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, int64_t new_at,
			 const char *reason, int64_t *request_id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	struct part_core p;
	if (request_id)
		*request_id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_load(db, ref, &c, d)))
		return rc;
	if (!case_is_staff(a) && !case_actor_part(db, a, c.id))
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	if ((rc = case_gate(a, KK_ACT_CASE_RESPOND, org_id, d)) || (rc = case_must_be_active(&c, d)) ||
	    (rc = part_load(db, c.id, org_id, &p, d)) || (rc = date_checks(new_at, reason, &c, d)))
		return rc;
	if (p.state == KK_PS_ADDED)
		return kk_diag_set(d, KK_ECONFLICT, "state", "vendor %s has not been notified yet", p.org_name);
	rc = kk_db_exec(db,
			"INSERT INTO coord_date_change (case_id, participant_id, old_at, new_at, reason, state, by_user_id, at) "
			"VALUES (?, ?, ?, ?, ?, 'requested', ?, ?)",
			"iiiisii", c.id, p.id, c.publish_at, new_at, reason, a->user_id, kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, "publish_at", "cannot record the request: %s", kk_db_errmsg(db));
	int64_t id = kk_db_last_insert_id(db);
	if (request_id)
		*request_id = id;
	char to[40], what[128];
	kk_time_jst(new_at, to, sizeof(to));
	snprintf(what, sizeof(what), "asks to move the publication date to %s (request %lld)", to, (long long)id);
	if ((rc = part_heard(db, a, &c, &p, d)) || (rc = tell_coordinators(db, &c, &p, what, d)) ||
	    (rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.date.request", c.ref, NULL, "vendor %s %s", p.org_name, what);
}

int kk_case_name_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
			const struct kk_named_vendor_in *in, int64_t *id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	struct part_core p;
	if (id)
		*id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_load(db, ref, &c, d)))
		return rc;
	if (!case_is_staff(a) && !case_actor_part(db, a, c.id))
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	if ((rc = case_gate(a, KK_ACT_CASE_RESPOND, org_id, d)) || (rc = case_must_be_active(&c, d)) ||
	    (rc = part_load(db, c.id, org_id, &p, d)) || (rc = case_text(in->name, KK_NAME_MAX, true, "name", d)) ||
	    (rc = case_text(in->product, KK_NAME_MAX, false, "product", d)) ||
	    (rc = case_text(in->contact, KK_NAME_MAX, false, "contact", d)) ||
	    (rc = case_text(in->reason, KK_CASE_REASON_MAX, false, "reason", d)))
		return rc;
	if (p.state == KK_PS_ADDED)
		return kk_diag_set(d, KK_ECONFLICT, "state", "vendor %s has not been notified yet", p.org_name);
	if (!strcmp(in->name, p.org_name))
		return kk_diag_set(d, KK_EINVAL, "name", "name another vendor than %s itself", p.org_name);
	rc = kk_db_exec(db,
			"INSERT INTO coord_named_vendor (case_id, participant_id, name, product, contact, reason, by_user_id, "
			"at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"iissssii", c.id, p.id, in->name, in->product ? in->product : "", in->contact ? in->contact : "",
			in->reason ? in->reason : "", a->user_id, kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, "name", "cannot record the suggestion: %s", kk_db_errmsg(db));
	int64_t nid = kk_db_last_insert_id(db);
	if (id)
		*id = nid;
	char what[KK_NAME_MAX + 80];
	snprintf(what, sizeof(what), "names %.200s as possibly affected too (suggestion %lld)", in->name, (long long)nid);
	if ((rc = part_heard(db, a, &c, &p, d)) || (rc = tell_coordinators(db, &c, &p, what, d)) ||
	    (rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.vendor.named", c.ref, NULL, "vendor %s %s", p.org_name, what);
}

int kk_case_dismiss_named(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t named_id,
			  struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)))
		return rc;
	rc = kk_db_exec(db, "UPDATE coord_named_vendor SET dismissed_at = ? WHERE id = ? AND case_id = ? AND "
			    "dismissed_at IS NULL",
			"iii", kk_clock_now(), named_id, c.id);
	if (rc < 0)
		return kk_diag_set(d, rc, "suggestion", "cannot dismiss it: %s", kk_db_errmsg(db));
	if (rc == 0)
		return kk_diag_set(d, KK_ENOTFOUND, "suggestion", "case %s has no open suggestion %lld", c.ref,
				   (long long)named_id);
	return case_audit(db, a, "case.vendor.named.dismiss", c.ref, NULL, "suggestion %lld set aside",
			  (long long)named_id);
}

int kk_case_decide_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t request_id, bool accept,
			const char *note, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_active(&c, d)) ||
	    (rc = case_text(note, KK_CASE_REASON_MAX, !accept, "note", d)))
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT participant_id, new_at, reason, state FROM coord_date_change WHERE id = ? AND case_id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, request_id);
	kk_stmt_bind_int64(st, 2, c.id);
	if (kk_stmt_step(st) != KK_ROW) {
		kk_stmt_done(st);
		return kk_diag_set(d, KK_ENOTFOUND, "request", "case %s has no date request %lld", c.ref,
				   (long long)request_id);
	}
	int64_t pid = kk_stmt_int64(st, 0), new_at = kk_stmt_int64(st, 1);
	char reason[KK_CASE_REASON_MAX + 1], state[16];
	kk_strlcpy(reason, kk_stmt_text(st, 2), sizeof(reason));
	kk_strlcpy(state, kk_stmt_text(st, 3), sizeof(state));
	kk_stmt_done(st);
	if (strcmp(state, "requested"))
		return kk_diag_set(d, KK_ECONFLICT, "request", "date request %lld is already %s", (long long)request_id,
				   state);
	struct part_core p;
	if ((rc = part_load_id(db, pid, &p)))
		return rc;
	if (accept && new_at <= kk_clock_now())
		return kk_diag_set(d, KK_ECONFLICT, "request", "the date asked for (request %lld) has passed; decline it",
				   (long long)request_id);
	rc = kk_db_exec(db, "UPDATE coord_date_change SET state = ?, decision_note = ?, decided_at = ? WHERE id = ?",
			"ssii", accept ? "accepted" : "declined", note && *note ? note : NULL, kk_clock_now(), request_id);
	if (rc < 0)
		return rc;
	if (accept) {
		/* every vendor reads this: never who asked, nor the asker's own words (its reason stays its own) */
		char why[KK_CASE_REASON_MAX + 200];
		snprintf(why, sizeof(why), "製品開発者からの依頼による / at the request of a vendor of the case%s%s",
			 note && *note ? "\n" : "", note && *note ? note : "");
		if ((rc = move_date(db, a, &c, new_at, why, d)))
			return rc;
	} else {
		char subject[512], body[KK_CASE_REASON_MAX + 300];
		snprintf(subject, sizeof(subject), "[%s] 公表日変更の依頼 / Date request declined", c.ref);
		snprintf(body, sizeof(body),
			 "公表日変更のご依頼 (%lld) はお受けできませんでした。\nYour request %lld to move the publication "
			 "date was declined.\n\n%s",
			 (long long)request_id, (long long)request_id, note);
		if ((rc = case_mail_vendor(db, &c, &p, "date", subject, body, NULL, d)) < 0 || (rc = case_touch(db, c.id)))
			return rc;
	}
	return case_audit(db, a, accept ? "case.date.accept" : "case.date.decline", c.ref, NULL,
			  "%s the date request %lld of %s", accept ? "accepted" : "declined", (long long)request_id,
			  p.org_name);
}

/* ---- publishing earlier than agreed, and publication ----------------------------------- */

bool kk_case_exception_ground_valid(const char *g)
{
	return g && (!strcmp(g, "already_public") || !strcmp(g, "exploited"));
}

static const char *ground_ja(const char *g)
{
	return !strcmp(g, "exploited") ? "悪用が確認されたため" : "脆弱性情報が既に公開されているため";
}

static const char *ground_en(const char *g)
{
	return !strcmp(g, "exploited") ? "the vulnerability is being exploited" : "the vulnerability is already public";
}

int kk_case_date_exception(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			   const char *ground, const char *reason, int64_t new_at, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_active(&c, d)))
		return rc;
	if (!kk_case_exception_ground_valid(ground))
		return kk_diag_set(d, KK_EINVAL, "ground",
				   "publishing before the agreed date needs a ground: already_public (the vulnerability "
				   "is already public) or exploited (it is being exploited)");
	if ((rc = case_text(reason, KK_CASE_REASON_MAX, true, "reason", d)))
		return rc;
	int64_t now = kk_clock_now();
	if (!new_at)
		new_at = now;
	if (new_at < now)
		return kk_diag_set(d, KK_EINVAL, "publish_at", "the new date cannot be in the past");
	if (new_at >= c.publish_at)
		return kk_diag_set(d, KK_EINVAL, "publish_at",
				   "an exception brings the date forward; to move it later, change the date with a reason");
	rc = kk_db_exec(db,
			"INSERT INTO coord_date_change (case_id, old_at, new_at, reason, state, exception, by_user_id, at) "
			"VALUES (?, ?, ?, ?, 'applied', ?, ?, ?)",
			"iiissii", c.id, c.publish_at, new_at, reason, ground, a->user_id, now);
	if (rc < 0)
		return kk_diag_set(d, rc, "publish_at", "cannot record the exception: %s", kk_db_errmsg(db));
	rc = 0;
	char when[40];
	kk_time_jst(new_at, when, sizeof(when));
	/* the finders first (through intake's relay; nothing changes without the key), then every vendor */
	struct case_finder f[KK_CASE_FINDERS_MAX];
	int nf = case_finders(db, c.id, NULL, f);
	if (nf < 0)
		return nf;
	for (int i = 0; i < nf && !rc; i++) {
		struct kk_buf text = KK_BUF_INIT(KK_CASE_REASON_MAX + 1024);
		for (int pass = 0; pass < 2; pass++) {
			if (pass)
				kk_buf_puts(&text, "\n\n");
			if ((pass == 0) == f[i].ja)
				kk_buf_printf(&text,
					      "調整機関からのお知らせ (案件 %s): %s、届出 %s の脆弱性情報を予定より早く %s に公表します。",
					      c.ref, ground_ja(ground), f[i].tracking, when);
			else
				kk_buf_printf(&text,
					      "From the coordinator (case %s): because %s, the vulnerability you reported in %s "
					      "will be published earlier than agreed, at %s.",
					      c.ref, ground_en(ground), f[i].tracking, when);
		}
		if (!(rc = kk_buf_error(&text)))
			rc = case_finder_relay(db, a, key, &c, &f[i], text.ptr, text.ptr, NULL, d);
		kk_buf_release(&text);
	}
	if (rc)
		return rc;
	char why[KK_CASE_REASON_MAX + 400];
	snprintf(why, sizeof(why), "例外: %s / exception: %s\n%s", ground_ja(ground), ground_en(ground), reason);
	if ((rc = move_date(db, a, &c, new_at, why, d)))
		return rc;
	return case_audit(db, a, "case.date.exception", c.ref, NULL,
			  "publication brought forward to %s (%s); %d finder%s and every notified vendor told", when, ground,
			  nf, nf == 1 ? "" : "s");
}

int kk_case_agreed_date(struct kk_db *db, const char *ref, int64_t *at, struct kk_diag *d)
{
	struct case_core c;
	*at = 0;
	if (!ref || !*ref || case_load(db, ref, &c, NULL))
		return 0;
	if (!strcmp(c.state, "cancelled") || !strcmp(c.state, "stopped"))
		return kk_diag_set(d, KK_ECONFLICT, "case", "case %s is %s: nothing of it is published", c.ref,
				   !strcmp(c.state, "stopped") ? "stopped (its handling ended)" : "cancelled");
	if (strcmp(c.state, "open") && strcmp(c.state, "ready"))
		return 0;
	*at = c.publish_at;
	return 1;
}

/* ---- stopping: the report's handling ended (V.2 (2)) ---------------------------------- */

struct stop_each {
	const struct case_core *c;
	const char *subject, *body;
	struct kk_diag *d;
};

static int stop_one(struct kk_db *db, struct part_core *p, void *arg)
{
	struct stop_each *se = arg;
	int rc = kk_sched_cancel_prefix(db, "coord.", p->id, se->d);
	if (!rc && p->state != KK_PS_ADDED)
		rc = case_mail_vendor(db, se->c, p, "stop", se->subject, se->body, NULL, se->d);
	return rc < 0 ? rc : 0;
}

int kk_coord_report_stopped(struct kk_db *db, const struct kk_actor *a, int64_t report_id, const char *tracking,
			    const char *reason, struct kk_diag *d)
{
	int rc;
	if ((rc = case_need_tx(db, d)))
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT x.case_id, (SELECT count(*) FROM coord_case_report y JOIN report r ON r.id = y.report_id "
				" WHERE y.case_id = x.case_id AND r.status NOT IN ('handling_stopped', 'duplicate')) "
				"FROM coord_case_report x WHERE x.report_id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, report_id);
	int64_t case_id = 0, others = 0;
	if (kk_stmt_step(st) == KK_ROW) {
		case_id = kk_stmt_int64(st, 0);
		others = kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	struct case_core c;
	if (!case_id || case_load_id(db, case_id, &c) || (strcmp(c.state, "open") && strcmp(c.state, "ready")))
		return 0; /* no case, or it is closed already (published, cancelled, merged) */
	if (others)
		return case_audit(db, a, "case.report.stopped", c.ref, NULL,
				  "report %s stopped (%s); the case goes on with its %lld other report%s", tracking, reason,
				  (long long)others, others == 1 ? "" : "s");
	int64_t now = kk_clock_now();
	if ((rc = kk_db_exec(db,
			     "UPDATE coord_case SET state = 'cancelled', stopped_at = ?, stop_reason = ?, updated_at = ?, "
			     "last_activity_at = ? WHERE id = ?",
			     "isiii", now, reason, now, now, c.id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot stop case %s: %s", c.ref, kk_db_errmsg(db));
	if ((rc = kk_sched_cancel(db, "coord.date_reminder", c.id, d)) ||
	    (date_listener && (rc = date_listener(db, a, c.ref, 0, d)) < 0))
		return rc;
	/* the vendors: that it ended, never why (the reason may be confidential: V.2 (2) ⑤) */
	char subject[128], body[800];
	snprintf(subject, sizeof(subject), "[%s] 取扱い終了 / Handling ended", c.ref);
	snprintf(body, sizeof(body),
		 "案件 %s の取扱いを終了しました。本件についてこれ以上のご対応は不要です。お伝えした情報は引き続き"
		 "秘密としてお取り扱いください。\nThe handling of case %s has ended; no further action is needed. "
		 "Please keep the information you received confidential.",
		 c.ref, c.ref);
	struct stop_each se = {&c, subject, body, d};
	if ((rc = case_each_participant(db, c.id, false, stop_one, &se)))
		return rc;
	char cbody[400];
	snprintf(cbody, sizeof(cbody), "案件 %s の取扱いを終了しました (届出 %s: %s)。\nCase %s: handling stopped (report %s: %s).",
		 c.ref, tracking, reason, c.ref, tracking, reason);
	if ((rc = case_mail_role(db, KK_ROLE_COORDINATOR, &c, subject, cbody, d)) < 0)
		return rc;
	return case_audit(db, a, "case.stop", c.ref, "{\"state\":\"stopped\"}",
			  "handling stopped with report %s (%s); the vendors are told it ended", tracking, reason);
}

static int end_reminders(struct kk_db *db, struct part_core *p, void *arg)
{
	return kk_sched_cancel_prefix(db, "coord.", p->id, arg);
}

int kk_case_published(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t at, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)))
		return rc;
	if (case_load(db, ref, &c, NULL) || (strcmp(c.state, "open") && strcmp(c.state, "ready"))) {
		kk_diag_clear(d);
		return 0; /* no case here, or it is already closed */
	}
	if ((rc = kk_db_exec(db,
			     "UPDATE coord_case SET state = 'published', publish_at = ?, updated_at = ?, last_activity_at = ? "
			     "WHERE id = ?",
			     "iiii", at, at, at, c.id)) < 0 ||
	    (rc = kk_db_exec(db,
			     "UPDATE coord_date_change SET state = 'declined', decided_at = ?, decision_note = "
			     "'公表済み / already published' WHERE case_id = ? AND state = 'requested'",
			     "ii", at, c.id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot close case %s: %s", c.ref, kk_db_errmsg(db));
	if ((rc = kk_sched_cancel(db, "coord.date_reminder", c.id, d)) ||
	    (rc = case_each_participant(db, c.id, false, end_reminders, d)))
		return rc;
	char when[40];
	kk_time_jst(at, when, sizeof(when));
	return case_audit(db, a, "case.published", c.ref, "{\"state\":\"published\"}",
			  "published %s; pre-publication actions closed", when);
}

/* ---- cancelling publication ----------------------------------------------------------- */

struct cancel_each {
	const struct case_core *c;
	const char *subject, *body;
	struct kk_diag *d;
};

/* One vendor of a cancelled case: its reminders end and it is told. */
static int cancel_one(struct kk_db *db, struct part_core *p, void *arg)
{
	struct cancel_each *ce = arg;
	int rc = kk_sched_cancel_prefix(db, "coord.", p->id, ce->d);
	if (!rc && p->state != KK_PS_ADDED)
		rc = case_mail_vendor(db, ce->c, p, "cancel", ce->subject, ce->body, NULL, ce->d);
	return rc < 0 ? rc : 0;
}

/* Why publication was cancelled, in each language: [0] every vendor already knew, [1] none is affected. */
static const char *const cancel_why_ja[] = {"すべての製品開発者が既知と回答", "すべての製品開発者が該当製品なしと回答"};
static const char *const cancel_why_en[] = {"every vendor reported the issue as already known",
					    "every vendor reported no affected product"};

/* What the finder of f reads: their own language first, then the other. */
static void cancel_finder_text(struct kk_buf *b, const struct case_core *c, const struct case_finder *f, int why)
{
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			kk_buf_puts(b, "\n\n");
		if ((pass == 0) == f->ja)
			kk_buf_printf(b, "調整機関からのお知らせ (案件 %s): 届出 %s の脆弱性情報の公表を取りやめます。\n理由: %s。", c->ref,
				      f->tracking, cancel_why_ja[why]);
		else
			kk_buf_printf(b,
				      "From the coordinator (case %s): publication of the vulnerability you reported in %s is "
				      "cancelled.\nReason: %s.",
				      c->ref, f->tracking, cancel_why_en[why]);
	}
}

int kk_case_cancel(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
		   const char *reason, const char *note, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_text(note, KK_CASE_REASON_MAX, false, "note", d)))
		return rc;
	if (strcmp(c.state, "open") && strcmp(c.state, "ready"))
		return kk_diag_set(d, KK_ECONFLICT, "state", "case %s is %s", c.ref, c.state);
	/* the verifications of every vendor that is in the case */
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT count(*), coalesce(sum(verification = 'already_known'), 0), "
				"coalesce(sum(verification = 'not_affected'), 0) FROM coord_participant WHERE case_id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c.id);
	int64_t n = 0, nknown = 0, nnot = 0;
	if (kk_stmt_step(st) == KK_ROW) {
		n = kk_stmt_int64(st, 0);
		nknown = kk_stmt_int64(st, 1);
		nnot = kk_stmt_int64(st, 2);
	}
	kk_stmt_done(st);
	const char *allowed = kk_case_cancel_reason((size_t)n, (size_t)nknown, (size_t)nnot);
	if (!allowed)
		return kk_diag_set(d, KK_ECONFLICT, "reason",
				   "publication of %s can be cancelled only when every vendor reported already_known, or "
				   "every vendor not_affected",
				   c.ref);
	if (!reason || strcmp(reason, allowed))
		return kk_diag_set(d, KK_ECONFLICT, "reason", "the vendors' answers give the reason %s", allowed);
	int64_t now = kk_clock_now();
	if ((rc = kk_db_exec(db, "UPDATE coord_case SET state = 'cancelled', cancel_reason = ?, updated_at = ?, "
				 "last_activity_at = ? WHERE id = ?",
			     "siii", reason, now, now, c.id)) < 0)
		return rc;
	if ((rc = kk_sched_cancel(db, "coord.date_reminder", c.id, d)) ||
	    (date_listener && (rc = date_listener(db, a, c.ref, 0, d)) < 0))
		return rc;
	int why = strcmp(reason, "all_already_known") ? 1 : 0;
	/* the finders first: without the key file nothing reaches them, and nothing is cancelled */
	struct case_finder f[KK_CASE_FINDERS_MAX];
	int nf = case_finders(db, c.id, NULL, f);
	if (nf < 0)
		return nf;
	for (int i = 0; i < nf && !rc; i++) {
		struct kk_buf text = KK_BUF_INIT(2048);
		cancel_finder_text(&text, &c, &f[i], why);
		if (!(rc = kk_buf_error(&text)))
			rc = case_finder_relay(db, a, key, &c, &f[i], text.ptr, text.ptr, NULL, d);
		kk_buf_release(&text);
	}
	if (rc)
		return rc;
	char subject[512], body[KK_CASE_REASON_MAX + 600];
	snprintf(subject, sizeof(subject), "[%s] 公表の取りやめ / Publication cancelled", c.ref);
	snprintf(body, sizeof(body), "案件 %s の公表を取りやめます: %s。\nPublication of case %s is cancelled: %s.\n%s", c.ref,
		 cancel_why_ja[why], c.ref, cancel_why_en[why], note && *note ? note : "");
	if ((rc = case_mail_role(db, KK_ROLE_RECEIVER, &c, subject, body, d)) < 0)
		return rc;
	struct cancel_each ce = {&c, subject, body, d};
	if ((rc = case_each_participant(db, c.id, false, cancel_one, &ce)))
		return rc;
	char after[96];
	snprintf(after, sizeof(after), "{\"state\":\"cancelled\",\"reason\":\"%s\"}", reason);
	return case_audit(db, a, "case.cancel", c.ref, after,
			  "publication cancelled (%s); the receiving organization and %d finder%s told", reason, nf,
			  nf == 1 ? "" : "s");
}

/* ---- sharing a vendor with the others --------------------------------------------------- */

int kk_case_share_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, bool shared,
			 struct kk_diag *d)
{
	int rc;
	struct case_core c;
	struct part_core p;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = part_load(db, c.id, org_id, &p, d)))
		return rc;
	if ((rc = kk_db_exec(db, "UPDATE coord_participant SET identity_shared = ? WHERE id = ?", "ii", (int64_t)shared,
			     p.id)) < 0)
		return rc;
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, shared ? "case.vendor.share" : "case.vendor.unshare", c.ref, NULL,
			  shared ? "vendor %s: name, state and statements shown to the other vendors"
				 : "vendor %s: no longer shown to the other vendors",
			  p.org_name);
}
