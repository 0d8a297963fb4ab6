/*
 * util.c — what the live Windows collectors' neutral halves share: UTF-16
 * text from an API's buffer, and addresses written as netstat writes them.
 * Written by hand rather than with inet_ntop, which Windows has only since
 * Vista (kbdiag.exe is to run on NT 4.0 and 2000 too).
 */
#include <string.h>

#include "live.h"
#include "utf8.h"

size_t kbf_live_utf16(struct kbf_wtext_buf *b, const unsigned char *p, size_t n)
{
	size_t i = 0;
	char u[KBU_UTF8_MAX];
	while (i + 2 <= n) {
		uint32_t c;
		i += kbu_utf16_get(p + i, n - i, true, &c);
		if (c == 0)
			return i;
		kbf_wtext_buf_add(b, u, kbu_utf8_put(u, c));
	}
	return n;
}

static size_t put_hex(char *out, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;
	bool started = false;
	for (int shift = 12; shift >= 0; shift -= 4) {
		unsigned d = v >> shift & 0xF;
		if (d || started || shift == 0) {
			out[n++] = digits[d];
			started = true;
		}
	}
	return n;
}

/* The longest run of two or more zero groups (the first of equal ones):
 * RFC 5952 section 4.2 compresses that one. */
static void zero_run(const unsigned g[8], int *at, int *len)
{
	*at = -1;
	*len = 1;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > *len) {
			*at = i;
			*len = j - i;
		}
		i = j > i ? j : i + 1;
	}
}

static void v6_text(const unsigned char *a, char *out)
{
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	int at, len;
	zero_run(g, &at, &len);
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (i == at) {
			out[n++] = ':';
			if (i == 0)
				out[n++] = ':';
			i += len - 1;
			continue;
		}
		n += put_hex(out + n, g[i]);
		if (i < 7)
			out[n++] = ':';
	}
	out[n] = '\0';
}

void kbf_live_addr_text(bool v6, const unsigned char *a, char out[KBF_LIVE_ADDR_MAX])
{
	if (v6) {
		v6_text(a, out);
		return;
	}
	char *p = out;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
}
