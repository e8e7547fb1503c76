/*
 * cwe_catalog.h — loads MITRE's CWE catalog into the database: entries into
 * table cwe, ChildOf relations into cwe_parent (schema 0002-cwe.sql).
 *
 * The directory holds cwe_v<VERSION>_ids.csv (CWE-ID,Type,Name,Abstraction,
 * Status; the highest version present is used), cwe-hierarchy.json
 * ([{"weaknessId":"1004","parentId":"732"}, ...]) and, optionally,
 * MITRE's catalog cwec_v<VERSION>.xml.xz, read (streamed, decompressed on
 * the fly) only for the views that state each ChildOf relation — as
 * ../shared/data/cwe does. Relations get one cwe_parent row per view; a
 * relation no view is known for has view 0. Everything is checked before
 * anything is written; then one transaction upserts the entries and
 * relations and removes relations the catalog no longer has. Loading the
 * same catalog again changes nothing. Not for concurrent use on one db.
 */
#ifndef KK_VULNDB_CWE_CATALOG_H
#define KK_VULNDB_CWE_CATALOG_H
#include "base/err.h"

struct kk_db;

/*
 * Returns the number of rows added, changed or removed (0: the database
 * already held this catalog), or a negative error: KK_EIO (a file is
 * missing or unreadable), KK_EPARSE (d names file:line or JSON index, the
 * field and why), KK_EDB etc. from the database (nothing is changed).
 */
int kk_cwe_catalog_load(struct kk_db *db, const char *dir, struct kk_diag *d);

#endif
