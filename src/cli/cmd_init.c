/*
 * cmd_init.c — `keikai init`: creates or migrates the database and creates
 * the secret key file beside it; says what it did, or that nothing changed.
 */
#include "auth/keyfile.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"
#include "vulndb/cwe_catalog.h"
#include "vulndb/ids.h"
#include "vulndb/search.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of the directory holding path (0700 for new ones: the database is confidential). */
static int make_parent(const char *path)
{
	char dir[4096];
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -1;
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) && errno != EEXIST ? -1 : 0;
}

static void on_applied(void *arg, int version, const char *name)
{
	(void)version;
	int *n = arg;
	++*n;
	printf("  applied migration %s\n", name);
}

/* ---- CWE catalog (vulndb/cwe_catalog.h) ------------------------------- */
/*
 * Loads the CWE catalog from --cwe DIR, else $KEIKAI_SHARED/data/cwe, else
 * ../shared/data/cwe; without --cwe a missing directory is skipped with a
 * note. Returns rows changed (0: already current) or a negative error after
 * printing it.
 */
static int init_cwe(struct kk_db *db, const char *dir)
{
	char def[4096];
	const char *shared = getenv("KEIKAI_SHARED");
	if (!dir) {
		if (shared && *shared && snprintf(def, sizeof(def), "%s/data/cwe", shared) < (int)sizeof(def) &&
		    access(def, F_OK) == 0)
			dir = def;
		else if (access("../shared/data/cwe", F_OK) == 0)
			dir = "../shared/data/cwe";
		else {
			printf("  CWE catalog not loaded: no ../shared/data/cwe here; use --cwe DIR\n");
			return 0;
		}
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	int n = kk_cwe_catalog_load(db, dir, &d);
	if (n < 0) {
		cli_error("init: %s", d.msg[0] ? d.msg : kk_err_msg(n));
		return n;
	}
	if (n > 0)
		printf("  loaded the CWE catalog from %s (%d rows added or changed)\n", dir, n);
	return n;
}

/* ---- id prefix (vulndb/ids.h) ---------------------------------------- */
/*
 * Stores --id-prefix when given and different; a new database says which
 * prefix its ids get. Returns 1 when changed, 0, or a negative error after
 * printing it.
 */
static int init_prefix(struct kk_db *db, const char *want, bool created)
{
	char cur[KK_VULN_PREFIX_MAX + 1];
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_vuln_prefix_get(db, cur);
	if (!rc && want && strcmp(want, cur))
		rc = kk_vuln_prefix_set(db, want, &d);
	if (rc < 0) {
		cli_error("init: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
		return rc;
	}
	bool changed = want && strcmp(want, cur);
	if (changed)
		printf("  new vulnerability ids: %s-YYYY-NNNNNN (was %s-); ids given before keep theirs\n", want, cur);
	else if (created)
		printf("  new vulnerability ids: %s-YYYY-NNNNNN (choose with --id-prefix)\n", cur);
	return changed;
}

int cmd_init(struct kk_cli *cli, int argc, char **argv)
{
	const char *key_opt = NULL, *cwe_opt = NULL, *prefix_opt = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--key-file", &key_opt);
		if (r < 0)
			return cli_usage("init", "--key-file needs a path");
		if (!r && (r = cli_opt(argc, argv, &i, "--cwe", &cwe_opt)) < 0)
			return cli_usage("init", "--cwe needs a directory");
		if (!r && (r = cli_opt(argc, argv, &i, "--id-prefix", &prefix_opt)) < 0)
			return cli_usage("init", "--id-prefix needs a prefix, such as KKDB");
		if (!r)
			return cli_usage("init", "unknown argument '%s'", argv[i]);
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	if (prefix_opt && kk_vuln_prefix_check(prefix_opt, &d)) /* before anything is created */
		return cli_usage("init", "%s", d.msg);
	const char *path = cli->db_path;
	char key_path[4096];
	if (kk_keyfile_path(path, key_opt, key_path, sizeof(key_path)))
		return cli_error("init: key file path too long");

	bool existed = access(path, F_OK) == 0;
	if (!existed && make_parent(path))
		return cli_error("init: cannot create the directory for %s: %s", path, strerror(errno));
	struct kk_db *db;
	mode_t old = umask(077); /* a new database (and its -wal/-shm) is for keikai's user only */
	int rc = kk_db_open(path, KK_DB_CREATE, &db);
	umask(old);
	if (rc)
		return cli_error("init: cannot open or create database %s: %s; check the path and permissions", path,
				 kk_err_msg(rc));
	if (!existed)
		printf("created database %s\n", path);

	int applied = 0;
	rc = kk_migrate_run(db, path, NULL, on_applied, &applied, &d);
	struct kk_migrate_status st = {0};
	if (rc >= 0)
		rc = kk_migrate_status(db, NULL, &st, &d);
	/* a migration may have marked search rows stale (0023: renumbered records; 0024: a change of folding); write
	 * them again now */
	long reindexed = 0;
	if (rc >= 0 && applied && (rc = kk_search_reindex_stale(db, &reindexed)) < 0)
		snprintf(d.msg, sizeof d.msg,
		         "the search index was not rebuilt (%s); run 'keikai search --reindex'",
		         kk_err_msg(rc));
	else if (reindexed)
		printf("search: %ld record%s indexed again\n", reindexed, reindexed == 1 ? "" : "s");
	int cwe_changed = 0;
	if (rc >= 0 && (cwe_changed = init_cwe(db, cwe_opt)) < 0)
		rc = cwe_changed;
	int prefix_changed = 0;
	if (rc >= 0 && (prefix_changed = init_prefix(db, prefix_opt, !existed)) < 0)
		rc = prefix_changed;
	kk_db_close(db);
	if (rc < 0) {
		if (rc == KK_ESCHEMA)
			return cli_error("%s", d.msg);
		if (cwe_changed < 0 || prefix_changed < 0)
			return KK_EXIT_FAIL; /* init_cwe or init_prefix said why */
		return cli_error("init: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}

	bool created = false;
	kk_diag_clear(&d);
	if ((rc = kk_keyfile_create(key_path, &created, &d)))
		return cli_error("init: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	if (created)
		printf("created key file %s (mode 0600; keep it secret and back it up apart from the database)\n",
		       key_path);

	if (existed && !applied && !created && !cwe_changed && !prefix_changed)
		printf("nothing changed: database %s is up to date (schema %d) and key file %s is present\n", path,
		       st.current, key_path);
	else if (applied)
		printf("database %s is at schema %d\n", path, st.current);
	return KK_EXIT_OK;
}
