/*
 * pgp.c — OpenPGP encryption of outgoing mail with gpgme. Each operation
 * uses its own throwaway GNUPGHOME: import the recipient's key, encrypt with
 * always-trust, remove the directory — no keyring outlives a mail.
 */
#include "mail/mail.h"
#include <ftw.h>
#include <gpgme.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_BEGIN "-----BEGIN PGP PUBLIC KEY BLOCK-----"
#define KEY_END "-----END PGP PUBLIC KEY BLOCK-----"

bool kk_mail_pgp_key_plausible(const char *s)
{
	const char *b = s ? strstr(s, KEY_BEGIN) : NULL;
	return b && strstr(b + strlen(KEY_BEGIN), KEY_END) != NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_gpgme(void)
{
	gpgme_check_version(NULL);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int fail(struct kk_diag *d, const char *what, gpgme_error_t e)
{
	return kk_diag_set(d, KK_ECRYPTO, "pgp_key", "PGP: %s: %s", what, gpgme_strerror(e));
}

int kk_mail_pgp_encrypt(const char *armored_key, const char *plain, size_t n, struct kk_buf *out,
			struct kk_diag *d)
{
	pthread_once(&init_once, init_gpgme);
	const char *tmp = getenv("TMPDIR");
	char home[512];
	snprintf(home, sizeof(home), "%s/kk-gnupg-XXXXXX", tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");
	if (!mkdtemp(home))
		return kk_diag_set(d, KK_EIO, "pgp_key", "PGP: cannot make a temporary GNUPGHOME under %s",
				   tmp ? tmp : "/tmp");
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t kd = NULL, in = NULL, cipher = NULL;
	gpgme_key_t key = NULL;
	gpgme_error_t e;
	int rc = 0;
	if ((e = gpgme_new(&ctx))) {
		rc = fail(d, "cannot start gpgme", e);
		goto done;
	}
	if ((e = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP)) ||
	    (e = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home))) {
		rc = fail(d, "no OpenPGP engine (is gnupg installed?)", e);
		goto done;
	}
	gpgme_set_armor(ctx, 1);
	if ((e = gpgme_data_new_from_mem(&kd, armored_key, strlen(armored_key), 0)) || (e = gpgme_op_import(ctx, kd))) {
		rc = fail(d, "cannot import the recipient's key", e);
		goto done;
	}
	gpgme_import_result_t ir = gpgme_op_import_result(ctx);
	/* The first imported key that can encrypt. */
	for (gpgme_import_status_t is = ir ? ir->imports : NULL; is && !key; is = is->next) {
		gpgme_key_t k;
		if (is->result || !is->fpr || gpgme_get_key(ctx, is->fpr, &k, 0))
			continue;
		if (k->can_encrypt && !k->revoked && !k->expired && !k->disabled && !k->invalid)
			key = k;
		else
			gpgme_key_unref(k);
	}
	if (!key) {
		rc = kk_diag_set(d, KK_ECRYPTO, "pgp_key",
				 "PGP: the recipient's key block holds no usable encryption key (expired, revoked or "
				 "not an OpenPGP public key)");
		goto done;
	}
	gpgme_key_t keys[2] = {key, NULL};
	if ((e = gpgme_data_new_from_mem(&in, plain, n, 0)) || (e = gpgme_data_new(&cipher))) {
		rc = fail(d, "out of memory", e);
		goto done;
	}
	if ((e = gpgme_op_encrypt(ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST, in, cipher))) {
		rc = fail(d, "encryption failed", e);
		goto done;
	}
	size_t len = 0;
	char *p = gpgme_data_release_and_get_mem(cipher, &len);
	cipher = NULL;
	if (!p) {
		rc = kk_diag_set(d, KK_ENOMEM, "pgp_key", "PGP: out of memory");
		goto done;
	}
	rc = kk_buf_add(out, p, len);
	gpgme_free(p);
done:
	if (key)
		gpgme_key_unref(key);
	if (kd)
		gpgme_data_release(kd);
	if (in)
		gpgme_data_release(in);
	if (cipher)
		gpgme_data_release(cipher);
	if (ctx)
		gpgme_release(ctx);
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
