/*
 * cmd_langtag.c — `keikai langtag TAG... | -`: RFC 5646 language tags,
 * well-formed or not, with their parts and canonical case; one JSON object
 * per line (tests/t/t0123-langtag-differential.sh compares it with an
 * independent parser).
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "std/langtag.h"
#include "vulndb/record.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A part of t, in the canonical case (canon has the tag's length and layout), or null. */
static void part(struct kk_json *j, const char *key, struct kk_str p, const char *tag, const char *canon)
{
	kk_json_key(j, key);
	if (p.ptr)
		kk_json_strn(j, canon + (p.ptr - tag), p.len);
	else
		kk_json_null(j);
}

/* Writes the line of tag[0..n) into b; returns 1 when it is not well-formed. */
static int one(struct kk_buf *b, const char *tag, size_t n)
{
	struct kk_langtag t;
	struct kk_diag d;
	struct kk_json j;
	kk_diag_clear(&d);
	kk_json_init(&j, b);
	kk_json_obj_open(&j);
	kk_json_key(&j, "tag");
	kk_json_strn(&j, tag, n);
	char *canon = kk_malloc(n + 1);
	int bad =
	    !canon || kk_langtag_parse(tag, n, &t, &d) || kk_langtag_canon(tag, n, canon, n + 1, &d) < 0;
	if (bad) {
		kk_json_kv_str(&j, "error", canon ? d.msg : "out of memory");
	} else {
		char stored[KK_VULN_LANG_MAX];
		kk_json_kv_str(&j, "canonical", canon);
		kk_json_kv_str(&j, "kind", kk_langtag_kind_name(t.kind));
		part(&j, "language", t.language, tag, canon);
		part(&j, "extlang", t.extlang, tag, canon);
		part(&j, "script", t.script, tag, canon);
		part(&j, "region", t.region, tag, canon);
		part(&j, "variants", t.variants, tag, canon);
		part(&j, "extensions", t.extensions, tag, canon);
		part(&j, "privateuse", t.privateuse, tag, canon);
		kk_json_kv_bool(&j, "repeats", t.repeats);
		/* the language keikai stores a text so tagged under (a well-formed tag has no NUL) */
		kk_json_kv_str(&j, "textLanguage", kk_vuln_lang(canon, stored, NULL, NULL) ? NULL : stored);
	}
	kk_json_obj_close(&j);
	kk_buf_add(b, "\n", 1);
	kk_free(canon);
	return bad;
}

/* Writes out what b holds and empties it; KK_EXIT_FAIL when it could not be formatted. */
static int flush(struct kk_buf *b)
{
	if (kk_buf_error(b))
		return cli_error("langtag: out of memory");
	fwrite(b->ptr, 1, b->len, stdout);
	kk_buf_reset(b);
	return KK_EXIT_OK;
}

int cmd_langtag(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2)
		return cli_usage("langtag",
		                 "give at least one TAG (en, ja-JP), or - to read tags from standard input");
	struct kk_buf b = KK_BUF_INIT(0);
	int bad = 0, rc = KK_EXIT_OK;
	for (int i = 1; i < argc && rc == KK_EXIT_OK; i++) {
		if (strcmp(argv[i], "-")) {
			bad |= one(&b, argv[i], strlen(argv[i]));
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while (rc == KK_EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
			if (n && line[n - 1] == '\n')
				n--;
			if (n && line[n - 1] == '\r')
				n--;
			bad |= one(&b, line, (size_t)n);
			if (b.len >= 1 << 16)
				rc = flush(&b);
		}
		if (rc == KK_EXIT_OK && ferror(stdin))
			rc = cli_error("langtag: reading standard input: %s", strerror(errno));
		free(line);
	}
	if (rc == KK_EXIT_OK)
		rc = flush(&b);
	kk_buf_release(&b);
	if (fflush(stdout) != 0)
		return cli_error("langtag: writing standard output: %s", strerror(errno));
	return rc != KK_EXIT_OK ? rc : bad ? KK_EXIT_FAIL : KK_EXIT_OK;
}
