/*
 * log.h — one line per event on stderr: time, level, message. Thread-safe
 * (one write per line). Never pass a password, token, cookie, finder
 * identity or embargoed detail: log lines are read by operators.
 */
#ifndef KK_BASE_LOG_H
#define KK_BASE_LOG_H

enum kk_log_level { KK_LOG_DEBUG, KK_LOG_INFO, KK_LOG_WARN, KK_LOG_ERROR };

/* Lines below `level` are dropped. Default INFO; KEIKAI_LOG=debug|info|warn|error. */
void kk_log_set_level(enum kk_log_level level);
void kk_log(enum kk_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define kk_debug(...) kk_log(KK_LOG_DEBUG, __VA_ARGS__)
#define kk_info(...) kk_log(KK_LOG_INFO, __VA_ARGS__)
#define kk_warn(...) kk_log(KK_LOG_WARN, __VA_ARGS__)
#define kk_error(...) kk_log(KK_LOG_ERROR, __VA_ARGS__)

#endif
