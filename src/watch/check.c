/*
 * check.c — the version checker: each item's CPE, purl and inferred CPE
 * names asked of the product index (vulndb/affected.h), with why.
 */
#include "watch/check.h"
#include "base/str.h"
#include "std/cpe.h"
#include "std/purl.h"
#include "std/version.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/dict.h"
#include "watch/vex.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kk_check_severity_parse(const char *s)
{
	static const char *const names[] = {"none", "low", "medium", "high", "critical"};
	for (int i = 0; s && i < 5; i++)
		if (kk_str_ieq(s, names[i]))
			return i;
	return -1;
}

bool kk_check_fails(const struct kk_check_result *r, int min)
{
	for (int s = min < 0 ? 0 : min; s < 5; s++)
		if (r->by_severity[s])
			return true;
	return false;
}

/* ---- one query's rows ---- */

struct scan {
	struct kk_arena *a;
	struct kk_check_item *it;
	const char *via, *query;
	const char *version; /* asked, or NULL */
	/* rows of matched records, kept to compute fixed versions after the walk */
	struct row {
		int64_t vuln_id;
		bool covers, hi_excl;
		const char *hi, *scheme;
		char text[200];
	} *rows;
	size_t nrows, cap;
	const char *newest, *newest_scheme;
	int err;
};

static void describe(const struct kk_affect_why *w, const char *v, char *out, size_t cap)
{
	const char *vv = v ? v : "";
	switch (w->kind) {
	case KK_WHY_CPE_EXACT:
		if (!strcmp(w->version, "*"))
			snprintf(out, cap, "every version (*)");
		else if (!strcmp(w->version, "-"))
			snprintf(out, cap, "the product without a version (-)");
		else
			snprintf(out, cap, "= %s (listed)", w->version);
		return;
	case KK_WHY_PKG_LIST:
		snprintf(out, cap, "%s listed (%s)", vv, w->scheme);
		return;
	case KK_WHY_GIT:
		snprintf(out, cap, "git commits");
		return;
	default: {
		char range[KK_VERSION_MAX * 2 + 16];
		if (w->lo && w->hi)
			snprintf(range, sizeof range, "in %c%s, %s%c", w->lo_excl ? '(' : '[', w->lo, w->hi,
			         w->hi_incl ? ']' : ')');
		else if (w->hi)
			snprintf(range, sizeof range, "%s %s", w->hi_incl ? "<=" : "<", w->hi);
		else if (w->lo)
			snprintf(range, sizeof range, "%s %s", w->lo_excl ? ">" : ">=", w->lo);
		else
			snprintf(range, sizeof range, "every version");
		if (snprintf(out, cap, "%s%s%s%s%s%s", vv, *vv ? " " : "", range, w->lim ? " (limit " : "",
		             w->lim ? w->lim : "", w->lim ? ")" : "") < 0)
			out[0] = 0;
		if (w->kind == KK_WHY_PKG_RANGE) {
			size_t n = strlen(out);
			snprintf(out + n, cap - n, " (%s)", w->scheme);
		}
	}
	}
}

/* Keeps the newest concrete version a row names (bounds and listed versions). */
static void note_version(struct scan *s, const char *v, const char *scheme)
{
	enum kk_version_scheme sc;
	int cmp;
	if (!v || !*v || !strcmp(v, "*") || !strcmp(v, "-") || !isdigit((unsigned char)*v))
		return;
	if (kk_version_scheme_parse(scheme, &sc))
		sc = KK_VERSION_GENERIC;
	if (s->newest && (kk_version_compare(sc, v, s->newest, &cmp, NULL) || cmp <= 0))
		return;
	(void)cmp;
	s->newest = kk_arena_strdup(s->a, v);
	s->newest_scheme = scheme;
}

static int on_row(void *arg, const struct kk_affect_why *w)
{
	struct scan *s = arg;
	if (w->kind == KK_WHY_CPE_EXACT)
		note_version(s, w->version, w->scheme);
	note_version(s, w->hi, w->scheme);
	if (!w->matched)
		return 0;
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct row *v = kk_arena_alloc(s->a, cap * sizeof *v);
		if (!v)
			return KK_ENOMEM;
		if (s->nrows)
			memcpy(v, s->rows, s->nrows * sizeof *v);
		s->rows = v;
		s->cap = cap;
	}
	struct row *r = &s->rows[s->nrows++];
	r->vuln_id = w->vuln_id;
	r->covers = w->covers;
	r->hi_excl = w->hi && !w->hi_incl && w->kind != KK_WHY_CPE_EXACT;
	r->hi = r->hi_excl ? kk_arena_strdup(s->a, w->hi) : NULL;
	r->scheme = w->scheme;
	describe(w, s->version, r->text, sizeof r->text);
	return 0;
}

static int cmp_ver(const char *scheme, const char *a, const char *b)
{
	enum kk_version_scheme sc;
	int cmp;
	/* Go module versions carry a 'v' the ranges leave out */
	a += a[0] == 'v' && isdigit((unsigned char)a[1]);
	b += b[0] == 'v' && isdigit((unsigned char)b[1]);
	if (kk_version_scheme_parse(scheme, &sc))
		sc = KK_VERSION_GENERIC;
	if (kk_version_compare(sc, a, b, &cmp, NULL))
		return strcmp(a, b);
	return cmp;
}

static struct kk_check_match *find_match(struct kk_check_item *it, int64_t id)
{
	for (size_t i = 0; i < it->nm; i++)
		if (it->m[i].rec.id == id)
			return &it->m[i];
	return NULL;
}

static int add_match(struct kk_db *db, const struct kk_check_opts *o, struct scan *s, int64_t id)
{
	struct kk_check_item *it = s->it;
	struct kk_check_match *m = find_match(it, id);
	if (!m) {
		struct kk_vuln_brief b;
		int rc = kk_vuln_brief_get(db, id, o && o->lang ? o->lang : "en", &b);
		if (rc == KK_ENOTFOUND || (!rc && b.withdrawn))
			return 0; /* gone, or rejected by every source: not a finding */
		KK_TRY(rc);
		if (it->nm == it->cap) {
			size_t cap = it->cap ? it->cap * 2 : 4;
			struct kk_check_match *v = kk_arena_alloc(s->a, cap * sizeof *v);
			if (!v)
				return KK_ENOMEM;
			if (it->nm)
				memcpy(v, it->m, it->nm * sizeof *v);
			it->m = v;
			it->cap = cap;
		}
		m = &it->m[it->nm++];
		memset(m, 0, sizeof *m);
		m->rec = b;
		m->via = s->via;
		m->query = s->query;
	}
	/* why: the rows of this record that hold the version (all of them without one) */
	const char *cov = NULL, *above = NULL, *fv[16];
	int nfv = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		if (r->vuln_id != id)
			continue;
		if (r->covers && m->nwhy < KK_CHECK_WHY) {
			bool dup = false;
			for (int k = 0; k < m->nwhy; k++)
				dup |= !strcmp(m->why[k].text, r->text);
			if (!dup)
				snprintf(m->why[m->nwhy++].text, sizeof m->why[0].text, "%s", r->text);
		}
		if (!r->hi)
			continue;
		/* the release to upgrade to: the end of a range holding the version, else the least end above it */
		if (s->version && r->covers && (!cov || cmp_ver(r->scheme, r->hi, cov) < 0))
			cov = r->hi;
		else if (s->version && !r->covers && cmp_ver(r->scheme, r->hi, s->version) > 0 &&
		         (!above || cmp_ver(r->scheme, r->hi, above) < 0))
			above = r->hi;
		/* every fixed release, ascending, once */
		int at = nfv;
		bool seen = false;
		for (int k = 0; k < nfv && !seen; k++)
			seen = !strcmp(fv[k], r->hi);
		if (seen || nfv == 16)
			continue;
		while (at > 0 && cmp_ver(r->scheme, r->hi, fv[at - 1]) < 0)
			at--;
		memmove(fv + at + 1, fv + at, (size_t)(nfv - at) * sizeof *fv);
		fv[at] = r->hi;
		nfv++;
	}
	if (!m->fixed && (cov || above))
		m->fixed = cov ? cov : above;
	if (nfv && !m->fixed_versions) {
		size_t len = 0;
		for (int k = 0; k < nfv; k++)
			len += strlen(fv[k]) + 1;
		char *all = kk_arena_alloc(s->a, len);
		if (!all)
			return KK_ENOMEM;
		all[0] = 0;
		for (int k = 0; k < nfv; k++) {
			if (k)
				strcat(all, " ");
			strcat(all, fv[k]);
		}
		m->fixed_versions = all;
	}
	return 0;
}

/*
 * Asks one CPE or purl (is_purl) with the item's version; returns 1 when the
 * product is in the index, 0 when not, < 0 on a database error. A malformed
 * query gives the item a note.
 */
static int ask(struct kk_db *db, const struct kk_check_opts *o, struct kk_check_item *it, struct kk_arena *a,
               const char *via, const char *query, const char *version, bool is_purl)
{
	struct scan s = {.a = a, .it = it, .via = via, .version = version};
	struct kk_affect_ids ids = {0};
	struct kk_diag d;
	kk_diag_clear(&d);
	if (!(s.query = kk_arena_strdup(a, query)))
		return KK_ENOMEM;
	int known = is_purl ? kk_affect_explain_purl(db, query, &ids, on_row, &s, &d)
	                    : kk_affect_explain_cpe(db, query, &ids, on_row, &s, &d);
	if (known == KK_EINVAL) {
		it->note = kk_arena_printf(a, "%s: %s", is_purl ? "purl" : "cpe", d.msg);
		kk_affect_ids_release(&ids);
		return 0;
	}
	int rc = known;
	for (size_t i = 0; rc >= 0 && i < ids.n; i++)
		rc = add_match(db, o, &s, ids.v[i]);
	kk_affect_ids_release(&ids);
	if (rc < 0)
		return rc;
	if (known > 0 && s.newest && version && cmp_ver(s.newest_scheme, s.newest, version) > 0 &&
	    (!it->newest || cmp_ver(s.newest_scheme, s.newest, it->newest) > 0))
		it->newest = s.newest;
	return known;
}

/* ---- building queries ---- */

/* A value in CPE 2.3 formatted-string form: lower case, punctuation but . - _ escaped. */
static bool cpe_value(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o + 3 >= cap || c < 0x20 || c >= 0x80)
			return false;
		if (c == ' ')
			out[o++] = '_';
		else if (!isalnum(c) && c != '.' && c != '-' && c != '_')
			out[o++] = '\\', out[o++] = (char)c;
		else
			out[o++] = (char)tolower(c);
	}
	out[o] = 0;
	return true;
}

/* The upstream part of a Debian / RPM version: no epoch, no revision. */
static void upstream(const char *v, char *out, size_t cap)
{
	const char *colon = strchr(v, ':');
	if (colon && colon > v && strspn(v, "0123456789") == (size_t)(colon - v))
		v = colon + 1;
	snprintf(out, cap, "%s", v);
	char *dash = strrchr(out, '-');
	if (dash && dash > out)
		*dash = 0;
	char *tilde = strchr(out, '~'); /* 1.2~rc1: a pre-release */
	if (tilde && tilde > out)
		*tilde = 0;
}

/* The item's CPE with its version set when the CPE leaves it ANY. */
static const char *cpe_with_version(struct kk_arena *a, const char *cpe, const char *version)
{
	char fs[4 * KK_AFFECT_CPE_MAX], ver[512], part[8], vendor[512], product[512], ev[1024];
	if (kk_affect_cpe_fs(cpe, fs, sizeof fs) || !kk_cpe_fs_field(fs, 3, ver, sizeof ver))
		return cpe; /* the match says what is wrong with it */
	if (strcmp(ver, "*") || !version || !kk_cpe_fs_field(fs, 0, part, sizeof part) ||
	    !kk_cpe_fs_field(fs, 1, vendor, sizeof vendor) || !kk_cpe_fs_field(fs, 2, product, sizeof product) ||
	    !cpe_value(version, strlen(version), ev, sizeof ev))
		return cpe;
	return kk_arena_printf(a, "cpe:2.3:%s:%s:%s:%s:*:*:*:*:*:*:*", part, vendor, product, ev);
}

/* The item's purl with its version when the purl has none. */
static const char *purl_with_version(struct kk_arena *a, const char *purl, const char *version)
{
	char store[KK_PURL_MAX_LEN + 1], out[3 * KK_PURL_MAX_LEN];
	struct kk_purl p;
	size_t n = strlen(purl);
	if (!version || n > KK_PURL_MAX_LEN || kk_purl_parse(purl, n, &p, store, sizeof store, NULL) || p.version.ptr)
		return purl;
	p.version.ptr = version;
	p.version.len = strlen(version);
	if (kk_purl_build(&p, out, sizeof out) < 0)
		return purl;
	return kk_arena_strdup(a, out);
}

static bool common_word(const char *s, size_t n)
{
	static const char *const w[] = {"org", "com", "net", "io", "github", "gitlab", "dev", "www", "pkg", "go"};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		if (strlen(w[i]) == n && !strncmp(w[i], s, n))
			return true;
	return false;
}

struct sole {
	int n;
	char *vendor;
	size_t cap;
};

static int sole_row(void *arg, const struct kk_dict_product *p)
{
	struct sole *s = arg;
	if (p->cpe_vendor && (!s->n || strcmp(s->vendor, p->cpe_vendor))) {
		if (!s->n)
			snprintf(s->vendor, s->cap, "%s", p->cpe_vendor);
		s->n++;
	}
	return 0;
}

/* How many vendors (0, 1, 2 meaning more) have a CPE product named product; the one into vendor. */
static int sole_vendor(struct kk_db *db, const char *product, char *vendor, size_t cap)
{
	struct kk_dict_cpe_pat pat = {.wild = true};
	struct sole s = {.vendor = vendor, .cap = cap};
	if (strlen(product) >= sizeof pat.product || strpbrk(product, "*?["))
		return 0;
	snprintf(pat.vendor, sizeof pat.vendor, "*");
	snprintf(pat.product, sizeof pat.product, "%s", product);
	struct kk_dict_query q = {.pats = &pat, .npats = 1, .cpe_only = true, .limit = 2};
	KK_TRY(kk_dict_products(db, &q, sole_row, &s, NULL, NULL));
	return s.n > 1 ? 2 : s.n;
}

/*
 * CPE names guessed for an item without a CPE (see the top of check.h):
 * vendors from the namespace / group / stated vendor, products from the
 * name; asks each, returns the count of products known.
 */
static int infer(struct kk_db *db, const struct kk_check_opts *o, struct kk_check_item *it, struct kk_arena *a,
                 const char *ns, const char *name, const char *version, bool distro)
{
	char vendors[6][128], products[2][128], ver[512], ev[1024];
	int nv = 0, np = 0;
	const char *vend = it->in->vendor;
	/* vendors: each word of the namespace or stated vendor, beyond the common ones */
	const char *srcs[2] = {ns, vend};
	for (int k = 0; k < 2; k++) {
		const char *p = srcs[k];
		while (p && *p && nv < 5) {
			size_t n = strcspn(p, "./:@ ");
			if (n && !common_word(p, n) && cpe_value(p, n, vendors[nv], sizeof vendors[nv])) {
				bool dup = false;
				for (int i = 0; i < nv; i++)
					dup |= !strcmp(vendors[i], vendors[nv]);
				nv += !dup;
			}
			p += n + (p[n] != 0);
		}
	}
	size_t nl = strlen(name);
	if (!cpe_value(name, nl, products[np], sizeof products[0]))
		return 0;
	np++;
	static const char *const suffixes[] = {"-core", "-java"};
	for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++) {
		size_t sl = strlen(suffixes[k]);
		if (nl > sl + 1 && !strcmp(name + nl - sl, suffixes[k]) &&
		    cpe_value(name, nl - sl, products[np], sizeof products[0])) {
			np++;
			break;
		}
	}
	bool by_name = !nv && (!ns || !*ns || distro);
	if (version) {
		if (distro)
			upstream(version, ver, sizeof ver);
		else
			snprintf(ver, sizeof ver, "%s", version[0] == 'v' && isdigit((unsigned char)version[1]) ? version + 1 : version);
		if (!cpe_value(ver, strlen(ver), ev, sizeof ev))
			snprintf(ev, sizeof ev, "*");
	} else {
		snprintf(ev, sizeof ev, "*");
	}
	int known = 0;
	for (int i = 0; i < nv; i++)
		for (int k = 0; k < np; k++) {
			char q[KK_CHECK_QUERY];
			if ((size_t)snprintf(q, sizeof q, "cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", vendors[i], products[k], ev) >=
			    sizeof q)
				continue;
			int rc = ask(db, o, it, a, "inferred", q, version ? ver : NULL, false);
			KK_TRY(rc);
			known += rc;
		}
	/*
	 * Nothing says who makes it (a distribution package, a bare name): the
	 * project named after itself (openssl:openssl), else the one vendor
	 * whose product has that name; a name several vendors' products share
	 * is a collision and is not guessed.
	 */
	for (int k = 0; by_name && !known && k < np; k++) {
		char q[KK_CHECK_QUERY], vendor[256];
		snprintf(q, sizeof q, "cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", products[k], products[k], ev);
		int rc = ask(db, o, it, a, "inferred", q, version ? ver : NULL, false);
		KK_TRY(rc);
		if ((known += rc))
			break;
		KK_TRY(rc = sole_vendor(db, products[k], vendor, sizeof vendor));
		if (rc > 1) {
			it->note = kk_arena_printf(a, "several vendors make a product named '%s': give its CPE", products[k]);
			continue;
		}
		if (!rc)
			continue;
		snprintf(q, sizeof q, "cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", vendor, products[k], ev);
		KK_TRY(rc = ask(db, o, it, a, "inferred", q, version ? ver : NULL, false));
		known += rc;
	}
	return known;
}

static int check_item(struct kk_db *db, const struct kk_check_opts *o, struct kk_check_item *it, struct kk_arena *a)
{
	const struct kk_sbom_item *in = it->in;
	const char *version = in->version;
	bool purl_known = false;
	if (in->cpe) {
		const char *q = cpe_with_version(a, in->cpe, version);
		KK_TRY(ask(db, o, it, a, "cpe", q, version, false));
	}
	char store[KK_PURL_MAX_LEN + 1];
	struct kk_purl p = {0};
	bool have_purl = in->purl && strlen(in->purl) <= KK_PURL_MAX_LEN &&
	                 !kk_purl_parse(in->purl, strlen(in->purl), &p, store, sizeof store, NULL);
	if (in->purl && !have_purl && !in->cpe)
		it->note = kk_arena_printf(a, "purl '%.200s' is not a package URL (pkg:TYPE/NAMESPACE/NAME@VERSION)",
		                           in->purl);
	if (have_purl) {
		const char *q = purl_with_version(a, in->purl, version);
		int rc = ask(db, o, it, a, "purl", q, version ? version : NULL, true);
		KK_TRY(rc);
		purl_known = rc > 0;
	}
	if (in->cpe || purl_known)
		return 0;
	char ns[256] = "", name[256];
	bool distro = false;
	const char *ver = version;
	if (have_purl) {
		snprintf(ns, sizeof ns, "%.*s", p.namespace.ptr ? (int)p.namespace.len : 0, p.namespace.ptr ? p.namespace.ptr : "");
		snprintf(name, sizeof name, "%.*s", (int)p.name.len, p.name.ptr);
		distro = kk_str_eqc(p.type, "deb") || kk_str_eqc(p.type, "rpm") || kk_str_eqc(p.type, "apk");
		if (distro)
			ns[0] = 0; /* "debian" is the distribution, not the vendor */
		if (!ver && p.version.ptr)
			ver = kk_arena_strndup(a, p.version.ptr, p.version.len);
	} else {
		snprintf(name, sizeof name, "%s", in->name);
	}
	return infer(db, o, it, a, ns, name, ver, distro) < 0 ? KK_EDB : 0;
}

static int cmp_match(const void *x, const void *y)
{
	const struct kk_check_match *a = x, *b = y;
	if (a->suppressed != b->suppressed)
		return a->suppressed ? 1 : -1;
	if (a->rec.severity != b->rec.severity)
		return b->rec.severity - a->rec.severity;
	return strcmp(a->rec.jvndb, b->rec.jvndb);
}

struct run {
	const struct kk_sbom *s;
	const struct kk_check_opts *o;
	struct kk_arena *a;
	struct kk_check_result *r;
};

static int run_items(struct kk_db *db, const struct kk_sbom *s, const struct kk_check_opts *o, struct kk_arena *a,
                     struct kk_check_result *r);

static int run_read(struct kk_db *db, void *arg)
{
	struct run *x = arg;
	return run_items(db, x->s, x->o, x->a, x->r);
}

/* One read transaction for the whole list: one snapshot, and the read lock taken once, not per statement. */
int kk_check_run(struct kk_db *db, const struct kk_sbom *s, const struct kk_check_opts *o, struct kk_arena *a,
                 struct kk_check_result *r)
{
	struct run x = {s, o, a, r};
	return kk_db_read(db, run_read, &x);
}

static int run_items(struct kk_db *db, const struct kk_sbom *s, const struct kk_check_opts *o, struct kk_arena *a,
                     struct kk_check_result *r)
{
	memset(r, 0, sizeof *r);
	r->items = kk_arena_zalloc(a, (s->n ? s->n : 1) * sizeof *r->items);
	if (!r->items)
		return KK_ENOMEM;
	r->n = s->n;
	for (size_t i = 0; i < s->n; i++) {
		struct kk_check_item *it = &r->items[i];
		it->in = &s->v[i];
		it->max_severity = -1;
		KK_TRY(check_item(db, o, it, a));
		if (!it->in->version && !it->note && it->nm)
			it->note = "no version given: every record of the product is listed";
		for (size_t k = 0; k < it->nm; k++) {
			struct kk_check_match *m = &it->m[k];
			if (o && o->vex)
				kk_vex_find(o->vex, it->in, &m->rec, &m->state, &m->justification);
			if (o && o->dismissed) {
				int rc = o->dismissed(o->arg, i, &m->rec);
				KK_TRY(rc);
				m->dismissed = rc > 0;
			}
			m->suppressed = m->dismissed || m->state == KK_VEX_NOT_AFFECTED || m->state == KK_VEX_FIXED;
			if (m->suppressed) {
				r->suppressed++;
				continue;
			}
			r->matches++;
			r->by_severity[m->rec.severity]++;
			r->kev += m->rec.kev;
			if (m->rec.severity > it->max_severity)
				it->max_severity = m->rec.severity;
		}
		if (it->max_severity >= 0)
			r->affected++;
		if (it->nm > 1)
			qsort(it->m, it->nm, sizeof *it->m, cmp_match);
	}
	return 0;
}
