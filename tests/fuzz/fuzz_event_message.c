/*
 * fuzz_event_message.c — messages made from insertion strings
 * (facts/windows/events/event_message.c) with hostile templates and
 * strings: the input is a template, a NUL, then insertion strings
 * separated by NULs.  The template is the knowledge's for source "S",
 * event 1; the strings go to an event of S (rendered) and of "T" (joined),
 * with system messages 1053 and 10048 known for "%%NNNN" references.
 * Errors are fine; crashes, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "windows/events/win_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb_value text(struct kb_engine *eng, const char *s, size_t len)
{
	return (struct kb_value){.type = KB_STRING, .u.s = kb_intern(eng, s, len)};
}

static void knowledge(struct kb_engine *eng, const char *tmpl, size_t len)
{
	const struct kb_slot_decl em[] = {{"source", KB_STRING}, {"id", KB_INT}, {"template", KB_STRING}};
	const struct kb_slot_decl sm[] = {{"code", KB_INT}, {"text", KB_STRING}, {"name", KB_STRING}, {"lang", KB_STRING}};
	struct kb_error err = {0};
	int ek = kb_kind_declare(eng, "event_message", 3, em, &err);
	int sk = kb_kind_declare(eng, "system_message", 4, sm, &err);
	struct kb_prov prov = {KB_ORIGIN_KNOWLEDGE, kb_intern_cstr(eng, "fuzz.lua"), 1, NULL, {0}};
	struct kb_value t[3], s[4];
	t[kb_slot_find(eng, ek, "source")] = text(eng, "S", 1);
	t[kb_slot_find(eng, ek, "id")] = kb_int(1);
	t[kb_slot_find(eng, ek, "template")] = text(eng, tmpl, len);
	kb_assert(eng, ek, t, &prov, NULL, &err);
	/* as rules/knowledge/event_messages.lua has them: names, and a
	 * localised text that only reads codes */
	static const struct { int64_t code; const char *s, *name, *lang; } sys[] = {
		{1053, "The service did not respond to the start or control request in a timely fashion.", NULL, NULL},
		{10048, "Only one usage of each socket address (protocol/network address/port) is normally permitted.",
		 "WSAEADDRINUSE", NULL},
		{10048, "\xe9\x80\x9a\xe5\xb8\xb8\xe6\xaf\x8f\xe4\xb8\xaa\xe5\xa5\x97\xe6\x8e\xa5\xe5\xad\x97", NULL, "zh-CN"},
	};
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		s[kb_slot_find(eng, sk, "code")] = kb_int(sys[i].code);
		s[kb_slot_find(eng, sk, "text")] = text(eng, sys[i].s, strlen(sys[i].s));
		s[kb_slot_find(eng, sk, "name")] = sys[i].name ? text(eng, sys[i].name, strlen(sys[i].name)) : kb_nil();
		s[kb_slot_find(eng, sk, "lang")] = sys[i].lang ? text(eng, sys[i].lang, strlen(sys[i].lang)) : kb_nil();
		kb_assert(eng, sk, s, &prov, NULL, &err);
	}
}

static void one(struct kbf_input *in, struct kbf_winevt *ev, const char *source, const uint8_t *data, size_t size)
{
	kbf_winevt_reset(ev);
	kbf_wtext_buf_set(&ev->source, source, 1);
	kbf_wtext_buf_set(&ev->id, "1", 1);
	kbf_winevt_set_text(&ev->text, "fuzz", 4);
	for (size_t i = 0; i < size;) {
		const uint8_t *nul = memchr(data + i, 0, size - i);
		size_t n = nul ? (size_t)(nul - data) - i : size - i;
		kbf_winevt_add_string(ev, (const char *)data + i, n);
		i += n + 1;
	}
	kbf_winevt_emit(in, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	knowledge(eng, (const char *)data, tlen);
	struct kbf_input in = {.eng = eng, .path = "fuzz", .format = "fuzz"};
	struct kbf_winevt ev = {0};
	const uint8_t *rest = nul ? nul + 1 : data + size;
	one(&in, &ev, "S", rest, size - (size_t)(rest - data));
	one(&in, &ev, "T", rest, size - (size_t)(rest - data));
	kbf_winevt_free(&ev);
	kb_engine_free(eng);
	return 0;
}
