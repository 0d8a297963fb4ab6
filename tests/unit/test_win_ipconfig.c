/*
 * test_win_ipconfig.c — the ipconfig /all importer on jc's real outputs of
 * Windows XP, 7, Server 2008, Server 2016, 10 and 11 (tests/fixtures/
 * SOURCES.md) and on NT 4.0 and 2000 listings written after KB Q162055
 * and Windows 2000 outputs quoted in public projects: the host, each address with its
 * family, prefix and adapter, states and zones stripped; bad values left
 * out with a warning; recognition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "importer_harness.h"

static void check_address(const struct harness *im, size_t i, const char *iface, const char *family,
			  const char *addr, int prefix, int line)
{
	const struct kb_fact *f = nth_fact(im, "address", i);
	check_str(im, f, "interface", iface);
	check_str(im, f, "family", family);
	check_str(im, f, "address", addr);
	if (prefix >= 0)
		check_int(im, f, "prefix", prefix);
	else
		check_nil(im, f, "prefix");
	check_bool(im, f, "up", true);
	check_line(f, line);
}

static const struct kb_fact *check_host(const struct harness *im, const char *name, const char *domain)
{
	assert_int_equal(im->in.nskips, 0);
	assert_int_equal(count_facts(im, "host"), 1);
	const struct kb_fact *f = nth_fact(im, "host", 0);
	check_str(im, f, "name", name);
	check_str(im, f, "os_family", "windows");
	check_str(im, f, "domain", domain);
	check_nil(im, f, "os_version");
	return f;
}

static void windows_xp(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-xp-ipconfig.out");
	check_ok(&im);
	const struct kb_fact *h = check_host(&im, "DESKTOP-PC4", "somecompany.corp");
	check_prov(h, "jc-windows-xp-ipconfig.out", 4, "   Host Name . . . . . . . . . . . . : DESKTOP-PC4");
	assert_int_equal(count_facts(&im, "address"), 1);
	/* the gateway, DHCP and DNS servers are not the host's addresses */
	check_address(&im, 0, "Local Area Connection", "ipv4", "192.168.22.135", 24, 19);
	harness_close(&im);
}

static void windows_7(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-7-ipconfig.out");
	check_ok(&im);
	check_host(&im, "DESKTOP-WIN7", "somecompany.corp");
	/* the disconnected isatap tunnel has no address */
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Local Area Connection", "ipv6", "fe80::c447:d1ef:c29f:c44c", -1, 18);
	check_address(&im, 1, "Local Area Connection", "ipv4", "192.168.22.33", 24, 19);
	check_prov(nth_fact(&im, "address", 1), NULL, 19,
		   "   IPv4 Address. . . . . . . . . . . : 192.168.22.33(Preferred)");
	harness_close(&im);
}

static void servers_2008_2016(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-2008-ipconfig.out");
	check_ok(&im);
	check_host(&im, "WIN-SERVER8", NULL); /* "Primary Dns Suffix" is empty */
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Local Area Connection", "ipv6", "fe80::9595:e8d9:b190:ecac", -1, 17);
	check_address(&im, 1, "Local Area Connection", "ipv4", "192.168.23.154", 24, 18);
	harness_close(&im);

	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-2016-ipconfig.out");
	check_ok(&im);
	check_host(&im, "WIN-SERVER16", "somecompany.corp");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 1, "Ethernet0", "ipv4", "192.168.22.153", 24, 19);
	harness_close(&im);
}

static void windows_10_and_11(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-10-ipconfig.out");
	check_ok(&im);
	check_host(&im, "DESKTOP-WIN10-PRO", NULL);
	/* "Unknown adapter Tailscale": a global IPv6, a link-local one, a /32;
	 * the DNS servers continued on lines below are not addresses */
	assert_int_equal(count_facts(&im, "address"), 5);
	check_address(&im, 0, "Tailscale", "ipv6", "fd7a:115c:a1e0:ab12:4843:cd96:6293:47b2", -1, 19);
	check_address(&im, 1, "Tailscale", "ipv6", "fe80::99d0:ec2d:b2e7:536b", -1, 20);
	check_address(&im, 2, "Tailscale", "ipv4", "100.115.71.66", 32, 21);
	check_address(&im, 4, "Ethernet 2", "ipv4", "10.50.13.132", 24, 39);
	assert_null(find_str(&im, "address", "address", "fec0:0:0:ffff::1"));
	harness_close(&im);

	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/jc-windows-11-ipconfig.out");
	check_ok(&im);
	check_host(&im, "DESKTOP-WIN11-HOME", NULL);
	/* ten adapters, seven of them disconnected */
	assert_int_equal(count_facts(&im, "address"), 8);
	check_address(&im, 4, "Wi-Fi", "ipv6", "fd63:cc9c:65eb:3f95:57c2:aa:10d8:db08", -1, 109);
	check_address(&im, 5, "Wi-Fi", "ipv6", "fd63:cc9c:65eb:3f95:8928:348e:d692:b7ef", -1, 110); /* Temporary */
	check_address(&im, 7, "Wi-Fi", "ipv4", "192.168.1.169", 24, 112);
	harness_close(&im);
}

static void nt4_and_2000(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/nt4-ipconfig-all.txt");
	check_ok(&im);
	check_host(&im, "MYPC", NULL);
	/* the PPP adapter's 0.0.0.0 is no address */
	assert_int_equal(count_facts(&im, "address"), 1);
	check_address(&im, 0, "Elnk31", "ipv4", "100.50.84.54", 21, 18);
	harness_close(&im);

	import_fixture(&im, &kbf_win_ipconfig_importer, "ipconfig/w2k-ipconfig-all.txt");
	check_ok(&im);
	check_host(&im, "w2kdc01", "corp.example.com");
	assert_int_equal(count_facts(&im, "address"), 3);
	check_address(&im, 0, "Local Area Connection", "ipv4", "10.1.2.10", 24, 17);
	check_address(&im, 1, "Local Area Connection", "ipv4", "10.1.2.11", 24, 19);
	check_address(&im, 2, "Local Area Connection 2", "ipv4", "169.254.241.150", 16, 32);
	harness_close(&im);
}

/* One bad value is left out with a warning; the rest is read. */
static void malformed(void **state)
{
	(void)state;
	struct harness im = {0};
	import_str(&im, &kbf_win_ipconfig_importer,
		   "Windows IP Configuration\r\n\r\n"
		   "   Host Name . . . . . . . . . . . . : PC1\r\n\r\n"
		   "Ethernet adapter Ethernet:\r\n\r\n"
		   "   IPv4 Address. . . . . . . . . . . : 192.168.1.300(Preferred)\r\n"
		   "   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n"
		   "   IPv4 Address. . . . . . . . . . . : 192.168.1.30(Preferred)\r\n"
		   "   Subnet Mask . . . . . . . . . . . : 255.0.255.0\r\n"
		   "   IPv6 Address. . . . . . . . . . . : 2001:db8::5(Deprecated)\r\n");
	assert_int_equal(im.rc, 0);
	assert_int_equal(im.in.nskips, 2);
	check_skip(&im, 0, 7, "'192.168.1.300(Preferred)' is not an IP address");
	check_skip(&im, 1, 10, "subnet mask '255.0.255.0' is not one");
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet", "ipv4", "192.168.1.30", -1, 9);
	check_address(&im, 1, "Ethernet", "ipv6", "2001:db8::5", -1, 11);
	harness_close(&im);
}

static void recognition(void **state)
{
	(void)state;
	static const char *const real[] = {"xp", "7", "2008", "2016", "10", "11"};
	char rel[64];
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		snprintf(rel, sizeof(rel), "ipconfig/jc-windows-%s-ipconfig.out", real[i]);
		assert_string_equal(recognised_format(rel), "ipconfig");
	}
	assert_string_equal(recognised_format("ipconfig/nt4-ipconfig-all.txt"), "ipconfig");
	assert_string_equal(recognised_format("ipconfig/w2k-ipconfig-all.txt"), "ipconfig");
	assert_int_equal(probe_fixture(&kbf_win_ipconfig_importer, "systeminfo/win7-systeminfo.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_ipconfig_importer, "sc/sc-queryex-all.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_ipconfig_importer, "hotfix/get-hotfix-list-de.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_win_systeminfo_importer, "ipconfig/jc-windows-10-ipconfig.out"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_xp),
		cmocka_unit_test(windows_7),
		cmocka_unit_test(servers_2008_2016),
		cmocka_unit_test(windows_10_and_11),
		cmocka_unit_test(nt4_and_2000),
		cmocka_unit_test(malformed),
		cmocka_unit_test(recognition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
