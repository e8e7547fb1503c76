/*
 * cmd_import.c — `keikai import`: vulnerability records from files,
 * directories or standard input into the database (vulndb/import.h), with
 * a progress line on a terminal and a summary at the end.
 */
#include "base/clock.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/import.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_SKIPPED 3 /* finished, but some records or files were skipped */

struct ui {
	int tty;
	int progress_shown;
};

static void clear_progress(struct ui *ui)
{
	if (ui->progress_shown) {
		fputs("\r\033[K", stderr);
		ui->progress_shown = 0;
	}
}

static void report(void *arg, const char *file, const char *id, const struct kk_diag *d)
{
	clear_progress(arg);
	if (id && *id)
		fprintf(stderr, "keikai import: %s: %s: %s%s%s (skipped)\n", file, id, d->where,
		        d->where[0] ? ": " : "", d->msg);
	else
		fprintf(stderr, "keikai import: %s: %s\n", file, d->msg);
}

static void progress(void *arg, const struct kk_import *imp)
{
	struct ui *ui = arg;
	if (!ui->tty)
		return;
	long n = imp->added + imp->merged + imp->updated + imp->unchanged + imp->older;
	double secs = (double)(kk_clock_mono_ns() - imp->started_ns) / 1e9;
	double rate = secs > 0 ? n / secs : 0;
	char eta[48] = "";
	if (imp->bytes_total && imp->bytes_read && imp->bytes_read <= imp->bytes_total) {
		double frac = (double)imp->bytes_read / (double)imp->bytes_total;
		snprintf(eta, sizeof eta, ", %.0f%%, ETA %.0f s", frac * 100, secs / frac - secs);
	}
	fprintf(stderr, "\r\033[Kimport: %ld records, %ld skipped, %.0f records/s%s", n, imp->skipped, rate,
	        eta);
	ui->progress_shown = 1;
}

/* --check: records are parsed and validated, nothing is written. */
static int check_sink(void *arg, const struct kk_vuln_rec *recs, size_t n)
{
	(void)arg, (void)recs, (void)n;
	return 0;
}

static void summary(const struct kk_import *imp, double secs, int check)
{
	long n = imp->added + imp->merged + imp->updated + imp->unchanged + imp->older;
	if (check)
		printf(
		    "import --check: %ld valid record%s in %.1f s (%.0f records/s), %ld skipped; %ld file%s",
		    n, n == 1 ? "" : "s", secs, secs > 0 ? n / secs : 0.0, imp->skipped, imp->files,
		    imp->files == 1 ? "" : "s");
	else
		printf("import: %ld record%s in %.1f s (%.0f records/s): %ld added, %ld merged into existing "
		       "records, "
		       "%ld updated, %ld unchanged, %ld older than stored, %ld skipped; %ld file%s",
		       n, n == 1 ? "" : "s", secs, secs > 0 ? n / secs : 0.0, imp->added, imp->merged,
		       imp->updated, imp->unchanged, imp->older, imp->skipped, imp->files,
		       imp->files == 1 ? "" : "s");
	if (imp->bad_files)
		printf(", %ld unreadable", imp->bad_files);
	printf("\n");
	for (int i = 0; i < imp->n_reasons; i++)
		printf("  skipped %ld x %s\n", imp->reasons[i].count, imp->reasons[i].key);
	if (imp->other_reasons)
		printf("  skipped %ld x (other reasons)\n", imp->other_reasons);
}

int cmd_import(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_import_opts opts = {.format = KK_VF_AUTO};
	struct ui ui = {.tty = isatty(2)};
	int first = 0, n_paths = 0, check = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--format", &v))) {
			int f = r < 0 ? -1 : kk_vuln_format_parse(v);
			if (f < 0)
				return cli_usage(
				    argv[0], "--format needs one of auto, cve5, nvd-api2, nvd-json1.1, osv, jvn-vuldef, "
				             "jvnrss, jvn-products, kev");
			opts.format = (enum kk_vuln_format)f;
		} else if ((r = cli_opt(argc, argv, &i, "--batch", &v))) {
			char *end;
			long b = r < 0 ? 0 : strtol(v, &end, 10);
			if (r < 0 || *end || b < 1 || b > 100000)
				return cli_usage(
				    argv[0], "--batch needs a number of records per transaction, 1..100000");
			opts.batch = (size_t)b;
		} else if (!strcmp(argv[i], "--check")) {
			check = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else {
			if (!first)
				first = i;
			argv[first + n_paths++] = argv[i];
		}
	}
	if (!n_paths)
		return cli_usage(argv[0], "name a FILE, a DIR or - (standard input) to import");

	struct kk_db *db = NULL;
	if (check)
		opts.sink = check_sink;
	else if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	opts.report = report;
	opts.progress = progress;
	opts.arg = &ui;
	/* the product index of packages stored before it existed (vulndb/affected.h) */
	long backfilled = 0;
	if (db && kk_affect_backfill(db, &backfilled) == 0 && backfilled)
		printf("index: %ld package range%s of earlier records indexed\n", backfilled, backfilled == 1 ? "" : "s");
	struct kk_import imp;
	kk_import_init(&imp, db, &opts);
	for (int i = 0; ui.tty && i < n_paths; i++)
		kk_import_measure(&imp, argv[first + i]);
	int rc = 0;
	for (int i = 0; !rc && i < n_paths; i++)
		rc = kk_import_path(&imp, argv[first + i]);
	if (!rc)
		rc = kk_import_finish(&imp);
	clear_progress(&ui);
	summary(&imp, (double)(kk_clock_mono_ns() - imp.started_ns) / 1e9, check);
	/* search (vulndb/search.h): new records were indexed with them; now those that joined or changed */
	long indexed = 0;
	int search_rc = !rc && db ? kk_search_reindex_stale(db, &indexed) : 0;
	if (db)
		indexed += imp.indexed;
	if (search_rc < 0)
		cli_error("import finished but the search index was not updated (%s); run 'keikai search --reindex'",
		          kk_err_msg(search_rc));
	else if (indexed)
		printf("search: %ld record%s indexed\n", indexed, indexed == 1 ? "" : "s");
	if (rc)
		cli_error(
		    "import stopped: %s: %s; records committed before this are kept, run the same import "
		    "again to finish",
		    kk_err_msg(rc), kk_db_errmsg(db));
	int bad = imp.skipped || imp.bad_files;
	kk_import_release(&imp);
	if (db)
		kk_db_close(db);
	return rc || search_rc ? KK_EXIT_FAIL : bad ? EXIT_SKIPPED : KK_EXIT_OK;
}
