/*
 * test_win_evt_csv.c — Event Viewer's comma- and tab-delimited exports:
 * NT 4.0 in Windows-1252, Windows 2000 tab text in an en-GB locale, Vista
 * CSV with and without descriptions, the Security log's Keywords column,
 * and malformed files.
 */
#include "winevt_test.h"

static const struct kbf_importer *const C = &kbf_eventlog_csv_importer;

static void nt4_comma_delimited_cp1252(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/nt4-application.csv");
	assert_ok(&r);
	assert_string_equal(r.t.encoding, "windows-1252");
	assert_int_equal(r.score, 80);
	assert_int_equal(r.in.nfacts, 9);

	const struct kb_fact *f = at(&r, "event", 1);
	assert_str_slot(&r, f, "source", "MSExchange Pop3 Interface");
	assert_int_slot(&r, f, "id", 11508);
	assert_str_slot(&r, f, "level", "error");
	assert_str_slot(&r, f, "category", "Configuration");
	assert_str_slot(&r, f, "time", "2001-06-13T10:15:22");
	assert_str_slot(&r, f, "computer", "SRV-\xC3\x89" "CHANGE");
	assert_str_slot(&r, f, "message", "Accept clients on POP3 interface failed in function HrRegisterProtocol with error 0x2740.");
	assert_int_slot(&r, f, "code", 10048);
	assert_int_slot(&r, f, "record", 1);
	assert_unset(&r, f, "user");
	assert_unset(&r, f, "log");

	assert_int_slot(&r, at(&r, "event", 2), "code", 0x80004005u);
	assert_int_slot(&r, at(&r, "event", 3), "id", 11506);
	assert_int_slot(&r, at(&r, "event", 3), "code", 10048);
	f = at(&r, "event", 6); /* quoted description */
	assert_str_slot(&r, f, "message", "Accept clients on external interface IMAP4 failed with error 0x80004005.");
	assert_int_slot(&r, f, "code", 0x80004005u);

	f = at(&r, "event", 7);
	assert_str_slot(&r, f, "source", "SMTPSVC");
	assert_unset(&r, f, "category"); /* "None" */
	assert_unset(&r, f, "code");     /* the exports drop the event data */

	f = at(&r, "event", 8); /* two lines, quotes doubled, commas inside */
	assert_str_slot(&r, f, "user", "SRV-\xC3\x89" "CHANGE\\H\xC3\xA9l\xC3\xA8ne");
	assert_str_slot(&r, f, "level", "warning");
	assert_str_slot(&r, f, "time", "2001-06-12T18:02:11");
	assert_str_slot(&r, f, "message", "Mailbox \"H\xC3\xA9l\xC3\xA8ne Dupr\xC3\xA9\" was opened by "
		"SRV-\xC3\x89" "CHANGE\\H\xC3\xA9l\xC3\xA8ne, who is not the primary Windows NT account.\n"
		"For more information, click http://www.microsoft.com/contactus.");
	assert_int_slot(&r, f, "record", 8);

	f = at(&r, "event", 10); /* unquoted description with a comma */
	assert_int_slot(&r, f, "id", 1309);
	assert_int_slot(&r, f, "code", 10049);
	assert_int_slot(&r, f, "record", 9);
	assert_str_slot(&r, f, "message", "Register LDAP SSL protocol failed with error 10049. The LDAP SSL server "
		"is not available. Make sure port number 636 is not used by another application, then restart.");
	run_free(&r);
}

static void w2k_tab_delimited_en_gb(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/w2k-application.txt");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 4);
	const struct kb_fact *f = at(&r, "event", 1);
	assert_int_slot(&r, f, "id", 1306);
	assert_str_slot(&r, f, "time", "2001-06-13T10:20:01");
	assert_str_slot(&r, f, "computer", "EXCH02");
	assert_int_slot(&r, f, "code", 10048);
	f = at(&r, "event", 3); /* its description goes on over line 4 */
	assert_int_slot(&r, f, "id", 4007);
	assert_str_slot(&r, f, "time", "2001-06-12T23:59:59");
	assert_str_slot(&r, f, "message", "The following error occurred while trying to bind the TCP/IP listener socket.\n10048");
	assert_int_slot(&r, f, "code", 10048);
	assert_int_slot(&r, f, "record", 3);
	f = at(&r, "event", 5);
	assert_int_slot(&r, f, "id", 4020);
	assert_int_slot(&r, f, "record", 4);
	assert_unset(&r, f, "code");
	run_free(&r);
}

static void vista_csv(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/vista-application.csv");
	assert_ok(&r);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 4);
	const struct kb_fact *f = at(&r, "event", 2);
	assert_str_slot(&r, f, "source", "MSExchangeIMAP4");
	assert_int_slot(&r, f, "id", 1039);
	assert_str_slot(&r, f, "level", "error");
	assert_str_slot(&r, f, "category", "(1)");
	assert_str_slot(&r, f, "time", "2016-10-07T18:38:24");
	assert_str_slot(&r, f, "message", "The IMAP4 service could not bind to 0.0.0.0:143, Error: 10048.");
	assert_int_slot(&r, f, "code", 10048);
	assert_unset(&r, f, "computer");
	f = at(&r, "event", 3);
	assert_str_slot(&r, f, "message", "The service is stopping.\nThe IMAP4 service will try again in 60 seconds.");
	f = at(&r, "event", 5);
	assert_str_slot(&r, f, "time", "2016-10-07T18:38:20");
	assert_unset(&r, f, "category");
	f = at(&r, "event", 6);
	assert_str_slot(&r, f, "level", "critical");
	assert_str_slot(&r, f, "time", "2016-10-03T04:31:02");
	assert_int_slot(&r, f, "record", 4);
	run_free(&r);
}

static void vista_security_keywords(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/vista-security.csv");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = at(&r, "event", 2);
	assert_str_slot(&r, f, "level", "audit failure");
	assert_int_slot(&r, f, "id", 4625);
	assert_str_slot(&r, f, "time", "2016-10-13T09:12:44");
	assert_str_slot(&r, f, "category", "Logon");
	assert_non_null(strstr(slot(&r, f, "message").u.s, "\n\tSub Status:\t\t0xC0000064"));
	assert_unset(&r, f, "code");
	f = at(&r, "event", 12);
	assert_str_slot(&r, f, "level", "audit success");
	run_free(&r);
}

static void vista_tab_utf16_without_descriptions(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/vista-system-utf16.txt");
	assert_ok(&r);
	assert_string_equal(r.t.encoding, "utf-16le");
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = at(&r, "event", 2);
	assert_str_slot(&r, f, "source", "Microsoft-Windows-HttpEvent");
	assert_int_slot(&r, f, "id", 15005);
	assert_unset(&r, f, "message");
	assert_unset(&r, f, "code");
	assert_int_slot(&r, at(&r, "event", 3), "id", 7036);
	run_free(&r);
}

static void unterminated_quote(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/unterminated-quote.csv");
	assert_error_at(&r, "unterminated-quote.csv:3", "quoted field never closed");
	assert_int_equal(r.in.nfacts, 2);
	assert_int_slot(&r, at(&r, "event", 1), "id", 11508);
	assert_int_slot(&r, at(&r, "event", 2), "id", 1194);
	run_free(&r);
}

static void event_id_not_a_number(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, C, "eventlog-csv/bad-event-id.csv");
	assert_error_at(&r, "bad-event-id.csv:3", "Event ID '1l94' is not a number");
	assert_int_equal(r.in.nfacts, 2);
	assert_int_slot(&r, at(&r, "event", 2), "record", 1);
	assert_int_slot(&r, at(&r, "event", 4), "record", 3);
	run_free(&r);
}

static void rows_that_are_not_events(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, C, "Level,Date and Time,Source,Event ID,Task Category\r\n"
		"Error,10/7/2016 6:38:24 PM,Src,1,None\r\n"
		"garbage line\r\n"
		"Error,10/7/2016 6:38:25 PM,Src,2,None\r\n");
	assert_error_at(&r, "paste.txt:3", "not an event row");
	assert_int_equal(r.in.nfacts, 2);
	run_free(&r);

	/* A day/month order nothing settles: the date stays as written. */
	run_str(&r, C, "06/07/2001,10:00:00,Src,Error,None,1,N/A,HOST,error 10048\n");
	assert_ok(&r);
	assert_str_slot(&r, at(&r, "event", 1), "time", "06/07/2001 10:00:00");
	assert_int_slot(&r, at(&r, "event", 1), "code", 10048);
	run_free(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(picked("eventlog-csv/nt4-application.csv"), C);
	assert_ptr_equal(picked("eventlog-csv/w2k-application.txt"), C);
	assert_ptr_equal(picked("eventlog-csv/vista-application.csv"), C);
	assert_ptr_equal(picked("eventlog-csv/vista-security.csv"), C);
	assert_ptr_equal(picked("eventlog-csv/vista-system-utf16.txt"), C);
	struct run r;
	run_str(&r, C, "\"Image Name\",\"PID\",\"Services\"\r\n\"System\",\"4\",\"N/A\"\r\n");
	assert_int_equal(r.score, 0);
	run_free(&r);
	run_str(&r, C, "Event Type: Error\r\nEvent ID: 1194\r\n");
	assert_int_equal(r.score, 0);
	run_free(&r);
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
