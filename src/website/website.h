/*
 * website.h — website vulnerability cases (003 4.2.3-4.2.4, appendix B VI;
 * MISSION.md §3): the receiving organization tells a site's operator about
 * a flaw in three stages, follows the fix against a three-month target, and
 * tells the finder when it is done.
 *
 * A case opens when a website report is accepted (kk_website_open is the
 * intake opener, see intake.h kk_intake_set_opener) and gets a handling
 * number "IPA#12345678": the prefix (configurable) and 8 random digits
 * (base/rand.h, retried on a collision), so one number says nothing about
 * the next. Every message from stage 3 on carries it.
 *
 * Stages (the `stage` column; anything else is KK_ECONFLICT naming both):
 *   opened  --notify(addresses)-->  stage1   notice to the addresses found on
 *            the site: only the URL, a request for a contact point and the
 *            operator's secret link (32 random bytes; only its hash stored)
 *   stage1  --give_contact(email)--> stage2  the contact point is asked how
 *            details are to be protected; a NEW link goes to it (the first
 *            one, sent to a generic address, stops working)
 *   stage2  --choose(pgp key | portal only)--> stage3  the details (type of
 *            flaw, assumed risk, how to reproduce, the report's attachments)
 *            open on the portal and, with a key, go out PGP/MIME encrypted;
 *            the fix target is set (stage 3 + target months)
 *   stage3  --complete(what was done)--> completed  the finder is told
 *   any but closed --close(outcome)--> closed
 * Outcomes: fixed and not_reproducible (after completion or by a receiver),
 * site_closed (any time), operator_unreachable (only after max_attempts
 * notices of one stage went unanswered — the scheduler's "website.nudge").
 * Acknowledging, progress notes, the checklist (receipt, investigation,
 * impact_plan, execution, completion) and an estimated fix date (only when
 * the target will not do: later than target_at) happen in stage3.
 *
 * Who may act. Receivers and admins: WEBSITE_HANDLE on everything. The
 * operator: WEBSITE_OPERATE on the cases of their organization (ORG: the
 * case's org_id, set with kk_website_set_org), or anyone holding the case's
 * secret link (WEBSITE_LINK + a token that matches). The finder: through
 * their report's own secret link (intake's tracking + token, WEBSITE_LINK).
 * Pass a struct kk_website_who naming the actor and, for link access, the
 * token; every function asks kk_policy_check itself.
 *
 * The finder's identity never enters this module: the case holds only the
 * report id, mail to the finder goes through kk_intake_message (sealed), and
 * no function here returns or prints anything from the finder but the
 * report's website and vulnerability items.
 *
 * Transactions: [in tx] functions must run inside kk_db_tx (KK_EINVAL
 * otherwise); they write audit rows, events, mail and scheduler jobs in it.
 * Functions that send links take the secret key: operator mail that holds a
 * link is queued sealed (mail.h), so no token sits in plain anywhere.
 *
 * Scheduler jobs (kk_sched, subject = case id), run by `keikai tick`:
 *   website.nudge          a stage-1/2/3 notice left unanswered retry_days:
 *                          sent again; after max_attempts the case is marked
 *                          unreachable (receivers see it on the board)
 *   website.remind_before  remind_days before the target (or the estimate)
 *   website.overdue        at the target (or the estimate), then every
 *                          retry_days until completion
 */
#ifndef KK_WEBSITE_WEBSITE_H
#define KK_WEBSITE_WEBSITE_H
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "intake/intake.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_json;
struct kk_sched_job;

#define KK_HANDLING_MAX 40
#define KK_WEBSITE_TOKEN_MAX 48 /* 32 random bytes as base64url: 43 chars */
#define KK_WEBSITE_TEXT_MAX (64 * 1024)

#define KK_WEBSITE_STAGES(X)                                                                                 \
	X(OPENED, "opened")                                                                                  \
	X(STAGE1, "stage1")                                                                                  \
	X(STAGE2, "stage2")                                                                                  \
	X(STAGE3, "stage3")                                                                                  \
	X(COMPLETED, "completed")                                                                            \
	X(CLOSED, "closed")
enum kk_website_stage {
#define X(n, s) KK_WEBSITE_##n,
	KK_WEBSITE_STAGES(X)
#undef X
};
#define KK_WEBSITE_OUTCOMES(X)                                                                               \
	X(FIXED, "fixed")                                                                                    \
	X(NOT_REPRODUCIBLE, "not_reproducible")                                                              \
	X(SITE_CLOSED, "site_closed")                                                                        \
	X(OPERATOR_UNREACHABLE, "operator_unreachable")
enum kk_website_outcome {
	KK_WOUT_NONE = 0,
#define X(n, s) KK_WOUT_##n,
	KK_WEBSITE_OUTCOMES(X)
#undef X
};
/* The operator's checklist of 4.2.4, in order. */
#define KK_WEBSITE_CHECKS(X)                                                                                 \
	X(RECEIPT, "receipt")                                                                                \
	X(INVESTIGATION, "investigation")                                                                    \
	X(IMPACT_PLAN, "impact_plan")                                                                        \
	X(EXECUTION, "execution")                                                                            \
	X(COMPLETION, "completion")
enum kk_website_check {
#define X(n, s) KK_WCHK_##n,
	KK_WEBSITE_CHECKS(X)
#undef X
	KK_WCHK__COUNT
};

const char *kk_website_stage_name(enum kk_website_stage s);
int kk_website_stage_parse(const char *s, enum kk_website_stage *out);
const char *kk_website_outcome_name(enum kk_website_outcome o);
int kk_website_outcome_parse(const char *s, enum kk_website_outcome *out);
const char *kk_website_check_name(enum kk_website_check c);
int kk_website_check_parse(const char *s, enum kk_website_check *out);

/*
 * Pure stage machine: 0 when `verb` ("notify", "give_contact", "choose",
 * "complete", "close", "ack", "note", "check", "estimate", "details") may be
 * done in stage `s`, else KK_ECONFLICT with d saying both.
 */
int kk_website_stage_allows(enum kk_website_stage s, const char *verb, struct kk_diag *d);

/* ---- configuration ---------------------------------------------------- */

struct kk_website_config {
	char prefix[16];       /* handling number prefix; KEIKAI_WEBSITE_PREFIX, default "IPA#" */
	int target_months;     /* KEIKAI_WEBSITE_TARGET_MONTHS, default 3 */
	int remind_days;       /* reminder before the target; KEIKAI_WEBSITE_REMIND_DAYS, default 14 */
	int retry_days;        /* unanswered notice / overdue reminder interval; KEIKAI_WEBSITE_RETRY_DAYS, 14 */
	int max_attempts;      /* notices of one stage before "unreachable"; KEIKAI_WEBSITE_MAX_ATTEMPTS, 3 */
	char base_url[512];    /* public address for links; KEIKAI_BASE_URL, default http://127.0.0.1:8080 */
};
/* The defaults above overridden by the environment (bad values are ignored with a warning). */
void kk_website_config_env(struct kk_website_config *c);
/* Sets the process-wide configuration (before threads start). Unset: kk_website_config_env on first use. */
void kk_website_configure(const struct kk_website_config *c);
const struct kk_website_config *kk_website_config(void);

/*
 * Pure: the fix target for details sent at t — t plus `months` calendar
 * months counted on the calendar in Japan (JST: details sent at 01:00 JST
 * on 12-01 are due 03-01, whatever the UTC date), the same time of day; a
 * day the month lacks becomes its last day (11-30 + 3 -> 02-28, 01-31 + 3
 * -> 04-30).
 */
int64_t kk_website_target(int64_t t, int months);
/* Makes a handling number prefix + 8 random digits into out (n bytes). */
void kk_website_handling_new(const char *prefix, char *out, size_t n);
/* True when s is prefix followed by exactly 8 digits. */
bool kk_website_handling_valid(const char *prefix, const char *s);

/*
 * Parses a list of contact addresses separated by commas, semicolons, spaces
 * or line ends (as typed on a form) into out[0..*n) (each a plain
 * local@domain, kk_mail_addr_valid; duplicates dropped). 0; KK_EINVAL with
 * d->where "addresses" for an invalid address (quoted, cut at 60 bytes), more
 * than max addresses, or none at all.
 */
int kk_website_addresses(const char *s, char (*out)[KK_EMAIL_MAX + 1], size_t max, size_t *n, struct kk_diag *d);

/* ---- who is acting ---------------------------------------------------- */

struct kk_website_who {
	const struct kk_actor *actor; /* NULL: public */
	const char *token;	      /* operator secret link token, or NULL */
};

/* ---- opening and the three stages ------------------------------------- */

/*
 * [in tx] The intake opener: opens the case of website report report_id
 * (accepted in this transaction by a, who needs WEBSITE_HANDLE), copying the
 * URL, the description, the steps and the impact as the details to send.
 * case_ref gets the handling number. Audit "website.open".
 */
int kk_website_open(struct kk_db *db, const struct kk_actor *a, int64_t report_id, char *case_ref, size_t n,
		    struct kk_diag *d);

/*
 * [in tx] WEBSITE_HANDLE. Stage 1: mails each address (1..10, plain
 * local@domain) the URL and the request for a contact point with a new
 * secret link; token_out (may be NULL, KK_WEBSITE_TOKEN_MAX) gets it for
 * the receiver to send by other means. Allowed in stage opened, and again
 * in stage1 (other addresses; the link is replaced). Schedules website.nudge.
 */
int kk_website_notify(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		      const char *handling, const char *const *addresses, size_t naddr, char *token_out,
		      struct kk_diag *d);

/*
 * [in tx] Stage 1 -> 2: the operator (link, account) or a receiver (from
 * the operator's e-mail) gives the contact point. A new link replaces the
 * old one and goes with the stage 2 message (how to protect the details)
 * to email; token_out as above.
 */
int kk_website_give_contact(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
			    const char *handling, const char *email, const char *name, char *token_out,
			    struct kk_diag *d);

/*
 * Checks an armored OpenPGP public key by encrypting a few bytes to it (a
 * throwaway GNUPGHOME; slow: call before the transaction). 0 or KK_EINVAL
 * with d->where "pgp_key" and why.
 */
int kk_website_check_pgp_key(const char *armored, struct kk_diag *d);

/*
 * [in tx] Stage 2 -> 3: pgp_key (checked with kk_website_check_pgp_key
 * first) or NULL for portal only. Sends the details (encrypted when a key
 * was given, else a notice that they are on the portal), sets the target and
 * schedules the reminders.
 */
int kk_website_choose(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
		      const char *handling, const char *pgp_key, struct kk_diag *d);

/* [in tx] WEBSITE_HANDLE. Edits the details before stage 3 (NULL: unchanged). */
int kk_website_set_details(struct kk_db *db, const struct kk_actor *a, const char *handling, const char *flaw_type,
			   const char *risk, const char *reproduce, const char *description, struct kk_diag *d);
/* [in tx] WEBSITE_HANDLE. Links the case to an operator organization (kind operator), or unlinks (org_id 0). */
int kk_website_set_org(struct kk_db *db, const struct kk_actor *a, const char *handling, int64_t org_id,
		       struct kk_diag *d);

/* ---- the operator's side (stage 3) ------------------------------------ */

/* [in tx] Acknowledges receipt (ticks the checklist's "receipt" too). */
int kk_website_ack(struct kk_db *db, const struct kk_website_who *w, const char *handling, struct kk_diag *d);
/* [in tx] A progress note (1..64 KiB UTF-8), from the operator or a receiver. */
int kk_website_note(struct kk_db *db, const struct kk_website_who *w, const char *handling, const char *text,
		    struct kk_diag *d);
/*
 * [in tx] A file the operator or a receiver adds with a progress note or the
 * completion report (stage3 or completed): u checked and stored with
 * kk_intake_attach_store first, then linked here, with an event naming it.
 * Only the case's operator and the receivers can download it (under its own
 * name; the finder never sees these files). Audit "website.attach".
 */
struct kk_upload;
struct kk_stored_file;
int kk_website_attach(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		      const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d);
/* [in tx] Ticks (done) or unticks a checklist item; "completion" only through kk_website_complete. */
int kk_website_check(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		     enum kk_website_check c, bool done, struct kk_diag *d);
/*
 * [in tx] The estimated fix date, when the target will not do: must be
 * after target_at (else KK_EINVAL naming "estimate"). The reminders move.
 */
int kk_website_estimate(struct kk_db *db, const struct kk_website_who *w, const char *handling, int64_t at,
			const char *why, struct kk_diag *d);
/*
 * [in tx] Stage 3 -> completed: the completion report (what was done). Ticks
 * every checklist item still open, cancels the reminders and tells the
 * finder (kk_intake_message: the handling number, the URL, what was done,
 * and that they may confirm through their report's secret link).
 */
int kk_website_complete(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
			const char *handling, const char *what_was_done, struct kk_diag *d);

/* ---- finder ------------------------------------------------------------ */

/*
 * [in tx] The finder, through their report's secret link (tracking, token
 * as intake checks them), confirms the fix of a completed case (an optional
 * comment goes into the case). KK_ENOTFOUND for a wrong tracking or token.
 */
int kk_website_finder_confirm(struct kk_db *db, const char *tracking, const char *token, const char *comment,
			      struct kk_diag *d);

/*
 * Direct exchange (appendix B VI): only when both sides agree. side is
 * "operator" (w names the operator) or "finder" (tracking + token).
 * [in tx] kk_website_direct_agree records one side's consent;
 * [in tx] kk_website_direct_send relays a message to the other side
 * (operator -> finder through kk_intake_message; finder -> the operator's
 * contact by mail, with the handling number) and keeps a copy in the case.
 * KK_ECONFLICT until both have agreed. The finder's identity is still never
 * given: the operator sees only what the finder writes.
 */
int kk_website_direct_agree_operator(struct kk_db *db, const struct kk_website_who *w, const char *handling,
				     struct kk_diag *d);
int kk_website_direct_agree_finder(struct kk_db *db, const char *tracking, const char *token, struct kk_diag *d);
int kk_website_direct_from_operator(struct kk_db *db, const struct kk_website_who *w,
				    const unsigned char key[KK_KEY_BYTES], const char *handling, const char *text,
				    struct kk_diag *d);
int kk_website_direct_from_finder(struct kk_db *db, const unsigned char key[KK_KEY_BYTES], const char *tracking,
				  const char *token, const char *text, struct kk_diag *d);

/* ---- closing ----------------------------------------------------------- */

/*
 * [in tx] WEBSITE_HANDLE. Closes with an outcome (rules above); cancels every
 * job; audit "website.close". Closed without a fix (not_reproducible,
 * site_closed, operator_unreachable) the finder is told why through intake
 * (VI.2 (2); the note stays internal), which needs key.
 */
int kk_website_close(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *handling,
		     enum kk_website_outcome o, const char *note, struct kk_diag *d);

/*
 * The stop listener registered with kk_intake_set_stop_listener("website"):
 * [in tx] report_id's handling was stopped (reason: its kk_stop_reason
 * name; intake has told the finder and checked REPORT_TRIAGE). Its website
 * case, unless closed already, closes as stopped (outcome "stopped" to
 * readers; stopped_at and the reason stored for receivers, migration 0034),
 * every job ends, and an operator already contacted is told the handling
 * ended — never why. Nothing more can be done in it. Audited website.stop.
 */
int kk_website_report_stopped(struct kk_db *db, const struct kk_actor *a, int64_t report_id, const char *tracking,
			      const char *reason, struct kk_diag *d);

/* ---- reading ----------------------------------------------------------- */

/* One case as given to callbacks (strings valid during the call; "" when absent; times 0 when not yet). */
struct kk_website_case {
	int64_t id, report_id, org_id;
	const char *handling, *tracking, *url, *host, *stage, *outcome, *org_name;
	const char *contact_email, *contact_name, *flaw_type, *risk, *reproduce, *description, *completion;
	bool has_pgp_key, portal_only, finder_direct, operator_direct, overdue;
	int attempts;
	int64_t reported_at, opened_at, stage1_at, stage2_at, stage3_at, ack_at, completed_at, finder_confirmed_at,
		closed_at, target_at, estimate_at, overdue_at, unreachable_at, updated_at;
	int64_t check_at[KK_WCHK__COUNT];
};

/*
 * What the operator may see: 0 when w may act on the case as its
 * operator (sets *case_id); KK_ENOTFOUND for an unknown number, a wrong or
 * replaced token and a case of another organization alike — the error
 * never says which. A token alone finds its case (handling may be NULL).
 */
int kk_website_operator_access(struct kk_db *db, const struct kk_website_who *w, const char *handling,
			       int64_t *case_id, struct kk_diag *d);

struct kk_website_filter {
	const char *stage; /* NULL: any; "open": every stage but closed */
	int64_t org_id;	   /* 0: any */
};
/*
 * Receivers (WEBSITE_HANDLE) see every case; an operator account
 * (WEBSITE_OPERATE) only the cases linked to its organization
 * (kk_website_set_org). In stage order, oldest first within a stage
 * order opened..closed. Returns the count or a negative error.
 */
int kk_website_list(struct kk_db *db, const struct kk_actor *a, const struct kk_website_filter *f,
		    int (*fn)(void *arg, const struct kk_website_case *c), void *arg);
/* WEBSITE_HANDLE, or the operator (kk_website_operator_access). fn once; KK_ENOTFOUND otherwise. */
int kk_website_get(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		   int (*fn)(void *arg, const struct kk_website_case *c), void *arg);

/*
 * The case as JSON. For staff: everything, with "tracking" (the report) and
 * the events. For the operator (operator = true): no tracking, no
 * receiver-only events; before stage 3 no handling number and no details
 * (stage 1 carries only the URL); attachments as {sha256, filename, size,
 * mime} from stage 3 (neutral file names, see kk_website_attachment). Never the finder. Access as kk_website_get.
 */
int kk_website_json(struct kk_db *db, const struct kk_website_who *w, const char *handling, bool operator,
		    struct kk_json *j, struct kk_diag *d);
/* The case's events oldest first; operator = true leaves out receiver-only ones. Returns the count. */
struct kk_website_event {
	int64_t at;
	const char *side, *kind, *body;
};
int kk_website_events(struct kk_db *db, int64_t case_id, bool operator,
		      int (*fn)(void *arg, const struct kk_website_event *e), void *arg);

/*
 * An attachment of the case's report for staff or, from stage 3, the
 * operator: out gets it with a neutral file name ("attachment-<sha>.png";
 * the finder's own name for the file may name them). Read the content with
 * kk_intake_attachment_read. KK_ENOTFOUND for anything else.
 */
struct kk_attachment;
int kk_website_attachment(struct kk_db *db, const struct kk_website_who *w, const char *handling, const char *sha256,
			  struct kk_attachment *out, struct kk_diag *d);

/* The files added to case_id by its operator or the receivers (caller checked access), oldest first. */
struct kk_website_file {
	struct kk_attachment file; /* from_finder false */
	const char *side;	   /* "operator" or "receiver" */
};
int kk_website_files(struct kk_db *db, int64_t case_id, int (*fn)(void *arg, const struct kk_website_file *x),
		     void *arg);

/* The attachments of case_id (caller checked access) with neutral names, oldest first; returns the count. */
int kk_website_attachment_list(struct kk_db *db, int64_t case_id, int (*fn)(void *arg, const struct kk_attachment *x),
			       void *arg);

/* The finder's view (their report's tracking + token): {handling, url, stage, outcome, completed_at,
 * completion, finder_confirmed_at, direct: {finder, operator}, messages: [direct copies]}. */
int kk_website_finder_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j,
			   struct kk_diag *d);

/*
 * Receivers' board: the count of cases per stage and, per open case, its
 * age in days (now - opened_at), overdue and unreachable flags — as JSON
 * {stages: {opened: n, ...}, cases: [{handling, url, stage, age_days, target_at, overdue, unreachable}]}.
 * WEBSITE_HANDLE.
 */
int kk_website_board_json(struct kk_db *db, const struct kk_actor *a, int64_t now, struct kk_json *j);

/*
 * Figures for the statistics page (#8). Per case, days (floor, from the
 * report's reception) to each stage reached and to the fix; -1 where not
 * reached. WEBSITE_HANDLE (the statistics page publishes only aggregates).
 */
struct kk_website_figure {
	const char *handling, *outcome; /* outcome "" while open */
	int64_t reported_at;
	int days_to_open, days_to_stage1, days_to_stage2, days_to_stage3, days_to_ack, days_to_fix, days_to_close;
};
int kk_website_figures(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to,
		       int (*fn)(void *arg, const struct kk_website_figure *f), void *arg);
/*
 * Aggregates for cases reported in [from, to) (0: unbounded): {cases,
 * closed, by_outcome: {fixed: n, ...}, median_days: {stage1, stage2, stage3,
 * ack, fix}} (null where no case reached it). WEBSITE_HANDLE.
 */
int kk_website_figures_json(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to,
			    struct kk_json *j);

/* ---- scheduler handlers (cli/jobs.c lists them) ----------------------- */

int kk_website_job_nudge(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);
int kk_website_job_remind_before(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);
int kk_website_job_overdue(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);

#endif
