/*
 * incident.c — incidents apart from reports (incident.h, 0041): opening one
 * from a report, linking further reports (suggested by shared URLs, domains
 * and addresses, confirmed by staff), states, coordination entries (調整),
 * the imitated brand of a phishing site and the takedown check.
 */
#include "incident/incident.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static int need(struct kk_db *db, const struct kk_actor *a, bool tx, struct kk_diag *d)
{
	if (tx && !kk_db_in_tx(db))
		return kk_diag_set(d, KK_EINVAL, NULL, "incident writes must run inside a transaction");
	int rc = kk_policy_check(a, KK_ACT_INCIDENT_HANDLE, NULL);
	return rc ? kk_diag_set(d, rc, NULL, "%s may not handle incidents", a ? a->label : "public") : 0;
}

struct inc {
	int64_t id;
	char state[16];
};

static int load(struct kk_db *db, const char *ident, struct inc *x, struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT id, state FROM incident WHERE ident = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, ident ? ident : "", -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		x->id = kk_stmt_int64(st, 0);
		kk_strlcpy(x->state, kk_stmt_text(st, 1), sizeof(x->state));
		rc = 0;
	} else if (rc == KK_DONE) {
		rc = kk_diag_set(d, KK_ENOTFOUND, "incident", "no incident %.40s", ident ? ident : "");
	}
	kk_stmt_done(st);
	return rc;
}

static int audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *ident,
		 const char *summary, struct kk_diag *d)
{
	int rc = kk_audit(db, a, action, "incident", ident, summary, NULL, NULL);
	return rc ? kk_diag_set(d, rc, NULL, "cannot audit %s", action) : 0;
}

static int touch(struct kk_db *db, int64_t id)
{
	int rc = kk_db_exec(db, "UPDATE incident SET updated_at = ? WHERE id = ?", "ii", kk_clock_now(), id);
	return rc < 0 ? rc : 0;
}

struct rep {
	int64_t id, received_at;
	char category[32], tlp[8], summary[501];
	bool linked;
};

static int report_load(struct kk_db *db, const char *tracking, struct rep *r, struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT r.id, r.received_at, r.category, r.tlp, r.summary, l.incident_id IS NOT NULL "
			       "FROM incident_report r LEFT JOIN incident_link l ON l.report_id = r.id WHERE r.tracking = ?",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking ? tracking : "", -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		r->id = kk_stmt_int64(st, 0);
		r->received_at = kk_stmt_int64(st, 1);
		kk_strlcpy(r->category, kk_stmt_text(st, 2), sizeof(r->category));
		kk_strlcpy(r->tlp, kk_stmt_text(st, 3), sizeof(r->tlp));
		kk_strlcpy(r->summary, kk_stmt_text(st, 4), sizeof(r->summary));
		r->linked = kk_stmt_int64(st, 5) != 0;
		rc = 0;
	} else if (rc == KK_DONE) {
		rc = kk_diag_set(d, KK_ENOTFOUND, "report", "no incident report %.40s", tracking ? tracking : "");
	}
	kk_stmt_done(st);
	return rc;
}

static int next_ident(struct kk_db *db, char *out, size_t n)
{
	time_t now = (time_t)kk_clock_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	int64_t year = tm.tm_year + 1900, serial = 1;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT next FROM incident_serial WHERE year = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, year);
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		serial = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	rc = kk_db_exec(db,
			"INSERT INTO incident_serial (year, next) VALUES (?, ?) "
			"ON CONFLICT (year) DO UPDATE SET next = excluded.next",
			"ii", year, serial + 1);
	if (rc < 0)
		return rc;
	snprintf(out, n, "IN-%04lld-%06lld", (long long)year, (long long)serial);
	return 0;
}

static int link_row(struct kk_db *db, int64_t incident_id, const struct rep *r)
{
	int rc = kk_db_exec(db, "INSERT INTO incident_link (report_id, incident_id, linked_at) VALUES (?, ?, ?)", "iii",
			    r->id, incident_id, kk_clock_now());
	if (rc >= 0)
		rc = kk_db_exec(db, "UPDATE incident_report SET status = 'linked', updated_at = ? WHERE id = ?", "ii",
				kk_clock_now(), r->id);
	/* an incident counts when its first report came */
	if (rc >= 0)
		rc = kk_db_exec(db, "UPDATE incident SET opened_at = min(opened_at, ?) WHERE id = ?", "ii", r->received_at,
				incident_id);
	return rc < 0 ? rc : 0;
}

int kk_incident_open(struct kk_db *db, const struct kk_actor *a, const char *tracking, const char *title,
		     char ident[KK_INCIDENT_IDENT_MAX], struct kk_diag *d)
{
	ident[0] = 0;
	int rc;
	struct rep r;
	if ((rc = need(db, a, true, d)) || (rc = report_load(db, tracking, &r, d)))
		return rc;
	if (r.linked)
		return kk_diag_set(d, KK_ECONFLICT, "report", "%.40s already belongs to an incident", tracking);
	if ((rc = next_ident(db, ident, KK_INCIDENT_IDENT_MAX)))
		return kk_diag_set(d, rc, NULL, "cannot number the incident: %s", kk_db_errmsg(db));
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db,
			"INSERT INTO incident (ident, category, title, tlp, opened_at, created_at, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?)",
			"ssssiii", ident, r.category, title && *title ? title : r.summary, r.tlp, r.received_at, now, now);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "cannot store the incident: %s", kk_db_errmsg(db));
	if ((rc = link_row(db, kk_db_last_insert_id(db), &r)))
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[160];
	snprintf(summary, sizeof(summary), "incident %s opened from %.40s", ident, tracking);
	return audit(db, a, "incident.open", ident, summary, d);
}

int kk_incident_link(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *tracking,
		     struct kk_diag *d)
{
	int rc;
	struct inc x;
	struct rep r;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)) || (rc = report_load(db, tracking, &r, d)))
		return rc;
	if (r.linked)
		return kk_diag_set(d, KK_ECONFLICT, "report", "%.40s already belongs to an incident", tracking);
	if ((rc = link_row(db, x.id, &r)) || (rc = touch(db, x.id)))
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[160];
	snprintf(summary, sizeof(summary), "report %.40s linked to incident %.40s", tracking, ident);
	return audit(db, a, "incident.link", ident, summary, d);
}

int kk_incident_suggest(struct kk_db *db, const struct kk_actor *a, const char *tracking,
			int (*fn)(void *arg, const char *ident, const char *kind, const char *value), void *arg,
			struct kk_diag *d)
{
	int rc;
	struct rep r;
	if ((rc = need(db, a, false, d)) || (rc = report_load(db, tracking, &r, d)))
		return rc;
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
			   "SELECT DISTINCT i.ident, o.kind, o.value FROM incident_indicator m "
			   "JOIN incident_indicator o ON o.kind = m.kind AND o.value = m.value AND o.report_id <> m.report_id "
			   "JOIN incident_link l ON l.report_id = o.report_id JOIN incident i ON i.id = l.incident_id "
			   "WHERE m.report_id = ? ORDER BY i.ident, o.kind, o.value",
			   &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, r.id);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		if ((rc = fn(arg, kk_stmt_text(st, 0), kk_stmt_text(st, 1), kk_stmt_text(st, 2))) < 0)
			break;
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static bool allowed(const char *from, const char *to)
{
	if (!strcmp(from, "open"))
		return !strcmp(to, "coordinating") || !strcmp(to, "resolved") || !strcmp(to, "closed");
	if (!strcmp(from, "coordinating"))
		return !strcmp(to, "resolved") || !strcmp(to, "closed");
	return false;
}

static int move(struct kk_db *db, const struct kk_actor *a, const char *ident, struct inc *x, const char *to,
		struct kk_diag *d)
{
	if (!allowed(x->state, to))
		return kk_diag_set(d, KK_ECONFLICT, "state", "incident %.40s is %s; it cannot become %.20s", ident,
				   x->state, to);
	bool final = !strcmp(to, "resolved") || !strcmp(to, "closed");
	int64_t now = kk_clock_now();
	int rc = final ? kk_db_exec(db, "UPDATE incident SET state = ?, closed_at = ?, updated_at = ? WHERE id = ?", "siii",
				    to, now, now, x->id)
		       : kk_db_exec(db, "UPDATE incident SET state = ?, closed_at = NULL, updated_at = ? WHERE id = ?",
				    "sii", to, now, x->id);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[160];
	snprintf(summary, sizeof(summary), "incident %.40s: %s -> %s", ident, x->state, to);
	kk_strlcpy(x->state, to, sizeof(x->state));
	return audit(db, a, "incident.state", ident, summary, d);
}

int kk_incident_set_state(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *state,
			  struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	if (!state || (strcmp(state, "open") && strcmp(state, "coordinating") && strcmp(state, "resolved") &&
		       strcmp(state, "closed")))
		return kk_diag_set(d, KK_EINVAL, "state", "state is open, coordinating, resolved or closed");
	return move(db, a, ident, &x, state, d);
}

int kk_incident_coord_add(struct kk_db *db, const struct kk_actor *a, const char *ident,
			  const struct kk_incident_coord *c, int64_t *id_out, struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	if (!c->party || !*c->party)
		return kk_diag_set(d, KK_EINVAL, "party", "name whom you asked (site administrator, ISP, CSIRT)");
	if (!c->asked || !*c->asked)
		return kk_diag_set(d, KK_EINVAL, "asked", "say what you asked");
	if (!c->scope || (strcmp(c->scope, "domestic") && strcmp(c->scope, "overseas") && strcmp(c->scope, "csirt")))
		return kk_diag_set(d, KK_EINVAL, "scope", "scope is domestic, overseas or csirt");
	if (!strcmp(x.state, "resolved") || !strcmp(x.state, "closed"))
		return kk_diag_set(d, KK_ECONFLICT, "state", "incident %.40s is %s", ident, x.state);
	rc = kk_db_exec(db,
			"INSERT INTO incident_coordination (incident_id, party, contact, scope, asked, asked_at) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"issssi", x.id, c->party, c->contact, c->scope, c->asked, c->asked_at ? c->asked_at : kk_clock_now());
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	if (id_out)
		*id_out = kk_db_last_insert_id(db);
	if (!strcmp(x.state, "open") && (rc = move(db, a, ident, &x, "coordinating", d)))
		return rc;
	char summary[300];
	snprintf(summary, sizeof(summary), "incident %.40s: coordination with %.100s (%s)", ident, c->party, c->scope);
	return audit(db, a, "incident.coordinate", ident, summary, d);
}

int kk_incident_coord_answer(struct kk_db *db, const struct kk_actor *a, const char *ident, int64_t id,
			     const char *status, const char *answer, struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	if (!status || (strcmp(status, "acknowledged") && strcmp(status, "resolved") && strcmp(status, "no_answer")))
		return kk_diag_set(d, KK_EINVAL, "status", "status is acknowledged, resolved or no_answer");
	rc = kk_db_exec(db,
			"UPDATE incident_coordination SET status = ?, answer = ?, answered_at = ? "
			"WHERE id = ? AND incident_id = ?",
			"ssiii", status, answer, kk_clock_now(), id, x.id);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	if (rc == 0)
		return kk_diag_set(d, KK_ENOTFOUND, "coordination", "incident %.40s has no coordination %lld", ident,
				   (long long)id);
	char summary[160];
	snprintf(summary, sizeof(summary), "incident %.40s: coordination %lld %s", ident, (long long)id, status);
	return audit(db, a, "incident.answer", ident, summary, d);
}

int kk_incident_set_brand(struct kk_db *db, const struct kk_actor *a, const char *ident, const char *brand,
			  const char *origin, struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	if (!brand || !*brand)
		return kk_diag_set(d, KK_EINVAL, "brand", "name the imitated brand");
	if (origin && strcmp(origin, "domestic") && strcmp(origin, "foreign") && strcmp(origin, "unknown"))
		return kk_diag_set(d, KK_EINVAL, "origin", "origin is domestic, foreign or unknown");
	rc = kk_db_exec(db,
			"INSERT INTO incident_brand (name, origin) VALUES (?, ?) "
			"ON CONFLICT (name) DO UPDATE SET origin = CASE WHEN ? IS NULL THEN origin ELSE excluded.origin END",
			"sss", brand, origin ? origin : "unknown", origin);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"UPDATE incident SET brand_id = (SELECT id FROM incident_brand WHERE name = ?), "
				"updated_at = ? WHERE id = ?",
				"sii", brand, kk_clock_now(), x.id);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[200];
	snprintf(summary, sizeof(summary), "incident %.40s imitates %.100s", ident, brand);
	return audit(db, a, "incident.brand", ident, summary, d);
}

int kk_incident_takedown(struct kk_db *db, const struct kk_actor *a, const char *ident, int64_t at, struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, true, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	rc = kk_db_exec(db, "UPDATE incident SET taken_down_at = ? WHERE id = ?", "ii", at ? at : kk_clock_now(), x.id);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char summary[120];
	snprintf(summary, sizeof(summary), "incident %.40s: the site was checked down", ident);
	if ((rc = audit(db, a, "incident.takedown", ident, summary, d)))
		return rc;
	return strcmp(x.state, "resolved") ? move(db, a, ident, &x, "resolved", d) : 0;
}

int kk_incident_json(struct kk_db *db, const struct kk_actor *a, const char *ident, struct kk_json *j,
		     struct kk_diag *d)
{
	int rc;
	struct inc x;
	if ((rc = need(db, a, false, d)) || (rc = load(db, ident, &x, d)))
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db,
				"SELECT i.ident, i.category, i.state, i.title, i.tlp, b.name, b.origin, i.taken_down_at, "
				"i.opened_at FROM incident i LEFT JOIN incident_brand b ON b.id = i.brand_id WHERE i.id = ?",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, x.id);
	char at[32];
	if ((rc = kk_stmt_step(st)) == KK_ROW) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "ident", kk_stmt_text(st, 0));
		kk_json_kv_str(j, "category", kk_stmt_text(st, 1));
		kk_json_kv_str(j, "state", kk_stmt_text(st, 2));
		kk_json_kv_str(j, "title", kk_stmt_text(st, 3));
		kk_json_kv_str(j, "tlp", kk_stmt_text(st, 4));
		kk_json_kv_str(j, "brand", kk_stmt_is_null(st, 5) ? NULL : kk_stmt_text(st, 5));
		kk_json_kv_str(j, "brand_origin", kk_stmt_is_null(st, 6) ? NULL : kk_stmt_text(st, 6));
		if (kk_stmt_is_null(st, 7)) {
			kk_json_kv_null(j, "taken_down_at");
		} else {
			kk_time_iso(kk_stmt_int64(st, 7), at, sizeof(at));
			kk_json_kv_str(j, "taken_down_at", at);
		}
		kk_time_iso(kk_stmt_int64(st, 8), at, sizeof(at));
		kk_json_kv_str(j, "opened_at", at);
	}
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_ENOTFOUND;
	kk_json_key(j, "reports");
	kk_json_arr_open(j);
	if ((rc = kk_db_prepare(db,
				"SELECT r.tracking FROM incident_link l JOIN incident_report r ON r.id = l.report_id "
				"WHERE l.incident_id = ? ORDER BY r.received_at, r.id",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, x.id);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		kk_json_str(j, kk_stmt_text(st, 0));
	kk_stmt_done(st);
	kk_json_arr_close(j);
	kk_json_key(j, "coordinations");
	kk_json_arr_open(j);
	if ((rc = kk_db_prepare(db,
				"SELECT id, party, contact, scope, asked, asked_at, status, answer FROM incident_coordination "
				"WHERE incident_id = ? ORDER BY asked_at, id",
				&st)))
		return rc;
	kk_stmt_bind_int64(st, 1, x.id);
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		kk_json_obj_open(j);
		kk_json_kv_int(j, "id", kk_stmt_int64(st, 0));
		kk_json_kv_str(j, "party", kk_stmt_text(st, 1));
		kk_json_kv_str(j, "contact", kk_stmt_is_null(st, 2) ? NULL : kk_stmt_text(st, 2));
		kk_json_kv_str(j, "scope", kk_stmt_text(st, 3));
		kk_json_kv_str(j, "asked", kk_stmt_text(st, 4));
		kk_time_iso(kk_stmt_int64(st, 5), at, sizeof(at));
		kk_json_kv_str(j, "asked_at", at);
		kk_json_kv_str(j, "status", kk_stmt_text(st, 6));
		kk_json_kv_str(j, "answer", kk_stmt_is_null(st, 7) ? NULL : kk_stmt_text(st, 7));
		kk_json_obj_close(j);
	}
	kk_stmt_done(st);
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : kk_json_error(j);
}
