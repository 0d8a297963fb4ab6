/*
 * test_win_systeminfo.c — the systeminfo importers: list form on Windows
 * 7, Server 2003 (a domain controller, trademark signs in the OS name) and
 * 2012 R2 (UTF-16 from PowerShell, "N/A" service pack), truncated lists,
 * network cards with and without addresses; /fo csv with and without
 * header; recognition; malformed versions and addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

static const struct kb_fact *check_host(const struct harness *im, const char *name, const char *os,
					const char *version, int64_t build, int64_t sp, int line)
{
	assert_int_equal(count_facts(im, "host"), 1);
	const struct kb_fact *f = nth_fact(im, "host", 0);
	check_str(im, f, "name", name);
	check_str(im, f, "os_family", "windows");
	check_str(im, f, "os_name", os);
	check_str(im, f, "os_version", version);
	check_int(im, f, "build", build);
	check_int(im, f, "service_pack", sp);
	check_line(f, line);
	return f;
}

static void check_address(const struct harness *im, size_t i, const char *iface, const char *family,
			  const char *addr, int line)
{
	const struct kb_fact *f = nth_fact(im, "address", i);
	check_str(im, f, "interface", iface);
	check_str(im, f, "family", family);
	check_str(im, f, "address", addr);
	check_nil(im, f, "prefix");
	check_line(f, line);
}

static void win7_list(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/win7-systeminfo.txt");
	assert_int_equal(im.rc, 0);
	const struct kb_fact *f = check_host(&im, "WS-PAYROLL7", "Microsoft Windows 7 Professional",
					     "6.1.7601", 7601, 1, 2);
	check_str(&im, f, "role", "workstation");
	check_str(&im, f, "domain", "corp.contoso.com");
	check_str(&im, f, "arch", "x64");
	assert_non_null(strstr(f->prov.text, "OS Version: 6.1.7601 Service Pack 1 Build 7601"));
	/* the DHCP server is not one of the host's addresses; the disconnected card has none */
	assert_int_equal(count_facts(&im, "address"), 3);
	check_address(&im, 0, "Local Area Connection", "ipv4", "10.20.4.117", 44);
	check_address(&im, 1, "Local Area Connection", "ipv6", "fe80::b1c5:2a04:93d1:6e0f", 45);
	check_address(&im, 2, "Local Area Connection 2", "ipv4", "172.30.8.41", 53);
	assert_string_equal(nth_fact(&im, "address", 2)->prov.text,
			    "                                 [01]: 172.30.8.41");
	harness_close(&im);
}

static void win2003_domain_controller(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/win2003-dc-systeminfo.txt");
	assert_int_equal(im.rc, 0);
	const struct kb_fact *f = check_host(&im, "DC01", "Microsoft Windows Server 2003, Standard Edition",
					     "5.2.3790", 3790, 2, 2);
	check_str(&im, f, "role", "domain controller");
	check_str(&im, f, "domain", "contoso.local");
	check_str(&im, f, "arch", "x86");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Local Area Connection", "ipv4", "10.0.0.10", 28);
	check_address(&im, 1, "Local Area Connection", "ipv4", "10.0.0.11", 29);
	harness_close(&im);
}

static void win2012r2_utf16(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/win2012r2-systeminfo-utf16.txt");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "utf-16le");
	const struct kb_fact *f = check_host(&im, "EXCH2013", "Microsoft Windows Server 2012 R2 Standard",
					     "6.3.9600", 9600, 0, 2);
	check_str(&im, f, "role", "member server");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet 2", "ipv4", "172.16.32.10", 15);
	check_address(&im, 1, "Ethernet 2", "ipv6", "fe80::5d2c:9e0:7a11:3c4b", 16);
	harness_close(&im);
}

static void csv_with_header(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_csv_importer, "systeminfo/systeminfo.csv");
	assert_int_equal(im.rc, 0);
	const struct kb_fact *f = check_host(&im, "WINDOWS8-VM", "Microsoft Windows 8.1 Pro", "6.3.9600",
					     9600, 0, 2);
	check_str(&im, f, "role", "workstation");
	check_str(&im, f, "domain", "WORKGROUP");
	check_str(&im, f, "arch", "x64");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet", "ipv4", "10.0.2.15", 2);
	check_address(&im, 1, "Ethernet", "ipv6", "fe80::29e6:798b:32f9:bb26", 2);
	assert_string_equal(nth_fact(&im, "address", 0)->prov.text, "[01]: 10.0.2.15");
	harness_close(&im);
}

static void csv_without_header(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_csv_importer, "systeminfo/systeminfo-nh.csv");
	assert_int_equal(im.rc, 0);
	const struct kb_fact *f = check_host(&im, "XPCLIENT", "Microsoft Windows XP Professional",
					     "5.1.2600", 2600, 3, 2);
	check_str(&im, f, "role", "workstation");
	check_str(&im, f, "domain", "CONTOSO");
	check_str(&im, f, "arch", "x86");
	assert_int_equal(count_facts(&im, "address"), 1);
	check_address(&im, 0, "Local Area Connection", "ipv4", "10.20.5.33", 2);
	harness_close(&im);
}

static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/bad-systeminfo.txt");
	check_skip(&im, 0, 4, "'Service Pack 1 Build 7601'");
	/* the host is still known, without a version; good addresses are kept */
	assert_int_equal(count_facts(&im, "host"), 1);
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_str(&im, f, "name", "BROKEN");
	check_str(&im, f, "role", "member server");
	check_nil(&im, f, "os_version");
	check_nil(&im, f, "service_pack");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Team 1", "ipv4", "10.1.2.3", 10);
	check_address(&im, 1, "Team 1", "ipv4", "10.1.2.4", 12);
	harness_close(&im);

	const char *text = "Host Name:                 X\r\n"
			   "OS Version:                6.1.7601 Service Pack 1 Build 7601\r\n"
			   "Network Card(s):           1 NIC(s) Installed.\r\n"
			   "                           [01]: NIC\r\n"
			   "                                 IP address(es)\r\n"
			   "                                 [01]: 10.1.2.345\r\n";
	import_bytes(&im, &kbf_win_systeminfo_importer, "si.txt", text, strlen(text));
	check_skip(&im, 0, 6, "'10.1.2.345' is not an IP address");
	assert_int_equal(count_facts(&im, "host"), 1);
	assert_int_equal(count_facts(&im, "address"), 0);
	harness_close(&im);
}

static void csv_short_row(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_csv_importer, "systeminfo/bad-rows.csv");
	check_skip(&im, 0, 2, "a row of 12 fields under a header of 33");
	check_host(&im, "WINDOWS8-VM2", "Microsoft Windows 8.1 Pro", "6.3.9600", 9600, 0, 3);
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet", "ipv4", "10.0.2.16", 3);
	harness_close(&im);
}

/* A NIC cell whose items lost their indentation still separates cards
 * from addresses. */
static void csv_unindented_nics(void **state)
{
	(void)state;
	const char *row = "\"HOST9\",\"Microsoft Windows Server 2008 R2 Standard\","
			  "\"6.1.7601 Service Pack 1 Build 7601\",\"\",\"Member Server\""
			  ",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"x64-based PC\""
			  ",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\""
			  ",\"\",\"\",\"\",\"CONTOSO\",\"\",\"\",\"2 NIC(s) Installed.,"
			  "[01]: NIC A,Connection Name: Public,IP address(es),[01]: 10.9.9.9,"
			  "[02]: fe80::1,[02]: NIC B,Connection Name: Backup,IP address(es),"
			  "[01]: 10.8.8.8\"\r\n";
	struct harness im = {0};
	import_bytes(&im, &kbf_win_systeminfo_csv_importer, "si.csv", row, strlen(row));
	assert_int_equal(im.rc, 0);
	check_host(&im, "HOST9", "Microsoft Windows Server 2008 R2 Standard", "6.1.7601", 7601, 1, 1);
	check_str(&im, nth_fact(&im, "host", 0), "domain", "CONTOSO");
	assert_int_equal(count_facts(&im, "address"), 3);
	check_address(&im, 0, "Public", "ipv4", "10.9.9.9", 1);
	check_address(&im, 1, "Public", "ipv6", "fe80::1", 1);
	check_address(&im, 2, "Backup", "ipv4", "10.8.8.8", 1);
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("systeminfo/win7-systeminfo.txt"), "systeminfo");
	assert_string_equal(recognised_format("systeminfo/win2003-dc-systeminfo.txt"), "systeminfo");
	assert_string_equal(recognised_format("systeminfo/win2012r2-systeminfo-utf16.txt"), "systeminfo");
	assert_string_equal(recognised_format("systeminfo/systeminfo.csv"), "systeminfo-csv");
	assert_string_equal(recognised_format("systeminfo/systeminfo-nh.csv"), "systeminfo-csv");
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_importer, "tasklist/win7-tasklist.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_csv_importer, "tasklist/tasklist-v.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_win_tasklist_csv_importer, "systeminfo/systeminfo.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_importer, "netstat/not-netstat.txt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(win7_list),
		cmocka_unit_test(win2003_domain_controller),
		cmocka_unit_test(win2012r2_utf16),
		cmocka_unit_test(csv_with_header),
		cmocka_unit_test(csv_without_header),
		cmocka_unit_test(malformed),
		cmocka_unit_test(csv_short_row),
		cmocka_unit_test(csv_unindented_nics),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
