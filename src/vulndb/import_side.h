/*
 * import_side.h — the two inputs of `keikai import` that are not
 * vulnerability records: MyJVN product dictionary lines (import_dict.c)
 * and CISA KEV entries (import_kev.c). import.c detects them
 * (kk_vuln_format_detect: {"vid","pcpe",...} and {"cveID","dateAdded",...},
 * or a CSV file whose header names cveID), parses them on the reader
 * thread into these structs (strings in the batch's arena) and upserts them
 * in the batch's transaction.
 *
 * Parsers return 0 or KK_EPARSE with d->where = the JSON pointer (or CSV
 * column name) of the bad field and d->msg = what is wrong and the fix.
 * Upserts return an enum kk_vuln_outcome (ADDED, UPDATED, UNCHANGED) or a
 * negative KK_E*; an unchanged entry writes nothing.
 */
#ifndef KK_VULNDB_IMPORT_SIDE_H
#define KK_VULNDB_IMPORT_SIDE_H
#include "base/arena.h"
#include "base/err.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct kk_db;

/* One MyJVN product dictionary line; CPE values in 2.3 formatted-string form. */
struct kk_dict_entry {
	int64_t vid, pid;
	const char *vname, *pname;                        /* as given */
	const char *vendor;                               /* CPE vendor of vcpe */
	const char *part, *pvendor, *product;             /* of pcpe */
	const char *id;                                   /* "vid/pid" for reports */
};
int kk_dict_parse_jvn(const json_t *obj, struct kk_arena *a, struct kk_dict_entry *e, struct kk_diag *d);
int kk_dict_upsert_jvn(struct kk_db *db, const struct kk_dict_entry *e);

/* One KEV entry (all strings as given; NULL when absent). */
struct kk_kev_entry {
	const char *cve, *vendor, *product, *name, *date_added, *due_date, *ransomware;
	const char *action, *description, *notes, *cwes;
	unsigned char hash[16]; /* of the fields, so a re-import changes nothing */
};
/* From a JSON object of the catalog's vulnerabilities array. */
int kk_kev_parse_json(const json_t *obj, struct kk_arena *a, struct kk_kev_entry *e, struct kk_diag *d);
/*
 * From one CSV row: names[i] is the header of column i, vals[i] its value
 * (n columns). Same checks as the JSON form; d->where is the column name.
 */
int kk_kev_parse_csv(const char *const *names, const char *const *vals, size_t n, struct kk_arena *a,
                     struct kk_kev_entry *e, struct kk_diag *d);
int kk_kev_upsert(struct kk_db *db, const struct kk_kev_entry *e);

/*
 * Splits one CSV record (RFC 4180: quoted fields, "" for a quote, line
 * breaks inside quotes) from f into at most max fields written to the
 * arena. *n receives the count. 1 when a record was read, 0 at end of
 * input, KK_EPARSE for an unterminated quote, KK_ETOOBIG for a record over
 * 1 MiB or more than max fields. *lines is advanced by the lines consumed.
 */
int kk_csv_record(FILE *f, struct kk_arena *a, char **fields, size_t max, size_t *n, long *lines);

#endif
