/* err.c — names, messages and HTTP statuses of the codes in err.def. */
#include "base/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct err_row {
	const char *code;
	int http;
	const char *msg;
};

static const struct err_row rows[] = {
#define X(name, code, http, msg) {code, http, msg},
#include "base/err.def"
#undef X
};

static const struct err_row *row(int err)
{
	if (err <= KK_E__FIRST || err >= KK_E__LAST)
		return NULL;
	return &rows[err - KK_E__FIRST - 1];
}

const char *kk_err_code(int err)
{
	if (err >= 0)
		return "ok";
	const struct err_row *r = row(err);
	return r ? r->code : "unknown";
}

const char *kk_err_msg(int err)
{
	if (err >= 0)
		return "success";
	const struct err_row *r = row(err);
	return r ? r->msg : "unknown error";
}

int kk_err_http(int err)
{
	if (err >= 0)
		return 200;
	const struct err_row *r = row(err);
	return r ? r->http : 500;
}

void kk_diag_clear(struct kk_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}

int kk_diag_set(struct kk_diag *d, int code, const char *where, const char *fmt, ...)
{
	if (!d)
		return code;
	d->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	snprintf(d->where, sizeof(d->where), "%s", where ? where : "");
	return code;
}
