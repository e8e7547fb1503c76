/*
 * case_jobs.c — the case's deadlines (sched.h handlers): reminders to a
 * silent vendor over every contact channel, escalation to unreachable
 * (連絡不能) after the configured attempts, and the reminder before the
 * publication date to vendors whose statements are missing.
 */
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
#include "coord/directory.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

static void job_actor(struct kk_actor *a)
{
	kk_actor_system(a, "scheduler");
}

/* Marks p unreachable, lists the vendor publicly (directory) and tells the coordinators. */
static int escalate(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, const struct part_core *p,
		    int64_t now, struct kk_diag *d)
{
	int rc = kk_db_exec(db, "UPDATE coord_participant SET unreachable_at = ? WHERE id = ?", "ii", now, p->id);
	if (rc < 0)
		return rc;
	if ((rc = kk_vendor_set_unreachable(db, a, p->org_id, c->product[0] ? c->product : NULL,
					    c->version[0] ? c->version : NULL, c->id, NULL, d)))
		return rc;
	char subject[512], body[1400];
	snprintf(subject, sizeof(subject), "[%s] %s: unreachable (連絡不能)", c->ref, p->org_name);
	snprintf(body, sizeof(body),
		 "Case %s: vendor %s did not answer %d reminders over every contact channel and is now unreachable "
		 "(連絡不能); it is on the public list until it answers.",
		 c->ref, p->org_name, p->attempts);
	if ((rc = case_mail_role(db, KK_ROLE_COORDINATOR, c, subject, body, d)) < 0)
		return rc;
	if ((rc = case_audit(db, a, "case.vendor.unreachable", c->ref, NULL,
			     "vendor %s unreachable after %d reminders over every channel", p->org_name, p->attempts)))
		return rc;
	/* the case may now wait for nobody */
	return case_recompute(db, a, c, d);
}

/*
 * One reminder to a silent vendor, or the escalation once max_attempts
 * reminders went unanswered. `waiting` lists the states the job is about.
 */
static int remind(struct kk_db *db, const struct kk_sched_job *job, int64_t now, const char *kind,
		  const enum kk_pstate *waiting, int nwaiting, struct kk_diag *d)
{
	struct part_core p;
	struct case_core c;
	int rc = part_load_id(db, job->subject, &p);
	if (rc == KK_ENOTFOUND)
		return 0;
	if (rc || (rc = case_load_id(db, p.case_id, &c)))
		return rc;
	bool still = false;
	for (int i = 0; i < nwaiting; i++)
		still |= p.state == waiting[i];
	if (!still || p.unreachable_at || strcmp(c.state, "open"))
		return 0; /* answered, already escalated, or the case moved on: nothing to do */
	struct kk_actor a;
	job_actor(&a);
	const struct kk_coord_config *cf = kk_coord_config();
	if (p.attempts >= cf->max_attempts)
		return escalate(db, &a, &c, &p, now, d);
	p.attempts++;
	if ((rc = kk_db_exec(db, "UPDATE coord_participant SET attempts = ? WHERE id = ?", "ii", (int64_t)p.attempts,
			     p.id)) < 0)
		return rc;
	char subject[512], body[1400], when[40];
	kk_time_jst(c.publish_at, when, sizeof(when));
	bool ack = !strcmp(kind, "ack_reminder");
	snprintf(subject, sizeof(subject), "[%s] 督促 (%d/%d) / Reminder: %s", c.ref, p.attempts, cf->max_attempts,
		 ack ? "please acknowledge" : "please report your verification");
	snprintf(body, sizeof(body),
		 "%s 様\n\n案件 %s について、%sのご回答をお待ちしています (督促 %d/%d)。\n"
		 "Case %s: we are waiting for your %s (reminder %d of %d). Without an answer the vendor is listed "
		 "publicly as unreachable (連絡不能).\n公表予定日 / Publication: %s",
		 p.org_name, c.ref, ack ? "受領確認" : "検証結果", p.attempts, cf->max_attempts, c.ref,
		 ack ? "acknowledgement" : "verification result", p.attempts, cf->max_attempts, when);
	int n = case_mail_vendor(db, &c, &p, kind, subject, body, NULL, d);
	if (n < 0)
		return n;
	char job_kind[48];
	snprintf(job_kind, sizeof(job_kind), "coord.%s", kind);
	if ((rc = kk_sched_at(db, job_kind, p.id, now + (int64_t)cf->remind_every_days * 86400, NULL, d)))
		return rc;
	return case_audit(db, &a, "case.vendor.remind", c.ref, NULL, "%s reminder %d/%d to vendor %s over %d channel%s",
			  kind, p.attempts, cf->max_attempts, p.org_name, n, n == 1 ? "" : "s");
}

int kk_coord_job_ack_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	static const enum kk_pstate w[] = {KK_PS_NOTIFIED};
	return remind(db, job, now, "ack_reminder", w, 1, d);
}

int kk_coord_job_verify_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	struct part_core p;
	int rc = part_load_id(db, job->subject, &p);
	if (rc == KK_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (p.state == KK_PS_DETAILS_REQUESTED) {
		/* the vendor asked for the details: the coordinator is the one being waited for */
		struct case_core c;
		if ((rc = case_load_id(db, p.case_id, &c)))
			return rc;
		if (strcmp(c.state, "open"))
			return 0;
		char subject[512], body[1400];
		snprintf(subject, sizeof(subject), "[%s] %s waits for the details", c.ref, p.org_name);
		snprintf(body, sizeof(body), "Case %s: vendor %s asked for the details and has not been sent them.", c.ref,
			 p.org_name);
		if ((rc = case_mail_role(db, KK_ROLE_COORDINATOR, &c, subject, body, d)) < 0)
			return rc;
		return kk_sched_at(db, "coord.verify_reminder", p.id,
				   now + (int64_t)kk_coord_config()->remind_every_days * 86400, NULL, d);
	}
	static const enum kk_pstate w[] = {KK_PS_ACKNOWLEDGED, KK_PS_DETAILS_SENT};
	return remind(db, job, now, "verify_reminder", w, 2, d);
}

struct date_remind {
	const struct case_core *c;
	const char *subject, *body;
	struct kk_diag *d;
	int n;
};

/* A vendor still answering (not ready, reachable) with a statement missing is reminded of the date. */
static int date_remind_one(struct kk_db *db, struct part_core *p, void *arg)
{
	struct date_remind *dr = arg;
	if (p->state == KK_PS_READY || p->unreachable_at)
		return 0;
	int miss = case_missing_statements(db, dr->c->id, p->id);
	if (miss <= 0)
		return miss;
	int rc = case_mail_vendor(db, dr->c, p, "date_reminder", dr->subject, dr->body, NULL, dr->d);
	if (rc < 0)
		return rc;
	dr->n++;
	return 0;
}

int kk_coord_job_date_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	struct case_core c;
	int rc = case_load_id(db, job->subject, &c);
	if (rc == KK_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (strcmp(c.state, "open") || c.publish_at <= now)
		return 0;
	struct kk_actor a;
	job_actor(&a);
	char subject[512], body[1400], when[40];
	kk_time_jst(c.publish_at, when, sizeof(when));
	snprintf(subject, sizeof(subject), "[%s] 公表日が近づいています / Publication approaching: statements missing",
		 c.ref);
	snprintf(body, sizeof(body),
		 "案件 %s の公表予定日 (%s) が近づいています。すべての脆弱性について公表用のステートメントをご登録ください。\n"
		 "The publication date of case %s (%s) is approaching; please post your statement on every "
		 "vulnerability.",
		 c.ref, when, c.ref, when);
	struct date_remind dr = {&c, subject, body, d, 0};
	if ((rc = case_each_participant(db, c.id, true, date_remind_one, &dr)))
		return rc;
	int n = dr.n;
	int64_t next = now + (int64_t)kk_coord_config()->remind_every_days * 86400;
	if (n && next < c.publish_at && (rc = kk_sched_at(db, "coord.date_reminder", c.id, next, NULL, d)))
		return rc;
	return n ? case_audit(db, &a, "case.date.remind", c.ref, NULL,
			      "publication %s approaching: %d vendor%s reminded of missing statements", when, n,
			      n == 1 ? "" : "s")
		 : 0;
}
