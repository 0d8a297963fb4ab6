/*
 * path.c — the last name of a path (path.h).
 */
#include "path.h"

bool kbu_path_sep(char c)
{
#ifdef _WIN32
	return c == '/' || c == '\\';
#else
	return c == '/';
#endif
}

const char *kbu_path_name(const char *path)
{
	const char *name = path;
	for (const char *p = path; *p; p++)
		if (kbu_path_sep(*p))
			name = p + 1;
	return name;
}
