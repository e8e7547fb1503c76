/*
 * api_case.h — one change to a coordination case, shared by the JSON API
 * (api_case.c) and the pages (page_case.c): fill a struct kk_case_op and
 * run it in one transaction; the domain (coord/case.h) checks the policy
 * and writes the audit row, mail and jobs in that transaction.
 */
#ifndef KK_WEB_API_CASE_H
#define KK_WEB_API_CASE_H
#include "coord/case.h"
#include "web/req.h"
#include <stdbool.h>

enum kk_case_op_kind {
	KK_CASE_OP_OPEN,
	KK_CASE_OP_ADD_VENDOR,
	KK_CASE_OP_STEP,
	KK_CASE_OP_STATEMENT,
	KK_CASE_OP_SET_DATE,
	KK_CASE_OP_REQUEST_DATE,
	KK_CASE_OP_DECIDE_DATE,
	KK_CASE_OP_CANCEL,
	KK_CASE_OP_POST,
	KK_CASE_OP_CONSULTED,
	KK_CASE_OP_FINDER_TOLD,
	KK_CASE_OP_SHARE,
	KK_CASE_OP_SECTOR,
	KK_CASE_OP_EDIT,
	KK_CASE_OP_ADD_VULN,
	KK_CASE_OP_MERGE,
	KK_CASE_OP_SHARE_VENDOR,
	KK_CASE_OP_POST_FINDER, /* text to the finder of report `from` ("": every report); needs key */
	KK_CASE_OP_DATE_EXCEPTION, /* ground, reason, when (0: now); needs key (the finders are told) */
	KK_CASE_OP_NAME_VENDOR,    /* vendor org_id names another vendor: named; out_id the suggestion */
	KK_CASE_OP_DISMISS_NAMED,  /* id: the suggestion set aside */
};

struct kk_case_op {
	enum kk_case_op_kind kind;
	const struct kk_actor *a;
	const char *ref, *text, *reason, *thread, *status, *ja, *en, *title, *overview, *details, *cve, *from;
	const char *ground; /* KK_CASE_OP_DATE_EXCEPTION */
	struct kk_named_vendor_in named; /* KK_CASE_OP_NAME_VENDOR */
	const char *const *reports;
	size_t nreports;
	int64_t org_id, when, id, out_id;
	int seq, cwe;
	bool accept;
	struct kk_case_step step;
	const unsigned char *key;
	char out_ref[KK_CASE_REF_MAX];
	struct kk_diag d;
};

/*
 * Runs o as r's actor in one transaction: 0, or the domain's error with
 * o->d naming the field and the fix (no answer written).
 */
int kk_web_case_op(struct kk_req *r, struct kk_case_op *o);

#endif
