/*
 * router.c — the route table from routes.def, method + path matching with
 * {param} segments, and its Markdown rendering for docs/api.md.
 */
#include "web/router.h"
#include "base/buf.h"
#include "base/err.h"
#include "web/handlers.h"
#include <stdio.h>
#include <string.h>

const struct kk_route kk_routes[] = {
#define ROUTE(method, pattern, fn, perm, summary) {#method, pattern, fn, KK_ACT_##perm, #fn, summary},
#include "web/routes.def"
#undef ROUTE
    {NULL, NULL, NULL, 0, NULL, NULL},
};
const int kk_route_count = (int)(sizeof(kk_routes) / sizeof(kk_routes[0])) - 1;

/* Does path match pattern? Fills params of m. */
static int path_match(const char *pattern, const char *path, struct kk_route_match *m)
{
	const char *p = pattern, *s = path;
	m->nparams = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close || m->nparams >= KK_ROUTE_MAX_PARAMS)
				return 0;
			size_t n = strcspn(s, "/");
			if (n == 0)
				return 0;
			m->params[m->nparams].name = p + 1;
			m->params[m->nparams].name_len = (size_t)(close - p - 1);
			m->params[m->nparams].value = s;
			m->params[m->nparams].value_len = n;
			m->nparams++;
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == 0 && *s == 0;
}

int kk_router_match(const char *method, const char *path, struct kk_route_match *m, char *allow,
                    size_t allow_n)
{
	bool path_seen = false;
	if (allow && allow_n)
		allow[0] = 0;
	if (!strcmp(method, "HEAD"))
		method = "GET";
	for (int i = 0; i < kk_route_count; i++) {
		struct kk_route_match t;
		if (!path_match(kk_routes[i].pattern, path, &t))
			continue;
		if (!strcmp(kk_routes[i].method, method)) {
			*m = t;
			m->index = i;
			return 0;
		}
		if (allow && allow_n && !strstr(allow, kk_routes[i].method)) {
			size_t l = strlen(allow);
			snprintf(allow + l, allow_n - l, "%s%s", l ? ", " : "", kk_routes[i].method);
			if (!strcmp(kk_routes[i].method, "GET") && !strstr(allow, "HEAD")) {
				l = strlen(allow);
				snprintf(allow + l, allow_n - l, ", HEAD");
			}
		}
		path_seen = true;
	}
	return path_seen ? KK_EUNSUPPORTED : KK_ENOTFOUND;
}

int kk_router_markdown(struct kk_buf *out)
{
	kk_buf_puts(out, "| method | path | permission | summary |\n|---|---|---|---|\n");
	for (int i = 0; i < kk_route_count; i++) {
		const struct kk_route *r = &kk_routes[i];
		kk_buf_printf(out, "| %s | `%s` | %s | ", r->method, r->pattern, kk_action_name(r->perm));
		for (const char *s = r->summary; *s; s++) {
			if (*s == '|')
				kk_buf_puts(out, "\\|");
			else
				kk_buf_putc(out, *s);
		}
		kk_buf_puts(out, " |\n");
	}
	return kk_buf_error(out);
}
