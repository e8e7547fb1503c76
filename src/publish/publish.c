/*
 * publish.c — scheduling and publishing an advisory: in one transaction
 * the revision is frozen, the vulnerability database record written (and
 * indexed for search) and the parties told.
 */
#include "auth/audit.h"
#include "auth/auth.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "coord/case.h"
#include "intake/intake.h"
#include "mail/mail.h"
#include "publish/internal.h"
#include "publish/formats.h"
#include "store/db.h"
#include "vulndb/record.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pub_doc_text(const struct kk_adv *adv, char **out);
int pub_pool_take(struct kk_db *db, int64_t id, size_t idx, struct kk_arena *a, const char **cve, struct kk_diag *d);

/*
 * The case's embargo (kk_case_agreed_date): a first publication of an
 * advisory of an open case goes out at the case's agreed date — never
 * before it, and, scheduled, exactly at it (the one date of 5.1.3 (2)).
 */
static int embargo(struct kk_db *db, const struct kk_advisory *adv, int64_t at, bool exact, struct kk_diag *d)
{
	int64_t agreed;
	int rc = adv->public_rev ? 0 : kk_case_agreed_date(db, adv->case_ref, &agreed, d);
	if (rc <= 0)
		return rc;
	if (at >= agreed && (!exact || at == agreed))
		return 0;
	char when[40];
	kk_time_jst(agreed, when, sizeof(when));
	if (at > agreed)
		return kk_diag_set(d, KK_ECONFLICT, "publish_at",
				   "%s belongs to case %s, whose agreed publication date is %s: it is published then "
				   "(move the case's date to publish it later)",
				   adv->ident, adv->case_ref, when);
	return kk_diag_set(d, KK_ECONFLICT, "publish_at",
			   "%s belongs to case %s, whose vendors agreed to publish on %s: publishing earlier needs an "
			   "exception recorded on the case (ground already_public or exploited, with a reason)",
			   adv->ident, adv->case_ref, when);
}

int kk_adv_case_dated(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t at, struct kk_diag *d)
{
	struct kk_stmt *st;
	int64_t ids[256];
	size_t n = 0;
	int rc = kk_db_prepare(db,
			       "SELECT id FROM advisory WHERE case_ref = ? AND state = 'scheduled' AND public_rev = 0 "
			       "AND publish_at <> ? ORDER BY id LIMIT 256",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, ref, -1);
	kk_stmt_bind_int64(st, 2, at);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		ids[n++] = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	char when[40], summary[96];
	kk_time_jst(at, when, sizeof(when));
	snprintf(summary, sizeof(summary), "%s (the date of case %s)", at ? when : "cancelled", ref);
	for (size_t i = 0; i < n; i++) {
		if (!at) { /* the case was cancelled or stopped: back to a draft */
			if ((rc = kk_db_exec(db, "UPDATE advisory SET state = 'draft', publish_at = NULL, updated_at = ? "
						 "WHERE id = ?",
					     "ii", kk_clock_now(), ids[i])) < 0 ||
			    (rc = kk_sched_cancel(db, KK_ADV_JOB, ids[i], d)) < 0)
				return rc;
		} else if ((rc = kk_db_exec(db, "UPDATE advisory SET publish_at = ?, updated_at = ? WHERE id = ?", "iii",
					    at, kk_clock_now(), ids[i])) < 0 ||
			   (rc = kk_sched_at(db, KK_ADV_JOB, ids[i], at, NULL, d)) < 0)
			return kk_diag_set(d, rc, "publish_at", "cannot move the case's advisories: %s", kk_db_errmsg(db));
		char sid[24];
		snprintf(sid, sizeof(sid), "%lld", (long long)ids[i]);
		if ((rc = kk_audit(db, a, "advisory.schedule", "advisory", sid, summary, NULL, NULL)) < 0)
			return rc;
	}
	return 0;
}

int kk_adv_schedule(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t at, const char *note_ja,
		    const char *note_en, struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_advisory adv;
	kk_arena_init(&ar, 0);
	int rc = kk_adv_get(db, id, false, &ar, &adv, d);
	char when[32] = "";
	if (!rc && at) {
		if (at <= kk_clock_now())
			rc = kk_diag_set(d, KK_EINVAL, "publish_at", "the publication time must be in the future");
		else if ((rc = embargo(db, &adv, at, true, d)))
			;
		else if (!(rc = kk_adv_check_publishable(&adv.doc, d)) && adv.public_rev &&
			 !(note_ja && *note_ja) && !(note_en && *note_en))
			rc = kk_diag_set(d, KK_EINVAL, "note",
					 "%s is published: a new revision needs a history note (--note-ja/--note-en)", adv.ident);
		if (!rc)
			rc = kk_db_exec(db,
					"UPDATE advisory SET state = 'scheduled', publish_at = ?, note_ja = ?, note_en = ?, "
					"updated_at = ? WHERE id = ?",
					"issii", at, note_ja ? note_ja : "", note_en ? note_en : "", kk_clock_now(), id);
		if (rc >= 0)
			rc = kk_sched_at(db, KK_ADV_JOB, id, at, NULL, d);
		kk_time_jst(at, when, sizeof(when));
	} else if (!rc) {
		rc = kk_db_exec(db,
				"UPDATE advisory SET state = CASE WHEN public_rev > 0 THEN 'published' ELSE 'draft' END, "
				"publish_at = NULL, updated_at = ? WHERE id = ?",
				"ii", kk_clock_now(), id);
		if (rc >= 0)
			rc = kk_sched_cancel(db, KK_ADV_JOB, id, d);
		snprintf(when, sizeof(when), "cancelled");
	}
	if (rc >= 0)
		rc = kk_audit(db, a, "advisory.schedule", "advisory", adv.ident, when, NULL, NULL);
	kk_arena_release(&ar);
	return rc < 0 ? rc : 0;
}

/* The record the vulnerability database keeps for a published advisory (source "jvn", id = ident). */
int kk_adv_vuln_record(const struct kk_advisory *adv, struct kk_arena *a, struct kk_vuln_rec *rec)
{
	const struct kk_adv *doc = &adv->doc;
	kk_vuln_rec_init(rec, a);
	rec->source = "jvn";
	rec->source_id = adv->ident;
	rec->format = "keikai-advisory";
	rec->published = adv->published_at;
	rec->first_published = adv->published_at;
	rec->public_date = adv->published_at;
	rec->modified = adv->rev_at;
	KK_TRY(kk_vuln_rec_alias(rec, adv->ident));
	static const char *const langs[] = {"ja", "en"};
	for (int l = 0; l < 2; l++) {
		const char *lang = langs[l];
		struct {
			const char *kind;
			const char *text;
		} t[] = {{"title", kk_adv_title(doc, lang, a)},
			 {"overview", l ? doc->overview.en : doc->overview.ja},
			 {"description", l ? doc->description.en : doc->description.ja},
			 {"solution", l ? doc->fix.en : doc->fix.ja},
			 {"workaround", l ? doc->workaround.en : doc->workaround.ja}};
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (t[i].text)
				KK_TRY(kk_vuln_rec_text(rec, lang, t[i].kind, t[i].text));
	}
	for (size_t i = 0; i < doc->n_vulns; i++) {
		const struct kk_adv_vuln *v = &doc->vulns[i];
		if (v->cve)
			KK_TRY(kk_vuln_rec_alias(rec, v->cve));
		if (v->cwe)
			KK_TRY(kk_vuln_rec_cwe(rec, v->cwe));
		if (v->cvss31) {
			struct kk_vuln_cvss c = {"3.1", v->cvss31, v->severity31, "JPCERT/CC", "Primary", v->score31};
			KK_TRY(kk_vuln_rec_cvss(rec, &c));
		}
		if (v->cvss40) {
			struct kk_vuln_cvss c = {"4.0", v->cvss40, v->severity40, "JPCERT/CC", "Primary", v->score40};
			KK_TRY(kk_vuln_rec_cvss(rec, &c));
		}
	}
	for (size_t i = 0; i < doc->n_products; i++) {
		const struct kk_adv_product *p = &doc->products[i];
		const char *intro = p->introduced && strcmp(p->introduced, "0") ? p->introduced : NULL;
		if (p->cpe) {
			struct kk_vuln_cpe c = {.cfg = (int)i, .vulnerable = true, .cpe23 = p->cpe,
						.start_incl = intro, .end_excl = p->fixed, .end_incl = p->last_affected};
			KK_TRY(kk_vuln_rec_cpe(rec, &c));
		}
		const char *eco = pub_osv_ecosystem(p->purl);
		if (p->purl && eco) {
			struct kk_vuln_pkg k = {eco,
						pub_osv_name(p->purl, a),
						p->purl,
						p->scheme && !strcmp(p->scheme, "semver") ? "SEMVER" : "ECOSYSTEM",
						p->introduced ? p->introduced : "0",
						p->fixed,
						p->last_affected,
						NULL,
						NULL};
			KK_TRY(kk_vuln_rec_pkg(rec, &k));
		}
	}
	char url[256];
	kk_adv_url(adv->ident, "ja", url, sizeof(url));
	KK_TRY(kk_vuln_rec_ref(rec, url, "Vendor Advisory"));
	for (size_t i = 0; i < doc->n_refs; i++)
		KK_TRY(kk_vuln_rec_ref(rec, doc->refs[i].url, NULL));
	/* the content hash: of the frozen document and its revision time */
	json_t *o = json_pack("{s:s, s:I}", "doc", adv->doc_json, "at", (json_int_t)adv->rev_at);
	if (!o)
		return KK_ENOMEM;
	int rc = kk_vuln_rec_hash(rec, o);
	json_decref(o);
	return rc;
}

/* The reports behind an advisory: its coordination case's and the one it credits, each once. */
struct finders {
	const char *tracking[64];
	size_t n;
	struct kk_arena *ar;
};

static int add_finder(void *arg, const char *tracking)
{
	struct finders *f = arg;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->tracking[i], tracking))
			return 0;
	if (f->n < sizeof(f->tracking) / sizeof(f->tracking[0]) && !(f->tracking[f->n++] = kk_arena_strdup(f->ar, tracking)))
		return KK_ENOMEM;
	return 0;
}

static int tell_parties(struct kk_db *db, const struct kk_actor *a, const unsigned char *key,
			const struct kk_advisory *adv, struct kk_arena *ar, struct kk_diag *d)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT email FROM advisory_party WHERE advisory_id = ? ORDER BY email", &st));
	kk_stmt_bind_int64(st, 1, adv->id);
	const char *to[64];
	size_t n = 0;
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW && n < 64)
		if (!(to[n++] = kk_arena_strdup(ar, kk_stmt_text(st, 0))))
			rc = KK_ENOMEM;
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	char url_ja[256], url_en[256], when[40];
	kk_adv_url(adv->ident, "ja", url_ja, sizeof(url_ja));
	kk_adv_url(adv->ident, "en", url_en, sizeof(url_en));
	kk_time_jst(adv->rev_at, when, sizeof(when));
	const char *subject = kk_arena_printf(ar, "[%s] %s %s", adv->ident, adv->rev > 1 ? "updated:" : "published:",
					      kk_adv_title(&adv->doc, "en", ar));
	const char *body = kk_arena_printf(
	    ar,
	    "%s を公開しました (%s, 第%d版)。\n%s\n\n"
	    "%s has been published (%s, revision %d).\n%s\n",
	    adv->ident, when, adv->rev, url_ja, adv->ident, when, adv->rev, url_en);
	if (!subject || !body)
		return KK_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct kk_mail m = {.to = to[i], .subject = subject, .body = body, .related_type = "advisory",
				    .related_id = adv->ident};
		KK_TRY(kk_mail_queue(db, &m, NULL, d));
	}
	/* the finders: through intake (sealed contact, secret-link page), at the first publication only */
	struct finders f = {.n = 0, .ar = ar};
	if (adv->rev == 1 && adv->doc.report)
		KK_TRY(add_finder(&f, adv->doc.report));
	/* the vendors of its coordination case, through the case's thread to all of them (mailed there) */
	struct kk_case_info c;
	memset(&c, 0, sizeof(c));
	rc = adv->case_ref ? kk_case_get(db, a, adv->case_ref, &c, d) : KK_ENOTFOUND;
	if (!rc && adv->rev == 1)
		rc = kk_case_reports(db, a, &c, add_finder, &f);
	kk_case_info_release(&c);
	if (rc == KK_ENOTFOUND) /* a plain reference to no case of this database: no vendors to tell */
		kk_diag_clear(d);
	else if (rc < 0)
		return rc;
	else
		KK_TRY(kk_case_post(db, a, adv->case_ref, "all", 0, body, NULL, d));
	for (size_t i = 0; i < f.n; i++) {
		rc = kk_intake_published(db, a, key, f.tracking[i], adv->ident, url_ja, url_en, d);
		if (rc == KK_ENOTFOUND) { /* a credited report of another database: nobody to tell */
			kk_diag_clear(d);
			continue;
		}
		KK_TRY(rc);
	}
	return 0;
}

int kk_adv_publish(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, int64_t id, const char *note_ja,
		   const char *note_en, int *rev_out, struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_advisory adv;
	char *doc = NULL;
	kk_arena_init(&ar, 0);
	int rc = kk_adv_get(db, id, false, &ar, &adv, d);
	if (rc)
		goto out;
	if ((rc = kk_adv_check_publishable(&adv.doc, d)) || (rc = embargo(db, &adv, kk_clock_now(), false, d)))
		goto out;
	/* the scheduled revision's note, unless this call brings its own */
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT note_ja, note_en FROM advisory WHERE id = ?", &st)))
		goto out;
	kk_stmt_bind_int64(st, 1, id);
	if (kk_stmt_step(st) == KK_ROW) {
		if (!(note_ja && *note_ja) && *kk_stmt_text(st, 0))
			note_ja = kk_arena_strdup(&ar, kk_stmt_text(st, 0));
		if (!(note_en && *note_en) && *kk_stmt_text(st, 1))
			note_en = kk_arena_strdup(&ar, kk_stmt_text(st, 1));
	}
	kk_stmt_done(st);
	if (adv.public_rev && !(note_ja && *note_ja) && !(note_en && *note_en)) {
		rc = kk_diag_set(d, KK_EINVAL, "note",
				 "%s is published: a new revision needs a history note (--note-ja/--note-en)", adv.ident);
		goto out;
	}
	for (size_t i = 0; i < adv.doc.n_vulns; i++)
		if (!adv.doc.vulns[i].cve &&
		    (rc = pub_pool_take(db, id, i, &ar, &adv.doc.vulns[i].cve, d)) < 0)
			goto out;
	if ((rc = pub_doc_text(&adv.doc, &doc)))
		goto out;
	int64_t now = kk_clock_now();
	int rev = adv.public_rev + 1;
	rc = kk_db_exec(db,
			"INSERT INTO advisory_rev (advisory_id, rev, doc, note_ja, note_en, published_at) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"iisssi", id, (int64_t)rev, doc, note_ja ? note_ja : note_en ? note_en : "",
			note_en ? note_en : note_ja ? note_ja : "", now);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"UPDATE advisory SET state = 'published', public_rev = ?, doc = ?, publish_at = NULL, "
				"note_ja = '', note_en = '', published_at = COALESCE(published_at, ?), updated_at = ? "
				"WHERE id = ?",
				"isiii", (int64_t)rev, doc, now, now, id);
	if (rc >= 0)
		rc = kk_sched_cancel(db, KK_ADV_JOB, id, d);
	if (rc < 0)
		goto out;
	/* read it back as the public sees it, then the database record */
	struct kk_advisory pub;
	if ((rc = kk_adv_get(db, id, true, &ar, &pub, d)))
		goto out;
	struct kk_vuln_rec rec;
	char jvndb[48] = "";
	int64_t vid = 0;
	if ((rc = kk_adv_vuln_record(&pub, &ar, &rec)) < 0 || (rc = kk_vuln_upsert(db, &rec, &vid, jvndb, sizeof(jvndb))) < 0)
		goto out;
	if ((rc = kk_search_reindex(db, vid)) < 0)
		goto out;
	if ((rc = kk_db_exec(db, "UPDATE advisory SET jvndb = ? WHERE id = ?", "si", jvndb, id)) < 0)
		goto out;
	pub.jvndb = jvndb;
	if ((rc = tell_parties(db, a, key, &pub, &ar, d)) < 0)
		goto out;
	/* the case's embargo ends: its pre-publication actions close */
	if (rev == 1 && pub.case_ref && (rc = kk_case_published(db, a, pub.case_ref, now, d)) < 0)
		goto out;
	char summary[96];
	snprintf(summary, sizeof(summary), "revision %d; %s", rev, jvndb);
	rc = kk_audit(db, a, "advisory.publish", "advisory", adv.ident, summary, NULL, NULL);
	if (rc >= 0 && rev_out)
		*rev_out = rev;
out:
	kk_free(doc);
	kk_arena_release(&ar);
	return rc < 0 ? rc : 0;
}

int kk_adv_publish_early(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, int64_t id,
			 const char *ground, const char *reason, const char *note_ja, const char *note_en, int *rev_out,
			 struct kk_diag *d)
{
	struct kk_arena ar;
	struct kk_advisory adv;
	kk_arena_init(&ar, 0);
	int64_t agreed;
	int rc = kk_adv_get(db, id, false, &ar, &adv, d);
	if (!rc && (rc = kk_adv_check_publishable(&adv.doc, d)) == 0 && !adv.public_rev &&
	    (rc = kk_case_agreed_date(db, adv.case_ref, &agreed, d)) == 1)
		rc = agreed > kk_clock_now() ? kk_case_date_exception(db, a, key, adv.case_ref, ground, reason, 0, d) : 0;
	kk_arena_release(&ar);
	return rc ? rc : kk_adv_publish(db, a, key, id, note_ja, note_en, rev_out, d);
}

int kk_adv_job_publish(struct kk_db *db, const unsigned char *key, const struct kk_sched_job *job, struct kk_diag *d)
{
	struct kk_actor sys;
	kk_actor_system(&sys, "scheduler");
	/* a job due before its case's date (scheduled before the date moved): it waits for the date */
	struct kk_arena ar;
	struct kk_advisory adv;
	kk_arena_init(&ar, 0);
	int64_t agreed = 0;
	int rc = kk_adv_get(db, job->subject, false, &ar, &adv, d);
	bool wait = !rc && !adv.public_rev && kk_case_agreed_date(db, adv.case_ref, &agreed, NULL) == 1 &&
		    agreed > kk_clock_now();
	kk_arena_release(&ar);
	if (wait)
		return kk_db_exec(db, "UPDATE advisory SET publish_at = ? WHERE id = ?", "ii", agreed, job->subject) < 0
			   ? KK_EDB
			   : kk_sched_at(db, KK_ADV_JOB, job->subject, agreed, NULL, d);
	return kk_adv_publish(db, &sys, key, job->subject, NULL, NULL, NULL, d);
}
