/*
 * import.h — `keikai import`: reads files, directories or standard input
 * (.json, .jsonl, .xml; plain, gzip or xz, recognised by their first bytes),
 * splits them into records without ever holding a whole file in memory,
 * parses each record (record.h) and upserts it, one transaction per batch.
 *
 * A file may be one record, a JSON array of records, JSON Lines, an NVD 1.1
 * feed ({..., "CVE_Items": [...]}) or an NVD API 2.0 response
 * ({..., "vulnerabilities": [...]}); the array is streamed item by item.
 * A file starting with '<' is one MyJVN XML document (VULDEF 3.2 or JVNRSS
 * 3.2, see import_jvn.h), streamed record element by record element; its
 * reports name the XML line (and column for syntax errors) instead of a
 * JSON pointer.
 *
 * Writing to a database, parsing runs on the caller's thread and the
 * transactions on a writer thread of the importer (up to three batches in
 * flight); the counters are final after kk_import_finish. Callbacks run on
 * the caller's thread.
 *
 * A bad record is reported through opts->report (file, record id, JSON
 * pointer, reason), counted, skipped; the import goes on. A batch commits
 * as a whole, so a crash loses at most the batch in flight and re-running
 * the same import finishes the job (committed records come back unchanged).
 *
 *   struct kk_import imp;
 *   kk_import_init(&imp, db, &opts);
 *   rc = kk_import_path(&imp, "feeds/");     // any number of paths
 *   rc = kk_import_finish(&imp);             // commits the last batch
 *   ... imp.added, imp.skipped, kk_import_reasons(&imp) ...
 *   kk_import_release(&imp);
 */
#ifndef KK_VULNDB_IMPORT_H
#define KK_VULNDB_IMPORT_H
#include "base/arena.h"
#include "vulndb/parse.h"
#include <stdint.h>
#include <stdio.h>

struct kk_db;
struct kk_import;
struct kk_import_pipe;

struct kk_import_opts {
	enum kk_vuln_format format; /* KK_VF_AUTO: detect per record */
	size_t batch;               /* records per transaction (0: 1000) */
	/*
	 * Called for each skipped record or unreadable file. file is the path
	 * ("-" for standard input); id the record id or "#N" (its position);
	 * d->where the JSON pointer; d->msg the reason. May be NULL.
	 */
	void (*report)(void *arg, const char *file, const char *id, const struct kk_diag *d);
	/* Called about every 0.25 s with the counts so far. May be NULL. */
	void (*progress)(void *arg, const struct kk_import *imp);
	/*
	 * When set, each full batch of parsed records goes to sink instead of
	 * the database (db may then be NULL): parse-only runs, tests, fuzzing.
	 * The records live until sink returns. Return 0 or a negative KK_E*.
	 */
	int (*sink)(void *arg, const struct kk_vuln_rec *recs, size_t n);
	/*
	 * Called inside each batch's transaction after its records (on the
	 * writer thread): what must commit with the records — a sync's cursor
	 * (sync/sync.h) — is written here. A negative return rolls the batch
	 * back and stops the import. May be NULL.
	 */
	int (*commit)(void *arg, struct kk_db *db);
	void *arg;
};

#define KK_IMPORT_REASONS 32
struct kk_import_reason {
	char key[160]; /* "nvd-json1.1 /cve/CVE_data_meta/ID: parse_error" with indexes as * */
	long count;
};

struct kk_import {
	struct kk_db *db;
	struct kk_import_opts opts;
	long added, merged, updated, unchanged, older, skipped, files, bad_files;
	long indexed; /* new records put into the search index with them (vulndb/search.h) */
	uint64_t bytes_total; /* compressed bytes of all inputs, when known (0: not) */
	uint64_t bytes_read;  /* compressed bytes consumed so far */
	uint64_t started_ns;
	struct kk_import_reason reasons[KK_IMPORT_REASONS];
	int n_reasons;
	long other_reasons; /* skips beyond the table */
	uint64_t last_progress_ns;
	struct kk_import_pipe *pipe; /* batches and the writer thread (import.c) */
};

void kk_import_init(struct kk_import *imp, struct kk_db *db, const struct kk_import_opts *opts);
void kk_import_release(struct kk_import *imp);
/*
 * Adds the sizes of path (a file or a directory, recursively) to
 * imp->bytes_total so progress can show an ETA. Optional.
 */
void kk_import_measure(struct kk_import *imp, const char *path);
/*
 * Imports a file, a directory (recursively: *.json, *.jsonl, *.xml, optionally
 * .gz/.xz; other files are left alone) or "-" (standard input). Returns 0
 * when it went through (bad records and unreadable files are counted and
 * reported, not errors), or a negative KK_E* when the database failed; the
 * batch in flight is then rolled back and the import must stop.
 */
int kk_import_path(struct kk_import *imp, const char *path);
/* Imports records from an open stream; name labels it in reports. */
int kk_import_stream(struct kk_import *imp, FILE *in, const char *name);
/* Commits what is left, waits for the writer. 0 or the first negative KK_E*
 * of any batch (later batches are then not written). */
int kk_import_finish(struct kk_import *imp);

/*
 * Opens path ("-": standard input) as a stream of decompressed bytes: gzip
 * and xz are recognised by their magic bytes, anything else is read as is.
 * *counter (may be NULL) is advanced by the compressed bytes consumed.
 * Returns NULL with errno set on failure. Close with fclose.
 */
FILE *kk_import_open(const char *path, uint64_t *counter);

#endif
