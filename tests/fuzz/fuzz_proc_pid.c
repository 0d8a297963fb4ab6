/*
 * Fuzz target: the /proc/PID parsers of the processes collector
 * (facts/linux/procs.c): the input is read as a stat file
 * (kbf_proc_stat_parse: comm between the first '(' and the last ')', then
 * ppid, flags and starttime by position) and as a cmdline file
 * (kbf_proc_cmdline_join: NUL-separated arguments).  The collector reads
 * no other file of /proc/PID (the uid is the directory's owner; status is
 * not parsed).  Besides sanitizer reports, it checks that comm lies inside
 * the text and that a joined command line holds no NUL.
 *
 * Seeds (corpus/fuzz_proc_pid/): /proc/self/stat and /proc/self/cmdline
 * of processes on this machine, one of them after writing a comm with
 * spaces and parentheses to its /proc/self/comm, e.g.
 *   python3 -c 'open("/proc/self/comm","w").write("a) S (1 2");
 *               print(open("/proc/self/stat").read(), end="")'
 */
#include <stdlib.h>
#include <string.h>

#include "linux/linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1); /* as kbf_linux_read_small leaves it: NUL after the bytes */
	memcpy(s, data, size);
	s[size] = '\0';
	struct kbf_proc_stat st = {0};
	if (kbf_proc_stat_parse(s, size, &st) &&
	    (st.comm < s || st.comm + st.commlen > s + size))
		abort();
	memcpy(s, data, size);
	size_t n = kbf_proc_cmdline_join(s, size);
	if (n > size || memchr(s, '\0', n))
		abort();
	free(s);
	return 0;
}
