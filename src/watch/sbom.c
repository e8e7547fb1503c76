/*
 * sbom.c — reads CycloneDX and SPDX 2.x JSON SBOMs, CSV sheets and OS
 * package lists (dpkg-query -W, rpm -qa) into one flat component list.
 */
#include "watch/sbom.h"
#include "base/str.h"
#include "base/utf8.h"
#include "coord/csv.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *kk_sbom_format_name(enum kk_sbom_format f)
{
	static const char *names[] = {"cyclonedx", "spdx", "csv", "dpkg", "rpm"};
	return (unsigned)f < sizeof names / sizeof *names ? names[f] : "?";
}

/* A copy of s in the arena with surrounding spaces cut; NULL for NULL or empty. */
static const char *keep(struct kk_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return NULL;
	if (n > KK_SBOM_FIELD_MAX)
		n = KK_SBOM_FIELD_MAX;
	while (n && !kk_utf8_valid(s, n)) /* never cut a character in two */
		n--;
	return n ? kk_arena_strndup(a, s, n) : NULL;
}

static int push(struct kk_sbom *s, struct kk_arena *a, struct kk_sbom_item **out, struct kk_diag *d)
{
	if (s->n >= KK_SBOM_MAX_ITEMS)
		return kk_diag_set(d, KK_ETOOBIG, NULL, "more than %d components; split the list", KK_SBOM_MAX_ITEMS);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct kk_sbom_item *v = kk_arena_alloc(a, cap * sizeof *v);
		if (!v)
			return KK_ENOMEM;
		if (s->n)
			memcpy(v, s->v, s->n * sizeof *v);
		s->v = v;
		s->cap = cap;
	}
	*out = &s->v[s->n++];
	memset(*out, 0, sizeof **out);
	return 0;
}

/* ---- JSON ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *jkeep(struct kk_arena *a, const json_t *o, const char *key)
{
	const char *s = jstr(o, key);
	return s ? keep(a, s, strlen(s)) : NULL;
}

/* A field present with the wrong type is an error naming it. */
static int want_str(const json_t *o, const char *key, const char *at, struct kk_diag *d)
{
	const json_t *v = json_object_get(o, key);
	if (v && !json_is_string(v) && !json_is_null(v))
		return kk_diag_set(d, KK_EPARSE, at, "%s must be a string", key);
	return 0;
}

static int cdx_components(const json_t *arr, const char *at, int depth, struct kk_arena *a, struct kk_sbom *s,
                          struct kk_diag *d)
{
	char path[160];
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return kk_diag_set(d, KK_EPARSE, at, "components must be an array of component objects");
	if (depth > 16)
		return kk_diag_set(d, KK_EPARSE, at, "components nested more than 16 deep");
	size_t i;
	const json_t *c;
	json_array_foreach(arr, i, c)
	{
		if ((size_t)snprintf(path, sizeof path, "%s/%zu", at, i) >= sizeof path)
			return kk_diag_set(d, KK_EPARSE, at, "components nested too deep");
		if (!json_is_object(c))
			return kk_diag_set(d, KK_EPARSE, path, "a component must be an object with name and version");
		static const char *const fields[] = {"name", "version", "group", "purl", "cpe", "bom-ref"};
		for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
			char fp[180];
			snprintf(fp, sizeof fp, "%s/%s", path, fields[k]);
			KK_TRY(want_str(c, fields[k], fp, d));
		}
		const char *name = jkeep(a, c, "name");
		if (!name) {
			char fp[180];
			snprintf(fp, sizeof fp, "%s/name", path);
			return kk_diag_set(d, KK_EPARSE, fp, "a component needs a name (CycloneDX requires one)");
		}
		struct kk_sbom_item *it;
		KK_TRY(push(s, a, &it, d));
		it->name = name;
		it->version = jkeep(a, c, "version");
		it->vendor = jkeep(a, c, "group");
		if (!it->vendor) {
			const json_t *sup = json_object_get(c, "supplier");
			if (json_is_object(sup))
				it->vendor = jkeep(a, sup, "name");
		}
		it->purl = jkeep(a, c, "purl");
		it->cpe = jkeep(a, c, "cpe");
		it->ref = jkeep(a, c, "bom-ref");
		if (!it->ref)
			it->ref = kk_arena_strdup(a, path);
		if (!it->ref)
			return KK_ENOMEM;
		char sub[160];
		if ((size_t)snprintf(sub, sizeof sub, "%.140s/components", path) >= sizeof sub)
			return kk_diag_set(d, KK_EPARSE, path, "components nested too deep");
		KK_TRY(cdx_components(json_object_get(c, "components"), sub, depth + 1, a, s, d));
	}
	return 0;
}

static int parse_cyclonedx(const json_t *root, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	const char *sv = jstr(root, "specVersion");
	if (!sv)
		return kk_diag_set(d, KK_EPARSE, "/specVersion", "a CycloneDX document needs specVersion (1.2 to 1.6)");
	if (strncmp(sv, "1.", 2) || !strchr("23456", sv[2]) || sv[3])
		return kk_diag_set(d, KK_EUNSUPPORTED, "/specVersion",
		                   "CycloneDX specVersion '%.16s' is not supported; write 1.4, 1.5 or 1.6 JSON", sv);
	s->format = KK_SBOM_CYCLONEDX;
	s->spec_version = kk_arena_strdup(a, sv);
	s->serial = jkeep(a, root, "serialNumber");
	return cdx_components(json_object_get(root, "components"), "/components", 0, a, s, d);
}

static int parse_spdx(const json_t *root, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	const char *sv = jstr(root, "spdxVersion");
	if (!sv || strncmp(sv, "SPDX-2.", 7))
		return kk_diag_set(d, KK_EUNSUPPORTED, "/spdxVersion",
		                   "spdxVersion '%.16s' is not supported; write SPDX 2.3 JSON", sv ? sv : "");
	s->format = KK_SBOM_SPDX;
	s->spec_version = kk_arena_strdup(a, sv);
	s->serial = jkeep(a, root, "documentNamespace");
	const json_t *pkgs = json_object_get(root, "packages");
	if (pkgs && !json_is_array(pkgs))
		return kk_diag_set(d, KK_EPARSE, "/packages", "packages must be an array");
	size_t i;
	const json_t *p;
	char path[96];
	json_array_foreach(pkgs, i, p)
	{
		snprintf(path, sizeof path, "/packages/%zu", i);
		if (!json_is_object(p))
			return kk_diag_set(d, KK_EPARSE, path, "a package must be an object");
		const char *name = jkeep(a, p, "name");
		if (!name) {
			snprintf(path, sizeof path, "/packages/%zu/name", i);
			return kk_diag_set(d, KK_EPARSE, path, "a package needs a name (SPDX requires one)");
		}
		struct kk_sbom_item *it;
		KK_TRY(push(s, a, &it, d));
		it->name = name;
		it->version = jkeep(a, p, "versionInfo");
		const char *sup = jstr(p, "supplier"); /* "Organization: Apache" */
		if (sup && strchr(sup, ':') && !strstr(sup, "NOASSERTION"))
			it->vendor = keep(a, strchr(sup, ':') + 1, strlen(strchr(sup, ':') + 1));
		it->ref = jkeep(a, p, "SPDXID");
		if (!it->ref && !(it->ref = kk_arena_strdup(a, path)))
			return KK_ENOMEM;
		const json_t *refs = json_object_get(p, "externalRefs");
		size_t k;
		const json_t *r;
		json_array_foreach(refs, k, r)
		{
			const char *type = jstr(r, "referenceType"), *loc = jstr(r, "referenceLocator");
			if (!type || !loc)
				continue;
			if (!strcmp(type, "purl") && !it->purl)
				it->purl = keep(a, loc, strlen(loc));
			else if ((!strcmp(type, "cpe23Type") || !strcmp(type, "cpe22Type")) && !it->cpe)
				it->cpe = keep(a, loc, strlen(loc));
		}
	}
	return 0;
}

static int parse_json(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char where[32];
		snprintf(where, sizeof where, "%d:%d", je.line, je.column);
		return kk_diag_set(d, KK_EPARSE, where, "not valid JSON: %s", je.text);
	}
	int rc;
	if (!json_is_object(root))
		rc = kk_diag_set(d, KK_EUNSUPPORTED, "", "an SBOM is a JSON object (CycloneDX or SPDX 2.3)");
	else if (jstr(root, "bomFormat") && !strcmp(jstr(root, "bomFormat"), "CycloneDX"))
		rc = parse_cyclonedx(root, a, s, d);
	else if (jstr(root, "spdxVersion"))
		rc = parse_spdx(root, a, s, d);
	else if (json_object_get(root, "@context"))
		rc = kk_diag_set(d, KK_EUNSUPPORTED, "/@context",
		                 "SPDX 3 (JSON-LD) is not read yet; export the SBOM as SPDX 2.3 JSON or CycloneDX");
	else
		rc = kk_diag_set(d, KK_EUNSUPPORTED, "",
		                 "not an SBOM: expected \"bomFormat\":\"CycloneDX\" or \"spdxVersion\":\"SPDX-2.3\"");
	json_decref(root);
	return rc;
}

/* ---- line formats ---- */

/* The next line of [*p, end) without its end; false at the end. */
static bool next_line(const char **p, const char *end, const char **s, size_t *n)
{
	if (*p >= end)
		return false;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	*s = *p;
	*n = (size_t)(e - *p);
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	*p = nl ? nl + 1 : end;
	return true;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static const char *line_ref(struct kk_arena *a, int line)
{
	return kk_arena_printf(a, "line %d", line);
}

static int parse_dpkg(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	const char *p = data, *end = data + len, *l;
	size_t n;
	int line = 0;
	s->format = KK_SBOM_DPKG;
	while (next_line(&p, end, &l, &n)) {
		line++;
		if (blank(l, n))
			continue;
		const char *tab = memchr(l, '\t', n);
		char where[32];
		snprintf(where, sizeof where, "line %d", line);
		if (!tab || tab == l)
			return kk_diag_set(d, KK_EPARSE, where,
			                   "expected 'package<TAB>version' as `dpkg-query -W` prints it");
		size_t nlen = (size_t)(tab - l);
		const char *colon = memchr(l, ':', nlen); /* libc6:amd64 */
		if (colon)
			nlen = (size_t)(colon - l);
		struct kk_sbom_item *it;
		KK_TRY(push(s, a, &it, d));
		it->name = keep(a, l, nlen);
		it->version = keep(a, tab + 1, n - (size_t)(tab + 1 - l));
		it->ref = line_ref(a, line);
		if (!it->name || !it->ref)
			return it->ref ? kk_diag_set(d, KK_EPARSE, where, "the package name is empty") : KK_ENOMEM;
		if (it->version) /* a package listed but not installed has no version */
			it->purl = kk_arena_printf(a, "pkg:deb/debian/%s@%s", it->name, it->version);
	}
	return 0;
}

/* "openssl-libs-3.0.7-27.el9.x86_64" -> name, version-release (arch left out). */
static int parse_rpm(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	static const char *const arches[] = {".x86_64", ".noarch", ".i686", ".aarch64", ".ppc64le", ".s390x", ".src"};
	const char *p = data, *end = data + len, *l;
	size_t n;
	int line = 0;
	s->format = KK_SBOM_RPM;
	while (next_line(&p, end, &l, &n)) {
		line++;
		while (n && isspace((unsigned char)l[n - 1]))
			n--;
		if (blank(l, n))
			continue;
		char where[32];
		snprintf(where, sizeof where, "line %d", line);
		char buf[KK_SBOM_FIELD_MAX + 1];
		if (n >= sizeof buf)
			return kk_diag_set(d, KK_EPARSE, where, "longer than %d bytes", KK_SBOM_FIELD_MAX);
		memcpy(buf, l, n);
		buf[n] = 0;
		for (size_t k = 0; k < sizeof arches / sizeof *arches; k++) {
			size_t al = strlen(arches[k]);
			if (n > al && !strcmp(buf + n - al, arches[k])) {
				buf[n - al] = 0;
				break;
			}
		}
		char *rel = strrchr(buf, '-');
		char *ver = rel && rel > buf ? memrchr(buf, '-', (size_t)(rel - buf)) : NULL;
		if (!ver || ver == buf || !rel[1] || ver + 1 == rel)
			return kk_diag_set(d, KK_EPARSE, where,
			                   "expected 'name-version-release.arch' as `rpm -qa` prints it");
		*ver = 0;
		struct kk_sbom_item *it;
		KK_TRY(push(s, a, &it, d));
		it->name = keep(a, buf, strlen(buf));
		it->version = keep(a, ver + 1, strlen(ver + 1));
		it->ref = line_ref(a, line);
		if (!it->name || !it->version || !it->ref)
			return KK_ENOMEM;
		it->purl = kk_arena_printf(a, "pkg:rpm/%s@%s", it->name, it->version);
	}
	return 0;
}

enum { COL_NAME, COL_VERSION, COL_VENDOR, COL_CPE, COL_PURL, NCOL };

static int csv_column(const char *h)
{
	static const struct {
		const char *name;
		int col;
	} names[] = {
	    {"name", COL_NAME},       {"product", COL_NAME},     {"component", COL_NAME}, {"製品名", COL_NAME},
	    {"製品", COL_NAME},       {"version", COL_VERSION},  {"バージョン", COL_VERSION},
	    {"vendor", COL_VENDOR},   {"ベンダ名", COL_VENDOR},  {"ベンダ", COL_VENDOR}, {"ベンダー", COL_VENDOR},
	    {"cpe", COL_CPE},         {"purl", COL_PURL},        {"package url", COL_PURL},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (kk_str_ieq(h, names[i].name))
			return names[i].col;
	return -1;
}

static int parse_csv(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *s, struct kk_diag *d)
{
	struct kk_csv c;
	struct kk_csv_record r;
	int col[NCOL], rc;
	kk_csv_init(&c, data, len);
	s->format = KK_SBOM_CSV;
	if ((rc = kk_csv_next(&c, a, &r, d)) <= 0)
		return rc < 0 ? rc : 0;
	for (int k = 0; k < NCOL; k++)
		col[k] = -1;
	for (int i = 0; i < r.n; i++) {
		char h[64];
		snprintf(h, sizeof h, "%s", r.f[i]);
		size_t hl = strlen(h);
		while (hl && isspace((unsigned char)h[hl - 1]))
			h[--hl] = 0;
		int k = csv_column(h[0] == ' ' ? h + 1 : h);
		if (k >= 0 && col[k] < 0)
			col[k] = i;
	}
	if (col[COL_NAME] < 0 && col[COL_CPE] < 0 && col[COL_PURL] < 0)
		return kk_diag_set(d, KK_EPARSE, "line 1",
		                   "the first line must name the columns: name,version (also vendor, cpe, purl; "
		                   "製品名,バージョン,ベンダ名)");
	while ((rc = kk_csv_next(&c, a, &r, d)) == 1) {
		const char *f[NCOL] = {0};
		for (int k = 0; k < NCOL; k++)
			if (col[k] >= 0 && col[k] < r.n)
				f[k] = keep(a, r.f[col[k]], strlen(r.f[col[k]]));
		if (!f[COL_NAME] && !f[COL_CPE] && !f[COL_PURL])
			continue; /* an empty row of a spreadsheet */
		struct kk_sbom_item *it;
		KK_TRY(push(s, a, &it, d));
		it->name = f[COL_NAME] ? f[COL_NAME] : f[COL_CPE] ? f[COL_CPE] : f[COL_PURL];
		it->version = f[COL_VERSION];
		it->vendor = f[COL_VENDOR];
		it->cpe = f[COL_CPE];
		it->purl = f[COL_PURL];
		if (!(it->ref = line_ref(a, r.line)))
			return KK_ENOMEM;
	}
	return rc;
}

/* Whether every non-blank line of the first few has a tab and no comma before it. */
static bool looks_dpkg(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *l;
	size_t n;
	int seen = 0;
	while (seen < 5 && next_line(&p, end, &l, &n)) {
		if (blank(l, n))
			continue;
		const char *tab = memchr(l, '\t', n);
		if (!tab || memchr(l, ',', (size_t)(tab - l)))
			return false;
		seen++;
	}
	return seen > 0;
}

static bool looks_rpm(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *l;
	size_t n;
	int seen = 0;
	while (seen < 5 && next_line(&p, end, &l, &n)) {
		if (blank(l, n))
			continue;
		for (size_t i = 0; i < n; i++)
			if (l[i] == ',' || l[i] == '\t' || l[i] == ' ' || l[i] == '"')
				return false;
		const char *dash = memchr(l, '-', n);
		if (!dash)
			return false;
		seen++;
	}
	return seen > 0;
}

int kk_sbom_parse(const char *data, size_t len, struct kk_arena *a, struct kk_sbom *out, struct kk_diag *d)
{
	memset(out, 0, sizeof *out);
	kk_diag_clear(d);
	size_t i = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i == len)
		return kk_diag_set(d, KK_EPARSE, "line 1",
		                   "the list is empty: give a CycloneDX or SPDX JSON SBOM, a CSV sheet, or the output "
		                   "of `dpkg-query -W` or `rpm -qa`");
	if (memchr(data, 0, len))
		return kk_diag_set(d, KK_EPARSE, NULL, "binary data (a NUL byte): give a text or JSON file");
	if (data[i] == '{')
		return parse_json(data, len, a, out, d);
	if (!kk_utf8_valid(data, len))
		return kk_diag_set(d, KK_EPARSE, NULL, "not UTF-8 text: save the list as UTF-8");
	if (looks_dpkg(data + i, len - i))
		return parse_dpkg(data + i, len - i, a, out, d);
	if (looks_rpm(data + i, len - i))
		return parse_rpm(data + i, len - i, a, out, d);
	return parse_csv(data, len, a, out, d);
}
