/*
 * test_win_evt_text.c — events pasted from Event Properties or quoted from
 * KB articles: NT 4.0 and XP/2003 blocks with data dumps, KB shorthands,
 * Vista "Copy details as text" with its Event Xml, and malformed blocks.
 */
#include "importer_harness.h"

static const struct kbf_importer *const T = &kbf_eventlog_text_importer;

static void nt4_blocks_as_kb_quotes_them(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/nt4-properties.txt");
	check_ok(&r);
	assert_string_equal(r.text.encoding, "utf-8");
	assert_int_equal(r.score, 90);
	assert_int_equal(r.in.nfacts, 4);

	const struct kb_fact *f = fact_at(&r, "event", 3);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "source", "MSExchange Pop3 Interface");
	check_str(&r, f, "category", "Configuration");
	check_int(&r, f, "id", 11508);
	check_str(&r, f, "message", "Accept clients on POP3 interface failed in function HrRegisterProtocol with\nerror 0x2740.");
	check_int(&r, f, "code", 10048);
	check_int(&r, f, "record", 1);
	check_nil(&r, f, "time");
	check_nil(&r, f, "computer");

	f = fact_at(&r, "event", 11);
	check_str(&r, f, "source", "MSExchangeIS");
	check_int(&r, f, "id", 1194);
	check_int(&r, f, "code", 0x80004005u);

	f = fact_at(&r, "event", 18); /* the customer's NOTE below it is not part of it */
	check_int(&r, f, "id", 11506);
	check_str(&r, f, "message", "Accept clients on NNTP interface failed in function HrRegisterProtocol with\nerror 0x2740.");

	f = fact_at(&r, "event", 28);
	check_str(&r, f, "source", "SMTPSVC");
	check_int(&r, f, "id", 115);
	check_str(&r, f, "time", "2001-06-13T10:14:02");
	check_str(&r, f, "computer", "EXCH01");
	check_str(&r, f, "message", "Service could not bind instance 1.  The data is the error.");
	check_int(&r, f, "code", 10048); /* Data: 0000: 40 27 00 00 */
	check_nil(&r, f, "user");
	check_nil(&r, f, "category");
	check_int(&r, f, "record", 4);
	harness_close(&r);
}

static void xp_clipboard_copies(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/xp-copy.txt");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 3);
	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_str(&r, f, "time", "2003-06-13T17:05:12"); /* 13/06: day first */
	check_str(&r, f, "category", "General");
	check_str(&r, f, "message", "Accept clients on external interface POP3 failed with error 0x80004005.\n\n"
		"For more information, see Help and Support Center at http://go.microsoft.com/fwlink/events.asp.");
	check_int(&r, f, "code", 0x80004005u);

	f = fact_at(&r, "event", 16);
	check_int(&r, f, "id", 4007);
	check_str(&r, f, "time", "2003-06-12T09:00:00");
	check_int(&r, f, "code", 10048); /* Data: Words 00002740 */

	f = fact_at(&r, "event", 31);
	check_str(&r, f, "level", "audit failure");
	check_str(&r, f, "source", "Security");
	check_str(&r, f, "user", "NT AUTHORITY\\SYSTEM");
	check_str(&r, f, "message", "Logon Failure:\n \tReason:\t\tUnknown user name or bad password\n"
		" \tUser Name:\th\xC3\xA9l\xC3\xA8ne\n \tDomain:\t\tEXCH03");
	check_nil(&r, f, "code");
	harness_close(&r);
}

static void kb_shorthands(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/kb-shorthand.txt");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 5);
	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_int(&r, f, "id", 1309);
	check_str(&r, f, "source", "MSExchangeDS");
	check_int(&r, f, "code", 10049);
	check_nil(&r, f, "level");
	assert_non_null(strstr(slot_value(&r, f, "message").u.s, "Make sure port number 636 is not used by another application."));

	check_int(&r, fact_at(&r, "event", 7), "code", 0x2741);

	f = fact_at(&r, "event", 13);
	check_int(&r, f, "id", 1306);
	check_str(&r, f, "level", "error");
	check_int(&r, f, "code", 10048);
	check_str(&r, f, "message", "Register LDAP protocol failed with error 10048. If port number\n"
		"389 is used by another application, change to an unused port, then shut down\n"
		"and restart Microsoft Exchange Directory Services. Contact Microsoft Support\n"
		"Service if condition persists.");

	check_int(&r, fact_at(&r, "event", 21), "code", 10050);

	f = fact_at(&r, "event", 26);
	check_int(&r, f, "id", 7023);
	check_str(&r, f, "source", "Service Control Manager");
	check_str(&r, f, "message", "The Microsoft Exchange POP3 service terminated with the following error:\n"
		"Only one usage of each socket address (protocol/network address/port) is normally permitted.");
	check_nil(&r, f, "code");
	harness_close(&r);
}

static void vista_copy_with_event_xml(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/vista-copy.txt");
	check_ok(&r);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_str(&r, f, "log", "Application");
	check_str(&r, f, "source", "MSExchangeIS");
	check_int(&r, f, "id", 1194);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "category", "General");
	check_str(&r, f, "time", "2016-10-07T18:38:24Z"); /* the XML's UTC time */
	check_int(&r, f, "record", 4711);                /* and its EventRecordID */
	check_str(&r, f, "message", "Accept clients on external interface POP3 failed with error 0x80004005.");
	check_int(&r, f, "code", 0x80004005u);
	check_str(&r, f, "computer", "EXCH01.contoso.com");

	f = fact_at(&r, "event", 32);
	check_str(&r, f, "log", "Security");
	check_str(&r, f, "level", "audit failure"); /* Level Information, Keywords Audit Failure */
	check_str(&r, f, "time", "2016-10-13T09:12:44");
	check_int(&r, f, "record", 2);
	check_str(&r, f, "message", "An account failed to log on.\n\nSubject:\n\tSecurity ID:\t\tSYSTEM\n\tAccount Name:\t\tEXCH01$");
	harness_close(&r);
}

static void event_id_not_a_number(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/bad-event-id.txt");
	check_error(&r, "bad-event-id.txt:11", "Event ID 'N/A' is not a number");
	assert_int_equal(r.in.nfacts, 2);
	check_int(&r, fact_at(&r, "event", 1), "id", 1194);
	const struct kb_fact *f = fact_at(&r, "event", 15);
	check_int(&r, f, "id", 1000);
	check_int(&r, f, "record", 3);
	check_str(&r, f, "level", "warning");
	harness_close(&r);
}

static void cut_off_event_xml(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, T, "eventlog-text/vista-cut-xml.txt");
	check_error(&r, "vista-cut-xml.txt:10", "<Event> cut off");
	assert_int_equal(r.in.nfacts, 1); /* the header lines still make the event */
	const struct kb_fact *f = fact_at(&r, "event", 1);
	check_int(&r, f, "code", 0x80004005u);
	check_str(&r, f, "time", "2016-10-07T18:38:24");
	harness_close(&r);
}

static void blocks_without_an_id(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, T, "Event ID: 1\nSource: A\nDescription: one\n\nSource: B\nDescription: two\n");
	check_error(&r, "paste.txt:5", "event without an Event ID");
	assert_int_equal(r.in.nfacts, 1);
	harness_close(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(recognise_fixture("eventlog-text/nt4-properties.txt"), T);
	assert_ptr_equal(recognise_fixture("eventlog-text/xp-copy.txt"), T);
	assert_ptr_equal(recognise_fixture("eventlog-text/kb-shorthand.txt"), T);
	assert_ptr_equal(recognise_fixture("eventlog-text/vista-copy.txt"), T);
	struct harness r = {0};
	import_str(&r, T, "Host Name:                 TEST\r\nOS Name:                   Microsoft Windows 7\r\n");
	assert_int_equal(r.score, 0);
	harness_close(&r);
	import_fixture(&r, T, "mail-client-error/outlook-express.txt");
	assert_int_equal(r.score, 0);
	harness_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nt4_blocks_as_kb_quotes_them),
		cmocka_unit_test(xp_clipboard_copies),
		cmocka_unit_test(kb_shorthands),
		cmocka_unit_test(vista_copy_with_event_xml),
		cmocka_unit_test(event_id_not_a_number),
		cmocka_unit_test(cut_off_event_xml),
		cmocka_unit_test(blocks_without_an_id),
		cmocka_unit_test(probe_is_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
