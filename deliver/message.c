/*
 * message.c -- reads the MTA's copy of a message and puts the trace
 * headers (Return-Path, Delivered-To) in front of it, the way other
 * delivery agents do: two header lines, then the original bytes unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deliver.h"

#define READ_STEP 65536

/* Bytes reserved in front of the input: both header lines, ending CRLF. */
static size_t header_room(const char *sender, const char *user)
{
	size_t room = strlen("Delivered-To: \r\n") + strlen(user);
	if (sender != NULL)
		room += strlen("Return-Path: <>\r\n") + strlen(sender);
	return room;
}

/* Makes *buf hold at least need bytes, doubling, so reading stays linear. */
static int grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap : READ_STEP;
	while (cap2 < need)
		cap2 *= 2;
	char *p = realloc(*buf, cap2);
	if (p == NULL)
		return -1;
	*buf = p;
	*cap = cap2;
	return 0;
}

/* Reads fd to its end into m->buf after room bytes.  Past max bytes the
 * rest is read and dropped (*over_r = 1), so the MTA never sees a broken
 * pipe and memory stays bounded. */
static int read_input(int fd, size_t room, size_t max, struct deliver_msg *m, int *over_r)
{
	char scratch[READ_STEP];
	size_t cap = 0, n = 0;
	*over_r = 0;
	for (;;) {
		char *dst = scratch;
		if (!*over_r) {
			if (grow(&m->buf, &cap, room + n + READ_STEP) != 0)
				return -1;
			dst = m->buf + room + n;
		}
		ssize_t got = read(fd, dst, READ_STEP);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		if (!*over_r) {
			n += (size_t)got;
			*over_r = n > max;
		}
	}
	m->input_len = n;
	return 0;
}

/* The message's own line ending, so the added lines match it. */
static const char *line_end(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	return nl != NULL && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static size_t format_headers(char *out, size_t size, const char *sender, const char *user,
			     const char *eol)
{
	int n = 0;
	if (sender != NULL)
		n = snprintf(out, size, "Return-Path: <%s>%s", sender, eol);
	n += snprintf(out + n, size - (size_t)n, "Delivered-To: %s%s", user, eol);
	return (size_t)n;
}

int deliver_read_message(int fd, size_t max, const char *sender, const char *user,
			 struct deliver_msg *msg_r)
{
	size_t room = header_room(sender, user);
	int over = 0, status = DELIVER_READ_ERROR;
	char *headers = malloc(room + 1);

	memset(msg_r, 0, sizeof(*msg_r));
	if (headers == NULL || read_input(fd, room, max, msg_r, &over) != 0)
		goto cleanup;
	if (over) {
		status = DELIVER_READ_TOOBIG;
		goto cleanup;
	}
	const char *input = msg_r->buf + room;
	size_t hlen = format_headers(headers, room + 1, sender, user,
				     line_end(input, msg_r->input_len));
	memcpy(msg_r->buf + room - hlen, headers, hlen);
	msg_r->data = msg_r->buf + room - hlen;
	msg_r->len = hlen + msg_r->input_len;
	status = DELIVER_READ_OK;
cleanup:;
	int saved = errno; /* for the caller's message on DELIVER_READ_ERROR */
	free(headers);
	if (status != DELIVER_READ_OK)
		deliver_msg_clear(msg_r);
	errno = saved;
	return status;
}

void deliver_msg_clear(struct deliver_msg *msg)
{
	free(msg->buf);
	memset(msg, 0, sizeof(*msg));
}
