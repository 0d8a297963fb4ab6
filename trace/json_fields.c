/*
 * json_fields.c — the values of a saved trace, read off the stream and
 * checked: strings (the trace's copies), integers, flags, slot values,
 * references to facts and rules, arrays and objects; and where the reader
 * is, for the problem it reports (json_reader.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

/* ---- problems ---------------------------------------------------------------------- */

static void vfail(struct kbt_json_reader *rd, const char *prefix, const char *fmt, va_list ap)
{
	if (rd->failed)
		return;
	size_t n = (size_t)snprintf(rd->err, rd->errlen, "%s", prefix);
	if (n < rd->errlen)
		vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
	rd->failed = true;
}

int kbt_json_bad(struct kbt_json_reader *rd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(rd, "", fmt, ap);
	va_end(ap);
	return -1;
}

int kbt_json_bad_at(struct kbt_json_reader *rd, size_t depth, const char *fmt, ...)
{
	char where[512];
	size_t n = (size_t)snprintf(where, sizeof(where), "line %d: ", rd->j.line);
	for (size_t i = 0; i < depth && i < KBT_JSON_PATH && n < sizeof(where); i++) {
		const struct kbt_json_step *s = &rd->path[i];
		n += (size_t)snprintf(where + n, sizeof(where) - n, "%s%s", i ? "." : "", s->name);
		if (s->index != KBT_JSON_NO_INDEX && n < sizeof(where))
			n += (size_t)snprintf(where + n, sizeof(where) - n, "[%zu]", s->index);
	}
	va_list ap;
	va_start(ap, fmt);
	vfail(rd, where, fmt, ap);
	va_end(ap);
	return -1;
}

int kbt_json_syntax(struct kbt_json_reader *rd)
{
	return kbt_json_bad(rd, "line %d, column %d: %s", rd->j.err_line, rd->j.err_col, rd->j.err);
}

void kbt_json_enter(struct kbt_json_reader *rd, const char *name, size_t index)
{
	if (rd->depth < KBT_JSON_PATH)
		rd->path[rd->depth] = (struct kbt_json_step){name, index};
	rd->depth++; /* steps past KBT_JSON_PATH are not shown */
}

void kbt_json_leave(struct kbt_json_reader *rd)
{
	rd->depth--;
}

/* ---- arrays, gathered ----------------------------------------------------------------- */

void kbt_json_scratch_push(struct kbt_json_reader *rd, const void *elem, size_t size)
{
	if (rd->nscratch + size > rd->scratch_cap) {
		rd->scratch_cap = (rd->nscratch + size) * 2;
		rd->scratch = kbu_realloc(rd->scratch, rd->scratch_cap, 1);
	}
	memcpy(rd->scratch + rd->nscratch, elem, size);
	rd->nscratch += size;
}

void *kbt_json_scratch_take(struct kbt_json_reader *rd, size_t mark, size_t size, size_t *count)
{
	size_t bytes = rd->nscratch - mark;
	void *a = kbt_alloc(rd->t, bytes);
	if (bytes)
		memcpy(a, rd->scratch + mark, bytes);
	*count = bytes / size;
	rd->nscratch = mark;
	return a;
}

/* ---- values ------------------------------------------------------------------------------ */

/* A scalar; an array or object only says its type (the caller rejects it or
 * skips it). */
static int scalar(struct kbt_json_reader *rd, struct kbu_jvalue *v)
{
	enum kbu_jtype type;
	if (!kbu_jscan_type(&rd->j, &type))
		return kbt_json_syntax(rd);
	if (type == KBU_J_OBJECT || type == KBU_J_ARRAY) {
		v->type = type;
		return 0;
	}
	return kbu_jscan_scalar(&rd->j, v) ? 0 : kbt_json_syntax(rd);
}

/* The trace's copy of a string just read; C strings cannot hold NUL. */
static int copy_of(struct kbt_json_reader *rd, const char *s, size_t len, const char **out)
{
	if (memchr(s, '\0', len))
		return kbt_json_bad_here(rd, " holds \\u0000");
	*out = kbt_str(rd->t, s);
	return 0;
}

int kbt_json_str(struct kbt_json_reader *rd, const char **out)
{
	struct kbu_jvalue v;
	*out = NULL;
	if (scalar(rd, &v) < 0)
		return -1;
	if (v.type == KBU_J_NULL)
		return 0;
	if (v.type != KBU_J_STRING)
		return kbt_json_bad_here(rd, " is not a string");
	return copy_of(rd, v.s, v.len, out);
}

int kbt_json_str_strict(struct kbt_json_reader *rd, const char **out)
{
	if (kbt_json_str(rd, out) < 0)
		return -1;
	return *out ? 0 : kbt_json_bad_here(rd, " is not a string");
}

int kbt_json_int(struct kbt_json_reader *rd, int64_t *out, int64_t min)
{
	struct kbu_jvalue v;
	if (scalar(rd, &v) < 0)
		return -1;
	if (v.type != KBU_J_INT || v.i < min)
		return kbt_json_bad_here(rd, " is not an integer of at least %lld", (long long)min);
	*out = v.i;
	return 0;
}

int kbt_json_count(struct kbt_json_reader *rd, uint64_t *out)
{
	int64_t n = 0;
	if (kbt_json_int(rd, &n, 0) < 0)
		return -1;
	*out = (uint64_t)n;
	return 0;
}

int kbt_json_bool(struct kbt_json_reader *rd, bool *out)
{
	struct kbu_jvalue v;
	if (scalar(rd, &v) < 0)
		return -1;
	*out = v.type == KBU_J_TRUE;
	if ((v.type == KBU_J_OBJECT || v.type == KBU_J_ARRAY) && !kbu_jscan_skip(&rd->j))
		return kbt_json_syntax(rd);
	return 0;
}

int kbt_json_value(struct kbt_json_reader *rd, struct kb_value *out)
{
	struct kbu_jvalue v;
	if (scalar(rd, &v) < 0)
		return -1;
	switch (v.type) {
	case KBU_J_STRING: *out = kb_str(NULL); return copy_of(rd, v.s, v.len, &out->u.s);
	case KBU_J_INT: *out = kb_int(v.i); return 0;
	case KBU_J_REAL: *out = kb_float(v.d); return 0;
	case KBU_J_TRUE: *out = kb_bool(true); return 0;
	case KBU_J_FALSE: *out = kb_bool(false); return 0;
	case KBU_J_NULL: *out = kb_nil(); return 0;
	default: return kbt_json_bad_here(rd, " is not a string, number, boolean or null");
	}
}

int kbt_json_ref(struct kbt_json_reader *rd, uint32_t *out, bool null_ok, size_t depth)
{
	struct kbu_jvalue v;
	*out = 0;
	if (scalar(rd, &v) < 0)
		return -1;
	if (v.type == KBU_J_NULL && null_ok)
		return 0;
	char *end = NULL;
	unsigned long id = v.type == KBU_J_STRING && v.s[0] == 'f' && v.s[1] >= '0' && v.s[1] <= '9'
		? strtoul(v.s + 1, &end, 10) : 0;
	if (!id || (size_t)(end - v.s) != v.len || id > UINT32_MAX)
		return kbt_json_bad_at(rd, depth, " is not a fact (\"f<number>\")");
	*out = (uint32_t)id;
	return 0;
}

/* ---- containers ---------------------------------------------------------------------- */

/* A value that must be an array or an object: begins it. */
static int begin(struct kbt_json_reader *rd, enum kbu_jtype want)
{
	enum kbu_jtype type;
	if (!kbu_jscan_type(&rd->j, &type))
		return kbt_json_syntax(rd);
	if (type != want)
		return kbt_json_bad_here(rd, want == KBU_J_ARRAY ? " is not an array" : " is not an object");
	bool ok = want == KBU_J_ARRAY ? kbu_jscan_array_begin(&rd->j) : kbu_jscan_object_begin(&rd->j);
	return ok ? 0 : kbt_json_syntax(rd);
}

int kbt_json_elements(struct kbt_json_reader *rd, int (*fn)(struct kbt_json_reader *, void *), void *ud)
{
	bool done;
	if (begin(rd, KBU_J_ARRAY) < 0)
		return -1;
	struct kbt_json_step *top = rd->depth && rd->depth <= KBT_JSON_PATH ? &rd->path[rd->depth - 1] : NULL;
	for (size_t i = 0; kbu_jscan_element(&rd->j, &done) && !done; i++) {
		if (top)
			top->index = i;
		if (fn(rd, ud) < 0)
			return -1;
	}
	if (top)
		top->index = KBT_JSON_NO_INDEX;
	return rd->j.failed ? kbt_json_syntax(rd) : 0;
}

void *kbt_json_array(struct kbt_json_reader *rd, int (*fn)(struct kbt_json_reader *, void *), size_t size,
		     size_t *count)
{
	size_t mark = rd->nscratch;
	return kbt_json_elements(rd, fn, NULL) < 0 ? NULL : kbt_json_scratch_take(rd, mark, size, count);
}

int kbt_json_members(struct kbt_json_reader *rd, const char *const *names, int n, uint32_t *seen,
		     int (*fn)(struct kbt_json_reader *, void *, int), void *elem)
{
	bool done;
	*seen = 0;
	if (begin(rd, KBU_J_OBJECT) < 0)
		return -1;
	while (kbu_jscan_member(&rd->j, &done) && !done) {
		int m = 0;
		if (memchr(rd->j.key, '\0', rd->j.keylen))
			return kbt_json_bad_here(rd, ": a member's name holds \\u0000");
		while (m < n && strcmp(rd->j.key, names[m]) != 0)
			m++;
		if (m == n) { /* none of this format's: a later one's */
			if (!kbu_jscan_skip(&rd->j))
				return kbt_json_syntax(rd);
			continue;
		}
		if (*seen & (1u << m))
			return kbt_json_bad_here(rd, " names \"%s\" twice", names[m]);
		*seen |= 1u << m;
		kbt_json_enter(rd, names[m], KBT_JSON_NO_INDEX);
		int rc = fn(rd, elem, m);
		kbt_json_leave(rd);
		if (rc < 0)
			return -1;
	}
	return rd->j.failed ? kbt_json_syntax(rd) : 0;
}

static int ref_element(struct kbt_json_reader *rd, void *ud)
{
	uint32_t id;
	(void)ud;
	if (kbt_json_ref(rd, &id, true, rd->depth) < 0)
		return -1;
	kbt_json_scratch_push(rd, &id, sizeof(id));
	return 0;
}

int kbt_json_refs(struct kbt_json_reader *rd, uint32_t **out, size_t *n)
{
	return (*out = kbt_json_array(rd, ref_element, sizeof(**out), n)) ? 0 : -1;
}

static int cmp_ptrs(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
	return (x > y) - (x < y);
}

/* The first name given twice, or NULL.  Names are the trace's copies, so
 * equal names are one pointer; few are compared pairwise, many sorted. */
static const char *named_twice(const struct kbt_slot *s, size_t n)
{
	const char *found = NULL;
	if (n <= 16) {
		for (size_t i = 1; i < n && !found; i++)
			for (size_t k = 0; k < i && !found; k++)
				found = s[i].name == s[k].name ? s[i].name : NULL;
		return found;
	}
	const char **names = kbu_calloc(n, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = s[i].name;
	qsort(names, n, sizeof(*names), cmp_ptrs);
	for (size_t i = 1; i < n && !found; i++)
		found = names[i] == names[i - 1] ? names[i] : NULL;
	free(names);
	return found;
}

int kbt_json_slots(struct kbt_json_reader *rd, struct kbt_slot **out, size_t *n)
{
	bool done;
	size_t mark = rd->nscratch;
	if (begin(rd, KBU_J_OBJECT) < 0)
		return -1;
	while (kbu_jscan_member(&rd->j, &done) && !done) {
		struct kbt_slot s = {0};
		if (copy_of(rd, rd->j.key, rd->j.keylen, &s.name) < 0)
			return -1;
		kbt_json_enter(rd, s.name, KBT_JSON_NO_INDEX);
		int rc = kbt_json_value(rd, &s.value);
		kbt_json_leave(rd);
		if (rc < 0)
			return -1;
		kbt_json_scratch_push(rd, &s, sizeof(s));
	}
	if (rd->j.failed)
		return kbt_json_syntax(rd);
	*out = kbt_json_scratch_take(rd, mark, sizeof(**out), n);
	const char *dup = named_twice(*out, *n);
	return dup ? kbt_json_bad_here(rd, " names \"%s\" twice", dup) : 0;
}

/* ---- rules by id ------------------------------------------------------------------------- */

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(((const struct kbt_json_rule_key *)a)->id, ((const struct kbt_json_rule_key *)b)->id);
}

int kbt_json_index_rules(struct kbt_json_reader *rd)
{
	const struct kbt_trace *t = rd->t;
	rd->keys = kbu_calloc(t->nrules, sizeof(*rd->keys));
	for (size_t i = 0; i < t->nrules; i++)
		rd->keys[i] = (struct kbt_json_rule_key){t->rules[i].id, i};
	qsort(rd->keys, t->nrules, sizeof(*rd->keys), cmp_keys);
	for (size_t i = 1; i < t->nrules; i++)
		if (strcmp(rd->keys[i - 1].id, rd->keys[i].id) == 0)
			return kbt_json_bad(rd, "rules: \"%s\" is listed twice", rd->keys[i].id);
	return 0;
}

int kbt_json_rule(struct kbt_json_reader *rd, size_t *out)
{
	const char *id;
	if (kbt_json_str(rd, &id) < 0)
		return -1;
	if (!id)
		return kbt_json_bad_here(rd, " is missing");
	if (id != rd->last_rule) {
		struct kbt_json_rule_key key = {id, 0};
		const struct kbt_json_rule_key *k = bsearch(&key, rd->keys, rd->t->nrules, sizeof(key), cmp_keys);
		if (!k)
			return kbt_json_bad_here(rd, ": no rule \"%s\" in rules", id);
		rd->last_rule = id;
		rd->last_idx = k->idx;
	}
	*out = rd->last_idx;
	return 0;
}
