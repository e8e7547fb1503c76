/*
 * advisory.h — a JVN advisory: its model (the items of seed 003 5.2.2 in
 * Japanese and English), how it is kept, identified and published.
 *
 * The editor's form of an advisory is one JSON object (the working copy,
 * column advisory.doc of schema 0014-publish.sql):
 *
 *   {"product": {"ja","en"}, "vulnerability": {"ja","en"}, "title": {"ja","en"} (optional:
 *    default "<product>における<vulnerability>" / "<vulnerability> in <product>"),
 *    "overview", "version_check", "description", "threat", "fix", "workaround",
 *    "acknowledgements", "contact": {"ja": Markdown, "en": Markdown},
 *    "products": [{"vendor","product","cpe","purl","scheme","introduced","fixed",
 *                  "last_affected","versions": {"ja","en"}}],
 *    "vulnerabilities": [{"cve","title": {"ja","en"},"cwe": 79,"cvss31","cvss40"}],
 *    "vendors": [{"vendor","status","updated","note": {"ja","en"}}],
 *    "references": [{"url","title"}],
 *    "case": "case reference", "report": "tracking number of the report (for the credit)"}
 *
 * Every member is optional in a draft; kk_adv_check_publishable says what a
 * publication still lacks. The finder's credit is never typed in: it comes
 * from intake's consent (kk_adv_set_credit, the caller asks
 * kk_intake_finder_consented) and lives in "credits": [{"name"}], which an
 * edit keeps. CVE ids either are typed in (assigned elsewhere) or come from
 * the pool when published.
 *
 * Memory: a parsed struct kk_adv lives in the arena given to the parser;
 * nothing in it is freed on its own.
 *
 * Writes take the acting user (the CLI's system actor, the signed-in
 * coordinator, the scheduler's system actor) and leave one audit row each
 * (advisory.create, .update, .credit, .party, .schedule, .publish) in the
 * caller's transaction; the callers have asked policy.h first.
 *
 * Revisions: before its first publication an advisory is only a working
 * copy. Each publication freezes the working copy as revision N+1
 * (advisory_rev) with a history note; public pages, feeds and formats only
 * ever read frozen revisions, so an edit after publication is invisible
 * until it is published as the next revision.
 */
#ifndef KK_PUBLISH_ADVISORY_H
#define KK_PUBLISH_ADVISORY_H
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "store/sched.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_actor;

#define KK_ADV_JSON_MAX (1024 * 1024) /* largest editor document */
#define KK_ADV_IDENT_MAX 24           /* "JVNVU#12345678" + NUL fits */
#define KK_ADV_TEXT_MAX (64 * 1024)   /* one text in one language */
#define KK_ADV_LIST_MAX 200           /* products, vulnerabilities, vendors, references */
#define KK_CVE_POOL_LOW 10            /* the pool warns below this many free ids (KEIKAI_CVE_POOL_LOW) */

/* A text in both languages; NULL when not given. */
struct kk_adv_text {
	const char *ja, *en;
};

/* One affected product; version bounds follow OSV (introduced/fixed/last_affected). */
struct kk_adv_product {
	const char *vendor, *product, *cpe, *purl, *scheme;
	const char *introduced, *fixed, *last_affected;
	struct kk_adv_text versions; /* affected versions in words */
};

struct kk_adv_vuln {
	const char *cve; /* NULL: taken from the pool when published */
	struct kk_adv_text title;
	int cwe;                 /* 0 when none */
	const char *cvss31;      /* canonical vector or NULL */
	const char *cvss40;
	double score31, score40; /* computed; -1 when no vector */
	const char *severity31, *severity40;
};

/* Per-vendor status values, in the order the pages list them. */
#define KK_ADV_STATUSES "affected", "not_affected", "fixed", "under_investigation", "no_response"

struct kk_adv_vendor {
	const char *vendor, *status, *updated; /* updated: YYYY-MM-DD or NULL */
	struct kk_adv_text note;
};

struct kk_adv_ref {
	const char *url, *title;
};

struct kk_adv {
	struct kk_adv_text product, vulnerability, title;
	struct kk_adv_text overview, version_check, description, threat, fix, workaround, acknowledgements,
	    contact;
	struct kk_adv_product *products;
	size_t n_products;
	struct kk_adv_vuln *vulns;
	size_t n_vulns;
	struct kk_adv_vendor *vendors;
	size_t n_vendors;
	struct kk_adv_ref *refs;
	size_t n_refs;
	const char **credits;
	size_t n_credits;
	const char *case_ref, *report;
};

/*
 * Parses an editor document into *adv (strings in a). Checks every field:
 * CVSS vectors parse and are scored (their canonical form is kept), CPE and
 * purl parse, version bounds are versions of the product's scheme, CWE and
 * CVE ids are well formed, URLs are http(s), statuses known. Unknown
 * members are refused. KK_EPARSE/KK_EINVAL with d->where = the JSON pointer
 * and d->msg naming the problem and the fix.
 */
int kk_adv_parse(const json_t *obj, struct kk_arena *a, struct kk_adv *adv, struct kk_diag *d);
/* The same from text (n bytes). */
int kk_adv_parse_text(const char *s, size_t n, struct kk_arena *a, struct kk_adv *adv, struct kk_diag *d);
/* Writes adv in the editor's form (with "credits"), so parse(write(x)) == x. */
void kk_adv_write(struct kk_json *j, const struct kk_adv *adv);
/*
 * The same without the internal references (the case number "case" and the
 * finder's report "report"): what the public may read of a published one.
 */
void kk_adv_write_public(struct kk_json *j, const struct kk_adv *adv);
/* The title in lang ("ja"/"en"): explicit, else composed from product and vulnerability; NULL if neither. */
const char *kk_adv_title(const struct kk_adv *adv, const char *lang, struct kk_arena *a);
/* 0 when adv may be published; else KK_EUNPROCESSABLE with d naming the first missing item. */
int kk_adv_check_publishable(const struct kk_adv *adv, struct kk_diag *d);
/* True when s is one of KK_ADV_STATUSES. */
bool kk_adv_status_valid(const char *s);

/* ---- identifiers ----------------------------------------------------------- */

/* "JVN", "JVNVU", "JVNTA" -> 0; anything else KK_EINVAL. */
int kk_adv_kind_valid(const char *kind);
/* True when s is a CVE id CVE-YYYY-NNNN (4 to 12 digits after the year). */
bool kk_adv_cve_valid(const char *s);
/* True when s is KIND#NNNNNNNN with a known kind and 8 digits. */
bool kk_adv_ident_valid(const char *s);
/* "JVNVU#12345678" -> "JVNVU_12345678" style slug for URLs and file names (out >= KK_ADV_IDENT_MAX). */
void kk_adv_ident_slug(const char *ident, char *out, size_t n);
/* The inverse: "JVNVU_12345678" or "JVNVU#12345678" -> "JVNVU#12345678"; KK_EINVAL when not an ident. */
int kk_adv_ident_from_slug(const char *s, char *out, size_t n);

/* ---- the stored advisory --------------------------------------------------- */

struct kk_adv_history {
	int rev;
	int64_t at;
	const char *note_ja, *note_en;
};

/* One advisory as read from the database (strings in the arena given to the reader). */
struct kk_advisory {
	int64_t id;
	char ident[KK_ADV_IDENT_MAX];
	const char *kind, *state, *jvndb, *case_ref;
	int64_t publish_at, published_at, created_at, updated_at;
	int public_rev; /* latest published revision, 0 = never */
	int rev;        /* the revision in doc: public_rev, or public_rev + 1 for the working copy */
	int64_t rev_at; /* when that revision was (or will be) published */
	struct kk_adv doc;
	const char *doc_json; /* doc as stored */
	struct kk_adv_history *history; /* published revisions, oldest first */
	size_t n_history;
};

/*
 * [in tx] Creates a draft of kind with a new unique identifier (8 random
 * digits; drawn again on a collision) from the editor document json (NULL:
 * empty). *id_out and ident (>= KK_ADV_IDENT_MAX, may be NULL) get it.
 */
int kk_adv_create(struct kk_db *db, const struct kk_actor *a, const char *kind, const char *json, size_t n, int64_t *id_out, char *ident,
		  struct kk_diag *d);
/* Finds an advisory by "JVNVU#12345678", its slug, or its numeric row id: 0 and *id, or KK_ENOTFOUND. */
int kk_adv_find(struct kk_db *db, const char *ident, int64_t *id);
/*
 * [in tx] Replaces the working copy with json (credits and pool CVEs kept
 * unless the document names its own). A scheduled advisory stays scheduled.
 */
int kk_adv_update(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *json, size_t n, struct kk_diag *d);
/*
 * Reads advisory id: the working copy (public = false), or the latest
 * published revision (public = true; KK_ENOTFOUND when never published —
 * exactly what the public may see). Strings live in a.
 */
int kk_adv_get(struct kk_db *db, int64_t id, bool public, struct kk_arena *a, struct kk_advisory *out,
	       struct kk_diag *d);
/* [in tx] Deletes a draft (never published, not scheduled): KK_ECONFLICT naming its state otherwise. */
int kk_adv_delete(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_diag *d);
/* [in tx] Sets the finder credit (names from intake's consent; n == 0 clears it). */
int kk_adv_set_credit(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *const *names, size_t n, struct kk_diag *d);
/* [in tx] Adds (or with remove, drops) an address told at publication. */
int kk_adv_party(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *email, const char *label, bool remove, struct kk_diag *d);

struct kk_adv_row {
	int64_t id;
	const char *ident, *kind, *state, *title_ja, *title_en, *jvndb;
	int64_t publish_at, published_at, updated_at;
	int public_rev;
};
/*
 * Lists advisories, newest first: public = true only published ones (the
 * latest revision's titles, published_at <= now), kind NULL = all kinds.
 * fn returning non-zero stops. Returns the count or a negative error.
 */
int kk_adv_list(struct kk_db *db, bool public, const char *kind, int limit,
		int (*fn)(void *arg, const struct kk_adv_row *r), void *arg);

/*
 * The published advisories (public as of now) behind the report `tracking`:
 * those of its coordination case and those crediting it — what the finder's
 * secret-link page shows. The caller has checked the link. Oldest first;
 * returns the count or a negative error.
 */
int kk_adv_of_report(struct kk_db *db, const char *tracking, int (*fn)(void *arg, const struct kk_adv_row *r),
		     void *arg);

/*
 * [in tx] CASE_READ. Fills the working copy from coordination case ref: the
 * per-vendor status table (every vendor told of the case: no response,
 * under investigation, affected, fixed or not affected, from its
 * participation refined by its statements, with their texts as remarks),
 * and, when the advisory has none yet, the vulnerabilities, the product and
 * the report whose finder is credited. *publish_at (may be NULL) gets the
 * case's publication date, for kk_adv_schedule.
 */
int kk_adv_from_case(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *ref, int64_t *publish_at,
		     struct kk_diag *d);

/* ---- publication ----------------------------------------------------------- */

#define KK_ADV_JOB "publish.advisory"

/*
 * [in tx] Schedules publication at `at` (seconds): checks it is publishable
 * and in the future, sets state scheduled and the job KK_ADV_JOB. at == 0
 * cancels a schedule (back to draft, or published when it already was).
 */
int kk_adv_schedule(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t at, const char *note_ja, const char *note_en,
		    struct kk_diag *d);
/*
 * [in tx] Publishes now: takes CVE ids from the pool for vulnerabilities
 * without one, freezes the working copy as the next revision (with the
 * history note; the first publication needs none), inserts or updates the
 * vulnerability database record (and its search index row), and queues a
 * mail to every party and one message to the vendors of its case. At the
 * first publication the finder of each report behind it (the case's reports
 * and the credited one) is told through intake (kk_intake_published: the
 * secret link's page and, with key, mail from the sealed contact; key NULL:
 * the page only). All or nothing: it runs in the caller's transaction.
 * *rev_out (may be NULL) gets the new revision number.
 */
int kk_adv_publish(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, int64_t id, const char *note_ja,
		   const char *note_en, int *rev_out, struct kk_diag *d);
/*
 * [in tx] Publishing before the agreed date (5.1.3 (2)): when the advisory
 * belongs to an open case whose date has not come, records the exception on
 * the case first (kk_case_date_exception: ground "already_public" or
 * "exploited", reason; the finders and every vendor told, the date brought
 * to now), then publishes as kk_adv_publish. Without a case or once the date
 * has come it is kk_adv_publish. kk_adv_publish alone refuses an early
 * publication (KK_ECONFLICT, field publish_at), and kk_adv_schedule any time
 * but the case's date.
 */
int kk_adv_publish_early(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, int64_t id,
			 const char *ground, const char *reason, const char *note_ja, const char *note_en, int *rev_out,
			 struct kk_diag *d);
/*
 * The case date listener (coord/case.h kk_case_set_date_listener): [in tx]
 * every advisory of case ref scheduled for its first publication moves to
 * `at`, its job with it (audited advisory.schedule); at 0 (the case was
 * cancelled or stopped) unschedules them: back to drafts.
 */
int kk_adv_case_dated(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t at, struct kk_diag *d);
/*
 * The record the vulnerability database keeps for adv (source "jvn", id =
 * the advisory identifier, aliases its CVE ids; texts, CVSS, CWE, CPE
 * ranges, packages, references), strings in a. Also what the JVNRSS item is
 * written from.
 */
struct kk_vuln_rec;
int kk_adv_vuln_record(const struct kk_advisory *adv, struct kk_arena *a, struct kk_vuln_rec *rec);
/*
 * The scheduler's work for KK_ADV_JOB (store/sched.h): kk_adv_publish as the
 * scheduler's system actor. The top layer's handler passes the key file's
 * key (NULL when it has none).
 */
int kk_adv_job_publish(struct kk_db *db, const unsigned char *key, const struct kk_sched_job *job, struct kk_diag *d);

/* ---- CVE pool -------------------------------------------------------------- */

/* [in tx] Adds CVE ids to the pool: 0, KK_EINVAL for a malformed id, KK_EEXISTS for one already there. */
int kk_cve_pool_add(struct kk_db *db, const char *cve, struct kk_diag *d);
/* Free ids in the pool and ids taken. */
int kk_cve_pool_level(struct kk_db *db, long *free_n, long *taken_n);
/* The warning threshold: $KEIKAI_CVE_POOL_LOW, else KK_CVE_POOL_LOW. */
long kk_cve_pool_low(void);
struct kk_cve_pool_row {
	const char *cve, *ident;
	int64_t added_at, taken_at;
};
int kk_cve_pool_list(struct kk_db *db, bool all, int (*fn)(void *arg, const struct kk_cve_pool_row *r), void *arg);

#endif
