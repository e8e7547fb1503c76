/* u-auth.c — organizations, users, passwords, sessions (expiry with a pinned clock), API tokens, rate limits. */
#include "testutil.h"
#include "auth/audit.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/rand.h"
#include "base/str.h"
#include "store/db.h"
#include "store/migrate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1800000000 /* 2027-01-15T08:00:00Z */
#define PW "correct horse battery staple"

static struct kk_actor sys;

static struct kk_db *fresh(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/a.db", tu_tmpdir());
	struct kk_db *db;
	assert_int_equal(kk_db_open(path, KK_DB_CREATE, &db), 0);
	struct kk_diag d;
	assert_true(kk_migrate_run(db, path, NULL, NULL, NULL, &d) > 0);
	struct kk_auth_config c;
	kk_auth_config_default(&c);
	kk_auth_configure(&c);
	kk_clock_pin(T0);
	return db;
}

/* ---- transaction wrappers: the auth functions must run inside kk_db_tx ---- */

struct mk_org {
	const char *name;
	enum kk_org_kind kind;
	int64_t id;
	struct kk_diag d;
};
static int mk_org_fn(struct kk_db *db, void *arg)
{
	struct mk_org *m = arg;
	kk_diag_clear(&m->d);
	return kk_org_create(db, &sys, m->name, m->kind, &m->id, &m->d);
}
static int mk_org(struct kk_db *db, const char *name, enum kk_org_kind kind, int64_t *id, struct kk_diag *d)
{
	struct mk_org m = {name, kind, 0, {0}};
	int rc = kk_db_tx(db, mk_org_fn, &m);
	if (id)
		*id = m.id;
	if (d)
		*d = m.d;
	return rc;
}

struct mk_user {
	struct kk_user_new u;
	int64_t id;
	struct kk_diag d;
};
static int mk_user_fn(struct kk_db *db, void *arg)
{
	struct mk_user *m = arg;
	kk_diag_clear(&m->d);
	return kk_user_create(db, &sys, &m->u, &m->id, &m->d);
}
static int mk_user(struct kk_db *db, const char *email, enum kk_role role, int64_t org, const char *pw, int64_t *id,
		   struct kk_diag *d)
{
	char hash[KK_PASSWORD_HASH_MAX];
	if (pw)
		assert_int_equal(kk_password_hash(pw, hash), 0);
	struct mk_user m = {{email, "Test User", role, org, pw ? hash : NULL}, 0, {0}};
	int rc = kk_db_tx(db, mk_user_fn, &m);
	if (id)
		*id = m.id;
	if (d)
		*d = m.d;
	return rc;
}

struct call {
	int (*fn)(struct kk_db *db, struct call *c);
	const struct kk_actor *by;
	int64_t user_id, token_id;
	const char *text;
	bool flag;
	char token[KK_API_TOKEN_MAX];
};
static int call_fn(struct kk_db *db, void *arg)
{
	struct call *c = arg;
	return c->fn(db, c);
}
static int do_disable(struct kk_db *db, struct call *c)
{
	return kk_user_set_disabled(db, c->by, c->user_id, c->flag);
}
static int do_passwd(struct kk_db *db, struct call *c)
{
	return kk_user_set_password(db, c->by, c->user_id, c->text);
}
static int do_logout(struct kk_db *db, struct call *c)
{
	return kk_session_destroy(db, c->by, c->text);
}
static int do_token(struct kk_db *db, struct call *c)
{
	return kk_token_create(db, c->by, c->user_id, c->text, c->token, &c->token_id);
}
static int do_revoke(struct kk_db *db, struct call *c)
{
	return kk_token_revoke(db, c->by, c->user_id, c->token_id);
}
static int do_sweep(struct kk_db *db, struct call *c)
{
	(void)c;
	return kk_session_sweep(db);
}
static int run(struct kk_db *db, struct call c)
{
	return kk_db_tx(db, call_fn, &c);
}

static int64_t one_int(struct kk_db *db, const char *sql, const char *arg)
{
	struct kk_stmt *st;
	assert_int_equal(kk_db_prepare(db, sql, &st), 0);
	if (arg)
		kk_stmt_bind_text(st, 1, arg, -1);
	assert_int_equal(kk_stmt_step(st), KK_ROW);
	int64_t v = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return v;
}

static int login(struct kk_db *db, const char *email, const char *pw, const char *addr, struct kk_session_new *s)
{
	struct kk_login in = {email, pw, addr};
	return kk_auth_login(db, &in, s);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	enum kk_org_kind k;
	for (int i = 1; i < KK_ORG__COUNT; i++) {
		assert_int_equal(kk_org_kind_parse(kk_org_kind_name((enum kk_org_kind)i), &k), 0);
		assert_int_equal(k, i);
		assert_non_null(strstr(kk_org_kind_choices(), kk_org_kind_name(k)));
	}
	assert_int_equal(kk_org_kind_parse("bank", &k), KK_EINVAL);
	enum kk_role r;
	for (int i = 1; i < KK_ROLE__COUNT; i++) {
		assert_int_equal(kk_role_parse(kk_role_name((enum kk_role)i), &r), 0);
		assert_non_null(strstr(kk_role_choices(), kk_role_name(r)));
	}
	assert_string_equal(kk_actor_public.label, "public");
	assert_false(kk_actor_signed_in(&kk_actor_public));
}

static void test_orgs(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t acme, ipa;
	struct kk_diag d;
	assert_int_equal(mk_org(db, "  Acme Corp ", KK_ORG_VENDOR, &acme, &d), 0);
	assert_int_equal(mk_org(db, "IPA", KK_ORG_RECEIVER, &ipa, &d), 0);
	assert_int_equal(mk_org(db, "Acme Corp", KK_ORG_OPERATOR, NULL, &d), KK_EEXISTS);
	assert_non_null(strstr(d.msg, "'Acme Corp' already exists"));
	assert_int_equal(mk_org(db, "   ", KK_ORG_VENDOR, NULL, &d), KK_EINVAL);
	assert_int_equal(mk_org(db, "X", KK_ORG_NONE, NULL, &d), KK_EINVAL);
	assert_int_equal(mk_org(db, "Bad\nName", KK_ORG_VENDOR, NULL, &d), KK_EINVAL);
	struct kk_org o;
	assert_int_equal(kk_org_find(db, "Acme Corp", &o), 0); /* stored trimmed */
	assert_int_equal(o.id, acme);
	assert_int_equal(o.kind, KK_ORG_VENDOR);
	assert_int_equal(o.created_at, T0);
	assert_int_equal(kk_org_get(db, ipa, &o), 0);
	assert_string_equal(o.name, "IPA");
	assert_int_equal(kk_org_get(db, 999, &o), KK_ENOTFOUND);
	assert_int_equal(kk_org_find(db, "acme corp", &o), KK_ENOTFOUND); /* names are exact */
	/* outside a transaction: refused */
	int64_t id;
	assert_int_equal(kk_org_create(db, &sys, "Loose", KK_ORG_VENDOR, &id, &d), KK_EINVAL);
	assert_int_equal(one_int(db, "SELECT count(*) FROM organizations", NULL), 2);
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE action = 'org.create'", NULL), 2);
	kk_db_close(db);
}

static void test_passwords(void **state)
{
	(void)state;
	struct kk_diag d;
	assert_int_equal(kk_password_check("short", &d), KK_EINVAL);
	assert_non_null(strstr(d.msg, "has 5 characters; use at least 12"));
	assert_int_equal(kk_password_check("日本語のパスワードです", &d), KK_EINVAL); /* 11 code points */
	assert_int_equal(kk_password_check("日本語のパスワードですよ", &d), 0);
	assert_int_equal(kk_password_check("abcdefghijk\xff", &d), KK_EINVAL);
	char big[KK_PASSWORD_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(kk_password_check(big, &d), KK_EINVAL);
	char h1[KK_PASSWORD_HASH_MAX], h2[KK_PASSWORD_HASH_MAX];
	assert_int_equal(kk_password_hash(PW, h1), 0);
	assert_int_equal(kk_password_hash(PW, h2), 0);
	assert_true(kk_starts_with(h1, "$argon2id$"));
	assert_string_not_equal(h1, h2); /* salted */
	assert_true(kk_password_verify(h1, PW));
	assert_false(kk_password_verify(h1, PW "!"));
	assert_false(kk_password_verify("", PW));
	assert_false(kk_password_verify(NULL, PW));
	assert_int_equal(kk_password_hash("short", h1), KK_EINVAL);
	char gen[32], gen2[32];
	kk_password_generate(gen, sizeof(gen));
	kk_password_generate(gen2, sizeof(gen2));
	assert_int_equal(strlen(gen), 20);
	assert_string_not_equal(gen, gen2);
	assert_int_equal(kk_password_check(gen, NULL), 0);
}

static void test_users(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t acme, ipa, admin, vendor;
	struct kk_diag d;
	assert_int_equal(mk_org(db, "Acme", KK_ORG_VENDOR, &acme, NULL), 0);
	assert_int_equal(mk_org(db, "IPA", KK_ORG_RECEIVER, &ipa, NULL), 0);
	assert_int_equal(mk_user(db, "Admin@Example.ORG", KK_ROLE_ADMIN, 0, PW, &admin, &d), 0);
	assert_int_equal(mk_user(db, "v@acme.example", KK_ROLE_VENDOR, acme, PW, &vendor, &d), 0);
	assert_int_equal(mk_user(db, "admin@example.org", KK_ROLE_RECEIVER, ipa, PW, NULL, &d), KK_EEXISTS);
	assert_non_null(strstr(d.msg, "admin@example.org already exists"));
	assert_int_equal(mk_user(db, "x@acme.example", KK_ROLE_VENDOR, 0, PW, NULL, &d), KK_EINVAL);
	assert_string_equal(d.where, "org");
	assert_int_equal(mk_user(db, "x@acme.example", KK_ROLE_VENDOR, ipa, PW, NULL, &d), KK_EINVAL);
	assert_non_null(strstr(d.msg, "'IPA' is a receiver organization"));
	assert_int_equal(mk_user(db, "x@acme.example", KK_ROLE_VENDOR, 777, PW, NULL, &d), KK_ENOTFOUND);
	const char *bad_emails[] = {"", "plain", "@example.org", "a@", "a@b", "a b@example.org", "a@@example.org",
				    "a@example.org.", "a<b>@example.org"};
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		assert_int_equal(mk_user(db, bad_emails[i], KK_ROLE_REPORTER, 0, NULL, NULL, &d), KK_EINVAL);
		assert_string_equal(d.where, "email");
	}
	assert_int_equal(mk_user(db, "r@example.org", KK_ROLE_PUBLIC, 0, NULL, NULL, &d), KK_EINVAL);
	struct kk_user u;
	assert_int_equal(kk_user_find(db, "ADMIN@example.org", &u), 0);
	assert_int_equal(u.id, admin);
	assert_string_equal(u.email, "admin@example.org"); /* stored lower-case */
	assert_int_equal(u.role, KK_ROLE_ADMIN);
	assert_int_equal(u.org_id, 0);
	assert_int_equal(kk_user_get(db, vendor, &u), 0);
	assert_string_equal(u.org_name, "Acme");
	assert_int_equal(u.org_kind, KK_ORG_VENDOR);
	assert_false(u.disabled);
	assert_int_equal(kk_user_get(db, 999, &u), KK_ENOTFOUND);
	/* the hash is stored, never in the audit log */
	assert_int_equal(one_int(db, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'", NULL), 2);
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE after LIKE '%argon2%' OR before LIKE "
				     "'%argon2%'",
				 NULL),
			 0);
	/* check_password */
	assert_int_equal(kk_user_check_password(db, admin, PW), 0);
	assert_int_equal(kk_user_check_password(db, admin, "wrong password here"), KK_EAUTH);
	/* disable / enable */
	assert_int_equal(run(db, (struct call){do_disable, &sys, vendor, 0, NULL, true, ""}), 0);
	assert_int_equal(kk_user_get(db, vendor, &u), 0);
	assert_true(u.disabled);
	assert_int_equal(run(db, (struct call){do_disable, &sys, 999, 0, NULL, true, ""}), KK_ENOTFOUND);
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE action = 'user.disable' AND"
				     " before LIKE '%\"disabled\":false%' AND after LIKE '%\"disabled\":true%'",
				 NULL),
			 1);
	assert_int_equal(kk_user_set_disabled(db, &sys, vendor, false), KK_EINVAL); /* not in a tx */
	kk_db_close(db);
}

static int count_users(void *arg, const struct kk_user *u)
{
	int *n = arg;
	(void)u;
	return ++*n >= 100 ? 7 : 0;
}

static void test_user_list(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	assert_int_equal(mk_user(db, "b@example.org", KK_ROLE_ADMIN, 0, NULL, NULL, NULL), 0);
	assert_int_equal(mk_user(db, "a@example.org", KK_ROLE_REPORTER, 0, NULL, NULL, NULL), 0);
	int n = 0;
	assert_int_equal(kk_user_list(db, count_users, &n), 0);
	assert_int_equal(n, 2);
	n = 99; /* the callback stops the walk and its value comes back */
	assert_int_equal(kk_user_list(db, count_users, &n), 7);
	kk_db_close(db);
}

static void test_sessions(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t id;
	assert_int_equal(mk_user(db, "s@example.org", KK_ROLE_RECEIVER, 0, PW, &id, NULL), 0);
	struct kk_session_new s;
	assert_int_equal(login(db, "S@example.org", PW, "192.0.2.1", &s), 0);
	assert_int_equal(strlen(s.token), 43);
	assert_int_equal(strlen(s.csrf), 43);
	assert_int_equal(s.expires_at, T0 + 7 * 86400);
	assert_int_equal(s.actor.user_id, id);
	assert_string_equal(s.actor.label, "user:s@example.org");
	/* only the hash of the token is stored */
	assert_int_equal(one_int(db, "SELECT count(*) FROM sessions WHERE id = ?", s.token), 0);
	char hashed[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(s.token, hashed);
	assert_int_equal(one_int(db, "SELECT count(*) FROM sessions WHERE id = ?", hashed), 1);
	assert_string_equal(s.actor.session_id, hashed);

	struct kk_actor a;
	assert_int_equal(kk_session_lookup(db, s.token, &a), 0);
	assert_int_equal(a.user_id, id);
	assert_int_equal(a.role, KK_ROLE_RECEIVER);
	assert_string_equal(a.csrf, s.csrf);
	assert_true(kk_csrf_ok(&a, s.csrf));
	assert_false(kk_csrf_ok(&a, "x"));
	assert_false(kk_csrf_ok(&a, NULL));
	assert_false(kk_csrf_ok(&kk_actor_public, ""));
	assert_int_equal(kk_session_lookup(db, "not-a-session", &a), KK_EAUTH);
	assert_int_equal(a.role, KK_ROLE_PUBLIC);
	assert_int_equal(kk_session_lookup(db, NULL, &a), KK_EAUTH);

	/* idle expiry: 12 h without use ends it; use moves the idle end */
	kk_clock_pin(T0 + 11 * 3600);
	assert_int_equal(kk_session_lookup(db, s.token, &a), 0); /* touches last_seen */
	kk_clock_pin(T0 + 22 * 3600);
	assert_int_equal(kk_session_lookup(db, s.token, &a), 0);
	kk_clock_pin(T0 + 22 * 3600 + 12 * 3600);
	assert_int_equal(kk_session_lookup(db, s.token, &a), KK_EAUTH);

	/* absolute expiry: used every 11 h, it still ends after 7 days */
	kk_clock_pin(T0);
	assert_int_equal(login(db, "s@example.org", PW, "192.0.2.1", &s), 0);
	int64_t t = T0;
	for (; t < T0 + 7 * 86400 - 11 * 3600; t += 11 * 3600) {
		kk_clock_pin(t);
		assert_int_equal(kk_session_lookup(db, s.token, &a), 0);
	}
	kk_clock_pin(T0 + 7 * 86400);
	assert_int_equal(kk_session_lookup(db, s.token, &a), KK_EAUTH);
	/* a shorter configured idle time applies */
	kk_clock_pin(T0 + 8 * 86400);
	struct kk_auth_config c;
	kk_auth_config_default(&c);
	c.session_idle = 600;
	kk_auth_configure(&c);
	assert_int_equal(login(db, "s@example.org", PW, NULL, &s), 0);
	kk_clock_pin(T0 + 8 * 86400 + 599);
	assert_int_equal(kk_session_lookup(db, s.token, &a), 0);
	kk_clock_pin(T0 + 8 * 86400 + 599 + 600);
	assert_int_equal(kk_session_lookup(db, s.token, &a), KK_EAUTH);
	kk_auth_config_default(&c);
	kk_auth_configure(&c);

	/* sweep removes what expired (by the configuration in force) */
	kk_clock_pin(T0 + 9 * 86400);
	/* the logins already removed the user's two dead sessions (and the attempts older than a day) */
	assert_int_equal(one_int(db, "SELECT count(*) FROM sessions", NULL), 1);
	assert_int_equal(one_int(db, "SELECT count(*) FROM login_attempts", NULL), 1);
	assert_int_equal(run(db, (struct call){do_sweep, &sys, 0, 0, NULL, false, ""}), 1);
	assert_int_equal(one_int(db, "SELECT count(*) FROM sessions", NULL), 0);

	/* logout */
	kk_clock_pin(T0 + 9 * 86400);
	assert_int_equal(login(db, "s@example.org", PW, NULL, &s), 0);
	assert_int_equal(kk_session_lookup(db, s.token, &a), 0);
	assert_int_equal(run(db, (struct call){do_logout, &a, 0, 0, s.token, false, ""}), 0);
	assert_int_equal(kk_session_lookup(db, s.token, &a), KK_EAUTH);
	assert_int_equal(run(db, (struct call){do_logout, &a, 0, 0, s.token, false, ""}), 0); /* again: fine */
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE action = 'session.delete'", NULL), 1);

	/* a password change ends the other sessions, keeps the one making the change */
	struct kk_session_new s1, s2;
	assert_int_equal(login(db, "s@example.org", PW, NULL, &s1), 0);
	assert_int_equal(login(db, "s@example.org", PW, NULL, &s2), 0);
	struct kk_actor me;
	assert_int_equal(kk_session_lookup(db, s1.token, &me), 0);
	char hash[KK_PASSWORD_HASH_MAX];
	assert_int_equal(kk_password_hash("a brand new passphrase", hash), 0);
	assert_int_equal(run(db, (struct call){do_passwd, &me, id, 0, hash, false, ""}), 0);
	assert_int_equal(kk_session_lookup(db, s1.token, &a), 0);
	assert_int_equal(kk_session_lookup(db, s2.token, &a), KK_EAUTH);
	assert_int_equal(login(db, "s@example.org", PW, NULL, &s), KK_EAUTH);
	assert_int_equal(login(db, "s@example.org", "a brand new passphrase", NULL, &s), 0);
	/* disabling ends every session and refuses logins */
	assert_int_equal(run(db, (struct call){do_disable, &sys, id, 0, NULL, true, ""}), 0);
	assert_int_equal(kk_session_lookup(db, s1.token, &a), KK_EAUTH);
	assert_int_equal(login(db, "s@example.org", "a brand new passphrase", NULL, &s), KK_EAUTH);
	assert_string_equal(s.token, "");
	kk_db_close(db);
}

static void test_login_failures(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	assert_int_equal(mk_user(db, "f@example.org", KK_ROLE_VENDOR, 0, PW, NULL, NULL), KK_EINVAL); /* needs org */
	assert_int_equal(mk_user(db, "f@example.org", KK_ROLE_REPORTER, 0, PW, NULL, NULL), 0);
	assert_int_equal(mk_user(db, "nopw@example.org", KK_ROLE_REPORTER, 0, NULL, NULL, NULL), 0);
	struct kk_session_new s;
	assert_int_equal(login(db, "nobody@example.org", PW, "198.51.100.7", &s), KK_EAUTH);
	assert_int_equal(login(db, "f@example.org", "not the password", "198.51.100.7", &s), KK_EAUTH);
	assert_int_equal(login(db, "nopw@example.org", "", "198.51.100.7", &s), KK_EAUTH);
	assert_int_equal(login(db, "f@example.org", NULL, NULL, &s), KK_EAUTH);
	assert_int_equal(one_int(db, "SELECT count(*) FROM login_attempts WHERE ok = 0", NULL), 4);
	assert_int_equal(one_int(db, "SELECT count(*) FROM sessions", NULL), 0);
	kk_db_close(db);
}

static void test_rate_limits(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	assert_int_equal(mk_user(db, "r@example.org", KK_ROLE_REPORTER, 0, PW, NULL, NULL), 0);
	struct kk_session_new s;
	/* per (account, address): 10 free tries from one address, spread over 10 minutes */
	for (int i = 0; i < 10; i++) {
		kk_clock_pin(T0 + i * 60);
		assert_int_equal(login(db, "r@example.org", "wrong wrong wrong", "203.0.113.1", &s), KK_EAUTH);
	}
	kk_clock_pin(T0 + 9 * 60 + 10);
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.1", &s), KK_ERATE); /* even the right one */
	assert_int_equal(s.retry_after, 20);                                            /* 30 s after the last */
	assert_int_equal(login(db, "R@EXAMPLE.ORG", PW, "203.0.113.1", &s), KK_ERATE);
	/* nobody can lock the owner out: another address signs in at once */
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.2", &s), 0);
	/* after the wait one more try; each failure doubles the wait: 30, 60, 120 ... */
	kk_clock_pin(T0 + 9 * 60 + 30);
	assert_int_equal(login(db, "r@example.org", "wrong wrong wrong", "203.0.113.1", &s), KK_EAUTH);
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.1", &s), KK_ERATE);
	assert_int_equal(s.retry_after, 60);
	kk_clock_pin(T0 + 9 * 60 + 90);
	assert_int_equal(login(db, "r@example.org", "wrong wrong wrong", "203.0.113.1", &s), KK_EAUTH);
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.1", &s), KK_ERATE);
	assert_int_equal(s.retry_after, 120);
	/* a success from the address starts afresh */
	kk_clock_pin(T0 + 3 * 3600);
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.1", &s), 0);
	assert_int_equal(login(db, "r@example.org", "wrong wrong wrong", "203.0.113.1", &s), KK_EAUTH);
	assert_int_equal(login(db, "r@example.org", PW, "203.0.113.1", &s), 0);

	/* per address: 30 failures across accounts, then that address waits for any account */
	kk_clock_pin(T0 + 5 * 3600);
	for (int i = 0; i < 30; i++) {
		char email[64];
		snprintf(email, sizeof(email), "guess%d@example.org", i);
		assert_int_equal(login(db, email, "whatever whatever", "198.51.100.66", &s), KK_EAUTH);
	}
	assert_int_equal(login(db, "r@example.org", PW, "198.51.100.66", &s), KK_ERATE);
	assert_int_equal(s.retry_after, 30);
	assert_int_equal(login(db, "r@example.org", PW, "198.51.100.67", &s), 0); /* another address is fine */
	kk_clock_pin(T0 + 5 * 3600 + 31);
	assert_int_equal(login(db, "r@example.org", PW, "198.51.100.66", &s), 0);
	/* configurable */
	struct kk_auth_config c;
	kk_auth_config_default(&c);
	c.max_fail_account = 2;
	kk_auth_configure(&c);
	assert_int_equal(login(db, "r@example.org", "nope nope nope", NULL, &s), KK_EAUTH);
	assert_int_equal(login(db, "r@example.org", "nope nope nope", NULL, &s), KK_EAUTH);
	assert_int_equal(login(db, "r@example.org", PW, NULL, &s), KK_ERATE);
	assert_int_equal(kk_auth_config()->max_fail_account, 2);
	kk_auth_config_default(&c);
	kk_auth_configure(&c);
	kk_db_close(db);
}

static int collect_tokens(void *arg, const struct kk_token_info *t)
{
	struct kk_token_info *out = arg;
	out[0].id++; /* count in the first slot's id field */
	out[out[0].id] = *t;
	return 0;
}

static void test_tokens(void **state)
{
	(void)state;
	struct kk_db *db = fresh();
	int64_t id, other;
	assert_int_equal(mk_user(db, "t@example.org", KK_ROLE_COORDINATOR, 0, PW, &id, NULL), 0);
	assert_int_equal(mk_user(db, "o@example.org", KK_ROLE_COORDINATOR, 0, PW, &other, NULL), 0);
	struct call c = {do_token, &sys, id, 0, "ci script", false, ""};
	assert_int_equal(kk_db_tx(db, call_fn, &c), 0);
	assert_true(kk_starts_with(c.token, "kk_"));
	assert_int_equal(strlen(c.token), 46);
	assert_true(c.token_id > 0);
	char token[KK_API_TOKEN_MAX];
	strcpy(token, c.token);
	/* stored hashed only */
	assert_int_equal(one_int(db, "SELECT count(*) FROM api_tokens WHERE token_hash = ?", token), 0);
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE summary LIKE '%' || ? || '%' OR after LIKE "
				     "'%' || ? || '%'",
				 token + 3),
			 0);
	struct kk_actor a;
	kk_clock_pin(T0 + 100);
	assert_int_equal(kk_token_lookup(db, token, &a), 0);
	assert_int_equal(a.user_id, id);
	assert_int_equal(a.token_id, c.token_id);
	assert_string_equal(a.session_id, "");
	assert_int_equal(kk_token_lookup(db, "kk_wrong", &a), KK_EAUTH);
	assert_int_equal(kk_token_lookup(db, "Bearer x", &a), KK_EAUTH);
	assert_int_equal(kk_token_lookup(db, NULL, &a), KK_EAUTH);
	struct kk_token_info list[8] = {0};
	assert_int_equal(kk_token_list(db, id, collect_tokens, list), 0);
	assert_int_equal(list[0].id, 1);
	assert_string_equal(list[1].name, "ci script");
	assert_int_equal(strlen(list[1].prefix), KK_API_TOKEN_PREFIX_LEN);
	assert_memory_equal(list[1].prefix, token, KK_API_TOKEN_PREFIX_LEN);
	assert_int_equal(list[1].created_at, T0);
	assert_int_equal(list[1].last_used, T0 + 100);
	assert_int_equal(list[1].revoked_at, 0);
	/* bad name */
	c = (struct call){do_token, &sys, id, 0, "", false, ""};
	assert_int_equal(kk_db_tx(db, call_fn, &c), KK_EINVAL);
	assert_string_equal(c.token, "");
	c = (struct call){do_token, &sys, 999, 0, "x", false, ""};
	assert_int_equal(kk_db_tx(db, call_fn, &c), KK_ENOTFOUND);
	/* revoke: only the owner's id matches */
	int64_t tid = list[1].id;
	assert_int_equal(run(db, (struct call){do_revoke, &sys, other, tid, NULL, false, ""}), KK_ENOTFOUND);
	assert_int_equal(kk_token_lookup(db, token, &a), 0);
	assert_int_equal(run(db, (struct call){do_revoke, &sys, id, tid, NULL, false, ""}), 0);
	assert_int_equal(kk_token_lookup(db, token, &a), KK_EAUTH);
	assert_int_equal(run(db, (struct call){do_revoke, &sys, id, tid, NULL, false, ""}), KK_ENOTFOUND);
	memset(list, 0, sizeof(list));
	assert_int_equal(kk_token_list(db, id, collect_tokens, list), 0);
	assert_int_equal(list[1].revoked_at, T0 + 100);
	/* a disabled user's tokens stop working, and stay dead when the user is enabled again (issue 23) */
	c = (struct call){do_token, &sys, id, 0, "second", false, ""};
	assert_int_equal(kk_db_tx(db, call_fn, &c), 0);
	assert_int_equal(kk_token_lookup(db, c.token, &a), 0);
	assert_int_equal(run(db, (struct call){do_disable, &sys, id, 0, NULL, true, ""}), 0);
	assert_int_equal(kk_token_lookup(db, c.token, &a), KK_EAUTH);
	assert_int_equal(run(db, (struct call){do_disable, &sys, id, 0, NULL, false, ""}), 0);
	assert_int_equal(kk_token_lookup(db, c.token, &a), KK_EAUTH);
	assert_int_equal(one_int(db, "SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL", NULL), 0);
	assert_int_equal(one_int(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'token.%'", NULL), 3);
	kk_db_close(db);
}

int main(void)
{
	setenv("KEIKAI_TEST_FAST_HASH", "1", 1);
	if (kk_random_init())
		return 1;
	kk_actor_system(&sys, "unit-test");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	 cmocka_unit_test(test_orgs),	       cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_users),	 cmocka_unit_test(test_user_list),      cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_login_failures), cmocka_unit_test(test_rate_limits), cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
