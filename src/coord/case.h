/*
 * case.h — coordination of a software product case (調整; MISSION.md §2,
 * 003 5.1 and appendix B V.3-4): the case opened from accepted reports, the
 * vendors taking part with their two-stage notice, the one publication
 * date, reminders and escalation, message threads and critical-
 * infrastructure pre-notification.
 *
 * The case. A case has an internal number ("KKC-2026-0001"), the reports it
 * came from, its vulnerabilities (statements are per vulnerability), an
 * overview (脆弱性概要情報, what every notified vendor reads) and details
 * (脆弱性詳細情報, only for a vendor that asked and was sent them), and one
 * publication date: the start of coordination + publish_days (default 45)
 * at publish_hour (default 11:00) JST. States: open -> ready (every vendor
 * ready or unreachable) | cancelled (every vendor already_known, or every
 * vendor not_affected) | merged (into another case) | published (its first
 * advisory went out) | stopped (its report's handling was stopped).
 *
 * A vendor's participation (struct kk_participant) walks
 *   added -notify-> notified -acknowledge-> acknowledged
 *   notified|acknowledged -request_details (terms accepted)-> details_requested
 *   notified|acknowledged -no_affected_product-> verified (not_affected)
 *   details_requested -send_details-> details_sent   (the details become visible)
 *   details_sent -verify(affected|not_affected|already_known)-> verified
 *   verified (affected|already_known) | fix_reported -report_fix-> fix_reported
 *   fix_reported | verified (not_affected) -ready-> ready
 * (kk_participant_next is the table). Each step stamps its time, writes an
 * audit row (object "case", the case number) and moves last_activity.
 * Anything else is KK_ECONFLICT naming both states. A vendor's own answer
 * also ends an unreachable (連絡不能) participation: coordination resumes.
 *
 * Who may: every function asks kk_policy_check. Coordinating (CASE_COORDINATE)
 * is for coordinators and admins; a vendor's answers (CASE_RESPOND) and
 * reads (CASE_READ, CASE_DETAILS_READ) are asked with obj.org_id = the
 * organization of the participation row, so a vendor reaches only cases its
 * organization takes part in — and for any other case the answer is
 * KK_ENOTFOUND, never "forbidden", so a case's existence does not leak. The
 * details are asked with obj.org_id set only once they were sent.
 *
 * Transactions: [in tx] functions change the database, write their audit
 * rows, mail (mail.h outbox) and jobs (sched.h) in the caller's kk_db_tx;
 * they return KK_EINVAL outside one. Readers only read.
 *
 * Errors name the record and the field: KK_EINVAL (d->where "publish_at",
 * "reason", ...), KK_ENOTFOUND ("case KKC-2026-0009"), KK_ECONFLICT
 * ("vendor Acme is notified; request_details needs acknowledged"), KK_EPERM.
 */
#ifndef KK_COORD_CASE_H
#define KK_COORD_CASE_H
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "base/json.h"
#include "store/sched.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

#define KK_CASE_REF_MAX 24 /* "KKC-2026-0001" + room */
#define KK_CASE_TEXT_MAX (64 * 1024)
#define KK_CASE_REASON_MAX 2000

/* ---- configuration ------------------------------------------------------ */

/*
 * Read once from the environment (defaults in brackets):
 *   KEIKAI_COORD_PUBLISH_DAYS [45]   days from the start of coordination to the date
 *   KEIKAI_COORD_PUBLISH_HOUR [11]   hour of the day (JST) the date falls on
 *   KEIKAI_COORD_ACK_DAYS [5]        no acknowledgement this long after the notice: remind
 *   KEIKAI_COORD_VERIFY_DAYS [14]    no verification this long after acknowledging/details: remind
 *   KEIKAI_COORD_DATE_WARN_DAYS [7]  this long before the date, remind vendors whose statements are missing
 *   KEIKAI_COORD_REMIND_EVERY_DAYS [3] between reminders
 *   KEIKAI_COORD_MAX_ATTEMPTS [3]    reminders over every channel before a vendor is unreachable
 *   KEIKAI_BASE_URL [http://127.0.0.1:8080]  for links in mail
 */
struct kk_coord_config {
	int publish_days, publish_hour, ack_days, verify_days, date_warn_days, remind_every_days, max_attempts;
	char base_url[256];
};
void kk_coord_config_default(struct kk_coord_config *c);
/* The process configuration: the defaults overridden by the environment, read on first use. */
const struct kk_coord_config *kk_coord_config(void);

/* ---- states (pure; tests/unit/u-coord-case.c) --------------------------- */

#define KK_PSTATES(X)                                                                                        \
	X(ADDED, "added")                                                                                    \
	X(NOTIFIED, "notified")                                                                              \
	X(ACKNOWLEDGED, "acknowledged")                                                                      \
	X(DETAILS_REQUESTED, "details_requested")                                                            \
	X(DETAILS_SENT, "details_sent")                                                                      \
	X(VERIFIED, "verified")                                                                              \
	X(FIX_REPORTED, "fix_reported")                                                                      \
	X(READY, "ready")
enum kk_pstate {
#define X(n, s) KK_PS_##n,
	KK_PSTATES(X)
#undef X
	KK_PS__COUNT
};

#define KK_PVERBS(X)                                                                                         \
	X(NOTIFY, "notify")                                                                                  \
	X(ACKNOWLEDGE, "acknowledge")                                                                        \
	X(REQUEST_DETAILS, "request_details")                                                                \
	X(NO_AFFECTED, "no_affected_product")                                                                \
	X(SEND_DETAILS, "send_details")                                                                      \
	X(VERIFY, "verify")                                                                                  \
	X(REPORT_FIX, "report_fix")                                                                          \
	X(READY, "ready")
enum kk_pverb {
#define X(n, s) KK_PV_##n,
	KK_PVERBS(X)
#undef X
	KK_PV__COUNT
};

#define KK_VERIFICATIONS(X)                                                                                  \
	X(AFFECTED, "affected")                                                                              \
	X(NOT_AFFECTED, "not_affected")                                                                      \
	X(ALREADY_KNOWN, "already_known")
enum kk_verification {
	KK_VER_NONE = 0,
#define X(n, s) KK_VER_##n,
	KK_VERIFICATIONS(X)
#undef X
};

const char *kk_pstate_name(enum kk_pstate s);
int kk_pstate_parse(const char *s, enum kk_pstate *out);
const char *kk_pverb_name(enum kk_pverb v);
int kk_pverb_parse(const char *s, enum kk_pverb *out);
const char *kk_verification_name(enum kk_verification v); /* "" for NONE */
int kk_verification_parse(const char *s, enum kk_verification *out);

/*
 * The state machine: the state after `verb` from `from` (current
 * verification `cur`, `v` the one the verb reports). 0 and *to, or
 * KK_ECONFLICT (verb not allowed there) / KK_EINVAL (verify without v,
 * a verification given to another verb).
 */
int kk_participant_next(enum kk_pstate from, enum kk_verification cur, enum kk_pverb verb, enum kk_verification v,
			enum kk_pstate *to);
/* True when the verb is the vendor's to say (else the coordinator's: notify, send_details). */
bool kk_pverb_by_vendor(enum kk_pverb verb);

/* The default publication date for a case started at `started`: + days, at hour:00 JST of that day. */
int64_t kk_case_default_date(int64_t started, int days, int hour_jst);

/*
 * Whether publication may be cancelled, from the case's n vendors of which
 * `known` reported already_known and `not_affected` not_affected: all known
 * -> "all_already_known", all not affected -> "all_not_affected", else NULL
 * (also with n == 0, a mix, or any vendor without a verification).
 */
const char *kk_case_cancel_reason(size_t n, size_t known, size_t not_affected);

/* ---- the case ------------------------------------------------------------ */

/*
 * The opener registered with kk_intake_set_opener("product", ...): [in tx]
 * opens a case from the accepted report report_id (title, overview and
 * details from the report, vulnerability #1) and writes its number into
 * case_ref. The actor is the receiver accepting the report.
 */
int kk_coord_open_from_report(struct kk_db *db, const struct kk_actor *a, int64_t report_id, char *case_ref,
			      size_t case_ref_size, struct kk_diag *d);

/*
 * [in tx] CASE_COORDINATE. Opens one case from several accepted reports
 * (tracking numbers) that are in no case yet. ref gets the number.
 */
int kk_case_open(struct kk_db *db, const struct kk_actor *a, const char *const *tracking, size_t n,
		 char ref[KK_CASE_REF_MAX], struct kk_diag *d);
/*
 * [in tx] CASE_COORDINATE. Merges case `from` into `into`: its reports,
 * vulnerabilities (renumbered after into's), vendors not yet in `into`
 * (with their state) and messages move; `from` becomes merged. Both must be
 * open.
 */
int kk_case_merge(struct kk_db *db, const struct kk_actor *a, const char *into, const char *from, struct kk_diag *d);
/* [in tx] CASE_COORDINATE. Replaces the non-NULL texts. */
int kk_case_edit(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *title, const char *overview,
		 const char *details, struct kk_diag *d);
/* [in tx] CASE_COORDINATE. Adds a vulnerability (cwe 0 / cve NULL: unknown); *seq gets its number. */
int kk_case_add_vuln(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *title, int cwe,
		     const char *cve, int *seq, struct kk_diag *d);
/*
 * [in tx] CASE_COORDINATE. Adds the vendor organization org_id (kind
 * vendor) to the case in state added. KK_EEXISTS when it is already in.
 */
int kk_case_add_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
		       int64_t *participant_id, struct kk_diag *d);

/* One step of a vendor's participation (see the top). */
struct kk_case_step {
	enum kk_pverb verb;
	enum kk_verification verification; /* verify */
	bool accept_terms;                  /* request_details: the confidentiality terms */
	const char *text;                   /* report_fix: the fix and workaround; else an optional note */
};
/*
 * [in tx] Applies step to the participation of vendor org_id in case ref.
 * Vendor verbs need CASE_RESPOND on that organization (a coordinator may
 * record a vendor's answer given by phone); notify and send_details need
 * CASE_COORDINATE. Mail goes to the vendor (notify: the overview; send_details:
 * that the details can be read) or to the coordinators (the vendor's answers).
 * Jobs: notify schedules coord.ack_reminder; acknowledge and send_details
 * schedule coord.verify_reminder; verify cancels it. ready needs a statement
 * on every vulnerability. When the last vendor becomes ready the case does.
 */
int kk_case_step(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
		 const struct kk_case_step *step, struct kk_diag *d);

/*
 * [in tx] CASE_COORDINATE. Shows (or hides again) vendor org_id's name,
 * state, verification and statements to the other vendors of the case
 * (kk_case_shared_vendors, kk_case_statements). Its thread, fix text, date
 * requests and contacts stay private.
 */
int kk_case_share_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, bool shared,
			 struct kk_diag *d);

#define KK_STATEMENT_STATUSES "affected|not_affected|fixed|investigating"
/*
 * [in tx] CASE_RESPOND. The vendor's statement on vulnerability seq: status
 * and text in Japanese and/or English (NULL keeps the stored one; at least
 * one language must end up present). Needs the vendor notified at least.
 */
int kk_case_statement(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, int seq,
		      const char *status, const char *text_ja, const char *text_en, struct kk_diag *d);

/*
 * [in tx] CASE_COORDINATE. Moves the publication date to new_at (in the
 * future) with a reason; every vendor of the case that was notified and the
 * receiving organization are told by mail; coord.date_reminder moves.
 */
int kk_case_set_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t new_at, const char *reason,
		     struct kk_diag *d);
/* [in tx] CASE_RESPOND. Vendor org_id asks to move the date; the coordinators are told. *request_id gets the id. */
int kk_case_request_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, int64_t new_at,
			 const char *reason, int64_t *request_id, struct kk_diag *d);
/*
 * [in tx] CASE_COORDINATE. Accepts (the date moves as by kk_case_set_date,
 * everyone told) or declines (the vendor told, with note) a pending request.
 */
int kk_case_decide_date(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t request_id, bool accept,
			const char *note, struct kk_diag *d);
/*
 * Vendors naming other affected vendors (V.4 (3)). A notified vendor of
 * case ref (CASE_RESPOND on org_id; a coordinator may record it for the
 * vendor) names another vendor that may be affected: name required,
 * product, contact and reason optional. The coordinators are mailed and
 * see it as a suggestion (kk_case_suggest, source "vendor", matched to the
 * directory by name, with who named it); no other vendor ever sees it.
 * *id gets the suggestion's id. Audited case.vendor.named.
 */
struct kk_named_vendor_in {
	const char *name, *product, *contact, *reason;
};
int kk_case_name_vendor(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id,
			const struct kk_named_vendor_in *in, int64_t *id, struct kk_diag *d);
/* [in tx] CASE_COORDINATE. Sets a vendor's suggestion aside (it leaves kk_case_suggest). */
int kk_case_dismiss_named(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t named_id,
			  struct kk_diag *d);
/*
 * One date, one embargo (5.1.3 (2)). Whatever is scheduled for a case's date
 * (its advisories, publish/) moves with it: the top layer registers a
 * listener that move_date calls [in tx] after every change of the date
 * (kk_case_set_date, an accepted request, an exception), in the same
 * transaction; new_at 0 when the case was cancelled or stopped (what was
 * scheduled for it is unscheduled).
 */
typedef int (*kk_case_date_listener)(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t new_at,
				     struct kk_diag *d);
void kk_case_set_date_listener(kk_case_date_listener fn);
/*
 * 1 and *at = the agreed date when case ref exists here and is open or ready
 * (its embargo holds); 0 otherwise (no such case, published, cancelled,
 * merged); KK_ECONFLICT (d naming it) when the case was cancelled or
 * stopped: nothing of it is published. What publish asks before it
 * publishes or schedules.
 */
int kk_case_agreed_date(struct kk_db *db, const char *ref, int64_t *at, struct kk_diag *d);
/* "already_public" | "exploited": the standard's grounds for publishing before the agreed date. */
#define KK_CASE_EXCEPTION_GROUNDS "already_public|exploited"
bool kk_case_exception_ground_valid(const char *ground);
/*
 * [in tx] CASE_COORDINATE. Records an exception to the agreed date: the
 * vulnerability is already public or exploited (ground), with a reason; the
 * date comes forward to new_at (0: now; never later than agreed). The
 * finder of every report is told first (through intake, as kk_case_cancel;
 * key as there), then the date moves as by kk_case_set_date (every notified
 * vendor and the receiving organization told, the case's advisories moved).
 * Audited as case.date.exception.
 */
int kk_case_date_exception(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			   const char *ground, const char *reason, int64_t new_at, struct kk_diag *d);
/*
 * [in tx] CASE_COORDINATE. An advisory of case ref went public at `at`:
 * the case becomes published (its date = at), pending date requests are
 * declined, reminders end; pre-notification, date changes and requests are
 * refused from now on. 0 without change when ref is no open/ready case here.
 */
int kk_case_published(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t at, struct kk_diag *d);
/*
 * [in tx] CASE_COORDINATE. Cancels publication when kk_case_cancel_reason
 * allows it (reason must be that one, KK_ECONFLICT otherwise): the case
 * becomes cancelled, its jobs end, the vendors and the receiving
 * organization are told, and the finder of each report is told by the
 * coordinator's relay through intake (as kk_case_post_finder: the report's
 * thread on the secret-link page and mail to the sealed address), the
 * reason in the report's language first, a copy in the coordinators-only
 * thread; all in the caller's transaction. key: the secret key the finders'
 * contacts are sealed with; NULL is KK_EINVAL when the case has a report.
 */
int kk_case_cancel(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
		   const char *reason, const char *note, struct kk_diag *d);

/*
 * The stop listener registered with kk_intake_set_stop_listener("product"):
 * [in tx] report_id's handling was stopped (reason: its kk_stop_reason name).
 * When no other report of its case is still handled, the case stops: state
 * "stopped" (stored cancelled + stopped_at), reminders end, its scheduled
 * advisories are unscheduled, every notified vendor is told the handling
 * ended — never why — and the coordinators are told with the reason.
 * Nothing more can be added, notified, answered or sent to vendors, and
 * vendors no longer read the case (KK_ENOTFOUND). The caller (intake) has
 * checked REPORT_TRIAGE. Audited case.stop.
 */
int kk_coord_report_stopped(struct kk_db *db, const struct kk_actor *a, int64_t report_id, const char *tracking,
			    const char *reason, struct kk_diag *d);

/* ---- reading ------------------------------------------------------------- */

/* A case as the actor may see it. Strings are copies; release with kk_case_info_release. */
struct kk_case_info {
	int64_t id;
	char ref[KK_CASE_REF_MAX];
	char state[16];
	char cancel_reason[24];
	char *title, *overview, *product, *product_version;
	char *details; /* NULL when the actor may not read the details */
	int64_t started_at, publish_at, last_activity_at, created_at, updated_at;
	int64_t vendor_consulted_at, finder_told_at;
	int nvendors, nready, nunreachable, nvulns;
	bool coordinator;	/* the actor coordinates (sees every vendor) */
	int64_t participant_id; /* the actor's organization's participation (vendors), else 0 */
	int64_t org_id;		/* that organization */
	char pstate[24];	/* its state */
};
/* CASE_READ: 0, or KK_ENOTFOUND for a case that does not exist or the actor's organization is not in. */
int kk_case_get(struct kk_db *db, const struct kk_actor *a, const char *ref, struct kk_case_info *out,
		struct kk_diag *d);
void kk_case_info_release(struct kk_case_info *c);

/* A row of the case board (strings valid during the callback). */
struct kk_case_row {
	int64_t id;
	const char *ref, *title, *state, *pstate; /* pstate: the actor's organization's state ("" for coordinators) */
	int64_t started_at, publish_at, last_activity_at;
	int nvendors, nready, nunreachable;
};
struct kk_case_filter {
	const char *state; /* NULL any */
	const char *q;	   /* substring of ref or title */
	int limit;	   /* default 50, max 500 */
	int offset;
};
/* CASE_READ. Coordinators: every case; vendors: their organization's. Newest first. Returns rows given, or error. */
int kk_case_list(struct kk_db *db, const struct kk_actor *a, const struct kk_case_filter *f,
		 int (*fn)(void *arg, const struct kk_case_row *r), void *arg, int64_t *total);

/* One participation (strings valid during the callback). */
struct kk_participant {
	int64_t id, org_id;
	const char *org_name, *state, *verification, *fix_text;
	int64_t added_at, notified_at, acknowledged_at, details_requested_at, details_sent_at, verified_at,
		fix_reported_at, ready_at, unreachable_at, terms_accepted_at, last_vendor_at;
	int attempts, nstatements;
	bool shared; /* name, state and statements shown to the other vendors (kk_case_share_vendor) */
};
struct kk_participant_filter {
	const char *state;     /* NULL any; "unreachable" for unreachable ones */
	const char *q;	       /* substring of the organization's name */
	int limit;	       /* default 50, max 500 */
	int offset;
};
/*
 * The vendors of case_id: coordinators get every row (paged and filtered in
 * SQL: a 100+-vendor case loads one page), a vendor only its own. *total
 * gets the matches without paging. Returns rows given or an error.
 */
int kk_case_participants(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
			 const struct kk_participant_filter *f, int (*fn)(void *arg, const struct kk_participant *p),
			 void *arg, int64_t *total);

/*
 * The vendors the coordinator shared with the others (kk_case_share_vendor),
 * as a vendor of the case may see them: name, state, verification only (the
 * rest of the row is zero / ""). Not the actor's own row. Returns the count.
 */
int kk_case_shared_vendors(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
			   int (*fn)(void *arg, const struct kk_participant *p), void *arg);

struct kk_statement {
	int64_t participant_id;
	const char *org_name;
	int seq;
	const char *vuln_title, *status, *text_ja, *text_en;
	int64_t updated_at;
};
/* Statements: coordinators all (participant_id 0) or one vendor's; a vendor its own and the shared vendors'. */
int kk_case_statements(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		       int64_t participant_id, int (*fn)(void *arg, const struct kk_statement *s), void *arg);

struct kk_case_vuln {
	int64_t id;
	int seq, cwe;
	const char *title, *cve;
};
int kk_case_vulns(struct kk_db *db, const struct kk_case_info *c, int (*fn)(void *arg, const struct kk_case_vuln *v),
		  void *arg);

struct kk_date_change {
	int64_t id, old_at, new_at, at, decided_at;
	const char *reason, *state, *decision_note, *org_name; /* org_name: the vendor that asked, "" for coordinators */
	const char *exception; /* an exception's ground (kk_case_date_exception), else "" */
};
/* The date's history: coordinators everything; a vendor the moves and its own requests. */
int kk_case_dates(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		  int (*fn)(void *arg, const struct kk_date_change *ch), void *arg);

/* The tracking numbers of the case's reports (coordinators only). */
int kk_case_reports(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		    int (*fn)(void *arg, const char *tracking), void *arg);

/* Writes the case as the actor may see it as one JSON object (GET /api/v1/cases/{ref}, `keikai case show`). */
int kk_case_json(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c, struct kk_json *j);
/* One JSON object per row (case_json.c), shared by the API and the CLI; dates as {"utc","jst","epoch"}. */
void kk_participant_json(struct kk_json *j, const struct kk_participant *p);
void kk_statement_json(struct kk_json *j, const struct kk_statement *s);
void kk_case_row_json(struct kk_json *j, const struct kk_case_row *c);

/*
 * The attachments of the case's reports: part of the details, so only for an
 * actor whose kk_case_info has them (KK_ENOTFOUND otherwise). Names are
 * neutral ("attachment-<sha256 prefix>.png"): a finder's file name may name
 * the finder. kk_case_file_find: 0, or KK_ENOTFOUND for a file not in the case.
 */
struct kk_case_file {
	char sha256[65];
	char name[64];
	char mime[64];
	int64_t size;
};
int kk_case_files(struct kk_db *db, const struct kk_case_info *c, int (*fn)(void *arg, const struct kk_case_file *f),
		  void *arg);
int kk_case_file_find(struct kk_db *db, const struct kk_case_info *c, const char *sha256, struct kk_case_file *out);

/* Vendor suggestions for a case: directory matches and vulnerability-database hits (CASE_COORDINATE). */
struct kk_case_suggestion {
	const char *source; /* "directory", "organization", "vulndb" or "vendor" (named by a vendor: id set) */
	int64_t org_id;	    /* directory: the vendor (0 for vulndb) */
	const char *name;   /* vendor name, or the vulnerability id */
	const char *why;
	int score;
	bool in_case, unreachable;
	int64_t id; /* "vendor": the suggestion (kk_case_dismiss_named), else 0 */
};
/*
 * CASE_COORDINATE. What the coordinator may add: first what the case's
 * vendors named (source "vendor", not set aside; org_id the directory's
 * vendor of that name, or 0), then directory and organization matches of
 * the reports' product and vendor, then vulnerability-database records.
 */
int kk_case_suggest(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c,
		    int (*fn)(void *arg, const struct kk_case_suggestion *s), void *arg, struct kk_diag *d);

/* ---- stalled cases (長期滞留) --------------------------------------------- */

struct kk_stalled {
	int64_t id;
	const char *ref, *title, *state;
	int64_t started_at, last_activity_at, publish_at;
	int64_t age_days, idle_days;
	const char *waiting_for; /* "vendor A (notified), vendor B (unreachable)" or "coordinator" */
};
/* CASE_COORDINATE. Open cases with no activity for idle_days or more (0: all open cases), oldest activity first. */
int kk_case_stalled(struct kk_db *db, const struct kk_actor *a, int idle_days, int64_t now,
		    int (*fn)(void *arg, const struct kk_stalled *s), void *arg);
void kk_stalled_json(struct kk_json *j, const struct kk_stalled *s);

/* ---- messages (message.c) ------------------------------------------------ */

#define KK_MESSAGE_MAX (32 * 1024)
/*
 * [in tx] Posts body to a thread of case ref: "coordinators" (coordinators
 * only), "vendor" (coordinator <-> the vendor org_id; a vendor posts only to
 * its own) or "all" (coordinators to every vendor of the case). The message
 * is mailed to each recipient (PGP-encrypted when the directory has a key),
 * subject "[KKC-...] ...", with a link to the case. *id may be NULL.
 */
int kk_case_post(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *thread, int64_t org_id,
		 const char *body, int64_t *id, struct kk_diag *d);

struct kk_case_message {
	int64_t id, at, participant_id;
	const char *thread, *author, *body, *vendor; /* vendor: the vendor of a 'vendor' thread (coordinators) */
	const char *finder; /* to or from the finder of this report (tracking number; a "coordinators" message), else "" */
	bool from_vendor, from_finder;
};
/*
 * Messages the actor may read, oldest first: thread NULL = every thread it
 * may see; "finder" = the coordinators-only messages to and from finders. A
 * vendor sees "all" and its own "vendor" thread, never "coordinators",
 * "finder" or another vendor's thread. org_id (coordinators) picks one
 * vendor's thread.
 */
int kk_case_messages(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c, const char *thread,
		     int64_t org_id, int (*fn)(void *arg, const struct kk_case_message *m), void *arg);
void kk_case_message_json(struct kk_json *j, const struct kk_case_message *m);

/*
 * The finder talks with the receiving organization and the coordinator only,
 * never directly with vendors, and the coordinator never learns who the
 * finder is: both directions go through intake.
 *
 * [in tx] CASE_COORDINATE. Writes body to the finder of the case's report
 * `tracking` (NULL or "": of every report of the case) through intake
 * (kk_intake_message): it joins the report's thread, which the finder reads
 * through the secret link (/r/TRACKING), and is mailed to the sealed address
 * (PGP-encrypted where the finder gave a key), the case number in the
 * subject. A copy stays in the case's coordinators-only thread (finder set).
 * key: the secret key the finder's contact is sealed with. *id (may be NULL)
 * gets the copy's id. Not for a merged case.
 */
int kk_case_post_finder(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			const char *tracking, const char *body, int64_t *id, struct kk_diag *d);
/*
 * The finder listener (kk_intake_set_finder_listener): [in tx] the finder of
 * report_id wrote through the secret link. When the report is in a case, the
 * message joins the case's coordinators-only thread (from_finder) and the
 * coordinators are mailed, naming the report, never the finder.
 */
int kk_coord_finder_wrote(struct kk_db *db, int64_t report_id, const char *tracking, const char *body,
			  struct kk_diag *d);

/* ---- critical-infrastructure pre-notification (infra.c) ----------------- */

#define KK_INFRA_SECTORS "telecoms|finance|aviation|rail|power|gas|medical|water|logistics|government"
bool kk_infra_sector_valid(const char *s);
/*
 * Pre-notification (V.2 (6)) is for receivers and coordinators
 * (CASE_PRENOTIFY) and only before publication: every step below is
 * KK_ECONFLICT (field "state") once the case is published, cancelled,
 * stopped or merged.
 */
/* [in tx] CASE_PRENOTIFY. Registers organization org_id (kind infrastructure) with its sector. */
int kk_infra_set_sector(struct kk_db *db, const struct kk_actor *a, int64_t org_id, const char *sector,
			struct kk_diag *d);
/* [in tx] CASE_PRENOTIFY. Records the consultation with the vendor(s) about pre-notification. */
int kk_case_record_consultation(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *note,
				struct kk_diag *d);
/*
 * [in tx] CASE_PRENOTIFY. Tells the finder of every report of the case that
 * the draft and the fix will be shared with critical-infrastructure
 * operators before publication: a real message through intake's sealed
 * relay (as kk_case_post_finder: the finder's status page and mail; key as
 * there), in the report's language first, with `message` (optional) added;
 * then records the time. note (required) stays internal (audit row).
 * KK_ECONFLICT (field "fix") while no vendor reported a fix or workaround.
 */
int kk_case_record_finder_told(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			       const char *note, const char *message, struct kk_diag *d);
/*
 * [in tx] CASE_PRENOTIFY. Shares the advisory draft and the fix with the
 * registered infrastructure organization org_id before the date.
 * KK_ECONFLICT until a vendor reported a fix or workaround (field "fix"),
 * the consultation was recorded ("consultation") and the finder was told
 * ("finder_told"), and once the case is past its publication. Audited
 * ("case.infra_share"); the organization's users are told by mail to look at
 * their portal.
 */
int kk_infra_share(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, const char *draft,
		   const char *fix, int64_t *share_id, struct kk_diag *d);

struct kk_infra_share {
	int64_t id, org_id, shared_at, publish_at;
	const char *case_ref, *case_title, *org_name, *sector, *draft, *fix;
};
/*
 * [in tx for portals] INFRA_PORTAL: what was shared with the actor's own
 * organization (case_ref NULL), each read audited ("infra.portal_read").
 * CASE_PRENOTIFY with case_ref: what that case shared. Newest first.
 */
int kk_infra_shares(struct kk_db *db, const struct kk_actor *a, const char *case_ref,
		    int (*fn)(void *arg, const struct kk_infra_share *s), void *arg);
void kk_infra_share_json(struct kk_json *j, const struct kk_infra_share *s);

/* ---- scheduler handlers (case_jobs.c; rows in src/cli/jobs.c) -------------- */

/* coord.ack_reminder (subject: participant): no acknowledgement yet -> remind every channel or escalate. */
int kk_coord_job_ack_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);
/* coord.verify_reminder (subject: participant): no verification yet -> remind or escalate. */
int kk_coord_job_verify_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);
/* coord.date_reminder (subject: case): the date approaches; remind vendors whose statements are missing. */
int kk_coord_job_date_reminder(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d);

#endif
