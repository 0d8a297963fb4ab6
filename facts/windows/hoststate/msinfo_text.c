/*
 * msinfo_text.c — the text export of msinfo32 (`msinfo32 /report
 * FILE.txt`, or File > Export): UTF-16LE with BOM as Windows writes it
 * (core/text.c decodes it; a copy saved as UTF-8 or ANSI reads the same).
 * Layout, as in the public report of an AWS g2.2xlarge instance
 * (tests/fixtures/msinfo/, SOURCES.md):
 *
 *     System Information report written at: 12/28/15 04:28:51
 *     System Name: WIN-5BRNFRHGI65
 *     [System Summary]
 *
 *     Item<TAB>Value<TAB>
 *     OS Name<TAB>Microsoft Windows Server 2012 R2 Standard<TAB>
 *     ...
 *     [Services]
 *
 *     Display Name<TAB>Name<TAB>State<TAB>Start Mode<TAB>...<TAB>
 *     Application Experience<TAB>AeLookupSvc<TAB>Stopped<TAB>Manual<TAB>...<TAB>
 *
 * A category is a line "[Name]" (parents such as "[Software Environment]"
 * have no table of their own); the first line after it is its column
 * header; each further line is a row, cells ended by a tab (the last tab is
 * sometimes lost when the text is pasted).  Blank lines separate groups
 * (Conflicts/Sharing) and are passed over.  msinfo.c makes the facts; a row
 * of a table it reads whose cell count differs from the header's is
 * skipped with a note.
 */
#include <string.h>

#include "msinfo.h"

#define TITLE "System Information report written at:"

/* "[System Summary]": a category line (a row never starts so without a tab
 * in it: network adapter rows hold "[00000001] ..." after a tab). */
static bool category_line(struct kbf_wtext_span t, struct kbf_wtext_span *name)
{
	if (t.len < 3 || t.s[0] != '[' || t.s[t.len - 1] != ']' || memchr(t.s, '\t', t.len))
		return false;
	*name = (struct kbf_wtext_span){t.s + 1, t.len - 2};
	return true;
}

/* The tab-ended cells of a line; one trailing tab ends the last cell
 * rather than starting an empty one.  Returns how many, at most max, or
 * max + 1 when there are more. */
static size_t cells(const struct kbf_line *l, struct kbf_wtext_span *out, size_t max)
{
	size_t n = 0, len = l->len;
	if (len && l->s[len - 1] == '\t')
		len--;
	for (size_t i = 0;;) {
		const char *tab = memchr(l->s + i, '\t', len - i);
		size_t end = tab ? (size_t)(tab - l->s) : len;
		if (n == max)
			return max + 1;
		out[n++] = (struct kbf_wtext_span){l->s + i, end - i};
		if (!tab)
			return n;
		i = end + 1;
	}
}

struct reader {
	struct kbf_msinfo m;
	bool want_header;  /* the next non-blank line is the column header */
	struct kbf_wtext_buf header; /* a copy: the stream gives each line back once read */
	struct kbf_wtext_span cols[KBF_MSINFO_COLS]; /* in header */
	size_t ncols;      /* 0: no table */
};

static void table_line(struct reader *r, const struct kbf_line *l, size_t ln)
{
	struct kbf_wtext_span vals[KBF_MSINFO_COLS];
	if (r->want_header) {
		r->want_header = false;
		kbf_wtext_buf_set(&r->header, l->s, l->len);
		r->ncols = cells(&(struct kbf_line){.s = r->header.s, .len = r->header.len}, r->cols, KBF_MSINFO_COLS);
		if (r->ncols > KBF_MSINFO_COLS) {
			r->ncols = 0;
			if (r->m.table != MSINFO_OTHER)
				kbf_input_skip(r->m.in, (int)ln + 1, "msinfo-text: a header of more than %d "
					       "columns, its table left out", KBF_MSINFO_COLS);
		}
		return;
	}
	if (!r->ncols || r->m.table == MSINFO_OTHER)
		return;
	size_t n = cells(l, vals, KBF_MSINFO_COLS);
	struct kbf_wtext_span text = {l->s, l->len && l->s[l->len - 1] == '\t' ? l->len - 1 : l->len};
	if (n != r->ncols) {
		kbf_input_skip(r->m.in, (int)ln + 1, "msinfo-text: a row of %s%zu cells under a header of %zu",
			       n > KBF_MSINFO_COLS ? "more than " : "", n > KBF_MSINFO_COLS ? (size_t)KBF_MSINFO_COLS : n,
			       r->ncols);
		return;
	}
	kbf_msinfo_row(&r->m, (int)ln + 1, r->cols, vals, n, text);
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct reader r = {.m = {.in = in, .form = "msinfo-text"}};
	const struct kbf_line *l;
	for (size_t ln = 0; (l = kbf_text_line(t, ln)); ln++) {
		kbf_text_release(t, ln);
		l = kbf_text_line(t, ln);
		struct kbf_wtext_span tr = kbf_wtext_trim(l->s, l->len), name;
		if (!tr.len)
			continue;
		if (category_line(tr, &name)) {
			kbf_msinfo_category(&r.m, name);
			r.want_header = true;
			r.ncols = 0;
		} else if (r.want_header || r.ncols) {
			table_line(&r, l, ln);
		}
	}
	kbf_msinfo_finish(&r.m);
	kbf_wtext_buf_free(&r.header);
	return in->err.status == KB_OK ? 0 : -1;
}

/* The title line, a "[System Summary]" line, its "Item<TAB>Value" header. */
static int probe(struct kbf_text *t)
{
	size_t n = t->nlines < 8 ? t->nlines : 8;
	bool title = false, summary = false, header = false;
	if (!t->utf8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_wtext_span tr = kbf_wtext_trim(l->s, l->len), name;
		title |= i == 0 && kbf_wtext_prefix(l->s, l->len, TITLE);
		summary |= category_line(tr, &name) && kbf_wtext_eq(name, "System Summary");
		header |= summary && kbf_wtext_prefix(l->s, l->len, "Item\tValue");
	}
	if (title)
		return summary || header ? 95 : 70;
	return summary && header ? 90 : 0;
}

const struct kbf_importer kbf_msinfo_text_importer = {"msinfo-text", probe, import, KBF_READ_STREAM};
