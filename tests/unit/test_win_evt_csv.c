/*
 * test_win_evt_csv.c — Event Viewer's comma- and tab-delimited exports:
 * NT 4.0 in Windows-1252, Windows 2000 tab text in an en-GB locale, Vista
 * CSV with and without descriptions, the Security log's Keywords column,
 * and malformed files.
 */
#include "importer_harness.h"

static const struct kbf_importer *const C = &kbf_eventlog_csv_importer;

static void nt4_comma_delimited_cp1252(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/nt4-application.csv");
	check_ok(&r);
	assert_string_equal(r.text.encoding, "windows-1252");
	assert_int_equal(r.score, 80);
	assert_int_equal(r.in.nfacts, 9);

	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_str(&r, f, "source", "MSExchange Pop3 Interface");
	check_int(&r, f, "id", 11508);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "category", "Configuration");
	check_str(&r, f, "time", "2001-06-13T10:15:22");
	check_str(&r, f, "computer", "SRV-\xC3\x89" "CHANGE");
	check_str(&r, f, "message", "Accept clients on POP3 interface failed in function HrRegisterProtocol with error 0x2740.");
	check_int(&r, f, "code", 10048);
	check_int(&r, f, "record", 1);
	check_nil(&r, f, "user");
	check_nil(&r, f, "log");

	check_int(&r, fact_at(&r, "event", 2), "code", 0x80004005u);
	check_int(&r, fact_at(&r, "event", 3), "id", 11506);
	check_int(&r, fact_at(&r, "event", 3), "code", 10048);
	f = fact_at(&r, "event", 6); /* quoted description */
	check_str(&r, f, "message", "Accept clients on external interface IMAP4 failed with error 0x80004005.");
	check_int(&r, f, "code", 0x80004005u);

	f = fact_at(&r, "event", 7);
	check_str(&r, f, "source", "SMTPSVC");
	check_nil(&r, f, "category"); /* "None" */
	check_nil(&r, f, "code");     /* the exports drop the event data */

	f = fact_at(&r, "event", 8); /* two lines, quotes doubled, commas inside */
	check_str(&r, f, "user", "SRV-\xC3\x89" "CHANGE\\H\xC3\xA9l\xC3\xA8ne");
	check_str(&r, f, "level", "warning");
	check_str(&r, f, "time", "2001-06-12T18:02:11");
	check_str(&r, f, "message", "Mailbox \"H\xC3\xA9l\xC3\xA8ne Dupr\xC3\xA9\" was opened by "
		"SRV-\xC3\x89" "CHANGE\\H\xC3\xA9l\xC3\xA8ne, who is not the primary Windows NT account.\n"
		"For more information, click http://www.microsoft.com/contactus.");
	check_int(&r, f, "record", 8);

	f = fact_at(&r, "event", 10); /* unquoted description with a comma */
	check_int(&r, f, "id", 1309);
	check_int(&r, f, "code", 10049);
	check_int(&r, f, "record", 9);
	check_str(&r, f, "message", "Register LDAP SSL protocol failed with error 10049. The LDAP SSL server "
		"is not available. Make sure port number 636 is not used by another application, then restart.");
	harness_close(&r);
}

static void w2k_tab_delimited_en_gb(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/w2k-application.txt");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 4);
	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_int(&r, f, "id", 1306);
	check_str(&r, f, "time", "2001-06-13T10:20:01");
	check_str(&r, f, "computer", "EXCH02");
	check_int(&r, f, "code", 10048);
	f = fact_at(&r, "event", 3); /* its description goes on over line 4 */
	check_int(&r, f, "id", 4007);
	check_str(&r, f, "time", "2001-06-12T23:59:59");
	check_str(&r, f, "message", "The following error occurred while trying to bind the TCP/IP listener socket.\n10048");
	check_int(&r, f, "code", 10048);
	check_int(&r, f, "record", 3);
	f = fact_at(&r, "event", 5);
	check_int(&r, f, "id", 4020);
	check_int(&r, f, "record", 4);
	check_nil(&r, f, "code");
	harness_close(&r);
}

static void vista_csv(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/vista-application.csv");
	check_ok(&r);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 4);
	const struct kb_fact *f = fact_at(&r, "event", 2);
	check_str(&r, f, "source", "MSExchangeIMAP4");
	check_int(&r, f, "id", 1039);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "category", "(1)");
	check_str(&r, f, "time", "2016-10-07T18:38:24");
	check_str(&r, f, "message", "The IMAP4 service could not bind to 0.0.0.0:143, Error: 10048.");
	check_int(&r, f, "code", 10048);
	check_nil(&r, f, "computer");
	f = fact_at(&r, "event", 3);
	check_str(&r, f, "message", "The service is stopping.\nThe IMAP4 service will try again in 60 seconds.");
	f = fact_at(&r, "event", 5);
	check_str(&r, f, "time", "2016-10-07T18:38:20");
	check_nil(&r, f, "category");
	f = fact_at(&r, "event", 6);
	check_str(&r, f, "level", "critical");
	check_str(&r, f, "time", "2016-10-03T04:31:02");
	check_int(&r, f, "record", 4);
	harness_close(&r);
}

static void vista_security_keywords(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/vista-security.csv");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = fact_at(&r, "event", 2);
	check_str(&r, f, "level", "audit failure");
	check_int(&r, f, "id", 4625);
	check_str(&r, f, "time", "2016-10-13T09:12:44");
	check_str(&r, f, "category", "Logon");
	assert_non_null(strstr(slot_value(&r, f, "message").u.s, "\n\tSub Status:\t\t0xC0000064"));
	check_nil(&r, f, "code");
	f = fact_at(&r, "event", 12);
	check_str(&r, f, "level", "audit success");
	harness_close(&r);
}

static void vista_tab_utf16_without_descriptions(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/vista-system-utf16.txt");
	check_ok(&r);
	assert_string_equal(r.text.encoding, "utf-16le");
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = fact_at(&r, "event", 2);
	check_str(&r, f, "source", "Microsoft-Windows-HttpEvent");
	check_int(&r, f, "id", 15005);
	check_nil(&r, f, "message");
	check_nil(&r, f, "code");
	check_int(&r, fact_at(&r, "event", 3), "id", 7036);
	harness_close(&r);
}

static void unterminated_quote(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/unterminated-quote.csv");
	check_error(&r, "unterminated-quote.csv:3", "quoted field never closed");
	assert_int_equal(r.in.nfacts, 2);
	check_int(&r, fact_at(&r, "event", 1), "id", 11508);
	check_int(&r, fact_at(&r, "event", 2), "id", 1194);
	harness_close(&r);
}

static void event_id_not_a_number(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, C, "eventlog-csv/bad-event-id.csv");
	check_error(&r, "bad-event-id.csv:3", "Event ID '1l94' is not a number");
	assert_int_equal(r.in.nfacts, 2);
	check_int(&r, fact_at(&r, "event", 2), "record", 1);
	check_int(&r, fact_at(&r, "event", 4), "record", 3);
	harness_close(&r);
}

static void rows_that_are_not_events(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, C, "Level,Date and Time,Source,Event ID,Task Category\r\n"
		"Error,10/7/2016 6:38:24 PM,Src,1,None\r\n"
		"garbage line\r\n"
		"Error,10/7/2016 6:38:25 PM,Src,2,None\r\n");
	check_error(&r, "paste.txt:3", "not an event row");
	assert_int_equal(r.in.nfacts, 2);
	harness_close(&r);

	/* A day/month order nothing settles: the date stays as written. */
	import_str(&r, C, "06/07/2001,10:00:00,Src,Error,None,1,N/A,HOST,error 10048\n");
	check_ok(&r);
	check_str(&r, fact_at(&r, "event", 1), "time", "06/07/2001 10:00:00");
	check_int(&r, fact_at(&r, "event", 1), "code", 10048);
	harness_close(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(recognise_fixture("eventlog-csv/nt4-application.csv"), C);
	assert_ptr_equal(recognise_fixture("eventlog-csv/w2k-application.txt"), C);
	assert_ptr_equal(recognise_fixture("eventlog-csv/vista-application.csv"), C);
	assert_ptr_equal(recognise_fixture("eventlog-csv/vista-security.csv"), C);
	assert_ptr_equal(recognise_fixture("eventlog-csv/vista-system-utf16.txt"), C);
	struct harness r = {0};
	import_str(&r, C, "\"Image Name\",\"PID\",\"Services\"\r\n\"System\",\"4\",\"N/A\"\r\n");
	assert_int_equal(r.score, 0);
	harness_close(&r);
	import_str(&r, C, "Event Type: Error\r\nEvent ID: 1194\r\n");
	assert_int_equal(r.score, 0);
	harness_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nt4_comma_delimited_cp1252),
		cmocka_unit_test(w2k_tab_delimited_en_gb),
		cmocka_unit_test(vista_csv),
		cmocka_unit_test(vista_security_keywords),
		cmocka_unit_test(vista_tab_utf16_without_descriptions),
		cmocka_unit_test(unterminated_quote),
		cmocka_unit_test(event_id_not_a_number),
		cmocka_unit_test(rows_that_are_not_events),
		cmocka_unit_test(probe_is_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
