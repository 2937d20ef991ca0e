/*
 * options.h -- a daemon's settings from one table: each entry is a long
 * flag (--NAME) and the config file key of the same name (NAME = value),
 * with its type, limits and help.  A flag added to the table is a config
 * key, a usage line and a --check-config line with no other code.
 *
 * Order: the table's defaults (set by the caller), then the config file,
 * then the flags -- flags win.  A repeatable option given as a flag
 * replaces what the file listed.  Errors name FILE:LINE for the file and
 * the flag for the command line.
 */
#ifndef MAILRPC_COMMON_OPTIONS_H
#define MAILRPC_COMMON_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_FLAG,   /* int 0/1; no argument; in a file yes/no, true/false, on/off, 1/0 */
	OPT_STRING, /* const char * */
	OPT_LIST,   /* struct opt_list, repeatable, at most max entries */
	OPT_INT,    /* int in min..max */
	OPT_BYTES,  /* unsigned long long in min..max, K/M/G suffixes (bytes.h) */
	OPT_LEVEL,  /* int: auth, integrity or privacy (level.h) */
	OPT_MILLIS, /* int milliseconds, written as seconds with a fraction, min..max ms */
	OPT_CHOICE, /* int: the index of the value among arg's words, "trash|expunge" */
};

#define OPT_LIST_MAX 32

struct opt_list {
	const char *item[OPT_LIST_MAX];
	int n;
};

/* A string option's own rule; returns 0, or -1 with a reason in why. */
typedef int (*opt_check_fn)(const char *value, char *why, size_t why_size);

struct opt_def {
	const char *name; /* flag --name and config key name */
	enum opt_type type;
	size_t offset;	    /* offsetof(the daemon's config struct, field) */
	long long min, max; /* OPT_INT, OPT_BYTES, OPT_MILLIS; OPT_LIST: max entries */
	const char *arg;    /* the value's name in usage: ADDR:PORT, SECONDS */
	const char *help;   /* one line, for --help and the man page */
	int required;	    /* must be set by the file or a flag */
	opt_check_fn check; /* OPT_STRING, OPT_LIST: NULL or a validator */
};

struct opt_spec {
	const char *program;	    /* for messages: mailrpcd */
	const char *default_config; /* read if present; --config FILE must exist */
	const struct opt_def *defs;
	size_t n_defs;
};

/* What the command line asked for besides settings. */
struct opt_run {
	const char *config_path; /* the file read, or NULL if none */
	int check_config;	 /* --check-config given */
};

/* Fills cfg (already holding the defaults) from the config file and argv.
 * --help prints usage and exits 0; a bad flag or missing required
 * setting exits 64 (EX_USAGE), a bad config file 78 (EX_CONFIG), after
 * one line on stderr naming the flag or FILE:LINE. */
void opt_load(const struct opt_spec *spec, int argc, char **argv, void *cfg, struct opt_run *run_r);

/* Parses one config file's text into cfg (the file step of opt_load,
 * exposed for tests); returns 0, or -1 with "FILE:LINE: why" in why.
 * text is modified and must outlive cfg. */
int opt_parse_text(const struct opt_spec *spec, const char *path, char *text, void *cfg, char *why,
		   size_t why_size);

/* Writes every setting as config file lines (a valid file itself). */
void opt_print(const struct opt_spec *spec, const void *cfg, FILE *out);

/* Writes the usage: one line per option with its help. */
void opt_usage(const struct opt_spec *spec, FILE *out);

#endif
