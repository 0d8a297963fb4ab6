/*
 * test_win_evtx_xml.c — the wevtutil XML importer: /f:xml in UTF-16LE,
 * /f:RenderedXml, an <Events>-wrapped pretty-printed export, and malformed
 * input (an <Event> cut off, mismatched tags, IDs that are not numbers);
 * how expat is fed: lines (CR CR LF), input larger than one chunk, exports
 * pasted together, DTDs refused, and errors with their columns.
 */
#include "importer_harness.h"
#include "windows/events/win_event.h"
#include "xalloc.h"

static const struct kbf_importer *const X = &kbf_wevtutil_xml_importer;

static void utf16_plain_xml(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, X, "wevtutil-xml/application-utf16.xml");
	check_ok(&r);
	assert_string_equal(r.text.encoding, "utf-16le");
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 5);

	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_str(&r, f, "log", "Application");
	check_str(&r, f, "source", "MSExchangeIS");
	check_int(&r, f, "id", 1194);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "time", "2001-06-13T08:15:22Z");
	check_str(&r, f, "message", "POP3, 0x80004005");
	check_str(&r, f, "computer", "EXCH01");
	check_int(&r, f, "record", 10231);
	check_int(&r, f, "code", 0x80004005u); /* an unnamed <Data> shaped like an HRESULT */
	check_nil(&r, f, "user");
	check_nil(&r, f, "category");
	assert_non_null(strstr(f->prov.text, "<EventID Qualifiers='49152'>1194</EventID>"));

	f = fact_at(&r, "event", 2);
	check_str(&r, f, "source", "MSExchange Pop3 Interface");
	check_int(&r, f, "id", 11508);
	check_int(&r, f, "code", 10048); /* <Data>0x2740</Data> */

	f = fact_at(&r, "event", 3);
	check_int(&r, f, "id", 1309);
	check_int(&r, f, "code", 10049); /* <Data>10049</Data> beside <Data>636</Data> */

	f = fact_at(&r, "event", 4);
	check_str(&r, f, "source", "SMTPSVC");
	check_int(&r, f, "code", 10048); /* <Binary>40270000</Binary> */

	f = fact_at(&r, "event", 5);
	check_str(&r, f, "source", "Application Error");
	check_str(&r, f, "time", "2013-08-22T14:51:44Z");
	check_nil(&r, f, "code"); /* "c0000005" is no code by the rule */
	harness_close(&r);
}

static void rendered_xml(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, X, "wevtutil-xml/application-rendered.xml");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 6);

	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_str(&r, f, "message", "Register LDAP SSL protocol failed with error 10049. The LDAP SSL "
		"server is not available. Make sure port number 636 is not used by another application.");
	check_int(&r, f, "code", 10049);
	check_str(&r, f, "category", "LDAP Interface");

	f = fact_at(&r, "event", 2);
	check_int(&r, f, "id", 11506);
	check_int(&r, f, "code", 0x2740);

	f = fact_at(&r, "event", 3);
	check_str(&r, f, "message", "Accept clients on external interface IMAP4 failed with error 0x80004005.\n\n"
		"For more information, see Help & Support Center at http://go.microsoft.com/fwlink/events.asp.");
	check_int(&r, f, "code", 0x80004005u);

	f = fact_at(&r, "event", 4);
	check_str(&r, f, "log", "System");
	check_str(&r, f, "source", "Service Control Manager");
	check_int(&r, f, "id", 7036);
	check_str(&r, f, "level", "information");
	check_str(&r, f, "time", "2013-08-22T14:51:44Z");
	check_int(&r, f, "record", 2);
	check_nil(&r, f, "code"); /* the Binary is UTF-16 text */

	f = fact_at(&r, "event", 5);
	check_str(&r, f, "level", "critical");
	check_str(&r, f, "user", "S-1-5-18");
	check_str(&r, f, "time", "2016-10-03T04:31:02Z");
	check_nil(&r, f, "code"); /* "This error could be caused" names no code */

	f = fact_at(&r, "event", 6);
	check_str(&r, f, "log", "Security");
	check_str(&r, f, "level", "audit failure");
	check_str(&r, f, "category", "Logon");
	check_int(&r, f, "code", 0xC000006Du); /* <Data Name='Status'>, before SubStatus */
	harness_close(&r);
}

static void wrapped_pretty_xml(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, X, "wevtutil-xml/events-wrapped.xml");
	check_ok(&r);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 2);

	const struct kb_fact *f = fact_at(&r, "event", 4);
	check_str(&r, f, "source", "HTTP"); /* EventSourceName, as Event Viewer shows it */
	check_int(&r, f, "id", 15005);
	check_str(&r, f, "message", "\\Device\\Http\\ReqQueue, [::]:80, 10048");
	check_int(&r, f, "code", 10048); /* <Data Name="ErrorCode"> */
	check_int(&r, f, "record", 5521);

	f = fact_at(&r, "event", 23);
	check_str(&r, f, "source", "Microsoft-Windows-Eventlog");
	check_str(&r, f, "message", "Administrator, CONTOSO, Application & <Setup>");
	check_str(&r, f, "user", "S-1-5-21-1004336348-1177238915-682003330-500");
	check_str(&r, f, "time", "2016-10-07T18:40:00Z");
	check_nil(&r, f, "code");
	harness_close(&r);
}

static void truncated_event_keeps_earlier(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, X, "wevtutil-xml/truncated.xml");
	check_error(&r, "truncated.xml:3", "<Event> cut off: input ends inside <Data>");
	assert_int_equal(r.in.nfacts, 2);
	check_int(&r, fact_at(&r, "event", 1), "id", 1194);
	check_int(&r, fact_at(&r, "event", 2), "id", 11508);
	harness_close(&r);
}

#define EV(id, rest) "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>" \
	"<Provider Name='Src'/><EventID>" id "</EventID><Level>3</Level></System>" rest "</Event>"

static void malformed_inline(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, X, EV("1", "") "\n" EV("abc", "") "\n" EV("3", "<EventData><Data>x</Data></EventData>"));
	check_error(&r, "paste.txt:2", "Event ID 'abc' is not a number");
	assert_int_equal(r.in.nfacts, 2);
	check_int(&r, fact_at(&r, "event", 1), "record", 1); /* no EventRecordID: the ordinal */
	check_int(&r, fact_at(&r, "event", 3), "record", 3);
	check_str(&r, fact_at(&r, "event", 3), "level", "warning");
	harness_close(&r);

	import_str(&r, X, EV("1", "") "\n<Event><System>\n<EventID>2</Level></System></Event>\n");
	check_error(&r, "paste.txt:3", "</Level> closes no open element");
	assert_int_equal(r.in.nfacts, 1);
	harness_close(&r);

	import_str(&r, X, EV("1", "") "\r\nwevtutil: access denied\r\n" EV("2", ""));
	check_error(&r, "paste.txt:2", "text outside <Event>");
	assert_int_equal(r.in.nfacts, 1);
	harness_close(&r);

	import_str(&r, X, "<Event><System><EventID>5</EventID></System></Event><Event><System><EventID");
	check_error(&r, "paste.txt:1", "unterminated tag <EventID");
	assert_int_equal(r.in.nfacts, 1);
	harness_close(&r);

	import_str(&r, X, EV("9", "<EventData><Data>POP3</Data><Data>0x80004005</Data></EventData>"
		"<RenderingInfo Culture='en-US'><Message></Message><Level>Error</Level></RenderingInfo>"));
	check_ok(&r);
	check_str(&r, fact_at(&r, "event", 1), "message", "POP3, 0x80004005");
	check_str(&r, fact_at(&r, "event", 1), "level", "warning"); /* <Level>3</Level> wins */
	check_int(&r, fact_at(&r, "event", 1), "code", 0x80004005u);
	harness_close(&r);

	import_str(&r, X, "<Event><System><Level>2</Level></System></Event>");
	check_error(&r, "paste.txt:1", "event without an Event ID");
	harness_close(&r);
}

static void deep_nesting_is_an_error(void **state)
{
	(void)state;
	char buf[2048] = "<Event><UserData>";
	for (int i = 0; i < 60; i++)
		strcat(buf, "<a>");
	struct harness r = {0};
	import_str(&r, X, buf);
	check_error(&r, "paste.txt:1", "nested too deeply");
	assert_int_equal(r.in.nfacts, 0);
	harness_close(&r);
}

static void entities_cdata_and_quotes(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, X, "<?xml version=\"1.0\"?>\n<!-- c -->\n"
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
		"<Provider Name=\"A &amp; B\" /><EventID Qualifiers=\"16384\"> 7 </EventID><Level>0</Level>"
		"<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime=\"2001-06-13T08:15:22Z\"/>"
		"<Channel>Security</Channel></System><EventData><Data Name=\"Text\">&lt;&#x41;&#66;&gt; &bogus; &#xD800;</Data>"
		"<Data><![CDATA[a<b]]></Data></EventData></Event>");
	check_ok(&r);
	const struct kb_fact *f = fact_at(&r, "event", 3);
	check_str(&r, f, "source", "A & B");
	check_int(&r, f, "id", 7);
	check_str(&r, f, "level", "audit success");
	check_str(&r, f, "time", "2001-06-13T08:15:22Z");
	check_str(&r, f, "message", "<AB> &bogus; \xEF\xBF\xBD, a<b");
	harness_close(&r);
}

static void cr_cr_lf_counts_as_one_line(void **state)
{
	(void)state;
	struct harness r = {0};
	/* core/text.c ends a line at LF only; expat would count each CR too */
	import_str(&r, X, "<Event><System><EventID>1</EventID></System><EventData><Data>x\r\r\ny</Data>"
		"</EventData></Event>\r\r\n<Event><System><EventID>2</EventID></System></Event>\r\r\n"
		"<Event><System><EventID>3</EventID></Evnt>\r\r\n");
	check_error(&r, "paste.txt:4", "</Evnt> closes no open element at column 36");
	assert_int_equal(r.in.nfacts, 2);
	check_str(&r, fact_at(&r, "event", 1), "message", "x\ny");
	check_int(&r, fact_at(&r, "event", 3), "id", 2);
	harness_close(&r);
}

/* Lines of many events, each with what the reader rewrites before expat
 * sees it, so that some straddle the chunks it is fed in. */
static char *many_events(int n, int *bad_line)
{
	static const char ev[] = "<Event><System><EventID>%d</EventID></System><EventData>"
		"<Data>a&#xD800;b&#x41;</Data><Data><![CDATA[&#1;<?xml ?>]]></Data><!-- &#0; -->"
		"</EventData></Event>\n";
	size_t cap = (size_t)n * (sizeof(ev) + 32) + 256, len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	for (int i = 1; i <= n; i++) {
		if (i % 100 == 0)
			len += (size_t)snprintf(s + len, cap - len, "<?xml version='1.0' encoding='UTF-16'?>\n");
		len += (size_t)snprintf(s + len, cap - len, ev, i);
	}
	*bad_line = n + n / 100 + 1;
	snprintf(s + len, cap - len, "<Event><System><EventID>0</EventID></System>&#xZ;</Event>\n");
	return s;
}

static void large_input_in_chunks(void **state)
{
	(void)state;
	int bad;
	char *s = many_events(4000, &bad);
	struct harness r = {0};
	import_str(&r, X, s);
	char where[32];
	snprintf(where, sizeof(where), "paste.txt:%d", bad);
	check_error(&r, where, "not well-formed (invalid token) at column 48"); /* the 'Z' */
	assert_int_equal(r.in.nfacts, 4000);
	for (int id = 1, line = 1; id <= 4000; id++, line++) {
		line += id % 100 == 0; /* the declaration's line */
		const struct kb_fact *f = fact_at(&r, "event", line);
		check_int(&r, f, "id", id);
		check_str(&r, f, "message", "a\xEF\xBF\xBD" "bA, &#1;<?xml ?>");
	}
	harness_close(&r);
	free(s);
}

static void exports_pasted_together(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, X, "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<Events>\n" EV("1", "") "\n</Events>\n"
		"<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<Events>\n" EV("2", "") "\n</Events>\n");
	check_ok(&r);
	check_int(&r, fact_at(&r, "event", 3), "id", 1);
	check_int(&r, fact_at(&r, "event", 7), "id", 2);
	harness_close(&r);
}

/* A declaration, a comment or the end of a CDATA section that begins just
 * before the last bytes of a chunk (the reader hands expat 64 KiB at a
 * time) is not cut in two: each starts from 18 to 14 bytes before a
 * chunk's end, spaces filling the input up to it.  The character reference
 * after it is one XML forbids, which only the cleaning lets through. */
static void markup_at_a_chunk_edge(void **state)
{
	(void)state;
	static const struct { const char *before, *after; } cases[] = {
		{EV("1", "") "\n", "<?xml version=\"1.0\"?>\n" EV("2", "&#x1;")},
		{EV("1", "") "\n", "<!-- a -->\n" EV("2", "&#x1;")},
		{EV("1", "<EventData><Data><![CDATA["), "]]></Data></EventData></Event>\n" EV("2", "&#x1;")},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (size_t at = 65536 - 18; at <= 65536 - 14; at++) {
			size_t n = strlen(cases[k].before);
			char *s = kbu_calloc(at + strlen(cases[k].after) + 1, 1);
			memcpy(s, cases[k].before, n);
			memset(s + n, ' ', at - n);
			strcpy(s + at, cases[k].after);
			struct harness r = {0};
			import_str(&r, X, s);
			check_ok(&r);
			assert_int_equal(count_facts(&r, "event"), 2);
			harness_close(&r);
			free(s);
		}
	}
}

/* Input that stops the reader: where, what, and how many events it kept. */
static const struct {
	const char *in, *where, *what;
	size_t kept;
} stops[] = {
	{"<!DOCTYPE Event [<!ENTITY a \"boom\">]>\n" EV("1", "<EventData><Data>&a;</Data></EventData>"),
	 "paste.txt:1", "DOCTYPE refused (an event export has none) at column 1", 0},
	{EV("1", "") "\n<!DOCTYPE x SYSTEM \"file:///etc/passwd\">\n" EV("2", ""),
	 "paste.txt:2", "DOCTYPE refused (an event export has none) at column 1", 1},
	{EV("1", "") "\n  <Event><System><EventID>2</EventID><!-- cut\n",
	 "paste.txt:2", "unterminated comment at column 38", 1},
	{EV("1", "") "\n<Eventx/>\n" EV("2", ""), "paste.txt:2", "expected <Event>, found <Eventx> at column 1", 1},
	/* the column of what expat found wrong: here what follows the '&' */
	{EV("1", "<EventData><Data>\xC3\xA9 & </Data></EventData>"),
	 "paste.txt:1", "not well-formed (invalid token) at column 165", 0},
};

static void errors_say_where(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		struct harness r = {0};
		import_str(&r, X, stops[i].in);
		check_error(&r, stops[i].where, stops[i].what);
		assert_int_equal(r.in.nfacts, stops[i].kept);
		harness_close(&r);
	}
}

static void no_entity_is_expanded(void **state)
{
	(void)state;
	struct harness r = {0};
	/* undefined entities stay as written; references to control characters too */
	import_str(&r, X, EV("1", "<EventData><Data>&a;&lt;&#x1F;</Data></EventData>"));
	check_ok(&r);
	check_str(&r, fact_at(&r, "event", 1), "message", "&a;<\x1F");
	harness_close(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(recognise_fixture("wevtutil-xml/application-utf16.xml"), X);
	assert_ptr_equal(recognise_fixture("wevtutil-xml/application-rendered.xml"), X);
	assert_ptr_equal(recognise_fixture("wevtutil-xml/events-wrapped.xml"), X);
	struct harness r = {0};
	import_str(&r, X, "<root><Event/></root>");
	assert_int_equal(r.score, 0);
	harness_close(&r);
	import_str(&r, X, "Event Type: Error\nEvent ID: 1\n<Event xmlns='x'>");
	assert_int_equal(r.score, 0);
	harness_close(&r);
}

/* A binary log's records go through one reader, restarted for each: a
 * malformed record must leave nothing behind for the next. */
static void reader_restarts_after_a_malformed_record(void **state)
{
	(void)state;
	static const char bad[] = "<Event><System><Provider Name='A'/></Sys></Event>";
	static const char good[] =
		"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
		"<Provider Name='POP3'/><EventID>11508</EventID><Level>2</Level>"
		"<TimeCreated SystemTime='2004-01-05T10:00:00.000Z'/><Computer>MAIL</Computer></System>"
		"<EventData><Data>110</Data></EventData></Event>";
	struct kbf_winevt ev = {0};
	struct kbf_winevt_xml *x = kbf_winevt_xml_new(bad, strlen(bad), 1);
	kbf_winevt_xml_cite_events(x);
	assert_int_equal(kbf_winevt_xml_next(x, &ev), -1);
	for (int i = 0; i < 2; i++) {
		kbf_winevt_xml_restart(x, good, strlen(good), 7);
		assert_int_equal(kbf_winevt_xml_next(x, &ev), 1);
		assert_int_equal(ev.source.len, 4);
		assert_memory_equal(ev.source.s, "POP3", 4);
		assert_int_equal(ev.id.len, 5);
		assert_memory_equal(ev.id.s, "11508", 5);
		assert_int_equal(kbf_winevt_xml_next(x, &ev), 0);
	}
	kbf_winevt_xml_free(x);
	kbf_winevt_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf16_plain_xml),
		cmocka_unit_test(rendered_xml),
		cmocka_unit_test(wrapped_pretty_xml),
		cmocka_unit_test(truncated_event_keeps_earlier),
		cmocka_unit_test(malformed_inline),
		cmocka_unit_test(deep_nesting_is_an_error),
		cmocka_unit_test(entities_cdata_and_quotes),
		cmocka_unit_test(probe_is_specific),
		cmocka_unit_test(cr_cr_lf_counts_as_one_line),
		cmocka_unit_test(large_input_in_chunks),
		cmocka_unit_test(exports_pasted_together),
		cmocka_unit_test(markup_at_a_chunk_edge),
		cmocka_unit_test(no_entity_is_expanded),
		cmocka_unit_test(errors_say_where),
		cmocka_unit_test(reader_restarts_after_a_malformed_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
