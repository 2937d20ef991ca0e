/*
 * status.h -- one readable sentence per mr_status (idl/mailrpc.x), shared
 * by mailrpcd's log and libmailrpc's error messages.
 */
#ifndef MAILRPC_COMMON_STATUS_H
#define MAILRPC_COMMON_STATUS_H

const char *status_text(int status);

#endif
