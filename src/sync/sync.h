/*
 * sync.h — the database keeps itself current from upstream services.
 *
 * A source (sources.c: nvd, cvelist, kev, osv, local) is a row of a table in code —
 * name, the real service's base URL, the interval, what it brings — and a
 * row of sync_source in the database (schema 0030) with what an operator
 * set (enabled, base URL, interval, options; NULL = the default) and what
 * the source has brought in: its cursor (JSON, source-specific: the last
 * modified time, the window and page in progress, the archive), ETag and
 * Last-Modified.
 *
 * Never lose or double anything:
 *   - the records of one unit (an NVD page, a KEV catalog, a group of OSV
 *     records) are imported through vulndb/import.h in ONE transaction, and
 *     the cursor that says the unit is done is written in that same
 *     transaction (kk_sync_import): a crash leaves the cursor before the
 *     unit and the rerun imports it again (unchanged records write nothing);
 *   - a sync holds the source's lease (a row lease in sync_source: owner
 *     "host pid nonce", renewed with each unit): a second sync of the same
 *     source, in this process or another, is refused with KK_EBUSY; a lease
 *     whose process is gone (same host, pid not alive) or expired is taken
 *     over, and the run it belonged to is marked interrupted; the cursor is
 *     written only while the lease is held (else the unit rolls back);
 *   - a malformed record is named (source, URL, record, field) in the log
 *     and the run's last error, counted as skipped, and the others go on.
 *
 *   struct kk_sync_opts o = {0};
 *   rc = kk_sync_run(db, "nvd", &o, &res, &d);
 */
#ifndef KK_SYNC_SYNC_H
#define KK_SYNC_SYNC_H
#include "base/err.h"
#include "sync/http.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;
struct kk_sync;

/* One source as the code knows it (sources.c). */
struct kk_sync_source {
	const char *name;
	const char *url;          /* the real service (local: the data directory) */
	int interval_min;         /* default minutes between runs */
	const char *options;      /* default options ("" none) */
	const char *what;         /* one line for --status and the admin page */
	int (*run)(struct kk_sync *s);
};
extern const struct kk_sync_source kk_sync_sources[];
extern const int kk_sync_nsources;
const struct kk_sync_source *kk_sync_source_find(const char *name);

/* What a run did (also the columns of sync_run). */
struct kk_sync_counts {
	long fetches, not_modified, added, updated, unchanged, withdrawn, skipped;
};

struct kk_sync_opts {
	/* Called for each malformed record or unit (msg names source, URL, record, field). May be NULL. */
	void (*report)(void *arg, const char *msg);
	/* Called after each unit with the run's progress (total 0: unknown). May be NULL. */
	void (*progress)(void *arg, const char *source, long done, long total, const struct kk_sync_counts *c);
	void *arg;
	/* Set non-zero from another thread to end the run after the unit in flight. May be NULL. */
	const volatile int *stop;
};

/* The state of a run, handed to the source's run function. */
struct kk_sync {
	struct kk_db *db;
	const struct kk_sync_source *src;
	const struct kk_sync_opts *opts;
	int64_t source_id, run_id;
	char owner[96];
	char base_url[512];       /* without a trailing '/' */
	char options[512];
	char cursor[4096];        /* as stored; sources parse it (JSON) */
	char etag[256], last_modified[80];
	struct kk_http http;
	struct kk_sync_counts c;
	long done, total;         /* progress units */
	char last_error[512];
	struct kk_diag *d;
};

/*
 * Runs one source now (enabled or not): takes the lease, runs the source
 * until it is current (or stopped), records the run. 0 when the source is
 * current (malformed records are counted, not errors); KK_EBUSY when
 * another sync of the source holds the lease; KK_ENOTFOUND for an unknown
 * name; another negative code with d naming the source and URL when the
 * run failed (what committed before stays, and the next run goes on from
 * there). *out (may be NULL) gets the run's counts.
 */
int kk_sync_run(struct kk_db *db, const char *name, const struct kk_sync_opts *o, struct kk_sync_counts *out,
                struct kk_diag *d);

/* --- for the sources (sources.c, src_*.c) --- */

/* GET url (base-relative when it starts with '/'), counted; conditional with etag/lm when given. */
int kk_sync_fetch(struct kk_sync *s, const char *url, const char *etag, const char *lm, const char *header,
                  struct kk_http_resp *r);
/*
 * Imports every record of the file at path (kk_import_open: plain, gzip or
 * xz) in one transaction together with the new cursor (and etag/lm when
 * not NULL); name labels reports (the URL). Counts go to s->c.
 */
int kk_sync_import(struct kk_sync *s, const char *path, const char *name, const char *cursor, const char *etag,
                   const char *lm);
/*
 * Imports a large file in batches of 1000 records, each its own transaction
 * (the lease renewed in each); the caller writes the cursor after it (a
 * rerun imports the file again, and its committed records come back
 * unchanged). For the local source's files. Progress is in bytes: each
 * batch writes s->done + the file's bytes read so far into the run row (so
 * the pages show a long file moving); s->done itself is the caller's.
 */
int kk_sync_import_file(struct kk_sync *s, const char *path, const char *name);
/* Writes the cursor (and etag/lm when not NULL) alone, for a unit with no records. */
int kk_sync_set_cursor(struct kk_sync *s, const char *cursor, const char *etag, const char *lm);
/* Names a malformed record or unit: logs it, counts it as skipped, keeps it as the run's last error. */
void kk_sync_malformed(struct kk_sync *s, const char *url, const char *record, const char *field, const char *msg);
/* Records progress (units done of total) in the run row; renews the lease. 0, or KK_EBUSY when asked to stop. */
int kk_sync_progress(struct kk_sync *s);
/* True when the caller asked the run to stop. */
bool kk_sync_stopping(const struct kk_sync *s);

/* --- settings and status --- */

struct kk_sync_set {
	int enabled;              /* -1 keep, 0, 1 */
	const char *base_url;     /* NULL keep, "" default */
	int interval_min;         /* -1 keep, 0 default */
	const char *options;      /* NULL keep, "" default */
	bool reset;               /* forget the cursor, ETag and Last-Modified: the next run starts afresh */
	const char *cursor;       /* NULL keep; a cursor to start from (nvd: {"since":"2024-01-01T00:00:00Z"}) */
};
/*
 * [own tx] Changes a source's settings. Enabling it schedules its job
 * (sync.source, due now) in the same transaction; disabling cancels it.
 * KK_ENOTFOUND for an unknown source, KK_EINVAL (d says which) for a bad value.
 */
int kk_sync_configure(struct kk_db *db, const char *name, const struct kk_sync_set *set, struct kk_diag *d);

struct kk_sync_status {
	const char *name, *what;
	bool enabled;
	const char *base_url;     /* effective */
	int interval_min;         /* effective */
	const char *options;      /* effective */
	const char *cursor;
	int64_t last_run_at, last_success_at, next_run_at; /* 0 when none */
	const char *last_error;   /* "" when none; kept until another error comes */
	int64_t last_error_at;    /* when it came; 0 when none */
	bool running;             /* a lease is held */
	long fetches, records, errors; /* totals */
	/* the last run */
	const char *run_status;   /* "" none, running, ok, failed, interrupted */
	struct kk_sync_counts last;
	long done, total;
	/* the runs in the last 24 hours, added up */
	struct kk_sync_counts day;
};
/* Calls fn for every source in table order (non-zero from fn stops). */
int kk_sync_status_each(struct kk_db *db, int (*fn)(void *arg, const struct kk_sync_status *st), void *arg);

/*
 * The status as a JSON array (one object per source: name, what, enabled,
 * url, interval_min, options, cursor, last_run_at, last_success_at,
 * next_run_at, last_error_at (ISO 8601 UTC or null), running, last_error, totals, and
 * last_run {status, fetches, not_modified, added, updated, unchanged,
 * withdrawn, skipped, done, total}, last_24h {...}). For `keikai sync
 * --status --json` and GET /api/v1/admin/sync.
 */
struct kk_json;
int kk_sync_status_json(struct kk_db *db, struct kk_json *j);

/* The scheduler's job kind: subject is sync_source.id. */
#define KK_SYNC_JOB "sync.source"
/*
 * [in the runner's tx] The job of an enabled source: marks it requested
 * and schedules the next run after its interval. A disabled source's job
 * ends. The requested runs are then made by kk_sync_run_requested outside
 * any transaction (the server's sync thread, `keikai tick`).
 */
int kk_sync_job(struct kk_db *db, int64_t subject, int64_t now, struct kk_diag *d);
/* Runs every requested source once (clearing the request); the number run or a negative code. */
int kk_sync_run_requested(struct kk_db *db, const struct kk_sync_opts *o);
/* True when some source is requested (cheap). */
bool kk_sync_any_requested(struct kk_db *db);

#endif
