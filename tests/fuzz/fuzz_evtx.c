/* Fuzz target: binary .evtx logs (windows/events/evtx_bin.c, through libevtx
 * and the wevtutil XML reader).  libevtx is Debian's build, not
 * instrumented: what is fuzzed is kbdiag's handling of what it returns. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_evtx_importer, data, size);
}
