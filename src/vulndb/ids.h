/*
 * ids.h — the id a vulnerability record is known by, and who owns it.
 *
 * A record imported from JVN iPedia is known by the JVNDB id JVN gave it
 * (an "own" id: some source of the record has it as its source id). Every
 * other record gets an id minted here, PREFIX-YYYY-NNNNNN, with the
 * operator's prefix (`keikai init --id-prefix`, kept in meta
 * 'vuln.id_prefix'; KKDB unless chosen; an operator that is the JVNDB
 * authority may choose JVNDB). The rules:
 *   - minting never hands out an id some record holds: an id, an alias, or
 *     a former id (vuln_former);
 *   - an imported id wins: a record whose minted id an import brings (as
 *     its own id or an alias) is renumbered; a record that a JVN record
 *     joins while it has a minted id takes the JVN id, and the minted one
 *     becomes a former id that still finds it (pages redirect);
 *   - former ids never join records and yield to any import that brings
 *     them.
 * See docs/architecture.md ("Identifiers") and schema 0023.
 */
#ifndef KK_VULNDB_IDS_H
#define KK_VULNDB_IDS_H
#include "base/err.h"
#include <stdbool.h>
#include <stdint.h>

struct kk_db;
struct kk_vuln_rec;

#define KK_VULN_PREFIX_DEFAULT "KKDB"
#define KK_VULN_PREFIX_MAX 10 /* PREFIX-YYYY-NNNNNN fits 23 bytes */

/*
 * Whether prefix can start minted ids: 2 to 10 capital letters or digits,
 * the first a letter, and not a numbering another authority owns (CVE,
 * GHSA, ...). 0, or KK_EINVAL with d saying why and what to give instead.
 */
int kk_vuln_prefix_check(const char *prefix, struct kk_diag *d);

/* The operator's prefix into out (KKDB when none was stored). 0 or a KK_E*. */
int kk_vuln_prefix_get(struct kk_db *db, char out[KK_VULN_PREFIX_MAX + 1]);

/* Checks (kk_vuln_prefix_check) and stores the prefix new ids get. 0 or a KK_E*. */
int kk_vuln_prefix_set(struct kk_db *db, const char *prefix, struct kk_diag *d);

/*
 * Whether id has the form of a database id, PREFIX-YYYY-NNNNNN (a prefix as
 * above, six or more digits; JVNDB ids have it). *year (may be NULL)
 * receives YYYY. CVE ids do not count.
 */
bool kk_vuln_id_form(const char *id, int *year);

/* The JVNDB id rec brings as its own (a JVN iPedia record's), or NULL. */
const char *kk_vuln_own_id(const struct kk_vuln_rec *rec);

/*
 * The next free id PREFIX-YEAR-NNNNNN into id (>= 24 bytes): serials count
 * per prefix and year (vuln_id_serial) and skip every id a record holds as
 * its id, an alias or a former id. 0, KK_ERANGE past 999999, or a KK_E*.
 */
int kk_vuln_id_mint(struct kk_db *db, int year, char *id);

/*
 * An import brings id (as its own id or an alias) for the record vid (0:
 * a record not created yet): a record other than vid holding id as its
 * minted id is renumbered (a new minted id, a history row naming `by`,
 * its search row rewritten), and a former id of another record yields.
 * Ids without the database form cost nothing. 0 or a KK_E*.
 */
int kk_vuln_id_claim(struct kk_db *db, int64_t vid, const char *id, const char *by);

/*
 * Record vid, which the import `by` joins, takes own as its id when its id
 * was minted here: the minted id becomes a former id of it. A record
 * already known by an imported id keeps it (own stays an alias). 0 or a
 * KK_E*.
 */
int kk_vuln_id_take(struct kk_db *db, int64_t vid, const char *own, const char *by);

/*
 * Record loser, holding an id minted here, is being merged into record
 * winner (a JVN record names the CVEs of both, vulndb/upsert.c): loser's id
 * and its former ids become former ids of winner, so they still find it,
 * and winner's history says so, naming `by`. The caller moves the rows and
 * deletes loser. 0 or a KK_E*.
 */
int kk_vuln_id_fold(struct kk_db *db, int64_t winner, int64_t loser, const char *by);

#endif
