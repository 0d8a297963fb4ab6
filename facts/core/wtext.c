/*
 * wtext.c — text helpers for the Windows host-state importers (see
 * wtext.h).  Windows console tools print addresses in a few shapes and
 * product names with trademark signs; these helpers keep that knowledge
 * out of each importer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wtext.h"
#include "xalloc.h"
#include "hexdigit.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

struct kbf_wtext_span kbf_wtext_trim(const char *s, size_t len)
{
	while (len && blank(*s))
		s++, len--;
	while (len && blank(s[len - 1]))
		len--;
	return (struct kbf_wtext_span){s, len};
}

bool kbf_wtext_blank(const char *s, size_t len)
{
	return kbf_wtext_trim(s, len).len == 0;
}

size_t kbf_wtext_indent(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && blank(s[i]))
		i++;
	return i;
}

bool kbf_wtext_token(const char *s, size_t len, size_t *pos, struct kbf_wtext_span *tok)
{
	size_t i = *pos;
	while (i < len && blank(s[i]))
		i++;
	if (i >= len)
		return false;
	size_t start = i;
	while (i < len && !blank(s[i]))
		i++;
	*tok = (struct kbf_wtext_span){s + start, i - start};
	*pos = i;
	return true;
}

bool kbf_wtext_eq(struct kbf_wtext_span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.len == n && memcmp(a.s, lit, n) == 0;
}

bool kbf_wtext_ieq(struct kbf_wtext_span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.len == n && kbf_wtext_iprefix(a.s, a.len, lit);
}

bool kbf_wtext_contains(struct kbf_wtext_span a, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = 0; i + n <= a.len; i++)
		if (memcmp(a.s + i, lit, n) == 0)
			return true;
	return false;
}

bool kbf_wtext_ifind(const char *s, size_t len, const char *lit, size_t *at)
{
	size_t n = strlen(lit);
	int first = tolower((unsigned char)lit[0]);
	for (size_t i = 0; i + n <= len; i++)
		if ((!n || tolower((unsigned char)s[i]) == first) && kbf_wtext_iprefix(s + i, n, lit)) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

bool kbf_wtext_prefix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return len >= n && memcmp(s, lit, n) == 0;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Called for every line of big exports: no strlen, the first byte that
 * differs ends it. */
bool kbf_wtext_iprefix(const char *s, size_t len, const char *lit)
{
	for (size_t i = 0; lit[i]; i++)
		if (i == len || ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)lit[i]))
			return false;
	return true;
}

bool kbf_wtext_uint(struct kbf_wtext_span a, uint64_t max, uint64_t *out)
{
	if (a.len == 0 || a.len > 19)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < a.len; i++) {
		if (!isdigit((unsigned char)a.s[i]))
			return false;
		v = v * 10 + (uint64_t)(a.s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool kbf_wtext_hex(struct kbf_wtext_span a, uint64_t *out)
{
	if (a.len == 0 || a.len > 8)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < a.len; i++) {
		int d = kbu_hex_digit(a.s[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

bool kbf_wtext_json_date(struct kbf_wtext_span a, int64_t *ms)
{
	if (a.len < 9 || memcmp(a.s, "/Date(", 6) != 0 || memcmp(a.s + a.len - 2, ")/", 2) != 0)
		return false;
	struct kbf_wtext_span body = {a.s + 6, a.len - 8};
	size_t sign = body.s[0] == '-', end = sign;
	while (end < body.len && isdigit((unsigned char)body.s[end]))
		end++;
	uint64_t v, zone;
	if (end - sign > 15 || !kbf_wtext_uint((struct kbf_wtext_span){body.s + sign, end - sign}, UINT64_MAX, &v))
		return false; /* 15 digits: 31,000 years, and no overflow */
	if (end < body.len && (body.len - end != 5 || (body.s[end] != '+' && body.s[end] != '-') ||
			       !kbf_wtext_uint((struct kbf_wtext_span){body.s + end + 1, 4}, 9999, &zone)))
		return false;
	*ms = sign ? -(int64_t)v : (int64_t)v;
	return true;
}

bool kbf_wtext_ipv4(struct kbf_wtext_span a)
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part && (i >= a.len || a.s[i++] != '.'))
			return false;
		size_t start = i;
		unsigned v = 0;
		while (i < a.len && isdigit((unsigned char)a.s[i]) && i - start < 3)
			v = v * 10 + (unsigned)(a.s[i++] - '0');
		if (i == start || v > 255)
			return false;
	}
	return i == a.len;
}

struct kbf_wtext_span kbf_wtext_unzone(struct kbf_wtext_span a)
{
	const char *pct = memchr(a.s, '%', a.len);
	if (pct)
		a.len = (size_t)(pct - a.s);
	return a;
}

bool kbf_wtext_ipv6(struct kbf_wtext_span a)
{
	struct kbf_wtext_span z = kbf_wtext_unzone(a);
	if (z.len < 2 || z.len > 45 || !memchr(z.s, ':', z.len))
		return false;
	size_t groups = 0, run = 0, doubles = 0;
	for (size_t i = 0; i < z.len; i++) {
		char c = z.s[i];
		if (c == ':') {
			if (i + 1 < z.len && z.s[i + 1] == ':')
				doubles++;
			run = 0;
			continue;
		}
		if (c == '.') {
			/* an IPv4 tail: everything after the last colon */
			const char *colon = z.s + i;
			while (colon > z.s && colon[-1] != ':')
				colon--;
			struct kbf_wtext_span v4 = {colon, (size_t)(z.s + z.len - colon)};
			return kbf_wtext_ipv4(v4) && doubles <= 1;
		}
		if (!isxdigit((unsigned char)c) || ++run > 4)
			return false;
		groups += run == 1;
	}
	return doubles <= 1 && groups <= 8 && (doubles || groups == 8);
}

/* ---- growable text ------------------------------------------------------------ */

void kbf_wtext_buf_reserve(struct kbf_wtext_buf *b, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + len + 1)
			cap *= 2;
		b->s = kbu_realloc(b->s, cap, 1);
		b->cap = cap;
	}
}

void kbf_wtext_buf_add(struct kbf_wtext_buf *b, const char *s, size_t len)
{
	kbf_wtext_buf_reserve(b, len);
	if (len)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void kbf_wtext_buf_join(struct kbf_wtext_buf *b, const char *sep, const char *s, size_t len)
{
	struct kbf_wtext_span t = kbf_wtext_trim(s, len);
	if (b->len)
		kbf_wtext_buf_add(b, sep, strlen(sep));
	kbf_wtext_buf_add(b, t.s, t.len);
}

void kbf_wtext_buf_addc(struct kbf_wtext_buf *b, char c) { kbf_wtext_buf_add(b, &c, 1); }

void kbf_wtext_buf_set(struct kbf_wtext_buf *b, const char *s, size_t len)
{
	b->len = 0;
	kbf_wtext_buf_add(b, s, len);
}

void kbf_wtext_buf_rtrim(struct kbf_wtext_buf *b)
{
	while (b->len && strchr(" \t\r\n", b->s[b->len - 1]))
		b->s[--b->len] = '\0';
}

void kbf_wtext_buf_reset(struct kbf_wtext_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void kbf_wtext_buf_free(struct kbf_wtext_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

struct kbf_wtext_span kbf_wtext_buf_span(const struct kbf_wtext_buf *b)
{
	return (struct kbf_wtext_span){b->s, b->len};
}

void kbf_set_span(struct kbf_fact *f, const char *slot, struct kbf_wtext_span v)
{
	if (v.len)
		kbf_set_str(f, slot, v.s, v.len);
}

/* ---- product names ---------------------------------------------------------- */

void kbf_wtext_product(struct kbf_wtext_buf *b, const char *s, size_t len)
{
	static const char *const marks[] = {"(R)", "(TM)", "\xc2\xae", "\xe2\x84\xa2"};
	bool space = false;
	kbf_wtext_buf_add(b, "", 0);
	for (size_t i = 0; i < len;) {
		size_t skip = 0;
		for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]) && !skip; m++)
			if (kbf_wtext_iprefix(s + i, len - i, marks[m]))
				skip = strlen(marks[m]);
		if (skip) {
			i += skip;
			continue;
		}
		if (blank(s[i]) || (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)) {
			space = b->len > 0; /* a no-break space too: French "Windows\u00a07" */
			i += blank(s[i]) ? 1 : 2;
			continue;
		}
		if (space)
			kbf_wtext_buf_add(b, " ", 1);
		space = false;
		kbf_wtext_buf_add(b, s + i++, 1);
	}
}

void kbf_wtext_buf_add_uncr(struct kbf_wtext_buf *b, const char *s, size_t len, size_t cap)
{
	for (const char *p = s, *end = s + len; p < end && b->len < cap;) {
		size_t room = cap - b->len, n = (size_t)(end - p);
		n = n < room ? n : room;
		const char *cr = memchr(p, '\r', n);
		kbf_wtext_buf_add(b, p, cr ? (size_t)(cr - p) : n);
		p = cr ? cr + 1 : p + n;
	}
}
