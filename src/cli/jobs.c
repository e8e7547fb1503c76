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
#include "base/alloc.h"
#include "base/str.h"
#include "store/db.h"
#include "sync/sync.h"
#include "watch/watchlist.h"
#include "website/website.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
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

static int sync_job(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	return kk_sync_job(db, job->subject, now, d);
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
	{KK_SYNC_JOB, sync_job},
};
const size_t cli_njobs = sizeof(cli_jobs) / sizeof(cli_jobs[0]);

void cli_register_openers(void)
{
	kk_intake_set_opener("product", kk_coord_open_from_report);
	kk_intake_set_opener("website", kk_website_open);
	kk_intake_set_finder_listener(kk_coord_finder_wrote);
	kk_case_set_date_listener(kk_adv_case_dated);
	kk_intake_set_stop_listener("product", kk_coord_report_stopped);
	kk_intake_set_stop_listener("website", kk_website_report_stopped);
}

int cli_tick_init(struct cli_tick *t, const char *db_path, const char *mail_config, const char *key_file,
		  struct kk_diag *d)
{
	memset(t, 0, sizeof(*t));
	kk_strlcpy(t->db_path, db_path ? db_path : "", sizeof t->db_path);
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

/* The server's sync thread: runs the requested sources on its own connection until none is left. */
struct cli_sync_worker {
	pthread_t th;
	bool started;
	atomic_int busy;
	volatile int stop;
	char db_path[1024];
};

static void *sync_main(void *arg)
{
	struct cli_sync_worker *w = arg;
	struct kk_db *db;
	if (kk_db_open(w->db_path, 0, &db) == 0) {
		struct kk_sync_opts o = {.stop = &w->stop};
		while (!w->stop && kk_sync_any_requested(db) && kk_sync_run_requested(db, &o) > 0)
			;
		kk_db_close(db);
	} else {
		kk_warn("sync: cannot open %s; the requested syncs wait for the next tick", w->db_path);
	}
	atomic_store(&w->busy, 0);
	return NULL;
}

static void run_syncs(struct cli_tick *t, struct kk_db *db)
{
	if (!kk_sync_any_requested(db))
		return;
	if (!t->sync_async) {
		kk_sync_run_requested(db, NULL);
		return;
	}
	if (!t->sync && !(t->sync = kk_calloc(1, sizeof *t->sync)))
		return;
	struct cli_sync_worker *w = t->sync;
	if (atomic_load(&w->busy))
		return; /* the thread is at it; it looks again before it ends */
	if (w->started)
		pthread_join(w->th, NULL);
	w->started = false;
	kk_strlcpy(w->db_path, t->db_path, sizeof w->db_path);
	atomic_store(&w->busy, 1);
	if (pthread_create(&w->th, NULL, sync_main, w)) {
		atomic_store(&w->busy, 0);
		kk_warn("sync: cannot start the sync thread; the requested syncs wait for the next tick");
		return;
	}
	pthread_setname_np(w->th, "kk-sync");
	w->started = true;
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
	run_syncs(t, db);
	/* watchlists: records changed by imports and syncs (before mail, so their mail goes out now) */
	kk_diag_clear(&d);
	rc = kk_wl_tick(db, kk_clock_now(), &t->watch, &d);
	if (rc < 0) {
		t->error = rc;
		kk_warn("tick: watchlists: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
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
	if (t->sync) {
		t->sync->stop = 1;
		if (t->sync->started)
			pthread_join(t->sync->th, NULL);
		kk_free(t->sync);
		t->sync = NULL;
	}
	sodium_memzero(t->key, sizeof(t->key));
	t->have_key = false;
}
