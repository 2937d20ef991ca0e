/*
 * level.h -- names of RPCSEC_GSS service levels, shared by mailrpcd,
 * libmailrpc and the CLI so that every part spells them the same way.
 */
#ifndef MAILRPC_COMMON_LEVEL_H
#define MAILRPC_COMMON_LEVEL_H

/* Values equal the IDL's mr_level and the public mailrpc_level. */
enum level_value {
	LEVEL_AUTH = 1,      /* authenticated, calls neither signed nor sealed */
	LEVEL_INTEGRITY = 2, /* every call and reply signed */
	LEVEL_PRIVACY = 3    /* every call and reply encrypted */
};

/* "auth", "integrity", "privacy"; "unknown" for anything else. */
const char *level_name(int level);

/* Parses a level name; returns 0 when the name is not a level. */
int level_parse(const char *name);

#endif
