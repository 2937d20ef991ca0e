/* slots.c -- the shared connection table (see slots.h). */
#include <string.h>
#include <sys/mman.h>

#include "slots.h"

/* A slot taken but not yet given its pid: never matches a real pid. */
#define SLOT_PENDING (-1)

int slots_init(struct slots *t, int n)
{
	void *p = mmap(NULL, sizeof(struct slot) * (size_t)n, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	t->slot = p;
	t->n = n;
	return 0;
}

int slots_in_use(const struct slots *t)
{
	int used = 0;
	for (int i = 0; i < t->n; i++)
		used += t->slot[i].pid != 0;
	return used;
}

int slots_unauthenticated(const struct slots *t, const char *addr)
{
	int count = 0;
	for (int i = 0; i < t->n; i++) {
		const struct slot *s = &t->slot[i];
		if (s->pid != 0 && !__atomic_load_n(&s->authenticated, __ATOMIC_ACQUIRE) &&
		    strcmp(s->addr, addr) == 0)
			count++;
	}
	return count;
}

struct slot *slots_take(struct slots *t, const char *addr)
{
	for (int i = 0; i < t->n; i++) {
		struct slot *s = &t->slot[i];
		if (s->pid != 0)
			continue;
		s->pid = SLOT_PENDING;
		s->authenticated = 0;
		strncpy(s->addr, addr, sizeof(s->addr) - 1);
		s->addr[sizeof(s->addr) - 1] = '\0';
		return s;
	}
	return NULL;
}

void slots_claim(struct slot *s, pid_t pid)
{
	s->pid = pid;
}

int slots_release(struct slots *t, pid_t pid)
{
	for (int i = 0; i < t->n; i++)
		if (t->slot[i].pid == pid) {
			memset(&t->slot[i], 0, sizeof(t->slot[i]));
			return 0;
		}
	return -1;
}

void slot_mark_authenticated(struct slot *s)
{
	if (s != NULL)
		__atomic_store_n(&s->authenticated, 1, __ATOMIC_RELEASE);
}
