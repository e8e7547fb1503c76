/*
 * store.c — advisories in the database: create with a unique identifier,
 * edit the working copy, read a working copy or a published revision, list,
 * credit, parties, and the CNA's CVE pool (schema 0014-publish.sql).
 */
#include "auth/audit.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/rand.h"
#include "mail/mail.h"
#include "publish/internal.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Canonical JSON text of adv (kk_malloc'd) into *out. */
int pub_doc_text(const struct kk_adv *adv, char **out);
int pub_doc_text(const struct kk_adv *adv, char **out)
{
	struct kk_buf b = KK_BUF_INIT(4 * KK_ADV_JSON_MAX);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_adv_write(&j, adv);
	int rc = kk_json_error(&j) ? kk_json_error(&j) : kk_buf_error(&b);
	if (rc) {
		kk_buf_release(&b);
		return rc;
	}
	*out = kk_buf_detach(&b, NULL);
	return *out ? 0 : KK_ENOMEM;
}

static int audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *ident,
		 const char *summary)
{
	return kk_audit(db, a, action, "advisory", ident, summary, NULL, NULL);
}

int kk_adv_find(struct kk_db *db, const char *ident, int64_t *id)
{
	char norm[KK_ADV_IDENT_MAX];
	struct kk_stmt *st;
	int rc;
	if (!ident)
		return KK_ENOTFOUND;
	if (strspn(ident, "0123456789") == strlen(ident) && *ident && strlen(ident) < 12) {
		KK_TRY(kk_db_prepare(db, "SELECT id FROM advisory WHERE id = ?", &st));
		kk_stmt_bind_int64(st, 1, atoll(ident));
	} else {
		if (kk_adv_ident_from_slug(ident, norm, sizeof(norm)))
			return KK_ENOTFOUND;
		KK_TRY(kk_db_prepare(db, "SELECT id FROM advisory WHERE ident = ?", &st));
		kk_stmt_bind_text(st, 1, norm, -1);
	}
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

/* Parses json (NULL/empty: "{}") and gives back its canonical text and its case reference (kk_malloc'd, NULL when none). */
static int normalize(const char *json, size_t n, char **out, char **case_ref, struct kk_diag *d)
{
	struct kk_arena a;
	struct kk_adv adv;
	kk_arena_init(&a, 0);
	*case_ref = NULL;
	int rc = json && n ? kk_adv_parse_text(json, n, &a, &adv, d) : kk_adv_parse_text("{}", 2, &a, &adv, d);
	if (!rc)
		rc = pub_doc_text(&adv, out);
	if (!rc && adv.case_ref && !(*case_ref = kk_strdup(adv.case_ref))) {
		kk_free(*out);
		rc = KK_ENOMEM;
	}
	kk_arena_release(&a);
	return rc;
}

int kk_adv_create(struct kk_db *db, const struct kk_actor *a, const char *kind, const char *json, size_t n,
		  int64_t *id_out, char *ident, struct kk_diag *d)
{
	if (kk_adv_kind_valid(kind))
		return kk_diag_set(d, KK_EINVAL, "kind", "'%s' is not an advisory kind: JVN, JVNVU or JVNTA",
				   kind ? kind : "");
	char *doc = NULL, *case_ref = NULL;
	KK_TRY(normalize(json, n, &doc, &case_ref, d));
	char id[KK_ADV_IDENT_MAX];
	int rc = KK_EEXISTS;
	int64_t now = kk_clock_now(), other;
	for (int tries = 0; tries < 32 && rc == KK_EEXISTS; tries++) {
		snprintf(id, sizeof(id), "%s#%08u", kind, (unsigned)kk_random_uniform(100000000u));
		rc = kk_adv_find(db, id, &other);
		if (rc == 0)
			rc = KK_EEXISTS;
		else if (rc == KK_ENOTFOUND)
			rc = kk_db_exec(db,
					"INSERT INTO advisory (ident, kind, doc, case_ref, created_at, updated_at) "
					"VALUES (?, ?, ?, ?, ?, ?)",
					"ssssii", id, kind, doc, case_ref, now, now);
	}
	kk_free(doc);
	kk_free(case_ref);
	if (rc < 0)
		return rc == KK_EEXISTS ? kk_diag_set(d, rc, "ident", "no free %s identifier found; try again", kind)
					: rc;
	int64_t row = kk_db_last_insert_id(db);
	if (id_out)
		*id_out = row;
	if (ident)
		snprintf(ident, KK_ADV_IDENT_MAX, "%s", id);
	return audit(db, a, "advisory.create", id, kind);
}

/* The stored working copy and ident of id. */
static int load_row(struct kk_db *db, int64_t id, struct kk_arena *ar, const char **doc, char ident[KK_ADV_IDENT_MAX],
		    const char **state)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT doc, ident, state FROM advisory WHERE id = ?", &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		*doc = kk_arena_strdup(ar, kk_stmt_text(st, 0));
		snprintf(ident, KK_ADV_IDENT_MAX, "%s", kk_stmt_text(st, 1));
		*state = kk_arena_strdup(ar, kk_stmt_text(st, 2));
		if (!*doc || !*state)
			rc = KK_ENOMEM;
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

/* Writes adv as the working copy of id. */
static int save_doc(struct kk_db *db, int64_t id, const struct kk_adv *adv)
{
	char *doc = NULL;
	KK_TRY(pub_doc_text(adv, &doc));
	int rc = kk_db_exec(db, "UPDATE advisory SET doc = ?, case_ref = ?, updated_at = ? WHERE id = ?", "ssii",
			    doc, adv->case_ref, kk_clock_now(), id);
	kk_free(doc);
	return rc < 0 ? rc : 0;
}

int kk_adv_update(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *json, size_t n,
		  struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_adv old, neu;
	const char *doc, *state;
	char ident[KK_ADV_IDENT_MAX];
	kk_arena_init(&ar, 0);
	int rc = load_row(db, id, &ar, &doc, ident, &state);
	if (!rc)
		rc = kk_adv_parse_text(doc, strlen(doc), &ar, &old, d);
	if (!rc)
		rc = kk_adv_parse_text(json, n, &ar, &neu, d);
	if (!rc) {
		if (!neu.n_credits) { /* the credit comes from intake's consent, not from the editor */
			neu.credits = old.credits;
			neu.n_credits = old.n_credits;
		}
		rc = save_doc(db, id, &neu);
	}
	if (!rc)
		rc = audit(db, a, "advisory.update", ident, state);
	kk_arena_release(&ar);
	return rc;
}

int kk_adv_set_credit(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *const *names, size_t n,
		      struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_adv adv;
	const char *doc, *state;
	char ident[KK_ADV_IDENT_MAX];
	kk_arena_init(&ar, 0);
	int rc = load_row(db, id, &ar, &doc, ident, &state);
	if (!rc)
		rc = kk_adv_parse_text(doc, strlen(doc), &ar, &adv, d);
	if (!rc) {
		adv.credits = (const char **)names;
		adv.n_credits = n;
		rc = save_doc(db, id, &adv);
	}
	if (!rc)
		rc = audit(db, a, "advisory.credit", ident, n ? "credit set from the finder's consent" : "credit cleared");
	kk_arena_release(&ar);
	return rc;
}

int kk_adv_party(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *email, const char *label,
		 bool remove, struct kk_diag *d)
{
	char ident[KK_ADV_IDENT_MAX];
	const char *doc, *state;
	struct kk_arena ar;
	if (!email || !kk_mail_addr_valid(email))
		return kk_diag_set(d, KK_EINVAL, "email", "'%s' is not an e-mail address local@domain", email ? email : "");
	kk_arena_init(&ar, 0);
	int rc = load_row(db, id, &ar, &doc, ident, &state);
	kk_arena_release(&ar);
	if (rc)
		return rc;
	if (remove)
		rc = kk_db_exec(db, "DELETE FROM advisory_party WHERE advisory_id = ? AND email = ?", "is", id, email);
	else
		rc = kk_db_exec(db,
				"INSERT INTO advisory_party (advisory_id, email, label) VALUES (?, ?, ?) "
				"ON CONFLICT (advisory_id, email) DO UPDATE SET label = excluded.label",
				"iss", id, email, label ? label : "");
	if (rc < 0)
		return rc;
	return audit(db, a, remove ? "advisory.party_remove" : "advisory.party_add", ident, NULL);
}

int kk_adv_delete(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_diag *d)
{
	struct kk_arena ar;
	const char *doc, *state;
	char ident[KK_ADV_IDENT_MAX];
	kk_arena_init(&ar, 0);
	int rc = load_row(db, id, &ar, &doc, ident, &state);
	if (!rc && strcmp(state, "draft"))
		rc = kk_diag_set(d, KK_ECONFLICT, "state",
				 "%s is %s: only a draft can be deleted (cancel a schedule first; a published "
				 "advisory stays, corrected by a new revision)",
				 ident, state);
	kk_arena_release(&ar);
	if (rc)
		return rc;
	KK_TRY(kk_db_exec(db, "DELETE FROM advisory_party WHERE advisory_id = ?", "i", id));
	KK_TRY(kk_db_exec(db, "UPDATE cve_pool SET advisory_id = NULL, vuln_index = NULL WHERE advisory_id = ? "
			       "AND taken_at IS NULL",
			   "i", id));
	KK_TRY(kk_db_exec(db, "DELETE FROM advisory WHERE id = ? AND public_rev = 0", "i", id));
	KK_TRY(kk_sched_cancel(db, KK_ADV_JOB, id, d));
	return audit(db, a, "advisory.delete", ident, NULL);
}

/* ---- reading ---------------------------------------------------------------- */

static const char *dup_col(struct kk_arena *a, struct kk_stmt *st, int col)
{
	return kk_stmt_is_null(st, col) ? NULL : kk_arena_strdup(a, kk_stmt_text(st, col));
}

static int read_history(struct kk_db *db, struct kk_advisory *out, struct kk_arena *a)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT rev, published_at, note_ja, note_en FROM advisory_rev "
			      "WHERE advisory_id = ? AND rev <= ? ORDER BY rev",
			      &st));
	kk_stmt_bind_int64(st, 1, out->id);
	kk_stmt_bind_int64(st, 2, out->public_rev);
	int rc;
	size_t cap = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		if (out->n_history == cap) {
			size_t nc = cap ? 2 * cap : 8;
			struct kk_adv_history *h = kk_arena_alloc(a, nc * sizeof(*h));
			if (!h) {
				rc = KK_ENOMEM;
				break;
			}
			if (cap)
				memcpy(h, out->history, cap * sizeof(*h));
			out->history = h;
			cap = nc;
		}
		struct kk_adv_history *h = &out->history[out->n_history++];
		h->rev = (int)kk_stmt_int64(st, 0);
		h->at = kk_stmt_int64(st, 1);
		h->note_ja = dup_col(a, st, 2);
		h->note_en = dup_col(a, st, 3);
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_adv_get(struct kk_db *db, int64_t id, bool public, struct kk_arena *a, struct kk_advisory *out,
	       struct kk_diag *d)
{
	struct kk_stmt *st;
	memset(out, 0, sizeof(*out));
	KK_TRY(kk_db_prepare(db,
			      "SELECT a.id, a.ident, a.kind, a.state, a.jvndb, a.case_ref, a.publish_at, "
			      "a.published_at, a.created_at, a.updated_at, a.public_rev, a.doc, r.doc, r.published_at "
			      "FROM advisory a LEFT JOIN advisory_rev r ON r.advisory_id = a.id AND r.rev = a.public_rev "
			      "WHERE a.id = ?",
			      &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc = kk_stmt_step(st);
	int64_t now = kk_clock_now();
	if (rc == KK_ROW) {
		out->id = kk_stmt_int64(st, 0);
		snprintf(out->ident, sizeof(out->ident), "%s", kk_stmt_text(st, 1));
		out->kind = dup_col(a, st, 2);
		out->state = dup_col(a, st, 3);
		out->jvndb = dup_col(a, st, 4);
		out->case_ref = dup_col(a, st, 5);
		out->publish_at = kk_stmt_int64(st, 6);
		out->published_at = kk_stmt_int64(st, 7);
		out->created_at = kk_stmt_int64(st, 8);
		out->updated_at = kk_stmt_int64(st, 9);
		out->public_rev = (int)kk_stmt_int64(st, 10);
		const char *work = kk_stmt_text(st, 11), *pub = kk_stmt_text(st, 12);
		if (public) {
			/* exactly what the public may see: a frozen revision that went out at or before now */
			if (!out->public_rev || kk_stmt_is_null(st, 12) || !out->published_at || out->published_at > now)
				rc = KK_ENOTFOUND;
			out->doc_json = dup_col(a, st, 12);
			out->rev = out->public_rev;
			out->rev_at = kk_stmt_int64(st, 13);
		} else {
			out->doc_json = dup_col(a, st, 11);
			bool same = out->public_rev && !strcmp(work, pub);
			out->rev = same ? out->public_rev : out->public_rev + 1;
			out->rev_at = same ? kk_stmt_int64(st, 13) : out->publish_at ? out->publish_at : now;
		}
		if (rc == KK_ROW && (!out->kind || !out->state || !out->doc_json))
			rc = KK_ENOMEM;
	}
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_ENOTFOUND;
	KK_TRY(kk_adv_parse_text(out->doc_json, strlen(out->doc_json), a, &out->doc, d));
	if (!out->published_at)
		out->published_at = out->rev_at; /* a preview shows the date it will carry */
	return read_history(db, out, a);
}

/* Calls fn per row of st (the columns of kk_adv_list's query); the count or a negative error. */
static int list_rows(struct kk_stmt *st, int (*fn)(void *arg, const struct kk_adv_row *r), void *arg)
{
	int rc, n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_arena a;
		struct kk_adv adv;
		struct kk_diag d;
		kk_arena_init(&a, 0);
		const char *doc = kk_stmt_text(st, 9);
		struct kk_adv_row r = {
		    .id = kk_stmt_int64(st, 0),
		    .ident = kk_stmt_text(st, 1),
		    .kind = kk_stmt_text(st, 2),
		    .state = kk_stmt_text(st, 3),
		    .jvndb = kk_stmt_text(st, 4),
		    .publish_at = kk_stmt_int64(st, 5),
		    .published_at = kk_stmt_int64(st, 6),
		    .updated_at = kk_stmt_int64(st, 7),
		    .public_rev = (int)kk_stmt_int64(st, 8),
		};
		if (!kk_adv_parse_text(doc, strlen(doc), &a, &adv, &d)) {
			r.title_ja = kk_adv_title(&adv, "ja", &a);
			r.title_en = kk_adv_title(&adv, "en", &a);
		}
		n++;
		int stop = fn(arg, &r);
		kk_arena_release(&a);
		if (stop) {
			rc = stop < 0 ? stop : KK_DONE;
			break;
		}
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

int kk_adv_list(struct kk_db *db, bool public, const char *kind, int limit,
		int (*fn)(void *arg, const struct kk_adv_row *r), void *arg)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT a.id, a.ident, a.kind, a.state, a.jvndb, a.publish_at, a.published_at, "
			      "a.updated_at, a.public_rev, CASE WHEN ? THEN r.doc ELSE a.doc END "
			      "FROM advisory a LEFT JOIN advisory_rev r ON r.advisory_id = a.id AND r.rev = a.public_rev "
			      "WHERE (? = '' OR a.kind = ?) AND (NOT ? OR (a.public_rev > 0 AND a.published_at <= ?)) "
			      "ORDER BY COALESCE(r.published_at, a.updated_at) DESC, a.id DESC LIMIT ?",
			      &st));
	kk_stmt_bind_int64(st, 1, public);
	kk_stmt_bind_text(st, 2, kind ? kind : "", -1);
	kk_stmt_bind_text(st, 3, kind ? kind : "", -1);
	kk_stmt_bind_int64(st, 4, public);
	kk_stmt_bind_int64(st, 5, kk_clock_now());
	kk_stmt_bind_int64(st, 6, limit > 0 ? limit : 1000);
	return list_rows(st, fn, arg);
}

int kk_adv_of_report(struct kk_db *db, const char *tracking, int (*fn)(void *arg, const struct kk_adv_row *r),
		     void *arg)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT a.id, a.ident, a.kind, a.state, a.jvndb, a.publish_at, a.published_at, "
			      "a.updated_at, a.public_rev, r.doc "
			      "FROM advisory a JOIN advisory_rev r ON r.advisory_id = a.id AND r.rev = a.public_rev "
			      "WHERE a.public_rev > 0 AND a.published_at <= ? AND ("
			      " a.case_ref IN (SELECT c.ref FROM report p JOIN coord_case_report cr ON cr.report_id = p.id "
			      "  JOIN coord_case c ON c.id = cr.case_id WHERE p.tracking = ?) "
			      " OR json_extract(r.doc, '$.report') = ?) "
			      "ORDER BY a.published_at, a.id LIMIT 100",
			      &st));
	kk_stmt_bind_int64(st, 1, kk_clock_now());
	kk_stmt_bind_text(st, 2, tracking ? tracking : "", -1);
	kk_stmt_bind_text(st, 3, tracking ? tracking : "", -1);
	return list_rows(st, fn, arg);
}

/* ---- CVE pool ----------------------------------------------------------------- */

int kk_cve_pool_add(struct kk_db *db, const char *cve, struct kk_diag *d)
{
	if (!kk_adv_cve_valid(cve))
		return kk_diag_set(d, KK_EINVAL, "cve", "'%s' is not a CVE id (CVE-YYYY-NNNN...)", cve ? cve : "");
	int rc = kk_db_exec(db, "INSERT INTO cve_pool (cve, added_at) VALUES (?, ?)", "si", cve, kk_clock_now());
	if (rc == KK_EEXISTS)
		return kk_diag_set(d, rc, "cve", "%s is already in the pool", cve);
	return rc < 0 ? rc : 0;
}

int kk_cve_pool_level(struct kk_db *db, long *free_n, long *taken_n)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT count(*) FILTER (WHERE taken_at IS NULL), count(*) FILTER (WHERE taken_at IS NOT NULL) "
			      "FROM cve_pool",
			      &st));
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		*free_n = (long)kk_stmt_int64(st, 0);
		if (taken_n)
			*taken_n = (long)kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_EDB;
}

long kk_cve_pool_low(void)
{
	const char *s = getenv("KEIKAI_CVE_POOL_LOW");
	long v = s && *s ? strtol(s, NULL, 10) : KK_CVE_POOL_LOW;
	return v >= 0 ? v : KK_CVE_POOL_LOW;
}

/* CVE ids in numeric order: by year, then by number (more digits is larger: CVE-2027-9999 < CVE-2027-10000). */
#define CVE_ORDER(col) "substr(" col ", 5, 4), length(" col "), " col

int kk_cve_pool_list(struct kk_db *db, bool all, int (*fn)(void *arg, const struct kk_cve_pool_row *r), void *arg)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT p.cve, COALESCE(a.ident, ''), p.added_at, COALESCE(p.taken_at, 0) FROM cve_pool p "
			      "LEFT JOIN advisory a ON a.id = p.advisory_id WHERE ? OR p.taken_at IS NULL ORDER BY " CVE_ORDER("p.cve"),
			      &st));
	kk_stmt_bind_int64(st, 1, all);
	int rc, n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_cve_pool_row r = {kk_stmt_text(st, 0), kk_stmt_text(st, 1), kk_stmt_int64(st, 2),
					    kk_stmt_int64(st, 3)};
		n++;
		if (fn(arg, &r))
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* [in tx] The pool CVE of vulnerability idx of advisory id: the one it already took, else the next free one. */
int pub_pool_take(struct kk_db *db, int64_t id, size_t idx, struct kk_arena *a, const char **cve, struct kk_diag *d);
int pub_pool_take(struct kk_db *db, int64_t id, size_t idx, struct kk_arena *a, const char **cve, struct kk_diag *d)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
			      "SELECT cve FROM cve_pool WHERE (advisory_id = ? AND vuln_index = ?) OR taken_at IS NULL "
			      "ORDER BY taken_at IS NULL, " CVE_ORDER("cve") " LIMIT 1",
			      &st));
	kk_stmt_bind_int64(st, 1, id);
	kk_stmt_bind_int64(st, 2, (int64_t)idx);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*cve = kk_arena_strdup(a, kk_stmt_text(st, 0));
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (rc != KK_ROW)
		return kk_diag_set(d, KK_EUNPROCESSABLE, "/vulnerabilities",
				   "vulnerability %zu has no CVE id and the CVE pool is empty: add reserved ids to the "
				   "pool or give the CVE id in the advisory",
				   idx + 1);
	if (!*cve)
		return KK_ENOMEM;
	rc = kk_db_exec(db,
			"UPDATE cve_pool SET advisory_id = ?, vuln_index = ?, taken_at = COALESCE(taken_at, ?) WHERE cve = ?",
			"iiis", id, (int64_t)idx, kk_clock_now(), *cve);
	return rc < 0 ? rc : 0;
}
