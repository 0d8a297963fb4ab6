/*
 * versioninfo.c — FileVersionInfo objects ((Get-Item f).VersionInfo,
 * Get-Process -FileVersionInfo, `| Format-List`, `| Export-Csv`) as
 * `file` facts, through the record the file-version listings build
 * (files/file_versions.h), so that a file is the same fact whether
 * PowerShell, wmic datafile or filever listed it: FileName, FileVersion,
 * FileVersionRaw, ProductVersion, ProductVersionRaw and the File*Part
 * numbers (PowerShell 2 has no FileVersionRaw).
 *
 * A version cut to the console width ("6.2.9200.1638...") is left out
 * with a note; a file name cut short names no file, and is an error as
 * in every listing.
 */
#include "powershell.h"
#include "windows/files/file_versions.h"

static const char *const properties[] = {
	"FileName", "FileVersion", "FileVersionRaw", "ProductVersion", "ProductVersionRaw",
	"FileMajorPart", "FileMinorPart", "FileBuildPart", "FilePrivatePart",
};

static const char *form_name(enum kbf_ps_form form)
{
	return form == KBF_PS_LIST ? "Format-List" : form == KBF_PS_CSV ? "Export-Csv"
	       : form == KBF_PS_JSON ? "ConvertTo-Json" : "table";
}

void kbf_ps_map_version_info(struct kbf_ps_map *m)
{
	const struct kbf_ps_prop *name = kbf_ps_get(m->r, "FileName");
	if (name && name->truncated) {
		kbf_input_error(m->in, m->r->line, "file name cut short by the console width: %.*s",
				(int)name->value.len, name->value.s);
		return;
	}
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	r.line = m->r->line;
	for (size_t i = 0; i < sizeof(properties) / sizeof(properties[0]); i++) {
		const struct kbf_ps_prop *p = kbf_ps_want(m, properties[i], false);
		if (p)
			kbf_fv_record_prop(&r, KBF_FV_POWERSHELL, p->name.s, p->name.len, p->value.s, p->value.len);
	}
	struct kbf_wtext_span text = kbf_ps_prov_text(m->r, &m->pv);
	kbf_fv_record_text(&r, text.s, text.len);
	kbf_fv_record_emit(m->in, &r, form_name(m->r->form));
}
