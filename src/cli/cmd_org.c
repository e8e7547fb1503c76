/*
 * cmd_org.c — `keikai org add` and `keikai org list`: organizations through
 * auth.h, each change in one transaction with its audit row.
 */
#include "auth/auth.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

struct org_add {
	struct kk_actor actor;
	const char *name;
	enum kk_org_kind kind;
	int64_t id;
	struct kk_diag d;
};

static int org_add_tx(struct kk_db *db, void *arg)
{
	struct org_add *a = arg;
	kk_diag_clear(&a->d);
	return kk_org_create(db, &a->actor, a->name, a->kind, &a->id, &a->d);
}

int cmd_org_add(struct kk_cli *cli, int argc, char **argv)
{
	const char *kind = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--kind", &kind);
		if (r < 0)
			return cli_usage("org add", "--kind needs one of %s", kk_org_kind_choices());
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("org add", "unknown option '%s'", argv[i]);
		if (name)
			return cli_usage("org add", "one NAME only (quote a name with spaces: \"Acme Corp\")");
		name = argv[i];
	}
	struct org_add a = {.name = name};
	if (!kind)
		return cli_usage("org add", "--kind is required: one of %s", kk_org_kind_choices());
	if (kk_org_kind_parse(kind, &a.kind))
		return cli_usage("org add", "unknown kind '%s'; use one of %s", kind, kk_org_kind_choices());
	if (!name)
		return cli_usage("org add", "give the organization's NAME");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	kk_actor_system(&a.actor, NULL);
	int rc = kk_db_tx(db, org_add_tx, &a);
	kk_db_close(db);
	if (rc == KK_EEXISTS)
		return cli_error("org add: %s; 'keikai org list' shows them", a.d.msg);
	if (rc)
		return cli_error("org add: %s", a.d.msg[0] ? a.d.msg : kk_err_msg(rc));
	printf("created organization %s (%s, id %lld)\n", name, kind, (long long)a.id);
	return KK_EXIT_OK;
}

static int org_print(void *arg, const struct kk_org *o)
{
	struct cli_list *p = arg;
	p->n++;
	char at[32];
	kk_time_iso(o->created_at, at, sizeof(at));
	if (!p->json) {
		printf("%-6lld %-15s %-21s %s\n", (long long)o->id, kk_org_kind_name(o->kind), at, o->name);
		return 0;
	}
	kk_json_obj_open(&p->j);
	kk_json_kv_int(&p->j, "id", o->id);
	kk_json_kv_str(&p->j, "name", o->name);
	kk_json_kv_str(&p->j, "kind", kk_org_kind_name(o->kind));
	kk_json_kv_str(&p->j, "created_at", at);
	kk_json_obj_close(&p->j);
	return 0;
}

static int org_walk(struct kk_db *db, struct cli_list *l)
{
	return kk_org_list(db, org_print, l);
}

int cmd_org_list(struct kk_cli *cli, int argc, char **argv)
{
	struct cli_list l;
	char header[80];
	snprintf(header, sizeof(header), "%-6s %-15s %-21s %s", "ID", "KIND", "CREATED", "NAME");
	return cli_list_run(cli, "org list", argc, argv, &l, header, org_walk,
			    "(no organizations yet; add one with 'keikai org add --kind vendor NAME')");
}
