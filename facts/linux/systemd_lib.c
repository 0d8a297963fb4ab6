/*
 * systemd_lib.c — the table of systemd_lib.h, filled from libsystemd on
 * first use.
 */
#ifdef KBDIAG_HAVE_SYSTEMD
#define KBF_LIBSYSTEMD_LOADING /* the table's own member names, not the macros */
#include "systemd_lib.h"

KBF_DYNLIB_DEFINE(kbf_libsystemd, kbf_libsystemd, KBDIAG_SONAME_SYSTEMD, KBF_LIBSYSTEMD_FUNCS)
#endif
