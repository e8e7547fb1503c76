/*
 * page_report.h — what the finder's pages (page_report.c) and the triage pages (page_triage.c)
 * share: the sealing key, a <select> option, and a report's thread as an HTML list.
 * All write into r->resp.body with html.h (text escaped); none owns anything.
 */
#ifndef KK_WEB_PAGE_REPORT_H
#define KK_WEB_PAGE_REPORT_H
#include "auth/keyfile.h"
#include "base/buf.h"
#include "intake/intake.h"
#include "web/req.h"
#include <stdbool.h>
#include <stdint.h>

/* Loads the server's sealing key into key; on failure replies 500 and returns < 0. Wipe key after use. */
int kk_page_report_key(struct kk_req *r, unsigned char key[KK_KEY_BYTES]);
/* <option value="value">label</option>, selected when cur equals value (cur may be NULL). */
void kk_page_option(struct kk_buf *b, const char *value, const char *label, const char *cur);
/* The standard's reason to stop handling (kk_stop_reason_name) of a report of `kind`, in the page's language. */
const char *kk_page_stop_reason(const struct kk_req *r, const char *name, const char *kind);
/*
 * <ol id="thread"> with every message of report_id, oldest first; a message is labelled
 * finder_label or desk_label by who wrote it. 0, or the error of the read (nothing replied).
 */
int kk_page_report_thread(struct kk_req *r, int64_t report_id, const char *finder_label,
                          const char *desk_label);

/* ---- shared by the report pages and api_report.c ----------------------------------------- */

/*
 * The intake limits (intake.h kk_intake_limits_load), lowered to the server's request body cap
 * (the limits that really hold); a bad setting is logged and KK_EINTERNAL returned.
 */
int kk_report_limits(struct kk_req *r, struct kk_intake_limits *l);
/* Writes the file limits l as a sentence a person reads (escaped text). */
void kk_page_file_limits(struct kk_req *r, const struct kk_intake_limits *l);
/* The same; on a bad setting also replies 500. */
int kk_report_limits_or_reply(struct kk_req *r, struct kk_intake_limits *l);
/*
 * What every report write starts with: the limits, and a multipart body parsed (400 naming
 * "multipart" when malformed). 0, or < 0 after replying.
 */
int kk_report_start(struct kk_req *r, struct kk_intake_limits *l);
/*
 * Counts this request against the per-address limit `scope` (intake.h
 * kk_intake_rate_take). Over the limit: replies 429 with Retry-After (the
 * seconds until a request counts again) and a message naming the limit,
 * returns KK_ERATE. 0 when the request may go on.
 */
int kk_report_rate_or_reply(struct kk_req *r, const char *scope, const struct kk_rate_limit *lim);
/*
 * The files of a multipart request (parts named "file" or "files" with a
 * filename; empty file inputs skipped) checked against l: *u (arena array)
 * and the count, or a negative code with d naming the file and the limit.
 * 0 files for a request that is not multipart.
 */
int kk_report_uploads(struct kk_req *r, const struct kk_intake_limits *l, struct kk_upload **u,
                      struct kk_diag *d);
/* A submission in progress (kk_report_submit); zero it, set actor, then call. */
struct kk_report_submit {
	const struct kk_actor *actor;
	const unsigned char *key;
	struct kk_report_input in;
	const char *base_url; /* $KEIKAI_BASE_URL */
	const struct kk_upload *files;
	const struct kk_stored_file *stored;
	int nfiles;
	struct kk_report_receipt rc; /* the receipt: wipe it after use */
	struct kk_diag d;
};
/*
 * The whole submission of the report document json[0..n) with the checked
 * files u[0..nu), for the form and the API alike: parse, validate (every
 * required item), the per-address limit, the PGP key check, the files to
 * disk, then seal, store and link in one transaction. 0 with s->rc filled;
 * or an error in the finder's input (KK_EPARSE, KK_EINVAL) in s->d for the
 * caller to show, with *replied false; or any other failure with the answer
 * already written (*replied true: 429, 500, 503).
 */
int kk_report_submit(struct kk_req *r, const char *json, size_t n, const struct kk_intake_limits *l,
                     const struct kk_upload *u, int nu, struct kk_report_submit *s, bool *replied);
/* A finder's follow-up through the secret link (kk_report_followup). */
struct kk_report_followup {
	const char *tracking, *token, *body; /* body may be empty when files come */
	const struct kk_upload *files;
	const struct kk_stored_file *stored;
	int nfiles;
	struct kk_diag d;
};
/*
 * A follow-up for the form and the API alike: the link check (one 404 for
 * any mismatch), the per-address limit, the files to disk, the transaction.
 * 0; or an error in the finder's input (KK_EINVAL, KK_ETOOBIG, KK_ECONFLICT)
 * in p->d with *replied false; or any other failure answered (*replied true).
 */
int kk_report_followup(struct kk_req *r, const struct kk_intake_limits *l, struct kk_report_followup *p,
                       bool *replied);
/* Writes n checked uploads to the attachment directory; s (arena array of n) gets their hashes. */
int kk_report_store(struct kk_req *r, const struct kk_upload *u, int n, size_t file_max,
                    struct kk_stored_file **s, struct kk_diag *d);
/*
 * Answers GET …/files/{sha256} of report {tracking}: to a REPORT_TRIAGE actor
 * (token NULL), or to the finder through the secret link (token; their own
 * files only). Always a download: Content-Disposition: attachment,
 * application/octet-stream, nosniff, no-store, a sandboxing CSP. One 404
 * for anything not found or not permitted.
 */
int kk_report_download(struct kk_req *r, const char *token);
/* Answers the stored file x as a download (application/octet-stream, attachment, no-store): never rendered. */
int kk_report_send_attachment(struct kk_req *r, const struct kk_attachment *x);
/* The pre-session CSRF token of a public form (double submit; a signed-in person's: the session's). */
const char *kk_report_form_csrf(struct kk_req *r, bool fresh);
/* True when a public form's post carries the token of kk_report_form_csrf (or comes with a session). */
bool kk_report_form_csrf_ok(struct kk_req *r);
/* <ul id="attachments"> with the attachments of report_id, links under href_prefix + sha256 + suffix. */
int kk_page_report_files(struct kk_req *r, int64_t report_id, bool finder_only, const char *href_prefix,
                         const char *href_suffix);

/* ---- one triage operation for the triage page and the API (triage_op.c) ------------------ */

/*
 * A receiver's action on report `tracking` as the page's form and the API's JSON both give it:
 * verb accept | reject | request_info | stop | duplicate | assign | message, with text (the
 * reason, the question, a note or the message), stop (stop: the kk_stop_reason name), of
 * (duplicate: the other report) and assignee (assign: an e-mail, "" to unassign).
 */
struct kk_triage_op {
	const char *tracking, *verb, *text, *stop, *of, *assignee;
	struct kk_diag d; /* on failure: the field (d.where) and the message, an English msgid when the input lacked */
};
/*
 * Checks op's inputs (KK_EINVAL naming the field: the verb, a missing text, reason or report),
 * then runs it in one transaction with the sealing key (kk_intake_act / kk_intake_message: the
 * domain asks REPORT_TRIAGE). 0, or < 0 with op->d filled; nothing is replied. KK_EINTERNAL
 * (replied 500) when the key cannot be loaded.
 */
int kk_web_triage(struct kk_req *r, struct kk_triage_op *op);

#endif
