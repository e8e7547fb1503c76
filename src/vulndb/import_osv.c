/*
 * import_osv.c — OSV records (Go vulndb, RustSec, GHSA, PyPA, ...) into
 * struct kk_vuln_rec: aliases, texts, CVSS vectors, package ranges.
 */
#include "base/buf.h"
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include <stdio.h>
#include <string.h>

/* severity[]: {type: CVSS_V2|CVSS_V3|CVSS_V4, score: vector}; other types are kept out. */
static int severities(const json_t *arr, const char *at, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	size_t i;
	const json_t *s;
	char p[128];
	json_array_foreach(arr, i, s)
	{
		const char *type, *vec;
		struct kk_vuln_cvss c = {.source = rec->source_id, .type = "osv", .score = -1};
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(s))
			return kk_diag_set(d, KK_EPARSE, p, "severity must be an object {type, score}");
		KK_TRY(kk_jget_str(s, p, "type", 1, &type, d));
		KK_TRY(kk_jget_str(s, p, "score", 1, &vec, d));
		if (!strcmp(type, "CVSS_V2"))
			c.version = "2.0";
		else if (!strcmp(type, "CVSS_V3"))
			c.version = !strncmp(vec, "CVSS:3.0/", 9) ? "3.0" : "3.1";
		else if (!strcmp(type, "CVSS_V4"))
			c.version = "4.0";
		else
			continue;
		c.vector = vec;
		KK_TRY(kk_jget_cvss_check(&c, p, "score", d));
		KK_TRY(kk_vuln_rec_cvss(rec, &c));
	}
	return 0;
}

/* One range {type, events[]} of a package into intervals. */
static int range(const json_t *rg, const char *at, struct kk_vuln_pkg *base, struct kk_vuln_rec *rec,
                 struct kk_diag *d)
{
	const json_t *events, *ev;
	const char *type;
	size_t i;
	char p[128], q[128];
	if (!json_is_object(rg))
		return kk_diag_set(d, KK_EPARSE, at, "range must be an object {type, events}");
	KK_TRY(kk_jget_str(rg, at, "type", 1, &type, d));
	if (strcmp(type, "SEMVER") && strcmp(type, "ECOSYSTEM") && strcmp(type, "GIT"))
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, "type", 0),
		                   "range type must be SEMVER, ECOSYSTEM or GIT, not '%.20s'", type);
	KK_TRY(kk_jget_arr(rg, at, "events", 1, &events, d));
	kk_jget_path(p, sizeof p, at, "events", 0);
	/*
	 * Events need not be sorted (the spec orders them by version when it
	 * evaluates), and a GIT range may end on several branches
	 * (introduced 0, fixed A, fixed B). Each fixed/last_affected closes the
	 * latest introduced before it (else the first one); an introduced that
	 * nothing closes is open-ended. limit applies to the whole range.
	 */
	struct kk_vuln_pkg cur = *base;
	const char *first_intro = NULL, *intro = NULL;
	int used = 0;
	cur.range_type = type;
	json_array_foreach(events, i, ev)
	{
		const char *key, *val;
		kk_jget_path(q, sizeof q, p, NULL, i);
		if (!json_is_object(ev) || json_object_size(ev) != 1)
			return kk_diag_set(
			    d, KK_EPARSE, q,
			    "event must be an object with one of introduced, fixed, last_affected, limit");
		key = json_object_iter_key(json_object_iter((json_t *)ev));
		KK_TRY(kk_jget_str(ev, q, key, 1, &val, d));
		if (!strcmp(key, "introduced")) {
			if (!first_intro)
				first_intro = val;
		} else if (!strcmp(key, "limit")) {
			cur.limit = val;
		} else if (strcmp(key, "fixed") && strcmp(key, "last_affected")) {
			return kk_diag_set(
			    d, KK_EPARSE, q,
			    "unknown event '%.30s' (introduced, fixed, last_affected or limit)", key);
		}
	}
	if (!first_intro)
		return kk_diag_set(d, KK_EPARSE, p,
		                   "range has no introduced event; use {\"introduced\": \"0\"} "
		                   "for a range open at the start");
	json_array_foreach(events, i, ev)
	{
		const char *key = json_object_iter_key(json_object_iter((json_t *)ev));
		const char *val = json_string_value(json_object_iter_value(json_object_iter((json_t *)ev)));
		if (!strcmp(key, "introduced")) {
			if (intro && !used) {
				cur.introduced = intro;
				cur.fixed = cur.last_affected = NULL;
				KK_TRY(kk_vuln_rec_pkg(rec, &cur));
			}
			intro = val;
			used = 0;
		} else if (!strcmp(key, "fixed") || !strcmp(key, "last_affected")) {
			cur.introduced = intro ? intro : first_intro;
			cur.fixed = key[0] == 'f' ? val : NULL;
			cur.last_affected = key[0] == 'l' ? val : NULL;
			KK_TRY(kk_vuln_rec_pkg(rec, &cur));
			used = 1;
		}
	}
	if (intro && !used) {
		cur.introduced = intro;
		cur.fixed = cur.last_affected = NULL;
		KK_TRY(kk_vuln_rec_pkg(rec, &cur));
	}
	return 0;
}

static int dump_buf(const char *s, size_t n, void *b)
{
	return kk_buf_add(b, s, n) ? -1 : 0;
}

static int affected(const json_t *arr, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	size_t i, j;
	const json_t *af, *pkg, *ranges, *rg, *vers;
	char p[128], q[128], r[128];
	json_array_foreach(arr, i, af)
	{
		struct kk_vuln_pkg base = {0};
		kk_jget_path(p, sizeof p, "/affected", NULL, i);
		if (!json_is_object(af))
			return kk_diag_set(d, KK_EPARSE, p,
			                   "affected entry must be an object {package, ranges}");
		KK_TRY(kk_jget_obj(af, p, "package", 0, &pkg, d));
		KK_TRY(kk_jget_arr(af, p, "ranges", 0, &ranges, d));
		if (pkg) {
			kk_jget_path(q, sizeof q, p, "package", 0);
			KK_TRY(kk_jget_str(pkg, q, "ecosystem", 1, &base.ecosystem, d));
			KK_TRY(kk_jget_str(pkg, q, "name", 1, &base.name, d));
			KK_TRY(kk_jget_str(pkg, q, "purl", 0, &base.purl, d));
		} else {
			/* without a package only GIT ranges (a repository) make sense */
			int git = json_array_size(ranges) > 0;
			json_array_foreach(ranges, j, rg)
			{
				const char *t = json_string_value(json_object_get(rg, "type"));
				if (!t || strcmp(t, "GIT"))
					git = 0;
			}
			if (!git)
				return kk_diag_set(
				    d, KK_EPARSE, p,
				    "affected entry has no package; only GIT ranges may omit it");
			KK_TRY(kk_jget_str(json_array_get(ranges, 0), p, "repo", 0, &base.name, d));
			base.ecosystem = "GIT";
		}
		kk_jget_path(q, sizeof q, p, "ranges", 0);
		json_array_foreach(ranges, j, rg)
		    KK_TRY(range(rg, kk_jget_path(r, sizeof r, q, NULL, j), &base, rec, d));
		KK_TRY(kk_jget_arr(af, p, "versions", 0, &vers, d));
		if (json_array_size(vers)) {
			struct kk_vuln_pkg v = base;
			struct kk_buf b = KK_BUF_INIT(1 << 20);
			if (json_dump_callback(vers, dump_buf, &b, JSON_COMPACT) || kk_buf_error(&b)) {
				kk_buf_release(&b);
				return kk_diag_set(d, KK_ETOOBIG, kk_jget_path(r, sizeof r, p, "versions", 0),
				                   "versions list is larger than 1 MiB");
			}
			v.range_type = "versions";
			v.versions = b.ptr;
			int rc = kk_vuln_rec_pkg(rec, &v);
			kk_buf_release(&b);
			KK_TRY(rc);
		}
	}
	return 0;
}

int kk_vuln_parse_osv(const json_t *obj, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *arr, *e;
	const char *id, *summary, *details, *withdrawn;
	size_t i;
	char p[128];
	KK_TRY(kk_vuln_rec_start(rec, a, "osv", "osv", obj, "an OSV record", d));
	KK_TRY(kk_jget_str(obj, "", "id", 1, &id, d));
	if (!*id || strlen(id) > 100 || strpbrk(id, " \t\r\n/"))
		return kk_diag_set(d, KK_EPARSE, "/id", "'%.40s' is not an OSV id (e.g. GHSA-xxxx-xxxx-xxxx)",
		                   id);
	rec->source_id = kk_arena_strdup(a, id);
	if (!rec->source_id)
		return KK_ENOMEM;
	KK_TRY(kk_vuln_rec_alias(rec, id));
	KK_TRY(kk_jget_time(obj, "", "modified", 1, &rec->modified, d));
	KK_TRY(kk_jget_time(obj, "", "published", 0, &rec->published, d));
	KK_TRY(kk_jget_str(obj, "", "withdrawn", 0, &withdrawn, d));
	KK_TRY(kk_jget_time(obj, "", "withdrawn", 0, &rec->withdrawn_at, d)); /* OSV states no reason */
	rec->withdrawn = withdrawn != NULL;
	KK_TRY(kk_jget_arr(obj, "", "aliases", 0, &arr, d));
	json_array_foreach(arr, i, e)
	{
		if (!json_is_string(e))
			return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, "/aliases", NULL, i),
			                   "alias must be a string");
		KK_TRY(kk_vuln_rec_alias(rec, json_string_value(e)));
	}
	KK_TRY(kk_jget_str(obj, "", "summary", 0, &summary, d));
	KK_TRY(kk_jget_str(obj, "", "details", 0, &details, d));
	KK_TRY(kk_vuln_rec_text(rec, "en", "title", summary));
	KK_TRY(kk_vuln_rec_text(rec, "en", "description", details));
	KK_TRY(kk_jget_arr(obj, "", "severity", 0, &arr, d));
	KK_TRY(severities(arr, "/severity", rec, d));
	KK_TRY(kk_jget_arr(obj, "", "affected", 0, &arr, d));
	KK_TRY(affected(arr, rec, d));
	json_array_foreach(arr, i, e)
	{
		const json_t *sev;
		char q[128];
		kk_jget_path(p, sizeof p, "/affected", NULL, i);
		KK_TRY(kk_jget_arr(e, p, "severity", 0, &sev, d));
		KK_TRY(severities(sev, kk_jget_path(q, sizeof q, p, "severity", 0), rec, d));
	}
	KK_TRY(kk_jget_arr(obj, "", "references", 0, &arr, d));
	json_array_foreach(arr, i, e)
	{
		const char *url, *type;
		kk_jget_path(p, sizeof p, "/references", NULL, i);
		if (!json_is_object(e))
			return kk_diag_set(d, KK_EPARSE, p, "reference must be an object {type, url}");
		KK_TRY(kk_jget_str(e, p, "url", 1, &url, d));
		KK_TRY(kk_jget_str(e, p, "type", 0, &type, d));
		KK_TRY(kk_vuln_rec_ref(rec, url, type));
	}
	/* database_specific.cwe_ids (GHSA) */
	const json_t *dbs = json_object_get(obj, "database_specific");
	json_array_foreach(json_object_get(dbs, "cwe_ids"), i, e)
	{
		int c = kk_vuln_cwe_id(json_string_value(e));
		if (c > 0)
			KK_TRY(kk_vuln_rec_cwe(rec, c));
	}
	return 0;
}
