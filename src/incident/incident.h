/*
 * incident.h — incident reports (インシデント報告) from the public, the JSON
 * API and mail taken in by staff (issue 22; 004 §1.1, §1.3).
 *
 * A report gets a tracking number ("IR-2026-000123") and a secret link token
 * (32 random bytes, only its hash stored, handed back once) as a finder's
 * report does (intake.h). The reporter's name, e-mail, organization and
 * phone are sealed together (keyfile.h); only kk_incident_reveal() unseals
 * them, for INCIDENT_REVEAL, audited "incident.reveal". Evidence files are
 * stored by content hash with intake's attachment store (never executed or
 * rendered; staff download them as attachments).
 *
 * The category set is data (table incident_category, 0040); TLP is one of
 * red, amber, green, clear ("white" is read as clear). The URLs, domains and
 * IP addresses named are validated and normalised (kk_incident_norm_*): a
 * URL's host also counts as a domain or IP address of the report.
 *
 * JSON accepted by kk_incident_parse (unknown keys are refused):
 *   {"lang": "ja"|"en", "category": CODE, "tlp": "red"|"amber"|"green"|"clear",
 *    "summary", "description",
 *    "reporter": {"name", "email", "org", "phone"},
 *    "urls": [..], "domains": [..], "ips": [..],
 *    "received_at": "YYYY-MM-DD[ HH:MM]" (JST; staff entering a mail only)}
 */
#ifndef KK_INCIDENT_INCIDENT_H
#define KK_INCIDENT_INCIDENT_H
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/err.h"
#include "intake/intake.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_json;

#define KK_INCIDENT_JSON_MAX (256 * 1024)
#define KK_INCIDENT_IND_MAX 200 /* indicators per report */
#define KK_INCIDENT_VALUE_MAX 2048

enum kk_indicator_kind { KK_IND_URL, KK_IND_DOMAIN, KK_IND_IP };
const char *kk_indicator_kind_name(enum kk_indicator_kind k);

/*
 * Normalisers (pure; each writes at most n bytes to out and returns 0, or
 * KK_EINVAL when the text is not one). Defanged forms ("hxxp://",
 * "example[.]com", "192.0.2[.]1") are read back.
 *   url:    http/https only; scheme and host lower-cased, default port and
 *           fragment dropped, an empty path made "/"; the host (domain or
 *           IP, IPv6 without brackets) goes to host (hn bytes) when not NULL.
 *   domain: lower-cased, trailing dot dropped, labels of letters, digits and
 *           hyphens (no leading/trailing hyphen, 1..63 bytes), two labels at
 *           least, 253 bytes at most; UTF-8 labels are kept as they are.
 *   ip:     IPv4 or IPv6, in its canonical text (inet_ntop).
 */
int kk_incident_norm_url(const char *s, char *out, size_t n, char *host, size_t hn);
int kk_incident_norm_domain(const char *s, char *out, size_t n);
int kk_incident_norm_ip(const char *s, char *out, size_t n);

struct kk_indicator {
	enum kk_indicator_kind kind;
	char *value; /* normalised, owned */
};

struct kk_incident_input {
	char *lang, *category, *tlp, *summary, *description;
	char *name, *email, *org, *phone; /* the reporter: sealed */
	struct kk_indicator *ind;         /* normalised, deduplicated, hosts of URLs added */
	int nind;
	int64_t received_at; /* 0: now */
};

/* Parses json[0..n) into in (zeroed first); indicators normalised. 0 or KK_EPARSE/KK_EINVAL with d->where. */
int kk_incident_parse(const char *json, size_t n, struct kk_incident_input *in, struct kk_diag *d);
void kk_incident_input_release(struct kk_incident_input *in);
/* Needs summary, category (a row of incident_category), reporter.email; checks tlp and formats. */
int kk_incident_validate(struct kk_db *db, const struct kk_incident_input *in, struct kk_diag *d);

struct kk_incident_category {
	char code[32];
	char name_ja[128], name_en[128];
};
/* Calls fn per category in their order. 0 or the first negative return. */
int kk_incident_categories(struct kk_db *db, int (*fn)(void *arg, const struct kk_incident_category *c),
			   void *arg);

struct kk_incident_receipt {
	int64_t id;
	char tracking[KK_TRACKING_MAX];
	char token[KK_REPORT_TOKEN_MAX]; /* shown once, never stored */
};
/*
 * [in tx] INCIDENT_REPORT (source "web" or "api"), INCIDENT_HANDLE for
 * "mail" (staff entering a mailed report; only they may set received_at).
 * Validates, seals the reporter, stores the indicators, queues the receipt
 * mail with the secret link base_url + "/incident/r/TRACKING?key=TOKEN"
 * and audits "incident.report" (never the contact).
 */
int kk_incident_submit(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		       const struct kk_incident_input *in, const char *source, const char *base_url,
		       struct kk_incident_receipt *r, struct kk_diag *d);

/*
 * [in tx] Links a file stored with kk_intake_attach_store to report
 * `tracking`: from_reporter (the caller checked the link or it is the
 * submission) or staff (INCIDENT_HANDLE checked here). Audited.
 */
int kk_incident_attach_link(struct kk_db *db, const struct kk_actor *who, bool from_reporter, const char *tracking,
			    const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d);

/* 0 when token is the secret link of tracking; KK_ENOTFOUND for any mismatch (one answer for both). */
int kk_incident_link_check(struct kk_db *db, const char *tracking, const char *token);

/*
 * The report as its reporter sees it through the link: {tracking, status,
 * category, tlp, summary, description, received_at, indicators: [{kind,
 * value}], files: [{sha256, filename, size}]} — never the contact.
 */
int kk_incident_reporter_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j);
/* INCIDENT_HANDLE: the staff's view: the reporter's view plus id, source, lang, created_at; no contact. */
int kk_incident_staff_json(struct kk_db *db, const struct kk_actor *a, const char *tracking, struct kk_json *j,
			   struct kk_diag *d);
/* INCIDENT_REVEAL: {name, email, org, phone} of the reporter, audited "incident.reveal". [own tx] */
int kk_incident_reveal(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		       const char *tracking, struct kk_json *j, struct kk_diag *d);

struct kk_incident_row {
	int64_t id, received_at;
	const char *tracking, *category, *tlp, *status, *source, *summary;
	int nind, nfiles;
};
struct kk_incident_query {
	const char *category, *status; /* NULL: any */
	int64_t from, to;              /* received_at in [from, to); 0: open */
	int limit;                     /* 0: 100 */
};
/* INCIDENT_HANDLE: reports newest first. 0 or an error (KK_EPERM). */
int kk_incident_list(struct kk_db *db, const struct kk_actor *a, const struct kk_incident_query *q,
		     int (*fn)(void *arg, const struct kk_incident_row *r), void *arg, struct kk_diag *d);
void kk_incident_row_json(const struct kk_incident_row *r, struct kk_json *j);

/*
 * The evidence file sha256 of report tracking, for staff (INCIDENT_HANDLE;
 * token NULL) or the reporter (token is the link's). KK_ENOTFOUND otherwise.
 */
int kk_incident_attachment_find(struct kk_db *db, const struct kk_actor *a, const char *token, const char *tracking,
				const char *sha256, struct kk_attachment *out, struct kk_diag *d);

/* ---- incidents (0041): several reports of one incident count once ----------------- */

#define KK_INCIDENT_IDENT_MAX 32
/*
 * Incident states: open -> coordinating -> resolved (e.g. the phishing site
 * stopped) | closed (without action); open -> resolved | closed; resolved
 * and closed are final. Anything else is KK_ECONFLICT naming both.
 * Everything here needs INCIDENT_HANDLE and writes an audit row; the [in tx]
 * functions must run inside kk_db_tx.
 */
/*
 * [in tx] Opens an incident from report `tracking` (not yet linked to one):
 * category and TLP from the report unless given, title from its summary
 * unless given; the incident counts at the report's receipt. ident gets
 * "IN-YYYY-NNNNNN".
 */
int kk_incident_open(struct kk_db *db, const struct kk_actor *a, const char *tracking, const char *title,
		     char ident[KK_INCIDENT_IDENT_MAX], struct kk_diag *d);
/* [in tx] Links report `tracking` to incident `ident` (staff's confirmation of a suggestion). KK_ECONFLICT
 * when the report belongs to another incident. */
int kk_incident_link(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *tracking,
		     struct kk_diag *d);
/* Incidents sharing a URL, domain or IP address with report `tracking`: fn(ident, kind, value) per match. */
int kk_incident_suggest(struct kk_db *db, const struct kk_actor *a, const char *tracking,
			int (*fn)(void *arg, const char *ident, const char *kind, const char *value), void *arg,
			struct kk_diag *d);
/* [in tx] Moves incident ident to state ("open", "coordinating", "resolved", "closed"). */
int kk_incident_set_state(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *state,
			  struct kk_diag *d);
struct kk_incident_coord {
	const char *party, *contact;
	const char *scope; /* domestic | overseas | csirt */
	const char *asked;
	int64_t asked_at; /* 0: now */
};
/* [in tx] Records a coordination (調整) request; an open incident becomes coordinating. *id_out gets its id. */
int kk_incident_coord_add(struct kk_db *db, const struct kk_actor *a, const char *ident,
			  const struct kk_incident_coord *c, int64_t *id_out, struct kk_diag *d);
/* [in tx] Records the answer (status acknowledged | resolved | no_answer) of coordination id of ident. */
int kk_incident_coord_answer(struct kk_db *db, const struct kk_actor *a, const char *ident, int64_t id,
			     const char *status, const char *answer, struct kk_diag *d);
/* [in tx] Sets the imitated brand of a phishing incident (the brand list learns it with its origin). */
int kk_incident_set_brand(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *brand,
			  const char *origin, struct kk_diag *d);
/* [in tx] Records the staff's check that the phishing site is down (at; 0: now); the incident is resolved. */
int kk_incident_takedown(struct kk_db *db, const struct kk_actor *a, const char *ident, int64_t at,
			 struct kk_diag *d);
/* The incident: {ident, category, state, title, tlp, brand, brand_origin, taken_down_at, opened_at,
 * reports: [tracking], coordinations: [{id, party, contact, scope, asked, asked_at, status, answer}]}. */
int kk_incident_json(struct kk_db *db, const struct kk_actor *a, const char *ident, struct kk_json *j,
		     struct kk_diag *d);

/* ---- figures (004 §1.1, §1.3) ----------------------------------------------------------- */

/*
 * The figures of [from, to) as JSON: {from, to, public, reports, incidents,
 * coordinations, previous: {reports, incidents, coordinations} (the period
 * of the same length before), by_category: [{category, reports, incidents}],
 * by_month: [{month "YYYY-MM" (JST), reports, incidents, coordinations}],
 * coordination_scope: {domestic, overseas, csirt},
 * phishing_by_brand: [{month, domestic, foreign, unknown}]}. Reports count
 * at their receipt, incidents at their first report's, coordinations when
 * asked. public: TLP:RED reports and incidents are left out (the public
 * page); staff figures (INCIDENT_HANDLE) count everything. Counts only:
 * nothing of a report or incident is ever in the figures.
 */
int kk_incident_figures(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to, bool public_only,
			struct kk_json *j, struct kk_diag *d);
/* The same as CSV: "section,key,reports,incidents,coordinations" rows. */
int kk_incident_figures_csv(struct kk_db *db, int64_t from, int64_t to, struct kk_buf *out, struct kk_diag *d);

#endif
