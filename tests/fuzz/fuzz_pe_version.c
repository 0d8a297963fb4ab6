/* Fuzz target: the PE version-resource importer (windows/files/pe_version.c, windows/files/pe.c). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_pe_version_importer, data, size);
}
