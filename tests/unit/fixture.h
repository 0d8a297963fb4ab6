/*
 * fixture.h — the unit tests' fixtures, in tests/fixtures (KBDIAG_FIXTURES,
 * set for every unit test by tests/unit/CMakeLists.txt).  Include after
 * <cmocka.h>.
 */
#ifndef KBDIAG_TESTS_UNIT_FIXTURE_H
#define KBDIAG_TESTS_UNIT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KBDIAG_FIXTURES/rel, allocated. */
static inline char *fixture_path(const char *rel)
{
	size_t n = strlen(KBDIAG_FIXTURES) + strlen(rel) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", KBDIAG_FIXTURES, rel);
	return p;
}

/* The whole of a file, allocated (a NUL after its *len bytes); the test
 * fails if it cannot be read. */
static inline unsigned char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 1 << 16, n = 0, got;
	unsigned char *buf = malloc(cap + 1);
	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0)
		if ((n += got) == cap) {
			buf = realloc(buf, (cap *= 2) + 1);
			assert_non_null(buf);
		}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static inline unsigned char *fixture_read(const char *rel, size_t *len)
{
	char *path = fixture_path(rel);
	unsigned char *buf = file_read(path, len);
	free(path);
	return buf;
}

#endif
