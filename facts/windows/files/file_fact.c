/*
 * file_fact.c — one `file` fact per file, with the slot conventions of
 * facts/core/schema.c: `version` is the binary dotted form ("6.0.8168.0"),
 * `version_text` the string as printed ("6.00.8168.0"), `version_code`
 * the comparable number.  The FileVersion *string* is free text and may
 * disagree with the binary VS_FIXEDFILEINFO value (MFC's "6.00.8168.0" for
 * 6.0.8168.0; see docs/evidence-formats.md "FileVersion string versus
 * binary version"), so a source that has a binary or raw value hands it
 * over and it wins for `version`.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "file_fact.h"

static struct kbf_line trim(struct kbf_line l)
{
	if (!l.s)
		return (struct kbf_line){.s = "", .len = 0};
	while (l.len && isspace((unsigned char)l.s[0]))
		l.s++, l.len--;
	while (l.len && isspace((unsigned char)l.s[l.len - 1]))
		l.len--;
	return l;
}

bool kbf_file_cell_truncated(const char *s, size_t len)
{
	while (len && s[len - 1] == ' ')
		len--;
	if (len >= 3 && memcmp(s + len - 3, "...", 3) == 0)
		return true;
	return len >= 3 && memcmp(s + len - 3, "\xE2\x80\xA6", 3) == 0; /* U+2026 */
}

/* Old resource scripts write "2, 1, 0, 0" (CAPICOM's filever /v output
 * shows such strings); drop the blanks after separators so that
 * kbf_version_parse sees "2,1,0,0". */
bool kbf_file_version_parse(const char *s, size_t len, unsigned v[4])
{
	char buf[64];
	size_t n = 0;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	if (!len || kbf_file_cell_truncated(s, len))
		return false;
	for (size_t i = 0; i < len && n < sizeof(buf); i++) {
		if (s[i] == ' ' && n && (buf[n - 1] == ',' || buf[n - 1] == '.'))
			continue;
		buf[n++] = s[i];
	}
	return kbf_version_parse(buf, n, v);
}

static void set_version(struct kbf_fact *f, const unsigned v[4])
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
	kbf_set_str_copy(f, "version", buf, (size_t)n);
	kbf_set_int(f, "version_code", kbf_version_code(v));
}

static struct kbf_line base_name(struct kbf_line path)
{
	size_t i = path.len;
	while (i && path.s[i - 1] != '\\' && path.s[i - 1] != '/')
		i--;
	return (struct kbf_line){.s = path.s + i, .len = path.len - i};
}

static bool zero(const unsigned v[4])
{
	return !v[0] && !v[1] && !v[2] && !v[3];
}

/* .NET reports a file without a version resource as FileMajorPart 0 ...
 * and PowerShell's FileVersionRaw as "0.0.0.0" beside an empty
 * FileVersion string: that is no version, not version 0. */
static bool binary_version(const struct kbf_file_rec *r, struct kbf_line raw, struct kbf_line text, unsigned v[4])
{
	if (kbf_file_version_parse(raw.s, raw.len, v))
		return !zero(v) || text.len;
	if (!r->has_bin)
		return false;
	memcpy(v, r->bin, sizeof(r->bin));
	return !zero(v) || text.len;
}

/* The first usable string of a and b: not empty, not cut short, and not a
 * "0.0.0.0" standing for a missing version. */
static void set_text(struct kbf_fact *f, const char *slot, struct kbf_line a, struct kbf_line b)
{
	unsigned v[4];
	if (a.len && !kbf_file_cell_truncated(a.s, a.len))
		kbf_set_str(f, slot, a.s, a.len);
	else if (b.len && !kbf_file_cell_truncated(b.s, b.len) && !(kbf_file_version_parse(b.s, b.len, v) && zero(v)))
		kbf_set_str(f, slot, b.s, b.len);
}

void kbf_file_set_versions(struct kbf_fact *f, const struct kbf_file_rec *r)
{
	struct kbf_line text = trim(r->text), raw = trim(r->raw);
	unsigned v[4];
	if (binary_version(r, raw, text, v) || kbf_file_version_parse(text.s, text.len, v))
		set_version(f, v);
	set_text(f, "version_text", text, raw);
	set_text(f, "product_version", trim(r->product), trim(r->product_raw));
}

const struct kb_fact *kbf_file_emit(struct kbf_input *in, const struct kbf_file_rec *r, int line,
				    const char *text, size_t textlen)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "file");
	struct kbf_line path = trim(r->path), name = trim(r->name);
	if (path.len)
		kbf_set_str(&f, "path", path.s, path.len);
	if (!name.len)
		name = base_name(path);
	if (name.len)
		kbf_set_str(&f, "name", name.s, name.len);
	kbf_file_set_versions(&f, r);
	if (r->has_size)
		kbf_set_int(&f, "size", r->size);
	return kbf_fact_emit(&f, line, text, textlen);
}
