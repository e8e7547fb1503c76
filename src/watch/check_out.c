/*
 * check_out.c — the version checker's answer as JSON, SARIF 2.1.0 and a
 * CycloneDX 1.5 VEX document (check.h).
 */
#include "base/clock.h"
#include "vulndb/search.h"
#include "watch/check.h"
#include "watch/vex.h"
#include <stdio.h>
#include <string.h>

static void kv_opt(struct kk_json *j, const char *key, const char *s)
{
	if (s)
		kk_json_kv_str(j, key, s);
	else
		kk_json_kv_null(j, key);
}

static void words(struct kk_json *j, const char *key, const char *s)
{
	kk_json_key(j, key);
	kk_json_arr_open(j);
	for (const char *p = s ? s : ""; *p;) {
		size_t n = strcspn(p, " ");
		if (n)
			kk_json_strn(j, p, n);
		p += n + (p[n] ? 1 : 0);
	}
	kk_json_arr_close(j);
}

static void match_json(struct kk_json *j, const struct kk_check_match *m)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "id", m->rec.jvndb);
	kv_opt(j, "cve", m->rec.cve[0] ? m->rec.cve : NULL);
	words(j, "aliases", m->rec.aliases);
	kk_json_kv_str(j, "title", m->rec.title);
	kk_json_kv_str(j, "severity", kk_search_severity_name(m->rec.severity));
	kk_json_key(j, "score");
	if (m->rec.has_score)
		kk_json_fixed(j, m->rec.score, 1);
	else
		kk_json_null(j);
	kk_json_kv_bool(j, "kev", m->rec.kev);
	if (m->rec.kev)
		kk_json_kv_str(j, "kev_date_added", m->rec.kev_added);
	kk_json_key(j, "cwes");
	kk_json_arr_open(j);
	for (int k = 0; k < m->rec.ncwe; k++) {
		char c[16];
		snprintf(c, sizeof c, "CWE-%d", m->rec.cwe[k]);
		kk_json_str(j, c);
	}
	kk_json_arr_close(j);
	kk_json_kv_str(j, "via", m->via);
	kk_json_kv_str(j, "query", m->query);
	kk_json_key(j, "why");
	kk_json_arr_open(j);
	for (int k = 0; k < m->nwhy; k++)
		kk_json_str(j, m->why[k].text);
	kk_json_arr_close(j);
	kv_opt(j, "fixed", m->fixed);
	words(j, "fixed_versions", m->fixed_versions);
	kv_opt(j, "vex", m->state ? kk_vex_state_str(m->state) : NULL);
	kv_opt(j, "justification", m->justification);
	kk_json_kv_bool(j, "dismissed", m->dismissed);
	kk_json_kv_bool(j, "suppressed", m->suppressed);
	kk_json_obj_close(j);
}

void kk_check_json(struct kk_json *j, const struct kk_check_result *r, bool show_suppressed)
{
	kk_json_obj_open(j);
	kk_json_key(j, "summary");
	kk_json_obj_open(j);
	kk_json_kv_int(j, "components", (int64_t)r->n);
	kk_json_kv_int(j, "affected", r->affected);
	kk_json_kv_int(j, "matches", r->matches);
	kk_json_kv_int(j, "suppressed", r->suppressed);
	kk_json_kv_int(j, "kev", r->kev);
	kk_json_key(j, "by_severity");
	kk_json_obj_open(j);
	for (int s = 4; s >= 0; s--)
		kk_json_kv_int(j, kk_search_severity_name(s), r->by_severity[s]);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_json_key(j, "items");
	kk_json_arr_open(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct kk_check_item *it = &r->items[i];
		kk_json_obj_open(j);
		kk_json_kv_str(j, "name", it->in->name);
		kv_opt(j, "version", it->in->version);
		kv_opt(j, "vendor", it->in->vendor);
		kv_opt(j, "purl", it->in->purl);
		kv_opt(j, "cpe", it->in->cpe);
		kk_json_kv_str(j, "ref", it->in->ref);
		kv_opt(j, "max_severity", it->max_severity >= 0 ? kk_search_severity_name(it->max_severity) : NULL);
		kv_opt(j, "newest_known", it->newest);
		kk_json_kv_bool(j, "newer_known", it->newest != NULL);
		kv_opt(j, "note", it->note);
		kk_json_key(j, "matches");
		kk_json_arr_open(j);
		for (size_t k = 0; k < it->nm; k++)
			if (show_suppressed || !it->m[k].suppressed)
				match_json(j, &it->m[k]);
		kk_json_arr_close(j);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

static const char *rule_id(const struct kk_check_match *m)
{
	return m->rec.cve[0] ? m->rec.cve : m->rec.jvndb;
}

static const char *sarif_level(int sev)
{
	return sev >= 3 ? "error" : sev == 2 ? "warning" : "note";
}

static void item_label(const struct kk_check_item *it, char *out, size_t cap)
{
	if (it->in->purl)
		snprintf(out, cap, "%s", it->in->purl);
	else
		snprintf(out, cap, "%s%s%s", it->in->name, it->in->version ? "@" : "", it->in->version ? it->in->version : "");
}

void kk_check_sarif(struct kk_json *j, const struct kk_check_result *r, const char *artifact)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	kk_json_kv_str(j, "version", "2.1.0");
	kk_json_key(j, "runs");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_json_key(j, "tool");
	kk_json_obj_open(j);
	kk_json_key(j, "driver");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "name", "keikai");
	kk_json_kv_str(j, "version", KK_VERSION);
	kk_json_kv_str(j, "informationUri", "https://jvndb.jvn.jp/");
	kk_json_key(j, "rules");
	kk_json_arr_open(j);
	/* one rule per record, in the order first met; a result names its rule by index */
	size_t nrules = 0;
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->items[i].nm; k++) {
			const struct kk_check_match *m = &r->items[i].m[k];
			bool seen = false;
			for (size_t a = 0; a <= i && !seen; a++)
				for (size_t b = 0; b < (a == i ? k : r->items[a].nm) && !seen; b++)
					seen = r->items[a].m[b].rec.id == m->rec.id && !r->items[a].m[b].suppressed;
			if (seen || m->suppressed)
				continue;
			nrules++;
			kk_json_obj_open(j);
			kk_json_kv_str(j, "id", rule_id(m));
			kk_json_kv_str(j, "name", m->rec.jvndb);
			kk_json_key(j, "shortDescription");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "text", m->rec.title[0] ? m->rec.title : m->rec.jvndb);
			kk_json_obj_close(j);
			kk_json_key(j, "properties");
			kk_json_obj_open(j);
			if (m->rec.has_score) {
				char sc[8];
				snprintf(sc, sizeof sc, "%.1f", m->rec.score);
				kk_json_kv_str(j, "security-severity", sc);
			}
			kk_json_kv_str(j, "severity", kk_search_severity_name(m->rec.severity));
			kk_json_kv_bool(j, "kev", m->rec.kev);
			kk_json_obj_close(j);
			kk_json_obj_close(j);
		}
	(void)nrules;
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_json_key(j, "results");
	kk_json_arr_open(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct kk_check_item *it = &r->items[i];
		char label[1100];
		item_label(it, label, sizeof label);
		for (size_t k = 0; k < it->nm; k++) {
			const struct kk_check_match *m = &it->m[k];
			if (m->suppressed)
				continue;
			kk_json_obj_open(j);
			kk_json_kv_str(j, "ruleId", rule_id(m));
			kk_json_kv_str(j, "level", sarif_level(m->rec.severity));
			kk_json_key(j, "message");
			kk_json_obj_open(j);
			char msg[1600];
			snprintf(msg, sizeof msg, "%s is affected by %s (%s%s%s)%s%s", label, m->rec.jvndb,
			         kk_search_severity_name(m->rec.severity), m->rec.kev ? ", CISA KEV" : "",
			         m->nwhy ? "" : "", m->fixed ? "; fixed in " : "", m->fixed ? m->fixed : "");
			kk_json_kv_str(j, "text", msg);
			kk_json_obj_close(j);
			kk_json_key(j, "locations");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_key(j, "physicalLocation");
			kk_json_obj_open(j);
			kk_json_key(j, "artifactLocation");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "uri", artifact && *artifact ? artifact : "sbom");
			kk_json_obj_close(j);
			kk_json_obj_close(j);
			kk_json_key(j, "logicalLocations");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "name", label);
			kk_json_kv_str(j, "kind", "package");
			kk_json_obj_close(j);
			kk_json_arr_close(j);
			kk_json_obj_close(j);
			kk_json_arr_close(j);
			kk_json_obj_close(j);
		}
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}

static const char *cdx_severity(int sev)
{
	static const char *const n[] = {"none", "low", "medium", "high", "critical"};
	return sev >= 0 && sev < 5 ? n[sev] : "unknown";
}

/* The bom-ref of item i in the document written: its own when unique among the items, else made unique. */
static void bom_ref(const struct kk_check_result *r, size_t i, char *out, size_t cap)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(r->items[k].in->ref, r->items[i].in->ref)) {
			snprintf(out, cap, "%s#%zu", r->items[i].in->ref, i);
			return;
		}
	snprintf(out, cap, "%s", r->items[i].in->ref);
}

void kk_check_cyclonedx_vex(struct kk_json *j, const struct kk_check_result *r, const struct kk_sbom *s,
                            int64_t now)
{
	char ts[40], ref[1100];
	kk_time_iso(now, ts, sizeof ts);
	(void)s;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "bomFormat", "CycloneDX");
	kk_json_kv_str(j, "specVersion", "1.5");
	kk_json_kv_int(j, "version", 1);
	kk_json_key(j, "metadata");
	kk_json_obj_open(j);
	kk_json_kv_str(j, "timestamp", ts);
	kk_json_key(j, "tools");
	kk_json_obj_open(j);
	kk_json_key(j, "components");
	kk_json_arr_open(j);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "type", "application");
	kk_json_kv_str(j, "name", "keikai");
	kk_json_kv_str(j, "version", KK_VERSION);
	kk_json_obj_close(j);
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	kk_json_key(j, "components");
	kk_json_arr_open(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct kk_check_item *it = &r->items[i];
		if (!it->nm)
			continue;
		bom_ref(r, i, ref, sizeof ref);
		kk_json_obj_open(j);
		kk_json_kv_str(j, "type", "library");
		kk_json_kv_str(j, "bom-ref", ref);
		if (it->in->vendor)
			kk_json_kv_str(j, "group", it->in->vendor);
		kk_json_kv_str(j, "name", it->in->name);
		if (it->in->version)
			kk_json_kv_str(j, "version", it->in->version);
		if (it->in->cpe)
			kk_json_kv_str(j, "cpe", it->in->cpe);
		if (it->in->purl)
			kk_json_kv_str(j, "purl", it->in->purl);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "vulnerabilities");
	kk_json_arr_open(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct kk_check_item *it = &r->items[i];
		bom_ref(r, i, ref, sizeof ref);
		for (size_t k = 0; k < it->nm; k++) {
			const struct kk_check_match *m = &it->m[k];
			char vref[1200];
			snprintf(vref, sizeof vref, "%s/%s", m->rec.jvndb, ref);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "bom-ref", vref);
			kk_json_kv_str(j, "id", rule_id(m));
			kk_json_key(j, "source");
			kk_json_obj_open(j);
			kk_json_kv_str(j, "name", m->rec.cve[0] ? "NVD" : "JVN iPedia");
			kk_json_obj_close(j);
			if (m->rec.cve[0]) {
				kk_json_key(j, "references");
				kk_json_arr_open(j);
				kk_json_obj_open(j);
				kk_json_kv_str(j, "id", m->rec.jvndb);
				kk_json_key(j, "source");
				kk_json_obj_open(j);
				kk_json_kv_str(j, "name", "JVN iPedia");
				kk_json_obj_close(j);
				kk_json_obj_close(j);
				kk_json_arr_close(j);
			}
			kk_json_key(j, "ratings");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			if (m->rec.has_score) {
				kk_json_key(j, "score");
				kk_json_fixed(j, m->rec.score, 1);
			}
			kk_json_kv_str(j, "severity", cdx_severity(m->rec.severity));
			kk_json_obj_close(j);
			kk_json_arr_close(j);
			if (m->rec.ncwe) {
				kk_json_key(j, "cwes");
				kk_json_arr_open(j);
				for (int c = 0; c < m->rec.ncwe; c++)
					kk_json_int(j, m->rec.cwe[c]);
				kk_json_arr_close(j);
			}
			if (m->rec.title[0])
				kk_json_kv_str(j, "description", m->rec.title);
			if (m->fixed) {
				char rec[300];
				snprintf(rec, sizeof rec, "Upgrade to %s or later.", m->fixed);
				kk_json_kv_str(j, "recommendation", rec);
			}
			kk_json_key(j, "analysis");
			kk_json_obj_open(j);
			const char *st = kk_vex_cdx_state(m->state);
			kk_json_kv_str(j, "state", m->dismissed ? "false_positive" : st ? st : "in_triage");
			if (m->justification && m->state == KK_VEX_NOT_AFFECTED) {
				/* only CycloneDX's own justification values are allowed there */
				static const char *const cdx[] = {"code_not_present", "code_not_reachable",
				                                  "requires_configuration", "requires_dependency",
				                                  "requires_environment", "protected_by_compiler",
				                                  "protected_at_runtime", "protected_at_perimeter",
				                                  "protected_by_mitigating_control"};
				for (size_t c = 0; c < sizeof cdx / sizeof *cdx; c++)
					if (!strcmp(cdx[c], m->justification))
						kk_json_kv_str(j, "justification", m->justification);
			}
			if (m->nwhy) {
				char d[900] = "";
				size_t o = 0;
				o += (size_t)snprintf(d + o, sizeof d - o, "matched by %s %s:", m->via, m->query);
				for (int w = 0; w < m->nwhy && o < sizeof d; w++)
					o += (size_t)snprintf(d + o, sizeof d - o, " %s;", m->why[w].text);
				kk_json_kv_str(j, "detail", d);
			}
			kk_json_obj_close(j);
			kk_json_key(j, "affects");
			kk_json_arr_open(j);
			kk_json_obj_open(j);
			kk_json_kv_str(j, "ref", ref);
			kk_json_obj_close(j);
			kk_json_arr_close(j);
			kk_json_obj_close(j);
		}
	}
	kk_json_arr_close(j);
	kk_json_obj_close(j);
}
