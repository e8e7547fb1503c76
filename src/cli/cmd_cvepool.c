/*
 * cmd_cvepool.c — `keikai cve-pool add|list`: the CNA's reserved CVE ids,
 * taken one per vulnerability when an advisory is published; the level is
 * shown and a warning printed when it runs low.
 */
#include "base/clock.h"
#include "cli/cli.h"
#include "publish/advisory.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

struct pool_add {
	char **ids;
	int n, added;
	struct kk_diag d;
};

static int pool_add_tx(struct kk_db *db, void *arg)
{
	struct pool_add *p = arg;
	p->added = 0;
	for (int i = 0; i < p->n; i++) {
		int rc = kk_cve_pool_add(db, p->ids[i], &p->d);
		if (rc)
			return rc;
		p->added++;
	}
	return 0;
}

static void level(struct kk_db *db, FILE *out)
{
	long free_n = 0, taken = 0;
	if (kk_cve_pool_level(db, &free_n, &taken))
		return;
	fprintf(out, "CVE pool: %ld free, %ld taken\n", free_n, taken);
	if (free_n < kk_cve_pool_low())
		fprintf(stderr, "keikai: warning: the CVE pool is low (%ld free, warning below %ld); reserve more ids "
				"and add them with 'keikai cve-pool add'\n",
			free_n, kk_cve_pool_low());
}

int cmd_cve_pool_add(struct kk_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("cve-pool add", "give one or more CVE ids (CVE-2026-12345)");
	for (int i = 1; i < argc; i++)
		if (!kk_adv_cve_valid(argv[i]))
			return cli_usage("cve-pool add", "'%s' is not a CVE id (CVE-YYYY-NNNN...)", argv[i]);
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct pool_add p = {argv + 1, argc - 1, 0, {0}};
	kk_diag_clear(&p.d);
	int rc = kk_db_tx(db, pool_add_tx, &p);
	if (rc) {
		kk_db_close(db);
		return cli_error("cve-pool add: %s (nothing was added)", p.d.msg[0] ? p.d.msg : kk_err_msg(rc));
	}
	printf("added %d CVE id%s\n", p.added, p.added == 1 ? "" : "s");
	level(db, stdout);
	kk_db_close(db);
	return 0;
}

static int pool_row(void *arg, const struct kk_cve_pool_row *r)
{
	struct cli_list *l = arg;
	char added[32], taken[32] = "";
	l->n++;
	kk_time_iso(r->added_at, added, sizeof(added));
	if (r->taken_at)
		kk_time_iso(r->taken_at, taken, sizeof(taken));
	if (!l->json) {
		printf("%-18s %-21s %-16s %s\n", r->cve, added, r->ident[0] ? r->ident : "-", taken[0] ? taken : "free");
		return 0;
	}
	kk_json_obj_open(&l->j);
	kk_json_kv_str(&l->j, "cve", r->cve);
	kk_json_kv_str(&l->j, "added_at", added);
	kk_json_kv_str(&l->j, "advisory", r->ident[0] ? r->ident : NULL);
	kk_json_kv_str(&l->j, "taken_at", taken[0] ? taken : NULL);
	kk_json_obj_close(&l->j);
	return 0;
}

static bool list_all;

static int pool_walk(struct kk_db *db, struct cli_list *l)
{
	int rc = kk_cve_pool_list(db, list_all, pool_row, l);
	if (rc >= 0 && !l->json)
		level(db, stdout);
	else if (rc >= 0)
		level(db, stderr);
	return rc < 0 ? rc : 0;
}

int cmd_cve_pool_list(struct kk_cli *cli, int argc, char **argv)
{
	char *rest[4];
	int n = 0;
	list_all = false;
	for (int i = 0; i < argc; i++) {
		if (i && !strcmp(argv[i], "--all"))
			list_all = true;
		else if (n < 4)
			rest[n++] = argv[i];
		else
			return cli_usage("cve-pool list", "unknown argument '%s'", argv[i]);
	}
	struct cli_list l = {0};
	return cli_list_run(cli, "cve-pool list", n, rest, &l, "CVE                ADDED                 ADVISORY         TAKEN",
			    pool_walk, "the CVE pool is empty; add reserved ids with 'keikai cve-pool add CVE-...'");
}
