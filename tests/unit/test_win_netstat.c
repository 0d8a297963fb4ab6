/*
 * test_win_netstat.c — the netstat importers: NT 4.0 `-an` without PIDs,
 * `-ano`, `-abno` with service and image lines, IPv6 with zones, UDP,
 * localised states in Windows-1252, UTF-16 from PowerShell, recognition
 * by content, and malformed lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"

static void check_listener(const struct harness *im, size_t i, const char *proto, const char *family,
			   const char *addr, int64_t port, int64_t pid, int line)
{
	const struct kb_fact *f = nth_fact(im, "listener", i);
	check_str(im, f, "protocol", proto);
	check_str(im, f, "family", family);
	check_str(im, f, "address", addr);
	check_int(im, f, "port", port);
	if (pid < 0)
		check_nil(im, f, "pid");
	else
		check_int(im, f, "pid", pid);
	check_line(f, line);
}

static void nt4_an(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_an_importer, "netstat/nt4-netstat-an.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "listener"), 8);
	assert_int_equal(count_facts(&im, "connection"), 2);

	check_listener(&im, 1, "tcp", "ipv4", "0.0.0.0", 110, -1, 6);
	const struct kb_fact *f = nth_fact(&im, "listener", 1);
	check_str(&im, f, "state", "LISTENING");
	check_bool(&im, f, "owner_known", false);
	check_nil(&im, f, "process");
	assert_string_equal(f->prov.text, "  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING");
	assert_string_equal(f->prov.source, "nt4-netstat-an.txt");

	check_listener(&im, 4, "tcp", "ipv4", "192.168.10.5", 139, -1, 9);
	check_listener(&im, 5, "udp", "ipv4", "0.0.0.0", 135, -1, 12);
	check_nil(&im, nth_fact(&im, "listener", 5), "state");
	check_bool(&im, nth_fact(&im, "listener", 5), "owner_known", false);
	check_listener(&im, 7, "udp", "ipv4", "192.168.10.5", 138, -1, 14);

	f = nth_fact(&im, "connection", 0);
	check_str(&im, f, "protocol", "tcp");
	check_str(&im, f, "family", "ipv4");
	check_str(&im, f, "local_address", "192.168.10.5");
	check_int(&im, f, "local_port", 110);
	check_str(&im, f, "remote_address", "192.168.10.77");
	check_int(&im, f, "remote_port", 1043);
	check_str(&im, f, "state", "ESTABLISHED");
	check_nil(&im, f, "pid");
	check_line(f, 10);
	check_str(&im, nth_fact(&im, "connection", 1), "state", "TIME_WAIT");
	check_line(nth_fact(&im, "connection", 1), 11);
	harness_close(&im);
}

static void win2003_ano(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_ano_importer, "netstat/win2003-netstat-ano.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "listener"), 8);
	assert_int_equal(count_facts(&im, "connection"), 3);
	check_listener(&im, 1, "tcp", "ipv4", "0.0.0.0", 110, 812, 6);
	check_bool(&im, nth_fact(&im, "listener", 1), "owner_known", true);
	check_nil(&im, nth_fact(&im, "listener", 1), "process");
	check_listener(&im, 3, "tcp", "ipv4", "0.0.0.0", 445, 4, 8);
	check_nil(&im, nth_fact(&im, "listener", 3), "process"); /* no -b: name unknown */
	check_listener(&im, 5, "udp", "ipv4", "0.0.0.0", 445, 4, 13);
	check_nil(&im, nth_fact(&im, "listener", 5), "state");
	check_listener(&im, 7, "udp", "ipv4", "10.0.0.20", 137, 4, 15);

	const struct kb_fact *f = nth_fact(&im, "connection", 2);
	check_str(&im, f, "state", "TIME_WAIT");
	check_int(&im, f, "pid", 0); /* PID 0 is real: the idle process */
	check_int(&im, f, "remote_port", 389);
	check_line(f, 12);
	harness_close(&im);
}

static void utf16_ipv6(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_ano_importer, "netstat/win10-netstat-ano-utf16.txt");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "utf-16le");
	assert_int_equal(count_facts(&im, "listener"), 6);
	assert_int_equal(count_facts(&im, "connection"), 1);
	check_listener(&im, 2, "tcp", "ipv6", "::", 135, 1008, 8);
	check_str(&im, nth_fact(&im, "listener", 2), "state", "LISTENING");
	check_listener(&im, 3, "tcp", "ipv6", "::1", 49669, 3140, 9);
	check_listener(&im, 5, "udp", "ipv6", "fe80::8d4c:2f1e:9b3a:77c1", 1900, 5532, 11);
	const struct kb_fact *f = nth_fact(&im, "connection", 0);
	check_str(&im, f, "remote_address", "52.96.165.18");
	check_int(&im, f, "remote_port", 443);
	check_int(&im, f, "pid", 6240);
	check_line(f, 7);
	harness_close(&im);
}

static void check_owner(const struct harness *im, size_t i, const char *process, const char *service,
			bool known)
{
	const struct kb_fact *f = nth_fact(im, "listener", i);
	if (process)
		check_str(im, f, "process", process);
	else
		check_nil(im, f, "process");
	if (service)
		check_str(im, f, "service", service);
	else
		check_nil(im, f, "service");
	check_bool(im, f, "owner_known", known);
}

static void win10_abno(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_abno_importer, "netstat/win10-netstat-abno.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "listener"), 11);
	assert_int_equal(count_facts(&im, "connection"), 3);

	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 135, 1008, 5);
	check_owner(&im, 0, "svchost.exe", "RpcSs", true);
	check_listener(&im, 1, "tcp", "ipv4", "0.0.0.0", 445, 4, 8);
	check_owner(&im, 1, "System", NULL, false);
	check_listener(&im, 2, "tcp", "ipv4", "0.0.0.0", 5040, 7732, 10);
	check_owner(&im, 2, "svchost.exe", "CDPSvc", true);
	check_listener(&im, 3, "tcp", "ipv4", "0.0.0.0", 7680, 10404, 13);
	check_owner(&im, 3, NULL, NULL, false);
	check_listener(&im, 4, "tcp", "ipv4", "0.0.0.0", 49664, 1428, 15);
	check_owner(&im, 4, "System", NULL, true);
	check_listener(&im, 5, "tcp", "ipv4", "127.0.0.1", 9100, 6372, 17);
	check_owner(&im, 5, "NVIDIA Web Helper.exe", NULL, true);
	check_listener(&im, 6, "tcp", "ipv6", "::", 135, 1008, 25);
	check_owner(&im, 6, "svchost.exe", "RpcSs", true);
	check_listener(&im, 7, "tcp", "ipv6", "::", 445, 4, 28);
	check_owner(&im, 7, "System", NULL, false);
	check_listener(&im, 8, "tcp", "ipv6", "::1", 1025, 6088, 30);
	check_owner(&im, 8, "jhi_service.exe", NULL, true);
	check_listener(&im, 9, "udp", "ipv4", "0.0.0.0", 500, 6856, 32);
	check_owner(&im, 9, "svchost.exe", "IKEEXT", true);
	check_nil(&im, nth_fact(&im, "listener", 9), "state");
	check_listener(&im, 10, "udp", "ipv6", "fe80::1", 1900, 5532, 35);
	check_owner(&im, 10, "svchost.exe", "SSDPSRV", true);

	const struct kb_fact *f = nth_fact(&im, "connection", 0);
	check_str(&im, f, "process", "svchost.exe");
	check_int(&im, f, "pid", 17684);
	check_line(f, 19);
	f = nth_fact(&im, "connection", 1);
	check_str(&im, f, "state", "TIME_WAIT");
	check_nil(&im, f, "process");
	check_int(&im, f, "pid", 0);
	check_line(f, 22);
	f = nth_fact(&im, "connection", 2);
	check_str(&im, f, "process", "WhatsApp.exe");
	check_line(f, 23);
	harness_close(&im);
}

static void german_1252(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_abno_importer, "netstat/de-netstat-abno-1252.txt");
	assert_int_equal(im.rc, 0);
	assert_string_equal(im.text.encoding, "windows-1252");
	assert_int_equal(count_facts(&im, "listener"), 3);
	assert_int_equal(count_facts(&im, "connection"), 2);
	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 110, 2284, 5);
	check_str(&im, nth_fact(&im, "listener", 0), "state", "ABH\xc3\x96REN");
	check_owner(&im, 0, "PoProxy.exe", NULL, true);
	check_listener(&im, 1, "tcp", "ipv4", "0.0.0.0", 445, 4, 7);
	check_owner(&im, 1, "System", NULL, false); /* message wrapped over lines 8-9 */
	check_listener(&im, 2, "tcp", "ipv6", "::", 135, 912, 13);
	check_owner(&im, 2, "svchost.exe", "RpcSs", true);
	const struct kb_fact *f = nth_fact(&im, "connection", 0);
	check_str(&im, f, "state", "HERGESTELLT");
	check_str(&im, f, "process", "PoProxy.exe");
	check_line(f, 10);
	check_str(&im, nth_fact(&im, "connection", 1), "state", "WARTEND");
	check_line(nth_fact(&im, "connection", 1), 12);
	harness_close(&im);
}

static void french_1252(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_ano_importer, "netstat/fr-netstat-ano-1252.txt");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "listener"), 3);
	assert_int_equal(count_facts(&im, "connection"), 1);
	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 25, 1744, 5);
	check_str(&im, nth_fact(&im, "listener", 0), "state", "\xc3\x80 l'\xc3\xa9" "coute");
	check_listener(&im, 2, "udp", "ipv4", "0.0.0.0", 123, 1312, 8);
	check_line(nth_fact(&im, "connection", 0), 7);
	harness_close(&im);
}

static void bad_port(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_netstat_ano_importer, "netstat/bad-port.txt");
	/* the line is left out with a note; the rest of the file is read */
	check_skip(&im, 0, 6, "0 to 65535");
	check_skip(&im, 0, 6, "0.0.0.0:99999");
	check_skip(&im, 1, 8, "no foreign address");
	assert_int_equal(im.in.nskips, 2);
	assert_int_equal(count_facts(&im, "listener"), 3);
	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 25, 1520, 5);
	check_listener(&im, 1, "tcp", "ipv4", "0.0.0.0", 135, 700, 7);
	check_listener(&im, 2, "udp", "ipv4", "0.0.0.0", 500, 520, 9);
	harness_close(&im);
}

static void import_text(struct harness *im, const char *text)
{
	import_bytes(im, &kbf_win_netstat_ano_importer, "netstat.txt", text, strlen(text));
}

static void truncated_endpoint(void **state)
{
	(void)state;
	struct harness im = {0};
	import_text(&im, "  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING       812\r\n"
			 "  TCP    10.0.0.20:1044\r\n"
			 "  TCP    [fe80::1%4:139         [::]:0                 LISTENING       4\r\n");
	check_skip(&im, 0, 2, "no foreign address");
	check_skip(&im, 1, 3, "no closing ']'");
	assert_int_equal(count_facts(&im, "listener"), 1);
	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 110, 812, 1);
	harness_close(&im);

	import_text(&im, "  TCP    [fe80::1%4:139         [::]:0                 LISTENING       4\r\n");
	check_skip(&im, 0, 1, "no closing ']'");
	harness_close(&im);

	import_text(&im, "  TCP    300.1.1.1:139          0.0.0.0:0              LISTENING       4\r\n");
	check_skip(&im, 0, 1, "not a valid IPv4 address");
	harness_close(&im);

	import_text(&im, "  TCP    0.0.0.0:139            0.0.0.0:0\r\n");
	check_skip(&im, 0, 1, "no state");
	harness_close(&im);
}

/* `netstat -a` without -n: names for hosts and well-known ports. */
static void names_without_n(void **state)
{
	(void)state;
	struct harness im = {0};
	import_text(&im, "  TCP    exch01:pop3            exch01:0               LISTENING\r\n"
			 "  TCP    exch01:1025            client7:https          ESTABLISHED\r\n"
			 "  TCP    exch01:foo-bar         exch01:0               LISTENING\r\n");
	assert_int_equal(im.rc, 0);
	assert_int_equal(count_facts(&im, "listener"), 2);
	const struct kb_fact *f = nth_fact(&im, "listener", 0);
	check_str(&im, f, "address", "exch01");
	check_nil(&im, f, "family");
	check_int(&im, f, "port", 110);
	check_nil(&im, nth_fact(&im, "listener", 1), "port");
	f = nth_fact(&im, "connection", 0);
	check_str(&im, f, "remote_address", "client7");
	check_int(&im, f, "remote_port", 443);
	harness_close(&im);
}

/* `netstat -anot` (Windows 7+): an offload state column after the PID. */
static void offload_state_column(void **state)
{
	(void)state;
	struct harness im = {0};
	import_text(&im, "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1008     InHost\r\n"
			 "  UDP    0.0.0.0:500            *:*                                    6856     InHost\r\n");
	assert_int_equal(im.rc, 0);
	check_listener(&im, 0, "tcp", "ipv4", "0.0.0.0", 135, 1008, 1);
	check_str(&im, nth_fact(&im, "listener", 0), "state", "LISTENING");
	check_listener(&im, 1, "udp", "ipv4", "0.0.0.0", 500, 6856, 2);
	check_nil(&im, nth_fact(&im, "listener", 1), "state");
	harness_close(&im);
}

/* A binary file (a PE file in the bundle) is text to no one here. */
static void binary_input(void **state)
{
	(void)state;
	static const unsigned char pe[] = {'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0};
	const struct kbf_importer *imps[] = {
		&kbf_win_netstat_an_importer, &kbf_win_netstat_ano_importer, &kbf_win_netstat_abno_importer,
		&kbf_win_tasklist_importer, &kbf_win_tasklist_csv_importer, &kbf_win_systeminfo_importer,
		&kbf_win_systeminfo_csv_importer, &kbf_win_winmsd_importer, &kbf_win_sc_importer,
	};
	for (size_t i = 0; i < sizeof(imps) / sizeof(imps[0]); i++) {
		struct harness im = {0};
		import_bytes(&im, imps[i], "x.dll", pe, sizeof(pe));
		assert_string_equal(im.text.encoding, "binary");
		assert_int_equal(imps[i]->probe(&im.text), 0);
		assert_int_equal(kb_fact_count(im.eng), 0);
		harness_close(&im);
	}
}

static void recognition(void **state)
{
	(void)state;
	assert_string_equal(recognised_format("netstat/nt4-netstat-an.txt"), "netstat-an");
	assert_string_equal(recognised_format("netstat/win2003-netstat-ano.txt"), "netstat-ano");
	assert_string_equal(recognised_format("netstat/win10-netstat-ano-utf16.txt"), "netstat-ano");
	assert_string_equal(recognised_format("netstat/fr-netstat-ano-1252.txt"), "netstat-ano");
	assert_string_equal(recognised_format("netstat/win10-netstat-abno.txt"), "netstat-abno");
	assert_string_equal(recognised_format("netstat/de-netstat-abno-1252.txt"), "netstat-abno");
	assert_string_equal(recognised_format("netstat/not-netstat.txt"), "unrecognised");
	assert_int_equal(probe_fixture(&kbf_win_netstat_an_importer, "netstat/not-netstat.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_netstat_ano_importer, "netstat/not-netstat.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_netstat_abno_importer, "netstat/not-netstat.txt"), 0);
	assert_true(probe_fixture(&kbf_win_netstat_ano_importer, "netstat/win2003-netstat-ano.txt") >= 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nt4_an),
		cmocka_unit_test(win2003_ano),
		cmocka_unit_test(utf16_ipv6),
		cmocka_unit_test(win10_abno),
		cmocka_unit_test(german_1252),
		cmocka_unit_test(french_1252),
		cmocka_unit_test(bad_port),
		cmocka_unit_test(truncated_endpoint),
		cmocka_unit_test(names_without_n),
		cmocka_unit_test(offload_state_column),
		cmocka_unit_test(binary_input),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
