/*
 * cmd_website.c — `keikai website ...`: website cases for receivers (list,
 * board, the three stages, close, figures) and, with --key, what the
 * operator and the finder do through their secret links (for tests and for
 * answers that arrive by e-mail).
 */
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include "website/website.h"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one command does inside its transaction. */
enum op {
	OP_NOTIFY,
	OP_CONTACT,
	OP_CHOOSE,
	OP_DETAILS,
	OP_ORG,
	OP_ACK,
	OP_NOTE,
	OP_CHECK,
	OP_ESTIMATE,
	OP_COMPLETE,
	OP_CONFIRM,
	OP_DIRECT_AGREE,
	OP_DIRECT_SEND,
	OP_FINDER_AGREE,
	OP_FINDER_SEND,
	OP_CLOSE,
};

struct run {
	enum op op;
	struct kk_actor actor;
	struct kk_website_who who;
	unsigned char key[KK_KEY_BYTES];
	const char *handling, *tracking, *text, *email, *name, *pgp_key;
	const char *flaw, *risk, *reproduce, *description;
	const char *addrs[10];
	size_t naddr;
	int64_t org_id, at;
	enum kk_website_check check;
	bool done;
	enum kk_website_outcome outcome;
	char token[KK_WEBSITE_TOKEN_MAX];
	struct kk_diag d;
};

static int run_tx(struct kk_db *db, void *arg)
{
	struct run *r = arg;
	kk_diag_clear(&r->d);
	switch (r->op) {
	case OP_NOTIFY:
		return kk_website_notify(db, &r->actor, r->key, r->handling, r->addrs, r->naddr, r->token, &r->d);
	case OP_CONTACT:
		return kk_website_give_contact(db, &r->who, r->key, r->handling, r->email, r->name, r->token, &r->d);
	case OP_CHOOSE:
		return kk_website_choose(db, &r->who, r->key, r->handling, r->pgp_key, &r->d);
	case OP_DETAILS:
		return kk_website_set_details(db, &r->actor, r->handling, r->flaw, r->risk, r->reproduce, r->description,
					      &r->d);
	case OP_ORG:
		return kk_website_set_org(db, &r->actor, r->handling, r->org_id, &r->d);
	case OP_ACK:
		return kk_website_ack(db, &r->who, r->handling, &r->d);
	case OP_NOTE:
		return kk_website_note(db, &r->who, r->handling, r->text, &r->d);
	case OP_CHECK:
		return kk_website_check(db, &r->who, r->handling, r->check, r->done, &r->d);
	case OP_ESTIMATE:
		return kk_website_estimate(db, &r->who, r->handling, r->at, r->text, &r->d);
	case OP_COMPLETE:
		return kk_website_complete(db, &r->who, r->key, r->handling, r->text, &r->d);
	case OP_CONFIRM:
		return kk_website_finder_confirm(db, r->tracking, r->email, r->text, &r->d);
	case OP_DIRECT_AGREE:
		return kk_website_direct_agree_operator(db, &r->who, r->handling, &r->d);
	case OP_DIRECT_SEND:
		return kk_website_direct_from_operator(db, &r->who, r->key, r->handling, r->text, &r->d);
	case OP_FINDER_AGREE:
		return kk_website_direct_agree_finder(db, r->tracking, r->email, &r->d);
	case OP_FINDER_SEND:
		return kk_website_direct_from_finder(db, r->key, r->tracking, r->email, r->text, &r->d);
	case OP_CLOSE:
		return kk_website_close(db, &r->actor, r->key, r->handling, r->outcome, r->text, &r->d);
	}
	return KK_EINVAL;
}

static int diag_error(const char *cmd, int rc, const struct kk_diag *d)
{
	if (d->where[0])
		return cli_error("%s: %s: %s", cmd, d->where, d->msg);
	return cli_error("%s: %s", cmd, d->msg[0] ? d->msg : kk_err_msg(rc));
}

/* Loads the key, opens the database and runs r in one transaction. Returns an exit code. */
static int execute(struct kk_cli *cli, const char *cmd, struct run *r)
{
	char path[1024];
	kk_diag_clear(&r->d);
	if (kk_keyfile_path(cli->db_path, NULL, path, sizeof(path)))
		return cli_error("key file path too long; set KEIKAI_KEY_FILE");
	if (kk_keyfile_load(path, r->key, &r->d))
		return cli_error("%s", r->d.msg);
	struct kk_db *db;
	if (cli_open_db(cli, &db)) {
		sodium_memzero(r->key, sizeof(r->key));
		return KK_EXIT_FAIL;
	}
	kk_actor_system(&r->actor, NULL);
	if (!r->who.token)
		r->who.actor = &r->actor;
	int rc = kk_db_tx(db, run_tx, r);
	kk_db_close(db);
	sodium_memzero(r->key, sizeof(r->key));
	return rc ? diag_error(cmd, rc, &r->d) : 0;
}

static void print_link(struct run *r)
{
	if (r->token[0])
		printf("operator link: %s/website/portal?key=%s\n(shown only now and in the sealed mail)\n",
		       kk_website_config()->base_url, r->token);
	sodium_memzero(r->token, sizeof(r->token));
}

/* CASE argument: a handling number, or "-" with --key (the link's own case). */
static const char *case_arg(const char *s)
{
	return s && strcmp(s, "-") ? s : NULL;
}

/*
 * The common argument loop: --key TOKEN (act through the operator's link),
 * --text/--why/--comment TEXT, and positional arguments into pos[].
 * Returns 0, or an exit code after the usage message.
 */
struct args {
	const char *key, *text, *pos[12], *opt[8];
	int npos;
	bool flag[4];
};

static int parse(const char *cmd, int argc, char **argv, const char *const *opts, const char *const *flags,
		 struct args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--key", &a->key);
		if (!r)
			r = cli_opt(argc, argv, &i, "--text", &a->text);
		for (int k = 0; !r && opts && opts[k]; k++)
			r = cli_opt(argc, argv, &i, opts[k], &a->opt[k]);
		if (r < 0)
			return cli_usage(cmd, "%s needs a value", argv[i]);
		if (r)
			continue;
		bool matched = false;
		for (int k = 0; flags && flags[k]; k++)
			if (!strcmp(argv[i], flags[k]))
				matched = a->flag[k] = true;
		if (matched)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(cmd, "unknown option '%s'", argv[i]);
		if (a->npos == 12)
			return cli_usage(cmd, "too many arguments");
		a->pos[a->npos++] = argv[i];
	}
	return 0;
}

static void set_who(struct run *r, const struct args *a)
{
	r->who.token = a->key;
	r->who.actor = a->key ? &kk_actor_public : NULL;
}

/* ---- stages ----------------------------------------------------------- */

int cmd_website_contact(struct kk_cli *cli, int argc, char **argv)
{
	struct args a;
	struct run r = {.op = OP_NOTIFY};
	int rc = parse("website contact", argc, argv, NULL, NULL, &a);
	if (rc)
		return rc;
	if (a.npos < 2 || a.npos > 11)
		return cli_usage("website contact", "give CASE and 1 to 10 addresses found on the site");
	r.handling = a.pos[0];
	for (int i = 1; i < a.npos; i++)
		r.addrs[r.naddr++] = a.pos[i];
	if ((rc = execute(cli, "website contact", &r)))
		return rc;
	printf("%s: stage 1 notice queued to %zu address%s\n", r.handling, r.naddr, r.naddr == 1 ? "" : "es");
	print_link(&r);
	return 0;
}

int cmd_website_stage(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const opts[] = {"--contact", "--name", "--pgp-key", NULL};
	static const char *const flags[] = {"--portal", NULL};
	struct args a;
	struct run r = {0};
	int rc = parse("website stage", argc, argv, opts, flags, &a);
	if (rc)
		return rc;
	if (a.npos < 2)
		return cli_usage("website stage", "give CASE (or - with --key) and the stage 1, 2 or 3");
	r.handling = case_arg(a.pos[0]);
	set_who(&r, &a);
	const char *n = a.pos[1];
	if (!strcmp(n, "1")) {
		if (a.npos < 3)
			return cli_usage("website stage", "stage 1 needs the addresses found on the site");
		r.op = OP_NOTIFY;
		for (int i = 2; i < a.npos && r.naddr < 10; i++)
			r.addrs[r.naddr++] = a.pos[i];
	} else if (!strcmp(n, "2")) {
		if (!a.opt[0])
			return cli_usage("website stage", "stage 2 needs --contact EMAIL (the operator's contact point)");
		r.op = OP_CONTACT;
		r.email = a.opt[0];
		r.name = a.opt[1];
	} else if (!strcmp(n, "3")) {
		if (!a.opt[2] == !a.flag[0])
			return cli_usage("website stage", "stage 3 needs --pgp-key FILE or --portal (one of them)");
		r.op = OP_CHOOSE;
	} else {
		return cli_usage("website stage", "the stage is 1, 2 or 3 (got '%s')", n);
	}
	struct kk_buf key = KK_BUF_INIT(1 << 20);
	if (r.op == OP_CHOOSE && a.opt[2]) {
		FILE *f = fopen(a.opt[2], "rb");
		if (!f)
			return cli_error("cannot read %s: %s", a.opt[2], strerror(errno));
		char chunk[8192];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && !kk_buf_add(&key, chunk, got))
			;
		fclose(f);
		struct kk_diag d;
		kk_diag_clear(&d);
		if (kk_buf_error(&key) || kk_website_check_pgp_key(key.ptr, &d)) {
			kk_buf_release(&key);
			return cli_error("website stage: %s: %s", a.opt[2], d.msg[0] ? d.msg : "the file is too large");
		}
		r.pgp_key = key.ptr;
	}
	rc = execute(cli, "website stage", &r);
	kk_buf_release(&key);
	if (rc)
		return rc;
	printf("%s: stage %s done\n", r.handling ? r.handling : "case", n);
	if (a.key) /* acting through the link: the new one goes only to the contact point, by mail */
		sodium_memzero(r.token, sizeof(r.token));
	print_link(&r);
	return 0;
}

int cmd_website_details(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const opts[] = {"--flaw", "--risk", "--reproduce", "--description", NULL};
	struct args a;
	struct run r = {.op = OP_DETAILS};
	int rc = parse("website details", argc, argv, opts, NULL, &a);
	if (rc)
		return rc;
	if (a.npos != 1)
		return cli_usage("website details", "give one CASE");
	r.handling = a.pos[0];
	r.flaw = a.opt[0];
	r.risk = a.opt[1];
	r.reproduce = a.opt[2];
	r.description = a.opt[3];
	if ((rc = execute(cli, "website details", &r)))
		return rc;
	printf("%s: details updated\n", r.handling);
	return 0;
}

int cmd_website_org(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const flags[] = {"--none", NULL};
	struct args a;
	struct run r = {.op = OP_ORG};
	int rc = parse("website org", argc, argv, NULL, flags, &a);
	if (rc)
		return rc;
	if (a.npos != 2 - a.flag[0])
		return cli_usage("website org", "give CASE and an operator organization NAME (or --none)");
	r.handling = a.pos[0];
	if (!a.flag[0]) {
		struct kk_db *db;
		if (cli_open_db(cli, &db))
			return KK_EXIT_FAIL;
		struct kk_org o;
		int found = kk_org_find(db, a.pos[1], &o);
		kk_db_close(db);
		if (found)
			return cli_error("website org: no organization named '%s'; see 'keikai org list'", a.pos[1]);
		r.org_id = o.id;
	}
	if ((rc = execute(cli, "website org", &r)))
		return rc;
	printf("%s: %s\n", r.handling, a.flag[0] ? "no operator organization" : a.pos[1]);
	return 0;
}

/* ---- the operator's side ---------------------------------------------- */

/* ack / note / check / estimate / complete / direct: CASE (or - with --key) then one argument. */
static int operator_cmd(struct kk_cli *cli, const char *cmd, enum op op, int argc, char **argv)
{
	static const char *const opts[] = {"--why", NULL};
	static const char *const flags[] = {"--undo", "--agree", NULL};
	struct args a;
	struct run r = {.op = op};
	int rc = parse(cmd, argc, argv, opts, flags, &a);
	if (rc)
		return rc;
	bool needs_arg = op == OP_CHECK || op == OP_ESTIMATE || ((op == OP_NOTE || op == OP_COMPLETE) && !a.text) ||
			 (op == OP_DIRECT_SEND && !a.flag[1] && !a.text);
	if (a.npos != 1 + needs_arg)
		return cli_usage(cmd, "give CASE (or - with --key)%s", needs_arg ? " and one more argument" : "");
	r.handling = case_arg(a.pos[0]);
	set_who(&r, &a);
	r.text = needs_arg ? a.pos[1] : a.text;
	if (op == OP_DIRECT_SEND && a.flag[1])
		r.op = OP_DIRECT_AGREE;
	if (op == OP_CHECK) {
		if (kk_website_check_parse(a.pos[1], &r.check))
			return cli_usage(cmd, "ITEM is receipt, investigation, impact_plan or execution");
		r.done = !a.flag[0];
		r.text = NULL;
	}
	if (op == OP_ESTIMATE) {
		if (kk_time_parse(a.pos[1], &r.at))
			return cli_usage(cmd, "DATE is YYYY-MM-DD");
		r.text = a.opt[0];
	}
	if ((rc = execute(cli, cmd, &r)))
		return rc;
	printf("%s: done\n", r.handling ? r.handling : "case");
	return 0;
}

int cmd_website_ack(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website ack", OP_ACK, argc, argv);
}
int cmd_website_note(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website note", OP_NOTE, argc, argv);
}
int cmd_website_check(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website check", OP_CHECK, argc, argv);
}
int cmd_website_estimate(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website estimate", OP_ESTIMATE, argc, argv);
}
int cmd_website_complete(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website complete", OP_COMPLETE, argc, argv);
}
int cmd_website_direct(struct kk_cli *cli, int argc, char **argv)
{
	return operator_cmd(cli, "website direct", OP_DIRECT_SEND, argc, argv);
}

/* ---- the finder's side ------------------------------------------------ */

int cmd_website_finder(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const flags[] = {"--confirm", "--agree-direct", NULL};
	struct args a;
	struct run r = {0};
	int rc = parse("website finder", argc, argv, NULL, flags, &a);
	if (rc)
		return rc;
	if (a.npos != 1 || !a.key)
		return cli_usage("website finder", "give TRACKING and --key TOKEN (the report's secret link)");
	r.tracking = a.pos[0];
	r.email = a.key; /* the report's token */
	r.text = a.text;
	if (a.flag[0])
		r.op = OP_CONFIRM;
	else if (a.flag[1])
		r.op = OP_FINDER_AGREE;
	else if (a.text)
		r.op = OP_FINDER_SEND;
	else {
		struct kk_db *db;
		if (cli_open_db(cli, &db))
			return KK_EXIT_FAIL;
		struct kk_buf out = KK_BUF_INIT(0);
		struct kk_json j;
		kk_json_init(&j, &out);
		kk_diag_clear(&r.d);
		rc = kk_website_finder_json(db, r.tracking, r.email, &j, &r.d);
		kk_db_close(db);
		if (!rc)
			printf("%s\n", out.ptr);
		kk_buf_release(&out);
		return rc ? diag_error("website finder", rc, &r.d) : 0;
	}
	if ((rc = execute(cli, "website finder", &r)))
		return rc;
	printf("%s: done\n", r.tracking);
	return 0;
}

/* ---- closing and reading ---------------------------------------------- */

int cmd_website_close(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const opts[] = {"--outcome", "--note", NULL};
	struct args a;
	struct run r = {.op = OP_CLOSE};
	int rc = parse("website close", argc, argv, opts, NULL, &a);
	if (rc)
		return rc;
	if (a.npos != 1 || !a.opt[0])
		return cli_usage("website close", "give CASE and --outcome O");
	if (kk_website_outcome_parse(a.opt[0], &r.outcome))
		return cli_usage("website close", "outcome is fixed, not_reproducible, site_closed or operator_unreachable");
	r.handling = a.pos[0];
	r.text = a.opt[1];
	if ((rc = execute(cli, "website close", &r)))
		return rc;
	printf("%s: closed (%s)\n", r.handling, a.opt[0]);
	return 0;
}

static const char *stage_filter;

static int list_line(void *arg, const struct kk_website_case *c)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		kk_json_obj_open(&l->j);
		kk_json_kv_str(&l->j, "handling", c->handling);
		kk_json_kv_str(&l->j, "tracking", c->tracking);
		kk_json_kv_str(&l->j, "url", c->url);
		kk_json_kv_str(&l->j, "stage", c->stage);
		kk_json_kv_str(&l->j, "outcome", c->outcome[0] ? c->outcome : NULL);
		kk_json_kv_bool(&l->j, "overdue", c->overdue);
		kk_json_kv_bool(&l->j, "unreachable", c->unreachable_at != 0);
		kk_json_kv_int(&l->j, "attempts", c->attempts);
		kk_json_obj_close(&l->j);
		return 0;
	}
	char opened[32];
	kk_time_iso(c->opened_at, opened, sizeof(opened));
	printf("%-14s %-10s %-20s %s%s%s\n", c->handling, c->stage, opened, c->url, c->overdue ? " [overdue]" : "",
	       c->unreachable_at ? " [unreachable]" : "");
	return 0;
}

static int list_walk(struct kk_db *db, struct cli_list *l)
{
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_website_filter f = {.stage = stage_filter};
	int rc = kk_website_list(db, &a, &f, list_line, l);
	return rc < 0 ? cli_error("website list: %s", kk_err_msg(rc)) : 0;
}

int cmd_website_list(struct kk_cli *cli, int argc, char **argv)
{
	char *rest[4] = {argv[0]};
	int n = 1;
	stage_filter = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--stage", &stage_filter);
		if (r < 0)
			return cli_usage("website list", "--stage needs a value");
		if (!r) {
			if (n == 4)
				return cli_usage("website list", "unexpected argument '%s'", argv[i]);
			rest[n++] = argv[i];
		}
	}
	enum kk_website_stage s;
	if (stage_filter && strcmp(stage_filter, "open") && kk_website_stage_parse(stage_filter, &s))
		return cli_usage("website list", "--stage is open, opened, stage1, stage2, stage3, completed or closed");
	struct cli_list l;
	return cli_list_run(cli, "website list", n, rest, &l, "HANDLING       STAGE      OPENED               URL",
			    list_walk, "no website cases yet: accepting a website report opens one");
}

/* show / board / figures: one JSON document. */
static int print_json(struct kk_cli *cli, const char *cmd, int (*fn)(struct kk_db *db, struct run *r, struct kk_json *j),
		      struct run *r)
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	kk_actor_system(&r->actor, NULL);
	if (!r->who.token)
		r->who.actor = &r->actor;
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	kk_diag_clear(&r->d);
	int rc = fn(db, r, &j);
	kk_db_close(db);
	if (!rc && kk_json_error(&j))
		rc = kk_json_error(&j);
	if (!rc)
		printf("%s\n", out.ptr);
	kk_buf_release(&out);
	return rc ? diag_error(cmd, rc, &r->d) : 0;
}

static int show_fn(struct kk_db *db, struct run *r, struct kk_json *j)
{
	return kk_website_json(db, &r->who, r->handling, r->done, j, &r->d);
}

int cmd_website_show(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const flags[] = {"--operator", NULL};
	struct args a;
	struct run r = {0};
	int rc = parse("website show", argc, argv, NULL, flags, &a);
	if (rc)
		return rc;
	if (a.npos != 1)
		return cli_usage("website show", "give one CASE (or - with --key)");
	r.handling = case_arg(a.pos[0]);
	set_who(&r, &a);
	r.done = a.flag[0];
	return print_json(cli, "website show", show_fn, &r);
}

static int board_fn(struct kk_db *db, struct run *r, struct kk_json *j)
{
	return kk_website_board_json(db, &r->actor, kk_clock_now(), j);
}

int cmd_website_board(struct kk_cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage("website board", "unexpected argument '%s'", argv[1]);
	struct run r = {0};
	return print_json(cli, "website board", board_fn, &r);
}

static int figures_fn(struct kk_db *db, struct run *r, struct kk_json *j)
{
	return kk_website_figures_json(db, &r->actor, r->org_id, r->at, j);
}

int cmd_website_figures(struct kk_cli *cli, int argc, char **argv)
{
	static const char *const opts[] = {"--from", "--to", NULL};
	struct args a;
	struct run r = {0};
	int rc = parse("website figures", argc, argv, opts, NULL, &a);
	if (rc)
		return rc;
	if (a.npos)
		return cli_usage("website figures", "unexpected argument '%s'", a.pos[0]);
	if ((a.opt[0] && kk_time_parse(a.opt[0], &r.org_id)) || (a.opt[1] && kk_time_parse(a.opt[1], &r.at)))
		return cli_usage("website figures", "--from and --to take YYYY-MM-DD");
	return print_json(cli, "website figures", figures_fn, &r);
}
