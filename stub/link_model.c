/* link_model.c -- link speed estimates and what follows from them (see link_model.h). */
#include "link_model.h"

/* Weight of a new sample: a few calls follow a change of link. */
#define EWMA_NEW 0.3
/* A transfer is credited with at least this share of its call's time, so
 * a round trip measured high cannot make a rate look infinite. */
#define MIN_TRANSFER_SHARE 0.25

static double ewma(double old, double sample)
{
	return old > 0 ? old + EWMA_NEW * (sample - old) : sample;
}

void mr_model_observe_rtt(struct mr_link_model *l, double seconds)
{
	if (seconds > 0)
		l->rtt = ewma(l->rtt, seconds);
}

void mr_model_observe(struct mr_link_model *l, size_t bytes, double seconds)
{
	if (seconds <= 0)
		return;
	l->calls++;
	if (bytes < MR_LINK_SMALL_CALL) {
		mr_model_observe_rtt(l, seconds);
		return;
	}
	double transfer = seconds - l->rtt;
	if (transfer < seconds * MIN_TRANSFER_SHARE)
		transfer = seconds * MIN_TRANSFER_SHARE;
	/* Averaged as time per byte: one slow sample slows the estimate at
	 * once, a fast one speeds it up only a little, which is the safe way
	 * round for timeouts. */
	double per_byte = l->rate > 0 ? 1 / l->rate : 0;
	l->rate = 1 / ewma(per_byte, transfer / (double)bytes);
}

double mr_model_expect(const struct mr_link_model *l, size_t bytes)
{
	double rate = l->rate > 0 ? l->rate : MR_LINK_ASSUMED_RATE;
	return l->rtt + (double)bytes / rate;
}

int mr_model_timeout(const struct mr_link_model *l, size_t bytes, int floor_s)
{
	double t = MR_LINK_TIMEOUT_FACTOR * mr_model_expect(l, bytes);
	if (t < floor_s)
		return floor_s;
	if (t > MR_LINK_TIMEOUT_CAP)
		return MR_LINK_TIMEOUT_CAP;
	return (int)t + 1;
}

size_t mr_model_chunk(const struct mr_link_model *l, size_t max)
{
	size_t min = MR_LINK_CHUNK_MIN < max ? MR_LINK_CHUNK_MIN : max;
	if (l->rate <= 0)
		return l->rtt > 0 && l->rtt < MR_LINK_LAN_RTT ? max : min;
	/* The round trip is paid once per chunk whatever its size. */
	double want = l->rate * (MR_LINK_CHUNK_SECONDS - l->rtt);
	if (want <= (double)min)
		return min;
	if (want >= (double)max)
		return max;
	/* Whole KiB: tidier offsets, same transfer. */
	return (size_t)want / 1024 * 1024;
}

long mr_model_backoff_ms(int base_ms, int n, double r)
{
	double ms = base_ms > 0 ? base_ms : 0;
	for (int i = 0; i < n && ms < MR_LINK_BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (r < 0 || r >= 1)
		r = 0.5;
	ms *= 0.75 + 0.5 * r;
	return ms > MR_LINK_BACKOFF_CAP_MS ? MR_LINK_BACKOFF_CAP_MS : (long)ms;
}
