/*
 * cmd_advisory.c — `keikai advisory ...` (create, edit, show, list, credit,
 * party, schedule, publish) and `keikai export-advisory`: the advisory
 * editor's command line, each change in one transaction with its audit row.
 */
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "intake/intake.h"
#include "publish/advisory.h"
#include "publish/formats.h"
#include "store/db.h"
#include "web/page_advisory.h"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_file(const char *path, struct kk_buf *b)
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
	return bad || kk_buf_error(b) ? cli_error("cannot read %s", path) : 0;
}

static int fail(const char *cmd, int rc, const struct kk_diag *d)
{
	/* the domain says what is missing; the command line also names its command for it */
	const char *hint = strstr(d->msg, "the CVE pool is empty") ? " (the command: cve-pool add CVE-...)" : "";
	if (d->where[0])
		return cli_error("%s: %s: %s%s", cmd, d->where, d->msg, hint);
	return cli_error("%s: %s", cmd, d->msg[0] ? d->msg : kk_err_msg(rc));
}

/* One transaction's state: the command's inputs and its outputs. */
struct adv_tx {
	struct kk_actor actor;
	const char *ident, *kind, *email, *label, *note_ja, *note_en;
	const char *json;
	size_t json_len;
	int64_t id, at;
	bool remove;
	int rev;
	char made[KK_ADV_IDENT_MAX];
	const char *const *names;
	size_t n_names;
	const unsigned char *key; /* publish: unseals the finders' contact (NULL: no key file) */
	const char *ground, *reason; /* publish: the exception to the case's date, when earlier */
	struct kk_diag d;
};

static int find(struct kk_db *db, struct adv_tx *x)
{
	int rc = kk_adv_find(db, x->ident, &x->id);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(&x->d, rc, "", "no advisory %s; 'keikai advisory list' shows them", x->ident);
	return rc;
}

static int tx_create(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	return kk_adv_create(db, &x->actor, x->kind, x->json, x->json_len, &x->id, x->made, &x->d);
}

static int tx_edit(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	int rc = find(db, x);
	return rc ? rc : kk_adv_update(db, &x->actor, x->id, x->json, x->json_len, &x->d);
}

static int tx_party(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	int rc = find(db, x);
	return rc ? rc : kk_adv_party(db, &x->actor, x->id, x->email, x->label, x->remove, &x->d);
}

static int tx_schedule(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	int rc = find(db, x);
	return rc ? rc : kk_adv_schedule(db, &x->actor, x->id, x->at, x->note_ja, x->note_en, &x->d);
}

static int tx_publish(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	int rc = find(db, x);
	if (rc)
		return rc;
	if (x->ground || x->reason)
		return kk_adv_publish_early(db, &x->actor, x->key, x->id, x->ground, x->reason, x->note_ja, x->note_en,
					    &x->rev, &x->d);
	return kk_adv_publish(db, &x->actor, x->key, x->id, x->note_ja, x->note_en, &x->rev, &x->d);
}

/* Opens the database and runs fn as the CLI's actor; prints the error. 0 or an exit code. */
static int run(struct kk_cli *cli, const char *cmd, int (*fn)(struct kk_db *, void *), struct adv_tx *x)
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	kk_actor_system(&x->actor, NULL);
	kk_diag_clear(&x->d);
	int rc = kk_db_tx(db, fn, x);
	kk_db_close(db);
	return rc ? fail(cmd, rc, &x->d) : 0;
}

static int tx_from_case(struct kk_db *db, void *arg)
{
	struct adv_tx *x = arg;
	int rc = find(db, x);
	return rc ? rc : kk_adv_from_case(db, &x->actor, x->id, x->email, &x->at, &x->d);
}

int cmd_advisory_from_case(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	if (argc != 3)
		return cli_usage("advisory from-case", "give the advisory ID and the CASE reference");
	x.ident = argv[1];
	x.email = argv[2]; /* the case reference */
	int rc = run(cli, "advisory from-case", tx_from_case, &x);
	if (rc)
		return rc;
	char jst[40], utc[32];
	kk_time_jst(x.at, jst, sizeof(jst));
	kk_time_iso(x.at, utc, sizeof(utc));
	printf("%s: filled from case %s; the case's publication date is %s (%s)\n", x.ident, x.email, jst, utc);
	return 0;
}

/* Parses [--json FILE] (+ the options named in opts) into x; the buffer keeps the JSON. */
static int doc_opt(int argc, char **argv, int *i, const char *cmd, struct kk_buf *b, struct adv_tx *x, int *r)
{
	const char *file = NULL;
	*r = cli_opt(argc, argv, i, "--json", &file);
	if (*r < 0)
		return cli_usage(cmd, "--json needs a FILE (or - for standard input)");
	if (*r && read_file(file, b))
		return KK_EXIT_FAIL;
	if (*r) {
		x->json = b->ptr;
		x->json_len = b->len;
	}
	return 0;
}

int cmd_advisory_create(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	struct kk_buf b = KK_BUF_INIT(KK_ADV_JSON_MAX);
	int rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		int r;
		if ((rc = doc_opt(argc, argv, &i, "advisory create", &b, &x, &r)) || r)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--kind", &x.kind)) < 0)
			rc = cli_usage("advisory create", "--kind needs JVN, JVNVU or JVNTA");
		else if (!r)
			rc = cli_usage("advisory create", "unknown argument '%s'", argv[i]);
	}
	if (!rc && x.kind && kk_adv_kind_valid(x.kind))
		rc = cli_usage("advisory create", "unknown kind '%s': use JVN, JVNVU or JVNTA", x.kind);
	if (!rc && !x.kind)
		rc = cli_usage("advisory create", "--kind is required: JVN (partnership), JVNVU (with overseas "
						  "coordinators) or JVNTA (technical alert)");
	if (!rc && !(rc = run(cli, "advisory create", tx_create, &x)))
		printf("%s\n", x.made);
	kk_buf_release(&b);
	return rc;
}

int cmd_advisory_edit(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	struct kk_buf b = KK_BUF_INIT(KK_ADV_JSON_MAX);
	int rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		int r;
		if ((rc = doc_opt(argc, argv, &i, "advisory edit", &b, &x, &r)) || r)
			continue;
		if (argv[i][0] == '-' || x.ident)
			rc = cli_usage("advisory edit", "unknown argument '%s'", argv[i]);
		else
			x.ident = argv[i];
	}
	if (!rc && (!x.ident || !x.json))
		rc = cli_usage("advisory edit", "give the advisory ID and --json FILE");
	if (!rc && !(rc = run(cli, "advisory edit", tx_edit, &x)))
		printf("updated the working copy of %s\n", x.ident);
	kk_buf_release(&b);
	return rc;
}

static void advisory_json(struct kk_json *j, const struct kk_advisory *a)
{
	char t[32];
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", a->ident);
	kk_json_kv_str(j, "kind", a->kind);
	kk_json_kv_str(j, "state", a->state);
	kk_json_kv_int(j, "revision", a->rev);
	kk_json_kv_int(j, "public_revision", a->public_rev);
	kk_json_kv_str(j, "jvndb", a->jvndb);
	kk_json_kv_str(j, "case", a->case_ref);
	kk_json_key(j, "publish_at");
	if (a->publish_at) {
		kk_time_iso(a->publish_at, t, sizeof(t));
		kk_json_str(j, t);
	} else
		kk_json_null(j);
	kk_json_key(j, "published_at");
	if (a->public_rev) {
		kk_time_iso(a->published_at, t, sizeof(t));
		kk_json_str(j, t);
	} else
		kk_json_null(j);
	kk_json_key(j, "history");
	kk_json_arr_open(j);
	for (size_t i = 0; i < a->n_history; i++) {
		kk_json_obj_open(j);
		kk_json_kv_int(j, "revision", a->history[i].rev);
		kk_time_iso(a->history[i].at, t, sizeof(t));
		kk_json_kv_str(j, "at", t);
		kk_json_kv_str(j, "note_ja", a->history[i].note_ja);
		kk_json_kv_str(j, "note_en", a->history[i].note_en);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "document");
	kk_adv_write(j, &a->doc);
	kk_json_obj_close(j);
}

/* Reads ID (working copy, or the public revision) and hands it to fn. */
static int with_advisory(struct kk_cli *cli, const char *cmd, const char *ident, bool public,
			 int (*fn)(void *arg, struct kk_db *db, const struct kk_advisory *a), void *arg)
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_arena ar;
	struct kk_advisory a;
	struct kk_diag d;
	int64_t id;
	kk_diag_clear(&d);
	kk_arena_init(&ar, 0);
	int rc = kk_adv_find(db, ident, &id);
	if (!rc)
		rc = kk_adv_get(db, id, public, &ar, &a, &d);
	if (rc == KK_ENOTFOUND)
		rc = cli_error("%s: %s%s; 'keikai advisory list' shows them", cmd,
			       public ? "no published advisory " : "no advisory ", ident);
	else if (rc)
		rc = fail(cmd, rc, &d);
	else
		rc = fn(arg, db, &a);
	kk_arena_release(&ar);
	kk_db_close(db);
	return rc;
}

static int show_fn(void *arg, struct kk_db *db, const struct kk_advisory *a)
{
	(void)arg;
	(void)db;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &b);
	advisory_json(&j, a);
	int rc = kk_json_error(&j);
	if (!rc)
		printf("%s\n", b.ptr);
	kk_buf_release(&b);
	return rc ? cli_error("advisory show: %s", kk_err_msg(rc)) : 0;
}

int cmd_advisory_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *ident = NULL;
	bool public = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--public"))
			public = true;
		else if (argv[i][0] == '-' || ident)
			return cli_usage("advisory show", "unknown argument '%s'", argv[i]);
		else
			ident = argv[i];
	}
	if (!ident)
		return cli_usage("advisory show", "give the advisory ID");
	return with_advisory(cli, "advisory show", ident, public, show_fn, NULL);
}

static bool list_public;
static const char *list_kind;

static int list_row(void *arg, const struct kk_adv_row *r)
{
	struct cli_list *l = arg;
	char t[32] = "-";
	l->n++;
	if (r->published_at)
		kk_time_iso(r->published_at, t, sizeof(t));
	if (!l->json) {
		printf("%-16s %-10s %-21s %-18s %s\n", r->ident, r->state, t, r->jvndb[0] ? r->jvndb : "-",
		       r->title_en ? r->title_en : r->title_ja ? r->title_ja : "");
		return 0;
	}
	kk_json_obj_open(&l->j);
	kk_json_kv_str(&l->j, "id", r->ident);
	kk_json_kv_str(&l->j, "kind", r->kind);
	kk_json_kv_str(&l->j, "state", r->state);
	kk_json_kv_str(&l->j, "jvndb", r->jvndb[0] ? r->jvndb : NULL);
	kk_json_kv_int(&l->j, "public_revision", r->public_rev);
	kk_json_kv_str(&l->j, "published_at", r->published_at ? t : NULL);
	kk_json_kv_str(&l->j, "title_ja", r->title_ja);
	kk_json_kv_str(&l->j, "title_en", r->title_en);
	kk_json_obj_close(&l->j);
	return 0;
}

static int list_walk(struct kk_db *db, struct cli_list *l)
{
	int rc = kk_adv_list(db, list_public, list_kind, 0, list_row, l);
	return rc < 0 ? rc : 0;
}

int cmd_advisory_list(struct kk_cli *cli, int argc, char **argv)
{
	char *rest[8];
	int n = 0;
	list_public = false;
	list_kind = NULL;
	for (int i = 0; i < argc; i++) {
		int r = i ? cli_opt(argc, argv, &i, "--kind", &list_kind) : 0;
		if (r < 0)
			return cli_usage("advisory list", "--kind needs JVN, JVNVU or JVNTA");
		if (r)
			continue;
		if (i && !strcmp(argv[i], "--public"))
			list_public = true;
		else if (n < 8)
			rest[n++] = argv[i];
	}
	if (list_kind && kk_adv_kind_valid(list_kind))
		return cli_usage("advisory list", "unknown kind '%s'; use JVN, JVNVU or JVNTA", list_kind);
	struct cli_list l = {0};
	return cli_list_run(cli, "advisory list", n, rest, &l, "ID               STATE      PUBLISHED             JVNDB              TITLE",
			    list_walk, "no advisories; create one with 'keikai advisory create --kind JVNVU'");
}

/* ---- credit from intake's consent ----------------------------------------------- */

struct credit_tx {
	struct adv_tx x;
	unsigned char key[KK_KEY_BYTES];
	bool clear;
	char name[KK_NAME_MAX + 1];
};

static int tx_credit(struct kk_db *db, void *arg)
{
	struct credit_tx *c = arg;
	struct adv_tx *x = &c->x;
	int rc = find(db, x);
	if (rc)
		return rc;
	const char *names[1] = {c->name};
	if (c->clear)
		return kk_adv_set_credit(db, &x->actor, x->id, names, 0, &x->d);
	struct kk_arena ar;
	struct kk_advisory a;
	kk_arena_init(&ar, 0);
	rc = kk_adv_get(db, x->id, false, &ar, &a, &x->d);
	if (!rc && !a.doc.report)
		rc = kk_diag_set(&x->d, KK_EINVAL, "/report",
				 "%s names no report: set \"report\" to the report's tracking number first", x->ident);
	struct kk_finder f;
	memset(&f, 0, sizeof(f));
	if (!rc)
		rc = kk_intake_finder_consented(db, &x->actor, c->key, a.doc.report, &f, &x->d);
	if (!rc) {
		snprintf(c->name, sizeof(c->name), "%s", f.credit_name);
		rc = kk_adv_set_credit(db, &x->actor, x->id, names, c->name[0] ? 1 : 0, &x->d);
	}
	sodium_memzero(&f, sizeof(f));
	kk_arena_release(&ar);
	return rc;
}

int cmd_advisory_credit(struct kk_cli *cli, int argc, char **argv)
{
	struct credit_tx c;
	memset(&c, 0, sizeof(c));
	const char *key_file = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--key-file", &key_file);
		if (r < 0)
			return cli_usage("advisory credit", "--key-file needs a PATH");
		if (r)
			continue;
		if (!strcmp(argv[i], "--clear"))
			c.clear = true;
		else if (argv[i][0] == '-' || c.x.ident)
			return cli_usage("advisory credit", "unknown argument '%s'", argv[i]);
		else
			c.x.ident = argv[i];
	}
	if (!c.x.ident)
		return cli_usage("advisory credit", "give the advisory ID");
	char path[1024];
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_keyfile_path(cli->db_path, key_file, path, sizeof(path)))
		return cli_error("advisory credit: key file path too long; set KEIKAI_KEY_FILE");
	if (!c.clear && kk_keyfile_load(path, c.key, &d))
		return cli_error("advisory credit: %s", d.msg);
	int rc = run(cli, "advisory credit", tx_credit, &c.x);
	sodium_memzero(c.key, sizeof(c.key));
	if (rc)
		return rc;
	if (c.clear)
		printf("%s: credit cleared\n", c.x.ident);
	else if (c.name[0])
		printf("%s: credits %s (as the finder consented)\n", c.x.ident, c.name);
	else
		printf("%s: the finder wants no credit; none is shown\n", c.x.ident);
	sodium_memzero(c.name, sizeof(c.name));
	return 0;
}

int cmd_advisory_party(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	const char *verb = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--label", &x.label);
		if (r < 0)
			return cli_usage("advisory party", "--label needs a TEXT");
		if (r)
			continue;
		if (argv[i][0] == '-')
			return cli_usage("advisory party", "unknown option '%s'", argv[i]);
		if (!x.ident)
			x.ident = argv[i];
		else if (!verb)
			verb = argv[i];
		else if (!x.email)
			x.email = argv[i];
		else
			return cli_usage("advisory party", "too many arguments");
	}
	if (!x.email || (strcmp(verb, "add") && strcmp(verb, "remove")))
		return cli_usage("advisory party", "give ID add|remove EMAIL");
	x.remove = !strcmp(verb, "remove");
	int rc = run(cli, "advisory party", tx_party, &x);
	if (!rc)
		printf("%s: %s %s\n", x.ident, x.remove ? "removed" : "will tell", x.email);
	return rc;
}

static int note_opts(int argc, char **argv, int *i, const char *cmd, struct adv_tx *x, int *r)
{
	if ((*r = cli_opt(argc, argv, i, "--note-ja", &x->note_ja)) ||
	    (*r = cli_opt(argc, argv, i, "--note-en", &x->note_en)))
		return *r < 0 ? cli_usage(cmd, "--note-ja/--note-en need a TEXT (the update history line)") : 0;
	return 0;
}

int cmd_advisory_schedule(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	const char *at = NULL;
	bool cancel = false;
	for (int i = 1; i < argc; i++) {
		int r;
		if (note_opts(argc, argv, &i, "advisory schedule", &x, &r))
			return KK_EXIT_USAGE;
		if (r)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--at", &at)) < 0)
			return cli_usage("advisory schedule", "--at needs a TIME (2026-03-01T10:00+09:00)");
		if (r)
			continue;
		if (!strcmp(argv[i], "--cancel"))
			cancel = true;
		else if (argv[i][0] == '-' || x.ident)
			return cli_usage("advisory schedule", "unknown argument '%s'", argv[i]);
		else
			x.ident = argv[i];
	}
	if (!x.ident || (!at && !cancel) || (at && cancel))
		return cli_usage("advisory schedule", "give ID and either --at TIME or --cancel");
	if (at && kk_time_parse(at, &x.at))
		return cli_usage("advisory schedule", "'%s' is not a time: use 2026-03-01T10:00+09:00 (JST) or ...Z (UTC)",
				 at);
	int rc = run(cli, "advisory schedule", tx_schedule, &x);
	if (rc)
		return rc;
	char jst[40], utc[32];
	if (cancel) {
		printf("%s: schedule cancelled\n", x.ident);
		return 0;
	}
	kk_time_jst(x.at, jst, sizeof(jst));
	kk_time_iso(x.at, utc, sizeof(utc));
	printf("%s: publication scheduled at %s (%s)\n", x.ident, jst, utc);
	return 0;
}

static void pool_warning(struct kk_cli *cli)
{
	struct kk_db *db;
	long free_n = 0;
	if (kk_db_open(cli->db_path, 0, &db))
		return;
	if (!kk_cve_pool_level(db, &free_n, NULL) && free_n < kk_cve_pool_low())
		fprintf(stderr, "keikai: warning: the CVE pool is low: %ld free id%s left; add reserved ids with "
				"'keikai cve-pool add'\n",
			free_n, free_n == 1 ? "" : "s");
	kk_db_close(db);
}

int cmd_advisory_publish(struct kk_cli *cli, int argc, char **argv)
{
	struct adv_tx x = {0};
	const char *key_file = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (note_opts(argc, argv, &i, "advisory publish", &x, &r))
			return KK_EXIT_USAGE;
		if (r)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--key-file", &key_file)) < 0)
			return cli_usage("advisory publish", "--key-file needs a PATH");
		if (r)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--exception", &x.ground)) < 0)
			return cli_usage("advisory publish", "--exception needs a ground: already_public or exploited");
		if (r)
			continue;
		if ((r = cli_opt(argc, argv, &i, "--reason", &x.reason)) < 0)
			return cli_usage("advisory publish", "--reason needs a TEXT");
		if (r)
			continue;
		if (argv[i][0] == '-' || x.ident)
			return cli_usage("advisory publish", "unknown argument '%s'", argv[i]);
		x.ident = argv[i];
	}
	if (!x.ident)
		return cli_usage("advisory publish", "give the advisory ID");
	/* the key that unseals the finders' contact, when there is a key file */
	unsigned char key[KK_KEY_BYTES];
	char path[1024];
	struct kk_diag kd;
	kk_diag_clear(&kd);
	if (kk_keyfile_path(cli->db_path, key_file, path, sizeof(path)))
		return cli_error("advisory publish: key file path too long; set KEIKAI_KEY_FILE");
	if (access(path, F_OK) == 0) {
		if (kk_keyfile_load(path, key, &kd))
			return cli_error("advisory publish: %s", kd.msg);
		x.key = key;
	}
	int rc = run(cli, "advisory publish", tx_publish, &x);
	sodium_memzero(key, sizeof(key));
	if (rc)
		return rc;
	if (!x.key)
		printf("note: no key file at %s: finders are told on their status page only, not by mail\n", path);
	char url[256];
	kk_adv_url(x.ident, "ja", url, sizeof(url));
	printf("%s: published revision %d at %s\n", x.ident, x.rev, url);
	pool_warning(cli);
	return 0;
}

/* ---- export ------------------------------------------------------------------------- */

struct export_arg {
	const char *format, *lang, *cve;
};

static int export_fn(void *arg, struct kk_db *db, const struct kk_advisory *a)
{
	struct export_arg *e = arg;
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_diag d;
	const char *type;
	kk_diag_clear(&d);
	int rc = kk_advisory_export(&b, db, a, e->format, e->lang, e->cve, &type, &d);
	if (!rc)
		fwrite(b.ptr, 1, b.len, stdout);
	kk_buf_release(&b);
	return rc ? fail("export-advisory", rc, &d) : 0;
}

int cmd_export_advisory(struct kk_cli *cli, int argc, char **argv)
{
	struct export_arg e = {NULL, "ja", NULL};
	const char *ident = NULL;
	bool preview = false;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--format", &e.format)) || (r = cli_opt(argc, argv, &i, "--lang", &e.lang)) ||
		    (r = cli_opt(argc, argv, &i, "--cve", &e.cve))) {
			if (r < 0)
				return cli_usage("export-advisory", "'%s' needs a value", argv[i]);
			continue;
		}
		if (!strcmp(argv[i], "--preview"))
			preview = true;
		else if (argv[i][0] == '-' || ident)
			return cli_usage("export-advisory", "unknown argument '%s'", argv[i]);
		else
			ident = argv[i];
	}
	if (!ident || !e.format)
		return cli_usage("export-advisory", "give ID and --format (%s)", KK_ADV_FORMATS);
	if (strcmp(e.lang, "ja") && strcmp(e.lang, "en"))
		return cli_usage("export-advisory", "--lang is ja or en");
	return with_advisory(cli, "export-advisory", ident, !preview, export_fn, &e);
}
