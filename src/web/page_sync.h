/*
 * page_sync.h — the sync progress box other pages show (page_sync.c).
 */
#ifndef KK_WEB_PAGE_SYNC_H
#define KK_WEB_PAGE_SYNC_H

struct kk_req;

/*
 * Writes the box "the vulnerability database is being updated" with a
 * progress bar per source whose run is in progress; nothing when none is.
 * Returns the number of sources shown or a negative KK_E*.
 */
int kk_page_sync_progress(struct kk_req *r);

#endif
