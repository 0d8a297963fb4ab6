/*
 * test_win_tasklist.c — the tasklist importers: the default table, /v
 * (English, and German XP with "2.472 K" and a non-ASCII user name),
 * /svc with wrapped services (UTF-16 from PowerShell), /m, the CSV forms
 * with and without header, recognition, and malformed rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

static const struct kb_fact *check_process(const struct harness *im, size_t i, int64_t pid,
					   const char *name, int line)
{
	const struct kb_fact *f = nth_fact(im, "process", i);
	check_int(im, f, "pid", pid);
	check_str(im, f, "name", name);
	check_line(f, line);
	return f;
}

static void check_service(const struct harness *im, size_t i, const char *name, int64_t pid, int line)
{
	const struct kb_fact *f = nth_fact(im, "service", i);
	check_str(im, f, "name", name);
	check_int(im, f, "pid", pid);
	check_str(im, f, "state", "running");
	check_nil(im, f, "display_name");
	check_line(f, line);
}

static void win7_table(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/win7-tasklist.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 8);
	assert_int_equal(count_facts(&im, "service"), 0);
	const struct kb_fact *f = check_process(&im, 0, 0, "System Idle Process", 4);
	check_str(&im, f, "session", "0");
	check_int(&im, f, "memory_kb", 24);
	check_nil(&im, f, "user");
	f = check_process(&im, 5, 1776, "store.exe", 9);
	check_int(&im, f, "memory_kb", 1214332);
	f = check_process(&im, 6, 2284, "PoProxy.exe", 10); /* empty session name */
	check_str(&im, f, "session", "0");
	check_int(&im, f, "memory_kb", 6180);
	f = check_process(&im, 7, 3112, "explorer.exe", 11);
	check_str(&im, f, "session", "1");
	assert_string_equal(f->prov.text,
			    "explorer.exe                  3112 Console                    1     48,532 K");
	harness_close(&im);
}

static void xp_german_verbose(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/xp-de-tasklist-v-utf8.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 4);
	const struct kb_fact *f = check_process(&im, 0, 0, "System Idle Process", 4);
	check_str(&im, f, "user", "NT-AUTORIT\xc3\x84T\\SYSTEM");
	check_int(&im, f, "memory_kb", 28);
	f = check_process(&im, 1, 632, "winlogon.exe", 5);
	check_int(&im, f, "memory_kb", 2472);
	f = check_process(&im, 2, 1716, "POP3Svc.exe", 6);
	check_int(&im, f, "memory_kb", 12345);
	check_str(&im, f, "user", "MUSTER\\svc-mail");
	check_str(&im, f, "session", "0");
	harness_close(&im);
}

static void win2012_verbose(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/win2012-tasklist-v.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 4);
	check_str(&im, check_process(&im, 0, 0, "System Idle Process", 4), "user", "NT AUTHORITY\\SYSTEM");
	check_nil(&im, check_process(&im, 1, 4, "System", 5), "user"); /* "N/A" */
	const struct kb_fact *f = check_process(&im, 2, 4776, "sqlservr.exe", 6);
	check_str(&im, f, "user", "CONTOSO\\sqlsvc");
	check_int(&im, f, "memory_kb", 253152);
	f = check_process(&im, 3, 5120, "notepad.exe", 7);
	check_str(&im, f, "session", "2");
	check_str(&im, f, "user", "CONTOSO\\jane");
	harness_close(&im);
}

static void svc_wrapped_utf16(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/win10-tasklist-svc-utf16.txt");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "utf-16le");
	assert_int_equal(count_facts(&im, "process"), 8);
	assert_int_equal(count_facts(&im, "service"), 15);
	const struct kb_fact *f = check_process(&im, 3, 804, "svchost.exe", 7);
	check_nil(&im, f, "session");
	check_nil(&im, f, "memory_kb");
	check_service(&im, 0, "BrokerInfrastructure", 804, 7);
	check_service(&im, 2, "PlugPlay", 804, 7);
	check_service(&im, 3, "Power", 804, 8);
	check_service(&im, 4, "SystemEventsBroker", 804, 8);
	check_service(&im, 6, "RpcSs", 1008, 9);
	check_service(&im, 7, "AudioSrv", 1456, 10);
	check_service(&im, 12, "lanmanserver", 1456, 11);
	check_service(&im, 13, "Winmgmt", 1456, 12);
	check_service(&im, 14, "Spooler", 2440, 13);
	check_process(&im, 7, 2284, "PoProxy.exe", 14);
	harness_close(&im);
}

static void modules_are_not_services(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/xp-tasklist-m.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 2);
	assert_int_equal(count_facts(&im, "service"), 0);
	check_process(&im, 1, 632, "winlogon.exe", 5);
	harness_close(&im);
}

static void csv_default(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_csv_importer, "tasklist/tasklist.csv");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 4);
	const struct kb_fact *f = check_process(&im, 3, 2284, "PoProxy.exe", 5);
	check_str(&im, f, "session", "0");
	check_int(&im, f, "memory_kb", 6180);
	check_int(&im, check_process(&im, 1, 4, "System", 3), "memory_kb", 1136);
	harness_close(&im);
}

static void csv_svc_no_header(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_csv_importer, "tasklist/tasklist-svc-nh.csv");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 4);
	assert_int_equal(count_facts(&im, "service"), 7);
	check_process(&im, 0, 0, "System Idle Process", 1);
	check_service(&im, 3, "Power", 804, 2);
	check_service(&im, 5, "RpcSs", 1008, 3);
	check_service(&im, 6, "Spooler", 2440, 4);
	harness_close(&im);
}

static void csv_verbose(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_csv_importer, "tasklist/tasklist-v.csv");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "process"), 2);
	check_nil(&im, check_process(&im, 0, 4, "System", 2), "user");
	const struct kb_fact *f = check_process(&im, 1, 6012, "excel.exe", 3);
	check_str(&im, f, "user", "CONTOSO\\jane");
	check_int(&im, f, "memory_kb", 88412);
	check_str(&im, f, "session", "1");
	harness_close(&im);

	import_fixture(&im, &kbf_win_tasklist_csv_importer, "tasklist/tasklist-v-nh-utf16.csv");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "utf-16le");
	assert_int_equal(count_facts(&im, "process"), 2);
	f = check_process(&im, 1, 1776, "store.exe", 3);
	check_str(&im, f, "user", "CONTOSO\\exadmin");
	check_int(&im, f, "memory_kb", 1214332);
	harness_close(&im);
}

static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_tasklist_importer, "tasklist/bad-pid.txt");
	check_skip(&im, 0, 5, "PID '26x4'");
	assert_int_equal(count_facts(&im, "process"), 2);
	check_process(&im, 0, 4, "System", 4);
	check_process(&im, 1, 352, "csrss.exe", 6);
	harness_close(&im);

	import_fixture(&im, &kbf_win_tasklist_csv_importer, "tasklist/bad-fields.csv");
	check_skip(&im, 0, 3, "4 fields");
	assert_int_equal(count_facts(&im, "process"), 2);
	check_process(&im, 0, 4, "System", 2);
	check_process(&im, 1, 412, "wininit.exe", 5);
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("tasklist/win7-tasklist.txt"), "tasklist");
	assert_string_equal(recognised_format("tasklist/xp-de-tasklist-v-utf8.txt"), "tasklist");
	assert_string_equal(recognised_format("tasklist/win2012-tasklist-v.txt"), "tasklist");
	assert_string_equal(recognised_format("tasklist/win10-tasklist-svc-utf16.txt"), "tasklist");
	assert_string_equal(recognised_format("tasklist/xp-tasklist-m.txt"), "tasklist");
	assert_string_equal(recognised_format("tasklist/tasklist.csv"), "tasklist-csv");
	assert_string_equal(recognised_format("tasklist/tasklist-svc-nh.csv"), "tasklist-csv");
	assert_string_equal(recognised_format("tasklist/tasklist-v.csv"), "tasklist-csv");
	assert_string_equal(recognised_format("tasklist/tasklist-v-nh-utf16.csv"), "tasklist-csv");
	assert_string_equal(recognised_format("tasklist/bad-fields.csv"), "tasklist-csv");
	assert_int_equal(probe_fixture(&kbf_win_tasklist_importer, "tasklist/tasklist.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_win_tasklist_csv_importer, "tasklist/win7-tasklist.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_tasklist_importer, "netstat/win2003-netstat-ano.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_tasklist_csv_importer, "netstat/not-netstat.txt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(win7_table),
		cmocka_unit_test(xp_german_verbose),
		cmocka_unit_test(win2012_verbose),
		cmocka_unit_test(svc_wrapped_utf16),
		cmocka_unit_test(modules_are_not_services),
		cmocka_unit_test(csv_default),
		cmocka_unit_test(csv_svc_no_header),
		cmocka_unit_test(csv_verbose),
		cmocka_unit_test(malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
