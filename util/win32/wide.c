/*
 * wide.c — UTF-16 to UTF-8 and back for the Win32 wide functions.
 */
#include <stdlib.h>
#include <windows.h>

#include "utf8.h"
#include "wide.h"
#include "xalloc.h"

char *kbu_win32_utf8(const wchar_t *s)
{
	size_t n = 0;
	while (s && s[n])
		n++;
	char *out = kbu_malloc(n * 3 + 1), *o = out; /* a UTF-16 unit is at most 3 UTF-8 bytes; a pair is 4 for 2 */
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n * 2;) {
		uint32_t c;
		i += kbu_utf16_get(p + i, n * 2 - i, true, &c);
		o += kbu_utf8_put(o, c);
	}
	*o = '\0';
	return out;
}

wchar_t *kbu_win32_wide(const char *s, unsigned cp)
{
	s = s ? s : "";
	int n = MultiByteToWideChar(cp, 0, s, -1, NULL, 0);
	wchar_t *w = kbu_malloc((n > 0 ? (size_t)n : 1) * sizeof(*w));
	if (n <= 0 || !MultiByteToWideChar(cp, 0, s, -1, w, n))
		w[0] = L'\0';
	return w;
}
