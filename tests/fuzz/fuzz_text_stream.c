/*
 * fuzz_text_stream.c — a file decoded as a stream in chunks of a few bytes
 * (the first input byte says how many) gives the lines that
 * decoding it whole gives, whenever both decide on the same encoding (the
 * stream decides from its first chunk, so they may not), at the same
 * place in the file; and a line's bytes, decoded alone, give the line
 * (then at most CRs that NULs, dropped, kept from the line end).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "facts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t chunk = 1 + data[0] % 64;
	data++, size--;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	struct kbf_text whole, t;
	kbf_text_decode(&whole, data, size);
	kbf_text_set_chunk(chunk);
	if (kbf_text_open(&t, fd, size) < 0)
		abort();
	bool same = strcmp(whole.encoding, t.encoding) == 0;
	size_t ln = 0;
	for (const struct kbf_line *l; (l = kbf_text_line(&t, ln)); ln++) {
		if (same) {
			const struct kbf_line *w = ln < whole.nlines ? &whole.lines[ln] : NULL;
			if (!w || w->len != l->len || memcmp(w->s, l->s, l->len) != 0 || w->off != l->off || w->end != l->end)
				abort();
		}
		size_t len;
		char *again = l->off <= l->end && l->end <= size
			? kbf_text_decode_as(kbf_text_decoder(&t), data + l->off, (size_t)(l->end - l->off), &len) : NULL;
		if (!again || len < l->len || memcmp(again, l->s, l->len) != 0)
			abort();
		free(again);
		if (ln % 2)
			kbf_text_release(&t, ln);
	}
	if (same && (ln != whole.nlines || t.len != whole.len))
		abort();
	kbf_text_free(&t);
	kbf_text_free(&whole);
	close(fd);
	return 0;
}
