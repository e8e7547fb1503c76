/*
 * web.h — pieces shared by the handlers: cookie names, the page layout,
 * and small helpers that need the database.
 */
#ifndef KK_WEB_WEB_H
#define KK_WEB_WEB_H
#include "web/req.h"

/* The session cookie (HttpOnly, SameSite=Strict, Path=/, Secure behind TLS). */
#define KK_SESSION_COOKIE "kk_session"
/* The pre-session CSRF cookie of the sign-in form (double submit). */
#define KK_LOGIN_CSRF_COOKIE "kk_login_csrf"

/* r->db, opening this thread's connection if needed; NULL after replying 503. */
struct kk_db *kk_req_db_or_reply(struct kk_req *r);

/*
 * Page layout: kk_page_open writes the document head, header and navigation
 * (with the sign-out form when signed in) and opens <main>; the page then
 * writes its content into r->resp.body with html.h; kk_page_close closes
 * the document and sets status/type. `title` is already translated.
 */
void kk_page_open(struct kk_req *r, const char *title);
int kk_page_close(struct kk_req *r, int status);
/* A notice box (kind "error" or "ok") with escaped text. */
void kk_page_notice(struct kk_req *r, const char *kind, const char *text);
/* Ends a form in a card: the submit button (label escaped), </form></div>. */
void kk_page_submit(struct kk_req *r, const char *label);
/* The hidden CSRF field of a form for the signed-in actor. */
void kk_page_csrf_field(struct kk_req *r);
/* Formats an epoch time in JST for pages ("" for 0) into the arena. */
const char *kk_page_time(struct kk_req *r, int64_t t);

/* Sets the session cookie (value "" with max_age 0 clears it). */
void kk_web_session_cookie(struct kk_req *r, const char *token, long max_age);

#endif
