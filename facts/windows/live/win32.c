/*
 * win32.c — what the live Windows collectors' API halves share: UTF-16
 * strings as UTF-8, functions of DLLs that older Windows versions lack
 * (loaded at run time so that kbdiag.exe starts on NT 4.0), and notes for
 * calls that failed.  Compiled only for Windows (live.cmake).
 */
#include <stdlib.h>
#include <string.h>

#include "live_win32.h"
#include "xalloc.h"

char *kbf_live_wide(const WCHAR *s)
{
	size_t n = 0;
	while (s && s[n])
		n++;
	struct kbf_wtext_buf b = {0};
	kbf_live_utf16(&b, (const unsigned char *)s, n * 2);
	kbf_wtext_buf_addc(&b, '\0');
	return b.s;
}

char *kbf_live_ansi(const char *s)
{
	int n = MultiByteToWideChar(CP_ACP, 0, s ? s : "", -1, NULL, 0);
	WCHAR *w = kbu_calloc(n > 0 ? (size_t)n : 1, sizeof(WCHAR));
	if (n > 0)
		MultiByteToWideChar(CP_ACP, 0, s ? s : "", -1, w, n);
	char *u = kbf_live_wide(w);
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
