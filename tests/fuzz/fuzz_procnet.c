/* Fuzz target: the /proc/net/{tcp,tcp6,udp,udp6} reader. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_procnet_importer, data, size);
}
