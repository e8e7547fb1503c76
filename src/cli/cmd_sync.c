/*
 * cmd_sync.c — `keikai sync`: run sources now (sync/sync.h), show their
 * status, change their settings.
 */
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include "sync/sync.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_SKIPPED 3
#define EXIT_BUSY 4

struct ui {
	int tty, shown;
};

static void clear_line(struct ui *ui)
{
	if (ui->shown)
		fputs("\r\033[K", stderr);
	ui->shown = 0;
}

static void report(void *arg, const char *msg)
{
	clear_line(arg);
	fprintf(stderr, "keikai: %s\n", msg);
}

/* The progress bar on a terminal (long first runs). */
static void progress(void *arg, const char *source, long done, long total, const struct kk_sync_counts *c)
{
	struct ui *ui = arg;
	if (!ui->tty)
		return;
	char bar[31] = "";
	if (total > 0) {
		int w = (int)(30 * (done > total ? total : done) / total);
		for (int i = 0; i < 30; i++)
			bar[i] = i < w ? '#' : '.';
		bar[30] = 0;
		fprintf(stderr, "\r\033[Ksync %s [%s] %ld/%ld: %ld added, %ld updated", source, bar, done, total, c->added,
		        c->updated);
	} else {
		fprintf(stderr, "\r\033[Ksync %s: %ld done: %ld added, %ld updated", source, done, c->added, c->updated);
	}
	ui->shown = 1;
}

static void when(int64_t t, char *out, size_t n)
{
	if (t)
		kk_time_iso(t, out, n);
	else
		snprintf(out, n, "-");
}

static int print_status(void *arg, const struct kk_sync_status *s)
{
	(void)arg;
	char run[32], ok[32], next[32];
	when(s->last_run_at, run, sizeof run);
	when(s->last_success_at, ok, sizeof ok);
	when(s->next_run_at, next, sizeof next);
	printf("%s (%s%s)\n", s->name, s->enabled ? "enabled" : "disabled", s->running ? ", running" : "");
	printf("  url        %s   every %d min%s%s\n", s->base_url, s->interval_min, s->options[0] ? "   options " : "",
	       s->options);
	printf("  last run   %s (%s)   last success %s   next run %s\n", run, s->run_status[0] ? s->run_status : "never",
	       ok, s->enabled ? next : "-");
	printf("  cursor     %s\n", s->cursor[0] ? s->cursor : "-");
	printf("  last run   %ld fetches (%ld not modified), %ld added, %ld updated, %ld unchanged, %ld withdrawn, "
	       "%ld skipped",
	       s->last.fetches, s->last.not_modified, s->last.added, s->last.updated, s->last.unchanged,
	       s->last.withdrawn, s->last.skipped);
	if (s->total)
		printf("; %ld of %ld", s->done, s->total);
	printf("\n  last 24 h  %ld added, %ld updated, %ld withdrawn, %ld skipped\n", s->day.added, s->day.updated,
	       s->day.withdrawn, s->day.skipped);
	if (s->last_error[0]) {
		char at[32];
		when(s->last_error_at, at, sizeof at);
		printf("  last error %s: %s\n", at, s->last_error);
	}
	return 0;
}

static int status(struct kk_db *db, bool json)
{
	int rc;
	if (json) {
		struct kk_buf b = KK_BUF_INIT(0);
		struct kk_json j;
		kk_json_init(&j, &b);
		rc = kk_sync_status_json(db, &j);
		if (rc == 0)
			printf("%s\n", b.ptr);
		kk_buf_release(&b);
	} else {
		rc = kk_sync_status_each(db, print_status, NULL);
	}
	return rc < 0 ? cli_error("sync --status: %s", kk_err_msg(rc)) : KK_EXIT_OK;
}

static int set(struct kk_db *db, int argc, char **argv, int i, const char *name)
{
	struct kk_sync_set st = {.enabled = -1, .interval_min = -1};
	char cursor[64];
	for (; i < argc; i++) {
		const char *v = NULL;
		int r;
		if (!strcmp(argv[i], "--enable"))
			st.enabled = 1;
		else if (!strcmp(argv[i], "--disable"))
			st.enabled = 0;
		else if (!strcmp(argv[i], "--reset"))
			st.reset = true;
		else if ((r = cli_opt(argc, argv, &i, "--url", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--url needs a URL ('' for the default)");
			st.base_url = v;
		} else if ((r = cli_opt(argc, argv, &i, "--options", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--options needs a value ('' for the default)");
			st.options = v;
		} else if ((r = cli_opt(argc, argv, &i, "--interval", &v))) {
			char *end;
			long n = r < 0 ? -1 : strtol(v, &end, 10);
			if (r < 0 || *end || n < 0 || n > 10080)
				return cli_usage(argv[0], "--interval needs minutes, 1..10080 (0: the default)");
			st.interval_min = (int)n;
		} else if ((r = cli_opt(argc, argv, &i, "--since", &v))) {
			int64_t t;
			if (r < 0 || kk_time_parse(v, &t))
				return cli_usage(argv[0], "--since needs a date or time (2024-01-01, 2024-01-01T00:00:00Z)");
			snprintf(cursor, sizeof cursor, "{\"since\":%lld}", (long long)t);
			st.cursor = cursor;
		} else
			return cli_usage(argv[0], "unknown option '%s' for --set", argv[i]);
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_sync_configure(db, name, &st, &d);
	if (rc < 0)
		return rc == KK_EINVAL ? cli_usage(argv[0], "%s", d.msg) : cli_error("sync --set: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	return KK_EXIT_OK;
}

/* "nvd, cvelist, kev, osv and local": the table's names, for usage errors. */
static const char *source_names(void)
{
	static char out[256];
	size_t n = 0;
	for (int i = 0; i < kk_sync_nsources && n < sizeof out; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i == 0 ? "" : i + 1 == kk_sync_nsources ? " and " : ", ",
		                      kk_sync_sources[i].name);
	return out;
}

struct enabled_list {
	const char *names[32];
	int n;
};

static int collect_enabled(void *arg, const struct kk_sync_status *s)
{
	struct enabled_list *l = arg;
	if (s->enabled && l->n < 32)
		l->names[l->n++] = s->name; /* names are the static table's */
	return 0;
}

int cmd_sync(struct kk_cli *cli, int argc, char **argv)
{
	bool want_status = false, json = false;
	const char *set_name = NULL;
	int set_at = 0, first = 0, n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--status"))
			want_status = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--set")) {
			if (i + 1 >= argc)
				return cli_usage(argv[0], "--set needs a SOURCE (%s)", source_names());
			set_name = argv[i + 1];
			set_at = i + 2;
			break;
		} else if (argv[i][0] == '-')
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		else {
			if (!kk_sync_source_find(argv[i]))
				return cli_usage(argv[0], "no source '%s'; the sources are %s", argv[i], source_names());
			if (!first)
				first = i;
			argv[first + n++] = argv[i];
		}
	}
	if (set_name && !kk_sync_source_find(set_name))
		return cli_usage(argv[0], "no source '%s'; the sources are %s", set_name, source_names());
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	int code = KK_EXIT_OK;
	if (want_status)
		code = status(db, json);
	else if (set_name)
		code = set(db, argc, argv, set_at, set_name);
	else {
		struct enabled_list l = {0};
		if (!n) {
			kk_sync_status_each(db, collect_enabled, &l);
			if (!l.n)
				fprintf(stderr, "keikai sync: no source is enabled; name one (keikai sync nvd) or enable it "
				                "(keikai sync --set nvd --enable)\n");
		} else {
			for (int i = 0; i < n && i < 32; i++)
				l.names[l.n++] = argv[first + i];
		}
		struct ui ui = {.tty = isatty(2)};
		struct kk_sync_opts o = {.report = report, .progress = progress, .arg = &ui};
		for (int i = 0; i < l.n; i++) {
			struct kk_sync_counts c;
			struct kk_diag d;
			kk_diag_clear(&d);
			int rc = kk_sync_run(db, l.names[i], &o, &c, &d);
			clear_line(&ui);
			if (rc == KK_EBUSY) {
				fprintf(stderr, "keikai: %s\n", d.msg);
				if (code == KK_EXIT_OK || code == EXIT_SKIPPED)
					code = EXIT_BUSY;
				continue;
			}
			if (rc < 0) {
				cli_error("%s; what was committed stays, run 'keikai sync %s' again", d.msg[0] ? d.msg : kk_err_msg(rc),
				          l.names[i]);
				code = KK_EXIT_FAIL;
				continue;
			}
			printf("sync %s: %ld fetches (%ld not modified), %ld added, %ld updated, %ld unchanged, %ld withdrawn, "
			       "%ld skipped\n",
			       l.names[i], c.fetches, c.not_modified, c.added, c.updated, c.unchanged, c.withdrawn, c.skipped);
			if (c.skipped && code == KK_EXIT_OK)
				code = EXIT_SKIPPED;
		}
	}
	kk_db_close(db);
	return code;
}
