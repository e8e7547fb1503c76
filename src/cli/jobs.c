/*
 * jobs.c — the scheduler's handler table and the tick shared by the
 * server's background thread and `keikai tick` (jobs.h).
 */
#include "cli/jobs.h"
#include "base/clock.h"
#include "base/log.h"
#include "cli/cli.h"
#include "coord/case.h"
#include "coord/directory.h"
#include "intake/intake.h"
#include "publish/advisory.h"
#include "store/db.h"
#include "website/website.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * The key of the tick running on this thread (set by cli_tick_run around
 * the jobs): a publication tells the finders by mail from their sealed
 * contact, which only the key opens. NULL when the tick has no key file.
 */
static _Thread_local const unsigned char *tick_key;

static int adv_publish_job(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	(void)now;
	return kk_adv_job_publish(db, tick_key, job, d);
}

/*
 * Every kind of job, one row each: {"module.what", handler}. A kind that is
 * scheduled but missing here stays pending (and is logged) until a keikai
 * that knows it runs.
 */
const struct kk_sched_handler cli_jobs[] = {
	{"", NULL}, /* placeholder so the table is never empty; never matched (kinds hold a '.') */
	{KK_ADV_JOB, adv_publish_job},
	{"coord.ack_reminder", kk_coord_job_ack_reminder},
	{"coord.verify_reminder", kk_coord_job_verify_reminder},
	{"coord.date_reminder", kk_coord_job_date_reminder},
	{"website.nudge", kk_website_job_nudge},
	{"website.remind_before", kk_website_job_remind_before},
	{"website.overdue", kk_website_job_overdue},
	{"coord.unreachable_products", kk_coord_job_unreachable_products},
};
const size_t cli_njobs = sizeof(cli_jobs) / sizeof(cli_jobs[0]);

void cli_register_openers(void)
{
	kk_intake_set_opener("product", kk_coord_open_from_report);
	kk_intake_set_opener("website", kk_website_open);
	kk_intake_set_finder_listener(kk_coord_finder_wrote);
	kk_case_set_date_listener(kk_adv_case_dated);
	kk_intake_set_stop_listener("product", kk_coord_report_stopped);
}

int cli_tick_init(struct cli_tick *t, const char *db_path, const char *mail_config, const char *key_file,
		  struct kk_diag *d)
{
	memset(t, 0, sizeof(*t));
	int rc = kk_mail_config_load(&t->mail, mail_config, d);
	if (rc < 0)
		return rc;
	t->mail_on = t->mail.maildir[0] || t->mail.smtp_url[0];
	char path[1024];
	if (!kk_keyfile_path(db_path, key_file, path, sizeof(path)) && access(path, F_OK) == 0) {
		if ((rc = kk_keyfile_load(path, t->key, d)) < 0)
			return rc;
		t->have_key = true;
	}
	return 0;
}

struct pending {
	struct kk_actor actor;
	struct kk_diag *d;
	int opened;
};

static int open_pending_tx(struct kk_db *db, void *arg)
{
	struct pending *p = arg;
	p->opened = 0;
	int rc = kk_intake_open_pending(db, &p->actor, "product", NULL, NULL, p->d);
	if (rc > 0)
		p->opened = rc;
	return rc < 0 ? rc : 0;
}

void cli_tick_run(struct kk_db *db, void *arg)
{
	struct cli_tick *t = arg;
	int limit = t->limit > 0 ? t->limit : 1000;
	struct kk_diag d;
	kk_diag_clear(&d);
	t->error = 0;
	/* hand-offs recorded while no opener was registered (a database from before coordination) */
	struct pending p = {.d = &d};
	kk_actor_system(&p.actor, "scheduler");
	int rc = kk_intake_pending_handoffs(db, "product");
	if (rc > 0)
		rc = kk_db_tx(db, open_pending_tx, &p);
	t->opened = rc < 0 ? 0 : p.opened;
	if (rc < 0) {
		t->error = rc;
		kk_warn("tick: pending hand-offs: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	kk_diag_clear(&d);
	tick_key = t->have_key ? t->key : NULL;
	rc = kk_sched_run(db, cli_jobs, cli_njobs, kk_clock_now(), limit, &t->jobs, &d);
	tick_key = NULL;
	if (rc < 0) {
		t->error = rc;
		kk_warn("tick: jobs: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	memset(&t->sent, 0, sizeof(t->sent));
	if (!t->mail_on)
		return;
	kk_diag_clear(&d);
	rc = kk_mail_flush(db, &t->mail, t->have_key ? t->key : NULL, limit, &t->sent, &d);
	if (rc < 0) {
		t->error = rc;
		kk_warn("tick: mail: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
}

void cli_tick_release(struct cli_tick *t)
{
	sodium_memzero(t->key, sizeof(t->key));
	t->have_key = false;
}
