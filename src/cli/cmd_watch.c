/*
 * cmd_watch.c — `keikai watch …`: watchlists (the filtered collection,
 * watch/watchlist.h) from the command line, as the system actor.
 */
#include "auth/auth.h"
#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/search.h"
#include "watch/check.h"
#include "watch/watchlist.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wl_id(const char *cmd, const char *s, int64_t *id)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return cli_usage(cmd, "give the watchlist's id (see 'keikai watch list')");
	*id = v;
	return 0;
}

int cmd_watch_create(struct kk_cli *cli, int argc, char **argv)
{
	struct kk_wl_new w = {0};
	const char *inv = NULL, *sev = NULL;
	for (int i = 1; i < argc; i++) {
		int rc;
		if ((rc = cli_opt(argc, argv, &i, "--min-severity", &sev)) ||
		    (rc = cli_opt(argc, argv, &i, "--keywords", &w.keywords)) ||
		    (rc = cli_opt(argc, argv, &i, "--cwe", &w.cwe)) ||
		    (rc = cli_opt(argc, argv, &i, "--mail", &w.mail)) ||
		    (rc = cli_opt(argc, argv, &i, "--email", &w.email)) ||
		    (rc = cli_opt(argc, argv, &i, "--lang", &w.lang)) ||
		    (rc = cli_opt(argc, argv, &i, "--webhook", &w.webhook_url))) {
			if (rc < 0)
				return cli_usage(argv[0], "%s needs a value", argv[i]);
		} else if (!strcmp(argv[i], "--kev")) {
			w.kev_only = true;
		} else if (!strcmp(argv[i], "--feed")) {
			w.feed = true;
		} else if (!inv && argv[i][0] != '-') {
			inv = argv[i];
		} else if (!w.name && argv[i][0] != '-') {
			w.name = argv[i];
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	char *end;
	long long iid = inv ? strtoll(inv, &end, 10) : 0;
	if (!inv || *end || iid <= 0 || !w.name)
		return cli_usage(argv[0], "give the INVENTORY id and the watchlist's NAME");
	w.inventory_id = iid;
	if (sev && (w.min_severity = kk_check_severity_parse(sev)) < 0)
		return cli_usage(argv[0], "--min-severity is none, low, medium, high or critical");
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	int64_t id = 0;
	char token[KK_WL_TOKEN_HEX + 1], secret[KK_WL_TOKEN_HEX + 1];
	struct kk_diag d;
	kk_diag_clear(&d);
	int rc = kk_wl_create(db, &a, &w, &id, token, secret, &d);
	kk_db_close(db);
	if (rc) {
		if (d.where[0])
			return cli_error("watch create: %s: %s", d.where, d.msg[0] ? d.msg : kk_err_msg(rc));
		return cli_error("watch create: %s", d.msg[0] ? d.msg : kk_err_msg(rc));
	}
	printf("%lld\n", (long long)id);
	if (token[0])
		printf("feed: /feeds/watch/%s\n", token);
	if (secret[0])
		printf("webhook secret: %s\n", secret);
	return KK_EXIT_OK;
}

static void wl_json(struct kk_json *j, const struct kk_watchlist *w)
{
	kk_json_obj_open(j);
	kk_json_kv_int(j, "id", w->id);
	kk_json_kv_str(j, "name", w->name);
	kk_json_kv_int(j, "inventory_id", w->inventory_id);
	kk_json_kv_str(j, "inventory", w->inventory);
	kk_json_kv_str(j, "min_severity", kk_search_severity_name(w->min_severity));
	if (w->keywords[0])
		kk_json_kv_str(j, "keywords", w->keywords);
	if (w->cwe[0])
		kk_json_kv_str(j, "cwe", w->cwe);
	kk_json_kv_bool(j, "kev_only", w->kev_only);
	kk_json_kv_str(j, "mail", w->mail);
	if (w->email[0])
		kk_json_kv_str(j, "email", w->email);
	kk_json_kv_str(j, "lang", w->lang);
	if (w->webhook_url[0])
		kk_json_kv_str(j, "webhook_url", w->webhook_url);
	kk_json_kv_bool(j, "feed", w->has_feed);
	kk_json_kv_int(j, "hits", w->hits);
	kk_json_kv_int(j, "new_since_last_visit", w->unseen);
	kk_json_obj_close(j);
}

static int list_row(void *arg, const struct kk_watchlist *w)
{
	struct cli_list *l = arg;
	l->n++;
	if (l->json)
		wl_json(&l->j, w);
	else
		printf("%-6lld %-28s %-24s %-8s %-6s %ld\n", (long long)w->id, w->name, w->inventory,
		       kk_search_severity_name(w->min_severity), w->mail, w->hits);
	return 0;
}

static int list_walk(struct kk_db *db, struct cli_list *l)
{
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	return kk_wl_list(db, &a, list_row, l);
}

int cmd_watch_list(struct kk_cli *cli, int argc, char **argv)
{
	struct cli_list l;
	return cli_list_run(
	    cli, argv[0], argc, argv, &l,
	    "ID     NAME                         INVENTORY                MIN      MAIL   TOLD", list_walk,
	    "no watchlists yet: 'keikai watch create INVENTORY NAME'");
}

static int hit_row(void *arg, const struct kk_wl_hit *h)
{
	struct kk_json *j = arg;
	if (j) {
		kk_json_obj_open(j);
		kk_json_kv_str(j, "jvndb", h->jvndb);
		if (h->cve[0])
			kk_json_kv_str(j, "cve", h->cve);
		kk_json_kv_str(j, "title", h->title);
		kk_json_kv_str(j, "severity", kk_search_severity_name(h->severity));
		kk_json_kv_bool(j, "kev", h->kev);
		kk_json_kv_str(j, "item", h->item);
		kk_json_kv_bool(j, "updated", h->updated);
		kk_json_kv_int(j, "at", h->at);
		kk_json_obj_close(j);
	} else {
		printf("%-20s %-16s %-8s %s%s  %s\n", h->jvndb, h->cve, kk_search_severity_name(h->severity),
		       h->kev ? "KEV " : "", h->item, h->title);
	}
	return 0;
}

int cmd_watch_show(struct kk_cli *cli, int argc, char **argv)
{
	const char *ids = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!ids && argv[i][0] != '-')
			ids = argv[i];
		else
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
	}
	int64_t id;
	if (wl_id(argv[0], ids, &id))
		return KK_EXIT_USAGE;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_watchlist w;
	int rc = kk_wl_get(db, &a, id, &w);
	if (rc) {
		kk_db_close(db);
		return cli_error("watch show: %s", rc == KK_ENOTFOUND ? "no such watchlist" : kk_err_msg(rc));
	}
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	if (json) {
		kk_json_init(&j, &out);
		kk_json_obj_open(&j);
		kk_json_key(&j, "watchlist");
		wl_json(&j, &w);
		kk_json_key(&j, "records");
		kk_json_arr_open(&j);
	} else {
		printf("%s (inventory %s), %s or above, mail %s: %ld record(s) told\n", w.name, w.inventory,
		       kk_search_severity_name(w.min_severity), w.mail, w.hits);
	}
	rc = kk_wl_hits(db, &a, id, 1000, NULL, hit_row, json ? &j : NULL);
	kk_db_close(db);
	if (json) {
		kk_json_arr_close(&j);
		kk_json_obj_close(&j);
		fwrite(out.ptr, 1, out.len, stdout);
		putchar('\n');
	}
	kk_buf_release(&out);
	return rc ? cli_error("watch show: %s", kk_err_msg(rc)) : KK_EXIT_OK;
}

static int delivery_row(void *arg, const struct kk_wl_delivery *d)
{
	struct kk_json *j = arg;
	if (j) {
		kk_json_obj_open(j);
		kk_json_kv_int(j, "id", d->id);
		kk_json_kv_str(j, "state", d->state);
		kk_json_kv_int(j, "attempts", d->attempts);
		kk_json_kv_int(j, "status", d->status);
		if (d->error[0])
			kk_json_kv_str(j, "error", d->error);
		kk_json_kv_int(j, "records", d->records);
		kk_json_kv_int(j, "created_at", d->created_at);
		if (d->sent_at)
			kk_json_kv_int(j, "sent_at", d->sent_at);
		else if (!strcmp(d->state, "pending"))
			kk_json_kv_int(j, "next_at", d->next_at);
		kk_json_obj_close(j);
	} else {
		printf("%-6lld %-8s %d attempt(s) HTTP %d, %ld record(s)%s%s\n", (long long)d->id, d->state,
		       d->attempts, d->status, d->records, d->error[0] ? ": " : "", d->error);
	}
	return 0;
}

int cmd_watch_deliveries(struct kk_cli *cli, int argc, char **argv)
{
	const char *ids = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!ids && argv[i][0] != '-')
			ids = argv[i];
		else
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
	}
	int64_t id;
	if (wl_id(argv[0], ids, &id))
		return KK_EXIT_USAGE;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	struct kk_buf out = KK_BUF_INIT(0);
	struct kk_json j;
	if (json) {
		kk_json_init(&j, &out);
		kk_json_arr_open(&j);
	}
	int rc = kk_wl_deliveries(db, &a, id, delivery_row, json ? &j : NULL);
	kk_db_close(db);
	if (json && !rc) {
		kk_json_arr_close(&j);
		fwrite(out.ptr, 1, out.len, stdout);
		putchar('\n');
	}
	kk_buf_release(&out);
	if (rc)
		return cli_error("watch deliveries: %s",
		                 rc == KK_ENOTFOUND ? "no such watchlist" : kk_err_msg(rc));
	return KK_EXIT_OK;
}

int cmd_watch_delete(struct kk_cli *cli, int argc, char **argv)
{
	int64_t id;
	if (argc != 2 || wl_id(argv[0], argv[1], &id))
		return argc != 2 ? cli_usage(argv[0], "give the watchlist's id") : KK_EXIT_USAGE;
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	struct kk_actor a;
	kk_actor_system(&a, NULL);
	int rc = kk_wl_delete(db, &a, id);
	kk_db_close(db);
	if (rc)
		return cli_error("watch delete: %s",
		                 rc == KK_ENOTFOUND ? "no such watchlist" : kk_err_msg(rc));
	return KK_EXIT_OK;
}
