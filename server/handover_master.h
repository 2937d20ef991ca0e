/*
 * handover_master.h -- the master's side of handing sends to the MTA
 * (handover_master.c).
 */
#ifndef MAILRPCD_HANDOVER_MASTER_H
#define MAILRPCD_HANDOVER_MASTER_H

#include <sys/types.h>

/* In the master, before any fork: SIGUSR1 means "messages wait"; the
 * first poll starts a hand-over process for everything waiting. */
void handover_master_init(void);
/* From the accept loop: starts (or wakes) the hand-over process if asked
 * to; listen_fd is closed in it. */
void handover_master_poll(int listen_fd);
/* Asks for a round at the next poll (housekeeping's safety net). */
void handover_master_kick(void);
/* 1 if pid was the hand-over process (then it is forgotten). */
int handover_master_reaped(pid_t pid, int status);
/* Stops the hand-over process (SIGTERM, then SIGKILL after a grace). */
void handover_master_stop(void);

/* In a connection process: tells the master that messages wait
 * (mail_config.handover_kick). */
void handover_kick_master(void);

#endif
