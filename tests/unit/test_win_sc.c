/*
 * test_win_sc.c — the sc importer: a `sc queryex state= all` listing
 * (stopped with 1077, start pending, service-specific exit code, kernel
 * driver, per-user service instance), plain `sc query` without PID with
 * an error message after it, `sc qc`, recognition, malformed values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

static const struct kb_fact *check_service(const struct harness *im, size_t i, const char *name,
					   const char *state, const char *type, int line)
{
	const struct kb_fact *f = nth_fact(im, "service", i);
	check_str(im, f, "name", name);
	check_str(im, f, "state", state);
	check_str(im, f, "type", type);
	check_line(f, line);
	return f;
}

static void queryex_all(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_sc_importer, "sc/sc-queryex-all.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "service"), 6);
	const struct kb_fact *f = check_service(&im, 0, "Alerter", "stopped", "win32_share_process", 2);
	check_str(&im, f, "display_name", "Alerter");
	check_int(&im, f, "exit_code", 1077);
	check_nil(&im, f, "pid"); /* PID 0: not running */
	f = check_service(&im, 1, "Dnscache", "running", "win32_share_process", 14);
	check_str(&im, f, "display_name", "DNS Client");
	check_int(&im, f, "pid", 1432);
	check_int(&im, f, "exit_code", 0);
	f = check_service(&im, 2, "MSExchangeIS", "start_pending", "win32_own_process", 26);
	check_int(&im, f, "pid", 2296);
	f = check_service(&im, 3, "POP3Svc", "stopped", "win32_own_process", 38);
	check_int(&im, f, "exit_code", 1066);
	f = check_service(&im, 4, "Tcpip", "running", "kernel_driver", 50);
	check_nil(&im, f, "pid");
	f = check_service(&im, 5, "CDPUserSvc_46a8de2e", "running", "user_share_process instance", 62);
	check_int(&im, f, "pid", 17684);
	assert_non_null(strstr(f->prov.text, "SERVICE_NAME: CDPUserSvc_46a8de2e; DISPLAY_NAME: "));
	assert_non_null(strstr(f->prov.text, "; STATE: 4  RUNNING; "));
	harness_close(&im);
}

static void query_and_qc(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_sc_importer, "sc/sc-query-dns.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "service"), 1);
	const struct kb_fact *f = check_service(&im, 0, "dns", "running", "win32_own_process", 2);
	check_nil(&im, f, "display_name");
	check_nil(&im, f, "pid");
	check_int(&im, f, "exit_code", 0);
	harness_close(&im);

	import_fixture(&im, &kbf_win_sc_importer, "sc/sc-qc-dns.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "service"), 1);
	f = nth_fact(&im, "service", 0);
	check_str(&im, f, "name", "dns");
	check_str(&im, f, "display_name", "DNS Server");
	check_str(&im, f, "start_type", "auto_start");
	check_str(&im, f, "image", "C:\\WINDOWS\\System32\\dns.exe");
	check_str(&im, f, "type", "win32_own_process");
	check_nil(&im, f, "state");
	check_nil(&im, f, "exit_code");
	check_line(f, 3);
	harness_close(&im);
}

static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_sc_importer, "sc/bad-sc.txt");
	check_skip(&im, 0, 17, "STATE value 'RUNNING'");
	assert_int_equal(count_facts(&im, "service"), 3);
	check_service(&im, 0, "Alerter", "stopped", "win32_share_process", 2);
	const struct kb_fact *f = nth_fact(&im, "service", 1);
	check_str(&im, f, "name", "Browser");
	check_nil(&im, f, "state");
	check_nil(&im, f, "pid");
	f = check_service(&im, 2, "Spooler", "running", "win32_own_process (interactive)", 26);
	check_int(&im, f, "pid", 2440);
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("sc/sc-queryex-all.txt"), "sc-query");
	assert_string_equal(recognised_format("sc/sc-query-dns.txt"), "sc-query");
	assert_string_equal(recognised_format("sc/sc-qc-dns.txt"), "sc-query");
	assert_int_equal(probe_fixture(&kbf_win_sc_importer, "netstat/win10-netstat-abno.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_sc_importer, "tasklist/win10-tasklist-svc-utf16.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_tasklist_importer, "sc/sc-queryex-all.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_netstat_ano_importer, "sc/sc-queryex-all.txt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queryex_all),
		cmocka_unit_test(query_and_qc),
		cmocka_unit_test(malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
