/* pop3_maildrop.c -- the POP3 maildrop over the mail service (see pop3_maildrop.h). */
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "pop3_maildrop.h"

int pop3_maildrop_open(struct mail_session *m, struct pop3_maildrop *d)
{
	uint64_t after = 0;
	size_t cap = 0;
	memset(d, 0, sizeof(*d));
	int status = mail_open(m, "");
	for (int more = 1; status == MAIL_OK && more;) {
		store_index_t *ix = NULL;
		status = mail_index(m, STORE_FOLDER_INBOX, after, STORE_BATCH_MAX, &ix);
		if (status == MAIL_OK && d->count + ix->count > cap) {
			size_t ncap = (d->count + ix->count) * 2;
			struct pop3_msg *grown = realloc(d->msgs, ncap * sizeof(*grown));
			if (grown == NULL)
				status = MAIL_ERR_INTERNAL;
			else
				d->msgs = grown, cap = ncap;
		}
		for (size_t i = 0; status == MAIL_OK && i < ix->count; i++)
			d->msgs[d->count++] =
			    (struct pop3_msg){.id = ix->items[i].id, .size = ix->items[i].size};
		more = status == MAIL_OK && ix->more && ix->count > 0;
		if (more)
			after = ix->items[ix->count - 1].id;
		store_index_free(&ix);
	}
	if (status != MAIL_OK)
		pop3_maildrop_free(d);
	return status;
}

void pop3_maildrop_free(struct pop3_maildrop *d)
{
	free(d->msgs);
	d->msgs = NULL;
	d->count = 0;
}

struct pop3_msg *pop3_maildrop_get(struct pop3_maildrop *d, const char *n)
{
	char *end;
	if (n[0] < '1' || n[0] > '9')
		return NULL;
	unsigned long long i = strtoull(n, &end, 10);
	if (*end != '\0' || i == 0 || i > d->count || d->msgs[i - 1].deleted)
		return NULL;
	return &d->msgs[i - 1];
}

int pop3_maildrop_update(struct mail_session *m, struct pop3_maildrop *d, enum gw_pop3_delete how)
{
	uint64_t *ids = malloc((d->count ? d->count : 1) * sizeof(*ids));
	size_t n = 0;
	int status = ids ? mail_open(m, "") : MAIL_ERR_INTERNAL;
	for (size_t i = 0; ids && i < d->count; i++)
		if (d->msgs[i].deleted)
			ids[n++] = d->msgs[i].id;
	for (size_t i = 0; status == MAIL_OK && i < n;) {
		store_result_t res = {0};
		size_t batch = n - i < STORE_BATCH_MAX ? n - i : STORE_BATCH_MAX;
		status = mail_delete(m, NULL, ids + i, batch, how == GW_POP3_DELETE_EXPUNGE, &res);
		/* Gone already (another session): nothing left to do for it. */
		i += status == MAIL_OK ? batch : res.done + 1;
		if (status == MAIL_ERR_NOMESSAGE)
			status = MAIL_OK;
		store_result_clear(&res);
	}
	free(ids);
	return status;
}
