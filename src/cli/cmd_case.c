/*
 * cmd_case.c — `keikai case ...`: coordination cases for operators and
 * tests. Every sub-command is one row of commands.def pointing here; each
 * change runs in one transaction as the CLI actor, or as a user with
 * --as EMAIL (a vendor answering by phone, or a test acting as one).
 */
#include "auth/auth.h"
#include "auth/keyfile.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/str.h"
#include "cli/cli.h"
#include "coord/case.h"
#include "intake/intake.h"
#include "store/db.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments ---------------------------------------------------------------- */

#define MAX_POS 1000
#define MAX_REP 100

struct args {
	const char *cmd;
	const char *pos[MAX_POS];
	int npos;
	const char *reports[MAX_REP];
	int nreports;
	const char *as, *state, *q, *verification, *text, *reason, *note, *thread, *vendor, *title, *overview, *details,
		*cve, *set, *request, *accept, *decline, *status, *ja, *en, *sector, *org, *draft, *fix, *limit, *offset,
		*days, *cwe, *vuln, *ground, *product, *contact;
	bool json, accept_terms, all, off, pending;
};

static const struct {
	const char *name;
	size_t off; /* offset of the const char * in struct args */
} value_opts[] = {
#define O(n, f) {n, offsetof(struct args, f)}
	O("--as", as),	       O("--state", state),	O("--q", q),	       O("--verification", verification),
	O("--text", text),     O("--reason", reason),	O("--note", note),     O("--thread", thread),
	O("--vendor", vendor), O("--title", title),	O("--overview", overview), O("--details", details),
	O("--cve", cve),       O("--set", set),		O("--request", request), O("--accept", accept),
	O("--decline", decline), O("--status", status), O("--ja", ja),	       O("--en", en),
	O("--sector", sector), O("--org", org),		O("--draft", draft),   O("--fix", fix),
	O("--limit", limit),   O("--offset", offset),	O("--days", days),     O("--cwe", cwe),
	O("--vuln", vuln),     O("--ground", ground),	O("--product", product), O("--contact", contact),
#undef O
};

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->cmd = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (!strcmp(argv[i], "--json")) {
			a->json = true;
			continue;
		}
		if (!strcmp(argv[i], "--accept-terms")) {
			a->accept_terms = true;
			continue;
		}
		if (!strcmp(argv[i], "--all")) {
			a->all = true;
			continue;
		}
		if (!strcmp(argv[i], "--off")) {
			a->off = true;
			continue;
		}
		if (!strcmp(argv[i], "--pending")) {
			a->pending = true;
			continue;
		}
		int r = cli_opt(argc, argv, &i, "--report", &v);
		if (r < 0)
			return cli_usage(a->cmd, "--report needs a tracking number");
		if (r) {
			if (a->nreports == MAX_REP)
				return cli_usage(a->cmd, "at most %d reports", MAX_REP);
			a->reports[a->nreports++] = v;
			continue;
		}
		size_t k = 0;
		for (; k < sizeof(value_opts) / sizeof(value_opts[0]); k++) {
			r = cli_opt(argc, argv, &i, value_opts[k].name, &v);
			if (r < 0)
				return cli_usage(a->cmd, "%s needs a value", value_opts[k].name);
			if (r) {
				*(const char **)((char *)a + value_opts[k].off) = v;
				break;
			}
		}
		if (k < sizeof(value_opts) / sizeof(value_opts[0]))
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(a->cmd, "unknown option '%s'", argv[i]);
		if (a->npos == MAX_POS)
			return cli_usage(a->cmd, "unexpected argument '%s'", argv[i]);
		a->pos[a->npos++] = argv[i];
	}
	return 0;
}

static int need_pos(const struct args *a, int n, const char *what)
{
	if (a->npos < n)
		return cli_usage(a->cmd, "give %s", what);
	if (a->npos > n)
		return cli_usage(a->cmd, "unexpected argument '%s'", a->pos[n]);
	return 0;
}

static int parse_int(const struct args *a, const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return cli_usage(a->cmd, "%s must be a number from %ld to %ld", opt, lo, hi);
	*out = v;
	return 0;
}

/* ---- the actor and one transaction ---------------------------------------------- */

struct run {
	struct args *a;
	struct kk_actor actor;
	struct kk_diag d;
	int (*fn)(struct kk_db *db, struct run *r);
	unsigned char key[KK_KEY_BYTES];
	bool have_key;
	struct kk_buf out; /* printed after a successful commit */
};

static int actor_for(struct kk_db *db, const char *email, struct kk_actor *out)
{
	kk_actor_system(out, NULL);
	if (!email)
		return 0;
	struct kk_user u;
	if (kk_user_find(db, email, &u))
		return cli_error("--as %s: no such user; 'keikai user list' shows them", email);
	if (u.disabled)
		return cli_error("--as %s: the user is disabled", email);
	memset(out, 0, sizeof(*out));
	out->user_id = u.id;
	out->role = u.role;
	out->org_id = u.org_id;
	out->org_kind = u.org_kind;
	kk_strlcpy(out->email, u.email, sizeof(out->email));
	kk_strlcpy(out->name, u.name, sizeof(out->name));
	kk_strlcpy(out->org_name, u.org_name, sizeof(out->org_name));
	char who[32];
	kk_strlcpy(who, getenv("USER") ? getenv("USER") : "cli", sizeof(who));
	snprintf(out->label, sizeof(out->label), "cli:%.31s as user:%.254s", who, u.email);
	return 0;
}

static int run_tx(struct kk_db *db, void *arg)
{
	struct run *r = arg;
	kk_diag_clear(&r->d);
	kk_buf_reset(&r->out);
	return r->fn(db, r);
}

/* Opens the database, resolves --as, runs fn in one transaction (or directly with tx false). */
static int run(struct kk_cli *cli, struct args *a, bool tx, bool key, int (*fn)(struct kk_db *db, struct run *r))
{
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct run r = {.a = a, .fn = fn, .out = KK_BUF_INIT(0)};
	int rc = actor_for(db, a->as, &r.actor);
	if (!rc && key) {
		char path[1024];
		if (kk_keyfile_path(cli->db_path, NULL, path, sizeof(path)) || kk_keyfile_load(path, r.key, &r.d))
			rc = cli_error("%s: %s", a->cmd, r.d.msg[0] ? r.d.msg : "cannot find the key file; set KEIKAI_KEY_FILE");
		else
			r.have_key = true;
	}
	if (!rc) {
		int e = tx ? kk_db_tx(db, run_tx, &r) : run_tx(db, &r);
		if (e < 0) {
			if (r.d.where[0])
				rc = cli_error("%s: %s: %s", a->cmd, r.d.where, r.d.msg[0] ? r.d.msg : kk_err_msg(e));
			else
				rc = cli_error("%s: %s", a->cmd, r.d.msg[0] ? r.d.msg : kk_err_msg(e));
		} else
			fputs(r.out.ptr, stdout);
	}
	sodium_memzero(r.key, sizeof(r.key));
	kk_buf_release(&r.out);
	kk_db_close(db);
	return rc;
}

/* The organization named (vendor or infrastructure): its id or an error in r->d. */
static int org_id(struct kk_db *db, struct run *r, const char *name, int64_t *id)
{
	struct kk_org o;
	if (!name || !*name)
		return kk_diag_set(&r->d, KK_EINVAL, "vendor", "name the organization (--vendor NAME)");
	if (kk_org_find(db, name, &o))
		return kk_diag_set(&r->d, KK_ENOTFOUND, "vendor", "no organization named '%s'; 'keikai org list' shows them",
				   name);
	*id = o.id;
	return 0;
}

/* The vendor a step is about: --vendor, else the --as user's own organization. */
static int step_org(struct kk_db *db, struct run *r, int64_t *id)
{
	if (r->a->vendor)
		return org_id(db, r, r->a->vendor, id);
	if (r->actor.org_id) {
		*id = r->actor.org_id;
		return 0;
	}
	return kk_diag_set(&r->d, KK_EINVAL, "vendor", "name the vendor with --vendor NAME");
}

/* ---- sub-commands ------------------------------------------------------------------ */

static int print_opened(void *arg, const char *tracking, const char *ref)
{
	kk_buf_printf(arg, "%s %s\n", ref, tracking);
	return 0;
}

static int do_open(struct kk_db *db, struct run *r)
{
	if (r->a->pending) {
		int n = kk_intake_open_pending(db, &r->actor, "product", print_opened, &r->out, &r->d);
		if (n >= 0)
			kk_buf_printf(&r->out, "%d pending hand-off%s opened\n", n, n == 1 ? "" : "s");
		return n < 0 ? n : 0;
	}
	char ref[KK_CASE_REF_MAX];
	int rc = kk_case_open(db, &r->actor, r->a->reports, (size_t)r->a->nreports, ref, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s\n", ref);
	return rc;
}

static int do_merge(struct kk_db *db, struct run *r)
{
	int rc = kk_case_merge(db, &r->actor, r->a->pos[0], r->a->pos[1], &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s merged into %s\n", r->a->pos[1], r->a->pos[0]);
	return rc;
}

static int do_edit(struct kk_db *db, struct run *r)
{
	int rc = kk_case_edit(db, &r->actor, r->a->pos[0], r->a->title, r->a->overview, r->a->details, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: changed\n", r->a->pos[0]);
	return rc;
}

static int do_add_vuln(struct kk_db *db, struct run *r)
{
	long cwe = 0;
	if (r->a->cwe) {
		const char *s = r->a->cwe;
		if (!strncmp(s, "CWE-", 4))
			s += 4;
		char *end;
		cwe = strtol(s, &end, 10);
		if (!*s || *end || cwe <= 0)
			return kk_diag_set(&r->d, KK_EINVAL, "cwe", "--cwe takes 79 or CWE-79");
	}
	int seq;
	int rc = kk_case_add_vuln(db, &r->actor, r->a->pos[0], r->a->title, (int)cwe, r->a->cve, &seq, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: vulnerability #%d\n", r->a->pos[0], seq);
	return rc;
}

static int do_add_vendor(struct kk_db *db, struct run *r)
{
	int64_t id, pid;
	int rc = 0;
	for (int i = 1; i < r->a->npos && !rc; i++) {
		struct kk_org o;
		if (kk_org_find(db, r->a->pos[i], &o)) {
			if (!r->a->all) /* --all here: create the vendor organization when missing */
				return kk_diag_set(&r->d, KK_ENOTFOUND, "vendor",
						   "no organization named '%s'; add --all to create it as a vendor",
						   r->a->pos[i]);
			if ((rc = kk_org_create(db, &r->actor, r->a->pos[i], KK_ORG_VENDOR, &id, &r->d)))
				return rc;
		} else
			id = o.id;
		if (!(rc = kk_case_add_vendor(db, &r->actor, r->a->pos[0], id, &pid, &r->d)))
			kk_buf_printf(&r->out, "%s: added vendor %s\n", r->a->pos[0], r->a->pos[i]);
	}
	return rc;
}

struct names {
	int64_t ids[4096];
	char names[4096][KK_NAME_MAX + 1];
	int n;
};

static int collect_added(void *arg, const struct kk_participant *p)
{
	struct names *n = arg;
	if (n->n < 4096) {
		n->ids[n->n] = p->org_id;
		kk_strlcpy(n->names[n->n], p->org_name, sizeof(n->names[0]));
		n->n++;
	}
	return 0;
}

static int do_notify(struct kk_db *db, struct run *r)
{
	struct kk_case_step s = {.verb = KK_PV_NOTIFY};
	int rc;
	if (r->a->all) {
		/* every vendor not yet notified */
		struct kk_case_info c;
		if ((rc = kk_case_get(db, &r->actor, r->a->pos[0], &c, &r->d)))
			return rc;
		static struct names n;
		/* a page of 500 at a time: the notified ones leave the 'added' filter */
		do {
			n.n = 0;
			struct kk_participant_filter f = {.state = "added", .limit = 500};
			if ((rc = kk_case_participants(db, &r->actor, &c, &f, collect_added, &n, NULL)) < 0)
				break;
			rc = 0;
			for (int i = 0; i < n.n && !rc; i++)
				if (!(rc = kk_case_step(db, &r->actor, r->a->pos[0], n.ids[i], &s, &r->d)))
					kk_buf_printf(&r->out, "%s: notified %s\n", r->a->pos[0], n.names[i]);
		} while (!rc && n.n == 500);
		kk_case_info_release(&c);
		return rc < 0 ? rc : 0;
	}
	for (int i = 1; i < r->a->npos; i++) {
		int64_t id = 0;
		if ((rc = org_id(db, r, r->a->pos[i], &id)) || (rc = kk_case_step(db, &r->actor, r->a->pos[0], id, &s, &r->d)))
			return rc;
		kk_buf_printf(&r->out, "%s: notified %s\n", r->a->pos[0], r->a->pos[i]);
	}
	return 0;
}

static int do_step(struct kk_db *db, struct run *r)
{
	struct kk_case_step s = {.accept_terms = r->a->accept_terms, .text = r->a->text};
	if (kk_pverb_parse(r->a->pos[1], &s.verb))
		return kk_diag_set(&r->d, KK_EINVAL, "step",
				   "'%s' is not a step: notify, acknowledge, request_details, no_affected_product, "
				   "send_details, verify, report_fix, ready",
				   r->a->pos[1]);
	if (r->a->verification && kk_verification_parse(r->a->verification, &s.verification))
		return kk_diag_set(&r->d, KK_EINVAL, "verification", "affected, not_affected or already_known");
	int64_t id;
	int rc = step_org(db, r, &id);
	if (!rc)
		rc = kk_case_step(db, &r->actor, r->a->pos[0], id, &s, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: %s\n", r->a->pos[0], kk_pverb_name(s.verb));
	return rc;
}

static int do_name_vendor(struct kk_db *db, struct run *r)
{
	int64_t id, sid;
	struct kk_named_vendor_in in = {r->a->pos[1], r->a->product, r->a->contact, r->a->reason};
	int rc = step_org(db, r, &id);
	if (!rc)
		rc = kk_case_name_vendor(db, &r->actor, r->a->pos[0], id, &in, &sid, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: %s suggested to the coordinators (suggestion %lld)\n", r->a->pos[0],
			      r->a->pos[1], (long long)sid);
	return rc;
}

static int do_statement(struct kk_db *db, struct run *r)
{
	long seq = 1;
	if (r->a->vuln) {
		char *end;
		seq = strtol(r->a->vuln, &end, 10);
		if (*end || seq < 1)
			return kk_diag_set(&r->d, KK_EINVAL, "vuln", "--vuln N: the vulnerability's number (1, 2, ...)");
	}
	int64_t id;
	int rc = step_org(db, r, &id);
	if (!rc)
		rc = kk_case_statement(db, &r->actor, r->a->pos[0], id, (int)seq, r->a->status, r->a->ja, r->a->en, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: statement on #%ld stored\n", r->a->pos[0], seq);
	return rc;
}

static int date_arg(struct run *r, const char *s, int64_t *t)
{
	if (kk_time_parse_jst(s, kk_coord_config()->publish_hour, t))
		return kk_diag_set(&r->d, KK_EINVAL, "publish_at",
				   "'%s' is not a time: use 2026-03-01 (Japan, at %d:00), 2026-03-01T11:00 (Japan) or "
				   "2026-03-01T02:00:00Z",
				   s, kk_coord_config()->publish_hour);
	return 0;
}

static int do_date(struct kk_db *db, struct run *r)
{
	const struct args *a = r->a;
	int64_t t = 0, id = 0;
	int rc;
	char *end;
	if (a->set) {
		if ((rc = date_arg(r, a->set, &t)) || (rc = kk_case_set_date(db, &r->actor, a->pos[0], t, a->reason, &r->d)))
			return rc;
	} else if (a->request) {
		int64_t req;
		if ((rc = date_arg(r, a->request, &t)) || (rc = step_org(db, r, &id)) ||
		    (rc = kk_case_request_date(db, &r->actor, a->pos[0], id, t, a->reason, &req, &r->d)))
			return rc;
		kk_buf_printf(&r->out, "%s: date request %lld recorded\n", a->pos[0], (long long)req);
		return 0;
	} else if (a->accept || a->decline) {
		long long req = strtoll(a->accept ? a->accept : a->decline, &end, 10);
		if (*end || req <= 0)
			return kk_diag_set(&r->d, KK_EINVAL, "request", "give the request's number");
		if ((rc = kk_case_decide_date(db, &r->actor, a->pos[0], req, a->accept != NULL, a->note, &r->d)))
			return rc;
		if (a->decline) {
			kk_buf_printf(&r->out, "%s: date request %lld declined\n", a->pos[0], req);
			return 0;
		}
	}
	struct kk_case_info c;
	if ((rc = kk_case_get(db, &r->actor, a->pos[0], &c, &r->d)))
		return rc;
	char jst[40], iso[32];
	kk_time_jst(c.publish_at, jst, sizeof(jst));
	kk_time_iso(c.publish_at, iso, sizeof(iso));
	kk_buf_printf(&r->out, "%s: publication %s (%s)\n", a->pos[0], jst, iso);
	kk_case_info_release(&c);
	return 0;
}

static int do_date_exception(struct kk_db *db, struct run *r)
{
	const struct args *a = r->a;
	int64_t t = 0;
	int rc;
	if ((a->set && (rc = date_arg(r, a->set, &t))) ||
	    (rc = kk_case_date_exception(db, &r->actor, r->key, a->pos[0], a->ground, a->reason, t, &r->d)))
		return rc;
	struct kk_case_info c;
	if ((rc = kk_case_get(db, &r->actor, a->pos[0], &c, &r->d)))
		return rc;
	char jst[40];
	kk_time_jst(c.publish_at, jst, sizeof(jst));
	kk_buf_printf(&r->out, "%s: exception (%s) recorded; publication brought forward to %s; the finders and vendors are told\n",
		      a->pos[0], a->ground, jst);
	kk_case_info_release(&c);
	return 0;
}

static int do_cancel(struct kk_db *db, struct run *r)
{
	int rc = kk_case_cancel(db, &r->actor, r->have_key ? r->key : NULL, r->a->pos[0], r->a->reason, r->a->note, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: publication cancelled (%s)\n", r->a->pos[0], r->a->reason);
	return rc;
}

static int do_message(struct kk_db *db, struct run *r)
{
	int64_t id = 0, mid;
	int rc = 0;
	const char *thread = r->a->thread ? r->a->thread : "vendor";
	if (!strcmp(thread, "vendor"))
		rc = step_org(db, r, &id);
	if (!rc)
		rc = kk_case_post(db, &r->actor, r->a->pos[0], thread, id, r->a->pos[1], &mid, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: message %lld posted\n", r->a->pos[0], (long long)mid);
	return rc;
}

static int do_finder_message(struct kk_db *db, struct run *r)
{
	int64_t mid;
	const char *report = r->a->nreports ? r->a->reports[0] : NULL;
	int rc = kk_case_post_finder(db, &r->actor, r->key, r->a->pos[0], report, r->a->pos[1], &mid, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: message to the finder of %s sent (copy %lld)\n", r->a->pos[0],
			      report ? report : "every report", (long long)mid);
	return rc;
}

static int msg_json(void *arg, const struct kk_case_message *m)
{
	kk_case_message_json(arg, m);
	return 0;
}

static int do_messages(struct kk_db *db, struct run *r)
{
	struct kk_case_info c;
	int rc = kk_case_get(db, &r->actor, r->a->pos[0], &c, &r->d);
	if (rc)
		return rc;
	int64_t id = 0;
	if (r->a->vendor && (rc = org_id(db, r, r->a->vendor, &id))) {
		kk_case_info_release(&c);
		return rc;
	}
	struct kk_json j;
	kk_json_init(&j, &r->out);
	kk_json_arr_open(&j);
	rc = kk_case_messages(db, &r->actor, &c, r->a->thread, id, msg_json, &j);
	kk_json_arr_close(&j);
	kk_buf_putc(&r->out, '\n');
	kk_case_info_release(&c);
	return rc < 0 ? kk_diag_set(&r->d, rc, "messages", "%s", kk_err_msg(rc)) : 0;
}

static int do_show(struct kk_db *db, struct run *r)
{
	struct kk_case_info c;
	int rc = kk_case_get(db, &r->actor, r->a->pos[0], &c, &r->d);
	if (rc)
		return rc;
	struct kk_json j;
	kk_json_init(&j, &r->out);
	rc = kk_case_json(db, &r->actor, &c, &j);
	kk_buf_putc(&r->out, '\n');
	kk_case_info_release(&c);
	return rc < 0 ? kk_diag_set(&r->d, rc, "case", "%s", kk_err_msg(rc)) : 0;
}

static int row_print(void *arg, const struct kk_case_row *c)
{
	struct run *r = arg;
	if (r->a->json) {
		struct kk_json j;
		kk_json_init(&j, &r->out);
		kk_case_row_json(&j, c);
		kk_buf_putc(&r->out, '\n');
		return 0;
	}
	char jst[40];
	kk_time_jst(c->publish_at, jst, sizeof(jst));
	kk_buf_printf(&r->out, "%-14s %-9s %-19s %3d/%-3d %s\n", c->ref, c->state, jst, c->nready, c->nvendors, c->title);
	return 0;
}

static int do_list(struct kk_db *db, struct run *r)
{
	long limit = 50, offset = 0;
	if (r->a->limit)
		limit = atol(r->a->limit);
	if (r->a->offset)
		offset = atol(r->a->offset);
	struct kk_case_filter f = {r->a->state, r->a->q, (int)limit, (int)offset};
	int64_t total;
	int rc = kk_case_list(db, &r->actor, &f, row_print, r, &total);
	if (rc >= 0 && !r->a->json)
		kk_buf_printf(&r->out, "(%d of %lld cases)\n", rc, (long long)total);
	return rc < 0 ? kk_diag_set(&r->d, rc, NULL, "%s", kk_err_msg(rc)) : 0;
}

static int part_print(void *arg, const struct kk_participant *p)
{
	struct run *r = arg;
	if (r->a->json) {
		struct kk_json j;
		kk_json_init(&j, &r->out);
		kk_participant_json(&j, p);
		kk_buf_putc(&r->out, '\n');
	} else
		kk_buf_printf(&r->out, "%-30s %-18s %-13s %s%s\n", p->org_name, p->state,
			      *p->verification ? p->verification : "-", p->unreachable_at ? "unreachable " : "",
			      p->attempts ? "(reminded)" : "");
	return 0;
}

static int do_vendors(struct kk_db *db, struct run *r)
{
	struct kk_case_info c;
	int rc = kk_case_get(db, &r->actor, r->a->pos[0], &c, &r->d);
	if (rc)
		return rc;
	struct kk_participant_filter f = {r->a->state, r->a->q, r->a->limit ? atoi(r->a->limit) : 50,
					  r->a->offset ? atoi(r->a->offset) : 0};
	int64_t total;
	rc = kk_case_participants(db, &r->actor, &c, &f, part_print, r, &total);
	if (rc >= 0 && !r->a->json)
		kk_buf_printf(&r->out, "(%d of %lld vendors)\n", rc, (long long)total);
	kk_case_info_release(&c);
	return rc < 0 ? kk_diag_set(&r->d, rc, NULL, "%s", kk_err_msg(rc)) : 0;
}

static int stalled_print(void *arg, const struct kk_stalled *s)
{
	struct run *r = arg;
	if (r->a->json) {
		struct kk_json j;
		kk_json_init(&j, &r->out);
		kk_stalled_json(&j, s);
		kk_buf_putc(&r->out, '\n');
	} else
		kk_buf_printf(&r->out, "%-14s age %4lld d  idle %4lld d  waiting for: %s\n", s->ref, (long long)s->age_days,
			      (long long)s->idle_days, s->waiting_for);
	return 0;
}

static int do_stalled(struct kk_db *db, struct run *r)
{
	int rc = kk_case_stalled(db, &r->actor, r->a->days ? atoi(r->a->days) : 30, kk_clock_now(), stalled_print, r);
	return rc < 0 ? kk_diag_set(&r->d, rc, NULL, "%s", kk_err_msg(rc)) : 0;
}

static int sugg_print(void *arg, const struct kk_case_suggestion *s)
{
	struct run *r = arg;
	kk_buf_printf(&r->out, "%-12s %3d %-30s %s%s%s\n", s->source, s->score, s->name, s->why,
		      s->in_case ? " (in the case)" : "", s->unreachable ? " (unreachable)" : "");
	return 0;
}

static int do_suggest(struct kk_db *db, struct run *r)
{
	struct kk_case_info c;
	int rc = kk_case_get(db, &r->actor, r->a->pos[0], &c, &r->d);
	if (rc)
		return rc;
	rc = kk_case_suggest(db, &r->actor, &c, sugg_print, r, &r->d);
	kk_case_info_release(&c);
	return rc < 0 ? rc : 0;
}

static int do_share(struct kk_db *db, struct run *r)
{
	int64_t id;
	int rc = org_id(db, r, r->a->pos[1], &id);
	if (!rc)
		rc = kk_case_share_vendor(db, &r->actor, r->a->pos[0], id, !r->a->off, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: %s %s\n", r->a->pos[0], r->a->pos[1],
			      r->a->off ? "hidden from the other vendors" : "shown to the other vendors");
	return rc;
}

static int do_infra_org(struct kk_db *db, struct run *r)
{
	int64_t id;
	int rc = org_id(db, r, r->a->pos[0], &id);
	if (!rc)
		rc = kk_infra_set_sector(db, &r->actor, id, r->a->sector, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: sector %s\n", r->a->pos[0], r->a->sector);
	return rc;
}

static int do_consulted(struct kk_db *db, struct run *r)
{
	int rc = kk_case_record_consultation(db, &r->actor, r->a->pos[0], r->a->note, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: vendor consultation recorded\n", r->a->pos[0]);
	return rc;
}

static int do_finder_told(struct kk_db *db, struct run *r)
{
	int rc = kk_case_record_finder_told(db, &r->actor, r->key, r->a->pos[0], r->a->note, r->a->text, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: the finder was told of the pre-notification (a message on the report)\n",
			      r->a->pos[0]);
	return rc;
}

static int do_infra_share(struct kk_db *db, struct run *r)
{
	int64_t id, sid;
	int rc = org_id(db, r, r->a->org, &id);
	if (!rc)
		rc = kk_infra_share(db, &r->actor, r->a->pos[0], id, r->a->draft, r->a->fix, &sid, &r->d);
	if (!rc)
		kk_buf_printf(&r->out, "%s: shared with %s (share %lld)\n", r->a->pos[0], r->a->org, (long long)sid);
	return rc;
}

static int share_print(void *arg, const struct kk_infra_share *s)
{
	struct run *r = arg;
	struct kk_json j;
	kk_json_init(&j, &r->out);
	kk_infra_share_json(&j, s);
	kk_buf_putc(&r->out, '\n');
	return 0;
}

static int do_infra_portal(struct kk_db *db, struct run *r)
{
	int rc = kk_infra_shares(db, &r->actor, r->a->npos ? r->a->pos[0] : NULL, share_print, r);
	return rc < 0 ? kk_diag_set(&r->d, rc, NULL, "%s", kk_err_msg(rc)) : 0;
}

/* ---- dispatch --------------------------------------------------------------------- */

static const struct {
	const char *name;
	int npos; /* positional arguments: exact, or -n for "at least n" */
	const char *what;
	bool tx, key;
	int (*fn)(struct kk_db *db, struct run *r);
} subs[] = {
	{"case open", 0, "", true, false, do_open},
	{"case merge", 2, "INTO FROM (case numbers)", true, false, do_merge},
	{"case edit", 1, "the case number", true, false, do_edit},
	{"case add-vuln", 1, "the case number", true, false, do_add_vuln},
	{"case add-vendor", -2, "the case number and one or more vendor names", true, false, do_add_vendor},
	{"case notify", -1, "the case number and vendor names (or --all)", true, false, do_notify},
	{"case step", 2, "the case number and the step", true, false, do_step},
	{"case statement", 1, "the case number", true, false, do_statement},
	{"case date", 1, "the case number", true, false, do_date},
	{"case date-exception", 1, "the case number", true, true, do_date_exception},
	{"case cancel", 1, "the case number", true, true, do_cancel},
	{"case message", 2, "the case number and the text", true, false, do_message},
	{"case finder-message", 2, "the case number and the text", true, true, do_finder_message},
	{"case messages", 1, "the case number", false, false, do_messages},
	{"case show", 1, "the case number", false, false, do_show},
	{"case list", 0, "", false, false, do_list},
	{"case vendors", 1, "the case number", false, false, do_vendors},
	{"case stalled", 0, "", false, false, do_stalled},
	{"case suggest", 1, "the case number", false, false, do_suggest},
	{"case share", 2, "the case number and the vendor's name", true, false, do_share},
	{"case name-vendor", 2, "the case number and the other vendor's name", true, false, do_name_vendor},
	{"case infra-org", 1, "the infrastructure organization's name", true, false, do_infra_org},
	{"case consulted", 1, "the case number", true, false, do_consulted},
	{"case finder-told", 1, "the case number", true, true, do_finder_told},
	{"case infra-share", 1, "the case number", true, false, do_infra_share},
	{"case infra-portal", 0, "", true, false, do_infra_portal},
};

int cmd_case(struct kk_cli *cli, int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(subs[i].name, a.cmd))
			continue;
		if (subs[i].npos >= 0 && strcmp(a.cmd, "case infra-portal") && (rc = need_pos(&a, subs[i].npos, subs[i].what)))
			return rc;
		if (subs[i].npos < 0 && a.npos < -subs[i].npos && !(a.all && a.npos >= 1))
			return cli_usage(a.cmd, "give %s", subs[i].what);
		if (!strcmp(a.cmd, "case finder-message") && a.nreports > 1)
			return cli_usage(a.cmd, "one --report at most (none: the finder of every report of the case)");
		if (!strcmp(a.cmd, "case open") && !a.nreports == !a.pending)
			return cli_usage(a.cmd, "give the accepted reports with --report TRACKING (repeatable), or --pending");
		if (a.limit) {
			long v;
			if ((rc = parse_int(&a, "--limit", a.limit, 1, 500, &v)))
				return rc;
		}
		return run(cli, &a, subs[i].tx, subs[i].key, subs[i].fn);
	}
	return cli_usage(a.cmd, "unknown case command");
}
