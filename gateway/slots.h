/*
 * slots.h -- the listener's table of connections, in memory shared with
 * the connection processes: each process marks its own slot once its
 * client has logged in, so the listener can count the connections of an
 * address that have not (a flood of unauthenticated connections from one
 * address must not lock everyone else out).
 */
#ifndef GW_SLOTS_H
#define GW_SLOTS_H

#include <sys/types.h>

#define SLOT_ADDR_MAX 64

struct slot {
	pid_t pid;		  /* 0: free */
	char addr[SLOT_ADDR_MAX]; /* peer address, no port */
	int authenticated;	  /* written by the connection process */
};

struct slots {
	struct slot *slot;
	int n;
};

/* Shared anonymous memory for n slots; -1 if it cannot be had. */
int slots_init(struct slots *t, int n);

/* Connections in use: all, and those of addr not (yet) authenticated. */
int slots_in_use(const struct slots *t);
int slots_unauthenticated(const struct slots *t, const char *addr);

/* A free slot for addr (pid set later by slots_claim), or NULL. */
struct slot *slots_take(struct slots *t, const char *addr);
void slots_claim(struct slot *s, pid_t pid);
/* Frees pid's slot; 0 if it had one. */
int slots_release(struct slots *t, pid_t pid);

/* Called by a connection process when its client logged in. */
void slot_mark_authenticated(struct slot *s);

#endif
