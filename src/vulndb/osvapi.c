/*
 * osvapi.c — the OSV API's questions over the vulnerability database:
 * reading a query, answering it through search.h (purl=) or the GIT rows,
 * and picking the OSV id a record is answered under.
 */
#include "vulndb/osvapi.h"
#include "base/alloc.h"
#include "std/purl.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/export.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <string.h>

/* A string member (absent: NULL; present and not a string: an error naming it). */
static int member(const json_t *obj, const char *at, const char *key, const char **out, struct kk_diag *d)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kk_diag_set(d, KK_EINVAL, key, "%s/%s must be a string", at, key);
	*out = json_string_value(v);
	return 0;
}

int kk_osv_query_parse(const json_t *obj, const char *at, struct kk_osv_query *q, struct kk_diag *d)
{
	memset(q, 0, sizeof *q);
	if (!json_is_object(obj))
		return kk_diag_set(d, KK_EINVAL, "query", "%s must be a query object {\"package\", \"version\"} or "
		                   "{\"commit\"}", *at ? at : "the body");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		if (strcmp(key, "package") && strcmp(key, "version") && strcmp(key, "commit") &&
		    strcmp(key, "page_token"))
			return kk_diag_set(d, KK_EINVAL, key, "%s: unknown member '%.40s' (a query has package, version, "
			                   "commit and page_token)", *at ? at : "query", key);
	}
	KK_TRY(member(obj, at, "version", &q->version, d));
	KK_TRY(member(obj, at, "commit", &q->commit, d));
	KK_TRY(member(obj, at, "page_token", &q->page_token, d));
	const json_t *pkg = json_object_get(obj, "package");
	if (pkg && !json_is_null(pkg)) {
		char p[160];
		snprintf(p, sizeof p, "%s/package", at);
		if (!json_is_object(pkg))
			return kk_diag_set(d, KK_EINVAL, "package", "%s must be an object {\"ecosystem\", \"name\"} or "
			                   "{\"purl\"}", p);
		KK_TRY(member(pkg, p, "ecosystem", &q->ecosystem, d));
		KK_TRY(member(pkg, p, "name", &q->name, d));
		KK_TRY(member(pkg, p, "purl", &q->purl, d));
	}
	if (q->version && q->commit)
		return kk_diag_set(d, KK_EINVAL, "commit", "%s: give a version or a commit, not both", *at ? at : "query");
	if (q->purl && (q->name || q->ecosystem))
		return kk_diag_set(d, KK_EINVAL, "purl", "%s: give either purl or ecosystem and name, not both",
		                   *at ? at : "query");
	if (!q->purl && !q->commit && (!q->name || !*q->name))
		return kk_diag_set(d, KK_EINVAL, "package", "%s: name the package ({\"package\":{\"ecosystem\":\"Go\","
		                   "\"name\":\"golang.org/x/net\"}}) or the purl, or give a commit", *at ? at : "query");
	if (q->name && !q->purl && (!q->ecosystem || !*q->ecosystem))
		return kk_diag_set(d, KK_EINVAL, "ecosystem", "%s: the package's ecosystem is required with its name "
		                   "(Go, npm, PyPI, crates.io, ...)", *at ? at : "query");
	if (q->purl && q->version && strchr(q->purl, '@'))
		return kk_diag_set(d, KK_EINVAL, "version", "%s: the purl has a version already; leave out \"version\"",
		                   *at ? at : "query");
	return 0;
}

/* The query's package (and version) as a purl into out. 0 or KK_EINVAL with d. */
static int query_purl(const struct kk_osv_query *q, char *out, size_t cap, struct kk_diag *d)
{
	char buf[1024];
	const char *type, *ns, *name;
	if (q->purl && q->version) {
		int n = snprintf(out, cap, "%s@%s", q->purl, q->version);
		return n > 0 && (size_t)n < cap ? 0 : kk_diag_set(d, KK_EINVAL, "purl", "the purl is too long");
	}
	if (q->purl) {
		int n = snprintf(out, cap, "%s", q->purl);
		return n > 0 && (size_t)n < cap ? 0 : kk_diag_set(d, KK_EINVAL, "purl", "the purl is too long");
	}
	if (kk_affect_pkg_key(q->ecosystem, q->name, NULL, &type, &ns, &name, buf, sizeof buf) < 0)
		return kk_diag_set(d, KK_EINVAL, "package", "'%.60s' in ecosystem '%.40s' names no package", q->name,
		                   q->ecosystem);
	struct kk_purl p = {0};
	p.type = (struct kk_str){type, strlen(type)};
	if (*ns)
		p.namespace = (struct kk_str){ns, strlen(ns)};
	p.name = (struct kk_str){name, strlen(name)};
	if (q->version)
		p.version = (struct kk_str){q->version, strlen(q->version)};
	if (kk_purl_build(&p, out, cap) < 0)
		return kk_diag_set(d, KK_EINVAL, "package", "the package name or version is too long");
	return 0;
}

/* Records with a GIT range whose introduced or last_affected event is the commit (sorted). */
static int commit_ids(struct kk_db *db, const char *commit, struct kk_affect_ids *ids)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT DISTINCT vuln_id FROM vuln_pkg WHERE range_type = 'GIT' AND (introduced = ?1 OR "
	                     "last_affected = ?1) ORDER BY vuln_id",
	                     &st));
	kk_stmt_bind_text(st, 1, commit, -1);
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (ids->n == ids->cap) {
			size_t cap = ids->cap ? ids->cap * 2 : 64;
			int64_t *v = kk_realloc(ids->v, cap * sizeof *v);
			if (!v) {
				rc = KK_ENOMEM;
				break;
			}
			ids->v = v;
			ids->cap = cap;
		}
		ids->v[ids->n++] = kk_stmt_int64(st, 0);
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

/*
 * The OSV id and source a record is answered under: want when it is one of
 * the record's OSV sources (or, want NULL, the OSV source with a package
 * named eco/name, else the first OSV source), then want or the record's
 * first CVE id with all rows; "" when none (the writer's x_ id).
 */
static int pick(struct kk_db *db, int64_t vid, const char *want, const char *eco, const char *name, char *id,
                size_t cap, int64_t *src)
{
	struct kk_stmt *st;
	int rc;
	*src = 0;
	id[0] = 0;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT s.id, s.source_id FROM vuln_source s WHERE s.vuln_id = ?1 AND s.source = 'osv' "
	                     "ORDER BY s.source_id = ?2 DESC, EXISTS (SELECT 1 FROM vuln_pkg p WHERE p.src = s.id AND "
	                     "p.ecosystem = ?3 AND p.name = ?4) DESC, s.source_id LIMIT 1",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	kk_stmt_bind_text(st, 2, want ? want : "", -1);
	kk_stmt_bind_text(st, 3, eco ? eco : "", -1);
	kk_stmt_bind_text(st, 4, name ? name : "", -1);
	if ((rc = kk_stmt_step(st)) == KK_ROW && (!want || !strcmp(kk_stmt_text(st, 1), want))) {
		*src = kk_stmt_int64(st, 0);
		snprintf(id, cap, "%s", kk_stmt_text(st, 1));
	} else if (rc == KK_ROW && want) {
		snprintf(id, cap, "%s", want);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc == KK_DONE && want)
		snprintf(id, cap, "%s", want);
	if (id[0])
		return 0;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT alias FROM vuln_alias WHERE vuln_id = ? AND alias >= 'CVE-' AND alias < 'CVE.' "
	                     "ORDER BY alias LIMIT 1",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		snprintf(id, cap, "%s", kk_stmt_text(st, 0));
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_osv_vuln_json(struct kk_db *db, const char *id, struct kk_json *j, int64_t *modified)
{
	int64_t vid = 0, src = 0;
	char oid[128];
	KK_TRY(kk_search_find(db, id, &vid));
	/* the alias as stored (the record was found by it, perhaps upper-cased) */
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT alias FROM vuln_alias WHERE vuln_id = ? AND (alias = ? OR alias = upper(?))",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	kk_stmt_bind_text(st, 2, id, -1);
	kk_stmt_bind_text(st, 3, id, -1);
	char want[128];
	snprintf(want, sizeof want, "%s", id);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		snprintf(want, sizeof want, "%s", kk_stmt_text(st, 0));
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	bool jvndb = rc != KK_ROW; /* found by its JVNDB id: the writer's own x_ form */
	KK_TRY(pick(db, vid, jvndb ? NULL : want, NULL, NULL, oid, sizeof oid, &src));
	if (jvndb && !src)
		oid[0] = 0;
	if (modified) {
		KK_TRY(kk_db_prepare(db, "SELECT modified FROM vuln WHERE id = ?", &st));
		kk_stmt_bind_int64(st, 1, vid);
		*modified = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
	}
	return kk_export_osv_json(db, vid, oid[0] ? oid : NULL, src, j);
}

struct page {
	int64_t ids[KK_OSV_BATCH_PAGE];
	int n;
};

static int collect(void *arg, const struct kk_search_hit *h)
{
	struct page *p = arg;
	if (p->n < KK_OSV_BATCH_PAGE)
		p->ids[p->n++] = h->id;
	return 0;
}

int kk_osv_query_run(struct kk_db *db, const struct kk_osv_query *q, bool full, struct kk_json *j,
                     struct kk_diag *d)
{
	struct kk_search_query sq = {0};
	struct kk_affect_ids ids = {0};
	char purl[3 * 1024 + 64];
	int rc = 0;
	sq.sort = KK_SORT_OLDEST;
	sq.lang = "en";
	sq.limit = full ? KK_OSV_PAGE : KK_OSV_BATCH_PAGE;
	sq.cursor = q->page_token && *q->page_token ? q->page_token : NULL;
	sq.no_facets = true;
	if (q->commit) {
		rc = commit_ids(db, q->commit, &ids);
		sq.ids = ids.v ? ids.v : (const int64_t *)&ids; /* an empty set matches nothing */
		sq.nids = ids.n;
	} else {
		rc = query_purl(q, purl, sizeof purl, d);
		sq.purl = purl;
	}
	struct page *pg = rc ? NULL : kk_malloc(sizeof *pg);
	if (!rc && !pg)
		rc = KK_ENOMEM;
	struct kk_search_result res;
	if (!rc) {
		pg->n = 0;
		rc = kk_search_run(db, &sq, collect, pg, &res, d);
		if (rc == KK_EINVAL && !strcmp(d->where, "cursor"))
			kk_diag_set(d, KK_EINVAL, "page_token", "the page_token is not one this query gave out; ask "
			            "again without it");
	}
	kk_affect_ids_release(&ids);
	if (rc) {
		kk_free(pg);
		return rc;
	}
	/* the package's rows name the OSV id to answer under (purl queries) */
	const char *eco = q->commit ? NULL : q->ecosystem, *name = q->commit ? NULL : q->name;
	kk_json_obj_open(j);
	if (pg->n) {
		kk_json_key(j, "vulns");
		kk_json_arr_open(j);
	}
	for (int i = 0; i < pg->n && rc >= 0; i++) {
		char oid[128];
		int64_t src;
		if ((rc = pick(db, pg->ids[i], NULL, eco, name, oid, sizeof oid, &src)) < 0)
			break;
		if (full) {
			rc = kk_export_osv_json(db, pg->ids[i], oid[0] ? oid : NULL, src, j);
			continue;
		}
		struct kk_stmt *st;
		if ((rc = kk_db_prepare(db,
		                        src ? "SELECT modified FROM vuln_source WHERE id = ?"
		                            : "SELECT modified FROM vuln WHERE id = ?",
		                        &st)))
			break;
		kk_stmt_bind_int64(st, 1, src ? src : pg->ids[i]);
		int64_t m = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
		kk_stmt_done(st);
		char t[40], xid[64];
		kk_export_iso(m, t, sizeof t);
		if (!oid[0]) { /* the writer's form of a record with no OSV or CVE id */
			if ((rc = kk_db_prepare(db, "SELECT jvndb FROM vuln WHERE id = ?", &st)))
				break;
			kk_stmt_bind_int64(st, 1, pg->ids[i]);
			snprintf(xid, sizeof xid, "x_%s", kk_stmt_step(st) == KK_ROW ? kk_stmt_text(st, 0) : "");
			kk_stmt_done(st);
		}
		kk_json_obj_open(j);
		kk_json_kv_str(j, "id", oid[0] ? oid : xid);
		kk_json_kv_str(j, "modified", t);
		kk_json_obj_close(j);
	}
	if (pg->n)
		kk_json_arr_close(j);
	if (res.next_cursor[0])
		kk_json_kv_str(j, "next_page_token", res.next_cursor);
	kk_json_obj_close(j);
	kk_free(pg);
	return rc < 0 ? rc : 0;
}
