/*
 * test_win_winmsd.c — the NT 4.0 winmsd report importer: an Exchange 5.5
 * server on SP4, a workstation without service pack whose report lost its
 * title (Windows-1252 text), recognition, and a malformed version line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

static void server_sp4(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_winmsd_importer, "winmsd/exch01-winmsd.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "host"), 1);
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_str(&im, f, "name", "EXCH01");
	check_str(&im, f, "os_family", "windows");
	check_str(&im, f, "os_name", "Microsoft Windows NT Server");
	check_str(&im, f, "os_version", "4.0");
	check_int(&im, f, "build", 1381);
	check_int(&im, f, "service_pack", 4);
	check_str(&im, f, "arch", "x86");
	check_str(&im, f, "domain", "CONTOSO");
	check_nil(&im, f, "role"); /* NT Server: PDC, BDC or member is not in the report */
	check_line(f, 1);
	assert_string_equal(f->prov.text, "Microsoft Diagnostics Report For \\\\EXCH01 | "
					  "Microsoft (R) Windows NT (TM) Server | "
					  "Version 4.0 (Build 1381: Service Pack 4) x86 Uniprocessor Free");
	assert_int_equal(im.in.nfacts, 1);
	harness_close(&im);
}

static void workstation_no_sp(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_winmsd_importer, "winmsd/ntw-nosp-winmsd.txt");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "windows-1252");
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_nil(&im, f, "name");
	check_str(&im, f, "os_name", "Microsoft Windows NT Workstation");
	check_str(&im, f, "os_version", "4.0");
	check_int(&im, f, "build", 1381);
	check_int(&im, f, "service_pack", 0);
	check_str(&im, f, "role", "workstation");
	check_str(&im, f, "domain", "ARBEITSGRUPPE");
	check_line(f, 4); /* no title: the version line */
	harness_close(&im);
}

static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_winmsd_importer, "winmsd/bad-winmsd.txt");
	check_skip(&im, 0, 7, "(Build: Service Pack 6)");
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_str(&im, f, "name", "NT4SRV");
	check_str(&im, f, "os_name", "Microsoft Windows NT Server");
	check_nil(&im, f, "os_version");
	check_nil(&im, f, "service_pack");
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("winmsd/exch01-winmsd.txt"), "winmsd");
	assert_string_equal(recognised_format("winmsd/ntw-nosp-winmsd.txt"), "winmsd");
	assert_int_equal(probe_fixture(&kbf_win_winmsd_importer, "systeminfo/win7-systeminfo.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_importer, "winmsd/exch01-winmsd.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_netstat_an_importer, "winmsd/exch01-winmsd.txt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_sp4),
		cmocka_unit_test(workstation_no_sp),
		cmocka_unit_test(malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
