/*
 * test_win_msinfo.c — msinfo32 reports: the .nfo and the text export one
 * public AWS Windows Server 2012 R2 instance published (trimmed; the text
 * export as Windows wrote it, UTF-16LE, and as its owner later committed
 * it after dos2unix), which must give the same facts; malformed rows and
 * XML; reading as a stream; recognition, against the other host-state formats and a media
 * centre's .nfo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "importer_harness.h"

/* Where the checked rows are in each form. */
struct lines {
	int host, acpi, dfsc, aws_agent, ntdll;
};

static void check_report(struct harness *im, const struct lines *at)
{
	check_ok(im);
	assert_int_equal(count_facts(im, "host"), 1);
	const struct kb_fact *h = nth_fact(im, "host", 0);
	check_str(im, h, "name", "WIN-5BRNFRHGI65");
	check_str(im, h, "os_family", "windows");
	check_str(im, h, "os_name", "Microsoft Windows Server 2012 R2 Standard");
	check_str(im, h, "os_version", "6.3.9600");
	check_int(im, h, "build", 9600);
	check_int(im, h, "service_pack", 0);
	check_str(im, h, "arch", "x64");
	check_nil(im, h, "domain"); /* the System Summary has none */
	check_prov(h, NULL, at->host, "OS Name: Microsoft Windows Server 2012 R2 Standard; "
				      "Version: 6.3.9600 Build 9600; System Name: WIN-5BRNFRHGI65; "
				      "System Type: x64-based PC");

	/* five drivers and four services, each a service fact */
	assert_int_equal(count_facts(im, "service"), 9);
	const struct kb_fact *s = fact_at(im, "service", at->acpi);
	check_str(im, s, "name", "acpi");
	check_str(im, s, "display_name", "Microsoft ACPI Driver");
	check_str(im, s, "state", "running");
	check_str(im, s, "start_type", "boot_start");
	check_str(im, s, "type", "kernel_driver");
	check_str(im, s, "image", "c:\\windows\\system32\\drivers\\acpi.sys");
	s = fact_at(im, "service", at->dfsc);
	check_str(im, s, "type", "file_system_driver");
	check_str(im, s, "start_type", "system_start");
	s = fact_at(im, "service", at->aws_agent);
	check_str(im, s, "name", "AWSLiteAgent");
	check_str(im, s, "display_name", "AWS Lite Guest Agent");
	check_str(im, s, "state", "running");
	check_str(im, s, "start_type", "auto_start");
	check_str(im, s, "type", "win32_own_process");
	check_str(im, s, "image", "\"c:\\program files\\amazon\\xentools\\liteagent.exe\"");
	check_nil(im, s, "pid");
	s = find_str(im, "service", "name", "AeLookupSvc");
	assert_non_null(s);
	check_str(im, s, "state", "stopped");
	check_str(im, s, "start_type", "demand_start");
	check_str(im, s, "type", "win32_share_process");
	s = find_str(im, "service", "name", "cdfs");
	assert_non_null(s);
	check_str(im, s, "start_type", "disabled");

	/* the loaded modules */
	assert_int_equal(count_facts(im, "file"), 3);
	const struct kb_fact *f = fact_at(im, "file", at->ntdll);
	check_file(im, f, "c:\\windows\\system32\\ntdll.dll", "ntdll.dll", "6.3.9600.18146", "6.3.9600.18146", NULL,
		   at->ntdll);
	check_int(im, f, "size", 1735000);
}

static void nfo(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_msinfo_nfo_importer, "msinfo/aws-g2-msinfo32.nfo");
	assert_string_equal(im.text.encoding, "utf-16le");
	check_report(&im, &(struct lines){8, 359, 385, 500, 460});
	check_prov(fact_at(&im, "file", 460), "aws-g2-msinfo32.nfo", 460,
		   "Name: ntdll; Version: 6.3.9600.18146; Size: 1.65 MB (1,735,000 bytes); "
		   "File_Date: 12/9/2015 12:26 AM; Manufacturer: Microsoft Corporation; "
		   "Path: c:\\windows\\system32\\ntdll.dll");
	harness_close(&im);
}

static void text_export(void **state)
{
	(void)state;
	const struct lines at = {6, 234, 236, 268, 260};
	struct harness im = {0};
	import_fixture(&im, &kbf_msinfo_text_importer, "msinfo/aws-g2-msinfo32.txt");
	assert_string_equal(im.text.encoding, "utf-16le");
	check_report(&im, &at);
	check_prov(fact_at(&im, "file", 260), "aws-g2-msinfo32.txt", 260,
		   "ntdll\t6.3.9600.18146\t1.65 MB (1,735,000 bytes)\t12/9/2015 12:26 AM\t"
		   "Microsoft Corporation\tc:\\windows\\system32\\ntdll.dll");
	harness_close(&im);

	import_fixture(&im, &kbf_msinfo_text_importer, "msinfo/aws-g2-msinfo32-dos2unix.txt");
	assert_string_equal(im.text.encoding, "utf-8");
	check_report(&im, &at);
	harness_close(&im);
}

/* Read from its file 4 KiB at a time (chunk ends inside cells, CDATA and
 * lines; the fuzz targets put them everywhere), a fixture gives the facts
 * it gives decoded whole: the same lines and texts. */
static void streamed_as_whole(const char *rel, const char *format)
{
	struct harness whole = {0}, streamed = {0};
	import_fixture(&whole, NULL, rel);
	assert_string_equal(whole.in.format, format);
	harness_open(&streamed);
	struct kbf_inputs inputs = {0};
	char *path = fixture_path(rel);
	kbf_text_set_chunk(4096);
	assert_int_equal(kbf_read_path(streamed.eng, path, &inputs), 0);
	kbf_text_set_chunk(0);
	free(path);
	assert_string_equal(inputs.v[0].format, format);
	/* the file's facts cite their records, whose text reads back as the
	 * whole decode kept it */
	static const char *const kinds[] = {"host", "service", "file"};
	struct kbf_recall *rc = kbf_recall_new();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t i = 0, n = count_facts(&streamed, kinds[k]); i < n; i++)
			kbf_recall_want(rc, nth_fact(&streamed, kinds[k], i));
	kbf_recall_read(rc);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n = count_facts(&whole, kinds[k]);
		assert_int_equal(count_facts(&streamed, kinds[k]), n);
		for (size_t i = 0; i < n; i++) {
			const struct kb_fact *a = nth_fact(&whole, kinds[k], i), *b = nth_fact(&streamed, kinds[k], i);
			assert_int_equal(a->prov.line, b->prov.line);
			assert_string_equal(a->prov.text, b->prov.text ? b->prov.text : kbf_recall_text(rc, b));
		}
	}
	kbf_recall_free(rc);
	kbf_inputs_free(&inputs);
	harness_close(&streamed);
	harness_close(&whole);
}

static void streamed(void **state)
{
	(void)state;
	streamed_as_whole("msinfo/aws-g2-msinfo32.nfo", "msinfo-nfo");
	streamed_as_whole("msinfo/aws-g2-msinfo32.txt", "msinfo-text");
}

static void text_malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_str(&im, &kbf_msinfo_text_importer,
		   "System Information report written at: 01/03/10 18:28:23\n"
		   "System Name: USER-PC\n"
		   "[System Summary]\n"
		   "\n"
		   "Item\tValue\t\n"
		   "OS Name\tMicrosoft\xc2\xae Windows Vista\xe2\x84\xa2 Home Premium\t\n"
		   "Version\t6.0.6002 Service Pack 2 Build 6002\t\n"
		   "System Name\tUSER-PC\t\n"
		   "System Type\tX86-based PC\t\n"
		   "[Services]\n"
		   "\n"
		   "Display Name\tName\tState\tStart Mode\tService Type\tPath\t\n"
		   "Cut short\tcut\tRunning\t\n"
		   "No name\t\tRunning\tAuto\tOwn Process\tc:\\x.exe\t\n"
		   "Odd\todd\tHalted\tAuto\tOwn Process\tc:\\odd.exe\t\n"
		   "[Loaded Modules]\n"
		   "\n"
		   "Name\tVersion\tSize\tFile Date\tManufacturer\tPath\t\n"
		   "ghost\t1.0\t1 KB (1,024 bytes)\t\t\t\t\n"
		   "ws2_32\t\tNot Available\t\t\tc:\\windows\\system32\\ws2_32.dll\n");
	check_skip(&im, 0, 13, "a row of 3 cells under a header of 6");
	check_skip(&im, 1, 14, "without a name");
	check_skip(&im, 2, 15, "state 'Halted' not known");
	check_skip(&im, 3, 19, "without a path");
	assert_int_equal(im.in.nskips, 4);
	const struct kb_fact *h = nth_fact(&im, "host", 0);
	check_str(&im, h, "os_name", "Microsoft Windows Vista Home Premium");
	check_str(&im, h, "os_version", "6.0.6002");
	check_int(&im, h, "service_pack", 2);
	check_int(&im, h, "build", 6002);
	check_str(&im, h, "arch", "x86");
	const struct kb_fact *s = fact_at(&im, "service", 15);
	check_nil(&im, s, "state");
	check_str(&im, s, "start_type", "auto_start");
	const struct kb_fact *f = fact_at(&im, "file", 20); /* last tab lost, no version, no size */
	check_file(&im, f, "c:\\windows\\system32\\ws2_32.dll", "ws2_32.dll", NULL, NULL, NULL, 20);
	check_nil(&im, f, "size");
	harness_close(&im);
}

static void nfo_malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	/* a cell never closed: the host read before it is kept */
	import_str(&im, &kbf_msinfo_nfo_importer,
		   "<?xml version=\"1.0\"?>\r\n<MsInfo>\r\n"
		   "<Category name=\"System Summary\">\r\n"
		   "<Data>\r\n<Item><![CDATA[System Name]]></Item>\r\n"
		   "<Value><![CDATA[HOST1]]></Value>\r\n</Data>\r\n"
		   "<Category name=\"Services\">\r\n"
		   "<Data>\r\n<Name><![CDATA[Dnscache]]></Name>\r\n<State>Running</Data>\r\n");
	check_error(&im, "paste.txt:11", "mismatched tag at column");
	check_str(&im, nth_fact(&im, "host", 0), "name", "HOST1");
	assert_int_equal(count_facts(&im, "service"), 0);
	harness_close(&im);

	import_str(&im, &kbf_msinfo_nfo_importer,
		   "<?xml version=\"1.0\"?>\n<!DOCTYPE MsInfo [<!ENTITY a \"aaaa\">]>\n<MsInfo></MsInfo>\n");
	check_error(&im, "paste.txt:2", "DOCTYPE refused");
	harness_close(&im);

	/* a report saved with Services alone: no host, said so */
	import_str(&im, &kbf_msinfo_nfo_importer,
		   "<?xml version=\"1.0\"?>\n<MsInfo>\n<Category name=\"Services\">\n<Data>\n"
		   "<Display_Name><![CDATA[DNS Client]]></Display_Name><Name><![CDATA[Dnscache]]></Name>"
		   "<State><![CDATA[Running]]></State><Start_Mode><![CDATA[Auto]]></Start_Mode>"
		   "<Service_Type><![CDATA[Share Process]]></Service_Type>\n</Data>\n</Category>\n</MsInfo>\n");
	check_skip(&im, 0, 0, "no 'System Summary' category");
	assert_int_equal(count_facts(&im, "host"), 0);
	check_str(&im, fact_at(&im, "service", 4), "display_name", "DNS Client");
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("msinfo/aws-g2-msinfo32.nfo"), "msinfo-nfo");
	assert_string_equal(recognised_format("msinfo/aws-g2-msinfo32.txt"), "msinfo-text");
	assert_string_equal(recognised_format("msinfo/aws-g2-msinfo32-dos2unix.txt"), "msinfo-text");
	assert_int_equal(probe_fixture(&kbf_msinfo_nfo_importer, "msinfo/aws-g2-msinfo32.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_msinfo_text_importer, "msinfo/aws-g2-msinfo32.nfo"), 0);
	assert_int_equal(probe_fixture(&kbf_msinfo_text_importer, "systeminfo/win7-systeminfo.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_msinfo_text_importer, "winmsd/exch01-winmsd.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_msinfo_nfo_importer, "wevtutil-xml/application-utf16.xml"), 0);
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_importer, "msinfo/aws-g2-msinfo32.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_wevtutil_xml_importer, "msinfo/aws-g2-msinfo32.nfo"), 0);
	/* a media centre's .nfo is XML too */
	static const char kodi[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<movie><title>X</title></movie>\n";
	assert_int_equal(probe_bytes(&kbf_msinfo_nfo_importer, kodi, sizeof(kodi) - 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfo),
		cmocka_unit_test(text_export),
		cmocka_unit_test(streamed),
		cmocka_unit_test(text_malformed),
		cmocka_unit_test(nfo_malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
