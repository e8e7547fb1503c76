/*
 * message.c — a case's message threads: coordinators only, coordinator <->
 * one vendor, all vendors. Each message is stored and mailed to every
 * recipient (PGP-encrypted where the directory keeps a key).
 */
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
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
	if (thread && *thread && !thread_valid(thread))
		return KK_EINVAL;
	bool staff = case_is_staff(a);
	int64_t only = 0; /* the vendor thread a vendor may read: its own */
	if (!staff) {
		if (!c->participant_id || case_gate(a, KK_ACT_CASE_READ, c->org_id, NULL))
			return KK_ENOTFOUND;
		if (thread && !strcmp(thread, "coordinators"))
			return KK_ENOTFOUND;
		only = c->participant_id;
	}
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT m.id, m.at, coalesce(m.participant_id, 0), m.thread, m.author_label, m.body, "
			       "coalesce(o.name, ''), m.from_vendor FROM coord_message m "
			       "LEFT JOIN coord_participant p ON p.id = m.participant_id "
			       "LEFT JOIN organizations o ON o.id = p.org_id WHERE m.case_id = ?1 "
			       "AND (?2 IS NULL OR m.thread = ?2) "
			       "AND (?3 = 0 OR m.thread = 'all' OR (m.thread = 'vendor' AND m.participant_id = ?3)) "
			       "AND (?4 = 0 OR p.org_id = ?4 OR m.thread <> 'vendor') ORDER BY m.at, m.id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	kk_stmt_bind_text(st, 2, thread && *thread ? thread : NULL, -1);
	kk_stmt_bind_int64(st, 3, only);
	kk_stmt_bind_int64(st, 4, staff ? org_id : 0);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_case_message m = {.id = kk_stmt_int64(st, 0),
					    .at = kk_stmt_int64(st, 1),
					    .participant_id = kk_stmt_int64(st, 2),
					    .thread = kk_stmt_text(st, 3),
					    .author = kk_stmt_text(st, 4),
					    .body = kk_stmt_text(st, 5),
					    .vendor = staff ? kk_stmt_text(st, 6) : "",
					    .from_vendor = kk_stmt_int64(st, 7) != 0};
		n++;
		if ((rc = fn(arg, &m)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}
