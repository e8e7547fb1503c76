/*
 * resp.c — building the response (req.h): extra headers, a JSON or HTML
 * body's status and type, redirects and cookies. Below req.c's error
 * answers and the page frame (page_layout.c), which both write through it.
 */
#include "web/req.h"
#include "web/web.h"
#include <stdio.h>
#include <string.h>

void kk_resp_header(struct kk_req *r, const char *name, const char *value)
{
	if (r->resp.nheaders < KK_RESP_MAX_HEADERS) {
		r->resp.headers[r->resp.nheaders].name = name;
		r->resp.headers[r->resp.nheaders].value = value;
		r->resp.nheaders++;
	}
}

void kk_resp_json(struct kk_req *r, int status, struct kk_json *j)
{
	r->resp.status = status;
	r->resp.type = "application/json; charset=utf-8";
	kk_buf_reset(&r->resp.body);
	kk_json_init(j, &r->resp.body);
}

void kk_resp_html(struct kk_req *r, int status)
{
	r->resp.status = status;
	r->resp.type = "text/html; charset=utf-8";
}

void kk_resp_redirect(struct kk_req *r, const char *location)
{
	/* local paths only: "//host" or "/\host" would leave the site */
	if (!location || location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    strpbrk(location, "\r\n"))
		location = "/";
	r->resp.status = 303;
	kk_resp_header(r, "Location", location);
}

void kk_resp_moved(struct kk_req *r, const char *location)
{
	kk_resp_redirect(r, location);
	r->resp.status = 301;
}

void kk_resp_cookie(struct kk_req *r, const char *name, const char *value, long max_age, bool http_only)
{
	char age[40] = "";
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	kk_resp_header(r, "Set-Cookie",
	               kk_arena_printf(&r->arena, "%s=%s; Path=/; SameSite=Strict%s%s%s", name, value, age,
	                               http_only ? "; HttpOnly" : "", r->secure ? "; Secure" : ""));
}

void kk_web_session_cookie(struct kk_req *r, const char *token, long max_age)
{
	kk_resp_cookie(r, KK_SESSION_COOKIE, token, max_age, true);
}
