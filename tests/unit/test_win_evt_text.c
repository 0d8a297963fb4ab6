/*
 * test_win_evt_text.c — events pasted from Event Properties or quoted from
 * KB articles: NT 4.0 and XP/2003 blocks with data dumps, KB shorthands,
 * Vista "Copy details as text" with its Event Xml, and malformed blocks.
 */
#include "winevt_test.h"

static const struct kbf_importer *const T = &kbf_eventlog_text_importer;

static void nt4_blocks_as_kb_quotes_them(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/nt4-properties.txt");
	assert_ok(&r);
	assert_string_equal(r.t.encoding, "utf-8");
	assert_int_equal(r.score, 90);
	assert_int_equal(r.in.nfacts, 4);

	const struct kb_fact *f = at(&r, "event", 3);
	assert_str_slot(&r, f, "level", "error");
	assert_str_slot(&r, f, "source", "MSExchange Pop3 Interface");
	assert_str_slot(&r, f, "category", "Configuration");
	assert_int_slot(&r, f, "id", 11508);
	assert_str_slot(&r, f, "message", "Accept clients on POP3 interface failed in function HrRegisterProtocol with\nerror 0x2740.");
	assert_int_slot(&r, f, "code", 10048);
	assert_int_slot(&r, f, "record", 1);
	assert_unset(&r, f, "time");
	assert_unset(&r, f, "computer");

	f = at(&r, "event", 11);
	assert_str_slot(&r, f, "source", "MSExchangeIS");
	assert_int_slot(&r, f, "id", 1194);
	assert_int_slot(&r, f, "code", 0x80004005u);

	f = at(&r, "event", 18); /* the customer's NOTE below it is not part of it */
	assert_int_slot(&r, f, "id", 11506);
	assert_str_slot(&r, f, "message", "Accept clients on NNTP interface failed in function HrRegisterProtocol with\nerror 0x2740.");

	f = at(&r, "event", 28);
	assert_str_slot(&r, f, "source", "SMTPSVC");
	assert_int_slot(&r, f, "id", 115);
	assert_str_slot(&r, f, "time", "2001-06-13T10:14:02");
	assert_str_slot(&r, f, "computer", "EXCH01");
	assert_str_slot(&r, f, "message", "Service could not bind instance 1.  The data is the error.");
	assert_int_slot(&r, f, "code", 10048); /* Data: 0000: 40 27 00 00 */
	assert_unset(&r, f, "user");
	assert_unset(&r, f, "category");
	assert_int_slot(&r, f, "record", 4);
	run_free(&r);
}

static void xp_clipboard_copies(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/xp-copy.txt");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 3);
	const struct kb_fact *f = at(&r, "event", 1);
	assert_str_slot(&r, f, "time", "2003-06-13T17:05:12"); /* 13/06: day first */
	assert_str_slot(&r, f, "category", "General");
	assert_str_slot(&r, f, "message", "Accept clients on external interface POP3 failed with error 0x80004005.\n\n"
		"For more information, see Help and Support Center at http://go.microsoft.com/fwlink/events.asp.");
	assert_int_slot(&r, f, "code", 0x80004005u);

	f = at(&r, "event", 16);
	assert_int_slot(&r, f, "id", 4007);
	assert_str_slot(&r, f, "time", "2003-06-12T09:00:00");
	assert_int_slot(&r, f, "code", 10048); /* Data: Words 00002740 */

	f = at(&r, "event", 31);
	assert_str_slot(&r, f, "level", "audit failure");
	assert_str_slot(&r, f, "source", "Security");
	assert_str_slot(&r, f, "user", "NT AUTHORITY\\SYSTEM");
	assert_str_slot(&r, f, "message", "Logon Failure:\n \tReason:\t\tUnknown user name or bad password\n"
		" \tUser Name:\th\xC3\xA9l\xC3\xA8ne\n \tDomain:\t\tEXCH03");
	assert_unset(&r, f, "code");
	run_free(&r);
}

static void kb_shorthands(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/kb-shorthand.txt");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 5);
	const struct kb_fact *f = at(&r, "event", 1);
	assert_int_slot(&r, f, "id", 1309);
	assert_str_slot(&r, f, "source", "MSExchangeDS");
	assert_int_slot(&r, f, "code", 10049);
	assert_unset(&r, f, "level");
	assert_non_null(strstr(slot(&r, f, "message").u.s, "Make sure port number 636 is not used by another application."));

	assert_int_slot(&r, at(&r, "event", 7), "code", 0x2741);

	f = at(&r, "event", 13);
	assert_int_slot(&r, f, "id", 1306);
	assert_str_slot(&r, f, "level", "error");
	assert_int_slot(&r, f, "code", 10048);
	assert_str_slot(&r, f, "message", "Register LDAP protocol failed with error 10048. If port number\n"
		"389 is used by another application, change to an unused port, then shut down\n"
		"and restart Microsoft Exchange Directory Services. Contact Microsoft Support\n"
		"Service if condition persists.");

	assert_int_slot(&r, at(&r, "event", 21), "code", 10050);

	f = at(&r, "event", 26);
	assert_int_slot(&r, f, "id", 7023);
	assert_str_slot(&r, f, "source", "Service Control Manager");
	assert_str_slot(&r, f, "message", "The Microsoft Exchange POP3 service terminated with the following error:\n"
		"Only one usage of each socket address (protocol/network address/port) is normally permitted.");
	assert_unset(&r, f, "code");
	run_free(&r);
}

static void vista_copy_with_event_xml(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/vista-copy.txt");
	assert_ok(&r);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = at(&r, "event", 1);
	assert_str_slot(&r, f, "log", "Application");
	assert_str_slot(&r, f, "source", "MSExchangeIS");
	assert_int_slot(&r, f, "id", 1194);
	assert_str_slot(&r, f, "level", "error");
	assert_str_slot(&r, f, "category", "General");
	assert_str_slot(&r, f, "time", "2016-10-07T18:38:24Z"); /* the XML's UTC time */
	assert_int_slot(&r, f, "record", 4711);                /* and its EventRecordID */
	assert_str_slot(&r, f, "message", "Accept clients on external interface POP3 failed with error 0x80004005.");
	assert_int_slot(&r, f, "code", 0x80004005u);
	assert_str_slot(&r, f, "computer", "EXCH01.contoso.com");

	f = at(&r, "event", 32);
	assert_str_slot(&r, f, "log", "Security");
	assert_str_slot(&r, f, "level", "audit failure"); /* Level Information, Keywords Audit Failure */
	assert_str_slot(&r, f, "time", "2016-10-13T09:12:44");
	assert_int_slot(&r, f, "record", 2);
	assert_str_slot(&r, f, "message", "An account failed to log on.\n\nSubject:\n\tSecurity ID:\t\tSYSTEM\n\tAccount Name:\t\tEXCH01$");
	run_free(&r);
}

static void event_id_not_a_number(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/bad-event-id.txt");
	assert_error_at(&r, "bad-event-id.txt:11", "Event ID 'N/A' is not a number");
	assert_int_equal(r.in.nfacts, 2);
	assert_int_slot(&r, at(&r, "event", 1), "id", 1194);
	const struct kb_fact *f = at(&r, "event", 15);
	assert_int_slot(&r, f, "id", 1000);
	assert_int_slot(&r, f, "record", 3);
	assert_str_slot(&r, f, "level", "warning");
	run_free(&r);
}

static void cut_off_event_xml(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, T, "eventlog-text/vista-cut-xml.txt");
	assert_error_at(&r, "vista-cut-xml.txt:10", "<Event> cut off");
	assert_int_equal(r.in.nfacts, 1); /* the header lines still make the event */
	const struct kb_fact *f = at(&r, "event", 1);
	assert_int_slot(&r, f, "code", 0x80004005u);
	assert_str_slot(&r, f, "time", "2016-10-07T18:38:24");
	run_free(&r);
}

static void blocks_without_an_id(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, T, "Event ID: 1\nSource: A\nDescription: one\n\nSource: B\nDescription: two\n");
	assert_error_at(&r, "paste.txt:5", "event without an Event ID");
	assert_int_equal(r.in.nfacts, 1);
	run_free(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(picked("eventlog-text/nt4-properties.txt"), T);
	assert_ptr_equal(picked("eventlog-text/xp-copy.txt"), T);
	assert_ptr_equal(picked("eventlog-text/kb-shorthand.txt"), T);
	assert_ptr_equal(picked("eventlog-text/vista-copy.txt"), T);
	struct run r;
	run_str(&r, T, "Host Name:                 TEST\r\nOS Name:                   Microsoft Windows 7\r\n");
	assert_int_equal(r.score, 0);
	run_free(&r);
	run_fixture(&r, T, "mail-client-error/outlook-express.txt");
	assert_int_equal(r.score, 0);
	run_free(&r);
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
