/* u-coord-directory.c — vendor directory: vendors, contacts, products, search, matching, the unreachable list, CSV. */
#include "testutil.h"
#include "auth/auth.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "coord/csv.h"
#include "coord/dir_util.h"
#include "coord/directory.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */

static struct kk_actor sys;

static struct kk_db *fresh(void)
{
	static int n;
	char path[600];
	snprintf(path, sizeof(path), "%s/dir%d.db", tu_tmpdir(), n++);
	struct kk_db *db;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	kk_actor_system(&sys, "test");
	kk_clock_pin(T0);
	return db;
}

/* ---- one transaction around any directory call ---- */

enum op { VCREATE, VUPDATE, CADD, PADD, UNREACH, REACH, OCREATE };
struct call {
	enum op op;
	int64_t org;
	struct kk_vendor_in v;
	struct kk_vendor_contact_in c;
	struct kk_vendor_product_in p;
	const char *product, *version;
	int64_t id;
	struct kk_diag d;
};

static int call_fn(struct kk_db *db, void *arg)
{
	struct call *c = arg;
	kk_diag_clear(&c->d);
	switch (c->op) {
	case VCREATE: return kk_vendor_create(db, &sys, &c->v, &c->id, &c->d);
	case VUPDATE: return kk_vendor_update(db, &sys, c->org, &c->v, &c->d);
	case CADD: return kk_vendor_contact_add(db, &sys, c->org, &c->c, &c->id, &c->d);
	case PADD: return kk_vendor_product_add(db, &sys, c->org, &c->p, &c->id, &c->d);
	case UNREACH: return kk_vendor_set_unreachable(db, &sys, c->org, c->product, c->version, 0, &c->id, &c->d);
	case REACH: return kk_vendor_set_reachable(db, &sys, c->org, &c->d);
	case OCREATE: return kk_org_create(db, &sys, c->v.name, KK_ORG_OPERATOR, &c->id, &c->d);
	}
	return KK_EINVAL;
}

static int run(struct kk_db *db, struct call *c)
{
	return kk_db_tx(db, call_fn, c);
}

static int64_t vendor(struct kk_db *db, const char *name, const char *ja, const char *cpe)
{
	struct call c = {.op = VCREATE, .v = {.name = name, .name_ja = ja, .name_en = name, .cpe_vendor = cpe}};
	assert_int_equal(run(db, &c), 0);
	assert_true(c.id > 0);
	return c.id;
}

static int64_t product(struct kk_db *db, int64_t org, const char *en, const char *ja, const char *cpe,
		       const char *purl)
{
	struct call c = {.op = PADD, .org = org, .p = {.name_en = en, .name_ja = ja, .cpe = cpe, .purl = purl}};
	int rc = run(db, &c);
	if (rc)
		print_error("product %s: %s (%s)\n", en, c.d.msg, c.d.where);
	assert_int_equal(rc, 0);
	return c.id;
}

static void test_vendor_crud(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t id = vendor(db, "Example Networks", "エグザンプル・ネットワークス", "Example_Networks");
	struct kk_vendor v;
	assert_int_equal(kk_vendor_get(db, id, &v), 0);
	assert_string_equal(v.name_ja, "エグザンプル・ネットワークス");
	assert_string_equal(v.cpe_vendor, "example_networks"); /* lower-cased */
	assert_string_equal(v.lang, "ja");
	assert_false(v.terms_agreed);
	/* found by its Japanese name too */
	assert_int_equal(kk_vendor_find(db, "エグザンプル・ネットワークス", &v), 0);
	assert_int_equal(v.org_id, id);

	struct call c = {.op = VCREATE, .v = {.name = "Example Networks"}};
	assert_int_equal(run(db, &c), KK_EEXISTS);
	assert_string_equal(c.d.where, "name");
	c = (struct call){.op = OCREATE, .v = {.name = "Shop Operator"}};
	assert_int_equal(run(db, &c), 0);
	c = (struct call){.op = VCREATE, .v = {.name = "Shop Operator"}};
	assert_int_equal(run(db, &c), KK_ECONFLICT);
	assert_non_null(strstr(c.d.msg, "operator"));
	c = (struct call){.op = VCREATE, .v = {.name = "X", .lang = "fr"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "lang");
	c = (struct call){.op = VCREATE, .v = {.name = "Y", .cpe_vendor = "bad vendor"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "cpe_vendor");
	c = (struct call){.op = VCREATE, .v = {.name = " Z"}};
	assert_int_equal(run(db, &c), KK_EINVAL);

	/* terms agreed: date set to now, then kept */
	c = (struct call){.op = VUPDATE, .org = id, .v = {.terms_agreed = 1, .lang = "en"}};
	assert_int_equal(run(db, &c), 0);
	assert_int_equal(kk_vendor_get(db, id, &v), 0);
	assert_true(v.terms_agreed);
	assert_int_equal(v.terms_agreed_at, T0);
	assert_string_equal(v.lang, "en");
	assert_string_equal(v.name_ja, "エグザンプル・ネットワークス"); /* NULL: unchanged */
	kk_clock_pin(T0 + 100);
	c = (struct call){.op = VUPDATE, .org = id, .v = {.terms_agreed = 1}};
	assert_int_equal(run(db, &c), 0);
	assert_int_equal(kk_vendor_get(db, id, &v), 0);
	assert_int_equal(v.terms_agreed_at, T0);
	/* must be in a transaction */
	assert_int_equal(kk_vendor_create(db, &sys, &(struct kk_vendor_in){.name = "Q"}, NULL, NULL), KK_EINVAL);
	kk_db_close(db);
}

static int count_contact(void *arg, const struct kk_vendor_contact *c)
{
	char *out = arg;
	strcat(out, c->role);
	strcat(out, c->has_pgp_key ? "+key " : " ");
	return 0;
}

static void test_contacts(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t id = vendor(db, "Acme", "アクメ", "acme");
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_vendor_notify_targets(db, id, count_contact, (char[64]){0}, &d), KK_EUNPROCESSABLE);
	assert_non_null(strstr(d.msg, "Acme"));

	struct call c = {.op = CADD, .org = id, .c = {.email = "not-an-address"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "email");
	c = (struct call){.op = CADD, .org = id, .c = {.phone = "call us"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "phone");
	c = (struct call){.op = CADD, .org = id, .c = {.label = "nothing"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	c = (struct call){.op = CADD, .org = id, .c = {.email = "a@acme.example", .role = "bcc"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "role");
	c = (struct call){.op = CADD, .org = id, .c = {.email = "a@acme.example", .pgp_key = "garbage"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "pgp_key");

	size_t klen;
	char *key = tu_slurp("tests/data/coord/psirt-example-vendor.asc", &klen);
	assert_int_equal(kk_vendor_pgp_check(key, "pgp_key", &d), 0);
	/* a plausible block that gpg cannot use */
	const char *broken = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n";
	assert_int_equal(kk_vendor_pgp_check(broken, "contacts[0].pgp_key", &d), KK_EINVAL);
	assert_string_equal(d.where, "contacts[0].pgp_key");

	c = (struct call){.op = CADD, .org = id, .c = {.email = "cc@acme.example", .role = "cc", .lang = "en"}};
	assert_int_equal(run(db, &c), 0);
	c = (struct call){.op = CADD, .org = id, .c = {.label = "PSIRT", .email = "psirt@acme.example", .pgp_key = key}};
	assert_int_equal(run(db, &c), 0);
	c = (struct call){.op = CADD, .org = id, .c = {.label = "desk", .phone = "+81-3-1234-5678"}};
	assert_int_equal(run(db, &c), 0);

	char seen[64] = "";
	assert_int_equal(kk_vendor_notify_targets(db, id, count_contact, seen, &d), 0);
	assert_string_equal(seen, "to+key cc "); /* e-mail contacts only, "to" first */
	seen[0] = 0;
	assert_int_equal(kk_vendor_contacts(db, id, count_contact, seen), 0);
	assert_string_equal(seen, "to+key to cc ");
	struct kk_vendor v;
	assert_int_equal(kk_vendor_get(db, id, &v), 0);
	assert_int_equal(v.ncontacts, 3);
	kk_free(key);
	kk_db_close(db);
}

static int names(void *arg, const struct kk_vendor *v)
{
	kk_buf_printf(arg, "%s;", v->name);
	return 0;
}

static void test_products_and_search(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t acme = vendor(db, "Acme", "アクメ", "acme");
	int64_t ex = vendor(db, "Example Networks", "", "example");
	product(db, acme, "Acme Router RX-100", "アクメルーター RX-100", "rx-100", NULL); /* vendor from cpe_vendor */
	product(db, acme, "acme-lib", NULL, "cpe:2.3:a:acme:acme\\-lib:*:*:*:*:*:*:*:*", "pkg:npm/%40acme/acme-lib");
	product(db, ex, "Example Cloud", NULL, "example:cloud", "maven/com.example");

	struct call c = {.op = PADD, .org = acme, .p = {.name_en = "Another", .cpe = "acme:rx-100"}};
	assert_int_equal(run(db, &c), KK_EEXISTS);
	c = (struct call){.op = PADD, .org = acme, .p = {.cpe = "acme:x"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "name_en");
	c = (struct call){.op = PADD, .org = acme, .p = {.name_en = "Bad", .cpe = "cpe:2.3:a:acme"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "cpe");
	c = (struct call){.op = PADD, .org = acme, .p = {.name_en = "Bad", .purl = "npm"}};
	assert_int_equal(run(db, &c), KK_EINVAL);
	assert_string_equal(c.d.where, "purl");

	struct kk_vendor_product p;
	struct kk_buf b = KK_BUF_INIT(0);
	(void)p;
	int64_t total = -1;
	struct kk_vendor_query q = {.q = "rx-100"};
	assert_int_equal(kk_vendor_search(db, &q, names, &b, &total), 0);
	assert_int_equal(total, 1);
	assert_string_equal(b.ptr, "Acme;");
	kk_buf_reset(&b);
	q = (struct kk_vendor_query){.cpe = "example"};
	assert_int_equal(kk_vendor_search(db, &q, names, &b, &total), 0);
	assert_string_equal(b.ptr, "Example Networks;");
	kk_buf_reset(&b);
	q = (struct kk_vendor_query){.cpe = "acme:acme-lib"};
	assert_int_equal(kk_vendor_search(db, &q, names, &b, &total), 0);
	assert_string_equal(b.ptr, "Acme;");
	kk_buf_reset(&b);
	q = (struct kk_vendor_query){.q = "50%"}; /* LIKE wildcards are literal */
	assert_int_equal(kk_vendor_search(db, &q, names, &b, &total), 0);
	assert_int_equal(total, 0);
	q = (struct kk_vendor_query){0};
	assert_int_equal(kk_vendor_search(db, &q, names, &b, &total), 0);
	assert_string_equal(b.ptr, "Acme;Example Networks;");
	assert_int_equal(total, 2);
	kk_buf_release(&b);

	/* matching */
	struct kk_vendor_match m[8];
	struct kk_diag d;
	kk_diag_clear(&d);
	int n = kk_vendor_match(db, &(struct kk_vendor_match_in){.cpe = "cpe:2.3:a:acme:rx-100:1.0:*:*:*:*:*:*:*"}, m, 8,
				&d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].org_id, acme);
	assert_int_equal(m[0].how, KK_VMATCH_CPE_PRODUCT);
	assert_string_equal(m[0].product_name, "Acme Router RX-100");
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.cpe = "acme:unknown"}, m, 8, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].how, KK_VMATCH_CPE_VENDOR);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.purl = "pkg:npm/%40acme/acme-lib@2.0.1"}, m, 8, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].how, KK_VMATCH_PURL);
	assert_int_equal(m[0].score, 90);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.purl = "pkg:maven/com.example/anything@1"}, m, 8, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].org_id, ex);
	assert_int_equal(m[0].score, 80);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.product = "アクメルーター RX-100 バージョン2"}, m, 8, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].how, KK_VMATCH_PRODUCT_NAME);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.product = "cloud", .vendor = "example networks"}, m, 8, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].org_id, ex);
	assert_int_equal(m[0].score, 65 + 10); /* the exact vendor name and a second reason (the product) */
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.product = "nothing like it"}, m, 8, &d);
	assert_int_equal(n, 0);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.cpe = "cpe:2.3:x"}, m, 8, &d);
	assert_int_equal(n, KK_EINVAL);
	assert_string_equal(d.where, "cpe");
	/* several vendors, best first, limit respected */
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.cpe = "acme:rx-100", .vendor = "Example"}, m, 1, &d);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].org_id, acme);
	n = kk_vendor_match(db, &(struct kk_vendor_match_in){.cpe = "acme:rx-100", .vendor = "Example"}, m, 8, &d);
	assert_int_equal(n, 2);
	assert_int_equal(m[1].org_id, ex);
	kk_db_close(db);
}

static int pub_list(void *arg, const struct kk_unreachable *u)
{
	struct kk_buf *b = arg;
	kk_buf_printf(b, "%s[%d", u->name, u->nproducts);
	for (int i = 0; i < u->nproducts; i++)
		kk_buf_printf(b, " %s %s", u->products[i].name, u->products[i].version);
	kk_buf_printf(b, "%s]", u->delisted_at ? " off" : "");
	return 0;
}

static int job_fn(struct kk_db *db, const struct kk_sched_job *j, int64_t now, struct kk_diag *d)
{
	return kk_coord_job_unreachable_products(db, j, now, d);
}
static const struct kk_sched_handler handlers[] = {{"coord.unreachable_products", job_fn}};

static void test_unreachable(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t acme = vendor(db, "Acme", "アクメ", "acme");
	vendor(db, "Quiet", "", "");
	struct call c = {.op = UNREACH, .org = acme, .product = "Acme Router", .version = "1.0"};
	assert_int_equal(run(db, &c), 0);
	int64_t listing = c.id;
	c = (struct call){.op = UNREACH, .org = acme, .product = "Acme Switch", .version = "2.1"};
	assert_int_equal(run(db, &c), 0);
	assert_int_equal(c.id, listing); /* one open listing */
	c = (struct call){.op = UNREACH, .org = acme, .version = "2.1"};
	assert_int_equal(run(db, &c), KK_EINVAL);

	int64_t due;
	assert_int_equal(kk_sched_due(db, "coord.unreachable_products", listing, &due), 0);
	assert_int_equal(due, kk_dir_add_months(T0, 3));
	struct kk_buf b = KK_BUF_INIT(0);
	assert_int_equal(kk_unreachable_list(db, pub_list, &b), 0);
	assert_string_equal(b.ptr, "Acme[0]"); /* products hidden for now */
	struct kk_vendor v;
	assert_int_equal(kk_vendor_get(db, acme, &v), 0);
	assert_true(v.unreachable);

	struct kk_sched_stats st;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_sched_run(db, handlers, 1, due - 1, 10, &st, &d), 0);
	assert_int_equal(st.ran, 0);
	assert_int_equal(kk_sched_run(db, handlers, 1, due, 10, &st, &d), 0);
	assert_int_equal(st.ran, 1);
	kk_buf_reset(&b);
	assert_int_equal(kk_unreachable_list(db, pub_list, &b), 0);
	assert_string_equal(b.ptr, "Acme[2 Acme Router 1.0 Acme Switch 2.1]");

	kk_clock_pin(due + 86400);
	c = (struct call){.op = REACH, .org = acme};
	assert_int_equal(run(db, &c), 0);
	assert_int_equal(run(db, &c), KK_ENOTFOUND);
	kk_buf_reset(&b);
	assert_int_equal(kk_unreachable_list(db, pub_list, &b), 0);
	assert_string_equal(b.ptr, "");
	/* listed again: a new listing, its job, the history keeps both */
	c = (struct call){.op = UNREACH, .org = acme};
	assert_int_equal(run(db, &c), 0);
	assert_true(c.id != listing);
	c = (struct call){.op = REACH, .org = acme};
	assert_int_equal(run(db, &c), 0);
	assert_int_equal(kk_sched_due(db, "coord.unreachable_products", c.id, &due), KK_ENOTFOUND);
	kk_buf_reset(&b);
	assert_int_equal(kk_unreachable_history(db, acme, pub_list, &b), 0);
	assert_string_equal(b.ptr, "Acme[0 off]Acme[2 Acme Router 1.0 Acme Switch 2.1 off]");
	kk_buf_release(&b);
	kk_db_close(db);
}

static void test_add_months(void **state)
{
	(void)state;
	int64_t t;
	char iso[32];
	/* 2026-11-30 10:00 JST + 3 months = 2027-02-28 10:00 JST */
	assert_int_equal(kk_time_parse("2026-11-30T01:00:00Z", &t), 0);
	kk_time_iso(kk_dir_add_months(t, 3), iso, sizeof(iso));
	assert_string_equal(iso, "2027-02-28T01:00:00Z");
	/* 2027-11-30 in Japan (15:00 UTC on the 29th) + 3 = 2028-02-29 (leap year) */
	assert_int_equal(kk_time_parse("2027-11-29T15:00:00Z", &t), 0);
	kk_time_iso(kk_dir_add_months(t, 3), iso, sizeof(iso));
	assert_string_equal(iso, "2028-02-28T15:00:00Z");
	assert_int_equal(kk_time_parse("2026-01-15T00:00:00Z", &t), 0);
	kk_time_iso(kk_dir_add_months(t, 12), iso, sizeof(iso));
	assert_string_equal(iso, "2027-01-15T00:00:00Z");
}

/* ---- CSV reader ---- */

static int csv_fields(const char *in, char *out, size_t cap, struct kk_diag *d)
{
	struct kk_arena a;
	kk_arena_init(&a, 1 << 20);
	struct kk_csv c;
	struct kk_csv_record r;
	kk_csv_init(&c, in, strlen(in));
	out[0] = 0;
	int rc;
	while ((rc = kk_csv_next(&c, &a, &r, d)) == 1) {
		size_t o = strlen(out);
		snprintf(out + o, cap - o, "%d:", r.line);
		for (int i = 0; i < r.n; i++) {
			o = strlen(out);
			snprintf(out + o, cap - o, "[%s]", r.f[i]);
		}
		o = strlen(out);
		snprintf(out + o, cap - o, "|");
	}
	kk_arena_release(&a);
	return rc;
}

static void test_csv_reader(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} y[] = {
		{"a,b,c\n", "1:[a][b][c]|"},
		{"\xef\xbb\xbf" "a,b\r\nc,d", "1:[a][b]|2:[c][d]|"},
		{"\"x,y\",\"he said \"\"hi\"\"\"\n", "1:[x,y][he said \"hi\"]|"},
		{"\"two\nlines\",z\nnext\n", "1:[two\nlines][z]|3:[next]|"},
		{"a,,\n\n\nb\n", "1:[a][][]|4:[b]|"},
		{"日本語,\"製品\"\n", "1:[日本語][製品]|"},
		{"\"\"\n", "1:[]|"},
	};
	char out[512];
	struct kk_diag d;
	for (size_t i = 0; i < sizeof(y) / sizeof(y[0]); i++) {
		kk_diag_clear(&d);
		int rc = csv_fields(y[i].in, out, sizeof(out), &d);
		if (rc || strcmp(out, y[i].want))
			fail_msg("csv y%zu: expected %s got %s (rc %d %s)", i, y[i].want, out, rc, d.msg);
	}
	static const struct {
		const char *in;
		int line;
	} n[] = {
		{"a,b\"c\n", 1},		 /* quote in an unquoted field */
		{"ok\n\"open,\nstill\n", 2}, /* never closed: the line it opened on */
		{"\"a\"b\n", 1},		 /* text after the closing quote */
		{"\xff\xfe,x\n", 1},	 /* not UTF-8 */
	};
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		kk_diag_clear(&d);
		int rc = csv_fields(n[i].in, out, sizeof(out), &d);
		if (rc != KK_EPARSE || d.line != n[i].line)
			fail_msg("csv n%zu: expected a parse error on line %d, got rc %d line %d", i, n[i].line, rc, d.line);
	}
	struct kk_buf b = KK_BUF_INIT(0);
	kk_csv_put(&b, "plain");
	kk_buf_putc(&b, ',');
	kk_csv_put(&b, "a \"q\", b");
	kk_buf_putc(&b, ',');
	kk_csv_put(&b, "line\nbreak");
	assert_string_equal(b.ptr, "plain,\"a \"\"q\"\", b\",\"line\nbreak\"");
	kk_buf_release(&b);
}

/* ---- CSV import/export ---- */

struct errs {
	char text[2048];
	int n;
};
static void on_err(void *arg, int line, const char *field, const char *msg)
{
	struct errs *e = arg;
	size_t o = strlen(e->text);
	snprintf(e->text + o, sizeof(e->text) - o, "%d:%s:%s\n", line, field, msg);
	e->n++;
}

static void test_csv_import_export(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	size_t klen;
	char *key = tu_slurp("tests/data/coord/psirt-example-vendor.asc", &klen);
	struct kk_buf in = KK_BUF_INIT(0);
	kk_buf_puts(&in, "vendor,record,name_ja,name_en,lang,cpe_vendor,terms_agreed_at,email,role,phone,pgp_key,"
			 "product_en,product_ja,cpe,purl\n"
			 "Acme,vendor,アクメ,Acme Corp,en,acme,2026-04-01,,,,,,,,\n"
			 "Acme,contact,,,,,,psirt@acme.example,to,,\"");
	kk_buf_puts(&in, key);
	kk_buf_puts(&in, "\",,,,\n"
			 "Acme,contact,,,,,,,,+81-3-0000-0000,,,,,\n"
			 "Acme,product,,,,,,,,,,\"Router, RX\",ルーター,acme:rx,\n"
			 "Example,vendor,例,,,,,,,,,,,,\n"
			 "Example,product,,,,,,,,,,Lib,,,pkg:pypi/example-lib\n");
	struct errs e = {"", 0};
	struct kk_vendor_csv_stats st;
	int rc = kk_vendor_csv_import(db, &sys, in.ptr, in.len, on_err, &e, &st);
	if (rc)
		fail_msg("import: %d %s", rc, e.text);
	assert_int_equal(st.rows, 6);
	assert_int_equal(st.vendors_created, 2);
	assert_int_equal(st.contacts_added, 2);
	assert_int_equal(st.products_added, 2);
	struct kk_vendor v;
	assert_int_equal(kk_vendor_find(db, "Acme", &v), 0);
	char iso[32];
	kk_time_iso(v.terms_agreed_at, iso, sizeof(iso));
	assert_string_equal(iso, "2026-03-31T15:00:00Z"); /* midnight in Japan */

	/* export, then import the export: nothing changes */
	struct kk_buf out = KK_BUF_INIT(0);
	assert_int_equal(kk_vendor_csv_export(db, &out), 0);
	assert_non_null(strstr(out.ptr, "\"Router, RX\""));
	assert_non_null(strstr(out.ptr, "2026-04-01"));
	e = (struct errs){"", 0};
	rc = kk_vendor_csv_import(db, &sys, out.ptr, out.len, on_err, &e, &st);
	if (rc)
		fail_msg("re-import: %d %s", rc, e.text);
	assert_int_equal(st.vendors_created + st.vendors_updated + st.contacts_added + st.products_added, 0);
	assert_int_equal(st.skipped, 6);
	struct kk_buf out2 = KK_BUF_INIT(0);
	assert_int_equal(kk_vendor_csv_export(db, &out2), 0);
	assert_string_equal(out.ptr, out2.ptr);

	/* bad rows: every one reported with its line and column, nothing written */
	const char *bad = "vendor,record,email,phone,product_en,cpe,lang\n"
			  "New Co,vendor,,,,,\n"
			  "New Co,contact,bad-address,,,,\n"
			  "New Co,product,,,Thing,a:b:c:d,\n"
			  "Nobody,product,,,Thing,,\n"
			  "New Co,vendor,,,,,xx\n"
			  "New Co,fax,,,,,\n";
	e = (struct errs){"", 0};
	rc = kk_vendor_csv_import(db, &sys, bad, strlen(bad), on_err, &e, &st);
	assert_int_equal(rc, KK_EINVAL);
	assert_int_equal(e.n, 5);
	assert_non_null(strstr(e.text, "3:email:"));
	assert_non_null(strstr(e.text, "4:cpe:"));
	assert_non_null(strstr(e.text, "5:vendor:vendor 'Nobody' is not in the directory"));
	assert_non_null(strstr(e.text, "6:lang:"));
	assert_non_null(strstr(e.text, "7:record:"));
	assert_int_equal(kk_vendor_find(db, "New Co", &v), KK_ENOTFOUND);

	e = (struct errs){"", 0};
	rc = kk_vendor_csv_import(db, &sys, "vendor,record,colour\n", 21, on_err, &e, &st);
	assert_int_equal(rc, KK_EINVAL);
	assert_non_null(strstr(e.text, "1:colour:unknown column"));
	e = (struct errs){"", 0};
	rc = kk_vendor_csv_import(db, &sys, "vendor,record\nA,\"vendor\n", 23, on_err, &e, &st);
	assert_int_equal(rc, KK_EINVAL);
	assert_non_null(strstr(e.text, "2:record:"));
	/* many short rows of empty fields: the arena must hold every field's rounding (ran out of memory) */
	struct kk_buf many = KK_BUF_INIT(0);
	kk_buf_puts(&many, "vendor,record,name_ja,name_en,lang,cpe_vendor,terms_agreed_at,note,label,email,role,phone,"
			   "contact_lang,pgp_key,product_ja,product_en,cpe,purl\n");
	for (int i = 0; i < 20000; i++)
		kk_buf_puts(&many, "Many,vendor,,,,,,,,,,,,,,,,\n");
	e = (struct errs){"", 0};
	rc = kk_vendor_csv_import(db, &sys, many.ptr, many.len, on_err, &e, &st);
	if (rc)
		fail_msg("many rows: %d %s", rc, e.text);
	assert_int_equal(st.vendors_created, 1);
	assert_int_equal(st.skipped, 19999);
	kk_buf_release(&many);
	kk_buf_release(&in);
	kk_buf_release(&out);
	kk_buf_release(&out2);
	kk_free(key);
	kk_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vendor_crud),   cmocka_unit_test(test_contacts),
		cmocka_unit_test(test_products_and_search), cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_add_months),    cmocka_unit_test(test_csv_reader),
		cmocka_unit_test(test_csv_import_export),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
