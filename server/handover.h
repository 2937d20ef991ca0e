/*
 * handover.h -- the hand-over process of mailrpcd (handover.c): sends
 * waiting in the store go to the MTA.
 */
#ifndef MAILRPCD_HANDOVER_H
#define MAILRPCD_HANDOVER_H

#include <signal.h>

#include "store.h"

/* Hands over what is due (everything: all that waits, as at start) with
 * sendmail, then sleeps until the next attempt is due or *kicked is set,
 * and returns (0) once nothing waits or *stop is set; 1 if the store
 * failed (logged). */
int handover_run(const char *store_dir, const char *sendmail, int everything,
		 volatile sig_atomic_t *stop, volatile sig_atomic_t *kicked);

#endif
