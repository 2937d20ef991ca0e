/*
 * progress.c -- a one-line progress bar on stderr, only when stderr is a
 * terminal (scripts and tests see nothing).
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

void cli_progress(uint64_t done, uint64_t total, void *ctx)
{
	struct cli_progress *p = ctx;
	if (!isatty(STDERR_FILENO))
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double t = (double)now.tv_sec + now.tv_nsec / 1e9;
	if (p->start == 0)
		p->start = t;
	/* Ten redraws a second are plenty; always draw the last one. */
	if (done < total && t - p->drawn < 0.1)
		return;
	p->drawn = t;
	int width = 30, filled = total ? (int)(width * done / total) : width;
	double rate = t > p->start ? done / (t - p->start) / 1048576.0 : 0;
	fprintf(stderr, "\r%s [%-*.*s] %5.1f%% %.1f/%.1f MiB %.1f MiB/s", p->label, width, filled,
		"##############################", total ? 100.0 * done / total : 100.0,
		done / 1048576.0, total / 1048576.0, rate);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}
