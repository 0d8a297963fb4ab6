/*
 * emit.c — building facts slot by slot and asserting them with the
 * provenance of the input they came from, once the engine's pre-filter
 * says a rule could match them.  Strings are borrowed until then, so a
 * fact turned away costs no interning and no copy of its text; a fact
 * kept from a file cites its record there (cite.c) rather than copy it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wtext.h"
#include "facts.h"
#include "xalloc.h"

/* The kind (kind -1) or kind's slot called name, remembered by the name's
 * address: sources name them with literals (facts.h), so an address names
 * one kind or slot for good. */
static int name_index(struct kbf_input *in, int kind, const char *name)
{
	uint64_t h = ((uint64_t)(uintptr_t)name + (uint64_t)(kind + 1)) * 0x9E3779B97F4A7C15u;
	struct kbf_name *e = &in->names[h >> (64 - KBF_NAMES_BITS)];
	if (e->name == name && e->kind == kind)
		return e->index;
	int i = kind < 0 ? kb_kind_find(in->eng, name) : kb_slot_find(in->eng, kind, name);
	if (i >= 0)
		*e = (struct kbf_name){name, kind, i};
	return i;
}

void kbf_fact_begin(struct kbf_fact *f, struct kbf_input *in, const char *kind)
{
	int k = name_index(in, -1, kind);
	if (k < 0)
		abort(); /* the stock schema lacks a kind a source emits */
	if (!kbf_fact_begin_kind(f, in, k))
		abort(); /* no stock kind is that wide */
}

bool kbf_fact_begin_kind(struct kbf_fact *f, struct kbf_input *in, int kind)
{
	f->in = in;
	f->kind = kind;
	f->nslots = kb_kind_nslots(in->eng, kind);
	if (f->nslots > KBF_FACT_SLOTS)
		return false;
	for (size_t i = 0; i < f->nslots; i++)
		f->v[i] = kb_nil();
	return true;
}

static struct kb_value *slot(struct kbf_fact *f, const char *name)
{
	int i = name_index(f->in, f->kind, name);
	if (i < 0)
		abort(); /* the stock schema lacks a slot a source fills */
	return &f->v[i];
}

static void set_text(struct kbf_fact *f, const char *name, const char *s, size_t len)
{
	struct kb_value *v = slot(f, name);
	*v = (struct kb_value){.type = KB_STRING, .u.s = s};
	f->len[v - f->v] = len;
}

void kbf_set_str(struct kbf_fact *f, const char *name, const char *s, size_t len)
{
	set_text(f, name, s, len);
}

void kbf_set_str_copy(struct kbf_fact *f, const char *name, const char *s, size_t len)
{
	set_text(f, name, kb_intern(f->in->eng, s, len), len);
}

void kbf_set_cstr(struct kbf_fact *f, const char *name, const char *s)
{
	kbf_set_str(f, name, s, strlen(s));
}

void kbf_set_int(struct kbf_fact *f, const char *name, int64_t v) { *slot(f, name) = kb_int(v); }
void kbf_set_bool(struct kbf_fact *f, const char *name, bool v) { *slot(f, name) = kb_bool(v); }

const struct kb_fact kbf_fact_skipped;

/* The fact is kept: its strings become the engine's. */
static void intern_strings(struct kbf_fact *f)
{
	for (size_t i = 0; i < f->nslots; i++)
		if (f->v[i].type == KB_STRING)
			f->v[i] = kb_str(kb_intern(f->in->eng, f->v[i].u.s, f->len[i]));
}

bool kbf_fact_probe_reads(struct kbf_fact *f, const char *name)
{
	return kb_prefilter_reads(f->in->eng, f->kind, name_index(f->in, f->kind, name));
}

/* The computer an event names, noted once (facts.h, kbf_input.computers). */
static void note_computer(struct kbf_fact *f)
{
	struct kbf_input *in = f->in;
	int slot = name_index(in, f->kind, "computer");
	if (slot < 0 || f->v[slot].type != KB_STRING || in->ncomputers == KBF_COMPUTERS)
		return;
	const char *s = f->v[slot].u.s;
	size_t len = f->len[slot] ? f->len[slot] : strlen(s);
	for (size_t i = 0; i < in->ncomputers; i++)
		if (strncmp(in->computers[i], s, len) == 0 && in->computers[i][len] == '\0')
			return;
	in->computers[in->ncomputers++] = kbu_strndup(s, len);
}

bool kbf_fact_wanted(struct kbf_fact *f)
{
	f->in->nread++;
	if (f->kind == name_index(f->in, -1, "event"))
		note_computer(f);
	if (kb_prefilter_wants(f->in->eng, f->kind, f->v, f->len))
		return true;
	f->in->nskipped++;
	return false;
}

/* Asserts the fact with prov (its text, if any, copied by the engine). */
static const struct kb_fact *assert_fact(struct kbf_fact *f, const struct kb_prov *prov)
{
	bool dup = false;
	struct kb_error err = {0};
	const struct kb_fact *fact = kb_assert(f->in->eng, f->kind, f->v, prov, &dup, &err);
	if (!fact) {
		kbf_input_error(f->in, prov->line, "%s", err.msg);
		return NULL;
	}
	if (!dup)
		f->in->nfacts++;
	return fact;
}

const struct kb_fact *kbf_fact_keep_record(struct kbf_fact *f, int line, const char *s, size_t len,
					 enum kbf_text_form form)
{
	intern_strings(f);
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, f->in->path, line, NULL, {0}};
	if (s && !kbf_cite_make(f->in, s, len, form, &prov.cite)) {
		struct kbf_wtext_buf b = {0};
		kbf_text_form(&b, form, s, len);
		prov.text = b.s;
		const struct kb_fact *fact = assert_fact(f, &prov);
		kbf_wtext_buf_free(&b);
		return fact;
	}
	return assert_fact(f, &prov);
}

const struct kb_fact *kbf_fact_emit_record(struct kbf_fact *f, int line, const char *s, size_t len,
					   enum kbf_text_form form)
{
	return kbf_fact_wanted(f) ? kbf_fact_keep_record(f, line, s, len, form) : &kbf_fact_skipped;
}

const struct kb_fact *kbf_fact_keep_at(struct kbf_fact *f, const char *source, int line, const char *text,
				       size_t textlen)
{
	intern_strings(f);
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, source, line, NULL, {0}};
	char buf[1024];
	char *t = NULL;
	/* a record that names another source (a snapshot's fact) is not cited
	 * in the file that carries it */
	if (text && (source != f->in->path || !kbf_cite_make(f->in, text, textlen, KBF_TEXT_AS_IS, &prov.cite))) {
		t = textlen < sizeof(buf) ? buf : kbu_malloc(textlen + 1);
		memcpy(t, text, textlen);
		t[textlen] = '\0';
		prov.text = t;
	}
	const struct kb_fact *fact = assert_fact(f, &prov);
	if (t && t != buf)
		free(t);
	return fact;
}

const struct kb_fact *kbf_fact_emit_at(struct kbf_fact *f, const char *source, int line, const char *text,
				       size_t textlen)
{
	return kbf_fact_wanted(f) ? kbf_fact_keep_at(f, source, line, text, textlen) : &kbf_fact_skipped;
}

const struct kb_fact *kbf_fact_emit(struct kbf_fact *f, int line, const char *text, size_t textlen)
{
	return kbf_fact_emit_at(f, f->in->path, line, text, textlen);
}
