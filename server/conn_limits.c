/* conn_limits.c -- connections per peer and per principal (see conn_limits.h). */
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "config.h"
#include "conn_limits.h"
#include "log.h"
#include "mail.h"

enum slot_state {
	SLOT_FREE = 0,
	SLOT_PREAUTH, /* accepted, no call admitted yet */
	SLOT_AUTHED,  /* principal below is using it */
	SLOT_REFUSED  /* its principal had too many: closing */
};

struct slot {
	int state; /* enum slot_state, read and written atomically */
	pid_t pid;
	unsigned char addr[16]; /* the peer's address, IPv4 as IPv4-mapped */
	char principal[STORE_PRINCIPAL_MAX + 1];
};

struct table {
	unsigned per_user, preauth_per_peer; /* written by the master only */
	unsigned n;
	struct slot slot[];
};

static struct table *table;
static int mine = -1; /* a connection process's slot */

static unsigned clamp(uint64_t v)
{
	return v > UINT_MAX ? UINT_MAX : (unsigned)v;
}

void conn_limits_init(unsigned slots)
{
	size_t size = sizeof(struct table) + slots * sizeof(struct slot);
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		log_fatal("cannot map the connection table: %m");
	table = map; /* zero-filled: every slot free */
	table->n = slots;
	table->per_user = clamp(store_policy_def(STORE_POLICY_MAX_CONN_USER)->def);
	table->preauth_per_peer = clamp(store_policy_def(STORE_POLICY_MAX_PREAUTH_PEER)->def);
	conn_limits_refresh();
}

void conn_limits_refresh(void)
{
	struct mail_conn_limits l;
	if (mail_conn_limits(&config_get()->mail, &l) != MAIL_OK) {
		log_warn("cannot read the connection limits of the store's policy; keeping %u "
			 "per user, %u unauthenticated per address",
			 table->per_user, table->preauth_per_peer);
		return;
	}
	__atomic_store_n(&table->per_user, l.per_user, __ATOMIC_RELAXED);
	table->preauth_per_peer = l.preauth_per_peer;
}

/* The address of ss as 16 bytes, IPv4 mapped into IPv6.  An IPv6 peer
 * counts by its /64: one host commonly holds a whole /64, so counting
 * single addresses would limit nothing. */
static void addr_key(const struct sockaddr_storage *ss, unsigned char out[16])
{
	memset(out, 0, 16);
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		memcpy(out, a, IN6_IS_ADDR_V4MAPPED(a) ? 16 : 8);
	} else if (ss->ss_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	}
}

static int state_of(const struct slot *s)
{
	return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
}

int conn_limits_claim(const struct sockaddr_storage *ss)
{
	unsigned char addr[16];
	unsigned waiting = 0;
	int free_slot = -1;

	addr_key(ss, addr);
	for (unsigned i = 0; i < table->n; i++) {
		const struct slot *s = &table->slot[i];
		int st = state_of(s);
		if (st == SLOT_FREE && free_slot < 0)
			free_slot = (int)i;
		else if (st == SLOT_PREAUTH && memcmp(s->addr, addr, 16) == 0)
			waiting++;
	}
	if (waiting >= table->preauth_per_peer || free_slot < 0)
		return -1;
	struct slot *s = &table->slot[free_slot];
	memcpy(s->addr, addr, 16);
	s->pid = 0;
	s->principal[0] = '\0';
	__atomic_store_n(&s->state, SLOT_PREAUTH, __ATOMIC_RELEASE);
	return free_slot;
}

void conn_limits_bind(int slot, pid_t pid)
{
	table->slot[slot].pid = pid;
}

void conn_limits_unclaim(int slot)
{
	__atomic_store_n(&table->slot[slot].state, SLOT_FREE, __ATOMIC_RELEASE);
}

void conn_limits_release(pid_t pid)
{
	for (unsigned i = 0; i < table->n; i++)
		if (state_of(&table->slot[i]) != SLOT_FREE && table->slot[i].pid == pid) {
			__atomic_store_n(&table->slot[i].state, SLOT_FREE, __ATOMIC_RELEASE);
			return;
		}
}

void conn_limits_enter(int slot)
{
	mine = slot;
}

int conn_limits_admitted(void)
{
	return mine < 0 || state_of(&table->slot[mine]) == SLOT_AUTHED;
}

/* Connections of principal (as a slot holds it) in use, this one included. */
static unsigned using(const char *principal)
{
	unsigned n = 0;
	for (unsigned i = 0; i < table->n; i++)
		n += state_of(&table->slot[i]) == SLOT_AUTHED &&
		     strcmp(table->slot[i].principal, principal) == 0;
	return n;
}

int conn_limits_admit(const char *principal)
{
	if (mine < 0)
		return 1; /* not under a listener (no table) */
	struct slot *me = &table->slot[mine];
	int st = state_of(me);
	if (st != SLOT_PREAUTH)
		return st == SLOT_AUTHED;
	/* Marked first, counted after: two connections of one principal
	 * admitted at once both see each other, so together they can never
	 * pass the limit (at worst both are refused). */
	snprintf(me->principal, sizeof(me->principal), "%s", principal);
	__atomic_store_n(&me->state, SLOT_AUTHED, __ATOMIC_SEQ_CST);
	unsigned limit = __atomic_load_n(&table->per_user, __ATOMIC_RELAXED);
	if (using(me->principal) <= limit)
		return 1;
	__atomic_store_n(&me->state, SLOT_REFUSED, __ATOMIC_SEQ_CST);
	return 0;
}
