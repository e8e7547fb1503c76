/*
 * parse.c — readers of upstream lists, pages and our cursors (parse.h).
 */
#include "sync/parse.h"
#include "base/clock.h"
#include "base/str.h"
#include <stdio.h>
#include <string.h>

int kk_osv_mark_cmp(const struct kk_osv_mark *a, const struct kk_osv_mark *b)
{
	int c = strcmp(a->m, b->m);
	return c ? c : strcmp(a->id, b->id);
}

static int id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == ':' || c == '-';
}

int kk_osv_mark_line(const char *line, struct kk_osv_mark *mk, const char **why)
{
	const char *comma = strchr(line, ',');
	if (!comma) {
		*why = "expected MODIFIED,ID";
		return KK_EPARSE;
	}
	size_t ml = (size_t)(comma - line);
	const char *id = comma + 1;
	size_t il = strlen(id);
	if (!ml || ml >= sizeof mk->m) {
		*why = "the modified time is missing or too long";
		return KK_EPARSE;
	}
	memcpy(mk->m, line, ml);
	mk->m[ml] = 0;
	int64_t t;
	if (ml < 20 || mk->m[4] != '-' || mk->m[10] != 'T' || kk_time_parse(mk->m, &t) || strchr(mk->m, ' ')) {
		*why = "the modified time is not an RFC 3339 time";
		return KK_EPARSE;
	}
	if (!il || il >= sizeof mk->id || id[0] == '.') {
		*why = "the id is missing, too long or starts with '.'";
		return KK_EPARSE;
	}
	for (size_t i = 0; i < il; i++)
		if (!id_char(id[i])) {
			*why = "the id holds a character other than letters, digits, '.', '_', ':' and '-'";
			return KK_EPARSE;
		}
	memcpy(mk->id, id, il + 1);
	return 0;
}

/* A field of the cursor: absent is 0; else a non-negative integer. */
static int cursor_field(json_t *j, const char *key, int64_t *out)
{
	json_t *v = json_object_get(j, key);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return KK_EPARSE;
	*out = json_integer_value(v);
	return 0;
}

int kk_nvd_cursor_read(const char *text, struct kk_nvd_cursor *c, const char **why)
{
	memset(c, 0, sizeof *c);
	if (!text[0])
		return 0;
	json_t *j = json_loads(text, 0, NULL);
	int rc = 0;
	int64_t index = 0;
	if (!json_is_object(j)) {
		*why = "not a JSON object";
		rc = KK_EPARSE;
	} else if (cursor_field(j, "since", &c->since)) {
		*why = "/since is not a non-negative integer (seconds)";
		rc = KK_EPARSE;
	} else if (cursor_field(j, "until", &c->until)) {
		*why = "/until is not a non-negative integer (seconds)";
		rc = KK_EPARSE;
	} else if (cursor_field(j, "index", &index) || index > 1000000000) {
		*why = "/index is not a non-negative integer";
		rc = KK_EPARSE;
	} else if (c->until && (c->until <= c->since || (c->since && c->until - c->since > KK_NVD_WINDOW_MAX))) {
		*why = "/until does not end a window of at most 120 days after /since";
		rc = KK_EPARSE;
	}
	json_decref(j);
	c->index = (long)index;
	if (rc)
		memset(c, 0, sizeof *c);
	return rc;
}

void kk_nvd_cursor_write(const struct kk_nvd_cursor *c, char *out, size_t n)
{
	if (c->until)
		snprintf(out, n, "{\"since\":%lld,\"until\":%lld,\"index\":%ld}", (long long)c->since,
		         (long long)c->until, c->index);
	else
		snprintf(out, n, "{\"since\":%lld}", (long long)c->since);
}

int kk_nvd_page_read(json_t *page, struct kk_nvd_page *p, const char **field, const char **why)
{
	memset(p, 0, sizeof *p);
	json_t *total = json_object_get(page, "totalResults");
	json_t *items = json_object_get(page, "vulnerabilities");
	if (!json_is_integer(total) || json_integer_value(total) < 0) {
		*field = "/totalResults";
		*why = "not a non-negative integer";
		return KK_EPARSE;
	}
	if (!json_is_array(items)) {
		*field = "/vulnerabilities";
		*why = "not an array";
		return KK_EPARSE;
	}
	p->total = (long)json_integer_value(total);
	p->n = (long)json_array_size(items);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *st = json_string_value(json_object_get(json_object_get(it, "cve"), "vulnStatus"));
		p->rejected += st && !strcmp(st, "Rejected");
	}
	return 0;
}
