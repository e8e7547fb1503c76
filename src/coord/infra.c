/*
 * infra.c — critical-infrastructure pre-notification (003 5.1.5, appendix
 * B V.2 (6)): registered infrastructure organizations with their sector,
 * the preconditions (vendor consulted, finder told), each sharing audited
 * and readable only through the organization's own portal.
 */
#include "auth/audit.h"
#include "base/clock.h"
#include "base/str.h"
#include "coord/case_int.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

bool kk_infra_sector_valid(const char *s)
{
	static const char *const sectors[] = {"telecoms", "finance", "aviation",  "rail",	   "power",
					      "gas",	  "medical", "water",	  "logistics", "government"};
	for (size_t i = 0; s && i < sizeof(sectors) / sizeof(sectors[0]); i++)
		if (!strcmp(s, sectors[i]))
			return true;
	return false;
}

int kk_infra_set_sector(struct kk_db *db, const struct kk_actor *a, int64_t org_id, const char *sector,
			struct kk_diag *d)
{
	int rc;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)))
		return rc;
	struct kk_org o;
	if (kk_org_get(db, org_id, &o))
		return kk_diag_set(d, KK_ENOTFOUND, "org", "no organization %lld", (long long)org_id);
	if (o.kind != KK_ORG_INFRASTRUCTURE)
		return kk_diag_set(d, KK_EINVAL, "org", "%s is a %s organization; only infrastructure ones have a sector",
				   o.name, kk_org_kind_name(o.kind));
	if (!kk_infra_sector_valid(sector))
		return kk_diag_set(d, KK_EINVAL, "sector", "sector must be one of " KK_INFRA_SECTORS);
	rc = kk_db_exec(db,
			"INSERT INTO infra_org (org_id, sector, updated_at) VALUES (?, ?, ?) ON CONFLICT (org_id) DO UPDATE "
			"SET sector = excluded.sector, updated_at = excluded.updated_at",
			"isi", org_id, sector, kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, "sector", "cannot store the sector: %s", kk_db_errmsg(db));
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)org_id);
	char summary[KK_NAME_MAX + 64];
	snprintf(summary, sizeof(summary), "infrastructure organization %s: sector %s", o.name, sector);
	return kk_audit(db, a, "infra.sector", "org", id, summary, NULL, NULL);
}

static int record(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *sql, const char *action,
		  const char *what, const char *note, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_must_be_open(&c, d)) ||
	    (rc = case_text(note, KK_CASE_REASON_MAX, true, "note", d)))
		return rc;
	if ((rc = kk_db_exec(db, sql, "isi", kk_clock_now(), note, c.id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot record it: %s", kk_db_errmsg(db));
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, action, c.ref, NULL, "%s: %s", what, note);
}

int kk_case_record_consultation(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *note,
				struct kk_diag *d)
{
	return record(db, a, ref, "UPDATE coord_case SET vendor_consulted_at = ?, vendor_consult_note = ? WHERE id = ?",
		      "case.infra.consulted", "vendor consulted on pre-notification", note, d);
}

int kk_case_record_finder_told(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *note,
			       struct kk_diag *d)
{
	/* the note is kept in the audit row only; the column holds the time */
	return record(db, a, ref,
		      "UPDATE coord_case SET finder_told_at = ?1 WHERE id = ?3 AND ?2 IS NOT NULL",
		      "case.infra.finder_told", "finder told of pre-notification", note, d);
}

int kk_infra_share(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, const char *draft,
		   const char *fix, int64_t *share_id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if (share_id)
		*share_id = 0;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, d)) ||
	    (rc = case_load(db, ref, &c, d)) || (rc = case_text(draft, KK_CASE_TEXT_MAX, true, "draft", d)) ||
	    (rc = case_text(fix, KK_CASE_TEXT_MAX, true, "fix", d)))
		return rc;
	if (strcmp(c.state, "open") && strcmp(c.state, "ready"))
		return kk_diag_set(d, KK_ECONFLICT, "state", "case %s is %s; nothing is shared", c.ref, c.state);
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT vendor_consulted_at IS NOT NULL, finder_told_at IS NOT NULL FROM coord_case "
				    "WHERE id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, c.id);
	bool consulted = false, told = false;
	if (kk_stmt_step(st) == KK_ROW) {
		consulted = kk_stmt_int64(st, 0);
		told = kk_stmt_int64(st, 1);
	}
	kk_stmt_done(st);
	if (!consulted)
		return kk_diag_set(d, KK_ECONFLICT, "consultation",
				   "record the consultation with the vendor first (keikai case consulted %s --note ...)", c.ref);
	if (!told)
		return kk_diag_set(d, KK_ECONFLICT, "finder_told",
				   "record that the finder was told first (keikai case finder-told %s --note ...)", c.ref);
	if ((rc = kk_db_prepare(db,
				"SELECT o.name, i.sector FROM organizations o JOIN infra_org i ON i.org_id = o.id WHERE o.id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, org_id);
	char name[KK_NAME_MAX + 1] = "", sector[16] = "";
	if (kk_stmt_step(st) == KK_ROW) {
		kk_strlcpy(name, kk_stmt_text(st, 0), sizeof(name));
		kk_strlcpy(sector, kk_stmt_text(st, 1), sizeof(sector));
	}
	kk_stmt_done(st);
	if (!name[0])
		return kk_diag_set(d, KK_ENOTFOUND, "org",
				   "organization %lld is not a registered infrastructure organization (keikai case infra-org)",
				   (long long)org_id);
	int64_t now = kk_clock_now();
	if ((rc = kk_db_exec(db,
			     "INSERT INTO infra_share (case_id, org_id, draft, fix, by_user_id, shared_at) VALUES "
			     "(?, ?, ?, ?, ?, ?)",
			     "iissii", c.id, org_id, draft, fix, a->user_id, now)) < 0)
		return kk_diag_set(d, rc, "share", "cannot store the sharing: %s", kk_db_errmsg(db));
	int64_t id = kk_db_last_insert_id(db);
	if (share_id)
		*share_id = id;
	char subject[512], body[1400];
	snprintf(subject, sizeof(subject), "[%s] 事前通知 / Pre-notification (confidential)", c.ref);
	snprintf(body, sizeof(body),
		 "重要インフラ事業者向けの事前情報を共有しました。ポータルでご確認ください (公表まで秘密)。\n"
		 "An advisory draft and fix were shared with %s before publication; read them on your portal. "
		 "Confidential until publication.",
		 name);
	if ((rc = case_mail_org_users(db, org_id, &c, subject, body, d)) < 0 || (rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.infra_share", c.ref, NULL, "shared draft and fix with %s (%s), share %lld", name,
			  sector, (long long)id);
}

int kk_infra_shares(struct kk_db *db, const struct kk_actor *a, const char *case_ref,
		    int (*fn)(void *arg, const struct kk_infra_share *s), void *arg)
{
	int rc;
	int64_t org = 0;
	if (case_ref && *case_ref) {
		/* coordinators reviewing what a case shared */
		if ((rc = case_gate(a, KK_ACT_CASE_COORDINATE, 0, NULL)))
			return rc;
	} else {
		if ((rc = case_gate(a, KK_ACT_INFRA_PORTAL, a ? a->org_id : 0, NULL)))
			return rc;
		if (!a->org_id)
			return 0; /* an admin without an organization has no portal */
		if (!kk_db_in_tx(db))
			return KK_EINVAL; /* the read is audited: run it inside kk_db_tx */
		org = a->org_id;
	}
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT s.id, s.org_id, s.shared_at, c.publish_at, c.ref, c.title, o.name, i.sector, s.draft, "
				"s.fix FROM infra_share s JOIN coord_case c ON c.id = s.case_id JOIN organizations o ON "
				"o.id = s.org_id JOIN infra_org i ON i.org_id = s.org_id WHERE (?1 = 0 OR s.org_id = ?1) AND "
				"(?2 IS NULL OR c.ref = ?2) AND (?1 <> 0 OR ?2 IS NOT NULL) ORDER BY s.id DESC LIMIT 500",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, org);
	kk_stmt_bind_text(st, 2, org ? NULL : case_ref, -1);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_infra_share s = {kk_stmt_int64(st, 0), kk_stmt_int64(st, 1), kk_stmt_int64(st, 2),
					   kk_stmt_int64(st, 3), kk_stmt_text(st, 4),  kk_stmt_text(st, 5),
					   kk_stmt_text(st, 6),	 kk_stmt_text(st, 7),  kk_stmt_text(st, 8),
					   kk_stmt_text(st, 9)};
		n++;
		if ((rc = fn(arg, &s)) != 0)
			break;
	}
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	if (org && n) {
		/* each read of the portal is audited */
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)org);
		if ((rc = kk_audit(db, a, "infra.portal_read", "org", id, "read pre-notifications", NULL, NULL)))
			return rc;
	}
	return n;
}
