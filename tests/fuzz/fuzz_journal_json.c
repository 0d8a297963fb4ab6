/* Fuzz target: `journalctl -o json` and `-o json-seq` files
 * (facts/linux/journal_json.c): strings, byte arrays, repeated fields, null. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_journal_json_importer, data, size);
}
