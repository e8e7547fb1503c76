/*
 * brief.c — a record's one-line summary for the MyJVN tools (brief.h).
 */
#include "vulndb/brief.h"
#include "base/err.h"
#include "base/utf8.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

/* Copies s into out, cut at a whole UTF-8 character. */
static void copy_cut(char *out, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n && !kk_utf8_valid(s, n))
			n--;
	}
	memcpy(out, s, n);
	out[n] = 0;
}

int kk_vuln_brief_get(struct kk_db *db, int64_t id, const char *lang, struct kk_vuln_brief *b)
{
	struct kk_stmt *st;
	memset(b, 0, sizeof *b);
	b->id = id;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT v.jvndb, v.severity, v.score, v.withdrawn, v.published, v.modified, "
	                     "(SELECT text FROM vuln_text t WHERE t.vuln_id = v.id AND t.kind IN ('title', "
	                     "'overview', 'description') ORDER BY t.lang = ?2 DESC, t.lang = 'en' DESC, "
	                     "t.kind = 'title' DESC, t.kind = 'overview' DESC, t.id LIMIT 1) "
	                     "FROM vuln v WHERE v.id = ?1",
	                     &st));
	kk_stmt_bind_int64(st, 1, id);
	kk_stmt_bind_text(st, 2, lang ? lang : "ja", -1);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		snprintf(b->jvndb, sizeof b->jvndb, "%s", kk_stmt_text(st, 0));
		b->severity = (int)kk_stmt_int64(st, 1);
		b->has_score = !kk_stmt_is_null(st, 2);
		b->score = kk_stmt_double(st, 2);
		b->withdrawn = kk_stmt_int64(st, 3);
		b->published = kk_stmt_int64(st, 4);
		b->modified = kk_stmt_int64(st, 5);
		copy_cut(b->title, sizeof b->title, kk_stmt_text(st, 6));
	}
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_ENOTFOUND;
	KK_TRY(kk_db_prepare(db, "SELECT a.alias, k.date_added FROM vuln_alias a LEFT JOIN vuln_kev k ON k.cve = a.alias "
	                         "WHERE a.vuln_id = ? ORDER BY a.alias",
	                     &st));
	kk_stmt_bind_int64(st, 1, id);
	size_t o = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		const char *al = kk_stmt_text(st, 0);
		size_t n = strlen(al);
		if (!b->cve[0] && !strncmp(al, "CVE-", 4))
			snprintf(b->cve, sizeof b->cve, "%s", al);
		if (o + n + 2 < sizeof b->aliases) {
			if (o)
				b->aliases[o++] = ' ';
			memcpy(b->aliases + o, al, n + 1);
			o += n;
		}
		if (!kk_stmt_is_null(st, 1) && !b->kev) {
			b->kev = true;
			snprintf(b->kev_added, sizeof b->kev_added, "%s", kk_stmt_text(st, 1));
		}
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	KK_TRY(kk_db_prepare(db, "SELECT DISTINCT cwe FROM vuln_cwe WHERE vuln_id = ? ORDER BY cwe", &st));
	kk_stmt_bind_int64(st, 1, id);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if (b->ncwe < KK_BRIEF_CWES)
			b->cwe[b->ncwe++] = (int)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}
