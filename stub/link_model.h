/*
 * link_model.h -- what libmailrpc learns of a connection's speed, and the
 * reply timeouts, chunk sizes and reconnection delays it chooses from that
 * (link_model.c).  Pure computation, no I/O: unit-tested in
 * tests/unit/test_link_model.c.  The link layer (link.h) feeds it.
 *
 * Model: a call moving n bytes (request and reply) takes rtt + n / rate.
 * Calls moving little measure rtt; calls moving more measure rate.  Both
 * are exponentially weighted moving averages (the rate's of seconds per
 * byte), so a link that slows down is followed within a call or two, and
 * one that speeds up within a few.
 */
#ifndef MAILRPC_LINK_MODEL_H
#define MAILRPC_LINK_MODEL_H

#include <stddef.h>

/* Chunks of bulk transfers take about this long at the measured rate... */
#define MR_LINK_CHUNK_SECONDS 2.0
/* ...but are never smaller than this (nor larger than the server allows). */
#define MR_LINK_CHUNK_MIN 16384
/* A call moving less than this measures the round trip, not the rate. */
#define MR_LINK_SMALL_CALL 4096
/* Until a rate is measured, timeouts assume a link this slow (bytes/s,
 * about 32 kbit/s): generous for a modem, and soon replaced by a measure. */
#define MR_LINK_ASSUMED_RATE 4000.0
/* A reply may take this many times its expected time... */
#define MR_LINK_TIMEOUT_FACTOR 4.0
/* ...and never less than this (server work, a busy host) or more than that. */
#define MR_LINK_TIMEOUT_FLOOR 10
#define MR_LINK_TIMEOUT_CAP 600
/* A round trip under this, before any rate is measured, means a local
 * network: transfers start with full-size chunks instead of small ones. */
#define MR_LINK_LAN_RTT 0.02
/* Reconnection delays double from the configured one up to this cap, and
 * each is stretched or shrunk by up to a quarter at random, so clients cut
 * off together do not all come back in the same instant. */
#define MR_LINK_BACKOFF_CAP_MS 10000

struct mr_link_model {
	double rtt;  /* seconds; 0: not measured yet */
	double rate; /* bytes per second; 0: not measured yet */
	int calls;   /* calls observed */
};

/* Feeds one completed call: bytes it moved both ways, seconds it took. */
void mr_model_observe(struct mr_link_model *l, size_t bytes, double seconds);

/* Feeds a round trip measured some other way (the context set-up). */
void mr_model_observe_rtt(struct mr_link_model *l, double seconds);

/* Expected seconds for a call moving bytes. */
double mr_model_expect(const struct mr_link_model *l, size_t bytes);

/* Seconds to wait for the reply of a call moving bytes:
 * FACTOR x expected, at least floor_s, at most MR_LINK_TIMEOUT_CAP. */
int mr_model_timeout(const struct mr_link_model *l, size_t bytes, int floor_s);

/* Bytes per chunk of a bulk transfer: MR_LINK_CHUNK_SECONDS worth at the
 * measured rate, between MR_LINK_CHUNK_MIN and max.  Unmeasured: max on a
 * link with a LAN round trip, else MR_LINK_CHUNK_MIN. */
size_t mr_model_chunk(const struct mr_link_model *l, size_t max);

/* Milliseconds to wait before reconnection attempt n (0 is the first):
 * base_ms doubled n times, jittered by r (uniform in [0, 1): x0.75..x1.25),
 * capped at MR_LINK_BACKOFF_CAP_MS. */
long mr_model_backoff_ms(int base_ms, int n, double r);

#endif
