/*
 * cmd_cpe.c — `keikai cpe parse NAME` (attributes and both bindings as JSON)
 * and `keikai cpe match SOURCE TARGET` (the IR 7696 relation, one word).
 */
#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "std/cpe.h"
#include <stdio.h>
#include <string.h>

struct name {
	struct kk_cpe c;
	char store[KK_CPE_STORE(KK_CPE_MAX_LEN)];
};

/* Parses s or prints why (exit code 1). */
static int parse(const char *cmd, const char *s, struct name *n)
{
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_cpe_parse(s, strlen(s), &n->c, n->store, sizeof(n->store), &d))
		return cli_error("%s: '%s' is not a valid CPE name: %s (%s)", cmd, s, d.msg, d.where);
	return 0;
}

int cmd_cpe_parse(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc != 2)
		return cli_usage("cpe parse", "give one CPE name, e.g. cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*");
	static struct name n;
	if (parse("cpe parse", argv[1], &n))
		return KK_EXIT_FAIL;
	static char fs[4 * KK_CPE_MAX_LEN + 256], uri[4 * KK_CPE_MAX_LEN + 256], wfn[4 * KK_CPE_MAX_LEN + 256];
	if (kk_cpe_bind_fs(&n.c, fs, sizeof(fs)) < 0 || kk_cpe_bind_uri(&n.c, uri, sizeof(uri)) < 0 ||
	    kk_cpe_bind_wfn(&n.c, wfn, sizeof(wfn)) < 0)
		return cli_error("cpe parse: '%s' binds to more than %zu bytes", argv[1], sizeof(fs));
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_obj_open(&j);
	kk_json_kv_str(&j, "input", argv[1]);
	kk_json_key(&j, "attributes");
	kk_json_obj_open(&j);
	for (int a = 0; a < KK_CPE_NATTR; a++) {
		const struct kk_cpe_val *v = &n.c.a[a];
		kk_json_key(&j, kk_cpe_attr_name((enum kk_cpe_attr)a));
		if (v->kind == KK_CPE_VALUE)
			kk_json_strn(&j, v->ptr, v->len);
		else
			kk_json_str(&j, v->kind == KK_CPE_ANY ? "ANY" : "NA");
	}
	kk_json_obj_close(&j);
	kk_json_kv_str(&j, "wfn", wfn);
	kk_json_kv_str(&j, "formatted", fs);
	kk_json_kv_str(&j, "uri", uri);
	kk_json_obj_close(&j);
	int rc = kk_json_error(&j);
	if (!rc)
		printf("%s\n", b.ptr);
	kk_buf_release(&b);
	return rc ? cli_error("cpe parse: cannot format the answer: %s", kk_err_msg(rc)) : KK_EXIT_OK;
}

int cmd_cpe_match(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc != 3)
		return cli_usage("cpe match", "give SOURCE and TARGET CPE names");
	static struct name s, t;
	if (parse("cpe match", argv[1], &s) || parse("cpe match", argv[2], &t))
		return KK_EXIT_FAIL;
	printf("%s\n", kk_cpe_rel_name(kk_cpe_compare(&s.c, &t.c)));
	return KK_EXIT_OK;
}
