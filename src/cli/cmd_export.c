/*
 * cmd_export.c — `keikai export`: every record a search selects, as JSON
 * Lines, CVE JSON 5.1 or OSV records, to standard output or a file.
 */
#include "cli/cli.h"
#include "cli/search_opts.h"
#include "store/db.h"
#include "vulndb/export.h"
#include <stdio.h>
#include <string.h>

int cmd_export(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_search_query q = {.lang = "en"};
	struct kk_export_opts o = {.format = KK_EXPORT_JSONL};
	const char *path = NULL;
	char qtext[4096] = "";
	size_t qlen = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--format", &v))) {
			if (r < 0 || kk_export_format_parse(v, &o.format) < 0)
				return cli_usage(argv[0], "--format needs cve5, osv or jsonl");
		} else if ((r = cli_opt(argc, argv, &i, "-o", &v)) || (r = cli_opt(argc, argv, &i, "--output", &v))) {
			if (r < 0 || !*v)
				return cli_usage(argv[0], "-o needs a file name (or - for standard output)");
			path = v;
		} else if ((r = cli_opt(argc, argv, &i, "--org-id", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--org-id needs a UUID");
			o.org_id = v;
		} else if ((r = cli_search_opt(argc, argv, &i, &q))) {
			if (r < 0)
				return -r;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else if ((r = cli_search_word(argv[0], argv[i], qtext, sizeof qtext, &qlen)) < 0) {
			return -r;
		}
	}
	q.q = qtext;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	FILE *out = stdout;
	if (path && strcmp(path, "-") && !(out = fopen(path, "w"))) {
		kk_db_close(db);
		return cli_error("cannot write '%s'; check the directory exists and is writable", path);
	}
	long written = 0, skipped = 0;
	struct kk_diag d = {0};
	int rc = kk_export_run(db, &q, &o, out, &written, &skipped, &d);
	if (out != stdout && fclose(out) && !rc)
		rc = KK_EIO;
	int ex = KK_EXIT_OK;
	if (rc == KK_EINVAL)
		ex = cli_usage(argv[0], "%s", d.msg);
	else if (rc)
		ex = cli_error("export failed after %ld records: %s%s%s", written, kk_err_msg(rc),
		               rc == KK_EDB ? ": " : "", rc == KK_EDB ? kk_db_errmsg(db) : "");
	else
		fprintf(stderr, "export: %ld record%s written%s", written, written == 1 ? "" : "s",
		        skipped ? "" : "\n");
	if (!rc && skipped)
		fprintf(stderr, "; %ld without a CVE id left out (CVE 5 records need one)\n", skipped);
	kk_db_close(db);
	return ex;
}
