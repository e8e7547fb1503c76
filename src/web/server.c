/*
 * server.c — libmicrohttpd glue: listen socket, thread pool, limits, the
 * dispatcher (route, language, actor, policy gate, CSRF, handler), security
 * headers, access log, metrics and graceful shutdown on SIGTERM/SIGINT.
 */
#include "web/server.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/db.h"
#include "web/i18n.h"
#include "web/metrics.h"
#include "web/req.h"
#include "web/router.h"
#include "web/web.h"
#include <arpa/inet.h>
#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * One open connection, known from its first byte to its close. MHD's own
 * timeout is an idle timeout: a client sending one header byte every few
 * seconds is never idle (slowloris). The reaper thread cuts a connection
 * that has not finished its request headers `timeout` seconds after it
 * opened or after its last answer, and connections beyond the limits (all,
 * or from one address) get a 503 written straight to the socket before MHD
 * reads anything from them.
 */
struct conn_slot {
	struct conn_slot *prev, *next; /* kk_server.slots, under kk_server.mu */
	int fd;
	_Atomic uint64_t since_ns; /* when it began waiting for request headers */
	atomic_bool busy;          /* the headers are in: a request is being read or answered */
	atomic_bool nul;           /* this request's address held %00 */
	atomic_int requests;       /* requests MHD handed over on this connection */
	bool cut;                  /* shut down by keikai (refused, or too slow) */
	bool refused;              /* answered 503 at once */
	char addr[INET6_ADDRSTRLEN];
};

struct kk_server {
	struct kk_server_config cfg;
	struct MHD_Daemon *daemon;
	uint64_t started_ns;
	atomic_int conns;    /* open connections */
	atomic_int inflight; /* requests between first byte of headers handled and answer sent */
	pthread_mutex_t mu;  /* slots */
	struct conn_slot *slots;
};

void kk_server_config_default(struct kk_server_config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = "127.0.0.1:8080";
	c->db_path = "var/keikai.db";
	c->body_max = 10u << 20;
	c->header_max = 16u << 10;
	c->timeout = 30;
	c->max_conns = 1000;
	c->max_conns_per_addr = 100;
	c->drain_timeout = 30;
}

const struct kk_server_config *kk_server_config(const struct kk_server *s)
{
	return &s->cfg;
}

double kk_server_uptime(const struct kk_server *s)
{
	return (double)(kk_clock_mono_ns() - s->started_ns) / 1e9;
}

/* ---- this worker thread's database connection (web.h) ---------------- */

struct kk_db *kk_req_db_or_reply(struct kk_req *r)
{
	if (!r->db)
		r->db = kk_db_thread(kk_server_config(r->srv)->db_path);
	if (!r->db)
		kk_req_fail(r, KK_EBUSY, NULL, "the database is unreachable; see the server log");
	return r->db;
}

/* ---- the dispatcher --------------------------------------------------- */

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

/* Who is asking: Bearer token, else session cookie, else the public. 0 or replied. */
static int authenticate(struct kk_req *r)
{
	r->actor = kk_actor_public;
	const char *authz = kk_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return kk_req_fail(r, KK_EAUTH, NULL,
			                   "only 'Authorization: Bearer <token>' is supported");
		if (!r->db)
			return kk_req_fail(r, KK_EBUSY, NULL, "the database is unreachable");
		const char *tok = authz + 7;
		while (*tok == ' ')
			tok++;
		int rc = kk_token_lookup(r->db, tok, &r->actor);
		if (rc < 0) {
			r->actor = kk_actor_public;
			if (rc == KK_EAUTH)
				return kk_req_fail(
				    r, KK_EAUTH, NULL,
				    "the API token is unknown or revoked; create a new one on /account");
			return kk_req_fail(r, rc, NULL, NULL);
		}
		return 0;
	}
	const char *cookie = kk_req_cookie(r, KK_SESSION_COOKIE);
	if (cookie && *cookie && r->db) {
		int rc = kk_session_lookup(r->db, cookie, &r->actor);
		if (rc == 0)
			r->via_cookie = true;
		else {
			r->actor = kk_actor_public;
			if (rc != KK_EAUTH)
				return kk_req_fail(r, rc, NULL, NULL);
		}
	}
	return 0;
}

/*
 * Cookie-authenticated writes must show the session's CSRF token. Public
 * routes (signing in) need none from the session: the sign-in form has its
 * own pre-session token and the JSON sign-in cannot be sent cross-site
 * without a CORS preflight.
 */
static int check_csrf(struct kk_req *r)
{
	if (!r->via_cookie || !is_write(r->method) || r->route->perm == KK_ACT_PUBLIC)
		return 0;
	const char *t = r->is_api ? kk_req_header(r, "X-CSRF-Token") : kk_req_form(r, "csrf");
	if (t && kk_csrf_ok(&r->actor, t))
		return 0;
	return kk_req_fail(
	    r, KK_EPERM, r->is_api ? "X-CSRF-Token" : "csrf",
	    r->is_api ? "cookie-authenticated writes need the X-CSRF-Token header (the csrf value from "
	                "POST /api/v1/session or GET /api/v1/me)"
	              : N_("the form is stale or was not sent by this site; reload the page and try again"));
}

/* What every answer needs to know, even an early one: API or page, language, TLS. */
static void request_basics(struct kk_req *r)
{
	/* machine endpoints answer errors in JSON; everything else is a page */
	r->is_api =
	    kk_starts_with(r->path, "/api/") || !strcmp(r->path, "/metrics") || !strcmp(r->path, "/healthz") ||
	    kk_starts_with(r->path, "/rest/json/") || kk_starts_with(r->path, "/v1/"); /* NVD, OSV APIs */
	r->lang = kk_i18n_negotiate(kk_req_query(r, "lang"), kk_req_cookie(r, "lang"),
	                            kk_req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	r->cat = kk_i18n_catalog(r->lang);
	kk_i18n_use(r->cat);
	const char *proto = kk_req_header(r, "X-Forwarded-Proto");
	r->secure = r->srv->cfg.tls || (proto && kk_str_ieq(proto, "https"));
}

/* "/login?next=<this path, percent-encoded>" in the arena. */
static const char *login_url(struct kk_req *r)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(r->path);
	char *out = kk_arena_alloc(&r->arena, 12 + 3 * n + 1);
	if (!out)
		return "/login";
	char *o = out + sprintf(out, "/login?next=");
	for (const unsigned char *p = (const unsigned char *)r->path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = 0;
	return out;
}

static void dispatch(struct kk_req *r)
{
	struct kk_route_match m;
	char allow[64];
	request_basics(r);
	int rc = kk_router_match(r->method, r->path, &m, allow, sizeof(allow));
	if (rc == KK_ENOTFOUND) {
		kk_req_fail(r, KK_ENOTFOUND, NULL, N_("no page or API endpoint at this address"));
		return;
	}
	if (rc == KK_EUNSUPPORTED) {
		kk_resp_header(r, "Allow", kk_arena_strdup(&r->arena, allow));
		kk_req_fail_status(r, 405, "method_not_allowed", NULL,
		                   N_("this address does not answer this method"));
		return;
	}
	r->route_index = m.index;
	r->route = &kk_routes[m.index];
	r->nparams = m.nparams;
	for (int i = 0; i < m.nparams; i++) {
		r->params[i].name = kk_arena_strndup(&r->arena, m.params[i].name, m.params[i].name_len);
		r->params[i].value = kk_arena_strndup(&r->arena, m.params[i].value, m.params[i].value_len);
		if (!r->params[i].name || !r->params[i].value) {
			kk_req_fail(r, KK_ENOMEM, NULL, NULL);
			return;
		}
	}
	/* the language cookie follows an explicit ?lang= choice on pages */
	const char *ql = kk_req_query(r, "lang");
	if (!r->is_api && kk_i18n_supported(ql))
		kk_resp_cookie(r, "lang", r->lang, 365L * 86400, false);

	/* static files and the health check need no database or actor */
	if (r->route->perm != KK_ACT_PUBLIC || kk_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION) ||
	    kk_req_cookie(r, KK_SESSION_COOKIE))
		r->db = kk_db_thread(r->srv->cfg.db_path);
	else
		r->db = NULL; /* handlers that need it call kk_req_db_or_reply */
	if (authenticate(r) < 0)
		return;
	rc = kk_policy_check(&r->actor, r->route->perm, NULL);
	if (rc < 0) {
		if (rc == KK_EAUTH && !r->is_api && !strcmp(r->method, "GET")) {
			kk_resp_redirect(r, login_url(r));
			return;
		}
		kk_req_fail(r, rc, NULL,
		            rc == KK_EAUTH
		                ? "sign in first (POST /api/v1/session, or Authorization: Bearer <token>)"
		                : N_("your role may not do this"));
		return;
	}
	if (check_csrf(r) < 0)
		return;
	rc = r->route->fn(r);
	if (rc < 0 && !r->resp.status)
		kk_req_fail(r, rc, NULL, NULL);
	if (!r->resp.status)
		r->resp.status = 200;
}

/* ---- MHD callbacks ---------------------------------------------------- */

/* The headers every answer carries; Referrer-Policy unless the handler set a stricter one itself. */
static enum MHD_Result add_security_headers(struct MHD_Response *resp, bool own_referrer_policy)
{
	if (MHD_add_response_header(resp, "Content-Security-Policy",
	                            "default-src 'self'; frame-ancestors 'none'") == MHD_NO ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_NO ||
	    (!own_referrer_policy && MHD_add_response_header(resp, "Referrer-Policy", "same-origin") == MHD_NO) ||
	    MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_NO)
		return MHD_NO;
	return MHD_YES;
}

static enum MHD_Result send_response(struct kk_req *r)
{
	struct kk_resp *p = &r->resp;
	struct MHD_Response *resp;
	if (p->static_data) {
		resp = MHD_create_response_from_buffer(p->static_len, (void *)p->static_data,
		                                       MHD_RESPMEM_PERSISTENT);
		r->bytes_sent = p->static_len;
	} else if (p->body.len) {
		size_t len;
		char *data = kk_buf_detach(&p->body, &len);
		if (!data)
			return MHD_NO;
		resp = MHD_create_response_from_buffer_with_free_callback(len, data, kk_free);
		if (!resp)
			kk_free(data);
		r->bytes_sent = len;
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		r->bytes_sent = 0;
	}
	if (!resp)
		return MHD_NO;
	bool own_referrer_policy = false;
	for (int i = 0; i < p->nheaders; i++)
		own_referrer_policy |= p->headers[i].value && !strcasecmp(p->headers[i].name, "Referrer-Policy");
	add_security_headers(resp, own_referrer_policy);
	if (p->type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, p->type);
	bool cache_set = false;
	for (int i = 0; i < p->nheaders; i++) {
		if (!p->headers[i].value)
			continue;
		MHD_add_response_header(resp, p->headers[i].name, p->headers[i].value);
		if (!strcasecmp(p->headers[i].name, "Cache-Control"))
			cache_set = true;
	}
	if (!cache_set)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (!p->status)
		p->status = 500;
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)p->status, resp);
	MHD_destroy_response(resp);
	r->queued = true;
	return ok;
}

struct header_sum {
	size_t total;
};

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct header_sum *s = cls;
	s->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* The headers that frame the body, counted. */
struct framing {
	int host, lengths, encodings;
	bool lengths_differ, chunked_only;
	const char *length;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct framing *f = cls;
	value = value ? value : "";
	if (!strcasecmp(key, MHD_HTTP_HEADER_HOST))
		f->host++;
	else if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		if (f->lengths++ && strcmp(f->length, value))
			f->lengths_differ = true;
		f->length = value;
	} else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		f->encodings++;
		f->chunked_only = kk_str_ieq(value, "chunked");
	}
	return MHD_YES;
}

static void client_address(struct kk_req *r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			          sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
			          sizeof(buf));
	}
	r->client_addr = kk_arena_strdup(&r->arena, buf);
}

/* First call for a request: checks that can be answered before the body arrives. */
static bool early_checks(struct kk_req *r, const char *url, const char *version)
{
	struct kk_server *s = r->srv;
	request_basics(r);
	if ((unsigned)atomic_load(&s->conns) > s->cfg.max_conns) {
		kk_resp_header(r, "Connection", "close");
		kk_resp_header(r, "Retry-After", "1");
		kk_req_fail_status(r, 503, "overloaded", NULL,
		                   N_("the server has too many open connections; retry shortly"));
		return true;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_slot *slot = ci ? ci->socket_context : NULL;
	if (slot && atomic_load(&slot->nul)) {
		kk_resp_header(r, "Connection", "close");
		kk_req_fail_status(r, 400, "bad_request", NULL,
		                   "the address holds %%00 (a NUL byte), which no page or parameter may contain");
		return true;
	}
	/* the request line with its query string, then every header (the query is in MHD_GET_ARGUMENT_KIND) */
	struct header_sum qs = {strlen(url) + strlen(r->method) + 16};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, sum_headers, &qs);
	if (qs.total > s->cfg.header_max) {
		kk_resp_header(r, "Connection", "close");
		kk_req_fail_status(r, 414, "uri_too_long", NULL,
		                   "the address is too long (request line and headers together are limited by "
		                   "the --max-header-size option)");
		return true;
	}
	struct header_sum hs = {qs.total};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, sum_headers, &hs);
	if (hs.total > s->cfg.header_max) {
		kk_resp_header(r, "Connection", "close");
		kk_req_fail_status(
		    r, 431, "headers_too_large", NULL,
		    "the request headers are too large (limit in bytes is the --max-header-size option)");
		return true;
	}
	/* what a proxy in front could read differently from us (request smuggling): refused */
	struct framing f = {0};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_framing, &f);
	const char *bad = NULL;
	int status = 400;
	if (!strcmp(version, MHD_HTTP_VERSION_1_1) && f.host != 1)
		bad = f.host ? "send one Host header" : "an HTTP/1.1 request needs a Host header";
	else if (f.lengths > 1 && f.lengths_differ)
		bad = "the request has Content-Length headers that disagree";
	else if (f.encodings > 1 || (f.encodings && f.lengths))
		bad = "send either one Content-Length or one Transfer-Encoding: chunked, not both";
	else if (f.encodings && !f.chunked_only) {
		bad = "the only Transfer-Encoding understood is chunked; send the body as it is";
		status = 501;
	}
	if (bad) {
		kk_resp_header(r, "Connection", "close");
		kk_req_fail_status(r, status, status == 501 ? "not_implemented" : "bad_request", NULL, bad);
		return true;
	}
	const char *cl = kk_req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > s->cfg.body_max) {
		kk_resp_header(r, "Connection", "close");
		kk_req_fail(r, KK_ETOOBIG, NULL, "the request body is larger than the %zu-byte limit",
		            s->cfg.body_max);
		return true;
	}
	return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct kk_server *s = cls;
	struct kk_req *r = *con_cls;
	if (!r) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		struct conn_slot *slot = ci ? ci->socket_context : NULL;
		if (slot) {
			if (slot->refused)
				return MHD_NO; /* it has its 503 already */
			atomic_store(&slot->busy, true);
			atomic_fetch_add(&slot->requests, 1);
		}
		r = kk_calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		kk_arena_init(&r->arena, 64u << 20);
		r->started_ns = kk_clock_mono_ns();
		r->srv = s;
		r->conn = conn;
		r->method = method;
		r->path = url;
		r->route_index = -1;
		r->actor = kk_actor_public;
		r->lang = KK_LANG_DEFAULT;
		kk_buf_init(&r->resp.body, 32u << 20);
		kk_buf_init(&r->in, s->cfg.body_max);
		*con_cls = r;
		atomic_fetch_add(&s->inflight, 1);
		client_address(r);
		if (early_checks(r, url, version))
			return send_response(r);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->queued && !r->too_big && kk_buf_add(&r->in, upload_data, *upload_data_size) < 0)
			r->too_big = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->queued)
		return MHD_YES;
	if (r->too_big) {
		request_basics(r);
		kk_resp_header(r, "Connection", "close");
		kk_req_fail(r, KK_ETOOBIG, NULL, "the request body is larger than the %zu-byte limit",
		            s->cfg.body_max);
		return send_response(r);
	}
	if (r->in.len) {
		r->body = r->in.ptr;
		r->body_len = r->in.len;
	}
	dispatch(r);
	return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct kk_server *s = cls;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_slot *slot = ci ? ci->socket_context : NULL;
	if (slot) { /* the next request's headers are due within the timeout from now */
		atomic_store(&slot->since_ns, kk_clock_mono_ns());
		atomic_store(&slot->nul, false);
		atomic_store(&slot->busy, false);
	}
	struct kk_req *r = *con_cls;
	if (!r)
		return;
	uint64_t ns = kk_clock_mono_ns() - r->started_ns;
	int status = r->queued ? r->resp.status : 0;
	kk_metrics_observe(r->route_index, status, ns);
	/* the route PATTERN, never the raw path (ids) or the query string (secrets) */
	const char *route = r->route ? r->route->pattern : (r->resp.status == 404 ? "(no route)" : "(early)");
	kk_info("http %s %s %d %zuB %.3fms%s", r->method, route, status, r->bytes_sent, (double)ns / 1e6,
	        r->queued ? "" : " (connection closed before an answer)");
	kk_buf_release(&r->resp.body);
	kk_buf_release(&r->in);
	kk_arena_release(&r->arena);
	kk_free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

/*
 * Writes a whole small answer straight to a socket MHD has not answered on
 * (best effort): the error JSON of every API answer, code and message fixed
 * text without quotes.
 */
static void raw_answer(int fd, const char *status, const char *extra, const char *code, const char *text)
{
	char body[320], msg[900];
	int b = snprintf(body, sizeof(body), "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code, text);
	if (b < 0 || (size_t)b >= sizeof(body))
		return;
	int n = snprintf(msg, sizeof(msg),
	                 "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
	                 "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n%sConnection: close\r\n\r\n%s",
	                 status, b, extra, body);
	if (n > 0 && (size_t)n < sizeof(msg))
		(void)!send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void slot_address(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN])
{
	out[0] = 0;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, INET6_ADDRSTRLEN);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		          INET6_ADDRSTRLEN);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	struct kk_server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		int open = atomic_fetch_add(&s->conns, 1) + 1;
		struct conn_slot *slot = kk_calloc(1, sizeof(*slot));
		*socket_context = slot;
		if (!slot)
			return;
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		slot->fd = ci ? ci->connect_fd : -1;
		slot->since_ns = kk_clock_mono_ns();
		slot_address(conn, slot->addr);
		pthread_mutex_lock(&s->mu);
		unsigned same = 0;
		for (struct conn_slot *o = s->slots; o; o = o->next)
			same += !o->cut && !strcmp(o->addr, slot->addr);
		slot->next = s->slots;
		if (s->slots)
			s->slots->prev = slot;
		s->slots = slot;
		if (slot->fd >= 0 && ((unsigned)open > s->cfg.max_conns || same >= s->cfg.max_conns_per_addr)) {
			slot->refused = true;
			raw_answer(slot->fd, "503 Service Unavailable", "Retry-After: 1\r\n", "overloaded",
			           (unsigned)open > s->cfg.max_conns
			               ? "the server has too many open connections; retry shortly"
			               : "too many open connections from your address; close some and retry");
			shutdown(slot->fd, SHUT_WR);
		}
		pthread_mutex_unlock(&s->mu);
		return;
	}
	atomic_fetch_sub(&s->conns, 1);
	struct conn_slot *slot = *socket_context;
	if (!slot)
		return;
	pthread_mutex_lock(&s->mu);
	if (slot->prev)
		slot->prev->next = slot->next;
	else
		s->slots = slot->next;
	if (slot->next)
		slot->next->prev = slot->prev;
	/* MHD closes a connection whose request it cannot read without a word: say why (the socket is still open) */
	bool unread = !slot->cut && !slot->refused && !atomic_load(&slot->requests) && slot->fd >= 0 &&
	              kk_clock_mono_ns() - atomic_load(&slot->since_ns) < (uint64_t)s->cfg.timeout * 1000000000ull;
	pthread_mutex_unlock(&s->mu);
	if (unread)
		raw_answer(slot->fd, "400 Bad Request", "", "bad_request", "this is not an HTTP request keikai can read");
	kk_free(slot);
	*socket_context = NULL;
}

/*
 * The unescaper for the path and the query: %HH as usual, but %00 stays as
 * it is and marks the request (400 in early_checks) — a NUL would cut the
 * path or a parameter short ("/static/style.css%00.js").
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *str)
{
	(void)cls;
	bool nul;
	size_t n = kk_url_unescape(str, &nul);
	if (nul) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		struct conn_slot *slot = ci ? ci->socket_context : NULL;
		if (slot)
			atomic_store(&slot->nul, true);
	}
	return n;
}

/* ---- background thread: the reaper of slow and refused connections ---- */

struct reaper {
	struct kk_server *srv;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static void reap(struct kk_server *s)
{
	uint64_t now = kk_clock_mono_ns(), deadline = (uint64_t)(s->cfg.timeout ? s->cfg.timeout : 30) * 1000000000ull;
	unsigned cut = 0;
	pthread_mutex_lock(&s->mu);
	for (struct conn_slot *o = s->slots; o; o = o->next) {
		if (o->cut || o->fd < 0 || atomic_load(&o->busy))
			continue;
		uint64_t waited = now - atomic_load(&o->since_ns);
		if (waited > deadline || (o->refused && waited > 1000000000ull)) {
			shutdown(o->fd, SHUT_RDWR);
			o->cut = true;
			cut += !o->refused;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (cut)
		kk_warn("http: closed %u connections that did not send their request headers within %u s", cut,
		        s->cfg.timeout);
}

static void *reaper_main(void *arg)
{
	struct reaper *t = arg;
	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		pthread_mutex_unlock(&t->mu);
		reap(t->srv);
		pthread_mutex_lock(&t->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 500 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = 0;
	kk_warn("http: %s", line);
}

/* ---- listening -------------------------------------------------------- */

/* Splits "host:port" / "[v6]:port" and binds a listening socket. */
static int bind_listen(const char *spec, int *fd_out, char *shown, size_t shown_n)
{
	char host[256];
	const char *port;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':')
			return KK_EINVAL;
		snprintf(host, sizeof(host), "%.*s", (int)(close - spec - 1), spec + 1);
		port = close + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (!colon)
			return KK_EINVAL;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port))
		return KK_EINVAL;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
	                *res = NULL;
	if (getaddrinfo(*host ? host : NULL, port, &hints, &res) != 0 || !res)
		return KK_EINVAL;
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		freeaddrinfo(res);
		return KK_EIO;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		freeaddrinfo(res);
		close(fd);
		errno = e;
		return KK_EIO;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	char addr[INET6_ADDRSTRLEN] = "";
	int p = 0;
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &a6->sin6_addr, addr, sizeof(addr));
		p = ntohs(a6->sin6_port);
		snprintf(shown, shown_n, "[%s]:%d", addr, p);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &a4->sin_addr, addr, sizeof(addr));
		p = ntohs(a4->sin_port);
		snprintf(shown, shown_n, "%s:%d", addr, p);
	}
	freeaddrinfo(res);
	*fd_out = fd;
	return 0;
}

/* ---- background thread: the scheduler tick (config.tick) ---- */

struct ticker {
	const struct kk_server_config *cfg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	struct kk_db *db = NULL;
	unsigned every = t->cfg->tick_seconds ? t->cfg->tick_seconds : 10;
	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		pthread_mutex_unlock(&t->mu);
		if (!db && kk_db_open(t->cfg->db_path, 0, &db) < 0) {
			kk_warn("serve: scheduler cannot open the database %s; retrying in %u s", t->cfg->db_path,
				every);
			db = NULL;
		}
		if (db)
			t->cfg->tick(db, t->cfg->tick_arg);
		pthread_mutex_lock(&t->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += every;
		while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&t->mu);
	kk_db_close(db);
	return NULL;
}

static int ticker_start(struct ticker *t)
{
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->thread, NULL, ticker_main, t)) {
		kk_error("serve: cannot start the scheduler thread; deadlines and mail wait for 'keikai tick'");
		return KK_EIO;
	}
	return 0;
}

static void ticker_stop(struct ticker *t)
{
	pthread_mutex_lock(&t->mu);
	t->stop = true;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
}

int kk_server_run(const struct kk_server_config *cfg)
{
	static struct kk_server srv;
	srv.cfg = *cfg;
	if (!srv.cfg.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		srv.cfg.threads = n > 0 ? (unsigned)n : 2;
	}
	srv.started_ns = kk_clock_mono_ns();
	pthread_mutex_init(&srv.mu, NULL);
#if defined(__GLIBC__)
	/*
	 * glibc hands the free top of each worker thread's heap back to the
	 * kernel once it passes 128 KiB (madvise, then a TLB flush on every
	 * core and a page fault per page at the next request). A search's
	 * bitmaps and the answer's buffer cross that line on every request:
	 * at 300,000 records half of the server's CPU went to it (cpe= set,
	 * 349 -> 3,400 requests/s, bench/RESULTS.md). Keep up to 32 MiB.
	 * Setting it fixes the mmap threshold at 128 KiB too, and a MyJVN
	 * page of 50 items is 60-180 KiB: blocks up to 4 MiB come from the
	 * heap, not from a fresh mapping each time (myjvn set ~590 -> ~700
	 * requests/s, p99 14 -> 10-12 ms).
	 */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	if (kk_i18n_init() < 0) {
		kk_error("serve: the embedded message catalogs are damaged; rebuild keikai");
		return KK_EINTERNAL;
	}
	int fd;
	char shown[300];
	int rc = bind_listen(cfg->listen, &fd, shown, sizeof(shown));
	if (rc == KK_EINVAL) {
		kk_error("serve: --listen '%s' is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, port 0 = "
		         "any free)",
		         cfg->listen);
		return rc;
	}
	if (rc < 0) {
		kk_error("serve: cannot listen on %s: %s (is another server using the port?)", cfg->listen,
		         strerror(errno));
		return rc;
	}
	/* workers inherit this mask: only the main thread takes the signals, in sigwait */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* MHD's per-connection pool holds the request headers (we answer 431 above
	 * header_max ourselves, so it needs header_max plus room for the response
	 * headers) — and MHD clears it for every request on a kept-alive
	 * connection, so a bigger pool costs time on every request. */
	size_t pool_size = cfg->header_max + (16u << 10);
	unsigned hard_limit = cfg->max_conns + 64 + 4 * srv.cfg.threads;
	srv.daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, srv.cfg.threads,
	    MHD_OPTION_CONNECTION_LIMIT, hard_limit, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_END);
	if (!srv.daemon) {
		close(fd);
		kk_error("serve: libmicrohttpd could not start on %s", shown);
		return KK_EIO;
	}
	printf("keikai: listening on http://%s\n", shown);
	fflush(stdout);
	kk_info("serve: %u worker threads, database %s", srv.cfg.threads, cfg->db_path);

	struct reaper rp = {.srv = &srv};
	pthread_mutex_init(&rp.mu, NULL);
	pthread_cond_init(&rp.cv, NULL);
	bool reaping = pthread_create(&rp.thread, NULL, reaper_main, &rp) == 0;
	if (!reaping)
		kk_error("serve: cannot start the connection reaper; slow clients are cut only when idle");

	struct ticker tk = {.cfg = cfg};
	bool ticking = cfg->tick && ticker_start(&tk) == 0;

	int sig = 0;
	sigwait(&set, &sig);
	kk_info("serve: %s received; finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	int lfd = MHD_quiesce_daemon(srv.daemon);
	if (lfd >= 0)
		close(lfd);
	uint64_t deadline = kk_clock_mono_ns() + (uint64_t)cfg->drain_timeout * 1000000000ull;
	while (atomic_load(&srv.inflight) > 0 && kk_clock_mono_ns() < deadline) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	int left = atomic_load(&srv.inflight);
	if (reaping) {
		pthread_mutex_lock(&rp.mu);
		rp.stop = true;
		pthread_cond_signal(&rp.cv);
		pthread_mutex_unlock(&rp.mu);
		pthread_join(rp.thread, NULL);
	}
	pthread_cond_destroy(&rp.cv);
	pthread_mutex_destroy(&rp.mu);
	MHD_stop_daemon(srv.daemon);
	srv.daemon = NULL;
	if (ticking)
		ticker_stop(&tk);
	if (left > 0)
		kk_warn("serve: stopped with %d requests still unfinished after %u s", left,
		        cfg->drain_timeout);
	kk_info("serve: stopped");
	return 0;
}
