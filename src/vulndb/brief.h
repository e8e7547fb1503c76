/*
 * brief.h — one record in a line: what the version checker and the
 * watchlists (watch/) show for a match — the JVNDB id, its CVE, title,
 * severity, score, whether CISA KEV lists it, and its CWEs — read by id
 * with a few indexed statements (no search, no cards).
 */
#ifndef KK_VULNDB_BRIEF_H
#define KK_VULNDB_BRIEF_H
#include <stdbool.h>
#include <stdint.h>

struct kk_db;

#define KK_BRIEF_CWES 8

struct kk_vuln_brief {
	int64_t id;
	char jvndb[32];
	char cve[32];    /* the first CVE alias, "" when none */
	char aliases[512]; /* every alias, space-separated, sorted (cut at a whole alias) */
	char title[512]; /* in lang when there is one, else English, else any; cut at a character */
	int severity;    /* 0 none .. 4 critical */
	bool has_score;
	double score;
	bool kev;
	char kev_added[16]; /* YYYY-MM-DD when kev */
	bool withdrawn;
	int64_t published, modified;
	int ncwe;
	int cwe[KK_BRIEF_CWES];
};

/* Fills *b for record id: 0, KK_ENOTFOUND, or KK_EDB. lang: "ja" or "en". */
int kk_vuln_brief_get(struct kk_db *db, int64_t id, const char *lang, struct kk_vuln_brief *b);

#endif
