/*
 * Fuzz target: our side of the live systemd journal reader.  The
 * collector reads the journal through libsystemd (sd_journal,
 * facts/linux/journal.c; journal files in evidence too, journal_file.c);
 * `journalctl -o export` and `-o json` files have targets of their own
 * (fuzz_journal_export, fuzz_journal_json).  What is ours here is what is
 * done with the "FIELD=value" blobs
 * sd_journal_enumerate_data() returns for an entry (journal_entry.c):
 * splitting at the first '=', keeping SYSLOG_IDENTIFIER, _COMM,
 * _SYSTEMD_UNIT, _HOSTNAME, _PID, SYSLOG_PID, PRIORITY, MESSAGE (any
 * bytes) and ERRNO, numbers from digits, the errno a message names, and
 * the event fact.  Those blobs come from the fuzzer:
 *
 *   8 bytes    the entry's realtime stamp in µs, little-endian (absent
 *              when the input is shorter: an entry without a time)
 *   then       blobs, each a 2-byte little-endian length and that many
 *              bytes (the last one takes what is left)
 *
 * Seeds (corpus/fuzz_journal/): the entries of the export fixture
 * tests/fixtures/journal/bind-failures.export in that framing, made by
 * `python3 tests/fuzz/journal_seeds.py tests/fixtures/journal/bind-failures.export
 * tests/fuzz/corpus/fuzz_journal`.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "linux/linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_inputs inputs = {0};
	struct kbf_input *in = kbf_inputs_add(&inputs, eng, "linux.journal");
	uint64_t usec = 0;
	bool dated = size >= 8;
	for (size_t i = 0; dated && i < 8; i++)
		usec |= (uint64_t)data[i] << (8 * i);
	size_t at = dated ? 8 : 0;
	struct kbf_journal_fields fs = {0};
	kbf_journal_fields_clear(&fs);
	while (at < size) {
		size_t len = data[at] | (at + 1 < size ? (size_t)data[at + 1] << 8 : 0);
		at += 2;
		if (at > size)
			at = size;
		if (len > size - at)
			len = size - at;
		/* a copy of exactly len bytes, as libsystemd's are not NUL-terminated */
		void *blob = malloc(len ? len : 1);
		memcpy(blob, data + at, len);
		kbf_journal_field_add(&fs, blob, len);
		free(blob);
		at += len;
	}
	kbf_journal_entry_emit(in, &fs, dated ? &usec : NULL, 1);
	kbf_journal_fields_free(&fs);
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	return 0;
}
