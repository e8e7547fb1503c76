/*
 * db.h — the one database API. Nothing outside src/store/ includes
 * <sqlite3.h> or knows which engine runs; domain code speaks only this.
 *
 * SQL uses `?` placeholders (numbered from 1) and the common subset of
 * SQLite and PostgreSQL (INSERT ... RETURNING, ON CONFLICT DO UPDATE,
 * CURRENT_TIMESTAMP avoided: times are integers from kk_clock_now()).
 * Values are always bound, never pasted into SQL text.
 *
 * A struct kk_db is one connection, used by one thread at a time. The
 * server keeps one per worker thread (kk_db_thread). Prepared statements are
 * cached per connection, keyed by the SQL text, so preparing the same
 * string twice is cheap.
 *
 *   struct kk_stmt *st;
 *   if ((rc = kk_db_prepare(db, "SELECT name FROM users WHERE id = ?", &st)))
 *           return rc;
 *   kk_stmt_bind_int64(st, 1, id);
 *   while ((rc = kk_stmt_step(st)) == KK_ROW)
 *           puts(kk_stmt_text(st, 0));
 *   kk_stmt_done(st);            // always: resets and returns it to the cache
 *   return rc < 0 ? rc : 0;
 *
 * Writes go in transactions: kk_db_tx(db, fn, arg) runs fn inside
 * BEGIN IMMEDIATE ... COMMIT, rolls back if fn returns < 0, and retries the
 * whole transaction (with backoff) when the database is busy. fn must
 * therefore have no effects outside the database.
 *
 * Errors: KK_EDB (message in kk_db_errmsg), KK_EBUSY after retries ran out,
 * KK_EEXISTS for a UNIQUE/PRIMARY KEY violation, KK_ECONFLICT for another
 * constraint (foreign key, CHECK), KK_ENOMEM.
 */
#ifndef KK_STORE_DB_H
#define KK_STORE_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_stmt;

#define KK_ROW 1
#define KK_DONE 0

enum kk_db_flags {
	KK_DB_CREATE = 1,   /* create the file if missing */
	KK_DB_READONLY = 2, /* open read-only */
};

/*
 * Opens path (WAL, foreign keys on, busy timeout). Does not migrate. SQL on
 * the connection may call kk_version_key(v), std/version.h's key of a
 * version (NULL for NULL), which migrations use to re-key stored versions.
 */
int kk_db_open(const char *path, int flags, struct kk_db **out);
void kk_db_close(struct kk_db *db);
/* Last engine error message for this connection (never NULL). */
const char *kk_db_errmsg(struct kk_db *db);
/* The main database file's path ("" for a temporary or in-memory one). */
const char *kk_db_path(struct kk_db *db);
/*
 * Copies the write-ahead log's committed pages into the database file as
 * far as it can without waiting for readers or writers (a passive
 * checkpoint). 0 or a negative KK_E*.
 */
int kk_db_checkpoint(struct kk_db *db);

/*
 * This thread's connection to path, opened on first use and closed when the
 * thread exits (or by kk_db_thread_close). NULL on failure (logged).
 */
struct kk_db *kk_db_thread(const char *path);
void kk_db_thread_close(void);

int kk_db_prepare(struct kk_db *db, const char *sql, struct kk_stmt **out);
int kk_stmt_bind_null(struct kk_stmt *st, int idx);
int kk_stmt_bind_int64(struct kk_stmt *st, int idx, int64_t v);
int kk_stmt_bind_double(struct kk_stmt *st, int idx, double v);
/* Text is copied by the engine; s == NULL binds NULL; len < 0 means strlen. */
int kk_stmt_bind_text(struct kk_stmt *st, int idx, const char *s, long len);
int kk_stmt_bind_blob(struct kk_stmt *st, int idx, const void *p, size_t len);
/* KK_ROW, KK_DONE, or a negative error. */
int kk_stmt_step(struct kk_stmt *st);
int kk_stmt_columns(struct kk_stmt *st);
bool kk_stmt_is_null(struct kk_stmt *st, int col);
int64_t kk_stmt_int64(struct kk_stmt *st, int col);
double kk_stmt_double(struct kk_stmt *st, int col);
/* Valid until the next step or done; "" for NULL. */
const char *kk_stmt_text(struct kk_stmt *st, int col);
const void *kk_stmt_blob(struct kk_stmt *st, int col);
size_t kk_stmt_bytes(struct kk_stmt *st, int col);
/* Resets, clears bindings, returns the statement to the cache. NULL ok. */
void kk_stmt_done(struct kk_stmt *st);

/*
 * One-shot statement without result rows: binds the variadic values by
 * the letters of `types` — 'i' int64_t, 'd' double, 's' const char * (NULL
 * binds NULL), 'n' NULL (no argument) — then steps to completion.
 * Returns the number of rows changed (>= 0) or a negative error.
 */
int kk_db_exec(struct kk_db *db, const char *sql, const char *types, ...);
/* Runs a script of several statements without parameters (migrations). */
int kk_db_exec_script(struct kk_db *db, const char *sql);
int64_t kk_db_last_insert_id(struct kk_db *db);

/* Runs fn(db, arg) in one write transaction; see the top of this file. */
int kk_db_tx(struct kk_db *db, int (*fn)(struct kk_db *db, void *arg), void *arg);
/*
 * Runs fn(db, arg) inside one read transaction: every statement of fn sees
 * the same snapshot, and the engine takes its read lock once instead of
 * once per statement (a record's detail reads a dozen tables). fn must not
 * write. Inside a transaction already, just calls fn. Returns fn's result,
 * or an error starting the transaction.
 */
int kk_db_read(struct kk_db *db, int (*fn)(struct kk_db *db, void *arg), void *arg);
/* True inside kk_db_tx on this connection. */
bool kk_db_in_tx(struct kk_db *db);

/* Size of the database in bytes (pages * page size), or negative error. */
int64_t kk_db_size(struct kk_db *db);

#endif
