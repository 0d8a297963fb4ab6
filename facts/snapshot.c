/*
 * snapshot.c — the snapshot format (docs/snapshot-format.md): facts with
 * their provenance as JSON, written by `kbdiag collect` and read back by
 * `kbdiag diagnose` on any machine.  Reading keeps each fact's original
 * source and line, so findings still point at the host's evidence.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "facts.h"

#define SNAPSHOT_VERSION 1

/* ---- reading ---------------------------------------------------------------- */

static int probe(const struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	const char *s = t->utf8;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s != '{')
		return 0;
	size_t window = t->len < 4096 ? t->len : 4096;
	char *head = strndup(t->utf8, window);
	int score = head && strstr(head, "\"kbdiag_snapshot\"") ? 100 : 0;
	free(head);
	return score;
}

/* Line and column of the index-th element of the top-level "facts" array,
 * found by scanning the text again (jansson keeps no positions). */
static void element_position(const char *s, size_t len, size_t index, int *line, int *col)
{
	int depth = 0, ln = 1, cl = 1;
	bool in_str = false, esc = false, in_facts = false, key_facts = false;
	size_t count = 0;
	*line = 0;
	*col = 0;
	for (size_t i = 0; i < len; i++, cl++) {
		char c = s[i];
		if (c == '\n') {
			ln++;
			cl = 0;
			continue;
		}
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
			if (depth == 1 && !in_facts)
				key_facts = len - i > 7 && strncmp(s + i, "\"facts\"", 7) == 0;
			if (in_facts && depth == 2 && count == index) {
				*line = ln;
				*col = cl;
				return;
			}
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == 1 && c == '[' && key_facts)
				in_facts = true;
			else if (in_facts && depth == 2 && count == index) {
				*line = ln;
				*col = cl;
				return;
			}
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
			if (in_facts && depth == 1)
				return;
		} else if (c == ',' && in_facts && depth == 2) {
			count++;
		}
	}
}

static int fact_error(struct kbf_input *in, const struct kbf_text *t, size_t index, const char *fmt,
		      const char *a, const char *b)
{
	int line, col;
	element_position(t->utf8, t->len, index, &line, &col);
	char where[256], msg[512];
	snprintf(where, sizeof(where), "%s:%d:%d", in->path, line, col);
	snprintf(msg, sizeof(msg), fmt, a, b);
	kb_error_set(&in->err, KB_EINVAL, where, "facts[%zu]: %s", index, msg);
	return -1;
}

static bool to_value(struct kb_engine *eng, json_t *j, enum kb_type want, struct kb_value *v)
{
	switch (json_typeof(j)) {
	case JSON_NULL: *v = kb_nil(); return true;
	case JSON_STRING:
		*v = kb_str(kb_intern(eng, json_string_value(j), json_string_length(j)));
		return want == KB_STRING;
	case JSON_INTEGER: *v = kb_int(json_integer_value(j)); return want == KB_INT || want == KB_FLOAT;
	case JSON_REAL: *v = kb_float(json_real_value(j)); return want == KB_FLOAT;
	case JSON_TRUE: *v = kb_bool(true); return want == KB_BOOL;
	case JSON_FALSE: *v = kb_bool(false); return want == KB_BOOL;
	default: return false;
	}
}

static int read_fact(struct kbf_input *in, const struct kbf_text *t, size_t index, json_t *jf)
{
	struct kb_engine *eng = in->eng;
	const char *kind_name = json_string_value(json_object_get(jf, "kind"));
	json_t *slots = json_object_get(jf, "slots");
	if (!json_is_object(jf) || !kind_name || (slots && !json_is_object(slots)))
		return fact_error(in, t, index, "a fact is an object with \"kind\" and \"slots\"%s%s", "", "");
	int kind = kb_kind_find(eng, kind_name);
	if (kind < 0)
		return fact_error(in, t, index, "unknown kind '%s'%s", kind_name, "");
	struct kb_value v[KBF_MAX_SLOTS];
	size_t nslots = kb_kind_nslots(eng, kind);
	for (size_t i = 0; i < nslots && i < KBF_MAX_SLOTS; i++)
		v[i] = kb_nil();
	const char *name;
	json_t *jv;
	json_object_foreach(slots, name, jv) {
		int s = kb_slot_find(eng, kind, name);
		if (s < 0)
			return fact_error(in, t, index, "%s has no slot '%s'", kind_name, name);
		enum kb_type want = kb_kind_slot(eng, kind, (size_t)s)->type;
		if (!to_value(eng, jv, want, &v[s]))
			return fact_error(in, t, index, "slot '%s' must be %s", name,
					  want == KB_INT ? "an integer" : want == KB_STRING ? "a string"
					  : want == KB_FLOAT ? "a number" : "true or false");
	}
	json_t *jline = json_object_get(jf, "line");
	struct kb_prov prov = {
		.origin = KB_ORIGIN_EVIDENCE,
		.source = json_string_value(json_object_get(jf, "source")),
		.line = json_is_integer(jline) ? (int)json_integer_value(jline) : 0,
		.text = json_string_value(json_object_get(jf, "text")),
	};
	if (!prov.source)
		prov.source = in->path;
	bool dup = false;
	struct kb_error err = {0};
	if (!kb_assert(eng, kind, v, &prov, &dup, &err))
		return fact_error(in, t, index, "%s%s", err.msg, "");
	in->nfacts += !dup;
	return 0;
}

/* Kinds a snapshot carries beyond the stock schema: {"name": {"slot": "type"}}. */
static int read_kinds(struct kbf_input *in, json_t *kinds)
{
	const char *kname;
	json_t *jslots;
	json_object_foreach(kinds, kname, jslots) {
		struct kb_slot_decl decl[KBF_MAX_SLOTS];
		size_t n = 0;
		const char *sname;
		json_t *jt;
		json_object_foreach(jslots, sname, jt) {
			const char *type = json_string_value(jt);
			enum kb_type kt = !type ? KB_NIL : strcmp(type, "string") == 0 ? KB_STRING
				: strcmp(type, "integer") == 0 ? KB_INT : strcmp(type, "float") == 0 ? KB_FLOAT
				: strcmp(type, "boolean") == 0 ? KB_BOOL : KB_NIL;
			if (kt == KB_NIL || n == KBF_MAX_SLOTS)
				return kbf_input_error(in, 0, "kind '%s': slot '%s' has no valid type", kname, sname);
			decl[n++] = (struct kb_slot_decl){sname, kt};
		}
		struct kb_error err = {0};
		if (kb_kind_declare(in->eng, kname, n, decl, &err) < 0)
			return kbf_input_error(in, 0, "%s", err.msg);
	}
	return 0;
}

static int import(struct kbf_input *in, const struct kbf_text *t)
{
	json_error_t jerr;
	json_t *root = json_loadb(t->utf8, t->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char where[256];
		snprintf(where, sizeof(where), "%s:%d:%d", in->path, jerr.line, jerr.column);
		kb_error_set(&in->err, KB_EINVAL, where, "%s", jerr.text);
		return -1;
	}
	int rc = 0;
	json_t *version = json_object_get(root, "kbdiag_snapshot");
	json_t *facts = json_object_get(root, "facts");
	json_t *kinds = json_object_get(root, "kinds");
	if (!json_is_integer(version) || json_integer_value(version) != SNAPSHOT_VERSION) {
		rc = kbf_input_error(in, 1, "not a version %d snapshot", SNAPSHOT_VERSION);
	} else if (!json_is_array(facts)) {
		rc = kbf_input_error(in, 1, "\"facts\" must be an array");
	} else if (kinds && !json_is_object(kinds)) {
		rc = kbf_input_error(in, 1, "\"kinds\" must be an object");
	} else if (!kinds || (rc = read_kinds(in, kinds)) == 0) {
		size_t i;
		json_t *jf;
		json_array_foreach(facts, i, jf)
			if ((rc = read_fact(in, t, i, jf)) < 0)
				break;
	}
	json_decref(root);
	return rc;
}

const struct kbf_importer kbf_snapshot_importer = {"snapshot", probe, import};

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
		default: { char *d = json_dumps(value_json(v), JSON_ENCODE_ANY); fputs(d ? d : "null", out); free(d); }
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
