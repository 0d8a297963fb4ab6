/*
 * cmd_kinds.c — `kbdiag rules kinds [KIND]`: every fact kind rules can
 * match, with its slots, their types and meanings and where it was
 * declared, so a rule writer need not read facts/core/schema.c or hunt
 * through rule files.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "json_text.h"
#include "textout.h"

/* The declarer that is not a rule file, if any: the stock schema (the
 * session declares it first) or the binding, which declares the kind
 * every diagnosis asserts. */
static const char *built_in(const struct kbd_session *s, int kind)
{
	if ((size_t)kind < s->schema_kinds)
		return "stock schema";
	if (kind == kb_kind_find(s->eng, KB_FINDING_KIND))
		return "built in";
	return NULL;
}

static json_t *kind_json(const struct kbd_session *s, int kind)
{
	json_t *declared = json_array(), *slots = json_array();
	const char *by = built_in(s, kind);
	if (by)
		json_array_append_new(declared, kbu_json_text(by));
	for (size_t i = 0; i < kb_lua_kind_nplaces(s->lua, kind); i++)
		json_array_append_new(declared, kbu_json_text(kb_lua_kind_place(s->lua, kind, i)));
	for (size_t i = 0; i < kb_kind_nslots(s->eng, kind); i++) {
		const struct kb_slot_decl *d = kb_kind_slot(s->eng, kind, i);
		const char *about = kb_slot_about(s->eng, kind, i);
		json_t *slot = json_pack("{s:o,s:s}", "name", kbu_json_text(d->name), "type", kb_type_name(d->type));
		if (about)
			json_object_set_new(slot, "description", kbu_json_text(about));
		json_array_append_new(slots, slot);
	}
	return json_pack("{s:o,s:o,s:o}", "kind", kbu_json_text(kb_kind_name(s->eng, kind)), "declared", declared,
			 "slots", slots);
}

static void kind_text(const struct kbd_session *s, int kind)
{
	kbu_tprintf(stdout, "%s (", kb_kind_name(s->eng, kind));
	const char *by = built_in(s, kind), *sep = by ? ", " : "";
	kbu_tprintf(stdout, "%s", by ? by : "");
	for (size_t i = 0; i < kb_lua_kind_nplaces(s->lua, kind); i++, sep = ", ")
		kbu_tprintf(stdout, "%s%s", sep, kb_lua_kind_place(s->lua, kind, i));
	kbu_tprintf(stdout, ")\n");
	int w = 0;
	for (size_t i = 0; i < kb_kind_nslots(s->eng, kind); i++)
		if ((int)strlen(kb_kind_slot(s->eng, kind, i)->name) > w)
			w = (int)strlen(kb_kind_slot(s->eng, kind, i)->name);
	for (size_t i = 0; i < kb_kind_nslots(s->eng, kind); i++) {
		const struct kb_slot_decl *d = kb_kind_slot(s->eng, kind, i);
		const char *about = kb_slot_about(s->eng, kind, i);
		if (about)
			kbu_tprintf(stdout, "  %-*s  %-7s  %s\n", w, d->name, kb_type_name(d->type), about);
		else
			kbu_tprintf(stdout, "  %-*s  %s\n", w, d->name, kb_type_name(d->type));
	}
}

int kbd_rules_kinds(const struct kbd_session *s, const char *name)
{
	int from = 0, to = (int)kb_kind_count(s->eng);
	if (name) {
		if ((from = kb_kind_find(s->eng, name)) < 0) {
			kbu_tprintf(stderr, "kbdiag: no kind '%s' (see kbdiag rules kinds)\n", name);
			return 2;
		}
		to = from + 1;
	}
	if (s->opt->format == KBD_JSON) {
		json_t *doc = name ? kind_json(s, from) : json_array();
		for (int k = from; !name && k < to; k++)
			json_array_append_new(doc, kind_json(s, k));
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		return 0;
	}
	for (int k = from; k < to; k++) {
		if (k > from)
			putchar('\n');
		kind_text(s, k);
	}
	return 0;
}
