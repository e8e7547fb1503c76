/*
 * cwe_catalog.c — reads the CWE catalog files (CSV entries, JSON hierarchy,
 * and the views of each relation from the xz-compressed XML when present),
 * checks them whole, then upserts them into cwe / cwe_parent in one transaction.
 */
#include "vulndb/cwe_catalog.h"
#include "base/alloc.h"
#include "std/cwe.h"
#include "store/db.h"
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/xmlreader.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (64 << 20)

struct pair {
	int child, parent, view; /* view 0: not stated */
};

struct catalog {
	char csv_path[4096];
	char *csv; /* whole file, kk_malloc'd */
	size_t csv_len;
	int *ids; /* sorted */
	size_t nids;
	struct pair *pairs; /* sorted, unique */
	size_t npairs;
	int changed;
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->child != y->child)
		return (x->child > y->child) - (x->child < y->child);
	if (x->parent != y->parent)
		return (x->parent > y->parent) - (x->parent < y->parent);
	return (x->view > y->view) - (x->view < y->view);
}

/* The highest-versioned file prefix*suffix in dir into out; 1 when found, 0 when not. */
static int find_file(const char *dir, const char *prefix, const char *suffix, char *out, size_t cap,
		     struct kk_diag *d)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return kk_diag_set(d, KK_EIO, dir, "cwe catalog: cannot open directory %s: %s", dir, strerror(errno));
	char best[256] = "";
	size_t pn = strlen(prefix), sn = strlen(suffix);
	struct dirent *e;
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		if (n > pn + sn && !strncmp(e->d_name, prefix, pn) && !strcmp(e->d_name + n - sn, suffix) &&
		    n < sizeof(best) && strcmp(e->d_name, best) > 0)
			memcpy(best, e->d_name, n + 1);
	}
	closedir(dh);
	if (!best[0])
		return 0;
	if ((size_t)snprintf(out, cap, "%s/%s", dir, best) >= cap)
		return kk_diag_set(d, KK_EIO, dir, "cwe catalog: path too long");
	return 1;
}

static int slurp(const char *path, char **out, size_t *len, struct kk_diag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return kk_diag_set(d, KK_EIO, path, "cwe catalog: cannot read %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (cap - n < 65536) {
			if (cap >= MAX_FILE) {
				rc = kk_diag_set(d, KK_ETOOBIG, path, "cwe catalog: %s is larger than %d bytes", path,
						 MAX_FILE);
				break;
			}
			char *nb = kk_realloc(buf, cap + 65536 + 1);
			if (!nb) {
				rc = KK_ENOMEM;
				break;
			}
			buf = nb;
			cap += 65536;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!rc && ferror(f))
		rc = kk_diag_set(d, KK_EIO, path, "cwe catalog: error reading %s", path);
	fclose(f);
	if (rc) {
		kk_free(buf);
		return rc;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* Calls fn for each record line after the header; stops at its first error. */
static int each_record(struct catalog *c, int (*fn)(struct catalog *c, const struct kk_cwe_record *r, void *arg),
		       void *arg, struct kk_diag *d)
{
	char store[4096];
	int line = 0, rc;
	for (char *p = c->csv, *end = c->csv + c->csv_len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *next = nl ? nl + 1 : end;
		line++;
		if (len && p[len - 1] == '\r')
			len--;
		if (line == 1 || !len) {
			p = next;
			continue;
		}
		struct kk_cwe_record r;
		if (len >= sizeof(store))
			return kk_diag_set(d, KK_EPARSE, "line", "cwe catalog: %s:%d: line longer than %zu bytes",
					   c->csv_path, line, sizeof(store) - 1);
		if ((rc = kk_cwe_csv_record(p, len, &r, store, sizeof(store), d))) {
			char msg[sizeof(d->msg)];
			memcpy(msg, d->msg, sizeof(msg));
			char where[sizeof(d->where)];
			memcpy(where, d->where, sizeof(where));
			return kk_diag_set(d, rc, where, "cwe catalog: %s:%d: %s: %s", c->csv_path, line, where, msg);
		}
		if ((rc = fn(c, &r, arg)))
			return rc;
		p = next;
	}
	return 0;
}

static int collect_id(struct catalog *c, const struct kk_cwe_record *r, void *arg)
{
	size_t *cap = arg;
	if (c->nids == *cap) {
		size_t ncap = *cap ? *cap * 2 : 2048;
		int *n = kk_realloc(c->ids, ncap * sizeof(int));
		if (!n)
			return KK_ENOMEM;
		c->ids = n;
		*cap = ncap;
	}
	c->ids[c->nids++] = r->id;
	return 0;
}

static bool have_id(const struct catalog *c, int id)
{
	return bsearch(&id, c->ids, c->nids, sizeof(int), cmp_int) != NULL;
}

static int add_pair(struct catalog *c, size_t *cap, struct pair p);

static int read_hierarchy(struct catalog *c, size_t *pcap, const char *path, struct kk_diag *d)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	if (!root)
		return kk_diag_set(d, errno == ENOENT ? KK_EIO : KK_EPARSE, path, "cwe catalog: %s:%d:%d: %s", path,
				   err.line, err.column, err.text);
	int rc = 0;
	if (!json_is_array(root)) {
		rc = kk_diag_set(d, KK_EPARSE, "/", "cwe catalog: %s: expected an array of {weaknessId, parentId}",
				 path);
		goto out;
	}
	size_t n = json_array_size(root);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(root, i);
		const char *keys[] = {"weaknessId", "parentId"};
		int ids[2];
		for (int k = 0; k < 2; k++) {
			const char *v = json_string_value(json_object_get(e, keys[k]));
			char at[64];
			snprintf(at, sizeof(at), "/%zu/%s", i, keys[k]);
			if (!v) {
				rc = kk_diag_set(d, KK_EPARSE, at, "cwe catalog: %s: %s: missing or not a string", path,
						 at);
				goto out;
			}
			if (kk_cwe_id_parse(v, strlen(v), &ids[k], d)) {
				rc = kk_diag_set(d, KK_EPARSE, at, "cwe catalog: %s: %s: '%.20s' is not a CWE number",
						 path, at, v);
				goto out;
			}
			if (!have_id(c, ids[k])) {
				rc = kk_diag_set(d, KK_EPARSE, at,
						 "cwe catalog: %s: %s: CWE-%d is not in %s; use files of one catalog "
						 "version",
						 path, at, ids[k], c->csv_path);
				goto out;
			}
		}
		if ((rc = add_pair(c, pcap, (struct pair){ids[0], ids[1], 0})))
			goto out;
	}
out:
	json_decref(root);
	return rc;
}

/* ---- views: Related_Weakness Nature="ChildOf" View_ID of cwec_v*.xml.xz ---- */

struct xz_in {
	FILE *f;
	lzma_stream s;
	uint8_t in[1 << 16];
	bool eof;
	int err;
};

/* libxml2's read callback: the next decompressed bytes. */
static int xz_read(void *ctx, char *buf, int len)
{
	struct xz_in *x = ctx;
	x->s.next_out = (uint8_t *)buf;
	x->s.avail_out = (size_t)len;
	while (x->s.avail_out) {
		if (!x->s.avail_in && !x->eof) {
			size_t n = fread(x->in, 1, sizeof(x->in), x->f);
			if (!n)
				x->eof = true;
			x->s.next_in = x->in;
			x->s.avail_in = n;
		}
		lzma_ret r = lzma_code(&x->s, x->eof ? LZMA_FINISH : LZMA_RUN);
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK) {
			x->err = (int)r;
			return -1;
		}
	}
	return len - (int)x->s.avail_out;
}

static int xz_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static int attr_id(xmlTextReaderPtr r, const char *name, int *id)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	if (!v)
		return -1;
	int rc = kk_cwe_id_parse((const char *)v, strlen((const char *)v), id, NULL);
	xmlFree(v);
	return rc;
}

static int add_pair(struct catalog *c, size_t *cap, struct pair p)
{
	if (c->npairs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		struct pair *n = kk_realloc(c->pairs, ncap * sizeof(*n));
		if (!n)
			return KK_ENOMEM;
		c->pairs = n;
		*cap = ncap;
	}
	c->pairs[c->npairs++] = p;
	return 0;
}

/* Appends (child, parent, view) for every ChildOf relation of the XML catalog. */
static int read_views(struct catalog *c, size_t *cap, const char *path, struct kk_diag *d)
{
	struct xz_in *xp = kk_calloc(1, sizeof(*xp)); /* 64 KiB input buffer: not on the stack */
	if (!xp)
		return KK_ENOMEM;
	struct xz_in x_init = {.s = LZMA_STREAM_INIT};
	xp->s = x_init.s;
	if (!(xp->f = fopen(path, "rb"))) {
		kk_free(xp);
		return kk_diag_set(d, KK_EIO, path, "cwe catalog: cannot read %s: %s", path, strerror(errno));
	}
	if (lzma_stream_decoder(&xp->s, UINT64_MAX, 0) != LZMA_OK) {
		fclose(xp->f);
		kk_free(xp);
		return KK_ENOMEM;
	}
	int rc = 0, child = 0, n = 0;
	xmlTextReaderPtr r = xmlReaderForIO(xz_read, xz_close, xp, path, NULL, XML_PARSE_NONET);
	if (!r) {
		rc = kk_diag_set(d, KK_EPARSE, path, "cwe catalog: cannot start reading %s", path);
		goto out;
	}
	int ret;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		if (!strcmp(name, "Weakness")) {
			if (attr_id(r, "ID", &child))
				child = 0;
		} else if (!strcmp(name, "Related_Weakness") && child) {
			xmlChar *nature = xmlTextReaderGetAttribute(r, (const xmlChar *)"Nature");
			bool childof = nature && !strcmp((const char *)nature, "ChildOf");
			xmlFree(nature);
			int parent, view;
			if (!childof)
				continue;
			if (attr_id(r, "CWE_ID", &parent) || attr_id(r, "View_ID", &view)) {
				rc = kk_diag_set(d, KK_EPARSE, path,
						 "cwe catalog: %s: CWE-%d has a ChildOf relation without a valid "
						 "CWE_ID or View_ID",
						 path, child);
				goto out;
			}
			if ((rc = add_pair(c, cap, (struct pair){child, parent, view})))
				goto out;
			n++;
		}
	}
	if (ret < 0 || xp->err)
		rc = kk_diag_set(d, KK_EPARSE, path, "cwe catalog: %s is not a readable xz-compressed XML catalog%s",
				 path, xp->err ? " (xz error)" : "");
	else if (!n)
		rc = kk_diag_set(d, KK_EPARSE, path, "cwe catalog: %s has no ChildOf relations", path);
out:
	if (r)
		xmlFreeTextReader(r);
	lzma_end(&xp->s);
	fclose(xp->f);
	kk_free(xp);
	return rc;
}

static void cstr(char *dst, size_t cap, struct kk_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	memcpy(dst, s.ptr, n);
	dst[n] = 0;
}

struct tx {
	struct catalog *c;
	struct kk_db *db;
};

static int upsert_entry(struct catalog *c, const struct kk_cwe_record *r, void *arg)
{
	struct kk_db *db = arg;
	char name[1024], abstraction[64], status[64];
	cstr(name, sizeof(name), r->name);
	cstr(abstraction, sizeof(abstraction), r->abstraction);
	cstr(status, sizeof(status), r->status);
	int rc = kk_db_exec(db,
			    "INSERT INTO cwe(id, name, kind, abstraction, status) VALUES (?, ?, ?, ?, ?) "
			    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
			    "abstraction = excluded.abstraction, status = excluded.status "
			    "WHERE cwe.name <> excluded.name OR cwe.kind <> excluded.kind OR "
			    "cwe.abstraction <> excluded.abstraction OR cwe.status <> excluded.status",
			    "issss", (int64_t)r->id, name, kk_cwe_kind_name(r->kind), abstraction, status);
	if (rc < 0)
		return rc;
	c->changed += rc;
	return 0;
}

static int load_tx(struct kk_db *db, void *arg)
{
	struct catalog *c = arg;
	int rc;
	c->changed = 0; /* the transaction may be retried */
	if ((rc = each_record(c, upsert_entry, db, NULL)))
		return rc;
	for (size_t i = 0; i < c->npairs; i++) {
		rc = kk_db_exec(db, "INSERT INTO cwe_parent(child, parent, view) VALUES (?, ?, ?) "
				    "ON CONFLICT(child, parent, view) DO NOTHING",
				"iii", (int64_t)c->pairs[i].child, (int64_t)c->pairs[i].parent,
				(int64_t)c->pairs[i].view);
		if (rc < 0)
			return rc;
		c->changed += rc;
	}
	/* relations the catalog no longer has */
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT child, parent, view FROM cwe_parent", &st)))
		return rc;
	struct pair *stale = NULL;
	size_t nstale = 0, cap = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct pair p = {(int)kk_stmt_int64(st, 0), (int)kk_stmt_int64(st, 1), (int)kk_stmt_int64(st, 2)};
		if (bsearch(&p, c->pairs, c->npairs, sizeof(p), cmp_pair))
			continue;
		if (nstale == cap) {
			cap = cap ? cap * 2 : 64;
			struct pair *n = kk_realloc(stale, cap * sizeof(*n));
			if (!n) {
				rc = KK_ENOMEM;
				break;
			}
			stale = n;
		}
		stale[nstale++] = p;
	}
	kk_stmt_done(st);
	for (size_t i = 0; rc >= 0 && i < nstale; i++) {
		rc = kk_db_exec(db, "DELETE FROM cwe_parent WHERE child = ? AND parent = ? AND view = ?", "iii",
				(int64_t)stale[i].child, (int64_t)stale[i].parent, (int64_t)stale[i].view);
		if (rc > 0)
			c->changed += rc;
	}
	kk_free(stale);
	return rc < 0 ? rc : 0;
}

/*
 * The relations: every (child, parent, view) of the XML when present, plus
 * (child, parent, 0) for a pair of the JSON hierarchy the XML does not have;
 * sorted and unique. Every id must be in the CSV.
 */
static int merge_relations(struct catalog *c, struct kk_diag *d)
{
	qsort(c->pairs, c->npairs, sizeof(struct pair), cmp_pair);
	size_t u = 0;
	for (size_t i = 0; i < c->npairs; i++) {
		struct pair *p = &c->pairs[i];
		if (!have_id(c, p->child) || !have_id(c, p->parent))
			return kk_diag_set(d, KK_EPARSE, "relations",
					   "cwe catalog: the relation CWE-%d ChildOf CWE-%d names an id missing from %s; "
					   "use files of one catalog version",
					   p->child, p->parent, c->csv_path);
		if (u && !cmp_pair(&c->pairs[u - 1], p))
			continue;
		/* a view-0 pair is dropped when a stated view covers it (it sorts first) */
		if (u && p->view && c->pairs[u - 1].view == 0 && c->pairs[u - 1].child == p->child &&
		    c->pairs[u - 1].parent == p->parent)
			u--;
		c->pairs[u++] = *p;
	}
	c->npairs = u;
	return 0;
}

int kk_cwe_catalog_load(struct kk_db *db, const char *dir, struct kk_diag *d)
{
	struct catalog c = {0};
	char hier[4096], xml[4096];
	size_t cap = 0, pcap = 0;
	int rc;
	if ((rc = find_file(dir, "cwe_v", "_ids.csv", c.csv_path, sizeof(c.csv_path), d)) <= 0)
		return rc < 0 ? rc : kk_diag_set(d, KK_EIO, dir, "cwe catalog: no cwe_v<VERSION>_ids.csv in %s", dir);
	if ((size_t)snprintf(hier, sizeof(hier), "%s/cwe-hierarchy.json", dir) >= sizeof(hier))
		return kk_diag_set(d, KK_EIO, dir, "cwe catalog: path too long");
	if ((rc = slurp(c.csv_path, &c.csv, &c.csv_len, d)))
		return rc;
	if ((rc = each_record(&c, collect_id, &cap, d)))
		goto out;
	qsort(c.ids, c.nids, sizeof(int), cmp_int);
	for (size_t i = 1; i < c.nids; i++)
		if (c.ids[i] == c.ids[i - 1]) {
			rc = kk_diag_set(d, KK_EPARSE, "CWE-ID", "cwe catalog: %s: CWE-%d appears twice", c.csv_path,
					 c.ids[i]);
			goto out;
		}
	if (!c.nids) {
		rc = kk_diag_set(d, KK_EPARSE, c.csv_path, "cwe catalog: %s has no records", c.csv_path);
		goto out;
	}
	if ((rc = read_hierarchy(&c, &pcap, hier, d)))
		goto out;
	if ((rc = find_file(dir, "cwec_v", ".xml.xz", xml, sizeof(xml), d)) < 0)
		goto out;
	if (rc == 1 && (rc = read_views(&c, &pcap, xml, d)))
		goto out;
	if ((rc = merge_relations(&c, d)))
		goto out;
	if ((rc = kk_db_tx(db, load_tx, &c)) < 0) {
		kk_diag_set(d, rc, "database", "cwe catalog: cannot write to the database: %s", kk_db_errmsg(db));
		goto out;
	}
	rc = c.changed;
out:
	kk_free(c.csv);
	kk_free(c.ids);
	kk_free(c.pairs);
	return rc;
}
