/*
 * import.c — reads record files (plain/gzip/xz; one record, arrays, JSON
 * Lines, NVD feeds streamed item by item), parses and upserts them in
 * batches of one transaction each, and keeps the counts and skip reasons.
 */
#include "vulndb/import.h"
#include "vulndb/import_jvn.h"
#include "vulndb/import_side.h"
#include "vulndb/search.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "store/db.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RECORD_MAX (64u << 20) /* one record's JSON; NVD's largest items are a few MB */

/* ---- decompressing reader behind a FILE * (fopencookie) ---- */

enum { SRC_PLAIN, SRC_GZ, SRC_XZ };

struct src {
	int fd, kind, eof, done;
	uint64_t *counter;
	unsigned char in[1 << 16];
	size_t in_pos, in_len;
	z_stream z;
	lzma_stream x;
};

/* Refills src->in when it is empty. 0, or -1 on a read error. */
static int src_fill(struct src *s)
{
	if (s->in_pos < s->in_len || s->eof)
		return 0;
	ssize_t n;
	do
		n = read(s->fd, s->in, sizeof s->in);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		s->eof = 1;
	s->in_pos = 0;
	s->in_len = (size_t)n;
	if (s->counter)
		*s->counter += (uint64_t)n;
	return 0;
}

static ssize_t src_read(void *cookie, char *buf, size_t size)
{
	struct src *s = cookie;
	while (!s->done) {
		if (src_fill(s))
			return -1;
		size_t avail = s->in_len - s->in_pos;
		if (s->kind == SRC_PLAIN) {
			if (!avail) {
				s->done = s->eof;
				continue;
			}
			size_t n = avail < size ? avail : size;
			memcpy(buf, s->in + s->in_pos, n);
			s->in_pos += n;
			return (ssize_t)n;
		}
		if (s->kind == SRC_GZ) {
			if (!avail && s->eof) {
				s->done = 1;
				if (s->z.total_in && s->z.total_out == 0)
					return -1;
				break;
			}
			s->z.next_in = s->in + s->in_pos;
			s->z.avail_in = (uInt)avail;
			s->z.next_out = (Bytef *)buf;
			s->z.avail_out = (uInt)(size > UINT32_MAX ? UINT32_MAX : size);
			int rc = inflate(&s->z, Z_NO_FLUSH);
			s->in_pos = s->in_len - s->z.avail_in;
			size_t out = size - s->z.avail_out;
			if (rc == Z_STREAM_END)
				inflateReset(&s->z); /* another gzip member may follow */
			else if (rc != Z_OK && rc != Z_BUF_ERROR) {
				errno = EILSEQ;
				return -1;
			}
			if (out)
				return (ssize_t)out;
			if (rc == Z_BUF_ERROR && s->eof && s->in_pos == s->in_len) {
				errno = EILSEQ; /* truncated */
				return -1;
			}
			continue;
		}
		s->x.next_in = s->in + s->in_pos;
		s->x.avail_in = avail;
		s->x.next_out = (uint8_t *)buf;
		s->x.avail_out = size;
		lzma_ret rc = lzma_code(&s->x, s->eof && !avail ? LZMA_FINISH : LZMA_RUN);
		s->in_pos = s->in_len - s->x.avail_in;
		size_t out = size - s->x.avail_out;
		if (rc == LZMA_STREAM_END)
			s->done = 1;
		else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
			errno = EILSEQ;
			return -1;
		}
		if (out)
			return (ssize_t)out;
	}
	return 0;
}

static int src_close(void *cookie)
{
	struct src *s = cookie;
	if (s->kind == SRC_GZ)
		inflateEnd(&s->z);
	else if (s->kind == SRC_XZ)
		lzma_end(&s->x);
	int rc = s->fd > 0 ? close(s->fd) : 0;
	kk_free(s);
	return rc;
}

FILE *kk_import_open(const char *path, uint64_t *counter)
{
	struct src *s = kk_calloc(1, sizeof *s);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->counter = counter;
	s->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (s->fd < 0) {
		int e = errno;
		kk_free(s);
		errno = e;
		return NULL;
	}
	/* peek the magic bytes; they stay in s->in as the first input */
	while (s->in_len < 6 && !s->eof) {
		ssize_t n = read(s->fd, s->in + s->in_len, 6 - s->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			s->eof = 1;
		s->in_len += (size_t)n;
	}
	if (counter)
		*counter += s->in_len;
	if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
		s->kind = SRC_GZ;
		if (inflateInit2(&s->z, 15 + 16) != Z_OK)
			goto fail;
	} else if (s->in_len >= 6 && !memcmp(s->in,
	                                     "\xfd"
	                                     "7zXZ\0",
	                                     6)) {
		s->kind = SRC_XZ;
		lzma_stream init = LZMA_STREAM_INIT;
		s->x = init;
		if (lzma_stream_decoder(&s->x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
			goto fail;
	}
	cookie_io_functions_t io = {.read = src_read, .close = src_close};
	FILE *f = fopencookie(s, "r", io);
	if (!f)
		goto fail;
	return f;
fail : {
	int e = errno ? errno : EIO;
	if (s->fd > 0)
		close(s->fd);
	kk_free(s);
	errno = e;
	return NULL;
}
}

/* ---- splitting a stream into JSON values ---- */

static int skip_ws(FILE *f)
{
	int c;
	do
		c = getc_unlocked(f);
	while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
	return c;
}

/*
 * Reads the raw text of one JSON value whose first character c was already
 * read into b (reset first). Objects, arrays and strings end at their
 * closing character; a scalar ends before the next delimiter (pushed back).
 * Whitespace outside strings is dropped, so the text (and the content hash
 * taken of it) does not depend on how the source was indented.
 * 0; KK_EPARSE at end of input inside the value; KK_ETOOBIG when it is
 * longer than RECORD_MAX (the value is consumed all the same).
 */
static int read_value(FILE *f, int c, struct kk_buf *b)
{
	int depth = 0, in_str = 0, esc = 0, big = 0;
	kk_buf_reset(b);
	if (c != '{' && c != '[' && c != '"') {
		/* scalar: number, true, false, null */
		while (c != EOF && !strchr(",]} \t\r\n", c)) {
			kk_buf_putc(b, (char)c);
			c = getc_unlocked(f);
		}
		if (c != EOF)
			ungetc(c, f);
		return kk_buf_error(b) ? KK_ETOOBIG : 0;
	}
	for (;; c = getc_unlocked(f)) {
		if (c == EOF)
			return KK_EPARSE;
		if (!in_str && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
			continue; /* insignificant: the raw text is also what the content hash covers */
		if (!big) {
			/* fast path: append without the buffer's checks when there is room */
			if (b->len + 1 < b->cap) {
				b->ptr[b->len++] = (char)c;
				b->ptr[b->len] = 0;
			} else if (kk_buf_putc(b, (char)c)) {
				big = 1;
			}
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				if (depth == 0)
					break;
			}
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				break;
		}
	}
	return big ? KK_ETOOBIG : 0;
}

/* ---- the importer ---- */

/*
 * Two threads when writing to a database: the caller's thread reads and
 * parses (jansson is the larger half of the work), a writer thread runs the
 * transactions. NBATCH batches circulate: one being filled, one waiting,
 * one being written; the parser waits when all are taken.
 */
#define NBATCH 3

/* A dictionary line or a KEV entry (import_side.h) riding in a batch. */
struct side {
	enum kk_vuln_format fmt; /* KK_VF_JVN_PRODUCTS or KK_VF_KEV */
	union {
		struct kk_dict_entry dict;
		struct kk_kev_entry kev;
	} u;
};

/* What the writer learns of a stored record: its row id, and for a new one the id the index needs. */
struct stored {
	int64_t vuln_id;
	int outcome;
	char jvndb[24];
};

struct batch {
	struct kk_arena arena;
	struct kk_vuln_rec *recs;
	struct kk_search_doc *docs; /* each record's index text (parser thread) */
	struct stored *stored;      /* (writer thread) */
	struct kk_search_new *fresh;
	size_t n;
	struct side *sides;
	size_t nside; /* the batch is full when n + nside reaches opts.batch */
};

struct kk_import_pipe {
	struct batch b[NBATCH];
	struct batch *cur;           /* being filled (parser thread) */
	struct batch *queue[NBATCH]; /* full, in order */
	struct batch *free_[NBATCH];
	int qlen, nfree;
	int started, stop, err;
	long commits;       /* batches committed (the checkpointer follows them) */
	struct kk_db *ckpt_db;
	int ckpt_started;
	pthread_t th, ckpt_th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void batch_free(struct batch *b)
{
	kk_free(b->recs);
	kk_free(b->sides);
	kk_free(b->docs);
	kk_free(b->stored);
	kk_free(b->fresh);
}

static int pipe_new(struct kk_import *imp)
{
	struct kk_import_pipe *p = kk_calloc(1, sizeof *p);
	if (!p)
		return KK_ENOMEM;
	for (int i = 0; i < NBATCH; i++) {
		kk_arena_init(&p->b[i].arena, 0);
		p->b[i].recs = kk_calloc(imp->opts.batch, sizeof *p->b[i].recs);
		p->b[i].sides = kk_calloc(imp->opts.batch, sizeof *p->b[i].sides);
		p->b[i].docs = kk_calloc(imp->opts.batch, sizeof *p->b[i].docs);
		p->b[i].stored = kk_calloc(imp->opts.batch, sizeof *p->b[i].stored);
		p->b[i].fresh = kk_calloc(imp->opts.batch, sizeof *p->b[i].fresh);
		if (!p->b[i].recs || !p->b[i].sides || !p->b[i].docs || !p->b[i].stored || !p->b[i].fresh) {
			for (int j = 0; j <= i; j++)
				batch_free(&p->b[j]);
			kk_free(p);
			return KK_ENOMEM;
		}
		if (i)
			p->free_[p->nfree++] = &p->b[i];
	}
	p->cur = &p->b[0];
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	imp->pipe = p;
	return 0;
}

void kk_import_init(struct kk_import *imp, struct kk_db *db, const struct kk_import_opts *opts)
{
	memset(imp, 0, sizeof *imp);
	imp->db = db;
	if (opts)
		imp->opts = *opts;
	if (!imp->opts.batch)
		imp->opts.batch = 1000;
	imp->started_ns = kk_clock_mono_ns();
	/*
	 * Statement journals (the undo of one statement inside the batch's
	 * transaction: any insert with a trigger keeps one) in memory, not in a
	 * temporary file: a tenth of an import's CPU time went to writing them.
	 */
	if (db)
		kk_db_exec(db, "PRAGMA temp_store=MEMORY", "");
}

static int pipe_drain(struct kk_import *imp);

void kk_import_release(struct kk_import *imp)
{
	struct kk_import_pipe *p = imp->pipe;
	if (!p)
		return;
	if (p->started) {
		/* an import stopped by an error: let the writer go (batches in flight are dropped) */
		pthread_mutex_lock(&p->mu);
		p->qlen = 0;
		pthread_mutex_unlock(&p->mu);
		pipe_drain(imp);
	}
	for (int i = 0; i < NBATCH; i++) {
		kk_arena_release(&p->b[i].arena);
		batch_free(&p->b[i]);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	kk_free(p);
	imp->pipe = NULL;
}

/*
 * The grouping key of a skip: format, the pointer with its indexes as '*'
 * and the message with quoted values as '..', so that
 * "/cve/configurations/nodes/3/cpe_match/12/cpe23Uri: 'x' is not a CPE"
 * and its siblings count as one reason.
 */
static void reason_key(char *out, size_t n, const char *format, const struct kk_diag *d)
{
	size_t o = 0;
	int q = 0;
	o += (size_t)snprintf(out, n, "%s %s: ", format, d->where[0] ? d->where : "(record)");
	for (size_t i = strlen(format) + 1; out[i] && i < o; i++)
		if (out[i] >= '0' && out[i] <= '9' && out[i - 1] == '/') {
			size_t j = i;
			while (out[j] >= '0' && out[j] <= '9')
				j++;
			memmove(out + i + 1, out + j, strlen(out + j) + 1);
			out[i] = '*';
			o -= j - i - 1;
		}
	for (const char *m = d->msg; *m && o + 4 < n; m++) {
		if (*m == '\'') {
			if (!q)
				out[o++] = '\'', out[o++] = '.', out[o++] = '.', out[o++] = '\'';
			q = !q;
			continue;
		}
		if (!q)
			out[o++] = *m;
	}
	out[o < n ? o : n - 1] = 0;
}

static void skip(struct kk_import *imp, const char *file, const char *id, const char *format,
                 const struct kk_diag *d)
{
	char key[sizeof imp->reasons[0].key];
	imp->skipped++;
	if (imp->opts.report)
		imp->opts.report(imp->opts.arg, file, id, d);
	reason_key(key, sizeof key, format, d);
	for (int i = 0; i < imp->n_reasons; i++)
		if (!strcmp(imp->reasons[i].key, key)) {
			imp->reasons[i].count++;
			return;
		}
	if (imp->n_reasons < KK_IMPORT_REASONS) {
		kk_strlcpy(imp->reasons[imp->n_reasons].key, key, sizeof key);
		imp->reasons[imp->n_reasons++].count = 1;
	} else {
		imp->other_reasons++;
	}
}

static void file_error(struct kk_import *imp, const char *file, int code, const char *fmt, const char *arg)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	kk_diag_set(&d, code, NULL, fmt, arg);
	imp->bad_files++;
	if (imp->opts.report)
		imp->opts.report(imp->opts.arg, file, "", &d);
}

static void progress(struct kk_import *imp, int force)
{
	uint64_t now = kk_clock_mono_ns();
	if (!imp->opts.progress || (!force && now - imp->last_progress_ns < 250000000u))
		return;
	imp->last_progress_ns = now;
	if (imp->pipe)
		pthread_mutex_lock(&imp->pipe->mu); /* the writer updates the counts */
	imp->opts.progress(imp->opts.arg, imp);
	if (imp->pipe)
		pthread_mutex_unlock(&imp->pipe->mu);
}

struct tx_arg {
	const struct kk_import_opts *opts;
	struct batch *b;
	long n[5];
	long indexed;
};

static int write_batch(struct kk_db *db, void *arg)
{
	struct tx_arg *t = arg;
	struct batch *b = t->b;
	size_t nfresh = 0;
	memset(t->n, 0, sizeof t->n); /* the transaction may be retried */
	t->indexed = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct stored *o = &b->stored[i];
		int rc = kk_vuln_upsert(db, &b->recs[i], &o->vuln_id, o->jvndb, sizeof o->jvndb);
		if (rc < 0)
			return rc;
		t->n[rc]++;
		if (rc == KK_VULN_ADDED)
			b->fresh[nfresh++] = (struct kk_search_new){o->vuln_id, o->jvndb, &b->docs[i], b->recs[i].hash};
	}
	for (size_t i = 0; i < b->nside; i++) {
		const struct side *e = &b->sides[i];
		int rc = e->fmt == KK_VF_KEV ? kk_kev_upsert(db, &e->u.kev) : kk_dict_upsert_jvn(db, &e->u.dict);
		if (rc < 0)
			return rc;
		t->n[rc]++;
	}
	/* a record made here keeps its id unless a later one of the batch renumbered it (vulndb/ids.h),
	 * and is indexed unless a later JVN record of the batch merged it into another (upsert.c) */
	size_t kept = 0;
	for (size_t k = 0; k < nfresh; k++) {
		struct stored *o = &b->stored[b->fresh[k].doc - b->docs];
		struct kk_stmt *st;
		int rc = kk_db_prepare(db, "SELECT jvndb FROM vuln WHERE id = ?", &st);
		if (rc)
			return rc;
		kk_stmt_bind_int64(st, 1, o->vuln_id);
		if ((rc = kk_stmt_step(st)) == KK_ROW) {
			kk_strlcpy(o->jvndb, kk_stmt_text(st, 0), sizeof o->jvndb);
			b->fresh[kept++] = b->fresh[k];
		}
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	nfresh = kept;
	/* the search index of the records this batch created, after every other write (search.h) */
	t->indexed = (long)nfresh;
	int rc = kk_search_index_new(db, b->fresh, nfresh);
	if (rc >= 0 && t->opts->commit)
		rc = t->opts->commit(t->opts->arg, db);
	return rc;
}

/* Adds one committed batch's outcomes to the totals (under the pipe's lock). */
static void add_counts(struct kk_import *imp, const long n[5], long indexed)
{
	imp->indexed += indexed;
	imp->added += n[KK_VULN_ADDED];
	imp->merged += n[KK_VULN_MERGED];
	imp->updated += n[KK_VULN_UPDATED];
	imp->unchanged += n[KK_VULN_UNCHANGED];
	imp->older += n[KK_VULN_OLDER];
}

/*
 * The checkpointer: copies what the writer committed from the write-ahead
 * log into the database file, on its own connection, while the writer goes
 * on (without it the writer would stop for that every few batches: an
 * eighth of its time). Started only when its connection opened; the writer
 * then leaves checkpoints to it.
 */
static void *checkpointer(void *arg)
{
	struct kk_import *imp = arg;
	struct kk_import_pipe *p = imp->pipe;
	struct kk_db *db = p->ckpt_db;
	long seen = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->commits == seen && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->commits == seen)
			break;
		seen = p->commits;
		pthread_mutex_unlock(&p->mu);
		kk_db_checkpoint(db); /* a failure here loses nothing: the log keeps the pages */
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void *writer(void *arg)
{
	struct kk_import *imp = arg;
	struct kk_import_pipe *p = imp->pipe;
	if (p->ckpt_started)
		kk_db_exec(imp->db, "PRAGMA wal_autocheckpoint=0", "");
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->qlen && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->qlen)
			break;
		struct batch *b = p->queue[0];
		memmove(p->queue, p->queue + 1, (size_t)--p->qlen * sizeof *p->queue);
		int err = p->err;
		pthread_mutex_unlock(&p->mu);
		struct tx_arg t = {&imp->opts, b, {0}, 0};
		int rc = err ? err : kk_db_tx(imp->db, write_batch, &t);
		kk_arena_release(&b->arena);
		kk_arena_init(&b->arena, 0);
		b->n = b->nside = 0;
		pthread_mutex_lock(&p->mu);
		if (rc < 0 && !p->err)
			p->err = rc;
		else if (rc == 0)
			add_counts(imp, t.n, t.indexed);
		p->commits += rc == 0;
		p->free_[p->nfree++] = b;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->ckpt_started)
		kk_db_exec(imp->db, "PRAGMA wal_autocheckpoint=1000", ""); /* SQLite's default, for what follows */
	return NULL;
}

/*
 * Hands the batch being filled on: to the sink (same thread), or to the
 * writer thread, taking a free batch in exchange (waits for one). Returns
 * the writer's first error, if any, so the parser stops.
 */
static int flush(struct kk_import *imp)
{
	struct kk_import_pipe *p = imp->pipe;
	if (!p || (!p->cur->n && !p->cur->nside))
		return p ? p->err : 0;
	if (imp->opts.sink) {
		int rc = p->cur->n ? imp->opts.sink(imp->opts.arg, p->cur->recs, p->cur->n) : 0;
		if (rc < 0)
			return rc;
		imp->added += (long)(p->cur->n + p->cur->nside); /* side entries: parsed and checked only */
		kk_arena_release(&p->cur->arena);
		kk_arena_init(&p->cur->arena, 0);
		p->cur->n = p->cur->nside = 0;
		return 0;
	}
	/* the index text is made here, beside the writer's transactions, not inside them */
	for (size_t i = 0; i < p->cur->n; i++) {
		int rc = kk_search_doc_build(&p->cur->recs[i], &p->cur->arena, &p->cur->docs[i]);
		if (rc)
			return rc;
	}
	if (!p->started) {
		if (pthread_create(&p->th, NULL, writer, imp))
			return KK_ENOMEM;
		pthread_setname_np(p->th, "kk-import-write"); /* in top -H and profiles */
		if (*kk_db_path(imp->db) && kk_db_open(kk_db_path(imp->db), 0, &p->ckpt_db) == 0) {
			if (pthread_create(&p->ckpt_th, NULL, checkpointer, imp) == 0) {
				p->ckpt_started = 1;
				pthread_setname_np(p->ckpt_th, "kk-import-ckpt");
			} else {
				kk_db_close(p->ckpt_db);
				p->ckpt_db = NULL;
			}
		}
		p->started = 1;
	}
	pthread_mutex_lock(&p->mu);
	p->queue[p->qlen++] = p->cur;
	pthread_cond_broadcast(&p->cv);
	while (!p->nfree)
		pthread_cond_wait(&p->cv, &p->mu);
	p->cur = p->free_[--p->nfree];
	int err = p->err;
	pthread_mutex_unlock(&p->mu);
	progress(imp, 0);
	return err;
}

/* Lets the writer finish the queue, then joins it. Its first error, or 0. */
static int pipe_drain(struct kk_import *imp)
{
	struct kk_import_pipe *p = imp->pipe;
	if (!p->started)
		return p->err;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	if (p->ckpt_started) {
		pthread_join(p->ckpt_th, NULL);
		kk_db_close(p->ckpt_db);
		p->ckpt_db = NULL;
		p->ckpt_started = 0;
	}
	p->started = p->stop = 0;
	return p->err;
}

int kk_import_finish(struct kk_import *imp)
{
	if (!imp->pipe)
		return 0;
	int rc = flush(imp);
	int rc2 = pipe_drain(imp);
	progress(imp, 1);
	return rc < 0 ? rc : rc2;
}

/*
 * A dictionary line or KEV entry (obj, consumed) into the batch; a bad one
 * is reported (file, "#N" or its id, field) and skipped.
 */
static int take_side(struct kk_import *imp, json_t *obj, enum kk_vuln_format fmt, const char *name,
                     const char *pos)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	struct batch *b = imp->pipe->cur;
	struct side *e = &b->sides[b->nside];
	e->fmt = fmt;
	int rc = fmt == KK_VF_KEV ? kk_kev_parse_json(obj, &b->arena, &e->u.kev, &d)
	                          : kk_dict_parse_jvn(obj, &b->arena, &e->u.dict, &d);
	json_decref(obj);
	if (rc == KK_ENOMEM)
		return rc;
	if (rc < 0) {
		const char *id = fmt == KK_VF_KEV && e->u.kev.cve ? e->u.kev.cve : pos;
		skip(imp, name, id, kk_vuln_format_name(fmt), &d);
		return 0;
	}
	if (b->n + ++b->nside == imp->opts.batch)
		return flush(imp);
	return 0;
}

/* One parsed record (obj, consumed) at position recno of file `name`. */
static int take_record(struct kk_import *imp, json_t *obj, const struct kk_buf *raw, const char *name,
                       long recno, enum kk_vuln_format hint)
{
	struct kk_diag d;
	char pos[32];
	enum kk_vuln_format fmt = imp->opts.format ? imp->opts.format : hint;
	kk_diag_clear(&d);
	snprintf(pos, sizeof pos, "#%ld", recno);
	if (!imp->pipe && pipe_new(imp)) {
		json_decref(obj);
		return KK_ENOMEM;
	}
	struct batch *b = imp->pipe->cur;
	enum kk_vuln_format kind = fmt ? fmt : kk_vuln_format_detect(obj);
	if (kind == KK_VF_JVN_PRODUCTS || kind == KK_VF_KEV)
		return take_side(imp, obj, kind, name, pos);
	struct kk_vuln_rec *rec = &b->recs[b->n];
	int rc = kk_vuln_parse(fmt, obj, raw ? raw->ptr : NULL, raw ? raw->len : 0, &b->arena, rec, &d);
	json_decref(obj);
	if (rc == KK_ENOMEM)
		return rc;
	if (rc < 0) {
		skip(imp, name, rec->source_id ? rec->source_id : pos,
		     rec->format ? rec->format
		     : fmt       ? kk_vuln_format_name(fmt)
		                 : "auto",
		     &d);
		return 0;
	}
	if (++b->n + b->nside == imp->opts.batch)
		return flush(imp);
	return 0;
}

/* One record's raw JSON text in b; rc is read_value's result. */
static int take_raw(struct kk_import *imp, const struct kk_buf *b, int rc, const char *name, long recno,
                    enum kk_vuln_format hint)
{
	struct kk_diag d;
	char pos[32];
	json_error_t err;
	enum kk_vuln_format fmt = imp->opts.format ? imp->opts.format : hint;
	const char *fname = fmt ? kk_vuln_format_name(fmt) : "auto";
	kk_diag_clear(&d);
	snprintf(pos, sizeof pos, "#%ld", recno);
	if (rc == KK_ETOOBIG) {
		kk_diag_set(&d, KK_ETOOBIG, NULL, "record is larger than %u MiB", RECORD_MAX >> 20);
		skip(imp, name, pos, fname, &d);
		return 0;
	}
	json_t *obj = json_loadb(b->ptr, b->len, 0, &err);
	if (!obj) {
		kk_diag_set(&d, KK_EPARSE, NULL, "invalid JSON at line %d, column %d of the record: %s",
		            err.line, err.column, err.text);
		skip(imp, name, pos, fname, &d);
		return 0;
	}
	return take_record(imp, obj, b, name, recno, hint);
}

/* ---- XML (MyJVN VULDEF, JVNRSS): import_jvn.c fills the batch's slots ---- */

struct jvn_ctx {
	struct kk_import *imp;
	const char *name;
};

static struct kk_vuln_rec *jvn_slot(void *arg, struct kk_arena **a)
{
	struct jvn_ctx *c = arg;
	if (!c->imp->pipe && pipe_new(c->imp))
		return NULL;
	struct batch *b = c->imp->pipe->cur;
	*a = &b->arena;
	return &b->recs[b->n];
}

static int jvn_take(void *arg)
{
	struct jvn_ctx *c = arg;
	struct batch *b = c->imp->pipe->cur;
	progress(c->imp, 0);
	return ++b->n + b->nside == c->imp->opts.batch ? flush(c->imp) : 0;
}

static void jvn_bad(void *arg, const char *id, const char *format, const struct kk_diag *d)
{
	struct jvn_ctx *c = arg;
	skip(c->imp, c->name, id, format, d);
}

/* An XML document; in stands on its '<'. */
static int import_xml(struct kk_import *imp, FILE *in, const char *name, long *recno)
{
	struct jvn_ctx c = {imp, name};
	struct kk_jvn_sink sink = {jvn_slot, jvn_take, jvn_bad, &c};
	return kk_jvn_read(in, imp->opts.format, &sink, recno);
}

#define STOP_FILE (-1) /* this file cannot be read further; the import goes on */

#define CSV_COLS 64

/*
 * A CSV file (the KEV catalog's CSV form): the header names the columns,
 * each further record is one entry, reported by its line. A file whose
 * header has no cveID column is not one.
 */
static int import_csv(struct kk_import *imp, FILE *in, const char *name)
{
	struct kk_arena hdr;
	kk_arena_init(&hdr, 0);
	char *cols[CSV_COLS], *vals[CSV_COLS];
	size_t ncol = 0, nval;
	long line = 0;
	int rc = kk_csv_record(in, &hdr, cols, CSV_COLS, &ncol, &line), has_cve = 0;
	for (size_t i = 0; rc == 1 && i < ncol; i++)
		has_cve |= !strcmp(cols[i], "cveID");
	if (rc != 1 || !has_cve) {
		kk_arena_release(&hdr);
		file_error(imp, name, KK_EPARSE,
		           "%s", "not JSON records, XML or a KEV CSV file (its header must name a cveID column)");
		return 0;
	}
	if (imp->opts.format && imp->opts.format != KK_VF_KEV) {
		kk_arena_release(&hdr);
		file_error(imp, name, KK_EPARSE, "a CSV file is read only as --format kev, not %s",
		           kk_vuln_format_name(imp->opts.format));
		return 0;
	}
	for (;;) {
		struct kk_diag d;
		char pos[32];
		if (!imp->pipe && pipe_new(imp)) {
			rc = KK_ENOMEM;
			break;
		}
		struct batch *b = imp->pipe->cur;
		long at = line + 1;
		rc = kk_csv_record(in, &b->arena, vals, CSV_COLS, &nval, &line);
		if (rc == 0)
			break;
		kk_diag_clear(&d);
		snprintf(pos, sizeof pos, "line %ld", at);
		struct side *e = &b->sides[b->nside];
		e->fmt = KK_VF_KEV;
		if (rc == KK_ENOMEM)
			break;
		if (rc < 0) {
			kk_diag_set(&d, rc, NULL, "%s",
			            rc == KK_EPARSE ? "a quoted field is not closed, or text follows its closing quote"
			                            : "the record is larger than 1 MiB or has too many columns");
			skip(imp, name, pos, "kev", &d);
			rc = 0;
			if (feof(in))
				break;
			continue;
		}
		if (nval == 1 && !vals[0][0])
			continue; /* an empty line */
		if (nval != ncol) {
			kk_diag_set(&d, KK_EPARSE, NULL, "the record has %zu fields, the header %zu", nval, ncol);
			skip(imp, name, pos, "kev", &d);
			continue;
		}
		rc = kk_kev_parse_csv((const char *const *)cols, (const char *const *)vals, nval, &b->arena,
		                      &e->u.kev, &d);
		if (rc == KK_ENOMEM)
			break;
		if (rc < 0) {
			skip(imp, name, e->u.kev.cve ? e->u.kev.cve : pos, "kev", &d);
			rc = 0;
			continue;
		}
		if (b->n + ++b->nside == imp->opts.batch && (rc = flush(imp)) < 0)
			break;
		progress(imp, 0);
	}
	kk_arena_release(&hdr);
	return rc < 0 ? rc : 0;
}

/* Reports a file that is not (or no longer) a stream of JSON records; STOP_FILE. */
static int syntax_error(struct kk_import *imp, const char *name, int c)
{
	char what[16];
	if (c == EOF)
		snprintf(what, sizeof what, "end of input"); /* e.g. a truncated file */
	else if (c == '<')
		snprintf(what, sizeof what, "XML inside JSON");
	else
		snprintf(what, sizeof what, "'%c'", c >= 32 && c < 127 ? c : '?');
	file_error(imp, name, KK_EPARSE, "not JSON records: unexpected %s (the rest of the file is skipped)", what);
	return STOP_FILE;
}

/* After '[': each element is one record. */
static int stream_array(struct kk_import *imp, FILE *f, const char *name, enum kk_vuln_format hint,
                        struct kk_buf *b, long *recno)
{
	for (int n = 0;; n++) {
		int c = skip_ws(f);
		if (c == ']' && n == 0)
			return 0;
		if (n > 0) { /* after an element: ',' then the next one, or ']' */
			if (c == ']')
				return 0;
			if (c != ',')
				return syntax_error(imp, name, c);
			c = skip_ws(f);
		}
		if (c == EOF || c == ']' || c == ',')
			return syntax_error(imp, name, c);
		int rc = read_value(f, c, b);
		if (rc == KK_EPARSE)
			return syntax_error(imp, name, EOF);
		++*recno;
		rc = take_raw(imp, b, rc, name, *recno, hint);
		if (rc < 0)
			return rc;
		progress(imp, 0);
	}
}

/*
 * After '{' at the top: one record, or a container whose CVE_Items (NVD 1.1)
 * or vulnerabilities (NVD API 2.0) array is streamed. Members are read one
 * by one so a container is never held whole.
 */
static int top_object(struct kk_import *imp, FILE *f, const char *name, struct kk_buf *b, long *recno)
{
	json_t *obj = json_object();
	struct kk_buf raw = KK_BUF_INIT(RECORD_MAX); /* the members' text: what the hash covers */
	int streamed = 0, rc = 0;
	json_error_t err;
	if (!obj)
		return KK_ENOMEM;
	for (int n = 0;; n++) {
		int c = skip_ws(f);
		if (c == '}' && n == 0)
			break;
		if (n > 0) { /* after a member: ',' then the next one, or '}' */
			if (c == '}')
				break;
			if (c != ',') {
				rc = syntax_error(imp, name, c);
				break;
			}
			c = skip_ws(f);
		}
		if (c != '"' || read_value(f, c, b)) {
			rc = syntax_error(imp, name, c);
			break;
		}
		kk_buf_add(&raw, b->ptr, b->len);
		kk_buf_putc(&raw, ':');
		json_t *k = json_loadb(b->ptr, b->len, JSON_DECODE_ANY, &err);
		char key[64];
		kk_strlcpy(key, json_is_string(k) ? json_string_value(k) : "", sizeof key);
		json_decref(k);
		if ((c = skip_ws(f)) != ':' || (c = skip_ws(f)) == EOF) {
			rc = syntax_error(imp, name, c);
			break;
		}
		int nvd11 = !strcmp(key, "CVE_Items");
		if (c == '[' && (nvd11 || !strcmp(key, "vulnerabilities"))) {
			streamed = 1;
			rc = stream_array(imp, f, name, nvd11 ? KK_VF_NVD_JSON11 : KK_VF_AUTO, b, recno);
			if (rc < 0)
				break;
			continue;
		}
		rc = read_value(f, c, b);
		json_t *v = rc ? NULL : json_loadb(b->ptr, b->len, JSON_DECODE_ANY, &err);
		if (!v) {
			rc = syntax_error(imp, name, rc == KK_EPARSE ? EOF : c);
			break;
		}
		json_object_set_new(obj, key, v);
		kk_buf_add(&raw, b->ptr, b->len);
		kk_buf_putc(&raw, ',');
	}
	if (rc == 0 && !streamed) /* the object is the record */
		rc = take_record(imp, obj, kk_buf_error(&raw) ? NULL : &raw, name, ++*recno, KK_VF_AUTO);
	else
		json_decref(obj);
	kk_buf_release(&raw);
	return rc;
}

int kk_import_stream(struct kk_import *imp, FILE *in, const char *name)
{
	struct kk_buf b = KK_BUF_INIT(RECORD_MAX);
	long recno = 0;
	int rc = 0;
	imp->files++;
	for (int first = 1;; first = 0) {
		int c = skip_ws(in);
		if (first && c == 0xEF) { /* UTF-8 byte order mark */
			getc_unlocked(in), getc_unlocked(in);
			c = skip_ws(in);
		}
		if (c == EOF)
			break;
		if (c == '[')
			rc = stream_array(imp, in, name, KK_VF_AUTO, &b, &recno);
		else if (c == '{')
			rc = top_object(imp, in, name, &b, &recno);
		else if (c == '<' && first) { /* XML: one document is the whole file */
			ungetc(c, in);
			rc = import_xml(imp, in, name, &recno);
			break;
		} else if (first && (c == 'c' || c == '"')) { /* CSV: the KEV catalog's other form */
			ungetc(c, in);
			rc = import_csv(imp, in, name);
			break;
		} else
			rc = syntax_error(imp, name, c);
		if (rc < 0)
			break;
	}
	if (ferror(in)) {
		file_error(imp, name, KK_EIO, "read error: %s (the rest of the file is skipped)",
		           strerror(errno));
		rc = 0;
	}
	kk_buf_release(&b);
	return rc == STOP_FILE ? 0 : rc; /* only KK_E* codes stop the import */
}

/* Whether a directory entry is an input: *.json, *.jsonl, *.xml, plain or .gz/.xz. */
static int wanted(const char *n)
{
	static const char *const ext[] = {".json", ".jsonl", ".xml"};
	static const char *const comp[] = {"", ".gz", ".xz"};
	size_t len = strlen(n);
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
		for (size_t j = 0; j < sizeof comp / sizeof *comp; j++) {
			size_t l = strlen(ext[i]) + strlen(comp[j]);
			if (len > l && !strncmp(n + len - l, ext[i], strlen(ext[i])) &&
			    !strcmp(n + len - strlen(comp[j]), comp[j]))
				return 1;
		}
	return 0;
}

/* Calls fn for path, or for every wanted file under it in name order. */
static int walk(struct kk_import *imp, const char *path, int top, int (*fn)(struct kk_import *, const char *))
{
	struct stat st;
	if (!strcmp(path, "-"))
		return fn(imp, path);
	if (stat(path, &st)) {
		file_error(imp, path, KK_EIO, "cannot read: %s", strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return top || wanted(path) ? fn(imp, path) : 0;
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort);
	if (n < 0) {
		file_error(imp, path, KK_EIO, "cannot list the directory: %s", strerror(errno));
		return 0;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		if (!rc && e[0] != '.') {
			struct kk_buf p = KK_BUF_INIT(4096);
			kk_buf_printf(&p, "%s/%s", path, e);
			rc = kk_buf_error(&p) ? KK_ETOOBIG : walk(imp, p.ptr, 0, fn);
			kk_buf_release(&p);
		}
		free(list[i]); /* scandir allocates with malloc */
	}
	free(list);
	return rc;
}

static int measure_one(struct kk_import *imp, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") && !stat(path, &st))
		imp->bytes_total += (uint64_t)st.st_size;
	return 0;
}

void kk_import_measure(struct kk_import *imp, const char *path)
{
	struct kk_import_opts saved = imp->opts;
	long bad = imp->bad_files;
	imp->opts.report = NULL; /* errors are reported when the files are read */
	walk(imp, path, 1, measure_one);
	imp->opts = saved;
	imp->bad_files = bad;
}

static int import_one(struct kk_import *imp, const char *path)
{
	FILE *f = kk_import_open(path, &imp->bytes_read);
	if (!f) {
		file_error(imp, path, KK_EIO, "cannot open: %s", strerror(errno));
		return 0;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	int rc = kk_import_stream(imp, f, path);
	fclose(f);
	return rc;
}

int kk_import_path(struct kk_import *imp, const char *path)
{
	return walk(imp, path, 1, import_one);
}
