/*
 * affected.h — the product index of the vulnerability database: which
 * records affect which product (vendor/product dictionary rows, dict.h) in
 * which version ranges, kept in table vuln_affect (0009-vulndb-dict.sql),
 * and the CPE / purl queries that read it.
 *
 * The index is written by kk_vuln_upsert inside its transaction: every
 * vulnerable CPE row of a record and every affected package range becomes
 * one vuln_affect row under the product's id (the vendor and product are
 * added to the dictionary when new), and a source's rows are replaced with
 * its other child rows. Rows are clustered by product, so a query reads
 * one stretch of the table and decides the ranges here in C with
 * std/version.h: no scan, no SQL per range.
 *
 * Query semantics:
 *   cpe:  a CPE 2.3 formatted string or 2.2 URI naming a vendor and a
 *         product. Its version ANY ('*', or absent) or NA ('-') matches
 *         every record affecting the product; any other version matches
 *         the records one of whose rows covers it: an exact version equal
 *         to it, '*' (all versions), or a range (start/end, including or
 *         excluding) holding it, compared as generic versions. A part
 *         (a/o/h) and the attributes after the version, where the query
 *         sets them, must not be disjoint from the row's.
 *   purl: pkg:type/namespace/name[@version]. Without a version every
 *         record affecting the package; with one the records with an OSV
 *         range holding it (introduced <= v < fixed, v <= last_affected,
 *         v < limit) or listing it, compared by the ecosystem's scheme.
 *         pkg:golang/stdlib and pkg:golang/toolchain also take Go's release
 *         tags (go1.20 = v1.20.0, go1.21rc1 = v1.21.0-rc.1).
 *   vendor / product names (kk_affect_match_names): every record with a
 *         row of any kind for a product they select — the answer of a cpe
 *         without a version, for every product a name selects.
 *
 * Versions: an exact version is stored under its key (std/version.h
 * kk_version_key), so 2.0 = 2.0.0 = v2 as in ranges, found by one index
 * lookup. A commit hash is no version: ranges bounded by commits (CVE 5
 * version type "git") never hold a version; a query whose version is a
 * commit (kk_version_is_commit) finds the exact rows of that commit, the
 * commit ranges it introduces (a prefix of 7 or more digits names the same
 * commit) and the rows of all versions ('*').
 *
 * Ids come back ascending and without duplicates in a struct kk_affect_ids
 * (kk_malloc'd array; release with kk_affect_ids_release).
 */
#ifndef KK_VULNDB_AFFECTED_H
#define KK_VULNDB_AFFECTED_H
#include "base/err.h"
#include "vulndb/record.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

/* Longest CPE name accepted (std/cpe.h KK_CPE_MAX_LEN). */
#define KK_AFFECT_CPE_MAX 2048

struct kk_affect_ids {
	int64_t *v;
	size_t n, cap;
};
void kk_affect_ids_release(struct kk_affect_ids *ids);

/*
 * Records affecting the product (and version) that cpe names, into *ids.
 * 0; KK_EINVAL with d (field "cpe") when it is not a CPE name or names no
 * vendor and product; KK_EDB; KK_ENOMEM. An unknown product gives 0 ids.
 */
int kk_affect_match_cpe(struct kk_db *db, const char *cpe, struct kk_affect_ids *ids, struct kk_diag *d);
/* The same for a package URL (field "purl"). */
int kk_affect_match_purl(struct kk_db *db, const char *purl, struct kk_affect_ids *ids, struct kk_diag *d);

/*
 * Records affecting the products the dictionary names by vendor and/or
 * product (either may be NULL, not both): the products whose CPE vendor /
 * product keys they are (as given in lower case, or in CPE key form:
 * "Acme Corp" -> acme_corp), and only when no product has those keys, the
 * products named by a purl namespace / name or an English (any case) or
 * Japanese name. Every row kind counts: vendor=V&product=P answers what
 * cpe:2.3:*:V:P does. This is the one rule of "the records of product X": search's
 * vendor= / product= filters, the vendor and product feeds, MyJVN's
 * cpeName / vendorId / productId and `keikai export` all come here.
 * 0; KK_EINVAL when both are NULL; KK_EDB; KK_ENOMEM.
 */
int kk_affect_match_names(struct kk_db *db, const char *vendor, const char *product,
                          struct kk_affect_ids *ids);

/*
 * Whether a vulnerable CPE row's versions meet the version range a query
 * asks for (NVD API's versionStart/versionEnd; either end may be NULL,
 * each inclusive or not), by the index's rules: `version` is the row's
 * exact version with CPE escapes ('*': all versions, '-': none) used when
 * it has no bounds (si/se/ei/ee: start including/excluding, end
 * including/excluding, NULL when absent); versions compare as generic
 * versions (2.0 = 2.0.0, kk_version_key); a commit hash (row bound or
 * exact version, kk_version_is_commit) never meets a version range, nor
 * does a value the generic scheme cannot order.
 */
bool kk_affect_range_meets(const char *version, const char *si, const char *se, const char *ei, const char *ee,
                           const char *start, bool start_incl, const char *end, bool end_incl);

/*
 * purl type, namespace ("" when none) and name of an OSV package
 * (ecosystem "Go", "npm", "PyPI", "Maven", "crates.io", "Debian:11", ...;
 * name as OSV writes it), or of its purl when one is given. Writes into
 * buf[0..cap); the pointers point into it. 0, or KK_EINVAL when neither
 * gives a type and a name.
 */
int kk_affect_pkg_key(const char *ecosystem, const char *name, const char *purl, const char **type,
                      const char **ns, const char **pname, char *buf, size_t cap);

/*
 * The canonical CPE 2.3 formatted string of cpe (a 2.3 name or a 2.2 URI,
 * "cpe:/:vendor" too) into fs[0..cap). 0 or KK_EPARSE.
 */
int kk_affect_cpe_fs(const char *cpe, char *fs, size_t cap);

/* --- maintenance (inside the writer's transaction) --- */


/*
 * The product a record's previous CPE row named (zeroed before its first):
 * a record lists many versions of one product, and the product's id is
 * looked up once for them. Valid within one transaction only.
 */
struct kk_affect_memo {
	char vendor[256], product[256];
	int64_t id;
};
/* Indexes one CPE row (id cpe_row of vuln_cpe) of source src of record vid. */
int kk_affect_add_cpe(struct kk_db *db, int64_t vid, int64_t src, int64_t cpe_row, const struct kk_vuln_cpe *c,
                      struct kk_affect_memo *memo);
/* Indexes one package range (id pkg_row of vuln_pkg). */
int kk_affect_add_pkg(struct kk_db *db, int64_t vid, int64_t src, int64_t pkg_row, const struct kk_vuln_pkg *p);
/* Drops source src's rows. */
int kk_affect_delete_src(struct kk_db *db, int64_t src);
/*
 * Indexes the package rows stored before the index existed (the migration
 * indexed the CPE rows); *n (may be NULL) counts them. Own transaction.
 */
int kk_affect_backfill(struct kk_db *db, long *n);

/*
 * The dictionary's product id for a CPE vendor:product (FS form, as in a
 * cpe23 string; part may be NULL), adding vendor and product when new.
 */
int kk_affect_product_cpe(struct kk_db *db, const char *part, const char *vendor, const char *product,
                          int64_t *id);

/*
 * Why a record matched (for the version checker, watch/check.h): the rows
 * of the product a CPE or purl query names that belong to the records
 * kk_affect_match_cpe / _purl find, and every other row of that product
 * with matched = false (so a caller can tell the newest version the data
 * knows). covers: the row holds the asked version (always, without one).
 * Strings are valid during the callback only; range bounds are unescaped.
 */
enum kk_affect_why_kind { KK_WHY_CPE_EXACT, KK_WHY_CPE_RANGE, KK_WHY_PKG_RANGE, KK_WHY_PKG_LIST, KK_WHY_GIT };
struct kk_affect_why {
	int64_t vuln_id;
	enum kk_affect_why_kind kind;
	bool matched, covers;
	const char *scheme;   /* version scheme name ("generic", "semver", "maven", ...) */
	const char *version;  /* CPE_EXACT: the version ('*' every version) */
	const char *lo, *hi;  /* bounds, NULL when open */
	bool lo_excl, hi_incl;
	const char *lim;      /* OSV limit, or NULL */
	const char *versions; /* PKG_LIST: JSON array of versions */
};
/*
 * Runs the match (ids as kk_affect_match_cpe / _purl fill it), then why(arg,
 * w) for each row described above. Returns 1 when the product is in the
 * index, 0 when it is not (no rows, no ids), or the match's error.
 */
int kk_affect_explain_cpe(struct kk_db *db, const char *cpe, struct kk_affect_ids *ids,
                          int (*why)(void *arg, const struct kk_affect_why *w), void *arg, struct kk_diag *d);
int kk_affect_explain_purl(struct kk_db *db, const char *purl, struct kk_affect_ids *ids,
                           int (*why)(void *arg, const struct kk_affect_why *w), void *arg, struct kk_diag *d);

#endif
