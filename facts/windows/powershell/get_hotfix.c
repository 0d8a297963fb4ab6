/*
 * get_hotfix.c — Get-HotFix's Win32_QuickFixEngineering objects as
 * `hotfix` facts, through kbf_hotfix_emit, so that a hotfix is the same
 * fact whether PowerShell, wmic qfe or systeminfo listed it:
 *
 *   HotFixID -> id       InstalledOn -> installed_on    Description
 *   InstalledBy          CSName, else Source (the table's name for it),
 *                        else PSComputerName -> host
 *
 * InstalledOn is a DateTime printed in the exporting locale in tables,
 * lists and CSV ("3/30/2021 12:00:00 AM", "15.11.2017 00:00:00"); in
 * ConvertTo-Json it is "\/Date(ms)\/" or ISO 8601, bare (PowerShell 7.2
 * and later) or as the "value" of an object with the locale's text beside
 * it ({"value": ..., "DateTime": ...}: Windows PowerShell 5.1 and 6 to
 * 7.1), which objects.c names "InstalledOn.value".  hoststate/hotfix.c
 * reads the dates.  -Wrap continues a long cell on a row of its own whose
 * HotFixID is empty: no hotfix, and read past.
 */
#include "powershell.h"
#include "windows/hoststate/hotfix.h"

static struct kbf_wtext_span value(const struct kbf_ps_prop *p)
{
	return p ? p->value : (struct kbf_wtext_span){"", 0};
}

void kbf_ps_map_hotfix(struct kbf_ps_map *m)
{
	const struct kbf_ps_prop *id = kbf_ps_want(m, "HotFixID", false);
	if (!id)
		return;
	const struct kbf_ps_prop *on = kbf_ps_want(m, "InstalledOn", false);
	const struct kbf_ps_prop *host = kbf_ps_want(m, "CSName", false);
	if (!on)
		on = kbf_ps_want(m, "InstalledOn.value", false);
	if (!host)
		host = kbf_ps_want(m, "Source", false);
	if (!host)
		host = kbf_ps_want(m, "PSComputerName", false);
	struct kbf_hotfix h = {
		.id = id->value,
		.installed_on = value(on),
		.description = value(kbf_ps_want(m, "Description", false)),
		.installed_by = value(kbf_ps_want(m, "InstalledBy", false)),
		.host = value(host),
		.sp_in_effect = value(kbf_ps_want(m, "ServicePackInEffect", false)),
		.dates = m->r->form == KBF_PS_JSON ? KBF_HOTFIX_JSON : KBF_HOTFIX_LOCALE,
	};
	struct kbf_wtext_span text = kbf_ps_prov_text(m->r, &m->pv);
	kbf_hotfix_emit(m->in, &h, m->r->line, text.s, text.len);
}
