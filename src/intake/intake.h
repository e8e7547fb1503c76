/*
 * intake.h — vulnerability reports (届出) from finders and their triage by
 * the receiving organization (003 appendix B V.1-2, VI.1-2; MISSION.md §1).
 *
 * A report is submitted from a JSON document (kk_intake_parse, then
 * kk_intake_validate), gets a tracking number ("KK-2026-000123", stable and
 * unique) and a secret link token (32 random bytes; only its hash is
 * stored, the token is handed back once). The finder's name, e-mail, PGP key
 * and credit name are sealed together (keyfile.h); only kk_intake_reveal()
 * unseals them for a person, and it needs FINDER_REVEAL (receiver, admin)
 * and writes a "report.reveal" audit row. Mail to the finder is built from
 * the sealed contact inside the transaction and queued sealed (mail.h).
 *
 * Status machine:
 *   received -> accepted | not_accepted | info_requested | duplicate
 *   info_requested -> received (the finder answers through the secret link)
 *                  | not_accepted | duplicate
 *   accepted -> handling_stopped (with a kk_stop_reason) | duplicate
 * Anything else is KK_ECONFLICT naming both states. Accepting needs every
 * required item (kk_intake_validate with complete = true) and records a
 * pending case_handoff row (product or website) in the same transaction.
 *
 * Transactions: functions marked [in tx] MUST run inside kk_db_tx (they
 * return KK_EINVAL otherwise) and write their audit row and finder mail in
 * it; [own tx] ones run their own. Policy: submitting is REPORT_SUBMIT,
 * everything staff does REPORT_TRIAGE; both are checked here, so callers
 * pass the real actor.
 *
 * JSON accepted by kk_intake_parse (unknown keys are refused):
 *   {"kind": "product"|"website", "lang": "ja"|"en",
 *    "finder": {"name", "email", "pgp_key", "disclose": "none"|"name"|"name_contact",
 *               "credit": bool, "credit_name", "anonymous": bool},
 *    "product": {"name", "version", "vendor"}, "website": {"name", "url"},
 *    "vulnerability": {"cwe": "CWE-79"|79, "cve", "description", "steps", "impact"},
 *    "reported_to": "...", "publication": {"intent": bool, "date": "YYYY-MM-DD"},
 *    "policy_ack": bool}
 */
#ifndef KK_INTAKE_INTAKE_H
#define KK_INTAKE_INTAKE_H
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "base/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_REPORT_JSON_MAX (1024 * 1024)
#define KK_TRACKING_MAX 32
#define KK_REPORT_TOKEN_MAX 48 /* 32 random bytes as base64url: 43 chars */

#define KK_REPORT_STATUSES(X)                                                                                \
	X(RECEIVED, "received")                                                                              \
	X(INFO_REQUESTED, "info_requested")                                                                  \
	X(ACCEPTED, "accepted")                                                                              \
	X(NOT_ACCEPTED, "not_accepted")                                                                      \
	X(HANDLING_STOPPED, "handling_stopped")                                                              \
	X(DUPLICATE, "duplicate")
enum kk_report_status {
#define X(n, s) KK_REPORT_##n,
	KK_REPORT_STATUSES(X)
#undef X
};

/* The standard's reasons to stop handling an accepted report. */
#define KK_STOP_REASONS(X)                                                                                   \
	X(ALREADY_KNOWN, "already_known")                                                                    \
	X(COORDINATOR_SAYS_KNOWN, "coordinator_says_known")                                                  \
	X(NOT_A_VULNERABILITY, "not_a_vulnerability")                                                        \
	X(COORDINATOR_SAYS_NOT, "coordinator_says_not")                                                      \
	X(POSSIBLY_ILLEGAL, "possibly_illegal")
enum kk_stop_reason {
	KK_STOP_NONE = 0,
#define X(n, s) KK_STOP_##n,
	KK_STOP_REASONS(X)
#undef X
};

const char *kk_report_status_name(enum kk_report_status s);
int kk_report_status_parse(const char *s, enum kk_report_status *out);
const char *kk_stop_reason_name(enum kk_stop_reason r);
int kk_stop_reason_parse(const char *s, enum kk_stop_reason *out);
/*
 * The reason as the standard words it (003 appendix B V.2(2) for products,
 * VI.2(2) for websites, where the website operator takes the coordinating
 * body's place), in Japanese (ja) or English. Static; "" for KK_STOP_NONE.
 */
const char *kk_stop_reason_text(enum kk_stop_reason r, bool website, bool ja);

/* A parsed report. Strings are owned (kk_intake_input_release frees them); NULL when absent. */
struct kk_report_input {
	char *kind; /* "product" | "website" */
	char *lang; /* "ja" | "en" (default ja) */
	char *finder_name, *finder_email, *finder_pgp_key;
	char *disclose; /* "none" | "name" | "name_contact" (default none) */
	bool credit_wanted, anonymous;
	char *credit_name;
	char *product_name, *product_version, *product_vendor;
	char *website_name, *website_url;
	int cwe; /* 0: not given */
	char *cve, *description, *steps, *impact;
	char *reported_to;
	bool publish_intent;
	int64_t publish_date; /* 0: not given; "date" without a zone is JST (kk_time_parse_jst, a date alone at 00:00) */
	bool policy_ack;
};

/* Parses json[0..n) into in (zeroed first). 0, or KK_EPARSE/KK_EINVAL with d->where a field path. */
int kk_intake_parse(const char *json, size_t n, struct kk_report_input *in, struct kk_diag *d);
void kk_intake_input_release(struct kk_report_input *in);
/*
 * Checks formats and consistency (always) and, when `complete`, that every
 * item the standard requires is present: finder.name, finder.email,
 * product.name (product) or website.url (website), vulnerability.description,
 * policy_ack. db (may be NULL) lets vulnerability.cwe be checked against the
 * loaded CWE catalog. 0 or KK_EINVAL with d->where naming the field.
 */
int kk_intake_validate(struct kk_db *db, const struct kk_report_input *in, bool complete, struct kk_diag *d);

/*
 * Calls fn once for every item the standard requires that `in` lacks (the
 * complete checks of kk_intake_validate: finder.name, finder.email,
 * product.name or website.url by kind, vulnerability.description,
 * policy_ack), in the form's order, so a form can mark them all at once.
 * Returns how many.
 */
int kk_intake_missing(const struct kk_report_input *in, void (*fn)(void *arg, const char *field), void *arg);

/* True when url is http(s)://host[:port]/...; the lower-cased host goes to host (n bytes). */
bool kk_intake_url_host(const char *url, char *host, size_t n);

/*
 * Checks that in->finder_pgp_key (when given) holds a usable encryption key
 * by encrypting a few bytes to it (mail.h, a throwaway GNUPGHOME; tens of
 * milliseconds). Call it before the transaction of a submission or an
 * amendment, so a finder hears at once that their key will not do.
 * 0 or KK_EINVAL with d->where "finder.pgp_key".
 */
int kk_intake_check_pgp_key(const struct kk_report_input *in, struct kk_diag *d);

struct kk_report_receipt {
	int64_t id;
	char tracking[KK_TRACKING_MAX];
	char token[KK_REPORT_TOKEN_MAX]; /* the secret link's token: shown once, never stored */
};
/*
 * [in tx] Stores a validated report (complete = true unless `incomplete`,
 * which staff use for a report received by e-mail that lacks items), seals
 * the finder, queues the receipt mail (with the secret link base_url +
 * "/r/TRACKING?key=TOKEN") and audits "report.submit".
 */
int kk_intake_submit(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		     const struct kk_report_input *in, bool incomplete, const char *base_url,
		     struct kk_report_receipt *r, struct kk_diag *d);

/*
 * [in tx] REPORT_TRIAGE. Adds or replaces the items given in `patch` (parsed
 * like a report; kind and lang are ignored, booleans only ever turn on) on a
 * received or info_requested report — a receiver completing a report from the
 * finder's e-mail answer. The finder's items are re-sealed. Audited with the
 * names of the changed items, never their values. KK_ECONFLICT in other states.
 */
int kk_intake_amend(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		    const char *tracking, const struct kk_report_input *patch, struct kk_diag *d);

enum kk_report_verb {
	KK_REPORT_ACCEPT,
	KK_REPORT_REJECT,	/* not accepted: text is the reason sent to the finder */
	KK_REPORT_REQUEST_INFO, /* text is the question */
	KK_REPORT_STOP,		/* stop + optional text */
	KK_REPORT_MARK_DUPLICATE, /* of duplicate_of */
	KK_REPORT_ASSIGN,	/* to assignee_email ("" or NULL: unassign) */
};
struct kk_report_action {
	enum kk_report_verb verb;
	const char *text;
	enum kk_stop_reason stop;
	const char *duplicate_of;   /* tracking number */
	const char *assignee_email; /* a receiver or admin */
};
/* [in tx] Applies one triage action to the report `tracking`, audited, the finder told by mail. */
int kk_intake_act(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		  const char *tracking, const struct kk_report_action *act, struct kk_diag *d);

/*
 * Hand-off (DESIGN.md: intake asks coord / website to open a case). The top
 * layer (cli/main.c) registers, once at start-up, the function that opens a
 * case for each kind; intake cannot include coord/ or website/ (they stand
 * beside it), so it calls them through this table. On acceptance the opener
 * runs inside the acceptance transaction, after the case_handoff row is
 * written; it returns 0 and the row becomes 'opened' with *case_ref (e.g.
 * "KKC-2026-0001" or "IPA#12345678") recorded, or a negative code and the
 * whole acceptance rolls back. With no opener registered the row stays
 * 'pending' (a later `keikai ... open-pending` may pick it up).
 */
typedef int (*kk_intake_opener)(struct kk_db *db, const struct kk_actor *a, int64_t report_id,
				char *case_ref, size_t case_ref_size, struct kk_diag *d);
/* kind: "product" or "website". Not thread-safe: call before any thread starts. */
void kk_intake_set_opener(const char *kind, kk_intake_opener fn);
/*
 * [in tx] Opens a case, through the registered opener, for every hand-off of
 * `kind` still pending whose report is accepted — one recorded while no
 * opener was registered (a database from before coordination existed). A
 * report accepted and then stopped or marked a duplicate stays pending.
 * Needs CASE_COORDINATE (product) or WEBSITE_HANDLE (website). fn (may be
 * NULL) is told each tracking number and case opened. Returns the number
 * opened, or a negative error (KK_EINVAL with no opener registered).
 */
int kk_intake_open_pending(struct kk_db *db, const struct kk_actor *a, const char *kind,
			   int (*fn)(void *arg, const char *tracking, const char *case_ref), void *arg,
			   struct kk_diag *d);
/* How many accepted reports of kind wait for their case (a read, for the scheduler): >= 0 or an error. */
int kk_intake_pending_handoffs(struct kk_db *db, const char *kind);
/* [in tx] Records that the pending hand-off of report_id (if any) opened case_ref (a case opened by hand). */
int kk_intake_handoff_opened(struct kk_db *db, int64_t report_id, const char *case_ref, struct kk_diag *d);

/*
 * Stopping an accepted report stops what was opened from it: the top layer
 * registers, per kind, the function that stops the report's case; it runs
 * inside the stop's transaction after the status changed and the finder's
 * mail was queued (a negative return rolls the stop back). reason is the
 * kk_stop_reason name; the stopper must not pass its confidential part on.
 * The caller has checked REPORT_TRIAGE.
 */
typedef int (*kk_intake_stop_listener)(struct kk_db *db, const struct kk_actor *a, int64_t report_id,
				       const char *tracking, const char *reason, struct kk_diag *d);
/* kind: "product" or "website". Not thread-safe: call before any thread starts. */
void kk_intake_set_stop_listener(const char *kind, kk_intake_stop_listener fn);

/*
 * What else hears a finder's message (DESIGN.md: the coordinator talks with
 * the finder): registered by the top layer like the openers, called inside
 * kk_intake_finder_post's transaction after the message is stored; a negative
 * return rolls the post back. Never given the finder's identity.
 */
typedef int (*kk_intake_finder_listener)(struct kk_db *db, int64_t report_id, const char *tracking,
					 const char *body, struct kk_diag *d);
/* Not thread-safe: call before any thread starts. NULL: nobody else hears. */
void kk_intake_set_finder_listener(kk_intake_finder_listener fn);

/* [in tx] A receiver's message to the finder on a report: stored in the thread and mailed. */
int kk_intake_message(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		      const char *tracking, const char *body, struct kk_diag *d);
/*
 * [in tx] ADVISORY_PUBLISH. Tells the finder of `tracking` that advisory
 * `ident` (public at url_ja / url_en) went public: a receiver's message in
 * the thread, which the secret link's page shows, and — with key — the
 * mail, built from the sealed contact like every other mail to the finder.
 * The publisher calls it inside the publication's transaction, so the
 * finder hears of it iff the advisory went public, and nobody else learns
 * who the finder is. key NULL (no key file): the thread message only, and
 * the "report.published" audit row says the finder was not mailed.
 */
int kk_intake_published(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *tracking,
			const char *ident, const char *url_ja, const char *url_en, struct kk_diag *d);

/*
 * [in tx] The finder writes through the secret link (tracking + token): the
 * message joins the thread and a report waiting for information goes back
 * to received; the registered finder listener (below) is told. KK_ENOTFOUND
 * for a wrong tracking number or token alike.
 */
int kk_intake_finder_post(struct kk_db *db, const char *tracking, const char *token, const char *body,
			  struct kk_diag *d);

/* The finder's identity; kk_intake_reveal fills it. Wipe it (sodium_memzero) after use. */
struct kk_finder {
	char name[KK_NAME_MAX + 1];
	char email[KK_EMAIL_MAX + 1];
	char credit_name[KK_NAME_MAX + 1];
	bool has_pgp_key;
};
/* [in tx] Unseals the finder of `tracking` for a FINDER_REVEAL actor and audits "report.reveal". */
int kk_intake_reveal(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		     const char *tracking, struct kk_finder *f, struct kk_diag *d);

/*
 * [in tx] REPORT_TRIAGE. What the finder consented to be passed on to the
 * vendor or operator (finder.disclose): nothing ("none", or anonymous), the
 * name ("name"), or name and e-mail ("name_contact"); credit_name only when
 * credit is wanted. Audited as "report.disclose" naming the items given.
 * The coordination and website cases call this, never kk_intake_reveal.
 */
int kk_intake_finder_consented(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
			       const char *tracking, struct kk_finder *f, struct kk_diag *d);

/* One report as given to callbacks (strings valid during the call, "" when absent). */
struct kk_report_row {
	int64_t id, created_at, updated_at, publish_date, assignee_user_id;
	const char *tracking, *kind, *status, *lang, *disclose, *stop_reason, *reason, *duplicate_of;
	bool credit_wanted, anonymous, has_pgp_key, publish_intent, policy_ack;
	const char *product_name, *product_version, *product_vendor, *website_name, *website_url, *website_host;
	int cwe;
	const char *cve, *description, *steps, *impact, *reported_to, *assignee_email;
};
struct kk_report_filter {
	const char *status; /* NULL: any */
	const char *kind;
	const char *assignee_email;
	int64_t received_before; /* only reports received before this time (0: any) — "older than N days" */
};
/* REPORT_TRIAGE. Calls fn per matching report, newest first; returns the count or a negative error. */
int kk_intake_list(struct kk_db *db, const struct kk_actor *a, const struct kk_report_filter *f,
		   int (*fn)(void *arg, const struct kk_report_row *r), void *arg);
/* REPORT_TRIAGE. Calls fn once for `tracking`; KK_ENOTFOUND when there is none. */
int kk_intake_get(struct kk_db *db, const struct kk_actor *a, const char *tracking,
		  int (*fn)(void *arg, const struct kk_report_row *r), void *arg);
/* 0 when token opens the report `tracking` (constant-time); KK_ENOTFOUND for any mismatch. */
int kk_intake_link_check(struct kk_db *db, const char *tracking, const char *token, struct kk_diag *d);
/* What the finder sees through the secret link (no staff-only fields): status, last reason. */
int kk_intake_finder_get(struct kk_db *db, const char *tracking, const char *token,
			 int (*fn)(void *arg, const struct kk_report_row *r), void *arg);

/*
 * Writes what the finder sees through the secret link as one JSON object
 * {tracking, kind, status, created_at, updated_at, stop_reason, reason,
 * thread: [{at, from, kind, body}], attachments: [...]} — no staff-only fields, nothing about
 * other reports. KK_ENOTFOUND for a wrong tracking number or token alike.
 */
struct kk_json;
int kk_intake_finder_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j);
/* The same, with more(arg, j) writing further members (key and value) once the link matched. */
int kk_intake_finder_json_more(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j,
			       int (*more)(void *arg, struct kk_json *j), void *arg);

struct kk_report_msg {
	int64_t at;
	bool from_finder;
	const char *kind, *body;
};
/* The thread of a report, oldest first (caller checked access). Returns the count or an error. */
int kk_intake_thread(struct kk_db *db, int64_t report_id, int (*fn)(void *arg, const struct kk_report_msg *m),
		     void *arg);

/* Writes the attachments of report_id as a JSON array of {sha256, filename, size, mime, from, added_at}. */
int kk_intake_attachments_json(struct kk_db *db, int64_t report_id, struct kk_json *j);
/* Writes the thread of report_id as a JSON array of {at, from: "finder"|"receiver", kind, body}. */
int kk_intake_thread_json(struct kk_db *db, int64_t report_id, struct kk_json *j);

/* A possible duplicate or already-published record. */
struct kk_suggestion {
	const char *source; /* "report" or "vulndb" */
	const char *id;	    /* tracking number or JVNDB id */
	const char *why;    /* static: "same product", "same product and vendor", "same website host",
			       "same website host and CWE", "same CVE", "same CWE and product" */
};
/* REPORT_TRIAGE. Other reports and vulnerability records resembling `tracking`; returns the count. */
int kk_intake_suggest(struct kk_db *db, const struct kk_actor *a, const char *tracking,
		      int (*fn)(void *arg, const struct kk_suggestion *s), void *arg);

/* ---- attachments --------------------------------------------------------- */

#define KK_ATTACH_MAX_DEFAULT (10 * 1024 * 1024)
/*
 * The allow-listed type of data by its content ("text/plain",
 * "application/json", "application/xml", "image/png", "image/jpeg",
 * "image/gif", "image/webp", "application/pdf", "application/zip",
 * "application/vnd.tcpdump.pcap"), or NULL when not allowed (HTML, SVG,
 * executables, anything unknown).
 */
const char *kk_intake_sniff(const void *data, size_t n);
/*
 * [own tx] Stores data as DIR/ab/abcdef... (its SHA-256; DIR is created
 * mode 0700) and links it to `tracking` under filename. a NULL means the
 * finder (then token must match); otherwise REPORT_TRIAGE. KK_ETOOBIG over
 * max bytes, KK_EUNSUPPORTED for a type not allowed. sha256_out (65 bytes,
 * may be NULL) gets the hex hash. A file written before a failed
 * transaction stays (content-addressed; harmless).
 */
int kk_intake_attach(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
		     const char *dir, const char *filename, const void *data, size_t n, size_t max,
		     char sha256_out[65], struct kk_diag *d);

/*
 * Storing and linking in two steps, so a web request can check every file
 * before the report exists, write the contents to disk (content-addressed:
 * a file left by a failed transaction is harmless) and link them inside the
 * transaction of the submission or the follow-up.
 */
struct kk_upload {
	const char *filename; /* as sent; checked by kk_intake_upload_check */
	const void *data;
	size_t n;
};
struct kk_stored_file {
	char sha256[65];
	const char *mime; /* static string from kk_intake_sniff */
	size_t size;
};
/* Pure: name (1..255 bytes, no '/', '\\', quote or control character), size <= max, allowed type
 * (*mime gets it; may be NULL). KK_ETOOBIG, KK_EINVAL or KK_EUNSUPPORTED with d->where "file"/"filename". */
int kk_intake_upload_check(const struct kk_upload *u, size_t max, const char **mime, struct kk_diag *d);
/* Checks u and writes its content to DIR/ab/<sha256> (DIR made mode 0700) unless there already. */
int kk_intake_attach_store(const char *dir, const struct kk_upload *u, size_t max, struct kk_stored_file *out,
			   struct kk_diag *d);
/*
 * [in tx] Links a stored file to `tracking` under u->filename, audited
 * "report.attach" as `who` (the finder's side: from_finder true, the caller
 * checked the secret link; staff: REPORT_TRIAGE is checked here).
 */
int kk_intake_attach_link(struct kk_db *db, const struct kk_actor *who, bool from_finder, const char *tracking,
			  const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d);
/* [in tx] Records a stored file's content (hash, size, type) once, for whatever links it. 0 or KK_EDB. */
int kk_intake_attachment_record(struct kk_db *db, const struct kk_stored_file *s);
/* The public actor labelled "finder of TRACKING", as the audit log names the finder. */
void kk_intake_finder_actor(const char *tracking, struct kk_actor *out);
/* The attachment directory: $KEIKAI_ATTACH_DIR, else "<db_path>.files". 0 or KK_ETOOBIG. */
int kk_intake_attach_dir(const char *db_path, char *out, size_t n);

struct kk_attachment {
	char sha256[65];
	char filename[256];
	char mime[64];
	int64_t size, added_at;
	bool from_finder;
};
/*
 * Finds attachment sha256 of report `tracking` for someone who may read it:
 * a REPORT_TRIAGE actor (a non-NULL), or the finder (a NULL, token the
 * secret link's) and then only the files the finder sent. Anything else —
 * another role, a wrong token, a file of another report, a receiver's file
 * asked for by the finder — is KK_ENOTFOUND, the same answer for all.
 */
int kk_intake_attachment_find(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
			      const char *sha256, struct kk_attachment *out, struct kk_diag *d);
/* Reads the content of sha256 from dir into b (capped by b), checking its hash: KK_EIO when it differs. */
int kk_intake_attachment_read(const char *dir, const char *sha256, struct kk_buf *b, struct kk_diag *d);
/* Calls fn per attachment of report_id (oldest first), finder_only: only the finder's own files. */
int kk_intake_attachments(struct kk_db *db, int64_t report_id, bool finder_only,
			  int (*fn)(void *arg, const struct kk_attachment *x), void *arg);

/* ---- limits of the public intake ------------------------------------------ */

/* At most `max` counted requests per client address in `window` seconds (max 0: no limit). */
struct kk_rate_limit {
	int max;
	int64_t window;
};
struct kk_intake_limits {
	struct kk_rate_limit submit;   /* report submissions (form and API); default 10 per hour */
	struct kk_rate_limit followup; /* finder follow-ups through the secret link; default 30 per hour */
	size_t file_max;               /* bytes per attachment; default KK_ATTACH_MAX_DEFAULT (10 MiB) */
	size_t total_max;              /* bytes of all attachments of one request; default 20 MiB */
	int files_max;                 /* attachments per request; default 10 */
};
void kk_intake_limits_default(struct kk_intake_limits *l);
/*
 * The defaults, overridden by the environment: KEIKAI_REPORT_RATE and
 * KEIKAI_FOLLOWUP_RATE ("N/SECONDS", e.g. "10/3600"; "0/1" turns the limit
 * off), KEIKAI_ATTACH_MAX and KEIKAI_ATTACH_TOTAL_MAX (bytes),
 * KEIKAI_ATTACH_FILES (count). KK_EINVAL with d->where naming the variable
 * when one is not valid.
 */
int kk_intake_limits_load(struct kk_intake_limits *l, struct kk_diag *d);
/* Parses "N/SECONDS" (N 0..1000000, SECONDS 1..31 days). */
int kk_intake_rate_parse(const char *s, struct kk_rate_limit *out);
/* Pure: count (files, total bytes) against the limits; KK_ETOOBIG naming "file" with the limit. */
int kk_intake_uploads_check(const struct kk_upload *u, int n, const struct kk_intake_limits *l, struct kk_diag *d);
/*
 * [own tx] Counts one request of `scope` ("report.submit",
 * "report.followup") from `address` when it is within the limit: 0, or
 * KK_ERATE (nothing counted) with *retry_after the seconds until the
 * oldest counted request leaves the window. Check and count happen in one
 * BEGIN IMMEDIATE transaction, so concurrent workers cannot both pass.
 */
int kk_intake_rate_take(struct kk_db *db, const char *scope, const char *address, const struct kk_rate_limit *lim,
			int64_t *retry_after);

#endif
