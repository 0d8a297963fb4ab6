/*
 * test_win_locales.c — Windows evidence from localised and older
 * Windows: systeminfo in German, Russian, French, Spanish, Italian,
 * Portuguese, Chinese and Japanese and from Windows XP (real outputs, origins in
 * tests/fixtures/SOURCES.md), sc blocks whose state words are not
 * English, tasklist's "N/A" in German, the OEM code pages of console
 * redirects (850, GBK), and the label matcher itself (core/labels.c).
 * Event Viewer exports in other languages: test_win_evt_locales.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdlib.h>

#include "importer_harness.h"
#include "core/labels.h"

static const struct kb_fact *check_host(const struct harness *im, const char *name, const char *os,
					const char *version, int64_t build, int64_t sp, const char *role,
					const char *domain, const char *arch, int line)
{
	check_ok(im);
	assert_int_equal(count_facts(im, "host"), 1);
	const struct kb_fact *f = nth_fact(im, "host", 0);
	check_str(im, f, "name", name);
	check_str(im, f, "os_name", os);
	check_str(im, f, "os_version", version);
	check_int(im, f, "build", build);
	check_int(im, f, "service_pack", sp);
	if (role)
		check_str(im, f, "role", role);
	else
		check_nil(im, f, "role");
	check_str(im, f, "domain", domain);
	check_str(im, f, "arch", arch);
	check_line(f, line);
	return f;
}

static void check_address(const struct harness *im, size_t i, const char *iface, const char *addr, int line)
{
	const struct kb_fact *f = nth_fact(im, "address", i);
	check_str(im, f, "interface", iface);
	check_str(im, f, "address", addr);
	check_line(f, line);
}

/* ---- the matcher ---------------------------------------------------------------- */

static void labels(void **state)
{
	(void)state;
	size_t after = 0, n = 0;
	const struct kbf_labels *keys = &kbf_labels_systeminfo_keys;
	assert_true(kbf_label_ieq("NetWork Card(s)", 15, "Network Card(s)"));
	assert_true(kbf_label_ieq("DOMÄNE", 7, "Domäne"));
	assert_true(kbf_label_ieq("ИМЯ УЗЛА", strlen("ИМЯ УЗЛА"), "Имя узла"));
	assert_false(kbf_label_ieq("Domäne", 7, "Domain"));
	assert_false(kbf_label_ieq("Domain", 6, "Domai"));
	const char *line = "System type:               X86-based PC";
	assert_string_equal(kbf_label_key(keys, line, strlen(line), &after), "System Type");
	assert_int_equal(after, 12);
	/* a no-break space before the colon, as French prints it */
	line = "Nom de la connexion\xc2\xa0: LAN";
	assert_string_equal(kbf_label_key(&kbf_labels_systeminfo_nic, line, strlen(line), &after),
			    "Connection Name");
	assert_int_equal(after, 22);
	/* a key needs its colon; a longer key is not its prefix's */
	line = "OS Name of something: x";
	assert_null(kbf_label_key(keys, line, strlen(line), &after));
	line = "IP address(es)";
	assert_string_equal(kbf_label_prefix(&kbf_labels_systeminfo_nic, line, strlen(line), &n), "IP address(es)");
	assert_int_equal(n, strlen(line));
	assert_null(kbf_label_find(keys, "Hostnam", 7));
}

/* ---- systeminfo ----------------------------------------------------------------- */

static void systeminfo_german(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/de-win7-systeminfo-utf8.txt");
	const struct kb_fact *f = check_host(&im, "OLI7-PC", "Microsoft Windows 7 Ultimate N", "6.1.7601", 7601, 1,
					     "workstation", "WORKGROUP", "x64", 2);
	assert_non_null(strstr(f->prov.text, "Betriebssystemversion: 6.1.7601 Service Pack 1 Build 7601"));
	/* three cards are disconnected; the wireless one has two addresses */
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Drahtlosnetzwerkverbindung", "172.30.50.20", 292);
	check_address(&im, 1, "Drahtlosnetzwerkverbindung", "fe80::39b6:9daa:3945:f78e", 293);
	assert_string_equal(recognised_format("systeminfo/de-win7-systeminfo-utf8.txt"), "systeminfo");
	harness_close(&im);
}

static void systeminfo_russian(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/ru-win2012r2-systeminfo-utf8.txt");
	check_host(&im, "DC", "Майкрософт Ознакомительная версия Windows Server 2012 R2 Standard", "6.3.9600", 9600,
		   0, "domain controller", "TEST", "x64", 1);
	assert_int_equal(count_facts(&im, "address"), 4);
	check_address(&im, 0, "Ethernet", "172.161.110.250", 45);
	check_address(&im, 2, "Ethernet 2", "192.168.56.143", 52);
	check_address(&im, 3, "Ethernet 2", "fe80::dead:dead:dead:beef", 53);
	harness_close(&im);
}

/* PowerShell's redirect: UTF-16, no-break spaces before colons and in
 * "Windows 7". */
static void systeminfo_french_utf16(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/fr-win7-systeminfo-utf16.txt");
	const struct kb_fact *f = check_host(&im, "WIN-IDKKFN87EL8", "Microsoft Windows 7 Entreprise N", "6.1.7601",
					     7601, 1, "workstation", "WORKGROUP", "x64", 2);
	assert_non_null(strstr(f->prov.text, "Nom de l'h\xc3\xb4te: WIN-IDKKFN87EL8"));
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Connexion au r\xc3\xa9seau local", "192.168.5.129", 133);
	check_address(&im, 1, "Connexion au r\xc3\xa9seau local", "fe80::705b:55d8:33f4:e9d6", 134);
	harness_close(&im);
}

/* XP: "System type:", "NetWork Card(s):". */
static void systeminfo_xp(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, &kbf_win_systeminfo_importer, "systeminfo/xp-sp2-systeminfo.txt");
	check_host(&im, "WINXPSP2", "Microsoft Windows XP Professional", "5.1.2600", 2600, 2, "workstation",
		   "WORKGROUP", "x86", 2);
	assert_int_equal(count_facts(&im, "address"), 1);
	check_address(&im, 0, "Local Area Connection", "192.168.159.219", 41);
	harness_close(&im);
}

/* Japanese Windows 7, as quoted in a public README (SOURCES.md): the
 * lines that matter, tabs after the card's keys as it has them. */
static void systeminfo_japanese(void **state)
{
	(void)state;
	struct harness im = {0};
	const char *text = "\r\n"
			   "ホスト名:               MyCowin7\r\n"
			   "OS 名:                  Microsoft Windows 7 Professional \r\n"
			   "OS バージョン:          6.1.7601 Service Pack 1 ビルド 7601\r\n"
			   "OS 製造元:              Microsoft Corporation\r\n"
			   "OS 構成:                スタンドアロン ワークステーション\r\n"
			   "システムの種類:         x64-based PC\r\n"
			   "ドメイン:               WORKGROUP\r\n"
			   "ネットワーク カード:    4 NIC(s) インストール済みです。\r\n"
			   "                        [01]: Intel(R) 82579LM Gigabit Network Connection\r\n"
			   "                              接続名:\t\tローカル エリア接続\r\n"
			   "                              DHCP が有効:\tはい\r\n"
			   "                              IP アドレス\r\n"
			   "                              [01]: 192.168.1.101\r\n";
	import_bytes(&im, NULL, "ja-systeminfo.txt", text, strlen(text));
	assert_string_equal(im.in.format, "systeminfo");
	check_host(&im, "MyCowin7", "Microsoft Windows 7 Professional", "6.1.7601", 7601, 1, "workstation",
		   "WORKGROUP", "x64", 2);
	assert_int_equal(count_facts(&im, "address"), 1);
	check_address(&im, 0, "ローカル エリア接続", "192.168.1.101", 14);
	harness_close(&im);
}

/* Brazilian Portuguese Windows 11, as pasted in a public repository's
 * notes (SOURCES.md): the lines the importer reads, the host renamed. */
static void systeminfo_portuguese(void **state)
{
	(void)state;
	struct harness im = {0};
	const char *text = "\r\n"
			   "Nome do host:                              HOST\r\n"
			   "Nome do sistema operacional:               Microsoft Windows 11 Pro\r\n"
			   "Versão do sistema operacional:             10.0.26100 N/A compilação 26100\r\n"
			   "Configuração do sistema operacional:       Estação de trabalho autônoma\r\n"
			   "Tipo de sistema:                           x64-based PC\r\n"
			   "Domínio:                                   WORKGROUP\r\n"
			   "Placa(s) de Rede:                          2 NIC(s) instalado(s).\r\n"
			   "                                           [01]: Realtek 8812AE Wireless LAN 802.11ac PCI-E NIC\r\n"
			   "                                                 Nome da conexão: Wi-Fi\r\n"
			   "                                                 Status:          Mídia desconectada\r\n"
			   "                                           [02]: Realtek PCIe GbE Family Controller\r\n"
			   "                                                 Nome da conexão: Ethernet\r\n"
			   "                                                 DHCP ativado:    Sim\r\n"
			   "                                                 Servidor DHCP:   192.168.0.1\r\n"
			   "                                                 Endereço(es) IP\r\n"
			   "                                                 [01]: 192.168.0.20\r\n"
			   "                                                 [02]: fe80::9e1f:cfeb:ea96:8493\r\n";
	import_bytes(&im, NULL, "pt-systeminfo.txt", text, strlen(text));
	assert_string_equal(im.in.format, "systeminfo");
	check_host(&im, "HOST", "Microsoft Windows 11 Pro", "10.0.26100", 26100, 0, "workstation", "WORKGROUP", "x64",
		   2);
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet", "192.168.0.20", 17);
	check_address(&im, 1, "Ethernet", "fe80::9e1f:cfeb:ea96:8493", 18);
	harness_close(&im);
}

/* /fo csv with a localised header: the same labels as the list form. */
static void systeminfo_csv_german_header(void **state)
{
	(void)state;
	struct harness im = {0};
	char row[2048] = "\"Hostname\",\"Betriebssystemname\",\"Betriebssystemversion\"";
	for (int i = 3; i < 32; i++)
		strcat(row, i == 4 ? ",\"Betriebssystemkonfiguration\"" : i == 13 ? ",\"Systemtyp\""
			    : i == 28 ? ",\"Dom\xc3\xa4ne\"" : ",\"X\"");
	strcat(row, "\r\n\"OLI7-PC\",\"Microsoft Windows 7 Ultimate N\",\"6.1.7601 Service Pack 1 Build 7601\"");
	for (int i = 3; i < 32; i++)
		strcat(row, i == 4 ? ",\"Eigenst\xc3\xa4ndige Arbeitsstation\"" : i == 13 ? ",\"x64-based PC\""
			    : i == 28 ? ",\"WORKGROUP\"" : ",\"\"");
	strcat(row, "\r\n");
	import_bytes(&im, NULL, "si.csv", row, strlen(row));
	assert_string_equal(im.in.format, "systeminfo-csv");
	check_host(&im, "OLI7-PC", "Microsoft Windows 7 Ultimate N", "6.1.7601", 7601, 1, "workstation", "WORKGROUP",
		   "x64", 2);
	harness_close(&im);
}

/* ---- console redirects: OEM code pages ------------------------------------------ */

static void systeminfo_italian_cp850(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "systeminfo/it-win10-systeminfo-cp850.txt");
	assert_string_equal(im.text.encoding, "cp850");
	assert_string_equal(im.in.format, "systeminfo");
	check_host(&im, "PC044", "Microsoft Windows 10 Pro", "10.0.17134", 17134, 0, "workstation",
		   "intranet.xxxxx.it", "x64", 2);
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet", "192.168.1.48", 50);
	check_address(&im, 1, "Ethernet", "fe80::35c2:a744:ed99:4e26", 51);
	harness_close(&im);
}

/* Its author replaced the personal values by "...": the host is read,
 * the two addresses are left out with a note each. */
static void systeminfo_spanish_cp850(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "systeminfo/es-win10-systeminfo-cp850.txt");
	assert_string_equal(im.text.encoding, "cp850");
	check_host(&im, "...", "Microsoft Windows 10 Education", "10.0.17763", 17763, 0, "workstation", "WORKGROUP",
		   "x64", 2);
	assert_int_equal(count_facts(&im, "address"), 0);
	check_skip(&im, 0, 52, "'...' is not an IP address");
	check_skip(&im, 1, 53, "'...' is not an IP address");
	harness_close(&im);
}

static void systeminfo_french_cp850(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "systeminfo/fr-win7-systeminfo-cp850.txt");
	assert_string_equal(im.text.encoding, "cp850");
	check_host(&im, "WIN-IDKKFN87EL8", "Microsoft Windows 7 Entreprise N", "6.1.7601", 7601, 1, "workstation",
		   "WORKGROUP", "x64", 2);
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Connexion au r\xc3\xa9seau local", "192.168.5.129", 113);
	harness_close(&im);
}

static void systeminfo_chinese_gbk(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture(&im, NULL, "systeminfo/zh-win10-systeminfo-gbk.txt");
	assert_string_equal(im.text.encoding, "gbk");
	check_host(&im, "DESKTOP-0CQH3P2", "Microsoft Windows 10 企业版 LTSC", "10.0.17763", 17763, 0, "workstation",
		   "WORKGROUP", "x64", 2);
	assert_int_equal(count_facts(&im, "address"), 2);
	check_address(&im, 0, "Ethernet0", "192.168.5.128", 41);
	check_address(&im, 1, "Ethernet0", "fe80::80b0:e291:97be:f0a6", 42);
	harness_close(&im);
}

static void guessed_codepages(void **state)
{
	(void)state;
	struct harness im = {0};
	import_fixture_encoded(&im, "systeminfo/ru-win2012r2-systeminfo-utf8.txt", "CP866");
	assert_string_equal(im.text.encoding, "cp866");
	check_host(&im, "DC", "Майкрософт Ознакомительная версия Windows Server 2012 R2 Standard", "6.3.9600", 9600,
		   0, "domain controller", "TEST", "x64", 1);
	harness_close(&im);
	import_fixture_encoded(&im, "systeminfo/ru-win2012r2-systeminfo-utf8.txt", "CP1251");
	assert_string_equal(im.text.encoding, "windows-1251");
	assert_int_equal(count_facts(&im, "address"), 4);
	harness_close(&im);
	import_fixture_encoded(&im, "systeminfo/de-win7-systeminfo-utf8.txt", "CP850");
	assert_string_equal(im.text.encoding, "cp850");
	check_str(&im, nth_fact(&im, "address", 0), "interface", "Drahtlosnetzwerkverbindung");
	harness_close(&im);
	/* the German sample in the ANSI code page stays Windows-1252 */
	import_fixture_encoded(&im, "systeminfo/de-win7-systeminfo-utf8.txt", "CP1252");
	assert_string_equal(im.text.encoding, "windows-1252");
	assert_string_equal(im.in.format, "systeminfo");
	harness_close(&im);

	const char *ja = "ホスト名:               MyCowin7\r\n"
			 "OS 名:                  Microsoft Windows 7 Professional \r\n"
			 "OS バージョン:          6.1.7601 Service Pack 1 ビルド 7601\r\n"
			 "OS 構成:                スタンドアロン ワークステーション\r\n";
	char sjis[512], *in = (char *)(uintptr_t)ja, *o = sjis;
	size_t left = strlen(ja), room = sizeof(sjis);
	iconv_t cd = iconv_open("CP932", "UTF-8");
	assert_int_not_equal(iconv(cd, &in, &left, &o, &room), (size_t)-1);
	iconv_close(cd);
	import_bytes(&im, NULL, "ja.txt", sjis, (size_t)(o - sjis));
	assert_string_equal(im.text.encoding, "cp932");
	check_str(&im, nth_fact(&im, "host", 0), "role", "workstation");
	harness_close(&im);
}

/* Files in the ANSI code page stay Windows-1252. */
static void ansi_stays(void **state)
{
	(void)state;
	static const char *const files[] = {
		"eventlog-csv/nt4-application.csv", "winmsd/ntw-nosp-winmsd.txt",
		"netstat/fr-netstat-ano-1252.txt", "netstat/de-netstat-abno-1252.txt",
	};
	struct harness im = {0};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		import_fixture(&im, NULL, files[i]);
		assert_string_equal(im.text.encoding, "windows-1252");
	}
	harness_close(&im);
}

/* ---- sc, tasklist ---------------------------------------------------------------- */

/* Words after the numbers that are not English: the numbers decide. */
static void sc_state_by_number(void **state)
{
	(void)state;
	struct harness im = {0};
	const char *text = "\r\nservice_name: Spooler\r\n"
			   "        TYPE               : 110  EIGENER_PROZESS\r\n"
			   "        STATE              : 4  WIRD_AUSGEFÜHRT\r\n"
			   "        WIN32_EXIT_CODE    : 0  (0x0)\r\n"
			   "        PID                : 1234\r\n";
	import_bytes(&im, &kbf_win_sc_importer, "sc.txt", text, strlen(text));
	check_ok(&im);
	const struct kb_fact *f = nth_fact(&im, "service", 0);
	check_str(&im, f, "name", "Spooler");
	check_str(&im, f, "state", "running");
	check_str(&im, f, "type", "win32_own_process (interactive)");
	check_int(&im, f, "pid", 1234);
	harness_close(&im);
}

/* German tasklist /v prints "Nicht zutreffend" for N/A. */
static void tasklist_german_na(void **state)
{
	(void)state;
	struct harness im = {0};
	const char *text = "\r\nAbbildname                     PID Dienste\r\n"
			   "========================= ======== ============================================\r\n"
			   "System Idle Process              0 Nicht zutreffend\r\n"
			   "svchost.exe                    812 RpcSs\r\n";
	import_bytes(&im, &kbf_win_tasklist_importer, "tl.txt", text, strlen(text));
	check_ok(&im);
	assert_int_equal(count_facts(&im, "process"), 2);
	assert_int_equal(count_facts(&im, "service"), 1);
	check_str(&im, nth_fact(&im, "service", 0), "name", "RpcSs");
	harness_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels),
		cmocka_unit_test(systeminfo_german),
		cmocka_unit_test(systeminfo_russian),
		cmocka_unit_test(systeminfo_french_utf16),
		cmocka_unit_test(systeminfo_xp),
		cmocka_unit_test(systeminfo_japanese),
		cmocka_unit_test(systeminfo_portuguese),
		cmocka_unit_test(systeminfo_csv_german_header),
		cmocka_unit_test(systeminfo_italian_cp850),
		cmocka_unit_test(systeminfo_spanish_cp850),
		cmocka_unit_test(systeminfo_french_cp850),
		cmocka_unit_test(systeminfo_chinese_gbk),
		cmocka_unit_test(guessed_codepages),
		cmocka_unit_test(ansi_stays),
		cmocka_unit_test(sc_state_by_number),
		cmocka_unit_test(tasklist_german_na),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
