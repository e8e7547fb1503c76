/*
 * query.c — reading reports: the thread, duplicate suggestions from other
 * reports and the vulnerability database, and the JSON of what the finder
 * sees through the secret link. A report's row (the triage queue, one
 * report, the finder's view of it) is read in intake.c, below this file.
 */
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "intake/intake.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include <stdio.h>
#include <string.h>

int kk_intake_thread(struct kk_db *db, int64_t report_id, int (*fn)(void *arg, const struct kk_report_msg *m),
		     void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT at, from_finder, kind, body FROM report_message WHERE report_id = ? ORDER BY at, id",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, report_id);
	int n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_report_msg m = {kk_stmt_int64(st, 0), kk_stmt_int64(st, 1) != 0, kk_stmt_text(st, 2),
					  kk_stmt_text(st, 3)};
		n++;
		if ((rc = fn(arg, &m)))
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : rc > 0 ? rc : n;
}

/* ---- suggestions ------------------------------------------------------------ */

struct subject {
	int64_t id;
	char product[301], vendor[301], host[256], cve[41];
	int cwe;
};

static int load_subject(void *arg, const struct kk_report_row *r)
{
	struct subject *s = arg;
	s->id = r->id;
	kk_strlcpy(s->product, r->product_name, sizeof(s->product));
	kk_strlcpy(s->vendor, r->product_vendor, sizeof(s->vendor));
	kk_strlcpy(s->host, r->website_host, sizeof(s->host));
	kk_strlcpy(s->cve, r->cve, sizeof(s->cve));
	s->cwe = r->cwe;
	return 0;
}

static int emit(struct kk_stmt *st, const char *source, const char *why_a, const char *why_b,
		int (*fn)(void *arg, const struct kk_suggestion *s), void *arg, int *count)
{
	int rc;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_suggestion s = {source, kk_stmt_text(st, 0),
					  kk_stmt_columns(st) > 1 && kk_stmt_int64(st, 1) ? why_b : why_a};
		(*count)++;
		if ((rc = fn(arg, &s)))
			break;
	}
	kk_stmt_done(st);
	return rc;
}

int kk_intake_suggest(struct kk_db *db, const struct kk_actor *a, const char *tracking,
		      int (*fn)(void *arg, const struct kk_suggestion *s), void *arg)
{
	struct subject s = {0};
	int rc = kk_intake_get(db, a, tracking, load_subject, &s);
	if (rc)
		return rc;
	int count = 0;
	struct kk_stmt *st;
	if (s.product[0]) {
		if ((rc = kk_db_prepare(db,
					"SELECT tracking, product_vendor IS NOT NULL AND ? <> '' AND "
					"lower(product_vendor) = lower(?) FROM report WHERE id <> ? AND kind = 'product' AND "
					"lower(product_name) = lower(?) ORDER BY id DESC LIMIT 50",
					&st)))
			return rc;
		kk_stmt_bind_text(st, 1, s.vendor, -1);
		kk_stmt_bind_text(st, 2, s.vendor, -1);
		kk_stmt_bind_int64(st, 3, s.id);
		kk_stmt_bind_text(st, 4, s.product, -1);
		if ((rc = emit(st, "report", "same product", "same product and vendor", fn, arg, &count)))
			return rc;
	}
	if (s.host[0]) {
		if ((rc = kk_db_prepare(db,
					"SELECT tracking, ? > 0 AND cwe = ? FROM report WHERE id <> ? AND website_host = ? "
					"ORDER BY id DESC LIMIT 50",
					&st)))
			return rc;
		kk_stmt_bind_int64(st, 1, s.cwe);
		kk_stmt_bind_int64(st, 2, s.cwe);
		kk_stmt_bind_int64(st, 3, s.id);
		kk_stmt_bind_text(st, 4, s.host, -1);
		if ((rc = emit(st, "report", "same website host", "same website host and CWE", fn, arg, &count)))
			return rc;
	}
	if (s.cve[0]) {
		/* other reports naming the same CVE, unless already listed for the same product or host */
		if ((rc = kk_db_prepare(db,
					"SELECT tracking FROM report WHERE id <> ? AND cve = ? AND NOT (? <> '' AND "
					"kind = 'product' AND lower(product_name) = lower(?)) AND NOT (? <> '' AND "
					"website_host IS ?) ORDER BY id DESC LIMIT 50",
					&st)))
			return rc;
		kk_stmt_bind_int64(st, 1, s.id);
		kk_stmt_bind_text(st, 2, s.cve, -1);
		kk_stmt_bind_text(st, 3, s.product, -1);
		kk_stmt_bind_text(st, 4, s.product, -1);
		kk_stmt_bind_text(st, 5, s.host, -1);
		kk_stmt_bind_text(st, 6, s.host, -1);
		if ((rc = emit(st, "report", "same CVE", NULL, fn, arg, &count)))
			return rc;
		if ((rc = kk_db_prepare(db,
					"SELECT v.jvndb FROM vuln_alias a JOIN vuln v ON v.id = a.vuln_id WHERE a.alias = ?",
					&st)))
			return rc;
		kk_stmt_bind_text(st, 1, s.cve, -1);
		if ((rc = emit(st, "vulndb", "same CVE", NULL, fn, arg, &count)))
			return rc;
	}
	if (s.product[0]) {
		/* records affecting the product: the one product rule (vulndb/affected.h), newest 20 */
		struct kk_affect_ids ids = {0};
		struct kk_buf list;
		kk_buf_init(&list, 0);
		rc = kk_affect_match_names(db, s.vendor[0] ? s.vendor : NULL, s.product, &ids);
		kk_buf_putc(&list, '[');
		for (size_t i = 0; !rc && i < ids.n; i++)
			kk_buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids.v[i]);
		kk_buf_puts(&list, "]");
		kk_buf_putc(&list, 0);
		kk_affect_ids_release(&ids);
		if (!rc && kk_buf_error(&list))
			rc = KK_ENOMEM;
		if (!rc)
			rc = kk_db_prepare(db,
					   "SELECT v.jvndb, EXISTS (SELECT 1 FROM vuln_cwe w WHERE w.vuln_id = v.id AND "
					   "w.cwe = ?1) FROM vuln v WHERE v.id IN (SELECT value FROM json_each(?2)) "
					   "ORDER BY v.published DESC LIMIT 20",
					   &st);
		if (!rc) {
			kk_stmt_bind_int64(st, 1, s.cwe);
			kk_stmt_bind_text(st, 2, (const char *)list.ptr, -1);
			rc = emit(st, "vulndb", "same product", "same CWE and product", fn, arg, &count);
		}
		kk_buf_release(&list);
		if (rc)
			return rc;
	}
	return count;
}

/* ---- the finder's view ---------------------------------------------------------- */

struct fview {
	struct kk_json *j;
	int64_t id;
};

static int fview_row(void *arg, const struct kk_report_row *r)
{
	struct fview *v = arg;
	char at[32], up[32];
	kk_time_iso(r->created_at, at, sizeof(at));
	kk_time_iso(r->updated_at, up, sizeof(up));
	v->id = r->id;
	kk_json_kv_str(v->j, "tracking", r->tracking);
	kk_json_kv_str(v->j, "kind", r->kind);
	kk_json_kv_str(v->j, "status", r->status);
	kk_json_kv_str(v->j, "created_at", at);
	kk_json_kv_str(v->j, "updated_at", up);
	kk_json_kv_str(v->j, "stop_reason", r->stop_reason[0] ? r->stop_reason : NULL);
	kk_json_kv_str(v->j, "reason", r->reason[0] ? r->reason : NULL);
	return 0;
}

static int msg_json(void *arg, const struct kk_report_msg *m)
{
	struct kk_json *j = arg;
	char at[32];
	kk_time_iso(m->at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "at", at);
	kk_json_kv_str(j, "from", m->from_finder ? "finder" : "receiver");
	kk_json_kv_str(j, "kind", m->kind);
	kk_json_kv_str(j, "body", m->body);
	kk_json_obj_close(j);
	return 0;
}

int kk_intake_finder_json(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j)
{
	return kk_intake_finder_json_more(db, tracking, token, j, NULL, NULL);
}

int kk_intake_finder_json_more(struct kk_db *db, const char *tracking, const char *token, struct kk_json *j,
			       int (*more)(void *arg, struct kk_json *j), void *arg)
{
	struct fview v = {j, 0};
	kk_json_obj_open(j);
	int rc = kk_intake_finder_get(db, tracking, token, fview_row, &v);
	if (!rc) {
		kk_json_key(j, "thread");
		rc = kk_intake_thread_json(db, v.id, j);
	}
	if (!rc) {
		kk_json_key(j, "attachments");
		rc = kk_intake_attachments_json(db, v.id, j);
	}
	if (!rc && more)
		rc = more(arg, j);
	kk_json_obj_close(j);
	return rc < 0 ? rc : kk_json_error(j);
}

int kk_intake_thread_json(struct kk_db *db, int64_t report_id, struct kk_json *j)
{
	kk_json_arr_open(j);
	int rc = kk_intake_thread(db, report_id, msg_json, j);
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}

static int attachment_json(void *arg, const struct kk_attachment *x)
{
	struct kk_json *j = arg;
	char at[32];
	kk_time_iso(x->added_at, at, sizeof(at));
	kk_json_obj_open(j);
	kk_json_kv_str(j, "sha256", x->sha256);
	kk_json_kv_str(j, "filename", x->filename);
	kk_json_kv_int(j, "size", x->size);
	kk_json_kv_str(j, "mime", x->mime);
	kk_json_kv_str(j, "from", x->from_finder ? "finder" : "receiver");
	kk_json_kv_str(j, "added_at", at);
	kk_json_obj_close(j);
	return 0;
}

int kk_intake_attachments_json(struct kk_db *db, int64_t report_id, struct kk_json *j)
{
	kk_json_arr_open(j);
	int rc = kk_intake_attachments(db, report_id, false, attachment_json, j);
	kk_json_arr_close(j);
	return rc < 0 ? rc : 0;
}
