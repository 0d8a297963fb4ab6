/*
 * services_win32.c — the collector "windows.services": every Win32
 * service and driver the service control manager lists
 * (EnumServicesStatusExW, SC_ENUM_PROCESS_INFO: state, type, exit codes,
 * PID; Windows 2000 and later, loaded at run time, else NT 4.0's
 * EnumServicesStatusW without PIDs), each one's configuration with
 * QueryServiceConfigW (start type, image) and, on Vista and later,
 * QueryServiceConfig2W's delayed automatic start.  A service whose
 * configuration OpenService refuses (a non-administrator is refused some)
 * is still a fact, without start type or image; they are counted in a
 * note.
 */
#include <stdlib.h>
#include <string.h>

#include "live_win32.h"
#include "xalloc.h"

typedef BOOL(WINAPI *enum_ex_fn)(SC_HANDLE, SC_ENUM_TYPE, DWORD, DWORD, LPBYTE, DWORD, LPDWORD, LPDWORD,
				 LPDWORD, LPCWSTR);
typedef BOOL(WINAPI *config2_fn)(SC_HANDLE, DWORD, LPBYTE, DWORD, LPDWORD);

#define SERVICE_CONFIG_DELAYED_AUTO_START 3 /* SERVICE_CONFIG_DELAYED_AUTO_START_INFO */

/* Start type, image and delayed start of service name into s (its
 * strings malloc'd into *image); false when refused. */
static bool read_config(SC_HANDLE scm, const WCHAR *name, struct kbf_live_service *s, char **image)
{
	SC_HANDLE h = OpenServiceW(scm, name, SERVICE_QUERY_CONFIG);
	if (!h)
		return false;
	DWORD need = 0;
	QueryServiceConfigW(h, NULL, 0, &need);
	QUERY_SERVICE_CONFIGW *c = need ? kbu_malloc(need) : NULL;
	if (c && QueryServiceConfigW(h, c, need, &need)) {
		s->has_config = true;
		s->start_type = c->dwStartType;
		*image = kbu_win32_utf8(c->lpBinaryPathName);
		s->image = *image;
	}
	config2_fn config2 = (config2_fn)(void (*)(void))kbf_live_proc_address("advapi32.dll", "QueryServiceConfig2W");
	BYTE d[64];
	if (config2 && config2(h, SERVICE_CONFIG_DELAYED_AUTO_START, d, sizeof(d), &need))
		s->delayed = ((SERVICE_DELAYED_AUTO_START_INFO *)d)->fDelayedAutostart != 0;
	free(c);
	CloseServiceHandle(h);
	return s->has_config;
}

/* What a walk over the services does with each. */
struct each {
	int (*fn)(void *ud, const struct kbf_live_service *s);
	void *ud;
	size_t refused;
};

/* One listed service, its configuration read, handed to e->fn. */
static int one(struct each *e, SC_HANDLE scm, const WCHAR *name, const WCHAR *display,
	       const SERVICE_STATUS_PROCESS *st, bool has_pid)
{
	struct kbf_live_service s = {.type = st->dwServiceType, .state = st->dwCurrentState,
				     .win32_exit = st->dwWin32ExitCode, .specific_exit = st->dwServiceSpecificExitCode,
				     .pid = has_pid ? st->dwProcessId : 0};
	char *n = kbu_win32_utf8(name), *d = kbu_win32_utf8(display), *image = NULL;
	s.name = n;
	s.display = d;
	if (!read_config(scm, name, &s, &image))
		e->refused++;
	int rc = e->fn(e->ud, &s);
	free(n);
	free(d);
	free(image);
	return rc;
}

/* One call of the SCM's list (EnumServicesStatusExW or, on NT 4.0,
 * EnumServicesStatusW) from *resume on, into buf. */
static BOOL enum_call(enum_ex_fn ex, SC_HANDLE scm, BYTE *buf, DWORD size, DWORD *need, DWORD *count, DWORD *resume)
{
	DWORD type = SERVICE_WIN32 | SERVICE_DRIVER;
	return ex ? ex(scm, SC_ENUM_PROCESS_INFO, type, SERVICE_STATE_ALL, buf, size, need, count, resume, NULL)
		  : EnumServicesStatusW(scm, type, SERVICE_STATE_ALL, (ENUM_SERVICE_STATUSW *)buf, size, need, count,
					resume);
}

/* The count entries of one call's buf, each handed to one(). */
static int hand_over(enum_ex_fn ex, SC_HANDLE scm, struct each *each, const BYTE *buf, DWORD count)
{
	int rc = 0;
	for (DWORD i = 0; i < count; i++) {
		SERVICE_STATUS_PROCESS st = {0};
		const WCHAR *name, *display;
		if (ex) {
			const ENUM_SERVICE_STATUS_PROCESSW *e = (const ENUM_SERVICE_STATUS_PROCESSW *)buf + i;
			st = e->ServiceStatusProcess;
			name = e->lpServiceName;
			display = e->lpDisplayName;
		} else {
			const ENUM_SERVICE_STATUSW *e = (const ENUM_SERVICE_STATUSW *)buf + i;
			memcpy(&st, &e->ServiceStatus, sizeof(e->ServiceStatus));
			name = e->lpServiceName;
			display = e->lpDisplayName;
		}
		if (one(each, scm, name, display, &st, ex != NULL) < 0)
			rc = -1;
	}
	return rc;
}

/* The SCM's list, call after call: one call returns at most 256 KB
 * (MSDN, EnumServicesStatusEx: "The maximum size of this array is 256K
 * bytes"), so a host with many services and drivers gets ERROR_MORE_DATA
 * with the entries that fit and lpResumeHandle where to go on. */
static int list(struct kbf_input *in, SC_HANDLE scm, struct each *each)
{
	enum_ex_fn ex = (enum_ex_fn)(void (*)(void))kbf_live_proc_address("advapi32.dll", "EnumServicesStatusExW");
	DWORD size = 256 * 1024, need = 0, count = 0, resume = 0;
	BYTE *buf = kbu_malloc(size);
	int rc = 0;
	for (;;) {
		BOOL ok = enum_call(ex, scm, buf, size, &need, &count, &resume);
		DWORD err = ok ? 0 : GetLastError();
		if (!ok && (err != ERROR_MORE_DATA || (count == 0 && (need <= size || need > 1u << 24)))) {
			kbf_live_win_note(in, "EnumServicesStatus (the services not listed yet were not read)", err);
			break;
		}
		if (!ok && count == 0) { /* one entry larger than the buffer: a larger one, from the same place */
			free(buf);
			buf = kbu_malloc(size = need);
			continue;
		}
		if (hand_over(ex, scm, each, buf, count) < 0)
			rc = -1;
		if (ok)
			break;
	}
	free(buf);
	return rc;
}

int kbf_live_services_each(struct kbf_input *in, int (*fn)(void *ud, const struct kbf_live_service *s), void *ud,
			   size_t *refused)
{
	SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
	if (!scm) {
		kbf_live_win_note(in, "OpenSCManager", GetLastError());
		return 1;
	}
	struct each e = {fn, ud, 0};
	int rc = list(in, scm, &e);
	*refused = e.refused;
	CloseServiceHandle(scm);
	return rc;
}

static int emit(void *ud, const struct kbf_live_service *s)
{
	return kbf_live_service_emit(ud, s);
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	size_t refused = 0;
	int rc = kbf_live_services_each(in, emit, in, &refused);
	if (rc > 0) {
		in->unavailable = "the service control manager refused to list services";
		return 0;
	}
	if (refused)
		kbf_input_skip(in, 0, "service configuration not seen: QueryServiceConfig was refused for %zu "
			       "services (run as administrator to see them); they have no start_type or image",
			       refused);
	return rc;
}

const struct kbf_collector kbf_win_services_collector = {"windows.services", gather, NULL, NULL, NULL};
