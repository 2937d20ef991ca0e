/*
 * test_options.c -- common/options.c: config file lines against a flag
 * table (every type, comments, lists, the errors that name FILE:LINE),
 * and flags over the file through opt_load itself.  The exits (bad
 * flags, bad files) are t_config.sh's, against the real daemons.
 */
#include <stddef.h>

#include "level.h"
#include "options.h"
#include "test_util.h"

struct demo_config {
	const char *listen;
	int level, flag, seconds, delay_ms, mode;
	unsigned long long size;
	struct opt_list names;
};

static int no_slash(const char *v, char *why, size_t n)
{
	if (strchr(v, '/') == NULL)
		return 0;
	snprintf(why, n, "has no '/'");
	return -1;
}

#define F(name) offsetof(struct demo_config, name)
static const struct opt_def demo_defs[] = {
    {"listen", OPT_STRING, F(listen), 0, 0, "ADDR:PORT", "where", 1, NULL},
    {"min-level", OPT_LEVEL, F(level), 0, 0, "LEVEL", "level", 0, NULL},
    {"foreground", OPT_FLAG, F(flag), 0, 0, NULL, "flag", 0, NULL},
    {"idle-timeout", OPT_INT, F(seconds), 1, 100, "SECONDS", "int", 0, NULL},
    {"max-message", OPT_BYTES, F(size), 1024, 1 << 20, "BYTES", "bytes", 0, NULL},
    {"delay", OPT_MILLIS, F(delay_ms), 0, 60000, "SECONDS", "millis", 0, NULL},
    {"name", OPT_LIST, F(names), 0, 2, "NAME", "list", 0, no_slash},
    {"mode", OPT_CHOICE, F(mode), 0, 0, "keep|trash|expunge", "choice", 0, NULL},
};
#undef F
static const struct opt_spec demo = {"demo", NULL, demo_defs,
				     sizeof(demo_defs) / sizeof(demo_defs[0])};

/* Parses text (copied: the parser writes into it); 0 or -1 with why. */
static int parse(const char *text, struct demo_config *cfg, char *why)
{
	static char copies[16][512];
	static int next;
	char *copy = copies[next++ % 16];
	snprintf(copy, 512, "%s", text);
	memset(cfg, 0, sizeof(*cfg));
	why[0] = '\0';
	return opt_parse_text(&demo, "/etc/demo.conf", copy, cfg, why, 256);
}

static void t_every_type(void)
{
	struct demo_config c;
	char why[256];
	CHECK(parse("# a comment\n\n  listen = 127.0.0.1:2049  \r\nmin-level=integrity\n"
		    "foreground = yes\nidle-timeout = 100\nmax-message = 1M\ndelay = 0.25\n"
		    "name = a\n\tname = b c\n",
		    &c, why) == 0);
	CHECK(strcmp(c.listen, "127.0.0.1:2049") == 0);
	CHECK(c.level == LEVEL_INTEGRITY && c.flag == 1 && c.seconds == 100);
	CHECK(c.size == 1 << 20 && c.delay_ms == 250);
	CHECK(c.names.n == 2 && strcmp(c.names.item[1], "b c") == 0);
	CHECK(parse("foreground = off\n", &c, why) == 0 && c.flag == 0);
	CHECK(parse("mode = keep\n", &c, why) == 0 && c.mode == 0);
	CHECK(parse("mode = expunge\n", &c, why) == 0 && c.mode == 2);
}

/* Each bad file: the line named and the reason, nothing guessed. */
static void t_errors_name_file_and_line(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"listen = x\nlisten-port = 1\n", "/etc/demo.conf:2: unknown key 'listen-port'"},
	    {"\n\nmin-level = priv\n",
	     "/etc/demo.conf:3: min-level must be auth, integrity or privacy, not 'priv'"},
	    {"idle-timeout = 0\n", "/etc/demo.conf:1: idle-timeout must be 1..100, not '0'"},
	    {"idle-timeout = 10s\n", "/etc/demo.conf:1: idle-timeout must be 1..100, not '10s'"},
	    {"idle-timeout = 99999999999999999999\n", "idle-timeout must be 1..100"},
	    {"max-message = 2M\n", "/etc/demo.conf:1: max-message must be 1024..1048576 bytes"},
	    {"delay = 61\n", "/etc/demo.conf:1: delay must be 0..60 seconds, not '61'"},
	    {"foreground = maybe\n", "/etc/demo.conf:1: foreground takes yes or no, not 'maybe'"},
	    {"listen\n", "/etc/demo.conf:1: expected 'key = value', not 'listen'"},
	    {"listen =\n", "/etc/demo.conf:1: listen needs a value"},
	    {"listen = a\n#\nlisten = b\n", "/etc/demo.conf:3: listen is already set on line 1"},
	    {"name = a\nname = b\nname = c\n", "/etc/demo.conf:3: name: at most 2 may be given"},
	    {"name = a/b\n", "/etc/demo.conf:1: name has no '/'"},
	    {"--listen = a\n", "/etc/demo.conf:1: unknown key '--listen'"},
	    {"mode = tras\n", "/etc/demo.conf:1: mode takes keep, trash or expunge, not 'tras'"},
	    {"mode = trash|expunge\n", "mode takes keep, trash or expunge, not 'trash|expunge'"},
	    {"mode = Keep\n", "mode takes keep, trash or expunge, not 'Keep'"},
	    {"mode = keep|\n", "mode takes keep, trash or expunge, not 'keep|'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct demo_config c;
		char why[256];
		CHECK(parse(bad[i].text, &c, why) == -1);
		if (strstr(why, bad[i].want) == NULL) {
			fprintf(stderr, "got [%s] want [%s]\n", why, bad[i].want);
			CHECK(!"error names file, line and reason");
		}
	}
}

/* Flags win; a list flag replaces the file's list. */
static void t_flags_over_file(void)
{
	char path[] = "/tmp/test_options.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char *text = "listen = 127.0.0.1:1\nidle-timeout = 5\nname = file1\nname = file2\n"
			   "min-level = auth\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	char *argv[] = {"demo", "--config",	path,	  "--idle-timeout", "7", "--name",
			"flag", "--foreground", "--mode", "trash",	    NULL};
	struct demo_config c = {.level = LEVEL_PRIVACY, .seconds = 1, .size = 2048};
	struct opt_run run;
	opt_load(&demo, 10, argv, &c, &run);
	CHECK(strcmp(run.config_path, path) == 0 && run.check_config == 0);
	CHECK(strcmp(c.listen, "127.0.0.1:1") == 0);
	CHECK(c.seconds == 7 && c.flag == 1 && c.level == LEVEL_AUTH);
	CHECK(c.names.n == 1 && strcmp(c.names.item[0], "flag") == 0);

	/* What --check-config prints is itself a file that reads back the same. */
	char out[1024];
	FILE *f = fmemopen(out, sizeof(out), "w");
	CHECK(f != NULL);
	opt_print(&demo, &c, f);
	fclose(f);
	CHECK(strstr(out, "idle-timeout = 7\n") && strstr(out, "min-level = auth\n") &&
	      strstr(out, "mode = trash\n"));
	struct demo_config again;
	char why[256];
	CHECK(parse(out, &again, why) == 0);
	CHECK(again.seconds == 7 && again.level == LEVEL_AUTH && again.names.n == 1 &&
	      again.flag == 1 && again.mode == 1 && strcmp(again.listen, c.listen) == 0);
	unlink(path);
}

int main(void)
{
	RUN(t_every_type);
	RUN(t_errors_name_file_and_line);
	RUN(t_flags_over_file);
	return 0;
}
