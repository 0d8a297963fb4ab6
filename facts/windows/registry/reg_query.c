/*
 * reg_query.c — `reg query` output: `reg query KEY`, `reg query KEY /s`,
 * `reg query KEY /v NAME`, as customers paste or redirect it.  Each key is
 * a line of its own, its values indented below it; what is kept of them is
 * reg_facts.c's to say (docs/evidence-formats.md "reg query").
 *
 * Windows Vista and later (reg.exe of Windows 10, and "Reg query" in
 * Windows Commands, learn.microsoft.com):
 *
 *     HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Dnscache
 *         DisplayName    REG_SZ    @%SystemRoot%\System32\dnsapi.dll,-101
 *         Start    REG_DWORD    0x2
 *         DependOnService    REG_MULTI_SZ    Tcpip\0Nsi
 *
 * four spaces before the name and between name, type and data; the
 * default value is "(Default)" (localised: "(Standard)", "(par défaut)").
 * Windows XP and Server 2003 (reg.exe 3.0) open with a banner and
 * separate the fields with tabs; the default value is "<NO NAME>":
 *
 *     ! REG.EXE VERSION 3.0
 *
 *     HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Dnscache
 *         DisplayName	REG_SZ	DNS Client
 *
 * DWORDs and QWORDs print as 0x-hex, REG_MULTI_SZ strings are separated by
 * the two characters "\0", binary data is hex.  A name may hold spaces
 * ("TCP/IP Port"), so the fields are found by the type between them.  The
 * file is read as a stream; when it names control sets only by number
 * (ControlSet001), it is read twice (registry.h).
 */
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "hexdigit.h"

static bool key_line(const struct kbf_line *l)
{
	return kbf_wtext_prefix(l->s, l->len, "HKEY_") || kbf_wtext_iprefix(l->s, l->len, "HKLM\\") ||
	       (kbf_wtext_prefix(l->s, l->len, "\\\\") && kbf_wtext_ifind(l->s, l->len, "\\HKEY_", NULL));
}

/* "name TAB type TAB data" (reg.exe 3.0). */
static bool tabbed(struct kbf_wtext_span t, struct kbf_wtext_span *name, uint32_t *type, struct kbf_wtext_span *data)
{
	const char *tab = memchr(t.s, '\t', t.len);
	if (!tab)
		return false;
	const char *ts = tab + 1, *end = t.s + t.len;
	const char *tab2 = memchr(ts, '\t', (size_t)(end - ts));
	struct kbf_wtext_span tn = {ts, (size_t)((tab2 ? tab2 : end) - ts)};
	if (!kbf_reg_type_parse(tn, type))
		return false;
	*name = kbf_wtext_trim(t.s, (size_t)(tab - t.s));
	*data = tab2 ? (struct kbf_wtext_span){tab2 + 1, (size_t)(end - tab2 - 1)} : (struct kbf_wtext_span){end, 0};
	return true;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "name    type    data" (Vista and later), or reg.exe 3.0's tabs turned
 * into spaces by a paste ("DevicePath  REG_EXPAND_SZ   %SystemRoot%\inf"):
 * the first blank-preceded "REG_x" whose x is a type and that is followed
 * by blanks or the end.  Four spaces after the type are the separator
 * (the data may start with spaces of its own); other blanks all are. */
static bool spaced(struct kbf_wtext_span t, struct kbf_wtext_span *name, uint32_t *type, struct kbf_wtext_span *data)
{
	for (size_t k = 0; k + 4 <= t.len; k++) {
		if ((k > 0 && !blank(t.s[k - 1])) || memcmp(t.s + k, "REG_", 4) != 0)
			continue;
		size_t te = k;
		while (te < t.len && !blank(t.s[te]))
			te++;
		if (!kbf_reg_type_parse((struct kbf_wtext_span){t.s + k, te - k}, type))
			continue;
		*name = kbf_wtext_trim(t.s, k);
		size_t ds = te;
		if (t.len - te >= 4 && memcmp(t.s + te, "    ", 4) == 0)
			ds = te + 4;
		else
			while (ds < t.len && blank(t.s[ds]))
				ds++;
		*data = (struct kbf_wtext_span){t.s + ds, t.len - ds};
		return true;
	}
	return false;
}

/* An indented value line; false when the line is none. */
static bool value_line(const struct kbf_line *l, struct kbf_wtext_span *name, uint32_t *type, struct kbf_wtext_span *data)
{
	size_t i = 0;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (i == 0 || i == l->len)
		return false;
	struct kbf_wtext_span t = {l->s + i, l->len - i};
	if (!tabbed(t, name, type, data) && !spaced(t, name, type, data))
		return false;
	if ((name->len && name->s[0] == '(' && name->s[name->len - 1] == ')') || kbf_wtext_eq(*name, "<NO NAME>"))
		name->len = 0; /* the default value, whatever the language calls it */
	return true;
}

/* The data as text (registry.h); false when a number is not one. */
static bool decode(struct kbf_reg_value *v, struct kbf_wtext_span data, struct kbf_wtext_buf *buf)
{
	kbf_wtext_buf_reset(buf);
	v->has_number = false;
	v->text = data;
	if (v->type == KBF_REG_DWORD || v->type == KBF_REG_QWORD || v->type == KBF_REG_DWORD_BIG_ENDIAN) {
		if (data.len < 3 || data.len > 18 || data.s[0] != '0' || (data.s[1] | 0x20) != 'x')
			return false;
		uint64_t n = 0;
		for (size_t i = 2; i < data.len; i++) {
			int d = kbu_hex_digit(data.s[i]);
			if (d < 0)
				return false;
			n = n << 4 | (unsigned)d;
		}
		char s[24];
		int len = snprintf(s, sizeof(s), "%llu", (unsigned long long)n);
		kbf_wtext_buf_set(buf, s, (size_t)len);
		v->text = kbf_wtext_buf_span(buf);
		v->has_number = true;
		v->number = n;
	} else if (v->type == KBF_REG_MULTI_SZ) {
		for (size_t i = 0; i < data.len; i++) {
			bool sep = data.s[i] == '\\' && i + 1 < data.len && data.s[i + 1] == '0';
			kbf_wtext_buf_addc(buf, sep ? '\n' : data.s[i]);
			i += sep;
		}
		while (buf->len && buf->s[buf->len - 1] == '\n')
			buf->len--; /* the list's closing "\0\0" (XP) */
		v->text = kbf_wtext_buf_span(buf);
	} else if (v->type != KBF_REG_SZ && v->type != KBF_REG_EXPAND_SZ && v->type != KBF_REG_LINK) {
		for (size_t i = 0; i < data.len; i++)
			kbf_wtext_buf_addc(buf, (char)(data.s[i] >= 'A' && data.s[i] <= 'F' ? data.s[i] + 32 : data.s[i]));
		v->text = kbf_wtext_buf_span(buf);
	} else {
		kbf_reg_text_number(v);
	}
	return v->text.len <= KBF_REG_TEXT_MAX;
}

static void read_line(struct kbf_reg_reader *r, void *ctx, const struct kbf_line *l, int line)
{
	struct kbf_input *in = kbf_reg_input(r);
	struct kbf_wtext_buf *buf = ctx;
	struct kbf_reg_value v = {0};
	if (!l)
		return; /* the end of a pass */
	struct kbf_wtext_span data;
	if (key_line(l)) {
		kbf_reg_key(r, kbf_wtext_trim(l->s, l->len), line);
	} else if (value_line(l, &v.name, &v.type, &data)) {
		if (!kbf_reg_wants(r, v.name))
			return;
		if (decode(&v, data, buf))
			kbf_reg_value(r, &v, line, kbf_wtext_trim(l->s, l->len));
		else
			kbf_input_skip(in, line, "reg query: the data of %.*s (%s) cannot be read: '%.*s'",
				       (int)v.name.len, v.name.s, kbf_reg_type_name(v.type), (int)(data.len < 40 ? data.len : 40),
				       data.s);
	} else if (kbf_wtext_prefix(l->s, l->len, "ERROR:")) {
		kbf_input_skip(in, line, "reg query says: %.*s", (int)(l->len < 200 ? l->len : 200), l->s);
	} else if (kbf_reg_keeps_key(r) && !kbf_wtext_blank(l->s, l->len)) {
		/* a string value's second line, or damage */
		kbf_input_skip(in, line, "reg query: neither a key nor a value, under a key kbdiag keeps");
	}
	/* the banner, "End of search: N match(es) found.", a blank line */
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct kbf_wtext_buf buf = {0};
	int rc = kbf_reg_read_text(in, t, "reg query", read_line, &buf);
	kbf_wtext_buf_free(&buf);
	return rc;
}

static int probe(struct kbf_text *t)
{
	size_t keys = 0, values = 0;
	const struct kbf_line *l;
	if (!t->utf8)
		return 0;
	for (size_t ln = 0; ln < 200 && (l = kbf_text_line(t, ln)) != NULL; ln++) {
		struct kbf_wtext_span name, data;
		uint32_t type;
		if (ln < 5 && kbf_wtext_prefix(l->s, l->len, "! REG.EXE VERSION"))
			return 100;
		if (key_line(l))
			keys++;
		else if (keys && value_line(l, &name, &type, &data))
			values++;
	}
	return keys && values ? 95 : keys >= 2 ? 50 : 0;
}

const struct kbf_importer kbf_reg_query_importer = {"reg-query", probe, import, KBF_READ_STREAM};
