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
/* s[0..n) as a JSON string, quotes included: '"', '\\' and control
 * characters escaped, and each byte that is not part of well-formed UTF-8
 * (a file name in Latin-1, a rule's binary string) written as U+FFFD, so
 * the document stays valid and no field is lost.  The one JSON string
 * writer of every JSON document kbdiag streams. */
void kbu_put_json_str(struct kbu_out *w, const char *s, size_t n);

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
