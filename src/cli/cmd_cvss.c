/*
 * cmd_cvss.c — `keikai cvss VECTOR...|-`: scores CVSS vectors, one JSON
 * object per line. Built for bulk use: stdin is read in large blocks and
 * output is formatted by hand into one buffer.
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "std/cvss.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define OUT_CAP (1 << 16)
#define IN_CAP (1 << 20)
#define MAX_LINE 4096 /* longer lines are reported as errors, not scored */

struct out {
	char buf[OUT_CAP];
	size_t len;
	int err;
};

static void flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, stdout) != o->len)
		o->err = errno ? errno : EIO;
	o->len = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_CAP)
		flush(o);
	if (n > OUT_CAP) {
		if (fwrite(s, 1, n, stdout) != n)
			o->err = EIO;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

#define PUTS(o, lit) put((o), (lit), sizeof(lit) - 1)

/* Appends a score in tenths ("9.8", "10.0") or null. */
static void put_score(struct out *o, int tenths)
{
	char t[8];
	size_t k = 0;
	if (tenths < 0) {
		PUTS(o, "null");
		return;
	}
	if (tenths >= 100)
		t[k++] = (char)('0' + tenths / 100);
	t[k++] = (char)('0' + tenths / 10 % 10);
	t[k++] = '.';
	t[k++] = (char)('0' + tenths % 10);
	put(o, t, k);
}

static void put_sev(struct out *o, int version, int tenths)
{
	const char *s = tenths < 0 ? NULL : kk_cvss_severity(version, tenths);
	if (!s) {
		PUTS(o, "null");
		return;
	}
	put(o, "\"", 1);
	put(o, s, strlen(s));
	put(o, "\"", 1);
}

/* A JSON string of arbitrary bytes (escaped by the shared writer). */
static void put_quoted(struct out *o, const char *s, size_t n)
{
	struct kk_buf b = KK_BUF_INIT(0);
	if (kk_json_quote(&b, s, n) < 0 || kk_buf_error(&b)) {
		o->err = ENOMEM;
	} else {
		put(o, b.ptr, b.len);
	}
	kk_buf_release(&b);
}

/* Scores one vector and writes its line; returns 0, or 1 if it was invalid. */
static int one(struct out *o, const char *s, size_t n)
{
	struct kk_cvss c;
	struct kk_cvss_scores sc;
	struct kk_diag d;
	PUTS(o, "{\"vector\":");
	if (kk_cvss_parse(s, n, &c, &d) < 0 || kk_cvss_score(&c, &sc) < 0) {
		put_quoted(o, s, n);
		PUTS(o, ",\"error\":");
		put_quoted(o, d.msg, strlen(d.msg));
		PUTS(o, "}\n");
		return 1;
	}
	/* An accepted vector is plain ASCII letters, digits, ':', '/' and '.'. */
	put(o, "\"", 1);
	put(o, s, n);
	PUTS(o, "\",\"version\":\"");
	const char *vn = kk_cvss_version_name(c.version);
	put(o, vn, 3);
	int v4 = c.version == KK_CVSS_V40;
	int t = !v4 && (sc.groups & KK_CVSS_G_TEMPORAL) ? sc.temporal : -1;
	int e = !v4 && (sc.groups & KK_CVSS_G_ENV) ? sc.environmental : -1;
	PUTS(o, "\",\"baseScore\":");
	put_score(o, sc.base);
	PUTS(o, ",\"baseSeverity\":");
	put_sev(o, c.version, sc.base);
	PUTS(o, ",\"temporalScore\":");
	put_score(o, t);
	PUTS(o, ",\"environmentalScore\":");
	put_score(o, e);
	PUTS(o, ",\"score\":");
	put_score(o, sc.score);
	PUTS(o, ",\"severity\":");
	put_sev(o, c.version, sc.score);
	PUTS(o, "}\n");
	return 0;
}

/* The error line of an input line over MAX_LINE bytes (its first 64 shown). */
static int too_long(struct out *o, const char *s)
{
	PUTS(o, "{\"vector\":");
	put_quoted(o, s, 64);
	PUTS(o, ",\"error\":\"line longer than 4096 bytes: not a CVSS vector\"}\n");
	return 1;
}

/* Trims spaces, tabs and a CR around a line. */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int from_stdin(struct out *o, int *bad)
{
	char *in = kk_malloc(IN_CAP);
	if (!in)
		return cli_error("cvss: out of memory for the input buffer");
	size_t len = 0;
	int eof = 0, skipping = 0;
	while (!eof) {
		size_t got = fread(in + len, 1, IN_CAP - len, stdin);
		if (got == 0) {
			if (ferror(stdin)) {
				kk_free(in);
				return cli_error("cvss: reading standard input: %s", strerror(errno));
			}
			eof = 1;
		}
		len += got;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(in + start, '\n', len - start);
			size_t end = nl ? (size_t)(nl - in) : len;
			if (!nl && !eof)
				break;
			if (!nl && start == end)
				break;
			const char *s = in + start;
			size_t n = end - start;
			if (skipping) {
				skipping = 0;
			} else {
				trim(&s, &n);
				if (n > MAX_LINE)
					*bad |= too_long(o, s);
				else if (n)
					*bad |= one(o, s, n);
			}
			start = end + (nl ? 1 : 0);
			if (!nl)
				break;
		}
		memmove(in, in + start, len - start);
		len -= start;
		if (len > MAX_LINE) {
			/* A line with no end in sight: report it once, drop the rest of it. */
			if (!skipping)
				*bad |= too_long(o, in);
			skipping = 1;
			len = 0;
		}
	}
	kk_free(in);
	return 0;
}

int cmd_cvss(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2)
		return cli_usage("cvss",
		                 "give at least one VECTOR, or - to read vectors from standard input");
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != 0)
			return cli_usage("cvss", "unknown option '%s'", argv[i]);
	static struct out o;
	o.len = 0;
	o.err = 0;
	int bad = 0, rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		if (!strcmp(argv[i], "-"))
			rc = from_stdin(&o, &bad);
		else
			bad |= one(&o, argv[i], strlen(argv[i]));
	}
	flush(&o);
	if (fflush(stdout) != 0 || o.err)
		return cli_error("cvss: writing standard output: %s", strerror(o.err ? o.err : errno));
	return rc ? rc : bad ? KK_EXIT_FAIL : KK_EXIT_OK;
}
