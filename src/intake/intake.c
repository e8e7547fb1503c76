/*
 * intake.c — submitting a report, the triage status machine, the thread
 * with the finder and the audited reveal of the sealed finder identity.
 * Every change runs in the caller's transaction with its audit row and the
 * mail to the finder. Also reading a report's row (the triage queue, one
 * report, the finder's view), which amending needs: query.c and attach.c
 * call into this file, never the other way.
 */
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/str.h"
#include "intake/intake.h"
#include "mail/mail.h"
#include "store/db.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const status_names[] = {
#define X(n, s) s,
	KK_REPORT_STATUSES(X)
#undef X
};
static const char *const stop_names[] = {
	"",
#define X(n, s) s,
	KK_STOP_REASONS(X)
#undef X
};

const char *kk_report_status_name(enum kk_report_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

int kk_report_status_parse(const char *s, enum kk_report_status *out)
{
	for (size_t i = 0; s && i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum kk_report_status)i;
			return 0;
		}
	return KK_EINVAL;
}

const char *kk_stop_reason_name(enum kk_stop_reason r)
{
	return (unsigned)r < sizeof(stop_names) / sizeof(stop_names[0]) ? stop_names[r] : "?";
}

int kk_stop_reason_parse(const char *s, enum kk_stop_reason *out)
{
	for (size_t i = 1; s && i < sizeof(stop_names) / sizeof(stop_names[0]); i++)
		if (!strcmp(s, stop_names[i])) {
			*out = (enum kk_stop_reason)i;
			return 0;
		}
	return KK_EINVAL;
}

/*
 * The standard's reasons to stop handling (003 appendix B V.2(2) 1-5 for products, VI.2(2) 1-5
 * for websites, where the website operator takes the coordinating body's place), worded as
 * the standard words them. [reason][website][ja].
 */
static const char *const stop_texts[][2][2] = {
	[KK_STOP_ALREADY_KNOWN] = {{"The receiving organization confirmed that the vulnerability is already known",
				    "受付機関が既知の脆弱性関連情報であると確認した"},
				   {"The receiving organization confirmed that the vulnerability is already known",
				    "受付機関が既知の脆弱性関連情報であると確認した"}},
	[KK_STOP_COORDINATOR_SAYS_KNOWN] = {{"The coordinating body told the receiving organization that the "
					     "vulnerability is already known",
					     "調整機関から既知の脆弱性関連情報である旨の通知を受けた"},
					    {"The website operator told the receiving organization that the "
					     "vulnerability is already known",
					     "ウェブサイト運営者から既知の脆弱性である旨の通知を受けた"}},
	[KK_STOP_NOT_A_VULNERABILITY] = {{"The receiving organization confirmed that it is not a vulnerability",
					  "受付機関が脆弱性関連情報に該当しないと確認した"},
					 {"The receiving organization confirmed that it is not a vulnerability",
					  "受付機関が脆弱性関連情報に該当しないと確認した"}},
	[KK_STOP_COORDINATOR_SAYS_NOT] = {{"The coordinating body told the receiving organization that it is not a "
					   "vulnerability",
					   "調整機関から脆弱性関連情報に該当しない旨の通知を受けた"},
					  {"The website operator told the receiving organization that it is not a "
					   "vulnerability",
					   "ウェブサイト運営者から脆弱性関連情報に該当しない旨の通知を受けた"}},
	[KK_STOP_POSSIBLY_ILLEGAL] = {{"The receiving organization considers that the information may have been "
				       "found or obtained unlawfully",
				       "受付機関が違法な方法により発見又は取得されたおそれがあると認めた"},
				      {"The receiving organization considers that the information may have been "
				       "found or obtained unlawfully",
				       "受付機関が違法な方法により発見又は取得されたおそれがあると認めた"}},
};

const char *kk_stop_reason_text(enum kk_stop_reason r, bool website, bool ja)
{
	if (r <= KK_STOP_NONE || (unsigned)r >= sizeof(stop_texts) / sizeof(stop_texts[0]))
		return "";
	return stop_texts[r][website][ja];
}

/* ---- the finder, sealed -------------------------------------------------- */

struct finder_plain {
	char *name, *email, *pgp_key, *credit_name; /* owned; NULL when absent */
};

static void finder_wipe(struct finder_plain *f)
{
	char **s[] = {&f->name, &f->email, &f->pgp_key, &f->credit_name};
	for (size_t i = 0; i < 4; i++) {
		if (*s[i]) {
			sodium_memzero(*s[i], strlen(*s[i]));
			kk_free(*s[i]);
		}
		*s[i] = NULL;
	}
}

static int finder_seal(const unsigned char *key, const struct kk_report_input *in, struct kk_buf *out)
{
	struct kk_buf plain = KK_BUF_INIT(0);
	struct kk_json j;
	kk_json_init(&j, &plain);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "name", in->finder_name);
	kk_json_kv_str(&j, "email", in->finder_email);
	kk_json_kv_str(&j, "pgp_key", in->finder_pgp_key);
	kk_json_kv_str(&j, "credit_name", in->credit_name);
	kk_json_obj_close(&j);
	int rc = kk_json_error(&j);
	if (!rc)
		rc = kk_seal(key, plain.ptr, plain.len, out);
	if (plain.len)
		sodium_memzero(plain.ptr, plain.len);
	kk_buf_release(&plain);
	return rc;
}

static int finder_unseal(const unsigned char *key, const void *blob, size_t n, struct finder_plain *f)
{
	memset(f, 0, sizeof(*f));
	struct kk_buf plain = KK_BUF_INIT(0);
	int rc = kk_unseal(key, blob, n, &plain);
	json_t *o = NULL;
	if (!rc) {
		json_error_t je;
		o = json_loadb(plain.ptr, plain.len, 0, &je);
		rc = o ? 0 : KK_EPARSE;
	}
	if (plain.len)
		sodium_memzero(plain.ptr, plain.len);
	kk_buf_release(&plain);
	if (rc)
		return rc;
	const char *keys[] = {"name", "email", "pgp_key", "credit_name"};
	char **dst[] = {&f->name, &f->email, &f->pgp_key, &f->credit_name};
	for (size_t i = 0; i < 4 && !rc; i++) {
		const char *v = json_string_value(json_object_get(o, keys[i]));
		if (v && !(*dst[i] = kk_strdup(v)))
			rc = KK_ENOMEM;
	}
	json_decref(o);
	if (rc)
		finder_wipe(f);
	return rc;
}

/* ---- the report a change is about --------------------------------------- */

struct core {
	int64_t id;
	char tracking[KK_TRACKING_MAX];
	enum kk_report_status status;
	bool product, ja;
	unsigned char *sealed; /* owned */
	size_t sealed_len;
	char token_hash[65];
};

static void core_release(struct core *c)
{
	kk_free(c->sealed);
	c->sealed = NULL;
}

static int core_load(struct kk_db *db, const char *tracking, struct core *c, struct kk_diag *d)
{
	memset(c, 0, sizeof(*c));
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT id, tracking, status, kind, lang, finder_sealed, token_hash FROM report "
			       "WHERE tracking = ?",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking ? tracking : "", -1);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		c->id = kk_stmt_int64(st, 0);
		kk_strlcpy(c->tracking, kk_stmt_text(st, 1), sizeof(c->tracking));
		kk_report_status_parse(kk_stmt_text(st, 2), &c->status);
		c->product = !strcmp(kk_stmt_text(st, 3), "product");
		c->ja = !strcmp(kk_stmt_text(st, 4), "ja");
		c->sealed_len = kk_stmt_bytes(st, 5);
		c->sealed = kk_malloc(c->sealed_len ? c->sealed_len : 1);
		if (c->sealed)
			memcpy(c->sealed, kk_stmt_blob(st, 5), c->sealed_len);
		kk_strlcpy(c->token_hash, kk_stmt_text(st, 6), sizeof(c->token_hash));
		rc = c->sealed ? 0 : KK_ENOMEM;
	} else if (rc == KK_DONE) {
		rc = kk_diag_set(d, KK_ENOTFOUND, "tracking", "no report %.40s; 'keikai report list' shows them",
				 tracking ? tracking : "");
	}
	kk_stmt_done(st);
	return rc;
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ---- mail to the finder --------------------------------------------------- */

enum event { EV_RECEIPT, EV_ACCEPTED, EV_NOT_ACCEPTED, EV_INFO, EV_STOPPED, EV_DUPLICATE, EV_MESSAGE, EV_PUBLISHED };

static const struct {
	const char *ja, *en, *lead_ja, *lead_en;
} events[] = {
	[EV_RECEIPT] = {"脆弱性関連情報の届出を受け付けました", "Your vulnerability report was received",
			"届出を受け付けました。内容を確認し、受理するかどうかをお知らせします。",
			"We received your report. We will check it and tell you whether it is accepted."},
	[EV_ACCEPTED] = {"届出を受理しました", "Your report was accepted",
			 "届出を受理しました。今後の取扱いの状況は下記の番号でお問い合わせください。",
			 "Your report was accepted. Quote the tracking number in any question."},
	[EV_NOT_ACCEPTED] = {"届出を受理できませんでした", "Your report was not accepted",
			     "次の理由により、届出を受理できませんでした。",
			     "We could not accept your report for the following reason."},
	[EV_INFO] = {"追加情報のお願い", "We need more information about your report",
		     "届出について、次の点を教えてください。届出の確認用リンクからご回答ください。",
		     "Please tell us the following; answer through your report's secret link."},
	[EV_STOPPED] = {"届出の取扱いを終了しました", "Handling of your report has ended",
			"次の理由により、届出の取扱いを終了しました。",
			"We have stopped handling your report for the following reason."},
	[EV_DUPLICATE] = {"既存の届出と同一の内容と判断しました", "Your report duplicates an earlier one",
			  "この届出は既に受け付けている届出と同一の内容と判断しました。",
			  "This report describes the same issue as one we already have."},
	[EV_MESSAGE] = {"受付機関からのメッセージ", "A message about your report",
			"届出について受付機関からメッセージがあります。",
			"The receiving organization wrote about your report."},
	[EV_PUBLISHED] = {"脆弱性情報を公表しました", "The vulnerability has been published",
			  "届出いただいた脆弱性の情報を JVN で公表しました。ご協力ありがとうございました。",
			  "The advisory on the vulnerability you reported is now public on JVN. Thank you for reporting it."},
};

static int mail_finder(struct kk_db *db, const unsigned char *key, const struct core *c, enum event ev,
		       const char *text, const char *link, struct kk_diag *d)
{
	struct finder_plain f;
	int rc = finder_unseal(key, c->sealed, c->sealed_len, &f);
	if (rc)
		return kk_diag_set(d, rc, "finder", "cannot unseal the finder of %s: %s (wrong key file?)", c->tracking,
				   kk_err_msg(rc));
	if (!f.email) {
		finder_wipe(&f);
		return kk_diag_set(d, KK_EINVAL, "finder.email", "the finder of %s left no e-mail address", c->tracking);
	}
	char subject[400], label[80];
	snprintf(subject, sizeof(subject), "[%s] %s / %s", c->tracking, events[ev].ja, events[ev].en);
	snprintf(label, sizeof(label), "finder of %s", c->tracking);
	struct kk_buf body = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	/* The finder's language first, then the other. */
	for (int pass = 0; pass < 2; pass++) {
		bool ja = (pass == 0) == c->ja;
		kk_buf_printf(&body, "%s\n%s: %s\n", ja ? events[ev].lead_ja : events[ev].lead_en,
			      ja ? "届出番号" : "Tracking number", c->tracking);
		if (text && *text)
			kk_buf_printf(&body, "\n%s\n", text);
		if (link)
			kk_buf_printf(&body, "\n%s\n%s\n",
				      ja ? "状況の確認と追加情報の送付（このリンクは他の人に教えないでください）:"
					 : "Follow the status and send more information (keep this link secret):",
				      link);
		if (!pass)
			kk_buf_puts(&body, "\n----------------------------------------\n\n");
	}
	rc = kk_buf_error(&body);
	if (!rc) {
		struct kk_mail m = {.to = f.email,
				    .subject = subject,
				    .body = body.ptr,
				    .pgp_key = f.pgp_key,
				    .related_type = "report",
				    .related_id = c->tracking,
				    .seal_key = key,
				    .label = label};
		rc = kk_mail_queue(db, &m, NULL, d);
	}
	if (body.len)
		sodium_memzero(body.ptr, body.len);
	kk_buf_release(&body);
	finder_wipe(&f);
	return rc;
}

static int add_message(struct kk_db *db, int64_t report_id, bool from_finder, int64_t author, const char *kind,
		       const char *body)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "INSERT INTO report_message (report_id, at, from_finder, author_user_id, kind, body) "
			       "VALUES (?, ?, ?, ?, ?, ?)",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, report_id);
	kk_stmt_bind_int64(st, 2, kk_clock_now());
	kk_stmt_bind_int64(st, 3, from_finder);
	if (author)
		kk_stmt_bind_int64(st, 4, author);
	else
		kk_stmt_bind_null(st, 4); /* the finder, or the CLI's system actor */
	kk_stmt_bind_text(st, 5, kind, -1);
	kk_stmt_bind_text(st, 6, body, -1);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int need_tx(struct kk_db *db, struct kk_diag *d)
{
	return kk_db_in_tx(db) ? 0 : kk_diag_set(d, KK_EINVAL, NULL, "must run inside kk_db_tx");
}

static int deny(const struct kk_actor *a, enum kk_action act, struct kk_diag *d)
{
	int rc = kk_policy_check(a, act, NULL);
	if (rc)
		kk_diag_set(d, rc, NULL, "%s may not %s", a ? a->label : "the public", kk_action_desc(act));
	return rc;
}

/* Inside a transaction and allowed to `act`: loads report `tracking` into c (core_release it). */
static int report_open(struct kk_db *db, const struct kk_actor *a, enum kk_action act, const char *tracking,
		       struct core *c, struct kk_diag *d)
{
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, act, d)))
		return rc;
	return core_load(db, tracking, c, d);
}

/* ---- submission ----------------------------------------------------------- */

static int next_tracking(struct kk_db *db, char *out, size_t n)
{
	time_t now = (time_t)(kk_clock_now() + 9 * 3600); /* the year in Japan, as a person there dates the report */
	struct tm tm;
	gmtime_r(&now, &tm);
	int64_t year = tm.tm_year + 1900, serial = 1;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT next FROM report_serial WHERE year = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, year);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		serial = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	if (rc < 0)
		return rc;
	rc = kk_db_exec(db,
			"INSERT INTO report_serial (year, next) VALUES (?, ?) "
			"ON CONFLICT (year) DO UPDATE SET next = excluded.next",
			"ii", year, serial + 1);
	if (rc < 0)
		return rc;
	snprintf(out, n, "KK-%04lld-%06lld", (long long)year, (long long)serial);
	return 0;
}

int kk_intake_submit(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		     const struct kk_report_input *in, bool incomplete, const char *base_url,
		     struct kk_report_receipt *r, struct kk_diag *d)
{
	memset(r, 0, sizeof(*r));
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, KK_ACT_REPORT_SUBMIT, d)))
		return rc;
	if (incomplete && !kk_policy_allow(a, KK_ACT_REPORT_TRIAGE, NULL))
		return kk_diag_set(d, KK_EPERM, NULL, "only receivers may enter an incomplete report");
	if ((rc = kk_intake_validate(db, in, !incomplete, d)))
		return rc;
	if ((rc = next_tracking(db, r->tracking, sizeof(r->tracking))))
		return kk_diag_set(d, rc, NULL, "cannot number the report: %s", kk_db_errmsg(db));
	kk_random_token(r->token, 32);
	char th[65], host[256] = "";
	token_hash(r->token, th);
	if (in->website_url)
		kk_intake_url_host(in->website_url, host, sizeof(host));
	struct kk_buf sealed = KK_BUF_INIT(0);
	if ((rc = finder_seal(key, in, &sealed))) {
		kk_buf_release(&sealed);
		return kk_diag_set(d, rc, "finder", "cannot seal the finder's identity: %s", kk_err_msg(rc));
	}
	int64_t now = kk_clock_now();
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
			   "INSERT INTO report (tracking, kind, status, token_hash, finder_sealed, has_pgp_key, disclose, "
			   "credit_wanted, anonymous, lang, product_name, product_version, product_vendor, website_name, "
			   "website_url, website_host, cwe, cve, description, steps, impact, reported_to, "
			   "publish_intent, publish_date, policy_ack, created_at, updated_at) "
			   "VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st);
	if (!rc) {
		int i = 1;
		kk_stmt_bind_text(st, i++, r->tracking, -1);
		kk_stmt_bind_text(st, i++, in->kind, -1);
		kk_stmt_bind_text(st, i++, th, -1);
		kk_stmt_bind_blob(st, i++, sealed.ptr, sealed.len);
		kk_stmt_bind_int64(st, i++, in->finder_pgp_key != NULL);
		kk_stmt_bind_text(st, i++, in->anonymous || !in->disclose ? "none" : in->disclose, -1);
		kk_stmt_bind_int64(st, i++, in->credit_wanted);
		kk_stmt_bind_int64(st, i++, in->anonymous);
		kk_stmt_bind_text(st, i++, in->lang ? in->lang : "ja", -1);
		kk_stmt_bind_text(st, i++, in->product_name, -1);
		kk_stmt_bind_text(st, i++, in->product_version, -1);
		kk_stmt_bind_text(st, i++, in->product_vendor, -1);
		kk_stmt_bind_text(st, i++, in->website_name, -1);
		kk_stmt_bind_text(st, i++, in->website_url, -1);
		kk_stmt_bind_text(st, i++, host[0] ? host : NULL, -1);
		if (in->cwe)
			kk_stmt_bind_int64(st, i++, in->cwe);
		else
			kk_stmt_bind_null(st, i++);
		kk_stmt_bind_text(st, i++, in->cve, -1);
		kk_stmt_bind_text(st, i++, in->description, -1);
		kk_stmt_bind_text(st, i++, in->steps, -1);
		kk_stmt_bind_text(st, i++, in->impact, -1);
		kk_stmt_bind_text(st, i++, in->reported_to, -1);
		kk_stmt_bind_int64(st, i++, in->publish_intent);
		if (in->publish_date)
			kk_stmt_bind_int64(st, i++, in->publish_date);
		else
			kk_stmt_bind_null(st, i++);
		kk_stmt_bind_int64(st, i++, in->policy_ack);
		kk_stmt_bind_int64(st, i++, now);
		kk_stmt_bind_int64(st, i++, now);
		rc = kk_stmt_step(st);
		kk_stmt_done(st);
		rc = rc < 0 ? rc : 0;
	}
	kk_buf_release(&sealed);
	if (rc)
		return kk_diag_set(d, rc, NULL, "cannot store the report: %s", kk_db_errmsg(db));
	r->id = kk_db_last_insert_id(db);
	char summary[160], after[120];
	snprintf(summary, sizeof(summary), "report %s submitted (%s%s)", r->tracking, in->kind,
		 incomplete ? ", incomplete" : "");
	snprintf(after, sizeof(after), "{\"status\":\"received\",\"kind\":\"%s\"}", in->kind);
	if ((rc = kk_audit(db, a, "report.submit", "report", r->tracking, summary, NULL, after)))
		return kk_diag_set(d, rc, NULL, "cannot audit the submission");
	struct core c;
	if ((rc = core_load(db, r->tracking, &c, d)))
		return rc;
	char link[1024];
	snprintf(link, sizeof(link), "%s/r/%s?key=%s", base_url && *base_url ? base_url : "http://127.0.0.1:8080",
		 r->tracking, r->token);
	rc = mail_finder(db, key, &c, EV_RECEIPT, NULL, link, d);
	sodium_memzero(link, sizeof(link));
	core_release(&c);
	return rc;
}

/* ---- triage ----------------------------------------------------------------- */

static int set_status(struct kk_db *db, const struct kk_actor *a, const struct core *c, enum kk_report_status to,
		      const char *verb, const char *summary_extra, struct kk_diag *d)
{
	int rc = kk_db_exec(db, "UPDATE report SET status = ?, updated_at = ? WHERE id = ?", "sii",
			    kk_report_status_name(to), kk_clock_now(), c->id);
	if (rc < 0)
		return kk_diag_set(d, rc, NULL, "%s", kk_db_errmsg(db));
	char action[48], summary[300], before[64], after[64];
	snprintf(action, sizeof(action), "report.%s", verb);
	snprintf(summary, sizeof(summary), "report %s: %s -> %s%s%s", c->tracking, kk_report_status_name(c->status),
		 kk_report_status_name(to), summary_extra ? " " : "", summary_extra ? summary_extra : "");
	snprintf(before, sizeof(before), "{\"status\":\"%s\"}", kk_report_status_name(c->status));
	snprintf(after, sizeof(after), "{\"status\":\"%s\"}", kk_report_status_name(to));
	rc = kk_audit(db, a, action, "report", c->tracking, summary, before, after);
	return rc ? kk_diag_set(d, rc, NULL, "cannot audit %s", action) : 0;
}

static bool allowed(enum kk_report_status from, enum kk_report_verb v)
{
	switch (v) {
	case KK_REPORT_ACCEPT:
	case KK_REPORT_REQUEST_INFO:
		return from == KK_REPORT_RECEIVED;
	case KK_REPORT_REJECT:
		return from == KK_REPORT_RECEIVED || from == KK_REPORT_INFO_REQUESTED;
	case KK_REPORT_STOP:
		return from == KK_REPORT_ACCEPTED;
	case KK_REPORT_MARK_DUPLICATE:
		return from == KK_REPORT_RECEIVED || from == KK_REPORT_INFO_REQUESTED || from == KK_REPORT_ACCEPTED;
	case KK_REPORT_ASSIGN:
		return true;
	}
	return false;
}

static const char *const verb_names[] = {"accept", "reject", "request_info", "stop", "duplicate", "assign"};

/* Loads the stored report back into an input to check completeness before accepting. */
static int check_complete(struct kk_db *db, int64_t id, const unsigned char *key, struct kk_diag *d)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT kind, product_name, website_url, description, policy_ack, finder_sealed FROM report "
			       "WHERE id = ?",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, id);
	if ((rc = kk_stmt_step(st)) != KK_ROW) {
		kk_stmt_done(st);
		return rc < 0 ? rc : KK_ENOTFOUND;
	}
	struct kk_report_input in = {0};
	struct finder_plain f;
	rc = finder_unseal(key, kk_stmt_blob(st, 5), kk_stmt_bytes(st, 5), &f);
	if (!rc) {
		in.kind = (char *)kk_stmt_text(st, 0);
		in.product_name = kk_stmt_is_null(st, 1) ? NULL : (char *)kk_stmt_text(st, 1);
		in.website_url = kk_stmt_is_null(st, 2) ? NULL : (char *)kk_stmt_text(st, 2);
		in.description = kk_stmt_is_null(st, 3) ? NULL : (char *)kk_stmt_text(st, 3);
		in.policy_ack = kk_stmt_int64(st, 4) != 0;
		in.finder_name = f.name;
		in.finder_email = f.email;
		rc = kk_intake_validate(NULL, &in, true, d);
		if (rc) {
			struct kk_diag why = *d;
			kk_diag_set(d, KK_EUNPROCESSABLE, why.where, "cannot accept until %s is given: %s", why.where,
				    why.msg);
		}
		finder_wipe(&f);
	} else {
		kk_diag_set(d, rc, "finder", "cannot unseal the finder: %s", kk_err_msg(rc));
	}
	kk_stmt_done(st);
	return rc ? (rc == KK_EINVAL ? KK_EUNPROCESSABLE : rc) : 0;
}

static int assign(struct kk_db *db, const struct kk_actor *a, const struct core *c, const char *email,
		  struct kk_diag *d)
{
	int64_t uid = 0;
	if (email && *email) {
		struct kk_stmt *st;
		int rc = kk_db_prepare(db,
				       "SELECT id FROM users WHERE email = ? AND disabled = 0 AND role IN ('receiver', "
				       "'admin')",
				       &st);
		if (rc)
			return rc;
		kk_stmt_bind_text(st, 1, email, -1);
		if (kk_stmt_step(st) == KK_ROW)
			uid = kk_stmt_int64(st, 0);
		kk_stmt_done(st);
		if (!uid)
			return kk_diag_set(d, KK_EINVAL, "assignee",
					   "'%.80s' is not an enabled receiver or admin ('keikai user list')", email);
	}
	int rc = uid ? kk_db_exec(db, "UPDATE report SET assignee_user_id = ?, updated_at = ? WHERE id = ?", "iii", uid,
				  kk_clock_now(), c->id)
		     : kk_db_exec(db, "UPDATE report SET assignee_user_id = NULL, updated_at = ? WHERE id = ?", "ii",
				  kk_clock_now(), c->id);
	if (rc < 0)
		return rc;
	char summary[200];
	snprintf(summary, sizeof(summary), "report %s assigned to %s", c->tracking, uid ? email : "nobody");
	return kk_audit(db, a, "report.assign", "report", c->tracking, summary, NULL, NULL);
}

static kk_intake_opener openers[2]; /* product, website */
static kk_intake_stop_listener stoppers[2]; /* product, website */
static kk_intake_finder_listener finder_listener;

void kk_intake_set_stop_listener(const char *kind, kk_intake_stop_listener fn)
{
	if (!strcmp(kind, "product"))
		stoppers[0] = fn;
	else if (!strcmp(kind, "website"))
		stoppers[1] = fn;
}

void kk_intake_set_finder_listener(kk_intake_finder_listener fn)
{
	finder_listener = fn;
}

void kk_intake_set_opener(const char *kind, kk_intake_opener fn)
{
	if (!strcmp(kind, "product"))
		openers[0] = fn;
	else if (!strcmp(kind, "website"))
		openers[1] = fn;
}

/* Runs the registered opener for the report's kind and marks its hand-off opened. */
static int hand_off(struct kk_db *db, const struct kk_actor *a, const struct core *c, char *ref, size_t n,
		    struct kk_diag *d)
{
	kk_intake_opener fn = openers[c->product ? 0 : 1];
	if (!fn)
		return 0;
	int rc = fn(db, a, c->id, ref, n, d);
	if (rc < 0)
		return rc;
	return kk_intake_handoff_opened(db, c->id, ref, d);
}

int kk_intake_handoff_opened(struct kk_db *db, int64_t report_id, const char *case_ref, struct kk_diag *d)
{
	int rc = kk_db_exec(db, "UPDATE case_handoff SET state = 'opened', case_ref = ? WHERE report_id = ?", "si",
			    case_ref && *case_ref ? case_ref : NULL, report_id);
	return rc < 0 ? kk_diag_set(d, rc, "case_handoff", "cannot record the opened case: %s", kk_db_errmsg(db)) : 0;
}

#define PENDING_SQL                                                                                          \
	"FROM case_handoff h JOIN report r ON r.id = h.report_id "                                           \
	"WHERE h.kind = ? AND h.state = 'pending' AND r.status = 'accepted' "

int kk_intake_pending_handoffs(struct kk_db *db, const char *kind)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT count(*) " PENDING_SQL, &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, kind ? kind : "", -1);
	rc = kk_stmt_step(st) == KK_ROW ? (int)kk_stmt_int64(st, 0) : KK_EDB;
	kk_stmt_done(st);
	return rc;
}

int kk_intake_open_pending(struct kk_db *db, const struct kk_actor *a, const char *kind,
			   int (*fn)(void *arg, const char *tracking, const char *case_ref), void *arg,
			   struct kk_diag *d)
{
	bool product = kind && !strcmp(kind, "product");
	if (!product && (!kind || strcmp(kind, "website")))
		return kk_diag_set(d, KK_EINVAL, "kind", "a hand-off is product or website");
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, product ? KK_ACT_CASE_COORDINATE : KK_ACT_WEBSITE_HANDLE, d)))
		return rc;
	kk_intake_opener open = openers[product ? 0 : 1];
	if (!open)
		return kk_diag_set(d, KK_EINVAL, "kind", "no %s cases can be opened here", kind);
	int opened = 0, n;
	do {
		/* a batch of ids first, so no statement stays open while the opener writes */
		int64_t ids[64];
		char tracking[64][KK_TRACKING_MAX];
		struct kk_stmt *st;
		if ((rc = kk_db_prepare(db,
					"SELECT h.report_id, r.tracking " PENDING_SQL "ORDER BY h.id LIMIT 64",
					&st)))
			return kk_diag_set(d, rc, "case_handoff", "cannot read the hand-offs: %s", kk_db_errmsg(db));
		kk_stmt_bind_text(st, 1, kind, -1);
		for (n = 0; kk_stmt_step(st) == KK_ROW; n++) {
			ids[n] = kk_stmt_int64(st, 0);
			kk_strlcpy(tracking[n], kk_stmt_text(st, 1), KK_TRACKING_MAX);
		}
		kk_stmt_done(st);
		for (int i = 0; i < n; i++) {
			char ref[64] = "";
			if ((rc = open(db, a, ids[i], ref, sizeof(ref), d)) < 0)
				return rc;
			if (!ref[0]) /* the opener declined: it stays pending, and the loop must not spin */
				return kk_diag_set(d, KK_EINVAL, "case_handoff", "report %s opened no case", tracking[i]);
			if ((rc = kk_intake_handoff_opened(db, ids[i], ref, d)))
				return rc;
			char summary[160];
			snprintf(summary, sizeof(summary), "pending hand-off of %s opened case %s", tracking[i], ref);
			if ((rc = kk_audit(db, a, "report.handoff", "report", tracking[i], summary, NULL, NULL)))
				return rc;
			opened++;
			if (fn && (rc = fn(arg, tracking[i], ref)))
				return rc < 0 ? rc : opened;
		}
	} while (n == 64);
	return opened;
}

int kk_intake_act(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		  const char *tracking, const struct kk_report_action *act, struct kk_diag *d)
{
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, KK_ACT_REPORT_TRIAGE, d)))
		return rc;
	if ((unsigned)act->verb > KK_REPORT_ASSIGN)
		return kk_diag_set(d, KK_EINVAL, "action", "unknown triage action");
	const char *text = act->text && *act->text ? act->text : NULL;
	if ((act->verb == KK_REPORT_REJECT || act->verb == KK_REPORT_REQUEST_INFO) && !text)
		return kk_diag_set(d, KK_EINVAL, act->verb == KK_REPORT_REJECT ? "reason" : "question",
				   "%s needs the text sent to the finder",
				   act->verb == KK_REPORT_REJECT ? "not accepting" : "asking for information");
	if (act->verb == KK_REPORT_STOP && (act->stop <= KK_STOP_NONE || act->stop > KK_STOP_POSSIBLY_ILLEGAL))
		return kk_diag_set(d, KK_EINVAL, "reason",
				   "stopping needs one of already_known, coordinator_says_known, not_a_vulnerability, "
				   "coordinator_says_not, possibly_illegal");
	if (text && strlen(text) > 16384)
		return kk_diag_set(d, KK_ETOOBIG, "text", "at most 16384 bytes");
	struct core c;
	if ((rc = core_load(db, tracking, &c, d)))
		return rc;
	if (!allowed(c.status, act->verb)) {
		rc = kk_diag_set(d, KK_ECONFLICT, "status", "report %s is %s; it cannot be %s from there", c.tracking,
				 kk_report_status_name(c.status), verb_names[act->verb]);
		goto out;
	}
	int64_t author = a ? a->user_id : 0;
	switch (act->verb) {
	case KK_REPORT_ASSIGN:
		rc = assign(db, a, &c, act->assignee_email, d);
		break;
	case KK_REPORT_ACCEPT:
		if ((rc = check_complete(db, c.id, key, d)))
			break;
		rc = kk_db_exec(db, "INSERT INTO case_handoff (report_id, kind, state, created_at) VALUES (?, ?, 'pending', ?)",
				"isi", c.id, c.product ? "product" : "website", kk_clock_now());
		if (rc < 0)
			break;
		char ref[64] = "", note[96];
		if ((rc = hand_off(db, a, &c, ref, sizeof(ref), d)))
			break;
		if (ref[0])
			snprintf(note, sizeof(note), "(%s case %s opened)", c.product ? "coordination" : "website", ref);
		else
			snprintf(note, sizeof(note), "(%s case pending)", c.product ? "coordination" : "website");
		if (!(rc = set_status(db, a, &c, KK_REPORT_ACCEPTED, "accept", note, d)))
			rc = mail_finder(db, key, &c, EV_ACCEPTED, text, NULL, d);
		break;
	case KK_REPORT_REJECT:
	case KK_REPORT_REQUEST_INFO: {
		bool rej = act->verb == KK_REPORT_REJECT;
		if ((rc = kk_db_exec(db, "UPDATE report SET reason = ? WHERE id = ?", "si", text, c.id)) < 0 ||
		    (rc = add_message(db, c.id, false, author, rej ? "reason" : "question", text)))
			break;
		if (!(rc = set_status(db, a, &c, rej ? KK_REPORT_NOT_ACCEPTED : KK_REPORT_INFO_REQUESTED,
				      rej ? "reject" : "request_info", NULL, d)))
			rc = mail_finder(db, key, &c, rej ? EV_NOT_ACCEPTED : EV_INFO, text, NULL, d);
		break;
	}
	case KK_REPORT_STOP: {
		struct kk_buf why = KK_BUF_INIT(20000);
		kk_buf_printf(&why, "%s。\n%s.%s%s", kk_stop_reason_text(act->stop, !c.product, true),
			      kk_stop_reason_text(act->stop, !c.product, false),
			      text ? "\n\n" : "", text ? text : "");
		if ((rc = kk_buf_error(&why)) ||
		    (rc = kk_db_exec(db, "UPDATE report SET stop_reason = ?, reason = ? WHERE id = ?", "ssi",
				     kk_stop_reason_name(act->stop), text, c.id)) < 0 ||
		    (rc = add_message(db, c.id, false, author, "reason", why.ptr)) ||
		    (rc = set_status(db, a, &c, KK_REPORT_HANDLING_STOPPED, "stop", kk_stop_reason_name(act->stop), d)))
			;
		else if (!(rc = mail_finder(db, key, &c, EV_STOPPED, why.ptr, NULL, d)) && stoppers[c.product ? 0 : 1])
			rc = stoppers[c.product ? 0 : 1](db, a, c.id, c.tracking, kk_stop_reason_name(act->stop), d);
		kk_buf_release(&why);
		break;
	}
	case KK_REPORT_MARK_DUPLICATE: {
		struct core o;
		if ((rc = core_load(db, act->duplicate_of, &o, d))) {
			if (rc == KK_ENOTFOUND)
				kk_diag_set(d, KK_EINVAL, "duplicate_of", "no report %.40s to be a duplicate of",
					    act->duplicate_of ? act->duplicate_of : "");
			rc = rc == KK_ENOTFOUND ? KK_EINVAL : rc;
			break;
		}
		bool bad = o.id == c.id || o.status == KK_REPORT_DUPLICATE;
		core_release(&o);
		if (bad) {
			rc = kk_diag_set(d, KK_EINVAL, "duplicate_of",
					 "%s cannot be marked a duplicate of itself or of a report that is a duplicate",
					 c.tracking);
			break;
		}
		char extra[64];
		snprintf(extra, sizeof(extra), "(of %s)", act->duplicate_of);
		if ((rc = kk_db_exec(db, "UPDATE report SET duplicate_of = (SELECT id FROM report WHERE tracking = ?) "
					 "WHERE id = ?",
				     "si", act->duplicate_of, c.id)) < 0 ||
		    (rc = set_status(db, a, &c, KK_REPORT_DUPLICATE, "duplicate", extra, d)))
			break;
		rc = mail_finder(db, key, &c, EV_DUPLICATE, text, NULL, d);
		break;
	}
	}
out:
	core_release(&c);
	if (rc < 0 && !d->msg[0])
		kk_diag_set(d, rc, NULL, "%s", rc == KK_EDB ? kk_db_errmsg(db) : kk_err_msg(rc));
	return rc < 0 ? rc : 0;
}

int kk_intake_message(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		      const char *tracking, const char *body, struct kk_diag *d)
{
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, KK_ACT_REPORT_TRIAGE, d)))
		return rc;
	if (!body || !*body || strlen(body) > 16384)
		return kk_diag_set(d, KK_EINVAL, "body", "a message needs 1 to 16384 bytes of text");
	struct core c;
	if ((rc = core_load(db, tracking, &c, d)))
		return rc;
	char summary[120];
	snprintf(summary, sizeof(summary), "message to the finder of %s", c.tracking);
	if (!(rc = add_message(db, c.id, false, a ? a->user_id : 0, "message", body)) &&
	    !(rc = kk_audit(db, a, "report.message", "report", c.tracking, summary, NULL, NULL)))
		rc = mail_finder(db, key, &c, EV_MESSAGE, body, NULL, d);
	core_release(&c);
	return rc;
}

int kk_intake_published(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *tracking,
			const char *ident, const char *url_ja, const char *url_en, struct kk_diag *d)
{
	int rc;
	if ((rc = need_tx(db, d)) || (rc = deny(a, KK_ACT_ADVISORY_PUBLISH, d)))
		return rc;
	if (!ident || !*ident || !url_ja || !url_en)
		return kk_diag_set(d, KK_EINVAL, "advisory", "telling the finder needs the advisory and its addresses");
	struct core c;
	if ((rc = core_load(db, tracking, &c, d)))
		return rc;
	char text[1200], summary[200];
	snprintf(text, sizeof(text), "%s を公表しました:\n%s\n\n%s has been published:\n%s", ident, url_ja, ident, url_en);
	snprintf(summary, sizeof(summary), "the finder of %s told of the publication of %s%s", c.tracking, ident,
		 key ? "" : " (on the status page only: no key file to mail them)");
	if (!(rc = add_message(db, c.id, false, 0, "message", text)) &&
	    !(rc = kk_audit(db, a, "report.published", "report", c.tracking, summary, NULL, NULL)) && key)
		rc = mail_finder(db, key, &c, EV_PUBLISHED, text, NULL, d);
	core_release(&c);
	return rc;
}

/* Finds the report for a secret link; KK_ENOTFOUND for any mismatch. */
static int finder_core(struct kk_db *db, const char *tracking, const char *token, struct core *c, struct kk_diag *d)
{
	int rc = core_load(db, tracking, c, NULL);
	if (rc && rc != KK_ENOTFOUND)
		return rc;
	char th[65];
	token_hash(token ? token : "", th);
	if (rc || !kk_ct_eq(th, c->token_hash, 64)) {
		core_release(c);
		return kk_diag_set(d, KK_ENOTFOUND, "key", "no report matches this link; check the whole link");
	}
	return 0;
}

int kk_intake_finder_post(struct kk_db *db, const char *tracking, const char *token, const char *body,
			  struct kk_diag *d)
{
	int rc;
	if ((rc = need_tx(db, d)))
		return rc;
	if (!body || !*body || strlen(body) > 65536)
		return kk_diag_set(d, KK_EINVAL, "body", "a message needs 1 to 65536 bytes of text");
	struct core c;
	if ((rc = finder_core(db, tracking, token, &c, d)))
		return rc;
	struct kk_actor finder = kk_actor_public;
	snprintf(finder.label, sizeof(finder.label), "finder of %s", c.tracking);
	bool answer = c.status == KK_REPORT_INFO_REQUESTED;
	if (!(rc = add_message(db, c.id, true, 0, answer ? "answer" : "message", body))) {
		if (answer)
			rc = set_status(db, &finder, &c, KK_REPORT_RECEIVED, "answer", "(the finder answered)", d);
		else
			rc = kk_audit(db, &finder, "report.followup", "report", c.tracking, "the finder wrote", NULL, NULL);
	}
	if (!rc && finder_listener)
		rc = finder_listener(db, c.id, c.tracking, body, d);
	core_release(&c);
	return rc;
}

int kk_intake_reveal(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		     const char *tracking, struct kk_finder *out, struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	struct core c;
	int rc = report_open(db, a, KK_ACT_FINDER_REVEAL, tracking, &c, d);
	if (rc)
		return rc;
	struct finder_plain f;
	rc = finder_unseal(key, c.sealed, c.sealed_len, &f);
	if (rc) {
		kk_diag_set(d, rc, "finder", "cannot unseal the finder of %s: %s (wrong key file?)", c.tracking,
			    kk_err_msg(rc));
	} else {
		char summary[400];
		snprintf(summary, sizeof(summary), "finder identity of %s revealed to %s", c.tracking,
			 a ? a->label : "?");
		rc = kk_audit(db, a, "report.reveal", "report", c.tracking, summary, NULL, NULL);
		if (!rc) {
			kk_strlcpy(out->name, f.name ? f.name : "", sizeof(out->name));
			kk_strlcpy(out->email, f.email ? f.email : "", sizeof(out->email));
			kk_strlcpy(out->credit_name, f.credit_name ? f.credit_name : "", sizeof(out->credit_name));
			out->has_pgp_key = f.pgp_key != NULL;
		}
		finder_wipe(&f);
	}
	core_release(&c);
	return rc;
}

int kk_intake_link_check(struct kk_db *db, const char *tracking, const char *token, struct kk_diag *d)
{
	struct core c;
	int rc = finder_core(db, tracking, token, &c, d);
	if (!rc)
		core_release(&c);
	return rc;
}

/* ---- reading report rows ------------------------------------------------------- */

#define ROW_SQL                                                                                              \
	"SELECT r.id, r.created_at, r.updated_at, r.publish_date, r.assignee_user_id, r.tracking, r.kind, "      \
	"r.status, r.lang, r.disclose, r.stop_reason, r.reason, d.tracking, r.credit_wanted, r.anonymous, "      \
	"r.has_pgp_key, r.publish_intent, r.policy_ack, r.product_name, r.product_version, r.product_vendor, "  \
	"r.website_name, r.website_url, r.website_host, r.cwe, r.cve, r.description, r.steps, r.impact, "       \
	"r.reported_to, u.email FROM report r LEFT JOIN report d ON d.id = r.duplicate_of "                    \
	"LEFT JOIN users u ON u.id = r.assignee_user_id "

static void fill_row(struct kk_stmt *st, struct kk_report_row *r, bool staff)
{
	int i = 0;
	r->id = kk_stmt_int64(st, i++);
	r->created_at = kk_stmt_int64(st, i++);
	r->updated_at = kk_stmt_int64(st, i++);
	r->publish_date = kk_stmt_int64(st, i++);
	r->assignee_user_id = staff ? kk_stmt_int64(st, i) : 0;
	i++;
	const char **s1[] = {&r->tracking, &r->kind, &r->status, &r->lang, &r->disclose, &r->stop_reason,
			     &r->reason, &r->duplicate_of};
	for (size_t k = 0; k < sizeof(s1) / sizeof(s1[0]); k++)
		*s1[k] = kk_stmt_text(st, i++);
	bool *b[] = {&r->credit_wanted, &r->anonymous, &r->has_pgp_key, &r->publish_intent, &r->policy_ack};
	for (size_t k = 0; k < sizeof(b) / sizeof(b[0]); k++)
		*b[k] = kk_stmt_int64(st, i++) != 0;
	const char **s2[] = {&r->product_name, &r->product_version, &r->product_vendor, &r->website_name,
			     &r->website_url, &r->website_host};
	for (size_t k = 0; k < sizeof(s2) / sizeof(s2[0]); k++)
		*s2[k] = kk_stmt_text(st, i++);
	r->cwe = (int)kk_stmt_int64(st, i++);
	const char **s3[] = {&r->cve, &r->description, &r->steps, &r->impact, &r->reported_to, &r->assignee_email};
	for (size_t k = 0; k < sizeof(s3) / sizeof(s3[0]); k++)
		*s3[k] = kk_stmt_text(st, i++);
	if (!staff)
		r->assignee_email = "";
}

static int walk(struct kk_stmt *st, bool staff, int (*fn)(void *arg, const struct kk_report_row *r), void *arg)
{
	int rc, n = 0;
	while ((rc = kk_stmt_step(st)) == KK_ROW) {
		struct kk_report_row r;
		fill_row(st, &r, staff);
		n++;
		if ((rc = fn(arg, &r)))
			break;
	}
	kk_stmt_done(st);
	return rc < 0 ? rc : rc > 0 ? rc : n;
}

int kk_intake_list(struct kk_db *db, const struct kk_actor *a, const struct kk_report_filter *f,
		   int (*fn)(void *arg, const struct kk_report_row *r), void *arg)
{
	int rc = kk_policy_check(a, KK_ACT_REPORT_TRIAGE, NULL);
	if (rc)
		return rc;
	struct kk_stmt *st;
	rc = kk_db_prepare(db,
			   ROW_SQL "WHERE (? IS NULL OR r.status = ?) AND (? IS NULL OR r.kind = ?) "
				   "AND (? IS NULL OR u.email = ?) AND (? = 0 OR r.created_at < ?) ORDER BY r.id DESC",
			   &st);
	if (rc)
		return rc;
	const char *v[3] = {f ? f->status : NULL, f ? f->kind : NULL, f ? f->assignee_email : NULL};
	for (int i = 0; i < 3; i++) {
		kk_stmt_bind_text(st, 2 * i + 1, v[i], -1);
		kk_stmt_bind_text(st, 2 * i + 2, v[i], -1);
	}
	kk_stmt_bind_int64(st, 7, f ? f->received_before : 0);
	kk_stmt_bind_int64(st, 8, f ? f->received_before : 0);
	return walk(st, true, fn, arg);
}

static int get(struct kk_db *db, const char *tracking, bool staff, int (*fn)(void *arg, const struct kk_report_row *r),
	       void *arg)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, ROW_SQL "WHERE r.tracking = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_text(st, 1, tracking ? tracking : "", -1);
	rc = walk(st, staff, fn, arg);
	return rc == 0 ? KK_ENOTFOUND : rc < 0 ? rc : 0;
}

int kk_intake_get(struct kk_db *db, const struct kk_actor *a, const char *tracking,
		  int (*fn)(void *arg, const struct kk_report_row *r), void *arg)
{
	int rc = kk_policy_check(a, KK_ACT_REPORT_TRIAGE, NULL);
	return rc ? rc : get(db, tracking, true, fn, arg);
}

int kk_intake_finder_get(struct kk_db *db, const char *tracking, const char *token,
			 int (*fn)(void *arg, const struct kk_report_row *r), void *arg)
{
	int rc = kk_intake_link_check(db, tracking, token, NULL);
	return rc ? rc : get(db, tracking, false, fn, arg);
}

/* ---- amending ------------------------------------------------------------------ */

struct loaded {
	struct kk_report_input *in;
	int rc;
};

static char *dup_or_null(const char *s, int *rc)
{
	if (!s || !*s)
		return NULL;
	char *p = kk_strdup(s);
	if (!p)
		*rc = KK_ENOMEM;
	return p;
}

static int load_input(void *arg, const struct kk_report_row *r)
{
	struct loaded *l = arg;
	struct kk_report_input *in = l->in;
	in->kind = dup_or_null(r->kind, &l->rc);
	in->lang = dup_or_null(r->lang, &l->rc);
	in->disclose = dup_or_null(r->disclose, &l->rc);
	in->credit_wanted = r->credit_wanted;
	in->anonymous = r->anonymous;
	in->product_name = dup_or_null(r->product_name, &l->rc);
	in->product_version = dup_or_null(r->product_version, &l->rc);
	in->product_vendor = dup_or_null(r->product_vendor, &l->rc);
	in->website_name = dup_or_null(r->website_name, &l->rc);
	in->website_url = dup_or_null(r->website_url, &l->rc);
	in->cwe = r->cwe;
	in->cve = dup_or_null(r->cve, &l->rc);
	in->description = dup_or_null(r->description, &l->rc);
	in->steps = dup_or_null(r->steps, &l->rc);
	in->impact = dup_or_null(r->impact, &l->rc);
	in->reported_to = dup_or_null(r->reported_to, &l->rc);
	in->publish_intent = r->publish_intent;
	in->publish_date = r->publish_date;
	in->policy_ack = r->policy_ack;
	return 0;
}

/* Moves patch's string into *dst when given; appends its name to `changed`. */
static void take(char **dst, char **src, const char *name, struct kk_buf *changed)
{
	if (!*src)
		return;
	if (*dst) {
		sodium_memzero(*dst, strlen(*dst));
		kk_free(*dst);
	}
	*dst = *src;
	*src = NULL;
	kk_buf_printf(changed, "%s%s", changed->len ? "," : "", name);
}

int kk_intake_amend(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		    const char *tracking, const struct kk_report_input *patch_in, struct kk_diag *d)
{
	struct core c;
	int rc = report_open(db, a, KK_ACT_REPORT_TRIAGE, tracking, &c, d);
	if (rc)
		return rc;
	struct kk_report_input cur = {0}, patch = *patch_in; /* patch's strings are moved out of a copy */
	struct kk_report_input owned = {0};
	struct finder_plain f = {0};
	struct kk_buf changed = KK_BUF_INIT(1024), sealed = KK_BUF_INIT(0);
	if (c.status != KK_REPORT_RECEIVED && c.status != KK_REPORT_INFO_REQUESTED) {
		rc = kk_diag_set(d, KK_ECONFLICT, "status", "report %s is %s; only received or info_requested reports "
				 "are amended", c.tracking, kk_report_status_name(c.status));
		goto out;
	}
	struct loaded l = {&cur, 0};
	if ((rc = kk_intake_get(db, a, tracking, load_input, &l)) || (rc = l.rc))
		goto out;
	if ((rc = finder_unseal(key, c.sealed, c.sealed_len, &f))) {
		kk_diag_set(d, rc, "finder", "cannot unseal the finder of %s: %s", c.tracking, kk_err_msg(rc));
		goto out;
	}
	cur.finder_name = f.name;
	cur.finder_email = f.email;
	cur.finder_pgp_key = f.pgp_key;
	cur.credit_name = f.credit_name;
	memset(&f, 0, sizeof(f)); /* now owned by cur */
	/* copy the patch's strings so moving them leaves the caller's input intact */
	char **ps[] = {&patch.finder_name, &patch.finder_email, &patch.finder_pgp_key, &patch.disclose,
		       &patch.credit_name, &patch.product_name, &patch.product_version, &patch.product_vendor,
		       &patch.website_name, &patch.website_url, &patch.cve, &patch.description, &patch.steps,
		       &patch.impact, &patch.reported_to};
	char **os[] = {&owned.finder_name, &owned.finder_email, &owned.finder_pgp_key, &owned.disclose,
		       &owned.credit_name, &owned.product_name, &owned.product_version, &owned.product_vendor,
		       &owned.website_name, &owned.website_url, &owned.cve, &owned.description, &owned.steps,
		       &owned.impact, &owned.reported_to};
	static const char *const names[] = {"finder.name", "finder.email", "finder.pgp_key", "finder.disclose",
					    "finder.credit_name", "product.name", "product.version", "product.vendor",
					    "website.name", "website.url", "vulnerability.cve",
					    "vulnerability.description", "vulnerability.steps", "vulnerability.impact",
					    "reported_to"};
	char **cs[] = {&cur.finder_name, &cur.finder_email, &cur.finder_pgp_key, &cur.disclose,
		       &cur.credit_name, &cur.product_name, &cur.product_version, &cur.product_vendor,
		       &cur.website_name, &cur.website_url, &cur.cve, &cur.description, &cur.steps,
		       &cur.impact, &cur.reported_to};
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		if (*ps[i] && !(*os[i] = kk_strdup(*ps[i]))) {
			rc = KK_ENOMEM;
			goto out;
		}
		take(cs[i], os[i], names[i], &changed);
	}
	if (patch.cwe && patch.cwe != cur.cwe) {
		cur.cwe = patch.cwe;
		kk_buf_printf(&changed, "%svulnerability.cwe", changed.len ? "," : "");
	}
	if (patch.publish_date) {
		cur.publish_date = patch.publish_date;
		kk_buf_printf(&changed, "%spublication.date", changed.len ? "," : "");
	}
	bool *pb[] = {&patch.credit_wanted, &patch.anonymous, &patch.publish_intent, &patch.policy_ack};
	bool *cb[] = {&cur.credit_wanted, &cur.anonymous, &cur.publish_intent, &cur.policy_ack};
	static const char *const bnames[] = {"finder.credit", "finder.anonymous", "publication.intent", "policy_ack"};
	for (size_t i = 0; i < 4; i++)
		if (*pb[i] && !*cb[i]) {
			*cb[i] = true;
			kk_buf_printf(&changed, "%s%s", changed.len ? "," : "", bnames[i]);
		}
	if (!changed.len) {
		rc = kk_diag_set(d, KK_EINVAL, NULL, "nothing to change: give at least one item");
		goto out;
	}
	if ((rc = kk_intake_validate(db, &cur, false, d)) || (rc = finder_seal(key, &cur, &sealed)))
		goto out;
	char host[256] = "";
	if (cur.website_url)
		kk_intake_url_host(cur.website_url, host, sizeof(host));
	rc = kk_db_exec(db,
			"UPDATE report SET has_pgp_key = ?, disclose = ?, credit_wanted = ?, anonymous = ?, "
			"product_name = ?, product_version = ?, product_vendor = ?, website_name = ?, website_url = ?, "
			"website_host = ?, cve = ?, description = ?, steps = ?, impact = ?, reported_to = ?, "
			"publish_intent = ?, policy_ack = ?, updated_at = ? WHERE id = ?",
			"isiisssssssssssiiii", (int64_t)(cur.finder_pgp_key != NULL),
			cur.anonymous || !cur.disclose ? "none" : cur.disclose, (int64_t)cur.credit_wanted,
			(int64_t)cur.anonymous, cur.product_name, cur.product_version, cur.product_vendor,
			cur.website_name, cur.website_url, host[0] ? host : NULL, cur.cve, cur.description, cur.steps,
			cur.impact, cur.reported_to, (int64_t)cur.publish_intent, (int64_t)cur.policy_ack, kk_clock_now(),
			c.id);
	if (rc >= 0) {
		struct kk_stmt *st;
		rc = kk_db_prepare(db, "UPDATE report SET finder_sealed = ?, cwe = ?, publish_date = ? WHERE id = ?", &st);
		if (!rc) {
			kk_stmt_bind_blob(st, 1, sealed.ptr, sealed.len);
			if (cur.cwe)
				kk_stmt_bind_int64(st, 2, cur.cwe);
			else
				kk_stmt_bind_null(st, 2);
			if (cur.publish_date)
				kk_stmt_bind_int64(st, 3, cur.publish_date);
			else
				kk_stmt_bind_null(st, 3);
			kk_stmt_bind_int64(st, 4, c.id);
			rc = kk_stmt_step(st);
			kk_stmt_done(st);
		}
	}
	if (rc < 0) {
		kk_diag_set(d, rc, NULL, "cannot amend %s: %s", c.tracking, kk_db_errmsg(db));
		goto out;
	}
	char summary[1200];
	snprintf(summary, sizeof(summary), "report %s amended: %s", c.tracking, changed.ptr);
	rc = kk_audit(db, a, "report.amend", "report", c.tracking, summary, NULL, NULL);
out:
	if (cur.finder_name)
		sodium_memzero(cur.finder_name, strlen(cur.finder_name));
	if (cur.finder_email)
		sodium_memzero(cur.finder_email, strlen(cur.finder_email));
	kk_intake_input_release(&cur);
	kk_intake_input_release(&owned);
	finder_wipe(&f);
	kk_buf_release(&changed);
	kk_buf_release(&sealed);
	core_release(&c);
	return rc < 0 ? rc : 0;
}

int kk_intake_finder_consented(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
			       const char *tracking, struct kk_finder *out, struct kk_diag *d)
{
	memset(out, 0, sizeof(*out));
	struct core c;
	int rc = report_open(db, a, KK_ACT_REPORT_TRIAGE, tracking, &c, d);
	if (rc)
		return rc;
	struct kk_stmt *st;
	char disclose[16] = "none";
	bool credit = false;
	if (!(rc = kk_db_prepare(db, "SELECT disclose, credit_wanted, anonymous FROM report WHERE id = ?", &st))) {
		kk_stmt_bind_int64(st, 1, c.id);
		if ((rc = kk_stmt_step(st)) == KK_ROW) {
			bool anonymous = kk_stmt_int64(st, 2) != 0;
			kk_strlcpy(disclose, anonymous ? "none" : kk_stmt_text(st, 0), sizeof(disclose));
			credit = !anonymous && kk_stmt_int64(st, 1) != 0;
			rc = 0;
		}
		kk_stmt_done(st);
	}
	struct finder_plain f = {0};
	if (!rc && (rc = finder_unseal(key, c.sealed, c.sealed_len, &f)))
		kk_diag_set(d, rc, "finder", "cannot unseal the finder of %s: %s", c.tracking, kk_err_msg(rc));
	if (!rc) {
		bool name = strcmp(disclose, "none") != 0, contact = !strcmp(disclose, "name_contact");
		if (name)
			kk_strlcpy(out->name, f.name ? f.name : "", sizeof(out->name));
		if (contact)
			kk_strlcpy(out->email, f.email ? f.email : "", sizeof(out->email));
		if (credit)
			kk_strlcpy(out->credit_name, f.credit_name ? f.credit_name : "", sizeof(out->credit_name));
		char summary[300];
		snprintf(summary, sizeof(summary), "finder of %s disclosed as consented (%s%s)", c.tracking,
			 contact ? "name, e-mail" : name ? "name" : "nothing", credit ? ", credit name" : "");
		rc = kk_audit(db, a, "report.disclose", "report", c.tracking, summary, NULL, NULL);
		if (rc)
			sodium_memzero(out, sizeof(*out));
	}
	finder_wipe(&f);
	core_release(&c);
	return rc < 0 ? rc : 0;
}
