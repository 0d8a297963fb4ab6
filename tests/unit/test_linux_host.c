/*
 * test_linux_host.c — what the host is: os-release variants (quoted,
 * unquoted, single quotes and escapes, no PRETTY_NAME), the OS collector
 * under a test root, dpkg's status file, and interface addresses from a
 * getifaddrs(3) list built here.
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "importer_harness.h"
#include "linux/linux.h"

/* Imports tests/fixtures/<rel> shown as rel; returns the last fact asserted. */
static const struct kb_fact *import_file(struct harness *h, const struct kbf_importer *imp, const char *rel,
					 int want_score, int want_rc)
{
	assert_int_equal(import_fixture_as(h, imp, rel, rel), want_rc);
	assert_int_equal(h->score, want_score);
	return h->in.nfacts ? kb_fact_get(h->eng, (uint32_t)kb_fact_count(h->eng)) : NULL;
}

static void os_release_variants(void **state)
{
	(void)state;
	struct harness h = {0};
	const struct kb_fact *host = import_file(&h, &kbf_osrelease_importer, "os-release/debian12", 90, 0);
	check_str(&h, host, "os_family", "linux");
	check_str(&h, host, "os_name", "Debian GNU/Linux 12 (bookworm)");
	check_str(&h, host, "os_version", "12");
	check_nil(&h, host, "name");
	assert_int_equal(host->prov.line, 1);
	host = import_file(&h, &kbf_osrelease_importer, "os-release/ubuntu2204", 90, 0);
	check_str(&h, host, "os_name", "Ubuntu 22.04.4 LTS");
	check_str(&h, host, "os_version", "22.04");
	host = import_file(&h, &kbf_osrelease_importer, "os-release/alpine-unquoted", 90, 0);
	check_str(&h, host, "os_name", "Alpine 3.19 \"edge\" \\n"); /* single quotes keep backslashes */
	check_str(&h, host, "os_version", "3.19.1");
	harness_close(&h);
}

static void os_release_errors_and_other_files(void **state)
{
	(void)state;
	const char bad[] = "NAME=\"Debian\"\nID=debian\nthis is not an assignment\nVERSION_ID=\"12\"\n";
	struct kbf_text t;
	kbf_text_decode(&t, (const unsigned char *)bad, sizeof(bad) - 1);
	struct kbf_os_release os;
	struct kbf_input in = {.path = "os-release"};
	assert_int_equal(kbf_os_release_parse(&in, &t, &os), -1);
	assert_string_equal(in.err.where, "os-release:3");
	assert_string_equal(os.version_id, "12");
	assert_string_equal(os.name, "Debian");
	kbf_text_free(&t);
	assert_int_equal(probe_bytes(&kbf_osrelease_importer, bad, sizeof(bad) - 1), 0);
	const char env[] = "PATH=/usr/bin\nHOME=/root\n";
	assert_int_equal(probe_bytes(&kbf_osrelease_importer, env, sizeof(env) - 1), 0);
}

static void os_collector_under_root(void **state)
{
	(void)state;
	char *root = scratch_dir();
	scratch_write(root, "usr/lib/os-release", "NAME=\"Fedora Linux\"\nVERSION=\"39 (Server Edition)\"\nID=fedora\n"
		      "VERSION_ID=39\n");
	scratch_write(root, "proc/sys/kernel/hostname", "mail01\n");
	scratch_write(root, "proc/sys/kernel/osrelease", "6.5.6-300.fc39.x86_64\n");
	struct harness h = {0};
	struct kbf_options opt = {.root = root};
	assert_int_equal(gather(&h, &kbf_linux_os_collector, &opt), 0);
	assert_int_equal(h.in.nfacts, 1);
	const struct kb_fact *host = kb_fact_get(h.eng, 1);
	check_str(&h, host, "name", "mail01");
	check_str(&h, host, "os_family", "linux");
	check_str(&h, host, "os_name", "Fedora Linux 39 (Server Edition)");
	check_str(&h, host, "os_version", "39");
	check_str(&h, host, "kernel", "6.5.6-300.fc39.x86_64");
	assert_int_equal(slot_value(&h, host, "arch").type, KB_STRING);
	harness_close(&h);
	scratch_remove(root);
}

static void dpkg_status(void **state)
{
	(void)state;
	struct harness h = {0};
	import_file(&h, &kbf_dpkg_importer, "dpkg/status", 90, 0);
	assert_int_equal(h.in.nfacts, 5); /* config-files and not-installed left out */
	const struct kb_fact *p = find_str(&h, "package", "name", "libc6");
	check_str(&h, p, "version", "2.36-9+deb12u14");
	check_str(&h, p, "architecture", "amd64");
	check_str(&h, p, "status", "installed");
	assert_int_equal(p->prov.line, 75);
	assert_string_equal(p->prov.text, "Package: libc6");
	p = find_str(&h, "package", "name", "nginx");
	check_str(&h, p, "status", "half-configured");
	check_str(&h, p, "version", "1.22.1-9");
	p = find_str(&h, "package", "name", "openssh-server");
	check_str(&h, p, "version", "1:9.2p1-2+deb12u3");
	assert_int_equal(p->prov.line, 131);
	check_str(&h, find_str(&h, "package", "name", "adduser"), "architecture", "all");
	assert_null(find_str(&h, "package", "name", "apache2"));
	assert_null(find_str(&h, "package", "name", "dovecot-core"));
	harness_close(&h);
}

static void dpkg_errors_and_collector(void **state)
{
	(void)state;
	const char bad[] = "Package: a\nStatus: install ok installed\nVersion 1.0\n\nStatus: install ok installed\n"
			   "Version: 2\n\nPackage: b\nStatus: install ok installed\n";
	struct harness h = {0};
	assert_int_equal(import_bytes(&h, &kbf_dpkg_importer, "status", bad, sizeof(bad) - 1), -1);
	assert_string_equal(h.in.err.where, "status:3");
	assert_int_equal(h.in.nfacts, 2);
	const char apt_list[] = "Package: a\nVersion: 1\nArchitecture: amd64\n";
	assert_int_equal(probe_bytes(&kbf_dpkg_importer, apt_list, sizeof(apt_list) - 1), 0);
	harness_close(&h);

	char *root = scratch_dir();
	struct kbf_options opt = {.root = root};
	assert_int_equal(gather(&h, &kbf_linux_packages_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "no dpkg status file");
	size_t len;
	unsigned char *raw = fixture_read("dpkg/status", &len);
	scratch_write_bytes(root, "var/lib/dpkg/status", raw, len);
	assert_int_equal(gather(&h, &kbf_linux_packages_collector, &opt), 0);
	assert_int_equal(h.in.nfacts, 5);
	const struct kb_fact *p = find_str(&h, "package", "name", "bash");
	assert_string_equal(p->prov.source, "/var/lib/dpkg/status");
	assert_int_equal(p->prov.line, 41);
	free(raw);
	harness_close(&h);
	scratch_remove(root);
}

static void addresses_from_ifaddrs(void **state)
{
	(void)state;
	struct sockaddr_in a4 = {.sin_family = AF_INET}, m4 = {.sin_family = AF_INET};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6}, m6 = {.sin6_family = AF_INET6};
	struct sockaddr pkt = {.sa_family = AF_PACKET};
	inet_pton(AF_INET, "192.168.31.221", &a4.sin_addr);
	inet_pton(AF_INET, "255.255.255.0", &m4.sin_addr);
	inet_pton(AF_INET6, "fe80::1", &a6.sin6_addr);
	inet_pton(AF_INET6, "ffff:ffff:ffff:ffff::", &m6.sin6_addr);
	struct ifaddrs l3 = {.ifa_name = "eth1", .ifa_flags = 0, .ifa_addr = (struct sockaddr *)&a6,
			     .ifa_netmask = (struct sockaddr *)&m6};
	struct ifaddrs l2 = {.ifa_next = &l3, .ifa_name = "eth0", .ifa_flags = IFF_UP, .ifa_addr = &pkt};
	struct ifaddrs l1 = {.ifa_next = &l2, .ifa_name = "eth0", .ifa_flags = IFF_UP | IFF_RUNNING,
			     .ifa_addr = (struct sockaddr *)&a4, .ifa_netmask = (struct sockaddr *)&m4};
	struct harness h;
	harness_open(&h);
	struct kbf_input in = {.eng = h.eng, .path = "linux.addresses"};
	assert_int_equal(kbf_addrs_emit(&in, &l1), 0);
	assert_int_equal(in.nfacts, 2);
	const struct kb_fact *f = find_str(&h, "address", "address", "192.168.31.221");
	check_str(&h, f, "interface", "eth0");
	check_str(&h, f, "family", "ipv4");
	check_int(&h, f, "prefix", 24);
	check_bool(&h, f, "up", true);
	assert_string_equal(f->prov.text, "eth0 inet 192.168.31.221/24 UP");
	f = find_str(&h, "address", "address", "fe80::1");
	check_int(&h, f, "prefix", 64);
	check_bool(&h, f, "up", false);
	check_str(&h, f, "family", "ipv6");
	harness_close(&h);

	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(&h, &kbf_linux_addresses_collector, &opt), 0);
	f = find_str(&h, "address", "address", "127.0.0.1");
	assert_non_null(f);
	check_int(&h, f, "prefix", 8);
	harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(os_release_variants),
		cmocka_unit_test(os_release_errors_and_other_files),
		cmocka_unit_test(os_collector_under_root),
		cmocka_unit_test(dpkg_status),
		cmocka_unit_test(dpkg_errors_and_collector),
		cmocka_unit_test(addresses_from_ifaddrs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
