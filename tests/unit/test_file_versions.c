/*
 * test_file_versions.c — file-version listings over the fixtures in
 * tests/fixtures/file-versions (CRLF; wmic and Format-List in UTF-16LE
 * with BOM) and over encoded and broken variants made here: every slot,
 * line and count is asserted, and so is which importer recognises each
 * file (PowerShell's, the PowerShell importer of its form).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

#define FIXTURE(name) KBDIAG_FIXTURES "/file-versions/" name
#define nfiles() count_facts(&h, "file")
#define file_fact(n) nth_fact(&h, "file", (n))

static const struct kbf_importer *const fv = &kbf_win_file_versions_importer;
static struct harness h;

/* Reads a listing into a fresh engine: each case stands alone. */
static int import_listing(const char *shown, const void *data, size_t len)
{
	harness_close(&h);
	return import_bytes(&h, fv, shown, data, len);
}

/* Imports a fixture, expecting success and the given probe score. */
static void import_fixture_file(const char *name, const char *shown, int score)
{
	size_t len;
	unsigned char *data = file_read(name, &len);
	assert_ptr_equal(recognise_bytes(data, len), fv);
	int rc = import_listing(shown, data, len);
	if (rc != 0)
		fail_msg("%s: %s: %s", shown, h.in.err.where, h.in.err.msg);
	assert_int_equal(h.score, score);
	free(data);
}

static int import_string(const char *s)
{
	return import_listing("listing.txt", s, strlen(s));
}

/* PowerShell's listings are PowerShell output: read by the importer of
 * their form (powershell/versioninfo.c), which must be format's. */
static int import_ps(const char *shown, const void *data, size_t len, const char *format)
{
	harness_close(&h);
	int rc = import_bytes(&h, NULL, shown, data, len);
	assert_string_equal(h.in.format, format);
	return rc;
}

static void import_ps_fixture(const char *name, const char *shown, const char *format)
{
	size_t len;
	unsigned char *data = file_read(name, &len);
	if (import_ps(shown, data, len, format) != 0)
		fail_msg("%s: %s: %s", shown, h.in.err.where, h.in.err.msg);
	free(data);
}

static int import_ps_string(const char *s, const char *format)
{
	return import_ps("listing.txt", s, strlen(s), format);
}

/* UTF-8 text as UTF-16LE with a BOM, the way PowerShell 5 redirects. */
static unsigned char *utf16le(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *out = malloc(2 + n * 2);
	assert_non_null(out);
	out[0] = 0xFF, out[1] = 0xFE;
	*len = 2;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		assert_true(c < 0x80); /* ASCII is enough here */
		out[(*len)++] = (unsigned char)c;
		out[(*len)++] = 0;
	}
	return out;
}

/* ---- PowerShell --------------------------------------------------------------- */

static void ps_table(void **state)
{
	(void)state;
	import_ps_fixture(FIXTURE("ps-versioninfo-table.txt"), "versions.txt", "powershell-table");
	assert_int_equal(nfiles(), 4);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0",
		   "6.00.8168.0", 5);
	assert_string_equal(file_fact(0)->prov.text, "6.00.8168.0      6.00.8168.0      C:\\WINNT\\system32\\mfc42.dll");
	check_file(&h, file_fact(1), "C:\\WINNT\\system32\\wsock32.dll", "wsock32.dll", "5.0.2195.6601", "5.00.2195.6601",
		   "5.00.2195.6601", 6);
	/* "5.2.3790.1830..." was cut by the console: no version from it */
	check_file(&h, file_fact(2), "C:\\WINDOWS\\system32\\dnsapi.dll", "dnsapi.dll", NULL, NULL, "5.2.3790.1830", 13);
	check_file(&h, file_fact(3), "C:\\Program Files\\Exchsrvr\\bin\\noversion.dll", "noversion.dll", NULL, NULL, NULL, 14);
	check_nil(&h, file_fact(3), "size");
	assert_int_equal(h.in.nfacts, 4);
}

static void ps_table_utf16_and_extra_columns(void **state)
{
	(void)state;
	const char *s = "\r\n"
			"FileVersionRaw FileVersion                        FileName                      PSComputerName\r\n"
			"-------------- -----------                        --------                      --------------\r\n"
			"5.2.3790.1830  5.2.3790.0 (srv03_rtm.030324-2048) C:\\WINDOWS\\system32\\ntdll.dll EXCH01\r\n"
			"\r\n";
	size_t len;
	unsigned char *data = utf16le(s, &len);
	assert_int_equal(import_ps("v.txt", data, len, "powershell-table"), 0);
	assert_int_equal(nfiles(), 1);
	check_file(&h, file_fact(0), "C:\\WINDOWS\\system32\\ntdll.dll", "ntdll.dll", "5.2.3790.1830",
		   "5.2.3790.0 (srv03_rtm.030324-2048)", NULL, 4);
	free(data);
}

static void ps_table_truncated_name(void **state)
{
	(void)state;
	const char *s = "ProductVersion   FileVersion      FileName\n"
			"--------------   -----------      --------\n"
			"6.1.7600.16385   6.1.7600.1638... C:\\Windows\\system32\\notepad.exe\n"
			"6.2.9200.16384   6.2.9200.1638... C:\\Windows\\system32\\WindowsPowerShell\\...\n"
			"6.00.8168.0      6.00.8168.0      C:\\WINNT\\system32\\mfc42.dll\n";
	assert_int_equal(import_ps_string(s, "powershell-table"), -1);
	assert_string_equal(h.in.err.where, "listing.txt:4");
	assert_non_null(strstr(h.in.err.msg, "cut short"));
	assert_int_equal(nfiles(), 2); /* the rows around it are kept */
	check_file(&h, file_fact(0), "C:\\Windows\\system32\\notepad.exe", "notepad.exe", NULL, NULL, "6.1.7600.16385", 3);
	check_file(&h, file_fact(1), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0",
		   "6.00.8168.0", 5);
}

static void ps_list(void **state)
{
	(void)state;
	import_ps_fixture(FIXTURE("ps-versioninfo-list.txt"), "fl.txt", "powershell-list");
	assert_int_equal(nfiles(), 3);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0",
		   "6.00.8168.0", 3);
	/* a patched file: the string still says .0, the binary says .1830 */
	check_file(&h, file_fact(1), "C:\\WINDOWS\\system32\\kernel32.dll", "kernel32.dll", "5.2.3790.1830",
		   "5.2.3790.0 (srv03_rtm.030324-2048)", "5.2.3790.0", 24);
	/* FileName wrapped at 80 columns onto the next line */
	check_file(&h, file_fact(2), "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE11\\MSO.DLL", "MSO.DLL",
		   "11.0.8221.0", "11.0.8221.0", "11.0.8221", 45);
	/* a list's text is the properties used */
	assert_non_null(strstr(file_fact(0)->prov.text, "FileName: C:\\WINNT\\system32\\mfc42.dll"));
}

static void ps_list_without_filename(void **state)
{
	(void)state;
	const char *s = "\r\n\r\nFileVersionRaw    : 10.0.10586.117\r\nProductVersionRaw : 10.0.10586.117\r\n"
			"FileVersion       : 10.0.10586.117 (th2_release.160212-2359)\r\n"
			"ProductVersion    : 10.0.10586.117\r\n\r\n"
			"FileName          : C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\r\n"
			"FileVersion       : 10.0.10586.117 (th2_release.160212-2359)\r\n";
	/* an object without a FileName is no FileVersionInfo kbdiag can read:
	 * left out with a note, as other PowerShell objects are */
	assert_int_equal(import_ps_string(s, "powershell-list"), 0);
	check_skip(&h, 0, 3, "1 object of a kind kbdiag does not read (properties FileVersionRaw, ");
	assert_int_equal(nfiles(), 1);
	check_file(&h, file_fact(0), "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe",
		   "10.0.10586.117", "10.0.10586.117 (th2_release.160212-2359)", NULL, 8);
}

static void ps_csv(void **state)
{
	(void)state;
	import_ps_fixture(FIXTURE("ps-versioninfo.csv"), "versions.csv", "powershell-csv");
	assert_int_equal(nfiles(), 3);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0",
		   "6.00.8168.0", 3);
	/* its Comments field spans lines 4 and 5 */
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", "5.5.2653.23", 4);
	/* no version resource: FileVersionRaw "0.0.0.0" and an empty FileVersion */
	check_file(&h, file_fact(2), "C:\\Program Files\\Exchsrvr\\bin\\noversion.dll", "noversion.dll", NULL, NULL, NULL, 6);
}

static void ps_csv_parts_and_errors(void **state)
{
	(void)state;
	/* PowerShell 7 drops #TYPE; PowerShell 2 has no FileVersionRaw: the
	 * binary version comes from the File*Part columns. */
	const char *s = "\"FileName\",\"FileVersion\",\"FileMajorPart\",\"FileMinorPart\",\"FileBuildPart\",\"FilePrivatePart\"\r\n"
			"\"C:\\WINNT\\system32\\mfc42.dll\",\"6.00.8168.0\",\"6\",\"0\",\"8168\",\"0\"\r\n"
			"\"C:\\WINNT\\system32\\short.dll\",\"1.0\"\r\n"
			"\"C:\\WINNT\\system32\\later.dll\",\"2.0\",\"2\",\"0\",\"65535\",\"1\"\r\n"
			"\"C:\\WINNT\\system32\\open.dll\",\"3.0,\"3\",\"0\",\"0\",\"0\"\r\n";
	/* a bad row is left out with a note, as in every Export-Csv, and the
	 * rest is read */
	assert_int_equal(import_ps_string(s, "powershell-csv"), 0);
	check_skip(&h, 0, 3, "Export-Csv: 2 fields where the header has 6");
	assert_int_equal(nfiles(), 2);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0", NULL, 2);
	check_file(&h, file_fact(1), "C:\\WINNT\\system32\\later.dll", "later.dll", "2.0.65535.1", "2.0", NULL, 4);

	const char *open = "\"FileName\",\"FileVersion\"\n\"C:\\a.dll\",\"1.0\"\n\"C:\\b.dll\",\"2.0\n";
	assert_int_equal(import_ps_string(open, "powershell-csv"), 0);
	check_skip(&h, 0, 3, "Export-Csv: a quoted field never closes");
	assert_int_equal(nfiles(), 1);
}

/* ---- wmic ----------------------------------------------------------------------- */

static void wmic_table(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("wmic-datafile.txt"), "wmic.txt", 85);
	assert_int_equal(nfiles(), 2);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.0.8168.0", NULL, 2);
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 5);
}

static void wmic_table_more_columns(void **state)
{
	(void)state;
	/* piped output ends lines in CR CR LF; columns in alphabetical order */
	const char *s = "FileSize  Manufacturer           Name                                     Version      \r\r\n"
			"995383    Microsoft Corporation  c:\\winnt\\system32\\mfc42.dll              6.0.8168.0   \r\r\n"
			"4874512   Microsoft Corporation  c:\\program files\\exchsrvr\\bin\\store.exe  5.5.2653.23  \r\r\n"
			"\r\r\n";
	assert_int_equal(import_string(s), 0);
	assert_int_equal(h.score, 85);
	assert_int_equal(nfiles(), 2);
	check_file(&h, file_fact(0), "c:\\winnt\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.0.8168.0", NULL, 2);
	check_int(&h, file_fact(0), "size", 995383);
	check_file(&h, file_fact(1), "c:\\program files\\exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 3);
	check_int(&h, file_fact(1), "size", 4874512);
}

static void wmic_value(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("wmic-datafile-value.txt"), "wmic-value.txt", 90);
	assert_int_equal(nfiles(), 2);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.0.8168.0", NULL, 3);
	assert_string_equal(file_fact(0)->prov.text, "Name=C:\\WINNT\\system32\\mfc42.dll; Version=6.0.8168.0");
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 8);
}

static void wmic_csv(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("wmic-datafile.csv"), "wmic.csv", 95);
	assert_int_equal(nfiles(), 2);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.0.8168.0", NULL, 3);
	check_int(&h, file_fact(0), "size", 995383);
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 4);
	check_int(&h, file_fact(1), "size", 4874512);
}

/* ---- filever ------------------------------------------------------------------- */

static void filever(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("filever.txt"), "filever.txt", 90);
	assert_int_equal(nfiles(), 3);
	/* the prompt's "*.dll" in C:\WINNT\system32 gives the folder */
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.0.8168.0", NULL, 2);
	check_int(&h, file_fact(0), "size", 995383);
	check_file(&h, file_fact(1), "C:\\WINNT\\system32\\wsock32.dll", "wsock32.dll", "5.0.2195.6601", "5.0.2195.6601",
		   NULL, 3);
	check_int(&h, file_fact(1), "size", 21776);
	/* /v: the strings and the VS_FIXEDFILEINFO dump */
	check_file(&h, file_fact(2), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0",
		   "6.00.8168.0", 6);
	check_int(&h, file_fact(2), "size", 995383);
}

static void filever_variants(void **state)
{
	(void)state;
	const char *s = "--a-- W32i   DLL ENU     11.3.372.94 shp 10,648,920 07-19-2012 flash.ocx \n"
			"    FileVersion        11,3,372,94 \n"
			"    FileVer:        000b0003:0174005e (11.3:372.94) \n"
			"W32i   APP ENU  5.1.2600.0 shp     69,120 notepad.exe\n"
			"--a-- W32i   DLL -               -  -      8,192 01-01-2001 nover.dll\n"
			"C:\\>filever /v \"C:\\Program Files\\Exchsrvr\\bin\\store.exe\"\n"
			"--a-- W32i   APP ENU    5.5.2653.23 shp  4,874,512 08-31-2000 store.exe\n";
	assert_int_equal(import_string(s), 0);
	assert_int_equal(h.score, 90);
	assert_int_equal(nfiles(), 4);
	check_file(&h, file_fact(0), NULL, "flash.ocx", "11.3.372.94", "11,3,372,94", NULL, 1);
	check_int(&h, file_fact(0), "size", 10648920);
	check_file(&h, file_fact(1), NULL, "notepad.exe", "5.1.2600.0", "5.1.2600.0", NULL, 4); /* /a /d */
	check_int(&h, file_fact(1), "size", 69120);
	check_file(&h, file_fact(2), NULL, "nover.dll", NULL, NULL, NULL, 5);
	check_file(&h, file_fact(3), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 7);
}

/* ---- free-form lists -------------------------------------------------------------- */

static void plain_csv(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("versions.csv"), "versions.csv", 50);
	assert_int_equal(nfiles(), 3);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0", NULL, 2);
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 3);
	check_file(&h, file_fact(2), "C:\\WINDOWS\\system32\\kernel32.dll", "kernel32.dll", "5.2.3790.1830",
		   "5.2.3790.1830 (srv03_sp1_rtm.050324-1447)", NULL, 4);
}

static void plain_text(void **state)
{
	(void)state;
	import_fixture_file(FIXTURE("versions.txt"), "versions.txt", 50);
	assert_int_equal(nfiles(), 4);
	check_file(&h, file_fact(0), "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", "6.0.8168.0", "6.00.8168.0", NULL, 3);
	check_file(&h, file_fact(1), "C:\\Program Files\\Exchsrvr\\bin\\store.exe", "store.exe", "5.5.2653.23",
		   "5.5.2653.23", NULL, 4);
	check_file(&h, file_fact(2), "C:\\WINDOWS\\system32\\kernel32.dll", "kernel32.dll", "5.2.3790.1830",
		   "5.2.3790.1830 (srv03_sp1_rtm.050324-1447)", NULL, 5);
	check_file(&h, file_fact(3), NULL, "capicom.dll", "2.1.0.0", "2, 1, 0, 0", NULL, 6);
}

static void plain_cp1252_and_errors(void **state)
{
	(void)state;
	/* Windows-1252: "Größe" in a German folder name */
	const char *s = "Datei;Version\r\n"
			"C:\\Programme\\Gr\xF6\xDF" "e\\tool.exe;1.2.3.4\r\n"
			"C:\\WINNT\\system32\\mfc42.dll  six\r\n"
			"C:\\WINNT\\system32\\msvcrt.dll\t6.10.8924.0\r\n"
			"C:\\WINNT\\system32\\wsock32.dll;5.00.2195.6601\r\n"
			"C:\\WINNT\\system32\\ws2_32.dll;5.00.2195.6601\r\n";
	assert_int_equal(import_string(s), -1);
	assert_int_equal(h.score, 50);
	assert_string_equal(h.in.err.where, "listing.txt:3");
	assert_int_equal(nfiles(), 4);
	check_file(&h, file_fact(0), "C:\\Programme\\Gr\xC3\xB6\xC3\x9F" "e\\tool.exe", "tool.exe", "1.2.3.4", "1.2.3.4", NULL, 2);
	check_file(&h, file_fact(1), "C:\\WINNT\\system32\\msvcrt.dll", "msvcrt.dll", "6.10.8924.0", "6.10.8924.0", NULL, 4);
}

/* A line of many "a.b " pairs and blanks is read in linear time (a
 * quadratic split search would take minutes here). */
static void long_lines(void **state)
{
	(void)state;
	size_t n = 400000;
	char *s = malloc(n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 8 < 3 ? "a.b"[i % 8] : ' ';
	s[n] = '\0';
	assert_int_equal(import_string(s), -1);
	assert_int_equal(h.score, 0);
	free(s);
}

/* ---- recognition -------------------------------------------------------------------- */

static void not_claimed(void **state)
{
	(void)state;
	static const char *const others[] = {
		/* netstat -ano */
		"\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n"
		"  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1712\r\n",
		/* tasklist /fo csv */
		"\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\r\n"
		"\"svchost.exe\",\"816\",\"Console\",\"0\",\"4,512 K\"\r\n",
		/* wmic product get Name,Version: no paths */
		"Name                                   Version\r\nMicrosoft Office Professional Edition 2003  11.0.8173.0\r\n",
		/* systeminfo */
		"Host Name:                 EXCH01\r\nOS Name:                   Microsoft Windows 2000 Server\r\n"
		"OS Version:                5.0.2195 Service Pack 4 Build 2195\r\n",
		/* Event Viewer text */
		"Event Type:\tError\r\nEvent Source:\tMSExchangeIS\r\nEvent ID:\t1121\r\nDescription:\r\n"
		"Error 0x8004010f connecting to C:\\exchsrvr\\mdbdata\\priv.edb 5.5.2653.23\r\n",
		"",
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct kbf_text t;
		kbf_text_decode(&t, (const unsigned char *)others[i], strlen(others[i]));
		if (fv->probe(&t) != 0)
			fail_msg("claimed sample %zu (score %d)", i, fv->probe(&t));
		kbf_text_free(&t);
	}
}

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(ps_table, teardown),
		cmocka_unit_test_teardown(ps_table_utf16_and_extra_columns, teardown),
		cmocka_unit_test_teardown(ps_table_truncated_name, teardown),
		cmocka_unit_test_teardown(ps_list, teardown),
		cmocka_unit_test_teardown(ps_list_without_filename, teardown),
		cmocka_unit_test_teardown(ps_csv, teardown),
		cmocka_unit_test_teardown(ps_csv_parts_and_errors, teardown),
		cmocka_unit_test_teardown(wmic_table, teardown),
		cmocka_unit_test_teardown(wmic_table_more_columns, teardown),
		cmocka_unit_test_teardown(wmic_value, teardown),
		cmocka_unit_test_teardown(wmic_csv, teardown),
		cmocka_unit_test_teardown(filever, teardown),
		cmocka_unit_test_teardown(filever_variants, teardown),
		cmocka_unit_test_teardown(plain_csv, teardown),
		cmocka_unit_test_teardown(plain_text, teardown),
		cmocka_unit_test_teardown(plain_cp1252_and_errors, teardown),
		cmocka_unit_test_teardown(long_lines, teardown),
		cmocka_unit_test(not_claimed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
