/*
 * auth.h — who is asking: organizations, users, roles, passwords,
 * server-side sessions, API tokens and login rate limits.
 *
 * The actor. Every request (and every CLI command) is made by one
 * struct kk_actor: a signed-in user (by session cookie or API token), the
 * CLI's "system" actor (role admin, user_id 0, label "cli:<unix user>"), or
 * kk_actor_public, the anonymous public. Ask policy.h what an actor may do;
 * never compare roles in handlers.
 *
 * Transactions. Functions marked [in tx] change the database and write
 * their own audit row (audit.h), so they MUST be called from inside
 * kk_db_tx(db, fn, arg) — they assert kk_db_in_tx(db) and return KK_EINVAL
 * otherwise. Several changes may share one transaction. Because kk_db_tx may
 * run fn more than once (busy retry), do slow pure work — password hashing —
 * BEFORE the transaction: kk_password_hash() first, then pass the hash in.
 * Functions marked [own tx] run their own transactions and must NOT be
 * called inside one (kk_auth_login, kk_session_lookup, kk_token_lookup).
 * Everything else only reads.
 *
 * Creating functions set *id_out to 0 first, so it is defined on failure too.
 *
 * Strings in the structs below are copied into fixed arrays, so a struct
 * outlives the statement that filled it; callbacks of the *_list functions
 * get a pointer valid only during the call.
 *
 * Errors: KK_EINVAL (a field is wrong — the message in kk_diag when one is
 * taken), KK_EEXISTS (email / organization name taken), KK_ENOTFOUND,
 * KK_EAUTH (bad email or password, unknown/expired session or token),
 * KK_ERATE (too many failed logins), KK_EDB/KK_EBUSY/KK_ENOMEM.
 */
#ifndef KK_AUTH_AUTH_H
#define KK_AUTH_AUTH_H
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

/* ---- roles and organization kinds ------------------------------------ */

/* X(NAME, "name as stored and typed"). PUBLIC is the anonymous public and
 * is never stored on a user. */
#define KK_ROLES(X)                                                                                          \
	X(PUBLIC, "public")                                                                                  \
	X(ADMIN, "admin")                                                                                    \
	X(RECEIVER, "receiver")                                                                              \
	X(COORDINATOR, "coordinator")                                                                        \
	X(VENDOR, "vendor")                                                                                  \
	X(OPERATOR, "operator")                                                                              \
	X(REPORTER, "reporter")                                                                              \
	X(INFRASTRUCTURE, "infrastructure")

enum kk_role {
#define X(n, s) KK_ROLE_##n,
	KK_ROLES(X)
#undef X
	KK_ROLE__COUNT
};

/* KK_ORG_NONE (0) means "no organization". */
#define KK_ORG_KINDS(X)                                                                                      \
	X(VENDOR, "vendor")                                                                                  \
	X(OPERATOR, "operator")                                                                              \
	X(RECEIVER, "receiver")                                                                              \
	X(COORDINATOR, "coordinator")                                                                        \
	X(INFRASTRUCTURE, "infrastructure")

enum kk_org_kind {
	KK_ORG_NONE = 0,
#define X(n, s) KK_ORG_##n,
	KK_ORG_KINDS(X)
#undef X
	KK_ORG__COUNT
};

/* "admin" etc.; "?" for out-of-range values. */
const char *kk_role_name(enum kk_role r);
/* Parses a stored/typed role name (not "public"): 0 or KK_EINVAL. */
int kk_role_parse(const char *s, enum kk_role *out);
/* The names accepted by kk_role_parse joined by '|' ("admin|receiver|..."). */
const char *kk_role_choices(void);
const char *kk_org_kind_name(enum kk_org_kind k);
int kk_org_kind_parse(const char *s, enum kk_org_kind *out);
const char *kk_org_kind_choices(void);

/* ---- the actor -------------------------------------------------------- */

#define KK_EMAIL_MAX 254
#define KK_NAME_MAX 200
#define KK_LABEL_MAX 300
/* Session ids are the hex SHA-256 (crypto_generichash, 32 bytes) of the token. */
#define KK_SESSION_ID_HEX 65
/* Cookie value / bearer token buffers (NUL included). */
#define KK_SESSION_TOKEN_MAX 48 /* 32 random bytes, base64url: 43 chars */
#define KK_CSRF_MAX 48		/* 32 random bytes, base64url: 43 chars */
#define KK_API_TOKEN_MAX 56	/* "kk_" + 43 chars */
#define KK_API_TOKEN_PREFIX_LEN 10 /* "kk_" + 7 chars, shown in lists */

struct kk_actor {
	int64_t user_id; /* 0: public or system */
	enum kk_role role;
	int64_t org_id; /* 0: none */
	enum kk_org_kind org_kind;
	bool system; /* the CLI: role admin, user_id 0 */
	char email[KK_EMAIL_MAX + 1];
	char name[KK_NAME_MAX + 1];
	char org_name[KK_NAME_MAX + 1];
	/* What the audit log records as actor_label: "user:<email>", "cli:<unix user>", "public". */
	char label[KK_LABEL_MAX + 1];
	/* How the actor authenticated: a session (id = hex hash, csrf = its CSRF
	 * token) or an API token (token_id > 0). Both empty/0 for public/system. */
	char session_id[KK_SESSION_ID_HEX];
	char csrf[KK_CSRF_MAX];
	int64_t token_id;
};

/* The anonymous public: role PUBLIC, user_id 0, label "public". */
extern const struct kk_actor kk_actor_public;
/* Fills *a as the CLI system actor labelled "cli:<unix_user>" (NULL: $USER or uid). */
void kk_actor_system(struct kk_actor *a, const char *unix_user);
static inline bool kk_actor_signed_in(const struct kk_actor *a)
{
	return a && a->role != KK_ROLE_PUBLIC;
}

/* ---- configuration ---------------------------------------------------- */

struct kk_auth_config {
	int64_t session_idle;	  /* seconds without use before a session ends; default 12 h */
	int64_t session_absolute; /* seconds after login a session ends anyway; default 7 days */
	int64_t rate_window;	  /* seconds over which failed logins count; default 15 min */
	int max_fail_account;	  /* failures per account in the window; default 10 */
	int max_fail_address;	  /* failures per client address in the window; default 30 */
};
/* The defaults above. */
void kk_auth_config_default(struct kk_auth_config *c);
/* Sets the process-wide configuration (call before threads start). */
void kk_auth_configure(const struct kk_auth_config *c);
const struct kk_auth_config *kk_auth_config(void);

/* ---- passwords -------------------------------------------------------- */

#define KK_PASSWORD_MIN 12
#define KK_PASSWORD_MAX 1024
/* libsodium's crypto_pwhash_STRBYTES (128). */
#define KK_PASSWORD_HASH_MAX 128

/*
 * Checks a new password: at least KK_PASSWORD_MIN characters (code points),
 * at most KK_PASSWORD_MAX bytes, valid UTF-8. 0 or KK_EINVAL with d->msg
 * saying what is wrong (never quoting the password). d may be NULL.
 */
int kk_password_check(const char *password, struct kk_diag *d);
/*
 * Hashes with argon2id (crypto_pwhash_str, OPSLIMIT/MEMLIMIT_INTERACTIVE).
 * With KEIKAI_TEST_FAST_HASH=1 in the environment the minimum limits are
 * used instead — for tests only; such hashes are still valid argon2id and
 * verify normally. out gets a NUL-terminated "$argon2id$..." string.
 * Slow (tens to hundreds of ms): never call inside a transaction.
 * Returns 0, KK_EINVAL (fails kk_password_check) or KK_ENOMEM.
 */
int kk_password_hash(const char *password, char out[KK_PASSWORD_HASH_MAX]);
/* True when password matches hash (constant time in libsodium). */
bool kk_password_verify(const char *hash, const char *password);
/* A new random password (20 chars, base64url alphabet) into out (>= 32 bytes). */
void kk_password_generate(char *out, size_t n);

/* ---- organizations ---------------------------------------------------- */

struct kk_org {
	int64_t id;
	char name[KK_NAME_MAX + 1];
	enum kk_org_kind kind;
	int64_t created_at;
};

/* [in tx] Creates an organization (name trimmed, 1..200 bytes, unique). Audit "org.create". */
int kk_org_create(struct kk_db *db, const struct kk_actor *by, const char *name, enum kk_org_kind kind,
		  int64_t *id_out, struct kk_diag *d);
/* 0 or KK_ENOTFOUND. */
int kk_org_get(struct kk_db *db, int64_t id, struct kk_org *out);
/* By exact name: 0 or KK_ENOTFOUND. */
int kk_org_find(struct kk_db *db, const char *name, struct kk_org *out);
/*
 * Calls fn for each organization ordered by name; fn returning non-zero
 * stops the walk and that value is returned. Otherwise 0 or an error.
 */
int kk_org_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_org *o), void *arg);

/* ---- users ------------------------------------------------------------ */

struct kk_user {
	int64_t id;
	char email[KK_EMAIL_MAX + 1];
	char name[KK_NAME_MAX + 1];
	enum kk_role role;
	int64_t org_id; /* 0: none */
	char org_name[KK_NAME_MAX + 1];
	enum kk_org_kind org_kind;
	bool disabled;
	int64_t created_at, updated_at;
};

struct kk_user_new {
	const char *email; /* required; lower-cased on store, unique case-insensitively */
	const char *name;  /* required, 1..200 bytes */
	enum kk_role role; /* not PUBLIC */
	int64_t org_id;	   /* 0: none. vendor/operator/infrastructure users need one */
	const char *password_hash; /* from kk_password_hash; NULL: no password (cannot log in) */
};

/*
 * [in tx] Creates a user. Checks the email shape, name, role, and that the
 * organization exists. Audit "user.create" (no hash in the row).
 * Returns 0 (*id_out set), KK_EINVAL (d says which field), KK_EEXISTS (email
 * taken), KK_ENOTFOUND (no such organization).
 */
int kk_user_create(struct kk_db *db, const struct kk_actor *by, const struct kk_user_new *u, int64_t *id_out,
		   struct kk_diag *d);
/* 0 or KK_ENOTFOUND. kk_user_find matches the email case-insensitively. */
int kk_user_get(struct kk_db *db, int64_t id, struct kk_user *out);
int kk_user_find(struct kk_db *db, const char *email, struct kk_user *out);
/* Each user ordered by email; stop rule as kk_org_list. */
int kk_user_list(struct kk_db *db, int (*fn)(void *arg, const struct kk_user *u), void *arg);
/*
 * [in tx] Replaces a password hash; ends every session of the user except
 * by->session_id (so changing your own password keeps you signed in).
 * Audit "user.password". 0 or KK_ENOTFOUND.
 */
int kk_user_set_password(struct kk_db *db, const struct kk_actor *by, int64_t user_id, const char *password_hash);
/*
 * [in tx] Disables (disabled = true) or re-enables a user. Disabling ends
 * all their sessions; their API tokens stop working while disabled.
 * Audit "user.disable" / "user.enable". 0 or KK_ENOTFOUND.
 */
int kk_user_set_disabled(struct kk_db *db, const struct kk_actor *by, int64_t user_id, bool disabled);
/*
 * [in tx] Changes a user's role and organization (org_id 0: none), checked
 * as kk_user_create checks them (vendor, operator and infrastructure users
 * belong to an organization of their kind). Ends all the user's sessions
 * (their permissions changed). Refuses to demote the last enabled admin
 * (KK_ECONFLICT). Audit "user.role". 0 (also when nothing changes),
 * KK_ENOTFOUND or KK_EINVAL / KK_ECONFLICT with d naming the field.
 */
int kk_user_set_role(struct kk_db *db, const struct kk_actor *by, int64_t user_id, enum kk_role role, int64_t org_id,
		     struct kk_diag *d);
/* Checks a user's current password (e.g. before a change). 0 or KK_EAUTH. Slow. */
int kk_user_check_password(struct kk_db *db, int64_t user_id, const char *password);

/* ---- sessions --------------------------------------------------------- */

struct kk_login {
	const char *email;
	const char *password;
	const char *address; /* client IP as text, for rate limiting and the session row; may be NULL */
};

struct kk_session_new {
	char token[KK_SESSION_TOKEN_MAX]; /* the cookie value: give it to the client, never store or log it */
	char csrf[KK_CSRF_MAX];		  /* CSRF token of this session */
	int64_t expires_at;		  /* absolute expiry (idle expiry moves with use) */
	struct kk_actor actor;		  /* the signed-in actor */
	int64_t retry_after;		  /* KK_ERATE: seconds until this account may be tried from this address */
};

/*
 * Called [in the login's tx] when an address reaches the failure limit for an
 * existing account (once per run of failures): tells the account's owner.
 */
struct kk_user;
typedef int kk_login_notice_fn(struct kk_db *db, const struct kk_user *u, const char *address, int failures);
/* Sets the notice (NULL: none). Call before threads start. */
void kk_auth_set_login_notice(kk_login_notice_fn *fn);

/*
 * [own tx] Signs a user in: refuses with KK_ERATE (out->retry_after: the
 * seconds to wait) while this account from this address, or this address at
 * all, must wait after too many failures (checked before the password, so a
 * limited attempt leaks nothing). The limits are per (account, address) —
 * max_fail_account free tries — and per address — max_fail_address; beyond
 * them each try waits 30 s, doubling with every further failure up to the
 * window, so nobody can lock an account for its owner at another address.
 * Verifies the password; records the attempt; on success creates a session
 * (audit "session.create"). Failures are logged with kk_warn (the email only
 * when it is an account, never the password). Unknown email, wrong password
 * and disabled user all answer KK_EAUTH and take about the same time.
 */
int kk_auth_login(struct kk_db *db, const struct kk_login *in, struct kk_session_new *out);
/*
 * [own tx] Resolves a session cookie to an actor: KK_EAUTH when unknown,
 * expired (idle or absolute) or the user is disabled. Refreshes last_seen
 * (at most once a minute, so most lookups only read). Fills out->csrf.
 */
int kk_session_lookup(struct kk_db *db, const char *token, struct kk_actor *out);
/* [in tx] Ends the session with this cookie value (logout). 0 even when unknown. */
int kk_session_destroy(struct kk_db *db, const struct kk_actor *by, const char *token);
/* [in tx] Deletes expired sessions and old login attempts; returns how many rows went. */
int kk_session_sweep(struct kk_db *db);
/* Constant-time check of a submitted CSRF token against the actor's session. */
bool kk_csrf_ok(const struct kk_actor *a, const char *submitted);

/* ---- API tokens ------------------------------------------------------- */

struct kk_token_info {
	int64_t id;
	int64_t user_id;
	char name[KK_NAME_MAX + 1];
	char prefix[KK_API_TOKEN_PREFIX_LEN + 1]; /* "kk_AbCdEfG", enough to recognise it */
	int64_t created_at, last_used, revoked_at; /* 0: never / not revoked */
};

/*
 * [in tx] Creates an API token for user_id named `name` (1..200 bytes).
 * token_out receives the secret ("kk_" + 43 chars) — the only time it
 * exists in clear: show it once. Only its hash is stored. Audit
 * "token.create". 0 or KK_EINVAL / KK_ENOTFOUND.
 */
int kk_token_create(struct kk_db *db, const struct kk_actor *by, int64_t user_id, const char *name,
		    char token_out[KK_API_TOKEN_MAX], int64_t *id_out);
/* [in tx] Revokes token_id of user_id. Audit "token.revoke". 0 or KK_ENOTFOUND (also when already revoked). */
int kk_token_revoke(struct kk_db *db, const struct kk_actor *by, int64_t user_id, int64_t token_id);
/* The user's tokens, newest first (revoked ones included); stop rule as kk_org_list. */
int kk_token_list(struct kk_db *db, int64_t user_id, int (*fn)(void *arg, const struct kk_token_info *t),
		  void *arg);
/*
 * [own tx] Resolves "kk_..." (the part after "Bearer ") to an actor with
 * token_id set: KK_EAUTH when unknown, revoked, or the user is disabled.
 * Updates last_used (at most once a minute).
 */
int kk_token_lookup(struct kk_db *db, const char *token, struct kk_actor *out);

/* ---- low level, shared with tests ------------------------------------- */

/* Hex crypto_generichash (32 bytes) of a secret: how sessions and tokens are stored. */
void kk_auth_secret_hash(const char *secret, char out[KK_SESSION_ID_HEX]);

#endif
