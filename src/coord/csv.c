/*
 * csv.c — the RFC 4180 reader/writer (csv.h) and the vendor directory's CSV
 * import and export (directory.h): one row per vendor, contact or product.
 */
#include "coord/csv.h"
#include "auth/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/str.h"
#include "base/utf8.h"
#include "coord/dir_util.h"
#include "coord/directory.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader -------------------------------------------------------------- */

void kk_csv_init(struct kk_csv *c, const char *s, size_t n)
{
	c->p = s;
	c->end = s + n;
	c->line = 1;
	if (n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb && (unsigned char)s[2] == 0xbf)
		c->p += 3;
}

static int bad(struct kk_diag *d, int line, const char *fmt, const char *arg)
{
	int rc = kk_diag_set(d, KK_EPARSE, NULL, fmt, arg);
	if (d) {
		d->line = line;
		snprintf(d->where, sizeof(d->where), "line %d", line);
	}
	return rc;
}

/* Consumes one line end at c->p if there is one; true when it did. */
static bool eol(struct kk_csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		return true;
	}
	if (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->line++;
		return true;
	}
	return false;
}

int kk_csv_next(struct kk_csv *c, struct kk_arena *a, struct kk_csv_record *r, struct kk_diag *d)
{
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r'))
		eol(c); /* blank lines */
	if (c->p >= c->end)
		return 0;
	r->line = c->line;
	r->n = 0;
	const char *rec_start = c->p;
	for (;;) {
		if (r->n == KK_CSV_MAX_FIELDS)
			return bad(d, r->line, "more than %s fields in one record", "64");
		char *out;
		size_t len = 0;
		if (c->p < c->end && *c->p == '"') {
			int qline = c->line;
			const char *s = ++c->p, *q = s;
			/* find the closing quote first, so the copy is exactly as long as the field */
			for (;;) {
				if (q >= c->end)
					return bad(d, qline, "a quoted field opened on this line is never closed (%s)",
						   "add the closing \"");
				if ((size_t)(q - rec_start) > KK_VENDOR_CSV_MAX_LINE)
					return bad(d, r->line, "record longer than %s bytes", "131072");
				if (*q == '"') {
					if (q + 1 < c->end && q[1] == '"') {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			out = kk_arena_alloc(a, (size_t)(q - s) + 1);
			if (!out)
				return KK_ENOMEM;
			while (c->p < q) {
				char ch = *c->p++;
				if (ch == '"')
					c->p++; /* the second of "" */
				else if (ch == '\n' || (ch == '\r' && !(c->p < c->end && *c->p == '\n')))
					c->line++;
				out[len++] = ch;
			}
			c->p = q + 1;
			if (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n')
				return bad(d, c->line, "text after a closing quote in field %s; quote the whole field",
					   kk_arena_printf(a, "%d", r->n + 1));
		} else {
			const char *s = c->p;
			while (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n') {
				if (*c->p == '"')
					return bad(d, c->line, "a quote inside unquoted field %s; quote the field and double "
							       "the quote (\"\")",
						   kk_arena_printf(a, "%d", r->n + 1));
				c->p++;
			}
			len = (size_t)(c->p - s);
			out = kk_arena_strndup(a, s, len);
			if (!out)
				return KK_ENOMEM;
		}
		out[len] = 0;
		if ((size_t)(c->p - rec_start) > KK_VENDOR_CSV_MAX_LINE)
			return bad(d, r->line, "record longer than %s bytes", "131072");
		if (memchr(out, 0, len) || !kk_utf8_valid(out, len))
			return bad(d, r->line, "field %s is not UTF-8 text (save the file as UTF-8)",
				   kk_arena_printf(a, "%d", r->n + 1));
		r->f[r->n++] = out;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		eol(c);
		return 1;
	}
}

int kk_csv_put(struct kk_buf *b, const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	/* quoted also: surrounding spaces (kept by spreadsheets) and a leading BOM (would be read as the file's) */
	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' ')) && strncmp(s, "\xef\xbb\xbf", 3))
		return kk_buf_add(b, s, n);
	kk_buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			kk_buf_putc(b, '"');
		kk_buf_putc(b, *p);
	}
	return kk_buf_putc(b, '"');
}

/* ---- the directory's columns --------------------------------------------- */

#define COLUMNS(X)                                                                                           \
	X(VENDOR, "vendor")                                                                                  \
	X(NAME_JA, "name_ja")                                                                                \
	X(NAME_EN, "name_en")                                                                                \
	X(LANG, "lang")                                                                                      \
	X(CPE_VENDOR, "cpe_vendor")                                                                          \
	X(TERMS, "terms_agreed_at")                                                                          \
	X(NOTE, "note")                                                                                      \
	X(RECORD, "record")                                                                                  \
	X(LABEL, "label")                                                                                    \
	X(EMAIL, "email")                                                                                    \
	X(ROLE, "role")                                                                                      \
	X(PHONE, "phone")                                                                                    \
	X(CONTACT_LANG, "contact_lang")                                                                      \
	X(PGP_KEY, "pgp_key")                                                                                \
	X(PRODUCT_JA, "product_ja")                                                                          \
	X(PRODUCT_EN, "product_en")                                                                          \
	X(CPE, "cpe")                                                                                        \
	X(PURL, "purl")

enum col {
#define X(n, s) COL_##n,
	COLUMNS(X)
#undef X
	NCOL
};
static const char *const col_names[] = {
#define X(n, s) s,
	COLUMNS(X)
#undef X
};

/* ---- export -------------------------------------------------------------- */

static void jst_date(int64_t t, char out[16])
{
	out[0] = 0;
	if (!t)
		return;
	char iso[32];
	kk_time_iso(t + 9 * 3600, iso, sizeof(iso));
	kk_strlcpy(out, iso, 11);
}

static void put_row(struct kk_buf *b, const char *const v[NCOL])
{
	for (int i = 0; i < NCOL; i++) {
		if (i)
			kk_buf_putc(b, ',');
		kk_csv_put(b, v[i]);
	}
	kk_buf_puts(b, "\r\n");
}

struct export {
	struct kk_db *db;
	struct kk_buf *out;
	const char *vendor;
	struct kk_i64s ids;
};

static int export_contact(void *arg, const struct kk_vendor_contact *c)
{
	struct export *e = arg;
	const char *v[NCOL] = {0};
	v[COL_VENDOR] = e->vendor;
	v[COL_RECORD] = "contact";
	v[COL_LABEL] = c->label;
	v[COL_EMAIL] = c->email;
	v[COL_ROLE] = c->role;
	v[COL_PHONE] = c->phone;
	v[COL_CONTACT_LANG] = c->lang;
	v[COL_PGP_KEY] = c->pgp_key;
	put_row(e->out, v);
	return 0;
}

static int export_product(void *arg, const struct kk_vendor_product *p)
{
	struct export *e = arg;
	const char *v[NCOL] = {0};
	char cpe[2 * KK_VENDOR_CPE_MAX + 2] = "", purl[3 * KK_VENDOR_PURL_MAX + 8] = "";
	if (p->cpe_vendor[0])
		snprintf(cpe, sizeof(cpe), "%s:%s", p->cpe_vendor, p->cpe_product);
	if (p->purl_type[0] && p->purl_name[0])
		snprintf(purl, sizeof(purl), "pkg:%s/%s%s%s", p->purl_type, p->purl_namespace,
			 p->purl_namespace[0] ? "/" : "", p->purl_name);
	else if (p->purl_type[0])
		snprintf(purl, sizeof(purl), "%s/%s", p->purl_type, p->purl_namespace);
	v[COL_VENDOR] = e->vendor;
	v[COL_RECORD] = "product";
	v[COL_PRODUCT_JA] = p->name_ja;
	v[COL_PRODUCT_EN] = p->name_en;
	v[COL_CPE] = cpe;
	v[COL_PURL] = purl;
	put_row(e->out, v);
	return 0;
}

static int export_collect(void *arg, const struct kk_vendor *vd)
{
	struct export *e = arg;
	return kk_i64s_push(&e->ids, vd->org_id);
}
int kk_vendor_csv_export(struct kk_db *db, struct kk_buf *out)
{
	const char *hdr[NCOL];
	for (int i = 0; i < NCOL; i++)
		hdr[i] = col_names[i];
	put_row(out, hdr);
	struct export e = {.db = db, .out = out};
	int rc = 0;
	/* the directory page by page (search caps a page at 1000) */
	for (int off = 0;; off += 1000) {
		size_t before = e.ids.n;
		struct kk_vendor_query q = {.limit = 1000, .offset = off};
		if ((rc = kk_vendor_search(db, &q, export_collect, &e, NULL)))
			break;
		if (e.ids.n - before < 1000)
			break;
	}
	for (size_t i = 0; !rc && i < e.ids.n; i++) {
		struct kk_vendor v;
		if ((rc = kk_vendor_get(db, e.ids.v[i], &v)))
			break;
		char terms[16];
		jst_date(v.terms_agreed_at, terms);
		const char *row[NCOL] = {0};
		row[COL_VENDOR] = v.name;
		row[COL_NAME_JA] = v.name_ja;
		row[COL_NAME_EN] = v.name_en;
		row[COL_LANG] = v.lang;
		row[COL_CPE_VENDOR] = v.cpe_vendor;
		row[COL_TERMS] = terms;
		row[COL_NOTE] = v.note;
		row[COL_RECORD] = "vendor";
		put_row(out, row);
		e.vendor = v.name;
		if ((rc = kk_vendor_contacts(db, v.org_id, export_contact, &e)) ||
		    (rc = kk_vendor_products(db, v.org_id, export_product, &e)))
			break;
	}
	kk_i64s_release(&e.ids);
	if (!rc)
		rc = kk_buf_error(out);
	return rc;
}

/* ---- import -------------------------------------------------------------- */

struct row_err {
	int line;
	char field[32];
	char msg[256];
};

struct import {
	const struct kk_actor *by;
	struct kk_csv_record *rows;
	size_t nrows;
	int col[NCOL]; /* field index of each column, -1 absent */
	struct kk_vendor_csv_stats st;
	struct row_err *errs;
	size_t nerr, errcap;
};

static const char *field(const struct import *im, const struct kk_csv_record *r, enum col c)
{
	int i = im->col[c];
	return i >= 0 && i < r->n ? r->f[i] : "";
}

static void add_err(struct import *im, int line, const char *fieldname, const char *msg)
{
	im->st.errors++;
	if (im->nerr == im->errcap) {
		size_t nc = im->errcap ? im->errcap * 2 : 16;
		struct row_err *p = kk_realloc(im->errs, nc * sizeof(*p));
		if (!p)
			return; /* counted, not kept */
		im->errs = p;
		im->errcap = nc;
	}
	struct row_err *e = &im->errs[im->nerr++];
	e->line = line;
	kk_strlcpy(e->field, fieldname, sizeof(e->field));
	kk_strlcpy(e->msg, msg, sizeof(e->msg));
}

/* A directory function's field name as the CSV column of this record kind. */
static const char *column_of(const char *kind, const char *where)
{
	if (!where || !*where)
		return "record";
	if (!strcmp(kind, "vendor"))
		return !strcmp(where, "name") ? "vendor" : where;
	if (!strcmp(kind, "contact"))
		return !strcmp(where, "lang") ? "contact_lang" : where;
	if (!strcmp(where, "name_ja"))
		return "product_ja";
	if (!strcmp(where, "name_en") || !strcmp(where, "product"))
		return "product_en";
	return where;
}

static int parse_terms(const char *s, int64_t *t)
{
	*t = 0;
	if (!*s)
		return 0;
	if (strlen(s) != 10 || kk_time_parse_jst(s, 0, t)) /* a date: midnight in Japan */
		return KK_EINVAL;
	return 0;
}

/*
 * A vendor row with a bad field: the import will roll back, but the
 * vendor's own rows below are still checked against a bare entry, so every
 * bad row is reported in one pass.
 */
static int bare_entry(struct kk_db *db, struct import *im, const char *name, int rc)
{
	struct kk_vendor v;
	struct kk_vendor_in bare = {.name = name};
	struct kk_diag ignored = {0};
	if (kk_vendor_find(db, name, &v) == KK_ENOTFOUND)
		(void)kk_vendor_create(db, im->by, &bare, NULL, &ignored);
	return rc;
}

static int row_vendor(struct kk_db *db, struct import *im, const struct kk_csv_record *r, struct kk_diag *d)
{
	const char *name = field(im, r, COL_VENDOR);
	int64_t terms;
	if (parse_terms(field(im, r, COL_TERMS), &terms))
		return bare_entry(db, im, name,
				  kk_diag_set(d, KK_EINVAL, "terms_agreed_at",
					      "terms_agreed_at '%s' is not a date YYYY-MM-DD (Japan time)",
					      field(im, r, COL_TERMS)));
	const char *lang = field(im, r, COL_LANG);
	struct kk_vendor_in in = {
		.name = name,
		.name_ja = field(im, r, COL_NAME_JA),
		.name_en = field(im, r, COL_NAME_EN),
		.lang = *lang ? lang : NULL,
		.cpe_vendor = field(im, r, COL_CPE_VENDOR),
		.terms_agreed = terms ? 1 : 0,
		.terms_agreed_at = terms,
		.note = im->col[COL_NOTE] >= 0 ? field(im, r, COL_NOTE) : NULL,
	};
	struct kk_vendor v;
	int rc = kk_vendor_find(db, name, &v);
	if (rc == KK_ENOTFOUND || (rc == 0 && strcmp(v.name, name))) {
		if ((rc = kk_vendor_create(db, im->by, &in, NULL, d)))
			return rc == KK_EINVAL && strcmp(d->where, "name") ? bare_entry(db, im, name, rc) : rc;
		im->st.vendors_created++;
		return 0;
	}
	if (rc)
		return rc;
	char have[16], want[16];
	jst_date(v.terms_agreed_at, have);
	jst_date(terms, want);
	char cpe[KK_VENDOR_CPE_MAX + 1] = "";
	for (size_t i = 0; in.cpe_vendor[i] && i < KK_VENDOR_CPE_MAX; i++)
		cpe[i] = (char)(in.cpe_vendor[i] >= 'A' && in.cpe_vendor[i] <= 'Z' ? in.cpe_vendor[i] + 32 : in.cpe_vendor[i]);
	if (!strcmp(v.name_ja, in.name_ja) && !strcmp(v.name_en, in.name_en) && (!in.lang || !strcmp(v.lang, in.lang)) &&
	    !strcmp(v.cpe_vendor, cpe) && !strcmp(have, want) && (!in.note || !strcmp(v.note, in.note))) {
		im->st.skipped++;
		return 0;
	}
	if (!strcmp(have, want))
		in.terms_agreed = -1; /* same date: keep the stored time */
	in.name = NULL;
	if ((rc = kk_vendor_update(db, im->by, v.org_id, &in, d)))
		return rc;
	im->st.vendors_updated++;
	return 0;
}

static int row_owner(struct kk_db *db, struct import *im, const struct kk_csv_record *r, struct kk_vendor *v,
		     struct kk_diag *d)
{
	const char *name = field(im, r, COL_VENDOR);
	int rc = kk_vendor_find(db, name, v);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, KK_EINVAL, "vendor",
				   "vendor '%s' is not in the directory; add a row with record=vendor for it first", name);
	return rc;
}

struct same_contact {
	const char *email, *phone;
	int64_t id;
	bool identical;
	const struct kk_vendor_contact_in *in;
};

static int find_contact(void *arg, const struct kk_vendor_contact *c)
{
	struct same_contact *s = arg;
	if (*s->email ? strcmp(c->email, s->email) : (c->email[0] || strcmp(c->phone, s->phone)))
		return 0;
	s->id = c->id;
	const struct kk_vendor_contact_in *in = s->in;
	const char *key = in->pgp_key ? in->pgp_key : "";
	s->identical = !strcmp(c->label, in->label) && !strcmp(c->phone, in->phone) &&
		       !strcmp(c->role, *in->role ? in->role : "to") && (!*in->lang || !strcmp(c->lang, in->lang)) &&
		       !strcmp(c->pgp_key ? c->pgp_key : "", key);
	return 1;
}

static int row_contact(struct kk_db *db, struct import *im, const struct kk_csv_record *r, struct kk_diag *d)
{
	struct kk_vendor v;
	int rc = row_owner(db, im, r, &v, d);
	if (rc)
		return rc;
	struct kk_vendor_contact_in in = {
		.label = field(im, r, COL_LABEL),
		.email = field(im, r, COL_EMAIL),
		.role = field(im, r, COL_ROLE),
		.phone = field(im, r, COL_PHONE),
		.lang = field(im, r, COL_CONTACT_LANG),
		.pgp_key = field(im, r, COL_PGP_KEY),
	};
	struct same_contact s = {.email = in.email, .phone = in.phone, .in = &in};
	rc = kk_vendor_contacts(db, v.org_id, find_contact, &s);
	if (rc < 0)
		return rc;
	if (s.id && s.identical) {
		im->st.skipped++;
		return 0;
	}
	if (s.id)
		rc = kk_vendor_contact_update(db, im->by, v.org_id, s.id, &in, d);
	else
		rc = kk_vendor_contact_add(db, im->by, v.org_id, &in, NULL, d);
	if (!rc)
		im->st.contacts_added++;
	return rc;
}

static int row_product(struct kk_db *db, struct import *im, const struct kk_csv_record *r, struct kk_diag *d)
{
	struct kk_vendor v;
	int rc = row_owner(db, im, r, &v, d);
	if (rc)
		return rc;
	struct kk_vendor_product_in in = {
		.name_ja = field(im, r, COL_PRODUCT_JA),
		.name_en = field(im, r, COL_PRODUCT_EN),
		.cpe = field(im, r, COL_CPE),
		.purl = field(im, r, COL_PURL),
	};
	rc = kk_vendor_product_add(db, im->by, v.org_id, &in, NULL, d);
	if (rc == KK_EEXISTS) {
		im->st.skipped++; /* the same product (name, CPE or purl) is there */
		kk_diag_clear(d);
		return 0;
	}
	if (!rc)
		im->st.products_added++;
	return rc;
}

static int import_tx(struct kk_db *db, void *arg)
{
	struct import *im = arg;
	int rows = im->st.rows;
	memset(&im->st, 0, sizeof(im->st));
	im->st.rows = rows;
	im->nerr = 0;
	for (size_t i = 0; i < im->nrows; i++) {
		const struct kk_csv_record *r = &im->rows[i];
		const char *kind = field(im, r, COL_RECORD);
		struct kk_diag d = {0};
		int rc;
		if (!*field(im, r, COL_VENDOR))
			rc = kk_diag_set(&d, KK_EINVAL, "vendor", "vendor is required on every row");
		else if (!strcmp(kind, "vendor"))
			rc = row_vendor(db, im, r, &d);
		else if (!strcmp(kind, "contact"))
			rc = row_contact(db, im, r, &d);
		else if (!strcmp(kind, "product"))
			rc = row_product(db, im, r, &d);
		else
			rc = kk_diag_set(&d, KK_EINVAL, "record", "record '%s' is not vendor, contact or product", kind);
		if (rc == KK_EINVAL || rc == KK_EEXISTS || rc == KK_ECONFLICT || rc == KK_ENOTFOUND) {
			add_err(im, r->line, column_of(kind, d.where), d.msg[0] ? d.msg : kk_err_msg(rc));
			continue;
		}
		if (rc)
			return rc;
	}
	return im->st.errors ? KK_EINVAL : 0;
}

int kk_vendor_csv_import(struct kk_db *db, const struct kk_actor *by, const char *csv, size_t n,
			 void (*err)(void *arg, int line, const char *field, const char *msg), void *arg,
			 struct kk_vendor_csv_stats *st)
{
	/* room for the text and the arena's rounding of every field (16 bytes at most each) */
	size_t seps = 1;
	for (size_t i = 0; i < n; i++)
		seps += csv[i] == ',' || csv[i] == '\n';
	struct kk_arena a;
	kk_arena_init(&a, n * 2 + seps * 32 + (1 << 20));
	struct import im = {.by = by};
	size_t cap = 0;
	struct kk_csv c;
	struct kk_csv_record hdr;
	struct kk_diag d = {0};
	kk_csv_init(&c, csv, n);
	int rc = kk_csv_next(&c, &a, &hdr, &d);
	if (rc == 0) {
		err(arg, 1, "header", "the file is empty; the first line names the columns (vendor,record,...)");
		rc = KK_EINVAL;
		goto out;
	}
	if (rc < 0)
		goto parse_error;
	for (int i = 0; i < NCOL; i++)
		im.col[i] = -1;
	for (int i = 0; i < hdr.n; i++) {
		int k = 0;
		while (k < NCOL && strcmp(hdr.f[i], col_names[k]))
			k++;
		if (k == NCOL) {
			char msg[300];
			snprintf(msg, sizeof(msg), "unknown column '%.80s'; columns are vendor, name_ja, name_en, lang, "
						   "cpe_vendor, terms_agreed_at, note, record, label, email, role, phone, "
						   "contact_lang, pgp_key, product_ja, product_en, cpe, purl",
				 hdr.f[i]);
			err(arg, hdr.line, hdr.f[i], msg);
			im.st.errors++;
		} else if (im.col[k] >= 0) {
			err(arg, hdr.line, hdr.f[i], "this column appears twice");
			im.st.errors++;
		} else
			im.col[k] = i;
	}
	if (im.col[COL_VENDOR] < 0 || im.col[COL_RECORD] < 0) {
		err(arg, hdr.line, im.col[COL_VENDOR] < 0 ? "vendor" : "record", "the header must name this column");
		im.st.errors++;
	}
	if (im.st.errors) {
		rc = KK_EINVAL;
		goto out;
	}
	for (;;) {
		if (im.nrows == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct kk_csv_record *p = kk_realloc(im.rows, nc * sizeof(*p));
			if (!p) {
				rc = KK_ENOMEM;
				goto out;
			}
			im.rows = p;
			cap = nc;
		}
		rc = kk_csv_next(&c, &a, &im.rows[im.nrows], &d);
		if (rc < 0)
			goto parse_error;
		if (rc == 0)
			break;
		struct kk_csv_record *r = &im.rows[im.nrows];
		if (r->n > hdr.n) {
			char msg[96];
			snprintf(msg, sizeof(msg), "%d fields, but the header names %d columns", r->n, hdr.n);
			err(arg, r->line, "record", msg);
			im.st.errors++;
		}
		im.nrows++;
	}
	im.st.rows = (int)im.nrows;
	/* PGP keys: slow (gpg), so before the transaction */
	for (size_t i = 0; i < im.nrows; i++) {
		const char *key = field(&im, &im.rows[i], COL_PGP_KEY);
		struct kk_diag kd = {0};
		if (*key && kk_vendor_pgp_check(key, "pgp_key", &kd)) {
			err(arg, im.rows[i].line, "pgp_key", kd.msg);
			im.st.errors++;
		}
	}
	if (im.st.errors) {
		rc = KK_EINVAL;
		goto out;
	}
	rc = kk_db_tx(db, import_tx, &im);
	for (size_t i = 0; i < im.nerr; i++)
		err(arg, im.errs[i].line, im.errs[i].field, im.errs[i].msg);
	goto out;
parse_error:
	if (rc == KK_EPARSE) {
		err(arg, d.line, "record", d.msg);
		im.st.errors++;
		rc = KK_EINVAL;
	}
out:
	if (st)
		*st = im.st;
	kk_free(im.rows);
	kk_free(im.errs);
	kk_arena_release(&a);
	return rc;
}
