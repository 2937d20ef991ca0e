/* level.c -- service level names (see level.h). */
#include <string.h>

#include "level.h"

static const char *const names[] = {
	[LEVEL_AUTH] = "auth",
	[LEVEL_INTEGRITY] = "integrity",
	[LEVEL_PRIVACY] = "privacy",
};

const char *level_name(int level)
{
	if (level < LEVEL_AUTH || level > LEVEL_PRIVACY)
		return "unknown";
	return names[level];
}

int level_parse(const char *name)
{
	for (int level = LEVEL_AUTH; level <= LEVEL_PRIVACY; level++)
		if (strcmp(name, names[level]) == 0)
			return level;
	return 0;
}
