/*
 * snapshot_write.c — writing the snapshot format (docs/snapshot-format.md):
 * every gathered fact with its provenance, one per line.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "facts.h"
#include "json_text.h"
#include "outbuf.h"
#include "snapshot.h"
#include "xalloc.h"

/* ---- writing ---------------------------------------------------------------- */

static void put_str(struct kbu_out *w, const char *s)
{
	kbu_put_json_str(w, s, strlen(s));
}

/* Reals (no source emits one yet) keep jansson's formatting. */
static void put_real(struct kbu_out *w, double v)
{
	json_t *j = json_real(v);
	char *d = json_dumps(j, JSON_ENCODE_ANY);
	kbu_puts(w, d ? d : "null");
	free(d);
	json_decref(j);
}

static void put_fact(const struct kb_engine *eng, const struct kb_fact *f, struct kbu_out *w)
{
	kbu_puts(w, "{\"kind\":");
	put_str(w, kb_kind_name(eng, f->kind));
	kbu_puts(w, ",\"slots\":{");
	bool first = true;
	for (size_t i = 0; i < f->nslots; i++) {
		struct kb_value v = f->slots[i];
		if (v.type == KB_NIL)
			continue;
		if (!first)
			kbu_put(w, ",", 1);
		first = false;
		put_str(w, kb_kind_slot(eng, f->kind, i)->name);
		kbu_put(w, ":", 1);
		switch (v.type) {
		case KB_STRING: put_str(w, v.u.s); break;
		case KB_INT: kbu_put_int(w, v.u.i); break;
		case KB_BOOL: kbu_puts(w, v.u.b ? "true" : "false"); break;
		case KB_FLOAT: put_real(w, v.u.f); break;
		default: kbu_puts(w, "null");
		}
	}
	kbu_put(w, "}", 1);
	if (f->prov.source) {
		kbu_puts(w, ",\"source\":");
		put_str(w, f->prov.source);
	}
	if (f->prov.line > 0) {
		kbu_puts(w, ",\"line\":");
		kbu_put_int(w, f->prov.line);
	}
	if (f->prov.text) {
		kbu_puts(w, ",\"text\":");
		put_str(w, f->prov.text);
	}
	kbu_put(w, "}", 1);
}

int kbf_snapshot_write(const struct kb_engine *eng, const struct kbf_inputs *inputs, FILE *out)
{
	json_t *jin = json_array();
	for (size_t i = 0; i < inputs->n; i++) {
		const struct kbf_input *in = &inputs->v[i];
		json_t *o = json_pack("{s:o, s:s, s:I}", "path", kbu_json_text(in->path), "format", in->format,
				      "facts", (json_int_t)in->nfacts);
		if (in->unavailable)
			json_object_set_new(o, "unavailable", kbu_json_text(in->unavailable));
		if (in->err.status != KB_OK)
			json_object_set_new(o, "error", kbu_json_text(in->err.msg));
		json_array_append_new(jin, o);
	}
	char *jinputs = json_dumps(jin, JSON_COMPACT);
	json_decref(jin);
	fprintf(out, "{\"kbdiag_snapshot\": %d, \"kbdiag\": \"%s\",\n\"inputs\": %s,\n\"facts\": [",
		SNAPSHOT_VERSION, KB_VERSION, jinputs ? jinputs : "[]");
	free(jinputs);
	struct kbu_out *w = kbu_malloc(sizeof(*w));
	w->out = out;
	w->n = 0;
	bool first = true;
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (!f->live || f->prov.origin != KB_ORIGIN_EVIDENCE)
			continue;
		kbu_puts(w, first ? "\n" : ",\n");
		put_fact(eng, f, w);
		first = false;
	}
	kbu_puts(w, "\n]}\n");
	kbu_flush(w);
	free(w);
	return ferror(out) ? -1 : 0;
}
