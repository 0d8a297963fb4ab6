/* Fuzz target: `reg query` text (windows/registry/reg_query.c,
 * through the one registry reader, reg_facts.c). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_reg_query_importer, data, size);
}
