/*
 * cmd_serve.c — `keikai serve`: parses the server options and runs the
 * HTTP server until SIGTERM/SIGINT.
 */
#include "auth/auth.h"
#include "base/err.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/jobs.h"
#include "mail/mail.h"
#include "store/db.h"
#include "store/migrate.h"
#include "web/server.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses a positive number option value; 0 on error. */
static unsigned long num(const char *v)
{
	char *end;
	unsigned long n = v && *v ? strtoul(v, &end, 10) : 0;
	return v && *v && !*end ? n : 0;
}

/*
 * Start-up check of the database: a schema that is behind or ahead of this
 * binary refuses to serve (the fix is `keikai init` or a newer keikai); a
 * database that cannot be opened only warns — the server starts and
 * /healthz answers 503 until it can be reached.
 */
static int check_database(const char *path)
{
	struct kk_db *db;
	int rc = kk_db_open(path, 0, &db);
	if (rc < 0) {
		kk_warn("serve: cannot open the database %s (%s); /healthz answers 503 until it can "
		        "(create it with 'keikai --db %s init')",
		        path, kk_err_msg(rc), path);
		return 0;
	}
	struct kk_migrate_status st;
	struct kk_diag d;
	kk_diag_clear(&d);
	rc = kk_migrate_status(db, NULL, &st, &d);
	kk_db_close(db);
	if (rc < 0)
		return cli_error("serve: cannot read the schema version of %s: %s", path,
		                 d.msg[0] ? d.msg : kk_err_msg(rc));
	if (st.current > st.latest)
		return cli_error("serve: database %s was written by a newer keikai (schema %d, this keikai "
		                 "knows up to %d); "
		                 "upgrade keikai",
		                 path, st.current, st.latest);
	if (st.pending > 0)
		return cli_error("serve: database %s needs %d migration(s) (schema %d of %d); run 'keikai "
		                 "--db %s init' first",
		                 path, st.pending, st.current, st.latest, path);
	return 0;
}

/* Tells an account's owner that an address reached the sign-in failure limit (auth.h). */
static int login_notice(struct kk_db *db, const struct kk_user *u, const char *address, int failures)
{
	char body[2048];
	snprintf(body, sizeof(body),
	         "keikai で、あなたのアカウント (%s) へのサインインが %s から %d 回続けて失敗しました。\n"
	         "このアドレスからの試行は待ち時間が延びていきます。他の場所からのサインインには影響しません。\n"
	         "心当たりがなければ、パスワードを変更してください。\n\n"
	         "Sign-ins to your keikai account (%s) failed %d times in a row from %s.\n"
	         "Tries from that address now wait longer and longer; sign-ins from elsewhere are not affected.\n"
	         "If this was not you, change your password.\n",
	         u->email, *address ? address : "-", failures, u->email, failures, *address ? address : "-");
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	struct kk_mail m = {.to = u->email,
	                    .subject = "keikai: サインインの失敗 / failed sign-ins",
	                    .body = body,
	                    .related_type = "user",
	                    .related_id = id};
	struct kk_diag d = {0};
	int rc = kk_mail_queue(db, &m, NULL, &d);
	if (rc == KK_EINVAL) {
		kk_warn("login: no notice to user %lld: %s", (long long)u->id, d.msg);
		return 0; /* an address mail cannot reach must not stop the sign-in */
	}
	return rc;
}

int cmd_serve(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_server_config c;
	kk_server_config_default(&c);
	c.db_path = cli->db_path;
	const char *mail_config = NULL;
	bool no_tick = false;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n;
		if (!strcmp(o, "--tls")) {
			c.tls = true;
			continue;
		}
		if (!strcmp(o, "--no-scheduler")) {
			no_tick = true;
			continue;
		}
		if (!v)
			return cli_usage(argv[0], "%s needs a value", o);
		if (!strcmp(o, "--listen"))
			c.listen = v;
		else if (!strcmp(o, "--mail-config"))
			mail_config = v;
		else if (!strcmp(o, "--key-file"))
			c.key_file = v;
		else if (!strcmp(o, "--tick") && (n = num(v)) && n <= 3600)
			c.tick_seconds = (unsigned)n;
		else if (!strcmp(o, "--threads") && (n = num(v)) && n <= 256)
			c.threads = (unsigned)n;
		else if (!strcmp(o, "--max-body") && (n = num(v)))
			c.body_max = n;
		else if (!strcmp(o, "--max-header-size") && (n = num(v)) && n >= 1024 && n <= (1u << 20))
			c.header_max = n;
		else if (!strcmp(o, "--timeout") && (n = num(v)) && n <= 3600)
			c.timeout = (unsigned)n;
		else if (!strcmp(o, "--max-connections") && (n = num(v)) && n <= 100000)
			c.max_conns = (unsigned)n;
		else if (!strcmp(o, "--max-connections-per-address") && (n = num(v)) && n <= 100000)
			c.max_conns_per_addr = (unsigned)n;
		else if (!strcmp(o, "--drain-timeout") && (n = num(v)) && n <= 3600)
			c.drain_timeout = (unsigned)n;
		else if (!strcmp(o, "--listen") || !strcmp(o, "--threads") || !strcmp(o, "--max-body") ||
		         !strcmp(o, "--max-header-size") || !strcmp(o, "--timeout") ||
		         !strcmp(o, "--max-connections") || !strcmp(o, "--drain-timeout") || !strcmp(o, "--tick") ||
		         !strcmp(o, "--max-connections-per-address"))
			return cli_usage(argv[0],
			                 "'%s' is not a valid value for %s (see 'keikai help serve')", v, o);
		else
			return cli_usage(argv[0], "unknown option '%s'", o);
		i++;
	}
	if (check_database(c.db_path))
		return KK_EXIT_FAIL;
	static struct cli_tick tick;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (!no_tick) {
		if (cli_tick_init(&tick, c.db_path, mail_config, c.key_file, &d))
			return cli_error("serve: %s%s%s", d.where, d.where[0] ? ": " : "", d.msg);
		tick.sync_async = true; /* syncs on their own thread (jobs.h) */
		c.tick = cli_tick_run;
		c.tick_arg = &tick;
	}
	kk_auth_set_login_notice(login_notice);
	int rc = kk_server_run(&c);
	cli_tick_release(&tick);
	return rc < 0 ? KK_EXIT_FAIL : KK_EXIT_OK;
}
