/*
 * test_win_hotfix.c — hotfix facts from every listing that gives them:
 * systeminfo's "Hotfix(s):" list (jc's Windows 10 output, wesng's XP one
 * with "File 1" and "KB893803v2 - Update", /fo csv); wmic qfe tables on
 * wesng's real files (Windows 10 in UTF-16, XP with "Please wait while
 * WMIC is being installed." in front, in ANSI before UTF-16, Vista with
 * FILETIME dates); wmic's list and CSV forms; Get-HotFix as a table, a
 * German Format-List, Export-Csv with and without #TYPE, ConvertTo-Json
 * from Windows PowerShell 5.1 and PowerShell 7, read by the PowerShell
 * importers; ids and dates; bad input; recognition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "importer_harness.h"

#define SYSTEM "NT AUTHORITY\\SYSTEM"

/* The i-th hotfix; on and by NULL: unset. */
static const struct kb_fact *check_hotfix(const struct harness *im, size_t i, const char *id, const char *on,
					  const char *desc, const char *by, const char *host, int line)
{
	const struct kb_fact *f = nth_fact(im, "hotfix", i);
	check_str(im, f, "id", id);
	check_str(im, f, "installed_on", on);
	check_str(im, f, "description", desc);
	check_str(im, f, "installed_by", by);
	check_str(im, f, "host", host);
	check_line(f, line);
	return f;
}

/* ---- systeminfo ----------------------------------------------------------------- */

static void systeminfo_list(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/jc-windows-10-systeminfo.out");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 6);
	check_hotfix(&im, 0, "KB4578968", NULL, NULL, NULL, "DESKTOP-WIN01", 33);
	check_hotfix(&im, 5, "KB4594440", NULL, NULL, NULL, "DESKTOP-WIN01", 38);
	check_prov(nth_fact(&im, "hotfix", 0), "jc-windows-10-systeminfo.out", 33,
		   "                           [01]: KB4578968");
	/* the host and its address are read as before */
	assert_int_equal(count_facts(&im, "host"), 1);
	assert_int_equal(count_facts(&im, "address"), 2);
	harness_close(&im);

	/* XP: "File 1" has no id; "KB893803v2 - Update" is id and description */
	import_fixture(&im, &kbf_win_systeminfo_importer,
		       "systeminfo/wesng-xp_rtm_x86_professional_en-us_systeminfo.txt");
	check_ok(&im);
	assert_int_equal(im.in.nskips, 0);
	assert_int_equal(count_facts(&im, "hotfix"), 2);
	check_hotfix(&im, 0, "Q147222", NULL, NULL, NULL, "WINXPSP0", 35);
	check_hotfix(&im, 1, "KB893803V2", NULL, "Update", NULL, "WINXPSP0", 36);
	harness_close(&im);

	/* a list cut short ends in a bare "[246]" */
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/win7-systeminfo.txt");
	check_ok(&im);
	assert_non_null(find_str(&im, "hotfix", "id", "KB2849697"));
	harness_close(&im);
}

static void systeminfo_csv(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_csv_importer, "systeminfo/systeminfo.csv");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	const struct kb_fact *host = nth_fact(&im, "host", 0);
	const char *name = slot_value(&im, host, "name").u.s;
	check_hotfix(&im, 0, "KB2919355", NULL, NULL, NULL, name, 2);
	check_hotfix(&im, 2, "KB2937220", NULL, NULL, NULL, name, 2);
	harness_close(&im);

	/* /nh: the column found by its place in the English order */
	import_fixture(&im, &kbf_win_systeminfo_csv_importer, "systeminfo/systeminfo-nh.csv");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 1);
	check_hotfix(&im, 0, "KB958644", NULL, NULL, NULL, "XPCLIENT", 2);
	harness_close(&im);
}

/* ---- wmic qfe ------------------------------------------------------------------- */

static void wmic_table(void **state)
{
	(void)state;
	struct harness im = {0};
	/* Windows 10 1809, UTF-16 as cmd redirects it; no Caption or CSName column */
	import_fixture(&im, &kbf_win_wmic_qfe_importer, "hotfix/wesng-10_1809_x64_pro_en-us_20190307_qfe.txt");
	check_ok(&im);
	assert_string_equal(im.text.encoding, "utf-16le");
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	check_hotfix(&im, 0, "KB4486553", "2019-03-07", "Update", "NT AUTHORITY\\SYSTEM", NULL, 2);
	check_hotfix(&im, 1, "KB4470788", "2019-03-01", "Security Update", "NT AUTHORITY\\SYSTEM", NULL, 3);
	harness_close(&im);

	/* XP on wmic's first run: the notice before the header; "File 1"
	 * rows whose KB stands under ServicePackInEffect */
	import_fixture(&im, &kbf_win_wmic_qfe_importer, "hotfix/wesng-xp_rtm_x86_professional_en-us_qfe.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	check_hotfix(&im, 0, "KB893803V2", NULL, NULL, NULL, "WINXPSP0", 2);
	check_hotfix(&im, 1, "Q147222", NULL, NULL, NULL, "WINXPSP0", 3);
	check_hotfix(&im, 2, "KB893803V2", NULL, "Windows Installer 3.1 (KB893803)", "User", "WINXPSP0", 4);
	harness_close(&im);

	/* the notice in ANSI, the table after it in UTF-16 */
	import_fixture(&im, &kbf_win_wmic_qfe_importer, "hotfix/wesng-xp_sp2_x86_qfe.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 1);
	check_hotfix(&im, 0, "Q147222", NULL, NULL, NULL, "WINXPSP2", 2);
	harness_close(&im);

	/* Vista: InstalledOn a FILETIME in hex (or YYYYMMDD), a GUID and a bare number as ids */
	import_fixture(&im, &kbf_win_wmic_qfe_importer, "hotfix/wesng-vista_x64_sp1_qfe-head.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	check_hotfix(&im, 0, "{7A068575-C5DB-43D9-BE20-3895D0C69B17}", "2019-03-21", NULL, NULL, "WINVISTASP0X64", 2);
	check_hotfix(&im, 1, "KB937286", "2019-03-21", "Update", "S-1-5-21-3852966460-2797540039-3896755045-1000",
		     "WINVISTASP0X64", 3);
	check_hotfix(&im, 3, "943729", "2019-03-21", "Update", "S-1-5-21-3852966460-2797540039-3896755045-1000",
		     "WINVISTASP0X64", 5);
	harness_close(&im);
}

static void wmic_list_and_csv(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_wmic_qfe_list_importer, "hotfix/wmic-qfe-list-full.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	const struct kb_fact *f = check_hotfix(&im, 0, "KB4486553", "2019-03-07", "Update", "NT AUTHORITY\\SYSTEM",
					       "DESKTOP-LOQ9L09", 3);
	assert_non_null(strstr(f->prov.text, "HotFixID=KB4486553; InstallDate=; InstalledBy=NT AUTHORITY\\SYSTEM"));
	check_hotfix(&im, 4, "KB4482887", "2019-03-07", "Update", SYSTEM, "DESKTOP-LOQ9L09", 55);
	harness_close(&im);

	import_fixture(&im, &kbf_win_wmic_qfe_csv_importer, "hotfix/wmic-qfe.csv");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	check_hotfix(&im, 1, "KB4470788", "2019-03-01", "Security Update", SYSTEM, "DESKTOP-LOQ9L09", 4);
	harness_close(&im);
}

/* ---- Get-HotFix ------------------------------------------------------------------- */

static void get_hotfix_table_and_list(void **state)
{
	(void)state;
	struct harness im = {0};
	/* Windows PowerShell 5.1 cuts the computer name to fit its column:
	 * left out, as every PowerShell reading leaves a cut value, with a
	 * note; an en-US date with both numbers under 13 is kept as written */
	import_fixture(&im, &kbf_ps_table_importer, "hotfix/get-hotfix-table.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	check_hotfix(&im, 0, "KB4486553", "3/7/2019 12:00:00 AM", "Update", SYSTEM, NULL, 4);
	check_skip(&im, 0, 4, "Source cut short to the console width (\"...\"): left out, here and below");
	harness_close(&im);

	/* the example of learn.microsoft.com's Get-HotFix page: 5/16/2019 is May 16 */
	import_str(&im, &kbf_ps_table_importer,
		   "\r\nSource         Description      HotFixID      InstalledBy          InstalledOn\r\n"
		   "------         -----------      --------      -----------          -----------\r\n"
		   "Server01       Update           KB4495590     NT AUTHORITY\\SYSTEM  5/16/2019 00:00:00\r\n"
		   "Server01       Security Update  KB4470788     NT AUTHORITY\\SYSTEM  1/22/2019 00:00:00\r\n"
		   "Server01       Update           KB4480056     NT AUTHORITY\\SYSTEM  1/24/2019 00:00:00\r\n");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	check_hotfix(&im, 0, "KB4495590", "2019-05-16", "Update", SYSTEM, "Server01", 4);
	check_hotfix(&im, 1, "KB4470788", "2019-01-22", "Security Update", SYSTEM, "Server01", 5);
	harness_close(&im);

	/* German dates (d.M.yyyy) are read day first */
	import_fixture(&im, &kbf_ps_list_importer, "hotfix/get-hotfix-list-de.txt");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	check_hotfix(&im, 0, "KB4486553", "2019-03-07", "Update", "NT AUTHORITY\\SYSTEM", NULL, 3);
	check_hotfix(&im, 1, "KB4470788", "2019-03-01", "Security Update", "NT AUTHORITY\\SYSTEM", NULL, 13);
	harness_close(&im);
}

static void get_hotfix_csv(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_ps_csv_importer, "hotfix/get-hotfix-type.csv");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 5);
	/* 3/7/2019: March 7 in en-US, 3 July in en-AU, which also writes
	 * AM/PM: kept as written */
	check_hotfix(&im, 0, "KB4486553", "3/7/2019 12:00:00 AM", "Update", "NT AUTHORITY\\SYSTEM",
		     "DESKTOP-LOQ9L09", 3);
	harness_close(&im);

	/* PowerShell 7, en-GB: a day over 12 settles the order; 04/03 does not */
	import_fixture(&im, &kbf_ps_csv_importer, "hotfix/get-hotfix-pwsh-en-gb.csv");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	check_hotfix(&im, 0, "KB2894852", "2019-03-17", "Security Update", "NUGGETLAB\\Administrator", "SRV12R2U1X64", 2);
	check_hotfix(&im, 1, "KB2919355", "2014-03-18", "Update", "SRV12R2U1X64\\Administrator", "SRV12R2U1X64", 3);
	check_hotfix(&im, 2, "KB4054566", "04/03/2019 00:00:00", "Update", SYSTEM, "SRV12R2U1X64", 4);
	harness_close(&im);
}

static void get_hotfix_json(void **state)
{
	(void)state;
	struct harness im = {0};
	/* 5.1: {"value": "\/Date(ms)\/", "DateTime": ...}, UTC of a CET
	 * midnight; a fact's line is where its object starts */
	import_fixture(&im, &kbf_ps_json_importer, "hotfix/get-hotfix-ps51.json");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	check_hotfix(&im, 0, "KB4486553", "2019-03-07", "Update", SYSTEM, "DESKTOP-LOQ9L09", 2);
	check_hotfix(&im, 1, "KB4470788", "2019-03-01", "Security Update", SYSTEM, "DESKTOP-LOQ9L09", 12);
	harness_close(&im);

	import_fixture(&im, &kbf_ps_json_importer, "hotfix/get-hotfix-pwsh.json");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "hotfix"), 3);
	check_hotfix(&im, 2, "KB4480056", "2019-03-07", "Update", SYSTEM, "DESKTOP-LOQ9L09", 16);
	harness_close(&im);

	/* one object, as a remote session returns it (a public script's
	 * captured output): the date a bare "\/Date(...)\/", the computer in
	 * PSComputerName and CSName */
	import_str(&im, &kbf_ps_json_importer,
		   "{\n    \"InstalledOn\":  \"\\/Date(1567807200000)\\/\",\n"
		   "    \"PSComputerName\":  \"PWSH-BD\",\n    \"__GENUS\":  2,\n"
		   "    \"__DERIVATION\":  [\n        \"CIM_LogicalElement\"\n    ],\n"
		   "    \"Caption\":  \"http://support.microsoft.com/?kbid=4512578\",\n"
		   "    \"CSName\":  \"PWSH-BD\",\n    \"Description\":  \"Security Update\",\n"
		   "    \"FixComments\":  \"\",\n    \"HotFixID\":  \"KB4512578\",\n"
		   "    \"InstallDate\":  null,\n    \"InstalledBy\":  \"\",\n    \"Name\":  null\n}\n");
	check_ok(&im);
	check_hotfix(&im, 0, "KB4512578", "2019-09-07", "Security Update", NULL, "PWSH-BD", 1);
	harness_close(&im);
}

/* ---- bad input -------------------------------------------------------------------- */

static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	/* an id with a blank in it is left out; the next row is read */
	import_str(&im, &kbf_win_wmic_qfe_csv_importer,
		   "Node,Description,HotFixID,InstalledOn\r\n"
		   "PC1,Update,KB 123,3/7/2019\r\n"
		   "PC1,Update,KB4486553,13/7/2019\r\n"
		   "PC1,Update\r\n");
	assert_int_equal(im.rc, 0);
	assert_int_equal(im.in.nskips, 2);
	check_skip(&im, 0, 2, "'KB 123' is not a hotfix id");
	check_skip(&im, 1, 4, "a row of 2 fields under a header of 4");
	/* WMI's dates are M/D/YYYY: a month of 13 is no date, kept as written */
	check_hotfix(&im, 0, "KB4486553", "13/7/2019", "Update", NULL, "PC1", 3);
	harness_close(&im);

	/* JSON cut short: the objects before the damage are kept */
	import_str(&im, &kbf_ps_json_importer,
		   "[\n  {\"HotFixID\": \"KB1\", \"InstalledOn\": \"2020-01-02T00:00:00\"},\n  {\"HotFixID\": \"KB2\",");
	assert_int_equal(im.rc, -1);
	check_error(&im, "paste.txt:3", "ConvertTo-Json: the document ends inside the value begun on line 3");
	check_hotfix(&im, 0, "KB1", "2020-01-02", NULL, NULL, NULL, 2);
	assert_int_equal(count_facts(&im, "hotfix"), 1);
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	static const struct {
		const char *rel, *format;
	} cases[] = {
		{"hotfix/wesng-10_1809_x64_pro_en-us_20190307_qfe.txt", "wmic-qfe"},
		{"hotfix/wesng-xp_rtm_x86_professional_en-us_qfe.txt", "wmic-qfe"},
		{"hotfix/wesng-xp_sp2_x86_qfe.txt", "wmic-qfe"},
		{"hotfix/wesng-vista_x64_sp1_qfe-head.txt", "wmic-qfe"},
		{"hotfix/wmic-qfe-list-full.txt", "wmic-qfe-list"},
		{"hotfix/wmic-qfe.csv", "wmic-qfe-csv"},
		{"hotfix/get-hotfix-table.txt", "powershell-table"},
		{"hotfix/get-hotfix-list-de.txt", "powershell-list"},
		{"hotfix/get-hotfix-type.csv", "powershell-csv"},
		{"hotfix/get-hotfix-pwsh-en-gb.csv", "powershell-csv"},
		{"hotfix/get-hotfix-ps51.json", "powershell-json"},
		{"hotfix/get-hotfix-pwsh.json", "powershell-json"},
		{"systeminfo/jc-windows-10-systeminfo.out", "systeminfo"},
		{"systeminfo/wesng-xp_rtm_x86_professional_en-us_systeminfo.txt", "systeminfo"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(recognised_format(cases[i].rel), cases[i].format);
	/* the other listings are not mistaken for hotfix lists */
	assert_int_equal(probe_fixture(&kbf_win_wmic_qfe_importer, "tasklist/win7-tasklist.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_ps_csv_importer, "tasklist/tasklist-v.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_win_wmic_qfe_csv_importer, "file-versions/wmic-datafile.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_win_wmic_qfe_list_importer, "file-versions/wmic-datafile-value.txt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(systeminfo_list),
		cmocka_unit_test(systeminfo_csv),
		cmocka_unit_test(wmic_table),
		cmocka_unit_test(wmic_list_and_csv),
		cmocka_unit_test(get_hotfix_table_and_list),
		cmocka_unit_test(get_hotfix_csv),
		cmocka_unit_test(get_hotfix_json),
		cmocka_unit_test(malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
