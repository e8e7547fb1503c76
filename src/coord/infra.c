/*
 * infra.c — critical-infrastructure pre-notification (003 5.1.5, appendix
 * B V.2 (6)): registered infrastructure organizations with their sector,
 * the preconditions (a fix or workaround exists, the vendor consulted, the
 * finder told through the sealed thread), each sharing audited and readable
 * only through the organization's own portal. Receivers and coordinators
 * may do it (CASE_PRENOTIFY); nothing of it once the case is published.
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
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_PRENOTIFY, 0, d)))
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

/*
 * 1 when a vendor of the case reported a fix or workaround (report_fix) or
 * stated a vulnerability fixed; 0 when none did; < 0 on error.
 */
static int fix_exists(struct kk_db *db, int64_t case_id)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT EXISTS (SELECT 1 FROM coord_participant WHERE case_id = ?1 AND fix_reported_at IS NOT "
			       "NULL) OR EXISTS (SELECT 1 FROM coord_statement s JOIN coord_participant p ON p.id = "
			       "s.participant_id WHERE p.case_id = ?1 AND s.status = 'fixed')",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, case_id);
	rc = kk_stmt_step(st) == KK_ROW ? (int)kk_stmt_int64(st, 0) : KK_EDB;
	kk_stmt_done(st);
	return rc;
}

/* The case of a pre-notification step: CASE_PRENOTIFY, still before publication, and (need_fix) a fix exists. */
static int prenotify_case(struct kk_db *db, const struct kk_actor *a, const char *ref, bool need_fix,
			  struct case_core *c, struct kk_diag *d)
{
	int rc;
	if ((rc = case_need_tx(db, d)) || (rc = case_gate(a, KK_ACT_CASE_PRENOTIFY, 0, d)) ||
	    (rc = case_load(db, ref, c, d)))
		return rc;
	if (strcmp(c->state, "open") && strcmp(c->state, "ready"))
		return kk_diag_set(d, KK_ECONFLICT, "state",
				   "case %s is %s: pre-notification is only for a case before its publication", c->ref,
				   c->state);
	if (!need_fix)
		return 0;
	if ((rc = fix_exists(db, c->id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot read the case's fixes: %s", kk_db_errmsg(db));
	if (!rc)
		return kk_diag_set(d, KK_ECONFLICT, "fix",
				   "case %s: no vendor has reported a fix or workaround yet (a fix reported, or a "
				   "statement 'fixed'); pre-notification needs one (V.2 (6))",
				   c->ref);
	return 0;
}

int kk_case_record_consultation(struct kk_db *db, const struct kk_actor *a, const char *ref, const char *note,
				struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = prenotify_case(db, a, ref, false, &c, d)) ||
	    (rc = case_text(note, KK_CASE_REASON_MAX, true, "note", d)))
		return rc;
	if ((rc = kk_db_exec(db, "UPDATE coord_case SET vendor_consulted_at = ?, vendor_consult_note = ? WHERE id = ?",
			     "isi", kk_clock_now(), note, c.id)) < 0)
		return kk_diag_set(d, rc, "case", "cannot record it: %s", kk_db_errmsg(db));
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.infra.consulted", c.ref, NULL, "vendor consulted on pre-notification: %s", note);
}

int kk_case_record_finder_told(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *ref,
			       const char *note, const char *message, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if ((rc = prenotify_case(db, a, ref, true, &c, d)) ||
	    (rc = case_text(note, KK_CASE_REASON_MAX, true, "note", d)) ||
	    (rc = case_text(message, KK_CASE_REASON_MAX, false, "message", d)))
		return rc;
	char when[40];
	kk_time_jst(c.publish_at, when, sizeof(when));
	/* a real message through intake's sealed relay, on each finder's status page and in their mail */
	struct case_finder f[KK_CASE_FINDERS_MAX];
	int nf = case_finders(db, c.id, NULL, f);
	if (nf < 0)
		return nf;
	for (int i = 0; i < nf && !rc; i++) {
		struct kk_buf text = KK_BUF_INIT(2 * KK_CASE_REASON_MAX + 2048);
		for (int pass = 0; pass < 2; pass++) {
			if (pass)
				kk_buf_puts(&text, "\n\n");
			if ((pass == 0) == f[i].ja)
				kk_buf_printf(&text,
					      "調整機関からのお知らせ (案件 %s): 届出 %s の脆弱性について、公表 (%s) "
					      "の前に、公表予定の内容と対策情報を重要インフラ事業者等に秘密として事前提供します "
					      "(脆弱性関連情報取扱基準 V.2 (6))。",
					      c.ref, f[i].tracking, when);
			else
				kk_buf_printf(&text,
					      "From the coordinator (case %s): before publication (%s), the draft advisory "
					      "and the fix for the vulnerability you reported in %s will be shared in "
					      "confidence with critical-infrastructure operators (V.2 (6) of the handling "
					      "standard).",
					      c.ref, when, f[i].tracking);
		}
		if (message && *message)
			kk_buf_printf(&text, "\n\n%s", message);
		if (!(rc = kk_buf_error(&text)))
			rc = case_finder_relay(db, a, key, &c, &f[i], text.ptr, text.ptr, NULL, d);
		kk_buf_release(&text);
	}
	if (rc)
		return rc;
	if ((rc = kk_db_exec(db, "UPDATE coord_case SET finder_told_at = ? WHERE id = ?", "ii", kk_clock_now(), c.id)) <
	    0)
		return kk_diag_set(d, rc, "case", "cannot record it: %s", kk_db_errmsg(db));
	if ((rc = case_touch(db, c.id)))
		return rc;
	return case_audit(db, a, "case.infra.finder_told", c.ref, NULL,
			  "the finder%s of %d report%s told of pre-notification: %s", nf == 1 ? "" : "s", nf,
			  nf == 1 ? "" : "s", note);
}

int kk_infra_share(struct kk_db *db, const struct kk_actor *a, const char *ref, int64_t org_id, const char *draft,
		   const char *fix, int64_t *share_id, struct kk_diag *d)
{
	int rc;
	struct case_core c;
	if (share_id)
		*share_id = 0;
	if ((rc = prenotify_case(db, a, ref, true, &c, d)) ||
	    (rc = case_text(draft, KK_CASE_TEXT_MAX, true, "draft", d)) ||
	    (rc = case_text(fix, KK_CASE_TEXT_MAX, true, "fix", d)))
		return rc;
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
				   "case %s: record the consultation with the vendor about pre-notification first", c.ref);
	if (!told)
		return kk_diag_set(d, KK_ECONFLICT, "finder_told",
				   "case %s: tell the finder of the pre-notification first (a message through the "
				   "report's sealed thread)",
				   c.ref);
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
		return kk_diag_set(d, KK_ENOTFOUND, "vendor_id",
				   "organization %lld is not a registered infrastructure organization (register its sector "
				   "first)",
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
		if ((rc = case_gate(a, KK_ACT_CASE_PRENOTIFY, 0, NULL)))
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
