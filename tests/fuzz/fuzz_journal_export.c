/* Fuzz target: `journalctl -o export` files (facts/linux/journal_export.c):
 * text and binary fields, lengths that claim more than the file holds. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_journal_export_importer, data, size);
}
