/* daemon.c -- detaching and the pidfile (see daemon.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

void daemon_start(int foreground, const char *pidfile)
{
	if (!foreground) {
		if (daemon(1, 0) != 0)
			log_fatal("daemon: %s", strerror(errno));
		log_init(0);
	}
	if (pidfile == NULL)
		return;
	FILE *f = fopen(pidfile, "w");
	if (f == NULL || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
		log_fatal("cannot write pidfile %s: %s", pidfile, strerror(errno));
}
