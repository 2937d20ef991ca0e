/* imap_message.c -- a message's bytes for FETCH and SEARCH (see imap_message.h). */
#include <stdlib.h>
#include <string.h>

#include "imap_message.h"
#include "mail.h"
#include "mime_header.h"

/* The first read: most headers fit (and most small messages). */
#define FIRST_READ 16384
/* Later reads, and the pieces imap_message_send moves. */
#define READ_PIECE (256 * 1024)

void imap_message_free(struct imap_message **m)
{
	if (m == NULL || *m == NULL)
		return;
	if ((*m)->parsed)
		mime_free(&(*m)->mime);
	free((*m)->data);
	free(*m);
	*m = NULL;
}

/* Reads bytes [m->len, want) of the message into m->data. */
static int read_to(struct mail_session *ms, struct imap_message *m, size_t want)
{
	unsigned char sha[32];
	uint64_t size;
	if (want > m->size)
		want = (size_t)m->size;
	if (want <= m->len)
		return MAIL_OK;
	char *grown = realloc(m->data, want ? want : 1);
	if (grown == NULL)
		return MAIL_ERR_INTERNAL;
	m->data = grown;
	while (m->len < want) {
		size_t got;
		int status = mail_fetch(ms, m->uid, m->len, m->data + m->len, want - m->len, &got,
					&size, sha);
		if (status != MAIL_OK)
			return status;
		if (got == 0 || size != m->size)
			return MAIL_ERR_NOMESSAGE; /* not the message the view knew */
		m->len += got;
	}
	return MAIL_OK;
}

/* Reads until the header's end is in (or the whole message is). */
static int read_header(struct mail_session *ms, struct imap_message *m)
{
	size_t want = FIRST_READ;
	for (;;) {
		int status = read_to(ms, m, want);
		if (status != MAIL_OK)
			return status;
		m->header_end = mime_header_end(m->data, m->len, 0);
		if (m->header_end < m->len || m->len == m->size)
			return MAIL_OK;
		want = m->len + READ_PIECE;
	}
}

int imap_message_get(struct mail_session *ms, uint64_t uid, uint64_t size,
		     enum imap_message_need need, struct imap_message **m_r)
{
	struct imap_message *m = *m_r;
	if (m == NULL || m->uid != uid || m->size != size) {
		imap_message_free(m_r);
		m = calloc(1, sizeof(*m));
		if (m == NULL)
			return MAIL_ERR_INTERNAL;
		m->uid = uid;
		m->size = size;
		*m_r = m;
	}
	int status = read_header(ms, m);
	if (status == MAIL_OK && need >= IMAP_NEED_WHOLE)
		status = read_to(ms, m, (size_t)m->size);
	if (status == MAIL_OK && need == IMAP_NEED_PARSED && !m->parsed) {
		if (mime_parse(m->data, m->len, &m->mime) != 0) {
			mime_free(&m->mime);
			status = MAIL_ERR_INTERNAL;
		} else {
			m->parsed = 1;
		}
	}
	if (status != MAIL_OK)
		imap_message_free(m_r);
	return status;
}

void imap_message_header_view(const struct imap_message *m, struct mime_message *hv)
{
	memset(hv, 0, sizeof(*hv));
	hv->data = m->data;
	hv->len = m->header_end;
	hv->body_start = m->header_end;
	hv->body.end = m->header_end;
	hv->body.body_start = m->header_end;
}

int imap_message_send(struct mail_session *ms, uint64_t uid, uint64_t offset, uint64_t len,
		      struct stream *out)
{
	unsigned char sha[32];
	uint64_t size;
	char *piece = malloc(READ_PIECE);
	int status = piece ? MAIL_OK : MAIL_ERR_INTERNAL;
	while (status == MAIL_OK && len > 0) {
		size_t got;
		status = mail_fetch(ms, uid, offset, piece,
				    len < READ_PIECE ? (size_t)len : READ_PIECE, &got, &size, sha);
		if (status == MAIL_OK && got == 0)
			status = MAIL_ERR_NOMESSAGE;
		if (status == MAIL_OK && stream_write(out, piece, got) != STREAM_OK)
			status = -1;
		offset += got;
		len -= status == MAIL_OK ? got : 0;
	}
	free(piece);
	return status;
}
