/*
 * file_versions.c — the importer for file-version listings a support
 * engineer asks a Windows customer for: which form a file is (by content),
 * and the records every form shares, named by PowerShell's FileVersionInfo
 * or by WMI's CIM_DataFile properties.  The layouts are read in
 * file_versions_tables.c (tables, lists, CSV) and
 * file_versions_text.c (filever, free-form listings).
 *
 * PowerShell's listings ((Get-Item f).VersionInfo, Get-Process
 * -FileVersionInfo, as a table, Format-List, Export-Csv or ConvertTo-Json)
 * are read with all PowerShell output (powershell/, FileVersionInfo
 * objects told by FileName and FileVersion) into the record kept here.
 *
 * Forms and the public samples they were checked against:
 *   - wmic datafile ... get Name,Version: a header of property names then
 *     left-aligned columns; `/value` gives "Name=..." lines; `/format:csv`
 *     adds a leading Node column (docs/evidence-formats.md "wmic datafile").  Redirected
 *     wmic output is UTF-16LE, which core/text.c decodes.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "file_versions.h"

#define SCAN_LINES 500

/* ---- small text helpers ------------------------------------------------------ */

struct kbf_line kbf_fv_trim(struct kbf_line l)
{
	while (l.len && isspace((unsigned char)l.s[0]))
		l.s++, l.len--;
	while (l.len && isspace((unsigned char)l.s[l.len - 1]))
		l.len--;
	return l;
}

bool kbf_fv_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

bool kbf_fv_windows_path(const char *s, size_t len)
{
	if (len >= 3 && isalpha((unsigned char)s[0]) && s[1] == ':' && s[2] == '\\')
		return true;
	if (len >= 3 && s[0] == '\\' && s[1] == '\\' && s[2] != '\\')
		return true;
	const char *pct = len > 2 && s[0] == '%' ? memchr(s + 1, '%', len - 1) : NULL;
	return pct && (size_t)(pct - s) + 1 < len && pct[1] == '\\';
}

/* ---- records ------------------------------------------------------------------ */

void kbf_fv_record_init(struct kbf_fv_record *r)
{
	memset(r, 0, sizeof(*r));
}

void kbf_fv_record_text(struct kbf_fv_record *r, const char *s, size_t len)
{
	struct kbf_line l = kbf_fv_trim((struct kbf_line){.s = s, .len = len});
	size_t room = sizeof(r->text) - 1 - r->textlen;
	if (r->textlen && room >= 2) {
		memcpy(r->text + r->textlen, "; ", 2);
		r->textlen += 2;
		room -= 2;
	}
	if (l.len > room)
		l.len = room;
	memcpy(r->text + r->textlen, l.s, l.len);
	r->textlen += l.len;
}

static bool parse_uint(struct kbf_line v, int64_t max, int64_t *out)
{
	v = kbf_fv_trim(v);
	int64_t n = 0;
	for (size_t i = 0; i < v.len; i++) {
		int d = v.s[i] - '0';
		if (!isdigit((unsigned char)v.s[i]) || n > (max - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return v.len > 0;
}

static const char *const part_names[4] = {"FileMajorPart", "FileMinorPart", "FileBuildPart", "FilePrivatePart"};

static bool powershell_prop(struct kbf_fv_record *r, const char *k, size_t kl, struct kbf_line v)
{
	struct kbf_file_rec *f = &r->f;
	struct kbf_line *slot = kbf_fv_is(k, kl, "FileName")		? &f->path
				: kbf_fv_is(k, kl, "FileVersion")	? &f->text
				: kbf_fv_is(k, kl, "FileVersionRaw")	? &f->raw
				: kbf_fv_is(k, kl, "ProductVersion")	? &f->product
				: kbf_fv_is(k, kl, "ProductVersionRaw") ? &f->product_raw
									: NULL;
	if (slot) {
		*slot = v;
		return true;
	}
	for (unsigned i = 0; i < 4; i++) {
		int64_t n;
		if (kbf_fv_is(k, kl, part_names[i]) && parse_uint(v, 65535, &n)) {
			r->parts[i] = (unsigned)n;
			r->nparts |= 1u << i;
			return true;
		}
	}
	return false;
}

/* CIM_DataFile: Name is the full path (its FileName lacks the extension). */
static bool wmi_prop(struct kbf_fv_record *r, const char *k, size_t kl, struct kbf_line v)
{
	if (kbf_fv_is(k, kl, "Name"))
		r->f.path = v;
	else if (kbf_fv_is(k, kl, "Version"))
		r->f.text = v;
	else if (kbf_fv_is(k, kl, "FileSize") && parse_uint(v, INT64_MAX, &r->f.size))
		r->f.has_size = true;
	else
		return false;
	return true;
}

bool kbf_fv_record_prop(struct kbf_fv_record *r, enum kbf_fv_dialect d, const char *key, size_t keylen,
			const char *val, size_t vallen)
{
	struct kbf_line v = kbf_fv_trim((struct kbf_line){.s = val, .len = vallen});
	bool used = d == KBF_FV_WMI ? wmi_prop(r, key, keylen, v) : powershell_prop(r, key, keylen, v);
	r->any |= used;
	return used;
}

int kbf_fv_record_emit(struct kbf_input *in, struct kbf_fv_record *r, const char *what)
{
	int rc = 0;
	struct kbf_line path = kbf_fv_trim(r->f.path);
	if (!r->any) {
		/* nothing of interest: blank lines, a prompt, other objects */
	} else if (!path.len && !kbf_fv_trim(r->f.name).len) {
		rc = kbf_input_error(in, r->line, "%s record without a file name", what);
	} else if (kbf_file_cell_truncated(path.s, path.len)) {
		rc = kbf_input_error(in, r->line, "file name cut short by the console width: %.*s", (int)path.len, path.s);
	} else {
		if (r->nparts == 0xF) {
			r->f.has_bin = true;
			memcpy(r->f.bin, r->parts, sizeof(r->parts));
		}
		rc = kbf_file_emit(in, &r->f, r->line, r->text, r->textlen) ? 0 : -1;
	}
	kbf_fv_record_init(r);
	return rc;
}

/* ---- recognising the form ------------------------------------------------------ */

struct form {
	enum kbf_fv_form form;
	int score;
	size_t first; /* line index where the form starts (its header) */
};

static bool blank(const struct kbf_line *l)
{
	return kbf_fv_trim(*l).len == 0;
}

static bool value_key(const struct kbf_line *l, const char *key)
{
	size_t n = strlen(key);
	return l->len > n && strncasecmp(l->s, key, n) == 0 && l->s[n] == '=';
}

static void consider(struct form *best, enum kbf_fv_form form, int score, size_t first)
{
	if (score > best->score)
		*best = (struct form){form, score, first};
}

/* The first non-blank line as wmic's CSV header. */
static void detect_csv(struct kbf_text *t, struct form *best)
{
	size_t i = 0;
	while (i < t->nlines && blank(&t->lines[i]))
		i++;
	size_t header = i;
	struct kbf_csv c = {0};
	if (i < t->nlines && kbf_csv_read(&c, t, i) == 0 && c.n >= 2) {
		bool node = false, name = false, version = false;
		for (size_t k = 0; k < c.n; k++) {
			struct kbf_wtext_span f = c.f[k];
			name |= kbf_fv_is(f.s, f.len, "Name");
			version |= kbf_fv_is(f.s, f.len, "Version");
			node |= k == 0 && kbf_fv_is(f.s, f.len, "Node");
		}
		if (node && name && version)
			consider(best, KBF_FV_WMIC_CSV, 95, header);
	}
	kbf_csv_free(&c);
}

/* A wmic header ("Name  Version", in any order, among other properties)
 * whose next line holds a Windows path. */
static bool wmic_header(struct kbf_text *t, size_t i)
{
	const struct kbf_line *l = &t->lines[i];
	if (!kbf_fv_wmic_header(l))
		return false;
	for (size_t j = i + 1; j < t->nlines && j < i + 4; j++) {
		if (blank(&t->lines[j]))
			continue;
		const struct kbf_line *d = &t->lines[j];
		for (size_t k = 0; k + 2 < d->len; k++)
			if ((isalpha((unsigned char)d->s[k]) && d->s[k + 1] == ':' && d->s[k + 2] == '\\') ||
			    (d->s[k] == '\\' && d->s[k + 1] == '\\'))
				return true;
		return false;
	}
	return false;
}

static void detect_lines(struct kbf_text *t, struct form *best)
{
	size_t n = t->nlines < SCAN_LINES ? t->nlines : SCAN_LINES;
	bool wmi_name = false, wmi_version = false;
	size_t filever = 0, plain = 0, others = 0;
	for (size_t i = 0; i < n; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (wmic_header(t, i))
			consider(best, KBF_FV_WMIC_TABLE, 85, i);
		wmi_name |= value_key(l, "Name") && kbf_fv_windows_path(l->s + 5, l->len - 5);
		wmi_version |= value_key(l, "Version");
		if (blank(l) || isspace((unsigned char)l->s[0]))
			continue; /* filever /v detail lines are indented */
		if (kbf_fv_filever_line(l))
			filever++;
		else if (kbf_fv_plain_line(l))
			plain++;
		else
			others++;
	}
	if (wmi_name && wmi_version)
		consider(best, KBF_FV_WMIC_LIST, 90, 0);
	if (filever && filever * 2 >= filever + plain + others)
		consider(best, KBF_FV_FILEVER, 90, 0);
	/* a header line may precede a free-form listing */
	if (plain && plain * 5 >= (plain + filever + (others ? others - 1 : 0)) * 4)
		consider(best, KBF_FV_PLAIN, 50, 0);
}

static struct form detect(struct kbf_text *t)
{
	struct form best = {KBF_FV_NONE, 0, 0};
	if (!t->utf8)
		return best;
	detect_csv(t, &best);
	detect_lines(t, &best);
	return best;
}

static int probe(struct kbf_text *t)
{
	return detect(t).score;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct form f = detect(t);
	switch (f.form) {
	case KBF_FV_WMIC_TABLE: return kbf_fv_read_table(in, t, f.first);
	case KBF_FV_WMIC_LIST: return kbf_fv_read_list(in, t, f.first);
	case KBF_FV_WMIC_CSV: return kbf_fv_read_csv(in, t, f.first);
	case KBF_FV_FILEVER: return kbf_fv_read_filever(in, t);
	case KBF_FV_PLAIN: return kbf_fv_read_plain(in, t);
	case KBF_FV_NONE: break;
	}
	return kbf_input_error(in, 0, "not a file-version listing this reader knows");
}

const struct kbf_importer kbf_win_file_versions_importer = {
	.format = "file-versions",
	.probe = probe,
	.import = import,
};
