/*
 * internal.h — what website.c (changes) and view.c (reading) share: the
 * case row in fixed buffers and the access check. Not for other modules.
 */
#ifndef KK_WEBSITE_INTERNAL_H
#define KK_WEBSITE_INTERNAL_H
#include "website/website.h"

struct kk_db;

/* The columns every change needs, copied out of the row. */
struct wcore {
	int64_t id, report_id, org_id;
	enum kk_website_stage stage;
	char handling[KK_HANDLING_MAX];
	char tracking[48];
	char url[2048];
	char contact[KK_EMAIL_MAX + 1];
	bool has_key, portal_only, finder_direct, operator_direct;
	int attempts;
	int64_t target_at, estimate_at, ack_at, unreachable_at, stage3_at;
};

enum wrole { W_STAFF = 1, W_OPERATOR = 2 };

/* Loads by handling number (or, with handling NULL, by id). 0 or KK_ENOTFOUND / KK_EDB. */
int wcore_load(struct kk_db *db, const char *handling, int64_t id, struct wcore *c);
/*
 * Decides who w is for the case `handling` (NULL: the token's case): staff
 * (WEBSITE_HANDLE), or the operator (WEBSITE_OPERATE on its org, or
 * WEBSITE_LINK with the case's token). Loads c. KK_ENOTFOUND alike for an
 * unknown case, a wrong token and another organization's case; KK_EAUTH /
 * KK_EPERM when the actor may do neither at all.
 */
int waccess(struct kk_db *db, const struct kk_website_who *w, const char *handling, struct wcore *c,
	    enum wrole *role, struct kk_diag *d);

#endif
