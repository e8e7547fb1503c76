/*
 * affected.c — the product index (vuln_affect): written at upsert from CPE
 * rows and package ranges, read by the cpe= and purl= filters of search,
 * which decide version ranges here with std/version.h.
 */
#include "vulndb/affected.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "std/cpe.h"
#include "std/purl.h"
#include "std/version.h"
#include "store/db.h"
#include "vulndb/fold.h"
#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KIND_CPE, KIND_RANGE, KIND_LIST, KIND_GIT };

void kk_affect_ids_release(struct kk_affect_ids *ids)
{
	kk_free(ids->v);
	ids->v = NULL;
	ids->n = ids->cap = 0;
}

/* Appends id unless it equals the last one (rows come sorted by record). */
static int ids_push(struct kk_affect_ids *ids, int64_t id)
{
	if (ids->n && ids->v[ids->n - 1] == id)
		return 0;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 256;
		int64_t *v = kk_realloc(ids->v, cap * sizeof *v);
		if (!v)
			return KK_ENOMEM;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

/* ---- keys ---- */

/*
 * A CPE 2.3 name cut short ("cpe:2.3:a:apache:log4j:2.14.1") padded with
 * ANY components to the 13 a formatted string has, into buf; other names
 * are returned as they are.
 */
static const char *pad_fs(const char *cpe, char *buf, size_t cap)
{
	if (strncmp(cpe, "cpe:2.3:", 8))
		return cpe;
	int colons = 0;
	for (const char *p = cpe; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == ':')
			colons++;
	}
	size_t n = strlen(cpe);
	if (colons >= 12 || n + 2 * (size_t)(12 - colons) + 1 > cap)
		return cpe;
	memcpy(buf, cpe, n);
	for (; colons < 12; colons++)
		buf[n++] = ':', buf[n++] = '*';
	buf[n] = 0;
	return buf;
}

int kk_affect_cpe_fs(const char *cpe, char *fs, size_t cap)
{
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)], padded[KK_CPE_MAX_LEN + 32];
	struct kk_cpe c;
	cpe = pad_fs(cpe, padded, sizeof padded);
	size_t n = strlen(cpe);
	if (n > KK_CPE_MAX_LEN || kk_cpe_parse(cpe, n, &c, store, sizeof store, NULL) ||
	    kk_cpe_bind_fs(&c, fs, cap) < 0)
		return KK_EPARSE;
	return 0;
}

/* s with CPE escapes removed ("1\.0" -> "1.0") into out. */
static void unescape(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++) {
		if (*s == '\\' && s[1])
			s++;
		out[o++] = *s;
	}
	out[o] = 0;
}

/* Whether a formatted string sets any attribute after the version (update .. other). */
static bool fs_has_tail(const char *fs)
{
	char v[256];
	for (int i = 4; i < KK_CPE_NATTR; i++)
		if (kk_cpe_fs_field(fs, i, v, sizeof v) && strcmp(v, "*"))
			return true;
	return false;
}

/*
 * A free-text vendor or product name (CVE 5 without a CPE) in CPE form:
 * lower case, spaces as '_', punctuation other than . - _ escaped. False
 * for empty, "n/a" and over-long names.
 */
static bool name_key(const char *name, char *out, size_t cap)
{
	size_t o = 0;
	if (!name || !*name || kk_str_ieq(name, "n/a") || !strcmp(name, "*") || !strcmp(name, "-"))
		return false;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (o + 3 >= cap)
			return false;
		if (*s == ' ' || *s == '\t')
			out[o++] = '_';
		else if (*s < 0x80 && !isalnum(*s) && *s != '.' && *s != '-' && *s != '_')
			out[o++] = '\\', out[o++] = (char)*s;
		else
			out[o++] = (char)tolower(*s);
	}
	out[o] = 0;
	return o > 0;
}

static int select_id(struct kk_db *db, const char *sql, const char *types, const char *a, const char *b,
                     const char *c, int64_t n, int64_t *id)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	const char *vals[3] = {a, b, c};
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i')
			kk_stmt_bind_int64(st, i + 1, n);
		else
			kk_stmt_bind_text(st, i + 1, vals[i], -1);
	}
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

/* The fold text of a row whose only name is its key (no names yet). */
static int fold_of(const char *key, const char *name, char **out)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s\x1f%s", name ? name : "", key);
	return kk_search_fold(buf, strlen(buf), out);
}

static int vendor_cpe(struct kk_db *db, const char *vendor, const char *name_en, int64_t *id)
{
	int rc = select_id(db, "SELECT id FROM vuln_vendor WHERE cpe_vendor = ? ORDER BY id LIMIT 1", "s", vendor,
	                   NULL, NULL, 0, id);
	if (rc)
		return rc < 0 ? rc : 0;
	char *f;
	KK_TRY(fold_of(vendor, name_en, &f));
	rc = kk_db_exec(db, "INSERT INTO vuln_vendor (cpe_vendor, name_en, fold) VALUES (?, ?, ?)", "sss", vendor,
	                name_en, f);
	kk_free(f);
	if (rc < 0)
		return rc;
	*id = kk_db_last_insert_id(db);
	return 0;
}

static int product_ensure(struct kk_db *db, const char *part, const char *vendor, const char *product,
                          const char *vname, const char *pname, int64_t *id)
{
	int64_t vid;
	int rc = select_id(db, "SELECT id FROM vuln_product WHERE cpe_vendor = ? AND cpe_product = ?", "ss", vendor,
	                   product, NULL, 0, id);
	if (rc)
		return rc < 0 ? rc : 0;
	KK_TRY(vendor_cpe(db, vendor, vname, &vid));
	char *f;
	KK_TRY(fold_of(product, pname, &f));
	rc = kk_db_exec(db,
	                "INSERT INTO vuln_product (vendor_id, part, cpe_vendor, cpe_product, name_en, fold) "
	                "VALUES (?, ?, ?, ?, ?, ?)",
	                "isssss", vid, part, vendor, product, pname, f);
	kk_free(f);
	if (rc < 0)
		return rc;
	*id = kk_db_last_insert_id(db);
	return 0;
}

int kk_affect_product_cpe(struct kk_db *db, const char *part, const char *vendor, const char *product,
                          int64_t *id)
{
	return product_ensure(db, part, vendor, product, NULL, NULL, id);
}

/* ---- writing ---- */

struct arow {
	int kind, scheme;
	const char *part, *version, *lo, *hi, *lim, *versions, *tail;
	bool lo_excl, hi_incl;
};

/*
 * The key an exact version is stored and looked up by (kk_version_key:
 * "2.0" and "2.0.0" share one, a commit hash has its own kind) from a CPE
 * version with its escapes; a version too long for a key keeps its text.
 */
static void exact_key(const char *version, char *key, size_t cap)
{
	char v[KK_VERSION_KEY_MAX];
	unescape(version, v, sizeof v);
	if (kk_version_key(v, key, cap))
		snprintf(key, cap, "%s", v);
}

/* A CPE row with an exact version ('*', '-' or a version): keyed by it in vuln_affect_exact. */
static int insert_exact(struct kk_db *db, int64_t product, int64_t vid, int64_t seq, int64_t src,
                        const struct arow *r)
{
	char v[KK_VERSION_KEY_MAX];
	struct kk_stmt *st;
	exact_key(r->version, v, sizeof v);
	KK_TRY(kk_db_prepare(db,
	                     "INSERT OR REPLACE INTO vuln_affect_exact (product_id, version, vuln_id, seq, src, part, tail) "
	                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
	                     &st));
	kk_stmt_bind_int64(st, 1, product);
	kk_stmt_bind_text(st, 2, v, -1);
	kk_stmt_bind_int64(st, 3, vid);
	kk_stmt_bind_int64(st, 4, seq);
	kk_stmt_bind_int64(st, 5, src);
	kk_stmt_bind_text(st, 6, r->part, -1);
	kk_stmt_bind_text(st, 7, r->tail, -1);
	int rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int insert_row(struct kk_db *db, int64_t product, int64_t vid, int64_t seq, int64_t src,
                      const struct arow *r)
{
	struct kk_stmt *st;
	if (r->kind == KIND_CPE && r->version)
		return insert_exact(db, product, vid, seq, src, r);
	KK_TRY(kk_db_prepare(db,
	                     "INSERT OR REPLACE INTO vuln_affect (product_id, vuln_id, seq, src, kind, scheme, part, "
	                     "version, lo, lo_excl, hi, hi_incl, lim, versions, tail) "
	                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                     &st));
	kk_stmt_bind_int64(st, 1, product);
	kk_stmt_bind_int64(st, 2, vid);
	kk_stmt_bind_int64(st, 3, seq);
	kk_stmt_bind_int64(st, 4, src);
	kk_stmt_bind_int64(st, 5, r->kind);
	kk_stmt_bind_int64(st, 6, r->scheme);
	kk_stmt_bind_text(st, 7, r->part, -1);
	kk_stmt_bind_text(st, 8, r->version, -1);
	kk_stmt_bind_text(st, 9, r->lo, -1);
	kk_stmt_bind_int64(st, 10, r->lo_excl);
	kk_stmt_bind_text(st, 11, r->hi, -1);
	kk_stmt_bind_int64(st, 12, r->hi_incl);
	kk_stmt_bind_text(st, 13, r->lim, -1);
	kk_stmt_bind_text(st, 14, r->versions, -1);
	kk_stmt_bind_text(st, 15, r->tail, -1);
	int rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_affect_add_cpe(struct kk_db *db, int64_t vid, int64_t src, int64_t cpe_row, const struct kk_vuln_cpe *c,
                      struct kk_affect_memo *memo)
{
	char part[8] = "", vkey[256], pkey[256];
	const char *vname = NULL, *pname = NULL;
	if (c->cpe23) {
		if (!c->vendor || !c->product || !strcmp(c->vendor, "*") || !strcmp(c->product, "*") ||
		    !strcmp(c->vendor, "-") || !strcmp(c->product, "-") || strlen(c->vendor) >= sizeof vkey ||
		    strlen(c->product) >= sizeof pkey)
			return 0;
		snprintf(vkey, sizeof vkey, "%s", c->vendor);
		snprintf(pkey, sizeof pkey, "%s", c->product);
		if (!kk_cpe_fs_field(c->cpe23, 0, part, sizeof part) || !strchr("aoh", part[0]) || part[1])
			part[0] = 0;
	} else {
		/* CVE 5 without a CPE: the names are the key and the English name */
		if (!name_key(c->vendor, vkey, sizeof vkey) || !name_key(c->product, pkey, sizeof pkey))
			return 0;
		vname = c->vendor, pname = c->product;
	}
	int64_t pid;
	if (memo && memo->id && !strcmp(memo->vendor, vkey) && !strcmp(memo->product, pkey)) {
		pid = memo->id;
	} else {
		KK_TRY(product_ensure(db, part[0] ? part : NULL, vkey, pkey, vname, pname, &pid));
		if (memo) {
			memcpy(memo->vendor, vkey, strlen(vkey) + 1); /* both shorter than 256 */
			memcpy(memo->product, pkey, strlen(pkey) + 1);
			memo->id = pid;
		}
	}
	if (!c->vulnerable || c->negate)
		return 0;
	struct arow r = {.kind = KIND_CPE, .part = part[0] ? part : NULL};
	if (c->start_incl || c->start_excl) {
		r.lo = c->start_incl ? c->start_incl : c->start_excl;
		r.lo_excl = !c->start_incl;
	}
	if (c->end_excl || c->end_incl) {
		r.hi = c->end_excl ? c->end_excl : c->end_incl;
		r.hi_incl = !c->end_excl;
	}
	if (!r.lo && !r.hi)
		r.version = c->version ? c->version : "*";
	else if ((r.lo && kk_version_is_commit(r.lo)) || (r.hi && kk_version_is_commit(r.hi)))
		r.kind = KIND_GIT; /* bounded by commits (CVE 5 "git"): not comparable with versions */
	r.tail = c->cpe23 && fs_has_tail(c->cpe23) ? c->cpe23 : NULL;
	return insert_row(db, pid, vid, cpe_row, src, &r);
}

/* ecosystem (before any ':') -> purl type, and whether its names carry a namespace split at sep */
static const struct eco {
	const char *eco, *type;
	char sep;
} ecos[] = {
    {"Go", "golang", '/'},      {"npm", "npm", '/'},         {"PyPI", "pypi", 0},       {"Maven", "maven", ':'},
    {"crates.io", "cargo", 0},  {"RubyGems", "gem", 0},      {"NuGet", "nuget", 0},     {"Packagist", "composer", '/'},
    {"Hex", "hex", 0},          {"Pub", "pub", 0},           {"Hackage", "hackage", 0}, {"GitHub Actions", "github", '/'},
    {"SwiftURL", "swift", '/'}, {"CRAN", "cran", 0},         {"Debian", "deb", 0},      {"Ubuntu", "deb", 0},
    {"Alpine", "apk", 0},       {"Red Hat", "rpm", 0},       {"AlmaLinux", "rpm", 0},   {"Rocky Linux", "rpm", 0},
    {"openSUSE", "rpm", 0},     {"SUSE", "rpm", 0},          {"Wolfi", "apk", 0},       {"Chainguard", "apk", 0},
    {"Photon OS", "rpm", 0},    {"Bitnami", "bitnami", 0},   {"Linux", "generic", 0},   {"OSS-Fuzz", "generic", 0},
};

int kk_affect_pkg_key(const char *ecosystem, const char *name, const char *purl, const char **type,
                      const char **ns, const char **pname, char *buf, size_t cap)
{
	if (purl && *purl) {
		struct kk_purl p;
		size_t n = strlen(purl);
		if (n < cap / 2 && !kk_purl_parse(purl, n, &p, buf, cap / 2, NULL)) {
			char *o = buf + cap / 2;
			size_t room = cap - cap / 2;
			int w = snprintf(o, room, "%.*s%c%.*s%c%.*s", (int)p.type.len, p.type.ptr, 0,
			                 p.namespace.ptr ? (int)p.namespace.len : 0,
			                 p.namespace.ptr ? p.namespace.ptr : "", 0, (int)p.name.len, p.name.ptr);
			if (w > 0 && (size_t)w < room) {
				*type = o;
				*ns = o + p.type.len + 1;
				*pname = *ns + strlen(*ns) + 1;
				return 0;
			}
		}
	}
	if (!ecosystem || !*ecosystem || !name || !*name)
		return KK_EINVAL;
	size_t elen = strcspn(ecosystem, ":");
	const struct eco *e = NULL;
	for (size_t i = 0; i < sizeof ecos / sizeof *ecos; i++)
		if (strlen(ecos[i].eco) == elen && !strncmp(ecos[i].eco, ecosystem, elen))
			e = &ecos[i];
	size_t o = 0;
	/* type */
	if (e) {
		o = (size_t)snprintf(buf, cap, "%s", e->type);
	} else {
		for (size_t i = 0; i < elen && o + 1 < cap; i++)
			if (isalnum((unsigned char)ecosystem[i]))
				buf[o++] = (char)tolower((unsigned char)ecosystem[i]);
		if (!o)
			return KK_EINVAL;
		buf[o] = 0;
	}
	if (o + strlen(name) + 4 > cap)
		return KK_ETOOBIG;
	*type = buf;
	char *nsp = buf + o + 1;
	const char *cut = e && e->sep ? strrchr(name, e->sep) : NULL;
	if (e && !strcmp(e->type, "deb"))
		o += 1 + (size_t)sprintf(nsp, "%s", strncmp(ecosystem, "Ubuntu", 6) ? "debian" : "ubuntu");
	else if (e && !strcmp(e->type, "apk"))
		o += 1 + (size_t)sprintf(nsp, "%s", strncmp(ecosystem, "Alpine", 6) ? "wolfi" : "alpine");
	else if (cut)
		o += 1 + (size_t)sprintf(nsp, "%.*s", (int)(cut - name), name);
	else
		o += 1 + (size_t)sprintf(nsp, "%s", "");
	*ns = nsp;
	char *np = buf + o + 1;
	sprintf(np, "%s", cut ? cut + 1 : name);
	if (e && !strcmp(e->type, "pypi")) /* PEP 503, as purl.c does */
		for (char *c = np; *c; c++)
			*c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
	if (e && (!strcmp(e->type, "github")))
		for (char *c = nsp; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	*pname = np;
	return **pname ? 0 : KK_EINVAL;
}

static int vendor_purl(struct kk_db *db, const char *type, const char *ns, int64_t *id)
{
	int rc = select_id(db, "SELECT id FROM vuln_vendor WHERE purl_type = ? AND purl_namespace = ?", "ss", type,
	                   ns, NULL, 0, id);
	if (rc)
		return rc < 0 ? rc : 0;
	char key[600], *f;
	snprintf(key, sizeof key, "pkg:%s%s%s", type, *ns ? "/" : "", ns);
	KK_TRY(kk_search_fold(key, strlen(key), &f));
	rc = kk_db_exec(db, "INSERT INTO vuln_vendor (purl_type, purl_namespace, fold) VALUES (?, ?, ?)", "sss", type,
	                ns, f);
	kk_free(f);
	if (rc < 0)
		return rc;
	*id = kk_db_last_insert_id(db);
	return 0;
}

static int product_purl(struct kk_db *db, const char *type, const char *ns, const char *name, int64_t *id)
{
	int rc = select_id(db, "SELECT id FROM vuln_product WHERE purl_type = ? AND purl_namespace = ? AND purl_name = ?",
	                   "sss", type, ns, name, 0, id);
	if (rc)
		return rc < 0 ? rc : 0;
	int64_t vid;
	KK_TRY(vendor_purl(db, type, ns, &vid));
	char *f;
	KK_TRY(kk_search_fold(name, strlen(name), &f));
	rc = kk_db_exec(db,
	                "INSERT INTO vuln_product (vendor_id, purl_type, purl_namespace, purl_name, fold) "
	                "VALUES (?, ?, ?, ?, ?)",
	                "issss", vid, type, ns, name, f);
	kk_free(f);
	if (rc < 0)
		return rc;
	*id = kk_db_last_insert_id(db);
	return 0;
}

static int eco_scheme(const char *ecosystem)
{
	char e[64];
	enum kk_version_scheme s = KK_VERSION_GENERIC;
	snprintf(e, sizeof e, "%.*s", (int)strcspn(ecosystem ? ecosystem : "", ":"), ecosystem ? ecosystem : "");
	if (kk_version_scheme_parse(e, &s))
		s = KK_VERSION_GENERIC;
	return (int)s;
}

int kk_affect_add_pkg(struct kk_db *db, int64_t vid, int64_t src, int64_t pkg_row, const struct kk_vuln_pkg *p)
{
	char buf[2048];
	const char *type, *ns, *name;
	if (kk_affect_pkg_key(p->ecosystem, p->name, p->purl, &type, &ns, &name, buf, sizeof buf))
		return 0; /* nothing to key it by: it stays in vuln_pkg only */
	int64_t pid;
	KK_TRY(product_purl(db, type, ns, name, &pid));
	struct arow r = {.scheme = eco_scheme(p->ecosystem)};
	const char *rt = p->range_type ? p->range_type : "";
	if (!strcmp(rt, "versions")) {
		r.kind = KIND_LIST;
		r.versions = p->versions;
	} else if (!strcmp(rt, "GIT")) {
		r.kind = KIND_GIT; /* its commits, for a commit query */
		r.lo = p->introduced && strcmp(p->introduced, "0") ? p->introduced : NULL;
		r.hi = p->fixed ? p->fixed : p->last_affected;
		r.hi_incl = !p->fixed && p->last_affected;
	} else {
		r.kind = KIND_RANGE;
		if (strcmp(rt, "SEMVER"))
			r.scheme = eco_scheme(p->ecosystem);
		else
			r.scheme = KK_VERSION_SEMVER;
		r.lo = p->introduced && strcmp(p->introduced, "0") ? p->introduced : NULL;
		r.hi = p->fixed ? p->fixed : p->last_affected;
		r.hi_incl = !p->fixed && p->last_affected;
		r.lim = p->limit;
	}
	return insert_row(db, pid, vid, -pkg_row, src, &r);
}

int kk_affect_delete_src(struct kk_db *db, int64_t src)
{
	int rc = kk_db_exec(db, "DELETE FROM vuln_affect WHERE src = ?", "i", src);
	if (rc >= 0)
		rc = kk_db_exec(db, "DELETE FROM vuln_affect_exact WHERE src = ?", "i", src);
	return rc < 0 ? rc : 0;
}

/* ---- backfill ---- */

struct bf {
	struct kk_arena a;
	struct {
		int64_t id, vid, src;
		struct kk_vuln_pkg p;
	} *rows;
	size_t n, cap;
	long done;
};

static const char *adup(struct kk_arena *a, struct kk_stmt *st, int col)
{
	return kk_stmt_is_null(st, col) ? NULL : kk_arena_strdup(a, kk_stmt_text(st, col));
}

static int backfill_tx(struct kk_db *db, void *arg)
{
	struct bf *b = arg;
	struct kk_stmt *st;
	b->n = 0;
	b->done = 0;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT p.id, p.vuln_id, p.src, p.ecosystem, p.name, p.purl, p.range_type, p.introduced, "
	                     "p.fixed, p.last_affected, p.range_limit, p.versions FROM vuln_pkg p WHERE NOT EXISTS "
	                     "(SELECT 1 FROM vuln_affect a WHERE a.src = p.src AND a.seq = -p.id) ORDER BY p.id",
	                     &st));
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 1024;
			void *v = kk_realloc(b->rows, cap * sizeof *b->rows);
			if (!v) {
				rc = KK_ENOMEM;
				break;
			}
			b->rows = v;
			b->cap = cap;
		}
		struct kk_vuln_pkg *p = &b->rows[b->n].p;
		b->rows[b->n].id = kk_stmt_int64(st, 0);
		b->rows[b->n].vid = kk_stmt_int64(st, 1);
		b->rows[b->n].src = kk_stmt_int64(st, 2);
		p->ecosystem = adup(&b->a, st, 3);
		p->name = adup(&b->a, st, 4);
		p->purl = adup(&b->a, st, 5);
		p->range_type = adup(&b->a, st, 6);
		p->introduced = adup(&b->a, st, 7);
		p->fixed = adup(&b->a, st, 8);
		p->last_affected = adup(&b->a, st, 9);
		p->limit = adup(&b->a, st, 10);
		p->versions = adup(&b->a, st, 11);
		b->n++;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < b->n; i++)
		KK_TRY(kk_affect_add_pkg(db, b->rows[i].vid, b->rows[i].src, b->rows[i].id, &b->rows[i].p));
	b->done = (long)b->n;
	return 0;
}

int kk_affect_backfill(struct kk_db *db, long *n)
{
	struct bf b = {0};
	kk_arena_init(&b.a, 0);
	int rc = kk_db_tx(db, backfill_tx, &b);
	kk_arena_release(&b.a);
	kk_free(b.rows);
	if (n)
		*n = rc ? 0 : b.done;
	return rc;
}

/* ---- queries ---- */

/* Whether v (unescaped, non-empty) falls in the row's bounds under scheme s. */
static bool in_bounds(enum kk_version_scheme s, const char *v, struct kk_stmt *st)
{
	const char *lo = kk_stmt_is_null(st, 5) ? NULL : kk_stmt_text(st, 5);
	char lob[KK_VERSION_MAX + 1] = "", hib[KK_VERSION_MAX + 1] = "";
	if (lo)
		snprintf(lob, sizeof lob, "%s", lo); /* kk_stmt_text is valid only until the next column read */
	const char *hi = kk_stmt_is_null(st, 7) ? NULL : kk_stmt_text(st, 7);
	if (hi)
		snprintf(hib, sizeof hib, "%s", hi);
	bool lo_excl = kk_stmt_int64(st, 6), hi_incl = kk_stmt_int64(st, 8);
	struct kk_version_range r = {0};
	if (lo)
		*(lo_excl ? &r.start_excluding : &r.start_including) = lob;
	if (hi)
		*(hi_incl ? &r.end_including : &r.end_excluding) = hib;
	bool aff = false;
	if (kk_version_in_range(s, v, &r, &aff, NULL) || !aff)
		return false;
	if (!kk_stmt_is_null(st, 9)) {
		int cmp;
		if (kk_version_compare(s, v, kk_stmt_text(st, 9), &cmp, NULL) || cmp >= 0)
			return false;
	}
	return true;
}

/* a against b by the generic scheme into *c; false when either is a commit or cannot be ordered. */
static bool gcmp(const char *a, const char *b, int *c)
{
	return !kk_version_is_commit(a) && !kk_version_is_commit(b) &&
	       !kk_version_compare(KK_VERSION_GENERIC, a, b, c, NULL);
}

bool kk_affect_range_meets(const char *version, const char *si, const char *se, const char *ei, const char *ee,
                           const char *start, bool start_incl, const char *end, bool end_incl)
{
	const char *lo = si ? si : se, *hi = ei ? ei : ee;
	bool lo_in = si != NULL, hi_in = ei != NULL;
	char v[KK_VERSION_MAX + 1];
	if (!lo && !hi && version && !strcmp(version, "-"))
		return false; /* NA: no version at all */
	if (!lo && !hi && version && strcmp(version, "*")) {
		unescape(version, v, sizeof v);
		lo = hi = v;
		lo_in = hi_in = true;
	}
	int c;
	/* a commit bound holds no version, whichever end of the query it faces */
	if ((lo && kk_version_is_commit(lo)) || (hi && kk_version_is_commit(hi)))
		return false;
	/* the row's upper end before the query's start? */
	if (start && hi && (!gcmp(hi, start, &c) || c < 0 || (c == 0 && !(hi_in && start_incl))))
		return false;
	/* the row's lower end after the query's end? */
	if (end && lo && (!gcmp(lo, end, &c) || c > 0 || (c == 0 && !(lo_in && end_incl))))
		return false;
	return true;
}

/* Whether a JSON array of versions lists v (equal under scheme s). */
static bool listed(enum kk_version_scheme s, const char *v, const char *json)
{
	json_t *a = json_loads(json, JSON_DECODE_ANY, NULL);
	size_t i;
	json_t *e;
	bool hit = false;
	json_array_foreach(a, i, e)
	{
		int cmp;
		if (json_is_string(e) && (!strcmp(json_string_value(e), v) ||
		                          (!kk_version_compare(s, v, json_string_value(e), &cmp, NULL) && !cmp))) {
			hit = true;
			break;
		}
	}
	json_decref(a);
	return hit;
}

/* The query's attributes after the version that it sets (not ANY): the row's must not be disjoint. */
static bool tail_ok(const struct kk_cpe *q, const char *tail)
{
	if (!tail || !((unsigned)~q->any & 0x7F0u))
		return true;
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)];
	struct kk_cpe r;
	size_t n = strlen(tail);
	if (n > KK_CPE_MAX_LEN || kk_cpe_parse(tail, n, &r, store, sizeof store, NULL))
		return true;
	for (int i = KK_CPE_UPDATE; i < KK_CPE_NATTR; i++) {
		if (q->any & (1u << i))
			continue;
		enum kk_cpe_rel rel = kk_cpe_attr_compare(&r.a[i], &q->a[i]);
		if (rel != KK_CPE_EQUAL && rel != KK_CPE_SUPERSET)
			return false;
	}
	return true;
}

#define ROWS_SQL                                                                                             \
	"SELECT vuln_id, kind, scheme, part, NULL, lo, lo_excl, hi, hi_incl, lim, versions, tail "           \
	"FROM vuln_affect WHERE product_id = ?"

/* The query's part, when it names one, must be the row's (rows without a part pass). */
static bool part_ok(const struct kk_cpe *cpe, struct kk_stmt *st, int col)
{
	char part = cpe && cpe->a[KK_CPE_PART].kind == KK_CPE_VALUE ? cpe->a[KK_CPE_PART].ptr[0] : 0;
	return !part || kk_stmt_is_null(st, col) || kk_stmt_text(st, col)[0] == part;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts the ids and drops repeats. */
static void sort_unique(struct kk_affect_ids *ids)
{
	if (ids->n < 2)
		return;
	qsort(ids->v, ids->n, sizeof *ids->v, cmp_id);
	size_t k = 0;
	for (size_t i = 0; i < ids->n; i++)
		if (!k || ids->v[k - 1] != ids->v[i])
			ids->v[k++] = ids->v[i];
	ids->n = k;
}

/*
 * What a query asks of a product's rows: every record (v NULL), or those
 * affecting version v, or, when v is a commit hash, those naming that
 * commit; key is v's exact-row key (exact_key).
 */
struct ask {
	const char *v;
	bool commit;
	char key[KK_VERSION_KEY_MAX];
};

static void ask_init(struct ask *a, const char *v)
{
	a->v = v;
	a->commit = v && kk_version_is_commit(v);
	if (v)
		exact_key(v, a->key, sizeof a->key);
}

/*
 * Exact-version rows of product pid (vuln_affect_exact): with a version,
 * those whose key is its key or '*' (an index lookup); without, all of them.
 */
static int scan_exact(struct kk_db *db, int64_t pid, const struct ask *q, const struct kk_cpe *cpe,
                      struct kk_affect_ids *ids)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(
	    db,
	    q->v ? "SELECT vuln_id, part, tail FROM vuln_affect_exact WHERE product_id = ? AND version IN "
	           "(?, '*')"
	         : "SELECT vuln_id, part, tail FROM vuln_affect_exact WHERE product_id = ?",
	    &st));
	kk_stmt_bind_int64(st, 1, pid);
	if (q->v)
		kk_stmt_bind_text(st, 2, q->key, -1);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (!part_ok(cpe, st, 1) || (cpe && !tail_ok(cpe, kk_stmt_is_null(st, 2) ? NULL : kk_stmt_text(st, 2))))
			continue;
		if ((rc = ids_push(ids, kk_stmt_int64(st, 0))) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* Whether two commit ids name the same commit: equal, or one a prefix (7 or more digits) of the other. */
static bool same_commit(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && b[n] && tolower((unsigned char)a[n]) == tolower((unsigned char)b[n]))
		n++;
	return (!a[n] && !b[n]) || (n >= 7 && (!a[n] || !b[n]));
}

/*
 * Reads the rows of product pid: every record when v is NULL, else those
 * whose row covers v. cpe (may be NULL) adds the part and tail checks.
 * The ids come out ascending and unique.
 */
static int scan(struct kk_db *db, int64_t pid, const char *v, const struct kk_cpe *cpe, struct kk_affect_ids *ids)
{
	struct kk_stmt *st;
	struct ask q;
	ask_init(&q, v);
	KK_TRY(kk_db_prepare(db, ROWS_SQL, &st));
	kk_stmt_bind_int64(st, 1, pid);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		int64_t vid = kk_stmt_int64(st, 0);
		if (ids->n && ids->v[ids->n - 1] == vid)
			continue; /* already in */
		int kind = (int)kk_stmt_int64(st, 1);
		enum kk_version_scheme s = (enum kk_version_scheme)kk_stmt_int64(st, 2);
		if ((unsigned)s >= KK_VERSION__COUNT)
			s = KK_VERSION_GENERIC;
		bool ok;
		if (!part_ok(cpe, st, 3))
			ok = false;
		else if (cpe && !tail_ok(cpe, kk_stmt_is_null(st, 11) ? NULL : kk_stmt_text(st, 11)))
			ok = false;
		else if (!v)
			ok = true;
		else if (q.commit || kind == KIND_GIT) /* a commit is affected where a range is introduced */
			ok = q.commit && kind == KIND_GIT && !kk_stmt_is_null(st, 5) &&
			     same_commit(v, kk_stmt_text(st, 5));
		else if (kind == KIND_CPE) {
			ok = in_bounds(s, v, st);
		} else if (kind == KIND_RANGE || kind == KIND_LIST) {
			const char *vv = v;
			if (s == KK_VERSION_SEMVER && v[0] == 'v' && isdigit((unsigned char)v[1]))
				vv = v + 1; /* Go module versions carry a 'v' OSV leaves out */
			ok = kind == KIND_RANGE ? in_bounds(s, vv, st)
			                        : !kk_stmt_is_null(st, 10) && listed(s, vv, kk_stmt_text(st, 10));
		} else {
			ok = false;
		}
		if (ok && (rc = ids_push(ids, vid)) < 0)
			break;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	size_t ranges = ids->n;
	KK_TRY(scan_exact(db, pid, &q, cpe, ids));
	if (ids->n > ranges) /* two sorted runs */
		sort_unique(ids);
	return 0;
}

int kk_affect_match_cpe(struct kk_db *db, const char *cpe, struct kk_affect_ids *ids, struct kk_diag *d)
{
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)], fs[4 * KK_CPE_MAX_LEN + 256];
	char vendor[512], product[512], version[512], vraw[512], padded[KK_CPE_MAX_LEN + 32];
	struct kk_cpe c;
	cpe = pad_fs(cpe, padded, sizeof padded);
	size_t n = strlen(cpe);
	ids->n = 0;
	if (n > KK_CPE_MAX_LEN || kk_cpe_parse(cpe, n, &c, store, sizeof store, NULL) ||
	    kk_cpe_bind_fs(&c, fs, sizeof fs) < 0)
		return kk_diag_set(d, KK_EINVAL, "cpe",
		                   "cpe must be a CPE 2.3 name (cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*) or a "
		                   "2.2 URI (cpe:/a:apache:log4j:2.14.1)");
	if (c.a[KK_CPE_VENDOR].kind != KK_CPE_VALUE || c.a[KK_CPE_PRODUCT].kind != KK_CPE_VALUE ||
	    c.a[KK_CPE_VENDOR].wild || c.a[KK_CPE_PRODUCT].wild || !kk_cpe_fs_field(fs, 1, vendor, sizeof vendor) ||
	    !kk_cpe_fs_field(fs, 2, product, sizeof product))
		return kk_diag_set(d, KK_EINVAL, "cpe",
		                   "cpe must name a vendor and a product without wildcards "
		                   "(cpe:2.3:a:VENDOR:PRODUCT:VERSION:...)");
	bool has_v = c.a[KK_CPE_VERSION].kind == KK_CPE_VALUE;
	if (has_v && c.a[KK_CPE_VERSION].wild)
		return kk_diag_set(d, KK_EINVAL, "cpe",
		                   "the version of cpe must be exact or '*' (no other wildcards); ranges come "
		                   "from the records");
	if (has_v) {
		if (!kk_cpe_fs_field(fs, 3, vraw, sizeof vraw))
			return kk_diag_set(d, KK_EINVAL, "cpe", "the version of cpe is too long");
		unescape(vraw, version, sizeof version);
	}
	int64_t pid;
	int rc = select_id(db,
	                   "SELECT id FROM vuln_product WHERE cpe_vendor = ? AND cpe_product = ?",
	                   "ss", vendor, product, NULL, 0, &pid);
	if (rc <= 0)
		return rc;
	return scan(db, pid, has_v ? version : NULL, &c, ids);
}

int kk_affect_match_purl(struct kk_db *db, const char *purl, struct kk_affect_ids *ids, struct kk_diag *d)
{
	char store[KK_PURL_MAX_LEN + 1], key[3 * KK_PURL_MAX_LEN], version[KK_PURL_MAX_LEN + 1];
	struct kk_purl p;
	struct kk_diag pd;
	size_t n = strlen(purl);
	ids->n = 0;
	if (n > KK_PURL_MAX_LEN || kk_purl_parse(purl, n, &p, store, sizeof store, &pd))
		return kk_diag_set(d, KK_EINVAL, "purl",
		                   "purl must be a package URL such as pkg:golang/golang.org/x/net@0.1.0 or "
		                   "pkg:cargo/smallvec (%s)",
		                   n > KK_PURL_MAX_LEN ? "too long" : pd.msg);
	snprintf(version, sizeof version, "%.*s", p.version.ptr ? (int)p.version.len : 0,
	         p.version.ptr ? p.version.ptr : "");
	snprintf(key, sizeof key, "pkg:%.*s", (int)p.type.len, p.type.ptr);
	const char *type, *ns, *name;
	char buf[3 * KK_PURL_MAX_LEN];
	/* the same key the importer stores: type, namespace ("" when none), name */
	p.version.ptr = NULL, p.version.len = 0;
	p.nqualifiers = 0;
	p.subpath.ptr = NULL, p.subpath.len = 0;
	if (kk_purl_build(&p, key, sizeof key) < 0 ||
	    kk_affect_pkg_key(NULL, NULL, key, &type, &ns, &name, buf, sizeof buf))
		return kk_diag_set(d, KK_EINVAL, "purl", "purl needs a type and a name (pkg:TYPE/NAME)");
	char go[64];
	if (!strcmp(type, "golang") && !*ns && (!strcmp(name, "stdlib") || !strcmp(name, "toolchain")) &&
	    !strncmp(version, "go", 2)) { /* Go's own release tags, as `go version` prints them */
		if (kk_version_go_tag(version, go, sizeof go))
			return kk_diag_set(
			    d, KK_EINVAL, "purl",
			    "the version of %s must be a Go release tag (go1.20, go1.20.3, go1.21rc1) or "
			    "a semantic version (v1.20.0), not '%s'",
			    name, version);
		snprintf(version, sizeof version, "%s", go);
	}
	int64_t pid;
	int rc = select_id(db, "SELECT id FROM vuln_product WHERE purl_type = ? AND purl_namespace = ? AND purl_name = ?",
	                   "sss", type, ns, name, 0, &pid);
	if (rc <= 0)
		return rc;
	return scan(db, pid, version[0] ? version : NULL, NULL, ids);
}

/*
 * The products a vendor and/or product name selects (SQL; parameters ?1
 * vendor, ?2 product as given, ?3 and ?4 the same in CPE key form): by
 * their CPE keys, or, when no product has those keys, by a purl namespace /
 * name or an English or Japanese name.
 */
#define KEY_VENDOR "p.cpe_vendor IN (lower(?1), ?3)"
#define KEY_PRODUCT "p.cpe_product IN (lower(?2), ?4)"
#define NAME_VENDOR                                                                                          \
	"(p.cpe_vendor IN (lower(?1), ?3) OR p.vendor_id IN (SELECT d.id FROM vuln_vendor d WHERE "          \
	"d.cpe_vendor "                                                                                      \
	"IN (lower(?1), ?3) OR d.purl_namespace = ?1 OR d.name_en = ?1 COLLATE NOCASE OR d.name_ja = ?1))"
#define NAME_PRODUCT                                                                                         \
	"(p.cpe_product IN (lower(?2), ?4) OR p.purl_name = ?2 OR p.name_en = ?2 COLLATE NOCASE OR "         \
	"p.name_ja = ?2)"
#define PRODUCTS "SELECT p.id FROM vuln_product p WHERE "

static int select_products(struct kk_db *db, const char *sql, const char *vendor, const char *product,
                           struct kk_affect_ids *pids)
{
	char vkey[256], pkey[256];
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, sql, &st));
	if (vendor) {
		kk_stmt_bind_text(st, 1, vendor, -1);
		kk_stmt_bind_text(st, 3, name_key(vendor, vkey, sizeof vkey) ? vkey : vendor, -1);
	}
	if (product) {
		kk_stmt_bind_text(st, 2, product, -1);
		kk_stmt_bind_text(st, 4, name_key(product, pkey, sizeof pkey) ? pkey : product, -1);
	}
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = ids_push(pids, kk_stmt_int64(st, 0))) < 0)
			break;
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * Appends every record with a row of any kind (range, exact version, '*',
 * commits) for product pid: what a cpe without a version answers (scan
 * with v NULL), unsorted.
 */
static int product_records(struct kk_db *db, int64_t pid, struct kk_affect_ids *ids)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT vuln_id FROM vuln_affect WHERE product_id = ?1 UNION ALL "
	                     "SELECT vuln_id FROM vuln_affect_exact WHERE product_id = ?1",
	                     &st));
	kk_stmt_bind_int64(st, 1, pid);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = ids_push(ids, kk_stmt_int64(st, 0))) < 0)
			break;
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_affect_match_names(struct kk_db *db, const char *vendor, const char *product,
                          struct kk_affect_ids *ids)
{
	static const char *const by_key[4] = {NULL, PRODUCTS KEY_VENDOR, PRODUCTS KEY_PRODUCT,
	                                      PRODUCTS KEY_VENDOR " AND " KEY_PRODUCT};
	static const char *const by_name[4] = {NULL, PRODUCTS NAME_VENDOR, PRODUCTS NAME_PRODUCT,
	                                       PRODUCTS NAME_VENDOR " AND " NAME_PRODUCT};
	ids->n = 0;
	if (!vendor && !product)
		return KK_EINVAL;
	int which = (vendor ? 1 : 0) | (product ? 2 : 0);
	struct kk_affect_ids pids = {0};
	int rc = select_products(db, by_key[which], vendor, product, &pids);
	if (!rc && !pids.n)
		rc = select_products(db, by_name[which], vendor, product, &pids);
	for (size_t i = 0; !rc && i < pids.n; i++)
		rc = product_records(db, pids.v[i], ids);
	kk_affect_ids_release(&pids);
	if (rc < 0)
		return rc;
	sort_unique(ids);
	return 0;
}

/* ---- why a record matched (watch/check.c) ---- */

static bool has_id(const struct kk_affect_ids *ids, int64_t id)
{
	return ids->n && bsearch(&id, ids->v, ids->n, sizeof *ids->v, cmp_id) != NULL;
}

static const char *col_text(struct kk_stmt *st, int col, char *buf, size_t cap)
{
	if (kk_stmt_is_null(st, col))
		return NULL;
	unescape(kk_stmt_text(st, col), buf, cap);
	return buf;
}

/*
 * Walks every row of product pid, the ranges then the exact versions, and
 * tells why() about each; v is the asked version (NULL: none), cpe the
 * query (part and tail checks) or NULL for a purl.
 */
static int explain_rows(struct kk_db *db, int64_t pid, const char *v, const struct kk_cpe *cpe,
                        const struct kk_affect_ids *ids, int (*why)(void *arg, const struct kk_affect_why *w),
                        void *arg)
{
	struct kk_stmt *st;
	char lo[KK_VERSION_MAX + 1], hi[KK_VERSION_MAX + 1], lim[KK_VERSION_MAX + 1], ver[KK_VERSION_MAX + 1];
	KK_TRY(kk_db_prepare(db, ROWS_SQL, &st));
	kk_stmt_bind_int64(st, 1, pid);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_affect_why w = {.vuln_id = kk_stmt_int64(st, 0)};
		int kind = (int)kk_stmt_int64(st, 1);
		enum kk_version_scheme s = (enum kk_version_scheme)kk_stmt_int64(st, 2);
		if ((unsigned)s >= KK_VERSION__COUNT)
			s = KK_VERSION_GENERIC;
		w.matched = has_id(ids, w.vuln_id);
		w.kind = kind == KIND_CPE ? KK_WHY_CPE_RANGE
		         : kind == KIND_RANGE ? KK_WHY_PKG_RANGE
		         : kind == KIND_LIST  ? KK_WHY_PKG_LIST
		                              : KK_WHY_GIT;
		w.scheme = kk_version_scheme_name(s);
		const char *vv = v;
		if (v && s == KK_VERSION_SEMVER && v[0] == 'v' && isdigit((unsigned char)v[1]))
			vv = v + 1;
		if (!v)
			w.covers = true;
		else if (!part_ok(cpe, st, 3) || (cpe && !tail_ok(cpe, kk_stmt_is_null(st, 11) ? NULL : kk_stmt_text(st, 11))))
			w.covers = false;
		else if (kind == KIND_CPE || kind == KIND_RANGE)
			w.covers = in_bounds(s, vv, st);
		else if (kind == KIND_LIST)
			w.covers = !kk_stmt_is_null(st, 10) && listed(s, vv, kk_stmt_text(st, 10));
		w.lo = col_text(st, 5, lo, sizeof lo);
		w.lo_excl = kk_stmt_int64(st, 6);
		w.hi = col_text(st, 7, hi, sizeof hi);
		w.hi_incl = kk_stmt_int64(st, 8);
		w.lim = col_text(st, 9, lim, sizeof lim);
		w.versions = kk_stmt_is_null(st, 10) ? NULL : kk_stmt_text(st, 10);
		if ((rc = why(arg, &w)) < 0)
			break;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	char vkey[KK_VERSION_KEY_MAX] = "";
	if (v)
		exact_key(v, vkey, sizeof vkey);
	KK_TRY(kk_db_prepare(db, "SELECT vuln_id, part, tail, version FROM vuln_affect_exact WHERE product_id = ?", &st));
	kk_stmt_bind_int64(st, 1, pid);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_affect_why w = {.vuln_id = kk_stmt_int64(st, 0), .kind = KK_WHY_CPE_EXACT};
		w.matched = has_id(ids, w.vuln_id);
		w.scheme = kk_version_scheme_name(KK_VERSION_GENERIC);
		snprintf(ver, sizeof ver, "%s", kk_stmt_text(st, 3));
		w.version = ver;
		/* the rows hold version keys (2.0 = 2.0.0): the asked version's key, as scan_exact compares */
		w.covers = !v || (part_ok(cpe, st, 1) &&
		                  (!cpe || tail_ok(cpe, kk_stmt_is_null(st, 2) ? NULL : kk_stmt_text(st, 2))) &&
		                  (!strcmp(ver, "*") || !strcmp(ver, vkey)));
		if ((rc = why(arg, &w)) < 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_affect_explain_cpe(struct kk_db *db, const char *cpe, struct kk_affect_ids *ids,
                          int (*why)(void *arg, const struct kk_affect_why *w), void *arg, struct kk_diag *d)
{
	KK_TRY(kk_affect_match_cpe(db, cpe, ids, d));
	char fs[4 * KK_CPE_MAX_LEN + 256], vendor[512], product[512], vraw[512], version[512];
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)], padded[KK_CPE_MAX_LEN + 32];
	struct kk_cpe c;
	const char *p = pad_fs(cpe, padded, sizeof padded);
	if (kk_cpe_parse(p, strlen(p), &c, store, sizeof store, NULL) || kk_cpe_bind_fs(&c, fs, sizeof fs) < 0 ||
	    !kk_cpe_fs_field(fs, 1, vendor, sizeof vendor) || !kk_cpe_fs_field(fs, 2, product, sizeof product))
		return 0; /* the match accepted it, so this does not happen */
	bool has_v = c.a[KK_CPE_VERSION].kind == KK_CPE_VALUE && kk_cpe_fs_field(fs, 3, vraw, sizeof vraw);
	if (has_v)
		unescape(vraw, version, sizeof version);
	int64_t pid;
	int rc = select_id(db, "SELECT id FROM vuln_product WHERE cpe_vendor = ? AND cpe_product = ?", "ss", vendor,
	                   product, NULL, 0, &pid);
	if (rc <= 0)
		return rc;
	KK_TRY(explain_rows(db, pid, has_v ? version : NULL, &c, ids, why, arg));
	return 1;
}

int kk_affect_explain_purl(struct kk_db *db, const char *purl, struct kk_affect_ids *ids,
                           int (*why)(void *arg, const struct kk_affect_why *w), void *arg, struct kk_diag *d)
{
	KK_TRY(kk_affect_match_purl(db, purl, ids, d));
	char store[KK_PURL_MAX_LEN + 1], key[3 * KK_PURL_MAX_LEN], version[KK_PURL_MAX_LEN + 1];
	char buf[3 * KK_PURL_MAX_LEN];
	struct kk_purl p;
	const char *type, *ns, *name;
	if (kk_purl_parse(purl, strlen(purl), &p, store, sizeof store, NULL))
		return 0;
	snprintf(version, sizeof version, "%.*s", p.version.ptr ? (int)p.version.len : 0,
	         p.version.ptr ? p.version.ptr : "");
	p.version.ptr = NULL, p.version.len = 0;
	p.nqualifiers = 0;
	p.subpath.ptr = NULL, p.subpath.len = 0;
	if (kk_purl_build(&p, key, sizeof key) < 0 ||
	    kk_affect_pkg_key(NULL, NULL, key, &type, &ns, &name, buf, sizeof buf))
		return 0;
	int64_t pid;
	int rc = select_id(db, "SELECT id FROM vuln_product WHERE purl_type = ? AND purl_namespace = ? AND purl_name = ?",
	                   "sss", type, ns, name, 0, &pid);
	if (rc <= 0)
		return rc;
	KK_TRY(explain_rows(db, pid, version[0] ? version : NULL, NULL, ids, why, arg));
	return 1;
}
