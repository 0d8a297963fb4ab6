/*
 * powershell.c — the PowerShell output importers: one per form (table,
 * list, CSV, JSON), each recognising a text by its form and by the first
 * object whose properties name a cmdlet kbdiag reads (powershell.h), and
 * mapping every object to the facts of its cmdlet.  One file may hold
 * several cmdlets' output (a pasted console session of tables); objects
 * of any other cmdlet are counted and said in one skip.
 *
 * Samples: docs/evidence-formats.md "PowerShell output"; real ones under
 * tests/fixtures/powershell (tests/fixtures/SOURCES.md).
 */
#include <string.h>

#include "powershell.h"

/* ---- import ----------------------------------------------------------------------- */

struct importing {
	struct kbf_ps_map map;
	size_t unknown;
	int unknown_line;
	char unknown_props[120];
};

static void note_unknown(struct importing *im, const struct kbf_ps_record *r)
{
	if (im->unknown++)
		return;
	im->unknown_line = r->line;
	struct kbf_wtext_buf b = {0};
	for (size_t i = 0; i < r->n && i < 4; i++)
		kbf_wtext_buf_join(&b, ", ", r->p[i].name.s, r->p[i].name.len);
	snprintf(im->unknown_props, sizeof(im->unknown_props), "%s%s", b.s ? b.s : "", r->n > 4 ? ", ..." : "");
	kbf_wtext_buf_free(&b);
}

static int map_one(struct kbf_input *in, const struct kbf_ps_record *r, void *ud)
{
	struct importing *im = ud;
	im->map.in = in;
	im->map.r = r;
	kbf_wtext_buf_reset(&im->map.pv.text);
	switch (kbf_ps_cmdlet_of(r)) {
	case KBF_PS_TCP: kbf_ps_map_tcp(&im->map, false); break;
	case KBF_PS_UDP: kbf_ps_map_tcp(&im->map, true); break;
	case KBF_PS_PROCESS: kbf_ps_map_process(&im->map, false); break;
	case KBF_PS_WIN32_PROCESS: kbf_ps_map_process(&im->map, true); break;
	case KBF_PS_SERVICE: kbf_ps_map_service(&im->map, false); break;
	case KBF_PS_WIN32_SERVICE: kbf_ps_map_service(&im->map, true); break;
	case KBF_PS_EVENT: kbf_ps_map_event(&im->map); break;
	case KBF_PS_HOTFIX: kbf_ps_map_hotfix(&im->map); break;
	case KBF_PS_VERSION_INFO: kbf_ps_map_version_info(&im->map); break;
	default: note_unknown(im, r); break;
	}
	return 0;
}

static int import_form(struct kbf_input *in, struct kbf_text *t, enum kbf_ps_form form)
{
	struct importing im = {0};
	kbf_ps_read(in, t, form, map_one, &im);
	if (im.unknown)
		kbf_input_skip(in, im.unknown_line, "%zu object%s of a kind kbdiag does not read (properties %s)",
			       im.unknown, im.unknown == 1 ? "" : "s", im.unknown_props);
	kbf_wtext_buf_free(&im.map.pv.text);
	return in->err.status == KB_OK ? 0 : -1;
}

/* ---- recognition ------------------------------------------------------------------ */

#define PROBE_OBJECTS 64 /* objects looked at before giving up */

struct probing {
	size_t seen;
	enum kbf_ps_cmdlet found;
};

static int probe_one(struct kbf_input *in, const struct kbf_ps_record *r, void *ud)
{
	(void)in;
	struct probing *p = ud;
	p->found = kbf_ps_cmdlet_of(r);
	return p->found != KBF_PS_UNKNOWN || ++p->seen == PROBE_OBJECTS;
}

/* 92 when the text is in this form and an object in it is one kbdiag
 * reads: above the generic readers (the file-version listings' free
 * text, the wmic forms of file versions and hotfixes). */
static int probe_form(struct kbf_text *t, enum kbf_ps_form form)
{
	if (!t->utf8 || kbf_ps_form_of(t) != form)
		return 0;
	struct probing p = {0};
	kbf_ps_read(NULL, t, form, probe_one, &p);
	return p.found != KBF_PS_UNKNOWN ? 92 : 0;
}

static int probe_table(struct kbf_text *t) { return probe_form(t, KBF_PS_TABLE); }
static int probe_list(struct kbf_text *t) { return probe_form(t, KBF_PS_LIST); }
static int probe_csv(struct kbf_text *t) { return probe_form(t, KBF_PS_CSV); }
static int probe_json(struct kbf_text *t) { return probe_form(t, KBF_PS_JSON); }
static int import_table(struct kbf_input *in, struct kbf_text *t) { return import_form(in, t, KBF_PS_TABLE); }
static int import_list(struct kbf_input *in, struct kbf_text *t) { return import_form(in, t, KBF_PS_LIST); }
static int import_csv(struct kbf_input *in, struct kbf_text *t) { return import_form(in, t, KBF_PS_CSV); }
static int import_json(struct kbf_input *in, struct kbf_text *t) { return import_form(in, t, KBF_PS_JSON); }

const struct kbf_importer kbf_ps_table_importer = {"powershell-table", probe_table, import_table, KBF_READ_STREAM};
const struct kbf_importer kbf_ps_list_importer = {"powershell-list", probe_list, import_list, KBF_READ_STREAM};
const struct kbf_importer kbf_ps_csv_importer = {"powershell-csv", probe_csv, import_csv, KBF_READ_STREAM};
const struct kbf_importer kbf_ps_json_importer = {"powershell-json", probe_json, import_json, KBF_READ_STREAM};
