/* Fuzz target: the ipconfig /all importer. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_win_ipconfig_importer, data, size);
}
