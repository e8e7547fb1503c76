/*
 * cmd_check.c — `keikai check`: the version checker over an SBOM or a
 * package list, offline against a database file (watch/check.h); a CI gate
 * with --fail-on.
 */
#include "base/clock.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/check.h"
#include "watch/vex.h"
#include <stdio.h>
#include <string.h>

#define CHECK_MAX_INPUT (256u << 20)

static void table(const struct kk_check_result *r, bool all)
{
	printf("%-32s %-16s %-20s %-16s %-8s %-3s %-12s %s\n", "COMPONENT", "VERSION", "ID", "CVE", "SEVERITY", "KEV",
	       "FIXED", "WHY");
	for (size_t i = 0; i < r->n; i++) {
		const struct kk_check_item *it = &r->items[i];
		for (size_t k = 0; k < it->nm; k++) {
			const struct kk_check_match *m = &it->m[k];
			if (m->suppressed && !all)
				continue;
			printf("%-32.64s %-16.32s %-20s %-16s %-8s %-3s %-12.32s %s %s%s%s%s\n", it->in->name,
			       it->in->version ? it->in->version : "-", m->rec.jvndb, m->rec.cve[0] ? m->rec.cve : "-",
			       kk_search_severity_name(m->rec.severity), m->rec.kev ? "yes" : "-", m->fixed ? m->fixed : "-",
			       m->via, m->query, m->nwhy ? ": " : "", m->nwhy ? m->why[0].text : "",
			       m->suppressed ? (m->dismissed ? " [dismissed]" : " [VEX]") : "");
		}
		if (it->newest)
			printf("%-32.64s %-16.32s newer version known: %s\n", it->in->name,
			       it->in->version ? it->in->version : "-", it->newest);
	}
	printf("%zu components, %ld affected, %ld matches (critical %ld, high %ld, medium %ld, low %ld), %ld in KEV, "
	       "%ld suppressed\n",
	       r->n, r->affected, r->matches, r->by_severity[4], r->by_severity[3], r->by_severity[2], r->by_severity[1],
	       r->kev, r->suppressed);
}

int cmd_check(struct kk_cli *cli, int argc, char **argv)
{
	const char *file = NULL, *format = "table", *fail_on = NULL, *lang = "en", *v;
	const char *vex_files[16];
	int nvex = 0;
	bool all = false;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--format", &format)) ||
		    (rc = cli_opt(argc, argv, &i, "--fail-on", &fail_on)) || (rc = cli_opt(argc, argv, &i, "--lang", &lang))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if ((rc = cli_opt(argc, argv, &i, "--vex", &v))) {
			if (rc < 0 || nvex == 16)
				return cli_usage(argv[0], "--vex needs a file (at most 16)");
			vex_files[nvex++] = v;
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!file && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			file = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	if (!file)
		return cli_usage(argv[0], "give the SBOM or package list to check (FILE, or - for standard input)");
	if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "cyclonedx-vex"))
		return cli_usage(argv[0], "--format must be table, json, sarif or cyclonedx-vex");
	int min = fail_on ? kk_check_severity_parse(fail_on) : 5;
	if (min < 0)
		return cli_usage(argv[0], "--fail-on must be low, medium, high or critical");
	if (strcmp(lang, "ja") && strcmp(lang, "en"))
		return cli_usage(argv[0], "--lang must be ja or en");

	struct kk_arena a;
	struct kk_buf in;
	struct kk_diag d;
	kk_arena_init(&a, 0);
	kk_buf_init(&in, CHECK_MAX_INPUT);
	int ex = KK_EXIT_FAIL;
	struct kk_db *db = NULL;
	struct kk_sbom s;
	struct kk_vex vex = {0};
	if (cli_read_file(file, &in))
		goto out;
	int rc = kk_sbom_parse(in.ptr, in.len, &a, &s, &d);
	if (rc < 0) {
		cli_error("check: %s: %s%s%s", file, d.where, d.where[0] ? ": " : "", d.msg[0] ? d.msg : kk_err_msg(rc));
		goto out;
	}
	for (int i = 0; i < nvex; i++) {
		struct kk_buf vb;
		struct kk_vex one;
		kk_buf_init(&vb, CHECK_MAX_INPUT);
		rc = cli_read_file(vex_files[i], &vb) ? KK_EIO
		                                      : kk_vex_parse(vb.ptr, vb.len, &a, &one, &d);
		kk_buf_release(&vb);
		if (rc == KK_EIO)
			goto out;
		if (rc < 0) {
			cli_error("check: %s: %s%s%s", vex_files[i], d.where, d.where[0] ? ": " : "", d.msg);
			goto out;
		}
		for (size_t k = 0; k < one.n; k++)
			if (kk_vex_add(&vex, &a, &one.v[k]) < 0)
				goto out;
	}
	if (cli_open_db(cli, &db))
		goto out;
	struct kk_check_opts o = {.lang = lang, .vex = nvex ? &vex : NULL};
	struct kk_check_result r;
	if ((rc = kk_check_run(db, &s, &o, &a, &r)) < 0) {
		cli_error("check: %s: %s", kk_err_msg(rc), kk_db_errmsg(db));
		goto out;
	}
	if (!strcmp(format, "table")) {
		table(&r, all);
	} else {
		struct kk_buf b;
		struct kk_json j;
		kk_buf_init(&b, 0);
		kk_json_init(&j, &b);
		if (!strcmp(format, "json"))
			kk_check_json(&j, &r, all);
		else if (!strcmp(format, "sarif"))
			kk_check_sarif(&j, &r, file);
		else
			kk_check_cyclonedx_vex(&j, &r, &s, kk_clock_now());
		if (kk_json_error(&j)) {
			kk_buf_release(&b);
			cli_error("check: cannot write the answer: %s", kk_err_msg(kk_json_error(&j)));
			goto out;
		}
		fwrite(b.ptr, 1, b.len, stdout);
		putchar('\n');
		kk_buf_release(&b);
	}
	ex = kk_check_fails(&r, min) ? KK_EXIT_FAIL : KK_EXIT_OK;
	if (ex && fail_on)
		fprintf(stderr, "keikai: check: findings at or above %s\n", fail_on);
out:
	if (db)
		kk_db_close(db);
	kk_buf_release(&in);
	kk_arena_release(&a);
	return ex;
}
