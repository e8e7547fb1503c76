/*
 * rate.c — limits of the public intake: per-address rate limits counted in
 * the database (table rate_hit, 0008), and the attachment size/count caps.
 */
#include "base/clock.h"
#include "base/log.h"
#include "intake/intake.h"
#include "store/db.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kk_intake_limits_default(struct kk_intake_limits *l)
{
	l->submit = (struct kk_rate_limit){10, 3600};
	l->followup = (struct kk_rate_limit){30, 3600};
	l->file_max = KK_ATTACH_MAX_DEFAULT;
	l->total_max = 2 * (size_t)KK_ATTACH_MAX_DEFAULT;
	l->files_max = 10;
}

int kk_intake_rate_parse(const char *s, struct kk_rate_limit *out)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return KK_EINVAL;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno || *end != '/' || n < 0 || n > 1000000 || end[1] < '0' || end[1] > '9')
		return KK_EINVAL;
	long long w = strtoll(end + 1, &end, 10);
	if (errno || *end || w < 1 || w > 31 * 86400)
		return KK_EINVAL;
	out->max = (int)n;
	out->window = w;
	return 0;
}

/* A positive size from the environment variable `name` into *out (unchanged when unset). */
static int env_size(const char *name, size_t lo, size_t hi, size_t *out, struct kk_diag *d)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	char *end;
	errno = 0;
	unsigned long long n = *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
	if (errno || !n || *end || n < lo || n > hi)
		return kk_diag_set(d, KK_EINVAL, name, "%s='%.40s' is not valid: give a whole number from %zu to %zu",
				   name, v, lo, hi);
	*out = (size_t)n;
	return 0;
}

static int env_rate(const char *name, struct kk_rate_limit *out, struct kk_diag *d)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	if (kk_intake_rate_parse(v, out))
		return kk_diag_set(d, KK_EINVAL, name,
				   "%s='%.40s' is not valid: give COUNT/SECONDS, e.g. 10/3600 (0/1 turns the limit off)",
				   name, v);
	return 0;
}

int kk_intake_limits_load(struct kk_intake_limits *l, struct kk_diag *d)
{
	kk_intake_limits_default(l);
	size_t files = (size_t)l->files_max;
	int rc;
	if ((rc = env_rate("KEIKAI_REPORT_RATE", &l->submit, d)) ||
	    (rc = env_rate("KEIKAI_FOLLOWUP_RATE", &l->followup, d)) ||
	    (rc = env_size("KEIKAI_ATTACH_MAX", 1, (size_t)1 << 30, &l->file_max, d)) ||
	    (rc = env_size("KEIKAI_ATTACH_TOTAL_MAX", 1, (size_t)1 << 31, &l->total_max, d)) ||
	    (rc = env_size("KEIKAI_ATTACH_FILES", 1, 100, &files, d)))
		return rc;
	l->files_max = (int)files;
	return 0;
}

int kk_intake_uploads_check(const struct kk_upload *u, int n, const struct kk_intake_limits *l, struct kk_diag *d)
{
	if (n > l->files_max)
		return kk_diag_set(d, KK_ETOOBIG, "file", "%d files were sent; at most %d go with one message (pack "
				   "more into a ZIP)", n, l->files_max);
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		int rc = kk_intake_upload_check(&u[i], l->file_max, NULL, d);
		if (rc)
			return rc;
		total += u[i].n;
	}
	if (total > l->total_max)
		return kk_diag_set(d, KK_ETOOBIG, "file", "the files add up to %zu bytes; at most %zu bytes go with one "
				   "message", total, l->total_max);
	return 0;
}

struct take {
	const char *scope, *address;
	const struct kk_rate_limit *lim;
	int64_t retry_after;
};

static int take_fn(struct kk_db *db, void *arg)
{
	struct take *t = arg;
	int64_t now = kk_clock_now(), since = now - t->lim->window;
	/* forget what no window looks at any more (one window back for this scope) */
	int rc = kk_db_exec(db, "DELETE FROM rate_hit WHERE scope = ? AND at <= ?", "si", t->scope, since);
	if (rc < 0)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT count(*), min(at) FROM rate_hit WHERE scope = ? AND address = ? AND at > ?",
				&st)))
		return rc;
	kk_stmt_bind_text(st, 1, t->scope, -1);
	kk_stmt_bind_text(st, 2, t->address, -1);
	kk_stmt_bind_int64(st, 3, since);
	rc = kk_stmt_step(st);
	int64_t n = rc == KK_ROW ? kk_stmt_int64(st, 0) : 0, oldest = rc == KK_ROW ? kk_stmt_int64(st, 1) : 0;
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_EDB;
	if (n >= t->lim->max) {
		t->retry_after = oldest + t->lim->window - now;
		if (t->retry_after < 1)
			t->retry_after = 1;
		return 0; /* refused; nothing to write */
	}
	rc = kk_db_exec(db, "INSERT INTO rate_hit (scope, address, at) VALUES (?, ?, ?)", "ssi", t->scope, t->address,
			now);
	return rc < 0 ? rc : 0;
}

int kk_intake_rate_take(struct kk_db *db, const char *scope, const char *address, const struct kk_rate_limit *lim,
			int64_t *retry_after)
{
	*retry_after = 0;
	if (!lim->max)
		return 0;
	struct take t = {scope, address ? address : "", lim, 0};
	int rc = kk_db_tx(db, take_fn, &t);
	if (rc < 0)
		return rc;
	if (t.retry_after) {
		*retry_after = t.retry_after;
		return KK_ERATE;
	}
	return 0;
}
