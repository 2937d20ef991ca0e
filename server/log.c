/* log.c -- see log.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_to_stderr = 1;
static const char *log_program = "mailrpcd";

void log_set_program(const char *name)
{
	log_program = name;
}

void log_init(int to_stderr)
{
	log_to_stderr = to_stderr;
	if (!to_stderr)
		openlog(log_program, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/*
 * "TIME PROGRAM[PID]: ", made again only when the second or the process
 * changes (connection processes are forked from the listener).
 */
static const char *line_prefix(size_t *len_r)
{
	static char prefix[64];
	static size_t prefix_len;
	static time_t made_at;
	static pid_t made_by;
	time_t now = time(NULL);
	pid_t pid = getpid();
	if (now != made_at || pid != made_by) {
		struct tm tm;
		char stamp[32];
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		int n =
		    snprintf(prefix, sizeof(prefix), "%s %s[%d]: ", stamp, log_program, (int)pid);
		prefix_len = n > 0 && (size_t)n < sizeof(prefix) ? (size_t)n : 0;
		made_at = now;
		made_by = pid;
	}
	*len_r = prefix_len;
	return prefix;
}

static const char *priority_label(int priority)
{
	return priority == LOG_ERR ? "fatal: " : priority == LOG_WARNING ? "warning: " : "";
}

/* One write per line keeps lines from different processes whole. */
static void emit(int priority, const char *text, size_t len)
{
	if (!log_to_stderr) {
		syslog(priority, "%.*s", (int)len, text);
		return;
	}
	char line[2048];
	size_t n;
	const char *prefix = line_prefix(&n);
	memcpy(line, prefix, n);
	const char *label = priority_label(priority);
	size_t label_len = strlen(label);
	memcpy(line + n, label, label_len);
	n += label_len;
	if (len > sizeof(line) - n - 1)
		len = sizeof(line) - n - 1;
	memcpy(line + n, text, len);
	n += len;
	line[n++] = '\n';
	ssize_t ignored = write(STDERR_FILENO, line, n);
	(void)ignored;
}

static void log_formatted(int priority, const char *fmt, va_list ap)
{
	char text[1536];
	int m = vsnprintf(text, sizeof(text), fmt, ap);
	if (m < 0)
		m = 0;
	emit(priority, text, (size_t)m < sizeof(text) ? (size_t)m : sizeof(text) - 1);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_formatted(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_formatted(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_formatted(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

const char *log_safe(char *buf, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (size == 0)
		return buf;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = c > ' ' && c < 127 && c != '"' && c != '\\';
		size_t need = plain ? 1 : 4;
		if (n + need >= size)
			break;
		if (plain) {
			buf[n++] = (char)c;
			continue;
		}
		buf[n++] = '\\';
		buf[n++] = 'x';
		buf[n++] = hex[c >> 4];
		buf[n++] = hex[c & 15];
	}
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, size, "-");
	return buf;
}

void log_text_add(struct log_text *t, const char *s)
{
	size_t room = sizeof(t->text) - t->len;
	size_t n = strnlen(s, room);
	memcpy(t->text + t->len, s, n);
	t->len += n;
}

void log_text_field(struct log_text *t, const char *key, const char *value)
{
	log_text_add(t, key);
	log_text_add(t, value[0] ? value : "-");
}

void log_text_info(struct log_text *t)
{
	emit(LOG_INFO, t->text, t->len);
}
