/*
 * u-intake.c — reports: field validation (each error names its field), the
 * status machine with its forbidden transitions, the sealed finder never in
 * the database file in plain, reveal audited and refused to others, mail
 * queued in the same transaction, duplicate suggestions, attachments.
 */
#include "testutil.h"
#include "auth/auth.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/rand.h"
#include "intake/intake.h"
#include "store/db.h"
#include "store/migrate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0 1800000000

static unsigned char key[KK_KEY_BYTES];
static struct kk_actor sys, vendor;
static char dbpath[512];

static struct kk_db *fresh(const char *name)
{
	snprintf(dbpath, sizeof(dbpath), "%s/%s", tu_tmpdir(), name);
	struct kk_db *db;
	assert_int_equal(kk_db_open(dbpath, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, dbpath, NULL, NULL, NULL, &d) > 0);
	kk_clock_pin(T0);
	return db;
}

static int64_t scalar(struct kk_db *db, const char *sql, const char *arg)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	if (arg)
		kk_stmt_bind_text(st, 1, arg, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t n = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return n;
}

#define GOOD_PRODUCT                                                                                         \
	"{\"kind\":\"product\",\"finder\":{\"name\":\"Hanako Yamada\",\"email\":\"hanako@example.jp\"},"         \
	"\"product\":{\"name\":\"Foo Router\",\"vendor\":\"Acme\",\"version\":\"1.0\"},"                          \
	"\"vulnerability\":{\"cwe\":\"CWE-79\",\"cve\":\"CVE-2024-12345\",\"description\":\"XSS\"},"            \
	"\"policy_ack\":true}"

/* ---- validation ------------------------------------------------------------- */

static const struct {
	const char *json;
	int rc;
	const char *where; /* the field the error must name */
} cases[] = {
	{GOOD_PRODUCT, 0, ""},
	{"[]", KK_EINVAL, ""},
	{"{\"kind\":", KK_EPARSE, "1:8"},
	{"{}", KK_EINVAL, "kind"},
	{"{\"kind\":\"car\"}", KK_EINVAL, "kind"},
	{"{\"kind\":\"product\",\"finder\":{\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.name"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.email"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@b\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.email"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"vendor\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "product.name"},
	{"{\"kind\":\"website\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"website\":{\"name\":\"S\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "website.url"},
	{"{\"kind\":\"website\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
	 "\"website\":{\"url\":\"javascript:alert(1)\"},\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "website.url"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"steps\":\"s\"},\"policy_ack\":true}",
	 KK_EINVAL, "vulnerability.description"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"}}",
	 KK_EINVAL, "policy_ack"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\",\"cwe\":\"CWE-x\"},\"policy_ack\":true}",
	 KK_EINVAL, "vulnerability.cwe"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\",\"cve\":\"CVE-24-1\"},\"policy_ack\":true}",
	 KK_EINVAL, "vulnerability.cve"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\",\"pgp_key\":\"hello\"},"
	 "\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.pgp_key"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\",\"anonymous\":true,"
	 "\"credit\":true,\"credit_name\":\"A\"},\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"},"
	 "\"policy_ack\":true}",
	 KK_EINVAL, "finder.anonymous"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\",\"credit\":true},"
	 "\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.credit_name"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\",\"disclose\":\"all\"},"
	 "\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "finder.disclose"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"website\":{\"url\":\"https://x.example/\"},\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	 KK_EINVAL, "website"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"publication\":{\"date\":\"2026-05-01\"},\"policy_ack\":true}",
	 KK_EINVAL, "publication.date"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	 "\"vulnerability\":{\"description\":\"d\"},\"publication\":{\"intent\":true,\"date\":\"soon\"},\"policy_ack\":true}",
	 KK_EINVAL, "publication.date"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":\"A\\u0007\",\"email\":\"a@example.org\"}}", KK_EINVAL, "finder.name"},
	{"{\"kind\":\"product\",\"finder\":{\"name\":1}}", KK_EINVAL, "finder.name"},
	{"{\"kind\":\"product\",\"finder\":{\"nam\":\"A\"}}", KK_EINVAL, "finder.nam"},
	{"{\"kind\":\"product\",\"kind\":\"website\"}", KK_EPARSE, "1:24"},
	{"{\"kind\":\"product\",\"policy_ack\":\"yes\"}", KK_EINVAL, "policy_ack"},
};

static void test_validation(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_report_input in;
		struct kk_diag d;
		kk_diag_clear(&d);
		int rc = kk_intake_parse(cases[i].json, strlen(cases[i].json), &in, &d);
		if (!rc) {
			rc = kk_intake_validate(NULL, &in, true, &d);
			kk_intake_input_release(&in);
		}
		if (rc != cases[i].rc || strcmp(d.where, cases[i].where))
			fail_msg("intake-validate-%zu: expected %d at '%s', got %d at '%s' (%s)", i, cases[i].rc,
				 cases[i].where, rc, d.where, d.msg);
	}
}

/* The finder's intended publication date: without a zone it is Japan time, as everywhere. */
static void test_publication_date_jst(void **state)
{
	(void)state;
	static const struct {
		const char *date, *utc;
	} rows[] = {
		{"2026-05-01", "2026-04-30T15:00:00Z"},		/* a date alone: 00:00 JST that day */
		{"2026-05-01T10:00", "2026-05-01T01:00:00Z"},	/* a time without a zone: JST */
		{"2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z"}, /* a zone is taken as given */
		{"2026-05-01T10:00+02:00", "2026-05-01T08:00:00Z"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char json[512], iso[32];
		snprintf(json, sizeof(json),
			 "{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
			 "\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"},"
			 "\"publication\":{\"intent\":true,\"date\":\"%s\"},\"policy_ack\":true}",
			 rows[i].date);
		struct kk_report_input in;
		struct kk_diag d;
		kk_diag_clear(&d);
		if (kk_intake_parse(json, strlen(json), &in, &d))
			fail_msg("intake-pubdate-%zu: %s refused: %s: %s", i, rows[i].date, d.where, d.msg);
		kk_time_iso(in.publish_date, iso, sizeof(iso));
		kk_intake_input_release(&in);
		if (strcmp(iso, rows[i].utc))
			fail_msg("intake-pubdate-%zu: %s: expected %s got %s", i, rows[i].date, rows[i].utc, iso);
	}
}

/* ---- helpers around transactions ------------------------------------------------ */

struct sub {
	const char *json;
	bool incomplete;
	int then;
	struct kk_report_receipt r;
	struct kk_diag d;
	const struct kk_actor *a;
};

static int sub_fn(struct kk_db *db, void *arg)
{
	struct sub *s = arg;
	struct kk_report_input in;
	kk_diag_clear(&s->d);
	int rc = kk_intake_parse(s->json, strlen(s->json), &in, &s->d);
	if (rc)
		return rc;
	rc = kk_intake_submit(db, s->a ? s->a : &sys, key, &in, s->incomplete, "https://kk.example", &s->r, &s->d);
	kk_intake_input_release(&in);
	return rc ? rc : s->then;
}

static struct sub submit(struct kk_db *db, const char *json)
{
	struct sub s = {.json = json};
	int rc = kk_db_tx(db, sub_fn, &s);
	if (rc)
		fail_msg("submit: %d %s: %s", rc, s.d.where, s.d.msg);
	return s;
}

struct act {
	const char *tracking;
	struct kk_report_action a;
	const struct kk_actor *who;
	struct kk_diag d;
};

static int act_fn(struct kk_db *db, void *arg)
{
	struct act *x = arg;
	kk_diag_clear(&x->d);
	return kk_intake_act(db, x->who ? x->who : &sys, key, x->tracking, &x->a, &x->d);
}

static int act(struct kk_db *db, const char *tracking, enum kk_report_verb v, const char *text)
{
	struct act x = {.tracking = tracking, .a = {.verb = v, .text = text}};
	if (v == KK_REPORT_STOP)
		x.a.stop = KK_STOP_ALREADY_KNOWN;
	return kk_db_tx(db, act_fn, &x);
}

static const char *status_of(struct kk_db *db, const char *tracking)
{
	static char s[32];
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT status FROM report WHERE tracking = ?", &st), 0);
	kk_stmt_bind_text(st, 1, tracking, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	snprintf(s, sizeof(s), "%s", kk_stmt_text(st, 0));
	kk_stmt_done(st);
	return s;
}

/* ---- the status machine --------------------------------------------------------- */

static void one_field(void *arg, const char *field)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s%s", n ? "," : "", field);
}

/* kk_intake_missing names exactly the required item kk_intake_validate refuses first, and all of them. */
static void test_missing(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} rows[] = {
	    {"{\"kind\":\"product\",\"finder\":{\"email\":\"a@example.org\"},\"product\":{\"name\":\"X\"},"
	     "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	     "finder.name"},
	    {"{\"kind\":\"product\",\"finder\":{\"name\":\"A\"},\"product\":{\"name\":\"X\"},"
	     "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	     "finder.email"},
	    {"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
	     "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	     "product.name"},
	    {"{\"kind\":\"website\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
	     "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
	     "website.url"},
	    {"{\"kind\":\"website\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
	     "\"website\":{\"url\":\"https://x.example/\"},\"policy_ack\":true}",
	     "vulnerability.description"},
	    {"{\"kind\":\"product\",\"finder\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
	     "\"product\":{\"name\":\"X\"},\"vulnerability\":{\"description\":\"d\"}}",
	     "policy_ack"},
	    {"{\"kind\":\"website\",\"finder\":{\"email\":\"a@example.org\"}}",
	     "finder.name,website.url,vulnerability.description,policy_ack"},
	    {GOOD_PRODUCT, ""},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kk_report_input in;
		struct kk_diag d;
		kk_diag_clear(&d);
		assert_int_equal(kk_intake_parse(rows[i].json, strlen(rows[i].json), &in, &d), 0);
		char got[256] = "";
		int n = kk_intake_missing(&in, one_field, got);
		assert_string_equal(got, rows[i].want);
		int rc = kk_intake_validate(NULL, &in, true, &d);
		if (n) {
			assert_int_equal(rc, KK_EINVAL);
			assert_int_equal(strncmp(rows[i].want, d.where, strlen(d.where)), 0); /* the first one */
		} else {
			assert_int_equal(rc, 0);
		}
		kk_intake_input_release(&in);
	}
}

/* The five reasons of 003 appendix B V.2(2) / VI.2(2): the operator takes the coordinator's place on a website. */
static void test_stop_reasons(void **state)
{
	(void)state;
	static const struct {
		enum kk_stop_reason r;
		const char *product_ja, *website_ja, *en_product, *en_website;
	} rows[] = {
	    {KK_STOP_ALREADY_KNOWN, "受付機関が既知の脆弱性関連情報であると確認した", NULL, "already known", NULL},
	    {KK_STOP_COORDINATOR_SAYS_KNOWN, "調整機関から既知の脆弱性関連情報である旨の通知を受けた",
	     "ウェブサイト運営者から既知の脆弱性である旨の通知を受けた", "The coordinating body told",
	     "The website operator told"},
	    {KK_STOP_NOT_A_VULNERABILITY, "受付機関が脆弱性関連情報に該当しないと確認した", NULL,
	     "not a vulnerability", NULL},
	    {KK_STOP_COORDINATOR_SAYS_NOT, "調整機関から脆弱性関連情報に該当しない旨の通知を受けた",
	     "ウェブサイト運営者から脆弱性関連情報に該当しない旨の通知を受けた", "The coordinating body told",
	     "The website operator told"},
	    {KK_STOP_POSSIBLY_ILLEGAL, "受付機関が違法な方法により発見又は取得されたおそれがあると認めた", NULL,
	     "unlawfully", NULL},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum kk_stop_reason back;
		assert_int_equal(kk_stop_reason_parse(kk_stop_reason_name(rows[i].r), &back), 0);
		assert_int_equal(back, rows[i].r);
		assert_string_equal(kk_stop_reason_text(rows[i].r, false, true), rows[i].product_ja);
		assert_string_equal(kk_stop_reason_text(rows[i].r, true, true),
				    rows[i].website_ja ? rows[i].website_ja : rows[i].product_ja);
		assert_non_null(strstr(kk_stop_reason_text(rows[i].r, false, false), rows[i].en_product));
		assert_non_null(strstr(kk_stop_reason_text(rows[i].r, true, false),
				       rows[i].en_website ? rows[i].en_website : rows[i].en_product));
	}
	assert_string_equal(kk_stop_reason_text(KK_STOP_NONE, false, true), "");
}

static void test_status_machine(void **state)
{
	(void)state;
	struct kk_db *db = fresh("machine.db");
	/* every verb from every state: what is allowed (1) and what is a conflict (0) */
	static const struct {
		const char *path; /* how to reach the state */
		int ok[6];	  /* accept reject request_info stop duplicate assign */
	} rows[] = {
		{"received", {1, 1, 1, 0, 1, 1}},     {"info_requested", {0, 1, 0, 0, 1, 1}},
		{"accepted", {0, 0, 0, 1, 1, 1}},     {"not_accepted", {0, 0, 0, 0, 0, 1}},
		{"handling_stopped", {0, 0, 0, 0, 0, 1}}, {"duplicate", {0, 0, 0, 0, 0, 1}},
	};
	struct sub other = submit(db, GOOD_PRODUCT);
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		for (int v = 0; v < 6; v++) {
			struct sub s = submit(db, GOOD_PRODUCT);
			const char *t = s.r.tracking;
			const char *p = rows[r].path;
			if (!strcmp(p, "info_requested"))
				assert_int_equal(act(db, t, KK_REPORT_REQUEST_INFO, "q?"), 0);
			else if (!strcmp(p, "accepted"))
				assert_int_equal(act(db, t, KK_REPORT_ACCEPT, NULL), 0);
			else if (!strcmp(p, "not_accepted"))
				assert_int_equal(act(db, t, KK_REPORT_REJECT, "no"), 0);
			else if (!strcmp(p, "handling_stopped")) {
				assert_int_equal(act(db, t, KK_REPORT_ACCEPT, NULL), 0);
				assert_int_equal(act(db, t, KK_REPORT_STOP, NULL), 0);
			} else if (!strcmp(p, "duplicate")) {
				struct act x = {.tracking = t,
						.a = {.verb = KK_REPORT_MARK_DUPLICATE, .duplicate_of = other.r.tracking}};
				assert_int_equal(kk_db_tx(db, act_fn, &x), 0);
			}
			assert_string_equal(status_of(db, t), p);
			struct act x = {.tracking = t, .a = {.verb = (enum kk_report_verb)v, .text = "text"}};
			x.a.stop = KK_STOP_NOT_A_VULNERABILITY;
			x.a.duplicate_of = other.r.tracking;
			int64_t audits = scalar(db, "SELECT count(*) FROM audit_log", NULL);
			int64_t mails = scalar(db, "SELECT count(*) FROM mail_outbox", NULL);
			int rc = kk_db_tx(db, act_fn, &x);
			if (rows[r].ok[v] ? rc != 0 : rc != KK_ECONFLICT)
				fail_msg("from %s verb %d: expected %s, got %d (%s)", p, v,
					 rows[r].ok[v] ? "ok" : "conflict", rc, x.d.msg);
			/* a refused transition leaves no audit row and no mail */
			if (rc) {
				assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log", NULL), audits);
				assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox", NULL), mails);
			} else {
				assert_true(scalar(db, "SELECT count(*) FROM audit_log", NULL) > audits);
			}
		}
	}
	/* the finder answering puts an info_requested report back to received */
	struct sub s = submit(db, GOOD_PRODUCT);
	assert_int_equal(act(db, s.r.tracking, KK_REPORT_REQUEST_INFO, "which version?"), 0);
	assert_string_equal(status_of(db, s.r.tracking), "info_requested");
	struct kk_diag d;
	kk_db_exec(db, "BEGIN", NULL);
	assert_int_equal(kk_intake_finder_post(db, s.r.tracking, "wrong", "1.0", &d), KK_EINVAL); /* not in tx */
	kk_db_exec(db, "ROLLBACK", NULL);
	assert_string_equal(status_of(db, s.r.tracking), "info_requested");
	/* accepting a product report records the pending coordination case */
	assert_true(scalar(db, "SELECT count(*) FROM case_handoff WHERE kind = 'product' AND state = 'pending'", NULL) > 0);
	/* REJECT and REQUEST_INFO need their text; STOP its reason */
	assert_int_equal(act(db, s.r.tracking, KK_REPORT_REJECT, NULL), KK_EINVAL);
	struct act x = {.tracking = other.r.tracking, .a = {.verb = KK_REPORT_STOP}};
	assert_int_equal(kk_db_tx(db, act_fn, &x), KK_EINVAL);
	assert_string_equal(x.d.where, "reason");
	/* a vendor may not triage */
	x = (struct act){.tracking = other.r.tracking, .a = {.verb = KK_REPORT_ACCEPT}, .who = &vendor};
	assert_int_equal(kk_db_tx(db, act_fn, &x), KK_EPERM);
	kk_clock_pin(-1);
	kk_db_close(db);
}

struct post {
	const char *tracking, *token, *body;
	struct kk_diag d;
};
static int post_fn(struct kk_db *db, void *arg)
{
	struct post *p = arg;
	return kk_intake_finder_post(db, p->tracking, p->token, p->body, &p->d);
}

struct rev {
	const struct kk_actor *a;
	const char *tracking;
	struct kk_finder f;
	struct kk_diag d;
};
static int rev_fn(struct kk_db *db, void *arg)
{
	struct rev *r = arg;
	return kk_intake_reveal(db, r->a, key, r->tracking, &r->f, &r->d);
}

struct am {
	const char *tracking, *json;
	struct kk_diag d;
};
static int am_fn(struct kk_db *db, void *arg)
{
	struct am *m = arg;
	struct kk_report_input in;
	kk_diag_clear(&m->d);
	int rc = kk_intake_parse(m->json, strlen(m->json), &in, &m->d);
	if (rc)
		return rc;
	rc = kk_intake_amend(db, &sys, key, m->tracking, &in, &m->d);
	kk_intake_input_release(&in);
	return rc;
}

static void test_incomplete_and_answer(void **state)
{
	(void)state;
	struct kk_db *db = fresh("incomplete.db");
	struct sub s = {.json = "{\"kind\":\"product\",\"finder\":{\"email\":\"f@example.org\"},\"product\":{\"name\":\"X\"}}",
			.incomplete = true};
	assert_int_equal(kk_db_tx(db, sub_fn, &s), 0);
	/* the public may not enter incomplete reports */
	struct sub p = {.json = s.json, .incomplete = true, .a = &kk_actor_public};
	assert_int_equal(kk_db_tx(db, sub_fn, &p), KK_EPERM);
	struct act x = {.tracking = s.r.tracking, .a = {.verb = KK_REPORT_ACCEPT}};
	assert_int_equal(kk_db_tx(db, act_fn, &x), KK_EUNPROCESSABLE);
	assert_string_equal(x.d.where, "finder.name");
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff", NULL), 0);
	assert_int_equal(act(db, s.r.tracking, KK_REPORT_REQUEST_INFO, "your name?"), 0);
	struct post q = {.tracking = s.r.tracking, .token = "not-the-token", .body = "Taro"};
	assert_int_equal(kk_db_tx(db, post_fn, &q), KK_ENOTFOUND);
	q.token = s.r.token;
	assert_int_equal(kk_db_tx(db, post_fn, &q), 0);
	assert_string_equal(status_of(db, s.r.tracking), "received");
	assert_int_equal(scalar(db, "SELECT count(*) FROM report_message WHERE from_finder = 1 AND kind = 'answer'", NULL), 1);
	/* the receiver completes it from the answer; then it can be accepted */
	struct am m = {.tracking = s.r.tracking,
		       .json = "{\"finder\":{\"name\":\"Taro Secret\"},\"product\":{\"vendor\":\"Acme\"},"
			       "\"vulnerability\":{\"description\":\"d\"}}"};
	assert_int_equal(kk_db_tx(db, am_fn, &m), 0);
	x = (struct act){.tracking = s.r.tracking, .a = {.verb = KK_REPORT_ACCEPT}};
	assert_int_equal(kk_db_tx(db, act_fn, &x), KK_EUNPROCESSABLE);
	assert_string_equal(x.d.where, "policy_ack");
	m.json = "{\"policy_ack\":true}";
	assert_int_equal(kk_db_tx(db, am_fn, &m), 0);
	assert_int_equal(kk_db_tx(db, act_fn, &x), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.amend' AND summary LIKE "
				    "'%finder.name,product.vendor,vulnerability.description'",
				NULL),
			 1);
	struct rev r = {.a = &sys, .tracking = s.r.tracking};
	assert_int_equal(kk_db_tx(db, rev_fn, &r), 0);
	assert_string_equal(r.f.name, "Taro Secret");
	assert_string_equal(r.f.email, "f@example.org");
	/* what the finder sees: status and thread, no staff fields */
	struct kk_buf fb = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &fb);
	assert_int_equal(kk_intake_finder_json(db, s.r.tracking, s.r.token, &j), 0);
	assert_non_null(strstr(fb.ptr, "\"status\":\"accepted\""));
	assert_non_null(strstr(fb.ptr, "\"from\":\"receiver\",\"kind\":\"question\",\"body\":\"your name?\"}"));
	assert_null(strstr(fb.ptr, "assignee"));
	assert_null(strstr(fb.ptr, "Taro Secret"));
	kk_buf_reset(&fb);
	kk_json_init(&j, &fb);
	assert_int_equal(kk_intake_finder_json(db, s.r.tracking, "x", &j), KK_ENOTFOUND);
	kk_buf_release(&fb);
	/* an accepted report is not amended; a wrong item is named */
	assert_int_equal(kk_db_tx(db, am_fn, &m), KK_ECONFLICT);
	struct sub w = submit(db, "{\"kind\":\"website\",\"finder\":{\"name\":\"W\",\"email\":\"w@example.org\"},"
				  "\"website\":{\"url\":\"https://w.example/\"},\"vulnerability\":{\"description\":\"d\"},"
				  "\"policy_ack\":true}");
	m = (struct am){.tracking = w.r.tracking, .json = "{\"website\":{\"url\":\"ftp://w.example/\"}}"};
	assert_int_equal(kk_db_tx(db, am_fn, &m), KK_EINVAL);
	assert_string_equal(m.d.where, "website.url");
	kk_clock_pin(-1);
	kk_db_close(db);
}

/* ---- sealing, reveal, mail in the same transaction ------------------------------- */

struct con {
	const struct kk_actor *a;
	const char *tracking;
	struct kk_finder f;
	struct kk_diag d;
};
static int con_fn(struct kk_db *db, void *arg)
{
	struct con *c = arg;
	return kk_intake_finder_consented(db, c->a, key, c->tracking, &c->f, &c->d);
}

static bool file_has(const char *path, const char *needle)
{
	struct stat sb;
	if (stat(path, &sb))
		return false;
	size_t n;
	char *p = tu_slurp(path, &n);
	bool found = memmem(p, n, needle, strlen(needle)) != NULL;
	kk_free(p);
	return found;
}

static void test_sealed_and_reveal(void **state)
{
	(void)state;
	struct kk_db *db = fresh("sealed.db");
	/* the transaction fails after submitting: no report, no mail */
	struct sub s = {.json = GOOD_PRODUCT, .then = KK_ECONFLICT};
	assert_int_equal(kk_db_tx(db, sub_fn, &s), KK_ECONFLICT);
	assert_int_equal(scalar(db, "SELECT count(*) FROM report", NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox", NULL), 0);
	s = submit(db, GOOD_PRODUCT);
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox WHERE related_id = ? AND sealed IS NOT NULL",
				s.r.tracking),
			 1);
	assert_true(strlen(s.r.token) >= 43); /* 32 random bytes */
	/* a vendor cannot reveal, and that leaves no audit row */
	int64_t before = scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.reveal'", NULL);
	struct rev r = {.a = &vendor, .tracking = s.r.tracking};
	assert_int_equal(kk_db_tx(db, rev_fn, &r), KK_EPERM);
	assert_string_equal(r.f.email, "");
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.reveal'", NULL), before);
	r = (struct rev){.a = &sys, .tracking = s.r.tracking};
	assert_int_equal(kk_db_tx(db, rev_fn, &r), 0);
	assert_string_equal(r.f.name, "Hanako Yamada");
	assert_string_equal(r.f.email, "hanako@example.jp");
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.reveal'", NULL), before + 1);
	/* only what the finder consented to is passed on, and that is audited */
	static const struct {
		const char *finder;
		const char *name, *email, *credit;
	} consent[] = {
		{"{\"name\":\"N1\",\"email\":\"n1@example.org\"}", "", "", ""},
		{"{\"name\":\"N2\",\"email\":\"n2@example.org\",\"disclose\":\"name\"}", "N2", "", ""},
		{"{\"name\":\"N3\",\"email\":\"n3@example.org\",\"disclose\":\"name_contact\",\"credit\":true,"
		 "\"credit_name\":\"n3sec\"}",
		 "N3", "n3@example.org", "n3sec"},
		{"{\"name\":\"N4\",\"email\":\"n4@example.org\",\"anonymous\":true}", "", "", ""},
	};
	for (size_t i = 0; i < sizeof(consent) / sizeof(consent[0]); i++) {
		char json[600];
		snprintf(json, sizeof(json),
			 "{\"kind\":\"product\",\"finder\":%s,\"product\":{\"name\":\"P\"},"
			 "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}",
			 consent[i].finder);
		struct sub c = submit(db, json);
		struct con x = {.tracking = c.r.tracking, .a = &sys};
		assert_int_equal(kk_db_tx(db, con_fn, &x), 0);
		if (strcmp(x.f.name, consent[i].name) || strcmp(x.f.email, consent[i].email) ||
		    strcmp(x.f.credit_name, consent[i].credit))
			fail_msg("consent-%zu: got name '%s' email '%s' credit '%s'", i, x.f.name, x.f.email,
				 x.f.credit_name);
		x = (struct con){.tracking = c.r.tracking, .a = &vendor};
		assert_int_equal(kk_db_tx(db, con_fn, &x), KK_EPERM);
	}
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.disclose'", NULL), 4);
	/* a different key cannot unseal */
	unsigned char saved[KK_KEY_BYTES];
	memcpy(saved, key, sizeof(key));
	key[0] ^= 1;
	r = (struct rev){.a = &sys, .tracking = s.r.tracking};
	assert_int_equal(kk_db_tx(db, rev_fn, &r), KK_ECRYPTO);
	memcpy(key, saved, sizeof(key));
	kk_db_close(db);
	/* the raw bytes of the database hold neither the identity nor the link token */
	char wal[600];
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	const char *secrets[] = {"Hanako Yamada", "hanako@example.jp", s.r.token};
	for (size_t i = 0; i < 3; i++) {
		assert_false(file_has(dbpath, secrets[i]));
		assert_false(file_has(wal, secrets[i]));
	}
	assert_true(file_has(dbpath, "Foo Router")); /* the check can find what is there */
	kk_clock_pin(-1);
}

/* ---- suggestions ----------------------------------------------------------------- */

struct sugs {
	char text[2048];
};
static int sug_fn(void *arg, const struct kk_suggestion *s)
{
	struct sugs *x = arg;
	size_t n = strlen(x->text);
	snprintf(x->text + n, sizeof(x->text) - n, "%s:%s:%s;", s->source, s->id, s->why);
	return 0;
}

static void test_suggestions(void **state)
{
	(void)state;
	struct kk_db *db = fresh("suggest.db");
	assert_true(kk_db_exec(db, "INSERT INTO vuln (id, jvndb, created_at) VALUES (1, 'JVNDB-2024-000001', 1), "
				   "(2, 'JVNDB-2024-000002', 1), (3, 'JVNDB-2024-000003', 1)",
			       NULL) >= 0);
	assert_true(kk_db_exec(db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES ('CVE-2024-12345', 1)", NULL) >= 0);
	/* the product index rows an import writes for those records' CPE names (vulndb/affected.h) */
	assert_true(kk_db_exec(db, "INSERT INTO vuln_vendor (id, cpe_vendor) VALUES (1, 'acme'), (2, 'other')", NULL) >= 0);
	assert_true(kk_db_exec(db, "INSERT INTO vuln_product (id, vendor_id, cpe_vendor, cpe_product) VALUES "
				   "(1, 1, 'acme', 'foo_router'), (2, 2, 'other', 'bar')",
			       NULL) >= 0);
	assert_true(kk_db_exec(db, "INSERT INTO vuln_affect_exact (product_id, version, vuln_id, seq, src) VALUES "
				   "(1, '*', 2, 1, 1), (2, '*', 1, 3, 1)",
			       NULL) >= 0);
	assert_true(kk_db_exec(db, "INSERT INTO vuln_affect (product_id, vuln_id, seq, src, kind, lo) VALUES "
				   "(1, 3, 2, 1, 0, '1.0')",
			       NULL) >= 0);
	assert_true(kk_db_exec(db, "INSERT INTO vuln_cwe (vuln_id, src, cwe) VALUES (3, 1, 79)", NULL) >= 0);
	struct sub a = submit(db, GOOD_PRODUCT);
	struct sub b = submit(db, "{\"kind\":\"product\",\"finder\":{\"name\":\"B\",\"email\":\"b@example.org\"},"
				  "\"product\":{\"name\":\"FOO ROUTER\",\"vendor\":\"acme\"},"
				  "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}");
	submit(db, "{\"kind\":\"product\",\"finder\":{\"name\":\"C\",\"email\":\"c@example.org\"},"
		   "\"product\":{\"name\":\"Other\",\"vendor\":\"Acme\"},\"vulnerability\":{\"description\":\"d\"},"
		   "\"policy_ack\":true}");
	struct sub w1 = submit(db, "{\"kind\":\"website\",\"finder\":{\"name\":\"D\",\"email\":\"d@example.org\"},"
				   "\"website\":{\"url\":\"https://Shop.Example.com:8443/a\"},"
				   "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}");
	struct sub w2 = submit(db, "{\"kind\":\"website\",\"finder\":{\"name\":\"E\",\"email\":\"e@example.org\"},"
				   "\"website\":{\"url\":\"http://shop.example.com/b\"},"
				   "\"vulnerability\":{\"description\":\"d\"},\"policy_ack\":true}");
	/* another product naming the same CVE; one of the same product and CVE is listed once */
	struct sub z = submit(db, "{\"kind\":\"product\",\"finder\":{\"name\":\"Z\",\"email\":\"z@example.org\"},"
				  "\"product\":{\"name\":\"Zed\"},\"vulnerability\":{\"cve\":\"CVE-2024-12345\","
				  "\"description\":\"d\"},\"policy_ack\":true}");
	struct sugs x = {""};
	assert_int_equal(kk_intake_suggest(db, &sys, a.r.tracking, sug_fn, &x), 5);
	char want[512];
	snprintf(want, sizeof(want),
		 "report:%s:same product and vendor;vulndb:JVNDB-2024-000001:same CVE;"
		 "vulndb:JVNDB-2024-000003:same CWE and product;vulndb:JVNDB-2024-000002:same product;"
		 "report:%s:same CVE;",
		 b.r.tracking, z.r.tracking);
	/* vulndb rows of equal date come in id order reversed by the query; compare as sets */
	for (char *p = want, *e; *p; p = e + 1) {
		e = strchr(p, ';');
		char one[200];
		snprintf(one, sizeof(one), "%.*s;", (int)(e - p), p);
		if (!strstr(x.text, one))
			fail_msg("missing suggestion %s in %s", one, x.text);
	}
	x.text[0] = 0;
	assert_int_equal(kk_intake_suggest(db, &sys, w1.r.tracking, sug_fn, &x), 1);
	snprintf(want, sizeof(want), "report:%s:same website host;", w2.r.tracking);
	assert_string_equal(x.text, want);
	/* the same host and the same CWE say so */
	struct sub w3 = submit(db, "{\"kind\":\"website\",\"finder\":{\"name\":\"F\",\"email\":\"f@example.org\"},"
				   "\"website\":{\"url\":\"https://shop.example.com/c\"},"
				   "\"vulnerability\":{\"cwe\":79,\"description\":\"d\"},\"policy_ack\":true}");
	struct sub w4 = submit(db, "{\"kind\":\"website\",\"finder\":{\"name\":\"G\",\"email\":\"g@example.org\"},"
				   "\"website\":{\"url\":\"https://shop.example.com/d\"},"
				   "\"vulnerability\":{\"cwe\":79,\"description\":\"d\"},\"policy_ack\":true}");
	x.text[0] = 0;
	assert_int_equal(kk_intake_suggest(db, &sys, w4.r.tracking, sug_fn, &x), 3);
	snprintf(want, sizeof(want), "report:%s:same website host and CWE;report:%s:same website host;"
		 "report:%s:same website host;", w3.r.tracking, w2.r.tracking, w1.r.tracking);
	assert_string_equal(x.text, want);
	assert_int_equal(kk_intake_suggest(db, &vendor, w1.r.tracking, sug_fn, &x), KK_EPERM);
	kk_clock_pin(-1);
	kk_db_close(db);
}

/* ---- attachments ------------------------------------------------------------------ */

static void test_attachments(void **state)
{
	(void)state;
	static const struct {
		const char *data;
		size_t n;
		const char *mime;
	} sniff[] = {
		{"\x89PNG\r\n\x1a\n....", 12, "image/png"},
		{"%PDF-1.7\n", 9, "application/pdf"},
		{"PK\x03\x04rest", 8, "application/zip"},
		{"\xd4\xc3\xb2\xa1\x02\x00", 6, "application/vnd.tcpdump.pcap"},
		{"  {\"a\":1}", 9, "application/json"},
		{"<?xml version=\"1.0\"?><a/>", 25, "application/xml"},
		{"GET / HTTP/1.1\r\nHost: x\r\n", 25, "text/plain"},
		{"<!DOCTYPE html><p>", 18, NULL},
		{"<svg onload=alert(1)>", 21, NULL},
		{"\x7f" "ELF\x02\x01", 6, NULL},
		{"MZ\x90\x00", 4, NULL},
		{"", 0, NULL},
	};
	for (size_t i = 0; i < sizeof(sniff) / sizeof(sniff[0]); i++) {
		const char *got = kk_intake_sniff(sniff[i].data, sniff[i].n);
		if (sniff[i].mime ? !got || strcmp(got, sniff[i].mime) : got != NULL)
			fail_msg("intake-sniff-%zu: expected %s got %s", i, sniff[i].mime ? sniff[i].mime : "refused",
				 got ? got : "refused");
	}
	struct kk_db *db = fresh("attach.db");
	struct sub s = submit(db, GOOD_PRODUCT);
	char dir[600], sha[65], path[800];
	snprintf(dir, sizeof(dir), "%s/files", tu_tmpdir());
	struct kk_diag d;
	const char poc[] = "curl 'http://target/x?q=<script>alert(1)</script>'\n";
	assert_int_equal(kk_intake_attach(db, &sys, NULL, s.r.tracking, dir, "poc.txt", poc, strlen(poc), 0, sha, &d), 0);
	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, sha, sha);
	assert_true(file_has(path, "alert(1)"));
	/* the finder through the link; again the same content is one file */
	assert_int_equal(kk_intake_attach(db, NULL, s.r.token, s.r.tracking, dir, "same.txt", poc, strlen(poc), 0, sha, &d),
			 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM attachment", NULL), 1);
	assert_int_equal(kk_intake_attach(db, NULL, "bad-token", s.r.tracking, dir, "x.txt", "x", 1, 0, NULL, &d),
			 KK_ENOTFOUND);
	assert_int_equal(kk_intake_attach(db, &sys, NULL, s.r.tracking, dir, "p.html", "<html>", 6, 0, NULL, &d),
			 KK_EUNSUPPORTED);
	assert_int_equal(kk_intake_attach(db, &sys, NULL, s.r.tracking, dir, "big.txt", "0123456789", 10, 5, NULL, &d),
			 KK_ETOOBIG);
	assert_int_equal(kk_intake_attach(db, &sys, NULL, s.r.tracking, dir, "../x.txt", "x", 1, 0, NULL, &d), KK_EINVAL);
	assert_int_equal(kk_intake_attach(db, &vendor, NULL, s.r.tracking, dir, "x.txt", "x", 1, 0, NULL, &d), KK_EPERM);
	assert_int_equal(kk_intake_attach(db, &sys, NULL, "KK-1999-000001", dir, "x.txt", "x", 1, 0, NULL, &d),
			 KK_ENOTFOUND);
	assert_int_equal(scalar(db, "SELECT count(*) FROM report_attachment", NULL), 1); /* same content, one link */
	assert_int_equal(kk_intake_attach(db, NULL, s.r.token, s.r.tracking, dir, "shot.png", "\x89PNG\r\n\x1a\n0000", 12, 0,
					  sha, &d),
			 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM report_attachment WHERE from_finder = 1", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM attachment WHERE mime = 'image/png'", NULL), 1);

	/* who may read which file: staff all, the finder (token) only theirs, everyone else nothing */
	char poc_sha[65];
	assert_int_equal(kk_intake_attach(db, &sys, NULL, s.r.tracking, dir, "poc.txt", poc, strlen(poc), 0, poc_sha, &d),
			 0);
	struct kk_attachment x;
	assert_int_equal(kk_intake_attachment_find(db, &sys, NULL, s.r.tracking, poc_sha, &x, &d), 0);
	assert_string_equal(x.filename, "poc.txt");
	assert_false(x.from_finder);
	assert_int_equal(kk_intake_attachment_find(db, NULL, s.r.token, s.r.tracking, poc_sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, NULL, s.r.token, s.r.tracking, sha, &x, &d), 0); /* the PNG */
	assert_string_equal(x.mime, "image/png");
	assert_true(x.from_finder);
	assert_int_equal(kk_intake_attachment_find(db, NULL, "bad-token", s.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, NULL, NULL, s.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, &vendor, NULL, s.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, &vendor, s.r.token, s.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, &sys, NULL, s.r.tracking, "../../etc/passwd", &x, &d),
			 KK_ENOTFOUND);
	struct sub other = submit(db, GOOD_PRODUCT);
	assert_int_equal(kk_intake_attachment_find(db, NULL, other.r.token, other.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	assert_int_equal(kk_intake_attachment_find(db, &sys, NULL, other.r.tracking, sha, &x, &d), KK_ENOTFOUND);
	/* reading checks the hash: a file changed on disk is refused */
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	assert_int_equal(kk_intake_attachment_read(dir, poc_sha, &b, &d), 0);
	assert_memory_equal(b.ptr, poc, strlen(poc));
	kk_buf_reset(&b);
	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, poc_sha, poc_sha);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("tampered", f);
	fclose(f);
	assert_int_equal(kk_intake_attachment_read(dir, poc_sha, &b, &d), KK_EIO);
	assert_non_null(strstr(d.msg, "does not match its hash"));
	kk_buf_release(&b);
	kk_clock_pin(-1);
	kk_db_close(db);
}

/* Limits: "N/SECONDS", the environment, the caps of a set of files (pure). */
static void test_limits(void **state)
{
	(void)state;
	struct kk_rate_limit r;
	assert_int_equal(kk_intake_rate_parse("10/3600", &r), 0);
	assert_int_equal(r.max, 10);
	assert_int_equal(r.window, 3600);
	assert_int_equal(kk_intake_rate_parse("0/1", &r), 0);
	const char *bad[] = {"", "10", "10/", "/60", "-1/60", "10/0", "10/60x", "x/60", "10/99999999", "10/-5", " 1/60"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (kk_intake_rate_parse(bad[i], &r) != KK_EINVAL)
			fail_msg("intake-rate-parse: '%s' accepted", bad[i]);
	struct kk_intake_limits l;
	struct kk_diag d;
	setenv("KEIKAI_REPORT_RATE", "3/60", 1);
	setenv("KEIKAI_ATTACH_MAX", "100", 1);
	assert_int_equal(kk_intake_limits_load(&l, &d), 0);
	assert_int_equal(l.submit.max, 3);
	assert_int_equal(l.followup.max, 30); /* default kept */
	assert_int_equal((int)l.file_max, 100);
	setenv("KEIKAI_FOLLOWUP_RATE", "many", 1);
	assert_int_equal(kk_intake_limits_load(&l, &d), KK_EINVAL);
	assert_string_equal(d.where, "KEIKAI_FOLLOWUP_RATE");
	unsetenv("KEIKAI_FOLLOWUP_RATE");
	setenv("KEIKAI_ATTACH_FILES", "0", 1);
	assert_int_equal(kk_intake_limits_load(&l, &d), KK_EINVAL);
	assert_string_equal(d.where, "KEIKAI_ATTACH_FILES");
	unsetenv("KEIKAI_ATTACH_FILES");
	unsetenv("KEIKAI_REPORT_RATE");
	unsetenv("KEIKAI_ATTACH_MAX");

	kk_intake_limits_default(&l);
	l.file_max = 10;
	l.total_max = 15;
	l.files_max = 2;
	struct kk_upload u[3] = {{"a.txt", "0123456789", 10}, {"b.txt", "01234", 5}, {"c.txt", "x", 1}};
	assert_int_equal(kk_intake_uploads_check(u, 2, &l, &d), 0);
	assert_int_equal(kk_intake_uploads_check(u, 3, &l, &d), KK_ETOOBIG); /* count */
	u[1].n = 6;
	u[1].data = "012345";
	assert_int_equal(kk_intake_uploads_check(u, 2, &l, &d), KK_ETOOBIG); /* total 16 > 15 */
	assert_non_null(strstr(d.msg, "at most 15 bytes"));
	struct kk_upload one = {"p.svg", "<svg onload=x>", 14};
	assert_int_equal(kk_intake_uploads_check(&one, 1, &l, &d), KK_ETOOBIG); /* 14 > 10 per file */
	l.file_max = 100;
	assert_int_equal(kk_intake_uploads_check(&one, 1, &l, &d), KK_EUNSUPPORTED);
	assert_string_equal(d.where, "file");
	one = (struct kk_upload){"a\"b.txt", "x", 1};
	assert_int_equal(kk_intake_uploads_check(&one, 1, &l, &d), KK_EINVAL);
	assert_string_equal(d.where, "filename");
	/* names that show as something else: bidi overrides and marks, zero-width, C1 controls */
	static const char *const disguised[] = {"\xe2\x80\xaetxt.js", "a\xe2\x80\xaa" "b.txt", "a\xe2\x80\xad" "b.txt",
						"\xe2\x81\xa6x.txt", "x\xe2\x81\xa9.txt", "x\xe2\x80\x8f.txt",
						"x\xd8\x9c.txt", "x\xe2\x80\x8b.txt", "x\xef\xbb\xbf.txt", "x\xc2\x85.txt"};
	for (size_t i = 0; i < sizeof(disguised) / sizeof(*disguised); i++) {
		one = (struct kk_upload){disguised[i], "x", 1};
		assert_int_equal(kk_intake_uploads_check(&one, 1, &l, &d), KK_EINVAL);
		assert_string_equal(d.where, "filename");
	}
	one = (struct kk_upload){"\xe3\x82\xb9\xe3\x82\xaf\xe3\x83\xaa\xe3\x83\xbc\xe3\x83\xb3 \xd8\xa7.txt", "x", 1};
	assert_int_equal(kk_intake_uploads_check(&one, 1, &l, &d), 0); /* Japanese and Arabic letters are fine */
}

/* The per-address limit: counted in the database, refused with the wait, per scope and address. */
static void test_rate(void **state)
{
	(void)state;
	struct kk_db *db = fresh("rate.db");
	struct kk_rate_limit lim = {2, 60};
	int64_t wait;
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.1", &lim, &wait), 0);
	kk_clock_pin(T0 + 10);
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.1", &lim, &wait), 0);
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.1", &lim, &wait), KK_ERATE);
	assert_int_equal(wait, 50); /* the first leaves the window at T0 + 60 */
	assert_int_equal(scalar(db, "SELECT count(*) FROM rate_hit", NULL), 2); /* a refusal is not counted */
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.2", &lim, &wait), 0);
	assert_int_equal(kk_intake_rate_take(db, "report.followup", "192.0.2.1", &lim, &wait), 0);
	kk_clock_pin(T0 + 60);
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.1", &lim, &wait), 0);
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.1", &lim, &wait), KK_ERATE);
	assert_int_equal(wait, 10);
	kk_clock_pin(T0 + 1000);
	assert_int_equal(kk_intake_rate_take(db, "report.submit", "", &lim, &wait), 0);
	/* old rows of the scope are gone */
	assert_int_equal(scalar(db, "SELECT count(*) FROM rate_hit WHERE scope = 'report.submit'", NULL), 1);
	struct kk_rate_limit off = {0, 60};
	for (int i = 0; i < 5; i++)
		assert_int_equal(kk_intake_rate_take(db, "report.submit", "192.0.2.9", &off, &wait), 0);
	kk_clock_pin(-1);
	kk_db_close(db);
}

/* Every allocation failing in turn: the submission fails cleanly (no leak, nothing half-written) or succeeds. */
static void test_alloc_failures(void **state)
{
	(void)state;
	struct kk_db *db = fresh("alloc.db");
	int ok = 0, failed = 0;
	for (long n = 0; n < 400 && ok < 3; n++) {
		struct sub s = {.json = GOOD_PRODUCT};
		kk_alloc_fail_after(n);
		int rc = kk_db_tx(db, sub_fn, &s);
		kk_alloc_fail_after(-1);
		if (rc == 0)
			ok++;
		else
			failed++;
		/* a report exists iff its receipt mail does */
		assert_int_equal(scalar(db, "SELECT count(*) FROM report", NULL),
				 scalar(db, "SELECT count(*) FROM mail_outbox", NULL));
	}
	assert_true(failed > 0);
	assert_true(ok > 0);
	kk_clock_pin(-1);
	kk_db_close(db);
}

static int setup(void **state)
{
	(void)state;
	kk_random_init();
	kk_random_bytes(key, sizeof(key));
	kk_actor_system(&sys, "test");
	vendor = kk_actor_public;
	vendor.role = KK_ROLE_VENDOR;
	vendor.user_id = 5;
	vendor.org_id = 7;
	snprintf(vendor.label, sizeof(vendor.label), "user:v@acme.example");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),	     cmocka_unit_test(test_publication_date_jst),
		cmocka_unit_test(test_status_machine),
		cmocka_unit_test(test_incomplete_and_answer), cmocka_unit_test(test_sealed_and_reveal),
		cmocka_unit_test(test_suggestions),	     cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_alloc_failures),	     cmocka_unit_test(test_limits),
		cmocka_unit_test(test_rate),		     cmocka_unit_test(test_stop_reasons),
		cmocka_unit_test(test_missing),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
