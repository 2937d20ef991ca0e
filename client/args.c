/*
 * args.c -- argument parsing shared by the commands: operands of commands
 * that take no options, and numeric option values.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_operands(int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	/* Still run getopt: it takes "--" and rejects a mistyped option. */
	if (getopt_long(argc, argv, "", none, NULL) != -1)
		return -1;
	return optind;
}

int cli_parse_count(const char *text, const char *option, uint64_t max, uint64_t *value_r)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	*value_r = 0;
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v > max) {
		fprintf(stderr, "mailrpc: %s takes a number from 0 to %llu, not \"%s\"\n", option,
			(unsigned long long)max, text);
		return -1;
	}
	*value_r = v;
	return 0;
}
