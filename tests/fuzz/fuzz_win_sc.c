/* Fuzz target: the sc query / queryex / qc importer. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_win_sc_importer, data, size);
}
