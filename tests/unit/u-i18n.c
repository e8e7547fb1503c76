/*
 * u-i18n.c — the .mo reader, language negotiation, and the catalog check:
 * every string marked _("...") or N_("...") in the .c files of src/web has a non-empty,
 * non-fuzzy Japanese translation in po/ja.po.
 */
#include "base/alloc.h"
#include "base/embed.h"
#include "base/err.h"
#include "testutil.h"
#include "web/i18n.h"
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct kk_embedded kk_catalog_files[];

static void test_embedded_catalog(void **state)
{
	(void)state;
	assert_int_equal(kk_i18n_init(), 0);
	const struct kk_catalog *ja = kk_i18n_catalog("ja");
	assert_non_null(ja);
	assert_string_equal(kk_i18n_lookup(ja, "Sign in"), "ログイン");
	assert_string_equal(kk_i18n_lookup(ja, "no such message, surely"), "no such message, surely");
	assert_string_equal(kk_i18n_lookup(kk_i18n_catalog("en"), "Sign in"), "Sign in");
	assert_string_equal(kk_i18n_lookup(NULL, "Sign in"), "Sign in");
	kk_i18n_use(ja);
	assert_string_equal(_("Sign out"), "ログアウト");
	kk_i18n_use(NULL);
	assert_string_equal(_("Sign out"), "Sign out");
}

static void test_bad_mo(void **state)
{
	(void)state;
	const struct kk_embedded *e = kk_embed_find(kk_catalog_files, "ja.mo");
	assert_non_null(e);
	struct kk_catalog *c;
	assert_int_equal(kk_i18n_parse(e->data, e->len, &c), 0);
	kk_i18n_free(c);
	unsigned char *copy = kk_malloc(e->len);
	memcpy(copy, e->data, e->len);
	assert_int_equal(kk_i18n_parse(copy, 20, &c), KK_EPARSE);         /* truncated header */
	assert_int_equal(kk_i18n_parse(copy, e->len / 2, &c), KK_EPARSE); /* strings cut off */
	copy[0] ^= 0xff;
	assert_int_equal(kk_i18n_parse(copy, e->len, &c), KK_EPARSE); /* bad magic */
	copy[0] ^= 0xff;
	memset(copy + 12, 0xff, 4); /* originals table far outside */
	assert_int_equal(kk_i18n_parse(copy, e->len, &c), KK_EPARSE);
	kk_free(copy);
}

static void test_negotiate(void **state)
{
	(void)state;
	assert_string_equal(kk_i18n_negotiate(NULL, NULL, NULL), "ja");
	assert_string_equal(kk_i18n_negotiate("en", "ja", "ja"), "en");
	assert_string_equal(kk_i18n_negotiate("xx", "en", "ja"), "en");
	assert_string_equal(kk_i18n_negotiate(NULL, NULL, "en-US,en;q=0.9,ja;q=0.8"), "en");
	assert_string_equal(kk_i18n_negotiate(NULL, NULL, "fr;q=1, ja;q=0.3, en;q=0.2"), "ja");
	assert_string_equal(kk_i18n_negotiate(NULL, NULL, "fr, de"), "ja");
	assert_string_equal(kk_i18n_negotiate(NULL, NULL, "en;q=0"), "ja");
	assert_null(kk_i18n_supported("english"));
	assert_string_equal(kk_i18n_supported("ja-JP"), "ja");
}

/* ---- po/ja.po against the sources ---- */

struct entry {
	char *id;
	char *str;
	int fuzzy;
};

static struct entry entries[2000];
static int nentries;

/* Appends the C/PO string literal at *p (after the opening quote) to out; returns the position after the
 * closing quote. */
static const char *read_literal(const char *p, char *out, size_t n)
{
	size_t l = strlen(out);
	while (*p && *p != '"') {
		char c = *p++;
		if (c == '\\') {
			c = *p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (l + 1 < n)
			out[l++] = c;
	}
	out[l] = 0;
	return *p ? p + 1 : p;
}

static void load_po(const char *path)
{
	size_t len;
	char *text = tu_slurp(path, &len);
	char id[4096] = "", str[4096] = "", *which = NULL;
	int fuzzy = 0, have = 0;
	for (char *line = strtok(text, "\n");; line = strtok(NULL, "\n")) {
		bool end = !line || !strncmp(line, "msgid ", 6);
		if (end && have) {
			assert_true(nentries < 2000);
			entries[nentries++] = (struct entry){kk_strdup(id), kk_strdup(str), fuzzy};
			have = fuzzy = 0;
			id[0] = str[0] = 0;
		}
		if (!line)
			break;
		if (!strncmp(line, "#,", 2) && strstr(line, "fuzzy"))
			fuzzy = 1;
		else if (!strncmp(line, "msgid ", 6)) {
			which = id;
			read_literal(line + 7, id, sizeof(id));
			have = 1;
		} else if (!strncmp(line, "msgstr ", 7)) {
			which = str;
			read_literal(line + 8, str, sizeof(str));
		} else if (line[0] == '"' && which)
			read_literal(line + 1, which, 4096);
	}
	kk_free(text);
}

static const struct entry *find(const char *id)
{
	for (int i = 0; i < nentries; i++)
		if (!strcmp(entries[i].id, id))
			return &entries[i];
	return NULL;
}

static int check_source(const char *path)
{
	size_t len;
	char *src = tu_slurp(path, &len);
	int bad = 0, seen = 0;
	for (const char *p = src; (p = strstr(p, "_(\"")); p += 3) {
		char prev = p > src ? p[-1] : ' ';
		if (prev != 'N' && (prev == '_' || (prev >= 'a' && prev <= 'z') ||
		                    (prev >= 'A' && prev <= 'Z') || (prev >= '0' && prev <= '9')))
			continue;
		char id[4096] = "";
		const char *q = p + 3;
		for (;;) {
			q = read_literal(q, id, sizeof(id));
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			if (*q != '"')
				break;
			q++;
		}
		seen++;
		const struct entry *e = find(id);
		if (!e || !e->str[0] || e->fuzzy) {
			print_error(
			    "%s: \"%s\" has no Japanese translation in po/ja.po (run scripts/update-po and "
			    "translate it)\n",
			    path, id);
			bad++;
		}
	}
	kk_free(src);
	return seen ? bad : -1;
}

static void test_every_msgid_translated(void **state)
{
	(void)state;
	load_po("po/ja.po");
	assert_true(nentries > 20);
	DIR *d = opendir("src/web");
	assert_non_null(d);
	struct dirent *de;
	int bad = 0, files_with_strings = 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 3 || strcmp(de->d_name + n - 2, ".c"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "src/web/%s", de->d_name);
		int rc = check_source(path);
		if (rc >= 0) {
			files_with_strings++;
			bad += rc;
		}
	}
	closedir(d);
	assert_true(files_with_strings >= 3);
	assert_int_equal(bad, 0);
	for (int i = 0; i < nentries; i++) {
		kk_free(entries[i].id);
		kk_free(entries[i].str);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_embedded_catalog),
	    cmocka_unit_test(test_bad_mo),
	    cmocka_unit_test(test_negotiate),
	    cmocka_unit_test(test_every_msgid_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
