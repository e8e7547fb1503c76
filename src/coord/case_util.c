/*
 * case_util.c — configuration, the pure state machine and date rules, and
 * the helpers the case files share (case_int.h): loading, gates, audit,
 * readiness of the case (case_recompute), mail to a vendor's channels and
 * to staff.
 */
#include "auth/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "base/utf8.h"
#include "coord/case_int.h"
#include "coord/directory.h"
#include "mail/mail.h"
#include "store/db.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- configuration --------------------------------------------------------- */

void kk_coord_config_default(struct kk_coord_config *c)
{
	memset(c, 0, sizeof(*c));
	c->publish_days = 45;
	c->publish_hour = 11;
	c->ack_days = 5;
	c->verify_days = 14;
	c->date_warn_days = 7;
	c->remind_every_days = 3;
	c->max_attempts = 3;
	kk_strlcpy(c->base_url, "http://127.0.0.1:8080", sizeof(c->base_url));
}

static struct kk_coord_config config;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void env_int(const char *name, int *v, int lo, int hi)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return;
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || n < lo || n > hi) {
		fprintf(stderr, "keikai: %s=%s is not a number from %d to %d; using %d\n", name, s, lo, hi, *v);
		return;
	}
	*v = (int)n;
}

static void config_load(void)
{
	kk_coord_config_default(&config);
	env_int("KEIKAI_COORD_PUBLISH_DAYS", &config.publish_days, 1, 3650);
	env_int("KEIKAI_COORD_PUBLISH_HOUR", &config.publish_hour, 0, 23);
	env_int("KEIKAI_COORD_ACK_DAYS", &config.ack_days, 1, 365);
	env_int("KEIKAI_COORD_VERIFY_DAYS", &config.verify_days, 1, 365);
	env_int("KEIKAI_COORD_DATE_WARN_DAYS", &config.date_warn_days, 1, 365);
	env_int("KEIKAI_COORD_REMIND_EVERY_DAYS", &config.remind_every_days, 1, 365);
	env_int("KEIKAI_COORD_MAX_ATTEMPTS", &config.max_attempts, 1, 100);
	const char *b = getenv("KEIKAI_BASE_URL");
	if (b && *b)
		kk_strlcpy(config.base_url, b, sizeof(config.base_url));
	size_t n = strlen(config.base_url);
	while (n && config.base_url[n - 1] == '/')
		config.base_url[--n] = 0;
}

const struct kk_coord_config *kk_coord_config(void)
{
	pthread_once(&config_once, config_load);
	return &config;
}

/* ---- names ----------------------------------------------------------------- */

static const char *const pstate_names[] = {
#define X(n, s) s,
	KK_PSTATES(X)
#undef X
};
static const char *const pverb_names[] = {
#define X(n, s) s,
	KK_PVERBS(X)
#undef X
};
static const char *const ver_names[] = {
	"",
#define X(n, s) s,
	KK_VERIFICATIONS(X)
#undef X
};

const char *kk_pstate_name(enum kk_pstate s)
{
	return (unsigned)s < KK_PS__COUNT ? pstate_names[s] : "?";
}

const char *kk_pverb_name(enum kk_pverb v)
{
	return (unsigned)v < KK_PV__COUNT ? pverb_names[v] : "?";
}

const char *kk_verification_name(enum kk_verification v)
{
	return (unsigned)v <= KK_VER_ALREADY_KNOWN ? ver_names[v] : "?";
}

static int parse_name(const char *s, const char *const *names, int n, int first, int *out)
{
	for (int i = first; s && i < n; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	return KK_EINVAL;
}

int kk_pstate_parse(const char *s, enum kk_pstate *out)
{
	int i, rc = parse_name(s, pstate_names, KK_PS__COUNT, 0, &i);
	if (!rc)
		*out = (enum kk_pstate)i;
	return rc;
}

int kk_pverb_parse(const char *s, enum kk_pverb *out)
{
	int i, rc = parse_name(s, pverb_names, KK_PV__COUNT, 0, &i);
	if (!rc)
		*out = (enum kk_pverb)i;
	return rc;
}

int kk_verification_parse(const char *s, enum kk_verification *out)
{
	int i, rc = parse_name(s, ver_names, KK_VER_ALREADY_KNOWN + 1, 1, &i);
	if (!rc)
		*out = (enum kk_verification)i;
	return rc;
}

/* ---- the state machine ----------------------------------------------------- */

bool kk_pverb_by_vendor(enum kk_pverb verb)
{
	return verb != KK_PV_NOTIFY && verb != KK_PV_SEND_DETAILS;
}

int kk_participant_next(enum kk_pstate from, enum kk_verification cur, enum kk_pverb verb, enum kk_verification v,
			enum kk_pstate *to)
{
	if ((verb == KK_PV_VERIFY) != (v != KK_VER_NONE))
		return KK_EINVAL;
	switch (verb) {
	case KK_PV_NOTIFY:
		*to = KK_PS_NOTIFIED;
		return from == KK_PS_ADDED ? 0 : KK_ECONFLICT;
	case KK_PV_ACKNOWLEDGE:
		*to = KK_PS_ACKNOWLEDGED;
		return from == KK_PS_NOTIFIED ? 0 : KK_ECONFLICT;
	case KK_PV_REQUEST_DETAILS:
		*to = KK_PS_DETAILS_REQUESTED;
		return from == KK_PS_NOTIFIED || from == KK_PS_ACKNOWLEDGED ? 0 : KK_ECONFLICT;
	case KK_PV_NO_AFFECTED:
		*to = KK_PS_VERIFIED;
		return from == KK_PS_NOTIFIED || from == KK_PS_ACKNOWLEDGED ? 0 : KK_ECONFLICT;
	case KK_PV_SEND_DETAILS:
		*to = KK_PS_DETAILS_SENT;
		return from == KK_PS_DETAILS_REQUESTED ? 0 : KK_ECONFLICT;
	case KK_PV_VERIFY:
		*to = KK_PS_VERIFIED;
		return from == KK_PS_DETAILS_SENT ? 0 : KK_ECONFLICT;
	case KK_PV_REPORT_FIX:
		*to = KK_PS_FIX_REPORTED;
		if (from == KK_PS_FIX_REPORTED)
			return 0;
		return from == KK_PS_VERIFIED && (cur == KK_VER_AFFECTED || cur == KK_VER_ALREADY_KNOWN) ? 0
													 : KK_ECONFLICT;
	case KK_PV_READY:
		*to = KK_PS_READY;
		if (from == KK_PS_FIX_REPORTED)
			return 0;
		return from == KK_PS_VERIFIED && cur == KK_VER_NOT_AFFECTED ? 0 : KK_ECONFLICT;
	case KK_PV__COUNT:
		break;
	}
	return KK_EINVAL;
}

int64_t kk_case_default_date(int64_t started, int days, int hour_jst)
{
	const int64_t jst = 9 * 3600;
	int64_t t = started + (int64_t)days * 86400 + jst; /* local JST seconds */
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	return day * 86400 + (int64_t)hour_jst * 3600 - jst;
}

const char *kk_case_cancel_reason(size_t n, size_t known, size_t not_affected)
{
	if (!n)
		return NULL;
	if (known == n)
		return "all_already_known";
	if (not_affected == n)
		return "all_not_affected";
	return NULL;
}

/* ---- loading --------------------------------------------------------------- */

int case_need_tx(struct kk_db *db, struct kk_diag *d)
{
	return kk_db_in_tx(db) ? 0 : kk_diag_set(d, KK_EINVAL, NULL, "must run inside kk_db_tx");
}

static int load_where(struct kk_db *db, const char *sql, const char *s, int64_t id, struct case_core *c)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (s)
		kk_stmt_bind_text(st, 1, s, -1);
	else
		kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		memset(c, 0, sizeof(*c));
		c->id = kk_stmt_int64(st, 0);
		kk_strlcpy(c->ref, kk_stmt_text(st, 1), sizeof(c->ref));
		kk_strlcpy(c->state, kk_stmt_text(st, 2), sizeof(c->state));
		c->started_at = kk_stmt_int64(st, 3);
		c->publish_at = kk_stmt_int64(st, 4);
		kk_strlcpy(c->product, kk_stmt_text(st, 5), sizeof(c->product));
		kk_strlcpy(c->version, kk_stmt_text(st, 6), sizeof(c->version));
		rc = 0;
	} else if (rc == KK_DONE)
		rc = KK_ENOTFOUND;
	kk_stmt_done(st);
	return rc;
}

#define CASE_COLS "id, ref, " CASE_STATE_SQL("coord_case") ", started_at, publish_at, product, product_version"

int case_load(struct kk_db *db, const char *ref, struct case_core *c, struct kk_diag *d)
{
	if (!ref || !*ref)
		return kk_diag_set(d, KK_EINVAL, "case", "give a case number such as KKC-2026-0001");
	int rc = load_where(db, "SELECT " CASE_COLS " FROM coord_case WHERE ref = ?", ref, 0, c);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, rc, "case", "no case %s", ref); /* the same words whether it exists or not */
	if (rc)
		return kk_diag_set(d, rc, "case", "cannot read case %s: %s", ref, kk_db_errmsg(db));
	return 0;
}

int case_load_id(struct kk_db *db, int64_t id, struct case_core *c)
{
	return load_where(db, "SELECT " CASE_COLS " FROM coord_case WHERE id = ?", NULL, id, c);
}

int case_must_be_open(const struct case_core *c, struct kk_diag *d)
{
	if (!strcmp(c->state, "open"))
		return 0;
	return kk_diag_set(d, KK_ECONFLICT, "state", "case %s is %s; only an open case can change", c->ref, c->state);
}

int case_must_be_active(const struct case_core *c, struct kk_diag *d)
{
	if (!strcmp(c->state, "open") || !strcmp(c->state, "ready"))
		return 0;
	return kk_diag_set(d, KK_ECONFLICT, "state", "case %s is %s; it no longer changes", c->ref, c->state);
}

static int part_where(struct kk_db *db, const char *sql, int64_t x, int64_t y, struct part_core *p)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, x);
	if (y)
		kk_stmt_bind_int64(st, 2, y);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW) {
		memset(p, 0, sizeof(*p));
		p->id = kk_stmt_int64(st, 0);
		p->case_id = kk_stmt_int64(st, 1);
		p->org_id = kk_stmt_int64(st, 2);
		kk_pstate_parse(kk_stmt_text(st, 3), &p->state);
		if (!kk_stmt_is_null(st, 4))
			kk_verification_parse(kk_stmt_text(st, 4), &p->ver);
		p->attempts = (int)kk_stmt_int64(st, 5);
		p->unreachable_at = kk_stmt_int64(st, 6);
		kk_strlcpy(p->org_name, kk_stmt_text(st, 7), sizeof(p->org_name));
		p->details_sent_at = kk_stmt_int64(st, 8);
		rc = 0;
	} else if (rc == KK_DONE)
		rc = KK_ENOTFOUND;
	kk_stmt_done(st);
	return rc;
}

#define PART_SQL                                                                                             \
	"SELECT p.id, p.case_id, p.org_id, p.state, p.verification, p.attempts, coalesce(p.unreachable_at, 0), " \
	"o.name, coalesce(p.details_sent_at, 0) FROM coord_participant p JOIN organizations o ON o.id = p.org_id "

int part_load(struct kk_db *db, int64_t case_id, int64_t org_id, struct part_core *p, struct kk_diag *d)
{
	int rc = part_where(db, PART_SQL "WHERE p.case_id = ? AND p.org_id = ?", case_id, org_id, p);
	if (rc == KK_ENOTFOUND) {
		struct kk_org o;
		if (!kk_org_get(db, org_id, &o))
			return kk_diag_set(d, rc, "vendor", "vendor %s is not in this case; add it first", o.name);
		return kk_diag_set(d, rc, "vendor", "no organization %lld", (long long)org_id);
	}
	return rc ? kk_diag_set(d, rc, "vendor", "cannot read the vendor: %s", kk_db_errmsg(db)) : 0;
}

int part_load_id(struct kk_db *db, int64_t id, struct part_core *p)
{
	return part_where(db, PART_SQL "WHERE p.id = ?", id, 0, p);
}

int case_each_participant(struct kk_db *db, int64_t case_id, bool notified_only,
			  int (*fn)(struct kk_db *db, struct part_core *p, void *arg), void *arg)
{
	int64_t after = 0, ids[256];
	int n, rc = 0;
	do {
		struct kk_stmt *st;
		if ((rc = kk_db_prepare(db,
					"SELECT id FROM coord_participant WHERE case_id = ? AND id > ? AND (? = 0 OR state <> 'added') "
					"ORDER BY id LIMIT 256",
					&st)))
			return rc;
		kk_stmt_bind_int64(st, 1, case_id);
		kk_stmt_bind_int64(st, 2, after);
		kk_stmt_bind_int64(st, 3, notified_only);
		for (n = 0; kk_stmt_step(st) == KK_ROW;)
			ids[n++] = kk_stmt_int64(st, 0);
		kk_stmt_done(st);
		for (int i = 0; i < n && !rc; i++) {
			struct part_core p;
			if (!(rc = part_load_id(db, ids[i], &p)))
				rc = fn(db, &p, arg);
			after = ids[i];
		}
	} while (!rc && n == 256);
	return rc;
}

int64_t case_actor_part(struct kk_db *db, const struct kk_actor *a, int64_t case_id)
{
	if (!a || !a->org_id)
		return 0;
	struct part_core p;
	/* a stopped case ended for its vendors (V.2 (2)): they are no longer in it */
	return part_where(db,
			  PART_SQL "WHERE p.case_id = ? AND p.org_id = ? AND p.case_id NOT IN "
				   "(SELECT id FROM coord_case WHERE stopped_at IS NOT NULL)",
			  case_id, a->org_id, &p)
		   ? 0
		   : p.org_id;
}

/* Count of the case's vulnerabilities the vendor has no statement on. */
int case_missing_statements(struct kk_db *db, int64_t case_id, int64_t participant_id)
{
	struct kk_stmt *st;
	if (kk_db_prepare(db,
			  "SELECT count(*) FROM coord_vuln v WHERE v.case_id = ? AND NOT EXISTS (SELECT 1 FROM "
			  "coord_statement s WHERE s.vuln_id = v.id AND s.participant_id = ?)",
			  &st))
		return -1;
	kk_stmt_bind_int64(st, 1, case_id);
	kk_stmt_bind_int64(st, 2, participant_id);
	int n = kk_stmt_step(st) == KK_ROW ? (int)kk_stmt_int64(st, 0) : -1;
	kk_stmt_done(st);
	return n;
}

/* ---- gates, audit, activity, readiness ------------------------------------ */

int case_gate(const struct kk_actor *a, enum kk_action act, int64_t org_id, struct kk_diag *d)
{
	struct kk_policy_obj obj = {.org_id = org_id};
	int rc = kk_policy_check(a, act, &obj);
	if (rc)
		kk_diag_set(d, rc, NULL, "%s may not %s", a ? a->label : "the public", kk_action_desc(act));
	return rc;
}

bool case_is_staff(const struct kk_actor *a)
{
	struct kk_policy_obj none = {0, 0};
	return kk_policy_allow(a, KK_ACT_CASE_READ, &none);
}

int case_touch(struct kk_db *db, int64_t case_id)
{
	int64_t now = kk_clock_now();
	int rc = kk_db_exec(db, "UPDATE coord_case SET last_activity_at = ?, updated_at = ? WHERE id = ?", "iii", now,
			    now, case_id);
	return rc < 0 ? rc : 0;
}

int case_audit(struct kk_db *db, const struct kk_actor *a, const char *action, const char *ref, const char *after,
	       const char *fmt, ...)
{
	char summary[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	return kk_audit(db, a, action, "case", ref, summary, NULL, after);
}

/*
 * The case is ready when every vendor is ready or unreachable (and at least
 * one is ready); a vendor coming back (or added) to a ready case opens it
 * again. Called after every change of a participation.
 */
int case_recompute(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, struct kk_diag *d)
{
	if (strcmp(c->state, "open") && strcmp(c->state, "ready"))
		return 0;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT count(*), coalesce(sum(state = 'ready'), 0), "
			       "coalesce(sum(state <> 'ready' AND unreachable_at IS NULL), 0) "
			       "FROM coord_participant WHERE case_id = ?",
			       &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, c->id);
	int64_t n = 0, ready = 0, waiting = 1;
	if (kk_stmt_step(st) == KK_ROW) {
		n = kk_stmt_int64(st, 0);
		ready = kk_stmt_int64(st, 1);
		waiting = kk_stmt_int64(st, 2);
	}
	kk_stmt_done(st);
	bool now_ready = n && ready && !waiting;
	if (now_ready == !strcmp(c->state, "ready"))
		return 0;
	if ((rc = kk_db_exec(db, "UPDATE coord_case SET state = ? WHERE id = ?", "si", now_ready ? "ready" : "open",
			     c->id)) < 0)
		return rc;
	if (!now_ready)
		return case_audit(db, a, "case.reopen", c->ref, NULL, "a vendor is being waited for again");
	char body[400];
	snprintf(body, sizeof(body),
		 "案件 %s は公表準備が整いました。\nCase %s is ready for publication (%lld of %lld vendors ready).",
		 c->ref, c->ref, (long long)ready, (long long)n);
	char subject[96];
	snprintf(subject, sizeof(subject), "[%s] ready for publication", c->ref);
	if ((rc = case_mail_role(db, KK_ROLE_COORDINATOR, c, subject, body, d)) < 0)
		return rc;
	return case_audit(db, a, "case.ready", c->ref, NULL, "every vendor is ready (%lld) or unreachable (%lld)",
			  (long long)ready, (long long)(n - ready));
}

int part_heard(struct kk_db *db, const struct kk_actor *a, const struct case_core *c, struct part_core *p,
	       struct kk_diag *d)
{
	int64_t now = kk_clock_now();
	int rc = kk_db_exec(db, "UPDATE coord_participant SET attempts = 0, last_vendor_at = ?, unreachable_at = NULL "
				"WHERE id = ?",
			    "ii", now, p->id);
	if (rc < 0)
		return kk_diag_set(d, rc, "vendor", "cannot record the answer: %s", kk_db_errmsg(db));
	p->attempts = 0;
	if (!p->unreachable_at)
		return 0;
	p->unreachable_at = 0;
	/* the directory's public listing closes; a vendor not listed there is fine */
	rc = kk_vendor_set_reachable(db, a, p->org_id, d);
	if (rc && rc != KK_ENOTFOUND)
		return rc;
	kk_diag_clear(d);
	/* the reminders resume from where the vendor stands */
	const struct kk_coord_config *cf = kk_coord_config();
	if (p->state == KK_PS_NOTIFIED)
		rc = kk_sched_at(db, "coord.ack_reminder", p->id, now + (int64_t)cf->ack_days * 86400, NULL, d);
	else if (p->state >= KK_PS_ACKNOWLEDGED && p->state <= KK_PS_DETAILS_SENT)
		rc = kk_sched_at(db, "coord.verify_reminder", p->id, now + (int64_t)cf->verify_days * 86400, NULL, d);
	if (rc)
		return rc;
	if ((rc = case_audit(db, a, "case.vendor.resume", c->ref, NULL,
			     "%s answered: no longer unreachable; coordination resumes", p->org_name)))
		return rc;
	return case_recompute(db, a, c, d);
}

int case_text(const char *s, size_t max, bool required, const char *field, struct kk_diag *d)
{
	if (!s || !*s)
		return required ? kk_diag_set(d, KK_EINVAL, field, "%s is required", field) : 0;
	size_t n = strlen(s);
	if (n > max)
		return kk_diag_set(d, KK_EINVAL, field, "%s is %zu bytes; at most %zu", field, n, max);
	if (!kk_utf8_valid(s, n))
		return kk_diag_set(d, KK_EINVAL, field, "%s is not valid UTF-8", field);
	return 0;
}

/* ---- mail ------------------------------------------------------------------ */

struct vmail {
	struct kk_db *db;
	const struct case_core *c;
	const struct part_core *p;
	const char *kind, *subject, *plain, *secret;
	struct kk_diag *d;
	int n, err;
};

static int vmail_one(struct vmail *m, const char *to, const char *pgp_key)
{
	struct kk_buf body = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	const struct kk_coord_config *cf = kk_coord_config();
	kk_buf_printf(&body, "%s\n\n", m->plain);
	if (m->secret && pgp_key)
		kk_buf_printf(&body, "%s\n\n", m->secret);
	kk_buf_printf(&body, "%s/cases/%s\n\n-- \nkeikai (%s)\n", cf->base_url, m->c->ref, m->c->ref);
	struct kk_mail mail = {.to = to,
			       .subject = m->subject,
			       .body = body.ptr,
			       .pgp_key = pgp_key,
			       .related_type = "case",
			       .related_id = m->c->ref};
	int rc = kk_buf_error(&body) ? kk_buf_error(&body) : kk_mail_queue(m->db, &mail, NULL, m->d);
	kk_buf_release(&body);
	if (rc)
		return rc;
	rc = kk_db_exec(m->db, "INSERT INTO coord_contact_attempt (participant_id, at, kind, channel) VALUES (?, ?, ?, ?)",
			"iiss", m->p->id, kk_clock_now(), m->kind, to);
	if (rc < 0)
		return rc;
	m->n++;
	return 0;
}

static int vmail_contact(void *arg, const struct kk_vendor_contact *ct)
{
	struct vmail *m = arg;
	if (!ct->email[0])
		return 0;
	int rc = vmail_one(m, ct->email, ct->has_pgp_key ? ct->pgp_key : NULL);
	if (rc)
		m->err = rc;
	return rc;
}

static int vmail_user(void *arg, const struct kk_user *u)
{
	struct vmail *m = arg;
	if (u->org_id != m->p->org_id || u->disabled)
		return 0;
	int rc = vmail_one(m, u->email, NULL);
	if (rc)
		m->err = rc;
	return rc;
}

int case_mail_vendor(struct kk_db *db, const struct case_core *c, const struct part_core *p, const char *kind,
		     const char *subject, const char *plain, const char *secret, struct kk_diag *d)
{
	struct vmail m = {db, c, p, kind, subject, plain, secret, d, 0, 0};
	struct kk_diag dd;
	kk_diag_clear(&dd);
	int rc = kk_vendor_notify_targets(db, p->org_id, vmail_contact, &m, &dd);
	if (m.err)
		return m.err;
	if (rc == KK_ENOTFOUND || rc == KK_EUNPROCESSABLE || (rc == 0 && m.n == 0)) {
		/* not (yet) in the directory, or no e-mail there: the organization's own accounts */
		rc = kk_user_list(db, vmail_user, &m);
		if (m.err)
			return m.err;
	}
	if (rc < 0)
		return kk_diag_set(d, rc, "vendor", "cannot mail vendor %s: %s", p->org_name, dd.msg[0] ? dd.msg : kk_err_msg(rc));
	return m.n;
}

struct rmail {
	struct kk_db *db;
	const struct case_core *c;
	enum kk_role role;
	int64_t org_id;
	const char *subject, *body;
	struct kk_diag *d;
	int n, err;
};

static int rmail_user(void *arg, const struct kk_user *u)
{
	struct rmail *m = arg;
	if (u->disabled || (m->org_id ? u->org_id != m->org_id : u->role != m->role))
		return 0;
	struct kk_buf body = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	/* infrastructure organizations read through their portal, never the case page */
	kk_buf_printf(&body, "%s\n\n%s%s%s\n\n-- \nkeikai (%s)\n", m->body, kk_coord_config()->base_url,
		      m->org_id ? "/infra" : "/cases/", m->org_id ? "" : m->c->ref, m->c->ref);
	struct kk_mail mail = {.to = u->email,
			       .subject = m->subject,
			       .body = body.ptr,
			       .related_type = "case",
			       .related_id = m->c->ref};
	int rc = kk_buf_error(&body) ? kk_buf_error(&body) : kk_mail_queue(m->db, &mail, NULL, m->d);
	kk_buf_release(&body);
	if (rc) {
		m->err = rc;
		return rc;
	}
	m->n++;
	return 0;
}

int case_mail_role(struct kk_db *db, enum kk_role role, const struct case_core *c, const char *subject,
		   const char *body, struct kk_diag *d)
{
	struct rmail m = {db, c, role, 0, subject, body, d, 0, 0};
	int rc = kk_user_list(db, rmail_user, &m);
	if (m.err)
		return m.err;
	return rc < 0 ? rc : m.n;
}

int case_mail_org_users(struct kk_db *db, int64_t org_id, const struct case_core *c, const char *subject,
			const char *body, struct kk_diag *d)
{
	struct rmail m = {db, c, KK_ROLE_PUBLIC, org_id, subject, body, d, 0, 0};
	int rc = kk_user_list(db, rmail_user, &m);
	if (m.err)
		return m.err;
	return rc < 0 ? rc : m.n;
}
