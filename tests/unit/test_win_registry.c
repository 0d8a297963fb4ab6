/*
 * test_win_registry.c — the registry importers (facts/windows/registry):
 * `reg query` text of Vista and later and of reg.exe 3.0 (tabs, and tabs
 * turned to spaces as published), .reg exports (UTF-16 "Version 5.00"
 * with control sets by number and Select, REGEDIT4 in Windows-1252 with
 * continuation lines, escapes and deletions), offline hives (real public
 * ones that are not SYSTEM or SOFTWARE, cut short, not a hive), what is
 * kept and what is not, and recognition.  The facts of one set of data
 * in every form are compared in tests/e2e/registry_reference.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "importer_harness.h"

static const struct kb_fact *service(const struct harness *im, const char *name)
{
	const struct kb_fact *f = find_str(im, "service", "name", name);
	if (!f)
		fail_msg("no service %s", name);
	return f;
}

static void check_svc(const struct harness *im, const char *name, const char *display, const char *start,
		      const char *type, const char *image, int line)
{
	const struct kb_fact *f = service(im, name);
	check_str(im, f, "display_name", display);
	check_str(im, f, "start_type", start);
	check_str(im, f, "type", type);
	check_str(im, f, "image", image);
	check_nil(im, f, "state"); /* the registry holds none */
	check_nil(im, f, "pid");
	check_line(f, line);
}

/* The registry_value fact of key\name. */
static const struct kb_fact *setting(const struct harness *im, const char *key, const char *name)
{
	for (size_t i = 0; i < count_facts(im, "registry_value"); i++) {
		const struct kb_fact *f = nth_fact(im, "registry_value", i);
		struct kb_value k = slot_value(im, f, "key"), n = slot_value(im, f, "name");
		if (k.type == KB_STRING && !strcmp(k.u.s, key) && !strcmp(n.u.s, name))
			return f;
	}
	fail_msg("no registry_value %s\\%s", key, name);
	return NULL;
}

#define TCPIP "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters"

static void reg_query_vista(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_reg_query_importer, "registry/reg-query-services.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "service"), 4);
	/* "@dll,-101" display names are resources only Windows can read */
	check_svc(&im, "Dnscache", NULL, "auto_start", "win32_share_process",
		  "%SystemRoot%\\system32\\svchost.exe -k NetworkService -p", 1);
	check_svc(&im, "MSSQLSERVER", "SQL Server (MSSQLSERVER)", "auto_start (delayed)", "win32_own_process",
		  "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER", 32);
	check_svc(&im, "Tcpip", NULL, "boot_start", "kernel_driver", "System32\\drivers\\tcpip.sys", 41);
	const struct kb_fact *f = service(&im, "EventLog");
	assert_non_null(strstr(f->prov.text, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EventLog; "));
	assert_non_null(strstr(f->prov.text, "; Start: 2"));

	/* every named value of Tcpip\Parameters; the default one and the bad number are not */
	assert_int_equal(count_facts(&im, "registry_value"), 6);
	f = setting(&im, TCPIP, "MaxUserPort");
	check_str(&im, f, "type", "REG_DWORD");
	check_str(&im, f, "value", "65534");
	check_int(&im, f, "number", 65534);
	check_prov(f, "reg-query-services.txt", 51, "MaxUserPort    REG_DWORD    0xfffe");
	f = setting(&im, TCPIP, "ReservedPorts");
	check_str(&im, f, "type", "REG_MULTI_SZ");
	check_str(&im, f, "value", "1433-1434");
	check_nil(&im, f, "number");
	check_str(&im, setting(&im, TCPIP, "NV Hostname"), "value", "WEB01");
	assert_int_equal(im.in.nskips, 1);
	check_skip(&im, 0, 55, "BadNumber (REG_DWORD) cannot be read: '0xZZ'");
	assert_int_equal(count_facts(&im, "host"), 0);
	harness_close(&im);
}

static void reg_query_xp(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "registry/reg-query-xp.txt");
	assert_string_equal(im.in.format, "reg-query");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "host"), 1);
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_str(&im, f, "os_family", "windows");
	check_str(&im, f, "os_name", "Microsoft Windows XP");
	check_str(&im, f, "os_version", "5.1.2600"); /* as systeminfo prints it */
	check_int(&im, f, "build", 2600);
	check_int(&im, f, "service_pack", 3);
	check_nil(&im, f, "name");
	check_line(f, 6); /* its first value: CurrentBuild, kept only when CurrentBuildNumber is missing */
	assert_non_null(strstr(f->prov.text, "CSDVersion: Service Pack 3"));
	harness_close(&im);

	/* the same layout as published, its tabs turned into spaces: read, nothing kept */
	import_fixture(&im, NULL, "registry/reg-query-devicepath.txt");
	assert_string_equal(im.in.format, "reg-query");
	check_ok(&im);
	assert_int_equal(im.in.nread, 0);
	assert_int_equal(im.in.nskips, 0);
	harness_close(&im);
}

static void reg_file_unicode(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "registry/system-export.reg");
	assert_string_equal(im.in.format, "reg-file");
	assert_string_equal(im.text.encoding, "utf-16le");
	check_ok(&im);
	/* Select\Current is 1: ControlSet001 is CurrentControlSet, 002's Dnscache is not read */
	assert_int_equal(count_facts(&im, "service"), 5);
	check_svc(&im, "Dnscache", "DNS Client", "auto_start", "win32_share_process",
		  "%SystemRoot%\\system32\\svchost.exe -k NetworkService", 22);
	check_svc(&im, "POP3Svc", "Microsoft Exchange POP3", "disabled", "win32_share_process",
		  "C:\\WINNT\\System32\\inetsrv\\inetinfo.exe", 44);
	check_svc(&im, "PoProxy", "Norton AntiVirus POP3 Proxy", "auto_start", "win32_own_process (interactive)",
		  "\"C:\\Program Files\\Norton AntiVirus\\PoProxy.exe\"", 53);
	check_svc(&im, "Tcpip", "TCP/IP Protocol Driver", "system_start", "kernel_driver",
		  "system32\\DRIVERS\\tcpip.sys", 59);
	const struct kb_fact *f = service(&im, "Dnscache");
	assert_non_null(strstr(f->prov.text, "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Dnscache; "));

	f = nth_fact(&im, "host", 0);
	check_str(&im, f, "name", "EXCH01");
	check_str(&im, f, "role", "domain controller"); /* ProductType LanmanNT */
	check_str(&im, f, "arch", "x86");
	check_nil(&im, f, "os_version"); /* that is the SOFTWARE hive's */

	f = setting(&im, TCPIP, "ReservedPorts");
	check_str(&im, f, "value", "1433-1434\n5000-5001");
	check_line(f, 72);
	check_str(&im, setting(&im, TCPIP, "DhcpClassIdBin"), "value", "0102fe001020");
	f = setting(&im, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIS\\ParametersSystem", "TCP/IP port");
	check_int(&im, f, "number", 6001);
	f = setting(&im, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
		    "PortNumber");
	check_int(&im, f, "number", 3389);
	assert_null(find_str(&im, "registry_value", "name", "Working Directory")); /* not a port */
	assert_null(find_str(&im, "registry_value", "name", "fEnableWinStation"));
	harness_close(&im);

	import_fixture(&im, NULL, "registry/software-export.reg");
	check_ok(&im);
	f = nth_fact(&im, "host", 0);
	check_str(&im, f, "os_name", "Microsoft Windows Server 2003");
	check_str(&im, f, "os_version", "5.2.3790");
	check_int(&im, f, "build", 3790);
	check_int(&im, f, "service_pack", 2);
	f = setting(&im, "HKLM\\SOFTWARE\\Microsoft\\Microsoft SQL Server\\MSSQL.1\\MSSQLServer\\SuperSocketNetLib\\Tcp\\IPAll",
		    "TcpPort");
	check_str(&im, f, "type", "REG_SZ");
	check_int(&im, f, "number", 1433); /* a string of digits */
	check_str(&im, setting(&im, "HKLM\\SOFTWARE\\Microsoft\\Rpc\\Internet", "Ports"), "value", "5000-5100");
	harness_close(&im);
}

static void reg_file_regedit4(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "registry/regedit4-nt4.reg");
	assert_string_equal(im.in.format, "reg-file");
	assert_string_equal(im.text.encoding, "windows-1252");
	assert_int_equal(im.rc, 0);
	const struct kb_fact *f = nth_fact(&im, "host", 0);
	check_str(&im, f, "name", "EXCH01");
	check_str(&im, f, "os_version", "4.0"); /* as winmsd prints it for NT 4.0 */
	check_int(&im, f, "build", 1381);
	check_int(&im, f, "service_pack", 4);
	check_nil(&im, f, "os_name"); /* NT 4.0 has no ProductName */
	/* hex(2) and hex(7) of single ANSI bytes, over continuation lines */
	check_svc(&im, "MSExchangeIS", "Microsoft Exchange Information Store", "auto_start", "win32_own_process",
		  "C:\\exchsrvr\\bin\\store.exe", 15);
	check_svc(&im, "PoProxy", "PoProxy (\xc3\xa9)", "auto_start", "win32_own_process", NULL, 24);
	assert_null(find_str(&im, "service", "name", "Removed")); /* [-KEY] deletes */
	f = setting(&im, TCPIP, "TcpTimedWaitDelay");
	check_int(&im, f, "number", 30);
	assert_int_equal(count_facts(&im, "registry_value"), 1);
	assert_int_equal(im.in.nskips, 2);
	check_skip(&im, 0, 29, "neither a key, a value nor a comment");
	check_skip(&im, 1, 32, "\"MaxUserPort\" cannot be read: 'dword:xyz'");
	harness_close(&im);
}

/* One hive read from memory: len bytes of the fixture (0: all). */
static void import_hive(struct harness *im, const char *rel, size_t len, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", KBDIAG_FIXTURES, rel);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static unsigned char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	import_bytes(im, NULL, name, buf, len && len < n ? len : n);
}

static void hives(void **state)
{
	(void)state;
	struct harness im = {0};
	/* a real hive (plaso's test data) that is neither SYSTEM nor SOFTWARE */
	import_hive(&im, "registry/100_sub_keys.hiv", 0, "NTUSER.DAT");
	assert_string_equal(im.in.format, "registry-hive");
	check_error(&im, "NTUSER.DAT", "neither SYSTEM nor SOFTWARE");
	assert_int_equal(im.in.nread, 0);
	harness_close(&im);

	/* cut short after its header and first page */
	import_hive(&im, "registry/100_sub_keys.hiv", 4096 + 2048, "cut.hiv");
	assert_string_equal(im.in.format, "registry-hive");
	assert_int_equal(im.rc, -1);
	assert_int_equal(im.in.nread, 0);
	harness_close(&im);

	/* the signature and nothing else */
	import_bytes(&im, NULL, "SYSTEM", "regf\0\0\0\0garbage", 15);
	assert_string_equal(im.in.format, "registry-hive");
	check_error(&im, "SYSTEM", "not a readable registry hive");
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("registry/reg-query-services.txt"), "reg-query");
	assert_string_equal(recognised_format("registry/reg-query-xp.txt"), "reg-query");
	assert_string_equal(recognised_format("registry/system-export.reg"), "reg-file");
	assert_string_equal(recognised_format("registry/regedit4-nt4.reg"), "reg-file");
	assert_string_equal(recognised_format("registry/100_sub_keys.hiv"), "registry-hive");
	assert_int_equal(probe_fixture(&kbf_reg_query_importer, "registry/system-export.reg"), 0);
	assert_int_equal(probe_fixture(&kbf_reg_file_importer, "registry/reg-query-services.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_reg_query_importer, "sc/sc-queryex-all.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_reg_query_importer, "systeminfo/win7-systeminfo.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_reg_hive_importer, "evtx/issue_201.evtx"), 0);
	assert_int_equal(probe_fixture(&kbf_win_sc_importer, "registry/reg-query-services.txt"), 0);
	/* a key alone is not enough to be sure */
	assert_int_equal(probe_bytes(&kbf_reg_query_importer, "HKEY_LOCAL_MACHINE\\SOFTWARE\\A\r\n", 31), 0);
}

/* A file naming several control sets and no Select: nothing of them is
 * read, and the input says why. */
static void control_sets(void **state)
{
	(void)state;
	struct harness im = {0};
	import_str(&im, &kbf_reg_query_importer,
		   "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\A\r\n"
		   "    Type    REG_DWORD    0x10\r\n\r\n"
		   "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\A\r\n"
		   "    Type    REG_DWORD    0x20\r\n");
	assert_int_equal(count_facts(&im, "service"), 0);
	assert_int_equal(im.in.nskips, 1);
	assert_non_null(strstr(im.in.skips[0].reason, "2 control sets and no Select\\Current"));
	harness_close(&im);

	/* Select names a control set the file does not hold */
	import_str(&im, &kbf_reg_query_importer,
		   "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\A\r\n"
		   "    Type    REG_DWORD    0x10\r\n\r\n"
		   "HKEY_LOCAL_MACHINE\\SYSTEM\\Select\r\n"
		   "    Current    REG_DWORD    0x2\r\n");
	assert_int_equal(count_facts(&im, "service"), 0);
	assert_int_equal(im.in.nskips, 1);
	assert_non_null(strstr(im.in.skips[0].reason, "names ControlSet002, which the file does not hold"));
	harness_close(&im);

	/* one control set by number: it is the one */
	import_str(&im, &kbf_reg_query_importer,
		   "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet003\\Services\\A\r\n"
		   "    Type    REG_DWORD    0x10\r\n    Start    REG_DWORD    0x3\r\n");
	check_ok(&im);
	const struct kb_fact *f = service(&im, "A");
	check_str(&im, f, "start_type", "demand_start");
	check_line(f, 1);
	harness_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reg_query_vista), cmocka_unit_test(reg_query_xp),
		cmocka_unit_test(reg_file_unicode), cmocka_unit_test(reg_file_regedit4),
		cmocka_unit_test(hives), cmocka_unit_test(recognition),
		cmocka_unit_test(control_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
