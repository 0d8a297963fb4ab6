/*
 * file_facts_check.h — what test_file_versions.c and test_pe_version.c
 * share: run one importer over bytes in a fresh engine, find the `file`
 * facts it asserted, and compare every slot exactly.
 * Include after <cmocka.h>.
 */
#ifndef KBDIAG_TESTS_UNIT_FILE_FACTS_CHECK_H
#define KBDIAG_TESTS_UNIT_FILE_FACTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

static struct kb_engine *eng;
static struct kbf_input in;

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	unsigned char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		if (!got)
			break;
		*len += got;
	}
	fclose(f);
	return buf;
}

static void fresh_engine(void)
{
	kb_engine_free(eng);
	eng = kb_engine_new();
	assert_non_null(eng);
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
}

/* Decodes data, probes and imports it as `shown`; returns import's result
 * and the probe score in *score. */
static int import_bytes(const struct kbf_importer *imp, const char *shown, const unsigned char *data, size_t len,
			int *score)
{
	fresh_engine();
	memset(&in, 0, sizeof(in));
	in.eng = eng;
	in.path = (char *)shown;
	in.format = imp->format;
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, data, len), 0);
	*score = imp->probe(&t);
	int rc = imp->import(&in, &t);
	kbf_text_free(&t);
	return rc;
}

/* The importer kbf_importer_for() picks for these bytes. */
static const struct kbf_importer *recognised_as(const unsigned char *data, size_t len)
{
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, data, len), 0);
	const struct kbf_importer *imp = kbf_importer_for(&t);
	kbf_text_free(&t);
	return imp;
}

static size_t nfiles(void)
{
	int kind = kb_kind_find(eng, "file");
	size_t n = 0;
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++)
		n += kb_fact_get(eng, id)->kind == kind;
	return n;
}

/* The n-th file fact (0-based) in assertion order. */
static const struct kb_fact *file_fact(size_t n)
{
	int kind = kb_kind_find(eng, "file");
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind == kind && n-- == 0)
			return f;
	}
	fail_msg("no file fact #%zu", n);
	return NULL;
}

static struct kb_value slot_of(const struct kb_fact *f, const char *slot)
{
	int s = kb_slot_find(eng, f->kind, slot);
	assert_true(s >= 0);
	return f->slots[s];
}

static void check_str(const struct kb_fact *f, const char *slot, const char *want)
{
	struct kb_value v = slot_of(f, slot);
	if (!want) {
		if (v.type != KB_NIL)
			fail_msg("%s: want nil, have %s", slot, v.type == KB_STRING ? v.u.s : kb_type_name(v.type));
		return;
	}
	if (v.type != KB_STRING)
		fail_msg("%s: want \"%s\", have a %s", slot, want, kb_type_name(v.type));
	assert_string_equal(v.u.s, want);
}

static void check_int(const struct kb_fact *f, const char *slot, int64_t want)
{
	struct kb_value v = slot_of(f, slot);
	assert_int_equal(v.type, KB_INT);
	assert_int_equal(v.u.i, want);
}

static void check_nil(const struct kb_fact *f, const char *slot)
{
	assert_int_equal(slot_of(f, slot).type, KB_NIL);
}

/* version_code computed here independently of kbf_version_code. */
static int64_t code_of(const char *dotted)
{
	unsigned a, b, c, d;
	assert_int_equal(sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	return (int64_t)a << 48 | (int64_t)b << 32 | (int64_t)c << 16 | (int64_t)d;
}

/* Every string slot (NULL: unset), the code that goes with version, and
 * the provenance line. */
static void check_file(const struct kb_fact *f, const char *path, const char *name, const char *version,
		       const char *text, const char *product, int line)
{
	check_str(f, "path", path);
	check_str(f, "name", name);
	check_str(f, "version", version);
	check_str(f, "version_text", text);
	check_str(f, "product_version", product);
	if (version)
		check_int(f, "version_code", code_of(version));
	else
		check_nil(f, "version_code");
	assert_int_equal(f->prov.line, line);
	assert_string_equal(f->prov.source, in.path);
}

#endif
