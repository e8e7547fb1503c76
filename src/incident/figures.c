/*
 * figures.c — the quarterly figures of incident handling (incident.h,
 * 004 §1.1, §1.3): reports, incidents and coordinations, per category, per
 * JST month, coordinations by scope and phishing sites by the imitated
 * brand's origin. Quarters come from publish/stats.h (one JST rule).
 */
#include "incident/incident.h"
#include "auth/policy.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "store/db.h"
#include <stdio.h>
#include <string.h>

/* JST month of a seconds column */
#define JSTMONTH(col) "strftime('%Y-%m', " col " + 32400, 'unixepoch')"
/* TLP:RED left out of the public figures (?3 = 1) */
#define RED(col) "(?3 = 0 OR " col " <> 'red')"

static int64_t count(struct kk_db *db, const char *sql, int64_t from, int64_t to, bool pub)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db, sql, &st))
		return KK_EDB;
	kk_stmt_bind_int64(st, 1, from);
	kk_stmt_bind_int64(st, 2, to);
	kk_stmt_bind_int64(st, 3, pub);
	int64_t n = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : KK_EDB;
	kk_stmt_done(st);
	return n;
}

static const char reports_sql[] = "SELECT count(*) FROM incident_report WHERE received_at >= ?1 AND received_at < ?2 AND " RED("tlp");
static const char incidents_sql[] = "SELECT count(*) FROM incident WHERE opened_at >= ?1 AND opened_at < ?2 AND " RED("tlp");
static const char coords_sql[] = "SELECT count(*) FROM incident_coordination c JOIN incident i ON i.id = c.incident_id "
				 "WHERE c.asked_at >= ?1 AND c.asked_at < ?2 AND " RED("i.tlp");

/* Rows of (key, a, b, c) for the grouped tables. */
static const char cat_sql[] =
    "SELECT k.code, (SELECT count(*) FROM incident_report r WHERE r.category = k.code AND r.received_at >= ?1 "
    "AND r.received_at < ?2 AND " RED("r.tlp") "), (SELECT count(*) FROM incident i WHERE i.category = k.code AND "
    "i.opened_at >= ?1 AND i.opened_at < ?2 AND " RED("i.tlp") "), 0 FROM incident_category k ORDER BY k.ord, k.code";
static const char month_sql[] =
    "SELECT m, sum(r), sum(i), sum(c) FROM ("
    "SELECT " JSTMONTH("received_at") " AS m, 1 AS r, 0 AS i, 0 AS c FROM incident_report WHERE received_at >= ?1 AND received_at < ?2 AND " RED("tlp")
    " UNION ALL SELECT " JSTMONTH("opened_at") ", 0, 1, 0 FROM incident WHERE opened_at >= ?1 AND opened_at < ?2 AND " RED("tlp")
    " UNION ALL SELECT " JSTMONTH("c.asked_at") ", 0, 0, 1 FROM incident_coordination c JOIN incident i ON i.id = c.incident_id "
    "WHERE c.asked_at >= ?1 AND c.asked_at < ?2 AND " RED("i.tlp") ") GROUP BY m ORDER BY m";
static const char scope_sql[] =
    "SELECT c.scope, count(*), 0, 0 FROM incident_coordination c JOIN incident i ON i.id = c.incident_id "
    "WHERE c.asked_at >= ?1 AND c.asked_at < ?2 AND " RED("i.tlp") " GROUP BY c.scope ORDER BY c.scope";
static const char brand_sql[] =
    "SELECT " JSTMONTH("i.opened_at") ", sum(coalesce(b.origin, 'unknown') = 'domestic'), "
    "sum(coalesce(b.origin, 'unknown') = 'foreign'), sum(coalesce(b.origin, 'unknown') = 'unknown') "
    "FROM incident i LEFT JOIN incident_brand b ON b.id = i.brand_id WHERE i.category = 'phishing' AND "
    "i.opened_at >= ?1 AND i.opened_at < ?2 AND " RED("i.tlp") " GROUP BY 1 ORDER BY 1";

typedef void (*row_out)(void *arg, const char *key, int64_t a, int64_t b, int64_t c);

static int rows(struct kk_db *db, const char *sql, int64_t from, int64_t to, bool pub, row_out fn, void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, from);
	kk_stmt_bind_int64(st, 2, to);
	kk_stmt_bind_int64(st, 3, pub);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		fn(arg, kk_stmt_text(st, 0), kk_stmt_int64(st, 1), kk_stmt_int64(st, 2), kk_stmt_int64(st, 3));
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static void j_cat(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	(void)c;
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "category", k);
	kk_json_kv_int(j, "reports", a);
	kk_json_kv_int(j, "incidents", b);
	kk_json_obj_close(j);
}

static void j_month(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "month", k);
	kk_json_kv_int(j, "reports", a);
	kk_json_kv_int(j, "incidents", b);
	kk_json_kv_int(j, "coordinations", c);
	kk_json_obj_close(j);
}

static void j_scope(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	(void)b;
	(void)c;
	kk_json_kv_int(arg, k, a);
}

static void j_brand(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	struct kk_json *j = arg;
	kk_json_obj_open(j);
	kk_json_kv_str(j, "month", k);
	kk_json_kv_int(j, "domestic", a);
	kk_json_kv_int(j, "foreign", b);
	kk_json_kv_int(j, "unknown", c);
	kk_json_obj_close(j);
}

int kk_incident_figures(struct kk_db *db, const struct kk_actor *a, int64_t from, int64_t to, bool pub,
			struct kk_json *j, struct kk_diag *d)
{
	if (!pub && !kk_policy_allow(a, KK_ACT_INCIDENT_HANDLE, NULL))
		return kk_diag_set(d, KK_EPERM, NULL, "only incident handlers see the figures with TLP:RED items");
	if (to <= from)
		return kk_diag_set(d, KK_EINVAL, "to", "the period ends before it starts");
	int64_t len = to - from;
	int64_t n[6] = {count(db, reports_sql, from, to, pub),          count(db, incidents_sql, from, to, pub),
			count(db, coords_sql, from, to, pub),           count(db, reports_sql, from - len, from, pub),
			count(db, incidents_sql, from - len, from, pub), count(db, coords_sql, from - len, from, pub)};
	for (int i = 0; i < 6; i++)
		if (n[i] < 0)
			return kk_diag_set(d, (int)n[i], NULL, "cannot count: %s", kk_db_errmsg(db));
	char at[32];
	kk_json_obj_open(j);
	kk_time_iso(from, at, sizeof(at));
	kk_json_kv_str(j, "from", at);
	kk_time_iso(to, at, sizeof(at));
	kk_json_kv_str(j, "to", at);
	kk_json_kv_bool(j, "public", pub);
	kk_json_kv_int(j, "reports", n[0]);
	kk_json_kv_int(j, "incidents", n[1]);
	kk_json_kv_int(j, "coordinations", n[2]);
	kk_json_key(j, "previous");
	kk_json_obj_open(j);
	kk_json_kv_int(j, "reports", n[3]);
	kk_json_kv_int(j, "incidents", n[4]);
	kk_json_kv_int(j, "coordinations", n[5]);
	kk_json_obj_close(j);
	int rc;
	kk_json_key(j, "by_category");
	kk_json_arr_open(j);
	if ((rc = rows(db, cat_sql, from, to, pub, j_cat, j)))
		return rc;
	kk_json_arr_close(j);
	kk_json_key(j, "by_month");
	kk_json_arr_open(j);
	if ((rc = rows(db, month_sql, from, to, pub, j_month, j)))
		return rc;
	kk_json_arr_close(j);
	kk_json_key(j, "coordination_scope");
	kk_json_obj_open(j);
	if ((rc = rows(db, scope_sql, from, to, pub, j_scope, j)))
		return rc;
	kk_json_obj_close(j);
	kk_json_key(j, "phishing_by_brand");
	kk_json_arr_open(j);
	if ((rc = rows(db, brand_sql, from, to, pub, j_brand, j)))
		return rc;
	kk_json_arr_close(j);
	kk_json_obj_close(j);
	return kk_json_error(j);
}

static void c_row(void *arg, const char *section, const char *k, int64_t a, int64_t b, int64_t c)
{
	kk_buf_printf(arg, "%s,%s,%lld,%lld,%lld\r\n", section, k, (long long)a, (long long)b, (long long)c);
}
static void c_cat(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	(void)c;
	c_row(arg, "category", k, a, b, 0);
}
static void c_month(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	c_row(arg, "month", k, a, b, c);
}
static void c_scope(void *arg, const char *k, int64_t a, int64_t b, int64_t c)
{
	(void)b;
	(void)c;
	c_row(arg, "coordination_scope", k, 0, 0, a);
}

int kk_incident_figures_csv(struct kk_db *db, int64_t from, int64_t to, struct kk_buf *out, struct kk_diag *d)
{
	if (to <= from)
		return kk_diag_set(d, KK_EINVAL, "to", "the period ends before it starts");
	kk_buf_puts(out, "section,key,reports,incidents,coordinations\r\n");
	c_row(out, "total", "period", count(db, reports_sql, from, to, true), count(db, incidents_sql, from, to, true),
	      count(db, coords_sql, from, to, true));
	int rc;
	if ((rc = rows(db, cat_sql, from, to, true, c_cat, out)) || (rc = rows(db, month_sql, from, to, true, c_month, out)) ||
	    (rc = rows(db, scope_sql, from, to, true, c_scope, out)))
		return rc;
	kk_buf_puts(out, "section,month,domestic,foreign,unknown\r\n");
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, brand_sql, &st)))
		return rc;
	kk_stmt_bind_int64(st, 1, from);
	kk_stmt_bind_int64(st, 2, to);
	kk_stmt_bind_int64(st, 3, 1);
	while ((rc = kk_stmt_step(st)) == KK_ROW)
		c_row(out, "phishing_by_brand", kk_stmt_text(st, 0), kk_stmt_int64(st, 1), kk_stmt_int64(st, 2),
		      kk_stmt_int64(st, 3));
	kk_stmt_done(st);
	return rc < 0 ? rc : kk_buf_error(out);
}
