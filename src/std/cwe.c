/*
 * cwe.c — CWE ids ("CWE-79") and one record of the catalog CSV. Pure.
 */
#include "std/cwe.h"
#include <string.h>

static const char *const kind_names[] = {"weakness", "category", "view"};

const char *kk_cwe_kind_name(enum kk_cwe_kind k)
{
	return (unsigned)k <= KK_CWE_VIEW ? kind_names[k] : "?";
}

int kk_cwe_id_parse(const char *s, size_t len, int *id, struct kk_diag *d)
{
	size_t i = 0, e = len;
	while (i < e && s[i] == ' ')
		i++;
	while (e > i && s[e - 1] == ' ')
		e--;
	if (e - i >= 4 && (s[i] | 32) == 'c' && (s[i + 1] | 32) == 'w' && (s[i + 2] | 32) == 'e' && s[i + 3] == '-')
		i += 4;
	if (i == e || s[i] < '0' || s[i] > '9')
		return kk_diag_set(d, KK_EPARSE, "cwe", "'%.*s' is not a CWE id; write CWE-79 or 79",
				   (int)(len > 40 ? 40 : len), s);
	if (s[i] == '0')
		return kk_diag_set(d, KK_EPARSE, "cwe", "'%.*s' is not a CWE id: numbers start at 1, without leading zeros",
				   (int)(len > 40 ? 40 : len), s);
	long v = 0;
	for (; i < e; i++) {
		if (s[i] < '0' || s[i] > '9')
			return kk_diag_set(d, KK_EPARSE, "cwe", "'%.*s' is not a CWE id: unexpected '%c' after the number",
					   (int)(len > 40 ? 40 : len), s, s[i]);
		v = v * 10 + (s[i] - '0');
		if (v > KK_CWE_MAX_ID)
			return kk_diag_set(d, KK_EPARSE, "cwe", "'%.*s' is not a CWE id: number above %d",
					   (int)(len > 40 ? 40 : len), s, KK_CWE_MAX_ID);
	}
	*id = (int)v;
	return 0;
}

/* Reads one CSV field at *i, unquoting into the store. */
static int csv_field(const char *line, size_t len, size_t *i, char *store, size_t cap, size_t *used,
		     struct kk_str *out, const char *name, struct kk_diag *d)
{
	size_t start = *used, k = *i;
	if (k < len && line[k] == '"') {
		k++;
		for (;;) {
			if (k >= len)
				return kk_diag_set(d, KK_EPARSE, name, "field %s: quote opened but never closed", name);
			if (line[k] == '"') {
				if (k + 1 < len && line[k + 1] == '"') {
					k++;
				} else {
					k++;
					break;
				}
			}
			if (*used >= cap)
				return kk_diag_set(d, KK_ETOOBIG, name, "CSV store buffer too small");
			store[(*used)++] = line[k++];
		}
		if (k < len && line[k] != ',')
			return kk_diag_set(d, KK_EPARSE, name, "field %s: text after the closing quote", name);
	} else {
		while (k < len && line[k] != ',') {
			if (line[k] == '"')
				return kk_diag_set(d, KK_EPARSE, name, "field %s: a quote inside an unquoted field", name);
			if (*used >= cap)
				return kk_diag_set(d, KK_ETOOBIG, name, "CSV store buffer too small");
			store[(*used)++] = line[k++];
		}
	}
	*out = (struct kk_str){store + start, *used - start};
	*i = k;
	return 0;
}

int kk_cwe_csv_record(const char *line, size_t len, struct kk_cwe_record *r, char *store, size_t cap,
		      struct kk_diag *d)
{
	static const char *const names[] = {"CWE-ID", "Type", "Name", "Abstraction", "Status"};
	struct kk_str f[5];
	size_t i = 0, used = 0;
	int rc;
	memset(r, 0, sizeof(*r));
	for (int n = 0; n < 5; n++) {
		if ((rc = csv_field(line, len, &i, store, cap, &used, &f[n], names[n], d)))
			return rc;
		if (n < 4) {
			if (i >= len)
				return kk_diag_set(d, KK_EPARSE, names[n + 1],
						   "record has %d fields; the catalog has 5: "
						   "CWE-ID,Type,Name,Abstraction,Status",
						   n + 1);
			i++; /* the comma */
		}
	}
	if (i != len)
		return kk_diag_set(d, KK_EPARSE, "Status", "record has more than 5 fields");
	if ((rc = kk_cwe_id_parse(f[0].ptr, f[0].len, &r->id, d))) {
		if (d)
			kk_strlcpy(d->where, "CWE-ID", sizeof(d->where));
		return rc;
	}
	if (kk_str_eqc(f[1], "Weakness"))
		r->kind = KK_CWE_WEAKNESS;
	else if (kk_str_eqc(f[1], "Category"))
		r->kind = KK_CWE_CATEGORY;
	else if (kk_str_eqc(f[1], "View"))
		r->kind = KK_CWE_VIEW;
	else
		return kk_diag_set(d, KK_EPARSE, "Type", "CWE-%d: type '%.*s' is not Weakness, Category or View",
				   r->id, (int)(f[1].len > 30 ? 30 : f[1].len), f[1].ptr);
	if (!f[2].len)
		return kk_diag_set(d, KK_EPARSE, "Name", "CWE-%d has no name", r->id);
	if (!f[4].len)
		return kk_diag_set(d, KK_EPARSE, "Status", "CWE-%d has no status", r->id);
	r->name = f[2];
	r->abstraction = f[3];
	r->status = f[4];
	return 0;
}
