/*
 * win32.c — what the live Windows collectors' API halves share: ANSI
 * strings as UTF-8, functions of DLLs that older Windows versions lack
 * (loaded at run time so that kbdiag.exe starts on NT 4.0), and notes for
 * calls that failed.  Compiled only for Windows (live.cmake).
 */
#include <stdlib.h>
#include <string.h>

#include "live_win32.h"
#include "xalloc.h"

char *kbf_live_ansi(const char *s)
{
	wchar_t *w = kbu_win32_wide(s, CP_ACP);
	char *u = kbu_win32_utf8(w);
	free(w);
	return u;
}

FARPROC kbf_live_proc_address(const char *dll, const char *name)
{
	HMODULE m = GetModuleHandleA(dll);
	if (!m)
		m = LoadLibraryA(dll); /* kept loaded for the run: its functions are called again */
	return m ? GetProcAddress(m, name) : NULL;
}

void kbf_live_win_note(struct kbf_input *in, const char *what, DWORD error)
{
	kbf_input_skip(in, 0, "%s: Windows error %lu%s", what, (unsigned long)error,
		       error == ERROR_ACCESS_DENIED ? " (access denied: run as administrator to see it)" : "");
}
