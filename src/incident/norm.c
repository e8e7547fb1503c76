/*
 * norm.c — the URLs, domains and IP addresses of incident reports, checked
 * and written one way (incident.h kk_incident_norm_*), so two reports naming
 * one site meet on the same text.
 */
#include "incident/incident.h"
#include "base/str.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

/* Copies s to out (n bytes) with defanging undone: "[.]" "(.)" "[dot]" -> ".", "hxxp" -> "http". */
static int refang(const char *s, char *out, size_t n)
{
	size_t o = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	/* hxxp:// and hxxps:// only: a domain may itself begin with "hxxp" (fz-incident) */
	if (!strncasecmp(s, "hxxp", 4) && (s[4] == ':' || ((s[4] == 's' || s[4] == 'S') && s[5] == ':'))) {
		if (n < 5)
			return KK_EINVAL;
		memcpy(out, "http", 4);
		o = 4;
		s += 4;
	}
	for (; *s; s++) {
		if (o + 1 >= n)
			return KK_EINVAL;
		if (!strncmp(s, "[.]", 3) || !strncmp(s, "(.)", 3)) {
			out[o++] = '.';
			s += 2;
		} else if (!strncmp(s, "[dot]", 5)) {
			out[o++] = '.';
			s += 4;
		} else {
			out[o++] = *s;
		}
	}
	while (o && (out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '\r' || out[o - 1] == '\n'))
		o--;
	out[o] = 0;
	return o ? 0 : KK_EINVAL;
}

static char lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static int norm_domain(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);
	if (len && s[len - 1] == '.')
		len--;
	if (!len || len > 253 || len >= n)
		return KK_EINVAL;
	int labels = 0;
	size_t lab = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';
		if (c == '.') {
			if (!lab || lab > 63 || out[i - 1] == '-')
				return KK_EINVAL;
			labels++;
			lab = 0;
			if (i < len)
				out[i] = '.';
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  (unsigned char)c >= 0x80 || c == '-' || (c == '_' && lab == 0);
		if (!ok || (c == '-' && lab == 0))
			return KK_EINVAL;
		out[i] = lower(c);
		lab++;
	}
	out[len] = 0;
	/* all digits and dots is an IPv4 address, not a domain */
	if (strspn(out, "0123456789.") == len)
		return KK_EINVAL;
	return labels >= 2 ? 0 : KK_EINVAL;
}

static int norm_ip(const char *s, char *out, size_t n)
{
	unsigned char bin[16];
	char tmp[INET6_ADDRSTRLEN];
	if (inet_pton(AF_INET, s, bin) == 1) {
		if (!inet_ntop(AF_INET, bin, tmp, sizeof(tmp)))
			return KK_EINVAL;
	} else if (inet_pton(AF_INET6, s, bin) == 1) {
		if (!inet_ntop(AF_INET6, bin, tmp, sizeof(tmp)))
			return KK_EINVAL;
	} else {
		return KK_EINVAL;
	}
	if (strlen(tmp) >= n)
		return KK_EINVAL;
	kk_strlcpy(out, tmp, n);
	return 0;
}

int kk_incident_norm_domain(const char *s, char *out, size_t n)
{
	char buf[KK_INCIDENT_VALUE_MAX];
	if (!s || refang(s, buf, sizeof(buf)))
		return KK_EINVAL;
	return norm_domain(buf, out, n);
}

int kk_incident_norm_ip(const char *s, char *out, size_t n)
{
	char buf[KK_INCIDENT_VALUE_MAX];
	if (!s || refang(s, buf, sizeof(buf)))
		return KK_EINVAL;
	return norm_ip(buf, out, n);
}

int kk_incident_norm_url(const char *s, char *out, size_t n, char *host, size_t hn)
{
	char buf[KK_INCIDENT_VALUE_MAX];
	if (!s || refang(s, buf, sizeof(buf)))
		return KK_EINVAL;
	const char *p = buf;
	bool https;
	if (!strncasecmp(p, "https://", 8)) {
		https = true;
		p += 8;
	} else if (!strncasecmp(p, "http://", 7)) {
		https = false;
		p += 7;
	} else {
		return KK_EINVAL;
	}
	for (const char *q = buf; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == '<' || *q == '>' || *q == '"' || *q == '\\' || *q == 0x7f)
			return KK_EINVAL;
	size_t auth_len = strcspn(p, "/?#");
	const char *rest = p + auth_len;
	char authority[512];
	if (!auth_len || auth_len >= sizeof(authority))
		return KK_EINVAL;
	memcpy(authority, p, auth_len);
	authority[auth_len] = 0;
	char *hp = strrchr(authority, '@'); /* userinfo is dropped: it only disguises the host */
	hp = hp ? hp + 1 : authority;
	char hostbuf[300], normhost[300], port[8] = "";
	bool v6 = false;
	if (*hp == '[') {
		char *close = strchr(hp, ']');
		if (!close || (size_t)(close - hp - 1) >= sizeof(hostbuf))
			return KK_EINVAL;
		memcpy(hostbuf, hp + 1, (size_t)(close - hp - 1));
		hostbuf[close - hp - 1] = 0;
		hp = close + 1;
		if (*hp && *hp != ':')
			return KK_EINVAL;
		v6 = true;
	} else {
		size_t hl = strcspn(hp, ":");
		if (!hl || hl >= sizeof(hostbuf))
			return KK_EINVAL;
		memcpy(hostbuf, hp, hl);
		hostbuf[hl] = 0;
		hp += hl;
	}
	if (*hp == ':') {
		hp++;
		size_t pl = strlen(hp);
		if (pl == 0 || pl > 5 || strspn(hp, "0123456789") != pl)
			return KK_EINVAL;
		long v = strtol(hp, NULL, 10);
		if (v < 1 || v > 65535)
			return KK_EINVAL;
		if (!((https && v == 443) || (!https && v == 80)))
			snprintf(port, sizeof(port), ":%ld", v);
	}
	if (v6) {
		if (norm_ip(hostbuf, normhost, sizeof(normhost)) || !strchr(normhost, ':'))
			return KK_EINVAL;
	} else if (norm_ip(hostbuf, normhost, sizeof(normhost)) && norm_domain(hostbuf, normhost, sizeof(normhost))) {
		return KK_EINVAL;
	}
	size_t pathlen = strcspn(rest, "#");
	int w = snprintf(out, n, "%s://%s%s%s%s%.*s", https ? "https" : "http", v6 ? "[" : "", normhost, v6 ? "]" : "",
			 port, (int)pathlen, rest);
	if (w < 0 || (size_t)w >= n)
		return KK_EINVAL;
	if (!pathlen || rest[0] != '/') { /* "http://a.example?q" -> "http://a.example/?q" */
		char tail[KK_INCIDENT_VALUE_MAX];
		snprintf(tail, sizeof(tail), "%.*s", (int)pathlen, rest);
		w = snprintf(out, n, "%s://%s%s%s%s/%s", https ? "https" : "http", v6 ? "[" : "", normhost,
			     v6 ? "]" : "", port, tail);
		if (w < 0 || (size_t)w >= n)
			return KK_EINVAL;
	}
	if (host) {
		if (strlen(normhost) >= hn)
			return KK_EINVAL;
		kk_strlcpy(host, normhost, hn);
	}
	return 0;
}
