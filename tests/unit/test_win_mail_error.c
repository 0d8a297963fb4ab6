/*
 * test_win_mail_error.c — mail-client error text: Outlook Express dialogs
 * as the KB articles and ISPs quote them, Outlook's "Task ... reported
 * error" lines, a Unicode paste, and malformed values.
 */
#include "winevt_test.h"

static const struct kbf_importer *const M = &kbf_mail_error_importer;

static void outlook_express_variants(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, M, "mail-client-error/outlook-express.txt");
	assert_ok(&r);
	assert_int_equal(r.score, 85);
	assert_int_equal(r.in.nfacts, 8);

	const struct kb_fact *f = at(&r, "client_error", 3); /* Q191687, POP3, over three lines */
	assert_unset(&r, f, "client");
	assert_str_slot(&r, f, "account", "pop.example.com");
	assert_str_slot(&r, f, "server", "pop.example.com");
	assert_str_slot(&r, f, "protocol", "POP3");
	assert_int_slot(&r, f, "port", 110);
	assert_bool_slot(&r, f, "ssl", false);
	assert_int_slot(&r, f, "error_number", 0x800CCC0Eu);
	assert_unset(&r, f, "server_error");
	assert_str_slot(&r, f, "message", "The connection to the server has failed. Account: 'pop.example.com', "
		"Server: 'pop.example.com', Protocol: POP3, Port: 110, Secure(SSL): No, Socket Error: 10061, "
		"Error Number: 0x800CCC0E");

	f = at(&r, "client_error", 7); /* Server:'x' and Protocol:SMTP without spaces, NO, lower-case hex */
	assert_str_slot(&r, f, "server", "smtp.example.com");
	assert_str_slot(&r, f, "protocol", "SMTP");
	assert_int_slot(&r, f, "port", 25);
	assert_bool_slot(&r, f, "ssl", false);
	assert_int_slot(&r, f, "error_number", 0x800CCC0Eu);

	f = at(&r, "client_error", 11); /* Q298944: Server Response with commas and colons, Port 110 */
	assert_str_slot(&r, f, "account", "h\xC3\xA9l\xC3\xA8ne on EXCH01");
	assert_str_slot(&r, f, "server", "exch01");
	assert_int_slot(&r, f, "port", 110);
	assert_int_slot(&r, f, "server_error", 0x800CCC90u);
	assert_int_slot(&r, f, "error_number", 0x800CCC92u);

	f = at(&r, "client_error", 17); /* Q250926: no comma after the account, "Secure\n(SSL): Yes" */
	assert_str_slot(&r, f, "account", "accountname");
	assert_str_slot(&r, f, "server", "exch01.contoso.com");
	assert_int_slot(&r, f, "port", 995);
	assert_bool_slot(&r, f, "ssl", true);
	assert_int_slot(&r, f, "error_number", 0x800CCC1Au);

	f = at(&r, "client_error", 21); /* Q278637: "Port 143, Secure (SSL); No" */
	assert_str_slot(&r, f, "protocol", "IMAP");
	assert_int_slot(&r, f, "port", 143);
	assert_bool_slot(&r, f, "ssl", false);
	assert_int_slot(&r, f, "error_number", 0x800CCC0Fu);

	f = at(&r, "client_error", 23); /* in quotes; an SMTP reply as the server error */
	assert_str_slot(&r, f, "account", "Example ISP");
	assert_str_slot(&r, f, "server", "smtp.example.net");
	assert_int_slot(&r, f, "server_error", 553);
	assert_int_slot(&r, f, "error_number", 0x800CCC79u);
	assert_int_equal(strncmp(slot(&r, f, "message").u.s, "The message could not be sent", 29), 0);

	f = at(&r, "client_error", 25);
	assert_str_slot(&r, f, "client", "Outlook");
	assert_str_slot(&r, f, "account", "pop.example.com");
	assert_int_slot(&r, f, "error_number", 0x800CCC0Eu);
	assert_unset(&r, f, "protocol");
	assert_unset(&r, f, "port");

	f = at(&r, "client_error", 26);
	assert_str_slot(&r, f, "account", "Hotmail");
	assert_int_slot(&r, f, "error_number", 0x800CCC3Cu);
	assert_str_slot(&r, f, "message", "Task 'Hotmail - Sending' reported error (0x800CCC3C) : "
		"'The server reported an error.The server responded 'Precondition Failed'. '");
	run_free(&r);
}

static void unicode_paste(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, M, "mail-client-error/outlook-express-utf16.txt");
	assert_ok(&r);
	assert_string_equal(r.t.encoding, "utf-16le");
	assert_int_equal(r.in.nfacts, 1);
	const struct kb_fact *f = at(&r, "client_error", 1);
	assert_str_slot(&r, f, "client", "Outlook Express");
	assert_str_slot(&r, f, "protocol", "POP3");
	assert_int_slot(&r, f, "port", 110);
	assert_int_slot(&r, f, "error_number", 0x800CCC0Fu);
	run_free(&r);
}

static void malformed_values(void **state)
{
	(void)state;
	struct run r;
	run_fixture(&r, M, "mail-client-error/bad-port.txt");
	assert_error_at(&r, "bad-port.txt:3", "Port '2S' is not a port number");
	assert_int_equal(r.in.nfacts, 3); /* the rest of each message is kept */
	assert_int_slot(&r, at(&r, "client_error", 1), "port", 110);
	const struct kb_fact *f = at(&r, "client_error", 3);
	assert_unset(&r, f, "port");
	assert_int_slot(&r, f, "error_number", 0x800CCC0Eu);
	f = at(&r, "client_error", 5);
	assert_int_slot(&r, f, "port", 143);
	assert_unset(&r, f, "error_number"); /* 0x800CCCZE */
	run_free(&r);
}

static void unquoted_and_back_to_back(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, M, "Windows Mail: Account: pop.example.com, Server: pop.example.com, Protocol: POP3, "
		"Port: 110, Secure(SSL): No, Error Number: 0x800CCC0E\n"
		"Account: 'Hotmail', Server: 'http://services.msn.com/svcs/hotmail/httpmail.asp', "
		"Protocol: HTTPMail, Port: 0, Secure(SSL): No, Error Number: 0x8004");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 2);
	const struct kb_fact *f = at(&r, "client_error", 1);
	assert_str_slot(&r, f, "client", "Windows Mail");
	assert_str_slot(&r, f, "account", "pop.example.com");
	assert_str_slot(&r, f, "server", "pop.example.com");
	f = at(&r, "client_error", 2);
	assert_str_slot(&r, f, "protocol", "HTTP");
	assert_str_slot(&r, f, "server", "http://services.msn.com/svcs/hotmail/httpmail.asp");
	assert_int_slot(&r, f, "port", 0);
	assert_int_slot(&r, f, "error_number", 0x8004);
	run_free(&r);

	run_str(&r, M, "I tried again and got nothing useful.\n\nProtocol: POP3 only.\n");
	assert_ok(&r);
	assert_int_equal(r.in.nfacts, 0);
	run_free(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	assert_ptr_equal(picked("mail-client-error/outlook-express.txt"), M);
	assert_ptr_equal(picked("mail-client-error/outlook-express-utf16.txt"), M);
	struct run r;
	run_fixture(&r, M, "eventlog-text/nt4-properties.txt");
	assert_int_equal(r.score, 0);
	run_free(&r);
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
