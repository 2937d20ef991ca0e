/*
 * log.h -- mailrpcd's one logging facility.  In the foreground it writes
 * timestamped lines to stderr (tests and admins read them); as a daemon
 * it writes to syslog (facility mail).
 */
#ifndef MAILRPCD_LOG_H
#define MAILRPCD_LOG_H

#include <stdarg.h>

void log_init(int to_stderr);

/* Recoverable trouble and normal events. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A broken invariant or an unusable start-up: logs and exits(1). */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
