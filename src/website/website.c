/*
 * website.c — website cases: handling numbers, the stage machine, the three
 * notices, the operator's actions, closing and the scheduler's reminders.
 */
#include "website/website.h"
#include "auth/audit.h"
#include "auth/policy.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/utf8.h"
#include "intake/intake.h"
#include "mail/mail.h"
#include "store/db.h"
#include "store/sched.h"
#include "website/internal.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400

/* ---- names ------------------------------------------------------------ */

static const char *const stage_names[] = {
#define X(n, s) s,
	KK_WEBSITE_STAGES(X)
#undef X
};
static const char *const outcome_names[] = {
	"",
#define X(n, s) s,
	KK_WEBSITE_OUTCOMES(X)
#undef X
};
static const char *const check_names[] = {
#define X(n, s) s,
	KK_WEBSITE_CHECKS(X)
#undef X
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int parse_name(const char *const *names, size_t n, size_t from, const char *s, int *out)
{
	for (size_t i = from; s && i < n; i++)
		if (!strcmp(s, names[i])) {
			*out = (int)i;
			return 0;
		}
	return KK_EINVAL;
}

/* name and parse functions of one enum from its names table (parse starts at `from`: 1 skips "") */
#define NAMES(fn, type, table, from)                                                                         \
	const char *kk_website_##fn##_name(type v)                                                           \
	{                                                                                                    \
		return (unsigned)v < COUNT(table) ? table[v] : "?";                                          \
	}                                                                                                    \
	int kk_website_##fn##_parse(const char *s, type *out)                                                \
	{                                                                                                    \
		int v, rc = parse_name(table, COUNT(table), from, s, &v);                                    \
		if (!rc)                                                                                     \
			*out = (type)v;                                                                      \
		return rc;                                                                                   \
	}
NAMES(stage, enum kk_website_stage, stage_names, 0)
NAMES(outcome, enum kk_website_outcome, outcome_names, 1)
NAMES(check, enum kk_website_check, check_names, 0)

/* ---- the stage machine ------------------------------------------------ */

/* verb -> the stages (bit per enum value) it may be done in */
static const struct {
	const char *verb;
	unsigned stages;
	const char *needs;
} machine[] = {
	{"notify", 1u << KK_WEBSITE_OPENED | 1u << KK_WEBSITE_STAGE1, "opened or stage1"},
	{"give_contact", 1u << KK_WEBSITE_STAGE1, "stage1"},
	{"choose", 1u << KK_WEBSITE_STAGE2, "stage2"},
	{"details", 1u << KK_WEBSITE_OPENED | 1u << KK_WEBSITE_STAGE1 | 1u << KK_WEBSITE_STAGE2,
	 "opened, stage1 or stage2 (before the details are sent)"},
	{"ack", 1u << KK_WEBSITE_STAGE3, "stage3"},
	{"check", 1u << KK_WEBSITE_STAGE3, "stage3"},
	{"estimate", 1u << KK_WEBSITE_STAGE3, "stage3"},
	{"complete", 1u << KK_WEBSITE_STAGE3, "stage3"},
	{"note", 0x3fu & ~(1u << KK_WEBSITE_CLOSED), "any stage but closed"},
	{"attach", 1u << KK_WEBSITE_STAGE3 | 1u << KK_WEBSITE_COMPLETED, "stage3 or completed"},
	{"direct", 1u << KK_WEBSITE_STAGE3 | 1u << KK_WEBSITE_COMPLETED, "stage3 or completed"},
	{"confirm", 1u << KK_WEBSITE_COMPLETED | 1u << KK_WEBSITE_CLOSED, "completed or closed"},
	{"close", 0x3fu & ~(1u << KK_WEBSITE_CLOSED), "any stage but closed"},
};

int kk_website_stage_allows(enum kk_website_stage s, const char *verb, struct kk_diag *d)
{
	for (size_t i = 0; i < COUNT(machine); i++)
		if (!strcmp(machine[i].verb, verb)) {
			if (machine[i].stages & (1u << s))
				return 0;
			return kk_diag_set(d, KK_ECONFLICT, "stage", "the case is in %s; '%s' needs %s",
					   kk_website_stage_name(s), verb, machine[i].needs);
		}
	return kk_diag_set(d, KK_EINVAL, "verb", "unknown website case action '%s'", verb);
}

/* ---- configuration ---------------------------------------------------- */

static struct kk_website_config config;
static bool configured;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void env_int(const char *name, int lo, int hi, int *v)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return;
	char *end;
	long x = strtol(s, &end, 10);
	if (*end || x < lo || x > hi)
		kk_warn("%s=%s ignored: give a whole number from %d to %d", name, s, lo, hi);
	else
		*v = (int)x;
}

void kk_website_config_env(struct kk_website_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->prefix, sizeof(c->prefix), "IPA#");
	c->target_months = 3;
	c->remind_days = 14;
	c->retry_days = 14;
	c->max_attempts = 3;
	snprintf(c->base_url, sizeof(c->base_url), "http://127.0.0.1:8080");
	const char *p = getenv("KEIKAI_WEBSITE_PREFIX");
	if (p && *p) {
		bool ok = strlen(p) < sizeof(c->prefix);
		for (const char *q = p; ok && *q; q++)
			ok = (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == '#' || *q == '-';
		if (ok)
			snprintf(c->prefix, sizeof(c->prefix), "%s", p);
		else
			kk_warn("KEIKAI_WEBSITE_PREFIX=%s ignored: use at most 15 letters, '#' or '-'", p);
	}
	env_int("KEIKAI_WEBSITE_TARGET_MONTHS", 1, 60, &c->target_months);
	env_int("KEIKAI_WEBSITE_REMIND_DAYS", 1, 365, &c->remind_days);
	env_int("KEIKAI_WEBSITE_RETRY_DAYS", 1, 365, &c->retry_days);
	env_int("KEIKAI_WEBSITE_MAX_ATTEMPTS", 1, 100, &c->max_attempts);
	const char *b = getenv("KEIKAI_BASE_URL");
	if (b && *b && strlen(b) < sizeof(c->base_url))
		snprintf(c->base_url, sizeof(c->base_url), "%s", b);
	size_t n = strlen(c->base_url);
	while (n && c->base_url[n - 1] == '/')
		c->base_url[--n] = 0;
}

static void config_init(void)
{
	if (!configured)
		kk_website_config_env(&config);
}

void kk_website_configure(const struct kk_website_config *c)
{
	config = *c;
	configured = true;
}

const struct kk_website_config *kk_website_config(void)
{
	pthread_once(&config_once, config_init);
	return &config;
}

/* ---- handling numbers and target dates -------------------------------- */

void kk_website_handling_new(const char *prefix, char *out, size_t n)
{
	int w = snprintf(out, n, "%s%08u", prefix, (unsigned)kk_random_uniform(100000000u));
	if (w < 0 || (size_t)w >= n)
		out[0] = 0; /* a prefix too long for out: no number rather than a cut one */
}

bool kk_website_handling_valid(const char *prefix, const char *s)
{
	size_t p = strlen(prefix);
	if (!s || strncmp(s, prefix, p) || strlen(s) != p + 8)
		return false;
	for (size_t i = p; i < p + 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int64_t kk_website_target(int64_t t, int months)
{
	return kk_time_add_months_jst(t, months); /* months on the calendar in Japan */
}

int kk_website_addresses(const char *s, char (*out)[KK_EMAIL_MAX + 1], size_t max, size_t *n, struct kk_diag *d)
{
	static const char sep[] = ", \t\r\n;";
	*n = 0;
	while (s && *s) {
		s += strspn(s, sep);
		size_t len = strcspn(s, sep);
		if (!len)
			break;
		if (len > KK_EMAIL_MAX)
			return kk_diag_set(d, KK_EINVAL, "addresses", "'%.60s...' is longer than %d bytes", s, KK_EMAIL_MAX);
		char a[KK_EMAIL_MAX + 1];
		memcpy(a, s, len);
		a[len] = 0;
		s += len;
		if (!kk_mail_addr_valid(a))
			return kk_diag_set(d, KK_EINVAL, "addresses", "'%.60s' is not one plain address local@domain", a);
		bool dup = false;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = kk_str_ieq(out[i], a);
		if (dup)
			continue;
		if (*n == max)
			return kk_diag_set(d, KK_EINVAL, "addresses", "at most %zu addresses", max);
		memcpy(out[(*n)++], a, len + 1);
	}
	return *n ? 0 : kk_diag_set(d, KK_EINVAL, "addresses", "give the contact addresses found on the site");
}

/* ---- loading and access ----------------------------------------------- */

#define CORE_COLS                                                                                            \
	"id, report_id, coalesce(org_id, 0), stage, handling, tracking, url, coalesce(contact_email, ''), "  \
	"pgp_key IS NOT NULL, portal_only, finder_direct, operator_direct, attempts, coalesce(target_at, 0), " \
	"coalesce(estimate_at, 0), coalesce(ack_at, 0), coalesce(unreachable_at, 0), coalesce(stage3_at, 0)"

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void core_fill(struct kk_stmt *st, struct wcore *c)
{
	memset(c, 0, sizeof(*c));
	c->id = kk_stmt_int64(st, 0);
	c->report_id = kk_stmt_int64(st, 1);
	c->org_id = kk_stmt_int64(st, 2);
	enum kk_website_stage s = KK_WEBSITE_OPENED;
	kk_website_stage_parse(kk_stmt_text(st, 3), &s);
	c->stage = s;
	copy(c->handling, sizeof(c->handling), kk_stmt_text(st, 4));
	copy(c->tracking, sizeof(c->tracking), kk_stmt_text(st, 5));
	copy(c->url, sizeof(c->url), kk_stmt_text(st, 6));
	copy(c->contact, sizeof(c->contact), kk_stmt_text(st, 7));
	c->has_key = kk_stmt_int64(st, 8) != 0;
	c->portal_only = kk_stmt_int64(st, 9) != 0;
	c->finder_direct = kk_stmt_int64(st, 10) != 0;
	c->operator_direct = kk_stmt_int64(st, 11) != 0;
	c->attempts = (int)kk_stmt_int64(st, 12);
	c->target_at = kk_stmt_int64(st, 13);
	c->estimate_at = kk_stmt_int64(st, 14);
	c->ack_at = kk_stmt_int64(st, 15);
	c->unreachable_at = kk_stmt_int64(st, 16);
	c->stage3_at = kk_stmt_int64(st, 17);
}

static int core_query(struct kk_db *db, const char *sql, const char *text, int64_t id, struct wcore *c)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, sql, &st);
	if (rc)
		return rc;
	if (text)
		kk_stmt_bind_text(st, 1, text, -1);
	else
		kk_stmt_bind_int64(st, 1, id);
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		core_fill(st, c);
	kk_stmt_done(st);
	return rc == KK_ROW ? 0 : rc < 0 ? rc : KK_ENOTFOUND;
}

int wcore_load(struct kk_db *db, const char *handling, int64_t id, struct wcore *c)
{
	if (handling)
		return core_query(db, "SELECT " CORE_COLS " FROM website_case WHERE handling = ?", handling, 0, c);
	return core_query(db, "SELECT " CORE_COLS " FROM website_case WHERE id = ?", NULL, id, c);
}

static int not_open_to_you(struct kk_diag *d, const char *handling)
{
	/* one answer for every reason, so it never tells whether a case exists */
	if (handling)
		return kk_diag_set(d, KK_ENOTFOUND, "case", "no website case %.40s is open to you; check the number, or "
							    "use the newest link you were sent",
				   handling);
	return kk_diag_set(d, KK_ENOTFOUND, "key", "this link does not open a website case; use the newest link you "
						  "were sent");
}

int waccess(struct kk_db *db, const struct kk_website_who *w, const char *handling, struct wcore *c,
	    enum wrole *role, struct kk_diag *d)
{
	const struct kk_actor *a = w && w->actor ? w->actor : &kk_actor_public;
	if (w && w->token && w->token[0]) {
		int rc = kk_policy_check(a, KK_ACT_WEBSITE_LINK, NULL);
		if (rc)
			return kk_diag_set(d, rc, NULL, "%s", kk_err_msg(rc));
		char h[KK_SESSION_ID_HEX];
		kk_auth_secret_hash(w->token, h);
		rc = core_query(db, "SELECT " CORE_COLS " FROM website_case WHERE link_hash = ?", h, 0, c);
		if (rc == KK_ENOTFOUND || (!rc && handling && strcmp(handling, c->handling)))
			return not_open_to_you(d, handling);
		if (rc)
			return kk_diag_set(d, rc, NULL, "cannot read the case: %s", kk_db_errmsg(db));
		*role = W_OPERATOR;
		return 0;
	}
	if (!handling)
		return not_open_to_you(d, NULL);
	bool staff = kk_policy_allow(a, KK_ACT_WEBSITE_HANDLE, NULL);
	if (!staff) {
		int rc = kk_policy_check(a, KK_ACT_WEBSITE_OPERATE, NULL);
		if (rc)
			return kk_diag_set(d, rc, NULL, "%s: sign in as a receiver, or as the site's operator, or use "
							"the link you were sent",
					   kk_err_msg(rc));
	}
	int rc = wcore_load(db, handling, 0, c);
	if (rc == KK_ENOTFOUND)
		return staff ? kk_diag_set(d, rc, "case", "no website case %.40s; see 'keikai website list'", handling)
			     : not_open_to_you(d, handling);
	if (rc)
		return kk_diag_set(d, rc, NULL, "cannot read the case: %s", kk_db_errmsg(db));
	if (staff) {
		*role = W_STAFF;
		return 0;
	}
	struct kk_policy_obj obj = {.org_id = c->org_id};
	if (!kk_policy_allow(a, KK_ACT_WEBSITE_OPERATE, &obj))
		return not_open_to_you(d, handling);
	*role = W_OPERATOR;
	return 0;
}

int kk_website_operator_access(struct kk_db *db, const struct kk_website_who *w, const char *handling,
			       int64_t *case_id, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = waccess(db, w, handling, &c, &role, d);
	if (rc)
		return rc;
	if (role != W_OPERATOR)
		return not_open_to_you(d, handling);
	*case_id = c.id;
	return 0;
}

/* ---- small writers ---------------------------------------------------- */

static int need_tx(struct kk_db *db, struct kk_diag *d)
{
	return kk_db_in_tx(db) ? 0 : kk_diag_set(d, KK_EINVAL, NULL, "website: must run inside a transaction");
}

static int dberr(struct kk_db *db, int rc, struct kk_diag *d, const char *what)
{
	return kk_diag_set(d, rc, NULL, "cannot %s: %s", what, kk_db_errmsg(db));
}

static int event(struct kk_db *db, int64_t case_id, const char *side, const char *kind, const char *body,
		 bool operator_visible, struct kk_diag *d)
{
	int rc = kk_db_exec(db,
			    "INSERT INTO website_event (case_id, at, side, kind, body, operator_visible) "
			    "VALUES (?, ?, ?, ?, ?, ?)",
			    "iisssi", case_id, kk_clock_now(), side, kind, body ? body : "", (int64_t)operator_visible);
	return rc < 0 ? dberr(db, rc, d, "record the event") : 0;
}

/* The actor for the audit log: the signed-in person, or "link:operator" for the secret link. */
static const struct kk_actor *audit_actor(const struct kk_website_who *w, struct kk_actor *tmp, const char *label)
{
	if (w && w->actor && kk_actor_signed_in(w->actor) && !(w->token && w->token[0]))
		return w->actor;
	if (w && w->actor && w->actor->system)
		return w->actor;
	*tmp = kk_actor_public;
	snprintf(tmp->label, sizeof(tmp->label), "%s", label);
	return tmp;
}

static int audit(struct kk_db *db, const struct kk_actor *a, const char *action, const struct wcore *c,
		 const char *summary, struct kk_diag *d)
{
	int rc = kk_audit(db, a, action, "website_case", c->handling, summary, NULL, NULL);
	return rc < 0 ? dberr(db, rc, d, "write the audit log") : 0;
}

static const char *side_of(enum wrole r)
{
	return r == W_STAFF ? "receiver" : "operator";
}

static int check_text(const char *s, const char *field, bool required, struct kk_diag *d)
{
	if (!s || !*s)
		return required ? kk_diag_set(d, KK_EINVAL, field, "%s is required", field) : 0;
	size_t n = strlen(s);
	if (n > KK_WEBSITE_TEXT_MAX)
		return kk_diag_set(d, KK_ETOOBIG, field, "%s is %zu bytes; at most %d", field, n, KK_WEBSITE_TEXT_MAX);
	if (!kk_utf8_valid(s, n))
		return kk_diag_set(d, KK_EINVAL, field, "%s is not valid UTF-8", field);
	return 0;
}

/* Sets the secret link: a new token whose hash replaces the old one. */
static int new_link(struct kk_db *db, int64_t case_id, char token[KK_WEBSITE_TOKEN_MAX], struct kk_diag *d)
{
	kk_random_token(token, 32);
	char h[KK_SESSION_ID_HEX];
	kk_auth_secret_hash(token, h);
	int rc = kk_db_exec(db, "UPDATE website_case SET link_hash = ? WHERE id = ?", "si", h, case_id);
	return rc < 0 ? dberr(db, rc, d, "store the link") : 0;
}

static void link_url(char *out, size_t n, const char *token)
{
	snprintf(out, n, "%s/website/portal?key=%s", kk_website_config()->base_url, token);
}

/* The day of t in Japan, saying so: "2026-03-01 (JST)" (n >= 17); what every mail and note tells a person. */
static void date_str(int64_t t, char *out, size_t n)
{
	char iso[32];
	kk_time_iso(t + 9 * 3600, iso, sizeof(iso));
	iso[10] = 0;
	snprintf(out, n, "%s (JST)", iso);
}

/*
 * Queues mail to the operator. Sealed with key when given (the body holds
 * a link or the details); encrypted to the case's PGP key when encrypt.
 * From stage 3 on the subject starts with the handling number.
 */
static int op_mail(struct kk_db *db, const unsigned char *key, const struct wcore *c, const char *to,
		   const char *subject, const char *body, bool encrypt, struct kk_diag *d)
{
	char subj[512], label[128];
	if (c->stage >= KK_WEBSITE_STAGE3 || c->stage3_at)
		snprintf(subj, sizeof(subj), "[%s] %s", c->handling, subject);
	else
		snprintf(subj, sizeof(subj), "%s", subject);
	snprintf(label, sizeof(label), "website operator (case %lld)", (long long)c->id);
	char *pgp = NULL;
	if (encrypt && c->has_key) {
		struct kk_stmt *st;
		int rc = kk_db_prepare(db, "SELECT pgp_key FROM website_case WHERE id = ?", &st);
		if (rc)
			return dberr(db, rc, d, "read the operator's key");
		kk_stmt_bind_int64(st, 1, c->id);
		if (kk_stmt_step(st) == KK_ROW)
			pgp = kk_strdup(kk_stmt_text(st, 0));
		kk_stmt_done(st);
		if (!pgp)
			return kk_diag_set(d, KK_ENOMEM, NULL, "out of memory");
	}
	struct kk_mail m = {
		.to = to,
		.subject = subj,
		.body = body,
		.pgp_key = pgp,
		.related_type = "website_case",
		.related_id = c->handling,
		.seal_key = key,
		.label = key ? label : NULL,
	};
	int rc = kk_mail_queue(db, &m, NULL, d);
	kk_free(pgp);
	return rc;
}

/* ---- opening ---------------------------------------------------------- */

struct report_copy {
	char *url, *host, *flaw, *risk, *reproduce, *description;
	int64_t created_at;
	bool website;
};

static char *dup_or_empty(const char *s)
{
	return kk_strdup(s ? s : "");
}

static int copy_report(void *arg, const struct kk_report_row *r)
{
	struct report_copy *x = arg;
	x->website = !strcmp(r->kind, "website");
	x->url = dup_or_empty(r->website_url);
	x->host = dup_or_empty(r->website_host);
	char cwe[32] = "";
	if (r->cwe)
		snprintf(cwe, sizeof(cwe), "CWE-%d", r->cwe);
	x->flaw = kk_strdup(cwe);
	x->risk = dup_or_empty(r->impact);
	x->reproduce = dup_or_empty(r->steps);
	x->description = dup_or_empty(r->description);
	x->created_at = r->created_at;
	return 0;
}

static void report_copy_release(struct report_copy *x)
{
	kk_free(x->url);
	kk_free(x->host);
	kk_free(x->flaw);
	kk_free(x->risk);
	kk_free(x->reproduce);
	kk_free(x->description);
}

int kk_website_open(struct kk_db *db, const struct kk_actor *a, int64_t report_id, char *case_ref, size_t n,
		    struct kk_diag *d)
{
	int rc = need_tx(db, d);
	if (rc || (rc = kk_policy_check(a, KK_ACT_WEBSITE_HANDLE, NULL)))
		return rc ? kk_diag_set(d, rc, NULL, "opening a website case needs a receiver or an admin") : rc;
	if (case_ref && n)
		case_ref[0] = 0;
	char tracking[64] = "";
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT tracking FROM report WHERE id = ?", &st)))
		return dberr(db, rc, d, "find the report");
	kk_stmt_bind_int64(st, 1, report_id);
	if ((rc = kk_stmt_step(st)) == KK_ROW)
		copy(tracking, sizeof(tracking), kk_stmt_text(st, 0));
	kk_stmt_done(st);
	if (!tracking[0])
		return kk_diag_set(d, rc < 0 ? rc : KK_ENOTFOUND, "report", "no report with id %lld", (long long)report_id);
	struct report_copy x = {0};
	rc = kk_intake_get(db, a, tracking, copy_report, &x);
	if (rc >= 0 && (!x.url || !x.flaw || !x.risk || !x.reproduce || !x.description || !x.host))
		rc = KK_ENOMEM;
	if (rc < 0) {
		report_copy_release(&x);
		return kk_diag_set(d, rc, "report", "cannot read report %s: %s", tracking, kk_err_msg(rc));
	}
	if (!x.website || !x.url[0]) {
		report_copy_release(&x);
		return kk_diag_set(d, KK_EINVAL, "website.url", "report %s is not a website report with a URL", tracking);
	}
	const struct kk_website_config *cfg = kk_website_config();
	char handling[KK_HANDLING_MAX];
	int64_t now = kk_clock_now();
	for (int tries = 0; tries < 50; tries++) {
		kk_website_handling_new(cfg->prefix, handling, sizeof(handling));
		rc = kk_db_exec(db,
				"INSERT INTO website_case (handling, report_id, tracking, url, host, flaw_type, risk, "
				"reproduce, description, reported_at, opened_at, updated_at) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"sisssssssiii", handling, report_id, tracking, x.url, x.host, x.flaw, x.risk, x.reproduce,
				x.description, x.created_at, now, now);
		if (rc != KK_EEXISTS)
			break;
		/* a taken number, or a second case for the report: tell them apart */
		struct wcore other;
		if (!core_query(db, "SELECT " CORE_COLS " FROM website_case WHERE report_id = ?", NULL, report_id,
				&other)) {
			report_copy_release(&x);
			return kk_diag_set(d, KK_EEXISTS, "report", "report %s already has website case %s", tracking,
					   other.handling);
		}
	}
	report_copy_release(&x);
	if (rc < 0)
		return dberr(db, rc, d, "create the website case");
	struct wcore c;
	if ((rc = wcore_load(db, handling, 0, &c)))
		return dberr(db, rc, d, "read the new case");
	if ((rc = event(db, c.id, "system", "opened", "", false, d)) || (rc = audit(db, a, "website.open", &c, tracking, d)))
		return rc;
	if (case_ref && n)
		snprintf(case_ref, n, "%s", handling);
	return 0;
}

/* ---- stage 1 ---------------------------------------------------------- */

static int staff_only(const struct kk_actor *a, struct kk_diag *d)
{
	int rc = kk_policy_check(a, KK_ACT_WEBSITE_HANDLE, NULL);
	return rc ? kk_diag_set(d, rc, NULL, "%s: this needs a receiver or an admin", kk_err_msg(rc)) : 0;
}

static int load_staff(struct kk_db *db, const struct kk_actor *a, const char *handling, struct wcore *c,
		      struct kk_diag *d)
{
	int rc = need_tx(db, d);
	if (rc || (rc = staff_only(a, d)))
		return rc;
	rc = wcore_load(db, handling, 0, c);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, rc, "case", "no website case %.40s; see 'keikai website list'", handling ? handling : "");
	return rc ? dberr(db, rc, d, "read the case") : 0;
}

static int stage_body(struct kk_buf *b, int stage, const struct wcore *c, const char *link)
{
	if (stage == 1)
		kk_buf_printf(b,
			      "ウェブサイトの運営者様\n\n"
			      "下記のウェブサイトの脆弱性について、届出を受け付けました。\n"
			      "  %s\n"
			      "詳細をお伝えするための連絡窓口を、次のリンクからお知らせください。\n"
			      "  %s\n\n"
			      "To the operator of the website\n\n"
			      "We have received a report of a vulnerability in this website:\n"
			      "  %s\n"
			      "Please tell us a contact point to whom we may give the details, at this link:\n"
			      "  %s\n",
			      c->url, link, c->url, link);
	else
		kk_buf_printf(b,
			      "ご担当者様\n\n"
			      "ウェブサイト %s の脆弱性の詳細をお送りする方法を決めさせてください。\n"
			      "次のリンクで PGP 公開鍵を登録いただくか、詳細をこのポータル上でのみ閲覧する\n"
			      "ことを選んでください。以後このリンクをお使いください(以前のリンクは無効です)。\n"
			      "  %s\n\n"
			      "To the contact point\n\n"
			      "Before we send the details of the vulnerability in %s, please choose how they\n"
			      "are protected: upload a PGP public key at this link, or choose to read them on\n"
			      "the portal only. Use this link from now on (earlier links no longer work):\n"
			      "  %s\n",
			      c->url, link, c->url, link);
	return kk_buf_error(b);
}

int kk_website_notify(struct kk_db *db, const struct kk_actor *a, const unsigned char key[KK_KEY_BYTES],
		      const char *handling, const char *const *addresses, size_t naddr, char *token_out,
		      struct kk_diag *d)
{
	struct wcore c;
	int rc = load_staff(db, a, handling, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "notify", d)))
		return rc;
	if (naddr == 0 || naddr > 10)
		return kk_diag_set(d, KK_EINVAL, "addresses", "give 1 to 10 contact addresses found on the site (got %zu)",
				   naddr);
	for (size_t i = 0; i < naddr; i++)
		if (!kk_mail_addr_valid(addresses[i]))
			return kk_diag_set(d, KK_EINVAL, "addresses", "'%.254s' is not one plain address local@domain",
					   addresses[i]);
	int64_t now = kk_clock_now();
	char token[KK_WEBSITE_TOKEN_MAX], link[700];
	if ((rc = new_link(db, c.id, token, d)))
		return rc;
	link_url(link, sizeof(link), token);
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	if ((rc = stage_body(&b, 1, &c, link))) {
		kk_buf_release(&b);
		return kk_diag_set(d, rc, NULL, "cannot build the notice");
	}
	struct kk_buf who = KK_BUF_INIT(4096);
	for (size_t i = 0; i < naddr && !rc; i++) {
		rc = kk_db_exec(db, "INSERT INTO website_contact (case_id, address, added_at) VALUES (?, ?, ?) "
				    "ON CONFLICT (case_id, address) DO NOTHING",
				"isi", c.id, addresses[i], now);
		if (rc < 0) {
			rc = dberr(db, rc, d, "store the contact address");
			break;
		}
		rc = op_mail(db, key, &c, addresses[i], "Vulnerability in your website / ウェブサイトの脆弱性について",
			     b.ptr, false, d);
		kk_buf_printf(&who, "%s%s", i ? ", " : "", addresses[i]);
	}
	kk_buf_release(&b);
	if (!rc)
		rc = kk_db_exec(db,
				"UPDATE website_case SET stage = 'stage1', stage1_at = coalesce(stage1_at, ?), attempts = 1, "
				"unreachable_at = NULL, updated_at = ? WHERE id = ?",
				"iii", now, now, c.id);
	if (rc < 0 && !d->msg[0])
		rc = dberr(db, rc, d, "move the case to stage 1");
	if (rc >= 0 && !(rc = event(db, c.id, "receiver", "stage1", who.ptr, false, d)) &&
	    !(rc = audit(db, a, "website.stage1", &c, who.ptr, d)))
		rc = kk_sched_at(db, "website.nudge", c.id, now + (int64_t)kk_website_config()->retry_days * DAY, NULL, d);
	kk_buf_release(&who);
	if (rc >= 0 && token_out)
		snprintf(token_out, KK_WEBSITE_TOKEN_MAX, "%s", token);
	sodium_memzero(token, sizeof(token));
	return rc < 0 ? rc : 0;
}

/* ---- stage 2 ---------------------------------------------------------- */

/* Loads the case for w and checks the stage allows verb; *role says who w is. */
static int load_for(struct kk_db *db, const struct kk_website_who *w, const char *handling, const char *verb,
		    struct wcore *c, enum wrole *role, struct kk_diag *d)
{
	int rc = need_tx(db, d);
	if (rc || (rc = waccess(db, w, handling, c, role, d)))
		return rc;
	return kk_website_stage_allows(c->stage, verb, d);
}

int kk_website_give_contact(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
			    const char *handling, const char *email, const char *name, char *token_out,
			    struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "give_contact", &c, &role, d);
	if (rc)
		return rc;
	if (!email || !kk_mail_addr_valid(email))
		return kk_diag_set(d, KK_EINVAL, "email", "the contact point needs one plain e-mail address local@domain");
	if ((rc = check_text(name, "name", false, d)))
		return rc;
	if (name && strlen(name) > KK_NAME_MAX)
		return kk_diag_set(d, KK_EINVAL, "name", "the contact name is longer than %d bytes", KK_NAME_MAX);
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db,
			"UPDATE website_case SET stage = 'stage2', stage2_at = ?, contact_email = ?, contact_name = ?, "
			"attempts = 1, unreachable_at = NULL, updated_at = ? WHERE id = ?",
			"issii", now, email, name && *name ? name : NULL, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "store the contact point");
	c.stage = KK_WEBSITE_STAGE2;
	char token[KK_WEBSITE_TOKEN_MAX], link[700];
	if ((rc = new_link(db, c.id, token, d)))
		return rc;
	link_url(link, sizeof(link), token);
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	rc = stage_body(&b, 2, &c, link);
	if (rc)
		rc = kk_diag_set(d, rc, NULL, "cannot build the stage 2 message");
	else
		rc = op_mail(db, key, &c, email, "How shall we send the details? / 詳細の送付方法について", b.ptr, false, d);
	kk_buf_release(&b);
	struct kk_actor tmp;
	if (!rc && !(rc = event(db, c.id, side_of(role), "stage2", email, false, d)) &&
	    !(rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.stage2", &c, "contact point given", d)))
		rc = kk_sched_at(db, "website.nudge", c.id, now + (int64_t)kk_website_config()->retry_days * DAY, NULL, d);
	if (!rc && token_out)
		snprintf(token_out, KK_WEBSITE_TOKEN_MAX, "%s", token);
	sodium_memzero(token, sizeof(token));
	return rc < 0 ? rc : 0;
}

/* ---- stage 3 ---------------------------------------------------------- */

int kk_website_check_pgp_key(const char *armored, struct kk_diag *d)
{
	if (!armored || !*armored)
		return kk_diag_set(d, KK_EINVAL, "pgp_key", "no key given; paste an ASCII-armored OpenPGP public key");
	if (strlen(armored) > KK_MAIL_PGP_KEY_MAX)
		return kk_diag_set(d, KK_EINVAL, "pgp_key", "the key is longer than %d bytes", KK_MAIL_PGP_KEY_MAX);
	if (!kk_mail_pgp_key_plausible(armored))
		return kk_diag_set(d, KK_EINVAL, "pgp_key",
				   "not an ASCII-armored public key block (-----BEGIN PGP PUBLIC KEY BLOCK-----)");
	struct kk_buf out = KK_BUF_INIT(1 << 20);
	struct kk_diag pd;
	kk_diag_clear(&pd);
	int rc = kk_mail_pgp_encrypt(armored, "keikai key check", 16, &out, &pd);
	kk_buf_release(&out);
	if (rc)
		return kk_diag_set(d, KK_EINVAL, "pgp_key", "nothing can be encrypted to this key (%.180s); send a key "
							   "with a valid encryption subkey",
				   pd.msg[0] ? pd.msg : kk_err_msg(rc));
	return 0;
}

/* The stage 3 message: the details in full (encrypted mail) or a pointer to the portal. */
static int details_body(struct kk_db *db, const struct wcore *c, bool full, struct kk_buf *b)
{
	kk_buf_printf(b, "取扱番号 / Handling number: %s\nURL: %s\n\n", c->handling, c->url);
	if (!full) {
		kk_buf_printf(b, "脆弱性の詳細はポータルでご確認ください(以前お送りしたリンク)。\n"
				 "The details of the vulnerability are on the portal (the link we sent you).\n");
	} else {
		struct kk_stmt *st;
		int rc = kk_db_prepare(db, "SELECT flaw_type, risk, reproduce, description FROM website_case WHERE id = ?", &st);
		if (rc)
			return rc;
		kk_stmt_bind_int64(st, 1, c->id);
		if (kk_stmt_step(st) == KK_ROW)
			kk_buf_printf(b,
				      "脆弱性の種類 / Type of flaw: %s\n\n"
				      "概要 / Description:\n%s\n\n"
				      "想定される脅威 / Assumed risk:\n%s\n\n"
				      "再現手順 / How to reproduce:\n%s\n\n"
				      "添付ファイルはポータルにあります / Attachments are on the portal.\n",
				      kk_stmt_text(st, 0), kk_stmt_text(st, 3), kk_stmt_text(st, 1), kk_stmt_text(st, 2));
		kk_stmt_done(st);
	}
	char target[24];
	date_str(c->target_at, target, sizeof(target));
	kk_buf_printf(b,
		      "\n%s までの修正をお願いします。難しい場合は修正予定日をポータルでお知らせください。\n"
		      "Please fix it by %s, or tell us on the portal when you expect to.\n"
		      "受領の確認をポータルでお願いします / Please acknowledge receipt on the portal.\n"
		      "個人情報が漏えいした可能性がある場合は、事実関係を公表してください。\n"
		      "If personal information may have leaked, please publish the facts.\n",
		      target, target);
	return kk_buf_error(b);
}

static int schedule_target(struct kk_db *db, const struct wcore *c, int64_t now, struct kk_diag *d)
{
	const struct kk_website_config *cfg = kk_website_config();
	int64_t due = c->estimate_at > c->target_at ? c->estimate_at : c->target_at;
	int64_t before = due - (int64_t)cfg->remind_days * DAY;
	int rc = 0;
	if (before > now)
		rc = kk_sched_at(db, "website.remind_before", c->id, before, NULL, d);
	else
		rc = kk_sched_cancel(db, "website.remind_before", c->id, d);
	if (!rc)
		rc = kk_sched_at(db, "website.overdue", c->id, due, NULL, d);
	return rc;
}

int kk_website_choose(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
		      const char *handling, const char *pgp_key, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "choose", &c, &role, d);
	if (rc)
		return rc;
	bool portal = !pgp_key || !*pgp_key;
	if (!portal && !kk_mail_pgp_key_plausible(pgp_key))
		return kk_diag_set(d, KK_EINVAL, "pgp_key", "not an ASCII-armored public key block");
	int64_t now = kk_clock_now();
	int64_t target = kk_website_target(now, kk_website_config()->target_months);
	rc = kk_db_exec(db,
			"UPDATE website_case SET stage = 'stage3', stage3_at = ?, pgp_key = ?, portal_only = ?, "
			"target_at = ?, attempts = 1, unreachable_at = NULL, updated_at = ? WHERE id = ?",
			"isiiii", now, portal ? NULL : pgp_key, (int64_t)portal, target, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "move the case to stage 3");
	c.stage = KK_WEBSITE_STAGE3;
	c.stage3_at = now;
	c.target_at = target;
	c.has_key = !portal;
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	rc = details_body(db, &c, !portal, &b);
	if (rc)
		rc = kk_diag_set(d, rc, NULL, "cannot build the details message");
	else
		rc = op_mail(db, key, &c, c.contact, portal ? "Details are on the portal / 詳細はポータルにあります"
							   : "Details of the vulnerability / 脆弱性の詳細",
			     b.ptr, !portal, d);
	kk_buf_release(&b);
	struct kk_actor tmp;
	if (!rc && !(rc = event(db, c.id, side_of(role), "stage3", portal ? "portal only" : "PGP key", true, d)) &&
	    !(rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.stage3", &c,
			 portal ? "details on the portal only" : "details sent PGP encrypted", d)) &&
	    !(rc = kk_sched_at(db, "website.nudge", c.id, now + (int64_t)kk_website_config()->retry_days * DAY, NULL, d)))
		rc = schedule_target(db, &c, now, d);
	return rc < 0 ? rc : 0;
}

int kk_website_set_details(struct kk_db *db, const struct kk_actor *a, const char *handling, const char *flaw_type,
			   const char *risk, const char *reproduce, const char *description, struct kk_diag *d)
{
	struct wcore c;
	int rc = load_staff(db, a, handling, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "details", d)))
		return rc;
	if ((rc = check_text(flaw_type, "flaw_type", false, d)) || (rc = check_text(risk, "risk", false, d)) ||
	    (rc = check_text(reproduce, "reproduce", false, d)) || (rc = check_text(description, "description", false, d)))
		return rc;
	rc = kk_db_exec(db,
			"UPDATE website_case SET flaw_type = coalesce(?, flaw_type), risk = coalesce(?, risk), "
			"reproduce = coalesce(?, reproduce), description = coalesce(?, description), updated_at = ? "
			"WHERE id = ?",
			"ssssii", flaw_type, risk, reproduce, description, kk_clock_now(), c.id);
	if (rc < 0)
		return dberr(db, rc, d, "store the details");
	return audit(db, a, "website.details", &c, "details edited", d);
}

int kk_website_set_org(struct kk_db *db, const struct kk_actor *a, const char *handling, int64_t org_id,
		       struct kk_diag *d)
{
	struct wcore c;
	int rc = load_staff(db, a, handling, &c, d);
	if (rc)
		return rc;
	char summary[KK_NAME_MAX + 32] = "unlinked";
	if (org_id) {
		struct kk_org o;
		if (kk_org_get(db, org_id, &o))
			return kk_diag_set(d, KK_ENOTFOUND, "org", "no organization with id %lld", (long long)org_id);
		if (o.kind != KK_ORG_OPERATOR)
			return kk_diag_set(d, KK_EINVAL, "org", "organization '%s' is a %s; link an operator organization",
					   o.name, kk_org_kind_name(o.kind));
		snprintf(summary, sizeof(summary), "org %s", o.name);
	}
	if (org_id)
		rc = kk_db_exec(db, "UPDATE website_case SET org_id = ?, updated_at = ? WHERE id = ?", "iii", org_id,
				kk_clock_now(), c.id);
	else
		rc = kk_db_exec(db, "UPDATE website_case SET org_id = NULL, updated_at = ? WHERE id = ?", "ii",
				kk_clock_now(), c.id);
	if (rc < 0)
		return dberr(db, rc, d, "link the organization");
	return audit(db, a, "website.org", &c, summary, d);
}

/* ---- the operator's side ---------------------------------------------- */

static const char *const check_cols[] = {"chk_receipt_at", "chk_investigation_at", "chk_plan_at",
					 "chk_execution_at", "chk_completion_at"};

static int tick_check(struct kk_db *db, int64_t case_id, enum kk_website_check k, bool done, struct kk_diag *d)
{
	char sql[160];
	/* the column name comes from the fixed table above, never from input */
	int rc;
	if (done) {
		snprintf(sql, sizeof(sql), "UPDATE website_case SET %s = coalesce(%s, ?) WHERE id = ?", check_cols[k],
			 check_cols[k]);
		rc = kk_db_exec(db, sql, "ii", kk_clock_now(), case_id);
	} else {
		snprintf(sql, sizeof(sql), "UPDATE website_case SET %s = NULL WHERE id = ?", check_cols[k]);
		rc = kk_db_exec(db, sql, "i", case_id);
	}
	return rc < 0 ? dberr(db, rc, d, "tick the checklist") : 0;
}

int kk_website_ack(struct kk_db *db, const struct kk_website_who *w, const char *handling, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "ack", &c, &role, d);
	if (rc)
		return rc;
	if (c.ack_at)
		return kk_diag_set(d, KK_ECONFLICT, "ack", "case %s was already acknowledged", c.handling);
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "UPDATE website_case SET ack_at = ?, attempts = 0, unreachable_at = NULL, updated_at = ? "
			    "WHERE id = ?",
			"iii", now, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "record the acknowledgement");
	struct kk_actor tmp;
	if ((rc = tick_check(db, c.id, KK_WCHK_RECEIPT, true, d)) || (rc = event(db, c.id, side_of(role), "ack", "", true, d)) ||
	    (rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.ack", &c, "acknowledged", d)))
		return rc;
	return kk_sched_cancel(db, "website.nudge", c.id, d);
}

int kk_website_note(struct kk_db *db, const struct kk_website_who *w, const char *handling, const char *text,
		    struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "note", &c, &role, d);
	if (rc || (rc = check_text(text, "text", true, d)))
		return rc;
	if ((rc = event(db, c.id, side_of(role), "note", text, true, d)))
		return rc;
	struct kk_actor tmp;
	kk_db_exec(db, "UPDATE website_case SET updated_at = ? WHERE id = ?", "ii", kk_clock_now(), c.id);
	return audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.note", &c, "progress note", d);
}

int kk_website_check(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		     enum kk_website_check k, bool done, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "check", &c, &role, d);
	if (rc)
		return rc;
	if ((unsigned)k >= KK_WCHK__COUNT)
		return kk_diag_set(d, KK_EINVAL, "item", "unknown checklist item");
	if (k == KK_WCHK_COMPLETION)
		return kk_diag_set(d, KK_EINVAL, "item", "'completion' is ticked by sending the completion report");
	char body[64];
	snprintf(body, sizeof(body), "%s %s", kk_website_check_name(k), done ? "done" : "reopened");
	struct kk_actor tmp;
	if ((rc = tick_check(db, c.id, k, done, d)) || (rc = event(db, c.id, side_of(role), "check", body, true, d)))
		return rc;
	return audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.check", &c, body, d);
}

int kk_website_attach(struct kk_db *db, const struct kk_website_who *w, const char *handling,
		      const struct kk_upload *u, const struct kk_stored_file *s, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "attach", &c, &role, d);
	if (rc)
		return rc;
	const char *mime = NULL;
	if ((rc = kk_intake_upload_check(u, (size_t)-1, &mime, d)))
		return rc;
	int64_t now = kk_clock_now();
	/* the event it came with: the latest of this side on the case (the note or completion just written) */
	rc = kk_intake_attachment_record(db, s);
	if (rc >= 0)
		rc = kk_db_exec(db,
				"INSERT INTO website_file (case_id, sha256, filename, side, event_id, added_at) "
				"VALUES (?, ?, ?, ?, (SELECT max(id) FROM website_event WHERE case_id = ? AND side = ?), ?) "
				"ON CONFLICT DO NOTHING",
				"isssisi", c.id, s->sha256, u->filename, side_of(role), c.id, side_of(role), now);
	if (rc < 0)
		return dberr(db, rc, d, "store the file");
	if ((rc = event(db, c.id, side_of(role), "file", u->filename, true, d)))
		return rc;
	char summary[200];
	snprintf(summary, sizeof(summary), "file %.64s (%s, %zu bytes)", s->sha256, s->mime, s->size);
	struct kk_actor tmp;
	return audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.attach", &c, summary, d);
}

int kk_website_estimate(struct kk_db *db, const struct kk_website_who *w, const char *handling, int64_t at,
			const char *why, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "estimate", &c, &role, d);
	if (rc || (rc = check_text(why, "why", false, d)))
		return rc;
	char t[24];
	date_str(c.target_at, t, sizeof(t));
	if (at <= c.target_at)
		return kk_diag_set(d, KK_EINVAL, "estimate",
				   "the estimate must be after the target %s; before it, no estimate is needed", t);
	if (at > c.target_at + 5 * 365 * (int64_t)DAY)
		return kk_diag_set(d, KK_EINVAL, "estimate", "the estimate is more than five years after the target %s", t);
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "UPDATE website_case SET estimate_at = ?, overdue_at = NULL, updated_at = ? WHERE id = ?",
			"iii", at, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "store the estimate");
	c.estimate_at = at;
	char body[KK_WEBSITE_TEXT_MAX + 64], date[24];
	date_str(at, date, sizeof(date));
	snprintf(body, sizeof(body), "%s%s%s", date, why && *why ? ": " : "", why ? why : "");
	struct kk_actor tmp;
	if ((rc = event(db, c.id, side_of(role), "estimate", body, true, d)) ||
	    (rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.estimate", &c, date, d)))
		return rc;
	return schedule_target(db, &c, now, d);
}

/* The CLI system actor used to write to the finder through intake (who holds the finder's contact). */
static void relay_actor(struct kk_actor *a, const struct wcore *c)
{
	kk_actor_system(a, "website");
	snprintf(a->label, sizeof(a->label), "website:%s", c->handling);
}

int kk_website_complete(struct kk_db *db, const struct kk_website_who *w, const unsigned char key[KK_KEY_BYTES],
			const char *handling, const char *what_was_done, struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "complete", &c, &role, d);
	if (rc || (rc = check_text(what_was_done, "completion", true, d)))
		return rc;
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db,
			"UPDATE website_case SET stage = 'completed', completed_at = ?, completion = ?, "
			"ack_at = coalesce(ack_at, ?), updated_at = ? WHERE id = ?",
			"isiii", now, what_was_done, now, now, c.id);
	for (int k = 0; rc >= 0 && k < KK_WCHK__COUNT; k++)
		rc = tick_check(db, c.id, (enum kk_website_check)k, true, d);
	if (rc < 0)
		return d->msg[0] ? rc : dberr(db, rc, d, "record the completion");
	struct kk_actor tmp, relay;
	if ((rc = event(db, c.id, side_of(role), "completed", what_was_done, true, d)) ||
	    (rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.complete", &c, "completion report", d)) ||
	    (rc = kk_sched_cancel_prefix(db, "website.", c.id, d)))
		return rc;
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	kk_buf_printf(&b,
		      "届け出ていただいたウェブサイトの脆弱性について、運営者から修正完了の報告がありました。\n"
		      "The operator of the website you reported has reported the fix.\n\n"
		      "取扱番号 / Handling number: %s\nURL: %s\n\n"
		      "対応内容 / What was done:\n%s\n\n"
		      "修正を確認された場合は、届出の秘密リンクの鍵で次のページからお知らせください。\n"
		      "If you can confirm the fix, tell us on this page with the key of your report's secret link:\n"
		      "  %s/website/finder/%s?key=(the key of your secret link)\n",
		      c.handling, c.url, what_was_done, kk_website_config()->base_url, c.tracking);
	relay_actor(&relay, &c);
	if (kk_buf_error(&b))
		rc = kk_diag_set(d, KK_ENOMEM, NULL, "cannot build the message to the finder");
	else
		rc = kk_intake_message(db, &relay, key, c.tracking, b.ptr, d);
	kk_buf_release(&b);
	if (!rc)
		rc = event(db, c.id, "system", "finder_told", "", false, d);
	return rc;
}

/* ---- the finder ------------------------------------------------------- */

/* Checks the finder's report link and loads the case of that report. */
static int finder_case(struct kk_db *db, const char *tracking, const char *token, struct wcore *c, struct kk_diag *d)
{
	int rc = need_tx(db, d);
	if (rc || (rc = kk_policy_check(&kk_actor_public, KK_ACT_WEBSITE_LINK, NULL)))
		return rc;
	if (!tracking || !token || kk_intake_link_check(db, tracking, token, d))
		return kk_diag_set(d, KK_ENOTFOUND, "key", "this tracking number and key do not open a website case");
	rc = core_query(db, "SELECT " CORE_COLS " FROM website_case WHERE tracking = ?", tracking, 0, c);
	if (rc == KK_ENOTFOUND)
		return kk_diag_set(d, rc, "key", "this tracking number and key do not open a website case");
	return rc ? dberr(db, rc, d, "read the case") : 0;
}

int kk_website_finder_confirm(struct kk_db *db, const char *tracking, const char *token, const char *comment,
			      struct kk_diag *d)
{
	struct wcore c;
	int rc = finder_case(db, tracking, token, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "confirm", d)) || (rc = check_text(comment, "comment", false, d)))
		return rc;
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "UPDATE website_case SET finder_confirmed_at = ?, updated_at = ? WHERE id = ?", "iii", now,
			now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "record the confirmation");
	struct kk_actor tmp = kk_actor_public;
	snprintf(tmp.label, sizeof(tmp.label), "link:finder");
	if ((rc = event(db, c.id, "finder", "confirmed", comment, false, d)))
		return rc;
	return audit(db, &tmp, "website.confirm", &c, "the finder confirmed the fix", d);
}

int kk_website_direct_agree_operator(struct kk_db *db, const struct kk_website_who *w, const char *handling,
				     struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "direct", &c, &role, d);
	if (rc)
		return rc;
	if (role != W_OPERATOR)
		return kk_diag_set(d, KK_EPERM, "side", "only the operator can agree for the operator");
	rc = kk_db_exec(db, "UPDATE website_case SET operator_direct = 1, updated_at = ? WHERE id = ?", "ii",
			kk_clock_now(), c.id);
	struct kk_actor tmp;
	if (rc < 0)
		return dberr(db, rc, d, "record the agreement");
	if ((rc = event(db, c.id, "operator", "direct_agree", "", true, d)))
		return rc;
	return audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.direct", &c, "operator agrees", d);
}

int kk_website_direct_agree_finder(struct kk_db *db, const char *tracking, const char *token, struct kk_diag *d)
{
	struct wcore c;
	int rc = finder_case(db, tracking, token, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "direct", d)))
		return rc;
	rc = kk_db_exec(db, "UPDATE website_case SET finder_direct = 1, updated_at = ? WHERE id = ?", "ii",
			kk_clock_now(), c.id);
	if (rc < 0)
		return dberr(db, rc, d, "record the agreement");
	struct kk_actor tmp = kk_actor_public;
	snprintf(tmp.label, sizeof(tmp.label), "link:finder");
	if ((rc = event(db, c.id, "finder", "direct_agree", "", true, d)))
		return rc;
	return audit(db, &tmp, "website.direct", &c, "finder agrees", d);
}

static int both_agreed(const struct wcore *c, struct kk_diag *d)
{
	if (c->finder_direct && c->operator_direct)
		return 0;
	return kk_diag_set(d, KK_ECONFLICT, "direct", "a direct exchange needs both the finder and the operator to agree "
						      "(finder: %s, operator: %s)",
			   c->finder_direct ? "yes" : "not yet", c->operator_direct ? "yes" : "not yet");
}

int kk_website_direct_from_operator(struct kk_db *db, const struct kk_website_who *w,
				    const unsigned char key[KK_KEY_BYTES], const char *handling, const char *text,
				    struct kk_diag *d)
{
	struct wcore c;
	enum wrole role;
	int rc = load_for(db, w, handling, "direct", &c, &role, d);
	if (rc || (rc = check_text(text, "text", true, d)) || (rc = both_agreed(&c, d)))
		return rc;
	if (role != W_OPERATOR)
		return kk_diag_set(d, KK_EPERM, "side", "only the operator writes as the operator");
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	kk_buf_printf(&b, "運営者からのメッセージ / A message from the operator of %s (%s):\n\n%s\n", c.url, c.handling,
		      text);
	struct kk_actor relay, tmp;
	relay_actor(&relay, &c);
	rc = kk_buf_error(&b) ? kk_diag_set(d, KK_ENOMEM, NULL, "out of memory")
			      : kk_intake_message(db, &relay, key, c.tracking, b.ptr, d);
	kk_buf_release(&b);
	if (!rc && !(rc = event(db, c.id, "operator", "direct", text, true, d)))
		rc = audit(db, audit_actor(w, &tmp, "link:website-operator"), "website.direct", &c, "operator to finder", d);
	return rc;
}

int kk_website_direct_from_finder(struct kk_db *db, const unsigned char key[KK_KEY_BYTES], const char *tracking,
				  const char *token, const char *text, struct kk_diag *d)
{
	struct wcore c;
	int rc = finder_case(db, tracking, token, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "direct", d)) || (rc = check_text(text, "text", true, d)) ||
	    (rc = both_agreed(&c, d)))
		return rc;
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	kk_buf_printf(&b, "届出者からのメッセージ / A message from the finder:\n\n%s\n", text);
	rc = kk_buf_error(&b) ? kk_diag_set(d, KK_ENOMEM, NULL, "out of memory")
			      : op_mail(db, key, &c, c.contact, "A message from the finder / 届出者からのメッセージ", b.ptr,
					true, d);
	kk_buf_release(&b);
	struct kk_actor tmp = kk_actor_public;
	snprintf(tmp.label, sizeof(tmp.label), "link:finder");
	if (!rc && !(rc = event(db, c.id, "finder", "direct", text, true, d)))
		rc = audit(db, &tmp, "website.direct", &c, "finder to operator", d);
	return rc;
}

/* ---- closing ---------------------------------------------------------- */

static void relay_actor(struct kk_actor *a, const struct wcore *c);

/* Why a case closed without a fix, as the finder reads it (VI.2 (2)): [0] ja, [1] en. */
static const char *close_why(enum kk_website_outcome o, int en)
{
	switch (o) {
	case KK_WOUT_NOT_REPRODUCIBLE:
		return en ? "the reported behaviour could not be reproduced on the site"
			  : "ウェブサイト上で届出の事象を再現できませんでした";
	case KK_WOUT_SITE_CLOSED:
		return en ? "the website has been closed" : "ウェブサイトが閉鎖されました";
	case KK_WOUT_OPERATOR_UNREACHABLE:
		return en ? "the website operator could not be reached despite repeated notices"
			  : "繰り返し連絡しましたが、ウェブサイト運営者と連絡が取れませんでした";
	default:
		return "";
	}
}

int kk_website_close(struct kk_db *db, const struct kk_actor *a, const unsigned char *key, const char *handling,
		     enum kk_website_outcome o, const char *note, struct kk_diag *d)
{
	struct wcore c;
	int rc = load_staff(db, a, handling, &c, d);
	if (rc || (rc = kk_website_stage_allows(c.stage, "close", d)) || (rc = check_text(note, "note", false, d)))
		return rc;
	switch (o) {
	case KK_WOUT_FIXED:
		if (c.stage != KK_WEBSITE_COMPLETED)
			return kk_diag_set(d, KK_ECONFLICT, "outcome", "case %s is in %s; 'fixed' needs the operator's "
								       "completion report first",
					   c.handling, kk_website_stage_name(c.stage));
		break;
	case KK_WOUT_OPERATOR_UNREACHABLE:
		if (!c.unreachable_at)
			return kk_diag_set(d, KK_ECONFLICT, "outcome",
					   "case %s is not marked unreachable: that takes %d unanswered notices of one "
					   "stage (now %d)",
					   c.handling, kk_website_config()->max_attempts, c.attempts);
		break;
	case KK_WOUT_NOT_REPRODUCIBLE:
	case KK_WOUT_SITE_CLOSED:
		break;
	default:
		return kk_diag_set(d, KK_EINVAL, "outcome", "outcome must be fixed, not_reproducible, site_closed or "
							     "operator_unreachable");
	}
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db, "UPDATE website_case SET stage = 'closed', outcome = ?, closed_at = ?, updated_at = ? "
			    "WHERE id = ?",
			"siii", kk_website_outcome_name(o), now, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "close the case");
	char body[KK_WEBSITE_TEXT_MAX + 64];
	snprintf(body, sizeof(body), "%s%s%s", kk_website_outcome_name(o), note && *note ? ": " : "", note ? note : "");
	if ((rc = event(db, c.id, "receiver", "closed", body, true, d)) ||
	    (rc = audit(db, a, "website.close", &c, kk_website_outcome_name(o), d)) ||
	    (rc = kk_sched_cancel_prefix(db, "website.", c.id, d)))
		return rc;
	if (o == KK_WOUT_FIXED)
		return 0; /* the finder was told of the completion report */
	/* closed without a fix: the finder is told why, through intake (the receiver's note stays internal) */
	if (!key)
		return kk_diag_set(d, KK_EINVAL, "key", "the finder must be told why the case closed: the key file is needed");
	struct kk_buf b = KK_BUF_INIT(KK_MAIL_BODY_MAX);
	kk_buf_printf(&b,
		      "届け出ていただいたウェブサイトの脆弱性の取扱いを、修正の確認なしに終了しました。\n理由: %s。\n\n"
		      "The handling of the website vulnerability you reported has ended without a confirmed fix.\n"
		      "Reason: %s.\n\n取扱番号 / Handling number: %s\nURL: %s\n",
		      close_why(o, 0), close_why(o, 1), c.handling, c.url);
	struct kk_actor relay;
	relay_actor(&relay, &c);
	if (kk_buf_error(&b))
		rc = kk_diag_set(d, KK_ENOMEM, NULL, "cannot build the message to the finder");
	else
		rc = kk_intake_message(db, &relay, key, c.tracking, b.ptr, d);
	kk_buf_release(&b);
	return rc ? rc : event(db, c.id, "system", "finder_told", kk_website_outcome_name(o), false, d);
}

/* Defined with the reminders below: mails the operator at the current stage's addresses. */
static int reminder(struct kk_db *db, const struct wcore *c, const char *subject, const char *body, struct kk_diag *d);

int kk_website_report_stopped(struct kk_db *db, const struct kk_actor *a, int64_t report_id, const char *tracking,
			      const char *reason, struct kk_diag *d)
{
	int rc = need_tx(db, d);
	if (rc)
		return rc;
	struct kk_stmt *st;
	if ((rc = kk_db_prepare(db, "SELECT id FROM website_case WHERE report_id = ?", &st)))
		return dberr(db, rc, d, "find the report's case");
	kk_stmt_bind_int64(st, 1, report_id);
	int64_t id = kk_stmt_step(st) == KK_ROW ? kk_stmt_int64(st, 0) : 0;
	kk_stmt_done(st);
	struct wcore c;
	if (!id || (rc = wcore_load(db, NULL, id, &c)) == KK_ENOTFOUND)
		return 0; /* no case was opened from it */
	if (rc)
		return dberr(db, rc, d, "read the case");
	if (c.stage == KK_WEBSITE_CLOSED)
		return 0; /* closed already: nothing goes on */
	int64_t now = kk_clock_now();
	rc = kk_db_exec(db,
			"UPDATE website_case SET stage = 'closed', stopped_at = ?, stop_reason = ?, closed_at = ?, "
			"updated_at = ? WHERE id = ?",
			"isiii", now, reason, now, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "stop the case");
	char note[160];
	snprintf(note, sizeof(note), "report %s stopped: %s", tracking, reason);
	if ((rc = kk_sched_cancel_prefix(db, "website.", c.id, d)) ||
	    (rc = event(db, c.id, "receiver", "stopped", note, false, d)) ||
	    (rc = event(db, c.id, "system", "stopped", "取扱いを終了しました / The handling has ended", true, d)))
		return rc;
	/* an operator already contacted is told it ended, never why (the reason may be confidential: V.2 (2) ⑤) */
	if (c.stage == KK_WEBSITE_STAGE1 || (c.stage > KK_WEBSITE_STAGE1 && c.contact[0])) {
		char body[5200];
		snprintf(body, sizeof(body),
			 "ウェブサイト %s の脆弱性についてお送りしたご連絡の取扱いを終了しました。これ以上のご対応は"
			 "不要です。お伝えした情報は引き続き適切にお取り扱いください。\n\n"
			 "The handling of our message about a vulnerability in %s has ended; no further action "
			 "is needed. Please keep what you received in confidence.\n",
			 c.url, c.url);
		if ((rc = reminder(db, &c, "Handling ended / 取扱い終了", body, d)))
			return rc;
	}
	return audit(db, a, "website.stop", &c, note, d);
}

/* ---- scheduler handlers ----------------------------------------------- */

static int job_case(struct kk_db *db, const struct kk_sched_job *job, struct wcore *c, struct kk_diag *d)
{
	int rc = wcore_load(db, NULL, job->subject, c);
	if (rc == KK_ENOTFOUND)
		return 1; /* the case is gone: nothing to do */
	return rc ? dberr(db, rc, d, "read the case") : 0;
}

/* Sends a reminder of the current stage to the operator: stage 1 to every address found, later to the contact. */
static int reminder(struct kk_db *db, const struct wcore *c, const char *subject, const char *body, struct kk_diag *d)
{
	if (c->stage != KK_WEBSITE_STAGE1)
		return op_mail(db, NULL, c, c->contact, subject, body, false, d);
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT address FROM website_contact WHERE case_id = ? ORDER BY address", &st);
	if (rc)
		return dberr(db, rc, d, "read the addresses");
	kk_stmt_bind_int64(st, 1, c->id);
	char addrs[10][KK_EMAIL_MAX + 1];
	int n = 0;
	while (n < 10 && (rc = kk_stmt_step(st)) == KK_ROW)
		copy(addrs[n++], sizeof(addrs[0]), kk_stmt_text(st, 0));
	kk_stmt_done(st);
	for (int i = 0; i < n && rc >= 0; i++)
		rc = op_mail(db, NULL, c, addrs[i], subject, body, false, d);
	return rc < 0 ? rc : 0;
}

int kk_website_job_nudge(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	struct wcore c;
	int rc = job_case(db, job, &c, d);
	if (rc)
		return rc > 0 ? 0 : rc;
	bool waiting = c.stage == KK_WEBSITE_STAGE1 || c.stage == KK_WEBSITE_STAGE2 ||
		       (c.stage == KK_WEBSITE_STAGE3 && !c.ack_at);
	if (!waiting || c.unreachable_at)
		return 0;
	const struct kk_website_config *cfg = kk_website_config();
	struct kk_actor sys;
	kk_actor_system(&sys, "scheduler");
	if (c.attempts >= cfg->max_attempts) {
		char body[96];
		snprintf(body, sizeof(body), "%d notices of %s unanswered", c.attempts, kk_website_stage_name(c.stage));
		rc = kk_db_exec(db, "UPDATE website_case SET unreachable_at = ?, updated_at = ? WHERE id = ?", "iii", now,
				now, c.id);
		if (rc < 0)
			return dberr(db, rc, d, "mark the case unreachable");
		if ((rc = event(db, c.id, "system", "unreachable", body, false, d)))
			return rc;
		return audit(db, &sys, "website.unreachable", &c, body, d);
	}
	char sent[24], body[8192];
	date_str(c.stage3_at ? c.stage3_at : now, sent, sizeof(sent));
	if (c.stage == KK_WEBSITE_STAGE3)
		snprintf(body, sizeof(body),
			 "取扱番号 %s (%s) の脆弱性の詳細について、受領のご確認をまだいただいていません。\n"
			 "ポータルで受領を確認してください。\n\n"
			 "We have not yet had your acknowledgement of the details of case %s (%s).\n"
			 "Please acknowledge them on the portal (the link we sent you).\n",
			 c.handling, c.url, c.handling, c.url);
	else
		snprintf(body, sizeof(body),
			 "ウェブサイト %s の脆弱性についてお送りしたご連絡への返信をまだいただいていません。\n"
			 "先にお送りしたリンクから、またはこのメールへの返信でご連絡ください。\n\n"
			 "We have not yet had an answer to our message about a vulnerability in %s.\n"
			 "Please answer through the link we sent you, or reply to this mail.\n",
			 c.url, c.url);
	if ((rc = reminder(db, &c, "Reminder / 再送", body, d)))
		return rc;
	rc = kk_db_exec(db, "UPDATE website_case SET attempts = attempts + 1, updated_at = ? WHERE id = ?", "ii", now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "count the notice");
	if ((rc = event(db, c.id, "system", "reminder", kk_website_stage_name(c.stage), false, d)))
		return rc;
	return kk_sched_at(db, "website.nudge", c.id, now + (int64_t)cfg->retry_days * DAY, NULL, d);
}

static int64_t due_of(const struct wcore *c)
{
	return c->estimate_at > c->target_at ? c->estimate_at : c->target_at;
}

int kk_website_job_remind_before(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	(void)now;
	struct wcore c;
	int rc = job_case(db, job, &c, d);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (c.stage != KK_WEBSITE_STAGE3 || !c.contact[0])
		return 0;
	char due[24], body[8192];
	date_str(due_of(&c), due, sizeof(due));
	snprintf(body, sizeof(body),
		 "取扱番号 %s (%s) の修正目標日 %s が近づいています。進捗をポータルでお知らせください。\n"
		 "修正に時間がかかる場合は、修正予定日をお知らせください。\n\n"
		 "The target date %s for the fix of case %s (%s) is near. Please tell us how it stands on\n"
		 "the portal, or give an estimated fix date if you need longer.\n",
		 c.handling, c.url, due, due, c.handling, c.url);
	if ((rc = op_mail(db, NULL, &c, c.contact, "The target date is near / 修正目標日が近づいています", body, false, d)))
		return rc;
	return event(db, c.id, "system", "remind_before", due, false, d);
}

int kk_website_job_overdue(struct kk_db *db, const struct kk_sched_job *job, int64_t now, struct kk_diag *d)
{
	struct wcore c;
	int rc = job_case(db, job, &c, d);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (c.stage != KK_WEBSITE_STAGE3 || !c.contact[0])
		return 0;
	if (now < due_of(&c)) /* the estimate moved the date after this job was due */
		return kk_sched_at(db, "website.overdue", c.id, due_of(&c), NULL, d);
	rc = kk_db_exec(db, "UPDATE website_case SET overdue_at = coalesce(overdue_at, ?), updated_at = ? WHERE id = ?",
			"iii", now, now, c.id);
	if (rc < 0)
		return dberr(db, rc, d, "mark the case overdue");
	char due[24], body[8192];
	date_str(due_of(&c), due, sizeof(due));
	snprintf(body, sizeof(body),
		 "取扱番号 %s (%s) の修正目標日 %s を過ぎました。状況と修正予定日をポータルでお知らせください。\n\n"
		 "The target date %s for the fix of case %s (%s) has passed. Please tell us on the portal\n"
		 "how it stands and when you expect to finish.\n",
		 c.handling, c.url, due, due, c.handling, c.url);
	if ((rc = op_mail(db, NULL, &c, c.contact, "The target date has passed / 修正目標日を過ぎました", body, false, d)) ||
	    (rc = event(db, c.id, "system", "overdue", due, false, d)))
		return rc;
	struct kk_actor sys;
	kk_actor_system(&sys, "scheduler");
	if ((rc = audit(db, &sys, "website.overdue", &c, due, d)))
		return rc;
	return kk_sched_at(db, "website.overdue", c.id, now + (int64_t)kk_website_config()->retry_days * DAY, NULL, d);
}
