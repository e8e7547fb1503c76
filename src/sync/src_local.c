/*
 * src_local.c — sample records from a local directory, brought in through
 * the same path as a sync (the demo: `make run` serves at once and this
 * source fills the database in the background, its progress on the home
 * and admin pages). The base URL is the directory (../shared/data); the
 * files are those of its folders listed below, in this order. A file is
 * the unit: imported in batches, then the cursor {"done":N} counts it in
 * (a file cut short by a crash is imported again, and what it had
 * committed comes back unchanged). Progress (done of total) is in bytes of
 * the files, so a long file moves the bar as it goes.
 */
#include "base/str.h"
#include "sync/sources.h"
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const patterns[] = {
    "nvd-json-1.1-feeds/*.json.gz",
    "cve5-vulnrichment/vulnrichment_cve5_records.jsonl.xz",
    "osv-golang-vulndb/*.jsonl.xz",
    "osv-rustsec/*.jsonl.xz",
    "jvn-myjvn-api/examples/hnd/getVulnDetailInfo_hnd_*.xml",
    "jvn-myjvn-api/examples/hnd/dataFeed_jvndb_detail_hnd.xml",
    "jvn-product-dictionary/jvn_product_dictionary.jsonl.gz",
    "cisa-kev/known_exploited_vulnerabilities.json",
};

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) ? 0 : (long)sb.st_size;
}

int kk_sync_local(struct kk_sync *s)
{
	struct stat sb;
	if (stat(s->base_url, &sb) || !S_ISDIR(sb.st_mode))
		return kk_diag_set(s->d, KK_ENOTFOUND, NULL,
		                   "sync local: %s is not a directory (set it: keikai sync --set local --url DIR)",
		                   s->base_url);
	glob_t g = {0};
	int flags = 0;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		char pat[1024];
		snprintf(pat, sizeof pat, "%s/%s", s->base_url, patterns[i]);
		if (glob(pat, flags, NULL, &g) == 0)
			flags = GLOB_APPEND;
	}
	json_t *c = json_loads(s->cursor[0] ? s->cursor : "{}", 0, NULL);
	size_t done = (size_t)json_integer_value(json_object_get(c, "done"));
	json_decref(c);
	/* progress in bytes: the files' sizes, those done counted in */
	s->total = s->done = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		long n = file_size(g.gl_pathv[i]);
		s->total += n;
		if (i < done)
			s->done += n;
	}
	int rc = 0;
	for (size_t i = done; i < g.gl_pathc && rc == 0; i++) {
		const char *path = g.gl_pathv[i];
		rc = kk_sync_import_file(s, path, path);
		if (rc == 0) {
			char cursor[1300];
			json_t *cj = json_pack("{s:I,s:s}", "done", (json_int_t)(i + 1), "file", path + strlen(s->base_url) + 1);
			char *text = cj ? json_dumps(cj, JSON_COMPACT) : NULL;
			snprintf(cursor, sizeof cursor, "%s", text ? text : "{}");
			free(text);
			json_decref(cj);
			rc = kk_sync_set_cursor(s, cursor, NULL, NULL);
		}
		if (rc == 0) {
			s->done += file_size(path);
			rc = kk_sync_progress(s);
		}
	}
	globfree(&g);
	return rc;
}
