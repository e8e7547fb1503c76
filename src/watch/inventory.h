/*
 * inventory.h — inventories of installed software (the "software
 * vulnerability information management sheet", 000 §7.1, and MyJVN's
 * filter settings): one per organization or one personal per user, items
 * picked from the product dictionary by their Japanese or English names,
 * typed as CPE names or purls with versions, or imported from an SBOM / CSV
 * / package list (sbom.h). A re-import compares by each item's key (the
 * purl without version, else the CPE vendor:product, else vendor/name) and
 * says what was added, removed and upgraded; items kept keep their owner,
 * due date, dismissals and VEX statements.
 *
 * Who: every function takes the actor and asks the policy (WATCH_READ to
 * read, WATCH_WRITE to change) with the inventory as the object — its
 * organization, or its user for a personal one. Another organization's
 * inventory answers KK_ENOTFOUND, never KK_EPERM, so ids do not leak.
 * Writers run their own transaction and audit the change in it.
 */
#ifndef KK_WATCH_INVENTORY_H
#define KK_WATCH_INVENTORY_H
#include "auth/auth.h"
#include "base/arena.h"
#include "base/err.h"
#include "watch/check.h"
#include "watch/sbom.h"
#include "watch/vex.h"
#include <stdint.h>

struct kk_db;

struct kk_inventory {
	int64_t id, org_id, user_id; /* exactly one of org_id / user_id is set */
	char name[201];
	char org_name[201];
	long items;
	int64_t created_at, updated_at;
};

struct kk_inv_item {
	int64_t id;
	const char *key, *name, *version, *vendor, *purl, *cpe, *ref, *owner, *due; /* NULL when unset */
};

/* Creates an inventory of org_id (0: a personal one of the actor). 0 and *id; KK_EINVAL (d), KK_EPERM. */
int kk_inv_create(struct kk_db *db, const struct kk_actor *a, int64_t org_id, const char *name, int64_t *id,
                  struct kk_diag *d);
/* The inventories the actor may read (its organization's and its own; an admin every one). */
int kk_inv_list(struct kk_db *db, const struct kk_actor *a, int (*row)(void *arg, const struct kk_inventory *inv),
                void *arg);
/* One inventory: 0, KK_ENOTFOUND (missing or not the actor's to read). */
int kk_inv_get(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_inventory *out);
/* The items, ordered by name (strings in arena a), into *items / *n. */
int kk_inv_items(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_arena *ar,
                 struct kk_inv_item **items, size_t *n);

/* What an import changed. Strings in the arena given to kk_inv_import. */
struct kk_inv_change {
	enum { KK_INV_ADDED, KK_INV_REMOVED, KK_INV_UPGRADED, KK_INV_DOWNGRADED, KK_INV_CHANGED } kind;
	const char *key, *name, *from, *to; /* versions: from (old), to (new) */
};
struct kk_inv_diff {
	struct kk_inv_change *v;
	size_t n, cap;
	long added, removed, upgraded, downgraded, changed, kept;
};
const char *kk_inv_change_name(int kind); /* "added", "removed", "upgraded", "downgraded", "changed" */
/*
 * Replaces the items with s's (replace = true: a new SBOM version), or
 * adds / updates them (replace = false), and fills *diff. 0; KK_ENOTFOUND;
 * KK_EINVAL (d names the item) for an item without a name.
 */
int kk_inv_import(struct kk_db *db, const struct kk_actor *a, int64_t id, const struct kk_sbom *s, bool replace,
                  struct kk_arena *ar, struct kk_inv_diff *diff, struct kk_diag *d);
/*
 * One item, by hand or picked from the dictionary: when product is set it
 * is a dictionary product's Japanese or English name, or its CPE
 * vendor:product, and gives the item its CPE (with version). 0 and *item_id;
 * KK_ENOTFOUND with d when no product has that name, KK_ECONFLICT with d
 * listing them when several do.
 */
struct kk_inv_item_new {
	const char *product; /* dictionary name or vendor:product; or NULL */
	const char *name, *version, *vendor, *purl, *cpe, *owner, *due;
};
int kk_inv_add_item(struct kk_db *db, const struct kk_actor *a, int64_t id, const struct kk_inv_item_new *it,
                    int64_t *item_id, struct kk_diag *d);
/* Removes one item. */
int kk_inv_remove_item(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id);

/* Dismisses (reason set) or restores (reason NULL) record vuln (any alias) for one item. */
int kk_inv_dismiss(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id, const char *vuln,
                   const char *reason, struct kk_diag *d);

/* States VEX on vuln for one item (item_id 0: every item). KK_EINVAL (d) for a bad state or justification. */
int kk_inv_vex_set(struct kk_db *db, const struct kk_actor *a, int64_t id, int64_t item_id, const char *vuln,
                   enum kk_vex_state state, const char *justification, const char *detail, struct kk_diag *d);
/* Imports a CycloneDX or CSAF VEX document's statements onto the items they name; *n counts them. */
int kk_inv_vex_import(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *doc, size_t len,
                      long *n, struct kk_diag *d);
/* The inventory's statements as a struct kk_vex (in arena ar), the items as a struct kk_sbom. */
int kk_inv_load(struct kk_db *db, const struct kk_actor *a, int64_t id, struct kk_arena *ar, struct kk_sbom *s,
                int64_t **item_ids, struct kk_vex *vex);

/* Checks the inventory (check.h) with its VEX statements and dismissals; s, item_ids filled as kk_inv_load. */
int kk_inv_check(struct kk_db *db, const struct kk_actor *a, int64_t id, const char *lang, struct kk_arena *ar,
                 struct kk_sbom *s, int64_t **item_ids, struct kk_check_result *r);

#endif
