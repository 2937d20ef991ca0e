/*
 * admin_shell.h -- what admin/main.c gives mailrpc-admin's commands
 * (admin_store; admin.h), for the harnesses that run those commands
 * in-process: the store is the harness's scratch one (admin_fail and
 * admin_usage are admin/report.c's, linked as they are).
 */
#ifndef MAILRPC_FUZZ_ADMIN_SHELL_H
#define MAILRPC_FUZZ_ADMIN_SHELL_H

#include "admin.h"

/* Runs a command (argv[0] its name, NULL-terminated) on st as main.c
 * would: fresh getopt state, the command's exit status back. */
int admin_shell_run(store_t *st, int (*run)(struct admin *, int, char **), char **argv);

#endif
