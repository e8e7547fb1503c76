/*
 * watch_web.h — the MyJVN tools' operations the JSON API (api_watch.c) and
 * the pages (page_watch.c) share: one input struct, one domain call, one
 * result each, so the two edges never drift.
 */
#ifndef KK_WEB_WATCH_WEB_H
#define KK_WEB_WATCH_WEB_H
#include "watch/check.h"
#include "watch/sbom.h"
#include "watch/vex.h"
#include "web/req.h"

/* The version checker over a request: the SBOM and VEX documents it carries. */
struct kk_web_check {
	const char *sbom;   /* the document (a multipart part "sbom", a form field, or the raw body) */
	size_t sbom_len;
	const char *vex[8]; /* optional VEX documents */
	size_t vex_len[8];
	int nvex;
	/* out */
	struct kk_sbom s;
	struct kk_vex v;
	struct kk_check_result res;
};
/*
 * Reads the SBOM and VEX parts of r (multipart fields "sbom" and "vex", or
 * the raw body as the SBOM) into c's inputs. 0, or KK_EINVAL with *field.
 */
int kk_web_check_inputs(struct kk_req *r, struct kk_web_check *c, const char **field);
/* Parses and checks; 0, or a KK_E* code with d naming the document and field. */
int kk_web_check_run(struct kk_req *r, struct kk_web_check *c, struct kk_diag *d);

#endif
