/* Fuzz target: wmic qfe /format:csv (Get-HotFix | Export-Csv is fuzz_win_powershell's). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_win_wmic_qfe_csv_importer, data, size);
}
