/*
 * router.h — the route table (expanded from routes.def) and matching.
 *
 * kk_routes[] holds one row per ROUTE(...) in routes.def, in file order,
 * ending with a row whose method is NULL. Matching compares the method and
 * the path segment by segment; a {name} segment matches any one non-empty
 * segment and is returned as a parameter (a slice into the path: not
 * decoded, not copied).
 */
#ifndef KK_WEB_ROUTER_H
#define KK_WEB_ROUTER_H
#include "auth/policy.h"
#include <stddef.h>

struct kk_req;

struct kk_route {
	const char *method;
	const char *pattern;
	int (*fn)(struct kk_req *r);
	enum kk_action perm;
	const char *handler; /* handler name, for docs */
	const char *summary;
};

extern const struct kk_route kk_routes[];
extern const int kk_route_count;

#define KK_ROUTE_MAX_PARAMS 4
struct kk_route_match {
	int index; /* into kk_routes */
	int nparams;
	struct {
		const char *name; /* points into the pattern, name_len bytes */
		size_t name_len;
		const char *value; /* points into the path, value_len bytes */
		size_t value_len;
	} params[KK_ROUTE_MAX_PARAMS];
};

/*
 * Finds the route for method + path (path without query string).
 * Returns 0 (m filled), KK_ENOTFOUND when no pattern matches the path, or
 * KK_EUNSUPPORTED when the path matches but not with this method — then
 * `allow` (if not NULL) gets the allowed methods, comma-separated.
 * HEAD matches GET routes.
 */
int kk_router_match(const char *method, const char *path, struct kk_route_match *m, char *allow,
                    size_t allow_n);

/* Writes the route table as the Markdown table used in docs/api.md. */
struct kk_buf;
int kk_router_markdown(struct kk_buf *out);

#endif
