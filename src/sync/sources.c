/*
 * sources.c — every source keikai keeps itself current from, one row each
 * (sync.h). The URL is the real service, so a deployment works unchanged;
 * `keikai sync --set SOURCE --url URL` points one elsewhere (tests: the
 * loopback fixture).
 */
#include "sync/sources.h"
#include <stdio.h>

const struct kk_sync_source kk_sync_sources[] = {
    {"nvd", "https://services.nvd.nist.gov", 120, "",
     "NVD API 2.0 (CVE): changes by lastModStartDate/EndDate windows of at most 120 days, 2,000 a page",
     kk_sync_nvd},
    {"cvelist", "https://api.github.com/repos/CVEProject/cvelistV5", 60, "",
     "CVE List V5 (cvelistV5 releases): the midnight baseline on the first run, then the hourly delta archives",
     kk_sync_cvelist},
    {"kev", "https://www.cisa.gov", 360, "", "CISA Known Exploited Vulnerabilities catalog (JSON, conditional GET)",
     kk_sync_kev},
    {"osv", "https://osv-vulnerabilities.storage.googleapis.com", 60, "Go,crates.io,PyPI,npm,Maven,RubyGems,NuGet,Packagist",
     "OSV per ecosystem (options: ecosystems): all.zip on the first run, then modified_id.csv", kk_sync_osv},
    {"local", "../shared/data", 1440, "",
     "sample records from a local directory (the demo: ../shared/data), brought in like a sync", kk_sync_local},
};
const int kk_sync_nsources = (int)(sizeof kk_sync_sources / sizeof kk_sync_sources[0]);

json_t *kk_sync_json_body(struct kk_sync *s, const struct kk_http_resp *r, const char *url)
{
	FILE *f = kk_http_body(r);
	json_error_t e;
	json_t *j = f ? json_loadf(f, 0, &e) : NULL;
	if (f)
		fclose(f);
	if (!j) {
		char where[32], msg[300];
		snprintf(where, sizeof where, "%d:%d", f ? e.line : 0, f ? e.column : 0);
		snprintf(msg, sizeof msg, "not valid JSON: %s", f ? e.text : "cannot read the answer");
		kk_sync_malformed(s, url, "(page)", where, msg);
	}
	return j;
}
