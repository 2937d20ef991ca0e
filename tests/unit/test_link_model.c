/*
 * test_link_model.c -- libmailrpc's link estimates (stub/link_model.c): timeouts and
 * chunk sizes on a modem and on a LAN, following a change of link, and the
 * capped, jittered reconnection backoff.
 */
#include <stdio.h>
#include <stdlib.h>

#include "link_model.h"
#include "check.h"

#define MAX_CHUNK 131072
#define MODEM 7000.0 /* 56 kbit/s in bytes per second */

/* Feeds what a link of rate bytes/s and round trip rtt would show. */
static void feed(struct mr_link_model *l, double rate, double rtt, int calls)
{
	for (int i = 0; i < calls; i++) {
		mr_model_observe(l, 200, rtt);
		mr_model_observe(l, 16384, rtt + 16384 / rate);
	}
}

static void t_unmeasured(void)
{
	struct mr_link_model l = {0};
	/* Nothing known: small chunks, generous timeouts. */
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MR_LINK_CHUNK_MIN);
	CHECK(mr_model_timeout(&l, 200, MR_LINK_TIMEOUT_FLOOR) == MR_LINK_TIMEOUT_FLOOR);
	int t = mr_model_timeout(&l, MAX_CHUNK, MR_LINK_TIMEOUT_FLOOR);
	CHECK(t >= MAX_CHUNK / MR_LINK_ASSUMED_RATE * 2 && t <= MR_LINK_TIMEOUT_CAP);
	/* A LAN round trip at set-up: full chunks from the start. */
	mr_model_observe_rtt(&l, 0.002);
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MAX_CHUNK);
	/* A modem's: small ones. */
	struct mr_link_model m = {0};
	mr_model_observe_rtt(&m, 0.3);
	CHECK(mr_model_chunk(&m, MAX_CHUNK) == MR_LINK_CHUNK_MIN);
}

static void t_modem(void)
{
	struct mr_link_model l = {0};
	feed(&l, MODEM, 0.15, 10);
	CHECK(l.rate > MODEM * 0.8 && l.rate < MODEM * 1.2);
	CHECK(l.rtt > 0.1 && l.rtt < 0.2);
	/* 2 s at 7 kB/s is under the minimum chunk. */
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MR_LINK_CHUNK_MIN);
	/* A full 128 KiB chunk takes ~19 s here: its timeout allows that
	 * several times over, yet stays bounded. */
	int t = mr_model_timeout(&l, MAX_CHUNK, MR_LINK_TIMEOUT_FLOOR);
	CHECK(t >= 2 * MAX_CHUNK / MODEM && t <= MR_LINK_TIMEOUT_CAP);
	/* A small call only gets the floor. */
	CHECK(mr_model_timeout(&l, 300, MR_LINK_TIMEOUT_FLOOR) == MR_LINK_TIMEOUT_FLOOR);
}

static void t_isdn(void)
{
	/* 16 kB/s: 2 s is 32 KB, between the bounds, in whole KiB. */
	struct mr_link_model l = {0};
	feed(&l, 16000, 0.05, 20);
	size_t c = mr_model_chunk(&l, MAX_CHUNK);
	CHECK(c > MR_LINK_CHUNK_MIN && c < MAX_CHUNK);
	CHECK(c % 1024 == 0);
	CHECK(c > 25000 && c < 34000);
}

static void t_lan(void)
{
	struct mr_link_model l = {0};
	feed(&l, 100e6, 0.0002, 5);
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MAX_CHUNK);
	/* A dead LAN link is noticed at the floor, even for the largest call. */
	CHECK(mr_model_timeout(&l, MAX_CHUNK, MR_LINK_TIMEOUT_FLOOR) == MR_LINK_TIMEOUT_FLOOR);
	/* The chunk never exceeds what the caller (the server) allows. */
	CHECK(mr_model_chunk(&l, 8192) == 8192);
}

static void t_follows_change(void)
{
	struct mr_link_model l = {0};
	feed(&l, 100e6, 0.0002, 5);
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MAX_CHUNK);
	/* The link degrades to a modem: within a few calls, chunks shrink. */
	feed(&l, MODEM, 0.15, 8);
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MR_LINK_CHUNK_MIN);
	/* And back. */
	feed(&l, 100e6, 0.0002, 12);
	CHECK(mr_model_chunk(&l, MAX_CHUNK) == MAX_CHUNK);
}

static void t_rtt_not_infinite_rate(void)
{
	/* A call faster than the round trip estimate (a slow set-up measured
	 * first) still yields a finite, sane rate. */
	struct mr_link_model l = {0};
	mr_model_observe_rtt(&l, 1.0);
	mr_model_observe(&l, 65536, 0.5);
	CHECK(l.rate > 0 && l.rate < 1e6);
	/* Nonsense samples are ignored. */
	struct mr_link_model z = {0};
	mr_model_observe(&z, 65536, 0);
	mr_model_observe(&z, 65536, -1);
	CHECK(z.rate == 0 && z.rtt == 0 && z.calls == 0);
}

static void t_backoff(void)
{
	/* Doubling from the base, without jitter at r = 0.5. */
	CHECK(mr_model_backoff_ms(500, 0, 0.5) == 500);
	CHECK(mr_model_backoff_ms(500, 1, 0.5) == 1000);
	CHECK(mr_model_backoff_ms(500, 3, 0.5) == 4000);
	/* Capped however many attempts (no overflow at 30 doublings). */
	CHECK(mr_model_backoff_ms(500, 5, 0.5) == MR_LINK_BACKOFF_CAP_MS);
	CHECK(mr_model_backoff_ms(500, 30, 0.99) == MR_LINK_BACKOFF_CAP_MS);
	CHECK(mr_model_backoff_ms(500, 1000, 0.0) <= MR_LINK_BACKOFF_CAP_MS);
	/* Jitter: a quarter either way. */
	CHECK(mr_model_backoff_ms(1000, 0, 0.0) == 750);
	CHECK(mr_model_backoff_ms(1000, 0, 0.999) >= 1240 &&
	      mr_model_backoff_ms(1000, 0, 0.999) < 1250);
	long lo = 1 << 30, hi = 0;
	for (int i = 0; i < 100; i++) {
		long ms = mr_model_backoff_ms(2000, 0, i / 100.0);
		lo = ms < lo ? ms : lo;
		hi = ms > hi ? ms : hi;
	}
	CHECK(lo == 1500 && hi >= 2450 && hi < 2500);
}

int main(void)
{
	RUN(t_unmeasured);
	RUN(t_modem);
	RUN(t_isdn);
	RUN(t_lan);
	RUN(t_follows_change);
	RUN(t_rtt_not_infinite_rate);
	RUN(t_backoff);
	return 0;
}
