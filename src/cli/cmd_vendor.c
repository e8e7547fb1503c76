/*
 * cmd_vendor.c — `keikai vendor ...`: the vendor directory (add, list, show,
 * contact, product, match, import, export, seed-from-vulndb, unreachable).
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "coord/directory.h"
#include "store/db.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

enum vop { V_ADD, V_CONTACT_ADD, V_CONTACT_REMOVE, V_PRODUCT_ADD, V_PRODUCT_REMOVE, V_UNREACH, V_REACH, V_CONFIG };

struct vtx {
	enum vop op;
	struct kk_actor actor;
	int64_t org, id;
	struct kk_vendor_in v;
	struct kk_vendor_contact_in c;
	struct kk_vendor_product_in p;
	const char *product, *version, *contact;
	int months;
	struct kk_diag d;
};

static int vtx_fn(struct kk_db *db, void *arg)
{
	struct vtx *t = arg;
	int rc;
	kk_diag_clear(&t->d);
	switch (t->op) {
	case V_ADD: return kk_vendor_create(db, &t->actor, &t->v, &t->id, &t->d);
	case V_CONTACT_ADD: return kk_vendor_contact_add(db, &t->actor, t->org, &t->c, &t->id, &t->d);
	case V_CONTACT_REMOVE: return kk_vendor_contact_remove(db, &t->actor, t->org, t->id);
	case V_PRODUCT_ADD: return kk_vendor_product_add(db, &t->actor, t->org, &t->p, &t->id, &t->d);
	case V_PRODUCT_REMOVE: return kk_vendor_product_remove(db, &t->actor, t->org, t->id);
	case V_UNREACH: return kk_vendor_set_unreachable(db, &t->actor, t->org, t->product, t->version, 0, &t->id, &t->d);
	case V_REACH: return kk_vendor_set_reachable(db, &t->actor, t->org, &t->d);
	case V_CONFIG:
		if (t->months && (rc = kk_unreachable_set_delay_months(db, &t->actor, t->months, &t->d)))
			return rc;
		return t->contact ? kk_unreachable_set_contact(db, &t->actor, t->contact, &t->d) : 0;
	}
	return KK_EINVAL;
}

/* Runs t in a transaction; prints "keikai CMD: field: message" on failure. */
static int vtx_run(struct kk_db *db, const char *cmd, struct vtx *t)
{
	kk_actor_system(&t->actor, NULL);
	int rc = kk_db_tx(db, vtx_fn, t);
	if (rc)
		cli_error("%s: %s%s%s", cmd, t->d.where[0] ? t->d.where : "", t->d.where[0] ? ": " : "",
			  t->d.msg[0] ? t->d.msg : kk_err_msg(rc));
	return rc;
}

/* VENDOR as an id or a name (organization, Japanese or English). */
static int resolve(struct kk_db *db, const char *cmd, const char *s, struct kk_vendor *v)
{
	char *end;
	errno = 0;
	long long id = strtoll(s, &end, 10);
	int rc = (!*end && !errno && id > 0) ? kk_vendor_get(db, id, v) : kk_vendor_find(db, s, v);
	if (rc == KK_ENOTFOUND)
		cli_error("%s: no vendor '%s' in the directory; 'keikai vendor list' shows them", cmd, s);
	else if (rc)
		cli_error("%s: %s", cmd, kk_err_msg(rc));
	return rc;
}

static int open_db(struct kk_cli *cli, struct kk_db **db)
{
	return cli_open_db(cli, db);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	struct kk_buf b = KK_BUF_INIT(256u << 20);
	char chunk[65536];
	size_t r;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kk_buf_add(&b, chunk, r))
			break;
	bool bad = ferror(f) || kk_buf_error(&b);
	if (f != stdin)
		fclose(f);
	if (bad) {
		kk_buf_release(&b);
		return NULL;
	}
	return kk_buf_detach(&b, n);
}

/* ---- vendor add ---- */

int cmd_vendor_add(struct kk_cli *cli, int argc, char **argv)
{
	struct vtx t = {.op = V_ADD};
	const char *terms = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--ja", &t.v.name_ja)) || (r = cli_opt(argc, argv, &i, "--en", &t.v.name_en)) ||
		    (r = cli_opt(argc, argv, &i, "--lang", &t.v.lang)) ||
		    (r = cli_opt(argc, argv, &i, "--cpe-vendor", &t.v.cpe_vendor)) ||
		    (r = cli_opt(argc, argv, &i, "--note", &t.v.note)) || (r = cli_opt(argc, argv, &i, "--terms", &terms))) {
			if (r < 0)
				return cli_usage("vendor add", "%s needs a value", argv[i]);
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("vendor add", "unknown option '%s'", argv[i]);
		if (t.v.name)
			return cli_usage("vendor add", "one NAME only (quote a name with spaces)");
		t.v.name = argv[i];
	}
	if (!t.v.name)
		return cli_usage("vendor add", "give the vendor's NAME");
	if (terms) {
		if (kk_time_parse_jst(terms, 0, &t.v.terms_agreed_at)) /* a date: midnight in Japan */
			return cli_usage("vendor add", "--terms '%s' is not a date (YYYY-MM-DD, Japan)", terms);
		t.v.terms_agreed = 1;
	}
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	int rc = vtx_run(db, "vendor add", &t);
	kk_db_close(db);
	if (rc)
		return KK_EXIT_FAIL;
	printf("added vendor %s (id %lld)\n", t.v.name, (long long)t.id);
	return KK_EXIT_OK;
}

/* ---- vendor list / show ---- */

static void vendor_json(struct kk_json *j, const struct kk_vendor *v)
{
	kk_json_obj_open(j);
	kk_vendor_fields_json(j, v, true);
	kk_json_obj_close(j);
}

struct vlist {
	struct cli_list *l;
	struct kk_vendor_query q;
};
static struct vlist vlist_state;

static int vendor_print(void *arg, const struct kk_vendor *v)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json) {
		vendor_json(&l->j, v);
		return 0;
	}
	char terms[32] = "-";
	if (v->terms_agreed)
		kk_time_jst(v->terms_agreed_at, terms, sizeof(terms));
	printf("%-6lld %-3d %-3d %-11s %-22s %s%s%s\n", (long long)v->org_id, v->ncontacts, v->nproducts,
	       v->unreachable ? "unreachable" : "-", terms, v->name, v->name_ja[0] ? " / " : "", v->name_ja);
	return 0;
}

static int vendor_walk(struct kk_db *db, struct cli_list *l)
{
	return kk_vendor_search(db, &vlist_state.q, vendor_print, l, NULL);
}

int cmd_vendor_list(struct kk_cli *cli, int argc, char **argv)
{
	memset(&vlist_state, 0, sizeof(vlist_state));
	vlist_state.q.limit = 1000;
	char *rest[4] = {argv[0]};
	int nrest = 1;
	for (int i = 1; i < argc; i++) {
		int r;
		const char *lim = NULL;
		if ((r = cli_opt(argc, argv, &i, "--cpe", &vlist_state.q.cpe)) ||
		    (r = cli_opt(argc, argv, &i, "--limit", &lim))) {
			if (r < 0)
				return cli_usage("vendor list", "%s needs a value", argv[i]);
			if (lim && (vlist_state.q.limit = atoi(lim)) <= 0)
				return cli_usage("vendor list", "--limit is a positive number");
			continue;
		}
		if (!strcmp(argv[i], "--unreachable")) {
			vlist_state.q.unreachable = 1;
			continue;
		}
		if (!strcmp(argv[i], "--json")) {
			if (nrest < 4)
				rest[nrest++] = argv[i];
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("vendor list", "unknown option '%s'", argv[i]);
		if (vlist_state.q.q)
			return cli_usage("vendor list", "one QUERY only (quote words with spaces)");
		vlist_state.q.q = argv[i];
	}
	struct cli_list l;
	char header[100];
	snprintf(header, sizeof(header), "%-6s %-3s %-3s %-11s %-22s %s", "ID", "CON", "PRD", "STATE", "TERMS AGREED",
		 "NAME");
	return cli_list_run(cli, "vendor list", nrest, rest, &l, header, vendor_walk,
			    "(no vendors match; add one with 'keikai vendor add NAME' or 'keikai vendor import FILE.csv')");
}

static int show_contact(void *arg, const struct kk_vendor_contact *c)
{
	struct kk_json *j = arg;
	if (j) {
		kk_vendor_contact_json(j, c, false);
		return 0;
	}
	printf("  contact %-4lld %-3s %-2s %s%s%s%s%s%s\n", (long long)c->id, c->role, c->lang, c->email,
	       c->email[0] && c->phone[0] ? " " : "", c->phone, c->has_pgp_key ? " [PGP]" : "", c->label[0] ? " — " : "",
	       c->label);
	return 0;
}

static int show_product(void *arg, const struct kk_vendor_product *p)
{
	struct kk_json *j = arg;
	if (j) {
		kk_vendor_product_json(j, p);
		return 0;
	}
	printf("  product %-4lld %s%s%s", (long long)p->id, p->name_en, p->name_en[0] && p->name_ja[0] ? " / " : "",
	       p->name_ja);
	if (p->cpe_vendor[0])
		printf("  cpe %s:%s", p->cpe_vendor, p->cpe_product);
	if (p->purl_type[0])
		printf("  purl %s/%s%s%s", p->purl_type, p->purl_namespace, p->purl_name[0] ? "/" : "", p->purl_name);
	putchar('\n');
	return 0;
}

int cmd_vendor_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *name = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("vendor show", "unknown option '%s'", argv[i]);
		else
			name = argv[i];
	}
	if (!name)
		return cli_usage("vendor show", "give the VENDOR (id or name)");
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_vendor v;
	int rc = resolve(db, "vendor show", name, &v);
	if (rc) {
		kk_db_close(db);
		return KK_EXIT_FAIL;
	}
	if (json) {
		struct kk_buf b = KK_BUF_INIT(0);
		struct kk_json j;
		kk_json_init(&j, &b);
		kk_json_obj_open(&j);
		kk_json_key(&j, "vendor");
		vendor_json(&j, &v);
		kk_json_key(&j, "contacts");
		kk_json_arr_open(&j);
		rc = kk_vendor_contacts(db, v.org_id, show_contact, &j);
		kk_json_arr_close(&j);
		kk_json_key(&j, "products");
		kk_json_arr_open(&j);
		if (!rc)
			rc = kk_vendor_products(db, v.org_id, show_product, &j);
		kk_json_arr_close(&j);
		kk_json_obj_close(&j);
		if (!rc)
			printf("%s\n", b.ptr);
		kk_buf_release(&b);
	} else {
		char terms[32] = "not agreed";
		if (v.terms_agreed)
			kk_time_jst(v.terms_agreed_at, terms, sizeof(terms));
		printf("vendor %lld: %s\n  ja: %s\n  en: %s\n  language: %s\n  CPE vendor: %s\n  registration terms: %s\n",
		       (long long)v.org_id, v.name, v.name_ja, v.name_en, v.lang, v.cpe_vendor, terms);
		if (v.unreachable) {
			char since[32];
			kk_time_jst(v.unreachable_since, since, sizeof(since));
			printf("  UNREACHABLE since %s\n", since);
		}
		if (v.note[0])
			printf("  note: %s\n", v.note);
		rc = kk_vendor_contacts(db, v.org_id, show_contact, NULL);
		if (!rc)
			rc = kk_vendor_products(db, v.org_id, show_product, NULL);
	}
	kk_db_close(db);
	if (rc)
		return cli_error("vendor show: %s", kk_err_msg(rc));
	return KK_EXIT_OK;
}

/* ---- vendor contact add|remove, vendor product add|remove ---- */

static int sub_remove(struct kk_cli *cli, const char *cmd, enum vop op, int argc, char **argv)
{
	if (argc != 4)
		return cli_usage(cmd, "give the VENDOR and the id to remove");
	char *end;
	long long id = strtoll(argv[3], &end, 10);
	if (*end || id <= 0)
		return cli_usage(cmd, "'%s' is not an id ('keikai vendor show VENDOR' lists them)", argv[3]);
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_vendor v;
	int rc = resolve(db, cmd, argv[2], &v);
	struct vtx t = {.op = op, .org = v.org_id, .id = id};
	if (!rc && (rc = vtx_run(db, cmd, &t)) == 0)
		printf("removed %lld from vendor %s\n", id, v.name);
	kk_db_close(db);
	return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
}

int cmd_vendor_contact(struct kk_cli *cli, int argc, char **argv)
{
	const char *cmd = "vendor contact";
	if (argc >= 2 && !strcmp(argv[1], "remove"))
		return sub_remove(cli, cmd, V_CONTACT_REMOVE, argc, argv);
	if (argc < 3 || strcmp(argv[1], "add"))
		return cli_usage(cmd, "use 'vendor contact add VENDOR --email ADDR ...' or 'vendor contact remove VENDOR ID'");
	struct vtx t = {.op = V_CONTACT_ADD};
	const char *key_file = NULL, *cc = NULL;
	for (int i = 3; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--email", &t.c.email)) || (r = cli_opt(argc, argv, &i, "--cc", &cc)) ||
		    (r = cli_opt(argc, argv, &i, "--phone", &t.c.phone)) || (r = cli_opt(argc, argv, &i, "--label", &t.c.label)) ||
		    (r = cli_opt(argc, argv, &i, "--lang", &t.c.lang)) || (r = cli_opt(argc, argv, &i, "--pgp-key", &key_file))) {
			if (r < 0)
				return cli_usage(cmd, "%s needs a value", argv[i]);
			continue;
		}
		return cli_usage(cmd, "unknown argument '%s'", argv[i]);
	}
	if (cc && t.c.email)
		return cli_usage(cmd, "--email (role to) or --cc (role cc), not both: add two contacts");
	if (cc) {
		t.c.email = cc;
		t.c.role = "cc";
	}
	char *key = NULL;
	if (key_file) {
		size_t n;
		if (!(key = read_file(key_file, &n)))
			return cli_error("%s: cannot read the PGP key file %s: %s", cmd, key_file, strerror(errno));
		struct kk_diag d = {0};
		if (kk_vendor_pgp_check(key, "--pgp-key", &d)) {
			kk_free(key);
			return cli_error("%s: %s", cmd, d.msg);
		}
		t.c.pgp_key = key;
	}
	struct kk_db *db;
	if (open_db(cli, &db)) {
		kk_free(key);
		return KK_EXIT_FAIL;
	}
	struct kk_vendor v;
	int rc = resolve(db, cmd, argv[2], &v);
	t.org = v.org_id;
	if (!rc && !(rc = vtx_run(db, cmd, &t)))
		printf("added contact %lld to vendor %s\n", (long long)t.id, v.name);
	kk_db_close(db);
	kk_free(key);
	return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
}

int cmd_vendor_product(struct kk_cli *cli, int argc, char **argv)
{
	const char *cmd = "vendor product";
	if (argc >= 2 && !strcmp(argv[1], "remove"))
		return sub_remove(cli, cmd, V_PRODUCT_REMOVE, argc, argv);
	if (argc < 3 || strcmp(argv[1], "add"))
		return cli_usage(cmd, "use 'vendor product add VENDOR --en NAME ...' or 'vendor product remove VENDOR ID'");
	struct vtx t = {.op = V_PRODUCT_ADD};
	for (int i = 3; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--en", &t.p.name_en)) || (r = cli_opt(argc, argv, &i, "--ja", &t.p.name_ja)) ||
		    (r = cli_opt(argc, argv, &i, "--cpe", &t.p.cpe)) || (r = cli_opt(argc, argv, &i, "--purl", &t.p.purl))) {
			if (r < 0)
				return cli_usage(cmd, "%s needs a value", argv[i]);
			continue;
		}
		return cli_usage(cmd, "unknown argument '%s'", argv[i]);
	}
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_vendor v;
	int rc = resolve(db, cmd, argv[2], &v);
	t.org = v.org_id;
	if (!rc && !(rc = vtx_run(db, cmd, &t)))
		printf("added product %lld to vendor %s\n", (long long)t.id, v.name);
	kk_db_close(db);
	return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
}

/* ---- vendor match ---- */

int cmd_vendor_match(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_vendor_match_in in = {0};
	bool json = false;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--product", &in.product)) || (r = cli_opt(argc, argv, &i, "--vendor", &in.vendor)) ||
		    (r = cli_opt(argc, argv, &i, "--cpe", &in.cpe)) || (r = cli_opt(argc, argv, &i, "--purl", &in.purl))) {
			if (r < 0)
				return cli_usage("vendor match", "%s needs a value", argv[i]);
			continue;
		}
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		return cli_usage("vendor match", "unknown argument '%s'", argv[i]);
	}
	if (!in.product && !in.vendor && !in.cpe && !in.purl)
		return cli_usage("vendor match", "give at least one of --product, --vendor, --cpe, --purl");
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_vendor_match m[50];
	struct kk_diag d = {0};
	int n = kk_vendor_match(db, &in, m, 50, &d);
	kk_db_close(db);
	if (n < 0)
		return cli_error("vendor match: %s%s%s", d.where, d.where[0] ? ": " : "", d.msg[0] ? d.msg : kk_err_msg(n));
	struct kk_buf b = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_arr_open(&j);
	for (int i = 0; i < n; i++) {
		if (!json) {
			printf("%-4d %-12s %-6lld %s%s%s%s\n", m[i].score, kk_vendor_match_how_name(m[i].how),
			       (long long)m[i].org_id, m[i].vendor_name, m[i].product_name[0] ? " — " : "", m[i].product_name,
			       m[i].unreachable ? " (unreachable)" : "");
			continue;
		}
		kk_vendor_match_json(&j, &m[i]);
	}
	kk_json_arr_close(&j);
	if (json)
		printf("%s\n", b.ptr);
	else if (!n)
		fprintf(stderr, "(no directory vendor matches)\n");
	kk_buf_release(&b);
	return KK_EXIT_OK;
}

/* ---- import / export ---- */

static void print_err(void *arg, int line, const char *field, const char *msg)
{
	fprintf(stderr, "%s:%d: %s: %s\n", (const char *)arg, line, field, msg);
}

int cmd_vendor_import(struct kk_cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("vendor import", "give one FILE.csv (- for standard input)");
	size_t n;
	char *csv = read_file(argv[1], &n);
	if (!csv)
		return cli_error("vendor import: cannot read %s: %s", argv[1], strerror(errno));
	struct kk_db *db;
	if (open_db(cli, &db)) {
		kk_free(csv);
		return KK_EXIT_FAIL;
	}
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_vendor_csv_stats st;
	int rc = kk_vendor_csv_import(db, &a, csv, n, print_err, argv[1], &st);
	kk_db_close(db);
	kk_free(csv);
	if (rc == KK_EINVAL)
		return cli_error("vendor import: %d of %d rows refused; nothing was imported (fix them and run again)",
				 st.errors, st.rows);
	if (rc)
		return cli_error("vendor import: %s", kk_err_msg(rc));
	printf("imported %s: %d rows; vendors %d created, %d updated; %d contacts, %d products added; %d unchanged\n",
	       argv[1], st.rows, st.vendors_created, st.vendors_updated, st.contacts_added, st.products_added, st.skipped);
	return KK_EXIT_OK;
}

int cmd_vendor_export(struct kk_cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage("vendor export", "at most one FILE (default: standard output)");
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_buf b = KK_BUF_INIT(0);
	int rc = kk_vendor_csv_export(db, &b);
	kk_db_close(db);
	if (rc) {
		kk_buf_release(&b);
		return cli_error("vendor export: %s", kk_err_msg(rc));
	}
	FILE *f = argc == 2 && strcmp(argv[1], "-") ? fopen(argv[1], "wb") : stdout;
	if (!f) {
		kk_buf_release(&b);
		return cli_error("vendor export: cannot write %s: %s", argv[1], strerror(errno));
	}
	bool ok = fwrite(b.ptr, 1, b.len, f) == b.len;
	if (f != stdout)
		ok = (fclose(f) == 0) && ok;
	kk_buf_release(&b);
	return ok ? KK_EXIT_OK : cli_error("vendor export: write failed: %s", strerror(errno));
}

/* ---- unreachable ---- */

static int unreach_print(void *arg, const struct kk_unreachable *u)
{
	(void)arg;
	char listed[32], due[32], off[32] = "";
	kk_time_jst(u->listed_at, listed, sizeof(listed));
	kk_time_jst(u->products_shown_at ? u->products_shown_at : u->products_due_at, due, sizeof(due));
	if (u->delisted_at)
		kk_time_jst(u->delisted_at, off, sizeof(off));
	printf("%-6lld %-6lld %-21s %s %-21s %-21s %s", (long long)u->id, (long long)u->org_id, listed,
	       u->products_shown_at ? "shown" : "due  ", due, u->delisted_at ? off : "listed", u->name);
	for (int i = 0; i < u->nproducts; i++)
		printf("%s%s%s%s", i ? "; " : " — ", u->products[i].name, u->products[i].version[0] ? " " : "",
		       u->products[i].version);
	putchar('\n');
	return 0;
}

int cmd_vendor_unreachable(struct kk_cli *cli, int argc, char **argv)
{
	const char *cmd = "vendor unreachable";
	const char *sub = argc >= 2 ? argv[1] : "list";
	struct kk_db *db;
	int rc;
	if (!strcmp(sub, "list") || !strcmp(sub, "history")) {
		if (argc > 2 + !strcmp(sub, "history"))
			return cli_usage(cmd, "'%s' takes %s", sub, !strcmp(sub, "list") ? "no arguments" : "at most a VENDOR");
		if (open_db(cli, &db))
			return KK_EXIT_FAIL;
		struct kk_vendor v = {0};
		if (argc == 3 && resolve(db, cmd, argv[2], &v)) {
			kk_db_close(db);
			return KK_EXIT_FAIL;
		}
		printf("%-6s %-6s %-21s %-5s %-21s %-21s %s\n", "LIST", "VENDOR", "LISTED", "PROD", "PRODUCTS AT",
		       "DELISTED", "NAME — PRODUCTS");
		rc = !strcmp(sub, "list") ? kk_unreachable_list(db, unreach_print, NULL)
					  : kk_unreachable_history(db, v.org_id, unreach_print, NULL);
		kk_db_close(db);
		return rc ? cli_error("%s: %s", cmd, kk_err_msg(rc)) : KK_EXIT_OK;
	}
	struct vtx t = {0};
	if (!strcmp(sub, "set") || !strcmp(sub, "clear")) {
		if (argc < 3)
			return cli_usage(cmd, "'%s' needs the VENDOR", sub);
		t.op = !strcmp(sub, "set") ? V_UNREACH : V_REACH;
		for (int i = 3; i < argc; i++) {
			int r;
			if (t.op == V_UNREACH && ((r = cli_opt(argc, argv, &i, "--product", &t.product)) ||
						  (r = cli_opt(argc, argv, &i, "--version", &t.version)))) {
				if (r < 0)
					return cli_usage(cmd, "%s needs a value", argv[i]);
				continue;
			}
			return cli_usage(cmd, "unknown argument '%s'", argv[i]);
		}
		if (open_db(cli, &db))
			return KK_EXIT_FAIL;
		struct kk_vendor v;
		rc = resolve(db, cmd, argv[2], &v);
		t.org = v.org_id;
		if (!rc && !(rc = vtx_run(db, cmd, &t)))
			printf(t.op == V_UNREACH ? "vendor %s is on the unreachable list\n"
						 : "vendor %s left the unreachable list\n",
			       v.name);
		kk_db_close(db);
		return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
	}
	if (!strcmp(sub, "config")) {
		const char *months = NULL;
		t.op = V_CONFIG;
		for (int i = 2; i < argc; i++) {
			int r;
			if ((r = cli_opt(argc, argv, &i, "--months", &months)) || (r = cli_opt(argc, argv, &i, "--contact", &t.contact))) {
				if (r < 0)
					return cli_usage(cmd, "%s needs a value", argv[i]);
				continue;
			}
			return cli_usage(cmd, "use 'vendor unreachable config [--months N] [--contact EMAIL|URL]'");
		}
		if (months && (t.months = atoi(months)) <= 0)
			return cli_usage(cmd, "--months is a number of months (1..60)");
		if (open_db(cli, &db))
			return KK_EXIT_FAIL;
		rc = (months || t.contact) ? vtx_run(db, cmd, &t) : 0;
		if (!rc) {
			char contact[320];
			kk_unreachable_contact(db, contact, sizeof(contact));
			printf("products of unreachable vendors are shown %d months after listing\n"
			       "the public list asks people to write to: %s\n",
			       kk_unreachable_delay_months(db), contact[0] ? contact : "(not set; --contact EMAIL|URL)");
		}
		kk_db_close(db);
		return rc ? KK_EXIT_FAIL : KK_EXIT_OK;
	}
	return cli_usage(cmd, "unknown sub-command '%s'; use list, history, set, clear or config", sub);
}

/* ---- seed-from-vulndb ---- */

int cmd_vendor_seed(struct kk_cli *cli, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage("vendor seed-from-vulndb", "takes no arguments (got '%s')", argv[1]);
	struct kk_db *db;
	if (open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	int created = 0, products = 0;
	struct kk_diag d = {0};
	int rc = kk_vendor_seed_from_vulndb(db, &a, &created, &products, &d);
	kk_db_close(db);
	printf("seeded the vendor directory from the vulnerability database: %d vendors and %d products added\n",
	       created, products);
	if (rc)
		return cli_error("vendor seed-from-vulndb: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	return KK_EXIT_OK;
}
