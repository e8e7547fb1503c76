/*
 * group.c — what several sources share (sources.h): a group of records
 * gathered into one temporary JSON array and committed with its cursor,
 * and the walk over the JSON entries of a zip archive (OSV's all.zip, the
 * CVE List's baseline, whose zip holds another zip, and its deltas).
 */
#include "base/alloc.h"
#include "sync/sources.h"
#include <errno.h>
#include <fcntl.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An unlinked temporary file; its /proc/self/fd path in path. */
static FILE *temp_file(struct kk_sync *s, char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/keikai-sync-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd < 0) {
		kk_diag_set(s->d, KK_EIO, NULL, "sync %s: cannot create a temporary file: %s", s->src->name,
		            strerror(errno));
		return NULL;
	}
	unlink(tmpl);
	FILE *f = fdopen(fd, "w+b");
	if (!f) {
		close(fd);
		kk_diag_set(s->d, KK_ENOMEM, NULL, "sync %s: out of memory", s->src->name);
		return NULL;
	}
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return f;
}

int kk_sync_group_open(struct kk_sync *s, struct kk_sync_group *g)
{
	g->f = temp_file(s, g->path, sizeof g->path);
	if (!g->f)
		return s->d->code ? s->d->code : KK_EIO;
	g->n = 0;
	fputc('[', g->f);
	return 0;
}

void kk_sync_group_add(struct kk_sync_group *g, const char *json, size_t len)
{
	if (g->n++)
		fputc(',', g->f);
	fwrite(json, 1, len, g->f);
}

int kk_sync_group_commit(struct kk_sync *s, struct kk_sync_group *g, const char *name, json_t *cursor,
                         const char *etag)
{
	fputc(']', g->f);
	fflush(g->f);
	int rc = ferror(g->f) ? kk_diag_set(s->d, KK_EIO, NULL, "sync %s: cannot write a temporary file", s->src->name)
	                      : 0;
	char *text = json_dumps(cursor, JSON_COMPACT);
	if (!rc)
		rc = text ? kk_sync_import(s, g->path, name, text, etag, NULL) : KK_ENOMEM;
	free(text);
	fclose(g->f);
	g->f = NULL;
	return rc;
}

void kk_sync_group_drop(struct kk_sync_group *g)
{
	if (g->f)
		fclose(g->f);
	g->f = NULL;
}

#define ENTRY_MAX (64u << 20)

/* Whether path holds only a zip's end-of-central-directory record: a zip with no entries. */
static bool empty_zip(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char b[23];
	size_t n = f ? fread(b, 1, sizeof b, f) : 0;
	if (f)
		fclose(f);
	return n == 22 && !memcmp(b, "PK\x05\x06", 4);
}

static int walk(struct kk_sync *s, const char *path, const char *url, int depth, kk_sync_zip_fn each, void *arg)
{
	unzFile z = unzOpen64(path);
	if (!z && empty_zip(path))
		return 0; /* an archive of nothing (an hour without changes): minizip refuses it */
	if (!z) {
		kk_sync_malformed(s, url, "(archive)", "", "not a zip archive");
		return kk_diag_set(s->d, KK_EPARSE, NULL, "%s", s->last_error);
	}
	unz_global_info64 gi;
	unzGetGlobalInfo64(z, &gi);
	s->total += (long)gi.number_entry;
	int rc = 0;
	char *buf = NULL;
	size_t cap = 0;
	for (int zr = unzGoToFirstFile(z); zr == UNZ_OK && rc == 0; zr = unzGoToNextFile(z)) {
		char fname[512];
		unz_file_info64 fi;
		if (unzGetCurrentFileInfo64(z, &fi, fname, sizeof fname, NULL, 0, NULL, 0) != UNZ_OK)
			break;
		size_t fl = strlen(fname);
		bool json = fl > 5 && !strcmp(fname + fl - 5, ".json");
		bool inner = fl > 4 && !strcmp(fname + fl - 4, ".zip") && depth == 0;
		if (!json && !inner)
			continue;
		if (inner) { /* a zip in the zip (the CVE List's baseline): copied out, walked in turn */
			char ipath[40];
			FILE *f = temp_file(s, ipath, sizeof ipath);
			if (!f) {
				rc = s->d->code ? s->d->code : KK_EIO;
				break;
			}
			char chunk[65536];
			int got = 0;
			if (unzOpenCurrentFile(z) == UNZ_OK) {
				while ((got = unzReadCurrentFile(z, chunk, sizeof chunk)) > 0)
					fwrite(chunk, 1, (size_t)got, f);
				if (unzCloseCurrentFile(z) != UNZ_OK)
					got = -1;
			} else {
				got = -1;
			}
			fflush(f);
			if (got < 0 || ferror(f))
				kk_sync_malformed(s, url, fname, "", "the archive entry cannot be read (bad CRC or truncated)");
			else
				rc = walk(s, ipath, url, depth + 1, each, arg);
			fclose(f);
			continue;
		}
		if (fi.uncompressed_size > ENTRY_MAX) {
			kk_sync_malformed(s, url, fname, "", "larger than 64 MiB");
			continue;
		}
		if (fi.uncompressed_size + 1 > cap) {
			cap = (size_t)fi.uncompressed_size + 1;
			char *nb = kk_realloc(buf, cap);
			if (!nb) {
				rc = KK_ENOMEM;
				break;
			}
			buf = nb;
		}
		int got = -1;
		if (unzOpenCurrentFile(z) == UNZ_OK) {
			got = unzReadCurrentFile(z, buf, (unsigned)fi.uncompressed_size);
			if (unzCloseCurrentFile(z) != UNZ_OK)
				got = -1;
		}
		if (got != (int)fi.uncompressed_size) {
			kk_sync_malformed(s, url, fname, "", "the archive entry cannot be read (bad CRC or truncated)");
			continue;
		}
		rc = each(arg, fname, buf, (size_t)got);
	}
	unzClose(z);
	kk_free(buf);
	return rc;
}

int kk_sync_zip_each(struct kk_sync *s, const char *path, const char *url, kk_sync_zip_fn each, void *arg)
{
	return walk(s, path, url, 0, each, arg);
}
