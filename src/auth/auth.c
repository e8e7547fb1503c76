/*
 * auth.c — organizations, users, passwords (argon2id), server-side sessions,
 * API tokens and login rate limits over the store API. See auth.h.
 */
#include "auth/auth.h"
#include "auth/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/utf8.h"
#include "store/db.h"
#include <ctype.h>
#include <pthread.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOUCH_EVERY 60 /* seconds between last_seen / last_used updates */

/* ---- roles and kinds -------------------------------------------------- */

static const char *const role_names[] = {
#define X(n, s) s,
	KK_ROLES(X)
#undef X
};
static const char *const kind_names[] = {
	"",
#define X(n, s) s,
	KK_ORG_KINDS(X)
#undef X
};

const char *kk_role_name(enum kk_role r)
{
	return (unsigned)r < KK_ROLE__COUNT ? role_names[r] : "?";
}

int kk_role_parse(const char *s, enum kk_role *out)
{
	for (int i = KK_ROLE_PUBLIC + 1; s && i < KK_ROLE__COUNT; i++)
		if (!strcmp(s, role_names[i])) {
			*out = (enum kk_role)i;
			return 0;
		}
	return KK_EINVAL;
}

const char *kk_role_choices(void)
{
	return "admin|receiver|coordinator|vendor|operator|reporter|infrastructure";
}

const char *kk_org_kind_name(enum kk_org_kind k)
{
	return (unsigned)k < KK_ORG__COUNT ? kind_names[k] : "?";
}

int kk_org_kind_parse(const char *s, enum kk_org_kind *out)
{
	for (int i = 1; s && i < KK_ORG__COUNT; i++)
		if (!strcmp(s, kind_names[i])) {
			*out = (enum kk_org_kind)i;
			return 0;
		}
	return KK_EINVAL;
}

const char *kk_org_kind_choices(void)
{
	return "vendor|operator|receiver|coordinator|infrastructure";
}

/* ---- actors ----------------------------------------------------------- */

const struct kk_actor kk_actor_public = {.role = KK_ROLE_PUBLIC, .label = "public"};

void kk_actor_system(struct kk_actor *a, const char *unix_user)
{
	memset(a, 0, sizeof(*a));
	a->role = KK_ROLE_ADMIN;
	a->system = true;
	char pwbuf[1024];
	struct passwd pwd, *found = NULL;
	if ((!unix_user || !*unix_user) && !getpwuid_r(getuid(), &pwd, pwbuf, sizeof(pwbuf), &found) && found)
		unix_user = found->pw_name;
	if (!unix_user || !*unix_user)
		unix_user = getenv("USER");
	if (unix_user && *unix_user)
		snprintf(a->label, sizeof(a->label), "cli:%.64s", unix_user);
	else
		snprintf(a->label, sizeof(a->label), "cli:uid%ld", (long)getuid());
	kk_strlcpy(a->name, a->label, sizeof(a->name));
}

static void actor_from_user(const struct kk_user *u, struct kk_actor *a)
{
	memset(a, 0, sizeof(*a));
	a->user_id = u->id;
	a->role = u->role;
	a->org_id = u->org_id;
	a->org_kind = u->org_kind;
	kk_strlcpy(a->email, u->email, sizeof(a->email));
	kk_strlcpy(a->name, u->name, sizeof(a->name));
	kk_strlcpy(a->org_name, u->org_name, sizeof(a->org_name));
	snprintf(a->label, sizeof(a->label), "user:%s", u->email);
}

/* ---- configuration ---------------------------------------------------- */

static struct kk_auth_config config = {12 * 3600, 7 * 86400, 15 * 60, 10, 30};

void kk_auth_config_default(struct kk_auth_config *c)
{
	*c = (struct kk_auth_config){12 * 3600, 7 * 86400, 15 * 60, 10, 30};
}

void kk_auth_configure(const struct kk_auth_config *c)
{
	config = *c;
}

const struct kk_auth_config *kk_auth_config(void)
{
	return &config;
}

/* ---- secrets and passwords -------------------------------------------- */

void kk_auth_secret_hash(const char *secret, char out[KK_SESSION_ID_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(out, KK_SESSION_ID_HEX, h, sizeof(h));
}

static size_t code_points(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int kk_password_check(const char *pw, struct kk_diag *d)
{
	if (!pw)
		return kk_diag_set(d, KK_EINVAL, "password", "a password is required");
	size_t len = strlen(pw);
	if (len > KK_PASSWORD_MAX)
		return kk_diag_set(d, KK_EINVAL, "password", "the password is longer than %d bytes",
				   KK_PASSWORD_MAX);
	if (!kk_utf8_valid(pw, len))
		return kk_diag_set(d, KK_EINVAL, "password", "the password is not valid UTF-8");
	size_t cp = code_points(pw);
	if (cp < KK_PASSWORD_MIN)
		return kk_diag_set(d, KK_EINVAL, "password",
				   "the password has %zu characters; use at least %d (a phrase of a few words works)",
				   cp, KK_PASSWORD_MIN);
	return 0;
}

static bool fast_hash(void)
{
	const char *v = getenv("KEIKAI_TEST_FAST_HASH");
	return v && !strcmp(v, "1");
}

int kk_password_hash(const char *pw, char out[KK_PASSWORD_HASH_MAX])
{
	int rc = kk_password_check(pw, NULL);
	if (rc)
		return rc;
	unsigned long long ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	if (fast_hash()) {
		ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
		mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	}
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13))
		return KK_ENOMEM; /* libsodium fails only when it cannot get the memory */
	return 0;
}

bool kk_password_verify(const char *hash, const char *pw)
{
	if (!hash || !*hash || !pw)
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void kk_password_generate(char *out, size_t n)
{
	if (n < 32) {
		if (n)
			out[0] = 0;
		return;
	}
	kk_random_token(out, 15); /* 15 bytes: 20 characters, 120 bits */
}

/* A hash of nothing in particular, verified when the email is unknown so both cases cost the same. */
static char dummy_hash[KK_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
	char pw[32];
	kk_password_generate(pw, sizeof(pw));
	if (kk_password_hash(pw, dummy_hash))
		dummy_hash[0] = 0;
}

/* ---- small helpers ---------------------------------------------------- */

static int need_tx(struct kk_db *db, const char *fn)
{
	if (kk_db_in_tx(db))
		return 0;
	kk_error("auth: %s called outside a transaction (a bug: wrap it in kk_db_tx)", fn);
	return KK_EINVAL;
}

/* Copies s for a log line: printable ASCII only, at most 80 bytes. */
static void log_safe(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; s && *s && o + 1 < n && o < 80; s++)
		out[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	out[o] = 0;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Trims spaces into out; checks 1..KK_NAME_MAX bytes, UTF-8, no control characters. */
static int clean_name(const char *in, char out[KK_NAME_MAX + 1], const char *field, struct kk_diag *d)
{
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (!n)
		return kk_diag_set(d, KK_EINVAL, field, "the %s is empty; give one", field);
	if (n > KK_NAME_MAX)
		return kk_diag_set(d, KK_EINVAL, field, "the %s is %zu bytes long; at most %d are allowed", field, n,
				   KK_NAME_MAX);
	memcpy(out, in, n);
	out[n] = 0;
	if (!kk_utf8_valid(out, n) || has_control(out))
		return kk_diag_set(d, KK_EINVAL, field, "the %s holds invalid UTF-8 or control characters", field);
	return 0;
}

/* Checks an email's shape and lower-cases it into out. */
static int clean_email(const char *in, char out[KK_EMAIL_MAX + 1], struct kk_diag *d)
{
	size_t n = in ? strlen(in) : 0;
	if (!n)
		return kk_diag_set(d, KK_EINVAL, "email", "the email is empty; give one such as name@example.org");
	if (n > KK_EMAIL_MAX)
		return kk_diag_set(d, KK_EINVAL, "email", "the email is %zu bytes long; at most %d are allowed", n,
				   KK_EMAIL_MAX);
	const char *at = strchr(in, '@');
	bool ok = at && at != in && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' &&
		  in[n - 1] != '.' && kk_utf8_valid(in, n);
	for (size_t i = 0; ok && i < n; i++)
		if ((unsigned char)in[i] <= 0x20 || in[i] == 0x7f || strchr("<>()[]\\,;:\"", in[i]))
			ok = false;
	if (!ok) {
		char safe[96];
		log_safe(in, safe, sizeof(safe));
		return kk_diag_set(d, KK_EINVAL, "email", "'%s' is not an email address (expected name@example.org)",
				   safe);
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return 0;
}

/* ---- organizations ---------------------------------------------------- */

#define ORG_SELECT "SELECT id, name, kind, created_at FROM organizations"

static void org_row(struct kk_stmt *st, struct kk_org *o)
{
	memset(o, 0, sizeof(*o));
	o->id = kk_stmt_int64(st, 0);
	kk_strlcpy(o->name, kk_stmt_text(st, 1), sizeof(o->name));
	kk_org_kind_parse(kk_stmt_text(st, 2), &o->kind);
	o->created_at = kk_stmt_int64(st, 3);
}

static int org_one(struct kk_db *db, const char *sql, int64_t id, const char *name, struct kk_org *out)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (name)
		kk_stmt_bind_text(st, 1, name, -1);
	else
		kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		org_row(st, out);
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

int kk_org_get(struct kk_db *db, int64_t id, struct kk_org *out)
{
	return org_one(db, ORG_SELECT " WHERE id = ?", id, NULL, out);
}

int kk_org_find(struct kk_db *db, const char *name, struct kk_org *out)
{
	return org_one(db, ORG_SELECT " WHERE name = ?", 0, name ? name : "", out);
}

int kk_org_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_org *o), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, ORG_SELECT " ORDER BY name, id", &st);
	if (rc)
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_org o;
		org_row(st, &o);
		int r = fn(arg, &o);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_org_create(struct kk_db *db, const struct kk_actor *by, const char *name, enum kk_org_kind kind,
		  int64_t *id_out, struct kk_diag *d)
{
	if (id_out)
		*id_out = 0;
	int rc = need_tx(db, "kk_org_create");
	if (rc)
		return rc;
	char clean[KK_NAME_MAX + 1];
	if ((rc = clean_name(name, clean, "organization name", d)))
		return rc;
	if (kind <= KK_ORG_NONE || kind >= KK_ORG__COUNT)
		return kk_diag_set(d, KK_EINVAL, "kind", "the organization kind must be one of %s",
				   kk_org_kind_choices());
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "INSERT INTO organizations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id",
				&st)))
		return rc;
	kk_stmt_bind_text(st, 1, clean, -1);
	kk_stmt_bind_text(st, 2, kk_org_kind_name(kind), -1);
	kk_stmt_bind_int64(st, 3, kk_clock_now());
	rc = kk_stmt_step(st);
	int64_t id = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc == KK_EEXISTS)
		return kk_diag_set(d, rc, "name", "an organization named '%s' already exists", clean);
	if (rc < 0)
		return rc;
	if (id_out)
		*id_out = id;
	struct kk_buf after = KK_BUF_INIT(4096);
	struct kk_json j;
	kk_json_init(&j, &after);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "name", clean);
	kk_json_kv_str(&j, "kind", kk_org_kind_name(kind));
	kk_json_obj_close(&j);
	char oid[24], summary[KK_NAME_MAX + 64];
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	snprintf(summary, sizeof(summary), "created organization %s (%s)", clean, kk_org_kind_name(kind));
	rc = kk_json_error(&j) ? kk_json_error(&j)
			       : kk_audit(db, by, "org.create", "organization", oid, summary, NULL, after.ptr);
	kk_buf_release(&after);
	return rc;
}

/* ---- users ------------------------------------------------------------ */

#define USER_COLS                                                                                            \
	"u.id, u.email, u.name, u.role, coalesce(u.org_id, 0), coalesce(o.name, ''), coalesce(o.kind, ''),"  \
	" u.disabled, u.created_at, u.updated_at, coalesce(u.password_hash, '')"
#define USER_FROM " FROM users u LEFT JOIN organizations o ON o.id = u.org_id"
#define USER_NCOLS 11 /* extra columns of joins start here */

static void user_row(struct kk_stmt *st, struct kk_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = kk_stmt_int64(st, 0);
	kk_strlcpy(u->email, kk_stmt_text(st, 1), sizeof(u->email));
	kk_strlcpy(u->name, kk_stmt_text(st, 2), sizeof(u->name));
	if (kk_role_parse(kk_stmt_text(st, 3), &u->role))
		u->role = KK_ROLE_PUBLIC; /* cannot happen (CHECK constraint); grants nothing if it did */
	u->org_id = kk_stmt_int64(st, 4);
	kk_strlcpy(u->org_name, kk_stmt_text(st, 5), sizeof(u->org_name));
	kk_org_kind_parse(kk_stmt_text(st, 6), &u->org_kind);
	u->disabled = kk_stmt_int64(st, 7) != 0;
	u->created_at = kk_stmt_int64(st, 8);
	u->updated_at = kk_stmt_int64(st, 9);
}

/* One user by id or email; hash (may be NULL) receives the password hash. */
static int user_one(struct kk_db *db, int64_t id, const char *email, struct kk_user *out,
		    char hash[KK_PASSWORD_HASH_MAX])
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       email ? "SELECT " USER_COLS USER_FROM " WHERE u.email = ?"
				     : "SELECT " USER_COLS USER_FROM " WHERE u.id = ?",
			       &st);
	if (rc)
		return rc;
	if (email)
		kk_stmt_bind_text(st, 1, email, -1);
	else
		kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		user_row(st, out);
		if (hash)
			kk_strlcpy(hash, kk_stmt_text(st, 10), KK_PASSWORD_HASH_MAX);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

int kk_user_get(struct kk_db *db, int64_t id, struct kk_user *out)
{
	return user_one(db, id, NULL, out, NULL);
}

int kk_user_find(struct kk_db *db, const char *email, struct kk_user *out)
{
	return user_one(db, 0, email ? email : "", out, NULL);
}

int kk_user_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_user *u), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT " USER_COLS USER_FROM " ORDER BY u.email", &st);
	if (rc)
		return rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_user u;
		user_row(st, &u);
		int r = fn(arg, &u);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* A user's audited fields as a JSON object into out. */
static int user_json(const struct kk_user *u, struct kk_buf *out)
{
	struct kk_json j;
	kk_json_init(&j, out);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "email", u->email);
	kk_json_kv_str(&j, "name", u->name);
	kk_json_kv_str(&j, "role", kk_role_name(u->role));
	if (u->org_id)
		kk_json_kv_str(&j, "organization", u->org_name);
	else
		kk_json_kv_null(&j, "organization");
	kk_json_kv_bool(&j, "disabled", u->disabled);
	kk_json_obj_close(&j);
	return kk_json_error(&j);
}

/* Audits a change to user u (before: the user as it was, or NULL for a creation). */
static int audit_user(struct kk_db *db, const struct kk_actor *by, const char *action, const struct kk_user *before,
		      const struct kk_user *u, const char *summary_fmt)
{
	struct kk_buf b = KK_BUF_INIT(4096), a = KK_BUF_INIT(4096);
	char oid[24], summary[KK_EMAIL_MAX + 128];
	snprintf(oid, sizeof(oid), "%lld", (long long)u->id);
	snprintf(summary, sizeof(summary), summary_fmt, u->email);
	int rc = before ? user_json(before, &b) : 0;
	if (!rc)
		rc = user_json(u, &a);
	if (!rc)
		rc = kk_audit(db, by, action, "user", oid, summary, before ? b.ptr : NULL, a.ptr);
	kk_buf_release(&b);
	kk_buf_release(&a);
	return rc;
}

/* Roles that act for an organization and must belong to one of their kind. */
static enum kk_org_kind role_needs_org(enum kk_role r)
{
	switch (r) {
	case KK_ROLE_VENDOR:
		return KK_ORG_VENDOR;
	case KK_ROLE_OPERATOR:
		return KK_ORG_OPERATOR;
	case KK_ROLE_INFRASTRUCTURE:
		return KK_ORG_INFRASTRUCTURE;
	default:
		return KK_ORG_NONE;
	}
}

/* Sets u's organization to org_id (0: none) after checking it suits u->role. */
static int role_org(struct kk_db *db, struct kk_user *u, int64_t org_id, struct kk_diag *d)
{
	enum kk_org_kind need = role_needs_org(u->role);
	u->org_id = 0;
	u->org_name[0] = 0;
	u->org_kind = KK_ORG_NONE;
	if (org_id) {
		struct kk_org o;
		int rc = kk_org_get(db, org_id, &o);
		if (rc)
			return rc == KK_ENOTFOUND
				       ? kk_diag_set(d, rc, "org", "no organization with id %lld", (long long)org_id)
				       : rc;
		if (need && o.kind != need)
			return kk_diag_set(d, KK_EINVAL, "org",
					   "a %s user must belong to a %s organization; '%s' is a %s organization",
					   kk_role_name(u->role), kk_org_kind_name(need), o.name,
					   kk_org_kind_name(o.kind));
		u->org_id = o.id;
		kk_strlcpy(u->org_name, o.name, sizeof(u->org_name));
		u->org_kind = o.kind;
	} else if (need) {
		return kk_diag_set(d, KK_EINVAL, "org", "a %s user must belong to a %s organization; name one",
				   kk_role_name(u->role), kk_org_kind_name(need));
	}
	return 0;
}

int kk_user_create(struct kk_db *db, const struct kk_actor *by, const struct kk_user_new *in, int64_t *id_out,
		   struct kk_diag *d)
{
	if (id_out)
		*id_out = 0;
	int rc = need_tx(db, "kk_user_create");
	if (rc)
		return rc;
	struct kk_user u = {0};
	if ((rc = clean_email(in->email, u.email, d)) || (rc = clean_name(in->name, u.name, "name", d)))
		return rc;
	if (in->role <= KK_ROLE_PUBLIC || in->role >= KK_ROLE__COUNT)
		return kk_diag_set(d, KK_EINVAL, "role", "the role must be one of %s", kk_role_choices());
	u.role = in->role;
	if ((rc = role_org(db, &u, in->org_id, d)))
		return rc;
	if (in->password_hash && strncmp(in->password_hash, "$argon2id$", 10))
		return kk_diag_set(d, KK_EINVAL, "password", "not an argon2id hash (use kk_password_hash)");
	int64_t now = kk_clock_now();
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"INSERT INTO users (email, name, role, org_id, password_hash, disabled, created_at,"
				" updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
				&st)))
		return rc;
	kk_stmt_bind_text(st, 1, u.email, -1);
	kk_stmt_bind_text(st, 2, u.name, -1);
	kk_stmt_bind_text(st, 3, kk_role_name(u.role), -1);
	if (u.org_id)
		kk_stmt_bind_int64(st, 4, u.org_id);
	kk_stmt_bind_text(st, 5, in->password_hash, -1);
	kk_stmt_bind_int64(st, 6, now);
	kk_stmt_bind_int64(st, 7, now);
	rc = kk_stmt_step(st);
	u.id = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc == KK_EEXISTS)
		return kk_diag_set(d, rc, "email", "a user with email %s already exists", u.email);
	if (rc < 0)
		return rc;
	if (id_out)
		*id_out = u.id;
	return audit_user(db, by, "user.create", NULL, &u, "created user %s");
}

/* Ends the user's sessions, except `keep` (a session id, may be ""). Returns how many ended. */
static int end_sessions(struct kk_db *db, int64_t user_id, const char *keep)
{
	return kk_db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "is", user_id, keep ? keep : "");
}

int kk_user_set_password(struct kk_db *db, const struct kk_actor *by, int64_t user_id, const char *hash)
{
	int rc = need_tx(db, "kk_user_set_password");
	if (rc)
		return rc;
	if (!hash || strncmp(hash, "$argon2id$", 10))
		return KK_EINVAL;
	struct kk_user u;
	if ((rc = kk_user_get(db, user_id, &u)))
		return rc;
	rc = kk_db_exec(db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", "sii", hash,
			kk_clock_now(), user_id);
	if (rc < 0)
		return rc;
	const char *keep = by && by->user_id == user_id ? by->session_id : "";
	if ((rc = end_sessions(db, user_id, keep)) < 0)
		return rc;
	/* before = after: the hash is never audited, only that it changed */
	return audit_user(db, by, "user.password", NULL, &u, "changed the password of %s");
}

int kk_user_set_disabled(struct kk_db *db, const struct kk_actor *by, int64_t user_id, bool disabled)
{
	int rc = need_tx(db, "kk_user_set_disabled");
	if (rc)
		return rc;
	struct kk_user before, u;
	if ((rc = kk_user_get(db, user_id, &before)))
		return rc;
	rc = kk_db_exec(db, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", "iii", (int64_t)disabled,
			kk_clock_now(), user_id);
	if (rc < 0)
		return rc;
	if (disabled && (rc = end_sessions(db, user_id, "")) < 0)
		return rc;
	/* a disabled account's API tokens die with it: enabling it again must not revive them */
	if (disabled && (rc = kk_db_exec(db, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
					 "ii", kk_clock_now(), user_id)) < 0)
		return rc;
	u = before;
	u.disabled = disabled;
	return audit_user(db, by, disabled ? "user.disable" : "user.enable", &before, &u,
			  disabled ? "disabled user %s" : "enabled user %s");
}

int kk_user_set_role(struct kk_db *db, const struct kk_actor *by, int64_t user_id, enum kk_role role, int64_t org_id,
		     struct kk_diag *d)
{
	int rc = need_tx(db, "kk_user_set_role");
	if (rc)
		return kk_diag_set(d, rc, NULL, "kk_user_set_role must run inside a transaction");
	if (role <= KK_ROLE_PUBLIC || role >= KK_ROLE__COUNT)
		return kk_diag_set(d, KK_EINVAL, "role", "the role must be one of %s", kk_role_choices());
	struct kk_user before, u;
	if ((rc = kk_user_get(db, user_id, &before)))
		return rc == KK_ENOTFOUND ? kk_diag_set(d, rc, "id", "no user with id %lld", (long long)user_id) : rc;
	u = before;
	u.role = role;
	if ((rc = role_org(db, &u, org_id, d)))
		return rc;
	if (u.role == before.role && u.org_id == before.org_id)
		return 0;
	if (before.role == KK_ROLE_ADMIN && role != KK_ROLE_ADMIN && !before.disabled) {
		struct kk_stmt *st;
		if ((rc = kk_db_prepare(db, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?",
					&st)))
			return rc;
		kk_stmt_bind_int64(st, 1, user_id);
		rc = kk_stmt_step(st);
		int64_t admins = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
		if (admins == 0)
			return kk_diag_set(d, KK_ECONFLICT, "role",
					   "%s is the last administrator; make another user admin first", before.email);
	}
	rc = kk_db_exec(db, "UPDATE users SET role = ?, org_id = nullif(?, 0), updated_at = ? WHERE id = ?",
			"siii", kk_role_name(u.role), u.org_id, kk_clock_now(), user_id);
	if (rc < 0)
		return rc;
	/* what the user may do changed: every session signs in again */
	if ((rc = end_sessions(db, user_id, "")) < 0)
		return rc;
	return audit_user(db, by, "user.role", &before, &u, "changed the role of user %s");
}

int kk_user_check_password(struct kk_db *db, int64_t user_id, const char *password)
{
	struct kk_user u;
	char hash[KK_PASSWORD_HASH_MAX];
	int rc = user_one(db, user_id, NULL, &u, hash);
	if (rc)
		return rc == KK_ENOTFOUND ? KK_EAUTH : rc;
	bool ok = kk_password_verify(hash, password);
	sodium_memzero(hash, sizeof(hash));
	return ok ? 0 : KK_EAUTH;
}

/* ---- login and rate limits -------------------------------------------- */

/* The first wait once a limit is reached; it doubles with each further failure, up to the window. */
#define LOGIN_DELAY_FIRST 30

/*
 * Failures and the time of the last one: of this account from this address
 * since their last success (email non-NULL), or of any account from this
 * address (email NULL), within the window.
 */
static int fail_count(struct kk_db *db, const char *email, const char *address, int64_t since, int64_t *n,
		      int64_t *last)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       email ? "SELECT count(*), coalesce(max(at), 0) FROM login_attempts WHERE email = ?1"
				       " AND address = ?2 AND ok = 0 AND at >= ?3 AND id > (SELECT coalesce(max(id), 0)"
				       " FROM login_attempts WHERE email = ?1 AND address = ?2 AND ok = 1)"
				     : "SELECT count(*), coalesce(max(at), 0) FROM login_attempts WHERE address = ?2"
				       " AND ok = 0 AND at >= ?3 AND ?1 IS NULL",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, email, -1);
	kk_stmt_bind_text(st, 2, address, -1);
	kk_stmt_bind_int64(st, 3, since);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		*n = kk_stmt_int64(st, 0);
		*last = kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_EDB;
}

/* Seconds still to wait after n failures, the last at `last`, with `free_tries` allowed: 0 = may try now. */
static int64_t login_wait(int64_t n, int64_t last, int free_tries, int64_t now)
{
	if (n < free_tries)
		return 0;
	int64_t delay = LOGIN_DELAY_FIRST;
	for (int64_t k = free_tries; k < n && delay < config.rate_window; k++)
		delay *= 2;
	if (delay > config.rate_window)
		delay = config.rate_window;
	return last + delay > now ? last + delay - now : 0;
}

/*
 * KK_ERATE with *wait (seconds) when this account from this address, or this
 * address at all, failed too often and must wait; 0 otherwise. No account is
 * ever locked for everyone: the limits are per (account, address) and per
 * address, and each wait grows with the failures instead of a fixed lock.
 */
static int rate_check(struct kk_db *db, const char *email, const char *address, const char **which, int64_t *wait)
{
	int64_t now = kk_clock_now(), since = now - config.rate_window, n = 0, last = 0;
	int rc = fail_count(db, email, address, since, &n, &last);
	if (rc)
		return rc;
	if ((*wait = login_wait(n, last, config.max_fail_account, now)) > 0) {
		*which = "account from this address";
		return KK_ERATE;
	}
	if (!*address)
		return 0;
	if ((rc = fail_count(db, NULL, address, since, &n, &last)))
		return rc;
	if ((*wait = login_wait(n, last, config.max_fail_address, now)) > 0) {
		*which = "address";
		return KK_ERATE;
	}
	return 0;
}

static kk_login_notice_fn *login_notice;

void kk_auth_set_login_notice(kk_login_notice_fn *fn)
{
	login_notice = fn;
}

/*
 * A session's CSRF token, derived from its secret cookie value (43 hex
 * characters), so the database keeps only its hash, like the session id:
 * a copy of the database can forge neither.
 */
static void session_csrf(const char *token, char out[KK_CSRF_MAX])
{
	char in[KK_SESSION_TOKEN_MAX + 8], h[KK_SESSION_ID_HEX];
	snprintf(in, sizeof(in), "csrf:%s", token);
	kk_auth_secret_hash(in, h);
	kk_strlcpy(out, h, 44);
	sodium_memzero(in, sizeof(in));
}

static int new_session(struct kk_db *db, int64_t user_id, const char *address, struct kk_session_new *out)
{
	int64_t now = kk_clock_now();
	kk_random_token(out->token, 32);
	session_csrf(out->token, out->csrf);
	char csrf_hash[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(out->csrf, csrf_hash);
	out->expires_at = now + config.session_absolute;
	char id[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(out->token, id);
	int rc = kk_db_exec(db,
			    "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, last_seen, ip)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?)",
			    "sisiiis", id, user_id, csrf_hash, now, out->expires_at, now, address);
	if (rc < 0)
		return rc;
	kk_strlcpy(out->actor.session_id, id, sizeof(out->actor.session_id));
	kk_strlcpy(out->actor.csrf, out->csrf, sizeof(out->actor.csrf));
	return 0;
}

struct login_tx {
	const char *email, *address;
	bool ok;
	struct kk_user *user;
	struct kk_session_new *out;
};

/* Attempts older than this are of no use to the rate limits. */
static int64_t attempts_kept(void)
{
	return config.rate_window > 86400 ? config.rate_window : 86400;
}

static int login_record(struct kk_db *db, void *arg)
{
	struct login_tx *t = arg;
	int64_t now = kk_clock_now();
	/* keep the tables small without a scheduler: old attempts, this user's dead sessions */
	int rc = kk_db_exec(db, "DELETE FROM login_attempts WHERE at < ?", "i", now - attempts_kept());
	if (rc >= 0)
		rc = kk_db_exec(db, "INSERT INTO login_attempts (at, email, address, ok) VALUES (?, ?, ?, ?)", "issi",
				now, t->email, t->address, (int64_t)t->ok);
	if (rc < 0)
		return rc;
	if (!t->ok) {
		/* the owner hears of it once, when this address reaches the limit for the account */
		if (!t->user || !login_notice)
			return 0;
		int64_t n = 0, last = 0;
		if ((rc = fail_count(db, t->email, t->address, now - config.rate_window, &n, &last)))
			return rc;
		return n == config.max_fail_account ? login_notice(db, t->user, t->address, (int)n) : 0;
	}
	rc = kk_db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR last_seen <= ?)", "iii",
			t->user->id, now, now - config.session_idle);
	if (rc < 0)
		return rc;
	actor_from_user(t->user, &t->out->actor);
	if ((rc = new_session(db, t->user->id, t->address, t->out)))
		return rc;
	char safe[96], summary[160];
	log_safe(t->address, safe, sizeof(safe));
	snprintf(summary, sizeof(summary), "signed in from %s", *safe ? safe : "an unknown address");
	char oid[24];
	snprintf(oid, sizeof(oid), "%lld", (long long)t->user->id);
	return kk_audit(db, &t->out->actor, "session.create", "user", oid, summary, NULL, NULL);
}

int kk_auth_login(struct kk_db *db, const struct kk_login *in, struct kk_session_new *out)
{
	memset(out, 0, sizeof(*out));
	char email[KK_EMAIL_MAX + 1] = "";
	size_t n = in->email ? strlen(in->email) : 0;
	if (n > KK_EMAIL_MAX)
		n = KK_EMAIL_MAX;
	for (size_t i = 0; i < n; i++)
		email[i] = (char)tolower((unsigned char)in->email[i]);
	email[n] = 0;
	const char *address = in->address ? in->address : "";
	char safe_email[96], safe_addr[96];
	log_safe(email, safe_email, sizeof(safe_email));
	log_safe(address, safe_addr, sizeof(safe_addr));

	const char *which = NULL;
	int64_t wait = 0;
	int rc = rate_check(db, email, address, &which, &wait);
	if (rc == KK_ERATE) {
		/* never the e-mail: it may be no account at all (a typo, a password typed in the wrong field) */
		kk_warn("login: refused from %s: too many failed logins for this %s; %lld s to wait",
			*safe_addr ? safe_addr : "-", which, (long long)wait);
		out->retry_after = wait;
		return rc;
	}
	if (rc)
		return rc;

	struct kk_user u;
	char hash[KK_PASSWORD_HASH_MAX] = "";
	rc = user_one(db, 0, email, &u, hash);
	if (rc && rc != KK_ENOTFOUND)
		return rc;
	const char *reason = NULL;
	bool ok = false;
	if (rc == KK_ENOTFOUND) {
		pthread_once(&dummy_once, make_dummy);
		kk_password_verify(dummy_hash, in->password ? in->password : "");
		reason = "no such user";
	} else if (!kk_password_verify(hash, in->password ? in->password : "")) {
		reason = hash[0] ? "wrong password" : "the user has no password";
	} else if (u.disabled) {
		reason = "the user is disabled";
	} else {
		ok = true;
	}
	sodium_memzero(hash, sizeof(hash));

	struct login_tx t = {email, address, ok, rc == KK_ENOTFOUND ? NULL : &u, out};
	if ((rc = kk_db_tx(db, login_record, &t))) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (!ok) {
		if (t.user)
			kk_warn("login: failed for '%s' from %s: %s", safe_email, *safe_addr ? safe_addr : "-", reason);
		else
			kk_warn("login: failed for an unknown account from %s", *safe_addr ? safe_addr : "-");
		return KK_EAUTH;
	}
	kk_info("login: %s signed in from %s", safe_email, *safe_addr ? safe_addr : "-");
	return 0;
}

/* ---- sessions --------------------------------------------------------- */

struct touch {
	const char *sql;
	const char *id_text;
	int64_t id;
};

static int touch_fn(struct kk_db *db, void *arg)
{
	struct touch *t = arg;
	int rc = t->id_text ? kk_db_exec(db, t->sql, "is", kk_clock_now(), t->id_text)
			    : kk_db_exec(db, t->sql, "ii", kk_clock_now(), t->id);
	return rc < 0 ? rc : 0;
}

/*
 * The user behind a secret (session cookie or API token): hashes it, runs
 * sql (USER_COLS then one text and two integer columns, one parameter: the
 * hash), fills u, text (n bytes), num[2] and hash. KK_EAUTH when no row.
 */
static int user_by_secret(struct kk_db *db, const char *sql, const char *secret, struct kk_user *u, char *text,
			  size_t n, int64_t num[2], char hash[KK_SESSION_ID_HEX])
{
	kk_auth_secret_hash(secret, hash);
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, hash, -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		user_row(st, u);
		kk_strlcpy(text, kk_stmt_text(st, USER_NCOLS), n);
		num[0] = kk_stmt_int64(st, USER_NCOLS + 1);
		num[1] = kk_stmt_int64(st, USER_NCOLS + 2);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_EAUTH;
}

int kk_session_lookup(struct kk_db *db, const char *token, struct kk_actor *out)
{
	*out = kk_actor_public;
	if (!token || !*token || strlen(token) >= KK_SESSION_TOKEN_MAX)
		return KK_EAUTH;
	char id[KK_SESSION_ID_HEX], csrf[KK_SESSION_ID_HEX];
	struct kk_user u;
	int64_t num[2];
	int rc = user_by_secret(db,
				"SELECT " USER_COLS ", s.csrf, s.expires_at, s.last_seen" USER_FROM
				" JOIN sessions s ON s.user_id = u.id WHERE s.id = ?",
				token, &u, csrf, sizeof(csrf), num, id);
	if (rc)
		return rc;
	int64_t expires = num[0], last = num[1];
	int64_t now = kk_clock_now();
	if (u.disabled || now >= expires || now >= last + config.session_idle)
		return KK_EAUTH;
	if (now - last >= TOUCH_EVERY) {
		struct touch t = {"UPDATE sessions SET last_seen = ? WHERE id = ?", id, 0};
		if ((rc = kk_db_tx(db, touch_fn, &t)))
			return rc;
	}
	actor_from_user(&u, out);
	kk_strlcpy(out->session_id, id, sizeof(out->session_id));
	session_csrf(token, out->csrf);
	char want[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(out->csrf, want);
	if (strcmp(want, csrf)) { /* a row from before the tokens were hashed (migration 0038 ends those) */
		*out = kk_actor_public;
		return KK_EAUTH;
	}
	return 0;
}

int kk_session_destroy(struct kk_db *db, const struct kk_actor *by, const char *token)
{
	int rc = need_tx(db, "kk_session_destroy");
	if (rc || !token || !*token)
		return rc;
	char id[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(token, id);
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "DELETE FROM sessions WHERE id = ? RETURNING user_id", &st)))
		return rc;
	kk_stmt_bind_text(st, 1, id, -1);
	rc = kk_stmt_step(st);
	int64_t uid = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	while (rc == KK_ROW)
		rc = kk_stmt_step(st);
	kk_stmt_done(st);
	if (rc < 0 || !uid)
		return rc < 0 ? rc : 0;
	char oid[24];
	snprintf(oid, sizeof(oid), "%lld", (long long)uid);
	return kk_audit(db, by, "session.delete", "user", oid, "signed out", NULL, NULL);
}

int kk_session_sweep(struct kk_db *db)
{
	int rc = need_tx(db, "kk_session_sweep");
	if (rc)
		return rc;
	int64_t now = kk_clock_now();
	int a = kk_db_exec(db, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?", "ii", now,
			   now - config.session_idle);
	if (a < 0)
		return a;
	int b = kk_db_exec(db, "DELETE FROM login_attempts WHERE at < ?", "i", now - attempts_kept());
	return b < 0 ? b : a + b;
}

bool kk_csrf_ok(const struct kk_actor *a, const char *submitted)
{
	if (!a || !a->csrf[0] || !submitted)
		return false;
	size_t n = strlen(a->csrf);
	return strlen(submitted) == n && kk_ct_eq(a->csrf, submitted, n);
}

/* ---- API tokens ------------------------------------------------------- */

int kk_token_create(struct kk_db *db, const struct kk_actor *by, int64_t user_id, const char *name,
		    char token_out[KK_API_TOKEN_MAX], int64_t *id_out)
{
	token_out[0] = 0;
	if (id_out)
		*id_out = 0;
	int rc = need_tx(db, "kk_token_create");
	if (rc)
		return rc;
	char clean[KK_NAME_MAX + 1];
	if ((rc = clean_name(name, clean, "token name", NULL)))
		return rc;
	struct kk_user u;
	if ((rc = kk_user_get(db, user_id, &u)))
		return rc;
	char secret[KK_API_TOKEN_MAX];
	memcpy(secret, "kk_", 3);
	kk_random_token(secret + 3, 32);
	char hash[KK_SESSION_ID_HEX], prefix[KK_API_TOKEN_PREFIX_LEN + 1];
	kk_auth_secret_hash(secret, hash);
	kk_strlcpy(prefix, secret, sizeof(prefix));
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)"
				" VALUES (?, ?, ?, ?, ?) RETURNING id",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, user_id);
	kk_stmt_bind_text(st, 2, clean, -1);
	kk_stmt_bind_text(st, 3, hash, -1);
	kk_stmt_bind_text(st, 4, prefix, -1);
	kk_stmt_bind_int64(st, 5, kk_clock_now());
	rc = kk_stmt_step(st);
	int64_t id = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	struct kk_buf after = KK_BUF_INIT(1024);
	struct kk_json j;
	kk_json_init(&j, &after);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "name", clean);
	kk_json_kv_str(&j, "prefix", prefix);
	kk_json_kv_str(&j, "user", u.email);
	kk_json_obj_close(&j);
	char oid[24], summary[KK_NAME_MAX + KK_EMAIL_MAX + 64];
	snprintf(oid, sizeof(oid), "%lld", (long long)id);
	snprintf(summary, sizeof(summary), "created API token '%s' (%s...) for %s", clean, prefix, u.email);
	rc = kk_json_error(&j) ? kk_json_error(&j) : kk_audit(db, by, "token.create", "api_token", oid, summary, NULL, after.ptr);
	kk_buf_release(&after);
	if (rc)
		return rc;
	memcpy(token_out, secret, strlen(secret) + 1);
	sodium_memzero(secret, sizeof(secret));
	if (id_out)
		*id_out = id;
	return 0;
}

int kk_token_revoke(struct kk_db *db, const struct kk_actor *by, int64_t user_id, int64_t token_id)
{
	int rc = need_tx(db, "kk_token_revoke");
	if (rc)
		return rc;
	rc = kk_db_exec(db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
			"iii", kk_clock_now(), token_id, user_id);
	if (rc <= 0)
		return rc < 0 ? rc : KK_ENOTFOUND;
	char oid[24], summary[64];
	snprintf(oid, sizeof(oid), "%lld", (long long)token_id);
	snprintf(summary, sizeof(summary), "revoked API token %lld of user %lld", (long long)token_id,
		 (long long)user_id);
	return kk_audit(db, by, "token.revoke", "api_token", oid, summary, NULL, NULL);
}

int kk_token_list(struct kk_db *db, int64_t user_id, int (*fn)(void *arg, const struct kk_token_info *t),
		  void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, user_id, name, prefix, created_at, coalesce(last_used, 0),"
			       " coalesce(revoked_at, 0) FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, user_id);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_token_info t = {0};
		t.id = kk_stmt_int64(st, 0);
		t.user_id = kk_stmt_int64(st, 1);
		kk_strlcpy(t.name, kk_stmt_text(st, 2), sizeof(t.name));
		kk_strlcpy(t.prefix, kk_stmt_text(st, 3), sizeof(t.prefix));
		t.created_at = kk_stmt_int64(st, 4);
		t.last_used = kk_stmt_int64(st, 5);
		t.revoked_at = kk_stmt_int64(st, 6);
		int r = fn(arg, &t);
		if (r) {
			kk_stmt_done(st);
			return r;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_token_lookup(struct kk_db *db, const char *token, struct kk_actor *out)
{
	*out = kk_actor_public;
	if (!token || strncmp(token, "kk_", 3) || strlen(token) >= KK_API_TOKEN_MAX)
		return KK_EAUTH;
	char hash[KK_SESSION_ID_HEX], unused[2];
	struct kk_user u;
	int64_t num[2];
	int rc = user_by_secret(db,
				"SELECT " USER_COLS ", '', t.id, coalesce(t.last_used, 0)" USER_FROM
				" JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ? AND t.revoked_at IS NULL",
				token, &u, unused, sizeof(unused), num, hash);
	if (rc)
		return rc;
	int64_t tid = num[0], last = num[1];
	if (u.disabled)
		return KK_EAUTH;
	if (kk_clock_now() - last >= TOUCH_EVERY) {
		struct touch t = {"UPDATE api_tokens SET last_used = ? WHERE id = ?", NULL, tid};
		if ((rc = kk_db_tx(db, touch_fn, &t)))
			return rc;
	}
	actor_from_user(&u, out);
	out->token_id = tid;
	return 0;
}
