/*
 * service_codes.c — one table of the SERVICE_* codes (winsvc.h, winnt.h)
 * with sc's name for each, so that sc, the registry, PowerShell and
 * msinfo32 make the same service facts for the same service; and one of
 * the names .NET and WMI print for the same codes.
 */
#include "core/service_codes.h"

#include <stdio.h>

struct code_word {
	uint64_t code;
	const char *word;
};

static const struct code_word states[] = {
	{1, "stopped"}, {2, "start_pending"}, {3, "stop_pending"}, {4, "running"},
	{5, "continue_pending"}, {6, "pause_pending"}, {7, "paused"}, {0, NULL},
};
static const struct code_word types[] = {
	{0x1, "kernel_driver"}, {0x2, "file_system_driver"}, {0x4, "adapter"}, {0x8, "recognizer_driver"},
	{0x10, "win32_own_process"}, {0x20, "win32_share_process"}, {0x50, "user_own_process"},
	{0x60, "user_share_process"}, {0xd0, "user_own_process instance"},
	{0xe0, "user_share_process instance"}, {0, NULL},
};
static const struct code_word start_types[] = {
	{0, "boot_start"}, {1, "system_start"}, {2, "auto_start"}, {3, "demand_start"}, {4, "disabled"}, {0, NULL},
};

#define SERVICE_INTERACTIVE_PROCESS 0x100u
#define SERVICE_AUTO_START 2u

size_t kbf_service_word(enum kbf_service_field field, uint64_t code, bool delayed, char buf[KBF_SERVICE_WORD_MAX])
{
	const struct code_word *t = field == KBF_SERVICE_STATE ? states : field == KBF_SERVICE_TYPE ? types : start_types;
	bool interactive = field == KBF_SERVICE_TYPE && (code & SERVICE_INTERACTIVE_PROCESS);
	if (interactive)
		code &= ~(uint64_t)SERVICE_INTERACTIVE_PROCESS;
	delayed = delayed && field == KBF_SERVICE_START_TYPE && code == SERVICE_AUTO_START;
	buf[0] = '\0';
	for (; t->word; t++)
		if (t->code == code)
			return (size_t)snprintf(buf, KBF_SERVICE_WORD_MAX, "%s%s", t->word,
						interactive ? " (interactive)" : delayed ? " (delayed)" : "");
	return 0;
}

/* .NET's names (ServiceControllerStatus, ServiceStartMode, ServiceType)
 * and WMI's (Win32_Service.State, .StartMode, .ServiceType;
 * Win32_SystemDriver), as Microsoft documents them. */
struct code_name {
	uint64_t code;
	const char *dotnet, *wmi;
};

static const struct code_name state_names[] = {
	{1, "Stopped", "Stopped"}, {2, "StartPending", "Start Pending"}, {3, "StopPending", "Stop Pending"},
	{4, "Running", "Running"}, {5, "ContinuePending", "Continue Pending"},
	{6, "PausePending", "Pause Pending"}, {7, "Paused", "Paused"}, {0, NULL, NULL},
};
static const struct code_name start_names[] = {
	{0, "Boot", "Boot"}, {1, "System", "System"}, {2, "Automatic", "Auto"},
	{3, "Manual", "Manual"}, {4, "Disabled", "Disabled"}, {0, NULL, NULL},
};
static const struct code_name type_names[] = {
	{0x1, "KernelDriver", "Kernel Driver"}, {0x2, "FileSystemDriver", "File System Driver"},
	{0x10, "Win32OwnProcess", "Own Process"}, {0x20, "Win32ShareProcess", "Share Process"}, {0, NULL, NULL},
};

bool kbf_service_code_of(enum kbf_service_field field, struct kbf_wtext_span word, uint64_t *code)
{
	const struct code_name *t = field == KBF_SERVICE_STATE ? state_names
				    : field == KBF_SERVICE_TYPE ? type_names
								: start_names;
	for (; t->dotnet; t++)
		if (kbf_wtext_ieq(word, t->dotnet) || kbf_wtext_ieq(word, t->wmi)) {
			*code = t->code;
			return true;
		}
	return false;
}
