/*
 * imap_date.h -- IMAP dates (RFC 3501 9): INTERNALDATE as
 * "dd-Mon-yyyy hh:mm:ss +0000" (UTC), and the date SEARCH and APPEND take
 * ("1-Feb-1994"; "dd-Mon-yyyy hh:mm:ss +zzzz").  Month names are
 * English whatever the locale.
 */
#ifndef GW_IMAP_DATE_H
#define GW_IMAP_DATE_H

#include <stdint.h>

#include "buf.h"

/* The quoted date-time of unix time t (UTC). */
int imap_write_date_time(struct buf *out, int64_t t);

/* A search date ("d-Mon-yyyy") as days since 1970-01-01; 0 or -1. */
int imap_parse_date(const char *text, int64_t *days_r);

/* An APPEND date-time as unix time; 0 or -1. */
int imap_parse_date_time(const char *text, int64_t *t_r);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian; m 1..12). */
int64_t imap_civil_day(int64_t y, unsigned m, unsigned d);

/* The UTC day (days since 1970-01-01) of unix time t. */
int64_t imap_day_of(int64_t t);

#endif
