/*
 * sheet.c — the management sheet's rows and its CSV export (sheet.h).
 */
#include "watch/sheet.h"
#include "coord/csv.h"
#include "vulndb/search.h"
#include "watch/inventory.h"
#include "watch/vex.h"
#include <string.h>

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int kk_sheet_rows(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang,
                  struct kk_arena *ar, int (*row)(void *arg, const struct kk_sheet_row *r), void *arg)
{
	struct kk_sbom s;
	int64_t *item_ids;
	struct kk_check_result res;
	KK_TRY(kk_inv_check(db, a, id, lang, ar, &s, &item_ids, &res));
	struct kk_inv_item *items;
	size_t n;
	KK_TRY(kk_inv_items(db, a, id, ar, &items, &n));
	for (size_t i = 0; i < res.n; i++) {
		const struct kk_check_item *it = &res.items[i];
		const struct kk_inv_item *inv = NULL;
		for (size_t k = 0; k < n && !inv; k++)
			if (items[k].id == item_ids[i])
				inv = &items[k];
		struct kk_sheet_row r = {
		    .item = or_empty(it->in->name),
		    .version = or_empty(it->in->version),
		    .owner = inv ? or_empty(inv->owner) : "",
		    .due = inv ? or_empty(inv->due) : "",
		    .state = "",
		};
		if (!it->nm)
			KK_TRY(row(arg, &r));
		for (size_t k = 0; k < it->nm; k++) {
			r.m = &it->m[k];
			r.state = r.m->dismissed ? "dismissed" : kk_vex_state_str(r.m->state);
			KK_TRY(row(arg, &r));
		}
	}
	return 0;
}

/* A field a spreadsheet would take for a formula (= + - @) gets a leading apostrophe. */
static void put(struct kk_buf *b, const char *s, bool first)
{
	if (!first)
		kk_buf_putc(b, ',');
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		struct kk_buf t = KK_BUF_INIT(0);
		kk_buf_putc(&t, '\'');
		kk_buf_puts(&t, s);
		kk_csv_put(b, t.ptr);
		kk_buf_release(&t);
		return;
	}
	kk_csv_put(b, s);
}

static int csv_row(void *arg, const struct kk_sheet_row *r)
{
	struct kk_buf *b = arg;
	put(b, r->item, true);
	put(b, r->version, false);
	put(b, r->owner, false);
	put(b, r->due, false);
	put(b, r->m ? r->m->rec.jvndb : "", false);
	put(b, r->m ? r->m->rec.cve : "", false);
	put(b, r->m ? r->m->rec.title : "", false);
	put(b, r->m ? kk_search_severity_name(r->m->rec.severity) : "", false);
	put(b, r->m && r->m->rec.kev ? "KEV" : "", false);
	put(b, r->state, false);
	put(b, r->m ? or_empty(r->m->fixed) : "", false);
	kk_buf_puts(b, "\r\n");
	return kk_buf_error(b) ? KK_ENOMEM : 0;
}

int kk_sheet_csv(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang,
                 struct kk_arena *ar, struct kk_buf *out)
{
	static const char *const en[] = {"Product", "Version",  "Owner", "Due",   "Record",  "CVE",
	                                 "Title",   "Severity", "KEV",   "State", "Fixed in"};
	static const char *const ja[] = {
	    "製品名",   "バージョン", "担当者", "対策期限", "脆弱性対策情報", "CVE",
	    "タイトル", "深刻度",     "KEV",    "対応状況", "修正バージョン"};
	const char *const *h = lang && !strcmp(lang, "ja") ? ja : en;
	kk_buf_puts(out, "\xEF\xBB\xBF");
	for (int i = 0; i < 11; i++)
		put(out, h[i], i == 0);
	kk_buf_puts(out, "\r\n");
	return kk_sheet_rows(db, a, id, lang, ar, csv_row, out);
}
