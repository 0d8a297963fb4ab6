/*
 * iconv.c — iconv() over Windows code pages for kbdiag.exe (see
 * include/iconv.h).  MSDN: "Code Page Identifiers", MultiByteToWideChar
 * (MB_ERR_INVALID_CHARS), IsDBCSLeadByteEx.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <windows.h>

#include "iconv.h"
#include "posix.h"
#include "utf8.h"

struct kbu_iconv {
	UINT cp;
	bool dbcs; /* lead and trail bytes (932, 936) */
};

/* The code page glibc's name stands for; 0 when unknown. */
static UINT code_page(const char *name)
{
	static const struct { const char *name; UINT cp; } named[] = {
		{"GBK", 936}, {"CP936", 936}, {"SHIFT_JIS", 932}, {"SJIS", 932}, {"LATIN1", 28591},
		{"ISO-8859-1", 28591}, {"ISO-8859-15", 28605}, {"KOI8-R", 20866}, {"BIG5", 950},
	};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (_stricmp(name, named[i].name) == 0)
			return named[i].cp;
	const char *digits = !_strnicmp(name, "CP", 2) ? name + 2 : !_strnicmp(name, "WINDOWS-", 8) ? name + 8
			   : !_strnicmp(name, "IBM", 3)	? name + 3
							: NULL;
	if (!digits || !isdigit((unsigned char)*digits))
		return 0;
	char *end;
	unsigned long cp = strtoul(digits, &end, 10);
	return *end || cp == 0 || cp > 65000 ? 0 : (UINT)cp;
}

iconv_t iconv_open(const char *to, const char *from)
{
	UINT cp = code_page(from);
	CPINFO info;
	if (_stricmp(to, "UTF-8") != 0 || !cp || !IsValidCodePage(cp) || !GetCPInfo(cp, &info) ||
	    info.MaxCharSize > 2) {
		errno = EINVAL;
		return (iconv_t)-1;
	}
	iconv_t cd = malloc(sizeof(*cd));
	if (!cd)
		return errno = ENOMEM, (iconv_t)-1;
	*cd = (struct kbu_iconv){cp, info.MaxCharSize == 2};
	return cd;
}

int iconv_close(iconv_t cd)
{
	free(cd);
	return 0;
}

/* The character at p (n bytes, n >= 1) to *c; its length, 0 when it is
 * cut short, -1 when it is none. */
static int one_char(iconv_t cd, const unsigned char *p, size_t n, uint32_t *c)
{
	int len = cd->dbcs && IsDBCSLeadByteEx(cd->cp, p[0]) ? 2 : 1;
	if ((size_t)len > n)
		return 0;
	WCHAR w[2];
	int got = MultiByteToWideChar(cd->cp, MB_ERR_INVALID_CHARS, (const char *)p, len, w, 2);
	if (got != 1)
		return -1; /* no character (surrogate pairs: none in these code pages) */
	*c = w[0];
	return len;
}

size_t iconv(iconv_t cd, char **in, size_t *inleft, char **out, size_t *outleft)
{
	if (!in || !*in)
		return 0; /* a reset: nothing is kept between calls */
	while (*inleft) {
		uint32_t c;
		int len = one_char(cd, (const unsigned char *)*in, *inleft, &c);
		if (len <= 0)
			return errno = len == 0 ? EINVAL : EILSEQ, (size_t)-1;
		char buf[4];
		size_t n = kbu_utf8_put(buf, c);
		if (n > *outleft)
			return errno = E2BIG, (size_t)-1;
		memcpy(*out, buf, n);
		*out += n, *outleft -= n;
		*in += len, *inleft -= (size_t)len;
	}
	return 0;
}
