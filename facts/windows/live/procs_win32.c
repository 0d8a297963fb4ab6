/*
 * procs_win32.c — the collector "windows.processes": a Toolhelp32
 * snapshot (CreateToolhelp32Snapshot, Process32FirstW/NextW: pid, parent,
 * exe name) and each image's full path where OpenProcess allows it:
 * QueryFullProcessImageNameW on Vista and later, psapi's
 * GetModuleFileNameExW before (both loaded at run time; psapi.dll comes
 * with 2000, and with NT 4.0's resource kit).  The processes refused are
 * counted (procs.c notes them).  NT 4.0 has no Toolhelp32: the collector
 * says so (in->unavailable), and the sockets collector finds no owners.
 */
#include <stdlib.h>

#include "live_win32.h"

#include <tlhelp32.h>

#ifndef PROCESS_QUERY_LIMITED_INFORMATION
#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000
#endif

typedef BOOL(WINAPI *image_name_fn)(HANDLE, DWORD, LPWSTR, PDWORD);
typedef DWORD(WINAPI *module_name_fn)(HANDLE, HMODULE, LPWSTR, DWORD);

/* The two ways to ask a process for its image. */
struct askers {
	image_name_fn image; /* Vista and later */
	module_name_fn module; /* psapi, before */
};

/* The image path of pid, NULL when it cannot be asked (*refused set when
 * OpenProcess said no). */
static char *image_path(const struct askers *a, DWORD pid, bool *refused)
{
	*refused = false;
	if ((!a->image && !a->module) || pid == 0 || pid == 4)
		return NULL; /* the idle process and System have no image file */
	DWORD rights = a->image ? PROCESS_QUERY_LIMITED_INFORMATION : PROCESS_QUERY_INFORMATION | PROCESS_VM_READ;
	HANDLE h = OpenProcess(rights, FALSE, pid);
	if (!h) {
		*refused = GetLastError() == ERROR_ACCESS_DENIED;
		return NULL;
	}
	WCHAR buf[MAX_PATH * 2];
	DWORD n = sizeof(buf) / sizeof(buf[0]);
	bool ok = a->image ? a->image(h, 0, buf, &n) != 0 : (n = a->module(h, NULL, buf, n)) > 0 && n < MAX_PATH * 2;
	if (ok && !a->image)
		buf[n] = 0;
	char *path = ok ? kbu_win32_utf8(buf) : NULL;
	CloseHandle(h);
	return path;
}

typedef HANDLE(WINAPI *snapshot_fn)(DWORD, DWORD);
typedef BOOL(WINAPI *walk_fn)(HANDLE, PROCESSENTRY32W *);

bool kbf_live_procs_read(struct kbf_live_procs *p)
{
	/* Toolhelp32 came to NT with 2000: loaded, so that NT 4.0 starts kbdiag.exe */
	snapshot_fn snapshot = (snapshot_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll",
										  "CreateToolhelp32Snapshot");
	walk_fn first = (walk_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll", "Process32FirstW");
	walk_fn next = (walk_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll", "Process32NextW");
	if (!snapshot || !first || !next)
		return false;
	struct askers a = {
		(image_name_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll", "QueryFullProcessImageNameW"),
		NULL,
	};
	if (!a.image)
		a.module = (module_name_fn)(void (*)(void))kbf_live_proc_address("psapi.dll", "GetModuleFileNameExW");
	HANDLE snap = snapshot(TH32CS_SNAPPROCESS, 0);
	if (snap == INVALID_HANDLE_VALUE)
		return true;
	PROCESSENTRY32W e = {.dwSize = sizeof(e)};
	for (BOOL ok = first(snap, &e); ok; ok = next(snap, &e)) {
		bool refused;
		char *name = kbu_win32_utf8(e.szExeFile), *path = image_path(&a, e.th32ProcessID, &refused);
		p->refused += refused;
		kbf_live_procs_add(p, e.th32ProcessID, e.th32ParentProcessID, name, path);
		free(name);
		free(path);
	}
	CloseHandle(snap);
	return true;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_live_procs p = {0};
	if (!kbf_live_procs_read(&p)) {
		in->unavailable = "this Windows has no Toolhelp32 (CreateToolhelp32Snapshot came to NT with 2000): no process list";
		return 0;
	}
	if (!p.n)
		kbf_live_win_note(in, "CreateToolhelp32Snapshot", GetLastError());
	int rc = kbf_live_procs_emit(in, &p);
	kbf_live_procs_free(&p);
	return rc;
}

const struct kbf_collector kbf_win_processes_collector = {"windows.processes", gather, NULL, NULL, NULL};
