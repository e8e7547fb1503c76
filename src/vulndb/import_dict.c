/*
 * import_dict.c — MyJVN product dictionary lines ({"vid","vname","vcpe",
 * "pid","pname","pcpe"}) into the vendor and product tables (dict.h).
 */
#include "base/alloc.h"
#include "std/cpe.h"
#include "store/db.h"
#include "vulndb/affected.h"
#include "vulndb/dict.h"
#include "vulndb/fold.h"
#include "vulndb/import_side.h"
#include "vulndb/jget.h"
#include "vulndb/record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A MyJVN id: a string or number of 1..15 digits. */
static int jvn_id(const json_t *obj, const char *key, int64_t *out, struct kk_diag *d)
{
	char at[32];
	const json_t *v = json_object_get(obj, key);
	snprintf(at, sizeof at, "/%s", key);
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > 15 || strspn(s, "0123456789") != strlen(s) || !atoll(s))
		return kk_diag_set(d, KK_EPARSE, at, "%s must be a MyJVN id (a positive number), not %s", key,
		                   v ? (json_is_string(v) ? "that string" : "that value") : "missing");
	*out = atoll(s);
	return 0;
}

static const char *adup(struct kk_arena *a, const char *s, int *err)
{
	char *c = s ? kk_arena_strdup(a, s) : NULL;
	if (s && !c)
		*err = KK_ENOMEM;
	return c;
}

int kk_dict_parse_jvn(const json_t *obj, struct kk_arena *a, struct kk_dict_entry *e, struct kk_diag *d)
{
	const char *vname, *pname, *vcpe, *pcpe;
	char fs[4 * KK_AFFECT_CPE_MAX + 256], f[3][256];
	int err = 0;
	memset(e, 0, sizeof *e);
	if (!json_is_object(obj))
		return kk_diag_set(d, KK_EPARSE, "", "a product dictionary line must be a JSON object "
		                                     "{vid, vname, vcpe, pid, pname, pcpe}");
	KK_TRY(jvn_id(obj, "vid", &e->vid, d));
	KK_TRY(jvn_id(obj, "pid", &e->pid, d));
	e->id = kk_arena_printf(a, "vid %lld pid %lld", (long long)e->vid, (long long)e->pid);
	KK_TRY(kk_jget_str(obj, "", "vname", 1, &vname, d));
	KK_TRY(kk_jget_str(obj, "", "pname", 1, &pname, d));
	KK_TRY(kk_jget_str(obj, "", "vcpe", 1, &vcpe, d));
	KK_TRY(kk_jget_str(obj, "", "pcpe", 1, &pcpe, d));
	if (!*vname || !*pname)
		return kk_diag_set(d, KK_EPARSE, *vname ? "/pname" : "/vname", "the name must not be empty");
	if (strlen(vcpe) > KK_AFFECT_CPE_MAX || kk_affect_cpe_fs(vcpe, fs, sizeof fs) ||
	    !kk_cpe_fs_field(fs, 1, f[0], sizeof f[0]) || !strcmp(f[0], "*") || !strcmp(f[0], "-"))
		return kk_diag_set(d, KK_EPARSE, "/vcpe",
		                   "'%.60s' is not a CPE 2.2 vendor such as cpe:/:microsoft", vcpe);
	e->vendor = adup(a, f[0], &err);
	if (strlen(pcpe) > KK_AFFECT_CPE_MAX || kk_affect_cpe_fs(pcpe, fs, sizeof fs) ||
	    !kk_cpe_fs_field(fs, 0, f[0], sizeof f[0]) || !kk_cpe_fs_field(fs, 1, f[1], sizeof f[1]) ||
	    !kk_cpe_fs_field(fs, 2, f[2], sizeof f[2]) || !strcmp(f[2], "*") || !strcmp(f[2], "-") ||
	    !strcmp(f[1], "*") || !strcmp(f[1], "-") || !f[0][0] || !strchr("aoh", f[0][0]))
		return kk_diag_set(d, KK_EPARSE, "/pcpe",
		                   "'%.60s' is not a CPE 2.2 product such as cpe:/a:microsoft:edge", pcpe);
	e->part = adup(a, f[0], &err);
	e->pvendor = adup(a, f[1], &err);
	e->product = adup(a, f[2], &err);
	e->vname = adup(a, vname, &err);
	e->pname = adup(a, pname, &err);
	if (!e->id)
		err = KK_ENOMEM;
	return err;
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Recomputes the fold of one row of table (vendor or product) from its names and keys. */
static int refold(struct kk_db *db, const char *sel, const char *upd, int64_t id)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, sel, &st));
	kk_stmt_bind_int64(st, 1, id);
	int rc = kk_stmt_step(st);
	char buf[2048] = "";
	if (rc == KK_ROW)
		snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", kk_stmt_text(st, 0), kk_stmt_text(st, 1),
		         kk_stmt_text(st, 2));
	kk_stmt_done(st);
	if (rc != KK_ROW)
		return rc < 0 ? rc : KK_ENOTFOUND;
	char *f;
	KK_TRY(kk_search_fold(buf, strlen(buf), &f));
	rc = kk_db_exec(db, upd, "si", f, id);
	kk_free(f);
	return rc < 0 ? rc : 0;
}

/* Sets row id's name (name_ja when it has non-ASCII characters, else name_en) where empty; 1 when it changed. */
static int fill_name(struct kk_db *db, const char *table, int64_t id, const char *name)
{
	char sql[256];
	const char *col = ascii(name) ? "name_en" : "name_ja";
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ? AND %s IS NULL", table, col, col);
	int rc = kk_db_exec(db, sql, "si", name, id);
	return rc < 0 ? rc : rc > 0;
}

static int query_id(struct kk_db *db, const char *sql, const char *s1, const char *s2, int64_t n, int64_t *id)
{
	struct kk_stmt *st;
	KK_TRY(kk_db_prepare(db, sql, &st));
	if (s1) {
		kk_stmt_bind_text(st, 1, s1, -1);
		if (s2)
			kk_stmt_bind_text(st, 2, s2, -1);
	} else {
		kk_stmt_bind_int64(st, 1, n);
	}
	int rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*id = kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : rc == KK_ROW;
}

#define VENDOR_FOLD                                                                                          \
	"SELECT coalesce(name_ja, ''), coalesce(name_en, ''), coalesce(cpe_vendor, '') FROM vuln_vendor "    \
	"WHERE id = ?"
#define PRODUCT_FOLD                                                                                         \
	"SELECT coalesce(name_ja, ''), coalesce(name_en, ''), coalesce(cpe_product, '') FROM vuln_product "  \
	"WHERE id = ?"

/*
 * The MyJVN vendor vid: its row, else the row a record made for the CPE
 * vendor (not yet any MyJVN vendor's), else a new row. *changed set when
 * something was written.
 */
static int jvn_vendor(struct kk_db *db, const struct kk_dict_entry *e, int64_t *vid, int *changed)
{
	int rc = query_id(db, "SELECT id FROM vuln_vendor WHERE jvn_vid = ?", NULL, NULL, e->vid, vid);
	if (rc < 0)
		return rc;
	if (!rc) {
		rc = query_id(db, "SELECT id FROM vuln_vendor WHERE cpe_vendor = ? AND jvn_vid IS NULL ORDER BY id LIMIT 1",
		              e->vendor, NULL, 0, vid);
		if (rc < 0)
			return rc;
		if (rc)
			KK_TRY(kk_db_exec(db, "UPDATE vuln_vendor SET jvn_vid = ? WHERE id = ?", "ii", e->vid, *vid));
		else {
			KK_TRY(kk_db_exec(db, "INSERT INTO vuln_vendor (cpe_vendor, jvn_vid) VALUES (?, ?)", "si",
			                  e->vendor, e->vid));
			*vid = kk_db_last_insert_id(db);
		}
		*changed = 1;
	}
	rc = fill_name(db, "vuln_vendor", *vid, e->vname);
	if (rc < 0)
		return rc;
	if (rc || *changed) {
		*changed = 1;
		KK_TRY(refold(db, VENDOR_FOLD, "UPDATE vuln_vendor SET fold = ? WHERE id = ?", *vid));
	}
	return 0;
}

int kk_dict_upsert_jvn(struct kk_db *db, const struct kk_dict_entry *e)
{
	int64_t pid, vid;
	int added = 0, changed = 0;
	KK_TRY(jvn_vendor(db, e, &vid, &changed));
	int rc = query_id(db, "SELECT id FROM vuln_product WHERE cpe_vendor = ? AND cpe_product = ?", e->pvendor,
	                  e->product, 0, &pid);
	if (rc < 0)
		return rc;
	if (!rc) {
		KK_TRY(kk_db_exec(db,
		                  "INSERT INTO vuln_product (vendor_id, part, cpe_vendor, cpe_product, jvn_pid) "
		                  "VALUES (?, ?, ?, ?, ?)",
		                  "isssi", vid, e->part, e->pvendor, e->product, e->pid));
		pid = kk_db_last_insert_id(db);
		added = 1;
	} else {
		/* a product a record made joins the MyJVN vendor that lists it */
		rc = kk_db_exec(db,
		                "UPDATE vuln_product SET jvn_pid = ?, vendor_id = ?, part = coalesce(part, ?) "
		                "WHERE id = ? AND jvn_pid IS NULL",
		                "iisi", e->pid, vid, e->part, pid);
		if (rc < 0)
			return rc;
		changed |= rc > 0;
	}
	rc = fill_name(db, "vuln_product", pid, e->pname);
	if (rc < 0)
		return rc;
	if (rc || added)
		KK_TRY(refold(db, PRODUCT_FOLD, "UPDATE vuln_product SET fold = ? WHERE id = ?", pid));
	changed |= rc;
	rc = kk_db_exec(db, "INSERT OR IGNORE INTO vuln_product_jvn (pid, product_id) VALUES (?, ?)", "ii", e->pid,
	                pid);
	if (rc < 0)
		return rc;
	changed |= rc > 0;
	return added ? KK_VULN_ADDED : changed ? KK_VULN_UPDATED : KK_VULN_UNCHANGED;
}
