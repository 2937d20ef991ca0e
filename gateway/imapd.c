/* imapd.c -- mailrpc-imapd: the gateway as an IMAP4rev1 server. */
#include "gateway.h"

int main(int argc, char **argv)
{
	return gw_main(argc, argv, GW_IMAP);
}
