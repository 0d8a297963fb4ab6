/*
 * utf8.c — the UTF-8 toolkit (see utf8.h).  Validation follows the table
 * of well-formed byte sequences in the Unicode standard (§3.9, Table 3-7):
 * the lead byte gives the length, and for four lead bytes the second byte
 * has a narrower range, which is what rules out overlong forms,
 * surrogates and values above U+10FFFF.
 */
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

size_t kbu_utf8_put(char *out, uint32_t c)
{
	if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
		c = KBU_REPLACEMENT; /* no UTF-8 form */
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t kbu_utf8_seq(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
		   : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
	if (s[0] == 0xE0)
		lo = 0xA0; /* below: overlong */
	else if (s[0] == 0xED)
		hi = 0x9F; /* above: U+D800..U+DFFF */
	else if (s[0] == 0xF0)
		lo = 0x90; /* below: overlong */
	else if (s[0] == 0xF4)
		hi = 0x8F; /* above: beyond U+10FFFF */
	if (!len || len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (!kbu_utf8_cont(s[i]))
			return 0;
	return len;
}

size_t kbu_utf8_get(const char *str, size_t n, uint32_t *c)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = kbu_utf8_seq(str, n);
	if (!len) {
		*c = KBU_REPLACEMENT;
		return 0;
	}
	/* the lead byte keeps 7, 5, 4 or 3 bits; each continuation byte 6 */
	static const unsigned char lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	uint32_t v = s[0] & lead_bits[len];
	for (size_t i = 1; i < len; i++)
		v = v << 6 | (s[i] & 0x3Fu);
	*c = v;
	return len;
}

bool kbu_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = kbu_utf8_seq(s + i, n - i)))
			return false;
	return true;
}

/* A sequence that may stand in a C string: NUL may not. */
static size_t c_seq(const char *s, size_t n)
{
	return s[0] ? kbu_utf8_seq(s, n) : 0;
}

char *kbu_utf8_fix(const char *s, size_t n, size_t *outlen)
{
	size_t i = 0, k;
	while (i < n && (k = c_seq(s + i, n - i)))
		i += k;
	if (i == n)
		return NULL;
	char *out = kbu_malloc(n * 3 + 1); /* each byte may become U+FFFD */
	size_t o = 0;
	for (i = 0; i < n;) {
		if ((k = c_seq(s + i, n - i))) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		} else {
			o += kbu_utf8_put(out + o, KBU_REPLACEMENT);
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

size_t kbu_utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += !kbu_utf8_cont((unsigned char)s[i]);
	return c;
}

size_t kbu_utf8_offset(const char *s, size_t n, size_t col)
{
	for (size_t i = 0, c = 0; i < n; i++)
		if (!kbu_utf8_cont((unsigned char)s[i]) && c++ == col)
			return i;
	return n;
}

size_t kbu_utf8_floor(const char *s, size_t i)
{
	while (i > 0 && kbu_utf8_cont((unsigned char)s[i]))
		i--;
	return i;
}

size_t kbu_utf8_cut(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	size_t last = kbu_utf8_floor(s, n - 1); /* where the last character starts */
	unsigned char lead = (unsigned char)s[last];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	return lead >= 0xC2 && lead <= 0xF4 && n - last < need ? last : n;
}

void kbu_utf8_keep_end(char *dst, size_t size, const char *src)
{
	static const char cut[] = "...";
	size_t n = strlen(src);
	if (n < size) {
		memcpy(dst, src, n + 1);
		return;
	}
	size_t from = n - (size - sizeof(cut)); /* the tail that fits after the mark */
	while (from < n && kbu_utf8_cont((unsigned char)src[from]))
		from++;
	memcpy(dst, cut, sizeof(cut) - 1);
	memcpy(dst + sizeof(cut) - 1, src + from, n - from + 1);
}

void kbu_utf8_vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
	if (vsnprintf(dst, size, fmt, ap) >= (int)size)
		dst[kbu_utf8_cut(dst, strlen(dst))] = '\0';
}

/* Latin Extended-A pairs an upper-case letter with the lower-case one
 * after it: at even code points from U+0100 and from U+014A, at odd ones
 * from U+0139 and from U+0179 (U+0138, U+0149 and U+017F have none). */
static bool ext_a_upper_even(uint32_t c)
{
	return (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
}

static bool ext_a_upper_odd(uint32_t c)
{
	return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
}

uint32_t kbu_case_lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if ((ext_a_upper_even(c) && !(c & 1)) || (ext_a_upper_odd(c) && (c & 1)))
		return c + 1;
	if (c == 0x178) /* Ÿ */
		return 0xFF;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

uint32_t kbu_case_upper(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x430 && c <= 0x44F))
		return c - 32;
	if ((ext_a_upper_even(c) && (c & 1)) || (ext_a_upper_odd(c) && !(c & 1)))
		return c - 1;
	if (c == 0xFF)
		return 0x178;
	if (c >= 0x450 && c <= 0x45F)
		return c - 80;
	return c;
}

static uint32_t unit16(const unsigned char *p, bool le)
{
	return le ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
}

size_t kbu_utf16_get(const unsigned char *p, size_t n, bool le, uint32_t *c)
{
	uint32_t u = unit16(p, le);
	if (kbu_utf16_high(u) && n >= 4 && kbu_utf16_low(unit16(p + 2, le))) {
		*c = kbu_utf16_join(u, unit16(p + 2, le));
		return 4;
	}
	*c = kbu_utf16_high(u) || kbu_utf16_low(u) ? KBU_REPLACEMENT : u;
	return 2;
}
