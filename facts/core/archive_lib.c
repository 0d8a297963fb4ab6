/*
 * archive_lib.c — the table of archive_lib.h, filled from libarchive on
 * first use.
 */
#define KBF_LIBARCHIVE_LOADING /* the table's own member names, not the macros */
#include "archive_lib.h"

KBF_DYNLIB_DEFINE(kbf_libarchive, kbf_libarchive, KBDIAG_SONAME_ARCHIVE, KBF_LIBARCHIVE_FUNCS)
