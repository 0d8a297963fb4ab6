/*
 * reg_file.c — registry exports (.reg files), as regedit's File > Export
 * and `reg export` write them (docs/evidence-formats.md ".reg exports";
 * "Windows registry information for advanced users", KB 256986, and
 * "How to add, modify, or delete registry subkeys and values by using a
 * .reg file", KB 310516):
 *
 *     Windows Registry Editor Version 5.00
 *
 *     [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Dnscache]
 *     "DisplayName"="@%SystemRoot%\\System32\\dnsapi.dll,-101"
 *     "ImagePath"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,\
 *       6f,00,74,00,25,00,00,00
 *     "Start"=dword:00000002
 *     @="the default value"
 *
 * "Windows Registry Editor Version 5.00" files are UTF-16LE with a BOM and
 * their hex(2)/hex(7) strings UTF-16LE; "REGEDIT4" files (NT 4.0, and
 * regedit's "Win9x/NT4" choice) are in the ANSI code page, their hex(2)
 * strings single bytes.  Names and strings escape \ and " with a
 * backslash; hex data continues over lines that end in a backslash;
 * "hex(N):" gives the type by number (hex: binary, hex(2) expand,
 * hex(7) multi, hex(b) QWORD); lines opening with ";" are comments; a
 * "[-KEY]" or "name"=- line deletes, and is passed over.  What is kept is
 * reg_facts.c's to say; the file is read as a stream.
 */
#include <string.h>

#include "registry.h"
#include "hexdigit.h"

#define MAX_LOGICAL (1u << 20) /* a value spread over continuation lines, at most */

struct regfile {
	bool ansi;                 /* REGEDIT4 */
	bool header;               /* the header line was seen */
	struct kbf_wtext_buf line; /* a logical line being joined */
	int first;                 /* its first line */
	bool joining, too_long;
	struct kbf_wtext_buf name, data, bytes;
};

/* "name" with \\ and \" unescaped into b; *pos moves past the closing
 * quote.  false when it does not close. */
/* b empty, its text a string even when nothing is added (a span of it is
 * never NULL). */
static void emptied(struct kbf_wtext_buf *b)
{
	kbf_wtext_buf_reset(b);
	kbf_wtext_buf_addc(b, '\0');
	b->len = 0;
}

static bool quoted(struct kbf_wtext_span t, size_t *pos, struct kbf_wtext_buf *b)
{
	emptied(b);
	for (size_t i = *pos + 1; i < t.len; i++) {
		if (t.s[i] == '"') {
			*pos = i + 1;
			return true;
		}
		if (t.s[i] == '\\' && i + 1 < t.len)
			i++;
		kbf_wtext_buf_addc(b, t.s[i]);
	}
	return false;
}

/* "01,02, 0a" into bytes; false on anything else. */
static bool hex_bytes(struct kbf_wtext_span t, struct kbf_wtext_buf *bytes)
{
	emptied(bytes);
	for (size_t i = 0; i < t.len;) {
		while (i < t.len && (t.s[i] == ' ' || t.s[i] == '\t' || t.s[i] == '\\'))
			i++;
		if (i == t.len)
			break;
		int hi = kbu_hex_digit(t.s[i]), lo = i + 1 < t.len ? kbu_hex_digit(t.s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return false;
		kbf_wtext_buf_addc(bytes, (char)(hi << 4 | lo));
		i += 2;
		while (i < t.len && (t.s[i] == ' ' || t.s[i] == '\t'))
			i++;
		if (i < t.len && t.s[i] != ',')
			return false;
		i++;
	}
	return true;
}

/* The data after '=': a string, dword:, hex(N):; false when malformed.
 * Sets *deleted for "-". */
static bool data_of(struct regfile *f, struct kbf_reg_value *v, struct kbf_wtext_span d, bool *deleted)
{
	size_t pos = 0;
	uint64_t n;
	*deleted = kbf_wtext_eq(d, "-");
	if (*deleted)
		return true;
	if (d.len && d.s[0] == '"') {
		if (!quoted(d, &pos, &f->data) || !kbf_wtext_blank(d.s + pos, d.len - pos))
			return false;
		v->type = KBF_REG_SZ;
		v->text = (struct kbf_wtext_span){f->data.s, f->data.len};
		kbf_reg_text_number(v);
		return true;
	}
	if (kbf_wtext_iprefix(d.s, d.len, "dword:")) {
		struct kbf_wtext_span h = kbf_wtext_trim(d.s + 6, d.len - 6);
		if (!h.len || !kbf_wtext_hex(h, &n))
			return false;
		unsigned char le[4] = {(unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
				       (unsigned char)(n >> 24)};
		v->type = KBF_REG_DWORD;
		return kbf_reg_decode(v, le, 4, f->ansi, &f->data);
	}
	if (!kbf_wtext_iprefix(d.s, d.len, "hex"))
		return false;
	const char *colon = memchr(d.s, ':', d.len);
	if (!colon)
		return false;
	v->type = KBF_REG_BINARY;
	struct kbf_wtext_span spec = {d.s + 3, (size_t)(colon - d.s - 3)};
	if (spec.len) {
		if (spec.len < 3 || spec.s[0] != '(' || spec.s[spec.len - 1] != ')' ||
		    !kbf_wtext_hex((struct kbf_wtext_span){spec.s + 1, spec.len - 2}, &n))
			return false;
		v->type = (uint32_t)n;
	}
	if (!hex_bytes((struct kbf_wtext_span){colon + 1, (size_t)(d.s + d.len - colon - 1)}, &f->bytes))
		return false;
	return kbf_reg_decode(v, (const unsigned char *)f->bytes.s, f->bytes.len, f->ansi, &f->data);
}

/* "name"=data or @=data. */
static void value(struct kbf_reg_reader *r, struct regfile *f, struct kbf_wtext_span t, int line)
{
	struct kbf_input *in = kbf_reg_input(r);
	struct kbf_reg_value v = {0};
	size_t pos = 1;
	if (t.s[0] == '"') {
		pos = 0;
		if (!quoted(t, &pos, &f->name)) {
			kbf_input_skip(in, line, ".reg: a value name whose quote does not close");
			return;
		}
		v.name = (struct kbf_wtext_span){f->name.s, f->name.len};
	}
	while (pos < t.len && t.s[pos] == ' ')
		pos++;
	if (pos == t.len || t.s[pos] != '=') {
		kbf_input_skip(in, line, ".reg: no '=' after the value name");
		return;
	}
	if (!kbf_reg_wants(r, v.name))
		return;
	bool deleted;
	struct kbf_wtext_span d = kbf_wtext_trim(t.s + pos + 1, t.len - pos - 1);
	if (!data_of(f, &v, d, &deleted))
		kbf_input_skip(in, line, ".reg: the data of \"%.*s\" cannot be read: '%.*s'", (int)v.name.len, v.name.s,
			       (int)(d.len < 40 ? d.len : 40), d.s);
	else if (!deleted)
		kbf_reg_value(r, &v, line, t);
}

static void logical_line(struct kbf_reg_reader *r, struct regfile *f, struct kbf_wtext_span t, int line)
{
	if (!t.len || t.s[0] == ';')
		return;
	if (t.s[0] == '[') {
		if (t.s[t.len - 1] != ']')
			kbf_input_skip(kbf_reg_input(r), line, ".reg: a key line without its closing ']'");
		else /* "[-KEY]" deletes the key: a path that names none */
			kbf_reg_key(r, (struct kbf_wtext_span){t.s + 1, t.len - 2}, line);
	} else if (t.s[0] == '"' || t.s[0] == '@') {
		value(r, f, t, line);
	} else if (!f->header && (kbf_wtext_eq(t, "REGEDIT4") || kbf_wtext_prefix(t.s, t.len, "Windows Registry Editor"))) {
		f->header = true;
		f->ansi = kbf_wtext_eq(t, "REGEDIT4");
	} else {
		kbf_input_skip(kbf_reg_input(r), line, ".reg: neither a key, a value nor a comment");
	}
}

/* Joins lines that end in a backslash (hex data) into one. */
static void read_line(struct kbf_reg_reader *r, void *ctx, const struct kbf_line *l, int line)
{
	struct regfile *f = ctx;
	struct kbf_wtext_span t = l ? kbf_wtext_trim(l->s, l->len) : (struct kbf_wtext_span){"", 0};
	bool more = l && t.len && t.s[t.len - 1] == '\\' && (f->joining || t.s[0] == '"' || t.s[0] == '@');
	if (!f->joining) {
		kbf_wtext_buf_reset(&f->line);
		f->first = line;
		f->too_long = false;
	}
	if (f->line.len + t.len > MAX_LOGICAL)
		f->too_long = true;
	else
		kbf_wtext_buf_add(&f->line, t.s, t.len);
	f->joining = more;
	if (more)
		return;
	if (f->too_long)
		kbf_input_skip(kbf_reg_input(r), f->first, ".reg: a value of more than %u bytes over its lines", MAX_LOGICAL);
	else if (f->line.len)
		logical_line(r, f, (struct kbf_wtext_span){f->line.s, f->line.len}, f->first);
	if (!l)
		f->header = false; /* a second pass reads it again */
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct regfile f = {0};
	int rc = kbf_reg_read_text(in, t, ".reg", read_line, &f);
	kbf_wtext_buf_free(&f.line);
	kbf_wtext_buf_free(&f.name);
	kbf_wtext_buf_free(&f.data);
	kbf_wtext_buf_free(&f.bytes);
	return rc;
}

static int probe(struct kbf_text *t)
{
	const struct kbf_line *l;
	if (!t->utf8)
		return 0;
	for (size_t ln = 0; ln < 5 && (l = kbf_text_line(t, ln)) != NULL; ln++) {
		struct kbf_wtext_span s = kbf_wtext_trim(l->s, l->len);
		if (kbf_wtext_eq(s, "REGEDIT4") || kbf_wtext_prefix(s.s, s.len, "Windows Registry Editor Version"))
			return 100;
		if (s.len)
			return 0;
	}
	return 0;
}

const struct kbf_importer kbf_reg_file_importer = {"reg-file", probe, import, KBF_READ_STREAM};
