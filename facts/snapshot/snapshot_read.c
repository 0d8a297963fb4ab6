/*
 * snapshot_read.c — reading the snapshot format (docs/snapshot-format.md)
 * in one pass over the text, emitting each fact as it is read
 * (kbf_fact_emit_at, so the pre-filter sees it before its strings are
 * interned), with its original source and line, so findings still point
 * at the host's evidence.  A fact that does not fit is reported at the
 * line and column where it begins, and the facts before it are kept.
 * A string holding \u0000 cannot be a fact's string (interned strings end
 * at their NUL, so "PoProxy.exe\u0000evil.dll" would read as PoProxy.exe):
 * its fact is left out, said so at its line and column, and reading goes
 * on with the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "json_scan.h"
#include "snapshot.h"
#include "xalloc.h"

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	const char *s = t->utf8;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s != '{')
		return 0;
	size_t window = t->len < 4096 ? t->len : 4096;
	char *head = kbu_strndup(t->utf8, window);
	int score = strstr(head, "\"kbdiag_snapshot\"") ? 100 : 0;
	free(head);
	return score;
}

struct reader {
	struct kbf_input *in;
	struct kbu_jscan j;
	size_t index;        /* of the fact being read */
	int line, col;       /* where it begins */
	/* The strings of the fact being read, each NUL-terminated, one after
	 * another: the scanner keeps only the last string it read, and a fact's
	 * strings are interned only if the pre-filter keeps it. */
	char *strs;
	size_t nstrs, strs_cap;
};

static int syntax_error(struct reader *r)
{
	return kbf_input_error(r->in, r->j.err_line, "column %d: %s", r->j.err_col, r->j.err);
}

static int fact_error(struct reader *r, const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, a, b);
	return kbf_input_error(r->in, r->line, "column %d: facts[%zu]: %s", r->col, r->index, msg);
}

#define NO_STRING SIZE_MAX

/* One fact as read, before its kind is known (members come in any order).
 * Strings are offsets in the reader's strs until the fact is complete. */
struct raw_fact {
	size_t kind, source, text; /* NO_STRING: absent */
	int line;
	const char *nul_in;        /* the first member whose string holds \u0000 */
	bool nul_key;              /* a member's or a slot's name holds one */
	size_t n;
	const char *names[KBF_MAX_SLOTS];
	struct kbu_jvalue values[KBF_MAX_SLOTS]; /* a string: offset in .i, length in .len */
};

/* A string the fact holds (v, just read, the value of member): its offset
 * in r->strs. */
static size_t keep_string(struct reader *r, struct raw_fact *f, const struct kbu_jvalue *v, const char *member)
{
	if (!f->nul_in && memchr(v->s, '\0', v->len))
		f->nul_in = member;
	if (r->nstrs + v->len + 1 > r->strs_cap) {
		r->strs_cap = (r->nstrs + v->len + 1) * 2;
		r->strs = kbu_realloc(r->strs, r->strs_cap, 1);
	}
	size_t at = r->nstrs;
	memcpy(r->strs + at, v->s, v->len);
	r->strs[at + v->len] = '\0';
	r->nstrs += v->len + 1;
	return at;
}

/* Whether the member name just read holds \u0000 (kb_intern_cstr would
 * stop there: "name\u0000x" would set the slot "name"). */
static bool key_holds_nul(const struct reader *r)
{
	return memchr(r->j.key, '\0', r->j.keylen) != NULL;
}

static const char *string_at(const struct reader *r, size_t at)
{
	return at == NO_STRING ? NULL : r->strs + at;
}

static int read_slots(struct reader *r, struct raw_fact *f)
{
	bool done;
	if (!kbu_jscan_object_begin(&r->j))
		return syntax_error(r);
	while (kbu_jscan_member(&r->j, &done) && !done) {
		if (f->n == KBF_MAX_SLOTS)
			return fact_error(r, "more than %s slots%s", "32", "");
		f->names[f->n] = kb_intern_cstr(r->in->eng, r->j.key);
		f->nul_key = f->nul_key || key_holds_nul(r);
		struct kbu_jvalue *v = &f->values[f->n];
		if (!kbu_jscan_scalar(&r->j, v))
			return syntax_error(r);
		if (v->type == KBU_J_STRING)
			v->i = (int64_t)keep_string(r, f, v, f->names[f->n]);
		f->n++;
	}
	return r->j.failed ? syntax_error(r) : 0;
}

static int read_string_member(struct reader *r, struct raw_fact *f, size_t *out, const char *member)
{
	struct kbu_jvalue v;
	if (!kbu_jscan_scalar(&r->j, &v))
		return syntax_error(r);
	if (v.type != KBU_J_STRING)
		return fact_error(r, "\"%s\" must be a string%s", r->j.key, "");
	*out = keep_string(r, f, &v, member);
	return 0;
}

static int read_members(struct reader *r, struct raw_fact *f)
{
	bool done;
	if (!kbu_jscan_object_begin(&r->j))
		return syntax_error(r);
	while (kbu_jscan_member(&r->j, &done) && !done) {
		int rc = 0;
		struct kbu_jvalue v;
		f->nul_key = f->nul_key || key_holds_nul(r); /* "kind\u0000x" is not "kind" */
		if (strcmp(r->j.key, "kind") == 0) {
			rc = read_string_member(r, f, &f->kind, "kind");
		} else if (strcmp(r->j.key, "slots") == 0) {
			rc = read_slots(r, f);
		} else if (strcmp(r->j.key, "source") == 0) {
			rc = read_string_member(r, f, &f->source, "source");
		} else if (strcmp(r->j.key, "text") == 0) {
			rc = read_string_member(r, f, &f->text, "text");
		} else if (strcmp(r->j.key, "line") == 0) {
			if (!kbu_jscan_scalar(&r->j, &v))
				return syntax_error(r);
			if (v.type != KBU_J_INT || v.i < 0 || v.i > 1000000000)
				return fact_error(r, "\"line\" must be a line number%s%s", "", "");
			f->line = (int)v.i;
		} else if (!kbu_jscan_skip(&r->j)) {
			return syntax_error(r);
		}
		if (rc < 0)
			return -1;
	}
	return r->j.failed ? syntax_error(r) : 0;
}

/* The slot value of v, a string borrowed from r->strs (kbf_set_str). */
static bool value_for(const struct reader *r, const struct kbu_jvalue *v, enum kb_type want, struct kb_value *out)
{
	switch (v->type) {
	case KBU_J_NULL: *out = kb_nil(); return true;
	case KBU_J_STRING:
		*out = (struct kb_value){.type = KB_STRING, .u.s = string_at(r, (size_t)v->i)};
		return want == KB_STRING;
	case KBU_J_INT:
		*out = want == KB_FLOAT ? kb_float((double)v->i) : kb_int(v->i);
		return want == KB_INT || want == KB_FLOAT;
	case KBU_J_REAL: *out = kb_float(v->d); return want == KB_FLOAT;
	case KBU_J_TRUE: *out = kb_bool(true); return want == KB_BOOL;
	case KBU_J_FALSE: *out = kb_bool(false); return want == KB_BOOL;
	default: return false;
	}
}

static int emit_fact(struct reader *r, const struct raw_fact *f)
{
	struct kb_engine *eng = r->in->eng;
	const char *kind_name = string_at(r, f->kind);
	if (!kind_name)
		return fact_error(r, "a fact is an object with \"kind\" and \"slots\"%s%s", "", "");
	struct kbf_fact x;
	int kind = kb_kind_find(eng, kind_name);
	if (kind < 0)
		return fact_error(r, "unknown kind '%s'%s", kind_name, "");
	if (!kbf_fact_begin_kind(&x, r->in, kind))
		return fact_error(r, "kind '%s' has more slots than a fact can carry%s", kind_name, "");
	for (size_t i = 0; i < f->n; i++) {
		int s = kb_slot_find(eng, x.kind, f->names[i]);
		if (s < 0)
			return fact_error(r, "%s has no slot '%s'", kind_name, f->names[i]);
		enum kb_type want = kb_kind_slot(eng, x.kind, (size_t)s)->type;
		if (!value_for(r, &f->values[i], want, &x.v[s]))
			return fact_error(r, "slot '%s' must be %s", f->names[i],
					  want == KB_INT ? "an integer" : want == KB_STRING ? "a string"
					  : want == KB_FLOAT ? "a number" : "true or false");
		x.len[s] = f->values[i].len;
	}
	const char *source = string_at(r, f->source), *text = string_at(r, f->text);
	/* the types fit the kind (value_for): the assert cannot refuse it */
	return kbf_fact_emit_at(&x, source ? source : r->in->path, f->line, text, text ? strlen(text) : 0) ? 0 : -1;
}

static int read_facts(struct reader *r)
{
	bool done;
	if (!kbu_jscan_array_begin(&r->j))
		return syntax_error(r);
	for (r->index = 0; kbu_jscan_element(&r->j, &done) && !done; r->index++) {
		struct raw_fact f = {.kind = NO_STRING, .source = NO_STRING, .text = NO_STRING};
		r->nstrs = 0;
		kbu_jscan_pos(&r->j, &r->line, &r->col);
		if (read_members(r, &f) < 0)
			return -1;
		const char *q = f.nul_key ? "" : "\"";
		if (f.nul_in || f.nul_key)
			kbf_input_skip(r->in, r->line, "column %d: facts[%zu]: %s%s%s holds \\u0000, which a fact's string "
				       "cannot carry; the fact is left out", r->col, r->index, q,
				       f.nul_key ? "a member name" : f.nul_in, q);
		else if (emit_fact(r, &f) < 0)
			return -1;
	}
	return r->j.failed ? syntax_error(r) : 0;
}

/* "kinds": {"name": {"slot": "string" | "integer" | "float" | "boolean"}} */
static int read_kind(struct reader *r, const char *name)
{
	struct kb_slot_decl decl[KBF_MAX_SLOTS];
	size_t n = 0;
	bool done;
	if (!kbu_jscan_object_begin(&r->j))
		return syntax_error(r);
	while (kbu_jscan_member(&r->j, &done) && !done) {
		struct kbu_jvalue v;
		const char *slot = kb_intern_cstr(r->in->eng, r->j.key);
		if (key_holds_nul(r))
			return kbf_input_error(r->in, r->j.line, "kind '%s': a slot name holds \\u0000", name);
		if (!kbu_jscan_scalar(&r->j, &v))
			return syntax_error(r);
		const char *t = v.type == KBU_J_STRING ? v.s : "";
		enum kb_type kt = strcmp(t, "string") == 0 ? KB_STRING : strcmp(t, "integer") == 0 ? KB_INT
			: strcmp(t, "float") == 0 ? KB_FLOAT : strcmp(t, "boolean") == 0 ? KB_BOOL : KB_NIL;
		if (kt == KB_NIL || n == KBF_MAX_SLOTS)
			return kbf_input_error(r->in, r->j.line, "kind '%s': slot '%s' has no valid type", name, slot);
		decl[n++] = (struct kb_slot_decl){slot, kt};
	}
	if (r->j.failed)
		return syntax_error(r);
	struct kb_error err = {0};
	if (kb_kind_declare(r->in->eng, name, n, decl, &err) < 0)
		return kbf_input_error(r->in, r->j.line, "%s", err.msg);
	return 0;
}

static int read_kinds(struct reader *r)
{
	bool done;
	if (!kbu_jscan_object_begin(&r->j))
		return syntax_error(r);
	while (kbu_jscan_member(&r->j, &done) && !done) {
		if (key_holds_nul(r))
			return kbf_input_error(r->in, r->j.line, "a kind's name holds \\u0000");
		if (read_kind(r, kb_intern_cstr(r->in->eng, r->j.key)) < 0)
			return -1;
	}
	return r->j.failed ? syntax_error(r) : 0;
}

static int read_document(struct reader *r, int64_t *version)
{
	bool done;
	if (!kbu_jscan_object_begin(&r->j))
		return syntax_error(r);
	while (kbu_jscan_member(&r->j, &done) && !done) {
		int rc = 0;
		if (strcmp(r->j.key, "kbdiag_snapshot") == 0) {
			struct kbu_jvalue v;
			if (!kbu_jscan_scalar(&r->j, &v))
				return syntax_error(r);
			*version = v.type == KBU_J_INT ? v.i : -1;
		} else if (strcmp(r->j.key, "facts") == 0) {
			rc = read_facts(r);
		} else if (strcmp(r->j.key, "kinds") == 0) {
			rc = read_kinds(r);
		} else if (!kbu_jscan_skip(&r->j)) {
			return syntax_error(r);
		}
		if (rc < 0)
			return -1;
	}
	return r->j.failed || !kbu_jscan_end(&r->j) ? syntax_error(r) : 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct reader r = {.in = in};
	int64_t version = -1;
	if (!t->utf8)
		return kbf_input_error(in, 0, "a snapshot is JSON text, not a binary file");
	kbu_jscan_init(&r.j, t->utf8, t->len);
	int rc = read_document(&r, &version);
	kbu_jscan_free(&r.j);
	free(r.strs);
	if (rc == 0 && version != SNAPSHOT_VERSION)
		rc = kbf_input_error(in, 1, "not a version %d snapshot", SNAPSHOT_VERSION);
	return rc;
}

const struct kbf_importer kbf_snapshot_importer = {"snapshot", probe, import, KBF_READ_WHOLE};
