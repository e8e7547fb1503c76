/*
 * jobs.h — the top layer's wiring of background work: the table of
 * scheduler handlers (store/sched.h) by job kind, the intake hand-off
 * openers, and the tick that the server's scheduler thread and
 * `keikai tick` both run (due jobs, then due mail).
 */
#ifndef KK_CLI_JOBS_H
#define KK_CLI_JOBS_H
#include "auth/keyfile.h"
#include "mail/mail.h"
#include "store/sched.h"
#include "watch/watchlist.h"
#include <stdbool.h>
#include <stddef.h>

struct kk_db;

/* Every job kind keikai knows and its handler (jobs.c). */
extern const struct kk_sched_handler cli_jobs[];
extern const size_t cli_njobs;

/*
 * Registers the domain functions that open a case when a report is accepted,
 * and the one that hears a finder's message (intake.h). Once, at start.
 */
void cli_register_openers(void);

struct cli_tick {
	bool mail_on;                       /* a mail transport is configured */
	struct kk_mail_config mail;
	bool have_key;                      /* key unseals sealed mail */
	unsigned char key[KK_KEY_BYTES];
	int limit;                          /* jobs and mails per tick; 0 = 1000 */
	int opened;                         /* what the last tick did: cases opened from pending hand-offs, */
	struct kk_sched_stats jobs;         /* jobs run */
	struct kk_mail_flush_stats sent;
	struct kk_wl_stats watch;           /* watchlists evaluated, hits, webhooks delivered */
	int error;                          /* last database error of a tick, 0 when none */
	/*
	 * Sync (sync/sync.h): the sync.source jobs mark sources requested; the
	 * tick then runs them — inline (`keikai tick`), or, with sync_async
	 * (serve), on a thread of their own with its own connection, so a long
	 * first run delays no reminder or mail.
	 */
	bool sync_async;
	char db_path[1024];
	struct cli_sync_worker *sync;       /* jobs.c; NULL until a sync was requested */
};

/*
 * Prepares a tick: loads the mail configuration (file NULL: $KEIKAI_MAIL_CONFIG;
 * no transport configured leaves mail_on false, and mail waits for one) and
 * the secret key next to db_path (key_file NULL: the default path). Returns 0,
 * or a negative code with d set when a configuration or key file is broken.
 */
int cli_tick_init(struct cli_tick *t, const char *db_path, const char *mail_config, const char *key_file,
		  struct kk_diag *d);
/*
 * Runs what is due at kk_clock_now(): a case for every accepted report whose
 * hand-off is still pending (kk_intake_open_pending), jobs (they queue
 * mail), then mail.
 */
void cli_tick_run(struct kk_db *db, void *tick);
/* Stops and joins the sync thread (after the unit in flight); wipes the key. */
void cli_tick_release(struct cli_tick *t);

#endif
