/* admin_shell.c -- mailrpc-admin's shell for in-process commands (see admin_shell.h). */
#include <getopt.h>

#include "admin_shell.h"

store_t *admin_store(struct admin *a)
{
	return a->store; /* the harness's, always open */
}

int admin_shell_run(store_t *st, int (*run)(struct admin *, int, char **), char **argv)
{
	struct admin a = {.store_dir = "(scratch)", .store = st};
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	optind = 0;
	return run(&a, argc, argv);
}
