/*
 * u-vulndb-ja.c — the Japanese CWE names (every CWE of the real NVD feeds
 * has one), the cross-language glossary's matching, and composed texts.
 */
#include "testutil.h"
#include "vulndb/ja.h"
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

/* Every CWE value of every NVD 1.1 feed in ../shared/data has a Japanese name. */
static void test_cwe_coverage(void **state)
{
	(void)state;
	const char *dir = tu_shared("nvd-json-1.1-feeds");
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	static char line[1 << 16];
	long seen = 0, missing = 0, files = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		if (n < 8 || strcmp(e->d_name + n - 8, ".json.gz"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		gzFile f = gzopen(path, "rb");
		assert_non_null(f);
		files++;
		while (gzgets(f, line, sizeof line)) {
			char *v = strstr(line, "\"value\" : \"");
			if (!v)
				continue;
			v += 11;
			if (strncmp(v, "CWE-", 4) && strncmp(v, "NVD-CWE-", 8))
				continue;
			char *q = strchr(v, '"');
			if (!q || strspn(v, "CWENVDOtherinfo-0123456789") != (size_t)(q - v))
				continue; /* a description that starts with a CWE id */
			*q = 0;
			seen++;
			if (!kk_cwe_ja_name(v)) {
				if (missing < 20)
					print_message("no Japanese name for %s (%s)\n", v, e->d_name);
				missing++;
			}
		}
		gzclose(f);
	}
	closedir(dh);
	assert_true(files >= 10);
	assert_true(seen > 100000);
	assert_int_equal(missing, 0);
	assert_string_equal(kk_cwe_ja_name("CWE-79"), "クロスサイトスクリプティング");
	assert_string_equal(kk_cwe_ja_name("89"), "SQL インジェクション");
	assert_string_equal(kk_cwe_ja_name("NVD-CWE-noinfo"), "情報不足");
	assert_null(kk_cwe_ja_name("CWE-0"));
	assert_null(kk_cwe_ja_name("CWE-79x"));
	assert_null(kk_cwe_ja_name_int(999999));
}

static void test_glossary(void **state)
{
	(void)state;
	const struct kk_gloss *xss = kk_gloss_find("XSS", 3);
	assert_non_null(xss);
	static const char *const same[] = {"クロスサイトスクリプティング", "クロスサイト・スクリプティング",
	                                   "ｸﾛｽｻｲﾄｽｸﾘﾌﾟﾃｨﾝｸﾞ", "Cross-Site Scripting", "cross site scripting",
	                                   "xss"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (kk_gloss_find(same[i], strlen(same[i])) != xss)
			fail_msg("glossary: '%s' is not the XSS line", same[i]);
	const struct kk_gloss *bof = kk_gloss_find("buffer overflow", 15);
	assert_non_null(bof);
	static const char *const bofs[] = {"バッファオーバーフロー", "バッファ・オーバーフロー", "バッファーオーバーフロー",
	                                   "バッファオーバフロー", "Buffer Overflow"};
	for (size_t i = 0; i < sizeof bofs / sizeof bofs[0]; i++)
		if (kk_gloss_find(bofs[i], strlen(bofs[i])) != bof)
			fail_msg("glossary: '%s' is not the buffer overflow line", bofs[i]);
	assert_true(bof != xss);
	bool has119 = false;
	for (size_t i = 0; i < bof->ncwes; i++)
		has119 |= bof->cwes[i] == 119;
	assert_true(has119);
	static const char *const abbrev[][2] = {{"SQLi", "SQLインジェクション"}, {"CSRF", "クロスサイトリクエストフォージェリ"},
	                                         {"DoS", "サービス運用妨害"}, {"RCE", "リモートコード実行"}};
	for (size_t i = 0; i < sizeof abbrev / sizeof abbrev[0]; i++) {
		const struct kk_gloss *a = kk_gloss_find(abbrev[i][0], strlen(abbrev[i][0]));
		if (!a || a != kk_gloss_find(abbrev[i][1], strlen(abbrev[i][1])))
			fail_msg("glossary: '%s' and '%s' are not one line", abbrev[i][0], abbrev[i][1]);
	}
	assert_null(kk_gloss_find("openssl", 7));
	assert_null(kk_gloss_find("", 0));
	assert_null(kk_gloss_find("\xff\xfe", 2));
	assert_true(kk_gloss_max_words() >= 3);
}

static void test_compose(void **state)
{
	(void)state;
	int cwes[] = {476};
	struct kk_ja_facts f = {"Apache Software Foundation", "Apache HTTP Server", cwes, 1,
	                        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", true, true};
	struct kk_ja_texts t;
	assert_int_equal(kk_ja_compose(&f, &t), 0);
	assert_string_equal(t.title.ptr,
	                    "Apache Software Foundation Apache HTTP Server における NULL ポインタデリファレンスの脆弱性");
	assert_string_equal(t.overview.ptr, "Apache Software Foundation の Apache HTTP Server には、NULL "
	                                    "ポインタデリファレンスに関する脆弱性が存在します。");
	assert_string_equal(t.impact.ptr, "リモートの第三者によって、情報を取得される、およびサービス運用妨害 (DoS) "
	                                  "状態にされる可能性があります。");
	assert_non_null(strstr(t.solution.ptr, "正式な対策が公開されています"));
	kk_ja_texts_release(&t);
	/* unknown type (NVD-CWE-Other is not a type), local, all three impacts, no fix */
	int other[] = {-1};
	struct kk_ja_facts g = {NULL, "busybox", other, 1, "AV:L/AC:L/Au:N/C:P/I:P/A:P", false, false};
	assert_int_equal(kk_ja_compose(&g, &t), 0);
	assert_string_equal(t.title.ptr, "busybox における脆弱性");
	assert_string_equal(t.impact.ptr, "ローカルユーザによって、情報を取得される、情報を改ざんされる、およびサービス運用妨害 "
	                                  "(DoS) 状態にされる可能性があります。");
	assert_non_null(strstr(t.solution.ptr, "確認されていません"));
	kk_ja_texts_release(&t);
	/* CVSS 4.0 names the impacts VC/VI/VA */
	struct kk_ja_facts h = {"x", "y", cwes, 0, "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N",
	                        false, true};
	assert_int_equal(kk_ja_compose(&h, &t), 0);
	assert_string_equal(t.title.ptr, "x y における脆弱性");
	assert_string_equal(t.impact.ptr, "隣接ネットワーク上の第三者によって、情報を改ざんされる可能性があります。");
	kk_ja_texts_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cwe_coverage),
		cmocka_unit_test(test_glossary),
		cmocka_unit_test(test_compose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
