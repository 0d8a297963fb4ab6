/*
 * linux_test_util.h — what the Linux collector tests share: an engine with
 * the stock schema, finding facts by a slot value, asserting slots by
 * name, and scratch directories for fake /proc and /etc trees.
 */
#ifndef KBDIAG_TESTS_UNIT_LINUX_TEST_UTIL_H
#define KBDIAG_TESTS_UNIT_LINUX_TEST_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "facts.h"
#include "fixture.h"

static inline struct kb_engine *lt_engine(void)
{
	struct kb_engine *eng = kb_engine_new();
	assert_non_null(eng);
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	return eng;
}

static inline struct kb_value lt_slot(struct kb_engine *eng, const struct kb_fact *f, const char *name)
{
	int i = kb_slot_find(eng, f->kind, name);
	assert_true(i >= 0);
	return f->slots[i];
}

static inline size_t lt_count(struct kb_engine *eng, const char *kind)
{
	int k = kb_kind_find(eng, kind);
	size_t n = 0;
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		n += f && f->live && f->kind == k;
	}
	return n;
}

/* The first live fact of kind whose slot equals v (string or integer). */
static inline const struct kb_fact *lt_find(struct kb_engine *eng, const char *kind, const char *slot,
					    struct kb_value v)
{
	int k = kb_kind_find(eng, kind);
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (!f || !f->live || f->kind != k)
			continue;
		struct kb_value s = lt_slot(eng, f, slot);
		if (s.type == v.type && (v.type == KB_STRING ? strcmp(s.u.s, v.u.s) == 0 : s.u.i == v.u.i))
			return f;
	}
	return NULL;
}

static inline const struct kb_fact *lt_find_str(struct kb_engine *eng, const char *kind, const char *slot,
						const char *s)
{
	return lt_find(eng, kind, slot, kb_str(s));
}

static inline const struct kb_fact *lt_find_int(struct kb_engine *eng, const char *kind, const char *slot,
						int64_t i)
{
	return lt_find(eng, kind, slot, kb_int(i));
}

#define lt_str(eng, f, name, want) do { \
	struct kb_value v_ = lt_slot(eng, f, name); \
	if ((want) == NULL) { assert_int_equal(v_.type, KB_NIL); } \
	else { assert_int_equal(v_.type, KB_STRING); assert_string_equal(v_.u.s, (want)); } \
} while (0)
#define lt_int(eng, f, name, want) do { \
	struct kb_value v_ = lt_slot(eng, f, name); \
	assert_int_equal(v_.type, KB_INT); assert_int_equal(v_.u.i, (want)); \
} while (0)
#define lt_nil(eng, f, name) assert_int_equal(lt_slot(eng, f, name).type, KB_NIL)
#define lt_bool(eng, f, name, want) do { \
	struct kb_value v_ = lt_slot(eng, f, name); \
	assert_int_equal(v_.type, KB_BOOL); assert_int_equal(v_.u.b, (want)); \
} while (0)

/* Runs an importer on bytes as read_file() in core/read.c would; returns its
 * result.  in is set up with path. */
static inline int lt_import(struct kb_engine *eng, const struct kbf_importer *imp, const void *raw,
			    size_t len, const char *path, struct kbf_input *in)
{
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, raw, len), 0);
	memset(in, 0, sizeof(*in));
	in->eng = eng;
	in->path = (char *)path;
	in->format = imp->format;
	int rc = imp->import(in, &t);
	kbf_text_free(&t);
	return rc;
}

static inline int lt_probe(const struct kbf_importer *imp, const void *raw, size_t len)
{
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, raw, len), 0);
	int score = imp->probe(&t);
	kbf_text_free(&t);
	return score;
}

/* A fresh scratch directory (removed by lt_rmtree). */
static inline char *lt_tmpdir(void)
{
	char *d = strdup("/tmp/kbdiag-test-XXXXXX");
	assert_non_null(mkdtemp(d));
	return d;
}

static inline void lt_rmtree(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Writes dir/rel (creating parent directories) with printf-style content. */
static inline void lt_write(const char *dir, const char *rel, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void lt_write(const char *dir, const char *rel, const char *fmt, ...)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* A collector's run on an input of its own name. */
static inline int lt_gather(struct kb_engine *eng, const struct kbf_collector *c,
			    const struct kbf_options *opt, struct kbf_input *in)
{
	memset(in, 0, sizeof(*in));
	in->eng = eng;
	in->path = (char *)c->name;
	in->format = "live";
	return c->gather(in, opt);
}

#endif
