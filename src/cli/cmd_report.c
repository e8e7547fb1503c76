/*
 * cmd_report.c — `keikai report ...`: staff entering reports received by
 * e-mail, the triage queue, one report (the finder revealed only with
 * --reveal, audited), the triage actions, and the finder's side of the
 * secret link for testing and for e-mail answers.
 */
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "intake/intake.h"
#include "store/db.h"
#include <errno.h>
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

static int read_all(const char *path, struct kk_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return cli_error("cannot read %s: %s", path, strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kk_buf_add(b, chunk, n))
			break;
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (kk_buf_error(b) == KK_ETOOBIG)
		return cli_error("%s is larger than %zu bytes", path, b->max);
	if (bad || kk_buf_error(b))
		return cli_error("cannot read %s", path);
	return 0;
}

static int diag_error(const char *cmd, int rc, const struct kk_diag *d)
{
	if (d->where[0])
		return cli_error("%s: %s: %s", cmd, d->where, d->msg);
	return cli_error("%s: %s", cmd, d->msg[0] ? d->msg : kk_err_msg(rc));
}

/* ---- submit and amend: a report JSON applied in one transaction ---------------- */

/* The first member of the per-command state, so the transaction functions can cast. */
struct json_tx {
	struct kk_actor actor;
	const unsigned char *key;
	struct kk_report_input in;
	struct kk_diag d;
};

/*
 * Reads and parses the report JSON in file, loads the key, opens the
 * database and runs fn(db, x) in one transaction as the CLI actor. Returns 0
 * or an exit code after printing the error naming the field.
 */
static int run_json_tx(struct kk_cli *cli, const char *cmd, const char *file,
		       int (*fn)(struct kk_db *db, void *arg), struct json_tx *x)
{
	struct kk_buf b = KK_BUF_INIT(KK_REPORT_JSON_MAX);
	if (read_all(file, &b)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	kk_diag_clear(&x->d);
	int rc = kk_intake_parse(b.ptr, b.len, &x->in, &x->d);
	kk_buf_release(&b);
	if (!rc)
		rc = kk_intake_check_pgp_key(&x->in, &x->d);
	if (rc) {
		kk_intake_input_release(&x->in);
		return diag_error(cmd, rc, &x->d);
	}
	unsigned char key[KK_KEY_BYTES];
	struct kk_db *db = NULL;
	if (load_key(cli, key) || cli_open_db(cli, &db)) {
		kk_intake_input_release(&x->in);
		return KK_EXIT_FAIL;
	}
	kk_actor_system(&x->actor, NULL);
	x->key = key;
	rc = kk_db_tx(db, fn, x);
	kk_db_close(db);
	sodium_memzero(key, sizeof(key));
	x->key = NULL;
	kk_intake_input_release(&x->in);
	return rc ? diag_error(cmd, rc, &x->d) : 0;
}

struct submit {
	struct json_tx t; /* first */
	bool incomplete;
	const char *base_url;
	struct kk_report_receipt r;
};

static int submit_tx(struct kk_db *db, void *arg)
{
	struct submit *s = arg;
	kk_diag_clear(&s->t.d);
	return kk_intake_submit(db, &s->t.actor, s->t.key, &s->t.in, s->incomplete, s->base_url, &s->r, &s->t.d);
}

int cmd_report_submit(struct kk_cli *cli, int argc, char **argv)
{
	const char *file = NULL, *base = getenv("KEIKAI_BASE_URL");
	bool incomplete = false;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--json", &file);
		if (!r)
			r = cli_opt(argc, argv, &i, "--base-url", &base);
		if (r < 0)
			return cli_usage("report submit", "%s needs a value", argv[i]);
		if (r)
			continue;
		if (!strcmp(argv[i], "--incomplete"))
			incomplete = true;
		else
			return cli_usage("report submit", "unknown argument '%s'", argv[i]);
	}
	if (!file)
		return cli_usage("report submit", "give the report with --json FILE (or --json - for standard input)");
	struct submit s = {.incomplete = incomplete, .base_url = base};
	int rc = run_json_tx(cli, "report submit", file, submit_tx, &s.t);
	if (rc)
		return rc;
	printf("tracking number: %s\n", s.r.tracking);
	printf("secret link: %s/r/%s?key=%s\n", base && *base ? base : "http://127.0.0.1:8080", s.r.tracking, s.r.token);
	printf("(the link is shown only now and in the receipt mail; give it to the finder only)\n");
	sodium_memzero(&s.r, sizeof(s.r));
	return KK_EXIT_OK;
}

struct amend {
	struct json_tx t; /* first */
	const char *tracking;
};

static int amend_tx(struct kk_db *db, void *arg)
{
	struct amend *m = arg;
	kk_diag_clear(&m->t.d);
	return kk_intake_amend(db, &m->t.actor, m->t.key, m->tracking, &m->t.in, &m->t.d);
}

int cmd_report_amend(struct kk_cli *cli, int argc, char **argv)
{
	const char *file = NULL;
	struct amend m = {.tracking = NULL};
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--json", &file);
		if (r < 0)
			return cli_usage("report amend", "--json needs FILE or -");
		if (r)
			continue;
		if (argv[i][0] == '-' || m.tracking)
			return cli_usage("report amend", "unexpected argument '%s'", argv[i]);
		m.tracking = argv[i];
	}
	if (!m.tracking || !file)
		return cli_usage("report amend", "give TRACKING and --json FILE|-");
	int rc = run_json_tx(cli, "report amend", file, amend_tx, &m.t);
	if (rc)
		return rc;
	printf("%s: amended\n", m.tracking);
	return KK_EXIT_OK;
}

/* ---- list and show ------------------------------------------------------------ */

static void row_json(struct kk_json *j, const struct kk_report_row *r)
{
	char at[32], up[32], pd[32];
	kk_time_iso(r->created_at, at, sizeof(at));
	kk_time_iso(r->updated_at, up, sizeof(up));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "tracking", r->tracking);
	kk_json_kv_str(j, "kind", r->kind);
	kk_json_kv_str(j, "status", r->status);
	kk_json_kv_str(j, "created_at", at);
	kk_json_kv_str(j, "updated_at", up);
	kk_json_kv_str(j, "lang", r->lang);
	kk_json_key(j, "finder");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "disclose", r->disclose);
	kk_json_kv_bool(j, "credit", r->credit_wanted);
	kk_json_kv_bool(j, "anonymous", r->anonymous);
	kk_json_kv_bool(j, "pgp_key", r->has_pgp_key);
	kk_json_obj_close(j);
	if (!strcmp(r->kind, "product")) {
		kk_json_key(j, "product");
		kk_json_obj_open(j);
		kk_json_kv_str(j, "name", r->product_name[0] ? r->product_name : NULL);
		kk_json_kv_str(j, "version", r->product_version[0] ? r->product_version : NULL);
		kk_json_kv_str(j, "vendor", r->product_vendor[0] ? r->product_vendor : NULL);
		kk_json_obj_close(j);
	} else {
		kk_json_key(j, "website");
		kk_json_obj_open(j);
		kk_json_kv_str(j, "name", r->website_name[0] ? r->website_name : NULL);
		kk_json_kv_str(j, "url", r->website_url[0] ? r->website_url : NULL);
		kk_json_obj_close(j);
	}
	kk_json_key(j, "vulnerability");
	kk_json_obj_open(j);
	if (r->cwe) {
		char cwe[24];
		snprintf(cwe, sizeof(cwe), "CWE-%d", r->cwe);
		kk_json_kv_str(j, "cwe", cwe);
	} else {
		kk_json_kv_null(j, "cwe");
	}
	kk_json_kv_str(j, "cve", r->cve[0] ? r->cve : NULL);
	kk_json_kv_str(j, "description", r->description[0] ? r->description : NULL);
	kk_json_kv_str(j, "steps", r->steps[0] ? r->steps : NULL);
	kk_json_kv_str(j, "impact", r->impact[0] ? r->impact : NULL);
	kk_json_obj_close(j);
	kk_json_kv_str(j, "reported_to", r->reported_to[0] ? r->reported_to : NULL);
	kk_json_key(j, "publication");
	kk_json_obj_open(j);
	kk_json_kv_bool(j, "intent", r->publish_intent);
	if (r->publish_date) {
		kk_time_iso(r->publish_date, pd, sizeof(pd));
		kk_json_kv_str(j, "date", pd);
	} else {
		kk_json_kv_null(j, "date");
	}
	kk_json_obj_close(j);
	kk_json_kv_bool(j, "policy_ack", r->policy_ack);
	kk_json_kv_str(j, "stop_reason", r->stop_reason[0] ? r->stop_reason : NULL);
	kk_json_kv_str(j, "reason", r->reason[0] ? r->reason : NULL);
	kk_json_kv_str(j, "duplicate_of", r->duplicate_of[0] ? r->duplicate_of : NULL);
	kk_json_kv_str(j, "assignee", r->assignee_email[0] ? r->assignee_email : NULL);
	kk_json_obj_close(j);
}

static int row_line(void *arg, const struct kk_report_row *r)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		row_json(&l->j, r);
		return 0;
	}
	char at[32];
	kk_time_iso(r->created_at, at, sizeof(at));
	printf("%-15s %-8s %-17s %-21s %-20s %s\n", r->tracking, r->kind, r->status, at,
	       r->assignee_email[0] ? r->assignee_email : "-",
	       r->kind[0] == 'p' ? r->product_name : r->website_url);
	return 0;
}

struct report_list {
	struct cli_list l; /* first: cli_list_run hands this back */
	struct kk_report_filter f;
	struct kk_actor actor;
};

static int report_walk(struct kk_db *db, struct cli_list *l)
{
	struct report_list *rl = (struct report_list *)l;
	int rc = kk_intake_list(db, &rl->actor, &rl->f, row_line, l);
	return rc < 0 ? rc : 0;
}

int cmd_report_list(struct kk_cli *cli, int argc, char **argv)
{
	struct report_list rl = {.l.n = 0};
	const char *older = NULL;
	char *rest[3] = {argv[0], NULL, NULL};
	int nrest = 1;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--status", &rl.f.status);
		if (!r)
			r = cli_opt(argc, argv, &i, "--kind", &rl.f.kind);
		if (!r)
			r = cli_opt(argc, argv, &i, "--assignee", &rl.f.assignee_email);
		if (!r && (r = cli_opt(argc, argv, &i, "--older-than", &older)) > 0) {
			char *end;
			long days = strtol(older, &end, 10);
			if (*end || end == older || days < 0 || days > 36500)
				return cli_usage("report list", "--older-than '%s' must be a number of days", older);
			rl.f.received_before = kk_clock_now() - (int64_t)days * 86400;
		}
		if (r < 0)
			return cli_usage("report list", "%s needs a value", argv[i]);
		if (r)
			continue;
		if (!strcmp(argv[i], "--json"))
			rest[nrest++] = argv[i];
		else
			return cli_usage("report list", "unknown argument '%s'", argv[i]);
	}
	enum kk_report_status s;
	if (rl.f.status && kk_report_status_parse(rl.f.status, &s))
		return cli_usage("report list",
				 "unknown status '%s'; use received, info_requested, accepted, not_accepted, "
				 "handling_stopped or duplicate",
				 rl.f.status);
	if (rl.f.kind && strcmp(rl.f.kind, "product") && strcmp(rl.f.kind, "website"))
		return cli_usage("report list", "unknown kind '%s'; use product or website", rl.f.kind);
	kk_actor_system(&rl.actor, NULL);
	char header[120];
	snprintf(header, sizeof(header), "%-15s %-8s %-17s %-21s %-20s %s", "TRACKING", "KIND", "STATUS", "RECEIVED",
		 "ASSIGNEE", "PRODUCT / URL");
	return cli_list_run(cli, "report list", nrest, rest, &rl.l, header, report_walk,
			    "(no reports; enter one with 'keikai report submit --json FILE')");
}

struct show {
	struct kk_json j;
	struct kk_buf out;
	int64_t id;
};

static int show_row(void *arg, const struct kk_report_row *r)
{
	struct show *s = arg;
	s->id = r->id;
	row_json(&s->j, r);
	return 0;
}

static int show_sug(void *arg, const struct kk_suggestion *sg)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "source", sg->source);
	kk_json_kv_str(j, "id", sg->id);
	kk_json_kv_str(j, "why", sg->why);
	kk_json_obj_close(j);
	return 0;
}

struct reveal {
	struct kk_actor actor;
	const unsigned char *key;
	const char *tracking;
	struct kk_finder f;
	struct kk_diag d;
};

static int reveal_tx(struct kk_db *db, void *arg)
{
	struct reveal *r = arg;
	kk_diag_clear(&r->d);
	return kk_intake_reveal(db, &r->actor, r->key, r->tracking, &r->f, &r->d);
}

int cmd_report_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL;
	bool reveal = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reveal"))
			reveal = true;
		else if (!strcmp(argv[i], "--json"))
			; /* the output is always JSON */
		else if (argv[i][0] == '-' || tracking)
			return cli_usage("report show", "unknown argument '%s'", argv[i]);
		else
			tracking = argv[i];
	}
	if (!tracking)
		return cli_usage("report show", "give the TRACKING number (KK-2026-000001)");
	struct kk_db *db;
	unsigned char key[KK_KEY_BYTES];
	if ((reveal && load_key(cli, key)) || cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor actor;
	kk_actor_system(&actor, NULL);
	struct show s = {.out = KK_BUF_INIT(0)};
	kk_json_init(&s.j, &s.out);
	kk_json_obj_open(&s.j);
	kk_json_key(&s.j, "report");
	int rc = kk_intake_get(db, &actor, tracking, show_row, &s);
	if (!rc) {
		kk_json_key(&s.j, "thread");
		rc = kk_intake_thread_json(db, s.id, &s.j);
	}
	if (!rc) {
		kk_json_key(&s.j, "attachments");
		rc = kk_intake_attachments_json(db, s.id, &s.j);
	}
	if (rc >= 0) {
		kk_json_key(&s.j, "suggestions");
		kk_json_arr_open(&s.j);
		rc = kk_intake_suggest(db, &actor, tracking, show_sug, &s.j);
		kk_json_arr_close(&s.j);
	}
	struct reveal rv = {.actor = actor, .key = key, .tracking = tracking};
	if (rc >= 0 && reveal) {
		rc = kk_db_tx(db, reveal_tx, &rv);
		if (!rc) {
			kk_json_key(&s.j, "finder");
			kk_json_obj_open(&s.j);
			kk_json_kv_str(&s.j, "name", rv.f.name);
			kk_json_kv_str(&s.j, "email", rv.f.email);
			kk_json_kv_str(&s.j, "credit_name", rv.f.credit_name[0] ? rv.f.credit_name : NULL);
			kk_json_kv_bool(&s.j, "pgp_key", rv.f.has_pgp_key);
			kk_json_obj_close(&s.j);
		}
		sodium_memzero(&rv.f, sizeof(rv.f));
		sodium_memzero(key, sizeof(key));
	}
	kk_json_obj_close(&s.j);
	kk_db_close(db);
	if (rc == KK_ENOTFOUND)
		rc = cli_error("report show: no report %s; 'keikai report list' shows them", tracking);
	else if (rc < 0)
		rc = diag_error("report show", rc, &rv.d);
	else if (kk_json_error(&s.j))
		rc = cli_error("report show: %s", kk_err_msg(kk_json_error(&s.j)));
	else
		printf("%s\n", s.out.ptr);
	if (s.out.len)
		sodium_memzero(s.out.ptr, s.out.len);
	kk_buf_release(&s.out);
	return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
}

/* ---- triage actions ------------------------------------------------------------ */

struct act {
	struct kk_actor actor;
	const unsigned char *key;
	const char *tracking, *text, *token;
	struct kk_report_action a;
	int kind; /* 0 triage action, 1 staff message, 2 finder post */
	struct kk_diag d;
};

static int act_tx(struct kk_db *db, void *arg)
{
	struct act *x = arg;
	kk_diag_clear(&x->d);
	if (x->kind == 1)
		return kk_intake_message(db, &x->actor, x->key, x->tracking, x->text, &x->d);
	if (x->kind == 2)
		return kk_intake_finder_post(db, x->tracking, x->token, x->text, &x->d);
	return kk_intake_act(db, &x->actor, x->key, x->tracking, &x->a, &x->d);
}

/* One frame for accept, reject, request-info, stop, duplicate, assign, message and followup. */
static int run_action(struct kk_cli *cli, int argc, char **argv, const char *cmd, struct act *x)
{
	const char *stop = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--reason", &v)) > 0) {
			if (x->a.verb == KK_REPORT_STOP && x->kind == 0)
				stop = v;
			else
				x->text = v;
		} else if (!r && ((r = cli_opt(argc, argv, &i, "--question", &x->text)) ||
				  (r = cli_opt(argc, argv, &i, "--note", &x->text)) ||
				  (r = cli_opt(argc, argv, &i, "--of", &x->a.duplicate_of)) ||
				  (r = cli_opt(argc, argv, &i, "--to", &x->a.assignee_email)) ||
				  (r = cli_opt(argc, argv, &i, "--key", &x->token)))) {
			;
		} else if (!r && argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(cmd, "unknown option '%s'", argv[i]);
		} else if (!r && !x->tracking) {
			x->tracking = argv[i];
		} else if (!r && x->kind && !x->text) {
			x->text = argv[i];
		} else if (!r) {
			return cli_usage(cmd, "unexpected argument '%s'", argv[i]);
		}
		if (r < 0)
			return cli_usage(cmd, "%s needs a value", argv[i]);
	}
	if (!x->tracking)
		return cli_usage(cmd, "give the TRACKING number (KK-2026-000001)");
	if (stop && kk_stop_reason_parse(stop, &x->a.stop))
		return cli_usage(cmd,
				 "unknown reason '%s'; use already_known, coordinator_says_known, "
				 "not_a_vulnerability, coordinator_says_not or possibly_illegal",
				 stop);
	if (x->kind == 2 && !x->token)
		return cli_usage(cmd, "give the secret link's token with --key TOKEN");
	unsigned char key[KK_KEY_BYTES];
	struct kk_db *db;
	if ((x->kind != 2 && load_key(cli, key)) || cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	kk_actor_system(&x->actor, NULL);
	x->key = key;
	x->a.text = x->text;
	int rc = kk_db_tx(db, act_tx, x);
	kk_db_close(db);
	sodium_memzero(key, sizeof(key));
	if (rc)
		return diag_error(cmd, rc, &x->d);
	printf("%s: done\n", x->tracking);
	return KK_EXIT_OK;
}

#define ACTION_CMD(fn, name, verb_, kind_)                                                                   \
	int fn(struct kk_cli *cli, int argc, char **argv)                                                    \
	{                                                                                                    \
		struct act x = {.a.verb = verb_, .kind = kind_};                                             \
		return run_action(cli, argc, argv, name, &x);                                                \
	}
ACTION_CMD(cmd_report_accept, "report accept", KK_REPORT_ACCEPT, 0)
ACTION_CMD(cmd_report_reject, "report reject", KK_REPORT_REJECT, 0)
ACTION_CMD(cmd_report_request_info, "report request-info", KK_REPORT_REQUEST_INFO, 0)
ACTION_CMD(cmd_report_stop, "report stop", KK_REPORT_STOP, 0)
ACTION_CMD(cmd_report_duplicate, "report duplicate", KK_REPORT_MARK_DUPLICATE, 0)
ACTION_CMD(cmd_report_assign, "report assign", KK_REPORT_ASSIGN, 0)
ACTION_CMD(cmd_report_message, "report message", KK_REPORT_ACCEPT, 1)
ACTION_CMD(cmd_report_followup, "report followup", KK_REPORT_ACCEPT, 2)

int cmd_report_attach(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL, *file = NULL, *dir = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--dir", &dir);
		if (!r)
			r = cli_opt(argc, argv, &i, "--name", &name);
		if (r < 0)
			return cli_usage("report attach", "%s needs a value", argv[i]);
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("report attach", "unknown option '%s'", argv[i]);
		if (!tracking)
			tracking = argv[i];
		else if (!file)
			file = argv[i];
		else
			return cli_usage("report attach", "unexpected argument '%s'", argv[i]);
	}
	if (!tracking || !file)
		return cli_usage("report attach", "give TRACKING and FILE");
	char defdir[1100];
	if (!dir || !*dir) { /* the server's directory: $KEIKAI_ATTACH_DIR, else <db>.files */
		if (kk_intake_attach_dir(cli->db_path, defdir, sizeof(defdir)))
			return cli_usage("report attach", "the attachment directory path is too long; give --dir");
		dir = defdir;
	}
	if (!name) {
		const char *slash = strrchr(file, '/');
		name = slash ? slash + 1 : file;
	}
	struct kk_buf b = KK_BUF_INIT(KK_ATTACH_MAX_DEFAULT);
	if (read_all(file, &b)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db)) {
		kk_buf_release(&b);
		return KK_EXIT_FAIL;
	}
	struct kk_actor actor;
	kk_actor_system(&actor, NULL);
	struct kk_diag d;
	kk_diag_clear(&d);
	char sha[65];
	int rc = kk_intake_attach(db, &actor, NULL, tracking, dir, name, b.ptr, b.len, 0, sha, &d);
	kk_db_close(db);
	kk_buf_release(&b);
	if (rc)
		return diag_error("report attach", rc, &d);
	printf("attached %s to %s (sha256 %s)\n", name, tracking, sha);
	return KK_EXIT_OK;
}

int cmd_report_status(struct kk_cli *cli, int argc, char **argv)
{
	const char *tracking = NULL, *token = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--key", &token);
		if (r < 0)
			return cli_usage("report status", "--key needs the secret link's token");
		if (r)
			continue;
		if (argv[i][0] == '-' || tracking)
			return cli_usage("report status", "unexpected argument '%s'", argv[i]);
		tracking = argv[i];
	}
	if (!tracking || !token)
		return cli_usage("report status", "give TRACKING and --key TOKEN (the key= part of the secret link)");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	int rc = kk_intake_finder_json(db, tracking, token, &j);
	kk_db_close(db);
	if (!rc)
		printf("%s\n", out.ptr);
	kk_buf_release(&out);
	if (rc == KK_ENOTFOUND)
		return cli_error("report status: no report matches this tracking number and key; check the whole link");
	return rc ? cli_error("report status: %s", kk_err_msg(rc)) : KK_EXIT_OK;
}
