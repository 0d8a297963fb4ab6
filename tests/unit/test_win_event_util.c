/*
 * test_win_event_util.c — the rules every Windows event importer shares:
 * which code a message reports, when event data holds one, level words,
 * and local and UTC times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "windows/events/win_event.h"

static void expect_code(const char *msg, int64_t want)
{
	int64_t code = -1;
	if (!kbf_winevt_message_code(msg, strlen(msg), &code))
		fail_msg("no code found in \"%s\"", msg);
	if (code != want)
		fail_msg("\"%s\": code %lld, want %lld", msg, (long long)code, (long long)want);
}

static void expect_no_code(const char *msg)
{
	int64_t code;
	if (kbf_winevt_message_code(msg, strlen(msg), &code))
		fail_msg("\"%s\": found code %lld", msg, (long long)code);
}

static void message_codes(void **state)
{
	(void)state;
	/* The KB articles' messages (Q271275, Q214864, Q224447, Q193928, Q222553). */
	expect_code("Accept clients on POP3 interface failed in function HrRegisterProtocol with\nerror 0x2740.", 10048);
	expect_code("Accept clients on IMAP4 interface failed in function HrRegisterProtocol with error 0x2741.", 10049);
	expect_code("Accept clients on external interface POP3 failed with error 0x80004005.", 0x80004005u);
	expect_code("Register LDAP SSL protocol failed with error 10049. The LDAP SSL server is not "
		    "available. Make sure port number 636 is not used by another application.", 10049);
	expect_code("Register LDAP protocol failed with error code 10048. If port number 389 is used", 10048);
	expect_code("The following error occurred while trying to bind the TCP/IP listener socket (10050)", 10050);
	expect_code("The following error occurred while trying to bind the TCP/IP listener socket.\n10048", 10048);
	/* Shapes of the word and its filler. */
	expect_code("Socket Error: 10061, Error Number: 0x800CCC0E", 10061);
	expect_code("ErrorCode: 0x2740", 10048);
	expect_code("Error 2140: An Internal Windows NT error", 2140);
	expect_code("bind failed, error = -2147467259", 0x80004005u);
	expect_code("the error was 10048.", 10048);
	expect_code("Error Number: 0x800ccc92", 0x800CCC92u);
	/* Several codes: the first after the word error. */
	expect_code("port 110 (0x6e) failed with error 0x2740 (10048)", 10048);
	expect_code("error 0x2741 (WSAEADDRNOTAVAIL), previously error 10048", 10049);
	/* Not the word error, or no code after it: the parenthesised one. */
	expect_code("2 errors logged (0x80004005)", 0x80004005u);
	expect_code("An error occurred. The service failed (0x80070005).", 0x80070005u);
	expect_no_code("This error could be caused if the system stopped responding.");
	expect_no_code("Logon ID: 0x3E7, Status: 0xC000006D");
	expect_no_code("error 10048abc");
	expect_no_code("port 389\n100\n");
	/* "rc" and "return code" as words. */
	expect_code("imapd: bind of the listener for port 143 failed, rc = 10048", 10048);
	expect_code("bind() rc=0x2740", 10048);
	expect_code("Return Code: 10049", 10049);
	expect_no_code("src = 10048, dst = 10049");
	expect_no_code("RC4 10048");
	/* A Winsock error ending the message: a CSV export joins the line it
	 * stood on after ". "; hex after a colon. */
	expect_code("could not bind a listening socket for port 23. 10048", 10048);
	expect_code("The SMTP listener could not bind to 0.0.0.0:25: 0x2740.", 10048);
	expect_no_code("Listening on port 10048.");
	expect_no_code("Records processed: 10050");
	expect_no_code("Completed in place.");
	/* A number followed by a unit is a quantity. */
	expect_no_code("The bind cache was truncated: read error 10048 bytes short of its size.");
	expect_no_code("bind() rc = 10048 ms");
	expect_code("read error 10048 bytes short; bind error 10049", 10049);
	expect_no_code("");
	/* The word is looked for eight bytes at a time: at every place in and
	 * across those eight, in any case, and not inside a longer word. */
	for (int at = 0; at < 20; at++) {
		char msg[64];
		snprintf(msg, sizeof(msg), "%.*s ErRoR 10048", at, "abcdefghijklmnopqrst");
		expect_code(msg, 10048);
		snprintf(msg, sizeof(msg), "%.*sterror 10048", at, "abcdefghijklmnopqrst");
		expect_no_code(msg);
	}
}

static void data_codes(void **state)
{
	(void)state;
	int64_t c = 0;
	assert_true(kbf_winevt_dword_code(0x2740, &c));
	assert_int_equal(c, 10048);
	assert_true(kbf_winevt_dword_code(0x80004005u, &c));
	assert_int_equal(c, 0x80004005u);
	assert_false(kbf_winevt_dword_code(0x00760045, &c)); /* "Ev" in UTF-16 */
	assert_false(kbf_winevt_dword_code(0x6E657645, &c)); /* "Even" */
	assert_false(kbf_winevt_dword_code(0, &c));

	assert_true(kbf_winevt_data_value_code("ErrorCode", 9, "10048", 5, &c));
	assert_int_equal(c, 10048);
	assert_true(kbf_winevt_data_value_code("SubStatus", 9, "0xc0000064", 10, &c));
	assert_int_equal(c, 0xC0000064u);
	assert_true(kbf_winevt_data_value_code("param3", 6, "0x2740", 6, &c));
	assert_int_equal(c, 10048);
	assert_true(kbf_winevt_data_value_code("", 0, "0x80004005", 10, &c));
	assert_false(kbf_winevt_data_value_code("", 0, "636", 3, &c));
	assert_false(kbf_winevt_data_value_code("SubjectLogonId", 14, "0x3e7", 5, &c));
	assert_false(kbf_winevt_data_value_code("Status", 6, "0x0", 3, &c));
	assert_false(kbf_winevt_data_value_code("param1", 6, "stopped", 7, &c));
}

static void levels(void **state)
{
	(void)state;
	assert_string_equal(kbf_winevt_level("Error", 5), "error");
	assert_string_equal(kbf_winevt_level(" Success Audit", 14), "audit success");
	assert_string_equal(kbf_winevt_level("Audit Failure", 13), "audit failure");
	assert_string_equal(kbf_winevt_level("FAILURE AUDIT", 13), "audit failure");
	assert_string_equal(kbf_winevt_level("Informational", 13), "information");
	assert_null(kbf_winevt_level("Fehler", 6));
	assert_string_equal(kbf_winevt_level_number(0), "information");
	assert_string_equal(kbf_winevt_level_number(1), "critical");
	assert_string_equal(kbf_winevt_level_number(2), "error");
	assert_string_equal(kbf_winevt_level_number(3), "warning");
	assert_string_equal(kbf_winevt_level_number(4), "information");
	assert_null(kbf_winevt_level_number(16));
}

static void local_time(const struct kbf_winevt_dates *d, const char *date, const char *time, const char *want)
{
	struct kbf_wtext_buf out = {0};
	kbf_winevt_local_time(d, date, strlen(date), time, strlen(time), &out);
	assert_string_equal(out.s, want);
	kbf_wtext_buf_free(&out);
}

static void times(void **state)
{
	(void)state;
	struct kbf_winevt_dates us = {0}, gb = {0}, none = {0}, mixed = {0};
	kbf_winevt_date_hint(&us, "6/13/2001", 9, "10:15:22 AM", 11);
	kbf_winevt_date_hint(&gb, "13/06/2001", 10, "10:15:22", 8);
	kbf_winevt_date_hint(&mixed, "13/06/2001", 10, "", 0);
	kbf_winevt_date_hint(&mixed, "06/13/2001", 10, "", 0);
	local_time(&us, "6/7/2001", "6:02:11 PM", "2001-06-07T18:02:11");
	local_time(&us, "6/13/01", "12:05 AM", "2001-06-13T00:05:00");
	local_time(&gb, "7/6/2001", "23:59:59", "2001-06-07T23:59:59");
	local_time(&none, "13.06.2001", "10:15:22", "2001-06-13T10:15:22");
	local_time(&none, "2001-06-13", "10:15:22", "2001-06-13T10:15:22");
	local_time(&none, "\xE2\x80\x8E" "2001-06-13", "", "2001-06-13");
	local_time(&none, "06/07/2001", "10:00:00", "06/07/2001 10:00:00"); /* d/m or m/d: unknown */
	local_time(&none, "06/06/2001", "10:00:00", "2001-06-06T10:00:00");
	/* the first date that can be read one way only decides; a later one of
	 * the other order is no date in it */
	local_time(&mixed, "13/06/2001", "10:00", "2001-06-13T10:00:00");
	local_time(&mixed, "06/13/2001", "10:00", "06/13/2001 10:00");
	local_time(&us, "6/13/2001", "25:00:00", "6/13/2001 25:00:00");
	local_time(&us, "Tuesday, June 13, 2001", "10:15", "Tuesday, June 13, 2001 10:15");

	struct kbf_wtext_buf out = {0};
	kbf_winevt_utc_time("2013-08-22T14:51:44.205667300Z", 30, &out);
	assert_string_equal(out.s, "2013-08-22T14:51:44Z");
	kbf_winevt_utc_time("2013-08-22T14:51:44Z", 20, &out);
	assert_string_equal(out.s, "2013-08-22T14:51:44Z");
	kbf_winevt_utc_time("2013-08-22 14:51:44", 19, &out);
	assert_string_equal(out.s, "2013-08-22 14:51:44");
	kbf_wtext_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(message_codes),
		cmocka_unit_test(data_codes),
		cmocka_unit_test(levels),
		cmocka_unit_test(times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
