/* ready.c -- readiness through sd_notify(3) (see ready.h). */
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "ready.h"

void ready_notify(const char *status)
{
	/* MAINPID: after daemon() the serving process is not the one started. */
	sd_notifyf(0, "READY=1\nSTATUS=%s\nMAINPID=%lu", status, (unsigned long)getpid());
}

void ready_stopping(void) { sd_notify(0, "STOPPING=1"); }
