/*
 * winmsd.c — the text report of the Windows NT 4.0 diagnostics tool
 * (`winmsd /a /f` writes COMPUTERNAME.TXT): the host's name, NT version,
 * build and service pack, the facts NT 4.0-era KB articles hinge on
 * ("before Service Pack 3", Q134404).  NT 4.0 has no systeminfo.
 *
 * Layout, as a public inventory script's parser (parseSysInfoWinmsd)
 * reads it: a title "Microsoft Diagnostics Report For \\NAME", then
 * sections whose title line (ending in "Report") is underlined with
 * dashes.  The OS Version Report section opens with the product and
 * version lines (the version line is the one winver shows, KB Q177591):
 *
 *     OS Version Report
 *     ----------------------------------------------------------------------
 *     Microsoft (R) Windows NT (TM) Server
 *     Version 4.0 (Build 1381: Service Pack 4) x86 Uniprocessor Free
 *     Registered Owner: ...
 *
 * and the Network Report names the domain ("Workgroup or Domain: X").
 * Other sections (drives, memory, services, ...) are skipped.
 */
#include <ctype.h>
#include <string.h>

#include "core/wtext.h"

struct report {
	int line;                          /* of the title, else of the version line */
	struct kbf_wtext_span name, product, domain;
	struct kbf_wtext_span version, arch;
	int64_t build, sp;
	struct kbf_wtext_buf text;
};

static bool dashes(struct kbf_wtext_span t)
{
	if (t.len < 10)
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] != '-')
			return false;
	return true;
}

/* The number at the start of s ("4", "6a" -> 6); false when none. */
static bool leading_number(const char *s, size_t len, int64_t *n)
{
	size_t i = 0;
	*n = 0;
	while (i < len && isdigit((unsigned char)s[i]) && i < 9)
		*n = *n * 10 + (s[i++] - '0');
	return i > 0;
}

/* "Version 4.0 (Build 1381: Service Pack 4) x86 Uniprocessor Free". */
static bool parse_version(struct kbf_wtext_span t, struct report *r)
{
	size_t pos = 7; /* after "Version" */
	struct kbf_wtext_span ver;
	if (!kbf_wtext_token(t.s, t.len, &pos, &ver) || !isdigit((unsigned char)ver.s[0]))
		return false;
	for (size_t i = 0; i < ver.len; i++)
		if (!isdigit((unsigned char)ver.s[i]) && ver.s[i] != '.')
			return false;
	const char *open = memchr(t.s + pos, '(', t.len - pos);
	const char *close = open ? memchr(open, ')', (size_t)(t.s + t.len - open)) : NULL;
	if (!close)
		return false;
	struct kbf_wtext_span in = {open + 1, (size_t)(close - open - 1)};
	if (!kbf_wtext_iprefix(in.s, in.len, "Build ") || !leading_number(in.s + 6, in.len - 6, &r->build))
		return false;
	r->sp = 0;
	for (size_t i = 0; i + 5 <= in.len; i++)
		if (kbf_wtext_iprefix(in.s + i, in.len - i, "Pack ") &&
		    !leading_number(in.s + i + 5, in.len - i - 5, &r->sp))
			return false;
	size_t after = (size_t)(close + 1 - t.s);
	if (!kbf_wtext_token(t.s, t.len, &after, &r->arch))
		r->arch.len = 0;
	r->version = ver;
	return true;
}

static void join(struct report *r, struct kbf_wtext_span t)
{
	kbf_wtext_buf_join(&r->text, " | ", t.s, t.len);
}

/* A line of the OS Version Report section. */
static void os_line(struct kbf_input *in, struct report *r, struct kbf_wtext_span t, int line)
{
	if (!r->product.len && kbf_wtext_prefix(t.s, t.len, "Microsoft")) {
		r->product = t;
		join(r, t);
	} else if (!r->version.len && kbf_wtext_prefix(t.s, t.len, "Version ")) {
		if (!parse_version(t, r)) {
			kbf_input_skip(in, line, "winmsd: cannot read the version, build and service "
				       "pack from '%.*s'", (int)t.len, t.s);
			return;
		}
		if (!r->line)
			r->line = line;
		join(r, t);
	}
}

static void set_arch(struct kbf_fact *f, struct kbf_wtext_span a)
{
	static const char *const arch[][2] = {
		{"x86", "x86"}, {"Alpha", "alpha"}, {"MIPS", "mips"}, {"PPC", "ppc"}, {"PowerPC", "ppc"},
	};
	for (size_t i = 0; i < sizeof(arch) / sizeof(arch[0]); i++)
		if (kbf_wtext_ieq(a, arch[i][0]))
			kbf_set_cstr(f, "arch", arch[i][1]);
}

static void emit_host(struct kbf_input *in, struct report *r)
{
	struct kbf_fact f;
	struct kbf_wtext_buf os = {0};
	kbf_fact_begin(&f, in, "host");
	kbf_set_span(&f, "name", r->name);
	kbf_set_cstr(&f, "os_family", "windows");
	kbf_wtext_product(&os, r->product.s, r->product.len);
	kbf_set_span(&f, "os_name", kbf_wtext_buf_span(&os));
	if (r->version.len) {
		kbf_set_str(&f, "os_version", r->version.s, r->version.len);
		kbf_set_int(&f, "build", r->build);
		kbf_set_int(&f, "service_pack", r->sp);
	}
	if (kbf_wtext_contains(r->product, "Workstation"))
		kbf_set_cstr(&f, "role", "workstation");
	kbf_set_span(&f, "domain", r->domain);
	set_arch(&f, r->arch);
	kbf_fact_emit(&f, r->line, r->text.s, r->text.len);
	kbf_wtext_buf_free(&os);
}

static const char title[] = "Microsoft Diagnostics Report For";

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct report r = {0};
	struct kbf_wtext_span section = {0}, prev = {0};
	for (size_t i = 0; i < t->nlines; i++) {
		struct kbf_wtext_span s = kbf_wtext_trim(t->lines[i].s, t->lines[i].len);
		int line = (int)i + 1;
		if (dashes(s)) {
			section = prev; /* the line above a rule is a section title */
		} else if (kbf_wtext_prefix(s.s, s.len, title)) {
			struct kbf_wtext_span n = kbf_wtext_trim(s.s + sizeof(title) - 1, s.len - sizeof(title) + 1);
			while (n.len && n.s[0] == '\\')
				n.s++, n.len--;
			r.name = n;
			r.line = line;
			join(&r, s);
		} else if (kbf_wtext_eq(section, "OS Version Report")) {
			os_line(in, &r, s, line);
		} else if (kbf_wtext_eq(section, "Network Report") &&
			   kbf_wtext_prefix(s.s, s.len, "Workgroup or Domain:")) {
			r.domain = kbf_wtext_trim(s.s + 20, s.len - 20);
		}
		if (s.len && !dashes(s))
			prev = s;
	}
	if (r.line)
		emit_host(in, &r);
	else
		kbf_input_error(in, 0, "winmsd: no report title and no OS version line");
	kbf_wtext_buf_free(&r.text);
	return in->err.status == KB_OK ? 0 : -1;
}

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	bool os_section = false;
	for (size_t i = 0; i < t->nlines && i < 60; i++) {
		struct kbf_wtext_span s = kbf_wtext_trim(t->lines[i].s, t->lines[i].len);
		if (kbf_wtext_prefix(s.s, s.len, title) && kbf_wtext_contains(s, "\\\\"))
			return 95;
		if (kbf_wtext_eq(s, "OS Version Report"))
			os_section = true;
		else if (os_section && kbf_wtext_prefix(s.s, s.len, "Version ") && kbf_wtext_contains(s, "(Build "))
			return 90;
	}
	return 0;
}

const struct kbf_importer kbf_win_winmsd_importer = {"winmsd", probe, import, KBF_READ_WHOLE};
