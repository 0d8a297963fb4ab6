/*
 * test_win_mail_error.c — mail-client error text: Outlook Express dialogs
 * as the KB articles and ISPs quote them, Outlook's "Task ... reported
 * error" lines, a Unicode paste, and malformed values.
 */
#include "importer_harness.h"

static const struct kbf_importer *const M = &kbf_mail_error_importer;

static void outlook_express_variants(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, M, "mail-client-error/outlook-express.txt");
	check_ok(&r);
	assert_int_equal(r.score, 85);
	assert_int_equal(r.in.nfacts, 8);

	const struct kb_fact *f = fact_at(&r, "client_error", 3); /* Q191687, POP3, over three lines */
	check_nil(&r, f, "client");
	check_str(&r, f, "account", "pop.example.com");
	check_str(&r, f, "server", "pop.example.com");
	check_str(&r, f, "protocol", "POP3");
	check_int(&r, f, "port", 110);
	check_bool(&r, f, "ssl", false);
	check_int(&r, f, "error_number", 0x800CCC0Eu);
	check_nil(&r, f, "server_error");
	check_str(&r, f, "message", "The connection to the server has failed. Account: 'pop.example.com', "
		"Server: 'pop.example.com', Protocol: POP3, Port: 110, Secure(SSL): No, Socket Error: 10061, "
		"Error Number: 0x800CCC0E");

	f = fact_at(&r, "client_error", 7); /* Server:'x' and Protocol:SMTP without spaces, NO, lower-case hex */
	check_str(&r, f, "server", "smtp.example.com");
	check_str(&r, f, "protocol", "SMTP");
	check_int(&r, f, "port", 25);
	check_bool(&r, f, "ssl", false);
	check_int(&r, f, "error_number", 0x800CCC0Eu);

	f = fact_at(&r, "client_error", 11); /* Q298944: Server Response with commas and colons, Port 110 */
	check_str(&r, f, "account", "h\xC3\xA9l\xC3\xA8ne on EXCH01");
	check_str(&r, f, "server", "exch01");
	check_int(&r, f, "port", 110);
	check_int(&r, f, "server_error", 0x800CCC90u);
	check_int(&r, f, "error_number", 0x800CCC92u);

	f = fact_at(&r, "client_error", 17); /* Q250926: no comma after the account, "Secure\n(SSL): Yes" */
	check_str(&r, f, "account", "accountname");
	check_str(&r, f, "server", "exch01.contoso.com");
	check_int(&r, f, "port", 995);
	check_bool(&r, f, "ssl", true);
	check_int(&r, f, "error_number", 0x800CCC1Au);

	f = fact_at(&r, "client_error", 21); /* Q278637: "Port 143, Secure (SSL); No" */
	check_str(&r, f, "protocol", "IMAP");
	check_int(&r, f, "port", 143);
	check_bool(&r, f, "ssl", false);
	check_int(&r, f, "error_number", 0x800CCC0Fu);

	f = fact_at(&r, "client_error", 23); /* in quotes; an SMTP reply as the server error */
	check_str(&r, f, "account", "Example ISP");
	check_str(&r, f, "server", "smtp.example.net");
	check_int(&r, f, "server_error", 553);
	check_int(&r, f, "error_number", 0x800CCC79u);
	assert_int_equal(strncmp(slot_value(&r, f, "message").u.s, "The message could not be sent", 29), 0);

	f = fact_at(&r, "client_error", 25);
	check_str(&r, f, "client", "Outlook");
	check_str(&r, f, "account", "pop.example.com");
	check_int(&r, f, "error_number", 0x800CCC0Eu);
	check_nil(&r, f, "protocol");
	check_nil(&r, f, "port");

	f = fact_at(&r, "client_error", 26);
	check_str(&r, f, "account", "Hotmail");
	check_int(&r, f, "error_number", 0x800CCC3Cu);
	check_str(&r, f, "message", "Task 'Hotmail - Sending' reported error (0x800CCC3C) : "
		"'The server reported an error.The server responded 'Precondition Failed'. '");
	harness_close(&r);
}

static void unicode_paste(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, M, "mail-client-error/outlook-express-utf16.txt");
	check_ok(&r);
	assert_string_equal(r.text.encoding, "utf-16le");
	assert_int_equal(r.in.nfacts, 1);
	const struct kb_fact *f = fact_at(&r, "client_error", 1);
	check_str(&r, f, "client", "Outlook Express");
	check_str(&r, f, "protocol", "POP3");
	check_int(&r, f, "port", 110);
	check_int(&r, f, "error_number", 0x800CCC0Fu);
	harness_close(&r);
}

static void malformed_values(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, M, "mail-client-error/bad-port.txt");
	check_error(&r, "bad-port.txt:3", "Port '2S' is not a port number");
	assert_int_equal(r.in.nfacts, 3); /* the rest of each message is kept */
	check_int(&r, fact_at(&r, "client_error", 1), "port", 110);
	const struct kb_fact *f = fact_at(&r, "client_error", 3);
	check_nil(&r, f, "port");
	check_int(&r, f, "error_number", 0x800CCC0Eu);
	f = fact_at(&r, "client_error", 5);
	check_int(&r, f, "port", 143);
	check_nil(&r, f, "error_number"); /* 0x800CCCZE */
	harness_close(&r);
}

static void unquoted_and_back_to_back(void **state)
{
	(void)state;
	struct harness r = {0};
	import_str(&r, M, "Windows Mail: Account: pop.example.com, Server: pop.example.com, Protocol: POP3, "
		"Port: 110, Secure(SSL): No, Error Number: 0x800CCC0E\n"
		"Account: 'Hotmail', Server: 'http://services.msn.com/svcs/hotmail/httpmail.asp', "
		"Protocol: HTTPMail, Port: 0, Secure(SSL): No, Error Number: 0x8004");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = fact_at(&r, "client_error", 1);
	check_str(&r, f, "client", "Windows Mail");
	check_str(&r, f, "account", "pop.example.com");
	check_str(&r, f, "server", "pop.example.com");
	f = fact_at(&r, "client_error", 2);
	check_str(&r, f, "protocol", "HTTP");
	check_str(&r, f, "server", "http://services.msn.com/svcs/hotmail/httpmail.asp");
	check_int(&r, f, "port", 0);
	check_int(&r, f, "error_number", 0x8004);
	harness_close(&r);

	import_str(&r, M, "I tried again and got nothing useful.\n\nProtocol: POP3 only.\n");
	check_ok(&r);
	assert_int_equal(r.in.nfacts, 0);
	harness_close(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(recognise_fixture("mail-client-error/outlook-express.txt"), M);
	assert_ptr_equal(recognise_fixture("mail-client-error/outlook-express-utf16.txt"), M);
	struct harness r = {0};
	import_fixture(&r, M, "eventlog-text/nt4-properties.txt");
	assert_int_equal(r.score, 0);
	harness_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outlook_express_variants),
		cmocka_unit_test(unicode_paste),
		cmocka_unit_test(malformed_values),
		cmocka_unit_test(unquoted_and_back_to_back),
		cmocka_unit_test(probe_is_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
