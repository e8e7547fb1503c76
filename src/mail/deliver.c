/*
 * deliver.c — the two transports: a maildir (tmp/ then rename into new/,
 * for development and tests) and SMTP through libcurl (STARTTLS or TLS,
 * optional AUTH).
 */
#include "base/clock.h"
#include "base/rand.h"
#include "base/str.h"
#include "mail/mail.h"
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_p(const char *path)
{
	char p[1100];
	if (kk_strlcpy(p, path, sizeof(p)) >= sizeof(p))
		return -1;
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0700) && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(p, 0700) && errno != EEXIST ? -1 : 0;
}

int kk_mail_maildir_write(const char *maildir, const char *msg, size_t n, struct kk_diag *d)
{
	char dir[1100], tmp[1200], dst[1200], name[96];
	static const char *const sub[] = {"tmp", "new", "cur"};
	for (int i = 0; i < 3; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", maildir, sub[i]);
		if (strlen(maildir) > 1000 || mkdir_p(dir))
			return kk_diag_set(d, KK_EIO, "maildir", "cannot create maildir folder %s: %s", dir,
					   strerror(errno));
	}
	char rnd[17];
	kk_random_hex(rnd, 8);
	snprintf(name, sizeof(name), "%lld.%s.keikai", (long long)kk_clock_now(), rnd);
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s", maildir, name);
	snprintf(dst, sizeof(dst), "%s/new/%s", maildir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return kk_diag_set(d, KK_EIO, "maildir", "cannot create %s: %s", tmp, strerror(errno));
	/* Maildir files use the local line end: CRLF becomes LF. */
	int rc = 0;
	size_t i = 0;
	while (i < n && !rc) {
		size_t j = i;
		while (j < n && !(msg[j] == '\r' && j + 1 < n && msg[j + 1] == '\n'))
			j++;
		if (write(fd, msg + i, j - i) != (ssize_t)(j - i))
			rc = -1;
		i = j < n ? j + 1 : j; /* skip the CR; the LF starts the next chunk */
	}
	if (rc || fsync(fd) || close(fd)) {
		int e = errno;
		if (!rc)
			fd = -1;
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return kk_diag_set(d, KK_EIO, "maildir", "cannot write %s: %s", tmp, strerror(e));
	}
	if (rename(tmp, dst)) {
		int e = errno;
		unlink(tmp);
		return kk_diag_set(d, KK_EIO, "maildir", "cannot move the message into %s/new: %s", maildir,
				   strerror(e));
	}
	return 0;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void init_curl(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int kk_mail_smtp_send(const struct kk_mail_config *c, const char *to, const char *msg, size_t n,
		      struct kk_diag *d)
{
	pthread_once(&curl_once, init_curl);
	CURL *h = curl_easy_init();
	if (!h)
		return kk_diag_set(d, KK_ENOMEM, "smtp", "cannot start libcurl");
	char from[KK_MAIL_ADDR_MAX + 3], rcpt[KK_MAIL_ADDR_MAX + 3], errbuf[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof(from), "<%s>", c->from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct reader r = {msg, n};
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (!strncmp(c->smtp_url, "smtp://", 7))
		curl_easy_setopt(h, CURLOPT_USE_SSL, !strcmp(c->starttls, "required") ? (long)CURLUSESSL_ALL
						      : !strcmp(c->starttls, "try")    ? (long)CURLUSESSL_TRY
										       : (long)CURLUSESSL_NONE);
	if (c->smtp_user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
	}
	CURLcode cc = rcpts ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY;
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	if (cc == CURLE_OK)
		return 0;
	return kk_diag_set(d, KK_EIO, "smtp", "SMTP delivery through %s failed: %s", c->smtp_url,
			   errbuf[0] ? errbuf : curl_easy_strerror(cc));
}
