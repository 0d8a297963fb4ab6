/*
 * systeminfo.h — what systeminfo.c reads that other host-state reports
 * print the same way (msinfo32's System Summary has the same "Version" and
 * "System Type" values).  Internal to facts/windows/hoststate/.
 */
#ifndef KBDIAG_FACTS_WINDOWS_HOSTSTATE_SYSTEMINFO_H
#define KBDIAG_FACTS_WINDOWS_HOSTSTATE_SYSTEMINFO_H

#include "core/wtext.h"

/* "6.1.7601 Service Pack 1 Build 7601", "6.3.9600 N/A Build 9600": the
 * dotted version (*ver, a slice of v), the build (the number after a build
 * word, in the languages core/labels.c lists, else the version's third
 * part) and the service pack (0 when none).  false when v does not start
 * with a version number. */
bool kbf_win_os_version_parse(struct kbf_wtext_span v, struct kbf_wtext_span *ver, int64_t *build, int64_t *sp);

/* "x64-based PC", "X86-based PC", "ARM64-based PC", "Itanium (TM) -based
 * System" -> "x64", "x86", "arm64", "ia64"; NULL for others. */
const char *kbf_win_arch_of(struct kbf_wtext_span t);

#endif
