/* pop3_parse.c -- POP3 command lines (see pop3_parse.h). */
#include <ctype.h>
#include <string.h>

#include "pop3_parse.h"

int pop3_parse_command(char *line, size_t len, struct pop3_command *cmd, const char **error)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->rest = "";
	line[len] = '\0';
	if (strlen(line) != len) {
		*error = "NUL in command";
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < ' ' || line[i] == 127) {
			*error = "Control characters in command";
			return -1;
		}
	size_t n = 0;
	while (n < len && n < 4 && isalpha((unsigned char)line[n])) {
		cmd->keyword[n] = (char)toupper((unsigned char)line[n]);
		n++;
	}
	cmd->keyword[n] = '\0';
	if (n < 3 || (n < len && line[n] != ' ')) {
		*error = "Unknown command";
		return -1;
	}
	if (n == len)
		return 0;
	char *rest = line + n + 1;
	cmd->rest = rest;
	/* PASS takes the whole rest: its spaces are the password's. */
	if (strcmp(cmd->keyword, "PASS") == 0) {
		if (*rest != '\0')
			cmd->args[cmd->nargs++] = rest;
		return 0;
	}
	/* Arguments: single spaces between, none empty, none too long. */
	char *p = rest;
	while (*p != '\0') {
		if (cmd->nargs == POP3_MAX_ARGS) {
			*error = "Too many arguments";
			return -1;
		}
		char *space = strchr(p, ' ');
		size_t alen = space ? (size_t)(space - p) : strlen(p);
		if (alen == 0 || alen > POP3_ARG_MAX) {
			*error = alen == 0 ? "Arguments must be separated by single spaces"
					   : "Argument too long";
			return -1;
		}
		cmd->args[cmd->nargs++] = p;
		if (space == NULL)
			break;
		*space = '\0';
		p = space + 1;
		if (*p == '\0') {
			*error = "Trailing space";
			return -1;
		}
	}
	return 0;
}
