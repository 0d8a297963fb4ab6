/*
 * emit.c — building facts slot by slot and asserting them with the
 * provenance of the input they came from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "xalloc.h"

int kbf_input_error(struct kbf_input *in, int line, const char *fmt, ...)
{
	if (in->err.status != KB_OK)
		return -1;
	char where[256];
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%d", in->path, line);
	else
		snprintf(where, sizeof(where), "%s", in->path);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kb_error_set(&in->err, KB_EINVAL, where, "%s", msg);
	return -1;
}

void kbf_fact_begin(struct kbf_fact *f, struct kbf_input *in, const char *kind)
{
	f->in = in;
	f->kind = kb_kind_find(in->eng, kind);
	if (f->kind < 0)
		abort(); /* the stock schema lacks a kind a source emits */
	f->nslots = kb_kind_nslots(in->eng, f->kind);
	for (size_t i = 0; i < f->nslots; i++)
		f->v[i] = kb_nil();
}

static struct kb_value *slot(struct kbf_fact *f, const char *name)
{
	int i = kb_slot_find(f->in->eng, f->kind, name);
	if (i < 0)
		abort(); /* the stock schema lacks a slot a source fills */
	return &f->v[i];
}

void kbf_set_str(struct kbf_fact *f, const char *name, const char *s, size_t len)
{
	*slot(f, name) = kb_str(kb_intern(f->in->eng, s, len));
}

void kbf_set_cstr(struct kbf_fact *f, const char *name, const char *s)
{
	kbf_set_str(f, name, s, strlen(s));
}

void kbf_set_int(struct kbf_fact *f, const char *name, int64_t v) { *slot(f, name) = kb_int(v); }
void kbf_set_bool(struct kbf_fact *f, const char *name, bool v) { *slot(f, name) = kb_bool(v); }

const struct kb_fact *kbf_fact_emit_at(struct kbf_fact *f, const char *source, int line, const char *text,
				       size_t textlen)
{
	char buf[1024];
	char *t = NULL;
	if (text) {
		t = textlen < sizeof(buf) ? buf : kbu_malloc(textlen + 1);
		memcpy(t, text, textlen);
		t[textlen] = '\0';
	}
	struct kb_prov prov = {KB_ORIGIN_EVIDENCE, source, line, t};
	bool dup = false;
	struct kb_error err = {0};
	const struct kb_fact *fact = kb_assert(f->in->eng, f->kind, f->v, &prov, &dup, &err);
	if (t && t != buf)
		free(t);
	if (!fact) {
		kbf_input_error(f->in, line, "%s", err.msg);
		return NULL;
	}
	if (!dup)
		f->in->nfacts++;
	return fact;
}

const struct kb_fact *kbf_fact_emit(struct kbf_fact *f, int line, const char *text, size_t textlen)
{
	return kbf_fact_emit_at(f, f->in->path, line, text, textlen);
}
