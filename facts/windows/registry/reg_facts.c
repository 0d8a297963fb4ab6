/*
 * reg_facts.c — what kbdiag keeps of the registry, whichever form it came
 * in (docs/evidence-formats.md "Registry: what kbdiag keeps").  The
 * readers of reg query text, .reg files and hives feed it keys and values
 * (registry.h); this file alone says which keys matter and what facts
 * they make:
 *
 *   - SYSTEM\CurrentControlSet\Services\<name>: a `service` fact, as
 *     `sc qc` would show it (start_type and type in sc's words, lower
 *     case; no state: the registry holds none);
 *   - SOFTWARE\Microsoft\Windows NT\CurrentVersion, and SYSTEM's
 *     ComputerName, ProductOptions and Session Manager\Environment: one
 *     `host` fact per input, as systeminfo (or winmsd, for NT 4.0) gives it;
 *   - port and TCP/IP settings: `registry_value` facts for every value of
 *     Services\Tcpip\Parameters and SOFTWARE\Microsoft\Rpc\Internet, and
 *     for values named after a port ("TcpPort", "TCP/IP Port",
 *     "PortNumber", "ReservedPorts") in the keys of the table below.
 *     Nothing else: a hive holds hundreds of thousands of values no rule
 *     reads.
 *
 * A hive names its control sets by number (ControlSet001) and says in
 * Select\Current which one is CurrentControlSet; the reader maps that one
 * and ignores the others (LastKnownGood is not the running system).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry.h"
#include "core/service_codes.h"
#include "xalloc.h"

enum want {
	W_SERVICE = 1,     /* a service's key */
	W_PORTS = 2,       /* values named after a port */
	W_ALL = 4,         /* every named value */
	W_VERSION = 8,     /* Windows NT\CurrentVersion */
	W_COMPUTER = 16,   /* ComputerName\ComputerName */
	W_PRODUCT = 32,    /* ProductOptions */
	W_ENVIRONMENT = 64, /* Session Manager\Environment */
	W_SELECT = 128,    /* Select */
};

/* Keys kept, relative to HKLM; "*" stands for any one key name.  Sources
 * of the port settings: KB 812873 and 196271 (Tcpip\Parameters
 * ReservedPorts, MaxUserPort), 154596 (Rpc\Internet Ports), 155831 and
 * 270836 (Exchange's "TCP/IP port" under MSExchangeDS, MSExchangeIS and
 * MSExchangeSA), 224196 (NTDS "TCP/IP Port"), 306759 (RDP-Tcp PortNumber),
 * SQL Server's "Configure a Server to Listen on a Specific TCP Port"
 * (SuperSocketNetLib\Tcp TcpPort, TcpDynamicPorts). */
static const struct {
	const char *path;
	unsigned want;
} wanted[] = {
	{"SYSTEM\\Select", W_SELECT},
	{"SYSTEM\\CurrentControlSet\\Services\\*", W_SERVICE | W_PORTS},
	{"SYSTEM\\CurrentControlSet\\Services\\*\\*", W_PORTS},
	{"SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters", W_ALL},
	{"SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName", W_COMPUTER},
	{"SYSTEM\\CurrentControlSet\\Control\\ProductOptions", W_PRODUCT},
	{"SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment", W_ENVIRONMENT},
	{"SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\*", W_PORTS},
	{"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", W_VERSION},
	{"SOFTWARE\\Microsoft\\Rpc\\Internet", W_ALL},
	{"SOFTWARE\\Microsoft\\MSSQLServer\\MSSQLServer\\SuperSocketNetLib\\Tcp", W_PORTS},
	{"SOFTWARE\\Microsoft\\Microsoft SQL Server\\*\\MSSQLServer\\SuperSocketNetLib\\Tcp", W_PORTS},
	{"SOFTWARE\\Microsoft\\Microsoft SQL Server\\*\\MSSQLServer\\SuperSocketNetLib\\Tcp\\*", W_PORTS},
};
#define NWANTED (sizeof(wanted) / sizeof(wanted[0]))

/* The values each kind of key is read for. */
static const struct {
	unsigned want;
	const char *name;
} wanted_values[] = {
	{W_SERVICE, "Type"}, {W_SERVICE, "Start"}, {W_SERVICE, "DisplayName"}, {W_SERVICE, "ImagePath"},
	{W_SERVICE, "DelayedAutostart"}, {W_VERSION, "ProductName"}, {W_VERSION, "CurrentVersion"},
	{W_VERSION, "CurrentMajorVersionNumber"}, {W_VERSION, "CurrentMinorVersionNumber"},
	{W_VERSION, "CurrentBuildNumber"}, {W_VERSION, "CurrentBuild"}, {W_VERSION, "CSDVersion"},
	{W_COMPUTER, "ComputerName"}, {W_PRODUCT, "ProductType"}, {W_ENVIRONMENT, "PROCESSOR_ARCHITECTURE"},
	{W_SELECT, "Current"},
};

#define MAX_SEGS 12       /* deeper keys are never kept */
#define MAX_VALUES 4096   /* registry_value facts one input makes */

struct segs {
	struct kbf_wtext_span s[MAX_SEGS];
	size_t n;
	unsigned set; /* the key is in ControlSet<set>; 0: not a numbered set */
	bool current; /* named CurrentControlSet */
};

/* One service's values, copied: a text form's lines go before the key ends. */
struct svc {
	bool has_type, has_start;
	uint64_t type, start, delayed;
	struct kbf_wtext_buf display, image, text;
};

/* The host values of the whole input. */
struct host {
	bool seen;
	int line;
	struct kbf_wtext_buf product, version, build, csd, computer, arch, ptype, text;
	bool has_major, has_minor;
	uint64_t major, minor;
};

struct kbf_reg_reader {
	struct kbf_input *in;
	unsigned control_set; /* the number that is CurrentControlSet; 0: none known */
	unsigned only_set;    /* second pass: only this control set's keys */
	bool saw_current;     /* some key was named under CurrentControlSet */
	uint64_t sets_seen;   /* bit n: ControlSet<n> named (n < 64) */
	unsigned select_current;
	unsigned want;        /* of the current key */
	int key_line;
	struct kbf_wtext_buf key, service; /* canonical path; the key's own name */
	struct svc svc;
	struct host host;
	size_t nvalues;
};

/* ---- paths ------------------------------------------------------------------------- */

/* "ControlSet001" -> 1. */
static unsigned set_number(struct kbf_wtext_span s)
{
	uint64_t n;
	if (s.len < 11 || strncasecmp(s.s, "ControlSet", 10) != 0)
		return 0;
	struct kbf_wtext_span d = {s.s + 10, s.len - 10};
	return kbf_wtext_uint(d, 999, &n) && n > 0 ? (unsigned)n : 0;
}

/* The path's keys below HKLM; false for another root or a key too deep. */
static bool split(struct kbf_wtext_span p, unsigned control_set, struct segs *g)
{
	memset(g, 0, sizeof(*g));
	if (p.len > 2 && p.s[0] == '\\' && p.s[1] == '\\') { /* \\SERVER\HKLM\... (reg query on another machine) */
		const char *sl = memchr(p.s + 2, '\\', p.len - 2);
		if (!sl)
			return false;
		p.len -= (size_t)(sl + 1 - p.s);
		p.s = sl + 1;
	}
	const char *sl = memchr(p.s, '\\', p.len);
	struct kbf_wtext_span root = {p.s, sl ? (size_t)(sl - p.s) : p.len};
	if (!sl || (!kbf_wtext_ieq(root, "HKEY_LOCAL_MACHINE") && !kbf_wtext_ieq(root, "HKLM")))
		return false;
	for (const char *s = sl + 1, *end = p.s + p.len; s < end;) {
		const char *e = memchr(s, '\\', (size_t)(end - s));
		size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
		if (g->n == MAX_SEGS)
			return false;
		g->s[g->n++] = (struct kbf_wtext_span){s, n};
		s += n + 1;
	}
	if (g->n >= 2 && kbf_wtext_ieq(g->s[0], "SYSTEM")) {
		g->current = kbf_wtext_ieq(g->s[1], "CurrentControlSet");
		g->set = set_number(g->s[1]);
		if (g->set && g->set == control_set)
			g->s[1] = (struct kbf_wtext_span){"CurrentControlSet", 17};
	}
	return g->n > 0;
}

/* How g stands to pattern: 2 it is that key, 1 a key above it, 0 neither. */
static int relation(const char *pattern, const struct segs *g)
{
	size_t i = 0;
	for (const char *p = pattern; *p;) {
		const char *e = strchr(p, '\\');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (i == g->n)
			return 1;
		bool any = n == 1 && *p == '*';
		if (!any && (g->s[i].len != n || strncasecmp(g->s[i].s, p, n) != 0))
			return 0;
		i++;
		p += n + (e ? 1 : 0);
	}
	return i == g->n ? 2 : 0;
}

/* The key as facts name it: "HKLM\", the pattern's spelling of the names
 * it fixes and the source's of those it leaves open. */
static void canonical(struct kbf_wtext_buf *b, const char *pattern, const struct segs *g)
{
	kbf_wtext_buf_set(b, "HKLM", 4);
	const char *p = pattern;
	for (size_t i = 0; i < g->n; i++) {
		const char *e = strchr(p, '\\');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		kbf_wtext_buf_addc(b, '\\');
		if (n == 1 && *p == '*')
			kbf_wtext_buf_add(b, g->s[i].s, g->s[i].len);
		else
			kbf_wtext_buf_add(b, p, n);
		p += n + (e ? 1 : 0);
	}
}

bool kbf_reg_leads(const struct kbf_reg_reader *r, struct kbf_wtext_span path, bool *here)
{
	struct segs g;
	bool lead = false;
	*here = false;
	if (!split(path, r->control_set, &g))
		return false;
	for (size_t i = 0; i < NWANTED; i++) {
		int rel = relation(wanted[i].path, &g);
		*here |= rel == 2;
		lead |= rel == 1;
	}
	return lead;
}

/* ---- which values ------------------------------------------------------------------- */

static bool letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A name that ends in "port" as a word, or says "port number" or "port
 * <word>": "TcpPort", "TCP/IP Port", "PortNumber", "ReservedPorts",
 * "Port LDAP", "RPC TCP/IP Port Assignment"; not "Support", "Transport",
 * "PortCount" or "PortDriverEnable". */
static bool port_word(struct kbf_wtext_span n)
{
	for (size_t i = 0; i + 4 <= n.len; i++) {
		if (strncasecmp(n.s + i, "port", 4) != 0)
			continue;
		bool starts = i == 0 || !letter(n.s[i - 1]) || n.s[i] == 'P';
		size_t j = i + 4;
		if (j < n.len && (n.s[j] == 's' || n.s[j] == 'S'))
			j++;
		struct kbf_wtext_span rest = {n.s + j, n.len - j};
		bool ends = j == n.len || !letter(n.s[j]) || kbf_wtext_eq(rest, "Number");
		if (starts && ends)
			return true;
	}
	return false;
}

static bool named(unsigned want, struct kbf_wtext_span name)
{
	for (size_t i = 0; i < sizeof(wanted_values) / sizeof(wanted_values[0]); i++)
		if ((want & wanted_values[i].want) && kbf_wtext_ieq(name, wanted_values[i].name))
			return true;
	return false;
}

/* Kept as a registry_value fact. */
static bool setting(unsigned want, struct kbf_wtext_span name)
{
	return name.len && ((want & W_ALL) || ((want & W_PORTS) && port_word(name)));
}

bool kbf_reg_keeps_key(const struct kbf_reg_reader *r)
{
	return r->want != 0;
}

bool kbf_reg_wants(const struct kbf_reg_reader *r, struct kbf_wtext_span name)
{
	return r->want && (setting(r->want, name) || named(r->want, name));
}

/* ---- services ------------------------------------------------------------------------ */

static void emit_service(struct kbf_reg_reader *r)
{
	struct svc *s = &r->svc;
	if (!(r->want & W_SERVICE) || !s->has_type)
		return;
	struct kbf_fact f;
	kbf_fact_begin(&f, r->in, "service");
	kbf_set_str(&f, "name", r->service.s, r->service.len);
	if (s->display.len && s->display.s[0] != '@') /* "@dll,-101": a resource only Windows can read */
		kbf_set_str(&f, "display_name", s->display.s, s->display.len);
	char word[KBF_SERVICE_WORD_MAX];
	size_t len;
	if (s->has_start && (len = kbf_service_word(KBF_SERVICE_START_TYPE, s->start, s->delayed == 1, word)))
		kbf_set_str_copy(&f, "start_type", word, len);
	if (s->image.len)
		kbf_set_str(&f, "image", s->image.s, s->image.len);
	if ((len = kbf_service_word(KBF_SERVICE_TYPE, s->type, false, word)))
		kbf_set_str_copy(&f, "type", word, len);
	kbf_fact_emit(&f, r->key_line, s->text.s, s->text.len);
}

static void service_value(struct kbf_reg_reader *r, const struct kbf_reg_value *v)
{
	struct svc *s = &r->svc;
	kbf_wtext_buf_add(&s->text, "; ", 2);
	kbf_wtext_buf_add(&s->text, v->name.s, v->name.len);
	kbf_wtext_buf_add(&s->text, ": ", 2);
	kbf_wtext_buf_add(&s->text, v->text.s, v->text.len);
	if (kbf_wtext_ieq(v->name, "Type") && v->has_number)
		s->has_type = true, s->type = v->number;
	else if (kbf_wtext_ieq(v->name, "Start") && v->has_number)
		s->has_start = true, s->start = v->number;
	else if (kbf_wtext_ieq(v->name, "DelayedAutostart") && v->has_number)
		s->delayed = v->number;
	else if (kbf_wtext_ieq(v->name, "DisplayName"))
		kbf_wtext_buf_set(&s->display, v->text.s, v->text.len);
	else if (kbf_wtext_ieq(v->name, "ImagePath"))
		kbf_wtext_buf_set(&s->image, v->text.s, v->text.len);
}

/* ---- keys ------------------------------------------------------------------------------ */

static void end_key(struct kbf_reg_reader *r)
{
	emit_service(r);
	r->want = 0;
}

void kbf_reg_key(struct kbf_reg_reader *r, struct kbf_wtext_span path, int line)
{
	struct segs g;
	end_key(r);
	if (!split(path, r->control_set, &g))
		return;
	if (g.set && g.set < 64)
		r->sets_seen |= UINT64_C(1) << g.set;
	r->saw_current |= g.current && !r->only_set;
	if (r->only_set && g.set != r->only_set)
		return;
	int first = -1;
	for (size_t i = 0; i < NWANTED; i++)
		if (relation(wanted[i].path, &g) == 2) {
			r->want |= wanted[i].want;
			if (first < 0)
				first = (int)i;
		}
	if (!r->want)
		return;
	canonical(&r->key, wanted[first].path, &g);
	kbf_wtext_buf_set(&r->service, g.s[g.n - 1].s, g.s[g.n - 1].len);
	r->key_line = line;
	struct svc *s = &r->svc;
	s->has_type = s->has_start = false;
	s->delayed = 0;
	kbf_wtext_buf_reset(&s->display);
	kbf_wtext_buf_reset(&s->image);
	kbf_wtext_buf_set(&s->text, path.s, path.len);
}

/* ---- values ---------------------------------------------------------------------------- */

static void emit_setting(struct kbf_reg_reader *r, const struct kbf_reg_value *v, int line,
			 struct kbf_wtext_span text)
{
	if (r->nvalues++ == MAX_VALUES)
		kbf_input_skip(r->in, line, "more than %d port and TCP/IP settings: the rest are not kept", MAX_VALUES);
	if (r->nvalues > MAX_VALUES)
		return;
	struct kbf_fact f;
	char type[16];
	const char *tn = kbf_reg_type_name(v->type);
	if (!tn) {
		snprintf(type, sizeof(type), "0x%x", (unsigned)v->type);
		tn = type;
	}
	kbf_fact_begin(&f, r->in, "registry_value");
	kbf_set_str(&f, "key", r->key.s, r->key.len);
	kbf_set_str(&f, "name", v->name.s, v->name.len);
	kbf_set_str_copy(&f, "type", tn, strlen(tn));
	kbf_set_str(&f, "value", v->text.s ? v->text.s : "", v->text.len);
	if (v->has_number && v->number <= INT64_MAX)
		kbf_set_int(&f, "number", (int64_t)v->number);
	kbf_fact_emit(&f, line, text.s, text.len);
}

static void host_value(struct kbf_reg_reader *r, const struct kbf_reg_value *v, int line)
{
	struct host *h = &r->host;
	static const struct {
		const char *name;
		size_t at;
	} into[] = {
		{"ProductName", offsetof(struct host, product)}, {"CurrentVersion", offsetof(struct host, version)},
		{"CurrentBuildNumber", offsetof(struct host, build)}, {"CSDVersion", offsetof(struct host, csd)},
		{"ComputerName", offsetof(struct host, computer)},
		{"PROCESSOR_ARCHITECTURE", offsetof(struct host, arch)}, {"ProductType", offsetof(struct host, ptype)},
	};
	if (!h->seen)
		h->line = line;
	h->seen = true;
	kbf_wtext_buf_join(&h->text, "; ", v->name.s, v->name.len);
	kbf_wtext_buf_add(&h->text, ": ", 2);
	kbf_wtext_buf_add(&h->text, v->text.s, v->text.len);
	for (size_t i = 0; i < sizeof(into) / sizeof(into[0]); i++)
		if (kbf_wtext_ieq(v->name, into[i].name))
			kbf_wtext_buf_set((struct kbf_wtext_buf *)((char *)h + into[i].at), v->text.s, v->text.len);
	if (kbf_wtext_ieq(v->name, "CurrentBuild") && !h->build.len)
		kbf_wtext_buf_set(&h->build, v->text.s, v->text.len);
	else if (kbf_wtext_ieq(v->name, "CurrentMajorVersionNumber") && v->has_number)
		h->has_major = true, h->major = v->number;
	else if (kbf_wtext_ieq(v->name, "CurrentMinorVersionNumber") && v->has_number)
		h->has_minor = true, h->minor = v->number;
}

void kbf_reg_value(struct kbf_reg_reader *r, const struct kbf_reg_value *v, int line, struct kbf_wtext_span text)
{
	if (!kbf_reg_wants(r, v->name))
		return;
	if (setting(r->want, v->name))
		emit_setting(r, v, line, text);
	if (!named(r->want, v->name))
		return;
	if (r->want & W_SERVICE)
		service_value(r, v);
	else if ((r->want & W_SELECT) && v->has_number && v->number < 1000)
		r->select_current = (unsigned)v->number;
	else if (r->want & (W_VERSION | W_COMPUTER | W_PRODUCT | W_ENVIRONMENT))
		host_value(r, v, line);
}

/* ---- the host ------------------------------------------------------------------------- */

/* systeminfo's "OS Name" ("Microsoft Windows 7 Professional") from
 * ProductName ("Windows 7 Professional"); Windows 11 keeps "Windows 10"
 * in ProductName, its build (22000 and later) tells. */
static void os_name(struct kbf_wtext_buf *b, const struct host *h, uint64_t build)
{
	struct kbf_wtext_buf p = {0};
	kbf_wtext_product(&p, h->product.s, h->product.len);
	if (p.len && !kbf_wtext_prefix(p.s, p.len, "Microsoft"))
		kbf_wtext_buf_add(b, "Microsoft ", 10);
	if (build >= 22000 && kbf_wtext_prefix(p.s, p.len, "Windows 10")) {
		kbf_wtext_buf_add(b, "Windows 11", 10);
		kbf_wtext_buf_add(b, p.s + 10, p.len - 10);
	} else if (p.len) {
		kbf_wtext_buf_add(b, p.s, p.len);
	}
	kbf_wtext_buf_free(&p);
}

/* os_version as systeminfo prints it ("6.1.7601"), or winmsd for NT 4.0
 * and before ("4.0"); false when the input has no version. */
static bool os_version(char *out, size_t size, const struct host *h, bool has_build, uint64_t build)
{
	unsigned v[4];
	uint64_t major, minor;
	if (h->has_major && h->has_minor) {
		major = h->major, minor = h->minor;
	} else if (h->version.len && kbf_version_parse(h->version.s, h->version.len, v)) {
		major = v[0], minor = v[1];
	} else {
		return false;
	}
	if (has_build && major >= 5)
		snprintf(out, size, "%llu.%llu.%llu", (unsigned long long)major, (unsigned long long)minor,
			 (unsigned long long)build);
	else
		snprintf(out, size, "%llu.%llu", (unsigned long long)major, (unsigned long long)minor);
	return true;
}

/* "Service Pack 4", "Service Pack 6a" -> 4, 6; -1 when it names none. */
static int64_t service_pack(struct kbf_wtext_span csd)
{
	size_t at;
	if (!kbf_wtext_ifind(csd.s, csd.len, "Pack ", &at))
		return -1;
	int64_t n = 0;
	size_t i = at + 5, start = i;
	while (i < csd.len && i - start < 3 && csd.s[i] >= '0' && csd.s[i] <= '9')
		n = n * 10 + (csd.s[i++] - '0');
	return i > start ? n : -1;
}

static const char *arch_of(struct kbf_wtext_span a)
{
	static const char *const arch[][2] = {{"x86", "x86"}, {"AMD64", "x64"}, {"IA64", "ia64"}, {"ARM64", "arm64"}};
	for (size_t i = 0; i < sizeof(arch) / sizeof(arch[0]); i++)
		if (kbf_wtext_ieq(a, arch[i][0]))
			return arch[i][1];
	return NULL;
}

/* ProductOptions\ProductType: LanmanNT is a domain controller, WinNT a
 * workstation; ServerNT says only "server", not member or standalone. */
static const char *role_of(struct kbf_wtext_span t)
{
	return kbf_wtext_ieq(t, "LanmanNT") ? "domain controller" : kbf_wtext_ieq(t, "WinNT") ? "workstation" : NULL;
}

#define SPAN(b) ((struct kbf_wtext_span){(b).s, (b).len})

static void emit_host(struct kbf_input *in, const struct host *h)
{
	struct kbf_fact f;
	struct kbf_wtext_buf name = {0};
	uint64_t build = 0;
	bool has_build = h->build.len && kbf_wtext_uint(SPAN(h->build), UINT32_MAX, &build);
	char version[64];
	kbf_fact_begin(&f, in, "host");
	kbf_set_cstr(&f, "os_family", "windows");
	if (h->computer.len)
		kbf_set_str(&f, "name", h->computer.s, h->computer.len);
	os_name(&name, h, build);
	if (name.len)
		kbf_set_str(&f, "os_name", name.s, name.len);
	if (os_version(version, sizeof(version), h, has_build, build)) {
		kbf_set_str_copy(&f, "os_version", version, strlen(version));
		int64_t sp = service_pack(SPAN(h->csd));
		if (sp >= 0 || has_build)
			kbf_set_int(&f, "service_pack", sp >= 0 ? sp : 0);
	}
	if (has_build)
		kbf_set_int(&f, "build", (int64_t)build);
	const char *arch = arch_of(SPAN(h->arch)), *role = role_of(SPAN(h->ptype));
	if (arch)
		kbf_set_cstr(&f, "arch", arch);
	if (role)
		kbf_set_cstr(&f, "role", role);
	kbf_fact_emit(&f, h->line, h->text.s, h->text.len);
	kbf_wtext_buf_free(&name);
}

/* ---- the reader ------------------------------------------------------------------------- */

struct kbf_reg_reader *kbf_reg_new(struct kbf_input *in)
{
	struct kbf_reg_reader *r = kbu_calloc(1, sizeof(*r));
	r->in = in;
	return r;
}

void kbf_reg_set_control_set(struct kbf_reg_reader *r, unsigned n)
{
	r->control_set = n;
}

unsigned kbf_reg_second_pass(struct kbf_reg_reader *r)
{
	end_key(r);
	if (r->saw_current || !r->sets_seen)
		return 0;
	unsigned n = 0, count = 0;
	for (unsigned i = 1; i < 64; i++)
		if (r->sets_seen & (UINT64_C(1) << i))
			n = i, count++;
	if (r->select_current) {
		if (r->select_current >= 64 || !(r->sets_seen & (UINT64_C(1) << r->select_current))) {
			kbf_input_skip(r->in, 0, "Select\\Current names ControlSet%03u, which the file does not hold: "
				       "no control set's services and settings are read", r->select_current);
			return 0;
		}
		n = r->select_current;
	} else if (count > 1) {
		kbf_input_skip(r->in, 0, "%u control sets and no Select\\Current to say which is in use: their "
			       "services and settings are not read", count);
		return 0;
	}
	r->only_set = r->control_set = n;
	return n;
}

int kbf_reg_end(struct kbf_reg_reader *r)
{
	end_key(r);
	struct host *h = &r->host;
	if (h->seen)
		emit_host(r->in, h);
	struct kbf_wtext_buf *bufs[] = {
		&r->key, &r->service, &r->svc.display, &r->svc.image, &r->svc.text, &h->product,
		&h->version, &h->build, &h->csd, &h->computer, &h->arch, &h->ptype, &h->text,
	};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_free(bufs[i]);
	int rc = r->in->err.status == KB_OK ? 0 : -1;
	free(r);
	return rc;
}

struct kbf_input *kbf_reg_input(const struct kbf_reg_reader *r)
{
	return r->in;
}

static void read_pass(struct kbf_text *t, struct kbf_reg_reader *r,
		      void (*line_fn)(struct kbf_reg_reader *r, void *ctx, const struct kbf_line *l, int line),
		      void *ctx)
{
	const struct kbf_line *l;
	for (size_t ln = 0; (l = kbf_text_line(t, ln)) != NULL; ln++) {
		line_fn(r, ctx, l, (int)ln + 1);
		if (ln % 1024 == 1023)
			kbf_text_release(t, ln + 1); /* the reader copies what it keeps of a key */
	}
	line_fn(r, ctx, NULL, 0);
}

int kbf_reg_read_text(struct kbf_input *in, struct kbf_text *t, const char *what,
		      void (*line_fn)(struct kbf_reg_reader *r, void *ctx, const struct kbf_line *l, int line),
		      void *ctx)
{
	struct kbf_reg_reader *r = kbf_reg_new(in);
	read_pass(t, r, line_fn, ctx);
	if (kbf_reg_second_pass(r)) {
		if (kbf_text_rewind(t) < 0)
			kbf_input_error(in, 0, "%s: cannot read the file a second time for its control set", what);
		else
			read_pass(t, r, line_fn, ctx);
	}
	return kbf_reg_end(r);
}
