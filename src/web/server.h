/*
 * server.h — keikai's HTTP server (libmicrohttpd, thread pool + epoll).
 *
 * kk_server_run() binds the listen address (port 0 picks a free port),
 * prints exactly one line "keikai: listening on http://HOST:PORT" to stdout,
 * then serves until SIGTERM or SIGINT: it stops accepting, lets the
 * requests in flight finish (up to drain_timeout seconds), and returns 0.
 * Each worker thread uses its own database connection (kk_db_thread).
 *
 * Limits and their answers: a body larger than body_max → 413; request
 * headers larger than header_max → 431 (414 when the request line with its
 * query alone is); more than max_conns open connections, or more than
 * max_conns_per_addr from one address → 503 (with Connection: close),
 * written to the socket as the connection opens; a connection idle for
 * `timeout` seconds is closed, and so is one that has not sent its request
 * headers `timeout` seconds after opening or after its last answer, however
 * slowly it trickles (a reaper thread). Conflicting Content-Length, HTTP/1.1
 * without one Host, Content-Length with Transfer-Encoding → 400; a
 * Transfer-Encoding other than chunked → 501; %00 in the path or query →
 * 400 (it is never decoded); bytes MHD cannot parse → 400. (libmicrohttpd alone would close
 * excess connections without a word, so keikai counts connections itself
 * and sets MHD's own limit higher — max_conns + 64 + 4 per thread — as a
 * backstop.) Every answer carries the security
 * headers (CSP, nosniff, Referrer-Policy) — except the few answers
 * libmicrohttpd writes itself before keikai sees a request (a request line
 * it cannot parse: 400; headers beyond its connection pool, which is sized
 * header_max + 16 KiB so keikai's own 431 comes first). Those carry no body
 * a browser would render.
 */
#ifndef KK_WEB_SERVER_H
#define KK_WEB_SERVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kk_db;

struct kk_server_config {
	const char *listen;     /* "127.0.0.1:8080", "[::1]:0" */
	const char *db_path;    /* database file; each worker opens its own connection */
	const char *key_file;   /* the secret key file (keyfile.h); NULL: $KEIKAI_KEY_FILE, else db_path + ".key" */
	unsigned threads;       /* worker threads; 0 = number of CPUs */
	size_t body_max;        /* default 10 MiB */
	size_t header_max;      /* default 16 KiB (request line + all headers) */
	unsigned timeout;       /* seconds; default 30 */
	unsigned max_conns;     /* default 1000 */
	unsigned max_conns_per_addr; /* open connections from one client address; default 100 */
	unsigned drain_timeout; /* seconds to wait for requests in flight at shutdown; default 30 */
	bool tls;               /* served behind TLS: cookies get Secure even without X-Forwarded-Proto */
	/*
	 * Background work (the scheduler and mail delivery: cli/jobs.c), run on
	 * its own thread with its own database connection once at start and then
	 * every tick_seconds (default 10) until shutdown, when the thread is
	 * joined after the requests in flight. NULL: no background thread.
	 */
	void (*tick)(struct kk_db *db, void *arg);
	void *tick_arg;
	unsigned tick_seconds;
};

/* Fills the defaults above (listen 127.0.0.1:8080). */
void kk_server_config_default(struct kk_server_config *c);
/* Serves until SIGTERM/SIGINT. Returns 0, or a negative KK_E* code when it could not start (logged). */
int kk_server_run(const struct kk_server_config *c);

/* The running server's configuration (for handlers). */
struct kk_server;
const struct kk_server_config *kk_server_config(const struct kk_server *s);
/* Seconds since the server started. */
double kk_server_uptime(const struct kk_server *s);

#endif
