/*
 * fuzz_importer.h — the body every importer's fuzz target shares: the
 * bytes as an evidence file, read from a file as kbdiag reads one but in
 * chunks of 61 bytes so that chunk ends fall everywhere, and one importer
 * run over them, in a fresh engine with the stock schema.  Errors are
 * fine; crashes, leaks and sanitizer reports are not.
 */
#ifndef KBDIAG_TESTS_FUZZ_FUZZ_IMPORTER_H
#define KBDIAG_TESTS_FUZZ_FUZZ_IMPORTER_H

#define _GNU_SOURCE /* memfd_create */

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "facts.h"

static inline int kbf_fuzz_one(const struct kbf_importer *imp, const uint8_t *data, size_t size)
{
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	struct kbf_text t;
	kbf_text_set_chunk(61);
	if (kbf_text_open(&t, fd, size) < 0)
		abort();
	struct kbf_inputs inputs = {0}; /* owns what the input records (the parts it left out) */
	struct kbf_input *in = kbf_inputs_add(&inputs, eng, "fuzz");
	in->format = imp->format;
	t.probing = true;
	imp->probe(&t);
	t.probing = false;
	if (imp->reading == KBF_READ_STREAM_BYTES && kbf_text_as_bytes(&t) < 0)
		abort();
	if (imp->reading == KBF_READ_WHOLE)
		kbf_text_all(&t);
	imp->import(in, &t);
	kbf_inputs_free(&inputs);
	kbf_text_free(&t);
	close(fd);
	kb_engine_free(eng);
	return 0;
}

#endif
