/*
 * cmd_cwe.c — `keikai cwe show ID` and `keikai cwe search TEXT`: the CWE
 * catalog that `keikai init` loads into the database.
 */
#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "std/cwe.h"
#include "store/db.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ends a parent/child line with the views stating the relation. */
static void end_line(int views, const char *list)
{
	if (views)
		printf(" (%s %s)", views == 1 ? "view" : "views", list);
	putchar('\n');
}

/* Parents (dir 0) or children (dir 1) of id, each with the views stating the
 * relation: text lines or a JSON array. */
static int relatives(struct kk_db *db, int64_t id, int dir, struct kk_json *j, const char *label)
{
	static const char *const sql[] = {
		"SELECT c.id, c.name, p.view FROM cwe_parent p JOIN cwe c ON c.id = p.parent WHERE p.child = ? "
		"ORDER BY c.id, p.view",
		"SELECT c.id, c.name, p.view FROM cwe_parent p JOIN cwe c ON c.id = p.child WHERE p.parent = ? "
		"ORDER BY c.id, p.view",
	};
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql[dir], &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	if (j) {
		kk_json_key(j, label);
		kk_json_arr_open(j);
	}
	int n = 0, views = 0;
	int64_t prev = -1;
	char vbuf[256] = "";
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t rid = kk_stmt_int64(st, 0), view = kk_stmt_int64(st, 2);
		if (rid != prev) { /* a new relative: close the previous one */
			if (j && prev >= 0) {
				kk_json_arr_close(j);
				kk_json_obj_close(j);
			} else if (!j && prev >= 0) {
				end_line(views, vbuf);
			}
			if (j) {
				kk_json_obj_open(j);
				kk_json_kv_int(j, "id", rid);
				kk_json_kv_str(j, "name", kk_stmt_text(st, 1));
				kk_json_key(j, "views");
				kk_json_arr_open(j);
			} else {
				printf("%-9s CWE-%lld %s", n ? "" : label, (long long)rid, kk_stmt_text(st, 1));
			}
			prev = rid;
			views = 0;
			vbuf[0] = 0;
			n++;
		}
		if (view) {
			if (j)
				kk_json_int(j, view);
			else
				snprintf(vbuf + strlen(vbuf), sizeof(vbuf) - strlen(vbuf), "%s%lld", views ? ", " : "",
					 (long long)view);
			views++;
		}
	}
	kk_stmt_done(st);
	if (j) {
		if (prev >= 0) {
			kk_json_arr_close(j);
			kk_json_obj_close(j);
		}
		kk_json_arr_close(j);
	} else if (prev >= 0) {
		end_line(views, vbuf);
	}
	return rc < 0 ? rc : 0;
}

int cmd_cwe_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *idtext = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!idtext && argv[i][0] != '-')
			idtext = argv[i];
		else
			return cli_usage("cwe show", "unexpected argument '%s'", argv[i]);
	}
	if (!idtext)
		return cli_usage("cwe show", "give a CWE id, e.g. 79 or CWE-79");
	int id;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_cwe_id_parse(idtext, strlen(idtext), &id, &d))
		return cli_usage("cwe show", "%s", d.msg);
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT name, kind, abstraction, status FROM cwe WHERE id = ?", &st);
	if (rc) {
		kk_db_close(db);
		return cli_error("cwe show: %s", kk_db_errmsg(db));
	}
	kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc != KK_ROW) {
		kk_stmt_done(st);
		int64_t n = -1;
		struct kk_stmt *cnt;
		if (!kk_db_prepare(db, "SELECT count(*) FROM cwe", &cnt)) {
			if (kk_stmt_step(cnt) == KK_ROW)
				n = kk_stmt_int64(cnt, 0);
			kk_stmt_done(cnt);
		}
		kk_db_close(db);
		if (rc < 0)
			return cli_error("cwe show: %s", kk_err_msg(rc));
		if (n == 0)
			return cli_error("cwe show: the CWE catalog is not loaded; run 'keikai init --cwe DIR'");
		return cli_error("cwe show: no CWE-%d in the catalog", id);
	}
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	if (json) {
		kk_json_init(&j, &b);
		kk_json_obj_open(&j);
		kk_json_kv_int(&j, "id", id);
		kk_json_kv_str(&j, "name", kk_stmt_text(st, 0));
		kk_json_kv_str(&j, "kind", kk_stmt_text(st, 1));
		kk_json_kv_str(&j, "abstraction", kk_stmt_text(st, 2));
		kk_json_kv_str(&j, "status", kk_stmt_text(st, 3));
	} else {
		printf("CWE-%d: %s\n", id, kk_stmt_text(st, 0));
		printf("kind:    %s%s%s\nstatus:  %s\n", kk_stmt_text(st, 1), *kk_stmt_text(st, 2) ? ", " : "",
		       kk_stmt_text(st, 2), kk_stmt_text(st, 3));
	}
	kk_stmt_done(st);
	rc = relatives(db, id, 0, json ? &j : NULL, json ? "parents" : "parents:");
	if (!rc)
		rc = relatives(db, id, 1, json ? &j : NULL, json ? "children" : "children:");
	if (json) {
		kk_json_obj_close(&j);
		if (!rc)
			rc = kk_json_error(&j);
		if (!rc)
			printf("%s\n", b.ptr);
	}
	kk_buf_release(&b);
	if (rc) {
		cli_error("cwe show: %s", kk_db_errmsg(db));
		kk_db_close(db);
		return KK_EXIT_FAIL;
	}
	kk_db_close(db);
	return KK_EXIT_OK;
}

int cmd_cwe_search(struct kk_cli *cli, int argc, char **argv)
{
	const char *text = NULL, *limit_s = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--limit", &limit_s);
		if (r < 0)
			return cli_usage("cwe search", "--limit needs a number");
		if (r)
			continue;
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!text && strncmp(argv[i], "--", 2))
			text = argv[i];
		else
			return cli_usage("cwe search", "unexpected argument '%s'", argv[i]);
	}
	if (!text || !*text)
		return cli_usage("cwe search", "give TEXT to look for in CWE names, e.g. 'cross-site'");
	long limit = 50;
	if (limit_s) {
		char *end;
		limit = strtol(limit_s, &end, 10);
		if (*end || limit < 1 || limit > 10000)
			return cli_usage("cwe search", "--limit must be a number from 1 to 10000, not '%s'", limit_s);
	}
	/* LIKE pattern with %, _ and \ in TEXT taken literally */
	char pat[512];
	size_t n = 0;
	pat[n++] = '%';
	for (const char *p = text; *p && n < sizeof(pat) - 3; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			pat[n++] = '\\';
		pat[n++] = *p;
	}
	pat[n++] = '%';
	pat[n] = 0;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, name, kind, status FROM cwe WHERE lower(name) LIKE lower(?) ESCAPE '\\' "
			       "ORDER BY id LIMIT ?",
			       &st);
	if (rc) {
		cli_error("cwe search: %s", kk_db_errmsg(db));
		kk_db_close(db);
		return KK_EXIT_FAIL;
	}
	kk_stmt_bind_text(st, 1, pat, -1);
	kk_stmt_bind_int64(st, 2, limit);
	struct kk_buf b = KK_BUF_INIT(16 << 20);
	struct kk_json j;
	kk_json_init(&j, &b);
	if (json)
		kk_json_arr_open(&j);
	int found = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		found++;
		if (json) {
			kk_json_obj_open(&j);
			kk_json_kv_int(&j, "id", kk_stmt_int64(st, 0));
			kk_json_kv_str(&j, "name", kk_stmt_text(st, 1));
			kk_json_kv_str(&j, "kind", kk_stmt_text(st, 2));
			kk_json_kv_str(&j, "status", kk_stmt_text(st, 3));
			kk_json_obj_close(&j);
		} else {
			printf("CWE-%lld\t%s\n", (long long)kk_stmt_int64(st, 0), kk_stmt_text(st, 1));
		}
	}
	kk_stmt_done(st);
	if (json) {
		kk_json_arr_close(&j);
		if (rc >= 0 && !kk_json_error(&j))
			printf("%s\n", b.ptr);
	}
	kk_buf_release(&b);
	if (rc < 0) {
		cli_error("cwe search: %s", kk_db_errmsg(db));
		kk_db_close(db);
		return KK_EXIT_FAIL;
	}
	kk_db_close(db);
	if (!found && !json)
		fprintf(stderr, "keikai cwe search: no CWE name contains '%s'\n", text);
	return KK_EXIT_OK;
}
