/*
 * formats.h — an advisory in the machine-readable forms it is published in,
 * and the stable URLs each form lives at.
 *
 *   CVE JSON 5.1 record  one per vulnerability   /jvn/{slug}/cve/{CVE-ID}
 *   CSAF 2.0             one per advisory         /jvn/{slug}/csaf  and the
 *                        CSAF directory           /.well-known/csaf/white/{YYYY}/{file}
 *   OSV                  one per advisory         /jvn/{slug}/osv
 *   JVNRSS 3.2 item      (vulndb/jvnxml.h)        /jvn/{slug}/jvnrss
 *   HTML (ja, en)        (web/page_advisory*.c)   /jvn/{slug}, /jvn/{slug}/en
 *
 * {slug} is the identifier with '_' for '#' (JVNVU_12345678). URLs are
 * absolute, on $KEIKAI_BASE_URL (default http://127.0.0.1:8080).
 *
 * Writers take a struct kk_advisory read by kk_adv_get (a working copy for
 * a preview, a frozen revision for the public) and write into a kk_json or
 * kk_buf; errors are sticky in the writer, checked once by the caller. They
 * read nothing else, except the CSAF writer, which looks CWE names up in
 * the database (db may be NULL: then the CWE is left out, since CSAF
 * requires MITRE's exact name).
 */
#ifndef KK_PUBLISH_FORMATS_H
#define KK_PUBLISH_FORMATS_H
#include "base/buf.h"
#include "base/json.h"
#include "publish/advisory.h"
#include <stddef.h>

/* MITRE's name of CWE-cwe from the loaded catalog (copied into a), NULL when unknown or db is NULL. */
const char *kk_adv_cwe_name(struct kk_db *db, int cwe, struct kk_arena *a);
/* $KEIKAI_BASE_URL without a trailing '/'. */
const char *kk_adv_base_url(void);
/* The public page of ident in lang ("ja": /jvn/{slug}, "en": /jvn/{slug}/en) into out. */
void kk_adv_url(const char *ident, const char *lang, char *out, size_t n);
/* CSAF file name of ident: "jvnvu_12345678.json". */
void kk_adv_csaf_filename(const char *ident, char *out, size_t n);

/* The CVE JSON 5.1 record (dataVersion 5.1, PUBLISHED) of vulnerability idx. KK_EINVAL when it has no CVE id. */
int kk_adv_cve5(struct kk_json *j, const struct kk_advisory *adv, size_t idx);
/* The CSAF 2.0 security advisory (TLP:WHITE). */
int kk_adv_csaf(struct kk_json *j, struct kk_db *db, const struct kk_advisory *adv);
/* The OSV record (id "x_JVNVU-12345678" style: OSV knows no JVN prefix yet). */
int kk_adv_osv(struct kk_json *j, const struct kk_advisory *adv);

/* /.well-known/csaf/provider-metadata.json for the published advisories. */
int kk_csaf_provider_metadata(struct kk_json *j, struct kk_db *db);
/* The directory's index.txt ("2026/jvnvu_12345678.json" lines) or changes.csv ("path","time" newest first). */
int kk_csaf_index(struct kk_buf *b, struct kk_db *db, bool changes);
/* The advisory whose CSAF file is {year}/{file}: 0 and *id, or KK_ENOTFOUND (also when not public). */
int kk_csaf_find(struct kk_db *db, const char *year, const char *file, int64_t *id);

#endif
