/*
 * import_kev.c — CISA Known Exploited Vulnerabilities (JSON catalog items
 * or CSV rows) into vuln_kev, one row per CVE; and the RFC 4180 CSV reader.
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "store/db.h"
#include "vulndb/import_side.h"
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include <sodium.h>
#include <string.h>

/* YYYY-MM-DD with a plausible month and day. */
static bool is_date(const char *s)
{
	return s && strlen(s) == 10 && strspn(s, "0123456789") == 4 && s[4] == '-' && s[7] == '-' &&
	       strspn(s + 5, "0123456789") == 2 && strspn(s + 8, "0123456789") == 2 &&
	       (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
	       (s[8] - '0') * 10 + (s[9] - '0') >= 1 && (s[8] - '0') * 10 + (s[9] - '0') <= 31;
}

/* Names of the fields in hash order; e's strings in the same order. */
static const char *const field_names[] = {"cveID",          "vendorProject", "product",
                                          "vulnerabilityName", "dateAdded",  "dueDate",
                                          "knownRansomwareCampaignUse", "requiredAction",
                                          "shortDescription", "notes",       "cwes"};
#define NFIELDS (sizeof field_names / sizeof *field_names)

static const char **slot(struct kk_kev_entry *e, size_t i)
{
	const char **s[NFIELDS] = {&e->cve,        &e->vendor,  &e->product,     &e->name,
	                           &e->date_added, &e->due_date, &e->ransomware, &e->action,
	                           &e->description, &e->notes,   &e->cwes};
	return s[i];
}

/* Checks the fields, then hashes them. where: "/" for JSON pointers, "" for CSV column names. */
static int finish(struct kk_kev_entry *e, const char *where, struct kk_diag *d)
{
	char at[64];
	if (!e->cve || !kk_jget_is_cve_id(e->cve)) {
		snprintf(at, sizeof at, "%scveID", where);
		return kk_diag_set(d, KK_EPARSE, at, "cveID must be a CVE id such as CVE-2021-44228");
	}
	if (!is_date(e->date_added)) {
		snprintf(at, sizeof at, "%sdateAdded", where);
		return kk_diag_set(d, KK_EPARSE, at, "dateAdded must be a date YYYY-MM-DD");
	}
	if (e->due_date && *e->due_date && !is_date(e->due_date)) {
		snprintf(at, sizeof at, "%sdueDate", where);
		return kk_diag_set(d, KK_EPARSE, at, "dueDate must be a date YYYY-MM-DD (or absent)");
	}
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof e->hash);
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *s = *slot(e, i);
		crypto_generichash_update(&st, (const unsigned char *)(s ? s : ""), s ? strlen(s) + 1 : 0);
		crypto_generichash_update(&st, (const unsigned char *)"\x1f", 1);
	}
	crypto_generichash_final(&st, e->hash, sizeof e->hash);
	return 0;
}

static int put(struct kk_arena *a, const char **dst, const char *s)
{
	if (!s || !*s) {
		*dst = NULL;
		return 0;
	}
	*dst = kk_arena_strdup(a, s);
	return *dst ? 0 : KK_ENOMEM;
}

int kk_kev_parse_json(const json_t *obj, struct kk_arena *a, struct kk_kev_entry *e, struct kk_diag *d)
{
	memset(e, 0, sizeof *e);
	if (!json_is_object(obj))
		return kk_diag_set(d, KK_EPARSE, "", "a KEV entry must be a JSON object {cveID, dateAdded, ...}");
	for (size_t i = 0; i < NFIELDS; i++) {
		const json_t *v = json_object_get(obj, field_names[i]);
		char at[64];
		snprintf(at, sizeof at, "/%s", field_names[i]);
		if (!v || json_is_null(v))
			continue;
		if (!strcmp(field_names[i], "cwes") && json_is_array(v)) {
			struct kk_buf b = KK_BUF_INIT(4096);
			size_t j;
			const json_t *c;
			json_array_foreach(v, j, c)
			{
				if (!json_is_string(c) || kk_vuln_cwe_id(json_string_value(c)) < 0) {
					kk_buf_release(&b);
					char p[80];
					return kk_diag_set(d, KK_EPARSE, kk_jget_path(p, sizeof p, at, NULL, j),
					                   "cwes must list CWE ids such as CWE-79");
				}
				kk_buf_printf(&b, "%s%s", j ? " " : "", json_string_value(c));
			}
			int rc = kk_buf_error(&b) ? KK_ETOOBIG : put(a, slot(e, i), b.ptr ? b.ptr : "");
			kk_buf_release(&b);
			KK_TRY(rc);
			continue;
		}
		if (!json_is_string(v))
			return kk_diag_set(d, KK_EPARSE, at, "%s must be a string", field_names[i]);
		KK_TRY(put(a, slot(e, i), json_string_value(v)));
	}
	return finish(e, "/", d);
}

int kk_kev_parse_csv(const char *const *names, const char *const *vals, size_t n, struct kk_arena *a,
                     struct kk_kev_entry *e, struct kk_diag *d)
{
	memset(e, 0, sizeof *e);
	for (size_t c = 0; c < n; c++)
		for (size_t i = 0; i < NFIELDS; i++)
			if (!strcmp(names[c], field_names[i])) {
				char buf[4096];
				const char *v = vals[c];
				if (i == NFIELDS - 1) { /* cwes: "CWE-59, CWE-436" -> "CWE-59 CWE-436" */
					size_t o = 0;
					for (const char *p = v; *p && o + 1 < sizeof buf; p++) {
						if (*p == ',') {
							buf[o++] = ' ';
							while (p[1] == ' ')
								p++;
						} else {
							buf[o++] = *p;
						}
					}
					buf[o] = 0;
					v = buf;
				}
				KK_TRY(put(a, slot(e, i), v));
			}
	return finish(e, "", d);
}

int kk_kev_upsert(struct kk_db *db, const struct kk_kev_entry *e)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT hash FROM vuln_kev WHERE cve = ?", &st));
	kk_stmt_bind_text(st, 1, e->cve, -1);
	int rc = kk_stmt_step(st);
	int same = rc == KK_ROW && kk_stmt_bytes(st, 0) == sizeof e->hash &&
	           !memcmp(kk_stmt_blob(st, 0), e->hash, sizeof e->hash);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (same)
		return KK_VULN_UNCHANGED;
	int found = rc == KK_ROW;
	KK_TRY(kk_db_prepare(db,
	                     "INSERT OR REPLACE INTO vuln_kev (cve, vendor_project, product, name, date_added, "
	                     "due_date, ransomware, required_action, short_description, notes, cwes, hash) "
	                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                     &st));
	const char *v[NFIELDS] = {e->cve,        e->vendor,  e->product,     e->name,
	                          e->date_added, e->due_date, e->ransomware, e->action,
	                          e->description, e->notes,   e->cwes};
	for (size_t i = 0; i < NFIELDS; i++)
		kk_stmt_bind_text(st, (int)i + 1, v[i], -1);
	kk_stmt_bind_blob(st, (int)NFIELDS + 1, e->hash, sizeof e->hash);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	return found ? KK_VULN_UPDATED : KK_VULN_ADDED;
}

/* ---- CSV ---- */

int kk_csv_record(FILE *f, struct kk_arena *a, char **fields, size_t max, size_t *n, long *lines)
{
	struct kk_buf b = KK_BUF_INIT(1u << 20);
	int c = getc_unlocked(f), rc = 1;
	*n = 0;
	if (c == EOF)
		return 0;
	for (;;) {
		/* one field */
		int quoted = c == '"';
		kk_buf_reset(&b);
		if (quoted) {
			for (;;) {
				c = getc_unlocked(f);
				if (c == EOF) {
					rc = KK_EPARSE;
					goto out;
				}
				if (c == '"') {
					c = getc_unlocked(f);
					if (c != '"')
						break;
				}
				if (c == '\n')
					++*lines;
				kk_buf_putc(&b, (char)c);
			}
		} else {
			while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
				kk_buf_putc(&b, (char)c);
				c = getc_unlocked(f);
			}
		}
		if (kk_buf_error(&b) || *n == max) {
			rc = KK_ETOOBIG;
			goto out;
		}
		fields[(*n)++] = kk_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
		if (!fields[*n - 1]) {
			rc = KK_ENOMEM;
			goto out;
		}
		if (c == ',') {
			c = getc_unlocked(f);
			continue;
		}
		if (c == '\r')
			c = getc_unlocked(f);
		if (c == '\n' || c == EOF) {
			++*lines;
			break;
		}
		rc = KK_EPARSE; /* text after a closing quote */
		while (c != '\n' && c != EOF)
			c = getc_unlocked(f);
		++*lines;
		break;
	}
out:
	kk_buf_release(&b);
	return rc;
}
