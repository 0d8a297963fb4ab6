/*
 * test_readfd.c — reading through interruptions and short reads
 * (util/readfd.c): a pipe written in pieces, a read interrupted by a
 * signal, a file read from an offset, and the bound on reading to the end.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "readfd.h"

/* A pipe whose writer, a child, sends text in pieces of step bytes a
 * pause apart, so the reader gets short reads; the read end is returned. */
static int pipe_in_pieces(const char *text, size_t step, pid_t *child)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	*child = fork();
	assert_true(*child >= 0);
	if (*child == 0) {
		close(fds[0]);
		for (size_t at = 0, n = strlen(text); at < n; at += step) {
			if (write(fds[1], text + at, n - at < step ? n - at : step) < 0)
				_exit(1);
			usleep(20000);
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

static void reap(pid_t child)
{
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void full_read_goes_on_after_short_reads(void **state)
{
	(void)state;
	pid_t child;
	int fd = pipe_in_pieces("abcdefghij", 3, &child);
	char buf[16] = {0};
	assert_int_equal(kbu_read_full(fd, buf, 8), 8);
	assert_string_equal(buf, "abcdefgh");
	assert_int_equal(kbu_read_full(fd, buf, sizeof(buf)), 2); /* the end comes first */
	assert_int_equal(kbu_read_full(fd, buf, sizeof(buf)), 0);
	close(fd);
	reap(child);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void read_interrupted_by_a_signal_is_made_again(void **state)
{
	(void)state;
	/* no SA_RESTART: the signal makes read() fail with EINTR */
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fds[0]);
		usleep(300000); /* after the alarm */
		_exit(write(fds[1], "late", 4) == 4 ? 0 : 1);
	}
	close(fds[1]);
	ualarm(50000, 0);
	char buf[8] = {0};
	assert_int_equal(kbu_read_retry(fds[0], buf, 4), 4);
	assert_string_equal(buf, "late");
	close(fds[0]);
	reap(child);
	sigaction(SIGALRM, &old, NULL);
}

static void pread_full_reads_from_an_offset(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("0123456789", f);
	fflush(f);
	int fd = fileno(f);
	char buf[8] = {0};
	assert_int_equal(kbu_pread_full(fd, buf, 4, 3), 4);
	assert_string_equal(buf, "3456");
	assert_int_equal(kbu_pread_full(fd, buf, 8, 8), 2);
	assert_int_equal(kbu_pread_full(-1, buf, 1, 0), -1);
	fclose(f);
}

static void read_to_end_stops_at_max(void **state)
{
	(void)state;
	pid_t child;
	int fd = pipe_in_pieces("one two three", 4, &child);
	size_t len;
	char *all = kbu_read_to_end(fd, SIZE_MAX - 1, &len);
	assert_non_null(all);
	assert_int_equal(len, 13);
	assert_string_equal(all, "one two three");
	free(all);
	close(fd);
	reap(child);

	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("0123456789", f);
	fflush(f);
	rewind(f);
	char *head = kbu_read_to_end(fileno(f), 4, &len);
	assert_int_equal(len, 4);
	assert_string_equal(head, "0123");
	free(head);
	fclose(f);
	assert_null(kbu_read_to_end(-1, 16, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_read_goes_on_after_short_reads),
		cmocka_unit_test(read_interrupted_by_a_signal_is_made_again),
		cmocka_unit_test(pread_full_reads_from_an_offset),
		cmocka_unit_test(read_to_end_stops_at_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
