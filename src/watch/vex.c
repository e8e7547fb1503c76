/*
 * vex.c — reads CycloneDX and CSAF VEX statements and finds the one that
 * speaks of a checked item's match (vex.h).
 */
#include "watch/vex.h"
#include "base/str.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const state_names[] = {"", "affected", "not_affected", "fixed", "under_investigation"};

const char *kk_vex_state_str(enum kk_vex_state s)
{
	return (unsigned)s < sizeof state_names / sizeof *state_names ? state_names[s] : "";
}

int kk_vex_state_parse(const char *s, enum kk_vex_state *out)
{
	for (int i = 1; s && i < (int)(sizeof state_names / sizeof *state_names); i++)
		if (!strcmp(s, state_names[i])) {
			*out = (enum kk_vex_state)i;
			return 0;
		}
	return KK_EINVAL;
}

const char *kk_vex_cdx_state(enum kk_vex_state s)
{
	switch (s) {
	case KK_VEX_AFFECTED:
		return "exploitable";
	case KK_VEX_NOT_AFFECTED:
		return "not_affected";
	case KK_VEX_FIXED:
		return "resolved";
	case KK_VEX_UNDER_INVESTIGATION:
		return "in_triage";
	default:
		return NULL;
	}
}

static const char *const justifications[] = {
    /* CycloneDX 1.4-1.6 analysis.justification */
    "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
    "requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
    "protected_by_mitigating_control",
    /* CSAF 2.0 flags[].label */
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path", "inline_mitigations_already_exist"};

bool kk_vex_justification_ok(const char *s)
{
	for (size_t i = 0; s && i < sizeof justifications / sizeof *justifications; i++)
		if (!strcmp(s, justifications[i]))
			return true;
	return false;
}

static const char *dup(struct kk_arena *a, const char *s)
{
	return s && *s ? kk_arena_strdup(a, s) : NULL;
}

int kk_vex_add(struct kk_vex *v, struct kk_arena *a, const struct kk_vex_stmt *s)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		struct kk_vex_stmt *nv = kk_arena_alloc(a, cap * sizeof *nv);
		if (!nv)
			return KK_ENOMEM;
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		v->cap = cap;
	}
	struct kk_vex_stmt *o = &v->v[v->n];
	*o = (struct kk_vex_stmt){
	    .vuln = dup(a, s->vuln),
	    .purl = dup(a, s->purl),
	    .cpe = dup(a, s->cpe),
	    .ref = dup(a, s->ref),
	    .name = dup(a, s->name),
	    .version = dup(a, s->version),
	    .state = s->state,
	    .justification = dup(a, s->justification),
	    .detail = dup(a, s->detail),
	};
	if (!o->vuln)
		return KK_EINVAL;
	v->n++;
	return 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- CycloneDX ---- */

static int cdx_state(const char *s, enum kk_vex_state *out)
{
	static const struct {
		const char *name;
		enum kk_vex_state st;
	} map[] = {
	    {"exploitable", KK_VEX_AFFECTED},     {"not_affected", KK_VEX_NOT_AFFECTED},
	    {"false_positive", KK_VEX_NOT_AFFECTED}, {"resolved", KK_VEX_FIXED},
	    {"resolved_with_pedigree", KK_VEX_FIXED}, {"in_triage", KK_VEX_UNDER_INVESTIGATION},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof *map; i++)
		if (!strcmp(s, map[i].name)) {
			*out = map[i].st;
			return 0;
		}
	return KK_EINVAL;
}

/* A component of the document by bom-ref: its purl, cpe, name and version (may be NULL). */
static const json_t *cdx_component(const json_t *comps, const char *ref, int depth)
{
	size_t i;
	const json_t *c;
	if (depth > 16)
		return NULL;
	json_array_foreach(comps, i, c)
	{
		const char *r = jstr(c, "bom-ref");
		if (r && !strcmp(r, ref))
			return c;
		const json_t *sub = cdx_component(json_object_get(c, "components"), ref, depth + 1);
		if (sub)
			return sub;
	}
	return NULL;
}

static int parse_cdx(const json_t *root, struct kk_arena *a, struct kk_vex *out, struct kk_diag *d)
{
	const json_t *vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns))
		return kk_diag_set(d, KK_EPARSE, "/vulnerabilities",
		                   "a CycloneDX VEX needs a vulnerabilities array with analysis and affects");
	const json_t *comps = json_object_get(root, "components");
	const json_t *subject = json_object_get(json_object_get(root, "metadata"), "component");
	const char *subject_ref = jstr(subject, "bom-ref");
	out->format = "cyclonedx";
	size_t i;
	const json_t *v;
	char at[96];
	json_array_foreach(vulns, i, v)
	{
		const char *id = jstr(v, "id");
		const json_t *an = json_object_get(v, "analysis");
		snprintf(at, sizeof at, "/vulnerabilities/%zu/id", i);
		if (!id)
			return kk_diag_set(d, KK_EPARSE, at, "each vulnerability needs an id (CVE-2021-44228)");
		if (!an)
			continue; /* a finding without a statement (a VDR entry) */
		struct kk_vex_stmt s = {.vuln = id};
		snprintf(at, sizeof at, "/vulnerabilities/%zu/analysis/state", i);
		if (cdx_state(jstr(an, "state"), &s.state))
			return kk_diag_set(d, KK_EPARSE, at,
			                   "state must be exploitable, not_affected, false_positive, resolved, "
			                   "resolved_with_pedigree or in_triage");
		s.justification = jstr(an, "justification");
		s.detail = jstr(an, "detail");
		const json_t *aff = json_object_get(v, "affects");
		size_t k;
		const json_t *af;
		json_array_foreach(aff, k, af)
		{
			const char *ref = jstr(af, "ref");
			if (!ref)
				continue;
			struct kk_vex_stmt t = s;
			const char *hash = strchr(ref, '#'); /* a BOM-Link urn:cdx:SERIAL/VERSION#bom-ref */
			t.ref = !strncmp(ref, "urn:cdx:", 8) && hash ? hash + 1 : ref;
			if (subject_ref && !strcmp(t.ref, subject_ref)) {
				t.ref = NULL; /* the product as a whole: every component of it */
				t.name = "*";
			} else if (!strncmp(t.ref, "pkg:", 4)) {
				t.purl = t.ref;
			} else {
				const json_t *c = cdx_component(comps, t.ref, 0);
				if (c) {
					t.purl = jstr(c, "purl");
					t.cpe = jstr(c, "cpe");
					t.name = jstr(c, "name");
					t.version = jstr(c, "version");
				}
			}
			KK_TRY(kk_vex_add(out, a, &t));
		}
	}
	return 0;
}

/* ---- CSAF ---- */

struct csaf_product {
	const char *id, *purl, *cpe, *name, *version;
};

struct csaf_products {
	struct csaf_product v[512];
	size_t n;
};

static void csaf_add(struct csaf_products *ps, const json_t *p, const char *name, const char *version)
{
	const char *id = jstr(p, "product_id");
	if (!id || ps->n == sizeof ps->v / sizeof *ps->v)
		return;
	const json_t *h = json_object_get(p, "product_identification_helper");
	ps->v[ps->n++] = (struct csaf_product){id, jstr(h, "purl"), jstr(h, "cpe"), name ? name : jstr(p, "name"),
	                                       version};
}

static void csaf_branches(struct csaf_products *ps, const json_t *br, const char *name, const char *version, int depth)
{
	size_t i;
	const json_t *b;
	if (depth > 30)
		return;
	json_array_foreach(br, i, b)
	{
		const char *cat = jstr(b, "category"), *bn = jstr(b, "name");
		const char *n = name, *v = version;
		if (cat && bn && !strcmp(cat, "product_name"))
			n = bn;
		else if (cat && bn && !strcmp(cat, "product_version"))
			v = bn;
		else if (cat && bn && !strcmp(cat, "product_version_range"))
			v = bn; /* vers:... never equals an installed version: only a purl or CPE names it */
		if (json_object_get(b, "product"))
			csaf_add(ps, json_object_get(b, "product"), n, v);
		csaf_branches(ps, json_object_get(b, "branches"), n, v, depth + 1);
	}
}

static const struct csaf_product *csaf_find(const struct csaf_products *ps, const char *id)
{
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->v[i].id, id))
			return &ps->v[i];
	return NULL;
}

/* The label of the flag naming product id, or NULL. */
static const char *csaf_flag(const json_t *vuln, const char *id)
{
	size_t i, k;
	const json_t *f, *p;
	json_array_foreach(json_object_get(vuln, "flags"), i, f)
	{
		json_array_foreach(json_object_get(f, "product_ids"), k, p) if (json_is_string(p) &&
		                                                                 !strcmp(json_string_value(p), id)) return jstr(f, "label");
	}
	return NULL;
}

static int parse_csaf(const json_t *root, struct kk_arena *a, struct kk_vex *out, struct kk_diag *d)
{
	struct csaf_products *ps = kk_arena_zalloc(a, sizeof *ps);
	if (!ps)
		return KK_ENOMEM;
	const json_t *tree = json_object_get(root, "product_tree");
	csaf_branches(ps, json_object_get(tree, "branches"), NULL, NULL, 0);
	size_t i, k;
	const json_t *p, *v;
	json_array_foreach(json_object_get(tree, "full_product_names"), i, p) csaf_add(ps, p, NULL, NULL);
	out->format = "csaf";
	static const struct {
		const char *key;
		enum kk_vex_state st;
	} status[] = {
	    {"known_affected", KK_VEX_AFFECTED},   {"first_affected", KK_VEX_AFFECTED},
	    {"last_affected", KK_VEX_AFFECTED},    {"known_not_affected", KK_VEX_NOT_AFFECTED},
	    {"fixed", KK_VEX_FIXED},               {"first_fixed", KK_VEX_FIXED},
	    {"under_investigation", KK_VEX_UNDER_INVESTIGATION},
	};
	const json_t *vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns))
		return kk_diag_set(d, KK_EPARSE, "/vulnerabilities", "a CSAF VEX needs a vulnerabilities array");
	json_array_foreach(vulns, i, v)
	{
		const char *cve = jstr(v, "cve");
		if (!cve) {
			const json_t *ids = json_object_get(v, "ids");
			cve = jstr(json_array_get(ids, 0), "text");
		}
		if (!cve)
			continue;
		const json_t *ps_json = json_object_get(v, "product_status");
		for (size_t s = 0; s < sizeof status / sizeof *status; s++) {
			const json_t *idv;
			json_array_foreach(json_object_get(ps_json, status[s].key), k, idv)
			{
				if (!json_is_string(idv))
					continue;
				const char *id = json_string_value(idv);
				const struct csaf_product *pr = csaf_find(ps, id);
				struct kk_vex_stmt t = {.vuln = cve, .state = status[s].st, .ref = id};
				if (pr) {
					t.purl = pr->purl;
					t.cpe = pr->cpe;
					t.name = pr->name;
					t.version = pr->version;
				}
				if (t.state == KK_VEX_NOT_AFFECTED)
					t.justification = csaf_flag(v, id);
				KK_TRY(kk_vex_add(out, a, &t));
			}
		}
	}
	return 0;
}

int kk_vex_parse(const char *data, size_t len, struct kk_arena *a, struct kk_vex *out, struct kk_diag *d)
{
	memset(out, 0, sizeof *out);
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	if (!root) {
		char where[32];
		snprintf(where, sizeof where, "%d:%d", je.line, je.column);
		return kk_diag_set(d, KK_EPARSE, where, "not valid JSON: %s", je.text);
	}
	int rc;
	const char *bf = jstr(root, "bomFormat");
	if (bf && !strcmp(bf, "CycloneDX"))
		rc = parse_cdx(root, a, out, d);
	else if (json_is_object(json_object_get(root, "document")) && json_object_get(root, "product_tree"))
		rc = parse_csaf(root, a, out, d);
	else
		rc = kk_diag_set(d, KK_EUNSUPPORTED, "",
		                 "not a VEX document: expected CycloneDX (bomFormat) or CSAF 2.0 (document, product_tree)");
	json_decref(root);
	return rc;
}

/* ---- lookup ---- */

/* Whether alias-list (space-separated) or jvndb holds id. */
static bool names_record(const struct kk_vuln_brief *rec, const char *id)
{
	if (!strcmp(rec->jvndb, id) || !strcmp(rec->cve, id))
		return true;
	size_t n = strlen(id);
	for (const char *p = rec->aliases; *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && !strncmp(p, id, n))
			return true;
		p += l + (p[l] ? 1 : 0);
	}
	return false;
}

/* purl a (a statement's) names b: equal, or a without a version is b's package. */
static bool purl_covers(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	if (!strcmp(a, b))
		return true;
	size_t la = strcspn(a, "?#"), lb = strcspn(b, "?#");
	if (la == lb && !strncmp(a, b, la))
		return true; /* qualifiers aside */
	if (memchr(a, '@', la))
		return false;
	return lb > la && !strncmp(a, b, la) && b[la] == '@';
}

/* 0 no, else how specific: 4 purl/ref with version, 3 cpe, 2 name+version, 1 the product as a whole */
static int specificity(const struct kk_vex_stmt *s, const struct kk_sbom_item *it)
{
	if (s->ref && it->ref && !strcmp(s->ref, it->ref))
		return 4;
	if (s->purl && purl_covers(s->purl, it->purl))
		return 4;
	if (s->cpe && it->cpe && kk_str_ieq(s->cpe, it->cpe))
		return 3;
	if (s->name && !strcmp(s->name, "*"))
		return 1;
	if (s->name && kk_str_ieq(s->name, it->name) && (!s->version || (it->version && !strcmp(s->version, it->version))))
		return 2;
	return 0;
}

void kk_vex_find(const struct kk_vex *v, const struct kk_sbom_item *it, const struct kk_vuln_brief *rec,
                 enum kk_vex_state *state, const char **justification)
{
	int best = 0;
	*state = KK_VEX_NONE;
	*justification = NULL;
	for (size_t i = 0; v && i < v->n; i++) {
		const struct kk_vex_stmt *s = &v->v[i];
		int sp;
		if (!names_record(rec, s->vuln) || !(sp = specificity(s, it)) || sp < best) /* the later of equals wins */
			continue;
		best = sp;
		*state = s->state;
		*justification = s->justification;
	}
}
