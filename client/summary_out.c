/*
 * summary_out.c -- how message summaries, flags and sizes look on the
 * terminal and in --json output; shared by ls, search and flag so that
 * every command shows a message the same way.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const struct {
	unsigned bit;
	const char *name;
	char letter;
} flag_names[] = {
	{MAILRPC_FLAG_SEEN, "seen", 'S'},
	{MAILRPC_FLAG_FLAGGED, "flagged", 'F'},
	{MAILRPC_FLAG_ANSWERED, "answered", 'A'},
	{MAILRPC_FLAG_DRAFT, "draft", 'D'},
	{MAILRPC_FLAG_DELETED, "deleted", 'X'},
};
#define N_FLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

/* Column widths of the text listing. */
#define FOLDER_COLS 16
#define FROM_COLS 24
#define SUBJECT_COLS 40

unsigned cli_flag_bit(const char *name)
{
	for (size_t i = 0; i < N_FLAGS; i++)
		if (strcmp(name, flag_names[i].name) == 0)
			return flag_names[i].bit;
	return 0;
}

const char *cli_human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;
	if (bytes < 1024) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < (int)sizeof(units) - 2) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
	return buf;
}

/* Bytes in the UTF-8 sequence at s; 1 for a byte that starts none. */
static size_t seq_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1; /* also stops at the terminating NUL */
	return n;
}

/* C0/C1 controls, DEL and stray bytes: never sent raw to a terminal. */
static int unprintable(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] >= 0x7F;
	return n == 2 && s[0] == 0xC2 && s[1] < 0xA0;
}

int cli_text_width(const char *s)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p += seq_len(p))
		cols++;
	return cols;
}

/* Prints at most max characters of s; returns how many it printed. */
static int put_text(const char *s, int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int cols = 0;
	for (; *p && cols < max; cols++) {
		size_t n = seq_len(p);
		if (unprintable(p, n))
			putchar('?');
		else
			fwrite(p, 1, n, stdout);
		p += n;
	}
	return cols;
}

void cli_print_cell(const char *s, int width)
{
	int cut = cli_text_width(s) > width;
	int cols = put_text(s, cut ? width - 1 : width);
	if (cut) {
		fputs("\u2026", stdout);
		cols++;
	}
	printf("%*s", width - cols, "");
}

/* Digits of the largest id, so the id column lines up. */
static int id_width(const struct mailrpc_msglist *list)
{
	int width = 1;
	for (size_t i = 0; i < list->count; i++) {
		int w = snprintf(NULL, 0, "%llu", (unsigned long long)list->items[i].id);
		width = w > width ? w : width;
	}
	return width;
}

static void print_line(const struct mailrpc_summary *s, int idw, int with_folder)
{
	char flags[N_FLAGS + 1], when[32], size[16];
	for (size_t i = 0; i < N_FLAGS; i++)
		flags[i] = (s->flags & flag_names[i].bit) ? flag_names[i].letter : '-';
	flags[N_FLAGS] = '\0';
	time_t t = (time_t)s->received;
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(when, sizeof(when), "%-16s", "?");
	printf("%*llu  %s  %s  ", idw, (unsigned long long)s->id, flags, when);
	if (with_folder) {
		cli_print_cell(s->folder, FOLDER_COLS);
		fputs("  ", stdout);
	}
	cli_print_cell(s->from, FROM_COLS);
	fputs("  ", stdout);
	cli_print_cell(s->subject, SUBJECT_COLS);
	printf("  %6s\n", cli_human_size(s->size, size, sizeof(size)));
}

static json_t *flags_json(unsigned flags)
{
	json_t *names = json_array();
	for (size_t i = 0; names != NULL && i < N_FLAGS; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		if (json_array_append_new(names, json_string(flag_names[i].name)) != 0) {
			json_decref(names);
			return NULL;
		}
	}
	return names;
}

static json_t *summary_json(const struct mailrpc_summary *s)
{
	char hex[65];
	for (size_t i = 0; i < sizeof(s->sha256); i++)
		snprintf(hex + 2 * i, 3, "%02x", s->sha256[i]);
	/* "o" takes the flags array, or makes the whole pack fail when it is NULL. */
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:s}", "id",
			 (json_int_t)s->id, "folder", s->folder, "from", s->from, "to", s->to, "cc",
			 s->cc, "subject", s->subject, "date", s->date, "message_id", s->message_id,
			 "received", (json_int_t)s->received, "size", (json_int_t)s->size, "flags",
			 flags_json(s->flags), "sha256", hex);
}

json_t *cli_msglist_json(const struct mailrpc_msglist *list)
{
	json_t *array = json_array();
	for (size_t i = 0; array != NULL && i < list->count; i++)
		if (json_array_append_new(array, summary_json(&list->items[i])) != 0) {
			json_decref(array);
			return NULL;
		}
	return array;
}

int cli_print_msglist(const struct cli *cli, const struct mailrpc_msglist *list, int with_folder)
{
	if (cli->json)
		return cli_print_json(cli_msglist_json(list));
	int idw = id_width(list);
	for (size_t i = 0; i < list->count; i++)
		print_line(&list->items[i], idw, with_folder);
	return 0;
}
