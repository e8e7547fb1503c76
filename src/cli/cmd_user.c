/*
 * cmd_user.c — `keikai user add|list|passwd|disable|enable`: accounts through
 * auth.h, each change in one transaction with its audit row.
 */
#include "auth/auth.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/*
 * Gets a new password: generated (printed later by the caller) or one line
 * of stdin, checked and hashed. Returns 0 or an exit code after the error.
 */
static int new_password_hash(const char *cmd, bool generate, char pw[KK_PASSWORD_MAX + 2],
			     char hash[KK_PASSWORD_HASH_MAX])
{
	if (generate) {
		kk_password_generate(pw, KK_PASSWORD_MAX + 2);
	} else {
		int r = cli_read_secret_line("password", pw, KK_PASSWORD_MAX + 2);
		if (r == -1)
			return cli_error("%s: no password on standard input; pipe one line (at least %d characters) "
					 "or use --generate-password",
					 cmd, KK_PASSWORD_MIN);
		if (r == -2)
			return cli_error("%s: the password is longer than %d bytes; use a shorter one", cmd,
					 KK_PASSWORD_MAX);
	}
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_password_check(pw, &d)) {
		sodium_memzero(pw, KK_PASSWORD_MAX + 2);
		return cli_error("%s: %s", cmd, d.msg);
	}
	int rc = kk_password_hash(pw, hash);
	if (rc) {
		sodium_memzero(pw, KK_PASSWORD_MAX + 2);
		return cli_error("%s: cannot hash the password: %s", cmd, kk_err_msg(rc));
	}
	if (!generate)
		sodium_memzero(pw, KK_PASSWORD_MAX + 2);
	return 0;
}

/* ---- user add --------------------------------------------------------- */

struct user_add {
	struct kk_actor actor;
	struct kk_user_new u;
	const char *org_name;
	int64_t id;
	bool no_org;
	struct kk_diag d;
};

static int user_add_tx(struct kk_db *db, void *arg)
{
	struct user_add *a = arg;
	kk_diag_clear(&a->d);
	a->no_org = false;
	if (a->org_name) {
		struct kk_org o;
		int rc = kk_org_find(db, a->org_name, &o);
		if (rc == KK_ENOTFOUND) {
			a->no_org = true;
			return rc;
		}
		if (rc)
			return rc;
		a->u.org_id = o.id;
	}
	return kk_user_create(db, &a->actor, &a->u, &a->id, &a->d);
}

int cmd_user_add(struct kk_cli *cli, int argc, char **argv)
{
	const char *email = NULL, *name = NULL, *role = NULL, *org = NULL;
	bool generate = false;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--email", &v)) > 0)
			email = v;
		else if (!r && (r = cli_opt(argc, argv, &i, "--name", &v)) > 0)
			name = v;
		else if (!r && (r = cli_opt(argc, argv, &i, "--role", &v)) > 0)
			role = v;
		else if (!r && (r = cli_opt(argc, argv, &i, "--org", &v)) > 0)
			org = v;
		else if (!r && !strcmp(argv[i], "--generate-password"))
			generate = true;
		else if (r < 0)
			return cli_usage("user add", "%s needs a value", argv[i]);
		else
			return cli_usage("user add", "unknown argument '%s'", argv[i]);
	}
	if (!email || !name || !role)
		return cli_usage("user add", "--email, --name and --role are required");
	struct user_add a = {.u = {.email = email, .name = name}, .org_name = org};
	if (kk_role_parse(role, &a.u.role))
		return cli_usage("user add", "unknown role '%s'; use one of %s", role, kk_role_choices());
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	char pw[KK_PASSWORD_MAX + 2], hash[KK_PASSWORD_HASH_MAX];
	int rc = new_password_hash("user add", generate, pw, hash);
	if (rc) {
		kk_db_close(db);
		return rc;
	}
	a.u.password_hash = hash;
	kk_actor_system(&a.actor, NULL);
	rc = kk_db_tx(db, user_add_tx, &a);
	kk_db_close(db);
	sodium_memzero(hash, sizeof(hash));
	if (rc) {
		sodium_memzero(pw, sizeof(pw));
		if (a.no_org) {
			const char *kind = a.u.role == KK_ROLE_OPERATOR	      ? "operator"
					   : a.u.role == KK_ROLE_INFRASTRUCTURE ? "infrastructure"
					   : a.u.role == KK_ROLE_RECEIVER	      ? "receiver"
					   : a.u.role == KK_ROLE_COORDINATOR    ? "coordinator"
										      : "vendor";
			return cli_error("user add: no organization named '%s'; create it with 'keikai org add --kind "
					 "%s \"%s\"' (or see 'keikai org list')",
					 org, kind, org);
		}
		if (rc == KK_EEXISTS)
			return cli_error("user add: %s; see 'keikai user list'", a.d.msg);
		if (rc == KK_EINVAL && a.d.msg[0] && !strcmp(a.d.where, "org") && !org)
			return cli_error("user add: %s with --org NAME", a.d.msg);
		return cli_error("user add: %s", a.d.msg[0] ? a.d.msg : kk_err_msg(rc));
	}
	printf("created user %s (%s%s%s, id %lld)\n", email, role, org ? ", " : "", org ? org : "", (long long)a.id);
	if (generate) {
		printf("password: %s\n", pw);
		sodium_memzero(pw, sizeof(pw));
	}
	return KK_EXIT_OK;
}

/* ---- user list -------------------------------------------------------- */

static int user_print(void *arg, const struct kk_user *u)
{
	struct cli_list *p = arg;
	p->n++;
	char at[32];
	kk_time_iso(u->created_at, at, sizeof(at));
	if (!p->json) {
		printf("%-5lld %-32s %-14s %-20s %-8s %s\n", (long long)u->id, u->email, kk_role_name(u->role),
		       u->org_id ? u->org_name : "-", u->disabled ? "disabled" : "active", u->name);
		return 0;
	}
	kk_json_obj_open(&p->j);
	kk_json_kv_int(&p->j, "id", u->id);
	kk_json_kv_str(&p->j, "email", u->email);
	kk_json_kv_str(&p->j, "name", u->name);
	kk_json_kv_str(&p->j, "role", kk_role_name(u->role));
	if (u->org_id)
		kk_json_kv_str(&p->j, "organization", u->org_name);
	else
		kk_json_kv_null(&p->j, "organization");
	kk_json_kv_bool(&p->j, "disabled", u->disabled);
	kk_json_kv_str(&p->j, "created_at", at);
	kk_json_obj_close(&p->j);
	return 0;
}

static int user_walk(struct kk_db *db, struct cli_list *l)
{
	return kk_user_list(db, user_print, l);
}

int cmd_user_list(struct kk_cli *cli, int argc, char **argv)
{
	struct cli_list l;
	char header[128];
	snprintf(header, sizeof(header), "%-5s %-32s %-14s %-20s %-8s %s", "ID", "EMAIL", "ROLE", "ORGANIZATION",
		 "STATE", "NAME");
	return cli_list_run(cli, "user list", argc, argv, &l, header, user_walk,
			    "(no users yet; add one with 'keikai user add --email E --name N --role admin')");
}

/* ---- user passwd / disable / enable ----------------------------------- */

struct user_change {
	struct kk_actor actor;
	const char *email;
	const char *hash; /* passwd */
	bool disabled;	  /* disable/enable */
	enum kk_role role;    /* role */
	const char *org_name; /* role: NULL = no organization */
	bool no_org;          /* role: org_name names none */
	struct kk_diag d;
};

static int find_for_change(struct kk_db *db, const char *email, int64_t *id)
{
	struct kk_user u;
	int rc = kk_user_find(db, email, &u);
	*id = rc ? 0 : u.id;
	return rc;
}

static int passwd_tx(struct kk_db *db, void *arg)
{
	struct user_change *c = arg;
	int64_t id;
	int rc = find_for_change(db, c->email, &id);
	return rc ? rc : kk_user_set_password(db, &c->actor, id, c->hash);
}

static int disable_tx(struct kk_db *db, void *arg)
{
	struct user_change *c = arg;
	int64_t id;
	int rc = find_for_change(db, c->email, &id);
	return rc ? rc : kk_user_set_disabled(db, &c->actor, id, c->disabled);
}

static int role_tx(struct kk_db *db, void *arg)
{
	struct user_change *c = arg;
	int64_t id, org_id = 0;
	kk_diag_clear(&c->d);
	c->no_org = false;
	int rc = find_for_change(db, c->email, &id);
	if (rc)
		return rc;
	if (c->org_name) {
		struct kk_org o;
		if ((rc = kk_org_find(db, c->org_name, &o)) == KK_ENOTFOUND)
			c->no_org = true;
		if (rc)
			return rc;
		org_id = o.id;
	}
	return kk_user_set_role(db, &c->actor, id, c->role, org_id, &c->d);
}

int cmd_user_role(struct kk_cli *cli, int argc, char **argv)
{
	const char *email = NULL, *role = NULL, *org = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--org", &org);
		if (r < 0)
			return cli_usage(argv[0], "--org needs an organization name");
		if (r)
			continue;
		if (argv[i][0] == '-' || (email && role))
			return cli_usage(argv[0], "unexpected argument '%s'", argv[i]);
		if (!email)
			email = argv[i];
		else
			role = argv[i];
	}
	if (!email || !role)
		return cli_usage(argv[0], "give the user's EMAIL and the new ROLE");
	struct user_change c = {.org_name = org};
	if (kk_role_parse(role, &c.role) < 0 || c.role == KK_ROLE_PUBLIC)
		return cli_usage(argv[0], "'%s' is not a role; one of %s", role, kk_role_choices());
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	c.email = email;
	kk_actor_system(&c.actor, NULL);
	int rc = kk_db_tx(db, role_tx, &c);
	kk_db_close(db);
	if (rc == KK_ENOTFOUND && c.no_org)
		return cli_error("user role: no organization named '%s'; 'keikai org list' shows them", org);
	if (rc == KK_ENOTFOUND)
		return cli_error("user role: no user with email %s; 'keikai user list' shows them", email);
	if (rc && c.d.msg[0])
		return cli_error("user role: %s%s", c.d.msg,
				 !strcmp(c.d.where, "org") && !org ? " (with --org NAME)" : "");
	if (rc)
		return cli_error("user role: %s", kk_err_msg(rc));
	printf("user %s is now %s%s%s (their sessions ended)\n", email, kk_role_name(c.role), org ? " of " : "",
	       org ? org : "");
	return KK_EXIT_OK;
}

/* One EMAIL argument. */
static const char *one_email(const char *cmd, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		cli_usage(cmd, argc < 2 ? "give the user's EMAIL" : "expected exactly one EMAIL");
		return NULL;
	}
	return argv[1];
}

static int change(struct kk_cli *cli, const char *cmd, const char *email, struct user_change *c,
		  int (*fn)(struct kk_db *, void *))
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	c->email = email;
	kk_actor_system(&c->actor, NULL);
	int rc = kk_db_tx(db, fn, c);
	kk_db_close(db);
	if (rc == KK_ENOTFOUND)
		return cli_error("%s: no user with email %s; 'keikai user list' shows them", cmd, email);
	if (rc)
		return cli_error("%s: %s", cmd, kk_err_msg(rc));
	return KK_EXIT_OK;
}

int cmd_user_passwd(struct kk_cli *cli, int argc, char **argv)
{
	bool generate = false;
	const char *email = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--generate-password"))
			generate = true;
		else if (argv[i][0] == '-' || email)
			return cli_usage("user passwd", "unexpected argument '%s'", argv[i]);
		else
			email = argv[i];
	}
	if (!email)
		return cli_usage("user passwd", "give the user's EMAIL");
	char pw[KK_PASSWORD_MAX + 2], hash[KK_PASSWORD_HASH_MAX];
	int rc = new_password_hash("user passwd", generate, pw, hash);
	if (rc)
		return rc;
	struct user_change c = {.hash = hash};
	rc = change(cli, "user passwd", email, &c, passwd_tx);
	sodium_memzero(hash, sizeof(hash));
	if (rc == KK_EXIT_OK) {
		printf("changed the password of %s (their sessions were ended)\n", email);
		if (generate)
			printf("password: %s\n", pw);
	}
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

int cmd_user_disable(struct kk_cli *cli, int argc, char **argv)
{
	const char *email = one_email("user disable", argc, argv);
	if (!email)
		return KK_EXIT_USAGE;
	struct user_change c = {.disabled = true};
	int rc = change(cli, "user disable", email, &c, disable_tx);
	if (rc == KK_EXIT_OK)
		printf("disabled user %s (sessions ended; API tokens refused while disabled)\n", email);
	return rc;
}

int cmd_user_enable(struct kk_cli *cli, int argc, char **argv)
{
	const char *email = one_email("user enable", argc, argv);
	if (!email)
		return KK_EXIT_USAGE;
	struct user_change c = {.disabled = false};
	int rc = change(cli, "user enable", email, &c, disable_tx);
	if (rc == KK_EXIT_OK)
		printf("enabled user %s\n", email);
	return rc;
}
