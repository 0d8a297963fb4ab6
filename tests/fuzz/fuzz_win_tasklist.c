/* Fuzz target: the tasklist importers (table and CSV forms). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbf_fuzz_one(&kbf_win_tasklist_importer, data, size);
	return kbf_fuzz_one(&kbf_win_tasklist_csv_importer, data, size);
}
