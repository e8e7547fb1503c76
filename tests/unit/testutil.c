/* testutil.c — helpers shared by the unit tests. */
#include "testutil.h"
#include "base/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tu_shared(const char *rel)
{
	static char path[4096];
	const char *root = getenv("KEIKAI_SHARED");
	snprintf(path, sizeof(path), "%s/data/%s", root && *root ? root : "../shared", rel);
	return path;
}

char *tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run tests from the project root, with ../shared beside it)", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = kk_malloc((size_t)n + 1);
	assert_non_null(buf);
	size_t got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[got] = 0;
	if (len)
		*len = got;
	return buf;
}

const char *tu_tmpdir(void)
{
	static char dir[256];
	snprintf(dir, sizeof(dir), "/tmp/kk-unit-XXXXXX");
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	return dir;
}
