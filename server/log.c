/* log.c -- see log.h. */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_to_stderr = 1;

void log_init(int to_stderr)
{
	log_to_stderr = to_stderr;
	if (!to_stderr)
		openlog("mailrpcd", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void log_line(int priority, const char *fmt, va_list ap)
{
	if (!log_to_stderr) {
		vsyslog(priority, fmt, ap);
		return;
	}
	/* Formatting the time is a visible share of a small call: once a second. */
	static char stamp[32];
	static time_t stamped;
	time_t now = time(NULL);
	if (now != stamped) {
		struct tm tm;
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		stamped = now;
	}
	/* One write per line keeps lines from different processes whole. */
	char line[2048];
	int n = snprintf(line, sizeof(line), "%s mailrpcd[%d]: %s", stamp, (int)getpid(),
			 priority == LOG_ERR ? "fatal: " : priority == LOG_WARNING ? "warning: " : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	ssize_t ignored = write(STDERR_FILENO, line, len);
	(void)ignored;
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
