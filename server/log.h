/*
 * log.h -- mailrpcd's one logging facility.  In the foreground it writes
 * timestamped lines to stderr (tests and admins read them); as a daemon
 * it writes to syslog (facility mail).
 */
#ifndef MAILRPCD_LOG_H
#define MAILRPCD_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* The name lines and syslog carry (default "mailrpcd"); call before log_init. */
void log_set_program(const char *name);
void log_init(int to_stderr);

/* Recoverable trouble and normal events. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Text a client chose (a folder name, a principal, a command), made safe
 * for one field of a log line: every byte that is not printable ASCII
 * (controls, space, DEL, 8-bit bytes), and '"' and '\\', written as \xNN,
 * so the value can neither end the line nor pass for another field, and
 * reads back exactly.  Cut to fit size (never inside an escape); "" is
 * "-".  Returns buf.
 */
const char *log_safe(char *buf, size_t size, const char *s);

/* A broken invariant or an unusable start-up: logs and exits(1). */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * A line put together from strings, for the one line every request logs:
 * printf-style formatting cost a small call as much as its own work.
 * Pieces past the end are cut, never overrun.
 */
struct log_text {
	char text[1024];
	size_t len;
};

void log_text_add(struct log_text *t, const char *s);
/* Adds key (" name=", spelled out so the line costs two copies) and
 * value; an empty value is logged as "-". */
void log_text_field(struct log_text *t, const char *key, const char *value);
void log_text_info(struct log_text *t);

#endif
