/* options.c -- settings from one table: config file, then flags (see options.h). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "bytes.h"
#include "level.h"
#include "options.h"

/* A config file is a few dozen lines; anything this big is not one. */
#define CONFIG_MAX_BYTES (1 << 20)

enum { OPT_VAL_CONFIG = 1, OPT_VAL_CHECK, OPT_VAL_HELP, OPT_VAL_FIRST = 0x100 };

static void *field(void *cfg, const struct opt_def *d)
{
	return (char *)cfg + d->offset;
}

static const void *cfield(const void *cfg, const struct opt_def *d)
{
	return (const char *)cfg + d->offset;
}

static const struct opt_def *find_def(const struct opt_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->n_defs; i++)
		if (strcmp(spec->defs[i].name, name) == 0)
			return &spec->defs[i];
	return NULL;
}

static int parse_flag_word(const char *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
										    "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int parse_integer(const char *v, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return (end == v || *end != '\0' || errno != 0) ? -1 : 0;
}

/* Seconds with an optional fraction as milliseconds. */
static int parse_millis(const char *v, long long *out)
{
	char *end;
	errno = 0;
	double s = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !(s >= 0 && s <= 1e9))
		return -1;
	*out = (long long)(s * 1000 + 0.5);
	return 0;
}

static int range_error(const struct opt_def *d, const char *v, char *why, size_t n)
{
	if (d->type == OPT_MILLIS)
		snprintf(why, n, "%s must be %g..%g seconds, not '%s'", d->name, d->min / 1000.0,
			 d->max / 1000.0, v);
	else
		snprintf(why, n, "%s must be %lld..%lld%s, not '%s'", d->name, d->min, d->max,
			 d->type == OPT_BYTES ? " bytes (K, M, G allowed)" : "", v);
	return -1;
}

/* Sets one option from its text; 0, or -1 with why. */
/* The index of word among the |-separated words of choices, or -1. */
static int choice_index(const char *choices, const char *word)
{
	size_t len = strlen(word);
	int i = 0;
	for (const char *p = choices; p != NULL; i++) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && n == len && strncmp(p, word, n) == 0)
			return i;
		p = end ? end + 1 : NULL;
	}
	return -1;
}

/* The choices as a person reads them: "keep, trash or expunge". */
static void choices_text(const char *choices, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (const char *p = choices; p != NULL && used < n;) {
		const char *end = strchr(p, '|');
		int len = (int)(end ? (size_t)(end - p) : strlen(p));
		const char *sep = p == choices ? "" : end ? ", " : " or ";
		int w = snprintf(out + used, n - used, "%s%.*s", sep, len, p);
		used += w > 0 ? (size_t)w : 0;
		p = end ? end + 1 : NULL;
	}
}

/* Writes word i of choices. */
static void print_choice(FILE *out, const char *choices, int i)
{
	const char *p = choices;
	while (i-- > 0 && p != NULL)
		p = (p = strchr(p, '|')) ? p + 1 : NULL;
	if (p != NULL)
		fprintf(out, "%.*s", (int)strcspn(p, "|"), p);
}

static int set_value(const struct opt_def *d, void *cfg, const char *v, char *why, size_t n)
{
	long long num;
	unsigned long long bytes;
	switch (d->type) {
	case OPT_FLAG:
		if ((num = parse_flag_word(v)) < 0) {
			snprintf(why, n, "%s takes yes or no, not '%s'", d->name, v);
			return -1;
		}
		*(int *)field(cfg, d) = (int)num;
		return 0;
	case OPT_STRING:
	case OPT_LIST:
		if (*v == '\0') {
			snprintf(why, n, "%s needs a value", d->name);
			return -1;
		}
		char reason[200];
		if (d->check && d->check(v, reason, sizeof(reason)) != 0) {
			snprintf(why, n, "%s %s", d->name, reason);
			return -1;
		}
		if (d->type == OPT_STRING) {
			*(const char **)field(cfg, d) = v;
			return 0;
		}
		struct opt_list *list = field(cfg, d);
		if (list->n >= d->max || list->n >= OPT_LIST_MAX) {
			snprintf(why, n, "%s: at most %lld may be given", d->name, d->max);
			return -1;
		}
		list->item[list->n++] = v;
		return 0;
	case OPT_INT:
		if (parse_integer(v, &num) != 0 || num < d->min || num > d->max)
			return range_error(d, v, why, n);
		*(int *)field(cfg, d) = (int)num;
		return 0;
	case OPT_BYTES:
		if (bytes_parse(v, &bytes) != 0 || bytes < (unsigned long long)d->min ||
		    bytes > (unsigned long long)d->max)
			return range_error(d, v, why, n);
		*(unsigned long long *)field(cfg, d) = bytes;
		return 0;
	case OPT_MILLIS:
		if (parse_millis(v, &num) != 0 || num < d->min || num > d->max)
			return range_error(d, v, why, n);
		*(int *)field(cfg, d) = (int)num;
		return 0;
	case OPT_LEVEL:
		if ((num = level_parse(v)) == 0) {
			snprintf(why, n, "%s must be auth, integrity or privacy, not '%s'", d->name,
				 v);
			return -1;
		}
		*(int *)field(cfg, d) = (int)num;
		return 0;
	case OPT_CHOICE:
		if ((num = choice_index(d->arg, v)) < 0) {
			char words[128];
			choices_text(d->arg, words, sizeof(words));
			snprintf(why, n, "%s takes %s, not '%s'", d->name, words, v);
			return -1;
		}
		*(int *)field(cfg, d) = (int)num;
		return 0;
	}
	snprintf(why, n, "%s: unknown option type", d->name);
	return -1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* One "key = value" line; 0, or -1 with why (without FILE:LINE). */
static int parse_line(const struct opt_spec *spec, char *line, int lineno, int *set_at, void *cfg,
		      char *why, size_t n)
{
	char *eq = strchr(line, '=');
	if (eq == NULL) {
		snprintf(why, n, "expected 'key = value', not '%.80s'", line);
		return -1;
	}
	*eq = '\0';
	char *key = trim(line), *value = trim(eq + 1);
	const struct opt_def *d = find_def(spec, key);
	if (d == NULL) {
		snprintf(why, n, "unknown key '%.80s'", key);
		return -1;
	}
	size_t i = (size_t)(d - spec->defs);
	if (d->type != OPT_LIST && set_at[i] != 0) {
		snprintf(why, n, "%s is already set on line %d", key, set_at[i]);
		return -1;
	}
	set_at[i] = lineno;
	return set_value(d, cfg, value, why, n);
}

int opt_parse_text(const struct opt_spec *spec, const char *path, char *text, void *cfg, char *why,
		   size_t why_size)
{
	int *set_at = calloc(spec->n_defs, sizeof(*set_at));
	if (set_at == NULL) {
		snprintf(why, why_size, "%s: out of memory", path);
		return -1;
	}
	int lineno = 0, rc = 0;
	char reason[256];
	for (char *line = text, *next; line != NULL && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (parse_line(spec, s, lineno, set_at, cfg, reason, sizeof(reason)) != 0) {
			snprintf(why, why_size, "%s:%d: %s", path, lineno, reason);
			rc = -1;
		}
	}
	free(set_at);
	return rc;
}

/* The whole file, NUL-terminated; NULL with why.  Kept for the life of
 * the process: the settings point into it. */
static char *read_file(const char *path, char *why, size_t n)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, n, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *text = malloc(CONFIG_MAX_BYTES + 1);
	size_t len = text ? fread(text, 1, CONFIG_MAX_BYTES + 1, f) : 0;
	int failed = text == NULL || ferror(f);
	fclose(f);
	if (failed || len > CONFIG_MAX_BYTES || memchr(text, '\0', len) != NULL) {
		snprintf(why, n, "%s: %s", path,
			 failed ? "cannot be read" : "is not a config file (too big or binary)");
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

static void die(const struct opt_spec *spec, int status, const char *why)
{
	fprintf(stderr, "%s: %s\n", spec->program, why);
	if (status == EX_USAGE)
		fprintf(stderr, "%s: see %s --help\n", spec->program, spec->program);
	exit(status);
}

static void load_file(const struct opt_spec *spec, const char *path, int must_exist, void *cfg)
{
	static char *texts[4]; /* reachable for as long as the settings are */
	static size_t n_texts;
	char why[512];
	if (!must_exist && access(path, F_OK) != 0)
		return;
	char *text = read_file(path, why, sizeof(why));
	if (text == NULL)
		die(spec, EX_CONFIG, why);
	if (n_texts < sizeof(texts) / sizeof(texts[0]))
		texts[n_texts++] = text;
	if (opt_parse_text(spec, path, text, cfg, why, sizeof(why)) != 0)
		die(spec, EX_CONFIG, why);
}

static struct option *long_options(const struct opt_spec *spec)
{
	struct option *o = calloc(spec->n_defs + 4, sizeof(*o));
	if (o == NULL)
		die(spec, EX_OSERR, "out of memory");
	for (size_t i = 0; i < spec->n_defs; i++)
		o[i] = (struct option){spec->defs[i].name,
				       spec->defs[i].type == OPT_FLAG ? no_argument
								      : required_argument,
				       NULL, OPT_VAL_FIRST + (int)i};
	o[spec->n_defs] = (struct option){"config", required_argument, NULL, OPT_VAL_CONFIG};
	o[spec->n_defs + 1] = (struct option){"check-config", no_argument, NULL, OPT_VAL_CHECK};
	o[spec->n_defs + 2] = (struct option){"help", no_argument, NULL, OPT_VAL_HELP};
	return o;
}

struct flag_use {
	const struct opt_def *def;
	const char *value;
};

/* Reads argv into uses (applied after the file); settles run_r. */
static size_t scan_argv(const struct opt_spec *spec, int argc, char **argv, struct flag_use *uses,
			struct opt_run *run_r)
{
	struct option *longopts = long_options(spec);
	size_t n = 0;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char why[256];
		if (opt == OPT_VAL_CONFIG) {
			run_r->config_path = optarg;
		} else if (opt == OPT_VAL_CHECK) {
			run_r->check_config = 1;
		} else if (opt == OPT_VAL_HELP || opt == 'h') {
			opt_usage(spec, stdout);
			exit(0);
		} else if (opt >= OPT_VAL_FIRST) {
			const struct opt_def *d = &spec->defs[opt - OPT_VAL_FIRST];
			uses[n++] = (struct flag_use){d, d->type == OPT_FLAG ? "yes" : optarg};
		} else {
			snprintf(why, sizeof(why), "unknown option or missing value: %s",
				 argv[optind - 1]);
			die(spec, EX_USAGE, why);
		}
	}
	free(longopts);
	if (optind != argc) {
		char why[256];
		snprintf(why, sizeof(why), "unexpected argument: %s", argv[optind]);
		die(spec, EX_USAGE, why);
	}
	return n;
}

static int is_set(const struct opt_def *d, const void *cfg)
{
	if (d->type == OPT_STRING)
		return *(const char *const *)cfield(cfg, d) != NULL;
	if (d->type == OPT_LIST)
		return ((const struct opt_list *)cfield(cfg, d))->n > 0;
	return 1;
}

void opt_load(const struct opt_spec *spec, int argc, char **argv, void *cfg, struct opt_run *run_r)
{
	struct flag_use *uses = calloc((size_t)argc + 1, sizeof(*uses));
	if (uses == NULL)
		die(spec, EX_OSERR, "out of memory");
	*run_r = (struct opt_run){0};
	size_t n = scan_argv(spec, argc, argv, uses, run_r);

	int explicit = run_r->config_path != NULL;
	const char *path = explicit ? run_r->config_path : spec->default_config;
	if (path != NULL) {
		load_file(spec, path, explicit, cfg);
		run_r->config_path = explicit || access(path, F_OK) == 0 ? path : NULL;
	}
	/* A repeatable flag replaces the file's list, like any other flag. */
	for (size_t i = 0; i < n; i++)
		if (uses[i].def->type == OPT_LIST)
			((struct opt_list *)field(cfg, uses[i].def))->n = 0;
	for (size_t i = 0; i < n; i++) {
		char why[256], msg[300];
		if (set_value(uses[i].def, cfg, uses[i].value, why, sizeof(why)) != 0) {
			snprintf(msg, sizeof(msg), "--%s", why);
			die(spec, EX_USAGE, msg);
		}
	}
	free(uses);
	for (size_t i = 0; i < spec->n_defs; i++) {
		const struct opt_def *d = &spec->defs[i];
		if (d->required && !is_set(d, cfg)) {
			char why[256];
			snprintf(why, sizeof(why), "--%s %s is required (or %s = in %s)", d->name,
				 d->arg ? d->arg : "", d->name,
				 run_r->config_path ? run_r->config_path : spec->default_config);
			die(spec, EX_USAGE, why);
		}
	}
}

static void print_one(const struct opt_def *d, const void *cfg, FILE *out)
{
	const void *p = cfield(cfg, d);
	switch (d->type) {
	case OPT_FLAG:
		fprintf(out, "%s = %s\n", d->name, *(const int *)p ? "yes" : "no");
		break;
	case OPT_STRING:
		if (*(const char *const *)p == NULL)
			fprintf(out, "# %s is not set\n", d->name);
		else
			fprintf(out, "%s = %s\n", d->name, *(const char *const *)p);
		break;
	case OPT_LIST: {
		const struct opt_list *l = p;
		if (l->n == 0)
			fprintf(out, "# %s is not set\n", d->name);
		for (int i = 0; i < l->n; i++)
			fprintf(out, "%s = %s\n", d->name, l->item[i]);
		break;
	}
	case OPT_INT:
		fprintf(out, "%s = %d\n", d->name, *(const int *)p);
		break;
	case OPT_BYTES:
		fprintf(out, "%s = %llu\n", d->name, *(const unsigned long long *)p);
		break;
	case OPT_MILLIS:
		fprintf(out, "%s = %g\n", d->name, *(const int *)p / 1000.0);
		break;
	case OPT_LEVEL:
		fprintf(out, "%s = %s\n", d->name, level_name(*(const int *)p));
		break;
	case OPT_CHOICE:
		fprintf(out, "%s = ", d->name);
		print_choice(out, d->arg, *(const int *)p);
		fputc('\n', out);
		break;
	}
}

void opt_print(const struct opt_spec *spec, const void *cfg, FILE *out)
{
	for (size_t i = 0; i < spec->n_defs; i++)
		print_one(&spec->defs[i], cfg, out);
}

void opt_usage(const struct opt_spec *spec, FILE *out)
{
	fprintf(out, "usage: %s [--config FILE] [--check-config] [OPTION]...\n", spec->program);
	fprintf(out,
		"Each option may also be set in the config file (default %s) as NAME = VALUE;\n"
		"flags win over the file.\n\n",
		spec->default_config);
	for (size_t i = 0; i < spec->n_defs; i++) {
		const struct opt_def *d = &spec->defs[i];
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", d->name, d->arg ? " " : "",
			 d->arg ? d->arg : "");
		fprintf(out, "  %-28s %s%s%s\n", left, d->help, d->required ? " (required)" : "",
			d->type == OPT_LIST ? " (repeatable)" : "");
	}
	fprintf(out, "  %-28s %s\n  %-28s %s\n", "--config FILE", "read settings from FILE",
		"--check-config", "print the effective settings, check them, and exit");
}
