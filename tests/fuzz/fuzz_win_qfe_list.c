/* Fuzz target: the wmic qfe lists (wmic qfe list full; Get-HotFix | Format-List is fuzz_win_powershell's). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_win_wmic_qfe_list_importer, data, size);
}
