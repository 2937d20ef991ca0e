/* gateway.h -- the one entry point behind mailrpc-imapd and mailrpc-pop3d. */
#ifndef GW_GATEWAY_H
#define GW_GATEWAY_H

#include "config.h"

int gw_main(int argc, char **argv, enum gw_protocol protocol);

#endif
