/*
 * sheet.h — the software vulnerability information management sheet
 * (000 §7.1): per inventory, one row per item and record found for it
 * (an item without a record gets one row), with the item's owner and due
 * date, the record's severity and KEV, the VEX state, and the fixed
 * version. The page (web/page_watch.c) and the CSV export read the same
 * rows.
 */
#ifndef KK_WATCH_SHEET_H
#define KK_WATCH_SHEET_H
#include "auth/auth.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "watch/check.h"
#include <stdbool.h>

struct kk_db;

struct kk_sheet_row {
	const char *item, *version, *owner, *due; /* "" when unset */
	const struct kk_check_match *m;           /* NULL: no record found for the item */
	const char *state;                        /* VEX state, "dismissed", or "" (no statement) */
};

/* Calls row for each row, items in the inventory's order, records by severity. KK_ENOTFOUND for
 * an inventory the actor may not read. Strings live in ar. */
int kk_sheet_rows(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang,
                  struct kk_arena *ar, int (*row)(void *arg, const struct kk_sheet_row *r), void *arg);
/* The sheet as CSV (RFC 4180, UTF-8 with a BOM for spreadsheets), headers in lang ("ja"/"en"). */
int kk_sheet_csv(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang,
                 struct kk_arena *ar, struct kk_buf *out);

#endif
