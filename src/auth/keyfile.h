/*
 * keyfile.h — keikai's secret key and sealing with it.
 *
 * The key is 32 random bytes in a file of its own (mode 0600), never in the
 * database: a stolen database copy alone reveals nothing sealed. By default
 * the file sits beside the database as "<db path>.key"; --key-file PATH or
 * $KEIKAI_KEY_FILE choose another place. `keikai init` creates it.
 *
 * Sealed data (finder identities and the like, later issues) is
 * nonce (24 bytes) || crypto_secretbox_easy(plain) — XSalsa20-Poly1305 —
 * so tampering or a wrong key is detected (KK_ECRYPTO).
 */
#ifndef KK_AUTH_KEYFILE_H
#define KK_AUTH_KEYFILE_H
#include "base/buf.h"
#include "base/err.h"
#include <stdbool.h>
#include <stddef.h>

#define KK_KEY_BYTES 32
/* Bytes a sealed value is longer than its plain text (nonce + MAC). */
#define KK_SEAL_OVERHEAD 40

/*
 * The key file path for a database: `explicit` when not NULL/empty, else
 * $KEIKAI_KEY_FILE when set, else db_path + ".key". Writes into out (n
 * bytes); KK_ETOOBIG if it does not fit.
 */
int kk_keyfile_path(const char *db_path, const char *explicit_path, char *out, size_t n);
/*
 * Creates the key file with 32 fresh random bytes (O_EXCL, mode 0600) when
 * missing; *created tells whether it did. An existing file is checked (it
 * must hold exactly 32 bytes). 0, KK_EIO (message in d), KK_EINVAL.
 */
int kk_keyfile_create(const char *path, bool *created, struct kk_diag *d);
/*
 * Reads the key. Refuses a file readable or writable by group/others
 * (KK_EPERM: "chmod 600 PATH") or not exactly 32 bytes (KK_EINVAL);
 * KK_ENOTFOUND when missing ("run 'keikai init'"). d (may be NULL) says which.
 */
int kk_keyfile_load(const char *path, unsigned char key[KK_KEY_BYTES], struct kk_diag *d);

/* Appends the sealed form of plain (n bytes) to out. 0, KK_ENOMEM, KK_ETOOBIG. */
int kk_seal(const unsigned char key[KK_KEY_BYTES], const void *plain, size_t n, struct kk_buf *out);
/* Appends the plain text of sealed (n bytes) to out. KK_ECRYPTO when forged, truncated or another key. */
int kk_unseal(const unsigned char key[KK_KEY_BYTES], const void *sealed, size_t n, struct kk_buf *out);

#endif
