/*
 * fuzz_pop3_parse.c -- libFuzzer harness for the gateway's POP3 command
 * parser (gateway/pop3_parse.c) and multi-line writer: any bytes as one
 * command line, and as a message body to dot-stuff.
 * Build and run: make fuzz-build; tests/fuzz/run fuzz_pop3_parse
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pop3_parse.h"
#include "pop3_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct pop3_command cmd;
	const char *error;
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	pop3_parse_command(line, size, &cmd, &error);
	free(line);
	struct buf out;
	buf_init(&out, 4 * size + 16);
	if (pop3_write_multiline(&out, (const char *)data, size) != 0)
		abort(); /* at most doubled, plus the terminator: never over */
	buf_free(&out);
	return 0;
}
