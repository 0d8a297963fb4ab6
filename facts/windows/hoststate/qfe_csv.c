/*
 * qfe_csv.c — hotfixes as CSV: `wmic qfe list /format:csv`.
 * docs/evidence-formats.md "wmic qfe".  (PowerShell's `Get-HotFix |
 * Export-Csv` is read with every other Export-Csv:
 * powershell/get_hotfix.c.)
 *
 * wmic writes a blank line, then a header of property names led by Node
 * (the computer), then one row a hotfix, nothing quoted:
 *
 *     Node,Caption,CSName,Description,FixComments,HotFixID,InstallDate,InstalledBy,InstalledOn,Name,ServicePackInEffect,Status
 *     WIN10,http://support.microsoft.com/?kbid=4578968,WIN10,Update,,KB4578968,,NT AUTHORITY\SYSTEM,12/9/2020,,,
 *
 * Columns are found by name; a record is one line.
 */
#include <string.h>

#include "core/csv.h"
#include "core/wtext.h"
#include "hotfix.h"

#define MAX_COLS 64
#define NAME_MAX_LEN 32

struct header {
	size_t n;
	char name[MAX_COLS][NAME_MAX_LEN]; /* copied: the next record overwrites the reader's */
	size_t len[MAX_COLS];
};

static bool has_id(const struct kbf_csv *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (kbf_wtext_ieq(kbf_wtext_trim(c->f[i].s, c->f[i].len), "HotFixID"))
			return true;
	return false;
}

static void keep_header(struct header *h, const struct kbf_csv *c)
{
	h->n = c->n < MAX_COLS ? c->n : MAX_COLS;
	for (size_t i = 0; i < h->n; i++) {
		struct kbf_wtext_span f = kbf_wtext_trim(c->f[i].s, c->f[i].len);
		h->len[i] = f.len < NAME_MAX_LEN ? f.len : 0; /* a name too long for us is no property */
		memcpy(h->name[i], f.s, h->len[i]);
	}
}

static void csv_row(struct kbf_input *in, struct kbf_text *t, const struct header *h, const struct kbf_csv *c)
{
	int line = (int)c->first + 1;
	if (c->n != h->n && c->n <= MAX_COLS) {
		kbf_input_skip(in, line, "hotfix: a row of %zu fields under a header of %zu", c->n, h->n);
		return;
	}
	struct kbf_hotfix hf = {.dates = KBF_HOTFIX_WMI};
	for (size_t i = 0; i < h->n; i++)
		kbf_hotfix_set(&hf, (struct kbf_wtext_span){h->name[i], h->len[i]},
			       kbf_wtext_trim(c->f[i].s, c->f[i].len));
	const struct kbf_line *raw = kbf_text_line(t, c->first);
	if (hf.id.len)
		kbf_hotfix_emit(in, &hf, line, raw->s, raw->len);
}

static int import_wmic(struct kbf_input *in, struct kbf_text *t)
{
	struct kbf_csv c = {.one_line = true};
	struct header h = {0};
	int got;
	for (size_t ln = 0;;) {
		kbf_text_release(t, ln);
		if ((got = kbf_csv_next(&c, t, &ln)) == 0)
			break;
		if (got < 0)
			kbf_input_skip(in, (int)c.first + 1, "hotfix: a quoted field does not close");
		else if (has_id(&c))
			keep_header(&h, &c);
		else if (h.n)
			csv_row(in, t, &h, &c);
		/* else: text before the header */
	}
	kbf_csv_free(&c);
	return in->err.status == KB_OK ? 0 : -1;
}

/* The header among the first lines: "Node,...,HotFixID,..." bare
 * (PowerShell quotes its fields). */
static int probe_wmic(struct kbf_text *t)
{
	size_t n = t->nlines < 5 ? t->nlines : 5;
	int score = 0;
	if (!t->utf8)
		return 0;
	struct kbf_csv c = {.one_line = true};
	for (size_t i = 0; i < n && !score; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (kbf_wtext_blank(l->s, l->len) || l->s[0] == '#' || kbf_csv_read(&c, t, i) < 0 || c.n < 2 ||
		    !has_id(&c))
			continue;
		if (l->s[0] == '"')
			break;
		score = kbf_wtext_ieq(c.f[0], "Node") ? 95 : 80;
	}
	kbf_csv_free(&c);
	return score;
}

const struct kbf_importer kbf_win_wmic_qfe_csv_importer = {"wmic-qfe-csv", probe_wmic, import_wmic, KBF_READ_STREAM};
