/*
 * text.c — turning a customer's file into UTF-8 lines.  Windows tools
 * write UTF-16 (wevtutil, wmic and PowerShell redirected to a file), the
 * ANSI code page (Windows-1252 in the West) or UTF-8, with CRLF line ends;
 * netstat piped through some shells even ends lines in CR CR LF.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "utf8.h"
#include "xalloc.h"

/* Windows-1252 0x80..0x9F; the rest of the upper half is Latin-1.  Unused
 * positions map to U+FFFD.  (Table from the code page's public definition.) */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static char *from_utf16(const unsigned char *p, size_t n, bool le, size_t *outlen)
{
	char *out = kbu_malloc(n / 2 * 3 + 4 + 1);
	size_t o = 0;
	for (size_t i = 0; i + 1 < n;) {
		uint32_t c;
		i += kbu_utf16_get(p + i, n - i, le, &c);
		if (c == 0)
			continue; /* stray NULs would cut C strings short */
		o += kbu_utf8_put(out + o, c);
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static char *from_cp1252(const unsigned char *p, size_t n, size_t *outlen)
{
	char *out = kbu_malloc(n * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = p[i];
		if (c >= 0x80 && c < 0xA0)
			c = cp1252_high[c - 0x80];
		if (c == 0)
			continue;
		o += kbu_utf8_put(out + o, c);
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static char *copy_utf8(const unsigned char *p, size_t n, size_t *outlen)
{
	char *out = kbu_malloc(n + 1);
	memcpy(out, p, n);
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* UTF-8 announced by a BOM is taken at its word, but a byte in it that is
 * not UTF-8, or a NUL, becomes U+FFFD: facts are C strings of UTF-8. */
static char *bom_utf8(const unsigned char *p, size_t n, size_t *outlen)
{
	char *fixed = kbu_utf8_fix((const char *)p, n, outlen);
	return fixed ? fixed : copy_utf8(p, n, outlen);
}

/* UTF-16 without a BOM: NULs in most odd (LE) or even (BE) positions. */
static int utf16_guess(const unsigned char *p, size_t n)
{
	size_t sample = n < 4096 ? n : 4096, odd = 0, even = 0;
	for (size_t i = 0; i + 1 < sample; i += 2) {
		even += p[i] == 0;
		odd += p[i + 1] == 0;
	}
	size_t pairs = sample / 2;
	if (pairs >= 2 && odd * 10 >= pairs * 7 && even * 10 < pairs)
		return 1;
	if (pairs >= 2 && even * 10 >= pairs * 7 && odd * 10 < pairs)
		return 2;
	return 0;
}

static void split_lines(struct kbf_text *t)
{
	size_t cap = 64;
	t->lines = kbu_calloc(cap, sizeof(*t->lines));
	const char *s = t->utf8, *end = t->utf8 + t->len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *trim = e;
		while (trim > s && trim[-1] == '\r')
			trim--;
		if (t->nlines == cap)
			t->lines = kbu_realloc(t->lines, cap *= 2, sizeof(*t->lines));
		t->lines[t->nlines++] = (struct kbf_line){s, (size_t)(trim - s)};
		s = nl ? nl + 1 : end;
	}
}

void kbf_text_decode(struct kbf_text *t, const unsigned char *raw, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->raw = raw;
	t->rawlen = len;
	int g;
	if (len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
		t->encoding = "utf-8";
		t->utf8 = bom_utf8(raw + 3, len - 3, &t->len);
	} else if (len >= 2 && raw[0] == 0xFF && raw[1] == 0xFE) {
		t->encoding = "utf-16le";
		t->utf8 = from_utf16(raw + 2, len - 2, true, &t->len);
	} else if (len >= 2 && raw[0] == 0xFE && raw[1] == 0xFF) {
		t->encoding = "utf-16be";
		t->utf8 = from_utf16(raw + 2, len - 2, false, &t->len);
	} else if ((g = utf16_guess(raw, len)) != 0) {
		t->encoding = g == 1 ? "utf-16le" : "utf-16be";
		t->utf8 = from_utf16(raw, len, g == 1, &t->len);
	} else if (memchr(raw, '\0', len)) {
		t->encoding = "binary";
		return;
	} else if (kbu_utf8_valid((const char *)raw, len)) {
		t->encoding = "utf-8";
		t->utf8 = copy_utf8(raw, len, &t->len);
	} else {
		t->encoding = "windows-1252";
		t->utf8 = from_cp1252(raw, len, &t->len);
	}
	split_lines(t);
}

void kbf_text_free(struct kbf_text *t)
{
	free(t->utf8);
	free(t->lines);
	t->utf8 = NULL;
	t->lines = NULL;
	t->nlines = 0;
}
