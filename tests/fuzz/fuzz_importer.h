/*
 * fuzz_importer.h — the body every importer's fuzz target shares: decode
 * the bytes as an evidence file and run one importer over them, in a fresh
 * engine with the stock schema.  Errors are fine; crashes, leaks and
 * sanitizer reports are not.
 */
#ifndef KBDIAG_TESTS_FUZZ_FUZZ_IMPORTER_H
#define KBDIAG_TESTS_FUZZ_FUZZ_IMPORTER_H

#include <stdlib.h>

#include "facts.h"

static inline int kbf_fuzz_one(const struct kbf_importer *imp, const uint8_t *data, size_t size)
{
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_text t;
	kbf_text_decode(&t, data, size);
	struct kbf_input in = {.eng = eng, .path = "fuzz", .format = imp->format};
	imp->probe(&t);
	imp->import(&in, &t);
	kbf_text_free(&t);
	kb_engine_free(eng);
	return 0;
}

#endif
