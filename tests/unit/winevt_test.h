/*
 * winevt_test.h — what the Windows event-log importer tests share: run an
 * importer over a fixture file or a string in a fresh engine with the stock
 * schema, then look facts up by kind and line and read their slots.
 */
#ifndef KBDIAG_TESTS_UNIT_WINEVT_TEST_H
#define KBDIAG_TESTS_UNIT_WINEVT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "fixture.h"

struct run {
	struct kb_engine *eng;
	struct kbf_input in;
	struct kbf_text t;
	unsigned char *raw;
	int rc;    /* what import() returned */
	int score; /* what probe() said */
};

/* Runs imp over data (copied); the input is named `name` in errors. */
static inline void run_bytes(struct run *r, const struct kbf_importer *imp, const char *name,
		      const void *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->eng = kb_engine_new();
	assert_non_null(r->eng);
	assert_int_equal(kbf_schema_declare(r->eng, NULL), 0);
	r->raw = malloc(len + 1);
	assert_non_null(r->raw);
	memcpy(r->raw, data, len);
	assert_int_equal(kbf_text_decode(&r->t, r->raw, len), 0);
	r->in.eng = r->eng;
	r->in.path = (char *)name;
	r->in.format = imp->format;
	r->score = imp->probe(&r->t);
	r->rc = imp->import(&r->in, &r->t);
}

static inline void run_str(struct run *r, const struct kbf_importer *imp, const char *s)
{
	run_bytes(r, imp, "paste.txt", s, strlen(s));
}

/* Runs imp over fixture `dir/file`, named `file` in errors. */
static inline void run_fixture(struct run *r, const struct kbf_importer *imp, const char *rel)
{
	size_t len;
	unsigned char *buf = fixture_read(rel, &len);
	const char *slash = strrchr(rel, '/');
	run_bytes(r, imp, slash ? slash + 1 : rel, buf, len);
	free(buf);
}

static inline void run_free(struct run *r)
{
	kbf_text_free(&r->t);
	free(r->raw);
	kb_engine_free(r->eng);
}

/* The importer the registry picks for a fixture. */
static inline const struct kbf_importer *picked(const char *rel)
{
	size_t len;
	unsigned char *buf = fixture_read(rel, &len);
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, buf, len), 0);
	const struct kbf_importer *imp = kbf_importer_for(&t);
	kbf_text_free(&t);
	free(buf);
	return imp;
}

static inline size_t count(const struct run *r, const char *kind)
{
	int k = kb_kind_find(r->eng, kind);
	size_t n = 0;
	for (uint32_t id = 1; id <= kb_fact_count(r->eng); id++)
		n += kb_fact_get(r->eng, id)->kind == k;
	return n;
}

/* The one fact of `kind` that came from `line`. */
static inline const struct kb_fact *at(const struct run *r, const char *kind, int line)
{
	int k = kb_kind_find(r->eng, kind);
	const struct kb_fact *found = NULL;
	for (uint32_t id = 1; id <= kb_fact_count(r->eng); id++) {
		const struct kb_fact *f = kb_fact_get(r->eng, id);
		if (f->kind != k || f->prov.line != line)
			continue;
		if (found)
			fail_msg("two %s facts at line %d", kind, line);
		found = f;
	}
	if (!found)
		fail_msg("no %s fact at line %d", kind, line);
	return found;
}

static inline struct kb_value slot(const struct run *r, const struct kb_fact *f, const char *name)
{
	int s = kb_slot_find(r->eng, f->kind, name);
	assert_true(s >= 0);
	return f->slots[s];
}

#define assert_str_slot(r, f, name, want) do { \
		struct kb_value v_ = slot((r), (f), (name)); \
		if (v_.type != KB_STRING) \
			fail_msg("%s: not a string (type %d)", (name), v_.type); \
		assert_string_equal(v_.u.s, (want)); \
	} while (0)

#define assert_int_slot(r, f, name, want) do { \
		struct kb_value v_ = slot((r), (f), (name)); \
		if (v_.type != KB_INT) \
			fail_msg("%s: not an integer (type %d)", (name), v_.type); \
		assert_int_equal(v_.u.i, (int64_t)(want)); \
	} while (0)

#define assert_bool_slot(r, f, name, want) do { \
		struct kb_value v_ = slot((r), (f), (name)); \
		if (v_.type != KB_BOOL) \
			fail_msg("%s: not a boolean (type %d)", (name), v_.type); \
		assert_int_equal(v_.u.b, (want)); \
	} while (0)

#define assert_unset(r, f, name) assert_int_equal(slot((r), (f), (name)).type, KB_NIL)

#define assert_error_at(r, where_, needle) do { \
		assert_int_equal((r)->rc, -1); \
		assert_int_not_equal((r)->in.err.status, KB_OK); \
		assert_string_equal((r)->in.err.where, (where_)); \
		if (!strstr((r)->in.err.msg, (needle))) \
			fail_msg("error '%s' lacks '%s'", (r)->in.err.msg, (needle)); \
	} while (0)

#define assert_ok(r) do { \
		if ((r)->rc != 0 || (r)->in.err.status != KB_OK) \
			fail_msg("import failed: %s: %s", (r)->in.err.where, (r)->in.err.msg); \
	} while (0)

#endif
