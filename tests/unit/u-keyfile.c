/* u-keyfile.c — the secret key file (create, mode, load) and sealing with it. */
#include "testutil.h"
#include "auth/keyfile.h"
#include "base/buf.h"
#include "base/rand.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_path(void **state)
{
	(void)state;
	char p[64];
	unsetenv("KEIKAI_KEY_FILE");
	assert_int_equal(kk_keyfile_path("var/keikai.db", NULL, p, sizeof(p)), 0);
	assert_string_equal(p, "var/keikai.db.key");
	setenv("KEIKAI_KEY_FILE", "/etc/keikai/key", 1);
	assert_int_equal(kk_keyfile_path("var/keikai.db", "", p, sizeof(p)), 0);
	assert_string_equal(p, "/etc/keikai/key");
	assert_int_equal(kk_keyfile_path("var/keikai.db", "/k", p, sizeof(p)), 0);
	assert_string_equal(p, "/k");
	unsetenv("KEIKAI_KEY_FILE");
	assert_int_equal(kk_keyfile_path("a-very-long-database-path-that-does-not-fit-in-the-buffer.db", NULL, p, 16),
			 KK_ETOOBIG);
}

static void test_create_load(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/k.key", tu_tmpdir());
	unsigned char k1[KK_KEY_BYTES], k2[KK_KEY_BYTES];
	struct kk_diag d;
	kk_diag_clear(&d);
	assert_int_equal(kk_keyfile_load(path, k1, &d), KK_ENOTFOUND);
	assert_non_null(strstr(d.msg, "run 'keikai init'"));
	bool created;
	assert_int_equal(kk_keyfile_create(path, &created, &d), 0);
	assert_true(created);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, KK_KEY_BYTES);
	assert_int_equal(kk_keyfile_load(path, k1, &d), 0);
	/* a second create keeps the key */
	assert_int_equal(kk_keyfile_create(path, &created, &d), 0);
	assert_false(created);
	assert_int_equal(kk_keyfile_load(path, k2, &d), 0);
	assert_memory_equal(k1, k2, KK_KEY_BYTES);
	/* readable by others: refused with the fix */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(kk_keyfile_load(path, k2, &d), KK_EPERM);
	assert_non_null(strstr(d.msg, "chmod 600"));
	assert_int_equal(chmod(path, 0600), 0);
	/* wrong size */
	FILE *f = fopen(path, "ab");
	fputc('x', f);
	fclose(f);
	assert_int_equal(kk_keyfile_load(path, k2, &d), KK_EINVAL);
	assert_int_equal(kk_keyfile_create(path, &created, &d), KK_EINVAL);
	/* a directory that does not exist */
	snprintf(path, sizeof(path), "/nonexistent-dir-for-keikai/k.key");
	assert_int_equal(kk_keyfile_create(path, &created, &d), KK_EIO);
	assert_false(created);
}

static void test_seal(void **state)
{
	(void)state;
	unsigned char key[KK_KEY_BYTES], other[KK_KEY_BYTES];
	kk_random_bytes(key, sizeof(key));
	kk_random_bytes(other, sizeof(other));
	const char *msg = "finder: 山田太郎 <taro@example.jp>";
	struct kk_buf sealed = KK_BUF_INIT(0), plain = KK_BUF_INIT(0), again = KK_BUF_INIT(0);
	assert_int_equal(kk_seal(key, msg, strlen(msg), &sealed), 0);
	assert_int_equal(sealed.len, strlen(msg) + KK_SEAL_OVERHEAD);
	assert_null(memmem(sealed.ptr, sealed.len, "taro", 4));
	assert_int_equal(kk_seal(key, msg, strlen(msg), &again), 0);
	assert_memory_not_equal(sealed.ptr, again.ptr, sealed.len); /* fresh nonce each time */
	assert_int_equal(kk_unseal(key, sealed.ptr, sealed.len, &plain), 0);
	assert_string_equal(plain.ptr, msg);
	kk_buf_reset(&plain);
	assert_int_equal(kk_unseal(other, sealed.ptr, sealed.len, &plain), KK_ECRYPTO);
	sealed.ptr[sealed.len - 1] ^= 1;
	assert_int_equal(kk_unseal(key, sealed.ptr, sealed.len, &plain), KK_ECRYPTO);
	assert_int_equal(kk_unseal(key, sealed.ptr, KK_SEAL_OVERHEAD - 1, &plain), KK_ECRYPTO);
	assert_int_equal(plain.len, 0);
	/* empty plain text round-trips */
	kk_buf_reset(&again);
	assert_int_equal(kk_seal(key, "", 0, &again), 0);
	assert_int_equal(kk_unseal(key, again.ptr, again.len, &plain), 0);
	assert_int_equal(plain.len, 0);
	/* the cap of the output buffer holds */
	struct kk_buf small = KK_BUF_INIT(10);
	assert_int_equal(kk_seal(key, msg, strlen(msg), &small), KK_ETOOBIG);
	kk_buf_release(&small);
	kk_buf_release(&sealed);
	kk_buf_release(&plain);
	kk_buf_release(&again);
}

int main(void)
{
	if (kk_random_init())
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_create_load),
		cmocka_unit_test(test_seal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
