/* pop3d.c -- mailrpc-pop3d: the gateway as a POP3 server. */
#include "gateway.h"

int main(int argc, char **argv)
{
	return gw_main(argc, argv, GW_POP3);
}
