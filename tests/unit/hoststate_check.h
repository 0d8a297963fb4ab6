/*
 * hoststate_check.h — what the Windows host-state importer tests share:
 * read a fixture (tests/fixtures/...) as a customer's file, run one
 * importer over it in a fresh engine, and look at the facts it asserted
 * slot by slot.  Include after <cmocka.h>.
 */
#ifndef KBDIAG_TESTS_UNIT_HOSTSTATE_CHECK_H
#define KBDIAG_TESTS_UNIT_HOSTSTATE_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "fixture.h"

struct imported {
	struct kb_engine *eng;
	struct kbf_input in;
	unsigned char *raw;
	size_t rawlen;
	struct kbf_text text;
	int rc;
};

static inline void import_bytes(struct imported *im, const struct kbf_importer *imp, const char *name,
				unsigned char *raw, size_t len)
{
	memset(im, 0, sizeof(*im));
	im->eng = kb_engine_new();
	assert_non_null(im->eng);
	assert_int_equal(kbf_schema_declare(im->eng, NULL), 0);
	im->raw = raw;
	im->rawlen = len;
	assert_int_equal(kbf_text_decode(&im->text, raw, len), 0);
	im->in = (struct kbf_input){.eng = im->eng, .path = (char *)name, .format = imp->format};
	im->rc = imp->import(&im->in, &im->text);
}

/* Runs imp over tests/fixtures/<rel>; the input's path is the file name. */
static inline void import_fixture(struct imported *im, const struct kbf_importer *imp, const char *rel)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	const char *name = strrchr(rel, '/');
	import_bytes(im, imp, name ? name + 1 : rel, raw, len);
}

static inline void imported_free(struct imported *im)
{
	kbf_text_free(&im->text);
	free(im->raw);
	kb_engine_free(im->eng);
}

/* The probe score imp gives tests/fixtures/<rel>. */
static inline int probe_fixture(const struct kbf_importer *imp, const char *rel)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, raw, len), 0);
	int score = imp->probe(&t);
	kbf_text_free(&t);
	free(raw);
	return score;
}

/* The format of the importer the registry picks for tests/fixtures/<rel>. */
static inline const char *best_format(const char *rel)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, raw, len), 0);
	const struct kbf_importer *imp = kbf_importer_for(&t);
	kbf_text_free(&t);
	free(raw);
	return imp ? imp->format : "unrecognised";
}

static inline size_t count_facts(const struct imported *im, const char *kind)
{
	int k = kb_kind_find(im->eng, kind);
	size_t n = 0;
	for (uint32_t id = 1; id <= kb_fact_count(im->eng); id++) {
		const struct kb_fact *f = kb_fact_get(im->eng, id);
		n += f->live && f->kind == k;
	}
	return n;
}

/* The i-th (0-based) live fact of kind, in assertion order. */
static inline const struct kb_fact *nth_fact(const struct imported *im, const char *kind, size_t i)
{
	int k = kb_kind_find(im->eng, kind);
	for (uint32_t id = 1; id <= kb_fact_count(im->eng); id++) {
		const struct kb_fact *f = kb_fact_get(im->eng, id);
		if (f->live && f->kind == k && i-- == 0)
			return f;
	}
	fail_msg("no %s fact #%zu", kind, i);
	return NULL;
}

static inline struct kb_value slot_of(const struct imported *im, const struct kb_fact *f, const char *slot)
{
	int s = kb_slot_find(im->eng, f->kind, slot);
	if (s < 0)
		fail_msg("no slot %s", slot);
	return f->slots[s];
}

static inline void check_str(const struct imported *im, const struct kb_fact *f, const char *slot,
			     const char *want)
{
	struct kb_value v = slot_of(im, f, slot);
	if (v.type != KB_STRING)
		fail_msg("slot %s: want \"%s\", have type %s", slot, want, kb_type_name(v.type));
	if (strcmp(v.u.s, want) != 0)
		fail_msg("slot %s: want \"%s\", have \"%s\"", slot, want, v.u.s);
}

static inline void check_int(const struct imported *im, const struct kb_fact *f, const char *slot,
			     int64_t want)
{
	struct kb_value v = slot_of(im, f, slot);
	if (v.type != KB_INT)
		fail_msg("slot %s: want %lld, have type %s", slot, (long long)want, kb_type_name(v.type));
	assert_int_equal(v.u.i, want);
}

static inline void check_bool(const struct imported *im, const struct kb_fact *f, const char *slot,
			      bool want)
{
	struct kb_value v = slot_of(im, f, slot);
	if (v.type != KB_BOOL)
		fail_msg("slot %s: want a boolean, have type %s", slot, kb_type_name(v.type));
	assert_int_equal(v.u.b, want);
}

static inline void check_nil(const struct imported *im, const struct kb_fact *f, const char *slot)
{
	struct kb_value v = slot_of(im, f, slot);
	if (v.type != KB_NIL)
		fail_msg("slot %s: want unset, have type %s", slot, kb_type_name(v.type));
}

static inline void check_line(const struct kb_fact *f, int line)
{
	assert_int_equal(f->prov.line, line);
}

#endif
