/* Fuzz target: legacy binary .evt logs (windows/events/evt_bin.c, through
 * libevt and core/libyal.c).  libevt is Debian's build, not
 * instrumented: what is fuzzed is kbdiag's handling of what it returns,
 * and the memory handle libevt reads through. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_evt_importer, data, size);
}
