/*
 * req.h — what a request handler gets: struct kk_req, one per request,
 * with its arena (freed when the response is sent), the matched route and
 * its parameters, the actor, the language, the body, this thread's database
 * connection and the response being built.
 *
 * A handler is `int h_NAME(struct kk_req *r)`. It fills r->resp (status,
 * body, content type, extra headers) and returns 0. To fail it calls one of
 * the `…_or_reply` helpers / kk_req_fail, which write the error answer
 * (JSON for /api, an HTML page otherwise) and return a negative code, so
 * handlers read:
 *
 *     json_t *doc = kk_req_json_or_reply(r);
 *     if (!doc)
 *             return KK_EPARSE;
 *     const char *email = kk_req_jstr_or_reply(r, doc, "email", 1, 320);
 *     if (!email) { json_decref(doc); return KK_EINVAL; }
 *
 * Strings handed out by kk_req_* live in the request arena: no freeing, and
 * never keep them past the request.
 */
#ifndef KK_WEB_REQ_H
#define KK_WEB_REQ_H
#include "auth/auth.h"
#include "auth/policy.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;
struct kk_route;
struct kk_catalog;
struct kk_server;

#define KK_REQ_MAX_PARAMS 4
#define KK_RESP_MAX_HEADERS 8

struct kk_resp {
	int status;         /* 0 until a handler sets it */
	const char *type;   /* Content-Type; static string */
	struct kk_buf body; /* owned; capped */
	/* Or a static body (embedded file): used instead of `body` when set. */
	const unsigned char *static_data;
	size_t static_len;
	int nheaders;
	struct {
		const char *name;  /* static */
		const char *value; /* arena */
	} headers[KK_RESP_MAX_HEADERS];
};

struct kk_req {
	struct kk_arena arena;
	struct kk_server *srv;
	void *conn; /* struct MHD_Connection * (server.c, and req.c's kk_req_query/header/cookie) */
	const char *method;
	const char *path; /* without the query string */
	const struct kk_route *route;
	int route_index; /* index into kk_routes, -1 when no route matched */
	int nparams;
	struct {
		const char *name;
		const char *value;
	} params[KK_REQ_MAX_PARAMS];
	const char *body; /* NUL-terminated; NULL when none */
	size_t body_len;
	struct kk_db *db; /* this worker thread's connection; NULL if the db is unreachable */
	bool is_api;      /* /api/, /healthz, /metrics: errors answered in JSON, not as pages */
	bool secure;      /* TLS, or X-Forwarded-Proto: https from the proxy */
	const char *lang; /* "ja" or "en" */
	const struct kk_catalog *cat;
	const char *client_addr; /* peer address as text */
	/* who is asking: set by the dispatcher before the handler runs */
	struct kk_actor actor;
	bool via_cookie;   /* authenticated by the session cookie (writes need the CSRF token) */
	size_t bytes_sent; /* body bytes of the answer, for the access log */
	/* server bookkeeping */
	uint64_t started_ns;
	struct kk_buf in; /* the body as it arrives (capped at body_max) */
	bool queued;      /* an answer has been handed to MHD */
	bool too_big;     /* the body went over the cap */
	struct kk_resp resp;
	/* a multipart/form-data body, parsed once on first use (kk_req_parts) */
	struct kk_part *parts;
	int nparts;
	int parts_rc; /* 0 not parsed yet, 1 parsed, < 0 the parse error */
	char parts_err[160];
};

/* Request inputs (arena or MHD-owned strings, NULL when absent). */
const char *kk_req_param(struct kk_req *r, const char *name);
const char *kk_req_query(struct kk_req *r, const char *name);
const char *kk_req_header(struct kk_req *r, const char *name);
/* One query argument as given (value "" for a bare name such as ?noRejected). */
struct kk_req_arg {
	const char *name, *value;
};
/* Up to max query arguments in the order given into out; *seen (may be NULL) counts them all. */
size_t kk_req_query_all(struct kk_req *r, struct kk_req_arg *out, size_t max, size_t *seen);
const char *kk_req_cookie(struct kk_req *r, const char *name);
/*
 * One part of a multipart/form-data body (RFC 7578). name, filename and
 * type are NUL-terminated arena strings; data points into the request body
 * (not NUL-terminated, len bytes). filename is NULL for a plain field and
 * the last path segment of what was sent for a file ("" for an empty file
 * input); type is NULL when the part has no Content-Type.
 */
struct kk_part {
	const char *name, *filename, *type;
	const char *data;
	size_t len;
};
#define KK_MULTIPART_MAX_PARTS 64
#define KK_MULTIPART_MAX_HEADER 8192 /* bytes of one part's header block */
/*
 * Parses body[0..n) as multipart/form-data with the boundary named in
 * content_type. On success *parts (arena array) and *nparts; KK_EPARSE with
 * d->msg saying what is wrong (no boundary, a part without a name, a part
 * not closed, more than KK_MULTIPART_MAX_PARTS parts, header block too
 * large), KK_ENOMEM. Nothing is copied out of the body but the headers.
 */
int kk_multipart_parse(struct kk_arena *a, const char *content_type, const char *body, size_t n,
                       struct kk_part **parts, int *nparts, struct kk_diag *d);
/* True when the request's Content-Type is multipart/form-data. */
bool kk_req_is_multipart(struct kk_req *r);
/*
 * The parts of a multipart/form-data request (parsed once): the count, 0
 * for another content type, or KK_EPARSE/KK_ENOMEM (d, may be NULL, says
 * why) for a malformed body.
 */
int kk_req_parts(struct kk_req *r, const struct kk_part **parts, struct kk_diag *d);
/*
 * A form field of an application/x-www-form-urlencoded body (decoded;
 * arena) or of a multipart/form-data body (a part without a filename; NULL
 * when its value holds a NUL byte).
 */
const char *kk_req_form(struct kk_req *r, const char *name);
/*
 * The decoded value of field `name` in an urlencoded body (arena), NULL if
 * absent or out of memory; the first of several wins. Fuzzed by fuzz/fz-form.c.
 */
const char *kk_form_value(struct kk_arena *a, const char *body, size_t n, const char *name);
/* Parses a decimal id parameter; writes a 404 and returns < 0 if it is not one. */
int kk_req_id_or_reply(struct kk_req *r, const char *name, int64_t *out);

/* Response helpers. */
void kk_resp_header(struct kk_req *r, const char *name, const char *value);
/* Starts a JSON body: sets status and type, returns a writer into resp.body. */
void kk_resp_json(struct kk_req *r, int status, struct kk_json *j);
/* Sets an HTML body type and status; the caller writes into r->resp.body. */
void kk_resp_html(struct kk_req *r, int status);
/* 303 See Other to a local path (must start with '/'). */
void kk_resp_redirect(struct kk_req *r, const char *location);
/* 301 Moved Permanently to a local path (as kk_resp_redirect): the resource has a new address. */
void kk_resp_moved(struct kk_req *r, const char *location);
/* Adds a Set-Cookie header (value is not escaped: callers pass tokens). max_age < 0 omits it. */
void kk_resp_cookie(struct kk_req *r, const char *name, const char *value, long max_age, bool http_only);

/*
 * Writes the error answer for err (a KK_E* code): JSON
 * {"error":{"code","message","field"}} for the API, an HTML error page
 * otherwise, with the status from err.def. `field` may be NULL; `fmt` may be
 * NULL for the default message. Returns err.
 */
int kk_req_fail(struct kk_req *r, int err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same with an explicit HTTP status (431, 503, 405...). */
int kk_req_fail_status(struct kk_req *r, int status, const char *code, const char *field, const char *msg);

/*
 * The JSON body reader, apart from the request (fuzzed by fuzz/fz-form.c):
 * body[0..n) parsed as one JSON object (duplicate keys refused) when
 * content_type is application/json. The caller owns the result
 * (json_decref); NULL with d set: KK_EUNSUPPORTED (where "Content-Type") for
 * another type, KK_EPARSE for an empty body, bad JSON (line and column) or
 * a value that is not an object.
 */
json_t *kk_body_json(const char *content_type, const char *body, size_t n, struct kk_diag *d);
/*
 * String member `key` of obj: 0 with *out NULL (absent or null) or the
 * string (owned by obj: valid UTF-8, no NUL byte, at most max bytes); else
 * KK_EUNPROCESSABLE with d naming the key.
 */
int kk_body_text(json_t *obj, const char *key, size_t max, const char **out, struct kk_diag *d);
/* Parses the JSON body (kk_body_json); NULL after replying 400/415. */
json_t *kk_req_json_or_reply(struct kk_req *r);
/*
 * String member `key` of obj, length within [min, max] bytes and valid
 * UTF-8; NULL after replying 422 naming the field. The string belongs to doc.
 */
const char *kk_req_jstr_or_reply(struct kk_req *r, json_t *obj, const char *key, size_t min, size_t max);
/* Optional string member: NULL when absent (no reply), or when wrong (*bad set, replied). */
const char *kk_req_jstr_opt(struct kk_req *r, json_t *obj, const char *key, size_t max, bool *bad);

/* Asks the policy whether the actor may do `action` on the object; replies 401/403 when not. */
int kk_req_allow_or_reply(struct kk_req *r, enum kk_action act, const struct kk_policy_obj *obj);

#endif
