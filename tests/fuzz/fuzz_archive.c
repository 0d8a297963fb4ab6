/* Fuzz target: the archive walk (facts/core/archive.c): any bytes as a
 * file whose first bytes may say it is an archive, read as a bundle with
 * each entry recognised and imported, nested archives walked.  The limits
 * are small so that a bomb the fuzzer builds ends in milliseconds; text is
 * decoded 61 bytes at a time so that chunk ends fall everywhere.
 * libarchive is Debian's build, not instrumented: what is fuzzed is
 * kbdiag's handling of what it returns. */
#define _GNU_SOURCE /* memfd_create */

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kbf_archive_limits small = {
		.expanded = 8 << 20, .entries = 500, .depth = 4, .held = 4 << 20};
	kbf_archive_set_limits(&small);
	kbf_text_set_chunk(61);
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	struct kbf_inputs inputs = {0};
	kbf_archive_read_fd(eng, fd, size, "fuzz.zip", &inputs);
	kbf_inputs_free(&inputs);
	close(fd);
	kb_engine_free(eng);
	return 0;
}
