/*
 * view.c — reading website cases: lists, one case as staff or operator see
 * it, the finder's view, the receivers' board and the figures for #8.
 */
#include "auth/policy.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "intake/intake.h"
#include "store/db.h"
#include "website/internal.h"
#include "website/website.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

#define CASE_COLS                                                                                            \
	"c.id, c.report_id, coalesce(c.org_id, 0), c.handling, c.tracking, c.url, c.host, c.stage, "         \
	"(CASE WHEN c.stopped_at IS NOT NULL THEN 'stopped' ELSE coalesce(c.outcome, '') END), "               \
	"coalesce(o.name, ''), coalesce(c.contact_email, ''), "                                                \
	"coalesce(c.contact_name, ''), c.flaw_type, c.risk, c.reproduce, c.description, "                    \
	"coalesce(c.completion, ''), c.pgp_key IS NOT NULL, c.portal_only, c.finder_direct, "                \
	"c.operator_direct, c.attempts, c.reported_at, c.opened_at, coalesce(c.stage1_at, 0), "              \
	"coalesce(c.stage2_at, 0), coalesce(c.stage3_at, 0), coalesce(c.ack_at, 0), "                       \
	"coalesce(c.completed_at, 0), coalesce(c.finder_confirmed_at, 0), coalesce(c.closed_at, 0), "        \
	"coalesce(c.target_at, 0), coalesce(c.estimate_at, 0), coalesce(c.overdue_at, 0), "                  \
	"coalesce(c.unreachable_at, 0), c.updated_at, coalesce(c.chk_receipt_at, 0), "                       \
	"coalesce(c.chk_investigation_at, 0), coalesce(c.chk_plan_at, 0), coalesce(c.chk_execution_at, 0), " \
	"coalesce(c.chk_completion_at, 0) "                                                                  \
	"FROM website_case c LEFT JOIN organizations o ON o.id = c.org_id "

static void case_fill(struct kk_stmt *st, struct kk_website_case *c, int64_t now)
{
	memset(c, 0, sizeof(*c));
	int i = 0;
	c->id = kk_stmt_int64(st, i++);
	c->report_id = kk_stmt_int64(st, i++);
	c->org_id = kk_stmt_int64(st, i++);
	c->handling = kk_stmt_text(st, i++);
	c->tracking = kk_stmt_text(st, i++);
	c->url = kk_stmt_text(st, i++);
	c->host = kk_stmt_text(st, i++);
	c->stage = kk_stmt_text(st, i++);
	c->outcome = kk_stmt_text(st, i++);
	c->org_name = kk_stmt_text(st, i++);
	c->contact_email = kk_stmt_text(st, i++);
	c->contact_name = kk_stmt_text(st, i++);
	c->flaw_type = kk_stmt_text(st, i++);
	c->risk = kk_stmt_text(st, i++);
	c->reproduce = kk_stmt_text(st, i++);
	c->description = kk_stmt_text(st, i++);
	c->completion = kk_stmt_text(st, i++);
	c->has_pgp_key = kk_stmt_int64(st, i++) != 0;
	c->portal_only = kk_stmt_int64(st, i++) != 0;
	c->finder_direct = kk_stmt_int64(st, i++) != 0;
	c->operator_direct = kk_stmt_int64(st, i++) != 0;
	c->attempts = (int)kk_stmt_int64(st, i++);
	int64_t *t[] = {&c->reported_at, &c->opened_at,	   &c->stage1_at,	      &c->stage2_at,
			&c->stage3_at,	 &c->ack_at,		   &c->completed_at,	      &c->finder_confirmed_at,
			&c->closed_at,	 &c->target_at,		   &c->estimate_at,	      &c->overdue_at,
			&c->unreachable_at, &c->updated_at};
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		*t[k] = kk_stmt_int64(st, i++);
	for (int k = 0; k < KK_WCHK__COUNT; k++)
		c->check_at[k] = kk_stmt_int64(st, i++);
	int64_t due = c->estimate_at > c->target_at ? c->estimate_at : c->target_at;
	/* overdue: the scheduler marked it (overdue_at), or its date has passed */
	c->overdue = !strcmp(c->stage, "stage3") && ((due && now >= due) || c->overdue_at);
}

static int stage_rank(const char *s)
{
	enum kk_website_stage v = KK_WEBSITE_OPENED;
	kk_website_stage_parse(s, &v);
	return (int)v;
}

struct collected {
	struct kk_website_case *v;
	size_t n;
};

int kk_website_list(struct kk_db *db, const struct kk_actor *a, const struct kk_website_filter *f,
		    int (*fn)(void *arg, const struct kk_website_case *c), void *arg)
{
	bool staff = kk_policy_allow(a, KK_ACT_WEBSITE_HANDLE, NULL);
	if (!staff) {
		int rc = kk_policy_check(a, KK_ACT_WEBSITE_OPERATE, NULL);
		if (rc)
			return rc;
	}
	const char *stage = f ? f->stage : NULL;
	int64_t org = f ? f->org_id : 0;
	if (!staff)
		org = a->org_id; /* an operator sees only its own organization's cases */
	if (!staff && !org)
		return 0;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT " CASE_COLS "WHERE (?1 IS NULL OR c.stage = ?1 OR (?1 = 'open' AND c.stage <> 'closed')) "
			       "AND (?2 = 0 OR c.org_id = ?2) "
			       "ORDER BY CASE c.stage WHEN 'opened' THEN 0 WHEN 'stage1' THEN 1 WHEN 'stage2' THEN 2 "
			       "WHEN 'stage3' THEN 3 WHEN 'completed' THEN 4 ELSE 5 END, c.opened_at, c.id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, stage, -1);
	kk_stmt_bind_int64(st, 2, org);
	int n = 0;
	int64_t now = kk_clock_now();
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_website_case c;
		case_fill(st, &c, now);
		if (!staff) {
			struct kk_policy_obj obj = {.org_id = c.org_id};
			if (!kk_policy_allow(a, KK_ACT_WEBSITE_OPERATE, &obj))
				continue;
		}
		n++;
		if (fn && (rc = fn(arg, &c)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

static int get_by_id(struct kk_db *db, int64_t id, int (*fn)(void *arg, const struct kk_website_case *c), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT " CASE_COLS "WHERE c.id = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		struct kk_website_case c;
		case_fill(st, &c, kk_clock_now());
		rc = fn(arg, &c);
	} else if (rc == KK_DONE) {
		rc = KK_ENOTFOUND;
	}
	kk_stmt_done(st);
	return rc;
}

int kk_website_get(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		   int (*fn)(void *arg, const struct kk_website_case *c), void *arg)
{
	struct wcore c;
	enum wrole role;
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = waccess(db, w, handling, &c, &role, &d);
	return rc ? rc : get_by_id(db, c.id, fn, arg);
}

int kk_website_events(struct kk_db *db, int64_t case_id, bool operator,
		      int (*fn)(void *arg, const struct kk_website_event *e), void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT at, side, kind, body FROM website_event WHERE case_id = ? "
			       "AND (? = 0 OR operator_visible = 1) ORDER BY at, id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, case_id);
	kk_stmt_bind_int64(st, 2, operator);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_website_event e = {kk_stmt_int64(st, 0), kk_stmt_text(st, 1), kk_stmt_text(st, 2),
					     kk_stmt_text(st, 3)};
		n++;
		if ((rc = fn(arg, &e)) != 0)
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

/* ---- JSON ----------------------------------------------------------- */

static void kv_time(struct kk_json *j, const char *k, int64_t t)
{
	if (!t) {
		kk_json_kv_null(j, k);
		return;
	}
	char iso[32];
	kk_time_iso(t, iso, sizeof(iso));
	kk_json_kv_str(j, k, iso);
}

static int event_json(void *arg, const struct kk_website_event *e)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kv_time(j, "at", e->at);
	kk_json_kv_str(j, "side", e->side);
	kk_json_kv_str(j, "kind", e->kind);
	kk_json_kv_str(j, "body", e->body);
	kk_json_obj_close(j);
	return 0;
}

/* The name the operator sees: never the finder's own file name (it may name them). */
static void neutral_name(const struct kk_attachment *x, char *out, size_t n)
{
	const char *dot = strrchr(x->filename, '.');
	char ext[12] = "";
	if (dot && strlen(dot) < sizeof(ext)) {
		bool ok = true;
		for (const char *q = dot + 1; *q; q++)
			ok = ok && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'));
		if (ok)
			snprintf(ext, sizeof(ext), "%s", dot);
	}
	snprintf(out, n, "attachment-%.12s%s", x->sha256, ext);
}

static int attachment_json(void *arg, const struct kk_attachment *x)
{
	struct kk_json *j = arg;
	char name[64];
	neutral_name(x, name, sizeof(name));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "sha256", x->sha256);
	kk_json_kv_str(j, "filename", name);
	kk_json_kv_int(j, "size", x->size);
	kk_json_kv_str(j, "mime", x->mime);
	kk_json_obj_close(j);
	return 0;
}

static int file_json(void *arg, const struct kk_website_file *x)
{
	struct kk_json *j = arg;
	char at[32];
	kk_time_iso(x->file.added_at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "sha256", x->file.sha256);
	kk_json_kv_str(j, "filename", x->file.filename);
	kk_json_kv_int(j, "size", x->file.size);
	kk_json_kv_str(j, "mime", x->file.mime);
	kk_json_kv_str(j, "from", x->side);
	kk_json_kv_str(j, "added_at", at);
	kk_json_obj_close(j);
	return 0;
}

struct find_att {
	const char *sha;
	struct kk_attachment *out;
	bool found;
};

static int find_att(void *arg, const struct kk_attachment *x)
{
	struct find_att *f = arg;
	if (strcmp(x->sha256, f->sha))
		return 0;
	*f->out = *x;
	neutral_name(x, f->out->filename, sizeof(f->out->filename));
	f->found = true;
	return 1;
}

struct neutral_ctx {
	int (*fn)(void *arg, const struct kk_attachment *x);
	void *arg;
};

static int neutral_row(void *arg, const struct kk_attachment *x)
{
	struct neutral_ctx *n = arg;
	struct kk_attachment y = *x;
	neutral_name(x, y.filename, sizeof(y.filename));
	return n->fn(n->arg, &y);
}

int kk_website_attachment_list(struct kk_db *db, int64_t case_id, int (*fn)(void *arg, const struct kk_attachment *x),
			       void *arg)
{
	struct wcore c;
	int rc = wcore_load(db, NULL, case_id, &c);
	if (rc)
		return rc;
	struct neutral_ctx n = {fn, arg};
	return kk_intake_attachments(db, c.report_id, false, neutral_row, &n);
}

int kk_website_files(struct kk_db *db, int64_t case_id, int (*fn)(void *arg, const struct kk_website_file *x),
		     void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT f.sha256, f.filename, a.mime, a.size, f.added_at, f.side FROM website_file f "
			       "JOIN attachment a ON a.sha256 = f.sha256 WHERE f.case_id = ? ORDER BY f.added_at, f.rowid",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, case_id);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_website_file x = {.side = kk_stmt_text(st, 5)};
		snprintf(x.file.sha256, sizeof(x.file.sha256), "%s", kk_stmt_text(st, 0));
		snprintf(x.file.filename, sizeof(x.file.filename), "%s", kk_stmt_text(st, 1));
		snprintf(x.file.mime, sizeof(x.file.mime), "%s", kk_stmt_text(st, 2));
		x.file.size = kk_stmt_int64(st, 3);
		x.file.added_at = kk_stmt_int64(st, 4);
		n++;
		if ((rc = fn(arg, &x)))
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : n;
}

struct find_file {
	const char *sha;
	struct kk_attachment *out;
	bool found;
};

static int find_file(void *arg, const struct kk_website_file *x)
{
	struct find_file *f = arg;
	if (strcmp(x->file.sha256, f->sha))
		return 0;
	*f->out = x->file;
	f->found = true;
	return 1;
}

int kk_website_attachment(struct kk_db *db, const struct kk_website_who *w, const char *handling, const char *sha256,
			  struct kk_attachment *out, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = waccess(db, w, handling, &c, &role, d);
	if (rc)
		return rc;
	/* the files added to the case by its operator or the receivers, under their own names */
	struct find_file ff = {sha256 ? sha256 : "", out, false};
	if ((rc = kk_website_files(db, c.id, find_file, &ff)) < 0)
		return kk_diag_set(d, rc, NULL, "cannot read the case's files");
	if (ff.found)
		return 0;
	/* the report's attachments, from stage 3 for the operator, under neutral names */
	struct find_att f = {sha256 ? sha256 : "", out, false};
	if (c.stage < KK_WEBSITE_STAGE3 && role == W_OPERATOR)
		return kk_diag_set(d, KK_ENOTFOUND, "file", "no such file on this case");
	rc = kk_intake_attachments(db, c.report_id, false, find_att, &f);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "cannot read the attachments");
	return f.found ? 0 : kk_diag_set(d, KK_ENOTFOUND, "file", "no such file on this case");
}

struct json_ctx {
	struct kk_db *db;
	struct kk_json *j;
	bool operator;
};

/* Writes the case object; operator = the operator's view (see website.h). */
static int case_json(void *arg, const struct kk_website_case *c)
{
	struct json_ctx *x = arg;
	struct kk_json *j = x->j;
	int rank = stage_rank(c->stage);
	bool details = !x->operator || rank >= KK_WEBSITE_STAGE3;
	kk_json_obj_open(j);
	if (details)
		kk_json_kv_str(j, "handling", c->handling);
	else
		kk_json_kv_null(j, "handling");
	if (!x->operator) {
		kk_json_kv_str(j, "tracking", c->tracking);
		kk_json_kv_int(j, "attempts", c->attempts);
		kv_time(j, "unreachable_at", c->unreachable_at);
		kv_time(j, "reported_at", c->reported_at);
	}
	kk_json_kv_str(j, "url", c->url);
	kk_json_kv_str(j, "host", c->host);
	kk_json_kv_str(j, "stage", c->stage);
	if (c->outcome[0])
		kk_json_kv_str(j, "outcome", c->outcome);
	else
		kk_json_kv_null(j, "outcome");
	kk_json_kv_str(j, "organization", c->org_name);
	kk_json_kv_str(j, "contact_email", c->contact_email);
	kk_json_kv_str(j, "contact_name", c->contact_name);
	kk_json_kv_str(j, "protection", c->has_pgp_key ? "pgp" : c->portal_only ? "portal" : "");
	if (details) {
		kk_json_key(j, "details");
		kk_json_obj_open(j);
		kk_json_kv_str(j, "flaw_type", c->flaw_type);
		kk_json_kv_str(j, "description", c->description);
		kk_json_kv_str(j, "risk", c->risk);
		kk_json_kv_str(j, "reproduce", c->reproduce);
		kk_json_obj_close(j);
	}
	kv_time(j, "opened_at", c->opened_at);
	kv_time(j, "stage1_at", c->stage1_at);
	kv_time(j, "stage2_at", c->stage2_at);
	kv_time(j, "stage3_at", c->stage3_at);
	kv_time(j, "ack_at", c->ack_at);
	kv_time(j, "target_at", c->target_at);
	kv_time(j, "estimate_at", c->estimate_at);
	kk_json_kv_bool(j, "overdue", c->overdue);
	kv_time(j, "completed_at", c->completed_at);
	kk_json_kv_str(j, "completion", c->completion);
	kv_time(j, "finder_confirmed_at", c->finder_confirmed_at);
	kv_time(j, "closed_at", c->closed_at);
	kk_json_key(j, "checklist");
	kk_json_arr_open(j);
	for (int k = 0; k < KK_WCHK__COUNT; k++) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "item", kk_website_check_name((enum kk_website_check)k));
		kk_json_kv_bool(j, "done", c->check_at[k] != 0);
		kv_time(j, "at", c->check_at[k]);
		kk_json_obj_close(j);
	}
	kk_json_arr_close(j);
	kk_json_key(j, "direct");
	kk_json_obj_open(j);
	kk_json_kv_bool(j, "finder", c->finder_direct);
	kk_json_kv_bool(j, "operator", c->operator_direct);
	kk_json_obj_close(j);
	kk_json_key(j, "events");
	kk_json_arr_open(j);
	int rc = kk_website_events(x->db, c->id, x->operator, event_json, j);
	kk_json_arr_close(j);
	if (rc >= 0 && details) {
		kk_json_key(j, "attachments");
		kk_json_arr_open(j);
		rc = kk_intake_attachments(x->db, c->report_id, false, attachment_json, j);
		kk_json_arr_close(j);
	}
	if (rc >= 0) {
		kk_json_key(j, "files");
		kk_json_arr_open(j);
		rc = kk_website_files(x->db, c->id, file_json, j);
		kk_json_arr_close(j);
	}
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

int kk_website_json(struct kk_db *db, const struct kk_website_who *w, const char *handling, bool operator,
		    struct kk_json *j, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = waccess(db, w, handling, &c, &role, d);
	if (rc)
		return rc;
	struct json_ctx x = {db, j, operator || role == W_OPERATOR};
	return get_by_id(db, c.id, case_json, &x);
}

/* ---- the finder's view ------------------------------------------------ */

struct finder_ctx {
	struct kk_json *j;
};

static int direct_json(void *arg, const struct kk_website_event *e)
{
	if (strcmp(e->kind, "direct"))
		return 0;
	return event_json(arg, e);
}

static int finder_case_json(void *arg, const struct kk_website_case *c)
{
	struct json_ctx *x = arg;
	struct kk_json *j = x->j;
	bool told = stage_rank(c->stage) >= KK_WEBSITE_STAGE3;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "handling", c->handling);
	kk_json_kv_str(j, "url", c->url);
	/* the finder learns how far it went, not whom the receivers talked to */
	kk_json_kv_str(j, "stage", c->stage);
	kk_json_kv_bool(j, "operator_told", told);
	if (c->outcome[0])
		kk_json_kv_str(j, "outcome", c->outcome);
	else
		kk_json_kv_null(j, "outcome");
	kv_time(j, "completed_at", c->completed_at);
	kk_json_kv_str(j, "completion", c->completion);
	kv_time(j, "finder_confirmed_at", c->finder_confirmed_at);
	kk_json_key(j, "direct");
	kk_json_obj_open(j);
	kk_json_kv_bool(j, "finder", c->finder_direct);
	kk_json_kv_bool(j, "operator", c->operator_direct);
	kk_json_obj_close(j);
	kk_json_key(j, "messages");
	kk_json_arr_open(j);
	int rc = kk_website_events(x->db, c->id, true, direct_json, j);
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

int kk_website_finder_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j,
			   struct kk_diag *d)
{
	int rc = kk_policy_check(&kk_actor_public, KK_ACT_WEBSITE_LINK, NULL);
	if (rc)
		return rc;
	if (!tracking || !token || kk_intake_link_check(db, tracking, token, d))
		return kk_diag_set(d, KK_ENOTFOUND, "key", "this tracking number and key do not open a website case");
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT id FROM website_case WHERE tracking = ?", &st)))
		return rc;
	kk_stmt_bind_text(st, 1, tracking, -1);
	int64_t id = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	if (!id)
		return kk_diag_set(d, KK_ENOTFOUND, "key", "this tracking number and key do not open a website case");
	struct json_ctx x = {db, j, true};
	return get_by_id(db, id, finder_case_json, &x);
}

/* ---- the board -------------------------------------------------------- */

struct board {
	struct kk_json *j;
	int64_t now;
	int counts[6];
};

static int board_row(void *arg, const struct kk_website_case *c)
{
	struct board *b = arg;
	b->counts[stage_rank(c->stage)]++;
	if (!strcmp(c->stage, "closed"))
		return 0;
	struct kk_json *j = b->j;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "handling", c->handling);
	kk_json_kv_str(j, "url", c->url);
	kk_json_kv_str(j, "stage", c->stage);
	kk_json_kv_int(j, "age_days", (b->now - c->opened_at) / DAY);
	kv_time(j, "target_at", c->estimate_at > c->target_at ? c->estimate_at : c->target_at);
	kk_json_kv_bool(j, "acknowledged", c->ack_at != 0);
	kk_json_kv_bool(j, "overdue", c->overdue);
	kk_json_kv_bool(j, "unreachable", c->unreachable_at != 0);
	kk_json_kv_int(j, "attempts", c->attempts);
	kk_json_obj_close(j);
	return 0;
}

int kk_website_board_json(struct kk_db *db, const struct kk_actor *a, int64_t now, struct kk_json *j)
{
	int rc = kk_policy_check(a, KK_ACT_WEBSITE_HANDLE, NULL);
	if (rc)
		return rc;
	struct board b = {.j = j, .now = now};
	kk_json_obj_open(j);
	kk_json_key(j, "cases");
	kk_json_arr_open(j);
	rc = kk_website_list(db, a, NULL, board_row, &b);
	kk_json_arr_close(j);
	kk_json_key(j, "stages");
	kk_json_obj_open(j);
	for (int s = 0; s < 6; s++)
		kk_json_kv_int(j, kk_website_stage_name((enum kk_website_stage)s), b.counts[s]);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : 0;
}

/* ---- figures ---------------------------------------------------------- */

static int days(int64_t from, int64_t to)
{
	return to ? (int)((to - from) / DAY) : -1;
}

struct fig_ctx {
	int64_t from, to;
	int (*fn)(void *arg, const struct kk_website_figure *f);
	void *arg;
	int n;
};

static int fig_row(void *arg, const struct kk_website_case *c)
{
	struct fig_ctx *x = arg;
	if ((x->from && c->reported_at < x->from) || (x->to && c->reported_at >= x->to))
		return 0;
	bool fixed = c->completed_at && (!c->outcome[0] || !strcmp(c->outcome, "fixed"));
	struct kk_website_figure f = {
		.handling = c->handling,
		.outcome = c->outcome,
		.reported_at = c->reported_at,
		.days_to_open = days(c->reported_at, c->opened_at),
		.days_to_stage1 = days(c->reported_at, c->stage1_at),
		.days_to_stage2 = days(c->reported_at, c->stage2_at),
		.days_to_stage3 = days(c->reported_at, c->stage3_at),
		.days_to_ack = days(c->reported_at, c->ack_at),
		.days_to_fix = fixed ? days(c->reported_at, c->completed_at) : -1,
		.days_to_close = days(c->reported_at, c->closed_at),
	};
	x->n++;
	return x->fn(x->arg, &f);
}

int kk_website_figures(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to,
		       int (*fn)(void *arg, const struct kk_website_figure *f), void *arg)
{
	int rc = kk_policy_check(a, KK_ACT_WEBSITE_HANDLE, NULL);
	if (rc)
		return rc;
	struct fig_ctx x = {from, to, fn, arg, 0};
	rc = kk_website_list(db, a, NULL, fig_row, &x);
	return rc < 0 ? rc : x.n;
}

#define NFIG 5
struct agg {
	int cases, closed;
	int outcomes[5];
	int *v[NFIG];
	int nv[NFIG], cap;
};

static int agg_row(void *arg, const struct kk_website_figure *f)
{
	struct agg *g = arg;
	g->cases++;
	enum kk_website_outcome o = KK_WOUT_NONE;
	if (f->outcome[0] && !kk_website_outcome_parse(f->outcome, &o)) {
		g->closed++;
		g->outcomes[o]++;
	}
	int vals[NFIG] = {f->days_to_stage1, f->days_to_stage2, f->days_to_stage3, f->days_to_ack, f->days_to_fix};
	for (int k = 0; k < NFIG; k++) {
		if (vals[k] < 0)
			continue;
		if (g->nv[k] == g->cap || !g->v[k]) {
			int cap = g->cap ? g->cap * 2 : 64;
			for (int m = 0; m < NFIG; m++) {
				int *p = kk_realloc(g->v[m], (size_t)cap * sizeof(int));
				if (!p)
					return KK_ENOMEM;
				g->v[m] = p;
			}
			g->cap = cap;
		}
		g->v[k][g->nv[k]++] = vals[k];
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int kk_website_figures_json(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to,
			    struct kk_json *j)
{
	struct agg g;
	memset(&g, 0, sizeof(g));
	int rc = kk_website_figures(db, a, from, to, agg_row, &g);
	if (rc >= 0) {
		static const char *const names[NFIG] = {"stage1", "stage2", "stage3", "ack", "fix"};
		kk_json_obj_open(j);
		kk_json_kv_int(j, "cases", g.cases);
		kk_json_kv_int(j, "closed", g.closed);
		kk_json_key(j, "by_outcome");
		kk_json_obj_open(j);
		for (int o = 1; o < 5; o++)
			kk_json_kv_int(j, kk_website_outcome_name((enum kk_website_outcome)o), g.outcomes[o]);
		kk_json_obj_close(j);
		kk_json_key(j, "median_days");
		kk_json_obj_open(j);
		for (int k = 0; k < NFIG; k++) {
			if (!g.nv[k]) {
				kk_json_kv_null(j, names[k]);
				continue;
			}
			qsort(g.v[k], (size_t)g.nv[k], sizeof(int), cmp_int);
			int n = g.nv[k];
			kk_json_key(j, names[k]);
			kk_json_fixed(j, n % 2 ? g.v[k][n / 2] : (g.v[k][n / 2 - 1] + g.v[k][n / 2]) / 2.0, 1);
		}
		kk_json_obj_close(j);
		kk_json_obj_close(j);
	}
	for (int k = 0; k < NFIG; k++)
		kk_free(g.v[k]);
	return rc < 0 ? rc : 0;
}
