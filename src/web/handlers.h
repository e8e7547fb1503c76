/*
 * handlers.h — prototypes of every route handler, generated from
 * routes.def. Handlers live in api_*.c (JSON), page_*.c (HTML) and ops.c.
 */
#ifndef KK_WEB_HANDLERS_H
#define KK_WEB_HANDLERS_H
struct kk_req;
#define ROUTE(method, pattern, fn, perm, summary) int fn(struct kk_req *r);
#include "web/routes.def"
#undef ROUTE
#endif
