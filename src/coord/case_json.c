/*
 * case_json.c — the JSON forms of a case and its rows, one writer each,
 * shared by the API (web/api_case.c) and the CLI (cli/cmd_case.c). Every
 * date is written with its zone: {"utc", "jst", "epoch"}.
 */
#include "base/clock.h"
#include "coord/case_int.h"
#include <stdio.h>

/* "key": s, or null for "". */
static void kv_opt(struct kk_json *j, const char *key, const char *s)
{
	kk_json_key(j, key);
	kk_json_str(j, s && *s ? s : NULL);
}

static void kv_time(struct kk_json *j, const char *key, int64_t t)
{
	kk_json_key(j, key);
	if (!t) {
		kk_json_null(j);
		return;
	}
	char iso[32];
	kk_time_iso(t, iso, sizeof(iso));
	kk_json_str(j, iso);
}

/* {"at": ISO, "jst": "2026-01-31 18:00 JST"}: the date everywhere with its zone. */
static void kv_date(struct kk_json *j, const char *key, int64_t t)
{
	char iso[32], jst[40];
	kk_time_iso(t, iso, sizeof(iso));
	kk_time_jst(t, jst, sizeof(jst));
	kk_json_key(j, key);
	kk_json_obj_open(j);
	kk_json_kv_str(j, "utc", iso);
	kk_json_kv_str(j, "jst", jst);
	kk_json_kv_int(j, "epoch", t);
	kk_json_obj_close(j);
}

void kk_participant_json(struct kk_json *j, const struct kk_participant *p)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "org_id", p->org_id);
	kk_json_kv_str(j, "vendor", p->org_name);
	kk_json_kv_str(j, "state", p->state);
	kv_opt(j, "verification", p->verification);
	kk_json_kv_bool(j, "unreachable", p->unreachable_at != 0);
	kk_json_kv_int(j, "attempts", p->attempts);
	kk_json_kv_int(j, "statements", p->nstatements);
	kk_json_kv_bool(j, "shared", p->shared);
	kv_opt(j, "fix", p->fix_text);
	kk_json_key(j, "at");
	kk_json_obj_open(j);
	kv_time(j, "added", p->added_at);
	kv_time(j, "notified", p->notified_at);
	kv_time(j, "acknowledged", p->acknowledged_at);
	kv_time(j, "details_requested", p->details_requested_at);
	kv_time(j, "details_sent", p->details_sent_at);
	kv_time(j, "verified", p->verified_at);
	kv_time(j, "fix_reported", p->fix_reported_at);
	kv_time(j, "ready", p->ready_at);
	kv_time(j, "unreachable", p->unreachable_at);
	kv_time(j, "terms_accepted", p->terms_accepted_at);
	kv_time(j, "last_answer", p->last_vendor_at);
	kk_json_obj_close(j);
	kk_json_obj_close(j);
}

static int part_json_cb(void *arg, const struct kk_participant *p)
{
	kk_participant_json(arg, p);
	return 0;
}

void kk_statement_json(struct kk_json *j, const struct kk_statement *s)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "vendor", s->org_name);
	kk_json_kv_int(j, "vuln", s->seq);
	kk_json_kv_str(j, "vuln_title", s->vuln_title);
	kk_json_kv_str(j, "status", s->status);
	kv_opt(j, "text_ja", s->text_ja);
	kv_opt(j, "text_en", s->text_en);
	kv_time(j, "updated_at", s->updated_at);
	kk_json_obj_close(j);
}

static int statement_json_cb(void *arg, const struct kk_statement *s)
{
	kk_statement_json(arg, s);
	return 0;
}

static int vuln_json_cb(void *arg, const struct kk_case_vuln *v)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "seq", v->seq);
	kk_json_kv_str(j, "title", v->title);
	kk_json_key(j, "cwe");
	if (v->cwe) {
		char cwe[24];
		snprintf(cwe, sizeof(cwe), "CWE-%d", v->cwe);
		kk_json_str(j, cwe);
	} else
		kk_json_null(j);
	kv_opt(j, "cve", v->cve);
	kk_json_obj_close(j);
	return 0;
}

static int date_json_cb(void *arg, const struct kk_date_change *ch)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", ch->id);
	kk_json_kv_str(j, "state", ch->state);
	kv_date(j, "from", ch->old_at);
	kv_date(j, "to", ch->new_at);
	kv_opt(j, "reason", ch->reason);
	kv_opt(j, "requested_by", ch->org_name);
	kv_opt(j, "decision_note", ch->decision_note);
	kv_opt(j, "exception", ch->exception);
	kv_time(j, "at", ch->at);
	kv_time(j, "decided_at", ch->decided_at);
	kk_json_obj_close(j);
	return 0;
}

static int shared_json_cb(void *arg, const struct kk_participant *p)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "vendor", p->org_name);
	kk_json_kv_str(j, "state", p->state);
	kv_opt(j, "verification", p->verification);
	kk_json_obj_close(j);
	return 0;
}

static int file_json_cb(void *arg, const struct kk_case_file *f)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "sha256", f->sha256);
	kk_json_kv_str(j, "name", f->name);
	kk_json_kv_str(j, "mime", f->mime);
	kk_json_kv_int(j, "size", f->size);
	kk_json_obj_close(j);
	return 0;
}

static int report_json_cb(void *arg, const char *tracking)
{
	kk_json_str(arg, tracking);
	return 0;
}

int kk_case_json(struct kk_db *db, const struct kk_actor *a, const struct kk_case_info *c, struct kk_json *j)
{
	int rc = 0;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "ref", c->ref);
	kk_json_kv_str(j, "title", c->title);
	kk_json_kv_str(j, "state", c->state);
	kv_opt(j, "cancel_reason", c->cancel_reason);
	kk_json_kv_str(j, "product", c->product);
	kk_json_kv_str(j, "product_version", c->product_version);
	kv_time(j, "started_at", c->started_at);
	kv_date(j, "publish_at", c->publish_at);
	kv_time(j, "last_activity_at", c->last_activity_at);
	kk_json_kv_str(j, "overview", c->overview);
	kk_json_kv_bool(j, "details_visible", c->details != NULL);
	if (c->details) {
		kk_json_kv_str(j, "details", c->details);
		kk_json_key(j, "attachments");
		kk_json_arr_open(j);
		if ((rc = kk_case_files(db, c, file_json_cb, j)) < 0)
			return rc;
		kk_json_arr_close(j);
	}
	kk_json_key(j, "vulnerabilities");
	kk_json_arr_open(j);
	if ((rc = kk_case_vulns(db, c, vuln_json_cb, j)) < 0)
		return rc;
	kk_json_arr_close(j);
	if (c->participant_id) {
		kk_json_key(j, "me");
		struct kk_participant_filter f = {.limit = 1};
		rc = kk_case_participants(db, a, c, &f, part_json_cb, j, NULL);
		if (rc < 0)
			return rc;
		kk_json_key(j, "shared_vendors");
		kk_json_arr_open(j);
		if ((rc = kk_case_shared_vendors(db, a, c, shared_json_cb, j)) < 0)
			return rc;
		kk_json_arr_close(j);
	} else {
		kk_json_key(j, "vendors");
		kk_json_obj_open(j);
		kk_json_kv_int(j, "total", c->nvendors);
		kk_json_kv_int(j, "ready", c->nready);
		kk_json_kv_int(j, "unreachable", c->nunreachable);
		kk_json_obj_close(j);
		kk_json_key(j, "reports");
		kk_json_arr_open(j);
		if ((rc = kk_case_reports(db, a, c, report_json_cb, j)) < 0)
			return rc;
		kk_json_arr_close(j);
		kv_time(j, "vendor_consulted_at", c->vendor_consulted_at);
		kv_time(j, "finder_told_at", c->finder_told_at);
	}
	kk_json_key(j, "statements");
	kk_json_arr_open(j);
	if ((rc = kk_case_statements(db, a, c, 0, statement_json_cb, j)) < 0)
		return rc;
	kk_json_arr_close(j);
	kk_json_key(j, "date_history");
	kk_json_arr_open(j);
	if ((rc = kk_case_dates(db, a, c, date_json_cb, j)) < 0)
		return rc;
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return kk_json_error(j);
}


void kk_case_row_json(struct kk_json *j, const struct kk_case_row *c)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "ref", c->ref);
	kk_json_kv_str(j, "title", c->title);
	kk_json_kv_str(j, "state", c->state);
	if (*c->pstate)
		kk_json_kv_str(j, "my_state", c->pstate);
	kv_date(j, "publish_at", c->publish_at);
	kv_time(j, "last_activity_at", c->last_activity_at);
	if (!*c->pstate) { /* the counts are staff-only */
		kk_json_kv_int(j, "vendors", c->nvendors);
		kk_json_kv_int(j, "ready", c->nready);
		kk_json_kv_int(j, "unreachable", c->nunreachable);
	}
	kk_json_obj_close(j);
}

void kk_case_message_json(struct kk_json *j, const struct kk_case_message *m)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", m->id);
	kv_time(j, "at", m->at);
	kk_json_kv_str(j, "thread", m->thread);
	if (*m->vendor)
		kk_json_kv_str(j, "vendor", m->vendor);
	kk_json_kv_str(j, "author", m->author);
	kk_json_kv_bool(j, "from_vendor", m->from_vendor);
	if (m->finder && *m->finder) {
		kk_json_kv_str(j, "finder", m->finder); /* the report's tracking number, never who the finder is */
		kk_json_kv_bool(j, "from_finder", m->from_finder);
	}
	kk_json_kv_str(j, "body", m->body);
	kk_json_obj_close(j);
}

void kk_stalled_json(struct kk_json *j, const struct kk_stalled *s)
{
	kk_json_obj_open(j);
	kk_json_kv_str(j, "ref", s->ref);
	kk_json_kv_str(j, "title", s->title);
	kk_json_kv_str(j, "state", s->state);
	kv_time(j, "started_at", s->started_at);
	kv_time(j, "last_activity_at", s->last_activity_at);
	kk_json_kv_int(j, "age_days", s->age_days);
	kk_json_kv_int(j, "idle_days", s->idle_days);
	kk_json_kv_str(j, "waiting_for", s->waiting_for);
	kk_json_obj_close(j);
}

void kk_infra_share_json(struct kk_json *j, const struct kk_infra_share *s)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", s->id);
	kk_json_kv_str(j, "case", s->case_ref);
	kk_json_kv_str(j, "title", s->case_title);
	kk_json_kv_str(j, "organization", s->org_name);
	kk_json_kv_str(j, "sector", s->sector);
	kv_time(j, "shared_at", s->shared_at);
	kv_date(j, "publish_at", s->publish_at);
	kk_json_kv_str(j, "draft", s->draft);
	kk_json_kv_str(j, "fix", s->fix);
	kk_json_obj_close(j);
}
