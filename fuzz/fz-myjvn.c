/*
 * fz-myjvn.c — libFuzzer harness for the MyJVN API (vulndb/myjvn.h): the
 * input is a query string (name=value pairs joined by '&', not decoded)
 * answered against a small database. Every answer must be produced (never
 * an error but out of memory) and be well-formed XML, or valid JSON with
 * ft=json; the date and parameter parsing must never read out of bounds.
 */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "vulndb/myjvn.h"
#include "vulndb/search.h"
#include <jansson.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kk_db *db;

static void open_db(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fz-myjvn-%d.db", (int)getpid());
	remove(path);
	struct kk_diag d;
	kk_diag_clear(&d);
	if (kk_db_open(path, KK_DB_CREATE, &db) || kk_migrate_run(db, path, NULL, NULL, NULL, &d) < 0)
		abort();
	static const char *const rows[][3] = {
	    {"JVNDB-2024-000001", "ja", "認証回避の脆弱性 <b>&amp; \x01"},
	    {"JVNDB-2024-000002", "en", "Router cross-site scripting"},
	    {"JVNDB-2024-000003", "en", "Weak encryption (暗号化) in Example-Mail 2.0"},
	};
	for (int i = 0; i < 3; i++)
		if (kk_db_exec(db,
		               "INSERT INTO vuln (id, jvndb, published, modified, public_date, score, severity, "
		               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
		               "isiiidi", (int64_t)i + 1, rows[i][0], (int64_t)1700000000 + i * 8640000,
		               (int64_t)1710000000 + i * 86400, (int64_t)1700000000 + i * 8640000, 5.0 + i,
		               (int64_t)2 + i) != 1 ||
		    kk_db_exec(db, "INSERT INTO vuln_text (vuln_id, src, lang, kind, text) VALUES (?, 0, ?, 'title', ?)",
		               "iss", (int64_t)i + 1, rows[i][1], rows[i][2]) != 1 ||
		    kk_db_exec(db, "INSERT INTO vuln_cwe (vuln_id, src, cwe) VALUES (?, 0, ?)", "ii", (int64_t)i + 1,
		               (int64_t)79 + i) != 1 ||
		    kk_db_exec(db,
		               "INSERT INTO vuln_cpe (vuln_id, src, cfg, node, cpe23, vendor, product, version, end_excl) "
		               "VALUES (?, 0, 0, 0, 'cpe:2.3:a:example:mail:2.0:beta\\:1:*:*:*:*:*:*', 'example', 'mail', "
		               "'2.0', '2.1')",
		               "i", (int64_t)i + 1) != 1 ||
		    kk_db_exec(db,
		               "INSERT INTO vuln_cvss (vuln_id, src, version, vector, score, severity) VALUES "
		               "(?, 0, '3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 4)",
		               "i", (int64_t)i + 1) != 1 ||
		    kk_db_exec(db, "INSERT INTO vuln_alias (alias, vuln_id) VALUES (?, ?)", "si",
		               i == 0 ? "CVE-2024-0001" : i == 1 ? "CVE-2024-0002" : "GHSA-xxxx", (int64_t)i + 1) != 1)
			abort();
	if (kk_search_reindex_all(db, NULL))
		abort();
	remove(path); /* the open connection keeps it */
}

struct pairs {
	int n;
	char *name[64], *value[64];
};

static const char *get(void *arg, const char *name)
{
	struct pairs *p = arg;
	for (int k = 0; k < p->n; k++)
		if (!strcmp(p->name[k], name))
			return p->value[k];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_db();
	if (size > 4096)
		return 0;
	char *s = kk_malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	struct pairs p = {.n = 0};
	for (char *t = s; *t && p.n < 64;) {
		char *amp = strchr(t, '&');
		if (amp)
			*amp = 0;
		char *eq = strchr(t, '=');
		if (eq) {
			*eq = 0;
			p.name[p.n] = t;
			p.value[p.n++] = eq + 1;
		}
		if (!amp)
			break;
		t = amp + 1;
	}
	struct kk_buf out = KK_BUF_INIT(64 << 20);
	struct kk_myjvn_answer ans;
	int rc = kk_myjvn_answer(db, get, &p, "http://fuzz.example", 1735689600, &out, &ans);
	if (rc < 0 && rc != KK_ENOMEM)
		abort();
	if (!rc) {
		if (ans.http_status == 500)
			abort(); /* the database must never fail on a request */
		if (!strcmp(ans.type, "application/json")) {
			json_error_t e;
			json_t *j = json_loadb(out.ptr, out.len, 0, &e);
			if (!j) {
				fprintf(stderr, "not JSON (%s):\n%s\n", e.text, out.ptr);
				abort();
			}
			json_decref(j);
		} else {
			xmlDocPtr doc = xmlReadMemory(out.ptr, (int)out.len, "answer.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
			if (!doc) {
				fprintf(stderr, "not well-formed XML:\n%s\n", out.ptr);
				abort();
			}
			xmlFreeDoc(doc);
		}
	}
	kk_buf_release(&out);
	kk_free(s);
	return 0;
}
