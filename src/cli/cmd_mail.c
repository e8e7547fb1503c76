/*
 * cmd_mail.c — `keikai mail list` (the outbox) and `keikai mail flush`
 * (deliver what is due now to the configured maildir or SMTP server).
 */
#include "auth/keyfile.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "mail/mail.h"
#include "store/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

struct mail_list {
	struct cli_list l; /* first: cli_list_run hands this back */
	const char *state;
};

static int mail_print(void *arg, const struct kk_mail_entry *e)
{
	struct mail_list *m = arg;
	struct cli_list *l = &m->l;
	l->n++;
	char at[32], next[32];
	kk_time_iso(e->created_at, at, sizeof(at));
	kk_time_iso(e->next_attempt_at, next, sizeof(next));
	if (!l->json) {
		printf("%-6lld %-7s %-3d %-21s %-3s %-32s %s\n", (long long)e->id, e->state, e->attempts, at,
		       e->encrypted ? "pgp" : "-", e->to, e->subject);
		if (e->last_error[0])
			printf("       last error: %s\n", e->last_error);
		return 0;
	}
	kk_json_obj_open(&l->j);
	kk_json_kv_int(&l->j, "id", e->id);
	kk_json_kv_str(&l->j, "state", e->state);
	kk_json_kv_str(&l->j, "to", e->to);
	kk_json_kv_bool(&l->j, "sealed", e->sealed);
	kk_json_kv_bool(&l->j, "encrypted", e->encrypted);
	kk_json_kv_str(&l->j, "subject", e->subject);
	kk_json_kv_int(&l->j, "attempts", e->attempts);
	kk_json_kv_str(&l->j, "created_at", at);
	kk_json_kv_str(&l->j, "next_attempt_at", next);
	kk_json_kv_str(&l->j, "last_error", e->last_error[0] ? e->last_error : NULL);
	kk_json_kv_str(&l->j, "message_id", e->message_id);
	kk_json_kv_str(&l->j, "related_type", e->related_type[0] ? e->related_type : NULL);
	kk_json_kv_str(&l->j, "related_id", e->related_id[0] ? e->related_id : NULL);
	kk_json_obj_close(&l->j);
	return 0;
}

static int mail_walk(struct kk_db *db, struct cli_list *l)
{
	struct mail_list *m = (struct mail_list *)l;
	int rc = kk_mail_list(db, m->state, mail_print, m);
	return rc < 0 ? rc : 0;
}

int cmd_mail_list(struct kk_cli *cli, int argc, char **argv)
{
	struct mail_list m = {.state = NULL};
	char *rest[3] = {argv[0], NULL, NULL};
	int nrest = 1;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--state", &m.state);
		if (r < 0)
			return cli_usage("mail list", "--state needs queued, sent or failed");
		if (r)
			continue;
		if (!strcmp(argv[i], "--json"))
			rest[nrest++] = argv[i];
		else
			return cli_usage("mail list", "unknown argument '%s'", argv[i]);
	}
	if (m.state && strcmp(m.state, "queued") && strcmp(m.state, "sent") && strcmp(m.state, "failed"))
		return cli_usage("mail list", "unknown state '%s'; use queued, sent or failed", m.state);
	char header[120];
	snprintf(header, sizeof(header), "%-6s %-7s %-3s %-21s %-3s %-32s %s", "ID", "STATE", "TRY", "QUEUED", "ENC",
		 "TO", "SUBJECT");
	return cli_list_run(cli, "mail list", nrest, rest, &m.l, header, mail_walk, "(the outbox is empty)");
}

int cmd_mail_flush(struct kk_cli *cli, int argc, char **argv)
{
	const char *conf = NULL, *limit_s = NULL, *key_file = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--mail-config", &conf);
		if (!r)
			r = cli_opt(argc, argv, &i, "--limit", &limit_s);
		if (!r)
			r = cli_opt(argc, argv, &i, "--key-file", &key_file);
		if (r < 0)
			return cli_usage("mail flush", "%s needs a value", argv[i]);
		if (!r)
			return cli_usage("mail flush", "unknown argument '%s'", argv[i]);
	}
	int limit = 0;
	if (limit_s) {
		char *end;
		long v = strtol(limit_s, &end, 10);
		if (*end || end == limit_s || v < 1 || v > 1000000)
			return cli_usage("mail flush", "--limit '%s' must be a number from 1 to 1000000", limit_s);
		limit = (int)v;
	}
	struct kk_mail_config c;
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_mail_config_load(&c, conf, &d))
		return cli_error("mail flush: %s%s%s", d.where, d.where[0] ? ": " : "", d.msg);
	char kpath[1024];
	unsigned char key[KK_KEY_BYTES];
	bool have_key = false;
	if (!kk_keyfile_path(cli->db_path, key_file, kpath, sizeof(kpath)) && access(kpath, F_OK) == 0) {
		if (kk_keyfile_load(kpath, key, &d))
			return cli_error("mail flush: %s", d.msg);
		have_key = true;
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_mail_flush_stats st;
	int rc = kk_mail_flush(db, &c, have_key ? key : NULL, limit, &st, &d);
	kk_db_close(db);
	sodium_memzero(key, sizeof(key));
	if (rc)
		return cli_error("mail flush: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	printf("mail flush: %d sent, %d to retry, %d failed (via %s)\n", st.sent, st.retry, st.failed,
	       c.maildir[0] ? c.maildir : c.smtp_url);
	return st.failed || st.retry ? 3 : KK_EXIT_OK;
}
