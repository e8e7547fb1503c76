/*
 * keyfile.c — the secret key file (32 random bytes, mode 0600, beside the
 * database) and sealing with crypto_secretbox_easy.
 */
#include "auth/keyfile.h"
#include "base/err.h"
#include "base/rand.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(KK_KEY_BYTES == crypto_secretbox_KEYBYTES, "key size");
_Static_assert(KK_SEAL_OVERHEAD == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES, "seal overhead");

int kk_keyfile_path(const char *db_path, const char *explicit_path, char *out, size_t n)
{
	const char *env = getenv("KEIKAI_KEY_FILE");
	int len;
	if (explicit_path && *explicit_path)
		len = snprintf(out, n, "%s", explicit_path);
	else if (env && *env)
		len = snprintf(out, n, "%s", env);
	else
		len = snprintf(out, n, "%s.key", db_path ? db_path : "var/keikai.db");
	return len < 0 || (size_t)len >= n ? KK_ETOOBIG : 0;
}

/* Reads exactly KK_KEY_BYTES from fd; KK_EINVAL if the file holds another amount. */
static int read_key(int fd, unsigned char key[KK_KEY_BYTES])
{
	size_t got = 0;
	unsigned char extra;
	while (got < KK_KEY_BYTES) {
		ssize_t r = read(fd, key + got, KK_KEY_BYTES - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? KK_EIO : KK_EINVAL;
		got += (size_t)r;
	}
	ssize_t r;
	while ((r = read(fd, &extra, 1)) < 0 && errno == EINTR)
		;
	return r == 0 ? 0 : r < 0 ? KK_EIO : KK_EINVAL;
}

int kk_keyfile_load(const char *path, unsigned char key[KK_KEY_BYTES], struct kk_diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return kk_diag_set(d, KK_ENOTFOUND, path,
					   "no key file at %s; run 'keikai init' (or point --key-file/$KEIKAI_KEY_FILE "
					   "at it)",
					   path);
		return kk_diag_set(d, KK_EIO, path, "cannot open key file %s: %s", path, strerror(errno));
	}
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return kk_diag_set(d, KK_EIO, path, "key file %s is not a regular file", path);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return kk_diag_set(d, KK_EPERM, path,
				   "key file %s can be read by others (mode %03o); run 'chmod 600 %s'", path,
				   (unsigned)(sb.st_mode & 0777), path);
	}
	int rc = read_key(fd, key);
	close(fd);
	if (rc) {
		sodium_memzero(key, KK_KEY_BYTES);
		return kk_diag_set(d, rc, path,
				   rc == KK_EINVAL ? "key file %s does not hold exactly 32 bytes; restore it from a backup"
						   : "cannot read key file %s",
				   path);
	}
	return 0;
}

int kk_keyfile_create(const char *path, bool *created, struct kk_diag *d)
{
	*created = false;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		if (errno == EEXIST) {
			unsigned char key[KK_KEY_BYTES];
			int rc = kk_keyfile_load(path, key, d);
			sodium_memzero(key, sizeof(key));
			return rc;
		}
		return kk_diag_set(d, KK_EIO, path, "cannot create key file %s: %s", path, strerror(errno));
	}
	unsigned char key[KK_KEY_BYTES];
	kk_random_bytes(key, sizeof(key));
	size_t done = 0;
	while (done < sizeof(key)) {
		ssize_t w = write(fd, key + done, sizeof(key) - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	sodium_memzero(key, sizeof(key));
	int bad = done != sizeof(key) || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad) {
		int e = errno;
		unlink(path);
		return kk_diag_set(d, KK_EIO, path, "cannot write key file %s: %s", path, strerror(e));
	}
	*created = true;
	return 0;
}

int kk_seal(const unsigned char key[KK_KEY_BYTES], const void *plain, size_t n, struct kk_buf *out)
{
	int rc = kk_buf_grow(out, n + KK_SEAL_OVERHEAD);
	if (rc)
		return rc;
	unsigned char *p = (unsigned char *)out->ptr + out->len;
	kk_random_bytes(p, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES, plain, n, p, key);
	out->len += n + KK_SEAL_OVERHEAD;
	out->ptr[out->len] = 0;
	return 0;
}

int kk_unseal(const unsigned char key[KK_KEY_BYTES], const void *sealed, size_t n, struct kk_buf *out)
{
	if (n < KK_SEAL_OVERHEAD)
		return KK_ECRYPTO;
	size_t plain = n - KK_SEAL_OVERHEAD;
	int rc = kk_buf_grow(out, plain);
	if (rc)
		return rc;
	const unsigned char *s = sealed;
	unsigned char *p = (unsigned char *)out->ptr + out->len;
	if (crypto_secretbox_open_easy(p, s + crypto_secretbox_NONCEBYTES, n - crypto_secretbox_NONCEBYTES, s, key))
		return KK_ECRYPTO;
	out->len += plain;
	out->ptr[out->len] = 0;
	return 0;
}
