/*
 * outbuf.c — see outbuf.h.
 */
#include "outbuf.h"
#include "utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void kbu_flush(struct kbu_out *w)
{
	fwrite(w->b, 1, w->n, w->out);
	w->n = 0;
}

void kbu_put(struct kbu_out *w, const char *s, size_t len)
{
	if (len > sizeof(w->b) - w->n) {
		kbu_flush(w);
		if (len > sizeof(w->b)) {
			fwrite(s, 1, len, w->out);
			return;
		}
	}
	memcpy(w->b + w->n, s, len);
	w->n += len;
}

/* Digits by hand: snprintf's formatting cost more than the rest of a put. */
void kbu_put_uint(struct kbu_out *w, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	kbu_put(w, d + i, sizeof(d) - i);
}

void kbu_put_int(struct kbu_out *w, int64_t v)
{
	if (v < 0) {
		kbu_putc(w, '-');
		kbu_put_uint(w, (uint64_t)0 - (uint64_t)v);
	} else {
		kbu_put_uint(w, (uint64_t)v);
	}
}

/* How many bytes of s[0..n) from the start are printable ASCII but '"' and
 * '\\', which go out as they are: most of any text, and facts' texts are
 * most of a traced event log's trace.  With SSE2 sixteen at a time (a
 * signed compare below 0x20 also catches the bytes from 0x80); else eight
 * at a time while none of them is another byte (each test is exact for
 * whether any of the eight is one: a borrow only runs above a byte that
 * is). */
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i space16 = _mm_set1_epi8(0x20), quote16 = _mm_set1_epi8('"'), bslash16 = _mm_set1_epi8('\\');
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i stop = _mm_or_si128(_mm_cmplt_epi8(x, space16),
					    _mm_or_si128(_mm_cmpeq_epi8(x, quote16), _mm_cmpeq_epi8(x, bslash16)));
		unsigned mask = (unsigned)_mm_movemask_epi8(stop);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
		uint64_t below_space = (x - ones * 0x20) & ~x, is_quote = (quote - ones) & ~quote,
			 is_bslash = (bslash - ones) & ~bslash;
		if ((below_space | is_quote | is_bslash | x) & highs)
			break;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* Escapes as jansson writes them (upper-case hex), and U+FFFD as the
 * character itself, as a repaired string in a jansson tree comes out.
 * Runs of characters that pass as they are (printable ASCII but '"' and
 * '\\', and well-formed UTF-8) are found by plain_run(), well-formed
 * UTF-8 by its length, and put with one call: they are most of any text. */
void kbu_put_json_str(struct kbu_out *w, const char *str, size_t n)
{
	static const char short_esc[] = "btn\0fr", hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t from = 0, i = 0;
	kbu_putc(w, '"');
	while (i < n) {
		i += plain_run(s + i, n - i);
		if (i == n)
			break;
		unsigned char c = s[i];
		size_t len = c >= 0x80 ? kbu_utf8_seq(str + i, n - i) : 0;
		if (len) {
			i += len;
			continue;
		}
		kbu_put(w, str + from, i - from);
		/* by hand, not snprintf: a CSV record's text quotes every field */
		char e[8] = {'\\', (char)c};
		size_t k = 2;
		if (c >= '\b' && c <= '\r' && c != 0x0b) {
			e[1] = short_esc[c - '\b'];
		} else if (c < 0x20) {
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			k = 6;
		} else if (c != '"' && c != '\\') {
			k = kbu_utf8_put(e, KBU_REPLACEMENT);
		}
		kbu_put(w, e, k);
		from = ++i;
	}
	kbu_put(w, str + from, n - from);
	kbu_putc(w, '"');
}
