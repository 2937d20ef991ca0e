/*
 * fuzz_imap_parse.c -- libFuzzer harness for the gateway's IMAP command
 * parser (gateway/imap_parse.c): any bytes as one whole command, then
 * every atom as a sequence set, as the command handlers will use them.
 * Build and run: make fuzz-build; tests/fuzz/run fuzz_imap_parse
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap_parse.h"

static void walk(const struct imap_arg *args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (args[i].type == IMAP_ARG_LIST) {
			walk(args[i].list, args[i].count);
		} else if (args[i].type == IMAP_ARG_ATOM) {
			struct imap_seqset set;
			if (imap_seqset_parse(args[i].data, args[i].len, &set) == 0)
				imap_seqset_free(&set);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_command cmd;
	const char *error;
	if (imap_parse_command((const char *)data, size, &cmd, &error) == 0) {
		walk(cmd.args, cmd.nargs);
		imap_command_free(&cmd);
	} else if (strcmp(error, "Command too complex") == 0) {
		abort(); /* the string arena is sized so that this cannot happen */
	}
	return 0;
}
