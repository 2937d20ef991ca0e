/*
 * dump_format.h -- the text of a mailbox dump (mailrpc-admin dump and
 * restore; docs/dump-format.md is the reference): how fields are escaped
 * and split, shared by the writer (cmd_dump.c) and the reader
 * (dump_read.c).
 *
 * Version 2 lines are a keyword and fields separated by single spaces.
 * In a field, '%', space, every byte below 0x20 and DEL are written as
 * %XX (two hex digits); other bytes, UTF-8 included, stand for
 * themselves.  So no field can hold a separator or a line end, and a
 * field is never empty (the mailbox root is written "/", which is no
 * folder path).
 *
 * Version 1 (before escaping) wrote raw text and told fields apart by
 * tabs; it is still read, so old dumps stay restorable.
 */
#ifndef MAILRPC_DUMP_FORMAT_H
#define MAILRPC_DUMP_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#define DUMP_MAGIC "mailrpc-dump"
#define DUMP_VERSION 2
#define DUMP_FIELDS_MAX 6 /* the most a line has: a message line */

/* Writes s escaped (see above).  0, or -1 if the stream failed. */
int dump_put_field(FILE *f, const char *s);

/* Splits the fields after keyword kw (rest: the line after "kw ") into
 * fields[0..want-1], in place, unescaped for version 2.  NULL, or why the
 * line is malformed. */
const char *dump_split(char *rest, int version, const char *kw, char **fields, unsigned want);

/* Decimal numbers, all digits, no sign unless signed; 0 or -1. */
int dump_parse_u64(const char *s, uint64_t *v_r);
int dump_parse_i64(const char *s, int64_t *v_r);
/* 64 lowercase hex digits; 0 or -1. */
int dump_parse_sha256(const char *s, unsigned char out[32]);
/* out: 65 bytes. */
void dump_format_sha256(const unsigned char sha[32], char *out);

#endif
