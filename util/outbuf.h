/*
 * outbuf.h — writing through a buffer of our own.  The JSON writers (the
 * snapshot, the trace) put out millions of short pieces, and stdio's cost
 * per call was most of their time.
 */
#ifndef KBDIAG_UTIL_OUTBUF_H
#define KBDIAG_UTIL_OUTBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct kbu_out {
	FILE *out;
	size_t n;      /* bytes waiting in b */
	char b[1 << 16];
};

void kbu_flush(struct kbu_out *w);
void kbu_put(struct kbu_out *w, const char *s, size_t len);
void kbu_put_uint(struct kbu_out *w, uint64_t v);
void kbu_put_int(struct kbu_out *w, int64_t v);

static inline void kbu_puts(struct kbu_out *w, const char *s)
{
	kbu_put(w, s, strlen(s));
}

static inline void kbu_putc(struct kbu_out *w, char c)
{
	if (w->n == sizeof(w->b))
		kbu_flush(w);
	w->b[w->n++] = c;
}

#endif
