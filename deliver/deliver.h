/*
 * deliver.h -- mailrpc-deliver, the local delivery agent: shared between
 * the command line (main.c) and the message assembly (message.c).
 */
#ifndef MAILRPC_DELIVER_H
#define MAILRPC_DELIVER_H

#include <stddef.h>

/* The message as it will be stored: the added trace headers directly in
 * front of the bytes read from the MTA, in one buffer (no second copy of
 * a message that may be 50 MiB). */
struct deliver_msg {
	char *buf;          /* owner of everything below */
	const char *data;   /* start of the trace headers */
	size_t len;         /* trace headers + input */
	size_t input_len;   /* bytes read from the MTA */
};

enum deliver_read_status {
	DELIVER_READ_OK = 0,
	DELIVER_READ_TOOBIG,  /* more than max bytes of input (all of it read) */
	DELIVER_READ_ERROR    /* read error or out of memory; errno is set */
};

/* Reads all of fd (the MTA's copy of the message) and puts
 * "Return-Path: <SENDER>" (if sender is not NULL; "" is the null sender)
 * and "Delivered-To: USER" in front of it, ending those lines like the
 * message's first line (CRLF or LF).  Input over max bytes is read to the
 * end but not kept. */
int deliver_read_message(int fd, size_t max, const char *sender, const char *user,
			 struct deliver_msg *msg_r);

/* Frees the buffer; NULL-safe; leaves *msg zeroed. */
void deliver_msg_clear(struct deliver_msg *msg);

#endif
