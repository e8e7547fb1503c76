/*
 * cmd_search.c — `keikai search`: keyword search over the vulnerability
 * database from the command line (vulndb/search.h), and --reindex.
 */
#include "base/clock.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	bool json;
	struct kk_json j;
	struct kk_buf buf;
};

static int print_hit(void *arg, const struct kk_search_hit *h)
{
	struct out *o = arg;
	if (o->json) {
		kk_search_hit_json(&o->j, h);
		return 0;
	}
	char day[32] = "-";
	if (h->published)
		kk_time_iso(h->published, day, sizeof day), day[10] = 0;
	char score[8] = "-";
	if (h->has_score)
		snprintf(score, sizeof score, "%.1f", h->score);
	const char *cve = strstr(h->aliases, "CVE-");
	int cvelen = cve ? (int)strcspn(cve, " ") : 1;
	printf("%-20s %-16.*s %-4s %-8s %s  ", h->jvndb, cvelen, cve ? cve : "-", score,
	       kk_search_severity_name(h->severity), day);
	for (const char *p = h->title; *p; p++) /* one line per record */
		putchar(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
	putchar('\n');
	return 0;
}

static int reindex(struct kk_cli *cli)
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	uint64_t t0 = kk_clock_mono_ns();
	long n = 0;
	int rc = kk_search_reindex_all(db, &n);
	if (rc)
		cli_error("search --reindex failed: %s: %s; run it again", kk_err_msg(rc), kk_db_errmsg(db));
	else
		printf("search: %ld record%s indexed in %.1f s\n", n, n == 1 ? "" : "s",
		       (double)(kk_clock_mono_ns() - t0) / 1e9);
	kk_db_close(db);
	return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
}

int cmd_search(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_search_query q = {.lang = "en", .limit = 20};
	struct out o = {0};
	char qtext[4096] = "";
	size_t qlen = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--reindex")) {
			return reindex(cli);
		} else if ((r = cli_opt(argc, argv, &i, "--limit", &v))) {
			char *end;
			long n = r < 0 ? 0 : strtol(v, &end, 10);
			if (r < 0 || *end || n < 1 || n > KK_SEARCH_LIMIT_MAX)
				return cli_usage(argv[0], "--limit needs a number 1..%d",
				                 KK_SEARCH_LIMIT_MAX);
			q.limit = (int)n;
		} else if ((r = cli_opt(argc, argv, &i, "--severity", &v))) {
			int s = -1;
			for (int k = 0; r > 0 && k < 5; k++)
				if (!strcmp(v, kk_search_severity_name(k)))
					s = k;
			if (s < 0)
				return cli_usage(argv[0],
				                 "--severity needs one of none, low, medium, high, critical");
			q.severity_mask |= 1u << s;
		} else if ((r = cli_opt(argc, argv, &i, "--cwe", &v))) {
			char *end;
			const char *num = r > 0 && !strncmp(v, "CWE-", 4) ? v + 4 : v;
			long n = r < 0 ? 0 : strtol(num, &end, 10);
			if (r < 0 || *end || n < 1 || n > 100000)
				return cli_usage(argv[0], "--cwe needs a CWE number such as 79 or CWE-79");
			q.cwe = (int)n;
		} else if ((r = cli_opt(argc, argv, &i, "--sort", &v))) {
			if (r < 0 || kk_search_sort_parse(v, &q.sort) < 0)
				return cli_usage(argv[0], "--sort needs date, modified, score or relevance");
		} else if ((r = cli_opt(argc, argv, &i, "--lang", &v))) {
			if (r < 0 || (strcmp(v, "ja") && strcmp(v, "en")))
				return cli_usage(argv[0], "--lang needs ja or en");
			q.lang = v;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else {
			/* the words of the query (a leading '-' excludes a word) */
			int n = snprintf(qtext + qlen, sizeof qtext - qlen, "%s%s", qlen ? " " : "", argv[i]);
			if (n < 0 || (size_t)n >= sizeof qtext - qlen)
				return cli_usage(argv[0], "the query is too long (at most %zu bytes)",
				                 sizeof qtext - 1);
			qlen += (size_t)n;
		}
	}
	q.q = qtext;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	if (o.json) {
		kk_buf_init(&o.buf, 0);
		kk_json_init(&o.j, &o.buf);
		kk_json_obj_open(&o.j);
		kk_json_key(&o.j, "items");
		kk_json_arr_open(&o.j);
	}
	struct kk_search_result res;
	struct kk_diag d = {0};
	int rc = kk_search_run(db, &q, print_hit, &o, &res, &d);
	int ex = KK_EXIT_OK;
	if (rc == KK_EINVAL) {
		ex = cli_usage(argv[0], "%s", d.msg);
	} else if (rc) {
		ex = cli_error("search failed: %s: %s", kk_err_msg(rc), kk_db_errmsg(db));
	} else if (o.json) {
		kk_json_arr_close(&o.j);
		kk_json_kv_int(&o.j, "total", res.total);
		kk_json_kv_str(&o.j, "next_cursor", res.next_cursor[0] ? res.next_cursor : NULL);
		kk_json_obj_close(&o.j);
		if (kk_json_error(&o.j))
			ex = cli_error("search: the answer is too large; use a smaller --limit");
		else
			printf("%s\n", o.buf.ptr);
	} else {
		fprintf(stderr, "%ld record%s found%s\n", res.total, res.total == 1 ? "" : "s",
		        res.next_cursor[0] ? " (more than shown; raise --limit)" : "");
	}
	if (o.json)
		kk_buf_release(&o.buf);
	kk_db_close(db);
	return ex;
}
