/*
 * page_website_act.c — one website-case action from the API or a page,
 * checked and run in one transaction (page_website.h).
 */
#include "auth/keyfile.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"
#include "store/db.h"
#include "web/page_report.h"
#include "web/page_website.h"
#include "web/web.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct run {
	struct kk_wact *w;
	struct kk_website_who who;
	const struct kk_actor *actor;
	const unsigned char *key;
	const char *addrs[10];
	size_t naddr;
	int64_t org_id, at;
	enum kk_website_check check;
	enum kk_website_outcome outcome;
};

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static int staff_tx(struct kk_db *db, struct run *x)
{
	struct kk_wact *w = x->w;
	const char *a = w->action;
	if (is(a, "notify"))
		return kk_website_notify(db, x->actor, x->key, w->handling, x->addrs, x->naddr, w->new_token, &w->d);
	if (is(a, "details"))
		return kk_website_set_details(db, x->actor, w->handling, w->flaw, w->risk, w->reproduce, w->description,
					      &w->d);
	if (is(a, "org"))
		return kk_website_set_org(db, x->actor, w->handling, x->org_id, &w->d);
	if (is(a, "close"))
		return kk_website_close(db, x->actor, x->key, w->handling, x->outcome, w->text, &w->d);
	return 1; /* not a staff-only action */
}

static int both_tx(struct kk_db *db, struct run *x)
{
	struct kk_wact *w = x->w;
	const char *a = w->action;
	const char *h = w->handling;
	if (is(a, "contact"))
		return kk_website_give_contact(db, &x->who, x->key, h, w->email, w->name, w->new_token, &w->d);
	if (is(a, "protect"))
		return kk_website_choose(db, &x->who, x->key, h, w->portal ? NULL : w->pgp_key, &w->d);
	if (is(a, "ack"))
		return kk_website_ack(db, &x->who, h, &w->d);
	if (is(a, "note"))
		return kk_website_note(db, &x->who, h, w->text, &w->d);
	if (is(a, "check"))
		return kk_website_check(db, &x->who, h, x->check, !w->undo, &w->d);
	if (is(a, "estimate"))
		return kk_website_estimate(db, &x->who, h, x->at, w->text, &w->d);
	if (is(a, "complete"))
		return kk_website_complete(db, &x->who, x->key, h, w->text, &w->d);
	if (w->side == KK_WSIDE_PORTAL && is(a, "direct_agree"))
		return kk_website_direct_agree_operator(db, &x->who, h, &w->d);
	if (w->side == KK_WSIDE_PORTAL && is(a, "direct"))
		return kk_website_direct_from_operator(db, &x->who, x->key, h, w->text, &w->d);
	return kk_diag_set(&w->d, KK_EINVAL, "action", "unknown action '%.40s'", a);
}

static int finder_tx(struct kk_db *db, struct run *x)
{
	struct kk_wact *w = x->w;
	if (is(w->action, "confirm"))
		return kk_website_finder_confirm(db, w->tracking, w->token, w->text, &w->d);
	if (is(w->action, "direct_agree"))
		return kk_website_direct_agree_finder(db, w->tracking, w->token, &w->d);
	if (is(w->action, "direct"))
		return kk_website_direct_from_finder(db, x->key, w->tracking, w->token, w->text, &w->d);
	return kk_diag_set(&w->d, KK_EINVAL, "action", "the action is confirm, direct_agree or direct");
}

static int tx(struct kk_db *db, void *arg)
{
	struct run *x = arg;
	struct kk_wact *w = x->w;
	kk_diag_clear(&w->d);
	if (w->side == KK_WSIDE_FINDER)
		return finder_tx(db, x);
	if (w->side == KK_WSIDE_STAFF) {
		int rc = staff_tx(db, x);
		if (rc <= 0)
			return rc;
	}
	int rc = both_tx(db, x);
	for (int i = 0; !rc && i < w->nfiles; i++)
		rc = kk_website_attach(db, &x->who, w->handling, &w->files[i], &w->stored[i], &w->d);
	return rc;
}

/* The files of a note or completion report: checked, then written by content hash (before the transaction). */
static int take_files(struct kk_req *r, struct kk_wact *w)
{
	w->nfiles = 0;
	struct kk_intake_limits l;
	struct kk_diag *d = &w->d;
	if (kk_report_limits(r, &l) < 0)
		return kk_diag_set(d, KK_EINTERNAL, NULL, "the server's file limits are misconfigured; see its log");
	struct kk_upload *u;
	int n = kk_report_uploads(r, &l, &u, d);
	if (n <= 0)
		return n;
	if (!is(w->action, "note") && !is(w->action, "complete"))
		return kk_diag_set(d, KK_EINVAL, "files", "files go with a progress note or the completion report");
	struct kk_stored_file *s;
	int rc = kk_report_store(r, u, n, l.file_max, &s, d);
	if (rc < 0) {
		kk_log(KK_LOG_ERROR, "website: storing a file: %s", d->msg);
		return kk_diag_set(d, KK_EINTERNAL, NULL, "the server cannot store files now; try again later");
	}
	if (is(w->action, "note") && !w->text) { /* files alone: the note says which */
		const char *names = "";
		for (int i = 0; i < n; i++)
			names = kk_arena_printf(&r->arena, "%s%s%s", names, i ? ", " : "", u[i].filename);
		w->text = kk_arena_printf(&r->arena, "Files: %s", names);
	}
	w->files = u;
	w->stored = s;
	w->nfiles = n;
	return 0;
}

/* Parses the addresses into x->addrs (copies in the request arena). */
static int split_addresses(struct kk_req *r, struct run *x)
{
	char(*a)[KK_EMAIL_MAX + 1] = kk_arena_alloc(&r->arena, 10 * sizeof(*a));
	if (!a)
		return KK_ENOMEM;
	int rc = kk_website_addresses(x->w->addresses, a, 10, &x->naddr, &x->w->d);
	for (size_t i = 0; !rc && i < x->naddr; i++)
		x->addrs[i] = a[i];
	return rc;
}

/* Turns the textual inputs into values; the domain checks the rest. */
static int prepare(struct kk_req *r, struct run *x)
{
	struct kk_wact *w = x->w;
	const char *a = w->action ? w->action : "";
	struct kk_diag *d = &w->d;
	if (is(a, "notify") && w->side == KK_WSIDE_STAFF)
		return split_addresses(r, x);
	if (is(a, "org") && w->side == KK_WSIDE_STAFF && w->org && *w->org) {
		struct kk_org o;
		if (kk_org_find(r->db, w->org, &o))
			return kk_diag_set(d, KK_EINVAL, "org", "no organization named '%.200s'", w->org);
		x->org_id = o.id;
	}
	if (is(a, "close")) {
		if (!w->outcome || kk_website_outcome_parse(w->outcome, &x->outcome))
			return kk_diag_set(d, KK_EINVAL, "outcome",
					   "outcome is fixed, not_reproducible, site_closed or operator_unreachable");
	}
	if (is(a, "check")) {
		if (!w->item || kk_website_check_parse(w->item, &x->check))
			return kk_diag_set(d, KK_EINVAL, "item", "item is receipt, investigation, impact_plan or execution");
	}
	if (is(a, "estimate")) {
		if (!w->date || kk_time_parse(w->date, &x->at))
			return kk_diag_set(d, KK_EINVAL, "date", "give the estimated fix date as YYYY-MM-DD");
	}
	if (is(a, "protect") && !w->portal) {
		if (!w->pgp_key || !*w->pgp_key)
			return kk_diag_set(d, KK_EINVAL, "pgp_key", "upload a PGP public key, or choose to read the details "
								   "on the portal only");
		int rc = kk_website_check_pgp_key(w->pgp_key, d); /* slow: before the transaction */
		if (rc)
			return rc;
	}
	return 0;
}

int kk_web_website_act(struct kk_req *r, struct kk_wact *w)
{
	kk_diag_clear(&w->d);
	w->new_token[0] = 0;
	if (!w->action || !*w->action)
		return kk_diag_set(&w->d, KK_EINVAL, "action", "no action given");
	struct kk_db *db = r->db;
	if (!db)
		return kk_diag_set(&w->d, KK_EBUSY, NULL, "the database is not reachable; try again");
	struct run x = {.w = w, .actor = &r->actor};
	if (w->side == KK_WSIDE_PORTAL && w->token && *w->token) {
		x.who.actor = &kk_actor_public;
		x.who.token = w->token;
	} else {
		x.who.actor = &r->actor;
	}
	int rc = prepare(r, &x);
	if (rc || (w->side != KK_WSIDE_FINDER && (rc = take_files(r, w))))
		return rc;
	unsigned char key[KK_KEY_BYTES];
	if (kk_page_report_key(r, key) < 0)
		return KK_EINTERNAL;
	x.key = key;
	rc = kk_db_tx(db, tx, &x);
	sodium_memzero(key, sizeof(key));
	return rc;
}

const char *kk_web_website_norm(struct kk_req *r, const char *s)
{
	if (!s || !*s)
		return NULL;
	if (strlen(s) == 8 && strspn(s, "0123456789") == 8)
		return kk_arena_printf(&r->arena, "%s%s", kk_website_config()->prefix, s);
	return s;
}

const char *kk_web_website_handling(struct kk_req *r, const char *param)
{
	return kk_web_website_norm(r, kk_req_param(r, param));
}
