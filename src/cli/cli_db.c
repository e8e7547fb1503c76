/*
 * cli_db.c — what the database commands share: opening an existing,
 * current database with a clear error, options, reading a password line.
 */
#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_open_db(struct kk_cli *cli, struct kk_db **db)
{
	*db = NULL;
	const char *path = cli->db_path;
	if (access(path, F_OK) != 0)
		return cli_error("no database at %s; run 'keikai init' first (or pass --db PATH / set KEIKAI_DB)",
				 path);
	int rc = kk_db_open(path, 0, db);
	if (rc)
		return cli_error("cannot open database %s: %s; check the path and its permissions", path,
				 kk_err_msg(rc));
	struct kk_migrate_status st;
	struct kk_diag d;
	kk_diag_clear(&d);
	rc = kk_migrate_status(*db, NULL, &st, &d);
	if (rc) {
		cli_error("cannot read the schema of %s: %s", path, d.msg[0] ? d.msg : kk_db_errmsg(*db));
	} else if (st.current > st.latest) {
		rc = KK_ESCHEMA;
		cli_error("database %s was written by a newer keikai (schema %d, this keikai knows up to %d); "
			  "upgrade keikai",
			  path, st.current, st.latest);
	} else if (st.current == 0) {
		rc = KK_ESCHEMA;
		cli_error("%s is not a keikai database yet; run 'keikai init' first", path);
	} else if (st.pending) {
		rc = KK_ESCHEMA;
		cli_error("database %s is at schema %d but this keikai needs %d (%d migration%s pending); run "
			  "'keikai init' to migrate it",
			  path, st.current, st.latest, st.pending, st.pending == 1 ? "" : "s");
	}
	if (rc) {
		kk_db_close(*db);
		*db = NULL;
		return KK_EXIT_FAIL;
	}
	return KK_EXIT_OK;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n))
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n])
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

int cli_read_secret_line(const char *what, char *out, size_t n)
{
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "%s (one line): ", what);
	if (!fgets(out, (int)n, stdin)) {
		out[0] = 0;
		return -1;
	}
	size_t len = strlen(out);
	if (len && out[len - 1] == '\n') {
		out[--len] = 0;
		if (len && out[len - 1] == '\r')
			out[--len] = 0;
		return 0;
	}
	if (len + 1 >= n) { /* no end of line within the buffer: too long */
		memset(out, 0, n);
		return -2;
	}
	return 0; /* last line without a newline */
}

int cli_list_run(struct kk_cli *cli, const char *cmd, int argc, char **argv, struct cli_list *l, const char *header,
		 int (*walk)(struct kk_db *db, struct cli_list *l), const char *empty_hint)
{
	l->json = false;
	l->n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			l->json = true;
		else
			return cli_usage(cmd, "unknown argument '%s'", argv[i]);
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_buf out = KK_BUF_INIT(0);
	kk_json_init(&l->j, &out);
	if (l->json)
		kk_json_arr_open(&l->j);
	else
		printf("%s\n", header);
	int rc = walk(db, l);
	kk_db_close(db);
	if (l->json) {
		kk_json_arr_close(&l->j);
		if (!rc && kk_json_error(&l->j))
			rc = kk_json_error(&l->j);
		if (!rc)
			printf("%s\n", out.ptr);
	}
	kk_buf_release(&out);
	if (rc)
		return cli_error("%s: %s", cmd, kk_err_msg(rc));
	if (!l->json && !l->n)
		fprintf(stderr, "%s\n", empty_hint);
	return KK_EXIT_OK;
}

int cli_read_file(const char *path, struct kk_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return cli_error("cannot read %s: %s", path, strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kk_buf_add(b, chunk, n))
			break;
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (kk_buf_error(b) == KK_ETOOBIG)
		return cli_error("%s is larger than %zu bytes", path, b->max);
	return bad || kk_buf_error(b) ? cli_error("cannot read %s", path) : 0;
}
