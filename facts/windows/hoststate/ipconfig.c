/*
 * ipconfig.c — Windows `ipconfig /all` output, NT 4.0 to Windows 11: the
 * host's name and DNS domain, and each adapter's addresses with their
 * prefix (rules ask "is this address the host's?" when a bind fails with
 * WSAEADDRNOTAVAIL).  docs/evidence-formats.md "ipconfig /all".
 *
 * Layout (jc's fixtures windows-xp/ipconfig.out ... windows-11/; NT 4.0
 * and 2000 indent keys by eight spaces instead of three):
 *
 *     Windows IP Configuration
 *
 *        Host Name . . . . . . . . . . . . : DESKTOP-WIN7
 *        Primary Dns Suffix  . . . . . . . : somecompany.corp
 *
 *     Ethernet adapter Local Area Connection:
 *
 *        Physical Address. . . . . . . . . : 00-0C-29-37-3B-4E
 *        Link-local IPv6 Address . . . . . : fe80::c447:d1ef:c29f:c44c%10(Preferred)
 *        IPv4 Address. . . . . . . . . . . : 192.168.22.33(Preferred)
 *        Subnet Mask . . . . . . . . . . . : 255.255.255.0
 *        DNS Servers . . . . . . . . . . . : fec0:0:0:ffff::1%1
 *                                            fec0:0:0:ffff::2%1
 *
 * A key is the text before the first colon, dot leaders stripped; values
 * that do not fit on one line go on below, indented to the value column.
 * Addresses come from the keys ending in "IP Address" (NT 4.0 to XP),
 * "IPv4 Address" and "IPv6 Address" (Vista on: also "Link-local",
 * "Temporary", "Autoconfiguration"), without the "(Preferred)" state and
 * the "%10" zone; each IPv4 address takes the prefix of the "Subnet Mask"
 * after it.  Gateways, DNS and DHCP servers and hardware addresses are
 * read past: no stock kind holds them (see the docs).  Adapter headers
 * are found by shape (a line at the margin ending in ':', or one naming
 * an "adapter" when the paste is indented), so a title or header in
 * another language does not stop the reading; the keys are English.
 */
#include <ctype.h>
#include <string.h>

#include "core/wtext.h"

/* A value or the key of a line: "   IPv4 Address. . . : 10.0.0.5(Preferred)". */
struct kv {
	struct kbf_wtext_span key, value;
	size_t indent;
};

/* An IPv4 address waiting for the subnet mask after it. */
struct pending {
	struct kbf_wtext_span addr;
	struct kbf_line raw; /* a copy: releasing lines may move t->lines */
	int line;            /* 0: none */
};

struct reader {
	struct kbf_input *in;
	/* the title block */
	bool host_open;
	size_t host_first;
	struct kbf_wtext_span host, suffix;
	int host_line;
	struct kbf_line host_raw;
	/* the adapter being read */
	bool adapter_open;
	size_t adapter_first;
	struct kbf_wtext_span adapter;
	struct pending v4;
	size_t key_indent; /* of the block's first key line; 0: none yet */
};

static bool parse_kv(const struct kbf_line *l, struct kv *kv)
{
	const char *colon = memchr(l->s, ':', l->len);
	kv->indent = kbf_wtext_indent(l->s, l->len);
	if (!colon || kv->indent == 0)
		return false;
	size_t klen = (size_t)(colon - l->s);
	while (klen > kv->indent && (l->s[klen - 1] == '.' || l->s[klen - 1] == ' '))
		klen--;
	kv->key = (struct kbf_wtext_span){l->s + kv->indent, klen - kv->indent};
	kv->value = kbf_wtext_trim(colon + 1, l->len - (size_t)(colon - l->s) - 1);
	return kv->key.len > 0;
}

static bool key_ends(struct kbf_wtext_span k, const char *lit)
{
	size_t n = strlen(lit);
	return k.len >= n && kbf_wtext_ieq((struct kbf_wtext_span){k.s + k.len - n, n}, lit);
}

static bool address_key(struct kbf_wtext_span k)
{
	return key_ends(k, "IP Address") || key_ends(k, "IPv4 Address") || key_ends(k, "IPv6 Address");
}

/* "255.255.255.0" -> 24; -1 for a mask that is not one. */
static int mask_prefix(struct kbf_wtext_span m)
{
	if (!kbf_wtext_ipv4(m))
		return -1;
	unsigned char mask[4];
	size_t pos = 0;
	for (int i = 0; i < 4; i++, pos++) { /* pos++: past the dot */
		unsigned v = 0;
		while (pos < m.len && isdigit((unsigned char)m.s[pos]))
			v = v * 10 + (unsigned)(m.s[pos++] - '0');
		mask[i] = (unsigned char)v; /* kbf_wtext_ipv4: each part 0..255 */
	}
	return kbf_netmask_prefix(mask, 4);
}

static void emit_address(struct reader *r, struct kbf_wtext_span addr, const char *family, int prefix,
			 int line, const struct kbf_line *raw)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, r->in, "address");
	kbf_set_span(&f, "interface", r->adapter);
	kbf_set_cstr(&f, "family", family);
	kbf_set_str(&f, "address", addr.s, addr.len);
	if (prefix >= 0)
		kbf_set_int(&f, "prefix", prefix);
	kbf_set_bool(&f, "up", true); /* ipconfig lists no address on a disconnected adapter */
	kbf_fact_emit(&f, line, raw->s, raw->len);
}

static void flush_v4(struct reader *r, int prefix)
{
	if (r->v4.line)
		emit_address(r, r->v4.addr, "ipv4", prefix, r->v4.line, &r->v4.raw);
	r->v4.line = 0;
}

/* "fe80::c447:d1ef:c29f:c44c%10(Preferred)" -> "fe80::c447:d1ef:c29f:c44c". */
static struct kbf_wtext_span bare_address(struct kbf_wtext_span v)
{
	if (v.len && v.s[v.len - 1] == ')') {
		const char *open = memchr(v.s, '(', v.len);
		if (open)
			v.len = (size_t)(open - v.s);
	}
	return kbf_wtext_unzone(kbf_wtext_trim(v.s, v.len));
}

static void address_line(struct reader *r, const struct kv *kv, int line, const struct kbf_line *l)
{
	struct kbf_wtext_span a = bare_address(kv->value);
	flush_v4(r, -1);
	if (kbf_wtext_ipv4(a)) {
		if (!kbf_wtext_eq(a, "0.0.0.0")) /* NT 4.0 to XP: no address (DHCP gave none) */
			r->v4 = (struct pending){a, *l, line};
	} else if (kbf_wtext_ipv6(a) && memchr(a.s, ':', a.len)) {
		emit_address(r, a, "ipv6", -1, line, l);
	} else {
		kbf_input_skip(r->in, line, "ipconfig: '%.*s' is not an IP address",
			       (int)(kv->value.len > 80 ? 80 : kv->value.len), kv->value.s);
	}
}

static void mask_line(struct reader *r, const struct kv *kv, int line)
{
	int prefix = mask_prefix(kv->value);
	if (prefix < 0 && r->v4.line)
		kbf_input_skip(r->in, line, "ipconfig: subnet mask '%.*s' is not one",
			       (int)(kv->value.len > 80 ? 80 : kv->value.len), kv->value.s);
	flush_v4(r, prefix);
}

static void flush_host(struct reader *r)
{
	if (r->host_open && r->host.len) {
		struct kbf_fact f;
		kbf_fact_begin(&f, r->in, "host");
		kbf_set_str(&f, "name", r->host.s, r->host.len);
		kbf_set_cstr(&f, "os_family", "windows");
		kbf_set_span(&f, "domain", r->suffix);
		kbf_fact_emit(&f, r->host_line, r->host_raw.s, r->host_raw.len);
	}
	r->host_open = false;
	r->host = r->suffix = (struct kbf_wtext_span){0};
}

static void close_adapter(struct reader *r)
{
	flush_v4(r, -1);
	r->adapter_open = false;
	r->adapter = (struct kbf_wtext_span){0};
}

/* A line at the margin: "Ethernet adapter Local Area Connection:" opens
 * an adapter; anything else ("Windows IP Configuration") a title block. */
static void margin_line(struct reader *r, struct kbf_wtext_span t, size_t ln)
{
	close_adapter(r);
	flush_host(r);
	r->key_indent = 0;
	if (t.s[t.len - 1] != ':') {
		r->host_open = true;
		r->host_first = ln;
		return;
	}
	struct kbf_wtext_span name = {t.s, t.len - 1};
	size_t at;
	if (kbf_wtext_ifind(name.s, name.len, " adapter ", &at))
		name = (struct kbf_wtext_span){name.s + at + 9, name.len - at - 9};
	r->adapter_open = true;
	r->adapter_first = ln;
	r->adapter = kbf_wtext_trim(name.s, name.len);
}

static void key_line(struct reader *r, const struct kv *kv, size_t ln, const struct kbf_line *l)
{
	int line = (int)ln + 1;
	if (!r->key_indent)
		r->key_indent = kv->indent;
	if (r->adapter_open) {
		if (address_key(kv->key))
			address_line(r, kv, line, l);
		else if (kbf_wtext_ieq(kv->key, "Subnet Mask"))
			mask_line(r, kv, line);
		return;
	}
	if (!r->host_open) { /* keys before any title: a paste without it */
		r->host_open = true;
		r->host_first = ln;
	}
	if (kbf_wtext_ieq(kv->key, "Host Name")) {
		r->host = kv->value;
		r->host_line = line;
		r->host_raw = *l;
	} else if (kbf_wtext_ieq(kv->key, "Primary Dns Suffix")) {
		r->suffix = kv->value;
	}
}

/* "Ethernet adapter Elnk31:" indented, as KB articles and some consoles
 * quote it: one colon, at the end. */
static bool adapter_header(struct kbf_wtext_span t)
{
	return t.len > 9 && t.s[t.len - 1] == ':' && memchr(t.s, ':', t.len) == t.s + t.len - 1 &&
	       kbf_wtext_ifind(t.s, t.len, " adapter ", NULL);
}

/* What may be given back: everything before the block being read. */
static size_t keep_from(const struct reader *r, size_t ln)
{
	if (r->adapter_open && r->adapter_first < ln)
		ln = r->adapter_first;
	if (r->host_open && r->host_first < ln)
		ln = r->host_first;
	return ln;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct reader r = {.in = in};
	const struct kbf_line *l;
	for (size_t ln = 0; (l = kbf_text_line(t, ln)); ln++) {
		kbf_text_release(t, keep_from(&r, ln));
		l = kbf_text_line(t, ln);
		struct kbf_wtext_span tr = kbf_wtext_trim(l->s, l->len);
		struct kv kv;
		if (!tr.len)
			continue;
		if (tr.s == l->s || adapter_header(tr))
			margin_line(&r, tr, ln);
		else if (r.key_indent && kbf_wtext_indent(l->s, l->len) > r.key_indent + 8)
			; /* a value continued: more gateways, DNS servers, suffixes */
		else if (parse_kv(l, &kv))
			key_line(&r, &kv, ln, l);
	}
	close_adapter(&r);
	flush_host(&r);
	return in->err.status == KB_OK ? 0 : -1;
}

/* ---- recognising the format ---------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	static const char *const keys[] = {
		"Host Name", "Physical Address", "DHCP Enabled", "Subnet Mask", "Default Gateway",
		"IP Address", "IPv4 Address", "Description", "Node Type", "IP Routing Enabled",
	};
	size_t n = t->nlines < 60 ? t->nlines : 60, known = 0, leaders = 0;
	bool title = false;
	if (!t->utf8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_wtext_span tr = kbf_wtext_trim(l->s, l->len);
		struct kv kv;
		title |= tr.len && tr.s == l->s && kbf_wtext_ifind(tr.s, tr.len, "IP Configuration", NULL);
		if (!parse_kv(l, &kv))
			continue;
		leaders += kbf_wtext_ifind(l->s, (size_t)(kv.value.s - l->s), ". . :", NULL) ||
			   kbf_wtext_ifind(l->s, (size_t)(kv.value.s - l->s), ". :", NULL);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			known += kbf_wtext_ieq(kv.key, keys[k]);
	}
	if (leaders < 3 || known < 2)
		return 0;
	return title ? 95 : known >= 4 ? 85 : 60;
}

const struct kbf_importer kbf_win_ipconfig_importer = {"ipconfig", probe, import, KBF_READ_STREAM};
