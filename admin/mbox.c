/*
 * mbox.c -- mbox reading (mboxrd or mboxo, LF or CRLF) and mboxrd
 * writing; the rules are in mbox.h.  The reader holds one buffer of the
 * file and one message, so memory stays bounded by the size limit
 * whatever the file holds (a huge line of binary junk included).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mbox.h"

#define READ_BUF 65536
#define FROM_LINE_MAX 512 /* longer "From " lines are not separators */

enum reader_state { AT_START, IN_FILE, AT_END };

struct mbox_reader {
	int fd;
	int mboxo;
	size_t max;
	uint64_t size, done;
	unsigned long lineno;
	enum reader_state state;
	int at_line_start;  /* the next piece begins a line */
	int prev_blank;     /* the last line was empty */
	int junk;           /* the current "message" precedes any "From " line */
	int64_t sep_time;   /* separator that starts the current message */
	unsigned long sep_line;
	struct {
		char *data;
		size_t len, cap;
		int over;   /* more than max bytes: the rest was dropped */
	} body;
	size_t pos, end;
	char buf[READ_BUF];
};

int mbox_open(const char *path, int mboxo, size_t max, struct mbox_reader **r_r)
{
	struct stat sb;
	struct mbox_reader *r = calloc(1, sizeof(*r));
	*r_r = NULL;
	if (r == NULL)
		return -1;
	/* Never through a link (see maildir.h); a file or a pipe only. */
	r->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	int ok = r->fd >= 0 && fstat(r->fd, &sb) == 0;
	if (ok && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
		errno = EINVAL;
		ok = 0;
	}
	if (!ok) {
		mbox_close(&r);
		return -1;
	}
	r->mboxo = mboxo;
	r->max = max;
	r->size = (uint64_t)sb.st_size;
	r->at_line_start = 1;
	*r_r = r;
	return 0;
}

void mbox_close(struct mbox_reader **r)
{
	if (*r == NULL)
		return;
	int saved = errno;
	if ((*r)->fd >= 0)
		close((*r)->fd);
	free((*r)->body.data);
	free(*r);
	*r = NULL;
	errno = saved;
}

uint64_t mbox_done(const struct mbox_reader *r) { return r->done; }
uint64_t mbox_size(const struct mbox_reader *r) { return r->size; }

/* Reads until the buffer holds a newline, is full, or the file ends. */
static int fill(struct mbox_reader *r)
{
	memmove(r->buf, r->buf + r->pos, r->end - r->pos);
	r->end -= r->pos;
	r->pos = 0;
	while (r->end < sizeof(r->buf) && memchr(r->buf, '\n', r->end) == NULL) {
		ssize_t n = read(r->fd, r->buf + r->end, sizeof(r->buf) - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		r->end += (size_t)n;
	}
	return 0;
}

/* The next piece of the file: a whole line with its '\n', or a buffer's
 * worth of a longer one.  *start_r: the piece begins a line.
 * 1: a piece; 0: end of file; -1: read error. */
static int next_piece(struct mbox_reader *r, const char **p_r, size_t *n_r, int *start_r)
{
	const char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
	if (nl == NULL) {
		if (fill(r) != 0)
			return -1;
		nl = memchr(r->buf, '\n', r->end);
	}
	if (r->pos == r->end)
		return 0;
	size_t n = nl != NULL ? (size_t)(nl - (r->buf + r->pos)) + 1 : r->end - r->pos;
	*p_r = r->buf + r->pos;
	*n_r = n;
	*start_r = r->at_line_start;
	r->lineno += (unsigned long)r->at_line_start;
	r->at_line_start = nl != NULL;
	r->pos += n;
	r->done += n;
	return 1;
}

/* Gives back the piece just read (still in the buffer). */
static void unread_piece(struct mbox_reader *r, size_t n)
{
	r->pos -= n;
	r->done -= n;
	r->lineno--;
	r->at_line_start = 1;
}

static int is_blank(const char *p, size_t n)
{
	return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* Number of '>' before "From " at the start of the line, or -1. */
static long from_depth(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] == '>')
		i++;
	return n - i >= 5 && memcmp(p + i, "From ", 5) == 0 ? (long)i : -1;
}

/* The asctime form most writers use, with the zones some add. */
static const char *const date_formats[] = {
	"%a %b %d %H:%M:%S %Y",    "%a %b %d %H:%M:%S %Y %z", "%a %b %d %H:%M:%S %z %Y",
	"%a %b %d %H:%M:%S %Z %Y", "%a %b %d %H:%M %Y",
};

static int parse_date(const char *s, int64_t *t_r)
{
	for (size_t i = 0; i < sizeof(date_formats) / sizeof(date_formats[0]); i++) {
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		const char *end = strptime(s, date_formats[i], &tm);
		if (end == NULL || end[strspn(end, " \t\r\n")] != '\0')
			continue;
		/* tm_gmtoff is what %z read (timegm resets it); zone names
		 * count as UTC. */
		long offset = tm.tm_gmtoff;
		*t_r = (int64_t)timegm(&tm) - offset;
		return 0;
	}
	return -1;
}

/* "From SENDER DATE": 0 and the date's time if the line is one.  The
 * sender may hold spaces, so every word boundary is tried. */
static int parse_separator(const char *p, size_t n, int64_t *t_r)
{
	char line[FROM_LINE_MAX];
	if (from_depth(p, n) != 0 || n >= sizeof(line) || memchr(p, '\0', n) != NULL)
		return -1;
	memcpy(line, p, n);
	line[n] = '\0';
	for (char *s = strchr(line + 5, ' '); s != NULL; s = strchr(s + 1, ' '))
		if (parse_date(s + 1, t_r) == 0)
			return 0;
	return -1;
}

static void body_append(struct mbox_reader *r, const char *p, size_t n)
{
	if (r->body.over || n > r->max - r->body.len) {
		r->body.over = 1;
		return;
	}
	if (r->body.len + n > r->body.cap) {
		size_t cap = r->body.cap ? r->body.cap : READ_BUF;
		while (cap < r->body.len + n)
			cap *= 2;
		char *data = realloc(r->body.data, cap);
		if (data == NULL) {
			r->body.over = 1; /* reported like an oversized message */
			return;
		}
		r->body.data = data;
		r->body.cap = cap;
	}
	memcpy(r->body.data + r->body.len, p, n);
	r->body.len += n;
}

/* One line of a message, as it was before the writer quoted it. */
static void add_line(struct mbox_reader *r, struct mbox_msg *m, const char *p, size_t n)
{
	long depth = from_depth(p, n);
	if (depth == 0 && m->bare_from == 0 && !r->junk)
		m->bare_from = r->lineno;
	if (depth >= 1 && (!r->mboxo || depth == 1)) {
		p++;
		n--;
	}
	body_append(r, p, n);
}

/* Reads the first line: a separator, or text that is no message. */
static int begin(struct mbox_reader *r)
{
	const char *p;
	size_t n;
	int start, rc = next_piece(r, &p, &n, &start);
	if (rc <= 0)
		return rc;
	r->sep_line = 1;
	r->sep_time = 0;
	if (from_depth(p, n) == 0) {
		/* The file's first "From " line needs no date. */
		parse_separator(p, n, &r->sep_time);
		return 1;
	}
	r->junk = 1;
	unread_piece(r, n);
	return 1;
}

/* Reads the current message up to the next separator (1, which it
 * consumes) or the end of the file (0); -1 on a read error. */
static int read_message(struct mbox_reader *r, struct mbox_msg *m)
{
	const char *p;
	size_t n;
	int start, rc;
	r->body.len = 0;
	r->body.over = 0;
	r->prev_blank = 0;
	while ((rc = next_piece(r, &p, &n, &start)) == 1) {
		if (start && r->prev_blank && parse_separator(p, n, &r->sep_time) == 0) {
			r->sep_line = r->lineno;
			return 1;
		}
		r->prev_blank = start && is_blank(p, n);
		if (start)
			add_line(r, m, p, n);
		else
			body_append(r, p, n);
	}
	return rc;
}

/* Length without the last line if it is empty: the format's line before
 * the next separator (or at the end of the file), not the message's. */
static size_t drop_blank_line(const char *p, size_t len)
{
	if (len >= 2 && p[len - 1] == '\n' && p[len - 2] == '\n')
		return len - 1;
	if (len >= 3 && memcmp(p + len - 3, "\n\r\n", 3) == 0)
		return len - 2;
	return len;
}

static void finish_message(struct mbox_reader *r, struct mbox_msg *m, int at_end)
{
	const char *p = r->body.data;
	size_t len = r->body.len;
	if (r->junk)
		m->problem = "text before the first \"From \" line (not an mbox message)";
	else if (r->body.over)
		m->problem = "larger than the message size limit";
	else if (at_end && (len == 0 || p[len - 1] != '\n'))
		m->problem = "truncated: the file ends inside a line";
	r->junk = 0;
	m->body = p != NULL ? p : "";
	m->len = r->body.over ? 0 : drop_blank_line(p, len);
}

int mbox_next(struct mbox_reader *r, struct mbox_msg *msg_r)
{
	memset(msg_r, 0, sizeof(*msg_r));
	if (r->state == AT_END)
		return 0;
	if (r->state == AT_START) {
		int rc = begin(r);
		if (rc <= 0)
			return rc;
		r->state = IN_FILE;
	}
	msg_r->line = r->sep_line;
	msg_r->received = r->sep_time;
	int rc = read_message(r, msg_r);
	if (rc < 0)
		return -1;
	if (rc == 0)
		r->state = AT_END;
	finish_message(r, msg_r, rc == 0);
	return 1;
}

int mbox_write(FILE *f, const void *body, size_t len, int64_t received)
{
	char date[64];
	struct tm tm;
	time_t t = (time_t)received;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(date, sizeof(date), "Thu Jan  1 00:00:00 1970");
	fprintf(f, "From MAILER-DAEMON %s\n", date);
	const char *p = body, *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (from_depth(p, n) >= 0)
			fputc('>', f);
		fwrite(p, 1, n, f);
		p += n;
	}
	if (len == 0 || end[-1] != '\n')
		fputc('\n', f);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
