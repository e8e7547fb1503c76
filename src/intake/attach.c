/*
 * attach.c — report attachments: content sniffing against an allow-list,
 * storage on disk under the SHA-256 of the content, metadata rows in the DB.
 */
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/clock.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/utf8.h"
#include "intake/intake.h"
#include "store/db.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool starts(const unsigned char *p, size_t n, const void *magic, size_t m)
{
	return n >= m && !memcmp(p, magic, m);
}

/* Case-insensitive search for a marker in the first bytes (HTML/SVG detection). */
static bool has_marker(const unsigned char *p, size_t n, const char *marker)
{
	size_t m = strlen(marker), lim = n < 1024 ? n : 1024;
	for (size_t i = 0; i + m <= lim; i++) {
		size_t k = 0;
		while (k < m && (p[i + k] | 0x20) == (marker[k] | 0x20))
			k++;
		if (k == m)
			return true;
	}
	return false;
}

const char *kk_intake_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (starts(p, n, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(p, n, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (starts(p, n, "GIF87a", 6) || starts(p, n, "GIF89a", 6))
		return "image/gif";
	if (n >= 12 && starts(p, n, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return "image/webp";
	if (starts(p, n, "%PDF-", 5))
		return "application/pdf";
	if (starts(p, n, "PK\x03\x04", 4) || starts(p, n, "PK\x05\x06", 4))
		return "application/zip";
	if (starts(p, n, "\xd4\xc3\xb2\xa1", 4) || starts(p, n, "\xa1\xb2\xc3\xd4", 4) ||
	    starts(p, n, "\x4d\x3c\xb2\xa1", 4) || starts(p, n, "\xa1\xb2\x3c\x4d", 4) ||
	    starts(p, n, "\x0a\x0d\x0d\x0a", 4))
		return "application/vnd.tcpdump.pcap";
	/* Text: UTF-8 without NUL or control characters other than tab and line ends. */
	if (!n || !kk_utf8_valid(data, n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((p[i] < ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f)
			return NULL;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	/* Documents a browser would render actively are refused even though they are text;
	 * text that merely quotes markup (a PoC) is fine, it is only ever served as a download. */
	if (has_marker(p + i, n - i < 15 ? n - i : 15, "<!doctype html") || has_marker(p + i, n - i < 5 ? n - i : 5, "<html") ||
	    has_marker(p + i, n - i < 4 ? n - i : 4, "<svg"))
		return NULL;
	if (i < n && (p[i] == '{' || p[i] == '['))
		return "application/json";
	if (starts(p + i, n - i, "<?xml", 5))
		return has_marker(p, n, "<svg") ? NULL : "application/xml";
	return "text/plain";
}

/*
 * True at a character that changes how the name is shown, not what it is:
 * C1 controls (U+0080-U+009F), the bidi marks and overrides (U+061C,
 * U+200E-U+200F, U+202A-U+202E, U+2066-U+2069: "\u202Etxt.js" shows as
 * "sj.txt") and zero-width characters (U+200B-U+200D, U+2060, U+FEFF).
 */
static bool shown_differently(const unsigned char *p)
{
	if (p[0] == 0xc2)
		return p[1] >= 0x80 && p[1] <= 0x9f;
	if (p[0] == 0xd8)
		return p[1] == 0x9c;
	if (p[0] == 0xe2 && p[1] == 0x80)
		return (p[2] >= 0x8b && p[2] <= 0x8f) || (p[2] >= 0xaa && p[2] <= 0xae);
	if (p[0] == 0xe2 && p[1] == 0x81)
		return p[2] == 0xa0 || (p[2] >= 0xa6 && p[2] <= 0xa9);
	return p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
}

static bool filename_ok(const char *f)
{
	size_t n = f ? strlen(f) : 0;
	if (!n || n > 255 || !kk_utf8_valid(f, n) || !strcmp(f, ".") || !strcmp(f, ".."))
		return false;
	for (const unsigned char *p = (const unsigned char *)f; *p; p++)
		if (*p < ' ' || *p == '/' || *p == '\\' || *p == 0x7f || *p == '"' || shown_differently(p))
			return false;
	return true;
}

int kk_intake_upload_check(const struct kk_upload *u, size_t max, const char **mime, struct kk_diag *d)
{
	if (!max)
		max = KK_ATTACH_MAX_DEFAULT;
	if (!filename_ok(u->filename))
		return kk_diag_set(d, KK_EINVAL, "filename",
				   "give a file name of 1 to 255 bytes without '/', '\\', quotes, control characters or "
				   "direction marks (U+202E and the like)");
	if (u->n > max)
		return kk_diag_set(d, KK_ETOOBIG, "file", "%s is %zu bytes; attachments are at most %zu bytes",
				   u->filename, u->n, max);
	const char *m = kk_intake_sniff(u->data, u->n);
	if (!m)
		return kk_diag_set(d, KK_EUNSUPPORTED, "file",
				   "%s is not an allowed type (text, JSON, XML, PNG, JPEG, GIF, WebP, PDF, ZIP, pcap; "
				   "never HTML or SVG); pack other files into a ZIP",
				   u->filename);
	if (mime)
		*mime = m;
	return 0;
}

int kk_intake_attach_dir(const char *db_path, char *out, size_t n)
{
	const char *env = getenv("KEIKAI_ATTACH_DIR");
	int w = env && *env ? snprintf(out, n, "%s", env) : snprintf(out, n, "%s.files", db_path ? db_path : "keikai.db");
	return w < 0 || (size_t)w >= n ? KK_ETOOBIG : 0;
}

static bool hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* DIR/ab/<hex> into path; the directory of it into sub (may be NULL). */
static int file_path(const char *dir, const char *hex, char *sub, size_t sn, char *path, size_t pn, struct kk_diag *d)
{
	if (!dir || strlen(dir) > 1000)
		return kk_diag_set(d, KK_EINVAL, "dir", "attachment directory path too long (set KEIKAI_ATTACH_DIR)");
	if (sub)
		snprintf(sub, sn, "%s/%.2s", dir, hex);
	snprintf(path, pn, "%s/%.2s/%s", dir, hex, hex);
	return 0;
}

/* Writes the content to DIR/ab/<hex> unless it is there already. */
static int store_file(const char *dir, const char *hex, const void *data, size_t n, struct kk_diag *d)
{
	char sub[1100], path[1200], tmp[1300];
	int rc = file_path(dir, hex, sub, sizeof(sub), path, sizeof(path), d);
	if (rc)
		return rc;
	if ((mkdir(dir, 0700) && errno != EEXIST) || (mkdir(sub, 0700) && errno != EEXIST))
		return kk_diag_set(d, KK_EIO, "dir", "cannot create %s: %s", sub, strerror(errno));
	if (access(path, F_OK) == 0)
		return 0;
	char tag[13];
	kk_random_hex(tag, 6);
	/* several worker threads may store the same content at once: a temporary name of their own each */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d.%s", path, (int)getpid(), tag);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return kk_diag_set(d, KK_EIO, "dir", "cannot create %s: %s", tmp, strerror(errno));
	const char *p = data;
	size_t left = n;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
	if (left || fsync(fd) || close(fd) || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return kk_diag_set(d, KK_EIO, "dir", "cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

int kk_intake_attach_store(const char *dir, const struct kk_upload *u, size_t max, struct kk_stored_file *out,
			   struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	int rc = kk_intake_upload_check(u, max, &out->mime, d);
	if (rc)
		return rc;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, u->data, u->n);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), h, sizeof(h));
	out->size = u->n;
	return store_file(dir, out->sha256, u->data, u->n, d);
}

int kk_intake_attachment_record(struct kk_db *db, const struct kk_stored_file *s)
{
	int rc = kk_db_exec(db, "INSERT INTO attachment (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) "
				"ON CONFLICT (sha256) DO NOTHING",
			    "sisi", s->sha256, (int64_t)s->size, s->mime, kk_clock_now());
	return rc < 0 ? rc : 0;
}

int kk_intake_attach_link(struct kk_db *db, const struct kk_actor *who, bool from_finder, const char *tracking,
			  const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d)
{
	if (!kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "kk_intake_attach_link must run inside a transaction");
	int rc;
	if (!from_finder && (rc = kk_policy_check(who, KK_ACT_REPORT_TRIAGE, NULL)))
		return kk_diag_set(d, rc, NULL, "%s may not add attachments to reports", who->label);
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT 1 FROM report WHERE tracking = ?", &st)))
		return rc;
	kk_stmt_bind_text(st, 1, tracking, -1);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : kk_diag_set(d, KK_ENOTFOUND, "tracking", "no report %.40s", tracking);
	int64_t now = kk_clock_now();
	rc = kk_intake_attachment_record(db, s);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"INSERT INTO report_attachment (report_id, sha256, filename, from_finder, added_at) "
				"SELECT id, ?, ?, ?, ? FROM report WHERE tracking = ? ON CONFLICT DO NOTHING",
				"ssiis", s->sha256, u->filename, (int64_t)from_finder, now, tracking);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[400];
	snprintf(summary, sizeof(summary), "attachment %.64s (%s, %zu bytes) added to %.40s", s->sha256, s->mime,
		 s->size, tracking);
	return kk_audit(db, who, "report.attach", "report", tracking, summary, NULL, NULL);
}

void kk_intake_finder_actor(const char *tracking, struct kk_actor *out)
{
	*out = kk_actor_public;
	snprintf(out->label, sizeof(out->label), "finder of %.40s", tracking);
}

struct attach_tx {
	const struct kk_actor *a;
	const char *token, *tracking;
	const struct kk_upload *u;
	const struct kk_stored_file *s;
	struct kk_diag *d;
};

static int attach_fn(struct kk_db *db, void *arg)
{
	struct attach_tx *t = arg;
	struct kk_actor finder;
	int rc;
	if (!t->a) {
		if ((rc = kk_intake_link_check(db, t->tracking, t->token, t->d)))
			return rc;
		kk_intake_finder_actor(t->tracking, &finder);
	}
	return kk_intake_attach_link(db, t->a ? t->a : &finder, !t->a, t->tracking, t->u, t->s, t->d);
}

int kk_intake_attach(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
		     const char *dir, const char *filename, const void *data, size_t n, size_t max,
		     char sha256_out[65], struct kk_diag *d)
{
	if (sha256_out)
		sha256_out[0] = 0;
	int rc;
	if (a && (rc = kk_policy_check(a, KK_ACT_REPORT_TRIAGE, NULL)))
		return kk_diag_set(d, rc, NULL, "%s may not add attachments to reports", a->label);
	struct kk_upload u = {filename, data, n};
	if ((rc = kk_intake_upload_check(&u, max, NULL, d)))
		return rc;
	/* Check the report (and the link) before writing anything to disk. */
	if (!a && (rc = kk_intake_link_check(db, tracking, token, d)))
		return rc;
	struct kk_stored_file s;
	if ((rc = kk_intake_attach_store(dir, &u, max, &s, d)))
		return rc;
	struct attach_tx t = {a, token, tracking, &u, &s, d};
	if ((rc = kk_db_tx(db, attach_fn, &t)))
		return rc;
	if (sha256_out)
		memcpy(sha256_out, s.sha256, 65);
	return 0;
}

/* ---- reading ----------------------------------------------------------------- */

static void row_attachment(struct kk_stmt *st, struct kk_attachment *x)
{
	memset(x, 0, sizeof(*x));
	kk_strlcpy(x->sha256, kk_stmt_text(st, 0), sizeof(x->sha256));
	kk_strlcpy(x->filename, kk_stmt_text(st, 1), sizeof(x->filename));
	x->size = kk_stmt_int64(st, 2);
	kk_strlcpy(x->mime, kk_stmt_text(st, 3), sizeof(x->mime));
	x->from_finder = kk_stmt_int64(st, 4) != 0;
	x->added_at = kk_stmt_int64(st, 5);
}

#define ATTACH_COLS                                                                                          \
	"SELECT l.sha256, l.filename, a.size, a.mime, l.from_finder, l.added_at FROM report_attachment l "   \
	"JOIN attachment a ON a.sha256 = l.sha256 "

int kk_intake_attachments(struct kk_db *db, int64_t report_id, bool finder_only,
			  int (*fn)(void *arg, const struct kk_attachment *x), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, ATTACH_COLS "WHERE l.report_id = ? AND (l.from_finder = 1 OR ? = 0) "
					       "ORDER BY l.added_at, l.filename",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, report_id);
	kk_stmt_bind_int64(st, 2, finder_only);
	int n = 0;
	struct kk_attachment x;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		row_attachment(st, &x);
		n++;
		if ((rc = fn(arg, &x)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_intake_attachment_find(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
			      const char *sha256, struct kk_attachment *out, struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	bool staff = a && kk_policy_allow(a, KK_ACT_REPORT_TRIAGE, NULL);
	if (!hex64(sha256) || (!staff && (a || !token || kk_intake_link_check(db, tracking, token, d) < 0)))
		return kk_diag_set(d, KK_ENOTFOUND, NULL, "no such attachment");
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, ATTACH_COLS "JOIN report r ON r.id = l.report_id "
					      "WHERE r.tracking = ? AND l.sha256 = ? AND (l.from_finder = 1 OR ? = 1)",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking, -1);
	kk_stmt_bind_text(st, 2, sha256, -1);
	kk_stmt_bind_int64(st, 3, staff);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		row_attachment(st, out);
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : kk_diag_set(d, KK_ENOTFOUND, NULL, "no such attachment");
	return 0;
}

int kk_intake_attachment_read(const char *dir, const char *sha256, struct kk_buf *b, struct kk_diag *d)
{
	char path[1200];
	int rc;
	if (!hex64(sha256))
		return kk_diag_set(d, KK_ENOTFOUND, NULL, "no such attachment");
	if ((rc = file_path(dir, sha256, NULL, 0, path, sizeof(path), d)))
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kk_diag_set(d, KK_EIO, "dir", "cannot open attachment %s: %s", path, strerror(errno));
	char chunk[65536];
	ssize_t got;
	rc = 0;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		if ((rc = kk_buf_add(b, chunk, (size_t)got)) < 0)
			break;
	int e = errno;
	close(fd);
	if (got < 0)
		return kk_diag_set(d, KK_EIO, "dir", "cannot read attachment %s: %s", path, strerror(e));
	if (rc < 0)
		return kk_diag_set(d, rc, "dir", "attachment %s is larger than the answer can hold", path);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)b->ptr, b->len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (strcmp(hex, sha256))
		return kk_diag_set(d, KK_EIO, "dir", "attachment %s on disk does not match its hash; restore it from a "
				   "backup", path);
	return 0;
}
