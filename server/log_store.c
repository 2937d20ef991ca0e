/* log_store.c -- the store's lines into the daemon's log (see log_store.h). */
#include "log_store.h"

#include "log.h"
#include "store.h"

static void log_store_line(void *ctx, int level, const char *line)
{
	(void)ctx;
	if (level <= STORE_LOG_WARNING)
		log_warn("%s", line);
	else
		log_info("%s", line);
}

void log_store_init(void)
{
	store_set_log(log_store_line, NULL);
}
