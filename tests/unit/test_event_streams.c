/*
 * test_event_streams.c — an event export read from its file as a stream
 * (kbf_read_path(): chunks, lines released behind, the CSV and text
 * readers' second pass from a rewind), gives exactly the facts the same
 * bytes give decoded whole: every slot, line and text.  The files are
 * decoded 4 KiB at a time, so that hundreds of chunk ends fall inside
 * records, and are big enough for released text to be given back.
 * PowerShell's Get-WinEvent output is read the same way, in each of its
 * four forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer_harness.h"
#include "utf8.h"

#define BIG (5u << 18)   /* 1.25 MiB: text past the first mebibyte is given back */
#define CHUNK (4u << 10)

/* head + body * n + tail of a fixture, over BIG bytes: the body is from the
 * first `from` (or the file's start) to the end of the last `to` (or the
 * file's end).  After each `vary` in a copy of the body comes the copy's
 * number, so that the events are not duplicates of each other. */
static unsigned char *repeat(const char *rel, const char *from, const char *to, const char *vary, size_t *len)
{
	char *path = fixture_path(rel);
	size_t n;
	char *s = (char *)file_read(path, &n);
	free(path);
	const char *a = from ? strstr(s, from) : s;
	const char *z = s + n;
	if (to) {
		for (const char *p = a; (p = strstr(p, to)); p++)
			z = p + strlen(to);
	}
	assert_non_null(a);
	size_t head = (size_t)(a - s), tail = n - (size_t)(z - s);
	unsigned char *out = malloc(BIG + n * 4);
	size_t o = 0;
	memcpy(out, s, head), o += head;
	for (unsigned copy = 1; o < BIG; copy++) {
		const char *p = a, *v;
		while (vary && (v = strstr(p, vary)) && v + strlen(vary) <= z) {
			size_t k = (size_t)(v - p) + strlen(vary);
			memcpy(out + o, p, k), o += k;
			o += (size_t)sprintf((char *)out + o, "%u", copy);
			p += k;
		}
		memcpy(out + o, p, (size_t)(z - p)), o += (size_t)(z - p);
	}
	memcpy(out + o, z, tail), o += tail;
	free(s);
	*len = o;
	return out;
}

/* UTF-8 to UTF-16LE with a BOM, as wevtutil and Event Viewer write it. */
static unsigned char *to_utf16le(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char *out = malloc(n * 4 + 2);
	size_t o = 0;
	out[o++] = 0xFF, out[o++] = 0xFE;
	for (size_t i = 0; i < n;) {
		size_t k = kbu_utf8_seq((const char *)s + i, n - i);
		assert_true(k > 0 && k < 4);
		uint32_t c = k == 1 ? s[i] : k == 2 ? (s[i] & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu)
			   : (s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
		out[o++] = (unsigned char)c, out[o++] = (unsigned char)(c >> 8);
		i += k;
	}
	*len = o;
	return out;
}

static bool same_value(struct kb_value a, struct kb_value b)
{
	if (a.type != b.type)
		return false;
	return a.type == KB_STRING ? strcmp(a.u.s, b.u.s) == 0 : kb_value_eq(a, b);
}

/* The file read from disk against the same bytes decoded whole.  cited:
 * the facts cite their records (a row's text); else their text is made
 * of the properties used (PowerShell lists and JSON) and kept. */
static void streams_as_whole_as(const char *format, const unsigned char *data, size_t len, bool cited)
{
	char *dir = scratch_dir();
	scratch_write_bytes(dir, "events", data, len);
	char path[4096];
	snprintf(path, sizeof(path), "%s/events", dir);

	struct harness whole = {0};
	import_bytes(&whole, NULL, path, data, len);
	check_ok(&whole);
	assert_string_equal(whole.in.format, format);

	struct harness streamed = {0};
	harness_open(&streamed);
	struct kbf_inputs inputs = {0};
	kbf_text_set_chunk(CHUNK);
	assert_int_equal(kbf_read_path(streamed.eng, path, &inputs), 0);
	kbf_text_set_chunk(0);
	assert_int_equal(inputs.n, 1);
	assert_string_equal(inputs.v[0].format, format);

	size_t n = count_facts(&whole, "event");
	assert_true(n > 1000);
	assert_int_equal(count_facts(&streamed, "event"), n);
	/* the file's facts cite their records, whose text reads back as the
	 * whole decode kept it, chunk ends and all */
	struct kbf_recall *rc = kbf_recall_new();
	for (size_t i = 0; i < n; i++)
		kbf_recall_want(rc, nth_fact(&streamed, "event", i));
	kbf_recall_read(rc);
	for (size_t i = 0; i < n; i++) {
		const struct kb_fact *a = nth_fact(&whole, "event", i), *b = nth_fact(&streamed, "event", i);
		assert_int_equal(a->prov.line, b->prov.line);
		if (cited) {
			assert_null(b->prov.text);
			assert_non_null(b->prov.cite.file);
		}
		assert_string_equal(a->prov.text, kbf_recall_text(rc, b));
		for (size_t k = 0; k < a->nslots; k++)
			if (!same_value(a->slots[k], b->slots[k]))
				fail_msg("event #%zu (line %d): slot %zu differs", i, a->prov.line, k);
	}
	kbf_recall_free(rc);
	kbf_inputs_free(&inputs);
	harness_close(&streamed);
	harness_close(&whole);
	scratch_remove(dir);
}

static void streams_as_whole(const char *format, const unsigned char *data, size_t len)
{
	streams_as_whole_as(format, data, len, true);
}

static void xml_export(void **state)
{
	(void)state;
	size_t len;
	unsigned char *big = repeat("wevtutil-xml/application-rendered.xml", "<Event ", "</Event>", "<EventRecordID>", &len);
	streams_as_whole("wevtutil-xml", big, len);
	free(big);
}

static void csv_export_utf8_and_utf16(void **state)
{
	(void)state;
	size_t len, len16;
	unsigned char *big = repeat("eventlog-csv/vista-application.csv", "\nError,", NULL, NULL, &len);
	streams_as_whole("eventlog-csv", big, len);
	unsigned char *big16 = to_utf16le(big + 3, len - 3, &len16); /* without the UTF-8 BOM */
	streams_as_whole("eventlog-csv", big16, len16);
	free(big16);
	free(big);
}

/* Get-WinEvent | Export-Csv: the PowerShell CSV importer streams too. */
static void powershell_csv_export(void **state)
{
	(void)state;
	size_t len;
	unsigned char *big = repeat("powershell/winevent-select-5.1.csv", "\n\"6/13", NULL, ".example.com\",\"", &len);
	streams_as_whole("powershell-csv", big, len);
	free(big);
}

/* Get-WinEvent output in PowerShell's other forms, n events over BIG
 * bytes: a grouped table, Format-List, ConvertTo-Json.  Record ids and
 * messages differ, so that no event is another's duplicate. */
static unsigned char *winevents(const char *form, size_t *len)
{
	char *out = malloc(BIG + 4096);
	size_t o = 0;
	bool json = strcmp(form, "json") == 0, table = strcmp(form, "table") == 0;
	if (json)
		o += (size_t)sprintf(out + o, "[\n");
	if (table)
		o += (size_t)sprintf(out + o, "\r\n   ProviderName: Service Control Manager\r\n\r\n"
					      "TimeCreated                     Id LevelDisplayName Message\r\n"
					      "-----------                     -- ---------------- -------\r\n");
	for (unsigned k = 1; o < BIG; k++) {
		if (table)
			o += (size_t)sprintf(out + o, "6/13/2021 10:15:22 AM         7000 Error            "
						      "The POP3Svc service failed to start (%u)\r\n", k);
		else if (json)
			o += (size_t)sprintf(out + o, "%s  {\n    \"Id\": 7000,\n    \"LevelDisplayName\": \"Error\",\n"
						      "    \"ProviderName\": \"Service Control Manager\",\n    \"RecordId\": %u,\n"
						      "    \"TimeCreated\": \"\\/Date(1623579322000)\\/\",\n"
						      "    \"Message\": \"The POP3Svc service failed to start: {[%u]}\"\n  }",
					     k > 1 ? ",\n" : "", k, k);
		else
			o += (size_t)sprintf(out + o, "Id           : 7000\r\nProviderName : Service Control Manager\r\n"
						      "RecordId     : %u\r\nTimeCreated  : 6/13/2021 10:15:22 AM\r\n"
						      "Message      : The POP3Svc service failed to start due to the following\r\n"
						      "               error (%u).\r\n\r\n", k, k);
	}
	if (json)
		o += (size_t)sprintf(out + o, "\n]\n");
	*len = o;
	return (unsigned char *)out;
}

/* Get-WinEvent's table, list and ConvertTo-Json forms stream as well. */
static void powershell_text_and_json(void **state)
{
	(void)state;
	static const struct {
		const char *form, *format;
		bool cited;
	} forms[] = {{"table", "powershell-table", true}, {"list", "powershell-list", false},
		     {"json", "powershell-json", false}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t len;
		unsigned char *big = winevents(forms[i].form, &len);
		streams_as_whole_as(forms[i].format, big, len, forms[i].cited);
		free(big);
	}
}

static void text_export(void **state)
{
	(void)state;
	size_t len;
	unsigned char *big = repeat("eventlog-text/xp-copy.txt", NULL, NULL, NULL, &len);
	streams_as_whole("eventlog-text", big, len);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_export),
		cmocka_unit_test(csv_export_utf8_and_utf16),
		cmocka_unit_test(text_export),
		cmocka_unit_test(powershell_csv_export),
		cmocka_unit_test(powershell_text_and_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
