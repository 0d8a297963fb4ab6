/*
 * evidence_sources.c — where each kind of fact comes from: the evidence
 * that gives it, the formats (registry.c's importer and collector names)
 * that read that evidence, and the command a support engineer asks the
 * customer to run to collect it.  Why-not reads it to say what to collect
 * when a rule needed a fact no input gave ("the bundle has no winmsd or
 * systeminfo report ... collect `winmsd /a` or `systeminfo`").  Kept beside
 * the registry: a new importer that makes a kind adds its format to that
 * kind's row here (tests/unit/test_facts.c checks every name is registered).
 */
#include <string.h>

#include "facts.h"

#define FORMATS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A row with a slot says where that slot comes from when the kind's usual
 * evidence may lack it; the kind's own row (slot NULL) comes after. */
static const struct kbf_evidence_source sources[] = {
	{"host", NULL, "windows", "winmsd, systeminfo or msinfo32 report",
	 FORMATS("winmsd", "systeminfo", "systeminfo-csv", "msinfo-nfo", "msinfo-text", "reg-query", "reg-file",
		 "registry-hive"),
	 "`winmsd /a` (Windows NT 4.0) or `systeminfo` (Windows 2000 and later)"},
	{"host", NULL, "linux", "/etc/os-release", FORMATS("os-release", "linux.os"),
	 "`cat /etc/os-release`, or `kbdiag collect` on the host"},
	{"listener", "pid", "windows", "netstat listing with process IDs (netstat -an has none)",
	 FORMATS("netstat-ano", "netstat-abno", "powershell-table", "powershell-list", "powershell-csv",
		 "powershell-json"),
	 "`netstat -ano` (Windows XP and later; on Windows NT 4.0 and 2000 a port-to-process tool such as fport)"},
	{"listener", "process", "windows", "netstat -abno listing (it names each port's program)",
	 FORMATS("netstat-abno"), "`netstat -abno` (Windows XP SP2 and later, as an administrator)"},
	{"listener", NULL, "windows", "netstat listing", FORMATS("netstat-an", "netstat-ano", "netstat-abno",
	 "powershell-table", "powershell-list", "powershell-csv", "powershell-json"),
	 "`netstat -ano` (`netstat -an` on Windows NT 4.0 and 2000)"},
	{"listener", NULL, "linux", "socket table", FORMATS("proc-net", "linux.sockets"),
	 "`cat /proc/net/tcp /proc/net/tcp6`, or `kbdiag collect` on the host"},
	{"connection", NULL, "windows", "netstat listing", FORMATS("netstat-an", "netstat-ano", "netstat-abno",
	 "powershell-table", "powershell-list", "powershell-csv", "powershell-json"), "`netstat -ano`"},
	{"process", NULL, "windows", "tasklist listing", FORMATS("tasklist", "tasklist-csv", "powershell-table",
	 "powershell-list", "powershell-csv", "powershell-json"), "`tasklist /svc` (or Get-Process)"},
	{"process", NULL, "linux", "process table", FORMATS("linux.processes"), "`kbdiag collect` on the host"},
	{"service", NULL, "windows", "service list (sc queryex, tasklist /svc or msinfo32)",
	 FORMATS("sc-query", "tasklist", "tasklist-csv", "msinfo-nfo", "msinfo-text", "reg-query", "reg-file",
		 "registry-hive", "powershell-table", "powershell-list", "powershell-csv", "powershell-json"),
	 "`sc queryex type= service state= all`"},
	{"service", NULL, "linux", "systemd unit list", FORMATS("linux.services"), "`kbdiag collect` on the host"},
	{"file", NULL, "windows", "file-version listing or copy of the file",
	 FORMATS("file-versions", "pe-image", "powershell-table", "powershell-list", "powershell-csv",
		 "powershell-json"),
	 "the DLL or EXE itself, or `Get-ChildItem PATH | Select-Object FullName, "
	 "@{n='Version';e={$_.VersionInfo.FileVersion}}`"},
	{"event", NULL, "windows", "event log export", FORMATS("wevtutil-xml", "evtx", "evt", "eventlog-csv",
	 "eventlog-text", "powershell-table", "powershell-list", "powershell-csv", "powershell-json"),
	 "`wevtutil qe System /f:xml` and `wevtutil qe Application /f:xml` (Windows NT 4.0 and 2000: Event Viewer, "
	 "Save Log File As .evt)"},
	{"event", NULL, "linux", "journal or daemon log",
	 FORMATS("journal-export", "journal-json", "journal-file", "linux-log", "linux.journal", "linux.logs"),
	 "`journalctl -o export` (or the daemon's log file)"},
	{"address", NULL, "windows", "ipconfig /all report", FORMATS("ipconfig", "systeminfo", "systeminfo-csv"),
	 "`ipconfig /all`"},
	{"address", NULL, "linux", "address list", FORMATS("linux.addresses"), "`ip addr`, or `kbdiag collect`"},
	{"hotfix", NULL, "windows", "hotfix list", FORMATS("wmic-qfe", "wmic-qfe-list", "wmic-qfe-csv",
	 "systeminfo", "systeminfo-csv", "powershell-table", "powershell-list", "powershell-csv", "powershell-json"),
	 "`wmic qfe list full` (or Get-HotFix)"},
	{"client_error", NULL, "windows", "mail client error text", FORMATS("mail-client-error"),
	 "the text of the client's error dialog (Ctrl+C copies it)"},
	{"registry_value", NULL, "windows", "registry export", FORMATS("reg-query", "reg-file", "registry-hive"),
	 "`reg query KEY /s`, or the SYSTEM and SOFTWARE hives"},
	{"package", NULL, "linux", "package database", FORMATS("dpkg-status", "linux.packages"),
	 "`/var/lib/dpkg/status`, or `kbdiag collect`"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct kbf_evidence_source *kbf_evidence_sources(void)
{
	return sources;
}

size_t kbf_evidence_for(const char *kind, const char *slot, const struct kbf_evidence_source **out, size_t max)
{
	size_t n = 0;
	bool by_slot = false;
	for (const struct kbf_evidence_source *s = sources; s->kind; s++)
		by_slot |= slot && s->slot && strcmp(s->kind, kind) == 0 && strcmp(s->slot, slot) == 0;
	for (const struct kbf_evidence_source *s = sources; s->kind && n < max; s++) {
		if (strcmp(s->kind, kind) != 0)
			continue;
		if (by_slot ? s->slot && strcmp(s->slot, slot) == 0 : !s->slot)
			out[n++] = s;
	}
	return n;
}
