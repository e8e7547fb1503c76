/*
 * b-auth.c — what authentication costs: argon2id hashing and verifying with
 * the real parameters, and per-request session-cookie and API-token lookups
 * (the work behind every signed-in request), plus one small write
 * transaction. Each figure is the median of RUNS runs, on a fresh database
 * in a temporary directory.
 *
 *   build/bench/b-auth [RUNS]
 */
#include "auth/auth.h"
#include "base/clock.h"
#include "base/rand.h"
#include "store/db.h"
#include "store/migrate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery staple"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static struct kk_actor sys_actor;

struct mk {
	struct kk_user_new u;
	int64_t id;
	char token[KK_API_TOKEN_MAX];
};

static int setup_fn(struct kk_db *db, void *arg)
{
	struct mk *m = arg;
	int rc = kk_user_create(db, &sys_actor, &m->u, &m->id, NULL);
	return rc ? rc : kk_token_create(db, &sys_actor, m->id, "bench", m->token, NULL);
}

static int write_fn(struct kk_db *db, void *arg)
{
	int rc = kk_db_exec(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)", "s", (const char *)arg);
	return rc < 0 ? rc : 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	if (runs < 1 || runs > 50)
		runs = 5;
	if (kk_random_init())
		return 1;
	kk_actor_system(&sys_actor, "bench");
	unsetenv("KEIKAI_TEST_FAST_HASH");

	char dir[] = "/tmp/kk-bench-auth-XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/b.db", dir);
	struct kk_db *db;
	struct kk_diag d;
	if (kk_db_open(path, KK_DB_CREATE, &db) || kk_migrate_run(db, path, NULL, NULL, NULL, &d) < 0) {
		fprintf(stderr, "b-auth: cannot set up %s\n", path);
		return 1;
	}

	double t[50];
	char hash[KK_PASSWORD_HASH_MAX];
	for (int i = 0; i < runs; i++) {
		uint64_t a = kk_clock_mono_ns();
		kk_password_hash(PW, hash);
		t[i] = (double)(kk_clock_mono_ns() - a) / 1e6;
	}
	/* "$argon2id$v=19$m=65536,t=2,p=1$salt$hash": print only the parameters */
	char params[64] = "?";
	const char *p = strchr(hash + 10, '$');
	if (p) {
		size_t len = strcspn(p + 1, "$");
		snprintf(params, sizeof(params), "%.*s", (int)len, p + 1);
	}
	printf("argon2id hash (%s): %.1f ms\n", params, median(t, runs));
	for (int i = 0; i < runs; i++) {
		uint64_t a = kk_clock_mono_ns();
		kk_password_verify(hash, PW);
		t[i] = (double)(kk_clock_mono_ns() - a) / 1e6;
	}
	printf("argon2id verify: %.1f ms\n", median(t, runs));

	struct mk m = {{"bench@example.org", "Bench", KK_ROLE_ADMIN, 0, hash}, 0, ""};
	if (kk_db_tx(db, setup_fn, &m)) {
		fprintf(stderr, "b-auth: cannot create the user\n");
		return 1;
	}
	struct kk_login in = {"bench@example.org", PW, "127.0.0.1"};
	struct kk_session_new s;
	if (kk_auth_login(db, &in, &s)) {
		fprintf(stderr, "b-auth: login failed\n");
		return 1;
	}
	const int n = 20000;
	struct kk_actor a;
	for (int pass = 0; pass < 3; pass++) {
		const char *what = pass == 0 ? "session lookup" : pass == 1 ? "API token lookup" : "write transaction";
		for (int r = 0; r < runs; r++) {
			uint64_t t0 = kk_clock_mono_ns();
			int bad = 0;
			for (int i = 0; i < (pass == 2 ? n / 10 : n); i++) {
				if (pass == 0)
					bad |= kk_session_lookup(db, s.token, &a);
				else if (pass == 1)
					bad |= kk_token_lookup(db, m.token, &a);
				else
					bad |= kk_db_tx(db, write_fn, "x");
			}
			if (bad) {
				fprintf(stderr, "b-auth: %s failed\n", what);
				return 1;
			}
			t[r] = (double)(kk_clock_mono_ns() - t0) / 1e3 / (pass == 2 ? n / 10 : n);
		}
		double us = median(t, runs);
		printf("%s: %.2f us (%.0f per second on one core)\n", what, us, 1e6 / us);
	}
	kk_db_close(db);
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char f[160];
		snprintf(f, sizeof(f), "%s%s", path, suffix[i]);
		unlink(f);
	}
	return rmdir(dir) ? 1 : 0;
}
