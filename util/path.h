/*
 * path.h — the name at the end of a path: what follows its last '/' and,
 * in kbdiag.exe, its last '\' too (Windows takes either between names).
 */
#ifndef KBDIAG_UTIL_PATH_H
#define KBDIAG_UTIL_PATH_H

#include <stdbool.h>

/* Whether c separates a path's names. */
bool kbu_path_sep(char c);
/* The name after the last separator of path (all of it when none). */
const char *kbu_path_name(const char *path);

#endif
