/*
 * cmd_incident.c — `keikai incident ...`: the categories, staff entering an
 * incident report received by mail, the list, one report (the reporter's
 * contact only with --reveal, audited), evidence files, and the reporter's
 * view through the secret link.
 */
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "incident/incident.h"
#include "store/db.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_key(struct kk_cli *cli, unsigned char key[KK_KEY_BYTES])
{
	char path[1024];
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_keyfile_path(cli->db_path, NULL, path, sizeof(path)))
		return cli_error("key file path too long; set KEIKAI_KEY_FILE");
	if (kk_keyfile_load(path, key, &d))
		return cli_error("%s", d.msg);
	return 0;
}

static int diag_error(const char *cmd, int rc, const struct kk_diag *d)
{
	if (d->where[0])
		return cli_error("%s: %s: %s", cmd, d->where, d->msg);
	return cli_error("%s: %s", cmd, d->msg[0] ? d->msg : kk_err_msg(rc));
}

static int print_json(struct kk_buf *b)
{
	fwrite(b->ptr, 1, b->len, stdout);
	fputc('\n', stdout);
	return 0;
}

static int cat_row(void *arg, const struct kk_incident_category *c)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		kk_json_obj_open(&l->j);
		kk_json_kv_str(&l->j, "code", c->code);
		kk_json_kv_str(&l->j, "name_ja", c->name_ja);
		kk_json_kv_str(&l->j, "name_en", c->name_en);
		kk_json_obj_close(&l->j);
	} else {
		printf("%-16s %s / %s\n", c->code, c->name_ja, c->name_en);
	}
	return 0;
}

static int cat_walk(struct kk_db *db, struct cli_list *l)
{
	return kk_incident_categories(db, cat_row, l);
}

int cmd_incident_categories(struct kk_cli *cli, int argc, char **argv)
{
	struct cli_list l = {0};
	return cli_list_run(cli, "incident categories", argc, argv, &l, "CODE             NAME", cat_walk,
			    "no categories (the database predates migration 0040?)");
}

struct submit {
	struct kk_actor actor;
	const unsigned char *key;
	struct kk_incident_input in;
	const char *base_url;
	struct kk_incident_receipt r;
	struct kk_diag d;
};

static int submit_tx(struct kk_db *db, void *arg)
{
	struct submit *s = arg;
	return kk_incident_submit(db, &s->actor, s->key, &s->in, "mail", s->base_url, &s->r, &s->d);
}

int cmd_incident_report(struct kk_cli *cli, int argc, char **argv)
{
	const char *file = NULL, *base = getenv("KEIKAI_BASE_URL");
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--json", &file);
		if (!r)
			r = cli_opt(argc, argv, &i, "--base-url", &base);
		if (r < 0)
			return cli_usage("incident report", "%s needs a value", argv[i]);
		if (!r)
			return cli_usage("incident report", "unknown argument '%s'", argv[i]);
	}
	if (!file)
		return cli_usage("incident report", "give --json FILE (or - for standard input)");
	struct kk_buf b = KK_BUF_INIT(KK_INCIDENT_JSON_MAX);
	if (cli_read_file(file, &b)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	struct submit s = {.base_url = base};
	kk_diag_clear(&s.d);
	int rc = kk_incident_parse(b.ptr, b.len, &s.in, &s.d);
	kk_buf_release(&b);
	if (rc)
		return diag_error("incident report", rc, &s.d);
	unsigned char key[KK_KEY_BYTES];
	struct kk_db *db = NULL;
	if (load_key(cli, key) || cli_open_db(cli, &db)) {
		kk_incident_input_release(&s.in);
		return KK_EXIT_FAIL;
	}
	kk_actor_system(&s.actor, NULL);
	s.key = key;
	rc = kk_db_tx(db, submit_tx, &s);
	kk_db_close(db);
	sodium_memzero(key, sizeof(key));
	kk_incident_input_release(&s.in);
	if (rc)
		return diag_error("incident report", rc, &s.d);
	printf("%s\nkey: %s\n", s.r.tracking, s.r.token);
	sodium_memzero(&s.r, sizeof(s.r));
	return 0;
}

struct list_arg {
	struct cli_list *l;
	struct kk_incident_query q;
};
static struct list_arg list_state;

static int list_row(void *arg, const struct kk_incident_row *r)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		kk_incident_row_json(r, &l->j);
	} else {
		printf("%-15s %-14s %-5s %-8s %s\n", r->tracking, r->category, r->tlp, r->status, r->summary);
	}
	return 0;
}

static int list_walk(struct kk_db *db, struct cli_list *l)
{
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_incident_list(db, &a, &list_state.q, list_row, l, &d);
	if (rc)
		diag_error("incident list", rc, &d);
	return rc;
}

int cmd_incident_list(struct kk_cli *cli, int argc, char **argv)
{
	memset(&list_state, 0, sizeof(list_state));
	char *rest[64];
	int n = 0;
	const char *limit = NULL;
	for (int i = 0; i < argc && n < 63; i++) {
		int r = i ? cli_opt(argc, argv, &i, "--category", &list_state.q.category) : 0;
		if (!r && i)
			r = cli_opt(argc, argv, &i, "--status", &list_state.q.status);
		if (!r && i)
			r = cli_opt(argc, argv, &i, "--limit", &limit);
		if (r < 0)
			return cli_usage("incident list", "%s needs a value", argv[i]);
		if (!r)
			rest[n++] = argv[i];
	}
	rest[n] = NULL;
	if (limit)
		list_state.q.limit = atoi(limit);
	struct cli_list l = {0};
	return cli_list_run(cli, "incident list", n, rest, &l, "TRACKING        CATEGORY       TLP   STATUS   SUMMARY",
			    list_walk, "no incident reports");
}

int cmd_incident_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL;
	bool reveal = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reveal"))
			reveal = true;
		else if (argv[i][0] == '-' || tracking)
			return cli_usage("incident show", "unknown argument '%s'", argv[i]);
		else
			tracking = argv[i];
	}
	if (!tracking)
		return cli_usage("incident show", "give the TRACKING number (IR-2026-000001)");
	struct kk_db *db;
	unsigned char key[KK_KEY_BYTES];
	if ((reveal && load_key(cli, key)) || cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_json_obj_open(&j);
	kk_json_key(&j, "report");
	int rc = kk_incident_staff_json(db, &a, tracking, &j, &d);
	if (!rc && reveal) {
		kk_json_key(&j, "reporter");
		rc = kk_incident_reveal(db, &a, key, tracking, &j, &d);
	}
	kk_json_obj_close(&j);
	if (reveal)
		sodium_memzero(key, sizeof(key));
	kk_db_close(db);
	if (!rc)
		print_json(&out);
	if (out.len)
		sodium_memzero(out.ptr, out.len);
	kk_buf_release(&out);
	return rc ? diag_error("incident show", rc, &d) : 0;
}

int cmd_incident_status(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL, *token = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--key", &token);
		if (r < 0)
			return cli_usage("incident status", "--key needs a value");
		if (r)
			continue;
		if (argv[i][0] == '-' || tracking)
			return cli_usage("incident status", "unknown argument '%s'", argv[i]);
		tracking = argv[i];
	}
	if (!tracking || !token)
		return cli_usage("incident status", "give TRACKING and --key TOKEN");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	int rc = kk_incident_reporter_json(db, tracking, token, &j);
	kk_db_close(db);
	if (!rc)
		print_json(&out);
	kk_buf_release(&out);
	return rc ? cli_error("incident status: no incident report matches this number and key") : 0;
}

struct attach {
	struct kk_actor actor;
	const char *tracking;
	struct kk_upload u;
	struct kk_stored_file s;
	struct kk_diag d;
};

static int attach_tx(struct kk_db *db, void *arg)
{
	struct attach *x = arg;
	return kk_incident_attach_link(db, &x->actor, false, x->tracking, &x->u, &x->s, &x->d);
}

int cmd_incident_attach(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL, *file = NULL, *dir = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--dir", &dir);
		if (!r)
			r = cli_opt(argc, argv, &i, "--name", &name);
		if (r < 0)
			return cli_usage("incident attach", "%s needs a value", argv[i]);
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("incident attach", "unknown option '%s'", argv[i]);
		if (!tracking)
			tracking = argv[i];
		else if (!file)
			file = argv[i];
		else
			return cli_usage("incident attach", "unexpected argument '%s'", argv[i]);
	}
	if (!tracking || !file)
		return cli_usage("incident attach", "give TRACKING and FILE");
	char defdir[1100];
	if (!dir || !*dir) {
		if (kk_intake_attach_dir(cli->db_path, defdir, sizeof(defdir)))
			return cli_usage("incident attach", "the attachment directory path is too long; give --dir");
		dir = defdir;
	}
	if (!name) {
		const char *slash = strrchr(file, '/');
		name = slash ? slash + 1 : file;
	}
	struct kk_buf b = KK_BUF_INIT(KK_ATTACH_MAX_DEFAULT);
	if (cli_read_file(file, &b)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	struct attach x = {.tracking = tracking, .u = {.filename = name, .data = b.ptr, .n = b.len}};
	kk_diag_clear(&x.d);
	kk_actor_system(&x.actor, NULL);
	int rc = kk_intake_attach_store(dir, &x.u, KK_ATTACH_MAX_DEFAULT, &x.s, &x.d);
	struct kk_db *db = NULL;
	if (!rc && cli_open_db(cli, &db)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	if (!rc)
		rc = kk_db_tx(db, attach_tx, &x);
	if (db)
		kk_db_close(db);
	kk_buf_release(&b);
	if (rc)
		return diag_error("incident attach", rc, &x.d);
	printf("%s\n", x.s.sha256);
	return 0;
}

/* ---- incidents: one frame for the staff's actions -------------------------------------- */

struct act {
	const char *cmd;
	const char *pos[3];
	int npos;
	const char *title, *party, *contact, *scope, *asked, *at, *status, *answer, *origin;
	struct kk_actor actor;
	struct kk_buf out;
	struct kk_json j;
	struct kk_diag d;
	char ident[KK_INCIDENT_IDENT_MAX];
};

static int sug_row(void *arg, const char *ident, const char *kind, const char *value)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "incident", ident);
	kk_json_kv_str(j, "kind", kind);
	kk_json_kv_str(j, "value", value);
	kk_json_obj_close(j);
	return 0;
}

static int when(const char *s, int64_t *t, struct kk_diag *d)
{
	*t = 0;
	if (s && kk_time_parse_jst(s, 0, t))
		return kk_diag_set(d, KK_EINVAL, "--at", "'%s' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, JST)", s);
	return 0;
}

static int act_tx(struct kk_db *db, void *arg)
{
	struct act *x = arg;
	const char *c = x->cmd + strlen("incident ");
	int64_t t;
	int rc;
	if (!strcmp(c, "open")) {
		rc = kk_incident_open(db, &x->actor, x->pos[0], x->title, x->ident, &x->d);
		if (!rc)
			kk_json_str(&x->j, x->ident);
		return rc;
	}
	if (!strcmp(c, "link"))
		return kk_incident_link(db, &x->actor, x->pos[0], x->pos[1], &x->d);
	if (!strcmp(c, "state"))
		return kk_incident_set_state(db, &x->actor, x->pos[0], x->pos[1], &x->d);
	if (!strcmp(c, "coordinate")) {
		if ((rc = when(x->at, &t, &x->d)))
			return rc;
		struct kk_incident_coord k = {x->party, x->contact, x->scope, x->asked, t};
		int64_t id = 0;
		rc = kk_incident_coord_add(db, &x->actor, x->pos[0], &k, &id, &x->d);
		if (!rc)
			kk_json_int(&x->j, id);
		return rc;
	}
	if (!strcmp(c, "answer")) {
		char *end;
		long long id = strtoll(x->pos[1], &end, 10);
		if (*end || id <= 0)
			return kk_diag_set(&x->d, KK_EINVAL, "COORDINATION", "'%s' is not a coordination id", x->pos[1]);
		return kk_incident_coord_answer(db, &x->actor, x->pos[0], id, x->status, x->answer, &x->d);
	}
	if (!strcmp(c, "brand"))
		return kk_incident_set_brand(db, &x->actor, x->pos[0], x->pos[1], x->origin, &x->d);
	if (!strcmp(c, "takedown"))
		return (rc = when(x->at, &t, &x->d)) ? rc : kk_incident_takedown(db, &x->actor, x->pos[0], t, &x->d);
	return KK_EINVAL;
}

int cmd_incident_act(struct kk_cli *cli, int argc, char **argv)
{
	struct act x = {.cmd = argv[0], .out = KK_BUF_INIT(0)};
	kk_diag_clear(&x.d);
	for (int i = 1; i < argc; i++) {
		static const char *const opts[] = {"--title", "--party", "--contact", "--scope", "--asked",
						   "--at",    "--status", "--answer", "--origin"};
		const char **dst[] = {&x.title, &x.party, &x.contact, &x.scope, &x.asked, &x.at, &x.status, &x.answer, &x.origin};
		int r = 0;
		for (size_t k = 0; k < 9 && !r; k++)
			if ((r = cli_opt(argc, argv, &i, opts[k], dst[k])) < 0)
				return cli_usage(x.cmd, "%s needs a value", argv[i]);
		if (r)
			continue;
		if (argv[i][0] == '-' || x.npos >= 3)
			return cli_usage(x.cmd, "unexpected argument '%s'", argv[i]);
		x.pos[x.npos++] = argv[i];
	}
	const char *c = x.cmd + strlen("incident ");
	int want = !strcmp(c, "link") || !strcmp(c, "state") || !strcmp(c, "answer") || !strcmp(c, "brand") ? 2 : 1;
	if (x.npos != want)
		return cli_usage(x.cmd, "give %d argument%s (see 'keikai help %s')", want, want > 1 ? "s" : "", x.cmd);
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	kk_actor_system(&x.actor, NULL);
	kk_json_init(&x.j, &x.out);
	int rc;
	if (!strcmp(c, "get")) {
		rc = kk_incident_json(db, &x.actor, x.pos[0], &x.j, &x.d);
	} else if (!strcmp(c, "suggest")) {
		kk_json_arr_open(&x.j);
		rc = kk_incident_suggest(db, &x.actor, x.pos[0], sug_row, &x.j, &x.d);
		kk_json_arr_close(&x.j);
	} else {
		rc = kk_db_tx(db, act_tx, &x);
	}
	kk_db_close(db);
	if (!rc && x.out.len)
		print_json(&x.out);
	kk_buf_release(&x.out);
	return rc ? diag_error(x.cmd, rc, &x.d) : 0;
}
