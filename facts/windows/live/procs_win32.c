/*
 * procs_win32.c — the collector "windows.processes": a Toolhelp32
 * snapshot (CreateToolhelp32Snapshot, Process32FirstW/NextW: pid, parent,
 * exe name) and each image's full path with QueryFullProcessImageNameW
 * (Vista and later, loaded at run time) where OpenProcess allows it; the
 * processes refused are counted (procs.c notes them).
 */
#include <stdlib.h>

#include "live_win32.h"

#include <tlhelp32.h>

#ifndef PROCESS_QUERY_LIMITED_INFORMATION
#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000
#endif

typedef BOOL(WINAPI *image_name_fn)(HANDLE, DWORD, LPWSTR, PDWORD);

/* The image path of pid, NULL when it cannot be asked (*refused set when
 * OpenProcess said no). */
static char *image_path(image_name_fn get, DWORD pid, bool *refused)
{
	*refused = false;
	if (!get || pid == 0 || pid == 4)
		return NULL; /* the idle process and System have no image file */
	HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
	if (!h) {
		*refused = GetLastError() == ERROR_ACCESS_DENIED;
		return NULL;
	}
	WCHAR buf[MAX_PATH * 2];
	DWORD n = sizeof(buf) / sizeof(buf[0]);
	char *path = get(h, 0, buf, &n) ? kbf_live_wide(buf) : NULL;
	CloseHandle(h);
	return path;
}

void kbf_live_procs_read(struct kbf_live_procs *p)
{
	image_name_fn get = (image_name_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll",
										"QueryFullProcessImageNameW");
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (snap == INVALID_HANDLE_VALUE)
		return;
	PROCESSENTRY32W e = {.dwSize = sizeof(e)};
	for (BOOL ok = Process32FirstW(snap, &e); ok; ok = Process32NextW(snap, &e)) {
		bool refused;
		char *name = kbf_live_wide(e.szExeFile), *path = image_path(get, e.th32ProcessID, &refused);
		p->refused += refused;
		kbf_live_procs_add(p, e.th32ProcessID, e.th32ParentProcessID, name, path);
		free(name);
		free(path);
	}
	CloseHandle(snap);
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_live_procs p = {0};
	kbf_live_procs_read(&p);
	if (!p.n)
		kbf_live_win_note(in, "CreateToolhelp32Snapshot", GetLastError());
	int rc = kbf_live_procs_emit(in, &p);
	kbf_live_procs_free(&p);
	return rc;
}

const struct kbf_collector kbf_win_processes_collector = {"windows.processes", gather, NULL, NULL, NULL};
