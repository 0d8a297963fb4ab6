/*
 * hotfix.h — the hotfix fact every hotfix listing makes (systeminfo's
 * "Hotfix(s):" list, wmic qfe, PowerShell Get-HotFix): one place that
 * says what an id is, which ids are not ones (XP's "File 1"), and how an
 * installation date becomes an ISO date.  Private to hoststate/ and
 * PowerShell's Get-HotFix mapping (powershell/get_hotfix.c).
 */
#ifndef KBDIAG_FACTS_WINDOWS_HOSTSTATE_HOTFIX_H
#define KBDIAG_FACTS_WINDOWS_HOSTSTATE_HOTFIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/wtext.h"

/* How a listing writes InstalledOn. */
enum kbf_hotfix_dates {
	/* WMI's own string (wmic): M/D/YYYY whatever the locale (Windows 7
	 * and later), a FILETIME in hex or YYYYMMDD (XP, Vista) */
	KBF_HOTFIX_WMI,
	/* a date and time in the exporting locale's format (Get-HotFix
	 * tables, lists and CSV) */
	KBF_HOTFIX_LOCALE,
	/* ConvertTo-Json: "\/Date(ms)\/" (Windows PowerShell) or ISO 8601
	 * (PowerShell 7) */
	KBF_HOTFIX_JSON,
};

/* One hotfix as a listing gives it; spans are borrowed from the text and
 * may be empty. */
struct kbf_hotfix {
	struct kbf_wtext_span id, installed_on, description, installed_by, host;
	/* wmic's ServicePackInEffect: where XP puts the KB when HotFixID
	 * says "File 1" */
	struct kbf_wtext_span sp_in_effect;
	enum kbf_hotfix_dates dates;
};

/* Fills the slot of h a column of wmic's names (HotFixID, Description,
 * InstalledOn, InstalledBy, CSName, Node, ServicePackInEffect; case
 * ignored) with v.  false for a property no slot takes. */
bool kbf_hotfix_set(struct kbf_hotfix *h, struct kbf_wtext_span property, struct kbf_wtext_span v);
/* Whether name is a property of Win32_QuickFixEngineering (the columns
 * wmic prints) or one PowerShell adds to it (Source, PSComputerName). */
bool kbf_hotfix_property(struct kbf_wtext_span name);

/* Offers the fact for h, with text[0..len) of line as its provenance.
 * An id that cannot be one (blanks, odd characters) is left out with a
 * warning (kbf_input_skip); XP's "File 1" entries, whose id WMI does not
 * give, are left out silently.  Returns whether a fact was offered. */
bool kbf_hotfix_emit(struct kbf_input *in, const struct kbf_hotfix *h, int line, const char *text, size_t len);

/* The date of an InstalledOn value as "YYYY-MM-DD" in out (NUL-terminated),
 * when the text can be read one way only; false otherwise (the fact then
 * keeps the text as written). */
bool kbf_hotfix_date(struct kbf_wtext_span v, enum kbf_hotfix_dates how, char out[11]);

#endif
