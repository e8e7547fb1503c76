/*
 * upsert.c — stores one struct kk_vuln_rec: finds or creates its vuln row
 * (its id by the rules of ids.h), replaces that source's rows, recomputes dates and score, and
 * writes a history row. Runs inside the caller's transaction.
 */
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/ids.h"
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Runs a prepared single-value query: *out = column 0 as int64 (found: 1, none: 0). */
static int query_int(struct kk_db *db, const char *sql, const char *text, int64_t arg, int64_t *out)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, sql, &st));
	if (text)
		kk_stmt_bind_text(st, 1, text, -1);
	else
		kk_stmt_bind_int64(st, 1, arg);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*out = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

/* The year a new record's minted id carries: public/published date, else the CVE year, else now. */
static int record_year(const struct kk_vuln_rec *rec)
{
	int64_t t = rec->public_date ? rec->public_date : rec->published;
	if (t > 0) {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		return tm.tm_year + 1900;
	}
	for (size_t i = 0; i < rec->n_aliases; i++)
		if (kk_jget_is_cve_id(rec->aliases[i]))
			return (rec->aliases[i][4] - '0') * 1000 + (rec->aliases[i][5] - '0') * 100 +
			       (rec->aliases[i][6] - '0') * 10 + (rec->aliases[i][7] - '0');
	time_t now = (time_t)kk_clock_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

/* A new vulnerability for rec: known by rec's own JVNDB id, else by one minted here (ids.h). */
static int create_vuln(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t *vuln_id, char id[48])
{
	const char *own = kk_vuln_own_id(rec);
	int rc;
	if (own)
		snprintf(id, 48, "%s", own);
	else
		KK_TRY(kk_vuln_id_mint(db, record_year(rec), id));
	/* a new vulnerability has one source: its dates and score are the record's (recompute's rules) */
	const struct kk_vuln_cvss *top = NULL;
	for (size_t i = 0; i < rec->n_cvss; i++) {
		const struct kk_vuln_cvss *c = &rec->cvss[i];
		if (c->score < 0)
			continue;
		int v = top ? strcmp(c->version, top->version) : 1;
		if (v > 0 || (v == 0 && c->score > top->score))
			top = c;
	}
	struct kk_stmt *ins;
	KK_TRY(kk_db_prepare(
	    db,
	    "INSERT INTO vuln (jvndb, published, first_published, modified, public_date, score, "
	    "severity, withdrawn, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &ins));
	kk_stmt_bind_text(ins, 1, id, -1);
	kk_stmt_bind_int64(ins, 2, rec->published);
	/* dates from the source: first published (JVN's 登録日) or published, never the import time */
	kk_stmt_bind_int64(ins, 3, rec->first_published ? rec->first_published : rec->published);
	kk_stmt_bind_int64(ins, 4, rec->modified);
	kk_stmt_bind_int64(ins, 5, rec->public_date ? rec->public_date : rec->published);
	if (top)
		kk_stmt_bind_double(ins, 6, top->score);
	else
		kk_stmt_bind_null(ins, 6);
	kk_stmt_bind_int64(ins, 7, top ? kk_vuln_severity_rank(top->severity) : 0);
	kk_stmt_bind_int64(ins, 8, rec->withdrawn);
	kk_stmt_bind_int64(ins, 9, kk_clock_now());
	rc = kk_stmt_step(ins);
	kk_stmt_done(ins);
	if (rc < 0)
		return rc;
	*vuln_id = kk_db_last_insert_id(db);
	return 0;
}

/* A source's references as one row: [[url, type], ...] in its order (schema 0021). */
static int insert_refs(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t vid, int64_t src)
{
	struct kk_buf b;
	struct kk_json j;
	kk_buf_init(&b, 0);
	kk_json_init(&j, &b);
	kk_json_arr_open(&j);
	for (size_t i = 0; i < rec->n_refs; i++) {
		kk_json_arr_open(&j);
		kk_json_str(&j, rec->refs[i].url);
		if (rec->refs[i].type)
			kk_json_str(&j, rec->refs[i].type);
		else
			kk_json_null(&j);
		kk_json_arr_close(&j);
	}
	kk_json_arr_close(&j);
	kk_buf_putc(&b, 0);
	int rc = kk_json_error(&j) || kk_buf_error(&b)
	             ? KK_ENOMEM
	             : kk_db_exec(db, "INSERT INTO vuln_refs (src, vuln_id, refs) VALUES (?, ?, ?)", "iis", src, vid,
	                          (const char *)b.ptr);
	kk_buf_release(&b);
	return rc < 0 ? rc : 0;
}

/* A JVN record's own values (schema 0026 vuln_jvn_item): the source's rows replaced. */
static int insert_jvn(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t vid, int64_t src)
{
	KK_TRY(kk_db_exec(db, "DELETE FROM vuln_jvn_item WHERE src = ?", "i", src));
	for (size_t i = 0; i < rec->n_jvn; i++) {
		const struct kk_vuln_jvn_item *j = &rec->jvn[i];
		KK_TRY(kk_db_exec(db,
		                  "INSERT INTO vuln_jvn_item (src, vuln_id, kind, seq, lang, a, b, c, d, e, t, t2, t3) "
		                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		                  "iisissssssiii", src, vid, j->kind, (int64_t)i, j->lang, j->a, j->b, j->c, j->d, j->e,
		                  j->t, j->t2, j->t3));
	}
	return 0;
}

static int insert_children(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t vid, int64_t src)
{
	KK_TRY(insert_jvn(db, rec, vid, src));
	for (size_t i = 0; i < rec->n_aliases; i++)
		KK_TRY(kk_db_exec(
		    db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES (?, ?) ON CONFLICT DO NOTHING", "si",
		    rec->aliases[i], vid));
	for (size_t i = 0; i < rec->n_texts; i++) {
		const struct kk_vuln_text *t = &rec->texts[i];
		KK_TRY(kk_db_exec(
		    db, "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES (?, ?, ?, ?, ?)",
		    "iisss", vid, src, t->lang, t->kind, t->text));
	}
	for (size_t i = 0; i < rec->n_cvss; i++) {
		const struct kk_vuln_cvss *c = &rec->cvss[i];
		struct kk_stmt *st;
		KK_TRY(kk_db_prepare(
		    db,
		    "INSERT INTO vuln_cvss (vuln_id, src, version, vector, score, severity, scorer, type) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    &st));
		kk_stmt_bind_int64(st, 1, vid);
		kk_stmt_bind_int64(st, 2, src);
		kk_stmt_bind_text(st, 3, c->version, -1);
		kk_stmt_bind_text(st, 4, c->vector, -1);
		if (c->score >= 0)
			kk_stmt_bind_double(st, 5, c->score);
		else
			kk_stmt_bind_null(st, 5);
		kk_stmt_bind_int64(st, 6, kk_vuln_severity_rank(c->severity));
		kk_stmt_bind_text(st, 7, c->source, -1);
		kk_stmt_bind_text(st, 8, c->type, -1);
		int rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < rec->n_cwes; i++)
		KK_TRY(kk_db_exec(db, "INSERT INTO vuln_cwe (vuln_id, src, cwe) VALUES (?, ?, ?)", "iii", vid,
		                  src, (int64_t)rec->cwes[i]));
	struct kk_affect_memo memo = {.id = 0};
	for (size_t i = 0; i < rec->n_cpes; i++) {
		const struct kk_vuln_cpe *c = &rec->cpes[i];
		KK_TRY(kk_db_exec(
		    db,
		    "INSERT INTO vuln_cpe (vuln_id, src, cfg, node, cfg_and, node_and, negate, vulnerable, "
		    "cpe23, vendor, product, version, start_incl, start_excl, end_incl, end_excl) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iiiiiiiissssssss", vid, src, (int64_t)c->cfg, (int64_t)c->node, (int64_t)c->cfg_and,
		    (int64_t)c->node_and, (int64_t)c->negate, (int64_t)c->vulnerable, c->cpe23, c->vendor,
		    c->product, c->version, c->start_incl, c->start_excl, c->end_incl, c->end_excl));
		KK_TRY(kk_affect_add_cpe(db, vid, src, kk_db_last_insert_id(db), c, &memo)); /* product index */
	}
	for (size_t i = 0; i < rec->n_pkgs; i++) {
		const struct kk_vuln_pkg *p = &rec->pkgs[i];
		KK_TRY(kk_db_exec(
		    db,
		    "INSERT INTO vuln_pkg (vuln_id, src, ecosystem, name, purl, range_type, introduced, "
		    "fixed, last_affected, range_limit, versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iisssssssss", vid, src, p->ecosystem, p->name, p->purl, p->range_type, p->introduced,
		    p->fixed, p->last_affected, p->limit, p->versions));
		KK_TRY(kk_affect_add_pkg(db, vid, src, kk_db_last_insert_id(db), p));
	}
	return rec->n_refs ? insert_refs(db, rec, vid, src) : 0;
}

/* The tables whose rows belong to one source: text, cvss, cwe, cpe, pkg, ref. */
#define N_CHILD 6u

/* The record's count of rows for each of them. */
static void record_counts(const struct kk_vuln_rec *rec, size_t n[N_CHILD])
{
	n[0] = rec->n_texts, n[1] = rec->n_cvss, n[2] = rec->n_cwes;
	n[3] = rec->n_cpes, n[4] = rec->n_pkgs, n[5] = rec->n_refs;
}

/* Deletes a source's rows; old[i] receives how many each table had. */
static int delete_children(struct kk_db *db, int64_t vid, int64_t src, size_t old[N_CHILD])
{
	static const char *const sql[N_CHILD - 1] = {
	    "DELETE FROM vuln_text WHERE vuln_id = ? AND src = ?",
	    "DELETE FROM vuln_cvss WHERE vuln_id = ? AND src = ?",
	    "DELETE FROM vuln_cwe WHERE vuln_id = ? AND src = ?",
	    "DELETE FROM vuln_cpe WHERE vuln_id = ? AND src = ?",
	    "DELETE FROM vuln_pkg WHERE vuln_id = ? AND src = ?",
	};
	for (size_t i = 0; i + 1 < N_CHILD; i++) {
		int rc = kk_db_exec(db, sql[i], "ii", vid, src);
		if (rc < 0)
			return rc;
		old[i] = (size_t)rc;
	}
	/* the references: one row holding them all */
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT json_array_length(refs) FROM vuln_refs WHERE src = ?", &st));
	kk_stmt_bind_int64(st, 1, src);
	int rc = kk_stmt_step(st);
	old[N_CHILD - 1] = rc == KK_ROW ? (size_t)kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (rc < 0 || (rc = kk_db_exec(db, "DELETE FROM vuln_refs WHERE src = ?", "i", src)) < 0)
		return rc;
	return kk_affect_delete_src(db, src); /* the product index rows of the cpe and pkg rows */
}

/* Dates, status (rejected / withdrawn: the view vuln_verdict, schema 0025) and top score of a vuln from all
 * its sources. */
static int recompute(struct kk_db *db, int64_t vid)
{
	return kk_db_exec(
	    db,
	    "UPDATE vuln SET "
	    "published = coalesce((SELECT min(published) FROM vuln_source WHERE vuln_id = ?1 AND published "
	    "<> 0), 0), "
	    "public_date = coalesce((SELECT min(CASE WHEN public_date > 0 THEN public_date ELSE published END) "
	    "FROM vuln_source WHERE vuln_id = ?1 AND (public_date > 0 OR published > 0)), 0), "
	    "first_published = coalesce((SELECT min(published) FROM vuln_source WHERE vuln_id = ?1 AND published "
	    "<> 0), first_published), "
	    "modified = coalesce((SELECT max(modified) FROM vuln_source WHERE vuln_id = ?1), 0), "
	    "(withdrawn, status, withdrawn_at, withdrawn_reason) = (SELECT coalesce(max(w.withdrawn), 0), "
	    "coalesce(max(w.status), 'published'), coalesce(max(w.withdrawn_at), 0), max(w.withdrawn_reason) "
	    "FROM vuln_verdict w WHERE w.vuln_id = ?1), "
	    "score = (SELECT score FROM vuln_cvss WHERE vuln_id = ?1 AND score IS NOT NULL "
	    "         ORDER BY version DESC, score DESC LIMIT 1), "
	    "severity = coalesce((SELECT severity FROM vuln_cvss WHERE vuln_id = ?1 AND score IS NOT NULL "
	    "         ORDER BY version DESC, score DESC LIMIT 1), 0) "
	    "WHERE id = ?1",
	    "i", vid);
}

/* "nvd:CVE-2021-44228": the source record, as history rows name it. */
static void source_label(const struct kk_vuln_rec *rec, char src[160])
{
	snprintf(src, 160, "%s:%s", rec->source, rec->source_id);
}

static int history(struct kk_db *db, int64_t vid, const struct kk_vuln_rec *rec, const char *what)
{
	char src[160];
	source_label(rec, src);
	return kk_db_exec(db, "INSERT INTO vuln_history (vuln_id, at, source, what) VALUES (?, ?, ?, ?)",
	                  "iiss", vid, (int64_t)kk_clock_now(), src, what);
}

/* "updated (modified 2024-01-02T03:04:05Z): cvss 2->3, cpe 10->12" */
static void change_summary(char *out, size_t n, const struct kk_vuln_rec *rec, const size_t old[N_CHILD])
{
	static const char *const names[N_CHILD] = {"texts", "cvss", "cwe", "cpe", "packages", "references"};
	size_t now[N_CHILD], len;
	char iso[32];
	record_counts(rec, now);
	kk_time_iso(rec->modified, iso, sizeof iso);
	len = (size_t)snprintf(out, n, "updated (modified %s)", iso);
	int any = 0;
	for (size_t i = 0; i < N_CHILD && len < n; i++)
		if (old[i] != now[i]) {
			len += (size_t)snprintf(out + len, n - len, "%s %s %zu->%zu", any++ ? "," : ":",
			                        names[i], old[i], now[i]);
		}
	if (!any && len < n)
		snprintf(out + len, n - len, ": content changed, same counts");
}

/*
 * The ids rec brings win over ids minted here for other records, and the
 * record vid (0: not created yet) takes rec's own JVNDB id (ids.h).
 */
static int claim_ids(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t vid)
{
	char by[160];
	source_label(rec, by);
	KK_TRY(kk_vuln_id_claim(db, vid, rec->source_id, by));
	for (size_t i = 0; i < rec->n_aliases; i++)
		KK_TRY(kk_vuln_id_claim(db, vid, rec->aliases[i], by));
	const char *own = kk_vuln_own_id(rec);
	return own && vid ? kk_vuln_id_take(db, vid, own, by) : 0;
}

/* The tables whose rows follow a record merged into another (vuln_former: kk_vuln_id_fold). */
static const char *const merge_sql[] = {
    "UPDATE vuln_source SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_alias SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_text SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_cvss SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_cwe SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_cpe SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_pkg SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_refs SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_jvn_item SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_affect SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_affect_exact SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE vuln_history SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE OR IGNORE inventory_dismiss SET vuln_id = ?1 WHERE vuln_id = ?2",
    "UPDATE watch_hit SET vuln_id = ?1 WHERE vuln_id = ?2",
    "DELETE FROM watch_pending WHERE vuln_id = ?2", /* vid itself changes, so it is pending when watched */
    "DELETE FROM vuln WHERE id = ?2", /* cascades what is left: a dismissal the winner has too */
};

/*
 * A JVN record names several CVEs (JVN iPedia gives one record to what NVD
 * splits): every other record holding one of rec's ids (source id, CVE or
 * other alias) joins vid, the record rec belongs to. Its sources, aliases
 * and rows move, its id stays a former id that still finds vid
 * (kk_vuln_id_fold), it leaves the search index, and vid's dates, status
 * and score are recomputed (vid is indexed again as its sources changed).
 * A record known by an imported id of its own (another JVN record's) is
 * never merged away: it keeps its id. Either import order gives one record:
 * JVN after NVD merges here; NVD after JVN joins by alias.
 */
static int join_named(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t vid)
{
	char by[160];
	int merged = 0;
	source_label(rec, by);
	for (size_t i = 0; i <= rec->n_aliases; i++) {
		const char *id = i < rec->n_aliases ? rec->aliases[i] : rec->source_id;
		int64_t other = 0;
		int rc = query_int(db,
		                   "SELECT v.id FROM vuln_alias a JOIN vuln v ON v.id = a.vuln_id WHERE a.alias = ? "
		                   "AND NOT EXISTS (SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id AND "
		                   "s.source_id = v.jvndb)",
		                   id, 0, &other);
		if (rc < 0)
			return rc;
		if (!rc || other == vid)
			continue;
		KK_TRY(kk_vuln_id_fold(db, vid, other, by));
		for (size_t k = 0; k < sizeof merge_sql / sizeof *merge_sql; k++)
			if ((rc = kk_db_exec(db, merge_sql[k], "ii", vid, other)) < 0)
				return rc;
		KK_TRY(kk_search_reindex(db, other)); /* gone: its index row is dropped */
		merged = 1;
	}
	return merged ? recompute(db, vid) : 0;
}

int kk_vuln_upsert(struct kk_db *db, const struct kk_vuln_rec *rec, int64_t *vuln_id, char *jvndb,
                   size_t jvndb_len)
{
	char created[48] = "";
	struct kk_stmt *st;
	int64_t src = 0, vid = 0, old_mod = 0;
	int found = 0, same = 0, rc;
	if (!rec->source || !rec->source_id)
		return KK_EINVAL;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT id, vuln_id, modified, content_hash FROM vuln_source "
	                     "WHERE source = ? AND source_id = ?",
	                     &st));
	kk_stmt_bind_text(st, 1, rec->source, -1);
	kk_stmt_bind_text(st, 2, rec->source_id, -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		found = 1;
		src = kk_stmt_int64(st, 0);
		vid = kk_stmt_int64(st, 1);
		old_mod = kk_stmt_int64(st, 2);
		same = kk_stmt_bytes(st, 3) == sizeof rec->hash &&
		       !memcmp(kk_stmt_blob(st, 3), rec->hash, sizeof rec->hash);
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;

	int outcome;
	if (found && same) {
		outcome = KK_VULN_UNCHANGED;
	} else if (found && rec->modified < old_mod) {
		outcome = KK_VULN_OLDER;
	} else if (found) {
		size_t old[N_CHILD];
		char what[256];
		KK_TRY(claim_ids(db, rec, vid));
		KK_TRY(delete_children(db, vid, src, old));
		KK_TRY(kk_db_prepare(
		    db,
		    "UPDATE vuln_source SET format = ?, published = ?, modified = ?, withdrawn = ?, "
		    "content_hash = ?, imported_at = ?, public_date = ?, withdrawn_at = ?, withdrawn_reason = ? WHERE id = ?",
		    &st));
		kk_stmt_bind_text(st, 1, rec->format, -1);
		kk_stmt_bind_int64(st, 2, rec->published);
		kk_stmt_bind_int64(st, 3, rec->modified);
		kk_stmt_bind_int64(st, 4, rec->withdrawn);
		kk_stmt_bind_blob(st, 5, rec->hash, sizeof rec->hash);
		kk_stmt_bind_int64(st, 6, kk_clock_now());
		kk_stmt_bind_int64(st, 7, rec->public_date);
		kk_stmt_bind_int64(st, 8, rec->withdrawn ? rec->withdrawn_at : 0);
		kk_stmt_bind_text(st, 9, rec->withdrawn ? rec->withdrawn_reason : NULL, -1);
		kk_stmt_bind_int64(st, 10, src);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
		KK_TRY(insert_children(db, rec, vid, src));
		KK_TRY(recompute(db, vid));
		change_summary(what, sizeof what, rec, old);
		KK_TRY(history(db, vid, rec, what));
		outcome = KK_VULN_UPDATED;
	} else {
		/* a new source record: join the vulnerability one of its ids names, or start one */
		rc = query_int(db, "SELECT vuln_id FROM vuln_alias WHERE alias = ?", rec->source_id, 0, &vid);
		for (size_t i = 0; rc == 0 && i < rec->n_aliases; i++)
			if (strcmp(rec->aliases[i], rec->source_id)) /* asked already */
				rc = query_int(db, "SELECT vuln_id FROM vuln_alias WHERE alias = ?", rec->aliases[i],
			               0, &vid);
		if (rc < 0)
			return rc;
		int merged = rc == 1;
		KK_TRY(claim_ids(db, rec, merged ? vid : 0));
		if (!merged)
			KK_TRY(create_vuln(db, rec, &vid, created));
		KK_TRY(kk_db_prepare(
		    db,
		    "INSERT INTO vuln_source (vuln_id, source, source_id, format, published, modified, "
		    "withdrawn, content_hash, imported_at, public_date, withdrawn_at, withdrawn_reason) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    &st));
		kk_stmt_bind_int64(st, 1, vid);
		kk_stmt_bind_text(st, 2, rec->source, -1);
		kk_stmt_bind_text(st, 3, rec->source_id, -1);
		kk_stmt_bind_text(st, 4, rec->format, -1);
		kk_stmt_bind_int64(st, 5, rec->published);
		kk_stmt_bind_int64(st, 6, rec->modified);
		kk_stmt_bind_int64(st, 7, rec->withdrawn);
		kk_stmt_bind_blob(st, 8, rec->hash, sizeof rec->hash);
		kk_stmt_bind_int64(st, 9, kk_clock_now());
		kk_stmt_bind_int64(st, 10, rec->public_date);
		kk_stmt_bind_int64(st, 11, rec->withdrawn ? rec->withdrawn_at : 0);
		kk_stmt_bind_text(st, 12, rec->withdrawn ? rec->withdrawn_reason : NULL, -1);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
		src = kk_db_last_insert_id(db);
		KK_TRY(insert_children(db, rec, vid, src));
		if (merged || rec->withdrawn) /* a new record's status too comes from the one rule */
			KK_TRY(recompute(db, vid));
		KK_TRY(history(db, vid, rec,
		               merged ? "merged: a further source for this vulnerability" : "created"));
		outcome = merged ? KK_VULN_MERGED : KK_VULN_ADDED;
	}
	if (kk_vuln_own_id(rec))
		KK_TRY(join_named(db, rec, vid));
	if (vuln_id)
		*vuln_id = vid;
	if (jvndb && jvndb_len && created[0]) {
		snprintf(jvndb, jvndb_len, "%s", created);
	} else if (jvndb && jvndb_len) {
		KK_TRY(kk_db_prepare(db, "SELECT jvndb FROM vuln WHERE id = ?", &st));
		kk_stmt_bind_int64(st, 1, vid);
		rc = kk_stmt_step(st);
		snprintf(jvndb, jvndb_len, "%s", rc == KK_ROW ? kk_stmt_text(st, 0) : "");
		kk_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return outcome;
}
