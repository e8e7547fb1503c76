/*
 * db.c — db.h over SQLite: WAL connections, a per-connection statement cache
 * keyed by SQL text, write transactions retried on SQLITE_BUSY.
 *
 * Adding PostgreSQL later (libpq) without touching domain code:
 *   - struct kk_db grows an `engine` tag (or a table of function pointers,
 *     struct kk_db_ops { open, close, prepare, bind_*, step, column_*, ... })
 *     chosen by kk_db_open from the path: "postgresql://..." selects libpq,
 *     anything else a SQLite file. This file becomes db_sqlite.c, the new one
 *     db_pg.c, and db.c keeps the shared parts (cache, tx retry, exec).
 *   - kk_db_prepare rewrites `?` placeholders to $1..$n (outside quotes) and
 *     uses PQprepare with a per-connection name; the cache key stays the
 *     original SQL text. kk_stmt_step runs PQexecPrepared on the first step
 *     and walks the PGresult rows afterwards (single-row mode for big ones).
 *   - kk_db_tx sends BEGIN ISOLATION LEVEL SERIALIZABLE instead of BEGIN
 *     IMMEDIATE and retries on SQLSTATE 40001/40P01 exactly where SQLite
 *     retries on SQLITE_BUSY; error mapping uses SQLSTATE: 23505 -> KK_EEXISTS,
 *     23503/23514/23502 -> KK_ECONFLICT, P0001 (RAISE in a trigger) -> KK_ECONFLICT.
 *   - Domain SQL already keeps to the common subset: `INSERT ... RETURNING id`
 *     (not kk_db_last_insert_id), integer times, ON CONFLICT DO UPDATE, and
 *     migrations in src/store/schema/ would gain a pg/ twin where types differ
 *     (INTEGER PRIMARY KEY -> BIGINT GENERATED ALWAYS AS IDENTITY, BLOB -> BYTEA).
 *
 * Tuning by environment (read at kk_db_open): KEIKAI_DB_BUSY_TIMEOUT_MS (the
 * engine's own wait for a lock, default 2000) — tests lower it.
 */
#include "store/db.h"
#include "base/alloc.h"
#include "base/err.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "std/version.h"
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CACHE_BUCKETS 64   /* power of two */
#define CACHE_MAX 256	   /* statements kept per connection; beyond, prepared per use */
#define TX_ATTEMPTS 6	   /* BEGIN..COMMIT attempts before KK_EBUSY */
#define TX_BACKOFF_MS 5	   /* first back-off; doubles, with jitter */
#define TX_BACKOFF_MAX_MS 250
#define DEFAULT_CACHE_KIB 32768 /* 32 MiB per connection */
#define DEFAULT_BUSY_MS 2000

struct kk_stmt {
	sqlite3_stmt *s;
	struct kk_db *db;
	char *sql;
	uint64_t hash;
	struct kk_stmt *next; /* bucket chain */
	bool in_use;
	bool cached;
};

#define RECENT_SLOTS 256 /* power of two */

struct kk_db {
	sqlite3 *h;
	struct kk_stmt *bucket[CACHE_BUCKETS];
	/*
	 * The cached statement last found for an SQL text at this address (most
	 * SQL is a string literal): checked by comparing the text, which costs
	 * less than hashing it.
	 */
	struct kk_stmt *recent[RECENT_SLOTS];
	size_t ncached;
	int tx_depth; /* 0 outside kk_db_tx; > 1 inside nested calls (savepoints) */
	char err[512];
};

/* ---- errors ----------------------------------------------------------- */

static int map_rc(struct kk_db *db, int rc)
{
	if (db && db->h)
		snprintf(db->err, sizeof(db->err), "%s", sqlite3_errmsg(db->h));
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
		return 0;
	case SQLITE_ROW:
		return KK_ROW;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return KK_EBUSY;
	case SQLITE_NOMEM:
		return KK_ENOMEM;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return KK_EEXISTS;
		return KK_ECONFLICT;
	case SQLITE_TOOBIG:
		return KK_ETOOBIG;
	default:
		return KK_EDB;
	}
}

const char *kk_db_errmsg(struct kk_db *db)
{
	if (!db)
		return "no database connection";
	if (db->err[0])
		return db->err;
	return db->h ? sqlite3_errmsg(db->h) : "not open";
}

const char *kk_db_path(struct kk_db *db)
{
	const char *p = db && db->h ? sqlite3_db_filename(db->h, "main") : NULL;
	return p ? p : "";
}

int kk_db_checkpoint(struct kk_db *db)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : map_rc(db, rc);
}

/* ---- open / close ----------------------------------------------------- */

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	return (*end || n < 0 || n > 600000) ? def : (int)n;
}

/*
 * Before SQLite's first use: no allocation statistics (each malloc and free
 * would take a global mutex for them; an import's writer spent a twentieth
 * of its time there). A call after SQLite started is refused, harmlessly.
 */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void sqlite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* kk_version_key(v): the key of a version (std/version.h), for migrations that re-key stored versions. */
static void sql_version_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	char key[KK_VERSION_KEY_MAX];
	if (!v)
		sqlite3_result_null(cx);
	else if (kk_version_key(v, key, sizeof key))
		sqlite3_result_value(cx, argv[0]);
	else
		sqlite3_result_text(cx, key, -1, SQLITE_TRANSIENT);
}

/*
 * kk_audit_hash(prev, id, at, actor_user_id, actor_label, action,
 * object_type, object_id, summary, before, after): the audit log's chain
 * link (auth/audit.h), SHA-256 in hex over a version tag, the previous
 * row's link and each column as "<bytes>:" + text, or "N" for NULL, so no
 * two different rows read the same. One definition for writing (kk_audit),
 * filling (migration 0039) and checking (kk_audit_verify).
 */
static void sql_audit_hash(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	static const char tag[] = "keikai-audit-v1\n";
	crypto_hash_sha256_update(&st, (const unsigned char *)tag, sizeof(tag) - 1);
	for (int i = 0; i < argc; i++) {
		char len[24];
		int n;
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			n = snprintf(len, sizeof(len), "N");
			crypto_hash_sha256_update(&st, (const unsigned char *)len, (size_t)n);
			continue;
		}
		const unsigned char *t = sqlite3_value_text(argv[i]);
		int bytes = sqlite3_value_bytes(argv[i]);
		n = snprintf(len, sizeof(len), "%d:", bytes);
		crypto_hash_sha256_update(&st, (const unsigned char *)len, (size_t)n);
		if (t && bytes > 0)
			crypto_hash_sha256_update(&st, t, (size_t)bytes);
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	sqlite3_result_text(cx, hex, -1, SQLITE_TRANSIENT);
}

int kk_db_open(const char *path, int flags, struct kk_db **out)
{
	*out = NULL;
	pthread_once(&config_once, sqlite_config);
	if (!path || !*path)
		return KK_EINVAL;
	if (!(flags & KK_DB_CREATE) && access(path, F_OK) != 0)
		return errno == ENOENT ? KK_ENOTFOUND : KK_EIO;
	struct kk_db *db = kk_calloc(1, sizeof(*db));
	if (!db)
		return KK_ENOMEM;
	int of = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	of |= (flags & KK_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if ((flags & KK_DB_CREATE) && !(flags & KK_DB_READONLY))
		of |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &db->h, of, NULL);
	if (rc != SQLITE_OK) {
		int err = rc == SQLITE_CANTOPEN ? KK_EIO : map_rc(db, rc);
		kk_warn("db: cannot open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close_v2(db->h);
		kk_free(db);
		return err;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_create_function(db->h, "kk_version_key", 1,
	                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_version_key,
	                        NULL, NULL);
	sqlite3_create_function(db->h, "kk_audit_hash", 11, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
	                        NULL, sql_audit_hash, NULL, NULL);
	sqlite3_busy_timeout(db->h, env_int("KEIKAI_DB_BUSY_TIMEOUT_MS", DEFAULT_BUSY_MS));
	const char *setup = (flags & KK_DB_READONLY)
				    ? "PRAGMA foreign_keys=ON;"
				    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
	char *msg = NULL;
	rc = sqlite3_exec(db->h, setup, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		/* e.g. "file is not a database" shows up here, at the first read */
		int err = map_rc(db, rc);
		kk_warn("db: %s: %s", path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close_v2(db->h);
		kk_free(db);
		return err;
	}
	/*
	 * Page cache per connection (KiB; SQLite's default is 2 MiB): the
	 * full-text doclists and B-tree interiors of a 300,000-record database
	 * stay in memory instead of being read again from the OS for every
	 * search; imports write through fewer cache spills.
	 */
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size=-%d;",
		 env_int("KEIKAI_DB_CACHE_KIB", DEFAULT_CACHE_KIB));
	sqlite3_exec(db->h, pragma, NULL, NULL, NULL);
	*out = db;
	return 0;
}

static void stmt_free(struct kk_stmt *st)
{
	sqlite3_finalize(st->s);
	kk_free(st->sql);
	kk_free(st);
}

void kk_db_close(struct kk_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < CACHE_BUCKETS; i++) {
		struct kk_stmt *st = db->bucket[i], *next;
		for (; st; st = next) {
			next = st->next;
			stmt_free(st);
		}
	}
	if (sqlite3_close(db->h) != SQLITE_OK) {
		kk_warn("db: closing with statements still open: %s", sqlite3_errmsg(db->h));
		sqlite3_close_v2(db->h);
	}
	kk_free(db);
}

/* ---- one connection per thread ---------------------------------------- */

struct thread_conn {
	char *path;
	struct kk_db *db;
};

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_conn_free(void *p)
{
	struct thread_conn *tc = p;
	if (!tc)
		return;
	kk_db_close(tc->db);
	kk_free(tc->path);
	kk_free(tc);
}

static void thread_key_make(void)
{
	if (pthread_key_create(&thread_key, thread_conn_free))
		abort(); /* only fails when the process is out of keys: nothing sane to do */
}

struct kk_db *kk_db_thread(const char *path)
{
	pthread_once(&thread_once, thread_key_make);
	struct thread_conn *tc = pthread_getspecific(thread_key);
	if (tc && !strcmp(tc->path, path))
		return tc->db;
	if (tc) { /* another database on this thread: the old connection goes */
		pthread_setspecific(thread_key, NULL);
		thread_conn_free(tc);
	}
	tc = kk_calloc(1, sizeof(*tc));
	if (!tc || !(tc->path = kk_strdup(path))) {
		kk_free(tc);
		kk_error("db: out of memory opening %s", path);
		return NULL;
	}
	int rc = kk_db_open(path, 0, &tc->db);
	if (rc) {
		kk_error("db: cannot open %s for this thread: %s", path, kk_err_msg(rc));
		thread_conn_free(tc);
		return NULL;
	}
	pthread_setspecific(thread_key, tc);
	return tc->db;
}

void kk_db_thread_close(void)
{
	pthread_once(&thread_once, thread_key_make);
	struct thread_conn *tc = pthread_getspecific(thread_key);
	pthread_setspecific(thread_key, NULL);
	thread_conn_free(tc);
}

/* ---- statements and their cache --------------------------------------- */

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

int kk_db_prepare(struct kk_db *db, const char *sql, struct kk_stmt **out)
{
	*out = NULL;
	struct kk_stmt **slot = &db->recent[((uintptr_t)sql >> 3) & (RECENT_SLOTS - 1)];
	if (*slot && !(*slot)->in_use && !strcmp((*slot)->sql, sql)) {
		(*slot)->in_use = true;
		*out = *slot;
		return 0;
	}
	uint64_t h = sql_hash(sql);
	struct kk_stmt **b = &db->bucket[h & (CACHE_BUCKETS - 1)];
	for (struct kk_stmt *st = *b; st; st = st->next)
		if (st->hash == h && !st->in_use && !strcmp(st->sql, sql)) {
			st->in_use = true;
			*slot = st;
			*out = st;
			return 0;
		}
	/* not cached, or every copy is in use (a nested walk over the same query) */
	struct kk_stmt *st = kk_calloc(1, sizeof(*st));
	if (!st)
		return KK_ENOMEM;
	if (!(st->sql = kk_strdup(sql))) {
		kk_free(st);
		return KK_ENOMEM;
	}
	bool cache = db->ncached < CACHE_MAX;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0, &st->s, NULL);
	if (rc != SQLITE_OK || !st->s) {
		int err = rc == SQLITE_OK ? KK_EINVAL : map_rc(db, rc); /* empty SQL: nothing to run */
		if (rc == SQLITE_OK)
			snprintf(db->err, sizeof(db->err), "empty statement");
		kk_debug("db: prepare failed: %s", kk_db_errmsg(db));
		stmt_free(st);
		return err;
	}
	st->db = db;
	st->hash = h;
	st->in_use = true;
	if (cache) {
		st->cached = true;
		st->next = *b;
		*b = st;
		db->ncached++;
		*slot = st;
	}
	*out = st;
	return 0;
}

void kk_stmt_done(struct kk_stmt *st)
{
	if (!st)
		return;
	if (!st->cached) {
		stmt_free(st);
		return;
	}
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
	st->in_use = false;
}

static int bind_rc(struct kk_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	int err = map_rc(st->db, rc);
	return err < 0 ? err : KK_EDB; /* SQLITE_RANGE: no such parameter */
}

int kk_stmt_bind_null(struct kk_stmt *st, int idx)
{
	return bind_rc(st, sqlite3_bind_null(st->s, idx));
}

int kk_stmt_bind_int64(struct kk_stmt *st, int idx, int64_t v)
{
	return bind_rc(st, sqlite3_bind_int64(st->s, idx, v));
}

int kk_stmt_bind_double(struct kk_stmt *st, int idx, double v)
{
	return bind_rc(st, sqlite3_bind_double(st->s, idx, v));
}

int kk_stmt_bind_text(struct kk_stmt *st, int idx, const char *s, long len)
{
	if (!s)
		return kk_stmt_bind_null(st, idx);
	if (len < 0)
		len = (long)strlen(s);
	return bind_rc(st, sqlite3_bind_text64(st->s, idx, s, (sqlite3_uint64)len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int kk_stmt_bind_blob(struct kk_stmt *st, int idx, const void *p, size_t len)
{
	if (!p)
		return kk_stmt_bind_null(st, idx);
	return bind_rc(st, sqlite3_bind_blob64(st->s, idx, p, len, SQLITE_TRANSIENT));
}

int kk_stmt_step(struct kk_stmt *st)
{
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return KK_ROW;
	if (rc == SQLITE_DONE)
		return KK_DONE;
	int err = map_rc(st->db, rc);
	kk_debug("db: step failed: %s", st->db->err);
	return err ? err : KK_EDB;
}

int kk_stmt_columns(struct kk_stmt *st)
{
	return sqlite3_column_count(st->s);
}

bool kk_stmt_is_null(struct kk_stmt *st, int col)
{
	return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

int64_t kk_stmt_int64(struct kk_stmt *st, int col)
{
	return sqlite3_column_int64(st->s, col);
}

double kk_stmt_double(struct kk_stmt *st, int col)
{
	return sqlite3_column_double(st->s, col);
}

const char *kk_stmt_text(struct kk_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->s, col);
	return t ? (const char *)t : "";
}

const void *kk_stmt_blob(struct kk_stmt *st, int col)
{
	return sqlite3_column_blob(st->s, col);
}

size_t kk_stmt_bytes(struct kk_stmt *st, int col)
{
	int n = sqlite3_column_bytes(st->s, col);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- one-shot statements ---------------------------------------------- */

int kk_db_exec(struct kk_db *db, const char *sql, const char *types, ...)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	va_list ap;
	va_start(ap, types);
	int idx = 1;
	for (const char *t = types ? types : ""; *t && !rc; t++, idx++) {
		switch (*t) {
		case 'i':
			rc = kk_stmt_bind_int64(st, idx, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = kk_stmt_bind_double(st, idx, va_arg(ap, double));
			break;
		case 's':
		{
			/* the text outlives the statement's use here: no copy (kk_stmt_done clears it) */
			const char *s = va_arg(ap, const char *);
			rc = s ? bind_rc(st, sqlite3_bind_text64(st->s, idx, s, strlen(s), SQLITE_STATIC, SQLITE_UTF8))
			       : kk_stmt_bind_null(st, idx);
			break;
		}
		case 'n':
			rc = kk_stmt_bind_null(st, idx);
			break;
		default:
			snprintf(db->err, sizeof(db->err), "kk_db_exec: unknown type letter '%c' in \"%s\"", *t,
				 types);
			rc = KK_EINVAL;
		}
	}
	va_end(ap);
	while (!rc && (rc = kk_stmt_step(st)) == KK_ROW)
		rc = 0; /* a statement with RETURNING: drain it */
	kk_stmt_done(st);
	return rc < 0 ? rc : sqlite3_changes(db->h);
}

int kk_db_exec_script(struct kk_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	int err = map_rc(db, rc);
	if (msg)
		snprintf(db->err, sizeof(db->err), "%s", msg);
	sqlite3_free(msg);
	return err ? err : KK_EDB;
}

int64_t kk_db_last_insert_id(struct kk_db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

/* ---- transactions ----------------------------------------------------- */

bool kk_db_in_tx(struct kk_db *db)
{
	return db && db->tx_depth > 0;
}

static void backoff(int attempt)
{
	long ms = TX_BACKOFF_MS << attempt;
	if (ms > TX_BACKOFF_MAX_MS)
		ms = TX_BACKOFF_MAX_MS;
	ms = ms / 2 + kk_random_uniform((uint32_t)(ms / 2 + 1)); /* jitter so retriers spread out */
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int raw(struct kk_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : map_rc(db, rc);
}

/* A kk_db_tx inside another: a savepoint, so the inner part can fail alone. */
static int tx_nested(struct kk_db *db, int (*fn)(struct kk_db *, void *), void *arg)
{
	int rc = raw(db, "SAVEPOINT kk_nested");
	if (rc)
		return rc;
	db->tx_depth++;
	int r = fn(db, arg);
	db->tx_depth--;
	if (r < 0) {
		raw(db, "ROLLBACK TO kk_nested");
		raw(db, "RELEASE kk_nested");
		return r;
	}
	rc = raw(db, "RELEASE kk_nested");
	return rc ? rc : r;
}

int kk_db_tx(struct kk_db *db, int (*fn)(struct kk_db *db, void *arg), void *arg)
{
	if (db->tx_depth > 0)
		return tx_nested(db, fn, arg);
	int rc = KK_EBUSY;
	for (int attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
		if (attempt)
			backoff(attempt - 1);
		rc = raw(db, "BEGIN IMMEDIATE");
		if (rc == KK_EBUSY)
			continue;
		if (rc)
			return rc;
		db->tx_depth = 1;
		int r = fn(db, arg);
		db->tx_depth = 0;
		if (r < 0) {
			if (!sqlite3_get_autocommit(db->h))
				raw(db, "ROLLBACK");
			if (r == KK_EBUSY) {
				rc = r;
				continue; /* a lock lost inside: run the whole thing again */
			}
			return r;
		}
		rc = raw(db, "COMMIT");
		if (rc == 0)
			return r;
		if (!sqlite3_get_autocommit(db->h))
			raw(db, "ROLLBACK");
		if (rc != KK_EBUSY)
			return rc;
	}
	snprintf(db->err, sizeof(db->err), "database stayed locked through %d attempts", TX_ATTEMPTS);
	kk_warn("db: %s", db->err);
	return KK_EBUSY;
}

int kk_db_read(struct kk_db *db, int (*fn)(struct kk_db *db, void *arg), void *arg)
{
	if (db->tx_depth > 0 || !sqlite3_get_autocommit(db->h))
		return fn(db, arg); /* already inside a transaction: its snapshot serves */
	int rc = raw(db, "BEGIN");
	if (rc)
		return rc;
	int r = fn(db, arg);
	if (!sqlite3_get_autocommit(db->h))
		raw(db, "COMMIT"); /* a read: only releases the snapshot */
	return r;
}

/* ---- size ------------------------------------------------------------- */

static int64_t pragma_int(struct kk_db *db, const char *sql)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	int64_t v = rc == KK_ROW ? kk_stmt_int64(st, 0) : (rc < 0 ? rc : KK_EDB);
	kk_stmt_done(st);
	return v;
}

int64_t kk_db_size(struct kk_db *db)
{
	int64_t pages = pragma_int(db, "PRAGMA page_count");
	if (pages < 0)
		return pages;
	int64_t size = pragma_int(db, "PRAGMA page_size");
	return size < 0 ? size : pages * size;
}
