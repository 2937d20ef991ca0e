/*
 * admin.h -- mailrpc-admin: local administration of a mailbox store on
 * the server host (like kadmin.local), straight through the store
 * library, safe while mailrpcd runs (LMDB serialises writers).
 */
#ifndef MAILRPC_ADMIN_H
#define MAILRPC_ADMIN_H

#include "store.h"

struct admin {
	const char *store_dir;
	store_t *store;         /* opened by admin_store() */
};

/* The store, opened on first use; exits 1 with a message if it cannot be. */
store_t *admin_store(struct admin *a);

/* Prints "mailrpc-admin: WHAT: store error text" and returns 1. */
int admin_fail(const char *what, int store_status);

/* Prints a usage line for one command and returns 64. */
int admin_usage(const char *synopsis);

/* Commands: argv[0] is the command name; return the exit status. */
int admin_list(struct admin *a, int argc, char **argv);
int admin_create(struct admin *a, int argc, char **argv);
int admin_delete(struct admin *a, int argc, char **argv);
int admin_disable(struct admin *a, int argc, char **argv);
int admin_enable(struct admin *a, int argc, char **argv);
int admin_quota(struct admin *a, int argc, char **argv);
int admin_usage_cmd(struct admin *a, int argc, char **argv);
int admin_dump(struct admin *a, int argc, char **argv);
int admin_restore(struct admin *a, int argc, char **argv);
int admin_verify(struct admin *a, int argc, char **argv);
int admin_policy(struct admin *a, int argc, char **argv);
int admin_import(struct admin *a, int argc, char **argv);
int admin_export(struct admin *a, int argc, char **argv);
int admin_domain(struct admin *a, int argc, char **argv);
int admin_alias(struct admin *a, int argc, char **argv);
int admin_pending(struct admin *a, int argc, char **argv);

#endif
