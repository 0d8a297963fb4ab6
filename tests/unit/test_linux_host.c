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

#include "linux_test_util.h"
#include "linux/linux.h"

static const struct kb_fact *import_file(struct kb_engine *eng, const struct kbf_importer *imp,
					 const char *rel, int want_score, struct kbf_input *in, int want_rc)
{
	char *path = fixture_path(rel);
	size_t len;
	unsigned char *raw = file_read(path, &len);
	assert_int_equal(lt_probe(imp, raw, len), want_score);
	assert_int_equal(lt_import(eng, imp, raw, len, rel, in), want_rc);
	free(raw);
	free(path);
	return in->nfacts ? kb_fact_get(eng, (uint32_t)kb_fact_count(eng)) : NULL;
}

static void os_release_variants(void **state)
{
	(void)state;
	struct kb_engine *eng = lt_engine();
	struct kbf_input in;
	const struct kb_fact *h = import_file(eng, &kbf_osrelease_importer, "os-release/debian12", 90, &in, 0);
	lt_str(eng, h, "os_family", "linux");
	lt_str(eng, h, "os_name", "Debian GNU/Linux 12 (bookworm)");
	lt_str(eng, h, "os_version", "12");
	lt_nil(eng, h, "name");
	assert_int_equal(h->prov.line, 1);
	h = import_file(eng, &kbf_osrelease_importer, "os-release/ubuntu2204", 90, &in, 0);
	lt_str(eng, h, "os_name", "Ubuntu 22.04.4 LTS");
	lt_str(eng, h, "os_version", "22.04");
	h = import_file(eng, &kbf_osrelease_importer, "os-release/alpine-unquoted", 90, &in, 0);
	lt_str(eng, h, "os_name", "Alpine 3.19 \"edge\" \\n"); /* single quotes keep backslashes */
	lt_str(eng, h, "os_version", "3.19.1");
	kb_engine_free(eng);
}

static void os_release_errors_and_other_files(void **state)
{
	(void)state;
	const char bad[] = "NAME=\"Debian\"\nID=debian\nthis is not an assignment\nVERSION_ID=\"12\"\n";
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, (const unsigned char *)bad, sizeof(bad) - 1), 0);
	struct kbf_os_release os;
	struct kbf_input in = {.path = "os-release"};
	assert_int_equal(kbf_os_release_parse(&in, &t, &os), -1);
	assert_string_equal(in.err.where, "os-release:3");
	assert_string_equal(os.version_id, "12");
	assert_string_equal(os.name, "Debian");
	kbf_text_free(&t);
	assert_int_equal(lt_probe(&kbf_osrelease_importer, bad, sizeof(bad) - 1), 0);
	const char env[] = "PATH=/usr/bin\nHOME=/root\n";
	assert_int_equal(lt_probe(&kbf_osrelease_importer, env, sizeof(env) - 1), 0);
}

static void os_collector_under_root(void **state)
{
	(void)state;
	char *root = lt_tmpdir();
	lt_write(root, "usr/lib/os-release", "NAME=\"Fedora Linux\"\nVERSION=\"39 (Server Edition)\"\nID=fedora\n"
		 "VERSION_ID=39\n");
	lt_write(root, "proc/sys/kernel/hostname", "mail01\n");
	lt_write(root, "proc/sys/kernel/osrelease", "6.5.6-300.fc39.x86_64\n");
	struct kb_engine *eng = lt_engine();
	struct kbf_options opt = {.root = root};
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_os_collector, &opt, &in), 0);
	assert_int_equal(in.nfacts, 1);
	const struct kb_fact *h = kb_fact_get(eng, 1);
	lt_str(eng, h, "name", "mail01");
	lt_str(eng, h, "os_family", "linux");
	lt_str(eng, h, "os_name", "Fedora Linux 39 (Server Edition)");
	lt_str(eng, h, "os_version", "39");
	lt_str(eng, h, "kernel", "6.5.6-300.fc39.x86_64");
	assert_int_equal(lt_slot(eng, h, "arch").type, KB_STRING);
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
}

static void dpkg_status(void **state)
{
	(void)state;
	struct kb_engine *eng = lt_engine();
	struct kbf_input in;
	import_file(eng, &kbf_dpkg_importer, "dpkg/status", 90, &in, 0);
	assert_int_equal(in.nfacts, 5); /* config-files and not-installed left out */
	const struct kb_fact *p = lt_find_str(eng, "package", "name", "libc6");
	lt_str(eng, p, "version", "2.36-9+deb12u14");
	lt_str(eng, p, "architecture", "amd64");
	lt_str(eng, p, "status", "installed");
	assert_int_equal(p->prov.line, 75);
	assert_string_equal(p->prov.text, "Package: libc6");
	p = lt_find_str(eng, "package", "name", "nginx");
	lt_str(eng, p, "status", "half-configured");
	lt_str(eng, p, "version", "1.22.1-9");
	p = lt_find_str(eng, "package", "name", "openssh-server");
	lt_str(eng, p, "version", "1:9.2p1-2+deb12u3");
	assert_int_equal(p->prov.line, 131);
	lt_str(eng, lt_find_str(eng, "package", "name", "adduser"), "architecture", "all");
	assert_null(lt_find_str(eng, "package", "name", "apache2"));
	assert_null(lt_find_str(eng, "package", "name", "dovecot-core"));
	kb_engine_free(eng);
}

static void dpkg_errors_and_collector(void **state)
{
	(void)state;
	const char bad[] = "Package: a\nStatus: install ok installed\nVersion 1.0\n\nStatus: install ok installed\n"
			   "Version: 2\n\nPackage: b\nStatus: install ok installed\n";
	struct kb_engine *eng = lt_engine();
	struct kbf_input in;
	assert_int_equal(lt_import(eng, &kbf_dpkg_importer, bad, sizeof(bad) - 1, "status", &in), -1);
	assert_string_equal(in.err.where, "status:3");
	assert_int_equal(in.nfacts, 2);
	const char apt_list[] = "Package: a\nVersion: 1\nArchitecture: amd64\n";
	assert_int_equal(lt_probe(&kbf_dpkg_importer, apt_list, sizeof(apt_list) - 1), 0);
	kb_engine_free(eng);

	char *root = lt_tmpdir();
	struct kbf_options opt = {.root = root};
	eng = lt_engine();
	assert_int_equal(lt_gather(eng, &kbf_linux_packages_collector, &opt, &in), 0);
	assert_string_equal(in.unavailable, "no dpkg status file");
	char *fixture = fixture_path("dpkg/status");
	size_t len;
	unsigned char *raw = file_read(fixture, &len);
	lt_write(root, "var/lib/dpkg/status", "%.*s", (int)len, (const char *)raw);
	assert_int_equal(lt_gather(eng, &kbf_linux_packages_collector, &opt, &in), 0);
	assert_int_equal(in.nfacts, 5);
	const struct kb_fact *p = lt_find_str(eng, "package", "name", "bash");
	assert_string_equal(p->prov.source, "/var/lib/dpkg/status");
	assert_int_equal(p->prov.line, 41);
	free(raw);
	free(fixture);
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
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
	struct kb_engine *eng = lt_engine();
	struct kbf_input in = {.eng = eng, .path = "linux.addresses"};
	assert_int_equal(kbf_addrs_emit(&in, &l1), 0);
	assert_int_equal(in.nfacts, 2);
	const struct kb_fact *f = lt_find_str(eng, "address", "address", "192.168.31.221");
	lt_str(eng, f, "interface", "eth0");
	lt_str(eng, f, "family", "ipv4");
	lt_int(eng, f, "prefix", 24);
	lt_bool(eng, f, "up", true);
	assert_string_equal(f->prov.text, "eth0 inet 192.168.31.221/24 UP");
	f = lt_find_str(eng, "address", "address", "fe80::1");
	lt_int(eng, f, "prefix", 64);
	lt_bool(eng, f, "up", false);
	lt_str(eng, f, "family", "ipv6");
	kb_engine_free(eng);

	eng = lt_engine();
	struct kbf_options opt = {.root = ""};
	assert_int_equal(lt_gather(eng, &kbf_linux_addresses_collector, &opt, &in), 0);
	f = lt_find_str(eng, "address", "address", "127.0.0.1");
	assert_non_null(f);
	lt_int(eng, f, "prefix", 8);
	kb_engine_free(eng);
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
