/* Fuzz target: the hotfix lists (wmic qfe list full, Get-HotFix | Format-List). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbf_fuzz_one(&kbf_win_wmic_qfe_list_importer, data, size);
	return kbf_fuzz_one(&kbf_win_get_hotfix_list_importer, data, size);
}
