/*
 * cmd_audit.c — `keikai audit`: lists the audit log, newest first, as text
 * or JSON lines.
 */
#include "auth/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct audit_print {
	bool json;
	struct kk_buf line;
};

static int audit_print(void *arg, const struct kk_audit_entry *e)
{
	struct audit_print *p = arg;
	char at[32];
	kk_time_iso(e->at, at, sizeof(at));
	if (!p->json) {
		printf("%s  %-28s %-16s %s/%s  %s\n", at, e->actor_label, e->action, e->object_type, e->object_id,
		       e->summary);
		return 0;
	}
	kk_buf_reset(&p->line);
	struct kk_json j;
	kk_json_init(&j, &p->line);
	kk_json_obj_open(&j);
	kk_json_kv_int(&j, "id", e->id);
	kk_json_kv_str(&j, "at", at);
	if (e->actor_user_id)
		kk_json_kv_int(&j, "actor_user_id", e->actor_user_id);
	else
		kk_json_kv_null(&j, "actor_user_id");
	kk_json_kv_str(&j, "actor", e->actor_label);
	kk_json_kv_str(&j, "action", e->action);
	kk_json_kv_str(&j, "object_type", *e->object_type ? e->object_type : NULL);
	kk_json_kv_str(&j, "object_id", *e->object_id ? e->object_id : NULL);
	kk_json_kv_str(&j, "summary", *e->summary ? e->summary : NULL);
	/* before/after were written by keikai as JSON objects */
	kk_json_key(&j, "before");
	if (*e->before)
		kk_json_raw(&j, e->before, strlen(e->before));
	else
		kk_json_null(&j);
	kk_json_key(&j, "after");
	if (*e->after)
		kk_json_raw(&j, e->after, strlen(e->after));
	else
		kk_json_null(&j);
	kk_json_obj_close(&j);
	if (kk_json_error(&j))
		return kk_json_error(&j);
	printf("%s\n", p->line.ptr);
	return 0;
}

/* `keikai audit verify`: proves the hash chain or names the first broken row (exit 1). */
static int audit_verify(struct kk_cli *cli, int argc, char **argv)
{
	bool json = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			return cli_usage("audit", "unknown argument '%s' for 'audit verify'", argv[i]);
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_audit_check c;
	int rc = kk_audit_verify(db, &c);
	kk_db_close(db);
	if (rc < 0)
		return cli_error("audit verify: %s", kk_err_msg(rc));
	if (json)
		printf("{\"ok\":%s,\"rows\":%lld,\"broken_id\":%lld,\"head\":\"%s\"}\n", c.broken_id ? "false" : "true",
		       (long long)c.rows, (long long)c.broken_id, c.head);
	else if (!c.broken_id)
		printf("audit log intact: %lld rows chained, head %s\n", (long long)c.rows, c.head[0] ? c.head : "-");
	if (c.broken_id) {
		fprintf(stderr,
		        "audit verify: row %lld does not match its hash: it, or the row before it, was changed, "
		        "inserted or removed outside keikai (%lld rows before it are intact)\n",
		        (long long)c.broken_id, (long long)c.rows - 1);
		return KK_EXIT_FAIL;
	}
	return KK_EXIT_OK;
}

int cmd_audit(struct kk_cli *cli, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return audit_verify(cli, argc, argv);
	struct kk_audit_query q = {.limit = 100};
	struct audit_print p = {.json = false, .line = KK_BUF_INIT(1 << 20)};
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--since", &v)) > 0) {
			if (kk_time_parse(v, &q.since))
				return cli_usage("audit", "--since '%s' is not a date; use YYYY-MM-DD or "
							  "YYYY-MM-DDTHH:MM:SSZ",
						 v);
		} else if (!r && (r = cli_opt(argc, argv, &i, "--limit", &v)) > 0) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 10000)
				return cli_usage("audit", "--limit '%s' must be a number from 1 to 10000", v);
			q.limit = (int)n;
		} else if (!r && !strcmp(argv[i], "--json")) {
			p.json = true;
		} else if (r < 0) {
			return cli_usage("audit", "%s needs a value", argv[i]);
		} else {
			return cli_usage("audit", "unknown argument '%s'", argv[i]);
		}
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	int rc = kk_audit_list(db, &q, audit_print, &p);
	kk_db_close(db);
	kk_buf_release(&p.line);
	if (rc < 0)
		return cli_error("audit: %s", kk_err_msg(rc));
	if (rc == 0 && !p.json)
		fprintf(stderr, "(no audit entries%s)\n", q.since ? " since then" : "");
	return KK_EXIT_OK;
}
