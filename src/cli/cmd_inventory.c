/*
 * cmd_inventory.c — `keikai inventory …`: inventories of installed software
 * from the command line (watch/inventory.h), as the system actor.
 */
#include "auth/auth.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/inventory.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INV_MAX_INPUT (256u << 20)

static int diag_fail(const char *cmd, int rc, const struct kk_diag *d)
{
	if (d->where[0])
		return cli_error("%s: %s: %s", cmd, d->where, d->msg[0] ? d->msg : kk_err_msg(rc));
	return cli_error("%s: %s", cmd, d->msg[0] ? d->msg : kk_err_msg(rc));
}

static int inv_id(const char *cmd, const char *s, int64_t *id)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return cli_usage(cmd, "give the inventory's id (see 'keikai inventory list')");
	*id = v;
	return 0;
}

int cmd_inventory_create(struct kk_cli *cli, int argc, char **argv)
{
	const char *org = NULL, *user = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--org", &org)) || (rc = cli_opt(argc, argv, &i, "--user", &user))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	if (!name || (!org == !user))
		return cli_usage(argv[0], "give a NAME and either --org ORG or --user EMAIL");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	int64_t org_id = 0, id = 0;
	int rc;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (org) {
		struct kk_org o;
		if ((rc = kk_org_find(db, org, &o))) {
			kk_db_close(db);
			return cli_error("inventory create: no organization '%s' (see 'keikai org list')", org);
		}
		org_id = o.id;
	} else {
		struct kk_user u;
		if ((rc = kk_user_find(db, user, &u))) {
			kk_db_close(db);
			return cli_error("inventory create: no user '%s' (see 'keikai user list')", user);
		}
		a.user_id = u.id; /* the system acting for the user: their personal inventory */
	}
	rc = kk_inv_create(db, &a, org_id, name, &id, &d);
	kk_db_close(db);
	if (rc)
		return diag_fail("inventory create", rc, &d);
	printf("%lld\n", (long long)id);
	return KK_EXIT_OK;
}

static int list_row(void *arg, const struct kk_inventory *v)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		kk_json_obj_open(&l->j);
		kk_json_kv_int(&l->j, "id", v->id);
		kk_json_kv_str(&l->j, "name", v->name);
		if (v->org_id) {
			kk_json_kv_int(&l->j, "org_id", v->org_id);
			kk_json_kv_str(&l->j, "organization", v->org_name);
		} else {
			kk_json_kv_int(&l->j, "user_id", v->user_id);
		}
		kk_json_kv_int(&l->j, "items", v->items);
		kk_json_obj_close(&l->j);
	} else {
		printf("%-6lld %-32s %-24s %ld\n", (long long)v->id, v->name, v->org_id ? v->org_name : "(personal)",
		       v->items);
	}
	return 0;
}

static int list_walk(struct kk_db *db, struct cli_list *l)
{
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	return kk_inv_list(db, &a, list_row, l);
}

int cmd_inventory_list(struct kk_cli *cli, int argc, char **argv)
{
	struct cli_list l;
	return cli_list_run(cli, argv[0], argc, argv, &l, "ID     NAME                             OWNER                    ITEMS",
	                    list_walk, "no inventories yet: 'keikai inventory create NAME --org ORG'");
}

int cmd_inventory_import(struct kk_cli *cli, int argc, char **argv)
{
	const char *file = NULL, *ids = NULL;
	bool add = false, json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--add"))
			add = true;
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!ids && argv[i][0] != '-')
			ids = argv[i];
		else if (!file && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
			file = argv[i];
		else
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
	}
	int64_t id = 0;
	if (inv_id(argv[0], ids, &id))
		return KK_EXIT_USAGE;
	if (!file)
		return cli_usage(argv[0], "give the SBOM or package list to import (FILE or -)");
	struct kk_buf in;
	struct kk_arena ar;
	struct kk_diag d;
	struct kk_sbom s;
	struct kk_inv_diff diff;
	struct kk_db *db = NULL;
	int ex = KK_EXIT_FAIL, rc;
	kk_buf_init(&in, INV_MAX_INPUT);
	kk_arena_init(&ar, 0);
	kk_diag_clear(&d);
	if (cli_read_file(file, &in))
		goto out;
	if ((rc = kk_sbom_parse(in.ptr, in.len, &ar, &s, &d)) < 0) {
		diag_fail(file, rc, &d);
		goto out;
	}
	if (cli_open_db(cli, &db))
		goto out;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	if ((rc = kk_inv_import(db, &a, id, &s, !add, &ar, &diff, &d))) {
		diag_fail("inventory import", rc, &d);
		goto out;
	}
	if (json) {
		struct kk_buf b;
		struct kk_json j;
		kk_buf_init(&b, 0);
		kk_json_init(&j, &b);
		kk_json_obj_open(&j);
		kk_json_kv_str(&j, "format", kk_sbom_format_name(s.format));
		kk_json_kv_int(&j, "added", diff.added);
		kk_json_kv_int(&j, "removed", diff.removed);
		kk_json_kv_int(&j, "upgraded", diff.upgraded);
		kk_json_kv_int(&j, "downgraded", diff.downgraded);
		kk_json_kv_int(&j, "changed", diff.changed);
		kk_json_kv_int(&j, "kept", diff.kept);
		kk_json_key(&j, "changes");
		kk_json_arr_open(&j);
		for (size_t i = 0; i < diff.n; i++) {
			kk_json_obj_open(&j);
			kk_json_kv_str(&j, "change", kk_inv_change_name(diff.v[i].kind));
			kk_json_kv_str(&j, "key", diff.v[i].key);
			kk_json_kv_str(&j, "name", diff.v[i].name);
			if (diff.v[i].from)
				kk_json_kv_str(&j, "from", diff.v[i].from);
			if (diff.v[i].to)
				kk_json_kv_str(&j, "to", diff.v[i].to);
			kk_json_obj_close(&j);
		}
		kk_json_arr_close(&j);
		kk_json_obj_close(&j);
		fwrite(b.ptr, 1, b.len, stdout);
		putchar('\n');
		kk_buf_release(&b);
	} else {
		for (size_t i = 0; i < diff.n; i++)
			printf("%-10s %-40s %s%s%s\n", kk_inv_change_name(diff.v[i].kind), diff.v[i].name,
			       diff.v[i].from ? diff.v[i].from : "", diff.v[i].from && diff.v[i].to ? " -> " : "",
			       diff.v[i].to ? diff.v[i].to : "");
		printf("%s: %zu items: %ld added, %ld removed, %ld upgraded, %ld downgraded, %ld changed, %ld unchanged\n",
		       kk_sbom_format_name(s.format), s.n, diff.added, diff.removed, diff.upgraded, diff.downgraded,
		       diff.changed, diff.kept);
	}
	ex = KK_EXIT_OK;
out:
	if (db)
		kk_db_close(db);
	kk_arena_release(&ar);
	kk_buf_release(&in);
	return ex;
}

int cmd_inventory_add(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_inv_item_new it = {0};
	const char *ids = NULL;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--product", &it.product)) ||
		    (rc = cli_opt(argc, argv, &i, "--name", &it.name)) ||
		    (rc = cli_opt(argc, argv, &i, "--version", &it.version)) ||
		    (rc = cli_opt(argc, argv, &i, "--vendor", &it.vendor)) ||
		    (rc = cli_opt(argc, argv, &i, "--cpe", &it.cpe)) || (rc = cli_opt(argc, argv, &i, "--purl", &it.purl)) ||
		    (rc = cli_opt(argc, argv, &i, "--owner", &it.owner)) || (rc = cli_opt(argc, argv, &i, "--due", &it.due))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if (!ids && argv[i][0] != '-') {
			ids = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	int64_t id = 0, item = 0;
	if (inv_id(argv[0], ids, &id))
		return KK_EXIT_USAGE;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_actor_system(&a, NULL);
	int rc = kk_inv_add_item(db, &a, id, &it, &item, &d);
	kk_db_close(db);
	if (rc)
		return diag_fail("inventory add", rc, &d);
	printf("%lld\n", (long long)item);
	return KK_EXIT_OK;
}

int cmd_inventory_check(struct kk_cli *cli, int argc, char **argv)
{
	const char *ids = NULL, *format = "table", *fail_on = NULL, *lang = "en";
	bool all = false;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--format", &format)) ||
		    (rc = cli_opt(argc, argv, &i, "--fail-on", &fail_on)) || (rc = cli_opt(argc, argv, &i, "--lang", &lang))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!ids && argv[i][0] != '-') {
			ids = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	int64_t id = 0;
	if (inv_id(argv[0], ids, &id))
		return KK_EXIT_USAGE;
	if (strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "cyclonedx-vex") && strcmp(format, "table"))
		return cli_usage(argv[0], "--format must be table, json, sarif or cyclonedx-vex");
	int min = fail_on ? kk_check_severity_parse(fail_on) : 5;
	if (min < 0)
		return cli_usage(argv[0], "--fail-on must be low, medium, high or critical");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_arena ar;
	kk_arena_init(&ar, 0);
	struct kk_sbom s;
	int64_t *item_ids;
	struct kk_check_result r;
	int rc = kk_inv_check(db, &a, id, lang, &ar, &s, &item_ids, &r), ex = KK_EXIT_FAIL;
	if (rc) {
		cli_error("inventory check: %s", rc == KK_ENOTFOUND ? "no such inventory" : kk_err_msg(rc));
		goto out;
	}
	struct kk_buf b;
	struct kk_json j;
	kk_buf_init(&b, 0);
	kk_json_init(&j, &b);
	if (!strcmp(format, "sarif"))
		kk_check_sarif(&j, &r, "inventory");
	else if (!strcmp(format, "cyclonedx-vex"))
		kk_check_cyclonedx_vex(&j, &r, &s, kk_clock_now());
	else if (!strcmp(format, "json"))
		kk_check_json(&j, &r, all);
	if (strcmp(format, "table")) {
		fwrite(b.ptr, 1, b.len, stdout);
		putchar('\n');
	} else {
		for (size_t i = 0; i < r.n; i++)
			for (size_t k = 0; k < r.items[i].nm; k++) {
				const struct kk_check_match *m = &r.items[i].m[k];
				if (m->suppressed && !all)
					continue;
				printf("%-6lld %-32.64s %-16.32s %-20s %-16s %-8s %-3s %s%s\n", (long long)item_ids[i],
				       r.items[i].in->name, r.items[i].in->version ? r.items[i].in->version : "-", m->rec.jvndb,
				       m->rec.cve[0] ? m->rec.cve : "-", kk_search_severity_name(m->rec.severity),
				       m->rec.kev ? "yes" : "-", m->fixed ? m->fixed : "-",
				       m->suppressed ? (m->dismissed ? " [dismissed]" : " [VEX]") : "");
			}
		printf("%zu items, %ld affected, %ld matches, %ld suppressed\n", r.n, r.affected, r.matches, r.suppressed);
	}
	kk_buf_release(&b);
	ex = kk_check_fails(&r, min) ? KK_EXIT_FAIL : KK_EXIT_OK;
out:
	kk_arena_release(&ar);
	kk_db_close(db);
	return ex;
}

int cmd_inventory_dismiss(struct kk_cli *cli, int argc, char **argv)
{
	const char *pos[3] = {0}, *reason = NULL;
	int np = 0;
	bool restore = false;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--reason", &reason))) {
			if (rc < 0)
				return cli_usage(argv[0], "--reason needs a text");
		} else if (!strcmp(argv[i], "--restore")) {
			restore = true;
		} else if (np < 3 && argv[i][0] != '-') {
			pos[np++] = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	int64_t id = 0, item = 0;
	if (np != 3 || inv_id(argv[0], pos[0], &id) || inv_id(argv[0], pos[1], &item))
		return cli_usage(argv[0], "give INVENTORY ITEM VULN");
	if (!restore && !reason)
		return cli_usage(argv[0], "say why with --reason (or --restore to undo)");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_actor_system(&a, NULL);
	int rc = kk_inv_dismiss(db, &a, id, item, pos[2], restore ? NULL : reason, &d);
	kk_db_close(db);
	return rc ? diag_fail("inventory dismiss", rc, &d) : KK_EXIT_OK;
}

int cmd_inventory_vex(struct kk_cli *cli, int argc, char **argv)
{
	const char *ids = NULL, *file = NULL, *items = NULL, *vuln = NULL, *state = NULL, *just = NULL, *detail = NULL;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--import", &file)) || (rc = cli_opt(argc, argv, &i, "--item", &items)) ||
		    (rc = cli_opt(argc, argv, &i, "--vuln", &vuln)) || (rc = cli_opt(argc, argv, &i, "--state", &state)) ||
		    (rc = cli_opt(argc, argv, &i, "--justification", &just)) ||
		    (rc = cli_opt(argc, argv, &i, "--detail", &detail))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if (!ids && argv[i][0] != '-') {
			ids = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	int64_t id = 0, item = 0;
	if (inv_id(argv[0], ids, &id) || (items && inv_id(argv[0], items, &item)))
		return KK_EXIT_USAGE;
	if (!file == !vuln)
		return cli_usage(argv[0], "give --import FILE, or --vuln ID --state STATE [--item N]");
	enum kk_vex_state st = KK_VEX_NONE;
	if (vuln && kk_vex_state_parse(state, &st))
		return cli_usage(argv[0], "--state must be affected, not_affected, fixed or under_investigation");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_actor_system(&a, NULL);
	int rc;
	long n = 1;
	if (file) {
		struct kk_buf b;
		kk_buf_init(&b, INV_MAX_INPUT);
		rc = cli_read_file(file, &b) ? KK_EIO : kk_inv_vex_import(db, &a, id, b.ptr, b.len, &n, &d);
		kk_buf_release(&b);
	} else {
		rc = kk_inv_vex_set(db, &a, id, item, vuln, st, just, detail, &d);
	}
	kk_db_close(db);
	if (rc == KK_EIO)
		return KK_EXIT_FAIL;
	if (rc)
		return diag_fail("inventory vex", rc, &d);
	printf("%ld statement%s stored\n", n, n == 1 ? "" : "s");
	return KK_EXIT_OK;
}
