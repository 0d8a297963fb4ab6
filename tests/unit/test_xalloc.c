/*
 * test_xalloc.c — allocation that does not fail (util/xalloc.c): zero
 * sizes give real pointers, copies are exact, and a size that overflows
 * ends the process with the one out-of-memory message.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "xalloc.h"

static void zero_sizes(void **state)
{
	(void)state;
	void *a = kbu_malloc(0), *b = kbu_calloc(0, 8), *c = kbu_calloc(8, 0);
	void *d = kbu_realloc(NULL, 0, 8);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(d);
	d = kbu_realloc(d, 4, sizeof(int));
	((int *)d)[3] = 7; /* AddressSanitizer fails the test if the block is short */
	free(a);
	free(b);
	free(c);
	free(d);
}

static void zeroed(void **state)
{
	(void)state;
	unsigned char *p = kbu_calloc(64, 2);
	for (size_t i = 0; i < 128; i++)
		assert_int_equal(p[i], 0);
	free(p);
}

static void copies(void **state)
{
	(void)state;
	char *s = kbu_strdup("abc");
	assert_string_equal(s, "abc");
	free(s);
	s = kbu_strndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = kbu_strndup("ab\0cd", 5); /* stops at the NUL */
	assert_string_equal(s, "ab");
	free(s);
	s = kbu_memdup("a\0b", 3);
	assert_memory_equal(s, "a\0b", 3);
	free(s);
	free(kbu_memdup(NULL, 0));
}

static void overflow_aborts(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		kbu_realloc(NULL, SIZE_MAX / 2 + 2, 2);
		_exit(0); /* not reached */
	}
	close(fds[1]);
	char buf[256];
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "kbdiag: out of memory\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_sizes),
		cmocka_unit_test(zeroed),
		cmocka_unit_test(copies),
		cmocka_unit_test(overflow_aborts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
