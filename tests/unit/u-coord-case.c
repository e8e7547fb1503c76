/*
 * u-coord-case.c — coordination cases: the participation state machine
 * (every verb from every state), the publication date rule, the cancel
 * rule; then a case in a database opened by accepting a report, three
 * vendors (affected with a fix, not affected, silent -> unreachable) to
 * ready, a date moved at a vendor's request, and what one vendor can
 * never read of another.
 */
#include "testutil.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/json.h"
#include "coord/case.h"
#include "coord/directory.h"
#include "intake/intake.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */
#define DAY 86400

static int64_t at(const char *s)
{
	int64_t t;
	assert_int_equal(kk_time_parse(s, &t), 0);
	return t;
}

/* ---- pure parts -------------------------------------------------------- */

static void test_state_machine(void **state)
{
	(void)state;
	/* the allowed moves: (from, current verification, verb, reported verification) -> to */
	static const struct {
		enum kk_pstate from;
		enum kk_verification cur;
		enum kk_pverb verb;
		enum kk_verification v;
		enum kk_pstate to;
	} ok[] = {
		{KK_PS_ADDED, KK_VER_NONE, KK_PV_NOTIFY, KK_VER_NONE, KK_PS_NOTIFIED},
		{KK_PS_NOTIFIED, KK_VER_NONE, KK_PV_ACKNOWLEDGE, KK_VER_NONE, KK_PS_ACKNOWLEDGED},
		{KK_PS_NOTIFIED, KK_VER_NONE, KK_PV_REQUEST_DETAILS, KK_VER_NONE, KK_PS_DETAILS_REQUESTED},
		{KK_PS_ACKNOWLEDGED, KK_VER_NONE, KK_PV_REQUEST_DETAILS, KK_VER_NONE, KK_PS_DETAILS_REQUESTED},
		{KK_PS_NOTIFIED, KK_VER_NONE, KK_PV_NO_AFFECTED, KK_VER_NONE, KK_PS_VERIFIED},
		{KK_PS_ACKNOWLEDGED, KK_VER_NONE, KK_PV_NO_AFFECTED, KK_VER_NONE, KK_PS_VERIFIED},
		{KK_PS_DETAILS_REQUESTED, KK_VER_NONE, KK_PV_SEND_DETAILS, KK_VER_NONE, KK_PS_DETAILS_SENT},
		{KK_PS_DETAILS_SENT, KK_VER_NONE, KK_PV_VERIFY, KK_VER_AFFECTED, KK_PS_VERIFIED},
		{KK_PS_DETAILS_SENT, KK_VER_NONE, KK_PV_VERIFY, KK_VER_NOT_AFFECTED, KK_PS_VERIFIED},
		{KK_PS_DETAILS_SENT, KK_VER_NONE, KK_PV_VERIFY, KK_VER_ALREADY_KNOWN, KK_PS_VERIFIED},
		{KK_PS_VERIFIED, KK_VER_AFFECTED, KK_PV_REPORT_FIX, KK_VER_NONE, KK_PS_FIX_REPORTED},
		{KK_PS_VERIFIED, KK_VER_ALREADY_KNOWN, KK_PV_REPORT_FIX, KK_VER_NONE, KK_PS_FIX_REPORTED},
		{KK_PS_FIX_REPORTED, KK_VER_AFFECTED, KK_PV_REPORT_FIX, KK_VER_NONE, KK_PS_FIX_REPORTED},
		{KK_PS_FIX_REPORTED, KK_VER_AFFECTED, KK_PV_READY, KK_VER_NONE, KK_PS_READY},
		{KK_PS_VERIFIED, KK_VER_NOT_AFFECTED, KK_PV_READY, KK_VER_NONE, KK_PS_READY},
	};
	int allowed = 0;
	for (int s = 0; s < KK_PS__COUNT; s++)
		for (int cur = 0; cur <= KK_VER_ALREADY_KNOWN; cur++)
			for (int verb = 0; verb < KK_PV__COUNT; verb++)
				for (int v = 0; v <= KK_VER_ALREADY_KNOWN; v++) {
					enum kk_pstate to = KK_PS__COUNT;
					int rc = kk_participant_next((enum kk_pstate)s, (enum kk_verification)cur,
								     (enum kk_pverb)verb, (enum kk_verification)v, &to);
					int want = KK_ECONFLICT;
					enum kk_pstate want_to = KK_PS__COUNT;
					if ((verb == KK_PV_VERIFY) != (v != KK_VER_NONE))
						want = KK_EINVAL;
					else
						for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
							if ((int)ok[i].from == s && (int)ok[i].verb == verb && (int)ok[i].v == v &&
							    ((int)ok[i].cur == cur || ok[i].from != KK_PS_VERIFIED)) {
								want = 0;
								want_to = ok[i].to;
							}
					if (rc != want)
						fail_msg("%s from %s (%s) reporting %s: got %d want %d", kk_pverb_name(verb),
							 kk_pstate_name(s), kk_verification_name(cur), kk_verification_name(v), rc,
							 want);
					if (!rc) {
						assert_int_equal(to, want_to);
						allowed++;
					}
				}
	/* 4 current verifications each for the moves that ignore it; one each from verified */
	assert_int_equal(allowed, 4 * 12 + 3);
	for (int s = 0; s < KK_PS__COUNT; s++) {
		enum kk_pstate back;
		assert_int_equal(kk_pstate_parse(kk_pstate_name((enum kk_pstate)s), &back), 0);
		assert_int_equal(back, s);
	}
	enum kk_verification v;
	assert_int_equal(kk_verification_parse("already_known", &v), 0);
	assert_int_equal(v, KK_VER_ALREADY_KNOWN);
	assert_int_equal(kk_verification_parse("", &v), KK_EINVAL);
	assert_true(kk_pverb_by_vendor(KK_PV_ACKNOWLEDGE));
	assert_false(kk_pverb_by_vendor(KK_PV_SEND_DETAILS));
	assert_false(kk_pverb_by_vendor(KK_PV_NOTIFY));
}

static void test_default_date(void **state)
{
	(void)state;
	/* start + 45 days, at 11:00 JST of that (Japanese) day */
	assert_int_equal(kk_case_default_date(at("2026-01-01T00:00:00Z"), 45, 11), at("2026-02-15T02:00:00Z"));
	/* 16:00Z is already the next day in Japan */
	assert_int_equal(kk_case_default_date(at("2026-01-01T16:00:00Z"), 45, 11), at("2026-02-16T02:00:00Z"));
	assert_int_equal(kk_case_default_date(at("2026-01-01T14:59:59Z"), 45, 11), at("2026-02-15T02:00:00Z"));
	assert_int_equal(kk_case_default_date(at("2026-01-01T15:00:00Z"), 45, 11), at("2026-02-16T02:00:00Z"));
	/* configurable: 30 days at 00:00 JST */
	assert_int_equal(kk_case_default_date(at("2026-12-20T03:00:00Z"), 30, 0), at("2027-01-18T15:00:00Z"));
	char jst[40];
	kk_time_jst(kk_case_default_date(at("2026-01-01T00:00:00Z"), 45, 11), jst, sizeof(jst));
	assert_string_equal(jst, "2026-02-15 11:00 JST");
}

static void test_cancel_rule(void **state)
{
	(void)state;
	/* (vendors, already_known, not_affected) */
	assert_string_equal(kk_case_cancel_reason(2, 2, 0), "all_already_known");
	assert_string_equal(kk_case_cancel_reason(3, 0, 3), "all_not_affected");
	assert_null(kk_case_cancel_reason(2, 1, 1)); /* a mix */
	assert_null(kk_case_cancel_reason(2, 0, 1)); /* one has not answered */
	assert_null(kk_case_cancel_reason(1, 0, 0)); /* affected */
	assert_null(kk_case_cancel_reason(0, 0, 0)); /* no vendor at all */
}

/* ---- a case in a database ----------------------------------------------- */

static unsigned char key[KK_KEY_BYTES];
static struct kk_actor sys, coord, va, vb, vc;
static int64_t org_a, org_b, org_c;

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

struct step {
	int (*fn)(struct kk_db *db, struct step *s);
	struct kk_diag d;
	char ref[KK_CASE_REF_MAX], tracking[KK_TRACKING_MAX];
	const struct kk_actor *who;
	int64_t org, when, id;
	struct kk_case_step st;
	const char *text;
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
	int rc = kk_db_tx(db, tx, s);
	if (rc)
		print_message("(step refused: %s: %s)\n", s->d.where, s->d.msg);
	return rc;
}

static struct kk_actor user(struct kk_db *db, const char *email)
{
	struct kk_user u;
	assert_int_equal(kk_user_find(db, email, &u), 0);
	struct kk_actor a = {.user_id = u.id, .role = u.role, .org_id = u.org_id, .org_kind = u.org_kind};
	snprintf(a.email, sizeof(a.email), "%s", u.email);
	snprintf(a.label, sizeof(a.label), "user:%s", u.email);
	return a;
}

static int do_people(struct kk_db *db, struct step *s)
{
	int64_t coord_org, rcv_org, id;
	int rc;
	if ((rc = kk_org_create(db, &sys, "Coordination Center", KK_ORG_COORDINATOR, &coord_org, &s->d)) ||
	    (rc = kk_org_create(db, &sys, "Receiving Office", KK_ORG_RECEIVER, &rcv_org, &s->d)) ||
	    (rc = kk_org_create(db, &sys, "Alpha Soft", KK_ORG_VENDOR, &org_a, &s->d)) ||
	    (rc = kk_org_create(db, &sys, "Beta Systems", KK_ORG_VENDOR, &org_b, &s->d)) ||
	    (rc = kk_org_create(db, &sys, "Gamma Silent", KK_ORG_VENDOR, &org_c, &s->d)))
		return rc;
	struct kk_user_new u[] = {
		{"coord@cc.example", "Coordinator", KK_ROLE_COORDINATOR, coord_org, NULL},
		{"rcv@recv.example", "Receiver", KK_ROLE_RECEIVER, rcv_org, NULL},
		{"psirt@alpha.example", "Alpha PSIRT", KK_ROLE_VENDOR, org_a, NULL},
		{"sec@beta.example", "Beta Sec", KK_ROLE_VENDOR, org_b, NULL},
		{"info@gamma.example", "Gamma", KK_ROLE_VENDOR, org_c, NULL},
	};
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if ((rc = kk_user_create(db, &sys, &u[i], &id, &s->d)))
			return rc;
	return 0;
}

#define PRODUCT_REPORT                                                                                       \
	"{\"kind\":\"product\",\"finder\":{\"name\":\"Hanako Finder\",\"email\":\"hanako@finder.example\"},"   \
	"\"product\":{\"name\":\"RouterOS\",\"version\":\"3.2\",\"vendor\":\"Alpha Soft\"},"                 \
	"\"vulnerability\":{\"cwe\":\"CWE-78\",\"description\":\"OS command injection in ping\","            \
	"\"steps\":\"SECRET-STEPS: host=;id\",\"impact\":\"remote code execution\"},\"policy_ack\":true}"

static int do_submit_accept(struct kk_db *db, struct step *s)
{
	struct kk_report_input in;
	int rc = kk_intake_parse(PRODUCT_REPORT, strlen(PRODUCT_REPORT), &in, &s->d);
	struct kk_report_receipt r;
	if (!rc)
		rc = kk_intake_submit(db, &sys, key, &in, false, "https://kk.example", &r, &s->d);
	kk_intake_input_release(&in);
	if (rc)
		return rc;
	snprintf(s->tracking, sizeof(s->tracking), "%s", r.tracking);
	struct kk_report_action act = {.verb = KK_REPORT_ACCEPT};
	return kk_intake_act(db, &sys, key, r.tracking, &act, &s->d);
}

static int do_add(struct kk_db *db, struct step *s)
{
	return kk_case_add_vendor(db, s->who, s->ref, s->org, NULL, &s->d);
}
static int do_step(struct kk_db *db, struct step *s)
{
	return kk_case_step(db, s->who, s->ref, s->org, &s->st, &s->d);
}
static int do_statement(struct kk_db *db, struct step *s)
{
	return kk_case_statement(db, s->who, s->ref, s->org, 1, "fixed", s->text, "en text", &s->d);
}
static int do_request_date(struct kk_db *db, struct step *s)
{
	return kk_case_request_date(db, s->who, s->ref, s->org, s->when, "need time to ship", &s->id, &s->d);
}
static int do_accept_date(struct kk_db *db, struct step *s)
{
	return kk_case_decide_date(db, s->who, s->ref, s->id, true, NULL, &s->d);
}
static int do_post(struct kk_db *db, struct step *s)
{
	return kk_case_post(db, s->who, s->ref, s->text, s->org, "private note for one vendor", &s->id, &s->d);
}
static int do_cancel(struct kk_db *db, struct step *s)
{
	return kk_case_cancel(db, s->who, key, s->ref, s->text, NULL, &s->d);
}
static int do_cancel_nokey(struct kk_db *db, struct step *s)
{
	return kk_case_cancel(db, s->who, NULL, s->ref, s->text, NULL, &s->d);
}

static int step_as(struct kk_db *db, struct step *s, const struct kk_actor *who, int64_t org, enum kk_pverb verb,
		   enum kk_verification v)
{
	s->who = who;
	s->org = org;
	s->st = (struct kk_case_step){.verb = verb, .verification = v, .accept_terms = true, .text = "update to 3.3"};
	return run(db, s, do_step);
}

static const struct kk_sched_handler jobs[] = {
	{"coord.ack_reminder", kk_coord_job_ack_reminder},
	{"coord.verify_reminder", kk_coord_job_verify_reminder},
	{"coord.date_reminder", kk_coord_job_date_reminder},
};

static void tick(struct kk_db *db, int64_t t)
{
	kk_clock_pin(t);
	struct kk_sched_stats st;
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_sched_run(db, jobs, 3, t, 100, &st, &d), 0);
	assert_int_equal(st.failed + st.retried, 0);
}

struct seen {
	int n;
	char buf[4096];
};
static int seen_statement(void *arg, const struct kk_statement *s)
{
	struct seen *x = arg;
	x->n++;
	strncat(x->buf, s->org_name, sizeof(x->buf) - strlen(x->buf) - 1);
	return 0;
}
static int seen_message(void *arg, const struct kk_case_message *m)
{
	struct seen *x = arg;
	x->n++;
	strncat(x->buf, m->body, sizeof(x->buf) - strlen(x->buf) - 1);
	return 0;
}

static void test_case_flow(void **state)
{
	(void)state;
	struct kk_db *db = fresh("c-flow.db");
	kk_actor_system(&sys, "test");
	struct step s = {0};
	assert_int_equal(run(db, &s, do_people), 0);
	coord = user(db, "coord@cc.example");
	va = user(db, "psirt@alpha.example");
	vb = user(db, "sec@beta.example");
	vc = user(db, "info@gamma.example");

	/* accepting the report opens the case through the opener, in the same transaction */
	kk_intake_set_opener("product", kk_coord_open_from_report);
	assert_int_equal(run(db, &s, do_submit_accept), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff WHERE state = 'opened' AND case_ref = 'KKC-2027-0001'", NULL), 1);
	snprintf(s.ref, sizeof(s.ref), "KKC-2027-0001");
	assert_int_equal(scalar(db, "SELECT publish_at FROM coord_case WHERE ref = ?", s.ref),
			 kk_case_default_date(T0, 45, 11));
	assert_int_equal(scalar(db, "SELECT count(*) FROM job WHERE kind = 'coord.date_reminder' AND state = 'pending'", NULL), 1);

	/* vendors: only a coordinator adds them; each also enters the directory */
	s.who = &va;
	s.org = org_a;
	assert_int_equal(run(db, &s, do_add), KK_EPERM);
	s.who = &coord;
	for (int64_t o = org_a; o <= org_c; o++) {
		s.org = o;
		assert_int_equal(run(db, &s, do_add), 0);
	}
	assert_int_equal(run(db, &s, do_add), KK_EEXISTS);
	struct kk_vendor v;
	assert_int_equal(kk_vendor_get(db, org_c, &v), 0);

	/* a vendor not yet notified sees nothing of the case */
	struct kk_case_info c;
	struct kk_diag d;
	assert_int_equal(kk_case_get(db, &va, s.ref, &c, &d), KK_ENOTFOUND);

	int mail0 = (int)scalar(db, "SELECT count(*) FROM mail_outbox", NULL);
	for (int64_t o = org_a; o <= org_c; o++)
		assert_int_equal(step_as(db, &s, &coord, o, KK_PV_NOTIFY, KK_VER_NONE), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox", NULL), mail0 + 3);
	/* the plain notice never carries the details or the overview text */
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox WHERE body LIKE '%SECRET-STEPS%'", NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM job WHERE kind = 'coord.ack_reminder' AND state = 'pending'", NULL), 3);

	/* vendor A: overview only until it asks and the details are sent */
	assert_int_equal(kk_case_get(db, &va, s.ref, &c, &d), 0);
	assert_null(c.details);
	assert_non_null(strstr(c.overview, "RouterOS"));
	assert_null(strstr(c.overview, "SECRET-STEPS"));
	kk_case_info_release(&c);
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_ACKNOWLEDGE, KK_VER_NONE), 0);
	s.st = (struct kk_case_step){.verb = KK_PV_REQUEST_DETAILS, .accept_terms = false};
	assert_int_equal(run(db, &s, do_step), KK_EINVAL); /* terms not accepted */
	/* vendor A cannot act for vendor B */
	assert_int_equal(step_as(db, &s, &va, org_b, KK_PV_ACKNOWLEDGE, KK_VER_NONE), KK_EPERM);
	/* verify before the details: a conflict naming the state */
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_VERIFY, KK_VER_AFFECTED), KK_ECONFLICT);
	assert_non_null(strstr(s.d.msg, "acknowledged"));
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_REQUEST_DETAILS, KK_VER_NONE), 0);
	assert_int_equal(kk_case_get(db, &va, s.ref, &c, &d), 0);
	assert_null(c.details); /* asked, not yet sent */
	kk_case_info_release(&c);
	/* only the coordinator sends the details */
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_SEND_DETAILS, KK_VER_NONE), KK_EPERM);
	assert_int_equal(step_as(db, &s, &coord, org_a, KK_PV_SEND_DETAILS, KK_VER_NONE), 0);
	assert_int_equal(kk_case_get(db, &va, s.ref, &c, &d), 0);
	assert_non_null(c.details);
	assert_non_null(strstr(c.details, "SECRET-STEPS"));
	kk_case_info_release(&c);
	/* vendor B never asked: never the details */
	assert_int_equal(kk_case_get(db, &vb, s.ref, &c, &d), 0);
	assert_null(c.details);
	kk_case_info_release(&c);

	/* A: affected, fix, statement, ready */
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_VERIFY, KK_VER_AFFECTED), 0);
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_REPORT_FIX, KK_VER_NONE), 0);
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_READY, KK_VER_NONE), KK_ECONFLICT); /* no statement */
	s.text = "アルファの声明 ALPHA-PRIVATE";
	assert_int_equal(run(db, &s, do_statement), 0);
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_READY, KK_VER_NONE), 0);

	/* B: no affected product, statement, ready */
	assert_int_equal(step_as(db, &s, &vb, org_b, KK_PV_NO_AFFECTED, KK_VER_NONE), 0);
	s.text = "ベータは該当なし BETA-PRIVATE";
	assert_int_equal(run(db, &s, do_statement), 0);
	assert_int_equal(step_as(db, &s, &vb, org_b, KK_PV_READY, KK_VER_NONE), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'open'", NULL), 1);

	/* a private thread to A */
	s.who = &coord;
	s.org = org_a;
	s.text = "vendor";
	assert_int_equal(run(db, &s, do_post), 0);

	/* the date moves once, at A's request (before A turned ready the request is still allowed) */
	int64_t old = scalar(db, "SELECT publish_at FROM coord_case WHERE ref = ?", s.ref);
	s.who = &va;
	s.org = org_a;
	s.when = old + 14 * DAY;
	assert_int_equal(run(db, &s, do_request_date), 0);
	int mail1 = (int)scalar(db, "SELECT count(*) FROM mail_outbox", NULL);
	s.who = &vb;
	assert_int_equal(run(db, &s, do_accept_date), KK_EPERM);
	s.who = &coord;
	assert_int_equal(run(db, &s, do_accept_date), 0);
	assert_int_equal(scalar(db, "SELECT publish_at FROM coord_case WHERE ref = ?", s.ref), old + 14 * DAY);
	/* every notified vendor (3) and the receiving organization (1) are told */
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox", NULL), mail1 + 4);
	assert_int_equal(run(db, &s, do_accept_date), KK_ECONFLICT); /* decided already */

	/* C stays silent: 3 reminders, then unreachable and on the public list */
	int64_t t = T0;
	for (int i = 1; i <= 3; i++) {
		t += (i == 1 ? 5 : 3) * DAY;
		tick(db, t);
		assert_int_equal(scalar(db, "SELECT attempts FROM coord_participant WHERE org_id = (SELECT id FROM "
					    "organizations WHERE name = ?)",
					"Gamma Silent"),
				 i);
	}
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_participant WHERE unreachable_at IS NOT NULL", NULL), 0);
	tick(db, t + 3 * DAY);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_participant WHERE unreachable_at IS NOT NULL", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM vendor_unreachable WHERE delisted_at IS NULL", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'ready'", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'case.vendor.unreachable'", NULL), 1);

	/* leaks: B reads only its own statement and none of A's thread */
	assert_int_equal(kk_case_get(db, &vb, s.ref, &c, &d), 0);
	struct seen x = {0};
	assert_int_equal(kk_case_statements(db, &vb, &c, 0, seen_statement, &x), 1);
	assert_null(strstr(x.buf, "Alpha"));
	memset(&x, 0, sizeof(x));
	assert_int_equal(kk_case_messages(db, &vb, &c, NULL, 0, seen_message, &x), 0);
	/* asking for A's participation row explicitly is refused */
	assert_int_equal(kk_case_statements(db, &vb, &c, 1, seen_statement, &x), KK_ENOTFOUND);
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &out);
	assert_int_equal(kk_case_json(db, &vb, &c, &j), 0);
	assert_null(strstr(out.ptr, "ALPHA-PRIVATE"));
	assert_null(strstr(out.ptr, "Alpha Soft"));
	assert_null(strstr(out.ptr, "Gamma"));
	assert_null(strstr(out.ptr, "SECRET-STEPS"));
	assert_null(strstr(out.ptr, "need time to ship")); /* A's request reason */
	assert_non_null(strstr(out.ptr, "BETA-PRIVATE"));
	kk_buf_release(&out);
	kk_case_info_release(&c);
	assert_int_equal(kk_case_get(db, &va, s.ref, &c, &d), 0);
	memset(&x, 0, sizeof(x));
	assert_int_equal(kk_case_messages(db, &va, &c, NULL, 0, seen_message, &x), 1);
	kk_case_info_release(&c);

	/* C answers at last: it resumes, leaves the public list, and the case waits for it again */
	assert_int_equal(step_as(db, &s, &vc, org_c, KK_PV_ACKNOWLEDGE, KK_VER_NONE), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM vendor_unreachable WHERE delisted_at IS NULL", NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'open'", NULL), 1);
	assert_int_equal(step_as(db, &s, &vc, org_c, KK_PV_NO_AFFECTED, KK_VER_NONE), 0);
	s.text = "ガンマ該当なし";
	assert_int_equal(run(db, &s, do_statement), 0);
	assert_int_equal(step_as(db, &s, &vc, org_c, KK_PV_READY, KK_VER_NONE), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'ready'", NULL), 1);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static void test_resume_and_cancel(void **state)
{
	(void)state;
	struct kk_db *db = fresh("c-cancel.db");
	kk_actor_system(&sys, "test");
	struct step s = {0};
	assert_int_equal(run(db, &s, do_people), 0);
	coord = user(db, "coord@cc.example");
	va = user(db, "psirt@alpha.example");
	vb = user(db, "sec@beta.example");
	kk_intake_set_opener("product", kk_coord_open_from_report);
	assert_int_equal(run(db, &s, do_submit_accept), 0);
	snprintf(s.ref, sizeof(s.ref), "KKC-2027-0001");
	s.who = &coord;
	s.org = org_a;
	assert_int_equal(run(db, &s, do_add), 0);
	s.org = org_b;
	assert_int_equal(run(db, &s, do_add), 0);
	assert_int_equal(step_as(db, &s, &coord, org_a, KK_PV_NOTIFY, KK_VER_NONE), 0);
	assert_int_equal(step_as(db, &s, &coord, org_b, KK_PV_NOTIFY, KK_VER_NONE), 0);

	/* A silent until unreachable, then answers: listed, then delisted, and coordination resumes */
	int64_t t = T0;
	for (int i = 0; i < 4; i++) {
		t += (i == 0 ? 5 : 3) * DAY;
		tick(db, t);
	}
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_participant WHERE unreachable_at IS NOT NULL", NULL), 2);
	assert_int_equal(step_as(db, &s, &va, org_a, KK_PV_NO_AFFECTED, KK_VER_NONE), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_participant WHERE unreachable_at IS NOT NULL", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM vendor_unreachable WHERE delisted_at IS NULL", NULL), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'case.vendor.resume'", NULL), 1);

	/* cancel needs every vendor not affected (or every one already known) */
	s.who = &coord;
	s.text = "all_not_affected";
	assert_int_equal(run(db, &s, do_cancel), KK_ECONFLICT);
	assert_int_equal(step_as(db, &s, &vb, org_b, KK_PV_NO_AFFECTED, KK_VER_NONE), 0);
	s.who = &coord;
	s.text = "all_already_known";
	assert_int_equal(run(db, &s, do_cancel), KK_ECONFLICT); /* wrong reason */
	s.text = "all_not_affected";
	int finder_msgs = (int)scalar(db, "SELECT count(*) FROM report_message", NULL);
	int finder_mail = (int)scalar(db, "SELECT count(*) FROM mail_outbox WHERE sealed IS NOT NULL", NULL);
	/* the finder must be told: without the key file nothing changes */
	assert_int_equal(run(db, &s, do_cancel_nokey), KK_EINVAL);
	assert_string_equal(s.d.where, "key");
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'cancelled'", NULL), 0);
	assert_int_equal(run(db, &s, do_cancel), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case WHERE state = 'cancelled'", NULL), 1);
	/* the coordinator tells the finder through intake's relay: the report's thread, sealed mail, a copy */
	assert_int_equal(scalar(db, "SELECT count(*) FROM report_message", NULL), finder_msgs + 1);
	assert_int_equal(scalar(db,
				"SELECT count(*) FROM report_message WHERE kind = 'message' AND body LIKE "
				"'調整機関からのお知らせ (案件 KKC-2027-0001): %すべての製品開発者が該当製品なしと回答%"
				"Reason: every vendor reported no affected product.'",
				NULL),
			 1); /* a Japanese report: Japanese first */
	assert_int_equal(scalar(db, "SELECT count(*) FROM mail_outbox WHERE sealed IS NOT NULL", NULL), finder_mail + 1);
	assert_int_equal(scalar(db,
				"SELECT count(*) FROM coord_message WHERE thread = 'coordinators' AND report_id IS NOT NULL "
				"AND from_finder = 0 AND body LIKE '%公表を取りやめます%'",
				NULL),
			 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'case.cancel' AND summary LIKE "
				    "'%receiving organization and 1 finder told'",
				NULL),
			 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM job WHERE kind LIKE 'coord.%' AND state = 'pending'", NULL), 0);
	kk_db_close(db);
	kk_clock_pin(-1);
}

static int do_open_pending(struct kk_db *db, struct step *s)
{
	int n = kk_intake_open_pending(db, s->who, "product", NULL, NULL, &s->d);
	s->id = n;
	return n < 0 ? n : 0;
}
static int do_open_by_hand(struct kk_db *db, struct step *s)
{
	const char *t[] = {s->tracking};
	return kk_case_open(db, s->who, t, 1, s->ref, &s->d);
}

/* Hand-offs recorded while no opener was registered (a database from before coordination) get their case. */
static void test_pending_handoffs(void **state)
{
	(void)state;
	struct kk_db *db = fresh("c-pending.db");
	kk_actor_system(&sys, "test");
	struct step s = {0};
	assert_int_equal(run(db, &s, do_people), 0);
	coord = user(db, "coord@cc.example");
	va = user(db, "psirt@alpha.example");
	kk_intake_set_opener("product", NULL);
	assert_int_equal(run(db, &s, do_submit_accept), 0);
	char first[KK_TRACKING_MAX];
	snprintf(first, sizeof(first), "%s", s.tracking);
	assert_int_equal(run(db, &s, do_submit_accept), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff WHERE state = 'pending'", NULL), 2);
	assert_int_equal(kk_intake_pending_handoffs(db, "product"), 2);
	s.who = &coord;
	assert_int_equal(run(db, &s, do_open_pending), KK_EINVAL); /* no opener: nothing can be opened */

	kk_intake_set_opener("product", kk_coord_open_from_report);
	/* the second report was put in a case by hand: that is its case, and its hand-off is done */
	assert_int_equal(run(db, &s, do_open_by_hand), 0);
	assert_string_equal(s.ref, "KKC-2027-0001");
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff WHERE state = 'opened' AND case_ref = 'KKC-2027-0001'", NULL), 1);
	s.who = &va;
	assert_int_equal(run(db, &s, do_open_pending), KK_EPERM); /* a vendor may not */
	s.who = &coord;
	assert_int_equal(run(db, &s, do_open_pending), 0);
	assert_int_equal(s.id, 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM case_handoff WHERE state = 'pending'", NULL), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM coord_case_report x JOIN coord_case c ON c.id = x.case_id "
				    "WHERE c.ref = 'KKC-2027-0002' AND x.tracking = ?", first), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'report.handoff'", NULL), 1);
	assert_int_equal(kk_intake_pending_handoffs(db, "product"), 0);
	assert_int_equal(run(db, &s, do_open_pending), 0);
	assert_int_equal(s.id, 0); /* nothing twice */
	kk_db_close(db);
	kk_clock_pin(-1);
}

int main(void)
{
	memset(key, 7, sizeof(key));
	setenv("KEIKAI_TEST_FAST_HASH", "1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_default_date),
		cmocka_unit_test(test_cancel_rule),
		cmocka_unit_test(test_case_flow),
		cmocka_unit_test(test_resume_and_cancel),
		cmocka_unit_test(test_pending_handoffs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
