/*
 * fetch_parallel.c -- the rest of a large message over several connections
 * at once (see mr_fetch_parallel in internal.h).
 *
 * One RPCSEC_GSS context allows one call in flight, and a privacy call's
 * unwrap on this side and wrap on the server's each keep about one core
 * busy, so one stream leaves cores idle.  Here the caller's connection and
 * up to streams - 1 extra ones (made like it by mr_connect_like, each in
 * its own thread, their context set-ups one at a time)
 * fetch disjoint chunks; the calling thread writes them in order through a
 * small reorder window.  Writing in order, also to regular files, keeps the
 * file a prefix of the message at every moment: an interrupted download
 * leaves nothing but that prefix, which is what --resume continues from.
 *
 * A connection that fails hands its chunk back and stops; the others go on
 * (so a failed extra connection only costs speed).  The download fails when
 * the server refuses the message or when no connection is left.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WINDOW_PER_STREAM 2    /* chunks each stream may run ahead */
#define STREAMS_LIMIT 16

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_READY };

struct slot {
	unsigned char *buf;        /* job->chunk bytes */
	size_t len;
	enum slot_state state;
};

struct job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct mailrpc *conn;      /* the caller's; also the model for extra ones */
	const struct mr_sink *sink; /* size and digest every chunk must repeat */
	uint64_t id, base, nchunks;
	size_t chunk;              /* bytes per chunk (the last one may be short) */
	uint64_t next;             /* first chunk nobody took yet */
	uint64_t written;          /* chunks written to the sink */
	uint64_t redo[STREAMS_LIMIT]; /* chunks handed back by failed connections */
	int nredo;
	struct slot *slots;
	unsigned nslots;
	int running;               /* workers that may still deliver */
	int stop;                  /* the writer gave up: workers quit */
	int fatal;                 /* a refusal that ends the download */
	struct mailrpc_error fatal_err;
	int lost;                  /* status of the first connection lost */
	struct mailrpc_error lost_err;
};

struct worker {
	struct job *job;
	int extra;                 /* opens (and closes) its own connection */
	pthread_t thread;
};

static uint64_t chunk_offset(const struct job *job, uint64_t chunk)
{
	return job->base + chunk * job->chunk;
}

static size_t chunk_length(const struct job *job, uint64_t chunk)
{
	uint64_t left = job->sink->size - chunk_offset(job, chunk);
	return left < job->chunk ? (size_t)left : job->chunk;
}

/* Under mu: the next chunk for a worker, or -1 when there is none left
 * (waits while the window is full). */
static int64_t take_chunk(struct job *job)
{
	for (;;) {
		if (job->stop || job->fatal)
			return -1;
		if (job->nredo > 0)
			return (int64_t)job->redo[--job->nredo];
		if (job->next >= job->nchunks)
			return -1;
		if (job->next < job->written + job->nslots) {
			job->slots[job->next % job->nslots].state = SLOT_BUSY;
			return (int64_t)job->next++;
		}
		pthread_cond_wait(&job->cv, &job->mu);
	}
}

/* One whole chunk into buf (a reply may be shorter than asked for). */
static int fetch_chunk(struct job *job, struct mailrpc *conn, uint64_t chunk, unsigned char *buf,
		       struct mailrpc_error *err)
{
	uint64_t offset = chunk_offset(job, chunk);
	size_t want = chunk_length(job, chunk), have = 0;
	while (have < want) {
		size_t got = 0;
		uint64_t size = 0;
		unsigned char sha256[32];
		int status = mailrpc_fetch(conn, job->id, offset + have, buf + have, want - have,
					   &got, &size, sha256, err);
		if (status == MAILRPC_OK)
			status = mr_sink_expect(job->sink, size, sha256, err);
		if (status == MAILRPC_OK && got == 0)
			status = mr_fail(err, MAILRPC_E_RPC, "server sent no data at offset %llu",
					 (unsigned long long)(offset + have));
		if (status != MAILRPC_OK)
			return status;
		have += got;
	}
	return MAILRPC_OK;
}

/* Failures of the connection (lost, timed out, credentials) are the
 * connection's; refusals of the request are the message's. */
static int connection_failure(int status)
{
	return status >= MAILRPC_E_CONNECT && status != MAILRPC_E_CORRUPT;
}

/* Under mu: records the outcome of one chunk; returns 0 to keep working. */
static int settle(struct job *job, uint64_t chunk, int status, const struct mailrpc_error *err)
{
	struct slot *slot = &job->slots[chunk % job->nslots];
	if (status == MAILRPC_OK) {
		slot->len = chunk_length(job, chunk);
		slot->state = SLOT_READY;
		return 0;
	}
	if (connection_failure(status)) {
		job->redo[job->nredo++] = chunk;
		if (!job->lost) {
			job->lost = status;
			job->lost_err = *err;
		}
	} else if (!job->fatal) {
		job->fatal = status;
		job->fatal_err = *err;
	}
	return -1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct job *job = w->job;
	struct mailrpc *conn = job->conn;
	struct mailrpc_error err = {0};
	/* An extra connection that cannot be made just leaves the work to the others. */
	if (w->extra && mr_connect_like(job->conn, &conn, NULL) != MAILRPC_OK)
		conn = NULL;
	pthread_mutex_lock(&job->mu);
	int64_t chunk = conn ? take_chunk(job) : -1;
	while (chunk >= 0) {
		unsigned char *buf = job->slots[(uint64_t)chunk % job->nslots].buf;
		pthread_mutex_unlock(&job->mu);
		int status = fetch_chunk(job, conn, (uint64_t)chunk, buf, &err);
		pthread_mutex_lock(&job->mu);
		int more = settle(job, (uint64_t)chunk, status, &err) == 0;
		/* Before take_chunk, which may sleep until the writer moves on. */
		pthread_cond_broadcast(&job->cv);
		chunk = more ? take_chunk(job) : -1;
	}
	job->running--;
	pthread_cond_broadcast(&job->cv);
	pthread_mutex_unlock(&job->mu);
	if (w->extra)
		mailrpc_close(&conn);
	return NULL;
}

/* The calling thread: writes ready chunks in order until all are written,
 * the server refuses, or no worker is left to deliver the next one. */
static int write_in_order(struct job *job, struct mr_sink *sink, struct mailrpc_error *err)
{
	int status = MAILRPC_OK;
	pthread_mutex_lock(&job->mu);
	while (job->written < job->nchunks) {
		struct slot *slot = &job->slots[job->written % job->nslots];
		if (slot->state == SLOT_READY) {
			pthread_mutex_unlock(&job->mu);
			status = mr_sink_write(sink, slot->buf, slot->len, err);
			pthread_mutex_lock(&job->mu);
			if (status != MAILRPC_OK)
				break;
			slot->state = SLOT_FREE;
			job->written++;
			pthread_cond_broadcast(&job->cv);
			continue;
		}
		if (job->fatal) {
			status = job->fatal;
			*err = job->fatal_err;
			break;
		}
		if (job->running == 0) {
			status = job->lost ? job->lost : MAILRPC_E_RPC;
			if (job->lost)
				*err = job->lost_err;
			else
				mr_fail(err, MAILRPC_E_RPC, "the download stopped early");
			break;
		}
		pthread_cond_wait(&job->cv, &job->mu);
	}
	job->stop = 1;
	pthread_cond_broadcast(&job->cv);
	pthread_mutex_unlock(&job->mu);
	return status;
}

static int job_init(struct job *job, struct mailrpc *conn, uint64_t id, const struct mr_sink *sink,
		    int streams, size_t chunk)
{
	memset(job, 0, sizeof(*job));
	pthread_mutex_init(&job->mu, NULL);
	pthread_cond_init(&job->cv, NULL);
	job->conn = conn;
	job->sink = sink;
	job->id = id;
	job->base = sink->offset;
	job->chunk = chunk;
	job->nchunks = (sink->size - sink->offset + chunk - 1) / chunk;
	job->nslots = (unsigned)streams * WINDOW_PER_STREAM;
	job->slots = calloc(job->nslots, sizeof(*job->slots));
	if (job->slots == NULL)
		return -1;
	for (unsigned i = 0; i < job->nslots; i++)
		if ((job->slots[i].buf = malloc(chunk)) == NULL)
			return -1;
	return 0;
}

static void job_free(struct job *job)
{
	for (unsigned i = 0; job->slots && i < job->nslots; i++)
		free(job->slots[i].buf);
	free(job->slots);
	pthread_mutex_destroy(&job->mu);
	pthread_cond_destroy(&job->cv);
}

/* Starts workers; the first uses the caller's connection.  Returns how many run. */
static int start_workers(struct job *job, struct worker *workers, int streams)
{
	int started = 0;
	pthread_mutex_lock(&job->mu);
	for (int i = 0; i < streams; i++) {
		workers[i] = (struct worker){.job = job, .extra = i > 0};
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
			break;
		job->running++;
		started++;
	}
	pthread_mutex_unlock(&job->mu);
	return started;
}

int mr_fetch_parallel(struct mailrpc *conn, uint64_t id, struct mr_sink *sink, int streams,
		      size_t chunk, struct mailrpc_error *err)
{
	struct worker workers[STREAMS_LIMIT];
	struct job job;
	struct mailrpc_error local;
	if (err == NULL)
		err = &local;
	if (streams > STREAMS_LIMIT)
		streams = STREAMS_LIMIT;
	int status = MAILRPC_OK;
	if (job_init(&job, conn, id, sink, streams, chunk) != 0) {
		job_free(&job);
		return mr_fail(err, MAILRPC_E_NOMEM, "out of memory");
	}
	int started = start_workers(&job, workers, streams);
	if (started == 0)
		status = mr_fail(err, MAILRPC_E_NOMEM, "cannot start a download thread");
	else
		status = write_in_order(&job, sink, err);
	for (int i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	job_free(&job);
	return status;
}
