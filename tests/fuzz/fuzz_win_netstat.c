/* Fuzz target: the Windows netstat importers (-an, -ano, -abno share one
 * parser; each probe classifies the text its own way). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbf_fuzz_one(&kbf_win_netstat_an_importer, data, size);
	return kbf_fuzz_one(&kbf_win_netstat_abno_importer, data, size);
}
