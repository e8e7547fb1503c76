/*
 * attach.c — report attachments: content sniffing against an allow-list,
 * storage on disk under the SHA-256 of the content, metadata rows in the DB.
 */
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/clock.h"
#include "base/str.h"
#include "base/utf8.h"
#include "intake/intake.h"
#include "store/db.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
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

static bool filename_ok(const char *f)
{
	size_t n = f ? strlen(f) : 0;
	if (!n || n > 255 || !kk_utf8_valid(f, n) || !strcmp(f, ".") || !strcmp(f, ".."))
		return false;
	for (const unsigned char *p = (const unsigned char *)f; *p; p++)
		if (*p < ' ' || *p == '/' || *p == '\\' || *p == 0x7f || *p == '"')
			return false;
	return true;
}

/* Writes the content to DIR/ab/<hex> unless it is there already. */
static int store_file(const char *dir, const char *hex, const void *data, size_t n, struct kk_diag *d)
{
	char sub[1100], path[1200], tmp[1300];
	if (strlen(dir) > 1000)
		return kk_diag_set(d, KK_EINVAL, "dir", "attachment directory path too long");
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, hex);
	if ((mkdir(dir, 0700) && errno != EEXIST) || (mkdir(sub, 0700) && errno != EEXIST))
		return kk_diag_set(d, KK_EIO, "dir", "cannot create %s: %s", sub, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", sub, hex);
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
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

struct attach_tx {
	const struct kk_actor *a;
	const char *token, *tracking, *filename, *hex, *mime;
	size_t n;
	struct kk_diag *d;
};

static int attach_fn(struct kk_db *db, void *arg)
{
	struct attach_tx *t = arg;
	struct kk_actor finder = kk_actor_public;
	const struct kk_actor *who = t->a;
	int rc;
	if (!who) {
		if ((rc = kk_intake_link_check(db, t->tracking, t->token, t->d)))
			return rc;
		snprintf(finder.label, sizeof(finder.label), "finder of %.40s", t->tracking);
		who = &finder;
	} else {
		struct kk_stmt *st;
		if ((rc = kk_db_prepare(db, "SELECT 1 FROM report WHERE tracking = ?", &st)))
			return rc;
		kk_stmt_bind_text(st, 1, t->tracking, -1);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc != KK_ROW)
			return rc < 0 ? rc : kk_diag_set(t->d, KK_ENOTFOUND, "tracking", "no report %.40s", t->tracking);
	}
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "INSERT INTO attachment (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) "
			    "ON CONFLICT (sha256) DO NOTHING",
			"sisi", t->hex, (int64_t)t->n, t->mime, now);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"INSERT INTO report_attachment (report_id, sha256, filename, from_finder, added_at) "
				"SELECT id, ?, ?, ?, ? FROM report WHERE tracking = ? ON CONFLICT DO NOTHING",
				"ssiis", t->hex, t->filename, (int64_t)(t->a == NULL), now, t->tracking);
	if (rc < 0)
		return kk_diag_set(t->d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[400];
	snprintf(summary, sizeof(summary), "attachment %.64s (%s, %zu bytes) added to %.40s", t->hex, t->mime, t->n,
		 t->tracking);
	return kk_audit(db, who, "report.attach", "report", t->tracking, summary, NULL, NULL);
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
	if (!max)
		max = KK_ATTACH_MAX_DEFAULT;
	if (n > max)
		return kk_diag_set(d, KK_ETOOBIG, "file", "%s is %zu bytes; attachments are at most %zu bytes",
				   filename ? filename : "the file", n, max);
	if (!filename_ok(filename))
		return kk_diag_set(d, KK_EINVAL, "filename",
				   "give a file name of 1 to 255 bytes without '/', '\\\\', quotes or control characters");
	const char *mime = kk_intake_sniff(data, n);
	if (!mime)
		return kk_diag_set(d, KK_EUNSUPPORTED, "file",
				   "%s is not an allowed type (text, JSON, XML, PNG, JPEG, GIF, WebP, PDF, ZIP, pcap; "
				   "never HTML or SVG); pack other files into a ZIP",
				   filename);
	/* Check the report (and the link) before writing anything to disk. */
	if (!a && (rc = kk_intake_link_check(db, tracking, token, d)))
		return rc;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if ((rc = store_file(dir, hex, data, n, d)))
		return rc;
	struct attach_tx t = {a, token, tracking, filename, hex, mime, n, d};
	if ((rc = kk_db_tx(db, attach_fn, &t)))
		return rc;
	if (sha256_out)
		memcpy(sha256_out, hex, 65);
	return 0;
}
