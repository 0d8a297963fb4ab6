/*
 * test_parse_version.c — kbf_version_code (facts/core/parse.c) over its whole
 * range: codes order like the versions and stay non-negative int64 values,
 * even for parts beyond what Windows writes (a damaged VS_FIXEDFILEINFO
 * can hold 65535.65535.65535.65535).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "facts.h"

static void codes(void **state)
{
	(void)state;
	const unsigned mfc[4] = {6, 0, 8168, 0}, k32[4] = {5, 2, 3790, 1830};
	assert_int_equal(kbf_version_code(mfc), 6ll << 48 | 8168ll << 16);
	assert_true(kbf_version_code(k32) < kbf_version_code(mfc));

	const unsigned top[4] = {65535, 65535, 65535, 65535}, big[4] = {40000, 1, 0, 0};
	const unsigned below[4] = {32766, 65535, 65535, 70000};
	assert_int_equal(kbf_version_code(top), INT64_MAX); /* major capped at 32767 */
	assert_true(kbf_version_code(big) > 0);
	assert_true(kbf_version_code(below) < kbf_version_code(big));
	assert_int_equal(kbf_version_code(below), 32766ll << 48 | 0xFFFFFFFFFFFFll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
