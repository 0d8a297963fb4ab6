/*
 * host_win32.c — the collector "windows.host": the version as
 * RtlGetVersion gives it (ntdll, loaded at run time: GetVersionEx lies to
 * programs without a manifest on 8.1 and later; NT 4.0 before SP6 knows
 * only OSVERSIONINFOW), the domain role (DsRoleGetPrimaryDomainInformation,
 * netapi32, 2000 and later), the computer and product names and the
 * processor architecture; and the updates installed, from the registry
 * (MSDN, KB 184305 and the CBS layout):
 *   HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Hotfix\Q147222  NT 4.0 to 2003
 *   HKLM\SOFTWARE\Microsoft\Updates\<product>\<SP>\KB823980           2000 to 2003
 *   HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages
 *       \Package_for_KB2843630~31bf3856ad364e35~amd64~~6.1.1.0         Vista and later
 * each as a hotfix fact (host.c), every id once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live_win32.h"
#include "xalloc.h"

#ifndef KEY_WOW64_64KEY
#define KEY_WOW64_64KEY 0x0100
#endif

typedef LONG(WINAPI *rtl_version_fn)(OSVERSIONINFOEXW *);
typedef DWORD(WINAPI *dsrole_fn)(LPCWSTR, int, PBYTE *);
typedef void(WINAPI *dsfree_fn)(PVOID);
typedef void(WINAPI *sysinfo_fn)(SYSTEM_INFO *);

/* DSROLE_PRIMARY_DOMAIN_INFO_BASIC (dsrole.h), DsRolePrimaryDomainInfoBasic = 1. */
struct dsrole_basic {
	int role;
	ULONG flags;
	LPWSTR flat, dns, forest;
	GUID guid;
};

static void read_version(OSVERSIONINFOEXW *v, bool *has_ex)
{
	rtl_version_fn rtl = (rtl_version_fn)(void (*)(void))kbf_live_proc_address("ntdll.dll", "RtlGetVersion");
	memset(v, 0, sizeof(*v));
	v->dwOSVersionInfoSize = sizeof(*v);
	*has_ex = true;
	if (rtl && rtl(v) == 0)
		return;
	if (GetVersionExW((OSVERSIONINFOW *)v))
		return;
	v->dwOSVersionInfoSize = sizeof(OSVERSIONINFOW); /* NT 4.0 before SP6 */
	*has_ex = false;
	GetVersionExW((OSVERSIONINFOW *)v);
}

/* The role and the domain's DNS (else NetBIOS) name; -1 when not known. */
static int read_role(char **domain)
{
	dsrole_fn get = (dsrole_fn)(void (*)(void))kbf_live_proc_address("netapi32.dll",
									"DsRoleGetPrimaryDomainInformation");
	dsfree_fn release = (dsfree_fn)(void (*)(void))kbf_live_proc_address("netapi32.dll", "DsRoleFreeMemory");
	PBYTE p = NULL;
	if (!get || !release || get(NULL, 1, &p) != ERROR_SUCCESS || !p)
		return -1;
	const struct dsrole_basic *b = (const struct dsrole_basic *)p;
	int role = b->role;
	*domain = kbu_win32_utf8(b->dns ? b->dns : b->flat);
	release(p);
	return role;
}

static const char *arch(void)
{
	sysinfo_fn native = (sysinfo_fn)(void (*)(void))kbf_live_proc_address("kernel32.dll", "GetNativeSystemInfo");
	SYSTEM_INFO si;
	(native ? native : GetSystemInfo)(&si);
	switch (si.wProcessorArchitecture) {
	case 0: return "x86";    /* PROCESSOR_ARCHITECTURE_INTEL */
	case 9: return "x64";    /* PROCESSOR_ARCHITECTURE_AMD64 */
	case 6: return "ia64";
	case 12: return "arm64";
	default: return NULL;
	}
}

/* HKLM\path, 64-bit view where there is one; NULL when absent. */
static HKEY open_key(const WCHAR *path)
{
	HKEY k;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ | KEY_WOW64_64KEY, &k) == ERROR_SUCCESS ||
	    RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) == ERROR_SUCCESS) /* 2000 knows no views */
		return k;
	return NULL;
}

/* A REG_SZ value of k as UTF-8, NULL when none. */
static char *string_value(HKEY k, const WCHAR *name)
{
	WCHAR buf[512];
	DWORD type, size = sizeof(buf) - sizeof(WCHAR);
	if (RegQueryValueExW(k, name, NULL, &type, (BYTE *)buf, &size) != ERROR_SUCCESS || type != REG_SZ)
		return NULL;
	buf[size / sizeof(WCHAR)] = 0;
	return kbu_win32_utf8(buf);
}

/* CBS's CurrentState of an installed package (the CbsPackageState
 * values DISM shows: 0x40 staged, 0x50 superseded, 0x60 install
 * pending, 0x70 installed, 0x80 permanent: installed for good). */
#define CBS_INSTALLED 0x70
#define CBS_PERMANENT 0x80

/* Where updates are listed, and how deep below the key their names are. */
struct hotfix_walk {
	struct kbf_input *in;
	const char *host;
	struct kbf_live_seen seen;
	bool cbs;             /* the tree is CBS's Packages: only installed ones count */
	size_t not_installed; /* CBS packages passed over */
	size_t unreadable;    /* subkeys that could not be opened or listed */
	int rc;
};

/* A DWORD value of k; false when none. */
static bool dword_value(HKEY k, const WCHAR *name, DWORD *v)
{
	DWORD type, size = sizeof(*v);
	return RegQueryValueExW(k, name, NULL, &type, (BYTE *)v, &size) == ERROR_SUCCESS && type == REG_DWORD &&
	       size == sizeof(*v);
}

/* A subkey name as a hotfix: 1 when it is one (or was seen, or is a CBS
 * package not installed), else 0. */
static int leaf(struct hotfix_walk *w, HKEY k, const WCHAR *name, const char *u, const char *where,
		const char *description)
{
	HKEY sub;
	char *type = NULL; /* the Updates tree's "Security Update", "Hotfix", "Update" */
	DWORD state = 0;
	bool opened = RegOpenKeyExW(k, name, 0, KEY_READ, &sub) == ERROR_SUCCESS;
	if (opened) {
		type = string_value(sub, L"Type");
		if (w->cbs && !dword_value(sub, L"CurrentState", &state))
			state = 0;
		RegCloseKey(sub);
	}
	if (w->cbs && (!opened || (state != CBS_INSTALLED && state != CBS_PERMANENT))) { /* staged, superseded, pending */
		w->not_installed += opened;
		w->unreadable += !opened;
		free(type);
		return 1;
	}
	int r = kbf_live_hotfix_name(w->in, u, type ? type : description, w->host, where, &w->seen);
	free(type);
	if (r < 0)
		w->rc = -1;
	return r != 0;
}

/* The subkeys of k whose names hold update ids, searched at most depth
 * levels down (where is k's path, for the facts' text). */
static void walk(struct hotfix_walk *w, HKEY k, const char *where, int depth, const char *description)
{
	WCHAR name[256]; /* a key name is 255 characters at most (MSDN, Registry Element Size Limits) */
	for (DWORD i = 0;; i++) {
		DWORD n = sizeof(name) / sizeof(name[0]);
		LONG r = RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL);
		if (r == ERROR_NO_MORE_ITEMS)
			break;
		if (r != ERROR_SUCCESS) {
			w->unreadable++;
			break;
		}
		char *u = kbu_win32_utf8(name);
		HKEY sub;
		if (!leaf(w, k, name, u, where, description) && depth > 1) {
			if (RegOpenKeyExW(k, name, 0, KEY_READ, &sub) == ERROR_SUCCESS) {
				size_t len = strlen(where) + strlen(u) + 2;
				char *path = kbu_malloc(len);
				snprintf(path, len, "%s\\%s", where, u);
				walk(w, sub, path, depth - 1, description);
				free(path);
				RegCloseKey(sub);
			} else {
				w->unreadable++;
			}
		}
		free(u);
	}
}

static int hotfixes(struct kbf_input *in, const char *host)
{
	static const struct {
		const WCHAR *path;
		const char *where, *description;
		int depth;
	} trees[] = {
		{L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Hotfix",
		 "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Hotfix", "Hotfix", 1},
		{L"SOFTWARE\\Microsoft\\Updates", "HKLM\\SOFTWARE\\Microsoft\\Updates", NULL, 3},
		{L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages",
		 "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages", NULL, 1},
	};
	struct hotfix_walk w = {.in = in, .host = host};
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		HKEY k = open_key(trees[i].path);
		if (!k)
			continue; /* a tree this Windows version does not have */
		w.cbs = i == 2;
		walk(&w, k, trees[i].where, trees[i].depth, trees[i].description);
		RegCloseKey(k);
	}
	if (w.not_installed)
		kbf_input_skip(in, 0, "hotfixes: %zu Component Based Servicing packages are not installed (CurrentState "
			       "neither 0x70 nor 0x80: staged, superseded or pending) and were not taken as hotfixes",
			       w.not_installed);
	if (w.unreadable)
		kbf_input_skip(in, 0, "hotfixes: %zu registry keys under the update trees could not be opened or "
			       "listed: the updates they may name are not known", w.unreadable);
	kbf_live_seen_free(&w.seen);
	return w.rc;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	OSVERSIONINFOEXW v;
	bool has_ex;
	WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD n = sizeof(computer) / sizeof(computer[0]);
	read_version(&v, &has_ex);
	char *name = GetComputerNameW(computer, &n) ? kbu_win32_utf8(computer) : NULL, *domain = NULL;
	char *csd = kbu_win32_utf8(v.szCSDVersion), *product = NULL;
	HKEY cv = open_key(L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
	if (cv) {
		product = string_value(cv, L"ProductName");
		RegCloseKey(cv);
	}
	struct kbf_live_host h = {
		.name = name, .major = v.dwMajorVersion, .minor = v.dwMinorVersion, .build = v.dwBuildNumber & 0xFFFF,
		.platform = v.dwPlatformId, .csd = csd, .sp_major = has_ex ? v.wServicePackMajor : 0,
		.has_ex = has_ex, .product_type = has_ex ? v.wProductType : 0, .role = read_role(&domain),
		.arch = arch(), .product = product,
	};
	h.domain = domain;
	int rc = kbf_live_host_emit(in, &h);
	if (hotfixes(in, name) < 0)
		rc = -1;
	free(name);
	free(domain);
	free(csd);
	free(product);
	return rc;
}

const struct kbf_collector kbf_win_host_collector = {"windows.host", gather, NULL, NULL, NULL};
