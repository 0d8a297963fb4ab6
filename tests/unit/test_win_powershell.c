/*
 * test_win_powershell.c — the PowerShell output importers: each cmdlet kbdiag
 * reads in each form it comes in (tables of 5.1 and 7, lists with wrapped
 * values, Export-Csv with and without #TYPE, ConvertTo-Json of 5.1 and 7 with
 * enums as numbers or names), values cut to the console width, UTF-16 from a
 * 5.1 redirect, the same facts as netstat / tasklist / sc for the same data,
 * recognition against the other importers, and damaged input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "importer_harness.h"

#define PS "powershell/"

static const char *skip_reason(const struct harness *h, int line)
{
	for (size_t i = 0; i < h->in.nskips_kept; i++)
		if (h->in.skips[i].line == line)
			return h->in.skips[i].reason;
	return NULL;
}

/* ---- Get-NetTCPConnection, Get-NetUDPEndpoint ---------------------------------- */

static void tcp_table(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "nettcp-table-5.1.txt");
	assert_string_equal(h.in.format, "powershell-table");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "listener"), 6);
	assert_int_equal(count_facts(&h, "connection"), 2);
	const struct kb_fact *f = fact_at(&h, "listener", 12);
	check_str(&h, f, "protocol", "tcp");
	check_str(&h, f, "family", "ipv4");
	check_str(&h, f, "address", "0.0.0.0");
	check_int(&h, f, "port", 110);
	check_int(&h, f, "pid", 812);
	check_str(&h, f, "state", "LISTENING");
	check_bool(&h, f, "owner_known", true);
	check_prov(f, "nettcp-table-5.1.txt", 12,
		   "0.0.0.0                             110       0.0.0.0                             0          "
		   "Listen                     812");
	f = fact_at(&h, "listener", 8); /* the zone goes, as netstat's importer drops it */
	check_str(&h, f, "family", "ipv6");
	check_str(&h, f, "address", "fe80::8d4c:2b1a:9e0f:3c55");
	f = fact_at(&h, "connection", 10);
	check_str(&h, f, "local_address", "10.0.0.20");
	check_int(&h, f, "local_port", 1043);
	check_str(&h, f, "remote_address", "10.0.0.51");
	check_int(&h, f, "remote_port", 139);
	check_str(&h, f, "state", "TIME_WAIT");
	check_str(&h, fact_at(&h, "connection", 11), "state", "BOUND"); /* bound, not listening */
	/* the IPv6 address cut to the console width: that row is left out, and said */
	assert_int_equal(h.in.nskips, 1);
	assert_non_null(strstr(skip_reason(&h, 9), "local address cut short"));
	harness_close(&h);
}

static void tcp_list_and_json(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "nettcp-list-5.1.txt");
	assert_string_equal(h.in.format, "powershell-list");
	check_ok(&h);
	const struct kb_fact *f = fact_at(&h, "listener", 2);
	check_int(&h, f, "port", 110);
	check_int(&h, f, "pid", 812);
	check_prov(f, "nettcp-list-5.1.txt", 2,
		   "LocalAddress: 0.0.0.0; LocalPort: 110; OwningProcess: 812; RemoteAddress: 0.0.0.0; RemotePort: 0; "
		   "State: Listen");
	check_str(&h, fact_at(&h, "connection", 12), "state", "ESTABLISHED");
	harness_close(&h);

	/* 5.1: State 2 is Listen, 11 TimeWait; a CIM instance's nested objects are no objects of their own */
	import_fixture(&h, NULL, PS "nettcp-5.1.json");
	assert_string_equal(h.in.format, "powershell-json");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "listener"), 1);
	assert_int_equal(count_facts(&h, "connection"), 1);
	f = fact_at(&h, "listener", 2);
	check_int(&h, f, "port", 110);
	check_str(&h, f, "state", "LISTENING");
	check_str(&h, fact_at(&h, "connection", 39), "state", "TIME_WAIT");
	harness_close(&h);

	/* 7, one object without an array, -EnumsAsStrings */
	import_fixture(&h, NULL, PS "nettcp-7.json");
	check_ok(&h);
	f = fact_at(&h, "listener", 1);
	check_str(&h, f, "address", "::");
	check_str(&h, f, "family", "ipv6");
	check_int(&h, f, "port", 143);
	check_int(&h, f, "pid", 812);
	harness_close(&h);
}

static void udp_csv(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "netudp-5.1.csv");
	assert_string_equal(h.in.format, "powershell-csv");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "listener"), 3);
	const struct kb_fact *f = fact_at(&h, "listener", 2);
	check_str(&h, f, "protocol", "udp");
	check_int(&h, f, "port", 500);
	check_int(&h, f, "pid", 3108);
	check_nil(&h, f, "state");
	harness_close(&h);
}

/* PowerShell 7 on a console narrower than the header wraps the last
 * name over two lines. */
static void tcp_wrapped_header(void **state)
{
	(void)state;
	struct harness h = {0};
	import_str(&h, NULL,
		   "LocalAddress                        LocalPort RemoteAddress                       RemotePort State       "
		   "AppliedSetting OwningPr\n"
		   "                                                                                                           "
		   "             ocess\n"
		   "------------                        --------- -------------                       ---------- -----       "
		   "-------------- --------\n"
		   "127.0.0.1                           27017     127.0.0.1                           60217      Established "
		   "Internet       14056\n");
	assert_string_equal(h.in.format, "powershell-table");
	const struct kb_fact *f = fact_at(&h, "connection", 4);
	check_int(&h, f, "local_port", 27017);
	check_int(&h, f, "pid", 14056);
	harness_close(&h);
}

/* The same endpoint from netstat -ano and from Get-NetTCPConnection: the
 * same fact, slot for slot. */
static void same_as_netstat(void **state)
{
	(void)state;
	static const char *const slots[] = {"protocol", "family", "address", "port", "pid", "state", "owner_known",
					    "process", "service"};
	struct harness ns = {0}, ps = {0};
	import_str(&ns, NULL, "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        "
			      "State           PID\r\n  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING       812\r\n");
	assert_string_equal(ns.in.format, "netstat-ano");
	import_fixture(&ps, NULL, PS "nettcp-table-5.1.txt");
	const struct kb_fact *a = nth_fact(&ns, "listener", 0), *b = fact_at(&ps, "listener", 12);
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		struct kb_value va = slot_value(&ns, a, slots[i]), vb = slot_value(&ps, b, slots[i]);
		if (i < 6) /* the endpoint's own slots: both importers set them */
			assert_int_not_equal(va.type, KB_NIL);
		assert_int_equal(va.type, vb.type);
		if (va.type == KB_STRING)
			assert_string_equal(va.u.s, vb.u.s);
		else if (va.type != KB_NIL)
			assert_true(memcmp(&va.u, &vb.u, sizeof(va.u)) == 0);
	}
	harness_close(&ns);
	harness_close(&ps);
}

/* ---- Get-Process ------------------------------------------------------------------ */

static void process_tables(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "process-table-5.1.txt");
	assert_string_equal(h.in.format, "powershell-table");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "process"), 8);
	/* named as tasklist names them, which rules join on */
	check_str(&h, find_int(&h, "process", "pid", 0), "name", "System Idle Process");
	check_str(&h, find_int(&h, "process", "pid", 4), "name", "System");
	check_str(&h, find_int(&h, "process", "pid", 96), "name", "Registry");
	const struct kb_fact *f = fact_at(&h, "process", 10);
	check_int(&h, f, "pid", 812);
	check_str(&h, f, "name", "PoProxy.exe");
	check_int(&h, f, "memory_kb", 4876); /* WS(K) */
	check_str(&h, f, "session", "0");
	check_int(&h, fact_at(&h, "process", 11), "pid", 11824); /* wider than "Id": runs left of the dashes */
	harness_close(&h);

	import_fixture(&h, NULL, PS "process-table-7.txt");
	check_ok(&h);
	f = fact_at(&h, "process", 5);
	check_str(&h, f, "name", "PoProxy.exe");
	check_int(&h, f, "memory_kb", 4874); /* 4.76 MB */
	check_int(&h, fact_at(&h, "process", 3), "pid", 18732);
	harness_close(&h);
}

static void process_csv(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "process-select-5.1.csv");
	assert_string_equal(h.in.format, "powershell-csv");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "process"), 4);
	const struct kb_fact *f = fact_at(&h, "process", 5);
	check_str(&h, f, "name", "POPROXY.EXE"); /* the image's own name, from Path */
	check_str(&h, f, "path", "C:\\Program Files\\Norton AntiVirus\\POPROXY.EXE");
	check_int(&h, f, "memory_kb", 4876); /* WorkingSet64 in bytes */
	check_nil(&h, fact_at(&h, "process", 4), "path");
	harness_close(&h);
}

/* Get-CimInstance Win32_Process | Select-Object ... | ConvertTo-Json (7):
 * the image name as it is, the parent and the command line. */
static void win32_process(void **state)
{
	(void)state;
	struct harness h = {0};
	import_str(&h, NULL, "[\n  {\n    \"ProcessId\": 812,\n    \"ParentProcessId\": 212,\n"
			     "    \"Name\": \"PoProxy.exe\",\n"
			     "    \"ExecutablePath\": \"C:\\\\Program Files\\\\NAV\\\\PoProxy.exe\",\n"
			     "    \"CommandLine\": \"\\\"C:\\\\Program Files\\\\NAV\\\\PoProxy.exe\\\" /service\",\n"
			     "    \"WorkingSetSize\": 4993024\n  }\n]\n");
	assert_string_equal(h.in.format, "powershell-json");
	const struct kb_fact *f = fact_at(&h, "process", 2);
	check_int(&h, f, "pid", 812);
	check_int(&h, f, "ppid", 212);
	check_str(&h, f, "name", "PoProxy.exe");
	check_str(&h, f, "path", "C:\\Program Files\\NAV\\PoProxy.exe");
	check_str(&h, f, "command_line", "\"C:\\Program Files\\NAV\\PoProxy.exe\" /service");
	check_int(&h, f, "memory_kb", 4876);
	harness_close(&h);
}

/* Windows PowerShell 5.1 redirected with `>` writes UTF-16LE with a BOM. */
static void utf16_redirect(void **state)
{
	(void)state;
	const char *text = "\r\n NPM(K)    PM(M)      WS(M)     CPU(s)      Id  SI ProcessName\r\n"
			   " ------    -----      -----     ------      --  -- -----------\r\n"
			   "      9     1.48       4.76                812   0 PoProxy\r\n\r\n";
	size_t n = strlen(text), len = 2;
	unsigned char *b = malloc(2 + 2 * n);
	assert_non_null(b);
	b[0] = 0xFF, b[1] = 0xFE;
	for (size_t i = 0; i < n; i++)
		b[len++] = (unsigned char)text[i], b[len++] = 0;
	struct harness h = {0};
	import_bytes(&h, NULL, "ps.txt", b, len);
	assert_string_equal(h.text.encoding, "utf-16le");
	assert_string_equal(h.in.format, "powershell-table");
	check_str(&h, fact_at(&h, "process", 4), "name", "PoProxy.exe");
	harness_close(&h);
	free(b);
}

/* ---- Get-Service, Win32_Service ------------------------------------------------------ */

static void services(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "service-table-5.1.txt");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "service"), 6);
	const struct kb_fact *f = fact_at(&h, "service", 6);
	check_str(&h, f, "name", "MSExchangeIS");
	check_str(&h, f, "display_name", "Microsoft Exchange Information Store");
	check_str(&h, f, "state", "running");
	/* "StopP..." and "Windows Defender Advanced Threat Pr...": cut, left out, said once each */
	check_nil(&h, fact_at(&h, "service", 7), "state");
	check_nil(&h, fact_at(&h, "service", 8), "display_name");
	assert_int_equal(h.in.nskips, 2);
	assert_non_null(strstr(skip_reason(&h, 7), "Status cut short"));
	harness_close(&h);

	import_fixture(&h, NULL, PS "service-list-5.1.txt");
	check_ok(&h);
	f = fact_at(&h, "service", 2);
	check_str(&h, f, "name", "Spooler");
	check_str(&h, f, "type", "win32_own_process (interactive)"); /* as sc prints 110 */
	check_str(&h, fact_at(&h, "service", 12), "state", "stopped");
	harness_close(&h);

	/* ConvertTo-Json 5.1: Status 2 StartPending, StartType 2 Automatic, ServiceType 16 / 272 */
	import_fixture(&h, NULL, PS "service-5.1.json");
	check_ok(&h);
	f = fact_at(&h, "service", 2);
	check_str(&h, f, "state", "start_pending");
	check_str(&h, f, "start_type", "auto_start");
	check_str(&h, f, "type", "win32_own_process");
	check_str(&h, fact_at(&h, "service", 9), "type", "win32_own_process (interactive)");
	harness_close(&h);
}

static void win32_services(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "win32service-cim-table-5.1.txt");
	check_ok(&h);
	const struct kb_fact *f = fact_at(&h, "service", 7);
	check_str(&h, f, "name", "POP3Svc");
	check_str(&h, f, "state", "stopped");
	check_str(&h, f, "start_type", "auto_start");
	check_int(&h, f, "exit_code", 10048);
	check_nil(&h, f, "pid"); /* ProcessId 0: not running, as sc leaves it */
	check_int(&h, fact_at(&h, "service", 6), "pid", 2296);
	harness_close(&h);

	import_fixture(&h, NULL, PS "win32service-wmi-list-5.1.txt");
	assert_string_equal(h.in.format, "powershell-list");
	check_ok(&h);
	f = fact_at(&h, "service", 10);
	check_str(&h, f, "name", "AJRouter");
	check_str(&h, f, "start_type", "demand_start");
	check_int(&h, f, "exit_code", 1077);
	harness_close(&h);

	import_fixture(&h, NULL, PS "win32service-select-5.1.csv");
	check_ok(&h);
	f = fact_at(&h, "service", 2);
	check_str(&h, f, "state", "start_pending");
	check_str(&h, f, "image", "\"C:\\Program Files\\Exchsrvr\\bin\\store.exe\"");
	check_str(&h, f, "type", "win32_own_process");
	check_str(&h, fact_at(&h, "service", 3), "start_type", "auto_start (delayed)");
	check_str(&h, fact_at(&h, "service", 4), "type", "win32_share_process");
	harness_close(&h);
}

/* ---- Get-WinEvent ------------------------------------------------------------------------ */

static void check_11508(const struct harness *h, const struct kb_fact *f, const char *time)
{
	check_str(h, f, "source", "MSExchange Pop3 Interface");
	check_int(h, f, "id", 11508);
	check_str(h, f, "time", time);
	check_str(h, f, "message", "Accept clients on POP3 interface failed in function HrRegisterProtocol with error "
				   "0x2740.");
	check_int(h, f, "code", 10048);
}

static void events_text(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "winevent-table-5.1.txt");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "event"), 3);
	const struct kb_fact *f = fact_at(&h, "event", 8);
	check_str(&h, f, "source", "MSExchange Pop3 Interface"); /* from the group line above the table */
	check_str(&h, f, "level", "error");
	check_str(&h, f, "time", "2021-06-13T10:15:22");
	/* cut to the console width: kept without the word that was cut, so no code is read from "0x800" */
	check_str(&h, f, "message", "Accept clients on POP3 interface failed in function");
	f = fact_at(&h, "event", 15);
	check_str(&h, f, "source", "MSExchangeIS");
	check_nil(&h, f, "code");
	check_str(&h, fact_at(&h, "event", 16), "message", "Microsoft Exchange Server Information Store started.");
	harness_close(&h);

	import_fixture(&h, NULL, PS "winevent-list-5.1.txt");
	check_ok(&h);
	check_11508(&h, fact_at(&h, "event", 3), "2021-06-13T10:15:22"); /* a value wrapped mid-word */
	f = fact_at(&h, "event", 9);
	check_str(&h, f, "message", "The POP3Svc service failed to start due to the following error: The service did "
				    "not respond to the start or control request in a timely fashion.");
	check_str(&h, f, "time", "2021-06-13T10:15:22"); /* 13/06/2021: day first */
	harness_close(&h);
}

static void events_csv_json(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, PS "winevent-select-5.1.csv");
	check_ok(&h);
	const struct kb_fact *f = fact_at(&h, "event", 2);
	check_11508(&h, f, "2021-06-13T10:15:22");
	check_str(&h, f, "log", "Application");
	check_str(&h, f, "computer", "EXCH01.example.com");
	check_int(&h, f, "record", 40213);
	f = fact_at(&h, "event", 3); /* a Message over three lines */
	check_int(&h, f, "id", 7031);
	assert_non_null(strstr(slot_value(&h, f, "message").u.s, "Restart the service.\n\nDetails follow."));
	harness_close(&h);

	/* 5.1: "\/Date(ms)\/" is UTC; Level 2 is error */
	import_fixture(&h, NULL, PS "winevent-5.1.json");
	check_ok(&h);
	f = fact_at(&h, "event", 1);
	check_11508(&h, f, "2021-06-13T10:15:22Z");
	check_str(&h, f, "level", "error");
	check_int(&h, f, "record", 40213);
	harness_close(&h);

	/* 7: local time with its offset, to UTC */
	import_fixture(&h, NULL, PS "winevent-7.json");
	check_ok(&h);
	check_11508(&h, fact_at(&h, "event", 2), "2021-06-13T10:15:22Z");
	harness_close(&h);
}

/* ---- real samples: PowerShell's own documentation (tests/fixtures/SOURCES.md) ---- */

static void documented_outputs(void **state)
{
	(void)state;
	struct harness h = {0};
	/* Get-WinEvent's table, Messages shown to their first line: whole words kept */
	import_fixture(&h, NULL, PS "psdocs-get-winevent-path-5.1.txt");
	check_ok(&h);
	assert_int_equal(count_facts(&h, "event"), 5);
	const struct kb_fact *f = fact_at(&h, "event", 5);
	check_str(&h, f, "source", "PowerShell");
	check_int(&h, f, "id", 403);
	check_str(&h, f, "level", "information");
	check_str(&h, f, "time", "2019-03-15T13:54:13");
	check_str(&h, f, "message", "Engine state is changed from Available to Stopped");
	assert_non_null(strstr(skip_reason(&h, 5), "shows only the first line of its value"));
	harness_close(&h);

	import_fixture(&h, NULL, PS "psdocs-get-process-5.1.txt");
	check_ok(&h);
	check_str(&h, fact_at(&h, "process", 4), "name", "powershel.exe");
	check_int(&h, fact_at(&h, "process", 3), "memory_kb", 40740);
	harness_close(&h);

	import_fixture(&h, NULL, PS "psdocs-get-process-username-5.1.txt");
	f = fact_at(&h, "process", 3);
	check_int(&h, f, "pid", 2188);
	check_str(&h, f, "user", "DOMAIN01\\user01");
	harness_close(&h);

	import_fixture(&h, NULL, PS "psdocs-get-service-5.1.txt");
	assert_int_equal(count_facts(&h, "service"), 7);
	check_str(&h, fact_at(&h, "service", 3), "display_name", "Windows Image Acquisition (WIA)");
	harness_close(&h);

	/* Get-CimInstance Win32_Service's list view; Get-WmiObject's with Name twice */
	import_fixture(&h, NULL, PS "psdocs-new-service-cim-5.1.txt");
	assert_string_equal(h.in.format, "powershell-list");
	f = fact_at(&h, "service", 1);
	check_str(&h, f, "name", "testservice");
	check_str(&h, f, "start_type", "auto_start");
	check_nil(&h, f, "pid");
	harness_close(&h);
	import_fixture(&h, NULL, PS "psdocs-get-wmiobject-winrm-5.1.txt");
	assert_int_equal(count_facts(&h, "service"), 2);
	check_int(&h, fact_at(&h, "service", 10), "pid", 932);
	harness_close(&h);
}

/* ---- recognition and damage ------------------------------------------------------------- */

static void recognition(void **state)
{
	(void)state;
	static const char *const ours[] = {
		"nettcp-table-5.1.txt", "nettcp-list-5.1.txt", "nettcp-5.1.json", "nettcp-7.json", "netudp-5.1.csv",
		"process-table-5.1.txt", "process-table-7.txt", "process-select-5.1.csv", "service-table-5.1.txt",
		"service-list-5.1.txt", "service-5.1.json", "win32service-cim-table-5.1.txt",
		"win32service-wmi-list-5.1.txt", "win32service-select-5.1.csv", "winevent-table-5.1.txt",
		"winevent-list-5.1.txt", "winevent-select-5.1.csv", "winevent-5.1.json", "winevent-7.json",
		"psdocs-get-winevent-path-5.1.txt", "psdocs-get-process-5.1.txt", "psdocs-get-process-username-5.1.txt",
		"psdocs-get-service-5.1.txt", "psdocs-new-service-cim-5.1.txt", "psdocs-get-wmiobject-winrm-5.1.txt",
	};
	char rel[128];
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		snprintf(rel, sizeof(rel), PS "%s", ours[i]);
		const char *format = recognised_format(rel);
		if (strncmp(format, "powershell-", 11) != 0)
			fail_msg("%s recognised as %s", rel, format);
	}
	/* FileVersionInfo listings are PowerShell output too (versioninfo.c) */
	static const char listing[] = "ProductVersion   FileVersion      FileName\r\n"
				      "--------------   -----------      --------\r\n"
				      "6.0.8168.0       6.0.8168.0       C:\\WINNT\\system32\\mfc42.dll\r\n";
	assert_int_equal(probe_bytes(&kbf_ps_table_importer, listing, sizeof(listing) - 1), 92);
	assert_string_equal(recognise_bytes(listing, sizeof(listing) - 1)->format, "powershell-table");
	assert_int_equal(probe_fixture(&kbf_ps_table_importer, "netstat/win10-netstat-abno.txt"), 0);
	assert_int_equal(probe_fixture(&kbf_ps_csv_importer, "tasklist/tasklist.csv"), 0);
	assert_int_equal(probe_fixture(&kbf_ps_list_importer, "sc/sc-queryex-all.txt"), 0);
}

static void damaged(void **state)
{
	(void)state;
	struct harness h = {0};
	/* a bad port and an unknown state are skipped with their line; the rows after them are read */
	import_str(&h, NULL, "LocalAddress LocalPort RemoteAddress RemotePort State  OwningProcess\n"
			     "------------ --------- ------------- ---------- -----  -------------\n"
			     "0.0.0.0      99999     0.0.0.0       0          Listen 4\n"
			     "0.0.0.0      25        0.0.0.0       0          Lurk   4\n"
			     "0.0.0.0      110       0.0.0.0       0          Listen 812\n");
	assert_string_equal(h.in.format, "powershell-table");
	assert_int_equal(count_facts(&h, "listener"), 1);
	assert_non_null(strstr(skip_reason(&h, 3), "no port from 0 to 65535: LocalPort '99999'"));
	assert_non_null(strstr(skip_reason(&h, 4), "not a TCP state: State 'Lurk'"));
	harness_close(&h);

	/* JSON cut off: the objects before the damage are kept, the error names its line */
	import_str(&h, NULL, "[\n  {\n    \"Id\": 812,\n    \"ProcessName\": \"PoProxy\"\n  },\n  {\n    \"Id\": 4,\n"
			     "    \"ProcessName\": \"System\n");
	assert_string_equal(h.in.format, "powershell-json");
	assert_int_equal(count_facts(&h, "process"), 1);
	assert_int_equal(h.rc, -1);
	assert_string_equal(h.in.err.where, "paste.txt:8");
	harness_close(&h);

	/* JSON read element by element: a bad element is left out at its line,
	 * the ones after it read; text after the document is listed */
	import_str(&h, NULL, "[\n  {\"Id\": 812, \"ProcessName\": \"PoProxy\"},\n  {\"Id\": 4 \"ProcessName\": \"System\"},\n"
			     "  {\"Id\": 900, \"ProcessName\": \"[x]{y}\\\"\"}\n]\nPS C:\\> \n");
	assert_string_equal(h.in.format, "powershell-json");
	assert_int_equal(h.rc, 0);
	assert_int_equal(count_facts(&h, "process"), 2);
	assert_non_null(strstr(skip_reason(&h, 3), "ConvertTo-Json: "));
	assert_non_null(strstr(skip_reason(&h, 3), "the element is left out"));
	assert_non_null(strstr(skip_reason(&h, 6), "text after the document, not read"));
	harness_close(&h);

	/* an element over 16 MiB is passed over with a warning at its line */
	size_t big = (size_t)17 << 20;
	char *s = malloc(big + 256);
	assert_non_null(s);
	size_t n = (size_t)sprintf(s, "[\n  {\"Id\": 812, \"ProcessName\": \"PoProxy\"},\n  {\"Id\": 5, \"ProcessName\": \"");
	memset(s + n, 'a', big);
	n += big;
	n += (size_t)sprintf(s + n, "\"},\n  {\"Id\": 4, \"ProcessName\": \"System\"}\n]\n");
	import_bytes(&h, NULL, "big.json", s, n);
	free(s);
	assert_int_equal(h.rc, 0);
	assert_int_equal(count_facts(&h, "process"), 2);
	assert_non_null(strstr(skip_reason(&h, 3), "an element of 17 MiB or more, over the 16 MiB an object may take"));
	harness_close(&h);

	/* a CSV row with a field too few; objects of another cmdlet are counted in one skip */
	import_str(&h, NULL, "\"Id\",\"ProcessName\"\n\"812\",\"PoProxy\"\n\"4\"\n");
	assert_int_equal(count_facts(&h, "process"), 1);
	assert_non_null(strstr(skip_reason(&h, 3), "1 fields where the header has 2"));
	harness_close(&h);
	import_str(&h, NULL, "Status   Name     DisplayName\n------   ----     -----------\nRunning  Spooler  Print Spooler\n"
			     "\nMode   LastWriteTime   Length Name\n----   -------------   ------ ----\n"
			     "-a---  6/13/2021 10:15   1024   a.txt\n-a---  6/13/2021 10:15   2048   b.txt\n");
	assert_int_equal(count_facts(&h, "service"), 1);
	assert_non_null(strstr(skip_reason(&h, 7), "2 objects of a kind kbdiag does not read (properties Mode, "));
	harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_table),     cmocka_unit_test(tcp_list_and_json), cmocka_unit_test(udp_csv), cmocka_unit_test(tcp_wrapped_header),
		cmocka_unit_test(same_as_netstat), cmocka_unit_test(process_tables), cmocka_unit_test(process_csv), cmocka_unit_test(win32_process),
		cmocka_unit_test(utf16_redirect), cmocka_unit_test(services),        cmocka_unit_test(win32_services),
		cmocka_unit_test(events_text),   cmocka_unit_test(events_csv_json),   cmocka_unit_test(documented_outputs),
		cmocka_unit_test(recognition),
		cmocka_unit_test(damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
