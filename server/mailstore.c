/* mailstore.c -- per-process store handle and status mapping (see mailstore.h). */
#include <string.h>

#include "config.h"
#include "log.h"
#include "mailstore.h"

static store_t *store;
static char ensured[STORE_NAME_MAX + 1];

/* The store's diagnostics are lines of mailrpcd's log. */
static void log_store_line(void *ctx, int level, const char *line)
{
	(void)ctx;
	if (level <= STORE_LOG_WARNING)
		log_warn("%s", line);
	else
		log_info("%s", line);
}

void mailstore_log_init(void)
{
	store_set_log(log_store_line, NULL);
}

store_t *mailstore(void)
{
	if (store != NULL)
		return store;
	const struct server_config *cfg = config_get();
	int st = store_open(cfg->store_dir, NULL, &store);
	if (st != STORE_OK) {
		log_warn("cannot open store %s: %s", cfg->store_dir, store_strerror(st));
		store = NULL;
	}
	return store;
}

void mailstore_maintain(void)
{
	store_t *st = NULL;
	uint64_t expired = 0, tombs = 0;
	int rc = store_open(config_get()->store_dir, NULL, &st);
	if (rc == STORE_OK)
		rc = store_mailbox_ensure_plain(st, "public");
	if (rc == STORE_OK)
		rc = store_upload_expire(st, UPLOAD_MAX_AGE, &expired);
	if (rc == STORE_OK)
		rc = store_tomb_expire(st, &tombs);
	store_close(&st);
	if (rc != STORE_OK)
		log_warn("housekeeping: %s", store_strerror(rc));
	if (expired > 0)
		log_info("housekeeping: forgot %llu unfinished upload(s) older than %d days",
			 (unsigned long long)expired, UPLOAD_MAX_AGE / 86400);
	if (tombs > 0)
		log_info("housekeeping: forgot %llu tombstone(s)", (unsigned long long)tombs);
}

mr_status mailstore_ensure_mailbox(const char *mailbox)
{
	/* One connection normally serves one principal: remember the last. */
	if (strcmp(ensured, mailbox) == 0)
		return MR_OK;
	store_t *st = mailstore();
	if (st == NULL)
		return MR_ERR_INTERNAL;
	int rc = store_mailbox_ensure(st, mailbox);
	if (rc != STORE_OK)
		return mailstore_status(rc, MR_ERR_NOMAILBOX, MR_ERR_NOMAILBOX);
	snprintf(ensured, sizeof(ensured), "%s", mailbox);
	return MR_OK;
}

mr_status mailstore_status(int store_status, mr_status if_notfound, mr_status if_invalid)
{
	switch (store_status) {
	case STORE_OK: return MR_OK;
	case STORE_NOTFOUND: return if_notfound;
	case STORE_EXISTS: return MR_ERR_EXISTS;
	case STORE_NOTEMPTY: return MR_ERR_NOTEMPTY;
	case STORE_INVALID: return if_invalid;
	case STORE_TOOBIG: return MR_ERR_TOOBIG;
	case STORE_QUOTA: return MR_ERR_QUOTA;
	case STORE_DENIED: return MR_ERR_WELLKNOWN;
	case STORE_BUSY: return MR_ERR_BUSY;
	case STORE_DISABLED: return MR_ERR_DISABLED;
	case STORE_CORRUPT: return MR_ERR_INTERNAL; /* logged with its key; the call changed nothing */
	default: return MR_ERR_INTERNAL;
	}
}
