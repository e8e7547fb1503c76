/*
 * cwe.h — CWE identifiers and the records of the CWE catalog CSV
 * (../shared/data/cwe/cwe_v4.15_ids.csv: CWE-ID,Type,Name,Abstraction,Status).
 * Pure: no I/O, no allocation, thread-safe. Loading the catalog into the
 * database is vulndb/cwe_catalog.h.
 */
#ifndef KK_STD_CWE_H
#define KK_STD_CWE_H
#include "base/err.h"
#include "base/str.h"
#include <stddef.h>

/* Largest CWE number accepted (MITRE's ids are below 2000 today). */
#define KK_CWE_MAX_ID 999999

/*
 * Parses "CWE-79" (any case of "CWE", optional spaces around) or a bare
 * "79" from s[0..len) into *id. Returns 0, or KK_EPARSE with d saying why
 * ("'CWE-' must be followed by a number", "leading zeros", ...).
 */
int kk_cwe_id_parse(const char *s, size_t len, int *id, struct kk_diag *d);

enum kk_cwe_kind { KK_CWE_WEAKNESS, KK_CWE_CATEGORY, KK_CWE_VIEW };
/* "weakness", "category", "view". */
const char *kk_cwe_kind_name(enum kk_cwe_kind k);

struct kk_cwe_record {
	int id;
	enum kk_cwe_kind kind;
	struct kk_str name;	   /* unquoted */
	struct kk_str abstraction; /* Pillar/Class/Base/Variant/Compound; empty for categories and views */
	struct kk_str status;	   /* Stable, Draft, Incomplete, Obsolete, Deprecated, ... */
};

/*
 * Parses one CSV record (without its line end) of the catalog: five fields,
 * RFC 4180 quoting ("a, b" and "" for a quote inside quotes). Unquoted
 * field text is written to store[0..cap) (cap >= len suffices) and the
 * record's slices point there. Returns 0, KK_EPARSE (d->where names the
 * field), or KK_ETOOBIG when store is too small.
 */
int kk_cwe_csv_record(const char *line, size_t len, struct kk_cwe_record *r, char *store, size_t cap,
		      struct kk_diag *d);

#endif
