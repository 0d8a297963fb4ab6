/* Fuzz target: the hotfix tables (wmic qfe, Get-HotFix). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbf_fuzz_one(&kbf_win_wmic_qfe_importer, data, size);
	return kbf_fuzz_one(&kbf_win_get_hotfix_importer, data, size);
}
