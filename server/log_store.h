/*
 * log_store.h -- the store's diagnostics (store_set_log) as lines of the
 * daemon's log (log.h), so a corrupt record or a full map is seen where
 * the daemon's other messages are: syslog once detached.
 */
#ifndef MAILRPCD_LOG_STORE_H
#define MAILRPCD_LOG_STORE_H

/* Call once after log_init, before any store is opened. */
void log_store_init(void);

#endif
