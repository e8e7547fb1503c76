/*
 * cmd_purl.c — `keikai purl parse PURL`: components and canonical form as JSON.
 */
#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "std/purl.h"
#include <stdio.h>
#include <string.h>

static void kv_slice(struct kk_json *j, const char *key, struct kk_str s)
{
	kk_json_key(j, key);
	if (s.ptr)
		kk_json_strn(j, s.ptr, s.len);
	else
		kk_json_null(j);
}

int cmd_purl_parse(struct kk_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc != 2)
		return cli_usage("purl parse", "give one package URL, e.g. pkg:npm/lodash@4.17.21");
	static struct kk_purl p;
	static char store[KK_PURL_MAX_LEN], canon[4 * KK_PURL_MAX_LEN];
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_purl_parse(argv[1], strlen(argv[1]), &p, store, sizeof(store), &d))
		return cli_error("purl parse: %s (%s)", d.msg, d.where);
	if (kk_purl_build(&p, canon, sizeof(canon)) < 0)
		return cli_error("purl parse: the canonical form of '%s' is too long", argv[1]);
	struct kk_buf b = KK_BUF_INIT(1 << 20);
	struct kk_json j;
	kk_json_init(&j, &b);
	kk_json_obj_open(&j);
	kv_slice(&j, "type", p.type);
	kv_slice(&j, "namespace", p.namespace);
	kv_slice(&j, "name", p.name);
	kv_slice(&j, "version", p.version);
	kk_json_key(&j, "qualifiers");
	if (!p.nqualifiers) {
		kk_json_null(&j);
	} else {
		kk_json_obj_open(&j);
		for (size_t i = 0; i < p.nqualifiers; i++) {
			char key[256];
			size_t n = p.qualifiers[i].key.len < sizeof(key) - 1 ? p.qualifiers[i].key.len : sizeof(key) - 1;
			memcpy(key, p.qualifiers[i].key.ptr, n);
			key[n] = 0;
			kv_slice(&j, key, p.qualifiers[i].value);
		}
		kk_json_obj_close(&j);
	}
	kv_slice(&j, "subpath", p.subpath);
	kk_json_kv_str(&j, "canonical", canon);
	kk_json_obj_close(&j);
	int rc = kk_json_error(&j);
	if (!rc)
		printf("%s\n", b.ptr);
	kk_buf_release(&b);
	return rc ? cli_error("purl parse: cannot format the answer: %s", kk_err_msg(rc)) : KK_EXIT_OK;
}
