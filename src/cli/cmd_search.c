/*
 * cmd_search.c — `keikai search`: keyword search over the vulnerability
 * database from the command line (vulndb/search.h), and --reindex.
 */
#include "base/clock.h"
#include "cli/cli.h"
#include "cli/search_opts.h"
#include "store/db.h"
#include "vulndb/search.h"
#include <stddef.h>
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
	printf("%-20s %-16.*s %-4s %-8s %s  %s", h->jvndb, cvelen, cve ? cve : "-", score,
	       kk_search_severity_name(h->severity), day,
	       !h->withdrawn ? "" : !strcmp(h->status, "rejected") ? "[REJECTED] " : "[WITHDRAWN] ");
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

static int date_opt(const char *cmd, const char *name, const char *v, bool end_of_day, int64_t *out)
{
	if (kk_time_parse(v, out) < 0)
		return -cli_usage(cmd, "%s needs a date YYYY-MM-DD or an ISO 8601 time", name);
	if (end_of_day && strlen(v) == 10)
		*out += 86399; /* an upper bound day includes the whole day */
	return 1;
}

static int score_opt(const char *cmd, const char *name, const char *v, bool *has, double *out)
{
	char *end;
	*out = strtod(v, &end);
	if (*end || end == v || !(*out >= 0 && *out <= 10))
		return -cli_usage(cmd, "%s needs a score between 0 and 10, such as 7.0", name);
	*has = true;
	return 1;
}

int cli_search_opt(int argc, char **argv, int *i, struct kk_search_query *q)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
	    {"--vendor", offsetof(struct kk_search_query, vendor)},
	    {"--product", offsetof(struct kk_search_query, product)},
	    {"--cpe", offsetof(struct kk_search_query, cpe)},
	    {"--purl", offsetof(struct kk_search_query, purl)},
	    {"--source", offsetof(struct kk_search_query, source)},
	    {"--vector", offsetof(struct kk_search_query, vector)},
	};
	static const struct {
		const char *name;
		size_t off;
		bool end;
	} dates[] = {
	    {"--published-from", offsetof(struct kk_search_query, published_from), false},
	    {"--published-to", offsetof(struct kk_search_query, published_to), true},
	    {"--updated-from", offsetof(struct kk_search_query, updated_from), false},
	    {"--updated-to", offsetof(struct kk_search_query, updated_to), true},
	    {"--public-from", offsetof(struct kk_search_query, public_from), false},
	    {"--public-to", offsetof(struct kk_search_query, public_to), true},
	};
	const char *cmd = argv[0], *v = NULL;
	int r;
	if (!strcmp(argv[*i], "--kev")) {
		q->kev = true;
		return 1;
	}
	for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
		if ((r = cli_opt(argc, argv, i, strs[k].name, &v))) {
			if (r < 0 || !*v)
				return -cli_usage(cmd, "%s needs a value", strs[k].name);
			*(const char **)(void *)((char *)q + strs[k].off) = v;
			return 1;
		}
	for (size_t k = 0; k < sizeof dates / sizeof *dates; k++)
		if ((r = cli_opt(argc, argv, i, dates[k].name, &v)))
			return r < 0 ? -cli_usage(cmd, "%s needs a date", dates[k].name)
			             : date_opt(cmd, dates[k].name, v, dates[k].end,
			                        (int64_t *)(void *)((char *)q + dates[k].off));
	if ((r = cli_opt(argc, argv, i, "--score-min", &v)))
		return r < 0 ? -cli_usage(cmd, "--score-min needs a score")
		             : score_opt(cmd, "--score-min", v, &q->has_score_min, &q->score_min);
	if ((r = cli_opt(argc, argv, i, "--score-max", &v)))
		return r < 0 ? -cli_usage(cmd, "--score-max needs a score")
		             : score_opt(cmd, "--score-max", v, &q->has_score_max, &q->score_max);
	if ((r = cli_opt(argc, argv, i, "--cvss", &v))) {
		if (r < 0 || (strcmp(v, "2.0") && strcmp(v, "3.0") && strcmp(v, "3.1") && strcmp(v, "4.0")))
			return -cli_usage(cmd, "--cvss needs a CVSS version: 2.0, 3.0, 3.1 or 4.0");
		q->cvss_version = v;
		return 1;
	}
	if ((r = cli_opt(argc, argv, i, "--severity", &v))) {
		int s = -1;
		for (int k = 0; r > 0 && k < 5; k++)
			if (!strcmp(v, kk_search_severity_name(k)))
				s = k;
		if (s < 0)
			return -cli_usage(cmd, "--severity needs one of none, low, medium, high, critical");
		q->severity_mask |= 1u << s;
		return 1;
	}
	if ((r = cli_opt(argc, argv, i, "--cwe", &v))) {
		char *end;
		const char *num = r > 0 && !strncmp(v, "CWE-", 4) ? v + 4 : v;
		long n = r < 0 ? 0 : strtol(num, &end, 10);
		if (r < 0 || *end || n < 1 || n > 100000)
			return -cli_usage(cmd, "--cwe needs a CWE number such as 79 or CWE-79");
		q->cwe = (int)n;
		return 1;
	}
	if ((r = cli_opt(argc, argv, i, "--sort", &v))) {
		if (r < 0 || kk_search_sort_parse(v, &q->sort) < 0)
			return -cli_usage(cmd, "--sort needs date, modified, score or relevance");
		return 1;
	}
	if ((r = cli_opt(argc, argv, i, "--withdrawn", &v))) {
		if (r < 0 || kk_search_withdrawn_parse(v, &q->withdrawn) < 0)
			return -cli_usage(cmd, "--withdrawn needs exclude (the default), include or only");
		return 1;
	}
	if ((r = cli_opt(argc, argv, i, "--lang", &v))) {
		if (r < 0 || (strcmp(v, "ja") && strcmp(v, "en")))
			return -cli_usage(cmd, "--lang needs ja or en");
		q->lang = v;
		return 1;
	}
	return 0;
}

int cli_search_word(const char *cmd, const char *word, char *q, size_t cap, size_t *len)
{
	int n = snprintf(q + *len, cap - *len, "%s%s", *len ? " " : "", word);
	if (n < 0 || (size_t)n >= cap - *len)
		return -cli_usage(cmd, "the query is too long (at most %zu bytes)", cap - 1);
	*len += (size_t)n;
	return 0;
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
		} else if ((r = cli_search_opt(argc, argv, &i, &q))) {
			if (r < 0)
				return -r;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cli_usage(argv[0], "unknown option '%s'", argv[i]);
		} else if ((r = cli_search_word(argv[0], argv[i], qtext, sizeof qtext, &qlen)) < 0) {
			return -r; /* the words of the query (a leading '-' excludes a word) */
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
