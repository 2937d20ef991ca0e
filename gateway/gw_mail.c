/* gw_mail.c -- the mail service in the gateway (see gw_mail.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gw_mail.h"
#include "mail.h"

static struct mail_config mail_config;
static struct mail_service *service; /* this process's */

int gw_mail_setup(const struct gw_config *cfg, char *why, size_t why_len)
{
	store_t *st = NULL;
	mail_config = (struct mail_config){.store_dir = cfg->store_dir,
					   .public_admins = cfg->public_admins.item,
					   .n_public_admins = cfg->public_admins.n};
	if (mkdir(cfg->store_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(why, why_len, "cannot create store directory %s: %s", cfg->store_dir,
			 strerror(errno));
		return -1;
	}
	int rc = store_open(cfg->store_dir, NULL, &st);
	store_close(&st);
	if (rc != STORE_OK) {
		snprintf(why, why_len, "cannot open the store in %s: %s", cfg->store_dir,
			 store_strerror(rc));
		return -1;
	}
	return 0;
}

int gw_mail_login(struct gw_session *s, const char *principal)
{
	if (service == NULL && mail_service_new(&mail_config, &service) != MAIL_OK)
		return MAIL_ERR_INTERNAL;
	mail_session_free(&s->mail);
	int status = mail_session_new(service, principal, &s->mail);
	if (status == MAIL_OK)
		status = mail_whoami(s->mail);
	if (status == MAIL_OK)
		snprintf(s->mailbox, sizeof(s->mailbox), "%s", mail_session_mailbox(s->mail));
	else
		mail_session_free(&s->mail);
	return status;
}

void gw_mail_logout(struct gw_session *s)
{
	mail_session_free(&s->mail);
}
