/*
 * record.h — one vulnerability as one source states it, and how it is kept.
 *
 * An importer turns one source record (an NVD CVE item, a CVE JSON 5
 * record, an OSV entry) into a struct kk_vuln_rec. Every string in it is
 * copied into the arena the caller passed, so the record lives exactly as
 * long as that arena (one import batch) and is freed with it; nothing in a
 * record is ever freed on its own.
 *
 * The database keeps one row per vulnerability in `vuln` with its own id:
 * the JVNDB id of a JVN iPedia record it holds, else PREFIX-YYYY-NNNNNN
 * minted when the first source mentions it (year from the record's public
 * date, else its CVE year; the rules, and when an id changes, in ids.h). Each source's contribution is one row
 * in vuln_source keyed by (source, source_id) with a content hash; all child
 * rows (texts, CVSS, CWE, CPE, packages, references) carry the id of the
 * vuln_source row they came from, so a newer version of one source replaces
 * exactly that source's rows and nothing else. Aliases (CVE, GHSA, GO-, JVN#,
 * ...) point at the vuln row and are never removed: an id once known keeps
 * finding the record. See src/store/schema/0003-vulndb.sql.
 */
#ifndef KK_VULNDB_RECORD_H
#define KK_VULNDB_RECORD_H
#include "base/arena.h"
#include "base/err.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

/* A text in one language: kind is "title", "overview", "description",
 * "solution" or "workaround"; lang the language it is stored under, a
 * lower-case primary language subtag ("en", "ja": see kk_vuln_lang). */
struct kk_vuln_text {
	const char *lang, *kind, *text;
};

/* One CVSS score: version "2.0" "3.0" "3.1" "4.0"; score < 0 when unknown. */
struct kk_vuln_cvss {
	const char *version, *vector, *severity, *source, *type;
	double score;
};

/*
 * One affected (or, with vulnerable false, required) product. cfg and node
 * group rows as NVD configurations do: rows of one node are alternatives
 * (node_and false) or all needed (node_and true); the nodes of one cfg are
 * combined by cfg_and. Range bounds are NULL when absent; version is the
 * exact version when there is no range ("*" or "-" as the CPE says).
 */
struct kk_vuln_cpe {
	int cfg, node;
	bool cfg_and, node_and, negate, vulnerable;
	const char *cpe23, *vendor, *product, *version;
	const char *start_incl, *start_excl, *end_incl, *end_excl;
};

/*
 * One affected package range (OSV style). range_type "SEMVER", "ECOSYSTEM",
 * "GIT", or "versions" for a row that only lists versions (a JSON array in
 * `versions`). An OSV range with several introduced events gives several rows.
 */
struct kk_vuln_pkg {
	const char *ecosystem, *name, *purl, *range_type;
	const char *introduced, *fixed, *last_affected, *limit, *versions;
};

/* A reference: url and its type/tags ("FIX", "Patch,Vendor Advisory"). */
struct kk_vuln_ref {
	const char *url, *type;
};

/*
 * A value of a JVN iPedia VULDEF record the merged record has no column
 * for (schema 0026 vuln_jvn_item: what a..e, t..t3 hold per kind), so that
 * getVulnDetailInfo gives it back as JVN wrote it. Strings may be NULL.
 */
struct kk_vuln_jvn_item {
	const char *kind; /* "affected", "impact", "related", "history", "dates" */
	const char *lang;
	const char *a, *b, *c, *d, *e;
	int64_t t, t2, t3;
};

#define KK_VULN_VEC(T, name)                                                                                 \
	T *name;                                                                                             \
	size_t n_##name, cap_##name

struct kk_vuln_rec {
	const char *source;    /* "nvd", "cve5", "osv", "jvn", "jvnrss" (+"-en", import_jvn.h) */
	const char *source_id; /* CVE-2021-44228, GO-2022-0001, ... (NULL until known) */
	const char *format;    /* the parser that made it: "nvd-json1.1", "nvd-api2", "cve5", "osv",
	                          "jvn-vuldef", "jvnrss" */
	int64_t published;     /* seconds; 0 = not stated */
	int64_t modified;
	int64_t public_date;
	int64_t first_published;
	/*
	 * The source says the record is no longer valid: a CVE authority (CVE 5
	 * state REJECTED, NVD vulnStatus "Rejected" or a rejection description,
	 * kk_vuln_rejected_text) rejected it, or OSV withdrew it (`withdrawn`).
	 * withdrawn_at: when (0 = not stated); withdrawn_reason: why, as the
	 * source says it (NULL = not stated). How a record of several sources is
	 * decided: the view vuln_verdict of schema 0025.
	 */
	bool withdrawn;
	int64_t withdrawn_at;
	const char *withdrawn_reason;
	KK_VULN_VEC(const char *, aliases);
	KK_VULN_VEC(struct kk_vuln_text, texts);
	KK_VULN_VEC(struct kk_vuln_cvss, cvss);
	KK_VULN_VEC(int, cwes);
	KK_VULN_VEC(struct kk_vuln_cpe, cpes);
	KK_VULN_VEC(struct kk_vuln_pkg, pkgs);
	KK_VULN_VEC(struct kk_vuln_ref, refs);
	KK_VULN_VEC(struct kk_vuln_jvn_item, jvn); /* JVN VULDEF records only */
	unsigned char hash[16]; /* of the source JSON, see kk_vuln_rec_hash */
	struct kk_arena *arena; /* where everything above lives */
};

/*
 * Parsers (import_cve5.c, import_nvd.c, import_osv.c; parse.h picks one for
 * a record): one source record (a JSON object) into *rec, which they
 * initialise (strings copied into `a`). 0 on success; on a bad record a
 * negative KK_E* with d->where = the JSON pointer of the offending field
 * and d->msg = what is wrong. rec->source_id is set as early as it is known
 * so a caller can name the record in its report even on failure.
 */
int kk_vuln_parse_cve5(const json_t *obj, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d);
int kk_vuln_parse_nvd11(const json_t *item, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d);
int kk_vuln_parse_nvd2(const json_t *item, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d);
int kk_vuln_parse_osv(const json_t *obj, struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d);

/* --- building records (used by the parsers) --- */

/* Appends a JVN item (its strings copied). 0 or KK_ENOMEM. */
int kk_vuln_rec_jvn(struct kk_vuln_rec *rec, const struct kk_vuln_jvn_item *it);

void kk_vuln_rec_init(struct kk_vuln_rec *rec, struct kk_arena *a);
/* A parser's first step: init, name source and format, check obj is an
 * object ("<what> must be an object" otherwise). 0 or KK_EPARSE. */
int kk_vuln_rec_start(struct kk_vuln_rec *rec, struct kk_arena *a, const char *source, const char *format,
		      const json_t *obj, const char *what, struct kk_diag *d);
/* Each add copies its strings into rec->arena; NULL strings stay NULL. 0 or KK_ENOMEM. */
int kk_vuln_rec_alias(struct kk_vuln_rec *rec, const char *id);
/* lang is a language as stored (kk_vuln_lang's result, a constant "en"/"ja", or read back from the
 * database) and is copied as it is (NULL: "en"); kind is not copied (give a static string). NULL or
 * empty text adds nothing. */
int kk_vuln_rec_text(struct kk_vuln_rec *rec, const char *lang, const char *kind, const char *text);
/* A text in the language a source tagged it with: kk_vuln_lang(tag), then kk_vuln_rec_text.
 * 0, KK_ENOMEM, or KK_EPARSE (a malformed tag; d says so at `where`). */
int kk_vuln_rec_text_tagged(struct kk_vuln_rec *rec, const char *tag, const char *kind, const char *text,
                            const char *where, struct kk_diag *d);
int kk_vuln_rec_cvss(struct kk_vuln_rec *rec, const struct kk_vuln_cvss *c);
int kk_vuln_rec_cwe(struct kk_vuln_rec *rec, int cwe);
/* vendor/product/version left NULL are taken from c->cpe23 (2.3 or 2.2 URI). */
int kk_vuln_rec_cpe(struct kk_vuln_rec *rec, const struct kk_vuln_cpe *c);
int kk_vuln_rec_pkg(struct kk_vuln_rec *rec, const struct kk_vuln_pkg *p);
int kk_vuln_rec_ref(struct kk_vuln_rec *rec, const char *url, const char *type);
/* Content hash (BLAKE2b-128) of the compact JSON of obj into rec->hash. */
int kk_vuln_rec_hash(struct kk_vuln_rec *rec, const json_t *obj);

/* The longest language a text is stored under (a primary language subtag), with its NUL. */
#define KK_VULN_LANG_MAX 9
/*
 * The language a source's text is stored under, from the source's language
 * tag (RFC 5646, std/langtag.h) into out:
 *   - NULL (the source gives no tag): "en", the CVE JSON 5 schema's default
 *     and what every source without a tag has meant so far;
 *   - a well-formed tag: its primary language subtag in lower case
 *     ("en-US" -> "en", "ja-JP" -> "ja", "zh-Hant-TW" -> "zh"), and a
 *     three-letter ISO 639-2 code that has a two-letter ISO 639-1 one
 *     replaced by it (RFC 5646 4.1, the shortest ISO 639 code: "eng" -> "en",
 *     "jpn" -> "ja"; only the languages the sources have been seen to use
 *     are mapped, see record.c); "und" for a tag that names no language by a
 *     language subtag (private use "x-...", the grandfathered "i-..." tags);
 *   - '_' is read as '-' first: the CVE JSON 5 schema's lang pattern allows
 *     it, and POSIX locale names ("en_US", "ja_JP") say the same language;
 *   - anything else (including "") is KK_EPARSE with d (may be NULL) set at
 *     `where`: 'lang must be an RFC 5646 language tag such as en or ja-JP,
 *     got "en--US" (why)'.
 */
int kk_vuln_lang(const char *tag, char out[KK_VULN_LANG_MAX], const char *where, struct kk_diag *d);

/*
 * Whether a description says its CVE was rejected, as NVD writes it (JSON
 * 1.1 feeds and API 2.0; CVE 5 says it in cveMetadata.state instead):
 * "** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. ...", the variants
 * "** REJECTED **" and "**REJECT**" (any spacing inside the stars), and
 * "Rejected reason: ..." (NVD since 2023). Leading white space is skipped.
 * The other markers are not rejections: "** DISPUTED **", "** UNSUPPORTED
 * WHEN ASSIGNED **", "** SPLIT **", "** UNVERIFIABLE **". When rejected,
 * *reason (may be NULL) points into text at the reason after the marker(s)
 * ("Rejected reason: ** REJECT ** X" gives "X"), "" when none is given.
 */
bool kk_vuln_rejected_text(const char *text, const char **reason);

/* "CWE-79" -> 79; 0 for NVD-CWE-noinfo / NVD-CWE-Other; -1 when not a CWE id. */
int kk_vuln_cwe_id(const char *s);
/* 0 none, 1 low, 2 medium, 3 high, 4 critical, from a severity word (any case). */
int kk_vuln_severity_rank(const char *severity);

/* --- storing records --- */

enum kk_vuln_outcome {
	KK_VULN_ADDED,     /* a new vulnerability (new JVNDB id) */
	KK_VULN_MERGED,    /* a new source record joined an existing vulnerability (shared id) */
	KK_VULN_UPDATED,   /* the source's record changed: its rows were replaced */
	KK_VULN_UNCHANGED, /* same content hash: nothing written */
	KK_VULN_OLDER,     /* the stored copy of this source is newer: nothing written */
};

/*
 * Upserts one record inside the caller's transaction (kk_db_tx): finds the
 * vulnerability by source id or any alias (or creates it with its own JVNDB
 * id or a minted one; the ids it brings win over minted ones, ids.h), then compares the source's content hash: same hash -> UNCHANGED;
 * stored copy newer (modified later) -> OLDER, nothing written; otherwise
 * the source's rows are replaced, the record's dates and top score are
 * recomputed, and a vuln_history row says what changed (ADDED, MERGED or
 * UPDATED).
 * vuln_id (may be NULL) receives the vulnerability's row id, jvndb (may be
 * NULL, >= 24 bytes) its id.
 * Returns the outcome (>= 0) or a negative KK_E*.
 */
int kk_vuln_upsert(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t *vuln_id, char *jvndb,
                   size_t jvndb_len);

#endif
