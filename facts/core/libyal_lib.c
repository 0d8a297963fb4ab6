/*
 * libyal_lib.c — the tables of libyal_lib.h, each filled from its library
 * on first use.
 */
#define KBF_LIBYAL_LOADING /* the tables' own member names, not the macros */
#include "libyal_lib.h"

KBF_DYNLIB_DEFINE(kbf_libbfio, kbf_libbfio, KBDIAG_SONAME_BFIO, KBF_LIBBFIO_FUNCS)
KBF_DYNLIB_DEFINE(kbf_libevtx, kbf_libevtx, KBDIAG_SONAME_EVTX, KBF_LIBEVTX_FUNCS)
KBF_DYNLIB_DEFINE(kbf_libevt, kbf_libevt, KBDIAG_SONAME_EVT, KBF_LIBEVT_FUNCS)
KBF_DYNLIB_DEFINE(kbf_libregf, kbf_libregf, KBDIAG_SONAME_REGF, KBF_LIBREGF_FUNCS)
