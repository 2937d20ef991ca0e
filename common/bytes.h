/*
 * bytes.h -- byte counts on command lines ("50M"), shared by mailrpcd and
 * mailrpc-deliver so that both read --max-message and --quota alike.
 */
#ifndef MAILRPC_COMMON_BYTES_H
#define MAILRPC_COMMON_BYTES_H

/* Decimal with an optional K, M or G suffix (powers of 1024); -1 if not one. */
int bytes_parse(const char *text, unsigned long long *v_r);

#endif
