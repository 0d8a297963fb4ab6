/*
 * file_versions_tables.c — the three layouts of `wmic datafile`: a
 * fixed-column table, a key/value list (/value) and CSV (/format:csv).
 * Each cell or value is handed to the record by its property name
 * (file_versions.c maps WMI's names), so a listing with extra, fewer or
 * reordered properties reads the same way.  (PowerShell's
 * FileVersionInfo in its table, list, CSV and JSON forms is read with
 * all PowerShell output: powershell/versioninfo.c.)
 *
 * Tables: wmic starts each column at its name, left-aligned and padded to
 * the widest value.  Columns are counted in characters, not bytes, so a
 * non-ASCII path does not shift the cells.  Lists: "Name=value", records
 * ending at a blank line.  CSV is read by core/csv.c.
 */
#include <ctype.h>
#include <string.h>

#include "core/csv.h"
#include "file_versions.h"
#include "utf8.h"

#define MAX_COLUMNS 64 /* CIM_DataFile has 33 properties: `get *` fits */

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

static int csv_row(struct kbf_input *in, struct kbf_text *t, const struct kbf_csv *hdr, const struct kbf_csv *row)
{
	int line = (int)row->first + 1;
	if (row->n != hdr->n)
		return kbf_input_error(in, line, "%zu fields where the header has %zu", row->n, hdr->n);
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	r.line = line;
	for (size_t k = 0; k < row->n; k++)
		kbf_fv_record_prop(&r, KBF_FV_WMI, hdr->f[k].s, hdr->f[k].len, row->f[k].s, row->f[k].len);
	struct kbf_line text = span(t, row->first, row->last);
	kbf_fv_record_text(&r, text.s, text.len);
	return kbf_fv_record_emit(in, &r, "wmic");
}

int kbf_fv_read_csv(struct kbf_input *in, struct kbf_text *t, size_t first)
{
	struct kbf_csv hdr = {0}, row = {0};
	size_t i = first;
	int rc = 0, got;
	if (kbf_csv_next(&hdr, t, &i) != 1) {
		rc = kbf_input_error(in, (int)first + 1, "CSV header cannot be read");
		goto out;
	}
	while ((got = kbf_csv_next(&row, t, &i)) == 1) {
		if (blank_record(&row))
			continue;
		if (csv_row(in, t, &hdr, &row) < 0)
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

/* wmic: a column starts at its property name (names are ASCII). */
static void word_columns(struct columns *c, const struct kbf_line *header)
{
	c->n = 0;
	for (size_t i = 0; i < header->len && c->n < MAX_COLUMNS; i++)
		if (!isspace((unsigned char)header->s[i]) && (i == 0 || isspace((unsigned char)header->s[i - 1])))
			c->start[c->n++] = i;
	name_columns(c, header);
}

static int table_row(struct kbf_input *in, const struct kbf_line *l, int line, const struct columns *c)
{
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	r.line = line;
	for (size_t k = 0; k < c->n; k++) {
		struct kbf_line v = cell(c, k, l);
		kbf_fv_record_prop(&r, KBF_FV_WMI, c->name[k].s, c->name[k].len, v.s, v.len);
	}
	kbf_fv_record_text(&r, l->s, l->len);
	return kbf_fv_record_emit(in, &r, "wmic table");
}

/* Reads the table from line first on, to the end of the file (a header
 * repeated by `>>` starts it again). */
int kbf_fv_read_table(struct kbf_input *in, struct kbf_text *t, size_t first)
{
	struct columns cols = {0};
	int rc = 0;
	for (size_t i = first; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (kbf_fv_wmic_header(l)) {
			struct kbf_line bare = kbf_fv_no_bom(l);
			word_columns(&cols, &bare);
		} else if (kbf_fv_trim(*l).len && cols.n && table_row(in, l, (int)i + 1, &cols) < 0) {
			rc = -1;
		}
	}
	return rc;
}

/* ---- key/value lists ---------------------------------------------------------------- */

/* "Key=value", the key at column 0. */
static bool key_value(const struct kbf_line *l, struct kbf_line *key, struct kbf_line *val)
{
	size_t i = 0;
	while (i < l->len && (isalnum((unsigned char)l->s[i]) || l->s[i] == '_'))
		i++;
	if (!i || !isalpha((unsigned char)l->s[0]) || i >= l->len || l->s[i] != '=')
		return false;
	*key = (struct kbf_line){.s = l->s, .len = i};
	*val = kbf_fv_trim((struct kbf_line){.s = l->s + i + 1, .len = l->len - i - 1});
	return true;
}

int kbf_fv_read_list(struct kbf_input *in, struct kbf_text *t, size_t first)
{
	const char *what = "wmic /value";
	struct kbf_fv_record r;
	kbf_fv_record_init(&r);
	int rc = 0;
	for (size_t i = first; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_line k, v;
		if (!kbf_fv_trim(*l).len) {
			rc |= kbf_fv_record_emit(in, &r, what);
		} else if (key_value(l, &k, &v)) {
			if (kbf_fv_is(k.s, k.len, "Name") && r.f.path.len)
				rc |= kbf_fv_record_emit(in, &r, what); /* a new record without a blank line */
			if (!r.line)
				r.line = (int)i + 1;
			if (kbf_fv_record_prop(&r, KBF_FV_WMI, k.s, k.len, v.s, v.len))
				kbf_fv_record_text(&r, l->s, l->len);
		}
	}
	rc |= kbf_fv_record_emit(in, &r, what);
	return rc;
}
