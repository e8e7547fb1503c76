/*
 * import_nvd.c — NVD records into struct kk_vuln_rec: items of the JSON 1.1
 * yearly feeds (CVE_Items[]) and of API 2.0 responses (vulnerabilities[]).
 */
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include <stdio.h>
#include <string.h>

/* [{lang, value:"CWE-79"}] */
static int cwes(const json_t *arr, const char *at, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	size_t i;
	const json_t *t;
	char p[128];
	json_array_foreach(arr, i, t)
	{
		const char *value;
		kk_jget_path(p, sizeof p, at, NULL, i);
		if (!json_is_object(t))
			return kk_diag_set(d, KK_EPARSE, p, "problem type must be an object {lang, value}");
		KK_TRY(kk_jget_str(t, p, "value", 1, &value, d));
		int c = kk_vuln_cwe_id(value);
		if (c > 0)
			KK_TRY(kk_vuln_rec_cwe(rec, c));
	}
	return 0;
}

/* One cpe_match / cpeMatch entry. */
static int cpe_match(const json_t *m, const char *at, const char *cpekey, struct kk_vuln_cpe *c,
                     struct kk_vuln_rec *rec, struct kk_diag *d)
{
	int vuln;
	if (!json_is_object(m))
		return kk_diag_set(d, KK_EPARSE, at, "CPE match must be an object");
	KK_TRY(kk_jget_str(m, at, cpekey, 1, &c->cpe23, d));
	if (strncmp(c->cpe23, "cpe:2.3:", 8)) {
		char p[128];
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, cpekey, 0),
		                   "'%.60s' is not a CPE 2.3 name (cpe:2.3:part:vendor:product:...)",
		                   c->cpe23);
	}
	KK_TRY(kk_jget_bool(m, at, "vulnerable", 1, &vuln, d));
	c->vulnerable = vuln;
	KK_TRY(kk_jget_str(m, at, "versionStartIncluding", 0, &c->start_incl, d));
	KK_TRY(kk_jget_str(m, at, "versionStartExcluding", 0, &c->start_excl, d));
	KK_TRY(kk_jget_str(m, at, "versionEndIncluding", 0, &c->end_incl, d));
	KK_TRY(kk_jget_str(m, at, "versionEndExcluding", 0, &c->end_excl, d));
	c->vendor = c->product = c->version = NULL;
	return kk_vuln_rec_cpe(rec, c);
}

static int node_ops(const json_t *node, const char *at, int *and_, int *negate, struct kk_diag *d)
{
	const char *op;
	KK_TRY(kk_jget_str(node, at, "operator", 0, &op, d));
	if (op && strcmp(op, "AND") && strcmp(op, "OR")) {
		char p[128];
		return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, "operator", 0),
		                   "operator must be AND or OR, not '%.20s'", op);
	}
	*and_ = op && !strcmp(op, "AND");
	return kk_jget_bool(node, at, "negate", 0, negate, d);
}

/* A node's matches (key `matchkey`, CPE in `cpekey`) as node *n of config cfg. */
static int node_matches(const json_t *node, const char *at, const char *matchkey, const char *cpekey,
                        struct kk_vuln_cpe *c, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *arr, *m;
	size_t i;
	char p[128], q[128];
	int and_, neg;
	if (!json_is_object(node))
		return kk_diag_set(d, KK_EPARSE, at, "configuration node must be an object");
	KK_TRY(node_ops(node, at, &and_, &neg, d));
	c->node_and = and_;
	c->negate = neg;
	KK_TRY(kk_jget_arr(node, at, matchkey, 0, &arr, d));
	kk_jget_path(p, sizeof p, at, matchkey, 0);
	json_array_foreach(arr, i, m)
	    KK_TRY(cpe_match(m, kk_jget_path(q, sizeof q, p, NULL, i), cpekey, c, rec, d));
	return 0;
}

/* NVD 1.1: a top node with children is one configuration; nested children flatten into it. */
static int nvd11_children(const json_t *node, const char *at, struct kk_vuln_cpe *c, struct kk_vuln_rec *rec,
                          struct kk_diag *d)
{
	const json_t *kids, *k;
	size_t i;
	char p[128], q[128];
	KK_TRY(kk_jget_arr(node, at, "children", 0, &kids, d));
	kk_jget_path(p, sizeof p, at, "children", 0);
	json_array_foreach(kids, i, k)
	{
		kk_jget_path(q, sizeof q, p, NULL, i);
		KK_TRY(node_matches(k, q, "cpe_match", "cpe23Uri", c, rec, d));
		c->node++;
		KK_TRY(nvd11_children(k, q, c, rec, d));
	}
	return 0;
}

static int nvd11_configs(const json_t *item, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *conf, *nodes, *n;
	size_t i;
	char p[128];
	KK_TRY(kk_jget_obj(item, "", "configurations", 0, &conf, d));
	if (!conf)
		return 0;
	KK_TRY(kk_jget_arr(conf, "/configurations", "nodes", 0, &nodes, d));
	json_array_foreach(nodes, i, n)
	{
		struct kk_vuln_cpe c = {.cfg = (int)i};
		int and_, neg;
		kk_jget_path(p, sizeof p, "/configurations/nodes", NULL, i);
		if (!json_is_object(n))
			return kk_diag_set(d, KK_EPARSE, p, "configuration node must be an object");
		if (json_array_size(json_object_get(n, "children"))) {
			KK_TRY(node_ops(n, p, &and_, &neg, d));
			c.cfg_and = and_;
			KK_TRY(nvd11_children(n, p, &c, rec, d));
		} else {
			KK_TRY(node_matches(n, p, "cpe_match", "cpe23Uri", &c, rec, d));
		}
	}
	return 0;
}

/* impact.baseMetricV3 / baseMetricV2 */
static int nvd11_impact(const json_t *item, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	static const struct {
		const char *metric, *cvss;
	} m[] = {{"baseMetricV3", "cvssV3"}, {"baseMetricV2", "cvssV2"}};
	const json_t *impact;
	KK_TRY(kk_jget_obj(item, "", "impact", 0, &impact, d));
	for (size_t i = 0; impact && i < sizeof m / sizeof *m; i++) {
		const json_t *bm, *cv;
		char p[128], q[128];
		KK_TRY(kk_jget_obj(impact, "/impact", m[i].metric, 0, &bm, d));
		if (!bm)
			continue;
		kk_jget_path(p, sizeof p, "/impact", m[i].metric, 0);
		KK_TRY(kk_jget_obj(bm, p, m[i].cvss, 1, &cv, d));
		kk_jget_path(q, sizeof q, p, m[i].cvss, 0);
		struct kk_vuln_cvss c = {.source = "nvd@nist.gov", .type = "Primary"};
		KK_TRY(kk_jget_str(bm, p, "severity", 0, &c.severity, d)); /* v2 rates outside cvssV2 */
		KK_TRY(kk_jget_cvss(cv, q, &c, rec, d));
	}
	return 0;
}

/*
 * Rejected by the CVE authority: a description in NVD's rejection form
 * (kk_vuln_rejected_text) or, from the API, vulnStatus "Rejected". NVD
 * states no date of its own for the rejection: it is the record's last
 * modification. The reason is the description's text after the marker
 * (the whole description when only vulnStatus says it).
 */
static void rejected(struct kk_vuln_rec *rec, bool by_status)
{
	const char *reason = NULL;
	for (size_t i = 0; i < rec->n_texts && !rec->withdrawn; i++)
		rec->withdrawn = kk_vuln_rejected_text(rec->texts[i].text, &reason);
	if (!rec->withdrawn && by_status) {
		rec->withdrawn = true;
		for (size_t i = 0; i < rec->n_texts && !reason; i++)
			if (!strcmp(rec->texts[i].lang, "en"))
				reason = rec->texts[i].text;
	}
	if (rec->withdrawn) {
		rec->withdrawn_at = rec->modified;
		rec->withdrawn_reason = reason && *reason ? reason : NULL;
	}
}

int kk_vuln_parse_nvd11(const json_t *item, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *cve, *meta, *o, *arr, *e;
	const char *id;
	size_t i;
	char p[128];
	KK_TRY(kk_vuln_rec_start(rec, a, "nvd", "nvd-json1.1", item, "an NVD CVE item", d));
	KK_TRY(kk_jget_obj(item, "", "cve", 1, &cve, d));
	KK_TRY(kk_jget_obj(cve, "/cve", "CVE_data_meta", 1, &meta, d));
	KK_TRY(kk_jget_str(meta, "/cve/CVE_data_meta", "ID", 1, &id, d));
	KK_TRY(kk_jget_cve_id(id, "/cve/CVE_data_meta", "ID", rec, d));
	KK_TRY(kk_jget_time(item, "", "publishedDate", 1, &rec->published, d));
	KK_TRY(kk_jget_time(item, "", "lastModifiedDate", 1, &rec->modified, d));

	KK_TRY(kk_jget_obj(cve, "/cve", "description", 0, &o, d));
	if (o) {
		KK_TRY(kk_jget_arr(o, "/cve/description", "description_data", 0, &arr, d));
		KK_TRY(kk_jget_texts(arr, "/cve/description/description_data", "overview", rec, d));
	}
	rejected(rec, false);
	KK_TRY(kk_jget_obj(cve, "/cve", "problemtype", 0, &o, d));
	if (o) {
		KK_TRY(kk_jget_arr(o, "/cve/problemtype", "problemtype_data", 0, &arr, d));
		json_array_foreach(arr, i, e)
		{
			const json_t *desc;
			kk_jget_path(p, sizeof p, "/cve/problemtype/problemtype_data", NULL, i);
			if (!json_is_object(e))
				return kk_diag_set(d, KK_EPARSE, p, "problem type data must be an object");
			KK_TRY(kk_jget_arr(e, p, "description", 0, &desc, d));
			char q[128];
			KK_TRY(cwes(desc, kk_jget_path(q, sizeof q, p, "description", 0), rec, d));
		}
	}
	KK_TRY(kk_jget_obj(cve, "/cve", "references", 0, &o, d));
	if (o) {
		KK_TRY(kk_jget_arr(o, "/cve/references", "reference_data", 0, &arr, d));
		json_array_foreach(arr, i, e)
		{
			kk_jget_path(p, sizeof p, "/cve/references/reference_data", NULL, i);
			KK_TRY(kk_jget_ref(e, p, rec, d));
		}
	}
	KK_TRY(nvd11_configs(item, rec, d));
	KK_TRY(nvd11_impact(item, rec, d));
	return 0;
}

/* --- API 2.0 --- */

static int nvd2_metrics(const json_t *cve, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	static const char *const keys[] = {"cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"};
	const json_t *metrics;
	KK_TRY(kk_jget_obj(cve, "/cve", "metrics", 0, &metrics, d));
	for (size_t k = 0; metrics && k < sizeof keys / sizeof *keys; k++) {
		const json_t *arr, *m;
		size_t i;
		char p[128], q[128], r[128];
		KK_TRY(kk_jget_arr(metrics, "/cve/metrics", keys[k], 0, &arr, d));
		kk_jget_path(p, sizeof p, "/cve/metrics", keys[k], 0);
		json_array_foreach(arr, i, m)
		{
			const json_t *data;
			struct kk_vuln_cvss c = {0};
			kk_jget_path(q, sizeof q, p, NULL, i);
			if (!json_is_object(m))
				return kk_diag_set(d, KK_EPARSE, q,
				                   "metric must be an object {source, type, cvssData}");
			KK_TRY(kk_jget_str(m, q, "source", 0, &c.source, d));
			KK_TRY(kk_jget_str(m, q, "type", 0, &c.type, d));
			KK_TRY(kk_jget_obj(m, q, "cvssData", 1, &data, d));
			kk_jget_path(r, sizeof r, q, "cvssData", 0);
			KK_TRY(kk_jget_str(m, q, "baseSeverity", 0, &c.severity, d)); /* v2 rates outside cvssData */
			KK_TRY(kk_jget_cvss(data, r, &c, rec, d));
		}
	}
	return 0;
}

static int nvd2_configs(const json_t *cve, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *confs, *cf;
	size_t i;
	KK_TRY(kk_jget_arr(cve, "/cve", "configurations", 0, &confs, d));
	json_array_foreach(confs, i, cf)
	{
		const json_t *nodes, *n;
		size_t j;
		char p[128], q[128], r[128];
		int and_, neg;
		kk_jget_path(p, sizeof p, "/cve/configurations", NULL, i);
		if (!json_is_object(cf))
			return kk_diag_set(d, KK_EPARSE, p,
			                   "configuration must be an object {operator, nodes}");
		KK_TRY(node_ops(cf, p, &and_, &neg, d));
		struct kk_vuln_cpe c = {.cfg = (int)i, .cfg_and = and_};
		KK_TRY(kk_jget_arr(cf, p, "nodes", 1, &nodes, d));
		kk_jget_path(q, sizeof q, p, "nodes", 0);
		json_array_foreach(nodes, j, n)
		{
			c.node = (int)j;
			KK_TRY(node_matches(n, kk_jget_path(r, sizeof r, q, NULL, j), "cpeMatch", "criteria",
			                    &c, rec, d));
		}
	}
	return 0;
}

int kk_vuln_parse_nvd2(const json_t *item, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d)
{
	const json_t *cve, *arr, *e;
	const char *id, *status;
	size_t i;
	char p[128];
	KK_TRY(kk_vuln_rec_start(rec, a, "nvd", "nvd-api2", item, "an NVD API 2.0 vulnerability {cve}", d));
	KK_TRY(kk_jget_obj(item, "", "cve", 1, &cve, d));
	KK_TRY(kk_jget_str(cve, "/cve", "id", 1, &id, d));
	KK_TRY(kk_jget_cve_id(id, "/cve", "id", rec, d));
	KK_TRY(kk_jget_time(cve, "/cve", "published", 1, &rec->published, d));
	KK_TRY(kk_jget_time(cve, "/cve", "lastModified", 1, &rec->modified, d));
	KK_TRY(kk_jget_str(cve, "/cve", "vulnStatus", 0, &status, d));
	KK_TRY(kk_jget_arr(cve, "/cve", "descriptions", 0, &arr, d));
	KK_TRY(kk_jget_texts(arr, "/cve/descriptions", "overview", rec, d));
	rejected(rec, status && !strcmp(status, "Rejected"));
	KK_TRY(kk_jget_arr(cve, "/cve", "weaknesses", 0, &arr, d));
	json_array_foreach(arr, i, e)
	{
		const json_t *desc;
		kk_jget_path(p, sizeof p, "/cve/weaknesses", NULL, i);
		if (!json_is_object(e))
			return kk_diag_set(d, KK_EPARSE, p,
			                   "weakness must be an object {source, description}");
		KK_TRY(kk_jget_arr(e, p, "description", 0, &desc, d));
		char q[128];
		KK_TRY(cwes(desc, kk_jget_path(q, sizeof q, p, "description", 0), rec, d));
	}
	KK_TRY(kk_jget_arr(cve, "/cve", "references", 0, &arr, d));
	json_array_foreach(arr, i, e)
	{
		kk_jget_path(p, sizeof p, "/cve/references", NULL, i);
		KK_TRY(kk_jget_ref(e, p, rec, d));
	}
	KK_TRY(nvd2_configs(cve, rec, d));
	KK_TRY(nvd2_metrics(cve, rec, d));
	return 0;
}
