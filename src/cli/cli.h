/*
 * cli.h — what every command function gets and may use.
 *
 * A command is `int cmd_NAME(struct kk_cli *cli, int argc, char **argv)`;
 * argv[0] is the command name (e.g. "user add"), the rest its arguments
 * with the global options (--db) already removed. It returns an exit code:
 * 0 success, 1 runtime error, 2 usage error. Errors go to stderr through
 * cli_error()/cli_usage(), naming the problem and the fix.
 */
#ifndef KK_CLI_CLI_H
#define KK_CLI_CLI_H
#include "base/json.h"
#include <stdbool.h>
#include <stddef.h>

#define KK_EXIT_OK 0
#define KK_EXIT_FAIL 1
#define KK_EXIT_USAGE 2

struct kk_cli {
	const char *db_path; /* --db, else $KEIKAI_DB, else ./var/keikai.db */
	const char *argv0;
};

struct kk_cli_command {
	const char *name;
	int (*fn)(struct kk_cli *cli, int argc, char **argv);
	const char *synopsis;
	const char *summary;
	const char *help;
};

#define CMD(name, fn, syn, sum, help) int fn(struct kk_cli *cli, int argc, char **argv);
#include "cli/commands.def"
#undef CMD

/* Prints "keikai: <msg>" to stderr; returns KK_EXIT_FAIL. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "keikai <cmd>: <msg>" and the command's synopsis; returns KK_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The table row for a command name, or NULL. */
const struct kk_cli_command *cli_find(const char *name);

/*
 * Opens cli->db_path for a command that needs an existing, current
 * database (cli_db.c): 0 with *db set (close it with kk_db_close), or
 * KK_EXIT_FAIL after printing why and the fix — "no database at PATH; run
 * 'keikai init' first", "... is at schema N, this keikai needs M; run
 * 'keikai init' to migrate", or the newer-keikai refusal.
 */
struct kk_db;
int cli_open_db(struct kk_cli *cli, struct kk_db **db);

/*
 * Option helper for commands (cli_db.c): when argv[*i] is `name` ("--email")
 * or "name=VALUE", sets *val, advances *i past a separate value and returns
 * 1; returns 0 when argv[*i] is another argument, -1 when the value is missing.
 */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **val);
/*
 * Reads one line (a password) from standard input into out (n bytes),
 * without the line end; prompts with `what` on a terminal. 0, -1 at end of
 * input, -2 when the line does not fit (out is wiped).
 */
int cli_read_secret_line(const char *what, char *out, size_t n);

/*
 * The frame of a listing command (`org list`, `user list`): takes [--json],
 * opens the database, prints `header` (a table heading) or opens a JSON
 * array in l->j, runs walk(db, l) — whose rows print a table line or append
 * one JSON value to l->j and count themselves in l->n — closes the array
 * and prints it, and prints `empty_hint` to stderr when a table had no rows.
 * Returns the exit code.
 */
struct cli_list {
	struct kk_json j;
	bool json;
	int n;
};
int cli_list_run(struct kk_cli *cli, const char *cmd, int argc, char **argv, struct cli_list *l, const char *header,
		 int (*walk)(struct kk_db *db, struct cli_list *l), const char *empty_hint);

/*
 * Reads all of path ("-": standard input) into b (whose cap limits it):
 * 0, or KK_EXIT_FAIL after printing why ("cannot read PATH: ...", "PATH is
 * larger than N bytes").
 */
struct kk_buf;
int cli_read_file(const char *path, struct kk_buf *b);

#endif
