/*
 * powershell.h — from PowerShell objects to facts (internal to
 * facts/windows/powershell): which cmdlet printed an object, told by its
 * property names whatever the form, and one mapping per cmdlet that makes
 * the facts the Windows tools' own importers make of the same data
 * (netstat, tasklist, sc, the event exports, wmic qfe, wmic datafile).
 */
#ifndef KBDIAG_FACTS_WINDOWS_POWERSHELL_POWERSHELL_H
#define KBDIAG_FACTS_WINDOWS_POWERSHELL_POWERSHELL_H

#include "objects.h"

enum kbf_ps_cmdlet {
	KBF_PS_UNKNOWN,
	KBF_PS_TCP,           /* Get-NetTCPConnection (MSFT_NetTCPConnection) */
	KBF_PS_UDP,           /* Get-NetUDPEndpoint (MSFT_NetUDPEndpoint) */
	KBF_PS_PROCESS,       /* Get-Process (System.Diagnostics.Process) */
	KBF_PS_WIN32_PROCESS, /* Get-CimInstance / Get-WmiObject Win32_Process */
	KBF_PS_SERVICE,       /* Get-Service (System.ServiceProcess.ServiceController) */
	KBF_PS_WIN32_SERVICE, /* Get-CimInstance / Get-WmiObject Win32_Service */
	KBF_PS_EVENT,         /* Get-WinEvent (System.Diagnostics.Eventing.Reader.EventLogRecord) */
	KBF_PS_HOTFIX,        /* Get-HotFix (Win32_QuickFixEngineering) */
	KBF_PS_VERSION_INFO,  /* (Get-Item f).VersionInfo, Get-Process -FileVersionInfo
				 (System.Diagnostics.FileVersionInfo) */
};

enum kbf_ps_cmdlet kbf_ps_cmdlet_of(const struct kbf_ps_record *r);

/* What a mapping reads a record with: the input, the properties used so
 * far (the fact's text for lists and JSON), and which properties were
 * reported cut short already (once per input and name). */
#define KBF_PS_CUT_NAMES 16
struct kbf_ps_map {
	struct kbf_input *in;
	const struct kbf_ps_record *r;
	struct kbf_ps_prov pv;
	char cut[KBF_PS_CUT_NAMES][32];
	size_t ncut;
};

/* The value of a property to make a slot of, added to the provenance; NULL
 * when absent, null or empty.  A value cut to the console width is NULL
 * too (recorded once: left out), unless kept_cut, when it is the text as
 * shown (recorded once: kept as shown). */
const struct kbf_ps_prop *kbf_ps_want(struct kbf_ps_map *m, const char *name, bool kept_cut);
/* An unsigned number ("1234", also "1,234"); false when absent or not one. */
bool kbf_ps_uint(struct kbf_ps_map *m, const char *name, uint64_t max, uint64_t *v);
/* Records that the object at the record's line was left out, and why. */
void kbf_ps_skip(struct kbf_ps_map *m, const char *cmdlet, const char *why, const struct kbf_ps_prop *p);

/* The mappings: each emits the facts of one object (cmdlets.c, winevent.c,
 * get_hotfix.c, versioninfo.c). */
void kbf_ps_map_tcp(struct kbf_ps_map *m, bool udp);
void kbf_ps_map_process(struct kbf_ps_map *m, bool win32);
void kbf_ps_map_service(struct kbf_ps_map *m, bool win32);
void kbf_ps_map_event(struct kbf_ps_map *m);
void kbf_ps_map_hotfix(struct kbf_ps_map *m);
void kbf_ps_map_version_info(struct kbf_ps_map *m);

#endif
