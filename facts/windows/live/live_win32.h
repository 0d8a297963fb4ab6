/*
 * live_win32.h — what the live Windows collectors' API halves (*_win32.c,
 * built only for Windows) share beside live.h: UTF-16 strings, functions
 * loaded at run time, notes for failed calls, the process list.
 */
#ifndef KBDIAG_FACTS_WINDOWS_LIVE_LIVE_WIN32_H
#define KBDIAG_FACTS_WINDOWS_LIVE_LIVE_WIN32_H

#include <winsock2.h> /* before windows.h, which would bring the old winsock.h */
#include <windows.h>

#include "live.h"
#include "win32/wide.h" /* kbu_win32_utf8, kbu_win32_wide */

/* The process list (procs_win32.c), for the sockets collector's owners
 * too; false when this Windows has no Toolhelp32 (NT 4.0). */
bool kbf_live_procs_read(struct kbf_live_procs *p);
/* A function of a DLL loaded at run time (NULL when the system lacks it). */
FARPROC kbf_live_proc_address(const char *dll, const char *name);
/* Calls fn(ud, s) for each service the service control manager lists
 * (services_win32.c), with its configuration where OpenService allows
 * (*refused counts those it did not).  1 when the manager could not be
 * opened (noted), -1 when fn failed, else 0. */
int kbf_live_services_each(struct kbf_input *in, int (*fn)(void *ud, const struct kbf_live_service *s), void *ud,
			   size_t *refused);
/* A string in the ANSI code page (older APIs' only form) as a new UTF-8 string. */
char *kbf_live_ansi(const char *s);
/* Notes that a Windows call failed: "what: Windows error N". */
void kbf_live_win_note(struct kbf_input *in, const char *what, DWORD error);

#endif
