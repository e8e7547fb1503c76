/*
 * page_website.h — what the website-case API (api_website.c) and pages
 * (page_website.c) share: one action applied in one transaction, whichever
 * side asks (receivers, the operator by account or link, the finder by
 * their report's link). The domain (website/website.h) asks the policy.
 */
#ifndef KK_WEB_PAGE_WEBSITE_H
#define KK_WEB_PAGE_WEBSITE_H
#include "base/err.h"
#include "web/req.h"
#include "website/website.h"
#include <stdbool.h>

enum kk_wside { KK_WSIDE_STAFF, KK_WSIDE_PORTAL, KK_WSIDE_FINDER };

/*
 * One action with its inputs (strings owned by the caller; NULL when not
 * given). Staff: notify (addresses: comma/space/newline separated), contact
 * (email, name), protect (pgp_key, or portal = true), details (flaw, risk,
 * reproduce, description), org (org name, "" to unlink), ack, note (text),
 * check (item, undo), estimate (date YYYY-MM-DD, text), complete (text),
 * close (outcome, text). Portal: contact, protect, ack, note, check,
 * estimate, complete, direct_agree, direct (text). Finder: confirm (text),
 * direct_agree, direct (text). A note or the completion report from staff or
 * the operator may come with files (multipart/form-data field "files"):
 * checked against the report limits (KEIKAI_ATTACH_*), stored by content
 * hash and linked to the case (kk_website_attach) in the same transaction.
 */
struct kk_wact {
	enum kk_wside side;
	const char *action;
	const char *handling; /* staff and operator accounts; NULL with a link token */
	const char *token;    /* the operator's link token (portal) or the report's (finder) */
	const char *tracking; /* finder */
	const char *text, *email, *name, *pgp_key, *item, *date, *outcome, *org, *addresses;
	const char *flaw, *risk, *reproduce, *description;
	bool portal, undo;
	/* files sent with a note or the completion report (multipart "files"); kk_web_website_act fills them */
	const struct kk_upload *files;
	const struct kk_stored_file *stored;
	int nfiles;
	/* out */
	char new_token[KK_WEBSITE_TOKEN_MAX]; /* a new operator link (notify, contact); show once */
	struct kk_diag d;
};

/*
 * Checks the inputs, then runs the action in one transaction with the
 * server's sealing key. 0, or a negative code with w->d naming the field
 * (nothing is replied: the caller answers in JSON or HTML).
 */
int kk_web_website_act(struct kk_req *r, struct kk_wact *w);

/* "IPA#12345678" from a path parameter: as is, or the 8 digits alone with the configured prefix (arena). */
const char *kk_web_website_handling(struct kk_req *r, const char *param);
/* The same for a value (a query or form field); NULL for NULL or "". */
const char *kk_web_website_norm(struct kk_req *r, const char *s);

/* Sends attachment {sha256} (path parameter) of the case to w as a download, or the error answer. */
int kk_web_website_file(struct kk_req *r, const struct kk_website_who *w, const char *handling);

#endif
