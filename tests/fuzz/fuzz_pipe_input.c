/* Fuzz target: a pipe named on the command line (facts/core/read.c):
 * any bytes through a pipe, its first bytes read once and kept to say
 * whether it is an archive (then held and walked in memory) or a text or
 * binary file to recognise and import from a source that cannot seek.
 * Text is decoded 61 bytes at a time so that chunk ends fall everywhere. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIPE_SIZE (1 << 20) /* written whole before it is read: the pipe must hold it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kbf_archive_limits small = {
		.expanded = 8 << 20, .entries = 500, .depth = 4, .held = 4 << 20};
	if (size > PIPE_SIZE)
		return 0;
	kbf_archive_set_limits(&small);
	kbf_text_set_chunk(61);
	int p[2];
	if (pipe(p) < 0 || fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE) < PIPE_SIZE)
		abort();
	if (size && write(p[1], data, size) != (ssize_t)size)
		abort();
	close(p[1]);
	char name[32];
	snprintf(name, sizeof(name), "/dev/fd/%d", p[0]);
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_inputs inputs = {0};
	kbf_read_path(eng, name, &inputs);
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	close(p[0]);
	return 0;
}
