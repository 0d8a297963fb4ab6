/* Fuzz target: the Linux log-file reader (syslog, nginx, Apache, dovecot, plain). */
#include "fuzz_importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return kbf_fuzz_one(&kbf_logfile_importer, data, size);
}
