/*
 * case_int.h — what case.c, case_read.c, case_jobs.c, message.c and infra.c
 * share inside coord/: loading a case or a participation by key, the
 * policy gates, audit, "last activity", and mail to a vendor's contact
 * channels or to a staff role. Not a public header.
 */
#ifndef KK_COORD_CASE_INT_H
#define KK_COORD_CASE_INT_H
#include "auth/auth.h"
#include "auth/policy.h"
#include "coord/case.h"
#include "intake/intake.h"
#include <stdbool.h>
#include <stdint.h>

/*
 * A case's state as every reader shows it: the stored state, except that a
 * stopped case (stored 'cancelled' with stopped_at, migration 0029) is
 * "stopped". alias: the table's name or alias in the query.
 */
#define CASE_STATE_SQL(alias) "(CASE WHEN " alias ".stopped_at IS NOT NULL THEN 'stopped' ELSE " alias ".state END)"

struct case_core {
	int64_t id;
	char ref[KK_CASE_REF_MAX];
	char state[16];
	int64_t started_at, publish_at;
	char product[KK_NAME_MAX + 1];
	char version[KK_NAME_MAX + 1];
};

struct part_core {
	int64_t id, case_id, org_id;
	enum kk_pstate state;
	enum kk_verification ver;
	int attempts;
	int64_t unreachable_at;
	int64_t details_sent_at; /* 0: the details were never sent to this vendor */
	char org_name[KK_NAME_MAX + 1];
};

/* KK_EINVAL unless inside kk_db_tx. */
int case_need_tx(struct kk_db *db, struct kk_diag *d);
/* By number: 0, or KK_ENOTFOUND naming it. */
int case_load(struct kk_db *db, const char *ref, struct case_core *c, struct kk_diag *d);
int case_load_id(struct kk_db *db, int64_t id, struct case_core *c);
/* KK_ECONFLICT unless the case is open. */
int case_must_be_open(const struct case_core *c, struct kk_diag *d);
/* KK_ECONFLICT unless the case is open or ready (vendors may still answer, the date may still move). */
int case_must_be_active(const struct case_core *c, struct kk_diag *d);
/* Sets the case ready when every vendor is ready or unreachable, open again when one is waited for. */
int case_recompute(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, struct kk_diag *d);
/* The participation of org_id in case_id: 0 or KK_ENOTFOUND naming the vendor. */
int part_load(struct kk_db *db, int64_t case_id, int64_t org_id, struct part_core *p, struct kk_diag *d);
int part_load_id(struct kk_db *db, int64_t id, struct part_core *p);
/*
 * Calls fn for every participation of case_id (notified_only: not those
 * still 'added'), loading 256 ids at a time so no statement stays open while
 * fn writes (mail, jobs). fn returning non-zero stops; that value is returned.
 */
int case_each_participant(struct kk_db *db, int64_t case_id, bool notified_only,
			  int (*fn)(struct kk_db *db, struct part_core *p, void *arg), void *arg);
/* How many of the case's vulnerabilities the participation has no statement on (< 0: error). */
int case_missing_statements(struct kk_db *db, int64_t case_id, int64_t participant_id);
/* The organization id of the actor's participation in case_id, or 0 (also once the case's handling was stopped). */
int64_t case_actor_part(struct kk_db *db, const struct kk_actor *a, int64_t case_id);

/* kk_policy_check(a, act, obj{org_id}) with d filled ("vendor X may not ..."). */
int case_gate(const struct kk_actor *a, enum kk_action act, int64_t org_id, struct kk_diag *d);
/* True when the actor sees the whole case (the CASE_READ cell is ALLOW, not ORG). */
bool case_is_staff(const struct kk_actor *a);

/* Moves the case's last activity to now. */
int case_touch(struct kk_db *db, int64_t case_id);
/* Audit row on object ("case", ref) with a formatted summary. */
int case_audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *ref, const char *after,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * The vendor answered (any step, statement, request or message of its
 * own): attempts back to 0, last_vendor_at = now, and an unreachable
 * participation resumes (the directory's listing is closed).
 */
int part_heard(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, struct part_core *p,
	       struct kk_diag *d);

/*
 * Mails every contact channel of the vendor of p: the directory's notify
 * targets (PGP-encrypted where a key is kept), else the enabled users of the
 * organization. secret (may be NULL) is included only in encrypted mail;
 * plain mail carries `plain` and the link. kind is recorded per channel in
 * coord_contact_attempt. Returns the number of channels written (>= 0) or
 * an error.
 */
int case_mail_vendor(struct kk_db *db, const struct case_core *c, const struct part_core *p, const char *kind,
		     const char *subject, const char *plain, const char *secret, struct kk_diag *d);
/* Mails every enabled user of role (receiver, coordinator). Returns the count or an error. */
int case_mail_role(struct kk_db *db, enum kk_role role, const struct case_core *c, const char *subject,
		   const char *body, struct kk_diag *d);
/* Mails every enabled user of organization org_id (infrastructure portals). */
int case_mail_org_users(struct kk_db *db, int64_t org_id, const struct case_core *c, const char *subject,
			const char *body, struct kk_diag *d);

/* A report of the case, as coordination may know it: never who wrote it. */
struct case_finder {
	int64_t report_id;
	char tracking[KK_TRACKING_MAX];
	bool ja; /* the report's language (the finder's) is Japanese */
};
#define KK_CASE_FINDERS_MAX 64
/* The case's reports (tracking NULL or "": every one; else that one), at most KK_CASE_FINDERS_MAX: n >= 0 or an error. */
int case_finders(struct kk_db *db, int64_t case_id, const char *tracking, struct case_finder out[KK_CASE_FINDERS_MAX]);
/*
 * Writes text to the finder of f through intake (kk_intake_message by the
 * system actor "coord": the report's thread on the secret-link page and mail
 * to the sealed address) and keeps `copy` in the case's coordinators-only
 * thread, authored by a. key NULL: KK_EINVAL naming the key file. *id (may be
 * NULL) gets the copy's id.
 */
int case_finder_relay(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const struct case_core *c,
		      const struct case_finder *f, const char *text, const char *copy, int64_t *id, struct kk_diag *d);

/* Text checks: required (1..max bytes, valid UTF-8) or optional. */
int case_text(const char *s, size_t max, bool required, const char *field, struct kk_diag *d);

#endif
