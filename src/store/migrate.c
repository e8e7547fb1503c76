/*
 * migrate.c — applies the numbered schema files carried in the binary, in
 * order, one transaction each, recorded in schema_migrations.
 */
#include "store/migrate.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MIGRATIONS 4096

struct mig {
	int version;
	char name[128]; /* file name less ".sql" */
	const char *sql;
};

/* "0001-foundation.sql" -> 1, "0001-foundation"; KK_EINVAL otherwise. */
static int parse_name(const char *file, struct mig *m, struct kk_diag *d)
{
	size_t n = strlen(file);
	int digits = 0;
	while (file[digits] >= '0' && file[digits] <= '9')
		digits++;
	if (digits != 4 || file[4] != '-' || n < 10 || strcmp(file + n - 4, ".sql") || n - 4 >= sizeof(m->name))
		return kk_diag_set(d, KK_EINVAL, file,
				   "schema file '%s' is not named NNNN-name.sql (four digits, a dash, a name)", file);
	m->version = atoi(file);
	if (m->version <= 0)
		return kk_diag_set(d, KK_EINVAL, file, "schema file '%s': numbers start at 0001", file);
	memcpy(m->name, file, n - 4);
	m->name[n - 4] = 0;
	return 0;
}

static int cmp_mig(const void *a, const void *b)
{
	const struct mig *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* The files as a sorted array (kk_free it). */
static int load_files(const struct kk_embedded *files, struct mig **out, int *count, struct kk_diag *d)
{
	int n = 0;
	while (files[n].name)
		n++;
	if (n > MAX_MIGRATIONS)
		return kk_diag_set(d, KK_EINVAL, NULL, "more than %d schema files", MAX_MIGRATIONS);
	struct mig *m = kk_calloc((size_t)n + 1, sizeof(*m));
	if (!m)
		return KK_ENOMEM;
	for (int i = 0; i < n; i++) {
		int rc = parse_name(files[i].name, &m[i], d);
		if (rc) {
			kk_free(m);
			return rc;
		}
		m[i].sql = (const char *)files[i].data;
	}
	qsort(m, (size_t)n, sizeof(*m), cmp_mig);
	for (int i = 1; i < n; i++)
		if (m[i].version == m[i - 1].version) {
			int rc = kk_diag_set(d, KK_EINVAL, m[i].name, "schema files '%s' and '%s' share number %04d",
					     m[i - 1].name, m[i].name, m[i].version);
			kk_free(m);
			return rc;
		}
	*out = m;
	*count = n;
	return 0;
}

/*
 * Whether schema_migrations exists yet. SQLite keeps its catalogue in
 * sqlite_master; a PostgreSQL backend would ask to_regclass('schema_migrations').
 */
static int have_table(struct kk_db *db)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db,
			       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
			       &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	int have = rc == KK_ROW ? kk_stmt_int64(st, 0) > 0 : rc;
	kk_stmt_done(st);
	return have;
}

static int is_applied(struct kk_db *db, int version)
{
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT 1 FROM schema_migrations WHERE version = ?", &st);
	if (rc)
		return rc;
	kk_stmt_bind_int64(st, 1, version);
	rc = kk_stmt_step(st);
	kk_stmt_done(st);
	return rc == KK_ROW ? 1 : rc;
}

static int max_applied(struct kk_db *db, int *current)
{
	*current = 0;
	int have = have_table(db);
	if (have <= 0)
		return have;
	struct kk_stmt *st;
	int rc = kk_db_prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", &st);
	if (rc)
		return rc;
	rc = kk_stmt_step(st);
	if (rc == KK_ROW)
		*current = (int)kk_stmt_int64(st, 0);
	kk_stmt_done(st);
	return rc < 0 ? rc : 0;
}

static int status(struct kk_db *db, const struct mig *m, int n, struct kk_migrate_status *st)
{
	memset(st, 0, sizeof(*st));
	st->latest = n ? m[n - 1].version : 0;
	int rc = max_applied(db, &st->current);
	if (rc)
		return rc;
	bool have = st->current > 0 || have_table(db) > 0;
	for (int i = 0; i < n; i++) {
		int a = have ? is_applied(db, m[i].version) : 0;
		if (a < 0)
			return a;
		st->pending += !a;
	}
	return 0;
}

int kk_migrate_status(struct kk_db *db, const struct kk_embedded *files, struct kk_migrate_status *st,
		      struct kk_diag *d)
{
	struct mig *m;
	int n, rc = load_files(files ? files : kk_schema_files, &m, &n, d);
	if (rc)
		return rc;
	rc = status(db, m, n, st);
	kk_free(m);
	return rc;
}

struct apply {
	const struct mig *m;
	bool skipped; /* someone else applied it meanwhile */
};

static int apply_one(struct kk_db *db, void *arg)
{
	struct apply *a = arg;
	a->skipped = false;
	int rc = kk_db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				       " version INTEGER PRIMARY KEY,"
				       " name TEXT NOT NULL,"
				       " applied_at INTEGER NOT NULL)");
	if (rc)
		return rc;
	if ((rc = is_applied(db, a->m->version)) != 0) {
		a->skipped = rc > 0;
		return rc < 0 ? rc : 0;
	}
	if ((rc = kk_db_exec_script(db, a->m->sql)))
		return rc;
	rc = kk_db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", "isi",
			(int64_t)a->m->version, a->m->name, kk_clock_now());
	return rc < 0 ? rc : 0;
}

int kk_migrate_run(struct kk_db *db, const char *db_label, const struct kk_embedded *files,
		   void (*progress)(void *arg, int version, const char *name), void *arg, struct kk_diag *d)
{
	struct mig *m;
	int n, rc = load_files(files ? files : kk_schema_files, &m, &n, d);
	if (rc)
		return rc;
	struct kk_migrate_status st;
	if ((rc = status(db, m, n, &st))) {
		kk_diag_set(d, rc, db_label, "cannot read the schema version of %s: %s", db_label ? db_label : "the database",
			    kk_db_errmsg(db));
		goto out;
	}
	if (st.current > st.latest) {
		rc = kk_diag_set(d, KK_ESCHEMA, db_label,
				 "database %s was written by a newer keikai (schema %d, this keikai knows up to %d); "
				 "upgrade keikai",
				 db_label ? db_label : "(unnamed)", st.current, st.latest);
		goto out;
	}
	int applied = 0;
	for (int i = 0; i < n && st.pending; i++) {
		struct apply a = {&m[i], false};
		int done = is_applied(db, m[i].version);
		if (done < 0 && have_table(db) > 0) {
			rc = done;
			goto out;
		}
		if (done > 0)
			continue;
		if ((rc = kk_db_tx(db, apply_one, &a))) {
			kk_diag_set(d, rc, m[i].name, "migration %s.sql failed and was rolled back: %s", m[i].name,
				    kk_db_errmsg(db));
			goto out;
		}
		if (a.skipped)
			continue;
		applied++;
		kk_debug("migrate: applied %s", m[i].name);
		if (progress)
			progress(arg, m[i].version, m[i].name);
	}
	rc = applied;
out:
	kk_free(m);
	return rc;
}
