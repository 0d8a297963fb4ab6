/*
 * systeminfo.c — Windows `systeminfo` output, list and /fo csv: the
 * host's name, OS version, build and service pack, its role (domain
 * controller, member server, workstation), domain, architecture, and the
 * IP addresses of its network cards, and its hotfix list (hotfix.h).  Many
 * KB articles apply only to one OS version or service pack level; this is
 * where rules learn it.
 *
 * List form (jc fixtures windows-7/systeminfo.out, windows-2012r2/...):
 *
 *     Host Name:                 TEST
 *     OS Version:                6.1.7601 Service Pack 1 Build 7601
 *     OS Configuration:          Standalone Workstation
 *     Network Card(s):           5 NIC(s) Installed.
 *                                [03]: Intel(R) Centrino(R) Advanced-N 6205
 *                                      Connection Name: Wireless Network Connection
 *                                      DHCP Server:     192.168.2.1
 *                                      IP address(es)
 *                                      [01]: 192.168.2.2
 *
 * Lists may be truncated (a bare "[246]" ends a hotfix list).  The /fo csv
 * form has one header row (absent with /nh; the columns are then the
 * English order, which XP through Windows 10 keep) and one row per host;
 * multi-valued cells are packed with commas, the nested items keeping
 * their indentation ("1 NIC(s) Installed.,[01]: Intel(R) PRO/1000 MT
 * Network Connection,      Connection Name: Local Area Connection,      IP
 * address(es),      [01]: 172.16.74.143" — seen in public write-ups).
 * Keys are matched without regard to case (XP prints "System type" and
 * "NetWork Card(s)") and in the languages core/labels.c lists, the keys
 * inside the network-card list, the build word of the OS version and the
 * OS configuration included; the fact's text quotes the keys as printed.
 */
#include <ctype.h>
#include <string.h>

#include "core/csv.h"
#include "core/labels.h"
#include "core/wtext.h"
#include "hotfix.h"
#include "systeminfo.h"

enum field { F_NAME, F_OS, F_VERSION, F_CONFIG, F_DOMAIN, F_TYPE, F_NICS, F_HOTFIX, NFIELDS };

static const char *const keys[NFIELDS] = {
	"Host Name", "OS Name", "OS Version", "OS Configuration", "Domain", "System Type",
	"Network Card(s)", "Hotfix(s)",
};

/* Fields of a CSV row: XP and 2003 print 32, Windows 8 and later 33. */
#define MIN_CSV_FIELDS 30

/* Column of each field in the CSV form without a header. */
static const size_t default_column[NFIELDS] = {0, 1, 2, 4, 28, 13, 31, 30};

struct host {
	int line;                           /* 0: nothing read yet */
	struct kbf_wtext_span v[NFIELDS];   /* values, trimmed */
	struct kbf_wtext_span version;      /* "6.1.7601", when the OS version parsed */
	int64_t build, sp;
	struct kbf_wtext_buf text;          /* the key lines, joined */
};

/* Where the network-card list is: inside which card, inside its address list. */
struct nics {
	struct kbf_wtext_span card, connection;
	bool in_ips;
	size_t ip_indent;
};

/* "[01]: value" (value may be empty: lists can be cut short as "[246]"). */
static bool numbered(struct kbf_wtext_span t, struct kbf_wtext_span *value)
{
	size_t i = 1;
	if (t.len < 3 || t.s[0] != '[')
		return false;
	while (i < t.len && isdigit((unsigned char)t.s[i]))
		i++;
	if (i == 1 || i >= t.len || t.s[i] != ']')
		return false;
	i++;
	for (size_t b; (b = kbf_label_blank(t.s + i, t.len - i)) != 0 && i + b < t.len && t.s[i + b] == ':';)
		i += b; /* French: "[01]\u00a0: " */
	if (i < t.len && t.s[i] == ':')
		i++;
	*value = kbf_wtext_trim(t.s + i, t.len - i);
	return true;
}

static void emit_address(struct kbf_input *in, const struct nics *st, struct kbf_wtext_span ip, int line,
			 struct kbf_wtext_span text)
{
	const char *family = kbf_wtext_ipv4(ip) ? "ipv4" : kbf_wtext_ipv6(ip) ? "ipv6" : NULL;
	if (!family) {
		kbf_input_skip(in, line, "systeminfo: '%.*s' is not an IP address", (int)ip.len, ip.s);
		return;
	}
	struct kbf_wtext_span iface = st->connection.len ? st->connection : st->card;
	struct kbf_wtext_span addr = kbf_wtext_unzone(ip);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "address");
	kbf_set_span(&f, "interface", iface);
	kbf_set_cstr(&f, "family", family);
	kbf_set_str(&f, "address", addr.s, addr.len);
	kbf_fact_emit(&f, line, text.s, text.len);
}

/* Text made of what addresses are made of: an address, maybe a bad one,
 * rather than the next card's name when a CSV cell lost its indentation. */
static bool address_like(struct kbf_wtext_span v)
{
	for (size_t i = 0; i < v.len; i++)
		if (!isxdigit((unsigned char)v.s[i]) && (!v.s[i] || !strchr(".:%", v.s[i])))
			return false;
	return true;
}

/* One item of the network-card list, with its indentation; text is what
 * an address fact quotes (the line, or the item of a CSV cell). */
static void nic_item(struct kbf_input *in, struct nics *st, const char *s, size_t len, int line,
		     struct kbf_wtext_span text)
{
	size_t indent = kbf_wtext_indent(s, len);
	struct kbf_wtext_span t = kbf_wtext_trim(s, len), value;
	bool item = numbered(t, &value);
	size_t n = 0;
	const char *label = item ? NULL : kbf_label_prefix(&kbf_labels_systeminfo_nic, t.s, t.len, &n);
	if (st->in_ips && item && indent >= st->ip_indent && address_like(value)) {
		if (value.len)
			emit_address(in, st, value, line, text);
		return;
	}
	st->in_ips = false;
	if (item) {
		st->card = value;
		st->connection = (struct kbf_wtext_span){0};
	} else if (label && strcmp(label, "Connection Name") == 0 &&
		   kbf_label_key(&kbf_labels_systeminfo_nic, t.s, t.len, &n)) {
		st->connection = kbf_wtext_trim(t.s + n, t.len - n);
	} else if (label && strcmp(label, "IP address(es)") == 0) {
		st->in_ips = true;
		st->ip_indent = indent;
	}
	/* "DHCP Server:", "Status:", "N NIC(s) Installed." say nothing we keep */
}

/* One item of the hotfix list: "[01]: KB2849697", XP's "[03]: KB893803v2 -
 * Update" (id, then the description); a bare "[246]" ends a cut list. */
static void hotfix_item(struct kbf_input *in, const struct host *h, const char *s, size_t len, int line,
			struct kbf_wtext_span text)
{
	struct kbf_wtext_span value, t = kbf_wtext_trim(s, len);
	if (!numbered(t, &value) || !value.len)
		return;
	struct kbf_hotfix hf = {.id = value, .host = h->v[F_NAME], .dates = KBF_HOTFIX_WMI};
	size_t dash;
	if (kbf_wtext_ifind(value.s, value.len, " - ", &dash)) {
		hf.id = (struct kbf_wtext_span){value.s, dash};
		hf.description = (struct kbf_wtext_span){value.s + dash + 3, value.len - dash - 3};
	}
	kbf_hotfix_emit(in, &hf, line, text.s, text.len);
}

bool kbf_win_os_version_parse(struct kbf_wtext_span v, struct kbf_wtext_span *ver, int64_t *build, int64_t *sp)
{
	size_t pos = 0;
	struct kbf_wtext_span tok, prev = {0};
	unsigned parts[4];
	if (!kbf_wtext_token(v.s, v.len, &pos, ver) || !kbf_version_parse(ver->s, ver->len, parts))
		return false;
	for (size_t i = 0; i < ver->len; i++)
		if (!isdigit((unsigned char)ver->s[i]) && ver->s[i] != '.')
			return false;
	*build = parts[2];
	*sp = 0;
	while (kbf_wtext_token(v.s, v.len, &pos, &tok)) {
		uint64_t n;
		bool build_word = kbf_label_find(&kbf_labels_systeminfo_build, prev.s, prev.len) != NULL;
		if (kbf_wtext_uint(tok, UINT32_MAX, &n) && build_word)
			*build = (int64_t)n;
		else if (kbf_wtext_uint(tok, 255, &n) && kbf_wtext_ieq(prev, "Pack"))
			*sp = (int64_t)n;
		prev = tok;
	}
	return true;
}

static const char *role_of(struct kbf_wtext_span c)
{
	static const struct {
		const char *printed, *role;
	} roles[] = {
		{"Primary Domain Controller", "domain controller"},
		{"Backup Domain Controller", "domain controller"},
		{"Member Server", "member server"},
		{"Standalone Server", "standalone server"},
		{"Member Workstation", "workstation"},
		{"Standalone Workstation", "workstation"},
	};
	const char *english = kbf_label_find(&kbf_labels_systeminfo_roles, c.s, c.len);
	for (size_t i = 0; english && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(english, roles[i].printed) == 0)
			return roles[i].role;
	return NULL;
}

const char *kbf_win_arch_of(struct kbf_wtext_span t)
{
	static const char *const prefix[][2] = {
		{"x64", "x64"}, {"x86", "x86"}, {"arm64", "arm64"}, {"itanium", "ia64"}, {"ia64", "ia64"},
	};
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (kbf_wtext_iprefix(t.s, t.len, prefix[i][0]))
			return prefix[i][1];
	return NULL;
}

static void emit_host(struct kbf_input *in, struct host *h)
{
	if (!h->line)
		return;
	struct kbf_fact f;
	struct kbf_wtext_buf os = {0};
	const char *role = role_of(h->v[F_CONFIG]), *arch = kbf_win_arch_of(h->v[F_TYPE]);
	kbf_fact_begin(&f, in, "host");
	kbf_set_span(&f, "name", h->v[F_NAME]);
	kbf_set_cstr(&f, "os_family", "windows");
	kbf_wtext_product(&os, h->v[F_OS].s, h->v[F_OS].len);
	kbf_set_span(&f, "os_name", kbf_wtext_buf_span(&os));
	if (h->version.len) {
		kbf_set_str(&f, "os_version", h->version.s, h->version.len);
		kbf_set_int(&f, "build", h->build);
		kbf_set_int(&f, "service_pack", h->sp);
	}
	if (role)
		kbf_set_cstr(&f, "role", role);
	kbf_set_span(&f, "domain", h->v[F_DOMAIN]);
	if (arch)
		kbf_set_cstr(&f, "arch", arch);
	kbf_fact_emit(&f, h->line, h->text.s, h->text.len);
	kbf_wtext_buf_free(&os);
	kbf_wtext_buf_reset(&h->text);
	h->line = 0;
	h->version.len = 0;
	memset(h->v, 0, sizeof(h->v));
}

/* Records field k of the host; the key lines (key as printed) become the
 * fact's text. */
static void set_field(struct kbf_input *in, struct host *h, enum field k, struct kbf_wtext_span key,
		      struct kbf_wtext_span v, int line)
{
	h->v[k] = v;
	if (!h->line)
		h->line = line;
	if (k == F_VERSION && !kbf_win_os_version_parse(v, &h->version, &h->build, &h->sp)) {
		h->version.len = 0;
		kbf_input_skip(in, line, "systeminfo: OS version '%.*s' does not start with a "
			       "version number", (int)v.len, v.s);
	}
	if (k == F_NICS || k == F_TYPE || k == F_HOTFIX)
		return;
	kbf_wtext_buf_join(&h->text, "; ", key.s, key.len);
	kbf_wtext_buf_add(&h->text, ": ", 2);
	kbf_wtext_buf_add(&h->text, v.s, v.len);
}

/* ---- list form ---------------------------------------------------------------- */

/* Which field an English key (kbf_labels_systeminfo_keys) is; -1 for none. */
static int field_of(const char *english)
{
	for (int k = 0; english && k < NFIELDS; k++)
		if (strcmp(keys[k], english) == 0)
			return k;
	return -1;
}

/* "Key:   value" at the start of a line; k is which key, -1 for others;
 * *key is the key as printed. */
static int key_line(const struct kbf_line *l, struct kbf_wtext_span *key, struct kbf_wtext_span *value)
{
	size_t after;
	int k = field_of(kbf_label_key(&kbf_labels_systeminfo_keys, l->s, l->len, &after));
	if (k < 0)
		return -1;
	*key = kbf_wtext_trim(l->s, after - 1);
	while (key->len >= 2 && kbf_label_blank(key->s + key->len - 2, 2) == 2)
		key->len -= 2; /* a no-break space before the colon */
	*value = kbf_wtext_trim(l->s + after, l->len - after);
	return k;
}

static int import_list(struct kbf_input *in, struct kbf_text *t)
{
	struct host h = {0};
	struct nics st = {0};
	bool in_nics = false, in_hotfix = false;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_wtext_span key, value;
		if (kbf_wtext_blank(l->s, l->len))
			continue;
		if (kbf_wtext_indent(l->s, l->len) > 0) {
			if (in_nics)
				nic_item(in, &st, l->s, l->len, (int)i + 1,
					 (struct kbf_wtext_span){l->s, l->len});
			else if (in_hotfix)
				hotfix_item(in, &h, l->s, l->len, (int)i + 1, (struct kbf_wtext_span){l->s, l->len});
			continue;
		}
		int k = key_line(l, &key, &value);
		in_nics = k == F_NICS;
		in_hotfix = k == F_HOTFIX;
		memset(&st, 0, sizeof(st));
		if (k == F_NAME)
			emit_host(in, &h); /* several outputs in one file */
		if (k >= 0)
			set_field(in, &h, (enum field)k, key, value, (int)i + 1);
	}
	emit_host(in, &h);
	kbf_wtext_buf_free(&h.text);
	return in->err.status == KB_OK ? 0 : -1;
}

static int probe_list(struct kbf_text *t)
{
	int found = 0;
	size_t n = t->nlines < 40 ? t->nlines : 40;
	if (!t->utf8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct kbf_wtext_span key, v;
		int k = key_line(&t->lines[i], &key, &v);
		found += k == F_NAME || k == F_OS || k == F_VERSION || k == F_CONFIG;
	}
	return found >= 3 ? 95 : found == 2 ? 70 : 0;
}

/* ---- CSV form ------------------------------------------------------------------- */

static bool version_like(struct kbf_wtext_span v)
{
	return v.len > 4 && isdigit((unsigned char)v.s[0]) && memchr(v.s, '.', v.len) &&
	       memchr(v.s, ' ', v.len);
}

/* The field a CSV header cell names; -1 for none. */
static int header_field(struct kbf_wtext_span cell)
{
	return field_of(kbf_label_find(&kbf_labels_systeminfo_keys, cell.s, cell.len));
}

/* "6.1.7601 Service Pack 1 Build 7601": a build word among the tokens. */
static bool has_build_word(struct kbf_wtext_span v)
{
	size_t pos = 0;
	for (struct kbf_wtext_span tok; kbf_wtext_token(v.s, v.len, &pos, &tok);)
		if (kbf_label_find(&kbf_labels_systeminfo_build, tok.s, tok.len))
			return true;
	return false;
}

/* Columns named by a header row, or the default ones. */
static void map_columns(const struct kbf_csv *hdr, size_t *col)
{
	memcpy(col, default_column, sizeof(default_column));
	if (!hdr)
		return;
	for (int k = 0; k < NFIELDS; k++)
		for (size_t c = 0; c < hdr->n; c++)
			if (header_field(hdr->f[c]) == k)
				col[k] = c;
}

static void csv_nics(struct kbf_input *in, struct kbf_wtext_span cell, int line)
{
	struct nics st = {0};
	for (size_t i = 0; i < cell.len;) {
		const char *comma = memchr(cell.s + i, ',', cell.len - i);
		size_t end = comma ? (size_t)(comma - cell.s) : cell.len;
		nic_item(in, &st, cell.s + i, end - i, line, kbf_wtext_trim(cell.s + i, end - i));
		i = end + 1;
	}
}

/* "6 Hotfix(s) Installed.,[01]: KB4578968,[02]: KB4562830". */
static void csv_hotfixes(struct kbf_input *in, const struct host *h, struct kbf_wtext_span cell, int line)
{
	for (size_t i = 0; i < cell.len;) {
		const char *comma = memchr(cell.s + i, ',', cell.len - i);
		size_t end = comma ? (size_t)(comma - cell.s) : cell.len;
		hotfix_item(in, h, cell.s + i, end - i, line, kbf_wtext_trim(cell.s + i, end - i));
		i = end + 1;
	}
}

static void csv_host(struct kbf_input *in, const struct kbf_csv *c, const size_t *col, int line)
{
	struct host h = {0};
	for (int k = 0; k < NFIELDS; k++)
		if (col[k] < c->n)
			set_field(in, &h, (enum field)k, (struct kbf_wtext_span){keys[k], strlen(keys[k])},
				  kbf_wtext_trim(c->f[col[k]].s, c->f[col[k]].len), line);
	if (col[F_NICS] < c->n)
		csv_nics(in, c->f[col[F_NICS]], line);
	if (col[F_HOTFIX] < c->n)
		csv_hotfixes(in, &h, c->f[col[F_HOTFIX]], line);
	emit_host(in, &h);
	kbf_wtext_buf_free(&h.text);
}

/* One row: the header (the first row, when its version column holds no
 * version), or a host.  Takes the header's place in *hdr. */
static void csv_record(struct kbf_input *in, struct kbf_csv *row, struct kbf_csv *hdr, bool first, size_t *col)
{
	int line = (int)row->first + 1;
	size_t vc = default_column[F_VERSION];
	if (first && row->n > vc && !version_like(row->f[vc])) {
		struct kbf_csv spare = *hdr; /* a header row, English or not */
		*hdr = *row;
		*row = spare;
		map_columns(hdr, col);
	} else if (hdr->n && row->n != hdr->n) {
		kbf_input_skip(in, line, "systeminfo: a row of %zu fields under a header of %zu", row->n, hdr->n);
	} else if (row->n < MIN_CSV_FIELDS) {
		kbf_input_skip(in, line, "systeminfo: a row of %zu fields, not %d or more", row->n, MIN_CSV_FIELDS);
	} else {
		csv_host(in, row, col, line);
	}
}

/* systeminfo writes a record a line: a quote left open is damage to that
 * line alone. */
static int import_csv(struct kbf_input *in, struct kbf_text *t)
{
	struct kbf_csv hdr = {.one_line = true}, row = {.one_line = true};
	bool first = true;
	size_t col[NFIELDS];
	map_columns(NULL, col);
	int got;
	for (size_t i = 0; (got = kbf_csv_next(&row, t, &i)) != 0;) {
		if (got < 0) {
			kbf_input_skip(in, (int)row.first + 1, "systeminfo: unterminated quoted field");
			continue;
		}
		csv_record(in, &row, &hdr, first, col);
		first = false;
	}
	kbf_csv_free(&hdr);
	kbf_csv_free(&row);
	return in->err.status == KB_OK ? 0 : -1;
}

static int probe_csv(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	struct kbf_csv c = {.one_line = true};
	int score = 0;
	for (size_t i = 0; i < t->nlines && i < 5; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (kbf_wtext_blank(l->s, l->len))
			continue;
		if (l->s[0] != '"' || kbf_csv_read(&c, t, i) < 0)
			break;
		if (c.n >= MIN_CSV_FIELDS && header_field(c.f[0]) == F_NAME && header_field(c.f[1]) == F_OS)
			score = 95;
		else if (c.n >= MIN_CSV_FIELDS && version_like(c.f[2]) && has_build_word(c.f[2]))
			score = 85;
		break;
	}
	kbf_csv_free(&c);
	return score;
}

const struct kbf_importer kbf_win_systeminfo_importer = {"systeminfo", probe_list, import_list, KBF_READ_WHOLE};
const struct kbf_importer kbf_win_systeminfo_csv_importer = {"systeminfo-csv", probe_csv, import_csv, KBF_READ_WHOLE};
