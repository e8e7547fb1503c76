/*
 * testutil.h — helpers shared by the unit tests (cmocka).
 * Tests read real data from ../shared/data relative to the project root;
 * tests/run starts them from the root.
 */
#ifndef KK_TESTUTIL_H
#define KK_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a file under ../shared/data (or $KEIKAI_SHARED/data), static buffer. */
const char *tu_shared(const char *rel);
/* Reads a whole file into a kk_malloc'd NUL-terminated buffer; fails the test if missing. */
char *tu_slurp(const char *path, size_t *len);
/* A fresh temporary directory (removed by the OS's tmp cleaning; tests keep it small). */
const char *tu_tmpdir(void);

#endif
