/* Fuzz target: the PowerShell output reader (tables, lists, Export-Csv,
 * ConvertTo-Json) and the cmdlet mappings behind it, Get-HotFix and
 * FileVersionInfo included.  The first byte
 * picks the form's importer, so every form reads every input. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kbf_importer *const imps[] = {&kbf_ps_table_importer, &kbf_ps_list_importer,
							  &kbf_ps_csv_importer, &kbf_ps_json_importer};
	if (!size)
		return 0;
	return kbf_fuzz_one(imps[data[0] % 4], data + 1, size - 1);
}
