/*
 * netstat.c — Windows `netstat -an`, `netstat -ano` and `netstat -abno`
 * output: which process holds which port, the evidence most KB articles
 * about bind failures start from.
 *
 * Layout (jc's Windows 10 fixtures netstat-an.out / netstat-aon.out /
 * netstat-aonb.out; NT 4.0 and 2000 print the same four columns without
 * PID, per docs/evidence-formats.md "netstat -an (NT 4.0 and Windows 2000)"):
 *
 *     Active Connections
 *
 *       Proto  Local Address          Foreign Address        State           PID
 *       TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1712
 *       RpcSs                                  <- -b: service tag, optional
 *      [svchost.exe]                           <- -b: image
 *       TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4
 *      Can not obtain ownership information    <- -b: no image at all
 *       UDP    [fe80::1%4]:1900       *:*                                    3404
 *
 * The title, the header and the state word are localised ("ABHÖREN",
 * "À l'écoute"), so nothing here depends on them: a TCP listener is a line
 * whose foreign port is 0 (0.0.0.0:0, [::]:0, or HOST:0 without -n), every
 * UDP endpoint holds its port, and the -b lines after an endpoint are read
 * by shape: a bracketed image means the owner is known; text without one
 * (the English "Can not obtain ownership information", or a translation,
 * possibly wrapped over several lines) means it is not.  A malformed
 * endpoint line (an address or port that does not parse, a PID that is
 * not a number) is left out with a note naming it; the rest is read.
 */
#include <ctype.h>
#include <string.h>

#include "core/wtext.h"

struct endpoint {
	struct kbf_wtext_span addr; /* no brackets, no zone, no port */
	const char *family;         /* "ipv4", "ipv6", NULL for a host name */
	int64_t port;               /* -1 when not known ("*", unknown service name) */
};

/* One endpoint line and the -b lines after it. */
struct record {
	bool active;
	int line;
	struct kbf_line raw;
	bool udp;
	struct endpoint local, foreign;
	struct kbf_wtext_span state;
	int64_t pid;                        /* -1: no PID column */
	struct kbf_wtext_span service, process;
	bool image, text;                   /* saw "[x.exe]"; saw other -b text */
};

/* Service names netstat prints for ports when run without -n, from the
 * services file Windows ships (%SystemRoot%\System32\drivers\etc\services,
 * IANA assignments). */
static const struct {
	const char *name;
	int port;
} port_names[] = {
	{"ftp-data", 20}, {"ftp", 21}, {"telnet", 23}, {"smtp", 25}, {"domain", 53},
	{"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"http", 80}, {"kerberos", 88},
	{"pop3", 110}, {"nntp", 119}, {"ntp", 123}, {"epmap", 135}, {"netbios-ns", 137},
	{"netbios-dgm", 138}, {"netbios-ssn", 139}, {"imap", 143}, {"snmp", 161},
	{"ldap", 389}, {"https", 443}, {"microsoft-ds", 445}, {"kpasswd", 464},
	{"isakmp", 500}, {"nntps", 563}, {"ldaps", 636}, {"imaps", 993}, {"pop3s", 995},
	{"ms-sql-s", 1433}, {"ms-sql-m", 1434}, {"msmq", 1801}, {"ms-wbt-server", 3389},
	{"llmnr", 5355},
};

static bool parse_port(struct kbf_wtext_span p, int64_t *port, const char **why)
{
	uint64_t v;
	if (p.len && isdigit((unsigned char)p.s[0])) {
		if (!kbf_wtext_uint(p, 65535, &v)) {
			*why = "port is not a number from 0 to 65535";
			return false;
		}
		*port = (int64_t)v;
		return true;
	}
	*port = -1;
	if (kbf_wtext_eq(p, "*"))
		return true;
	for (size_t i = 0; i < p.len; i++)
		if (!isalnum((unsigned char)p.s[i]) && p.s[i] != '-' && p.s[i] != '_') {
			*why = "port is neither a number nor a service name";
			return false;
		}
	if (!p.len) {
		*why = "port is missing";
		return false;
	}
	for (size_t i = 0; i < sizeof(port_names) / sizeof(port_names[0]); i++)
		if (kbf_wtext_ieq(p, port_names[i].name))
			*port = port_names[i].port;
	return true;
}

/* A host part without brackets: an IPv4 address or (without -n) a name. */
static bool parse_host(struct kbf_wtext_span h, struct endpoint *ep, const char **why)
{
	bool numeric = h.len > 0;
	for (size_t i = 0; i < h.len; i++) {
		char c = h.s[i];
		if (!isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.') {
			*why = "address has characters no host name or IPv4 address has";
			return false;
		}
		numeric &= isdigit((unsigned char)c) || c == '.';
	}
	if (kbf_wtext_ipv4(h))
		ep->family = "ipv4";
	else if (numeric || !h.len) {
		*why = "not a valid IPv4 address";
		return false;
	}
	ep->addr = h;
	return true;
}

/* "0.0.0.0:135", "[::]:0", "[fe80::1%4]:139", "*:*", "MYHOST:epmap". */
static bool parse_endpoint(struct kbf_wtext_span tok, struct endpoint *ep, const char **why)
{
	memset(ep, 0, sizeof(*ep));
	ep->port = -1;
	if (kbf_wtext_eq(tok, "*:*"))
		return true;
	if (tok.s[0] == '[') {
		const char *close = memchr(tok.s, ']', tok.len);
		struct kbf_wtext_span in6 = {tok.s + 1, close ? (size_t)(close - tok.s - 1) : 0};
		if (!close || !kbf_wtext_ipv6(in6)) {
			*why = close ? "not a valid IPv6 address" : "no closing ']'";
			return false;
		}
		size_t rest = (size_t)(tok.s + tok.len - close);
		if (rest < 2 || close[1] != ':') {
			*why = "no port after the address";
			return false;
		}
		ep->addr = kbf_wtext_unzone(in6);
		ep->family = "ipv6";
		return parse_port((struct kbf_wtext_span){close + 2, rest - 2}, &ep->port, why);
	}
	const char *colon = NULL;
	for (size_t i = 0; i < tok.len; i++)
		if (tok.s[i] == ':')
			colon = tok.s + i;
	if (!colon) {
		*why = "no port after the address";
		return false;
	}
	struct kbf_wtext_span host = {tok.s, (size_t)(colon - tok.s)};
	struct kbf_wtext_span port = {colon + 1, (size_t)(tok.s + tok.len - colon - 1)};
	return parse_host(host, ep, why) && parse_port(port, &ep->port, why);
}

static bool is_proto(struct kbf_wtext_span p, bool *udp)
{
	*udp = kbf_wtext_eq(p, "UDP") || kbf_wtext_eq(p, "UDPv6");
	return *udp || kbf_wtext_eq(p, "TCP") || kbf_wtext_eq(p, "TCPv6");
}

/* `netstat -anot` adds an offload state after the PID (netstat's usage
 * text: InHost, Offloading, Offloaded, Uploading); it is not kept. */
static bool offload_state(struct kbf_wtext_span t)
{
	return kbf_wtext_eq(t, "InHost") || kbf_wtext_eq(t, "Offloading") || kbf_wtext_eq(t, "Offloaded") ||
	       kbf_wtext_eq(t, "Uploading");
}

/* State (as printed, possibly several words) and an optional PID. */
static bool parse_tail(const char *s, size_t len, struct record *r, const char **why)
{
	struct kbf_wtext_span rest = kbf_wtext_trim(s, len), last = {0}, before = {0};
	size_t pos = 0;
	for (struct kbf_wtext_span tok; kbf_wtext_token(rest.s, rest.len, &pos, &tok);) {
		before = last;
		last = tok;
	}
	if (offload_state(last) && before.len)
		last = before;
	uint64_t pid;
	r->pid = -1;
	r->state = rest;
	if (last.len && isdigit((unsigned char)last.s[0])) {
		if (!kbf_wtext_uint(last, UINT32_MAX, &pid)) {
			*why = "PID is not a number";
			return false;
		}
		r->pid = (int64_t)pid;
		r->state = kbf_wtext_trim(rest.s, (size_t)(last.s - rest.s));
	}
	if (!r->udp && !r->state.len) {
		*why = "truncated line: no state";
		return false;
	}
	return true;
}

/* 1: an endpoint line, parsed into r; 0: some other line; -1: an endpoint
 * line that is malformed (*why says how). */
static int parse_line(const struct kbf_line *l, int line, struct record *r, const char **why)
{
	size_t pos = 0;
	struct kbf_wtext_span proto, local, foreign;
	memset(r, 0, sizeof(*r));
	if (!kbf_wtext_token(l->s, l->len, &pos, &proto) || !is_proto(proto, &r->udp))
		return 0;
	if (!kbf_wtext_token(l->s, l->len, &pos, &local)) {
		*why = "truncated line: no local address";
		return -1;
	}
	if (!kbf_wtext_token(l->s, l->len, &pos, &foreign)) {
		*why = "truncated line: no foreign address";
		return -1;
	}
	if (!parse_endpoint(local, &r->local, why) || !parse_endpoint(foreign, &r->foreign, why) ||
	    !parse_tail(l->s + pos, l->len - pos, r, why))
		return -1;
	if (!r->local.addr.len) {
		*why = "local address is a wildcard";
		return -1;
	}
	r->active = true;
	r->line = line;
	r->raw = *l;
	return 1;
}

/* The column header ("Proto  Local Address ...", "Proto  Lokale Adresse
 * ...") or a console prompt pasted with the output: never -b text. */
static bool is_boundary(struct kbf_wtext_span t)
{
	if (kbf_wtext_prefix(t.s, t.len, "Proto ") || kbf_wtext_eq(t, "Proto"))
		return true;
	return t.len >= 3 && isalpha((unsigned char)t.s[0]) && t.s[1] == ':' && t.s[2] == '\\' &&
	       t.s[t.len - 1] == '>';
}

/* A -b line after an endpoint line. */
static void owner_line(struct record *r, struct kbf_wtext_span t)
{
	if (t.len >= 2 && t.s[0] == '[' && t.s[t.len - 1] == ']') {
		if (!r->image)
			r->process = (struct kbf_wtext_span){t.s + 1, t.len - 2};
		r->image = true;
		return;
	}
	if (r->image)
		return;
	r->text = true;
	/* A service tag is one word; -v component lines are paths or
	 * "-- unknown component(s) --". */
	bool word = t.len && t.s[0] != '-' && !memchr(t.s, ' ', t.len) &&
		    !memchr(t.s, '\\', t.len) && !memchr(t.s, '/', t.len);
	if (word && !r->service.len)
		r->service = t;
}

static void set_family(struct kbf_fact *f, const char *slot, const struct endpoint *ep)
{
	if (ep->family)
		kbf_set_cstr(f, slot, ep->family);
}

static void emit_listener(struct kbf_input *in, const struct record *r)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "listener");
	kbf_set_cstr(&f, "protocol", r->udp ? "udp" : "tcp");
	set_family(&f, "family", &r->local);
	kbf_set_span(&f, "address", r->local.addr);
	if (r->local.port >= 0)
		kbf_set_int(&f, "port", r->local.port);
	if (r->pid >= 0)
		kbf_set_int(&f, "pid", r->pid);
	kbf_set_span(&f, "state", r->state);
	bool known = r->image || (!r->text && r->pid >= 0);
	kbf_set_bool(&f, "owner_known", known);
	if (r->image) {
		kbf_set_span(&f, "process", r->process);
		kbf_set_span(&f, "service", r->service);
	} else if (r->text && r->pid == 4) {
		kbf_set_cstr(&f, "process", "System"); /* PID 4 is System since XP */
	}
	kbf_fact_emit(&f, r->line, r->raw.s, r->raw.len);
}

static void emit_connection(struct kbf_input *in, const struct record *r)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "connection");
	kbf_set_cstr(&f, "protocol", r->udp ? "udp" : "tcp");
	set_family(&f, "family", &r->local);
	kbf_set_span(&f, "local_address", r->local.addr);
	if (r->local.port >= 0)
		kbf_set_int(&f, "local_port", r->local.port);
	kbf_set_span(&f, "remote_address", r->foreign.addr);
	if (r->foreign.port >= 0)
		kbf_set_int(&f, "remote_port", r->foreign.port);
	kbf_set_span(&f, "state", r->state);
	if (r->pid >= 0)
		kbf_set_int(&f, "pid", r->pid);
	if (r->image)
		kbf_set_span(&f, "process", r->process);
	kbf_fact_emit(&f, r->line, r->raw.s, r->raw.len);
}

static void flush(struct kbf_input *in, struct record *r)
{
	if (!r->active)
		return;
	if (r->udp || r->foreign.port == 0)
		emit_listener(in, r);
	else
		emit_connection(in, r);
	r->active = false;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct record cur = {0}, next;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_wtext_span tr = kbf_wtext_trim(l->s, l->len);
		const char *why = "";
		int kind = tr.len && !is_boundary(tr) ? parse_line(l, (int)i + 1, &next, &why) : 0;
		if (!tr.len || is_boundary(tr) || kind != 0)
			flush(in, &cur);
		if (kind < 0)
			kbf_input_skip(in, (int)i + 1, "netstat: %s: %.*s", why, (int)tr.len, tr.s);
		else if (kind > 0)
			cur = next;
		else if (cur.active)
			owner_line(&cur, tr);
		/* else: title, header or other text outside a record */
	}
	flush(in, &cur);
	return in->err.status == KB_OK ? 0 : -1;
}

/* ---- recognising the format -------------------------------------------------- */

struct shape {
	size_t endpoints, bad, other;
	bool header, pid, owner;
};

static void classify(struct kbf_text *t, struct shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	bool in_record = false;
	size_t n = t->nlines < 2000 ? t->nlines : 2000;
	for (size_t i = 0; i < n; i++) {
		struct kbf_wtext_span tr = kbf_wtext_trim(t->lines[i].s, t->lines[i].len);
		struct record r;
		const char *why;
		int kind = tr.len && !is_boundary(tr) ? parse_line(&t->lines[i], 0, &r, &why) : 0;
		if (!tr.len || is_boundary(tr)) {
			sh->header |= tr.len > 0 && kbf_wtext_prefix(tr.s, tr.len, "Proto");
			in_record = false;
		} else if (kind > 0) {
			sh->endpoints++;
			sh->pid |= r.pid >= 0;
			in_record = true;
		} else if (kind < 0) {
			sh->bad++;
			in_record = false;
		} else if (in_record) {
			sh->owner = true;
		} else {
			sh->other++;
		}
	}
}

static int score(struct kbf_text *t, struct shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	if (!t->utf8)
		return 0;
	classify(t, sh);
	if (!sh->endpoints || sh->bad > sh->endpoints)
		return 0;
	int s = 50 + (sh->header ? 40 : 0) + (sh->endpoints >= 3 ? 30 : 0);
	if (sh->other > 4 * sh->endpoints + 10)
		s = 30; /* a document quoting a few netstat lines */
	return s > 95 ? 95 : s;
}

static int probe_an(struct kbf_text *t)
{
	struct shape sh;
	int s = score(t, &sh);
	return !sh.pid && !sh.owner ? s : 0;
}

static int probe_ano(struct kbf_text *t)
{
	struct shape sh;
	int s = score(t, &sh);
	return sh.pid && !sh.owner ? s : 0;
}

static int probe_abno(struct kbf_text *t)
{
	struct shape sh;
	int s = score(t, &sh);
	return sh.owner ? s : 0;
}

const struct kbf_importer kbf_win_netstat_an_importer = {"netstat-an", probe_an, import, KBF_READ_WHOLE};
const struct kbf_importer kbf_win_netstat_ano_importer = {"netstat-ano", probe_ano, import, KBF_READ_WHOLE};
const struct kbf_importer kbf_win_netstat_abno_importer = {"netstat-abno", probe_abno, import, KBF_READ_WHOLE};
