/*
 * outbuf.c — see outbuf.h.
 */
#include "outbuf.h"

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
