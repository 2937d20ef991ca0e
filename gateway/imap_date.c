/* imap_date.c -- IMAP dates (see imap_date.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "imap_date.h"

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int64_t imap_day_of(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

int imap_write_date_time(struct buf *out, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	return buf_printf(out, "\"%2d-%s-%04d %02d:%02d:%02d +0000\"", tm.tm_mday,
			  months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			  tm.tm_sec);
}

int64_t imap_civil_day(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "d-Mon-yyyy" at *p (advanced); 0 or -1. */
static int parse_day(const char **p, int64_t *days_r)
{
	const char *s = *p;
	int day = 0, year = 0, n = 0, month = -1;
	while (n < 2 && isdigit((unsigned char)*s))
		day = day * 10 + (*s++ - '0'), n++;
	if (n == 0 || day < 1 || day > 31 || *s++ != '-')
		return -1;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, months[i], 3) == 0)
			month = i;
	if (month < 0 || s[3] != '-')
		return -1;
	s += 4;
	for (n = 0; n < 4 && isdigit((unsigned char)*s); n++)
		year = year * 10 + (*s++ - '0');
	if (n != 4)
		return -1;
	/* No 30-Feb: the day must fall before the next month's first. */
	int64_t first = imap_civil_day(year, (unsigned)month + 1, 1);
	int64_t next = month == 11 ? imap_civil_day(year + 1, 1, 1)
				   : imap_civil_day(year, (unsigned)month + 2, 1);
	if (first + day - 1 >= next)
		return -1;
	*days_r = first + day - 1;
	*p = s;
	return 0;
}

int imap_parse_date(const char *text, int64_t *days_r)
{
	const char *p = text;
	return parse_day(&p, days_r) == 0 && *p == '\0' ? 0 : -1;
}

int imap_parse_date_time(const char *text, int64_t *t_r)
{
	const char *p = text;
	int64_t days;
	int h, m, sec, zh, zm;
	char sign;
	if (*p == ' ')
		p++; /* date-day-fixed: a space before a one-digit day */
	if (parse_day(&p, &days) != 0)
		return -1;
	if (sscanf(p, " %2d:%2d:%2d %c%2d%2d", &h, &m, &sec, &sign, &zh, &zm) != 6 ||
	    (sign != '+' && sign != '-') || h > 23 || m > 59 || sec > 60 || zm > 59)
		return -1;
	int64_t zone = (zh * 60 + zm) * 60 * (sign == '-' ? -1 : 1);
	*t_r = days * 86400 + h * 3600 + m * 60 + sec - zone;
	return 0;
}
