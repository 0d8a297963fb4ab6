/*
 * file_versions_tables.c — the three layouts PowerShell and wmic share
 * for file-version listings: a fixed-column table, a key/value list and
 * CSV.  Each cell or value is handed to the record by its property name
 * (file_versions.c maps PowerShell's and WMI's names), so a listing
 * with extra, fewer or reordered properties reads the same way.
 *
 * Tables: PowerShell marks each column with a run of dashes under its name
 * (the rule line); wmic has no rule and starts each column at its name,
 * left-aligned and padded to the widest value.  Columns are counted in
 * characters, not bytes, so a non-ASCII path does not shift the cells.
 * Lists: Format-List writes "Name : value" with the name at column 0 and
 * wraps a long value onto lines indented to the value; wmic /value writes
 * "Name=value".  Records end at a blank line.
 * CSV (Export-Csv, wmic /format:csv) is read by core/csv.c; Export-Csv
 * quotes every field, and a quoted Comments field may run over lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "file_versions.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_COLUMNS 64 /* CIM_DataFile has 33 properties: `get *` fits */
#define MAX_PATH_CHARS 32767 /* the longest Windows path ("Maximum Path Length Limitation") */

/* ---- CSV ------------------------------------------------------------------------ */

/* The text of lines [a, z] as one slice of the decoded file. */
static struct kbf_line span(struct kbf_text *t, size_t a, size_t z)
{
	return (struct kbf_line){.s = t->lines[a].s, .len = (size_t)(t->lines[z].s + t->lines[z].len - t->lines[a].s)};
}

static bool blank_record(const struct kbf_csv *c)
{
	return c->n == 1 && kbf_fv_trim((struct kbf_line){.s = c->f[0].s, .len = c->f[0].len}).len == 0;
}

static int csv_row(struct kbf_input *in, struct kbf_text *t, const struct kbf_csv *hdr,
		   const struct kbf_csv *row, enum kbf_fv_dialect d)
{
	int line = (int)row->first + 1;
	if (row->n != hdr->n)
		return kbf_input_error(in, line, "%zu fields where the header has %zu", row->n, hdr->n);
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	r.line = line;
	for (size_t k = 0; k < row->n; k++)
		kbf_fv_record_prop(&r, d, hdr->f[k].s, hdr->f[k].len, row->f[k].s, row->f[k].len);
	struct kbf_line text = span(t, row->first, row->last);
	kbf_fv_record_text(&r, text.s, text.len);
	return kbf_fv_record_emit(in, &r, d == KBF_FV_WMI ? "wmic" : "Export-Csv");
}

int kbf_fv_read_csv(struct kbf_input *in, struct kbf_text *t, size_t first, enum kbf_fv_dialect d)
{
	struct kbf_csv hdr = {0}, row = {0};
	size_t i = first;
	int rc = 0, got;
	if (kbf_csv_next(&hdr, t, &i) != 1) {
		rc = kbf_input_error(in, (int)first + 1, "CSV header cannot be read");
		goto out;
	}
	while ((got = kbf_csv_next(&row, t, &i)) == 1) {
		const struct kbf_line *l = &t->lines[row.first];
		if (blank_record(&row) || (l->len > 6 && strncmp(l->s, "#TYPE ", 6) == 0))
			continue;
		if (csv_row(in, t, &hdr, &row, d) < 0)
			rc = -1;
	}
	if (got < 0)
		rc = kbf_input_error(in, (int)row.first + 1, "quoted CSV field never closes");
out:
	kbf_csv_free(&hdr);
	kbf_csv_free(&row);
	return rc;
}

/* ---- tables ------------------------------------------------------------------------ */

bool kbf_fv_has_word(const struct kbf_line *l, const char *word)
{
	for (size_t i = 0; i < l->len;) {
		while (i < l->len && isspace((unsigned char)l->s[i]))
			i++;
		size_t start = i;
		while (i < l->len && !isspace((unsigned char)l->s[i]))
			i++;
		if (i > start && kbf_fv_is(l->s + start, i - start, word))
			return true;
	}
	return false;
}

bool kbf_fv_rule_line(const struct kbf_line *l)
{
	struct kbf_line t = kbf_fv_trim(*l);
	if (!t.len || t.s[0] != '-')
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] != '-' && t.s[i] != ' ')
			return false;
	return true;
}

struct kbf_line kbf_fv_no_bom(const struct kbf_line *l)
{
	if (l->len >= 3 && memcmp(l->s, "\xEF\xBB\xBF", 3) == 0)
		return (struct kbf_line){.s = l->s + 3, .len = l->len - 3};
	return *l;
}

bool kbf_fv_wmic_header(const struct kbf_line *line)
{
	struct kbf_line bare = kbf_fv_no_bom(line);
	const struct kbf_line *l = &bare;
	bool any = false;
	for (size_t i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->s[i];
		if (!isalnum(c) && c != '_' && c != ' ' && c != '\t')
			return false;
		any |= c != ' ' && c != '\t';
	}
	return any && kbf_fv_has_word(l, "Name") && kbf_fv_has_word(l, "Version");
}

struct columns {
	size_t n;
	size_t start[MAX_COLUMNS]; /* character columns */
	struct kbf_line name[MAX_COLUMNS];
};

/* Column k of l: from its start to the next column's start. */
static struct kbf_line cell(const struct columns *c, size_t k, const struct kbf_line *l)
{
	size_t a = kbu_utf8_offset(l->s, l->len, c->start[k]);
	size_t b = k + 1 < c->n ? kbu_utf8_offset(l->s, l->len, c->start[k + 1]) : l->len;
	return kbf_fv_trim((struct kbf_line){.s = l->s + a, .len = b - a});
}

static void name_columns(struct columns *c, const struct kbf_line *header)
{
	for (size_t k = 0; k < c->n; k++)
		c->name[k] = cell(c, k, header);
}

/* PowerShell: a column starts where a run of dashes in the rule starts.
 * Each rule character is one column, so byte and character positions agree. */
static void rule_columns(struct columns *c, const struct kbf_line *header, const struct kbf_line *rule)
{
	c->n = 0;
	for (size_t i = 0; i < rule->len && c->n < MAX_COLUMNS; i++)
		if (rule->s[i] == '-' && (i == 0 || rule->s[i - 1] != '-'))
			c->start[c->n++] = i;
	name_columns(c, header);
}

/* wmic: a column starts at its property name (names are ASCII). */
static void word_columns(struct columns *c, const struct kbf_line *header)
{
	c->n = 0;
	for (size_t i = 0; i < header->len && c->n < MAX_COLUMNS; i++)
		if (!isspace((unsigned char)header->s[i]) && (i == 0 || isspace((unsigned char)header->s[i - 1])))
			c->start[c->n++] = i;
	name_columns(c, header);
}

static int table_row(struct kbf_input *in, const struct kbf_line *l, int line, const struct columns *c,
		     enum kbf_fv_dialect d)
{
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	r.line = line;
	for (size_t k = 0; k < c->n; k++) {
		struct kbf_line v = cell(c, k, l);
		kbf_fv_record_prop(&r, d, c->name[k].s, c->name[k].len, v.s, v.len);
	}
	kbf_fv_record_text(&r, l->s, l->len);
	return kbf_fv_record_emit(in, &r, d == KBF_FV_WMI ? "wmic table" : "table");
}

/* Reads every table from line first on: a PowerShell table ends at a blank
 * line (another may follow); a wmic table runs to the end of the file. */
int kbf_fv_read_table(struct kbf_input *in, struct kbf_text *t, size_t first, enum kbf_fv_dialect d)
{
	struct columns cols = {0};
	bool in_table = false;
	int rc = 0;
	for (size_t i = first; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (d == KBF_FV_POWERSHELL && i + 1 < t->nlines && kbf_fv_rule_line(&t->lines[i + 1]) &&
		    !kbf_fv_rule_line(l) && kbf_fv_trim(*l).len) {
			rule_columns(&cols, l, &t->lines[++i]);
			in_table = true;
		} else if (d == KBF_FV_WMI && kbf_fv_wmic_header(l)) {
			struct kbf_line bare = kbf_fv_no_bom(l);
			word_columns(&cols, &bare);
			in_table = true;
		} else if (!kbf_fv_trim(*l).len) {
			in_table &= d == KBF_FV_WMI;
		} else if (in_table && table_row(in, l, (int)i + 1, &cols, d) < 0) {
			rc = -1;
		}
	}
	return rc;
}

/* ---- key/value lists ---------------------------------------------------------------- */

/* "Key : value" (Format-List) or "Key=value" (wmic /value), key at column 0. */
static bool key_value(const struct kbf_line *l, enum kbf_fv_dialect d, struct kbf_line *key, struct kbf_line *val)
{
	size_t i = 0;
	while (i < l->len && (isalnum((unsigned char)l->s[i]) || l->s[i] == '_'))
		i++;
	if (!i || !isalpha((unsigned char)l->s[0]))
		return false;
	*key = (struct kbf_line){.s = l->s, .len = i};
	if (d == KBF_FV_POWERSHELL)
		while (i < l->len && l->s[i] == ' ')
			i++;
	if (i >= l->len || l->s[i] != (d == KBF_FV_WMI ? '=' : ':'))
		return false;
	*val = kbf_fv_trim((struct kbf_line){.s = l->s + i + 1, .len = l->len - i - 1});
	return true;
}

/* Format-List wraps a long FileName onto indented lines: join them, in a
 * buffer that grows by doubling, up to the longest path Windows has. */
static void append_path(struct kbf_fv_record *r, const struct kbf_line *l)
{
	struct kbf_line more = kbf_fv_trim(*l), path = r->f.path;
	size_t need = path.len + more.len + 1, cap = r->joined_cap;
	if (need > MAX_PATH_CHARS)
		return;
	if (path.s != r->joined_path) { /* first continuation: copy the value out of the text */
		free(r->joined_path);
		r->joined_path = NULL;
		cap = 0;
	}
	if (need > cap) {
		cap = need > 2 * cap ? need : 2 * cap;
		char *p = kbu_realloc(r->joined_path, cap, 1);
		if (!r->joined_path)
			memcpy(p, path.s, path.len);
		r->joined_path = p;
		r->joined_cap = cap;
	}
	memcpy(r->joined_path + path.len, more.s, more.len);
	r->f.path = (struct kbf_line){.s = r->joined_path, .len = path.len + more.len};
	kbf_fv_record_text(r, l->s, l->len);
}

int kbf_fv_read_list(struct kbf_input *in, struct kbf_text *t, size_t first, enum kbf_fv_dialect d)
{
	const char *what = d == KBF_FV_WMI ? "wmic /value" : "Format-List";
	const char *path_key = d == KBF_FV_WMI ? "Name" : "FileName";
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	bool wrapping = false; /* the last key line was a FileName */
	int rc = 0;
	for (size_t i = first; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_line k, v;
		if (!kbf_fv_trim(*l).len) {
			rc |= kbf_fv_record_emit(in, &r, what);
			wrapping = false;
		} else if (key_value(l, d, &k, &v)) {
			if (kbf_fv_is(k.s, k.len, path_key) && r.f.path.len)
				rc |= kbf_fv_record_emit(in, &r, what); /* a new record without a blank line */
			if (!r.line)
				r.line = (int)i + 1;
			if (kbf_fv_record_prop(&r, d, k.s, k.len, v.s, v.len))
				kbf_fv_record_text(&r, l->s, l->len);
			wrapping = d == KBF_FV_POWERSHELL && kbf_fv_is(k.s, k.len, path_key);
		} else if (wrapping && isspace((unsigned char)l->s[0])) {
			append_path(&r, l);
		} else {
			wrapping = false;
		}
	}
	rc |= kbf_fv_record_emit(in, &r, what);
	return rc;
}
