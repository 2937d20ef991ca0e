/*
 * import.h -- where imported messages go: one folder of one mailbox.
 * Checks each message, skips those already there (so an interrupted
 * import can simply be run again), stores the rest and counts all three
 * outcomes; shows progress when stderr is a terminal.
 */
#ifndef MAILRPC_IMPORT_H
#define MAILRPC_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct import_known;

struct import_sink {
	store_t *st;
	const char *user, *folder;
	struct import_known *known;  /* SHA-256 of the folder's messages, sorted */
	size_t nknown;
	uint64_t imported, duplicates, malformed;
	double drawn;                /* progress: last redraw, 0 = never */
};

/* Reads the SHA-256 of every message already in the folder.  A store
 * status. */
int import_begin(struct import_sink *s, store_t *st, const char *user, const char *folder);

/* Stores one message unless it is malformed (reported, counted) or
 * already in the folder: for each SHA-256, as many copies as the folder
 * held before the import are skipped.  where names it in reports
 * ("FILE:LINE").  Returns a store status only for errors that stop the
 * import (quota, store failures); STORE_OK otherwise. */
int import_message(struct import_sink *s, const char *where, const void *body, size_t len,
		   uint32_t flags, int64_t received);

/* Counts and reports a message that cannot be imported. */
void import_malformed(struct import_sink *s, const char *where, const char *why);

/* A note on stderr about something imported anyway. */
void import_note(struct import_sink *s, const char *where, const char *what);

/* Progress line on a terminal, at most ten redraws a second. */
void import_progress(struct import_sink *s, uint64_t done, uint64_t total);

/* Prints the counts on stdout, frees; the exit status: 0, or 1 if some
 * message was malformed. */
int import_end(struct import_sink *s);

#endif
