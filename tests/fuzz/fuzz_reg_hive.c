/* Fuzz target: offline registry hives (windows/registry/reg_hive.c, through
 * libregf and reg_facts.c).  libregf is Debian's build, not instrumented:
 * what is fuzzed is kbdiag's handling of what it returns, and the bounded
 * memory handle it reads through (core/libyal.c).  Seeds: hives hivexsh
 * built from the .reg fixtures of tests/fixtures/registry
 * (tests/e2e/registry_reference.py). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_reg_hive_importer, data, size);
}
