/*
 * test_win_event_message.c — messages made from insertion strings
 * (event_message.c): a template from the knowledge rendered as
 * FormatMessage renders it, the strings joined where there is none,
 * "%%NNNN" references resolved to system messages and their code, and the
 * event's message_from.  Events come in as wevtutil XML without
 * RenderingInfo, as a binary log's records do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "importer_harness.h"
#include "windows/events/win_event.h"

static const struct kbf_importer *const X = &kbf_wevtutil_xml_importer;

static struct kb_value str(struct harness *h, const char *s)
{
	return (struct kb_value){.type = KB_STRING, .u.s = kb_intern_cstr(h->eng, s)};
}

/* The knowledge kinds as rules/knowledge/event_messages.lua declares them. */
static void knowledge(struct harness *h)
{
	struct kb_error err = {0};
	const struct kb_slot_decl em[] = {{"source", KB_STRING}, {"id", KB_INT}, {"template", KB_STRING}};
	const struct kb_slot_decl sm[] = {{"code", KB_INT}, {"text", KB_STRING}, {"name", KB_STRING}, {"lang", KB_STRING}};
	harness_open(h);
	assert_true(kb_kind_declare(h->eng, "event_message", 3, em, &err) >= 0);
	assert_true(kb_kind_declare(h->eng, "system_message", 4, sm, &err) >= 0);
}

static void add_template(struct harness *h, const char *source, int64_t id, const char *text)
{
	struct kb_error err = {0};
	int k = kb_kind_find(h->eng, "event_message");
	struct kb_value v[3];
	v[kb_slot_find(h->eng, k, "source")] = str(h, source);
	v[kb_slot_find(h->eng, k, "id")] = kb_int(id);
	v[kb_slot_find(h->eng, k, "template")] = str(h, text);
	struct kb_prov prov = {KB_ORIGIN_KNOWLEDGE, kb_intern_cstr(h->eng, "event_messages.lua"), 1, NULL, {0}};
	assert_non_null(kb_assert(h->eng, k, v, &prov, NULL, &err));
}

/* A system message; name and lang may be NULL (lang NULL: English). */
static void add_system_in(struct harness *h, int64_t code, const char *text, const char *name, const char *lang)
{
	struct kb_error err = {0};
	int k = kb_kind_find(h->eng, "system_message");
	struct kb_value v[4];
	v[kb_slot_find(h->eng, k, "code")] = kb_int(code);
	v[kb_slot_find(h->eng, k, "text")] = str(h, text);
	v[kb_slot_find(h->eng, k, "name")] = name ? str(h, name) : kb_nil();
	v[kb_slot_find(h->eng, k, "lang")] = lang ? str(h, lang) : kb_nil();
	struct kb_prov prov = {KB_ORIGIN_KNOWLEDGE, kb_intern_cstr(h->eng, "event_messages.lua"), 2, NULL, {0}};
	assert_non_null(kb_assert(h->eng, k, v, &prov, NULL, &err));
}

static void add_system(struct harness *h, int64_t code, const char *text)
{
	add_system_in(h, code, text, NULL, NULL);
}

/* One event of source and id with the given <Data> values (and, when
 * rendered is not NULL, RenderingInfo's message); its fact. */
static const struct kb_fact *event(struct harness *h, const char *source, int id, const char *const *data,
				   const char *rendered)
{
	static char xml[8192];
	size_t n = (size_t)snprintf(xml, sizeof(xml),
				    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
				    "<Provider Name='%s'/><EventID Qualifiers='49152'>%d</EventID><Level>2</Level>"
				    "<TimeCreated SystemTime='2009-03-02T08:15:25.000Z'/><EventRecordID>7</EventRecordID>"
				    "<Channel>System</Channel><Computer>WEB01</Computer></System><EventData>",
				    source, id);
	for (; *data; data++)
		n += (size_t)snprintf(xml + n, sizeof(xml) - n, "<Data>%s</Data>", *data);
	n += (size_t)snprintf(xml + n, sizeof(xml) - n, "</EventData>");
	if (rendered)
		n += (size_t)snprintf(xml + n, sizeof(xml) - n, "<RenderingInfo><Message>%s</Message></RenderingInfo>",
				      rendered);
	snprintf(xml + n, sizeof(xml) - n, "</Event>");
	import_str(h, X, xml);
	check_ok(h);
	return nth_fact(h, "event", count_facts(h, "event") - 1);
}

static void scm_template(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_template(&h, "Service Control Manager", 7000,
		     "The %1 service failed to start due to the following error: %n%2");
	add_system(&h, 1053, "The service did not respond to the start or control request in a timely fashion.");
	const char *data[] = {"Microsoft SMTP Service", "%%1053", NULL};
	const struct kb_fact *f = event(&h, "service control MANAGER", 7000, data, NULL);
	check_str(&h, f, "message", "The Microsoft SMTP Service service failed to start due to the following error: \n"
				    "The service did not respond to the start or control request in a timely fashion.");
	check_str(&h, f, "message_from", "template");
	check_int(&h, f, "code", 1053);
	harness_close(&h);
}

static void format_codes(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_template(&h, "Src", 1, "A%1!s! b%tc%%d%.%b%2 %9 %r%! end%0 never");
	const char *data[] = {"x", "y", NULL};
	check_str(&h, event(&h, "Src", 1, data, NULL), "message", "Ax b\tc%d. y %9 ! end");
	harness_close(&h);
}

static void joined_without_template(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_system(&h, 10048, "Only one usage of each socket address (protocol/network address/port) is normally "
			      "permitted.");
	const char *data[] = {"  POP3 ", "", "error %%10048 here", "%%1793", NULL};
	const struct kb_fact *f = event(&h, "MSExchange Pop3 Interface", 11508, data, NULL);
	check_str(&h, f, "message", "POP3, error Only one usage of each socket address (protocol/network "
				    "address/port) is normally permitted. here, %%1793");
	check_str(&h, f, "message_from", "insertion strings");
	check_int(&h, f, "code", 10048);
	harness_close(&h);
}

static void unknown_reference_is_no_code(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	const char *data[] = {"IEUser", "%%1793", NULL};
	const struct kb_fact *f = event(&h, "Microsoft-Windows-Security-Auditing", 4720, data, NULL);
	check_str(&h, f, "message", "IEUser, %%1793");
	check_nil(&h, f, "code");
	harness_close(&h);
}

static void export_text_wins(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_template(&h, "W3SVC", 115, "never %1");
	const char *data[] = {"1", NULL};
	const struct kb_fact *f = event(&h, "W3SVC", 115, data, "The service could not bind instance 1.");
	check_str(&h, f, "message", "The service could not bind instance 1.");
	check_str(&h, f, "message_from", "export");
	harness_close(&h);
}

/* A rendered message that names a system message without its number:
 * by its text in any language the knowledge has (wrapped anywhere), or
 * by its symbolic name; a reference renders the English text only. */
static void codes_by_text_and_name(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_system_in(&h, 10048, "Only one usage of each socket address (protocol/network address/port) is normally "
				 "permitted.", "WSAEADDRINUSE", NULL);
	add_system_in(&h, 10048, "Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder Anschluss) nur "
				 "jeweils einmal verwendet werden.", NULL, "de");
	add_system_in(&h, 10013, "\xe4\xbb\xa5\xe4\xb8\x80\xe7\xa7\x8d", "WSAEACCES", "zh-CN");
	const char *none[] = {NULL};
	check_int(&h, event(&h, "Service Control Manager", 7023, none,
			    "The FTP Publishing Service service terminated with the following error: \nOnly one usage "
			    "of each socket\n address (protocol/network address/port) is normally permitted"),
		  "code", 10048);
	check_int(&h, event(&h, "FileGate", 1, none,
			    "bind failed: Normalerweise darf jede Socketadresse (Protokoll, Netzwerkadresse oder "
			    "Anschluss) nur jeweils einmal verwendet werden."),
		  "code", 10048);
	check_int(&h, event(&h, "Gw", 2, none, "bind() failed with return code WSAEACCES"), "code", 10013);
	check_nil(&h, event(&h, "Gw", 3, none, "bind() failed with return code WSAEACCESS"), "code");
	check_nil(&h, event(&h, "Gw", 4, none, "Only one usage of each socket"), "code");
	/* a reference renders the English row, not the Chinese one of the same name */
	const char *data[] = {"x", "%%10013", NULL};
	add_system(&h, 10013, "An attempt was made to access a socket in a way forbidden by its access permissions.");
	check_str(&h, event(&h, "Gw", 5, data, NULL), "message",
		  "x, An attempt was made to access a socket in a way forbidden by its access permissions.");
	harness_close(&h);
}

/* French texts are printed with the typographic apostrophe or the ASCII
 * one: either reads a text the knowledge has with the other, also inside
 * the first word; a letter in its place does not. */
static void either_apostrophe(void **state)
{
	struct harness h = {0};
	knowledge(&h);
	add_system_in(&h, 10049, "L’adresse demandée n’est pas valide dans son contexte.", NULL, "fr");
	add_system_in(&h, 10013, "Une tentative d'accès à un socket", NULL, "fr");
	const char *none[] = {NULL};
	check_int(&h, event(&h, "Gw", 1, none, "bind: L'adresse demandée n'est pas valide dans son contexte."),
		  "code", 10049);
	check_int(&h, event(&h, "Gw", 2, none, "bind: L’adresse demandée n’est pas valide dans son contexte"), "code",
		  10049);
	check_int(&h, event(&h, "Gw", 3, none, "Une tentative d’accès à un socket a été"), "code", 10013);
	check_nil(&h, event(&h, "Gw", 4, none, "bind: Ladresse demandée nest pas valide dans son contexte."), "code");
	check_nil(&h, event(&h, "Gw", 5, none, "bind: L`adresse demandée n`est pas valide dans son contexte."), "code");
	harness_close(&h);
}

static void without_knowledge(void **state)
{
	struct harness h = {0};
	const char *data[] = {"Microsoft SMTP Service", "%%1053", NULL};
	const struct kb_fact *f = event(&h, "Service Control Manager", 7000, data, NULL);
	check_str(&h, f, "message", "Microsoft SMTP Service, %%1053");
	check_str(&h, f, "message_from", "insertion strings");
	harness_close(&h);
}

/* A template that repeats a long string is cut at the cap. */
static void bounded(void **state)
{
	struct harness h = {0};
	char *tmpl = malloc(2 * 400 + 1), *big = malloc(4001);
	for (int i = 0; i < 400; i++)
		memcpy(tmpl + 2 * i, "%1", 2);
	tmpl[800] = '\0';
	memset(big, 'z', 4000);
	big[4000] = '\0';
	knowledge(&h);
	add_template(&h, "Src", 2, tmpl);
	const char *data[] = {big, NULL};
	struct kb_value m = slot_value(&h, event(&h, "Src", 2, data, NULL), "message");
	assert_int_equal(strlen(m.u.s), KBF_WINEVT_MESSAGE_MAX);
	harness_close(&h);
	free(tmpl);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scm_template),
		cmocka_unit_test(format_codes),
		cmocka_unit_test(joined_without_template),
		cmocka_unit_test(unknown_reference_is_no_code),
		cmocka_unit_test(export_text_wins),
		cmocka_unit_test(codes_by_text_and_name),
		cmocka_unit_test(either_apostrophe),
		cmocka_unit_test(without_knowledge),
		cmocka_unit_test(bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
