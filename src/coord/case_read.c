/*
 * case_read.c — reading cases as the actor may see them: one case, the
 * board, the per-vendor table (paged and filtered in SQL), statements,
 * vulnerabilities, the date's history, the JSON form, vendor suggestions
 * and the long-stalled (長期滞留) board.
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
#include "coord/directory.h"
#include "intake/intake.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <string.h>

static int clamp_limit(int limit)
{
	return limit <= 0 ? 50 : limit > 500 ? 500 : limit;
}

/* ---- one case ----------------------------------------------------------------- */

void kk_case_info_release(struct kk_case_info *c)
{
	kk_free(c->title);
	kk_free(c->overview);
	kk_free(c->details);
	kk_free(c->product);
	kk_free(c->product_version);
	memset(c, 0, sizeof(*c));
}

int kk_case_get(struct kk_db *db, const struct kk_actor *a, const char *ref, struct kk_case_info *out,
		struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	int rc = case_gate(a, KK_ACT_CASE_READ, 0, NULL);
	if (rc == KK_EAUTH)
		return kk_diag_set(d, rc, NULL, "sign in to read cases");
	struct case_core c;
	if ((rc = case_load(db, ref, &c, d)))
		return rc;
	bool staff = case_is_staff(a);
	struct part_core p = {.id = 0};
	if (!staff) {
		/* a vendor reads only a case its organization takes part in; any other is "no such case" */
		/* nor one whose handling was stopped (V.2 (2)): it ended for them */
		if (!a || !a->org_id || part_load(db, c.id, a->org_id, &p, NULL) || p.state == KK_PS_ADDED ||
		    !strcmp(c.state, "stopped") || case_gate(a, KK_ACT_CASE_READ, p.org_id, NULL))
			return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	}
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT title, overview, details, product, product_version, cancel_reason, last_activity_at, "
				"created_at, updated_at, coalesce(vendor_consulted_at, 0), coalesce(finder_told_at, 0), "
				"(SELECT count(*) FROM coord_participant WHERE case_id = c.id), "
				"(SELECT count(*) FROM coord_participant WHERE case_id = c.id AND state = 'ready'), "
				"(SELECT count(*) FROM coord_participant WHERE case_id = c.id AND unreachable_at IS NOT NULL), "
				"(SELECT count(*) FROM coord_vuln WHERE case_id = c.id) FROM coord_case c WHERE id = ?",
				&st)))
		return kk_diag_set(d, rc, "case", "cannot read case %s: %s", ref, kk_db_errmsg(db));
	kk_stmt_bind_int64(st, 1, c.id);
	if ((rc = kk_stmt_step(st)) != KK_ROW) {
		kk_stmt_done(st);
		return kk_diag_set(d, rc < 0 ? rc : KK_ENOTFOUND, "case", "cannot read case %s", ref);
	}
	out->id = c.id;
	kk_strlcpy(out->ref, c.ref, sizeof(out->ref));
	kk_strlcpy(out->state, c.state, sizeof(out->state));
	out->started_at = c.started_at;
	out->publish_at = c.publish_at;
	out->title = kk_strdup(kk_stmt_text(st, 0));
	out->overview = kk_strdup(kk_stmt_text(st, 1));
	/* the details: staff, or the vendor once they were sent (asked with obj.org_id only then) */
	bool sent = !staff && p.details_sent_at != 0;
	if (kk_policy_allow(a, KK_ACT_CASE_DETAILS_READ, &(struct kk_policy_obj){.org_id = staff ? 0 : sent ? p.org_id : 0}))
		out->details = kk_strdup(kk_stmt_text(st, 2));
	out->product = kk_strdup(kk_stmt_text(st, 3));
	out->product_version = kk_strdup(kk_stmt_text(st, 4));
	kk_strlcpy(out->cancel_reason, kk_stmt_text(st, 5), sizeof(out->cancel_reason));
	out->last_activity_at = kk_stmt_int64(st, 6);
	out->created_at = kk_stmt_int64(st, 7);
	out->updated_at = kk_stmt_int64(st, 8);
	out->vendor_consulted_at = kk_stmt_int64(st, 9);
	out->finder_told_at = kk_stmt_int64(st, 10);
	out->nvendors = (int)kk_stmt_int64(st, 11);
	out->nready = (int)kk_stmt_int64(st, 12);
	out->nunreachable = (int)kk_stmt_int64(st, 13);
	out->nvulns = (int)kk_stmt_int64(st, 14);
	kk_stmt_done(st);
	out->coordinator = kk_policy_allow(a, KK_ACT_CASE_COORDINATE, NULL);
	if (!staff) {
		out->participant_id = p.id;
		out->org_id = p.org_id;
		kk_strlcpy(out->pstate, kk_pstate_name(p.state), sizeof(out->pstate));
	}
	if (!out->title || !out->overview || !out->product || !out->product_version) {
		kk_case_info_release(out);
		return KK_ENOMEM;
	}
	return 0;
}

/* ---- the board ------------------------------------------------------------------ */

int kk_case_list(struct kk_db *db, const struct kk_actor *a, const struct kk_case_filter *f,
		 int (*fn)(void *arg, const struct kk_case_row *r), void *arg, int64_t *total)
{
	int rc = case_gate(a, KK_ACT_CASE_READ, 0, NULL);
	if (rc == KK_EAUTH)
		return rc;
	bool staff = case_is_staff(a);
	int64_t org = staff ? 0 : a->org_id;
	if (!staff && !org)
		return 0;
	const char *state = f && f->state && *f->state ? f->state : NULL;
	const char *q = f && f->q && *f->q ? f->q : NULL;
	/* the vendor's rows come only through its own participation (never an 'added' one: not yet notified) */
	static const char where[] =
		"FROM coord_case c LEFT JOIN coord_participant me ON me.case_id = c.id AND me.org_id = ?1 "
		"WHERE (?1 = 0 OR (me.id IS NOT NULL AND me.state <> 'added' AND c.stopped_at IS NULL)) "
		"AND (?2 IS NULL OR " CASE_STATE_SQL("c") " = ?2) "
		"AND (?3 IS NULL OR instr(lower(c.ref), lower(?3)) > 0 OR instr(lower(c.title), lower(?3)) > 0) ";
	struct kk_stmt *st;
	if (total) {
		char sql[sizeof(where) + 32];
		snprintf(sql, sizeof(sql), "SELECT count(*) %s", where);
		if ((rc = kk_db_prepare(db, sql, &st)))
			return rc;
		kk_stmt_bind_int64(st, 1, org);
		kk_stmt_bind_text(st, 2, state, -1);
		kk_stmt_bind_text(st, 3, q, -1);
		*total = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
	}
	char sql[sizeof(where) + 700];
	snprintf(sql, sizeof(sql),
		 "SELECT c.id, c.ref, c.title, " CASE_STATE_SQL("c") ", coalesce(me.state, ''), c.started_at, c.publish_at, "
		 "c.last_activity_at, "
		 "(SELECT count(*) FROM coord_participant WHERE case_id = c.id), "
		 "(SELECT count(*) FROM coord_participant WHERE case_id = c.id AND state = 'ready'), "
		 "(SELECT count(*) FROM coord_participant WHERE case_id = c.id AND unreachable_at IS NOT NULL) "
		 "%s ORDER BY c.id DESC LIMIT ?4 OFFSET ?5",
		 where);
	if ((rc = kk_db_prepare(db, sql, &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, org);
	kk_stmt_bind_text(st, 2, state, -1);
	kk_stmt_bind_text(st, 3, q, -1);
	kk_stmt_bind_int64(st, 4, clamp_limit(f ? f->limit : 0));
	kk_stmt_bind_int64(st, 5, f && f->offset > 0 ? f->offset : 0);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_case_row r = {
			.id = kk_stmt_int64(st, 0),
			.ref = kk_stmt_text(st, 1),
			.title = kk_stmt_text(st, 2),
			.state = kk_stmt_text(st, 3),
			.pstate = kk_stmt_text(st, 4),
			.started_at = kk_stmt_int64(st, 5),
			.publish_at = kk_stmt_int64(st, 6),
			.last_activity_at = kk_stmt_int64(st, 7),
			/* a vendor learns nothing of the others: counts are staff-only */
			.nvendors = staff ? (int)kk_stmt_int64(st, 8) : 0,
			.nready = staff ? (int)kk_stmt_int64(st, 9) : 0,
			.nunreachable = staff ? (int)kk_stmt_int64(st, 10) : 0,
		};
		n++;
		if ((rc = fn(arg, &r)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* ---- the per-vendor table ---------------------------------------------------------- */

int kk_case_participants(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
			 const struct kk_participant_filter *f, int (*fn)(void *arg, const struct kk_participant *p),
			 void *arg, int64_t *total)
{
	bool staff = case_is_staff(a);
	int64_t only = 0;
	if (!staff) {
		if (!c->participant_id || case_gate(a, KK_ACT_CASE_READ, c->org_id, NULL))
			return KK_ENOTFOUND;
		only = c->participant_id;
	}
	const char *state = f && f->state && *f->state ? f->state : NULL;
	const char *q = f && f->q && *f->q ? f->q : NULL;
	static const char where[] =
		"FROM coord_participant p JOIN organizations o ON o.id = p.org_id WHERE p.case_id = ?1 "
		"AND (?2 = 0 OR p.id = ?2) "
		"AND (?3 IS NULL OR (?3 = 'unreachable' AND p.unreachable_at IS NOT NULL) OR p.state = ?3) "
		"AND (?4 IS NULL OR instr(lower(o.name), lower(?4)) > 0) ";
	struct kk_stmt *st;
	int rc;
	char sql[sizeof(where) + 900];
	if (total) {
		snprintf(sql, sizeof(sql), "SELECT count(*) %s", where);
		if ((rc = kk_db_prepare(db, sql, &st)))
			return rc;
		kk_stmt_bind_int64(st, 1, c->id);
		kk_stmt_bind_int64(st, 2, only);
		kk_stmt_bind_text(st, 3, state, -1);
		kk_stmt_bind_text(st, 4, q, -1);
		*total = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
	}
	snprintf(sql, sizeof(sql),
		 "SELECT p.id, p.org_id, o.name, p.state, coalesce(p.verification, ''), coalesce(p.fix_text, ''), "
		 "p.added_at, coalesce(p.notified_at, 0), coalesce(p.acknowledged_at, 0), "
		 "coalesce(p.details_requested_at, 0), coalesce(p.details_sent_at, 0), coalesce(p.verified_at, 0), "
		 "coalesce(p.fix_reported_at, 0), coalesce(p.ready_at, 0), coalesce(p.unreachable_at, 0), "
		 "coalesce(p.terms_accepted_at, 0), coalesce(p.last_vendor_at, 0), p.attempts, "
		 "(SELECT count(*) FROM coord_statement s WHERE s.participant_id = p.id), p.identity_shared "
		 "%s ORDER BY o.name, p.id LIMIT ?5 OFFSET ?6",
		 where);
	if ((rc = kk_db_prepare(db, sql, &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_int64(st, 2, only);
	kk_stmt_bind_text(st, 3, state, -1);
	kk_stmt_bind_text(st, 4, q, -1);
	kk_stmt_bind_int64(st, 5, clamp_limit(f ? f->limit : 0));
	kk_stmt_bind_int64(st, 6, f && f->offset > 0 ? f->offset : 0);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_participant p = {
			.id = kk_stmt_int64(st, 0),
			.org_id = kk_stmt_int64(st, 1),
			.org_name = kk_stmt_text(st, 2),
			.state = kk_stmt_text(st, 3),
			.verification = kk_stmt_text(st, 4),
			.fix_text = kk_stmt_text(st, 5),
			.added_at = kk_stmt_int64(st, 6),
			.notified_at = kk_stmt_int64(st, 7),
			.acknowledged_at = kk_stmt_int64(st, 8),
			.details_requested_at = kk_stmt_int64(st, 9),
			.details_sent_at = kk_stmt_int64(st, 10),
			.verified_at = kk_stmt_int64(st, 11),
			.fix_reported_at = kk_stmt_int64(st, 12),
			.ready_at = kk_stmt_int64(st, 13),
			.unreachable_at = kk_stmt_int64(st, 14),
			.terms_accepted_at = kk_stmt_int64(st, 15),
			.last_vendor_at = kk_stmt_int64(st, 16),
			.attempts = (int)kk_stmt_int64(st, 17),
			.nstatements = (int)kk_stmt_int64(st, 18),
			.shared = kk_stmt_int64(st, 19) != 0,
		};
		n++;
		if ((rc = fn(arg, &p)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* ---- statements, vulnerabilities, dates, reports ----------------------------------------- */

/* The participation the actor may read: staff any (0 = all), a vendor only its own. KK_ENOTFOUND otherwise. */
static int readable_part(const struct kk_actor *a, const struct kk_case_info *c, int64_t want, int64_t *out)
{
	if (case_is_staff(a)) {
		*out = want;
		return 0;
	}
	if (!c->participant_id || case_gate(a, KK_ACT_CASE_READ, c->org_id, NULL) || (want && want != c->participant_id))
		return KK_ENOTFOUND;
	*out = c->participant_id;
	return 0;
}

int kk_case_statements(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		       int64_t participant_id, int (*fn)(void *arg, const struct kk_statement *s), void *arg)
{
	int64_t pid;
	int rc = readable_part(a, c, participant_id, &pid);
	if (rc)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT s.participant_id, o.name, v.seq, v.title, s.status, coalesce(s.text_ja, ''), "
				"coalesce(s.text_en, ''), s.updated_at FROM coord_statement s "
				"JOIN coord_participant p ON p.id = s.participant_id JOIN organizations o ON o.id = p.org_id "
				"JOIN coord_vuln v ON v.id = s.vuln_id WHERE p.case_id = ? AND (? = 0 OR p.id = ? OR "
				"(? AND p.identity_shared = 1)) ORDER BY o.name, v.seq",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_int64(st, 2, pid);
	kk_stmt_bind_int64(st, 3, pid);
	/* a vendor reading its own statements also reads those the coordinator shared */
	kk_stmt_bind_int64(st, 4, !case_is_staff(a) && pid == c->participant_id);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_statement s = {kk_stmt_int64(st, 0), kk_stmt_text(st, 1), (int)kk_stmt_int64(st, 2),
					 kk_stmt_text(st, 3),  kk_stmt_text(st, 4), kk_stmt_text(st, 5),
					 kk_stmt_text(st, 6),  kk_stmt_int64(st, 7)};
		n++;
		if ((rc = fn(arg, &s)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_case_shared_vendors(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
			   int (*fn)(void *arg, const struct kk_participant *p), void *arg)
{
	int64_t own;
	int rc = readable_part(a, c, 0, &own);
	if (rc)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT p.id, p.org_id, o.name, p.state, coalesce(p.verification, '') FROM coord_participant p "
				"JOIN organizations o ON o.id = p.org_id WHERE p.case_id = ? AND p.identity_shared = 1 AND "
				"p.id <> ? ORDER BY o.name LIMIT 500",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_int64(st, 2, own);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_participant p = {.id = kk_stmt_int64(st, 0),
					   .org_id = kk_stmt_int64(st, 1),
					   .org_name = kk_stmt_text(st, 2),
					   .state = kk_stmt_text(st, 3),
					   .verification = kk_stmt_text(st, 4),
					   .fix_text = ""};
		n++;
		if ((rc = fn(arg, &p)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_case_vulns(struct kk_db *db, const struct kk_case_info *c, int (*fn)(void *arg, const struct kk_case_vuln *v),
		  void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, seq, coalesce(cwe, 0), title, coalesce(cve, '') FROM coord_vuln WHERE case_id = ? "
			       "ORDER BY seq",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_case_vuln v = {kk_stmt_int64(st, 0), (int)kk_stmt_int64(st, 1), (int)kk_stmt_int64(st, 2),
					 kk_stmt_text(st, 3), kk_stmt_text(st, 4)};
		n++;
		if ((rc = fn(arg, &v)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_case_dates(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		  int (*fn)(void *arg, const struct kk_date_change *ch), void *arg)
{
	int64_t pid;
	int rc = readable_part(a, c, 0, &pid);
	if (rc)
		return rc;
	struct kk_stmt *st;
	/* a vendor: the moves (applied or accepted) and its own requests; who asked is staff-only */
	if ((rc = kk_db_prepare(db,
				"SELECT d.id, d.old_at, d.new_at, d.at, coalesce(d.decided_at, 0), d.reason, d.state, "
				"coalesce(d.decision_note, ''), coalesce(o.name, ''), coalesce(d.participant_id, 0), "
				"coalesce(d.exception, '') "
				"FROM coord_date_change d LEFT JOIN coord_participant p ON p.id = d.participant_id "
				"LEFT JOIN organizations o ON o.id = p.org_id WHERE d.case_id = ? AND (? = 0 OR "
				"d.participant_id = ? OR d.state IN ('applied', 'accepted')) ORDER BY d.id",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_int64(st, 2, pid);
	kk_stmt_bind_int64(st, 3, pid);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		bool own = !pid || kk_stmt_int64(st, 9) == pid;
		struct kk_date_change ch = {kk_stmt_int64(st, 0), kk_stmt_int64(st, 1), kk_stmt_int64(st, 2),
					    kk_stmt_int64(st, 3), kk_stmt_int64(st, 4),	 own ? kk_stmt_text(st, 5) : "",
					    kk_stmt_text(st, 6),  own ? kk_stmt_text(st, 7) : "",
					    own ? kk_stmt_text(st, 8) : "", kk_stmt_text(st, 10)};
		n++;
		if ((rc = fn(arg, &ch)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_case_reports(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		    int (*fn)(void *arg, const char *tracking), void *arg)
{
	if (!case_is_staff(a))
		return KK_ENOTFOUND;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT tracking FROM coord_case_report WHERE case_id = ? ORDER BY report_id", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		n++;
		if ((rc = fn(arg, kk_stmt_text(st, 0))) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* ---- vendor suggestions ----------------------------------------------------------------- */

struct sugg {
	struct kk_db *db;
	int64_t case_id;
	int (*fn)(void *arg, const struct kk_case_suggestion *s);
	void *arg;
	int n;
};

static bool in_case(struct kk_db *db, int64_t case_id, int64_t org_id)
{
	struct part_core p;
	return org_id && !part_load(db, case_id, org_id, &p, NULL);
}

static int sugg_hit(void *arg, const struct kk_search_hit *h)
{
	struct sugg *s = arg;
	struct kk_case_suggestion x = {"vulndb", 0, h->jvndb, h->title, 30, false, false, 0};
	s->n++;
	return s->fn(s->arg, &x);
}

int kk_case_suggest(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		    int (*fn)(void *arg, const struct kk_case_suggestion *s), void *arg, struct kk_diag *d)
{
	int rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d);
	if (rc)
		return rc;
	/* what the reports say of the product and its vendor */
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT coalesce(r.product_name, ''), coalesce(r.product_vendor, '') FROM coord_case_report x "
				"JOIN report r ON r.id = x.report_id WHERE x.case_id = ? ORDER BY x.report_id LIMIT 20",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	char prod[20][KK_NAME_MAX + 1], vend[20][KK_NAME_MAX + 1];
	int nr = 0;
	while (kk_stmt_step(st) == KK_ROW && nr < 20) {
		kk_strlcpy(prod[nr], kk_stmt_text(st, 0), sizeof(prod[nr]));
		kk_strlcpy(vend[nr], kk_stmt_text(st, 1), sizeof(vend[nr]));
		nr++;
	}
	kk_stmt_done(st);
	struct sugg s = {db, c->id, fn, arg, 0};
	/* what the case's vendors named (V.4 (3)): who named it is for the coordinators */
	if ((rc = kk_db_prepare(db,
				"SELECT n.id, n.name, n.product, n.contact, n.reason, o.name FROM coord_named_vendor n "
				"JOIN coord_participant p ON p.id = n.participant_id JOIN organizations o ON o.id = p.org_id "
				"WHERE n.case_id = ? AND n.dismissed_at IS NULL ORDER BY n.id LIMIT 100",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	struct named {
		int64_t id;
		char name[KK_NAME_MAX + 1], why[KK_CASE_REASON_MAX + 3 * KK_NAME_MAX + 80];
	} *nv = kk_calloc(100, sizeof(*nv));
	if (!nv) {
		kk_stmt_done(st);
		return KK_ENOMEM;
	}
	int nn = 0;
	while (nn < 100 && kk_stmt_step(st) == KK_ROW) {
		nv[nn].id = kk_stmt_int64(st, 0);
		kk_strlcpy(nv[nn].name, kk_stmt_text(st, 1), sizeof(nv[nn].name));
		const char *np = kk_stmt_text(st, 2), *contact = kk_stmt_text(st, 3), *why = kk_stmt_text(st, 4);
		snprintf(nv[nn].why, sizeof(nv[nn].why), "named by vendor %s%s%s%s%s%s%s", kk_stmt_text(st, 5),
			 *np ? "; product: " : "", np, *contact ? "; contact: " : "", contact, *why ? "; " : "", why);
		nn++;
	}
	kk_stmt_done(st);
	for (int i = 0; i < nn && !rc; i++) {
		struct kk_org o;
		int64_t oid = !kk_org_find(db, nv[i].name, &o) && o.kind == KK_ORG_VENDOR ? o.id : 0;
		struct kk_case_suggestion y = {"vendor", oid,	 nv[i].name, nv[i].why, 80, in_case(db, c->id, oid),
					       false,	 nv[i].id};
		s.n++;
		rc = fn(arg, &y);
	}
	kk_free(nv);
	if (rc)
		return rc;
	for (int i = 0; i < nr; i++) {
		struct kk_vendor_match m[20];
		struct kk_vendor_match_in in = {prod[i][0] ? prod[i] : NULL, vend[i][0] ? vend[i] : NULL, NULL, NULL};
		int k = kk_vendor_match(db, &in, m, 20, d);
		if (k < 0)
			return k;
		for (int x = 0; x < k; x++) {
			char why[KK_NAME_MAX + 40];
			snprintf(why, sizeof(why), "%s%s%s", kk_vendor_match_how_name(m[x].how), m[x].product_name[0] ? ": " : "",
				 m[x].product_name);
			struct kk_case_suggestion y = {"directory",	  m[x].org_id,
						       m[x].vendor_name, why,
						       m[x].score,	  in_case(db, c->id, m[x].org_id),
						       m[x].unreachable, 0};
			s.n++;
			if ((rc = fn(arg, &y)) != 0)
				return rc;
		}
		/* organizations of kind vendor named as the report names it, even outside the directory */
		struct kk_org o;
		if (vend[i][0] && !kk_org_find(db, vend[i], &o) && o.kind == KK_ORG_VENDOR) {
			struct kk_case_suggestion y = {"organization", o.id, o.name, "vendor named in the report", 90,
						       in_case(db, c->id, o.id), false, 0};
			s.n++;
			if ((rc = fn(arg, &y)) != 0)
				return rc;
		}
		/* published records about the same product: their vendors were affected before */
		if (prod[i][0]) {
			struct kk_search_query q = {.product = NULL, .limit = 10, .sort = KK_SORT_RELEVANCE};
			char qs[KK_NAME_MAX + 3];
			int w = snprintf(qs, sizeof(qs), "\"%s\"", prod[i]);
			if (w < 0 || (size_t)w >= sizeof(qs))
				continue; /* longer than any product name keikai stores */
			for (char *p = qs + 1; *p && p[1]; p++)
				if (*p == '"')
					*p = ' ';
			q.q = qs;
			struct kk_search_result res;
			struct kk_diag dd;
			kk_diag_clear(&dd);
			rc = kk_search_run(db, &q, sugg_hit, &s, &res, &dd);
			if (rc < 0 && rc != KK_EINVAL)
				return kk_diag_set(d, rc, "vulndb", "%s", dd.msg);
		}
	}
	return s.n;
}

/* ---- stalled cases (長期滞留) ---------------------------------------------------------------- */

int kk_case_stalled(struct kk_db *db, const struct kk_actor *a, int idle_days, int64_t now,
		    int (*fn)(void *arg, const struct kk_stalled *s), void *arg)
{
	int rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, NULL);
	if (rc)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT id, ref, title, state, started_at, last_activity_at, publish_at FROM coord_case "
				"WHERE state IN ('open', 'ready') AND last_activity_at <= ? ORDER BY last_activity_at, id "
				"LIMIT 500",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, now - (int64_t)(idle_days > 0 ? idle_days : 0) * 86400);
	struct row {
		int64_t id, started, last, publish;
		char ref[KK_CASE_REF_MAX], state[16];
		char *title;
	} *rows = kk_calloc(500, sizeof(*rows));
	if (!rows) {
		kk_stmt_done(st);
		return KK_ENOMEM;
	}
	int n = 0;
	while (n < 500 && kk_stmt_step(st) == KK_ROW) {
		rows[n].id = kk_stmt_int64(st, 0);
		kk_strlcpy(rows[n].ref, kk_stmt_text(st, 1), sizeof(rows[n].ref));
		rows[n].title = kk_strdup(kk_stmt_text(st, 2));
		kk_strlcpy(rows[n].state, kk_stmt_text(st, 3), sizeof(rows[n].state));
		rows[n].started = kk_stmt_int64(st, 4);
		rows[n].last = kk_stmt_int64(st, 5);
		rows[n].publish = kk_stmt_int64(st, 6);
		n++;
	}
	kk_stmt_done(st);
	int given = 0;
	rc = 0;
	for (int i = 0; i < n && !rc; i++) {
		/* who is being waited for: vendors not ready (with their state), else the coordinator */
		struct kk_buf w = KK_BUF_INIT(2000);
		if ((rc = kk_db_prepare(db,
					"SELECT o.name, p.state, p.unreachable_at IS NOT NULL FROM coord_participant p JOIN "
					"organizations o ON o.id = p.org_id WHERE p.case_id = ? AND p.state <> 'ready' "
					"ORDER BY p.unreachable_at IS NOT NULL, o.name LIMIT 21",
					&st)))
			break;
		kk_stmt_bind_int64(st, 1, rows[i].id);
		int k = 0;
		while (kk_stmt_step(st) == KK_ROW) {
			if (k++ == 20) {
				kk_buf_puts(&w, ", ...");
				break;
			}
			kk_buf_printf(&w, "%s%s (%s)", k > 1 ? ", " : "", kk_stmt_text(st, 0),
				      kk_stmt_int64(st, 2) ? "unreachable" : kk_stmt_text(st, 1));
		}
		kk_stmt_done(st);
		if (!k)
			kk_buf_puts(&w, "coordinator");
		struct kk_stalled s = {rows[i].id,
				       rows[i].ref,
				       rows[i].title ? rows[i].title : "",
				       rows[i].state,
				       rows[i].started,
				       rows[i].last,
				       rows[i].publish,
				       (now - rows[i].started) / 86400,
				       (now - rows[i].last) / 86400,
				       w.ptr};
		given++;
		rc = fn(arg, &s);
		kk_buf_release(&w);
	}
	for (int i = 0; i < n; i++)
		kk_free(rows[i].title);
	kk_free(rows);
	return rc < 0 ? rc : given;
}

/* ---- attachments of the details ---------------------------------------------------------- */

/* A neutral name for a vendor: the finder's file names may name the finder. */
static void neutral_name(const struct kk_attachment *x, char *out, size_t n)
{
	static const struct {
		const char *mime, *ext;
	} ext[] = {{"text/plain", "txt"},	 {"application/json", "json"}, {"application/xml", "xml"},
		   {"image/png", "png"},	 {"image/jpeg", "jpg"},	       {"image/gif", "gif"},
		   {"image/webp", "webp"},	 {"application/pdf", "pdf"},   {"application/zip", "zip"},
		   {"application/vnd.tcpdump.pcap", "pcap"}};
	const char *e = "bin";
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcmp(x->mime, ext[i].mime))
			e = ext[i].ext;
	snprintf(out, n, "attachment-%.12s.%s", x->sha256, e);
}

struct files {
	int (*fn)(void *arg, const struct kk_case_file *f);
	void *arg;
	const char *want; /* one sha256, or NULL for all */
	struct kk_case_file *found;
	int n;
};

static int file_cb(void *arg, const struct kk_attachment *x)
{
	struct files *s = arg;
	struct kk_case_file f;
	memset(&f, 0, sizeof(f));
	kk_strlcpy(f.sha256, x->sha256, sizeof(f.sha256));
	kk_strlcpy(f.mime, x->mime, sizeof(f.mime));
	f.size = x->size;
	neutral_name(x, f.name, sizeof(f.name));
	if (s->want) {
		if (strcmp(s->want, x->sha256))
			return 0;
		*s->found = f;
		s->n++;
		return 1;
	}
	s->n++;
	return s->fn(s->arg, &f);
}

static int walk_files(struct kk_db *db, const struct kk_case_info *c, struct files *s)
{
	if (!c->details)
		return KK_ENOTFOUND; /* the attachments are part of the details */
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT report_id FROM coord_case_report WHERE case_id = ? ORDER BY report_id", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	int64_t ids[64];
	int n = 0;
	while (n < 64 && kk_stmt_step(st) == KK_ROW)
		ids[n++] = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	for (int i = 0; i < n; i++)
		if ((rc = kk_intake_attachments(db, ids[i], false, file_cb, s)) != 0 && rc < 0)
			return rc;
	return s->n;
}

int kk_case_files(struct kk_db *db, const struct kk_case_info *c, int (*fn)(void *arg, const struct kk_case_file *f),
		  void *arg)
{
	struct files s = {fn, arg, NULL, NULL, 0};
	return walk_files(db, c, &s);
}

int kk_case_file_find(struct kk_db *db, const struct kk_case_info *c, const char *sha256, struct kk_case_file *out)
{
	struct files s = {NULL, NULL, sha256, out, 0};
	int rc = walk_files(db, c, &s);
	return rc < 0 ? rc : s.n ? 0 : KK_ENOTFOUND;
}
