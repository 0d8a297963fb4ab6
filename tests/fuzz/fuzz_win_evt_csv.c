/* Fuzz target: the Event Viewer CSV and tab-delimited export importer. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_eventlog_csv_importer, data, size);
}
