/*
 * page_account.c — the pages of a person's own session and account:
 * sign-in form, sign-out, my account (password change, API tokens).
 */
#include "auth/auth.h"
#include "base/err.h"
#include "base/rand.h"
#include "base/str.h"
#include "store/db.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/web.h"
#include <string.h>

/*
 * A local path to go to after signing in ("/account" unless `next` is a safe
 * local path). Browsers drop TAB, CR and LF anywhere in a URL and read "\\" as
 * "/", so "/<TAB>/evil.example" or "/\\evil.example" would leave the site:
 * any control byte or backslash makes `next` unsafe, as does "//" at the start.
 */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strchr(next, '\\') || !strcmp(next, "/login") ||
	    strlen(next) > 512)
		return "/account";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "/account";
	return next;
}

static int login_form(struct kk_req *r, int status, const char *error, const char *email, const char *next,
                      const char *csrf)
{
	struct kk_buf *b = &r->resp.body;
	kk_page_open(r, _("Sign in"));
	KK_HTML_EL(b, "<div class=\"card narrow\"><h1>", _("Sign in"), "</h1>");
	if (error)
		kk_page_notice(r, "error", error);
	KK_HTML(b, "<form class=\"stack\" method=\"post\" action=\"/login\" id=\"login-form\">"
	           "<input type=\"hidden\" name=\"csrf\"");
	KK_HTML_ATTR(b, "value", csrf);
	KK_HTML(b, "><input type=\"hidden\" name=\"next\"");
	KK_HTML_ATTR(b, "value", safe_next(next));
	KK_HTML_EL(
	    b, "><label for=\"email\">", _("Email"),
	    "</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required");
	KK_HTML_ATTR(b, "value", email ? email : "");
	KK_HTML(b, "><label for=\"password\">");
	kk_html_text(b, _("Password"));
	KK_HTML(b, "</label><input type=\"password\" id=\"password\" name=\"password\" "
	           "autocomplete=\"current-password\" required>");
	kk_page_submit(r, _("Sign in"));
	return kk_page_close(r, status);
}

int page_login(struct kk_req *r)
{
	if (kk_actor_signed_in(&r->actor)) {
		kk_resp_redirect(r, safe_next(kk_req_query(r, "next")));
		return 0;
	}
	/* pre-session CSRF: the same random value in a cookie and in the form (double submit) */
	char csrf[KK_CSRF_MAX];
	const char *have = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
	if (have && strlen(have) >= 32 && strlen(have) < sizeof(csrf) &&
	    strspn(have, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(have))
		kk_strlcpy(csrf, have, sizeof(csrf));
	else
		kk_random_token(csrf, 32);
	kk_resp_cookie(r, KK_LOGIN_CSRF_COOKIE, kk_arena_strdup(&r->arena, csrf), 3600, true);
	return login_form(r, 200, NULL, NULL, kk_req_query(r, "next"), csrf);
}

int page_login_post(struct kk_req *r)
{
	const char *email = kk_req_form(r, "email");
	const char *password = kk_req_form(r, "password");
	const char *next = kk_req_form(r, "next");
	const char *sent = kk_req_form(r, "csrf");
	const char *cookie = kk_req_cookie(r, KK_LOGIN_CSRF_COOKIE);
	char fresh[KK_CSRF_MAX];
	kk_random_token(fresh, 32);
	const char *csrf = kk_arena_strdup(&r->arena, fresh);
	kk_resp_cookie(r, KK_LOGIN_CSRF_COOKIE, csrf, 3600, true);
	if (!sent || !cookie || strlen(sent) != strlen(cookie) || strlen(sent) < 32 ||
	    !kk_ct_eq(sent, cookie, strlen(sent)))
		return login_form(r, 400, _("The form expired. Please sign in again."), email, next, csrf);
	if (!email || !*email || !password || !*password)
		return login_form(r, 422, _("Enter your email and password."), email, next, csrf);
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_login in = {.email = email, .password = password, .address = r->client_addr};
	struct kk_session_new s;
	int rc = kk_auth_login(r->db, &in, &s);
	if (rc == KK_EAUTH)
		return login_form(r, 401, _("Wrong email or password."), email, next, csrf);
	if (rc == KK_ERATE) {
		kk_resp_header(r, "Retry-After", kk_arena_printf(&r->arena, "%lld", (long long)s.retry_after));
		return login_form(r, 429, _("Too many failed sign-ins. Wait a few minutes and try again."),
		                  email, next, csrf);
	}
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	/* the session: replace the pre-session cookie header with the real one */
	r->resp.nheaders = 0;
	kk_resp_cookie(r, KK_LOGIN_CSRF_COOKIE, "", 0, true);
	kk_web_session_cookie(r, kk_arena_strdup(&r->arena, s.token), (long)(s.expires_at - kk_clock_now()));
	memset(&s, 0, sizeof(s));
	kk_resp_redirect(r, safe_next(next));
	return 0;
}

int page_logout(struct kk_req *r)
{
	int rc = kk_web_end_session(r);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, "/");
	return 0;
}

struct token_rows {
	struct kk_req *r;
	int n;
};

static int token_row(void *arg, const struct kk_token_info *t)
{
	struct token_rows *w = arg;
	struct kk_req *r = w->r;
	struct kk_buf *b = &r->resp.body;
	w->n++;
	KK_HTML_EL(b, "<tr><td>", t->name, "</td><td><code>");
	kk_html_text(b, t->prefix);
	KK_HTML_EL(b, "…</code></td><td>", kk_page_time(r, t->created_at), "</td><td>");
	kk_html_text(b, t->last_used ? kk_page_time(r, t->last_used) : _("never"));
	KK_HTML(b, "</td><td>");
	if (t->revoked_at) {
		KK_HTML_EL(b, "<span class=\"muted\">", _("revoked"), "</span>");
	} else {
		KK_HTML(b, "<form method=\"post\"");
		KK_HTML_ATTR(b, "action",
		             kk_arena_printf(&r->arena, "/account/tokens/%lld/revoke", (long long)t->id));
		KK_HTML_ATTR(b, "data-confirm", _("Revoke this token? Programs using it will stop working."));
		KK_HTML(b, ">");
		kk_page_csrf_field(r);
		KK_HTML_EL(b, "<button class=\"link\" type=\"submit\">", _("Revoke"), "</button></form>");
	}
	KK_HTML(b, "</td></tr>");
	return 0;
}

/* The account page; `secret` is a token just created (shown this once). */
static int account_page(struct kk_req *r, int status, const char *kind, const char *notice,
                        const char *secret)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	struct kk_buf *b = &r->resp.body;
	const struct kk_actor *a = &r->actor;
	kk_page_open(r, _("My account"));
	KK_HTML_EL(b, "<h1>", _("My account"), "</h1>");
	if (notice)
		kk_page_notice(r, kind, notice);
	if (secret) {
		KK_HTML_EL(b, "<div class=\"card\" id=\"new-token\"><strong>",
		           _("Your new API token. Copy it now: it will not be shown again."),
		           "</strong><code class=\"secret\">");
		kk_html_text(b, secret);
		KK_HTML(b, "</code></div>");
	}
	KK_HTML_EL(b, "<div class=\"card\"><dl class=\"props\"><dt>", _("Name"),
	           "</dt><dd id=\"account-name\">");
	kk_html_text(b, a->name);
	KK_HTML_EL(b, "</dd><dt>", _("Email"), "</dt><dd id=\"account-email\">");
	kk_html_text(b, a->email);
	KK_HTML_EL(b, "</dd><dt>", _("Role"), "</dt><dd>");
	kk_html_text(b, kk_role_name(a->role));
	KK_HTML_EL(b, "</dd><dt>", _("Organization"), "</dt><dd>");
	kk_html_text(b, a->org_id ? a->org_name : _("none"));
	KK_HTML(b, "</dd></dl></div>");

	KK_HTML_EL(b, "<h2>", _("Change password"),
	           "</h2><div class=\"card narrow\"><form class=\"stack\" method=\"post\" "
	           "action=\"/account/password\">");
	kk_page_csrf_field(r);
	KK_HTML(b, "<label for=\"current\">");
	kk_html_text(b, _("Current password"));
	KK_HTML(b, "</label><input type=\"password\" id=\"current\" name=\"current\" "
	           "autocomplete=\"current-password\" "
	           "required><label for=\"new\">");
	kk_html_text(b, _("New password (at least 12 characters)"));
	KK_HTML(b, "</label><input type=\"password\" id=\"new\" name=\"new\" autocomplete=\"new-password\" "
	           "minlength=\"12\" required>");
	kk_page_submit(r, _("Change password"));

	KK_HTML_EL(b, "<h2>", _("API tokens"), "</h2><div class=\"card\"><p class=\"muted\">");
	kk_html_text(b, _("Programs send a token as 'Authorization: Bearer <token>'."));
	KK_HTML(b, "</p><form class=\"inline\" method=\"post\" action=\"/account/tokens\">");
	kk_page_csrf_field(r);
	KK_HTML(b, "<label>");
	kk_html_text(b, _("Token name"));
	KK_HTML(b, "<input type=\"text\" name=\"name\" id=\"token-name\" maxlength=\"200\" required></label>"
	           "<button class=\"primary\" type=\"submit\">");
	kk_html_text(b, _("Create token"));
	KK_HTML_EL(b, "</button></form></div><div class=\"table-wrap\"><table><thead><tr><th>", _("Name"),
	           "</th><th>");
	kk_html_text(b, _("Prefix"));
	KK_HTML_EL(b, "</th><th>", _("Created"), "</th><th>");
	kk_html_text(b, _("Last used"));
	KK_HTML(b, "</th><th></th></tr></thead><tbody>");
	struct token_rows w = {r, 0};
	int rc = kk_token_list(r->db, a->user_id, token_row, &w);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	if (!w.n) {
		KK_HTML_EL(b, "<tr><td colspan=\"5\" class=\"muted\">", _("No API tokens yet."),
		           "</td></tr>");
	}
	KK_HTML(b, "</tbody></table></div>");
	return kk_page_close(r, status);
}

int page_account(struct kk_req *r)
{
	struct kk_policy_obj o = {.owner_user_id = r->actor.user_id, .org_id = r->actor.org_id};
	if (kk_req_allow_or_reply(r, KK_ACT_SELF_READ, &o) < 0)
		return KK_EPERM;
	const char *n = kk_req_query(r, "done");
	const char *notice = NULL;
	if (n && !strcmp(n, "password"))
		notice = _("Your password was changed.");
	else if (n && !strcmp(n, "revoked"))
		notice = _("The token was revoked.");
	return account_page(r, 200, "ok", notice, NULL);
}

int page_account_password(struct kk_req *r)
{
	struct kk_policy_obj o = {.owner_user_id = r->actor.user_id, .org_id = r->actor.org_id};
	if (kk_req_allow_or_reply(r, KK_ACT_SELF_WRITE, &o) < 0 || !kk_req_db_or_reply(r))
		return KK_EPERM;
	const char *cur = kk_req_form(r, "current"), *fresh = kk_req_form(r, "new");
	if (!cur || !fresh)
		return account_page(r, 422, "error", _("Enter your current and your new password."), NULL);
	struct kk_diag d;
	kk_diag_clear(&d);
	const char *field;
	int rc = kk_web_change_password(r, cur, fresh, &field, &d);
	if (rc == KK_EUNPROCESSABLE)
		return account_page(r, 422, "error",
		                    field && !strcmp(field, "current")
		                        ? _("The current password is wrong.")
		                        : _("The new password must have at least 12 characters."),
		                    NULL);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, "/account?done=password");
	return 0;
}

int page_account_token_create(struct kk_req *r)
{
	if (!kk_req_db_or_reply(r))
		return KK_EBUSY;
	const char *name = kk_req_form(r, "name");
	if (!name || !*name || strlen(name) > KK_NAME_MAX)
		return account_page(r, 422, "error", _("Give the token a name (at most 200 bytes)."), NULL);
	char secret[KK_API_TOKEN_MAX];
	int64_t id = 0;
	int rc = kk_web_token_create(r, name, secret, &id);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	rc = account_page(r, 201, "ok", _("The token was created."), secret);
	memset(secret, 0, sizeof(secret));
	return rc;
}

int page_account_token_revoke(struct kk_req *r)
{
	int64_t id = 0;
	if (kk_req_id_or_reply(r, "id", &id) < 0 || !kk_req_db_or_reply(r))
		return KK_ENOTFOUND;
	int rc = kk_web_token_revoke(r, id);
	if (rc == KK_ENOTFOUND)
		return account_page(r, 404, "error", _("There is no such active token."), NULL);
	if (rc < 0)
		return kk_req_fail(r, rc, NULL, NULL);
	kk_resp_redirect(r, "/account?done=revoked");
	return 0;
}
