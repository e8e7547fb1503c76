/*
 * ids.c — the operator's id prefix, minting PREFIX-YYYY-NNNNNN ids that no
 * record holds, and the rule that an imported id wins over a minted one
 * (vulndb/ids.h). Runs inside the caller's transaction.
 */
#include "vulndb/ids.h"
#include "base/clock.h"
#include "store/db.h"
#include "vulndb/record.h"
#include "vulndb/search.h"
#include <stdio.h>
#include <string.h>

#define META_PREFIX "vuln.id_prefix"

/* Numberings other authorities own, whose ids keikai imports: never a prefix of ours. */
static const char *const taken_prefix[] = {"CVE",   "CWE",     "CAPEC", "GHSA",  "GO",    "GSD", "OSV",
                                           "PYSEC", "RUSTSEC", "JVN",   "JVNVU", "JVNTA", NULL};

/* Length of the prefix p starts with ([A-Z][A-Z0-9]{1,9}), 0 when it has none. */
static size_t prefix_len(const char *p)
{
	size_t n = 0;
	if (!p || p[0] < 'A' || p[0] > 'Z')
		return 0;
	while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
		n++;
	return n >= 2 && n <= KK_VULN_PREFIX_MAX ? n : 0;
}

int kk_vuln_prefix_check(const char *prefix, struct kk_diag *d)
{
	const char *p = prefix ? prefix : "";
	size_t n = prefix_len(p);
	if (!n || p[n]) {
		char up[KK_VULN_PREFIX_MAX + 1];
		size_t k = 0;
		for (; p[k] && k < KK_VULN_PREFIX_MAX; k++)
			up[k] = (char)(p[k] >= 'a' && p[k] <= 'z' ? p[k] - 32 : p[k]);
		up[k] = 0;
		if (!p[k] && prefix_len(up) == k && k)
			return kk_diag_set(d, KK_EINVAL, "--id-prefix",
			                   "--id-prefix '%s': ids are upper case; give --id-prefix %s", p,
			                   up);
		return kk_diag_set(
		    d, KK_EINVAL, "--id-prefix",
		    "--id-prefix '%s' is not a prefix: give 2 to %d capital letters or digits, the first "
		    "a letter, such as KKDB (ids then read KKDB-2025-000001)",
		    p, KK_VULN_PREFIX_MAX);
	}
	for (int i = 0; taken_prefix[i]; i++)
		if (!strcmp(p, taken_prefix[i]))
			return kk_diag_set(
			    d, KK_EINVAL, "--id-prefix",
			    "--id-prefix %s: %s- ids are numbered by another authority and imported as "
			    "such; choose a prefix of your own, such as KKDB (JVNDB only if you are the "
			    "JVN iPedia authority)",
			    p, p);
	return 0;
}

int kk_vuln_prefix_get(struct kk_db *db, char out[KK_VULN_PREFIX_MAX + 1])
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, "SELECT value FROM meta WHERE key = '" META_PREFIX "'", &st));
	int rc = kk_stmt_step(st);
	const char *v = rc == KK_ROW ? kk_stmt_text(st, 0) : NULL;
	/* a value not of the form (never written by keikai) mints with the default rather than an odd id */
	snprintf(out, KK_VULN_PREFIX_MAX + 1, "%s",
	         v && prefix_len(v) == strlen(v) ? v : KK_VULN_PREFIX_DEFAULT);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

int kk_vuln_prefix_set(struct kk_db *db, const char *prefix, struct kk_diag *d)
{
	KK_TRY(kk_vuln_prefix_check(prefix, d));
	int rc = kk_db_exec(db,
	                    "INSERT INTO meta (key, value) VALUES ('" META_PREFIX "', ?) "
	                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                    "s", prefix);
	return rc < 0 ? rc : 0;
}

bool kk_vuln_id_form(const char *id, int *year)
{
	size_t n = prefix_len(id);
	if (!n || id[n] != '-' || (n == 3 && !strncmp(id, "CVE", 3)))
		return false;
	const char *y = id + n + 1;
	if (strspn(y, "0123456789") != 4 || y[4] != '-')
		return false;
	size_t digits = strspn(y + 5, "0123456789");
	if (digits < 6 || y[5 + digits])
		return false;
	if (year)
		*year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
	return true;
}

const char *kk_vuln_own_id(const struct kk_vuln_rec *rec)
{
	const char *s = rec->source_id;
	return rec->source && !strncmp(rec->source, "jvn", 3) && s && !strncmp(s, "JVNDB-", 6) &&
	               kk_vuln_id_form(s, NULL)
	           ? s
	           : NULL;
}

/* 1 when a record holds id (as its id, an alias or a former id), 0 when none does. */
static int taken(struct kk_db *db, const char *id)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(
	    db,
	    "SELECT 1 FROM vuln WHERE jvndb = ?1 UNION ALL SELECT 1 FROM vuln_alias WHERE alias = ?1 "
	    "UNION ALL SELECT 1 FROM vuln_former WHERE former = ?1 LIMIT 1",
	    &st));
	kk_stmt_bind_text(st, 1, id, -1);
	int rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

int kk_vuln_id_mint(struct kk_db *db, int year, char *id)
{
	char prefix[KK_VULN_PREFIX_MAX + 1];
	KK_TRY(kk_vuln_prefix_get(db, prefix));
	if (year < 0 || year > 9999)
		return KK_ERANGE;
	for (;;) {
		struct kk_stmt *st;
		int64_t serial = 0;
		KK_TRY(kk_db_prepare(
		    db,
		    "INSERT INTO vuln_id_serial (prefix, year, next) VALUES (?, ?, 2) "
		    "ON CONFLICT (prefix, year) DO UPDATE SET next = next + 1 RETURNING next - 1",
		    &st));
		kk_stmt_bind_text(st, 1, prefix, -1);
		kk_stmt_bind_int64(st, 2, year);
		int rc = kk_stmt_step(st);
		if (rc == KK_ROW)
			serial = kk_stmt_int64(st, 0);
		kk_stmt_done(st);
		if (rc != KK_ROW)
			return rc < 0 ? rc : KK_EDB;
		if (serial > 999999)
			return KK_ERANGE; /* six digits */
		snprintf(id, 24, "%s-%04d-%06d", prefix, year, (int)serial);
		if ((rc = taken(db, id)) <= 0)
			return rc;
	}
}

static int note(struct kk_db *db, int64_t vid, const char *by, const char *what)
{
	int rc = kk_db_exec(db, "INSERT INTO vuln_history (vuln_id, at, source, what) VALUES (?, ?, ?, ?)",
	                    "iiss", vid, (int64_t)kk_clock_now(), by, what);
	return rc < 0 ? rc : 0;
}

/* The record holding id as an id minted here (no source of it has that id), other than vid: *out, 1; 0: none.
 */
static int minted_holder(struct kk_db *db, const char *id, int64_t vid, int64_t *out)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db,
	                     "SELECT v.id FROM vuln v WHERE v.jvndb = ?1 AND v.id <> ?2 AND NOT EXISTS "
	                     "(SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id AND s.source_id = ?1)",
	                     &st));
	kk_stmt_bind_text(st, 1, id, -1);
	kk_stmt_bind_int64(st, 2, vid);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*out = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

int kk_vuln_id_claim(struct kk_db *db, int64_t vid, const char *id, const char *by)
{
	int year;
	int64_t other = 0;
	if (!kk_vuln_id_form(id, &year))
		return 0;
	int rc = kk_db_exec(db, "DELETE FROM vuln_former WHERE former = ? AND vuln_id <> ?", "si", id, vid);
	if (rc < 0 || (rc = minted_holder(db, id, vid, &other)) <= 0)
		return rc;
	char fresh[24], what[200];
	KK_TRY(kk_vuln_id_mint(db, year, fresh));
	KK_TRY(kk_db_exec(db, "UPDATE vuln SET jvndb = ? WHERE id = ?", "si", fresh, other));
	snprintf(what, sizeof what, "renumbered: %s is the id of an imported record; this record is now %s",
	         id, fresh);
	KK_TRY(note(db, other, by, what));
	return kk_search_reindex(db, other); /* its row no longer names id */
}

int kk_vuln_id_take(struct kk_db *db, int64_t vid, const char *own, const char *by)
{
	struct kk_stmt *st;
	char cur[48] = "";
	KK_TRY(kk_db_prepare(db,
	                     "SELECT v.jvndb, EXISTS (SELECT 1 FROM vuln_source s WHERE s.vuln_id = v.id AND "
	                     "s.source_id = v.jvndb) FROM vuln v WHERE v.id = ?",
	                     &st));
	kk_stmt_bind_int64(st, 1, vid);
	int rc = kk_stmt_step(st), imported = 0;
	if (rc == KK_ROW) {
		snprintf(cur, sizeof cur, "%s", kk_stmt_text(st, 0));
		imported = (int)kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_ENOTFOUND;
	if (imported || !strcmp(cur, own))
		return 0;
	char what[200];
	KK_TRY(kk_vuln_id_claim(db, vid, own, by));
	KK_TRY(kk_db_exec(db, "DELETE FROM vuln_former WHERE former = ?", "s", own));
	KK_TRY(kk_db_exec(db, "UPDATE vuln SET jvndb = ? WHERE id = ?", "si", own, vid));
	KK_TRY(kk_db_exec(db,
	                  "INSERT INTO vuln_former (former, vuln_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
	                  "si", cur, vid));
	snprintf(what, sizeof what, "renumbered: now %s, the id of the JVN iPedia record; %s still finds it",
	         own, cur);
	return note(db, vid, by, what);
}

int kk_vuln_id_fold(struct kk_db *db, int64_t winner, int64_t loser, const char *by)
{
	struct kk_stmt *st;
	char lost[48] = "", now[48] = "";
	KK_TRY(kk_db_prepare(
	    db, "SELECT (SELECT jvndb FROM vuln WHERE id = ?1), (SELECT jvndb FROM vuln WHERE id = ?2)",
	    &st));
	kk_stmt_bind_int64(st, 1, loser);
	kk_stmt_bind_int64(st, 2, winner);
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW && kk_stmt_text(st, 0) && kk_stmt_text(st, 1)) {
		snprintf(lost, sizeof lost, "%s", kk_stmt_text(st, 0));
		snprintf(now, sizeof now, "%s", kk_stmt_text(st, 1));
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (!lost[0] || !now[0])
		return KK_ENOTFOUND;
	KK_TRY(kk_db_exec(db, "UPDATE vuln_former SET vuln_id = ? WHERE vuln_id = ?", "ii", winner, loser));
	KK_TRY(kk_db_exec(db,
	                  "INSERT INTO vuln_former (former, vuln_id) VALUES (?, ?) "
	                  "ON CONFLICT (former) DO UPDATE SET vuln_id = excluded.vuln_id",
	                  "si", lost, winner));
	char what[256];
	snprintf(what, sizeof what,
	         "merged: %s joined %s (the JVN record names the CVEs of both); %s still finds it", lost, now,
	         lost);
	return note(db, winner, by, what);
}
