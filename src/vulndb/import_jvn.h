/*
 * import_jvn.h — MyJVN XML into records: VULDEF 3.2 (vuldef:Vulinfo, the
 * getVulnDetailInfo answer and the detail feed) and JVNRSS 3.2 (RSS 1.0
 * items with the sec: module, getVulnOverviewList and the JVNDB feeds).
 * Internal to src/vulndb/ (import.c and the fuzz harness).
 *
 * The document is streamed with libxml2's xmlReader: only one record
 * element (Vulinfo or item) is expanded at a time, so a feed of any size
 * runs in constant memory. Each record goes through the sink:
 *
 *   slot(arg, &arena)  a record to fill and the arena its strings go to
 *                      (they live as long as that arena; NULL: out of memory)
 *   take(arg)          the slot is a good record: keep it (0, or a negative
 *                      KK_E* that stops the read and is returned)
 *   bad(arg, id, fmt, d) a record (id: its JVNDB id, or "#N") or the
 *                      document (id "#doc") was rejected; d->where is
 *                      "line:col" for XML syntax errors, "line N: path"
 *                      for a wrong field, d->line its line
 *
 * Records: source "jvn" (VULDEF) or "jvnrss" (RSS), "-en" appended for an
 * English document, so the Japanese and English versions of one JVNDB
 * entry and its summary are separate sources of one vulnerability;
 * source_id the JVNDB id (also an alias, with every CVE / JVN# id named).
 * Language from xml:lang (the record's or the document's), "ja" or "en".
 * The content hash covers the format, the language and the record's XML.
 */
#ifndef KK_VULNDB_IMPORT_JVN_H
#define KK_VULNDB_IMPORT_JVN_H
#include "base/arena.h"
#include "vulndb/parse.h"
#include <stdint.h>
#include <stdio.h>

struct kk_jvn_sink {
	struct kk_vuln_rec *(*slot)(void *arg, struct kk_arena **a);
	int (*take)(void *arg);
	void (*bad)(void *arg, const char *id, const char *format, const struct kk_diag *d);
	void *arg;
};

/*
 * Reads one XML document from in. fmt: KK_VF_AUTO (by the root element:
 * VULDEF-Document -> jvn-vuldef, rdf:RDF -> jvnrss), KK_VF_JVN_VULDEF or
 * KK_VF_JVNRSS (a document of the other kind is rejected as a whole).
 * *recno (may be NULL) counts the record elements met. Returns 0 when the
 * document was read (bad records and a malformed rest reported through
 * bad), KK_ENOMEM, or take's negative result.
 */
int kk_jvn_read(FILE *in, enum kk_vuln_format fmt, const struct kk_jvn_sink *s, long *recno);

#endif
