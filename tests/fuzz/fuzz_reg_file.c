/* Fuzz target: .reg exports, REGEDIT4 and 5.00 (windows/registry/reg_file.c,
 * through reg_facts.c). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_reg_file_importer, data, size);
}
