/*
 * message.c — a case's message threads: coordinators only, coordinator <->
 * one vendor, all vendors. Each message is stored and mailed to every
 * recipient (PGP-encrypted where the directory keeps a key). The finder
 * talks with the coordinator through intake (the report's thread and the
 * sealed mail); copies stay in the coordinators-only thread.
 */
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
#include "intake/intake.h"
#include "mail/mail.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

static bool thread_valid(const char *t)
{
	return t && (!strcmp(t, "coordinators") || !strcmp(t, "vendor") || !strcmp(t, "all"));
}

struct all_each {
	const struct case_core *c;
	const char *subject, *body;
	struct kk_diag *d;
};

static int all_one(struct kk_db *db, struct part_core *p, void *arg)
{
	struct all_each *ae = arg;
	int rc = case_mail_vendor(db, ae->c, p, "message", ae->subject, ae->body, NULL, ae->d);
	return rc < 0 ? rc : 0;
}

int kk_case_post(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *thread, int64_t org_id,
		 const char *body, int64_t *id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if (id)
		*id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_load(db, ref, &c, d)))
		return rc;
	bool coordinator = kk_policy_allow(a, KK_ACT_CASE_COORDINATE, NULL);
	if (!case_is_staff(a) && !case_actor_part(db, a, c.id))
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
	if (!thread_valid(thread))
		return kk_diag_set(d, KK_EINVAL, "thread", "thread must be coordinators, vendor or all");
	if ((rc = case_text(body, KK_MESSAGE_MAX, true, "body", d)))
		return rc;
	if (!strcmp(c.state, "merged"))
		return case_must_be_open(&c, d);
	if (!strcmp(c.state, "stopped")) { /* its handling ended: nothing more goes to or comes from vendors */
		if (!coordinator)
			return kk_diag_set(d, KK_ENOTFOUND, "case", "no case %s", ref);
		if (strcmp(thread, "coordinators"))
			return kk_diag_set(d, KK_ECONFLICT, "state",
					   "the handling of case %s was stopped; nothing more is sent to its vendors", c.ref);
	}
	struct part_core p = {.id = 0};
	bool from_vendor = false;
	if (!strcmp(thread, "vendor")) {
		/* a coordinator writes to the vendor org_id; a vendor only in its own thread */
		if (!coordinator) {
			if ((rc = case_gate(a, KK_ACT_CASE_RESPOND, org_id, d)))
				return rc;
			from_vendor = true;
		}
		if ((rc = part_load(db, c.id, org_id, &p, d)))
			return rc;
		if (p.state == KK_PS_ADDED)
			return kk_diag_set(d, KK_ECONFLICT, "vendor", "vendor %s has not been notified yet; notify it first",
					   p.org_name);
	} else if ((rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)))
		return rc; /* coordinators-only and all-vendors threads are written by coordinators */
	const char *author = from_vendor ? p.org_name : "coordinator";
	int64_t now = kk_clock_now();
	static const char ins[] = "INSERT INTO coord_message (case_id, thread, participant_id, author_user_id, "
				  "author_label, from_vendor, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	if (p.id)
		rc = kk_db_exec(db, ins, "isiisisi", c.id, thread, p.id, a->user_id, author, (int64_t)from_vendor, body, now);
	else
		rc = kk_db_exec(db, ins, "isnisisi", c.id, thread, a->user_id, author, (int64_t)from_vendor, body, now);
	if (rc < 0)
		return kk_diag_set(d, rc, "message", "cannot store the message: %s", kk_db_errmsg(db));
	int64_t mid = kk_db_last_insert_id(db);
	if (id)
		*id = mid;
	char subject[512];
	snprintf(subject, sizeof(subject), "[%s] %s", c.ref,
		 !strcmp(thread, "coordinators") ? "調整者メモ / Coordinators' note"
		 : !strcmp(thread, "all")	 ? "全開発者へのお知らせ / Message to all vendors"
		 : from_vendor			 ? "製品開発者からのメッセージ / Message from the vendor"
						 : "調整機関からのメッセージ / Message from the coordinator");
	if (!strcmp(thread, "vendor")) {
		if (from_vendor) {
			rc = case_mail_role(db, KK_ROLE_COORDINATOR, &c, subject, body, d);
			if (rc >= 0)
				rc = part_heard(db, a, &c, &p, d);
		} else
			rc = case_mail_vendor(db, &c, &p, "message", subject, body, NULL, d);
	} else if (!strcmp(thread, "coordinators")) {
		rc = case_mail_role(db, KK_ROLE_COORDINATOR, &c, subject, body, d);
	} else {
		/* every notified vendor, each separately: recipients never see each other */
		struct all_each ae = {&c, subject, body, d};
		rc = case_each_participant(db, c.id, true, all_one, &ae);
	}
	if (rc < 0)
		return rc;
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.message", c.ref, NULL, "message %lld in the %s thread%s%s", (long long)mid, thread,
			  p.id ? " of " : "", p.id ? p.org_name : "");
}

int kk_case_messages(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c, const char *thread,
		     int64_t org_id, int (*fn)(void *arg, const struct kk_case_message *m), void *arg)
{
	bool finder = thread && !strcmp(thread, "finder");
	if (thread && *thread && !finder && !thread_valid(thread))
		return KK_EINVAL;
	bool staff = case_is_staff(a);
	int64_t only = 0; /* the vendor thread a vendor may read: its own */
	if (!staff) {
		if (!c->participant_id || case_gate(a, KK_ACT_CASE_READ, c->org_id, NULL))
			return KK_ENOTFOUND;
		if (thread && (!strcmp(thread, "coordinators") || finder))
			return KK_ENOTFOUND;
		only = c->participant_id;
	}
	struct kk_stmt *st;
	/* ?3: a vendor never reads the coordinators-only thread, where the finder's messages are */
	int rc = kk_db_prepare(db,
			       "SELECT m.id, m.at, coalesce(m.participant_id, 0), m.thread, m.author_label, m.body, "
			       "coalesce(o.name, ''), m.from_vendor, coalesce(r.tracking, ''), m.from_finder "
			       "FROM coord_message m LEFT JOIN coord_participant p ON p.id = m.participant_id "
			       "LEFT JOIN organizations o ON o.id = p.org_id LEFT JOIN report r ON r.id = m.report_id "
			       "WHERE m.case_id = ?1 AND (?2 IS NULL OR m.thread = ?2) AND (?5 = 0 OR m.report_id IS NOT NULL) "
			       "AND (?3 = 0 OR (m.report_id IS NULL AND (m.thread = 'all' OR "
			       "(m.thread = 'vendor' AND m.participant_id = ?3)))) "
			       "AND (?4 = 0 OR p.org_id = ?4 OR m.thread <> 'vendor') ORDER BY m.at, m.id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_text(st, 2, finder ? "coordinators" : thread && *thread ? thread : NULL, -1);
	kk_stmt_bind_int64(st, 3, only);
	kk_stmt_bind_int64(st, 4, staff ? org_id : 0);
	kk_stmt_bind_int64(st, 5, finder);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_case_message m = {.id = kk_stmt_int64(st, 0),
					    .at = kk_stmt_int64(st, 1),
					    .participant_id = kk_stmt_int64(st, 2),
					    .thread = kk_stmt_text(st, 3),
					    .author = kk_stmt_text(st, 4),
					    .body = kk_stmt_text(st, 5),
					    .vendor = staff ? kk_stmt_text(st, 6) : "",
					    .from_vendor = kk_stmt_int64(st, 7) != 0,
					    .finder = staff ? kk_stmt_text(st, 8) : "",
					    .from_finder = staff && kk_stmt_int64(st, 9) != 0};
		n++;
		if ((rc = fn(arg, &m)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* ---- the finder ------------------------------------------------------------------ */

/* A copy of a message to or from the finder of report_id in the coordinators-only thread. */
static int finder_copy(struct kk_db *db, int64_t case_id, int64_t report_id, const struct kk_actor *a,
		       const char *label, const char *body, int64_t *id, struct kk_diag *d)
{
	static const char ins[] = "INSERT INTO coord_message (case_id, thread, author_user_id, author_label, from_vendor, "
				  "body, at, report_id, from_finder) VALUES (?, 'coordinators', ?, ?, 0, ?, ?, ?, ?)";
	int rc = a ? kk_db_exec(db, ins, "iissiii", case_id, a->user_id, label, body, kk_clock_now(), report_id,
				(int64_t)0)
		   : kk_db_exec(db, ins, "inssiii", case_id, label, body, kk_clock_now(), report_id, (int64_t)1);
	if (rc < 0)
		return kk_diag_set(d, rc, "message", "cannot store the message: %s", kk_db_errmsg(db));
	if (id)
		*id = kk_db_last_insert_id(db);
	return 0;
}

#define FINDER_BODY_MAX 16000 /* kk_intake_message takes 16384 bytes, with the heading below */

int case_finders(struct kk_db *db, int64_t case_id, const char *tracking, struct case_finder out[KK_CASE_FINDERS_MAX])
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT x.report_id, x.tracking, r.lang FROM coord_case_report x JOIN report r ON r.id = x.report_id "
			       "WHERE x.case_id = ? AND (?2 = '' OR x.tracking = ?2) ORDER BY x.report_id LIMIT 64", /* KK_CASE_FINDERS_MAX */
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, case_id);
	kk_stmt_bind_text(st, 2, tracking ? tracking : "", -1);
	int n = 0;
	for (; n < KK_CASE_FINDERS_MAX && (rc = kk_stmt_step(st)) == KK_ROW; n++) {
		out[n].report_id = kk_stmt_int64(st, 0);
		kk_strlcpy(out[n].tracking, kk_stmt_text(st, 1), sizeof(out[n].tracking));
		out[n].ja = strcmp(kk_stmt_text(st, 2), "en") != 0;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int case_finder_relay(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const struct case_core *c,
		      const struct case_finder *f, const char *text, const char *copy, int64_t *id, struct kk_diag *d)
{
	if (!key)
		return kk_diag_set(d, KK_EINVAL, "key", "writing to the finder needs the secret key file (KEIKAI_KEY_FILE)");
	/* intake writes to finders for the receiving organization; the coordinator asks it to, by this relay */
	struct kk_actor relay;
	kk_actor_system(&relay, "coord");
	snprintf(relay.label, sizeof(relay.label), "case:%s (%.180s)", c->ref, a->label);
	char label[80];
	snprintf(label, sizeof(label), "coordinator to the finder of %s", f->tracking);
	int rc = kk_intake_message(db, &relay, key, f->tracking, text, d);
	return rc ? rc : finder_copy(db, c->id, f->report_id, a, label, copy, id, d);
}

int kk_case_post_finder(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			const char *tracking, const char *body, int64_t *id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if (id)
		*id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_text(body, FINDER_BODY_MAX, true, "body", d)) ||
	    (rc = case_text(tracking, KK_TRACKING_MAX - 1, false, "report", d)))
		return rc;
	if (!strcmp(c.state, "merged"))
		return case_must_be_open(&c, d);
	struct case_finder f[KK_CASE_FINDERS_MAX];
	int n = case_finders(db, c.id, tracking, f);
	if (n < 0)
		return n;
	if (!n)
		return kk_diag_set(d, KK_ENOTFOUND, "report", "case %s has no report %s", c.ref,
				   tracking && *tracking ? tracking : "at all");
	struct kk_buf text = KK_BUF_INIT(FINDER_BODY_MAX + 400);
	kk_buf_printf(&text, "調整機関からのメッセージ (案件 %s)\nA message from the coordinator (case %s):\n\n%s", c.ref, c.ref,
		      body);
	rc = kk_buf_error(&text);
	for (int i = 0; i < n && !rc; i++)
		rc = case_finder_relay(db, a, key, &c, &f[i], text.ptr, body, id, d);
	kk_buf_release(&text);
	if (rc || (rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.finder.message", c.ref, NULL, "message to the finder of %s%s",
			  n == 1 ? f[0].tracking : "every report", n == 1 ? "" : " of the case");
}

int kk_coord_finder_wrote(struct kk_db *db, int64_t report_id, const char *tracking, const char *body,
			  struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT case_id FROM coord_case_report WHERE report_id = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, report_id);
	int64_t case_id = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	struct case_core c;
	if (!case_id || case_load_id(db, case_id, &c) || !strcmp(c.state, "merged"))
		return 0; /* not (or no longer) coordinated: the receiving organization's thread alone */
	char label[80];
	snprintf(label, sizeof(label), "finder of %s", tracking);
	if ((rc = finder_copy(db, c.id, report_id, NULL, label, body, NULL, d)))
		return rc;
	char subject[160];
	snprintf(subject, sizeof(subject), "[%s] 発見者からのメッセージ / Message from the finder of %s", c.ref, tracking);
	if ((rc = case_mail_role(db, KK_ROLE_COORDINATOR, &c, subject, body, d)) < 0 || (rc = case_touch(db, c.id)))
		return rc;
	struct kk_actor finder = kk_actor_public;
	snprintf(finder.label, sizeof(finder.label), "finder of %s", tracking);
	return case_audit(db, &finder, "case.finder.reply", c.ref, NULL, "the finder of %s wrote", tracking);
}
