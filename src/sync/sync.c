/*
 * sync.c — running a source: its lease, its cursor written with the records
 * it covers, its run log, its settings and status (sync.h).
 */
#include "sync/sync.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "store/db.h"
#include "store/sched.h"
#include "vulndb/import.h"
#include "vulndb/search.h"
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEASE_SECONDS 900 /* renewed with every unit and while waiting */

const struct kk_sync_source *kk_sync_source_find(const char *name)
{
	for (int i = 0; i < kk_sync_nsources; i++)
		if (!strcmp(kk_sync_sources[i].name, name))
			return &kk_sync_sources[i];
	return NULL;
}

bool kk_sync_stopping(const struct kk_sync *s)
{
	return s->opts && s->opts->stop && *s->opts->stop;
}

/* --- the lease --- */

static void make_owner(char *out, size_t n)
{
	char host[64] = "";
	gethostname(host, sizeof host - 1);
	for (char *p = host; *p; p++)
		if (*p == ' ')
			*p = '_';
	char nonce[13]; /* 6 random bytes in hex */
	kk_random_hex(nonce, 6);
	snprintf(out, n, "%s %ld %s", host[0] ? host : "-", (long)getpid(), nonce);
}

/* Whether the process named by a lease owner is known to be gone (same host, no such pid). */
static bool owner_gone(const char *owner)
{
	char host[64] = "", ohost[64];
	long pid;
	gethostname(host, sizeof host - 1);
	for (char *p = host; *p; p++)
		if (*p == ' ')
			*p = '_';
	if (sscanf(owner, "%63s %ld", ohost, &pid) != 2 || strcmp(ohost, host[0] ? host : "-") || pid <= 0)
		return false;
	if (pid == (long)getpid())
		return false; /* another thread of this process holds it */
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int ensure_row(struct kk_db *db, const char *name)
{
	int rc = kk_db_exec(db, "INSERT INTO sync_source (name) VALUES (?) ON CONFLICT (name) DO NOTHING", "s", name);
	return rc < 0 ? rc : 0;
}

static void copy_col(struct kk_stmt *st, int col, char *out, size_t n, const char *def)
{
	kk_strlcpy(out, kk_stmt_is_null(st, col) ? def : kk_stmt_text(st, col), n);
}

static int take_lease_tx(struct kk_db *db, void *arg)
{
	struct kk_sync *s = arg;
	int64_t now = kk_clock_now();
	KK_TRY(ensure_row(db, s->src->name));
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT id, lease_owner, lease_until, base_url, options, cursor, etag, last_modified "
	                     "FROM sync_source WHERE name = ?",
	                     &st));
	kk_stmt_bind_text(st, 1, s->src->name, -1);
	int rc = kk_stmt_step(st);
	if (rc != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : KK_EINTERNAL;
	}
	s->source_id = kk_stmt_int64(st, 0);
	char owner[96];
	copy_col(st, 1, owner, sizeof owner, "");
	int64_t until = kk_stmt_int64(st, 2);
	copy_col(st, 3, s->base_url, sizeof s->base_url, s->src->url);
	copy_col(st, 4, s->options, sizeof s->options, s->src->options);
	copy_col(st, 5, s->cursor, sizeof s->cursor, "");
	copy_col(st, 6, s->etag, sizeof s->etag, "");
	copy_col(st, 7, s->last_modified, sizeof s->last_modified, "");
	kk_stmt_done(st);
	if (owner[0] && until >= now && !owner_gone(owner))
		return kk_diag_set(s->d, KK_EBUSY, NULL,
		                   "sync %s: another sync of this source is running (%s); it was not started again",
		                   s->src->name, owner);
	if (owner[0]) { /* a run that died (kill -9, power) or overran its lease: its counts join the totals */
		KK_TRY(kk_db_exec(db,
		                  "UPDATE sync_source SET fetches = fetches + r.f, records = records + r.n, errors = errors + "
		                  "r.e FROM (SELECT coalesce(sum(fetches),0) AS f, coalesce(sum(added + updated),0) AS n, "
		                  "coalesce(sum(skipped + 1),0) AS e FROM sync_run WHERE source_id = ? AND status = "
		                  "'running') AS r WHERE id = ?",
		                  "ii", s->source_id, s->source_id));
		KK_TRY(kk_db_exec(db,
		                  "UPDATE sync_run SET status = 'interrupted', finished_at = ? WHERE source_id = ? AND "
		                  "status = 'running'",
		                  "ii", now, s->source_id));
	}
	KK_TRY(kk_db_exec(db,
	                  "UPDATE sync_source SET lease_owner = ?, lease_until = ?, last_run_at = ?, requested_at = "
	                  "NULL WHERE id = ?",
	                  "siii", s->owner, now + LEASE_SECONDS, now, s->source_id));
	KK_TRY(kk_db_exec(db, "INSERT INTO sync_run (source_id, started_at) VALUES (?, ?)", "ii", s->source_id, now));
	s->run_id = kk_db_last_insert_id(db);
	return 0;
}

/* Renews the lease; KK_ECONFLICT when it is no longer ours (taken over). In the caller's tx or alone. */
static int renew(struct kk_db *db, struct kk_sync *s)
{
	int rc = kk_db_exec(db, "UPDATE sync_source SET lease_until = ? WHERE id = ? AND lease_owner = ?", "iis",
	                    kk_clock_now() + LEASE_SECONDS, s->source_id, s->owner);
	if (rc == 0)
		return kk_diag_set(s->d, KK_ECONFLICT, NULL,
		                   "sync %s: the lease was taken over by another process; this run stops", s->src->name);
	return rc < 0 ? rc : 0;
}

static int run_row(struct kk_db *db, struct kk_sync *s, const char *status)
{
	const struct kk_sync_counts *c = &s->c;
	return kk_db_exec(db,
	                  "UPDATE sync_run SET status = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END, fetches = ?, not_modified = ?, added = ?, "
	                  "updated = ?, unchanged = ?, withdrawn = ?, skipped = ?, done = ?, total = ?, error = ? "
	                  "WHERE id = ?",
	                  "ssiiiiiiiiiisi", status, status, kk_clock_now(), (int64_t)c->fetches, (int64_t)c->not_modified, (int64_t)c->added,
	                  (int64_t)c->updated, (int64_t)c->unchanged, (int64_t)c->withdrawn, (int64_t)c->skipped,
	                  (int64_t)s->done, (int64_t)s->total, s->last_error[0] ? s->last_error : NULL, s->run_id);
}

static int progress_tx(struct kk_db *db, void *arg)
{
	struct kk_sync *s = arg;
	KK_TRY(renew(db, s));
	int rc = run_row(db, s, "running");
	return rc < 0 ? rc : 0;
}

int kk_sync_progress(struct kk_sync *s)
{
	if (s->opts && s->opts->progress)
		s->opts->progress(s->opts->arg, s->src->name, s->done, s->total, &s->c);
	KK_TRY(kk_db_tx(s->db, progress_tx, s));
	return kk_sync_stopping(s) ? kk_diag_set(s->d, KK_EBUSY, NULL, "sync %s: stopped", s->src->name) : 0;
}

struct finish {
	struct kk_sync *s;
	int rc;
	const char *msg;
};

static int finish_tx(struct kk_db *db, void *arg)
{
	struct finish *f = arg;
	struct kk_sync *s = f->s;
	int64_t now = kk_clock_now();
	const char *status = f->rc == 0 ? "ok" : f->rc == KK_EBUSY && kk_sync_stopping(s) ? "interrupted" : "failed";
	if (f->rc && f->msg && *f->msg)
		kk_strlcpy(s->last_error, f->msg, sizeof s->last_error);
	KK_TRY(run_row(db, s, status));
	long records = s->c.added + s->c.updated;
	int rc = kk_db_exec(db,
	                    "UPDATE sync_source SET lease_owner = NULL, lease_until = NULL, fetches = fetches + ?, "
	                    "records = records + ?, errors = errors + ?, "
	                    "last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END, "
	                    "last_error = coalesce(?, last_error), last_error_at = CASE WHEN ? THEN ? ELSE last_error_at "
	                    "END WHERE id = ? AND lease_owner = ?",
	                    "iiiiisiiis", (int64_t)s->c.fetches, (int64_t)records,
	                    (int64_t)(s->c.skipped + (f->rc != 0)), (int64_t)(f->rc == 0), now,
	                    s->last_error[0] ? s->last_error : NULL, (int64_t)(s->last_error[0] != 0), now,
	                    s->source_id, s->owner);
	return rc < 0 ? rc : 0;
}

/* The wait between retries and for the rate limit: slices, the stop flag, the lease kept alive. */
static int sync_wait(void *arg, int64_t ms)
{
	struct kk_sync *s = arg;
	int64_t slept = 0, since_renew = 0;
	while (slept < ms) {
		if (kk_sync_stopping(s))
			return 1;
		int64_t step = ms - slept < 200 ? ms - slept : 200;
		struct timespec ts = {0, (long)step * 1000000L};
		nanosleep(&ts, NULL);
		slept += step;
		since_renew += step;
		if (since_renew >= 60000) {
			since_renew = 0;
			renew(s->db, s);
		}
	}
	return 0;
}

int kk_sync_run(struct kk_db *db, const char *name, const struct kk_sync_opts *o, struct kk_sync_counts *out,
                struct kk_diag *d)
{
	const struct kk_sync_source *src = kk_sync_source_find(name);
	if (!src)
		return kk_diag_set(d, KK_ENOTFOUND, NULL, "no sync source '%s' (see 'keikai sync --status')", name);
	struct kk_sync *s = kk_calloc(1, sizeof *s);
	if (!s)
		return KK_ENOMEM;
	static const struct kk_sync_opts none;
	s->db = db;
	s->src = src;
	s->opts = o ? o : &none;
	s->d = d;
	make_owner(s->owner, sizeof s->owner);
	int rc = kk_http_init(&s->http);
	if (rc == 0)
		rc = kk_db_tx(db, take_lease_tx, s);
	if (rc < 0) {
		kk_http_release(&s->http);
		kk_free(s);
		return rc;
	}
	s->http.wait = sync_wait;
	s->http.wait_arg = s;
	size_t bl = strlen(s->base_url);
	while (bl > 1 && s->base_url[bl - 1] == '/')
		s->base_url[--bl] = 0;
	kk_diag_clear(d);
	rc = src->run(s);
	if (rc == 0) {
		long n = 0;
		/* records that joined or changed: their search rows (new ones were indexed with them) */
		rc = kk_search_reindex_stale(db, &n);
		if (rc < 0)
			kk_diag_set(d, rc, NULL, "sync %s: the search index was not updated: %s", name, kk_db_errmsg(db));
	}
	if (rc < 0 && !d->msg[0])
		kk_diag_set(d, rc, NULL, "sync %s: %s", name, kk_err_msg(rc));
	struct finish f = {s, rc, d->msg};
	int frc = kk_db_tx(db, finish_tx, &f);
	if (frc < 0 && rc == 0)
		rc = frc;
	if (rc == 0)
		kk_info("sync %s: %ld fetches (%ld not modified), %ld added, %ld updated, %ld unchanged, %ld withdrawn, "
		        "%ld skipped",
		        name, s->c.fetches, s->c.not_modified, s->c.added, s->c.updated, s->c.unchanged, s->c.withdrawn,
		        s->c.skipped);
	else
		kk_warn("%s", d->msg);
	if (out)
		*out = s->c;
	kk_http_release(&s->http);
	kk_free(s);
	return rc;
}

/* --- what sources call --- */

int kk_sync_fetch(struct kk_sync *s, const char *url, const char *etag, const char *lm, const char *header,
                  struct kk_http_resp *r)
{
	char full[2048];
	if (url[0] == '/')
		snprintf(full, sizeof full, "%s%s", s->base_url, url);
	else
		kk_strlcpy(full, url, sizeof full);
	if (kk_sync_stopping(s))
		return kk_diag_set(s->d, KK_EBUSY, NULL, "sync %s: stopped", s->src->name);
	long before = s->http.requests;
	struct kk_diag hd;
	kk_diag_clear(&hd);
	int rc = kk_http_fetch(&s->http, &(struct kk_http_get){full, etag, lm, header}, r, &hd);
	s->c.fetches += s->http.requests - before;
	if (rc < 0) {
		kk_diag_set(s->d, rc, NULL, "sync %s: %s", s->src->name, hd.msg);
		return rc;
	}
	s->c.not_modified += r->status == 304;
	return 0;
}

/* Keeps msg as the run's last error, logs it and hands it to the caller's report. */
static void note(struct kk_sync *s, const char *msg)
{
	kk_strlcpy(s->last_error, msg, sizeof s->last_error);
	kk_warn("%s", msg);
	if (s->opts->report)
		s->opts->report(s->opts->arg, msg);
}

void kk_sync_malformed(struct kk_sync *s, const char *url, const char *record, const char *field, const char *msg)
{
	char m[512];
	snprintf(m, sizeof m, "sync %s: %s: %s: %s%s%s (skipped)", s->src->name, url, record && *record ? record : "-",
	         field && *field ? field : "", field && *field ? ": " : "", msg);
	s->c.skipped++;
	note(s, m);
}

struct unit {
	struct kk_sync *s;
	const char *cursor, *etag, *lm;
	int wrote;
	/*
	 * A file imported in batches (kk_sync_import_file) shows its progress in
	 * bytes: kk_import_open advances `bytes` on the reading thread, the
	 * import's progress hook hands base + bytes to the writer thread through
	 * `live`, and each batch's transaction writes it into the run row.
	 */
	bool by_bytes;
	uint64_t bytes;
	long base;
	atomic_long live;
};

static int write_cursor(struct kk_db *db, struct unit *u)
{
	struct kk_sync *s = u->s;
	if (!u->cursor && !u->etag && !u->lm)
		return renew(db, s);
	int rc = kk_db_exec(db,
	                    "UPDATE sync_source SET cursor = coalesce(?, cursor), etag = coalesce(?, etag), "
	                    "last_modified = coalesce(?, last_modified), lease_until = ? WHERE id = ? AND lease_owner = ?",
	                    "sssiis", u->cursor, u->etag, u->lm, kk_clock_now() + LEASE_SECONDS, s->source_id, s->owner);
	if (rc == 0)
		return kk_diag_set(s->d, KK_ECONFLICT, NULL,
		                   "sync %s: the lease was taken over by another process; this unit is rolled back",
		                   s->src->name);
	if (rc < 0)
		return rc;
	u->wrote = 1;
	return 0;
}

/*
 * Tests only: KEIKAI_TEST_SYNC_KILL="before-cursor:N" or "after-cursor:N"
 * kills the process (SIGKILL) inside the transaction of the Nth unit that
 * carries a cursor, after its records and before or after its cursor;
 * "after-commit:N" right after that transaction committed. A test shows
 * that records and cursor commit together (t1308).
 */
static void test_kill(struct unit *u, const char *where)
{
	static atomic_int units;
	const char *v = getenv("KEIKAI_TEST_SYNC_KILL");
	if (!v || !*v || !u->cursor)
		return;
	if (!strcmp(where, "before-cursor")) /* counted once per unit */
		atomic_fetch_add(&units, 1);
	size_t n = strlen(where);
	if (strncmp(v, where, n) || v[n] != ':')
		return;
	if (atomic_load(&units) == atoi(v + n + 1))
		raise(SIGKILL);
}

/* In each batch's transaction, on the importer's writer thread. */
static int unit_commit(void *arg, struct kk_db *db)
{
	struct unit *u = arg;
	if (kk_sync_stopping(u->s)) /* the batch rolls back; a rerun imports it again */
		return KK_EBUSY;
	test_kill(u, "before-cursor");
	KK_TRY(write_cursor(db, u));
	test_kill(u, "after-cursor");
	if (!u->by_bytes)
		return 0;
	int rc = kk_db_exec(db, "UPDATE sync_run SET done = ? WHERE id = ?", "ii", (int64_t)atomic_load(&u->live),
	                    u->s->run_id);
	return rc < 0 ? rc : 0;
}

/* The import's progress hook, on the reading thread. */
static void unit_progress(void *arg, const struct kk_import *imp)
{
	(void)imp;
	struct unit *u = arg;
	struct kk_sync *s = u->s;
	long live = u->base + (long)u->bytes;
	atomic_store(&u->live, live);
	if (s->opts->progress)
		s->opts->progress(s->opts->arg, s->src->name, live, s->total, &s->c);
}

static int cursor_tx(struct kk_db *db, void *arg)
{
	return write_cursor(db, arg);
}

static void keep(struct kk_sync *s, const struct unit *u)
{
	if (u->cursor)
		kk_strlcpy(s->cursor, u->cursor, sizeof s->cursor);
	if (u->etag)
		kk_strlcpy(s->etag, u->etag, sizeof s->etag);
	if (u->lm)
		kk_strlcpy(s->last_modified, u->lm, sizeof s->last_modified);
}

int kk_sync_set_cursor(struct kk_sync *s, const char *cursor, const char *etag, const char *lm)
{
	struct unit u = {.s = s, .cursor = cursor, .etag = etag, .lm = lm};
	KK_TRY(kk_db_tx(s->db, cursor_tx, &u));
	keep(s, &u);
	return 0;
}

struct import_ui {
	struct kk_sync *s;
};

static void import_report(void *arg, const char *file, const char *id, const struct kk_diag *d)
{
	struct unit *u = arg;
	char m[512];
	snprintf(m, sizeof m, "sync %s: %s: %s: %s%s%s (skipped)", u->s->src->name, file, id && *id ? id : "-",
	         d->where, d->where[0] ? ": " : "", d->msg);
	note(u->s, m);
}

/* batch 0: the whole file in one transaction with the cursor; else batches of that many, lease renewed in each */
static int import_unit(struct kk_sync *s, const char *path, const char *name, struct unit *u, size_t batch)
{
	struct kk_import_opts o = {
	    .format = KK_VF_AUTO,
	    .batch = batch ? batch : 100000, /* the unit is one transaction, with its cursor */
	    .report = import_report,
	    .progress = u->by_bytes ? unit_progress : NULL,
	    .commit = unit_commit,
	    .arg = u,
	};
	FILE *f = kk_import_open(path, u->by_bytes ? &u->bytes : NULL);
	if (!f)
		return kk_diag_set(s->d, KK_EIO, NULL, "sync %s: %s: cannot read the answer: %s", s->src->name, name,
		                   strerror(errno));
	struct kk_import imp;
	kk_import_init(&imp, s->db, &o);
	int rc = kk_import_stream(&imp, f, name);
	if (!rc)
		rc = kk_import_finish(&imp);
	fclose(f);
	if (rc == 0) {
		s->c.added += imp.added + imp.merged;
		s->c.updated += imp.updated;
		s->c.unchanged += imp.unchanged + imp.older;
		s->c.skipped += imp.skipped + imp.bad_files;
	}
	kk_import_release(&imp);
	if (rc < 0) {
		if (kk_sync_stopping(s))
			return kk_diag_set(s->d, KK_EBUSY, NULL, "sync %s: stopped", s->src->name);
		if (!s->d->msg[0])
			kk_diag_set(s->d, rc, NULL, "sync %s: %s: the records were not stored: %s", s->src->name, name,
			            kk_db_errmsg(s->db));
		return rc;
	}
	return 0;
}

int kk_sync_import(struct kk_sync *s, const char *path, const char *name, const char *cursor, const char *etag,
                   const char *lm)
{
	struct unit u = {.s = s, .cursor = cursor, .etag = etag, .lm = lm};
	KK_TRY(import_unit(s, path, name, &u, 0));
	test_kill(&u, "after-commit");
	if (!u.wrote) /* nothing to store (every record skipped, or none): the cursor alone */
		KK_TRY(kk_db_tx(s->db, cursor_tx, &u));
	keep(s, &u);
	return 0;
}

int kk_sync_import_file(struct kk_sync *s, const char *path, const char *name)
{
	struct unit u = {.s = s, .by_bytes = true, .base = s->done};
	atomic_init(&u.live, s->done);
	return import_unit(s, path, name, &u, 1000);
}

/* --- settings --- */

struct conf {
	const char *name;
	const struct kk_sync_set *set;
	struct kk_diag *d;
};

static int configure_tx(struct kk_db *db, void *arg)
{
	struct conf *c = arg;
	const struct kk_sync_set *set = c->set;
	KK_TRY(ensure_row(db, c->name));
	if (set->base_url)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET base_url = ? WHERE name = ?", "ss",
		                  *set->base_url ? set->base_url : NULL, c->name));
	if (set->interval_min >= 0)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET interval_min = ? WHERE name = ?", "is",
		                  (int64_t)set->interval_min, c->name));
	if (set->interval_min == 0)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET interval_min = NULL WHERE name = ?", "s", c->name));
	if (set->options)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET options = ? WHERE name = ?", "ss",
		                  *set->options ? set->options : NULL, c->name));
	if (set->reset)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET cursor = '', etag = '', last_modified = '' WHERE name = ?", "s",
		                  c->name));
	if (set->cursor)
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET cursor = ? WHERE name = ?", "ss", set->cursor, c->name));
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT id FROM sync_source WHERE name = ?", &st));
	kk_stmt_bind_text(st, 1, c->name, -1);
	int rc = kk_stmt_step(st);
	int64_t id = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_EINTERNAL;
	if (set->enabled == 1) {
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET enabled = 1 WHERE id = ?", "i", id));
		int64_t due;
		if (kk_sched_due(db, KK_SYNC_JOB, id, &due) != 0) /* not scheduled yet: run now */
			KK_TRY(kk_sched_at(db, KK_SYNC_JOB, id, kk_clock_now(), NULL, c->d));
	} else if (set->enabled == 0) {
		KK_TRY(kk_db_exec(db, "UPDATE sync_source SET enabled = 0, requested_at = NULL WHERE id = ?", "i", id));
		KK_TRY(kk_sched_cancel(db, KK_SYNC_JOB, id, c->d));
	}
	return 0;
}

int kk_sync_configure(struct kk_db *db, const char *name, const struct kk_sync_set *set, struct kk_diag *d)
{
	const struct kk_sync_source *src = kk_sync_source_find(name);
	if (!src)
		return kk_diag_set(d, KK_ENOTFOUND, NULL, "no sync source '%s' (see 'keikai sync --status')", name);
	if (set->base_url && *set->base_url && strcmp(src->name, "local") &&
	    !kk_starts_with(set->base_url, "https://") && !kk_starts_with(set->base_url, "http://"))
		return kk_diag_set(d, KK_EINVAL, "url", "the base URL of %s must start with https:// or http://, got '%s'",
		                   name, set->base_url);
	if (set->interval_min > 7 * 24 * 60)
		return kk_diag_set(d, KK_EINVAL, "interval", "the interval is minutes, 1..10080 (a week); got %d",
		                   set->interval_min);
	struct conf c = {src->name, set, d};
	return kk_db_tx(db, configure_tx, &c);
}

/* --- the scheduler --- */

int kk_sync_job(struct kk_db *db, int64_t subject, int64_t now, struct kk_diag *d)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT name, enabled, interval_min FROM sync_source WHERE id = ?", &st));
	kk_stmt_bind_int64(st, 1, subject);
	int rc = kk_stmt_step(st);
	if (rc != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : 0; /* the source is gone: the job ends */
	}
	const struct kk_sync_source *src = kk_sync_source_find(kk_stmt_text(st, 0));
	bool enabled = kk_stmt_int64(st, 1) != 0;
	int64_t interval = kk_stmt_is_null(st, 2) ? 0 : kk_stmt_int64(st, 2);
	kk_stmt_done(st);
	if (!src || !enabled)
		return 0;
	if (interval <= 0)
		interval = src->interval_min;
	KK_TRY(kk_db_exec(db, "UPDATE sync_source SET requested_at = ? WHERE id = ?", "ii", now, subject));
	return kk_sched_at(db, KK_SYNC_JOB, subject, now + interval * 60, NULL, d);
}

bool kk_sync_any_requested(struct kk_db *db)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db, "SELECT 1 FROM sync_source WHERE requested_at IS NOT NULL LIMIT 1", &st))
		return false;
	bool any = kk_stmt_step(st) == KK_ROW;
	kk_stmt_done(st);
	return any;
}

int kk_sync_run_requested(struct kk_db *db, const struct kk_sync_opts *o)
{
	int ran = 0;
	for (int i = 0; i < kk_sync_nsources; i++) {
		if (o && o->stop && *o->stop)
			break;
		struct kk_stmt *st;
		KK_TRY(kk_db_prepare(db, "SELECT 1 FROM sync_source WHERE name = ? AND requested_at IS NOT NULL", &st));
		kk_stmt_bind_text(st, 1, kk_sync_sources[i].name, -1);
		int rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc != KK_ROW)
			continue;
		struct kk_diag d;
		kk_diag_clear(&d);
		rc = kk_sync_run(db, kk_sync_sources[i].name, o, NULL, &d);
		if (rc == KK_EBUSY && !(o && o->stop && *o->stop)) /* another process runs it: that run answers the request */
			kk_db_exec(db, "UPDATE sync_source SET requested_at = NULL WHERE name = ?", "s", kk_sync_sources[i].name);
		ran++;
	}
	return ran;
}

/* --- status --- */

static void counts_from(struct kk_stmt *st, int col, struct kk_sync_counts *c)
{
	c->fetches = (long)kk_stmt_int64(st, col);
	c->not_modified = (long)kk_stmt_int64(st, col + 1);
	c->added = (long)kk_stmt_int64(st, col + 2);
	c->updated = (long)kk_stmt_int64(st, col + 3);
	c->unchanged = (long)kk_stmt_int64(st, col + 4);
	c->withdrawn = (long)kk_stmt_int64(st, col + 5);
	c->skipped = (long)kk_stmt_int64(st, col + 6);
}

int kk_sync_status_each(struct kk_db *db, int (*fn)(void *arg, const struct kk_sync_status *st), void *arg)
{
	int64_t now = kk_clock_now();
	for (int i = 0; i < kk_sync_nsources; i++) {
		const struct kk_sync_source *src = &kk_sync_sources[i];
		struct kk_sync_status s = {.name = src->name, .what = src->what, .base_url = src->url,
		                           .interval_min = src->interval_min, .options = src->options,
		                           .cursor = "", .last_error = "", .run_status = ""};
		struct kk_stmt *st;
		KK_TRY(kk_db_prepare(db,
		                     "SELECT id, enabled, base_url, interval_min, options, cursor, last_run_at, "
		                     "last_success_at, last_error, lease_owner IS NOT NULL AND lease_until >= ?, fetches, "
		                     "records, errors, last_error_at FROM sync_source WHERE name = ?",
		                     &st));
		kk_stmt_bind_int64(st, 1, now);
		kk_stmt_bind_text(st, 2, src->name, -1);
		int rc = kk_stmt_step(st);
		if (rc < 0) {
			kk_stmt_done(st);
			return rc;
		}
		/* strings live in these buffers until fn returns */
		char url[512], opts[512], cursor[4096], err[512];
		int64_t id = 0;
		if (rc == KK_ROW) {
			id = kk_stmt_int64(st, 0);
			s.enabled = kk_stmt_int64(st, 1) != 0;
			copy_col(st, 2, url, sizeof url, src->url);
			s.base_url = url;
			if (!kk_stmt_is_null(st, 3))
				s.interval_min = (int)kk_stmt_int64(st, 3);
			copy_col(st, 4, opts, sizeof opts, src->options);
			s.options = opts;
			copy_col(st, 5, cursor, sizeof cursor, "");
			s.cursor = cursor;
			s.last_run_at = kk_stmt_int64(st, 6);
			s.last_success_at = kk_stmt_int64(st, 7);
			copy_col(st, 8, err, sizeof err, "");
			s.last_error = err;
			s.running = kk_stmt_int64(st, 9) != 0;
			s.fetches = (long)kk_stmt_int64(st, 10);
			s.records = (long)kk_stmt_int64(st, 11);
			s.errors = (long)kk_stmt_int64(st, 12);
			s.last_error_at = kk_stmt_int64(st, 13);
		}
		kk_stmt_done(st);
		char run_status[16] = "";
		if (id) {
			int64_t due;
			if (kk_sched_due(db, KK_SYNC_JOB, id, &due) == 0)
				s.next_run_at = due;
			KK_TRY(kk_db_prepare(db,
			                     "SELECT status, fetches, not_modified, added, updated, unchanged, withdrawn, "
			                     "skipped, done, total FROM sync_run WHERE source_id = ? ORDER BY id DESC LIMIT 1",
			                     &st));
			kk_stmt_bind_int64(st, 1, id);
			if ((rc = kk_stmt_step(st)) == KK_ROW) {
				kk_strlcpy(run_status, kk_stmt_text(st, 0), sizeof run_status);
				counts_from(st, 1, &s.last);
				s.done = (long)kk_stmt_int64(st, 8);
				s.total = (long)kk_stmt_int64(st, 9);
			}
			kk_stmt_done(st);
			KK_TRY(rc);
			KK_TRY(kk_db_prepare(db,
			                     "SELECT coalesce(sum(fetches),0), coalesce(sum(not_modified),0), "
			                     "coalesce(sum(added),0), coalesce(sum(updated),0), coalesce(sum(unchanged),0), "
			                     "coalesce(sum(withdrawn),0), coalesce(sum(skipped),0) FROM sync_run "
			                     "WHERE source_id = ? AND started_at >= ?",
			                     &st));
			kk_stmt_bind_int64(st, 1, id);
			kk_stmt_bind_int64(st, 2, now - 86400);
			if ((rc = kk_stmt_step(st)) == KK_ROW)
				counts_from(st, 0, &s.day);
			kk_stmt_done(st);
			KK_TRY(rc);
		}
		s.run_status = run_status;
		if ((rc = fn(arg, &s)))
			return rc;
	}
	return 0;
}
