/*
 * qfe_table.c — hotfix tables as `wmic qfe` prints them (its default
 * listing and `wmic qfe get ...`): one hotfix a row under a header of
 * property names; cells are cut at the columns' character positions,
 * since values hold blanks ("Security Update", "NT AUTHORITY\SYSTEM").
 * docs/evidence-formats.md "wmic qfe".  (PowerShell's Get-HotFix table
 * is read with every other PowerShell table: powershell/get_hotfix.c.)
 *
 * wmic (wesng's validation files, Windows XP to Server 2012 R2; UTF-16
 * when redirected from cmd):
 *
 *     Caption                                     CSName        Description      FixComments  HotFixID   ...
 *     http://support.microsoft.com/?kbid=2894852  SRV12R2U1X64  Security Update               KB2894852  ...
 *
 * Each column starts where its header word does.  wmic's first run on XP
 * writes "Please wait while WMIC is being installed." in front of the
 * header (in ANSI even when the rest is UTF-16); the columns are counted
 * from the first property name, not from the start of that line.
 */
#include <string.h>

#include "core/wtext.h"
#include "hotfix.h"
#include "utf8.h"

#define MAX_COLS 24
#define NAME_MAX_LEN 32

struct table {
	size_t ncols;                        /* 0: no header seen (or the table ended) */
	size_t start[MAX_COLS];              /* characters from the row's start */
	char name[MAX_COLS][NAME_MAX_LEN];   /* copied: the header line is given back */
	size_t namelen[MAX_COLS];
	bool has_id;
};

static bool add_column(struct table *tb, size_t start, struct kbf_wtext_span name)
{
	if (tb->ncols == MAX_COLS || !name.len || name.len >= NAME_MAX_LEN)
		return false;
	memcpy(tb->name[tb->ncols], name.s, name.len);
	tb->namelen[tb->ncols] = name.len;
	tb->start[tb->ncols++] = start;
	tb->has_id |= kbf_wtext_ieq(name, "HotFixID");
	return true;
}

/* A token that is a property name, or ends in one after junk ("...being
 * installed.Caption"): where the name starts, else -1. */
static ptrdiff_t property_at(struct kbf_wtext_span tok)
{
	if (kbf_hotfix_property(tok))
		return 0;
	for (size_t i = 1; i < tok.len; i++)
		if (kbf_hotfix_property((struct kbf_wtext_span){tok.s + i, tok.len - i}))
			return (ptrdiff_t)i;
	return -1;
}

/* wmic's header: property names only, HotFixID among them. */
static bool wmic_header(const struct kbf_line *l, struct table *tb)
{
	size_t pos = 0, base = 0;
	struct kbf_wtext_span tok;
	memset(tb, 0, sizeof(*tb));
	bool started = false;
	while (kbf_wtext_token(l->s, l->len, &pos, &tok)) {
		ptrdiff_t at = property_at(tok);
		if (!started && at < 0)
			continue; /* "Please wait while WMIC is being installed." */
		if (at < 0 || (at > 0 && started))
			return tb->ncols = 0, false;
		size_t col = kbu_utf8_chars(l->s, (size_t)(tok.s - l->s) + (size_t)at);
		if (!started)
			base = col;
		started = true;
		struct kbf_wtext_span name = {tok.s + at, tok.len - (size_t)at};
		if (!add_column(tb, col - base, name))
			return tb->ncols = 0, false;
	}
	if (!tb->has_id)
		tb->ncols = 0;
	return tb->ncols > 0;
}

static void table_row(struct kbf_input *in, const struct table *tb, const struct kbf_line *l, int line)
{
	struct kbf_hotfix h = {.dates = KBF_HOTFIX_WMI};
	for (size_t c = 0; c < tb->ncols; c++) {
		size_t b = kbu_utf8_offset(l->s, l->len, tb->start[c]);
		size_t e = c + 1 < tb->ncols ? kbu_utf8_offset(l->s, l->len, tb->start[c + 1]) : l->len;
		kbf_hotfix_set(&h, (struct kbf_wtext_span){tb->name[c], tb->namelen[c]},
			       kbf_wtext_trim(l->s + b, e - b));
	}
	if (h.id.len)
		kbf_hotfix_emit(in, &h, line, l->s, l->len);
	/* else: a blank cell padded out */
}

/* A header starts a table, a blank line ends it. */
static int import_wmic(struct kbf_input *in, struct kbf_text *t)
{
	struct table tb = {0}, hdr;
	const struct kbf_line *l;
	for (size_t ln = 0; (l = kbf_text_line(t, ln)); ln++) {
		kbf_text_release(t, ln);
		l = kbf_text_line(t, ln);
		if (kbf_wtext_blank(l->s, l->len))
			tb.ncols = 0;
		else if (wmic_header(l, &hdr))
			tb = hdr; /* a new table */
		else if (tb.ncols)
			table_row(in, &tb, l, (int)ln + 1);
	}
	return in->err.status == KB_OK ? 0 : -1;
}

/* A header of property names within the first lines, not underlined
 * (that is PowerShell's, powershell/): the more columns, the surer. */
static int probe_wmic(struct kbf_text *t)
{
	struct table tb;
	size_t n = t->nlines < 10 ? t->nlines : 10;
	if (!t->utf8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!wmic_header(&t->lines[i], &tb))
			continue;
		if (i + 1 < t->nlines && kbf_wtext_prefix(t->lines[i + 1].s, t->lines[i + 1].len, "-"))
			return 0;
		return tb.ncols >= 3 ? 95 : 80;
	}
	return 0;
}

const struct kbf_importer kbf_win_wmic_qfe_importer = {"wmic-qfe", probe_wmic, import_wmic, KBF_READ_STREAM};
