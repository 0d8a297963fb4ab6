/*
 * snapshot_write.c — writing the snapshot format (docs/snapshot-format.md):
 * every gathered fact with its provenance, one per line.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "facts.h"
#include "snapshot.h"

/* ---- writing ---------------------------------------------------------------- */

static json_t *value_json(struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: return json_string(v.u.s);
	case KB_INT: return json_integer(v.u.i);
	case KB_FLOAT: return json_real(v.u.f);
	case KB_BOOL: return json_boolean(v.u.b);
	default: return json_null();
	}
}

static void put_str(FILE *out, const char *s)
{
	putc_unlocked('"', out);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(run, 1, (size_t)(s - run), out);
		if (c == '"' || c == '\\') {
			putc_unlocked('\\', out);
			putc_unlocked((int)c, out);
		} else {
			static const char esc[] = "btn.fr";
			if (c >= 8 && c <= 13 && c != 11)
				fprintf(out, "\\%c", esc[c - 8]);
			else
				fprintf(out, "\\u%04X", c);
		}
		run = s + 1;
	}
	fwrite_unlocked(run, 1, (size_t)(s - run), out);
	putc_unlocked('"', out);
}

static void put_fact(const struct kb_engine *eng, const struct kb_fact *f, FILE *out)
{
	fputs("{\"kind\":", out);
	put_str(out, kb_kind_name(eng, f->kind));
	fputs(",\"slots\":{", out);
	bool first = true;
	for (size_t i = 0; i < f->nslots; i++) {
		struct kb_value v = f->slots[i];
		if (v.type == KB_NIL)
			continue;
		if (!first)
			putc_unlocked(',', out);
		first = false;
		put_str(out, kb_kind_slot(eng, f->kind, i)->name);
		putc_unlocked(':', out);
		switch (v.type) {
		case KB_STRING: put_str(out, v.u.s); break;
		case KB_INT: fprintf(out, "%lld", (long long)v.u.i); break;
		case KB_BOOL: fputs(v.u.b ? "true" : "false", out); break;
		default: {
			json_t *j = value_json(v);
			char *d = json_dumps(j, JSON_ENCODE_ANY);
			fputs(d ? d : "null", out);
			free(d);
			json_decref(j);
		}
		}
	}
	putc_unlocked('}', out);
	if (f->prov.source) {
		fputs(",\"source\":", out);
		put_str(out, f->prov.source);
	}
	if (f->prov.line > 0)
		fprintf(out, ",\"line\":%d", f->prov.line);
	if (f->prov.text) {
		fputs(",\"text\":", out);
		put_str(out, f->prov.text);
	}
	putc_unlocked('}', out);
}

int kbf_snapshot_write(const struct kb_engine *eng, const struct kbf_inputs *inputs, FILE *out)
{
	json_t *jin = json_array();
	for (size_t i = 0; i < inputs->n; i++) {
		const struct kbf_input *in = &inputs->v[i];
		json_t *o = json_pack("{s:s, s:s, s:I}", "path", in->path, "format", in->format,
				      "facts", (json_int_t)in->nfacts);
		if (in->unavailable)
			json_object_set_new(o, "unavailable", json_string(in->unavailable));
		if (in->err.status != KB_OK)
			json_object_set_new(o, "error", json_string(in->err.msg));
		json_array_append_new(jin, o);
	}
	char *jinputs = json_dumps(jin, JSON_COMPACT);
	json_decref(jin);
	fprintf(out, "{\"kbdiag_snapshot\": %d, \"kbdiag\": \"%s\",\n\"inputs\": %s,\n\"facts\": [",
		SNAPSHOT_VERSION, KB_VERSION, jinputs ? jinputs : "[]");
	free(jinputs);
	bool first = true;
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (!f->live || f->prov.origin != KB_ORIGIN_EVIDENCE)
			continue;
		fputs(first ? "\n" : ",\n", out);
		put_fact(eng, f, out);
		first = false;
	}
	fprintf(out, "\n]}\n");
	return ferror(out) ? -1 : 0;
}
