/*
 * page_report.h — what the finder's pages (page_report.c) and the triage pages (page_triage.c)
 * share: the sealing key, a <select> option, and a report's thread as an HTML list.
 * All write into r->resp.body with html.h (text escaped); none owns anything.
 */
#ifndef KK_WEB_PAGE_REPORT_H
#define KK_WEB_PAGE_REPORT_H
#include "auth/keyfile.h"
#include "base/buf.h"
#include "web/req.h"
#include <stdint.h>

/* Loads the server's sealing key into key; on failure replies 500 and returns < 0. Wipe key after use. */
int kk_page_report_key(struct kk_req *r, unsigned char key[KK_KEY_BYTES]);
/* <option value="value">label</option>, selected when cur equals value (cur may be NULL). */
void kk_page_option(struct kk_buf *b, const char *value, const char *label, const char *cur);
/* The standard's reason to stop handling (kk_stop_reason_name) as a translated sentence. */
const char *kk_page_stop_reason(const char *name);
/*
 * <ol id="thread"> with every message of report_id, oldest first; a message is labelled
 * finder_label or desk_label by who wrote it. 0, or the error of the read (nothing replied).
 */
int kk_page_report_thread(struct kk_req *r, int64_t report_id, const char *finder_label,
                          const char *desk_label);

#endif
