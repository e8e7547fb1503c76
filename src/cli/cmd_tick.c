/*
 * cmd_tick.c — `keikai tick`: run the scheduler's due jobs and deliver due
 * mail once, at the real time or at a pinned one (--at), exactly as the
 * server's background thread does; `--list` shows the jobs instead.
 */
#include "base/clock.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/jobs.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_job(void *arg, const struct kk_sched_entry *e)
{
	(void)arg;
	char due[32];
	kk_time_iso(e->due_at, due, sizeof(due));
	printf("%-6lld %-9s %-3d %-20s %-32s %-8lld %s\n", (long long)e->id, e->state, e->attempts, due, e->kind,
	       (long long)e->subject, e->last_error);
	return 0;
}

int cmd_tick(struct kk_cli *cli, int argc, char **argv)
{
	const char *at = NULL, *limit_s = NULL, *conf = NULL, *key_file = NULL;
	bool list = false, all = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			list = true;
			continue;
		}
		if (!strcmp(argv[i], "--all")) {
			all = true;
			continue;
		}
		int r = cli_opt(argc, argv, &i, "--at", &at);
		if (!r)
			r = cli_opt(argc, argv, &i, "--limit", &limit_s);
		if (!r)
			r = cli_opt(argc, argv, &i, "--mail-config", &conf);
		if (!r)
			r = cli_opt(argc, argv, &i, "--key-file", &key_file);
		if (r < 0)
			return cli_usage(argv[0], "%s needs a value", argv[i]);
		if (!r)
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
	}
	if (all && !list)
		return cli_usage(argv[0], "--all goes with --list");
	int64_t t = 0;
	if (at && kk_time_parse(at, &t))
		return cli_usage(argv[0], "--at '%s' is not a time; write 2026-03-01T09:00:00Z or 2026-03-01", at);
	int limit = 0;
	if (limit_s) {
		char *end;
		long v = strtol(limit_s, &end, 10);
		if (*end || end == limit_s || v < 1 || v > 1000000)
			return cli_usage(argv[0], "--limit '%s' must be a number from 1 to 1000000", limit_s);
		limit = (int)v;
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	if (list) {
		printf("%-6s %-9s %-3s %-20s %-32s %-8s %s\n", "ID", "STATE", "TRY", "DUE", "KIND", "SUBJECT",
		       "LAST ERROR");
		int rc = kk_sched_list(db, all ? "all" : NULL, print_job, NULL);
		kk_db_close(db);
		return rc < 0 ? cli_error("tick --list: cannot read the jobs: %s", kk_err_msg(rc)) : KK_EXIT_OK;
	}
	struct cli_tick tk;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (cli_tick_init(&tk, cli->db_path, conf, key_file, &d)) {
		kk_db_close(db);
		return cli_error("tick: %s%s%s", d.where, d.where[0] ? ": " : "", d.msg);
	}
	tk.limit = limit;
	if (at)
		kk_clock_pin(t);
	cli_tick_run(db, &tk);
	cli_tick_release(&tk);
	kk_db_close(db);
	char now[32];
	kk_time_iso(kk_clock_now(), now, sizeof(now));
	printf("tick at %s: %d job(s) ran, %d to retry, %d failed, %d without a handler", now, tk.jobs.ran,
	       tk.jobs.retried, tk.jobs.failed, tk.jobs.unknown);
	if (tk.opened)
		printf("; %d case(s) opened from pending hand-offs", tk.opened);
	if (tk.watch.pending || tk.watch.sent || tk.watch.retried || tk.watch.failed || tk.watch.digests)
		printf("; watchlists: %ld changed record(s), %ld told, %ld webhook(s) sent, %ld to retry, %ld failed",
		       tk.watch.pending, tk.watch.hits, tk.watch.sent, tk.watch.retried, tk.watch.failed);
	if (tk.mail_on)
		printf("; mail: %d sent, %d to retry, %d failed\n", tk.sent.sent, tk.sent.retry, tk.sent.failed);
	else
		printf("; mail: no transport configured ($KEIKAI_MAIL_CONFIG / --mail-config)\n");
	return tk.error ? cli_error("tick: %s", kk_err_msg(tk.error)) : KK_EXIT_OK;
}
