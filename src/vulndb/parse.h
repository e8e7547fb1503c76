/*
 * parse.h — which format a source record is in, and the parser that reads
 * it: the formats `keikai import --format` names, their detection from a
 * record's JSON, and kk_vuln_parse, which hands one JSON record to its
 * parser (record.h: kk_vuln_parse_cve5, _nvd11, _nvd2, _osv) and computes
 * the record's content hash. The XML formats are read by import_jvn.h, the
 * two inputs that are not records by import_side.h.
 */
#ifndef KK_VULNDB_PARSE_H
#define KK_VULNDB_PARSE_H
#include "base/arena.h"
#include "base/err.h"
#include "vulndb/record.h"
#include <jansson.h>
#include <stddef.h>

enum kk_vuln_format {
	KK_VF_AUTO = 0,
	KK_VF_CVE5,
	KK_VF_NVD_API2,
	KK_VF_NVD_JSON11,
	KK_VF_OSV,
	KK_VF_JVN_VULDEF, /* XML: import_jvn.h */
	KK_VF_JVNRSS,
	KK_VF_JVN_PRODUCTS, /* MyJVN product dictionary lines (import_side.h), not records */
	KK_VF_KEV,          /* CISA KEV entries, JSON or CSV (import_side.h), not records */
};

/* "cve5", "nvd-api2", "nvd-json1.1", "osv", "jvn-vuldef", "jvnrss", "jvn-products", "kev"; "auto" for KK_VF_AUTO. */
const char *kk_vuln_format_name(enum kk_vuln_format f);
/* The format named s, or -1. */
int kk_vuln_format_parse(const char *s);
/*
 * Guesses the format of one record object: CVE JSON 5 (dataType
 * CVE_RECORD), NVD 1.1 item (cve.CVE_data_meta), NVD API 2.0 item (cve.id),
 * OSV (id + modified), a MyJVN product dictionary line (vid + pcpe), a KEV
 * entry (cveID + dateAdded). KK_VF_AUTO when it is none of them.
 */
enum kk_vuln_format kk_vuln_format_detect(const json_t *obj);

/*
 * Dispatches on fmt (KK_VF_AUTO: kk_vuln_format_detect) and sets rec->hash:
 * of raw[0..rawlen) when raw is given (the record's source text, as the
 * importer read it without insignificant whitespace), else of obj's compact
 * JSON (kk_vuln_rec_hash).
 */
int kk_vuln_parse(enum kk_vuln_format fmt, const json_t *obj, const char *raw, size_t rawlen,
                  struct kk_arena *a, struct kk_vuln_rec *rec, struct kk_diag *d);

#endif
