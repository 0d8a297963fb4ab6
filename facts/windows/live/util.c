/*
 * util.c — what the live Windows collectors' neutral halves share: UTF-16
 * text from an API's buffer, addresses written as netstat writes them,
 * the length snprintf wrote, and the set of names already seen.  Addresses
 * go through inet_ntop: glibc's on Linux, util/win32/inet.c's on Windows
 * (written to print as glibc does, and present on NT 4.0 and 2000, where
 * ws2_32 has none), so both builds write them the same.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "live.h"
#include "utf8.h"
#include "xalloc.h"

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

void kbf_live_addr_text(bool v6, const unsigned char *a, char out[KBF_LIVE_ADDR_MAX])
{
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, KBF_LIVE_ADDR_MAX))
		out[0] = '\0'; /* cannot happen: 48 bytes hold the longest IPv6 text (45) */
}

size_t kbf_live_printed(int n, size_t cap)
{
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

bool kbf_live_seen_add(struct kbf_live_seen *s, const char *text, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && kbf_wtext_ieq((struct kbf_wtext_span){text, len}, s->v[i]))
			return true;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = kbu_realloc(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n] = kbu_malloc(len + 1);
	memcpy(s->v[s->n], text, len);
	s->v[s->n++][len] = '\0';
	return false;
}

void kbf_live_seen_free(struct kbf_live_seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
