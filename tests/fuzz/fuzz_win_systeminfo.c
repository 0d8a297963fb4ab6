/* Fuzz target: the systeminfo importers (list and CSV forms). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbf_fuzz_one(&kbf_win_systeminfo_importer, data, size);
	return kbf_fuzz_one(&kbf_win_systeminfo_csv_importer, data, size);
}
