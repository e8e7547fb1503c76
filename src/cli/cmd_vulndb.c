/*
 * cmd_vulndb.c — `keikai vulndb vendors` and `keikai vulndb products`: the
 * vulnerability database's vendor/product dictionary (vulndb/dict.h) from
 * the command line, as text or JSON.
 */
#include "base/json.h"
#include "cli/cli.h"
#include "store/db.h"
#include "vulndb/dict.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	bool json;
	struct kk_json j;
	struct kk_buf buf;
};

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

static int vendor_line(void *arg, const struct kk_dict_vendor *v)
{
	struct out *o = arg;
	if (!o->json) {
		printf("%-8lld %-8lld %-30s %s / %s (%ld products)\n", (long long)v->id, (long long)v->jvn_vid,
		       dash(v->cpe_vendor), dash(v->name_ja), dash(v->name_en), v->nproducts);
		return 0;
	}
	kk_json_obj_open(&o->j);
	kk_json_kv_int(&o->j, "id", v->id);
	kk_json_kv_int(&o->j, "jvn_vid", v->jvn_vid);
	kk_json_kv_str(&o->j, "cpe_vendor", v->cpe_vendor);
	kk_json_kv_str(&o->j, "purl_type", v->purl_type);
	kk_json_kv_str(&o->j, "purl_namespace", v->purl_namespace);
	kk_json_kv_str(&o->j, "name_ja", v->name_ja);
	kk_json_kv_str(&o->j, "name_en", v->name_en);
	kk_json_kv_int(&o->j, "products", v->nproducts);
	kk_json_obj_close(&o->j);
	return 0;
}

static int product_line(void *arg, const struct kk_dict_product *p)
{
	struct out *o = arg;
	if (!o->json) {
		char key[600];
		if (p->cpe_product)
			snprintf(key, sizeof key, "cpe:/%s:%s:%s", dash(p->part), p->cpe_vendor, p->cpe_product);
		else
			snprintf(key, sizeof key, "pkg:%s/%s%s%s", p->purl_type, p->purl_namespace,
			         *p->purl_namespace ? "/" : "", p->purl_name);
		printf("%-8lld %-50s %s / %s\n", (long long)p->id, key, dash(p->name_ja), dash(p->name_en));
		return 0;
	}
	kk_json_obj_open(&o->j);
	kk_json_kv_int(&o->j, "id", p->id);
	kk_json_kv_int(&o->j, "vendor_id", p->vendor_id);
	kk_json_kv_int(&o->j, "jvn_pid", p->jvn_pid);
	kk_json_kv_str(&o->j, "part", p->part);
	kk_json_kv_str(&o->j, "cpe_vendor", p->cpe_vendor);
	kk_json_kv_str(&o->j, "cpe_product", p->cpe_product);
	kk_json_kv_str(&o->j, "purl_type", p->purl_type);
	kk_json_kv_str(&o->j, "purl_namespace", p->purl_namespace);
	kk_json_kv_str(&o->j, "purl_name", p->purl_name);
	kk_json_kv_str(&o->j, "name_ja", p->name_ja);
	kk_json_kv_str(&o->j, "name_en", p->name_en);
	kk_json_obj_close(&o->j);
	return 0;
}

/* Options shared by both listings; products adds --vendor ID. */
static int list(struct kk_cli *cli, int argc, char **argv, bool products)
{
	struct kk_dict_query q = {.limit = 100};
	struct out o = {0};
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		char *end;
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if ((r = cli_opt(argc, argv, &i, "--prefix", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--prefix needs text");
			q.prefix = v;
		} else if ((r = cli_opt(argc, argv, &i, "--keyword", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--keyword needs text");
			q.keyword = v;
		} else if ((r = cli_opt(argc, argv, &i, "--cpe", &v))) {
			if (r < 0)
				return cli_usage(argv[0], "--cpe needs VENDOR, VENDOR:PRODUCT or a CPE name");
			q.cpe = v;
		} else if ((r = cli_opt(argc, argv, &i, "--limit", &v))) {
			long n = r < 0 ? 0 : strtol(v, &end, 10);
			if (r < 0 || *end || n < 1 || n > KK_DICT_LIMIT_MAX)
				return cli_usage(argv[0], "--limit needs a number 1..%d", KK_DICT_LIMIT_MAX);
			q.limit = (int)n;
		} else if ((r = cli_opt(argc, argv, &i, "--offset", &v))) {
			long n = r < 0 ? -1 : strtol(v, &end, 10);
			if (r < 0 || *end || n < 0)
				return cli_usage(argv[0], "--offset needs a number 0 or more");
			q.offset = n;
		} else if (products && (r = cli_opt(argc, argv, &i, "--vendor", &v))) {
			long long n = r < 0 ? 0 : strtoll(v, &end, 10);
			if (r < 0 || *end || n < 1)
				return cli_usage(argv[0], "--vendor needs a vendor id (from 'keikai vulndb vendors')");
			q.vendor_id = n;
		} else {
			return cli_usage(argv[0], "unknown argument '%s'", argv[i]);
		}
	}
	struct kk_db *db;
	if (cli_open_db(cli, &db))
		return KK_EXIT_FAIL;
	if (o.json) {
		kk_buf_init(&o.buf, 0);
		kk_json_init(&o.j, &o.buf);
		kk_json_obj_open(&o.j);
		kk_json_key(&o.j, "items");
		kk_json_arr_open(&o.j);
	}
	long total = 0;
	struct kk_diag d = {0};
	int rc = products ? kk_dict_products(db, &q, product_line, &o, &total, &d)
	                  : kk_dict_vendors(db, &q, vendor_line, &o, &total, &d);
	int ex = KK_EXIT_OK;
	if (rc == KK_EINVAL)
		ex = cli_usage(argv[0], "%s", d.msg);
	else if (rc)
		ex = cli_error("listing failed: %s: %s", kk_err_msg(rc), kk_db_errmsg(db));
	else if (o.json) {
		kk_json_arr_close(&o.j);
		kk_json_kv_int(&o.j, "total", total);
		kk_json_obj_close(&o.j);
		if (kk_json_error(&o.j))
			ex = cli_error("the answer is too large; use a smaller --limit");
		else
			printf("%s\n", o.buf.ptr);
	} else {
		fprintf(stderr, "%ld %s in all\n", total, products ? "products" : "vendors");
	}
	if (o.json)
		kk_buf_release(&o.buf);
	kk_db_close(db);
	return ex;
}

int cmd_vulndb_vendors(struct kk_cli *cli, int argc, char **argv)
{
	return list(cli, argc, argv, false);
}

int cmd_vulndb_products(struct kk_cli *cli, int argc, char **argv)
{
	return list(cli, argc, argv, true);
}
