/* log.c — timestamped, leveled, one write(2) per line. */
#include "base/log.h"
#include "base/clock.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int min_level = -1;

void kk_log_set_level(enum kk_log_level level)
{
	atomic_store(&min_level, (int)level);
}

static int level_now(void)
{
	int l = atomic_load(&min_level);
	if (l >= 0)
		return l;
	const char *e = getenv("KEIKAI_LOG");
	l = KK_LOG_INFO;
	if (e && !strcmp(e, "debug"))
		l = KK_LOG_DEBUG;
	else if (e && !strcmp(e, "warn"))
		l = KK_LOG_WARN;
	else if (e && !strcmp(e, "error"))
		l = KK_LOG_ERROR;
	atomic_store(&min_level, l);
	return l;
}

void kk_log(enum kk_log_level level, const char *fmt, ...)
{
	if ((int)level < level_now())
		return;
	static const char *names[] = {"debug", "info", "warn", "error"};
	char line[2048];
	char ts[32];
	kk_time_iso(kk_clock_now(), ts, sizeof(ts));
	int n = snprintf(line, sizeof(line), "%s %s ", ts, names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	for (size_t i = (size_t)n; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' '; /* one event, one line: no log injection */
	line[len++] = '\n';
	ssize_t w = write(2, line, len);
	(void)w;
}
