/*
 * u-website.c — website cases: the stage machine, handling numbers (format,
 * randomness, retry on a collision), target dates, a case from an accepted
 * report through the three stages to closing, access by link and by
 * organization, and the reminders up to "unreachable".
 */
#include "testutil.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/rand.h"
#include "intake/intake.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sched.h"
#include "website/website.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */
#define DAY 86400

static unsigned char key[KK_KEY_BYTES];
static struct kk_actor sys;

/* ---- pure parts ------------------------------------------------------- */

static void test_stage_machine(void **state)
{
	(void)state;
	static const struct {
		enum kk_website_stage s;
		const char *verb;
		int rc;
	} t[] = {
		{KK_WEBSITE_OPENED, "notify", 0},	    {KK_WEBSITE_STAGE1, "notify", 0},
		{KK_WEBSITE_STAGE2, "notify", KK_ECONFLICT}, {KK_WEBSITE_OPENED, "give_contact", KK_ECONFLICT},
		{KK_WEBSITE_STAGE1, "give_contact", 0},	    {KK_WEBSITE_STAGE2, "choose", 0},
		{KK_WEBSITE_STAGE1, "choose", KK_ECONFLICT}, {KK_WEBSITE_STAGE3, "ack", 0},
		{KK_WEBSITE_STAGE2, "ack", KK_ECONFLICT},    {KK_WEBSITE_STAGE3, "complete", 0},
		{KK_WEBSITE_COMPLETED, "complete", KK_ECONFLICT}, {KK_WEBSITE_STAGE3, "details", KK_ECONFLICT},
		{KK_WEBSITE_STAGE2, "details", 0},	    {KK_WEBSITE_CLOSED, "close", KK_ECONFLICT},
		{KK_WEBSITE_CLOSED, "note", KK_ECONFLICT},   {KK_WEBSITE_COMPLETED, "confirm", 0},
		{KK_WEBSITE_STAGE3, "confirm", KK_ECONFLICT}, {KK_WEBSITE_OPENED, "fly", KK_EINVAL},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kk_diag d;
		kk_diag_clear(&d);
		int rc = kk_website_stage_allows(t[i].s, t[i].verb, &d);
		if (rc != t[i].rc)
			fail_msg("%s in %s: got %d, want %d", t[i].verb, kk_website_stage_name(t[i].s), rc, t[i].rc);
		if (rc == KK_ECONFLICT)
			assert_non_null(strstr(d.msg, kk_website_stage_name(t[i].s)));
	}
	for (int s = 0; s < 6; s++) {
		enum kk_website_stage back;
		assert_int_equal(kk_website_stage_parse(kk_website_stage_name((enum kk_website_stage)s), &back), 0);
		assert_int_equal(back, s);
	}
	enum kk_website_outcome o;
	assert_int_equal(kk_website_outcome_parse("operator_unreachable", &o), 0);
	assert_int_equal(o, KK_WOUT_OPERATOR_UNREACHABLE);
	assert_int_equal(kk_website_outcome_parse("", &o), KK_EINVAL);
	enum kk_website_check c;
	assert_int_equal(kk_website_check_parse("impact_plan", &c), 0);
	assert_int_equal(c, KK_WCHK_IMPACT_PLAN);
}

static void test_handling_numbers(void **state)
{
	(void)state;
	enum { N = 2000 };
	static char seen[N][KK_HANDLING_MAX];
	int ascending = 0;
	for (int i = 0; i < N; i++) {
		kk_website_handling_new("IPA#", seen[i], sizeof(seen[i]));
		assert_true(kk_website_handling_valid("IPA#", seen[i]));
		if (i && strcmp(seen[i], seen[i - 1]) > 0)
			ascending++;
	}
	/* random, not a counter: about half the successors are larger, and few repeat */
	assert_in_range(ascending, N / 2 - 150, N / 2 + 150);
	int dup = 0;
	for (int i = 0; i < N; i++)
		for (int k = i + 1; k < N; k++)
			dup += !strcmp(seen[i], seen[k]);
	assert_true(dup < 3);
	assert_false(kk_website_handling_valid("IPA#", "IPA#1234567"));
	assert_false(kk_website_handling_valid("IPA#", "IPA#123456789"));
	assert_false(kk_website_handling_valid("IPA#", "IPA#1234567x"));
	assert_false(kk_website_handling_valid("IPA#", "JVN#12345678"));
	assert_true(kk_website_handling_valid("X-", "X-00000001"));
}

static void test_addresses(void **state)
{
	(void)state;
	char out[10][KK_EMAIL_MAX + 1];
	size_t n;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_website_addresses(" info@a.example,webmaster@a.example;\nINFO@a.example\t", out, 10, &n, &d), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "info@a.example");
	assert_string_equal(out[1], "webmaster@a.example");
	assert_int_equal(kk_website_addresses("info@a.example, Info <x@a.example>", out, 10, &n, &d), KK_EINVAL);
	assert_string_equal(d.where, "addresses");
	assert_non_null(strstr(d.msg, "'Info'"));
	assert_int_equal(kk_website_addresses(" ,; ", out, 10, &n, &d), KK_EINVAL);
	assert_int_equal(kk_website_addresses("a@x.example b@x.example c@x.example", out, 2, &n, &d), KK_EINVAL);
	assert_non_null(strstr(d.msg, "at most 2"));
}

static int64_t at(const char *s)
{
	int64_t t;
	assert_int_equal(kk_time_parse(s, &t), 0);
	return t;
}

static void test_target(void **state)
{
	(void)state;
	assert_int_equal(kk_website_target(at("2026-03-01T09:00:00Z"), 3), at("2026-06-01T09:00:00Z"));
	assert_int_equal(kk_website_target(at("2026-11-30T00:00:00Z"), 3), at("2027-02-28T00:00:00Z"));
	assert_int_equal(kk_website_target(at("2027-11-30T00:00:00Z"), 3), at("2028-02-29T00:00:00Z"));
	assert_int_equal(kk_website_target(at("2026-01-31T12:00:00Z"), 1), at("2026-02-28T12:00:00Z"));
	assert_int_equal(kk_website_target(at("2026-10-15T00:00:00Z"), 14), at("2027-12-15T00:00:00Z"));
	assert_int_equal(kk_website_target(at("2026-05-31T00:00:00Z"), 1), at("2026-06-30T00:00:00Z"));
	/* on the calendar in Japan: 2026-11-30 05:00 JST + 3 months is 2027-02-28 05:00 JST */
	assert_int_equal(kk_website_target(at("2026-11-29T20:00:00Z"), 3), at("2027-02-27T20:00:00Z"));
	/* 2027-01-31 01:00 JST (01-30 in UTC) + 3 months is 2027-04-30 01:00 JST, not 05-01 */
	assert_int_equal(kk_website_target(at("2027-01-30T16:00:00Z"), 3), at("2027-04-29T16:00:00Z"));
	/* 2027-12-31 23:30 JST + 2 months: 2028-02-29 (a leap year) */
	assert_int_equal(kk_website_target(at("2027-12-31T14:30:00Z"), 2), at("2028-02-29T14:30:00Z"));
}

/* ---- a case in a database --------------------------------------------- */

static struct kk_db *fresh(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tu_tmpdir(), name);
	remove(path);
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	kk_clock_pin(T0);
	return db;
}

static int64_t scalar(struct kk_db *db, const char *sql, const char *arg)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	if (arg)
		kk_stmt_bind_text(st, 1, arg, -1);
	int64_t n = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : -1;
	kk_stmt_done(st);
	return n;
}

#define WEBSITE_REPORT                                                                                       \
	"{\"kind\":\"website\",\"finder\":{\"name\":\"Taro Finder\",\"email\":\"taro@finder.example\"},"        \
	"\"website\":{\"name\":\"Shop\",\"url\":\"https://shop.example.com/cart\"},"                           \
	"\"vulnerability\":{\"cwe\":\"CWE-89\",\"description\":\"SQL injection in the cart\","                \
	"\"steps\":\"add ' to id\",\"impact\":\"all orders readable\"},\"policy_ack\":true}"

/* One step in a transaction: fn gets the db and st. */
struct step {
	int (*fn)(struct kk_db *db, struct step *s);
	struct kk_diag d;
	char tracking[KK_TRACKING_MAX], token[KK_REPORT_TOKEN_MAX], handling[KK_HANDLING_MAX];
	char link[KK_WEBSITE_TOKEN_MAX];
	struct kk_website_who who;
	const char *text;
	int64_t when;
	enum kk_website_outcome outcome;
};

static int tx(struct kk_db *db, void *arg)
{
	struct step *s = arg;
	kk_diag_clear(&s->d);
	return s->fn(db, s);
}

static int run(struct kk_db *db, struct step *s, int (*fn)(struct kk_db *db, struct step *s))
{
	s->fn = fn;
	return kk_db_tx(db, tx, s);
}

static int do_submit_accept(struct kk_db *db, struct step *s)
{
	struct kk_report_input in;
	int rc = kk_intake_parse(WEBSITE_REPORT, strlen(WEBSITE_REPORT), &in, &s->d);
	struct kk_report_receipt r;
	if (!rc)
		rc = kk_intake_submit(db, &sys, key, &in, false, "https://kk.example", &r, &s->d);
	kk_intake_input_release(&in);
	if (rc)
		return rc;
	snprintf(s->tracking, sizeof(s->tracking), "%s", r.tracking);
	snprintf(s->token, sizeof(s->token), "%s", r.token);
	struct kk_report_action act = {.verb = KK_REPORT_ACCEPT};
	return kk_intake_act(db, &sys, key, r.tracking, &act, &s->d);
}

static int do_notify(struct kk_db *db, struct step *s)
{
	const char *addrs[] = {"info@shop.example.com", "webmaster@shop.example.com"};
	return kk_website_notify(db, &sys, key, s->handling, addrs, 2, s->link, &s->d);
}
static int do_contact(struct kk_db *db, struct step *s)
{
	return kk_website_give_contact(db, &s->who, key, s->handling, "security@shop.example.com", "Sec Team",
				       s->link, &s->d);
}
static int do_portal(struct kk_db *db, struct step *s)
{
	return kk_website_choose(db, &s->who, key, s->handling, NULL, &s->d);
}
static int do_ack(struct kk_db *db, struct step *s)
{
	return kk_website_ack(db, &s->who, s->handling, &s->d);
}
static int do_note(struct kk_db *db, struct step *s)
{
	return kk_website_note(db, &s->who, s->handling, s->text, &s->d);
}
static int do_check(struct kk_db *db, struct step *s)
{
	return kk_website_check(db, &s->who, s->handling, KK_WCHK_INVESTIGATION, true, &s->d);
}
static int do_estimate(struct kk_db *db, struct step *s)
{
	return kk_website_estimate(db, &s->who, s->handling, s->when, "a new shop system", &s->d);
}
static int do_complete(struct kk_db *db, struct step *s)
{
	return kk_website_complete(db, &s->who, key, s->handling, "parameterised the cart queries", &s->d);
}
static int do_confirm(struct kk_db *db, struct step *s)
{
	return kk_website_finder_confirm(db, s->tracking, s->token, "looks fixed", &s->d);
}
static int do_close(struct kk_db *db, struct step *s)
{
	return kk_website_close(db, &sys, key, s->handling, s->outcome, NULL, &s->d);
}

static void open_case(struct kk_db *db, struct step *s)
{
	kk_intake_set_opener("website", kk_website_open);
	assert_int_equal(run(db, s, do_submit_accept), 0);
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, "SELECT handling FROM website_case WHERE tracking = ?", &st), 0);
	kk_stmt_bind_text(st, 1, s->tracking, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	snprintf(s->handling, sizeof(s->handling), "%s", kk_stmt_text(st, 0));
	kk_stmt_done(st);
	assert_true(kk_website_handling_valid("IPA#", s->handling));
}

static int count_mail(struct kk_db *db)
{
	return (int)scalar(db, "SELECT count(*) FROM mail_outbox", NULL);
}

static void test_case_through_stages(void **state)
{
	(void)state;
	struct kk_db *db = fresh("w-flow.db");
	struct step s = {0};
	open_case(db, &s);
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff WHERE state = 'opened' AND case_ref = ?", s.handling), 1);
	s.who.actor = &kk_actor_public;
	/* before stage 1 there is no link; an operator cannot reach the case */
	s.who.token = "not-a-token";
	assert_int_equal(run(db, &s, do_contact), KK_ENOTFOUND);

	int before = count_mail(db);
	assert_int_equal(run(db, &s, do_notify), 0);
	assert_int_equal(count_mail(db), before + 2);
	assert_int_equal(strlen(s.link), 43);
	/* the link is stored only as its hash */
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE link_hash = ?", s.link), 0);
	char first[KK_WEBSITE_TOKEN_MAX];
	strcpy(first, s.link);

	/* stage 2 through the link (the operator does not know the handling number yet) */
	char handling[KK_HANDLING_MAX];
	strcpy(handling, s.handling);
	s.handling[0] = 0;
	struct step op = s;
	op.who.token = first;
	op.handling[0] = 0;
	kk_clock_pin(T0 + 2 * DAY);
	assert_int_equal(run(db, &op, do_ack), KK_ENOTFOUND); /* handling "" does not match: same answer */
	/* with handling NULL the token finds its case */
	struct kk_diag d;
	int64_t id = 0;
	struct kk_website_who w = {&kk_actor_public, first};
	assert_int_equal(kk_website_operator_access(db, &w, NULL, &id, &d), 0);
	assert_true(id > 0);

	strcpy(s.handling, handling);
	s.who.token = first;
	assert_int_equal(run(db, &s, do_contact), 0);
	assert_string_not_equal(s.link, first);
	/* the first link was replaced */
	w.token = first;
	assert_int_equal(kk_website_operator_access(db, &w, NULL, &id, &d), KK_ENOTFOUND);
	s.who.token = s.link;
	char second[KK_WEBSITE_TOKEN_MAX];
	strcpy(second, s.link);

	kk_clock_pin(T0 + 4 * DAY);
	assert_int_equal(run(db, &s, do_portal), 0);
	assert_int_equal(scalar(db, "SELECT target_at FROM website_case WHERE handling = ?", s.handling),
			 kk_website_target(T0 + 4 * DAY, 3));
	int64_t due;
	assert_int_equal(kk_sched_due(db, "website.overdue", id, &due), 0);
	assert_int_equal(due, kk_website_target(T0 + 4 * DAY, 3));
	assert_int_equal(kk_sched_due(db, "website.remind_before", id, &due), 0);
	assert_int_equal(due, kk_website_target(T0 + 4 * DAY, 3) - 14 * DAY);
	/* the stage 3 mail carries the handling number in its subject */
	char subj[64];
	snprintf(subj, sizeof(subj), "[%s]%%", s.handling);
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox WHERE subject LIKE ?", subj), 1);

	/* an estimate not after the target is refused, naming the field */
	s.when = T0 + 30 * DAY;
	assert_int_equal(run(db, &s, do_estimate), KK_EINVAL);
	assert_string_equal(s.d.where, "estimate");
	s.when = kk_website_target(T0 + 4 * DAY, 3) + 30 * DAY;
	assert_int_equal(run(db, &s, do_estimate), 0);
	assert_int_equal(kk_sched_due(db, "website.overdue", id, &due), 0);
	assert_int_equal(due, s.when);

	assert_int_equal(run(db, &s, do_ack), 0);
	assert_int_equal(run(db, &s, do_ack), KK_ECONFLICT);
	assert_int_equal(kk_sched_due(db, "website.nudge", id, &due), KK_ENOTFOUND);
	s.text = "found the query";
	assert_int_equal(run(db, &s, do_note), 0);
	assert_int_equal(run(db, &s, do_check), 0);
	/* the finder cannot confirm before completion */
	assert_int_equal(run(db, &s, do_confirm), KK_ECONFLICT);
	/* 'fixed' needs the completion report */
	s.outcome = KK_WOUT_FIXED;
	assert_int_equal(run(db, &s, do_close), KK_ECONFLICT);
	s.outcome = KK_WOUT_OPERATOR_UNREACHABLE;
	assert_int_equal(run(db, &s, do_close), KK_ECONFLICT);

	int64_t msgs = scalar(db, "SELECT count(*) FROM report_message", NULL);
	kk_clock_pin(T0 + 40 * DAY);
	assert_int_equal(run(db, &s, do_complete), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM report_message", NULL), msgs + 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM job WHERE state = 'pending' AND kind LIKE 'website.%'", NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE chk_completion_at IS NOT NULL AND "
				    "chk_execution_at IS NOT NULL AND chk_receipt_at IS NOT NULL",
				NULL),
			 1);
	/* the finder's token confirms; a wrong one is refused */
	struct step bad = s;
	strcpy(bad.token, "wrong");
	assert_int_equal(run(db, &bad, do_confirm), KK_ENOTFOUND);
	assert_int_equal(run(db, &s, do_confirm), 0);
	s.outcome = KK_WOUT_FIXED;
	assert_int_equal(run(db, &s, do_close), 0);
	assert_int_equal(run(db, &s, do_close), KK_ECONFLICT);

	/* the operator's view never holds the finder; the figures count days */
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	w.token = second;
	assert_int_equal(kk_website_json(db, &w, NULL, true, &j, &d), 0);
	assert_null(strstr(out.ptr, "Taro"));
	assert_null(strstr(out.ptr, "taro@finder"));
	assert_null(strstr(out.ptr, s.tracking));
	assert_non_null(strstr(out.ptr, s.handling));
	assert_non_null(strstr(out.ptr, "\"stage\":\"closed\""));
	kk_buf_reset(&out);
	kk_json_init(&j, &out);
	assert_int_equal(kk_website_figures_json(db, &sys, 0, 0, &j), 0);
	assert_non_null(strstr(out.ptr, "\"cases\":1"));
	assert_non_null(strstr(out.ptr, "\"fixed\":1"));
	assert_non_null(strstr(out.ptr, "\"stage2\":2.0"));
	assert_non_null(strstr(out.ptr, "\"fix\":40.0"));
	kk_buf_release(&out);
	/* no finder in plain anywhere in the case tables */
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_event WHERE body LIKE '%taro%'", NULL), 0);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static int do_org_user(struct kk_db *db, struct step *s)
{
	int64_t org, other;
	int rc = kk_org_create(db, &sys, "Shop Inc", KK_ORG_OPERATOR, &org, &s->d);
	if (!rc)
		rc = kk_org_create(db, &sys, "Other Shop", KK_ORG_OPERATOR, &other, &s->d);
	if (!rc)
		rc = kk_website_set_org(db, &sys, s->handling, org, &s->d);
	s->when = org;
	return rc;
}

static void test_access_by_org(void **state)
{
	(void)state;
	struct kk_db *db = fresh("w-org.db");
	struct step s = {0};
	open_case(db, &s);
	assert_int_equal(run(db, &s, do_org_user), 0);
	struct kk_actor mine = {.user_id = 7, .role = KK_ROLE_OPERATOR, .org_id = s.when, .org_kind = KK_ORG_OPERATOR};
	struct kk_actor other = mine;
	other.org_id = s.when + 1;
	struct kk_actor vendor = mine;
	vendor.role = KK_ROLE_VENDOR;
	strcpy(mine.label, "user:op@shop.example.com");
	struct kk_diag d;
	int64_t id;
	struct kk_website_who w = {&mine, NULL};
	assert_int_equal(kk_website_operator_access(db, &w, s.handling, &id, &d), 0);
	w.actor = &other;
	assert_int_equal(kk_website_operator_access(db, &w, s.handling, &id, &d), KK_ENOTFOUND);
	/* the same answer as for a number that does not exist */
	char msg_other[256];
	strcpy(msg_other, d.msg);
	assert_int_equal(kk_website_operator_access(db, &w, "IPA#00000000", &id, &d), KK_ENOTFOUND);
	assert_null(strstr(msg_other, "organization"));
	w.actor = &vendor;
	assert_int_equal(kk_website_operator_access(db, &w, s.handling, &id, &d), KK_EPERM);
	/* an operator account lists only its organization's cases */
	assert_int_equal(kk_website_list(db, &mine, NULL, NULL, NULL), 1);
	assert_int_equal(kk_website_list(db, &other, NULL, NULL, NULL), 0);
	assert_int_equal(kk_website_list(db, &vendor, NULL, NULL, NULL), KK_EPERM);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static struct kk_sched_job job_of(const char *kind, int64_t id)
{
	struct kk_sched_job j = {.id = 1, .kind = kind, .subject = id, .due_at = 0, .attempts = 0};
	return j;
}

struct jobrun {
	const char *kind;
	int64_t id, now;
	struct kk_diag d;
};

static int job_tx(struct kk_db *db, void *arg)
{
	struct jobrun *r = arg;
	struct kk_sched_job j = job_of(r->kind, r->id);
	kk_diag_clear(&r->d);
	if (!strcmp(r->kind, "website.nudge"))
		return kk_website_job_nudge(db, &j, r->now, &r->d);
	if (!strcmp(r->kind, "website.overdue"))
		return kk_website_job_overdue(db, &j, r->now, &r->d);
	return kk_website_job_remind_before(db, &j, r->now, &r->d);
}

static void test_unreachable(void **state)
{
	(void)state;
	struct kk_db *db = fresh("w-unreach.db");
	struct step s = {0};
	open_case(db, &s);
	assert_int_equal(run(db, &s, do_notify), 0);
	int64_t id = scalar(db, "SELECT id FROM website_case WHERE handling = ?", s.handling);
	int mails = count_mail(db);
	struct jobrun r = {"website.nudge", id, T0 + 14 * DAY, {0}};
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0); /* attempt 2 */
	assert_int_equal(count_mail(db), mails + 2);
	r.now += 14 * DAY;
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0); /* attempt 3 */
	assert_int_equal(scalar(db, "SELECT attempts FROM website_case WHERE handling = ?", s.handling), 3);
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE unreachable_at IS NULL", NULL), 1);
	r.now += 14 * DAY;
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0); /* no answer to 3 notices: unreachable */
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE unreachable_at IS NOT NULL", NULL), 1);
	assert_int_equal(count_mail(db), mails + 4);
	s.outcome = KK_WOUT_OPERATOR_UNREACHABLE;
	assert_int_equal(run(db, &s, do_close), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE outcome = 'operator_unreachable'", NULL), 1);
	assert_int_equal(count_mail(db), mails + 5); /* closed without a fix: the finder is told why (VI.2 (2)) */
	/* a job for a closed case does nothing */
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0);
	assert_int_equal(count_mail(db), mails + 5);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static void test_overdue(void **state)
{
	(void)state;
	struct kk_db *db = fresh("w-overdue.db");
	struct step s = {0};
	open_case(db, &s);
	assert_int_equal(run(db, &s, do_notify), 0);
	s.who.actor = &sys;
	assert_int_equal(run(db, &s, do_contact), 0);
	assert_int_equal(run(db, &s, do_portal), 0);
	int64_t id = scalar(db, "SELECT id FROM website_case WHERE handling = ?", s.handling);
	int64_t target = kk_website_target(T0, 3);
	int mails = count_mail(db);
	struct jobrun r = {"website.remind_before", id, target - 14 * DAY, {0}};
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0);
	assert_int_equal(count_mail(db), mails + 1);
	r.kind = "website.overdue";
	r.now = target;
	assert_int_equal(kk_db_tx(db, job_tx, &r), 0);
	assert_int_equal(count_mail(db), mails + 2);
	assert_int_equal(scalar(db, "SELECT count(*) FROM website_case WHERE overdue_at IS NOT NULL", NULL), 1);
	int64_t due;
	assert_int_equal(kk_sched_due(db, "website.overdue", id, &due), 0);
	assert_int_equal(due, target + 14 * DAY);
	kk_db_close(db);
	kk_clock_pin(-1);
}

/* An opener that restarts the random stream first, so every case draws the same first number. */
static int seeded_open(struct kk_db *db, const struct kk_actor *a, int64_t report_id, char *ref, size_t n,
		       struct kk_diag *d)
{
	kk_random_seed(42);
	int rc = kk_website_open(db, a, report_id, ref, n, d);
	kk_random_seed(0);
	return rc;
}

static void test_collision_retry(void **state)
{
	(void)state;
	struct kk_db *db = fresh("w-collide.db");
	struct step a = {0}, b = {0};
	open_case(db, &a);
	kk_intake_set_opener("website", seeded_open);
	assert_int_equal(run(db, &a, do_submit_accept), 0);
	assert_int_equal(run(db, &b, do_submit_accept), 0); /* its first number is taken: drawn again */
	kk_intake_set_opener("website", kk_website_open);
	assert_int_equal(scalar(db, "SELECT count(DISTINCT handling) FROM website_case", NULL), 3);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static int setup(void **state)
{
	(void)state;
	kk_random_init();
	kk_random_bytes(key, sizeof(key));
	kk_actor_system(&sys, "test");
	setenv("KEIKAI_BASE_URL", "https://kk.example", 1);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_machine),	    cmocka_unit_test(test_handling_numbers),
		cmocka_unit_test(test_target),		    cmocka_unit_test(test_addresses),		    cmocka_unit_test(test_case_through_stages),
		cmocka_unit_test(test_access_by_org),	    cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_overdue),		    cmocka_unit_test(test_collision_retry),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
