/* Fuzz target: the mail-client error text importer. */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_mail_error_importer, data, size);
}
