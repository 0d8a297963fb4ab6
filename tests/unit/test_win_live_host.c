/*
 * test_win_live_host.c — the neutral halves of the live Windows host,
 * services, processes, addresses and files collectors
 * (facts/windows/live), fed what the APIs return: RtlGetVersion's fields
 * as Windows NT 4.0 SP6a, 2000 SP4, Server 2003 SP2 (what Wine reports
 * for nt40, win2k, win2003) and Server 2008 give them, registry key and
 * CBS package names holding update ids, SCM records with exit codes,
 * Toolhelp entries with refused paths, adapter addresses, and
 * VS_FIXEDFILEINFO bytes (good, short, with a bad signature).
 */
#include <string.h>

#include "importer_harness.h"
#include "windows/live/live.h"

/* The fake collector runs the test's body on its input. */
static int (*body)(struct kbf_input *in);
static int run_body(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	return body(in);
}
static const struct kbf_collector fake = {"windows.test", run_body, NULL, NULL, NULL};
static int run(struct harness *h, int (*b)(struct kbf_input *in))
{
	body = b;
	return gather(h, &fake, &(struct kbf_options){.root = ""});
}

static const struct kbf_live_host versions[] = {
	{.name = "NT4SRV", .major = 4, .minor = 0, .build = 1381, .platform = 2, .csd = "Service Pack 6a",
	 .sp_major = 6, .has_ex = true, .product_type = 3, .role = -1},
	{.name = "W2KDC", .major = 5, .minor = 0, .build = 2195, .platform = 2, .csd = "Service Pack 4",
	 .sp_major = 4, .has_ex = true, .product_type = 2, .role = 5, .domain = "corp.example"},
	{.name = "W2K3", .major = 5, .minor = 2, .build = 3790, .platform = 2, .csd = "Service Pack 2",
	 .sp_major = 2, .has_ex = true, .product_type = 3, .role = 3, .arch = "x86",
	 .product = "Microsoft(R) Windows(R) Server 2003, Standard Edition"},
	{.name = "W2K8", .major = 6, .minor = 0, .build = 6002, .platform = 2, .csd = "", .sp_major = 0,
	 .has_ex = true, .product_type = 1, .role = -1, .arch = "x64"},
};
static size_t which;
static int host_body(struct kbf_input *in)
{
	return kbf_live_host_emit(in, &versions[which]);
}

static void host_versions(void **state)
{
	(void)state;
	static const struct {
		const char *version, *role;
		int build, sp;
	} want[] = {
		{"4.0", NULL, 1381, 6}, {"5.0.2195", "domain controller", 2195, 4},
		{"5.2.3790", "member server", 3790, 2}, {"6.0.6002", "workstation", 6002, 0},
	};
	for (which = 0; which < 4; which++) {
		struct harness h = {0};
		assert_int_equal(run(&h, host_body), 0);
		const struct kb_fact *f = nth_fact(&h, "host", 0);
		check_str(&h, f, "os_family", "windows");
		check_str(&h, f, "os_version", want[which].version);
		check_int(&h, f, "build", want[which].build);
		check_int(&h, f, "service_pack", want[which].sp);
		check_str(&h, f, "role", want[which].role);
		check_str(&h, f, "name", versions[which].name);
		check_str(&h, f, "os_name", which == 2 ? "Microsoft Windows Server 2003, Standard Edition" : NULL);
		harness_close(&h);
	}
}

/* RtlGetVersion as Wine 8 answers it with HKCU\Software\Wine Version
 * set to nt40, win2k, win2003, win2008 (tests/fixtures/win-live). */
static struct kbf_live_host wine_host;
static char wine_csd[64];
static int wine_body(struct kbf_input *in)
{
	return kbf_live_host_emit(in, &wine_host);
}

static void wine_versions(void **state)
{
	(void)state;
	static const struct {
		const char *version, *os_version, *role;
		int build, sp;
	} want[] = {
		{"nt40", "4.0", "workstation", 1381, 6}, {"win2k", "5.0.2195", "workstation", 2195, 4},
		{"win2003", "5.2.3790", NULL, 3790, 2},   {"win2008", "6.0.6002", NULL, 6002, 2},
	};
	size_t len;
	char *text = (char *)fixture_read("win-live/wine-versions.txt", &len);
	for (size_t i = 0; i < 4; i++) {
		const char *line = strstr(text, want[i].version);
		unsigned long major, minor, build, platform;
		unsigned sp, spminor, suite, type;
		assert_non_null(line);
		assert_int_equal(sscanf(line + strlen(want[i].version),
					" rtl 0: %lu.%lu.%lu plat %lu csd '%63[^']' sp %u.%u suite %x type %u", &major, &minor,
					&build, &platform, wine_csd, &sp, &spminor, &suite, &type), 9);
		wine_host = (struct kbf_live_host){.name = "WINE", .major = major, .minor = minor, .build = build,
						  .platform = platform, .csd = wine_csd, .sp_major = (uint16_t)sp,
						  .has_ex = true, .product_type = (uint8_t)type, .role = -1};
		struct harness h = {0};
		assert_int_equal(run(&h, wine_body), 0);
		const struct kb_fact *f = nth_fact(&h, "host", 0);
		check_str(&h, f, "os_version", want[i].os_version);
		check_int(&h, f, "build", want[i].build);
		check_int(&h, f, "service_pack", want[i].sp);
		check_str(&h, f, "role", want[i].role);
		harness_close(&h);
	}
	free(text);
}

static int hotfix_body(struct kbf_input *in)
{
	struct kbf_live_seen seen = {0};
	const char *where = "HKLM\\SOFTWARE\\Microsoft";
	int n = kbf_live_hotfix_name(in, "Q147222", "Hotfix", "NT4SRV", where, &seen);
	n += kbf_live_hotfix_name(in, "KB823980", "Update", "NT4SRV", where, &seen);
	n += kbf_live_hotfix_name(in, "Package_for_KB2843630~31bf3856ad364e35~amd64~~6.1.1.0", NULL, NULL, where,
				  &seen);
	n += kbf_live_hotfix_name(in, "Package_for_KB2843630_RTM~31bf3856ad364e35~amd64~~6.1.1.0", NULL, NULL,
				  where, &seen); /* the same update again */
	n += kbf_live_hotfix_name(in, "Microsoft-Windows-Foundation-Package~31bf3856ad364e35", NULL, NULL, where,
				  &seen);
	n += kbf_live_hotfix_name(in, "QFE", NULL, NULL, where, &seen);
	kbf_live_seen_free(&seen);
	return n == 3 ? 0 : -1;
}

static void hotfixes(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, hotfix_body), 0);
	assert_int_equal(count_facts(&h, "hotfix"), 3);
	check_str(&h, find_str(&h, "hotfix", "id", "Q147222"), "description", "Hotfix");
	check_str(&h, find_str(&h, "hotfix", "id", "KB823980"), "host", "NT4SRV");
	assert_non_null(find_str(&h, "hotfix", "id", "KB2843630"));
	harness_close(&h);
}

static int services_body(struct kbf_input *in)
{
	struct kbf_live_service dns = {.name = "DNS", .display = "DNS Server", .image = "C:\\WINDOWS\\System32\\dns.exe",
				       .type = 0x10, .state = 4, .pid = 2296, .has_config = true, .start_type = 2};
	struct kbf_live_service is = {.name = "MSExchangeIS", .display = "Microsoft Exchange Information Store",
				      .type = 0x10, .state = 1, .win32_exit = 1066, .specific_exit = 0xC007041D};
	struct kbf_live_service never = {.name = "W3SVC", .type = 0x20, .state = 1, .win32_exit = 1077,
					 .has_config = true, .start_type = 2, .delayed = true, .image = ""};
	return kbf_live_service_emit(in, &dns) | kbf_live_service_emit(in, &is) | kbf_live_service_emit(in, &never);
}

static void services(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, services_body), 0);
	const struct kb_fact *s = find_str(&h, "service", "name", "DNS");
	check_str(&h, s, "display_name", "DNS Server");
	check_str(&h, s, "state", "running");
	check_str(&h, s, "type", "win32_own_process");
	check_str(&h, s, "start_type", "auto_start");
	check_str(&h, s, "image", "C:\\WINDOWS\\System32\\dns.exe");
	check_int(&h, s, "pid", 2296);
	check_int(&h, s, "exit_code", 0);
	s = find_str(&h, "service", "name", "MSExchangeIS");
	check_str(&h, s, "state", "stopped");
	check_int(&h, s, "exit_code", 1066);
	check_nil(&h, s, "pid");
	check_nil(&h, s, "start_type"); /* its configuration was not readable */
	assert_non_null(strstr(s->prov.text, "SERVICE_EXIT_CODE: 3221685277 (0xc007041d)"));
	s = find_str(&h, "service", "name", "W3SVC");
	check_int(&h, s, "exit_code", 1077);
	check_str(&h, s, "start_type", "auto_start (delayed)");
	check_str(&h, s, "type", "win32_share_process");
	check_nil(&h, s, "image");
	harness_close(&h);
}

/* EnumServicesStatusExW and QueryServiceConfigW as Wine 8 answers them
 * (tests/fixtures/win-live/wine-services.txt, rec.exe's lines). */
static int wine_services_body(struct kbf_input *in)
{
	size_t len;
	char *text = (char *)fixture_read("win-live/wine-services.txt", &len);
	int rc = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[64], display[128], image[256];
		unsigned long type, state, exit, spec, pid;
		long start;
		assert_int_equal(sscanf(line, "svc %63s '%127[^']' type %lx state %lu exit %lu spec %lu pid %lu start %ld "
					"image '%255[^']'", name, display, &type, &state, &exit, &spec, &pid, &start, image),
				 9);
		struct kbf_live_service s = {.name = name, .display = display, .image = image, .type = type,
					     .state = state, .win32_exit = exit, .specific_exit = spec, .pid = pid,
					     .has_config = start >= 0, .start_type = (uint32_t)start};
		rc |= kbf_live_service_emit(in, &s);
	}
	free(text);
	return rc;
}

static void wine_services(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, wine_services_body), 0);
	assert_int_equal(count_facts(&h, "service"), 16);
	const struct kb_fact *s = find_str(&h, "service", "name", "BITS");
	check_str(&h, s, "state", "stopped");
	check_int(&h, s, "exit_code", 1077);
	check_str(&h, s, "start_type", "demand_start");
	check_str(&h, s, "type", "win32_own_process");
	check_str(&h, s, "image", "C:\\windows\\system32\\svchost.exe -k netsvcs");
	check_nil(&h, s, "pid");
	s = find_str(&h, "service", "name", "Eventlog");
	check_str(&h, s, "state", "running");
	check_int(&h, s, "pid", 196);
	check_str(&h, s, "type", "win32_share_process");
	check_str(&h, s, "start_type", "auto_start");
	check_str(&h, find_str(&h, "service", "name", "Spooler"), "type", "win32_own_process (interactive)");
	check_str(&h, find_str(&h, "service", "name", "LanmanServer"), "start_type", "disabled");
	harness_close(&h);
}

static int procs_body(struct kbf_input *in)
{
	struct kbf_live_procs p = {0};
	kbf_live_procs_add(&p, 0, 0, "[System Process]", NULL);
	kbf_live_procs_add(&p, 4, 0, "System", NULL);
	kbf_live_procs_add(&p, 1712, 604, "svchost.exe", "C:\\WINDOWS\\system32\\svchost.exe");
	p.refused = 2;
	int rc = kbf_live_procs_emit(in, &p);
	assert_null(kbf_live_proc_find(&p, 5));
	assert_string_equal(kbf_live_proc_find(&p, 1712)->name, "svchost.exe");
	kbf_live_procs_free(&p);
	return rc;
}

static void processes(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, procs_body), 0);
	assert_int_equal(count_facts(&h, "process"), 3);
	const struct kb_fact *f = find_int(&h, "process", "pid", 1712);
	check_str(&h, f, "name", "svchost.exe");
	check_int(&h, f, "ppid", 604);
	check_str(&h, f, "path", "C:\\WINDOWS\\system32\\svchost.exe");
	check_nil(&h, find_int(&h, "process", "pid", 4), "path");
	check_skip(&h, 0, 0, "2 of 3 processes refused OpenProcess");
	harness_close(&h);
}

static int addrs_body(struct kbf_input *in)
{
	struct kbf_live_addr a = {.adapter = "Local Area Connection", .addr = {192, 168, 1, 10}, .prefix = 24,
				  .up = true};
	struct kbf_live_addr b = {.adapter = "Local Area Connection", .v6 = true,
				  .addr = {0xfe, 0x80, [14] = 0x12, [15] = 0x34}, .prefix = -1, .up = false};
	return kbf_live_addr_emit(in, &a) | kbf_live_addr_emit(in, &b);
}

static void addresses(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, addrs_body), 0);
	const struct kb_fact *f = find_str(&h, "address", "address", "192.168.1.10");
	check_str(&h, f, "interface", "Local Area Connection");
	check_str(&h, f, "family", "ipv4");
	check_int(&h, f, "prefix", 24);
	check_bool(&h, f, "up", true);
	f = find_str(&h, "address", "address", "fe80::1234");
	check_nil(&h, f, "prefix");
	check_bool(&h, f, "up", false);
	harness_close(&h);
}

/* VS_FIXEDFILEINFO of mfc42.dll 6.0.8665.0 (product 6.0.8665.0). */
static const unsigned char fixed_mfc42[52] = {
	0xBD, 0x04, 0xEF, 0xFE, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0xD9, 0x21, 0, 0, 6, 0, 0, 0, 0xD9, 0x21,
};

static int files_body(struct kbf_input *in)
{
	unsigned v[4], pv[4];
	struct kbf_fact f;
	const char *path = "C:\\WINNT\\system32\\mfc42.dll";
	assert_false(kbf_live_fixed_version(fixed_mfc42, 51, v, pv)); /* short */
	unsigned char bad[52];
	memcpy(bad, fixed_mfc42, 52);
	bad[0] = 0;
	assert_false(kbf_live_fixed_version(bad, 52, v, pv));
	assert_true(kbf_live_fixed_version(fixed_mfc42, 52, v, pv));
	kbf_live_file_begin(in, &f, path, 1028096);
	char raw[KBF_LIVE_VERSION_MAX];
	kbf_live_file_versions(&f, v, pv, "6.00.8665.0", NULL, raw);
	assert_true(kbf_fact_wanted(&f));
	if (!kbf_live_file_keep(&f, path, "6.00.8665.0"))
		return -1;
	kbf_live_file_begin(in, &f, "C:\\WINNT\\system32\\noversion.exe", 10);
	kbf_live_file_versions(&f, NULL, NULL, NULL, NULL, raw);
	assert_true(kbf_fact_wanted(&f));
	if (!kbf_live_file_keep(&f, "C:\\WINNT\\system32\\noversion.exe", NULL))
		return -1;
	/* A zero binary product version is no version; an empty ProductVersion
	 * string falls back to the binary one (file_fact.c's rule). */
	static const unsigned zero[4] = {0}, six[4] = {6, 1, 7601, 17514};
	kbf_live_file_begin(in, &f, "C:\\WINNT\\system32\\zero.dll", 10);
	kbf_live_file_versions(&f, six, zero, "6.1.7601.17514", NULL, raw);
	assert_true(kbf_fact_wanted(&f));
	if (!kbf_live_file_keep(&f, "C:\\WINNT\\system32\\zero.dll", NULL))
		return -1;
	kbf_live_file_begin(in, &f, "C:\\WINNT\\system32\\empty.dll", 10);
	kbf_live_file_versions(&f, six, six, "6.1.7601.17514", "", raw);
	assert_true(kbf_fact_wanted(&f));
	return kbf_live_file_keep(&f, "C:\\WINNT\\system32\\empty.dll", NULL) ? 0 : -1;
}

static void files(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(run(&h, files_body), 0);
	const struct kb_fact *f = find_str(&h, "file", "name", "mfc42.dll");
	check_str(&h, f, "path", "C:\\WINNT\\system32\\mfc42.dll");
	check_str(&h, f, "version", "6.0.8665.0");
	check_str(&h, f, "version_text", "6.00.8665.0");
	check_str(&h, f, "product_version", "6.0.8665.0");
	check_int(&h, f, "size", 1028096);
	f = find_str(&h, "file", "name", "noversion.exe");
	check_nil(&h, f, "version");
	check_nil(&h, f, "version_text");
	check_nil(&h, find_str(&h, "file", "name", "zero.dll"), "product_version");
	check_str(&h, find_str(&h, "file", "name", "empty.dll"), "product_version", "6.1.7601.17514");
	harness_close(&h);
}

static void image_files(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"C:\\WINDOWS\\system32\\svchost.exe -k netsvcs", "C:\\WINDOWS\\system32\\svchost.exe"},
		{"\"C:\\Program Files\\Exchsrvr\\bin\\store.exe\" /x", "C:\\Program Files\\Exchsrvr\\bin\\store.exe"},
		{"C:\\Program Files\\Exchsrvr\\bin\\mad.exe -d", "C:\\Program Files\\Exchsrvr\\bin\\mad.exe"},
		{"%SystemRoot%\\System32\\svchost.exe -k DcomLaunch", "C:\\WINNT\\System32\\svchost.exe"},
		{"\\SystemRoot\\System32\\drivers\\afd.sys", "C:\\WINNT\\System32\\drivers\\afd.sys"},
		{"system32\\DRIVERS\\tcpip.sys", "C:\\WINNT\\system32\\DRIVERS\\tcpip.sys"},
		{"\\??\\C:\\WINNT\\system32\\x.sys", "C:\\WINNT\\system32\\x.sys"},
		{"\"unterminated", "C:\\WINNT\\unterminated"}, /* a bare name is under the Windows folder */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = kbf_live_image_file(cases[i][0], "C:\\WINNT");
		assert_non_null(got);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
	assert_null(kbf_live_image_file("", "C:\\WINNT"));
	assert_null(kbf_live_image_file("\"\"", "C:\\WINNT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_versions), cmocka_unit_test(hotfixes), cmocka_unit_test(services),
		cmocka_unit_test(processes),     cmocka_unit_test(addresses), cmocka_unit_test(files),
		cmocka_unit_test(image_files), cmocka_unit_test(wine_versions), cmocka_unit_test(wine_services),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
