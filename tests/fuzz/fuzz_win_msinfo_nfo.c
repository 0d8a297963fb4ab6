/* Fuzz target: the msinfo32 .nfo (XML) importer. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_msinfo_nfo_importer, data, size);
}
