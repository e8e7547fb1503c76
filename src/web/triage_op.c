/*
 * triage_op.c — one triage operation (accept, reject, request information, stop, duplicate,
 * assign, message) for the triage page's forms and the receivers' JSON API alike: the inputs
 * checked once, then kk_intake_act in one transaction with the sealing key.
 */
#include "intake/intake.h"
#include "store/db.h"
#include "web/page_report.h"
#include "web/i18n.h"
#include "web/req.h"
#include <sodium.h>
#include <string.h>

struct triage_tx {
	const struct kk_actor *a;
	const unsigned char *key;
	struct kk_triage_op *op;
	struct kk_report_action act;
	bool message; /* a message to the finder (act.text) instead of an action */
};

static int triage_tx(struct kk_db *db, void *arg)
{
	struct triage_tx *t = arg;
	kk_diag_clear(&t->op->d);
	if (t->message)
		return kk_intake_message(db, t->a, t->key, t->op->tracking, t->act.text, &t->op->d);
	return kk_intake_act(db, t->a, t->key, t->op->tracking, &t->act, &t->op->d);
}

/* The inputs of op as a kk_report_action; KK_EINVAL with op->d naming the field. */
static int triage_parse(struct kk_triage_op *op, struct triage_tx *t)
{
	const char *v = op->verb ? op->verb : "";
	t->act.text = op->text && *op->text ? op->text : NULL;
	if (!strcmp(v, "accept")) {
		t->act.verb = KK_REPORT_ACCEPT;
	} else if (!strcmp(v, "reject") || !strcmp(v, "request_info")) {
		bool rej = !strcmp(v, "reject");
		t->act.verb = rej ? KK_REPORT_REJECT : KK_REPORT_REQUEST_INFO;
		if (!t->act.text)
			return kk_diag_set(&op->d, KK_EINVAL, "text", "%s",
					   rej ? N_("Reason: write why the report is not accepted.")
					       : N_("Question: write what the finder should answer."));
	} else if (!strcmp(v, "stop")) {
		t->act.verb = KK_REPORT_STOP;
		if (!op->stop || kk_stop_reason_parse(op->stop, &t->act.stop) < 0)
			return kk_diag_set(&op->d, KK_EINVAL, "stop", "%s",
					   N_("Reason to stop: choose one of the listed reasons."));
	} else if (!strcmp(v, "duplicate")) {
		t->act.verb = KK_REPORT_MARK_DUPLICATE;
		t->act.duplicate_of = op->of;
		if (!op->of || !*op->of)
			return kk_diag_set(&op->d, KK_EINVAL, "of", "%s",
					   N_("Duplicate of: give the tracking number of the other report."));
	} else if (!strcmp(v, "assign")) {
		t->act.verb = KK_REPORT_ASSIGN;
		t->act.assignee_email = op->assignee;
	} else if (!strcmp(v, "message")) {
		t->message = true;
		if (!t->act.text)
			return kk_diag_set(&op->d, KK_EINVAL, "text", "%s", N_("Message: write what to send to the finder."));
	} else {
		return kk_diag_set(&op->d, KK_EINVAL, "verb", "%s",
				   "verb: one of accept, reject, request_info, stop, duplicate, assign, message");
	}
	return 0;
}

int kk_web_triage(struct kk_req *r, struct kk_triage_op *op)
{
	struct triage_tx t = {.a = &r->actor, .op = op};
	kk_diag_clear(&op->d);
	int rc = triage_parse(op, &t);
	if (rc)
		return rc;
	unsigned char key[KK_KEY_BYTES];
	if (kk_page_report_key(r, key) < 0)
		return KK_EINTERNAL;
	t.key = key;
	rc = kk_db_tx(r->db, triage_tx, &t);
	sodium_memzero(key, sizeof(key));
	return rc;
}
