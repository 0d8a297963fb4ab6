/*
 * service_codes.h — the SERVICE_* codes of winsvc.h and winnt.h (a
 * service's state, type and start type) and the words the service facts
 * hold for them: sc's names in lower case ("win32_share_process",
 * "auto_start").  sc, the registry's Services keys, PowerShell's
 * Get-Service / Win32_Service and msinfo32 all name services with these
 * words; the last two print the codes as .NET's or WMI's names, which
 * kbf_service_code_of() reads back.
 */
#ifndef KBF_SERVICE_CODES_H
#define KBF_SERVICE_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/wtext.h"

enum kbf_service_field {
	KBF_SERVICE_STATE,      /* SERVICE_STOPPED 1 ... SERVICE_PAUSED 7 */
	KBF_SERVICE_TYPE,       /* SERVICE_KERNEL_DRIVER 0x1 ... */
	KBF_SERVICE_START_TYPE, /* SERVICE_BOOT_START 0 ... SERVICE_DISABLED 4 */
};

#define KBF_SERVICE_WORD_MAX 64

/* Writes into buf the fact word for code as sc qc / sc queryex print it:
 * a type with SERVICE_INTERACTIVE_PROCESS (0x100) gets " (interactive)",
 * an automatic start with delayed set " (delayed)".  Returns the word's
 * length, 0 (buf empty) when code is not one of the field's. */
size_t kbf_service_word(enum kbf_service_field field, uint64_t code, bool delayed, char buf[KBF_SERVICE_WORD_MAX]);

/* The code a service's state, type or start type has when printed by
 * name: .NET's enumerations (ServiceControllerStatus "StartPending",
 * ServiceStartMode "Automatic", ServiceType "Win32OwnProcess") or WMI's
 * words for Win32_Service and Win32_SystemDriver ("Start Pending",
 * "Auto", "Own Process", "Kernel Driver"), case ignored.  false when the
 * word is neither. */
bool kbf_service_code_of(enum kbf_service_field field, struct kbf_wtext_span word, uint64_t *code);

#endif
