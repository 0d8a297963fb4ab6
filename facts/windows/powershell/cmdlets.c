/*
 * cmdlets.c — which cmdlet printed a PowerShell object, and the facts of
 * its network endpoints, processes and services, made exactly as the
 * importers of the classic tools make them for the same data:
 *
 *   Get-NetTCPConnection  -> listener (State Listen) or connection, as
 *                            netstat -ano: state in netstat's words
 *                            ("LISTENING", "TIME_WAIT"), pid = OwningProcess
 *   Get-NetUDPEndpoint    -> listener {protocol "udp"}, as netstat's UDP rows
 *   Get-Process           -> process, as tasklist: name = the image name
 *                            ("PoProxy.exe", see process_name), memory_kb
 *                            the working set
 *   Win32_Process         -> process with ppid, path and command line
 *   Get-Service           -> service, as sc queryex: state "running",
 *   Win32_Service            "stop_pending"; start_type "auto_start",
 *                            "demand_start"; type "win32_share_process"
 *
 * and, told apart by HotFixID and by FileName with FileVersion, Get-HotFix
 * (get_hotfix.c) and FileVersionInfo (versioninfo.c).
 *
 * Enumerations arrive as names (tables, lists, CSV, PowerShell 7 JSON
 * with -EnumsAsStrings) or numbers (ConvertTo-Json by default): both are
 * read, with the values Microsoft documents — MSFT_NetTCPConnection's
 * State ("MSFT_NetTCPConnection class", Windows Dev Center: Closed 1,
 * Listen 2, SynSent 3, SynReceived 4, Established 5, FinWait1 6,
 * FinWait2 7, CloseWait 8, Closing 9, LastAck 10, TimeWait 11, DeleteTCB
 * 12, Bound 100) here; .NET's ServiceControllerStatus, ServiceStartMode
 * and ServiceType and WMI's words for them in core/service_codes.c,
 * which msinfo32's reader shares.
 */
#include <ctype.h>
#include <string.h>

#include "powershell.h"
#include "core/service_codes.h"

/* ---- which cmdlet ------------------------------------------------------------------- */

static bool type_is(const struct kbf_ps_record *r, const char *cls)
{
	return r->type.len && kbf_wtext_ifind(r->type.s, r->type.len, cls, NULL);
}

static bool has2(const struct kbf_ps_record *r, const char *a, const char *b)
{
	return kbf_ps_has(r, a) && kbf_ps_has(r, b);
}

enum kbf_ps_cmdlet kbf_ps_cmdlet_of(const struct kbf_ps_record *r)
{
	if (kbf_ps_has(r, "HotFixID"))
		return KBF_PS_HOTFIX;
	if (kbf_ps_has(r, "FileName") &&
	    (kbf_ps_has(r, "FileVersion") || kbf_ps_has(r, "FileVersionRaw") || kbf_ps_has(r, "ProductVersion")))
		return KBF_PS_VERSION_INFO;
	if (type_is(r, "MSFT_NetUDPEndpoint"))
		return KBF_PS_UDP;
	if (has2(r, "LocalAddress", "LocalPort"))
		return has2(r, "RemoteAddress", "RemotePort") || kbf_ps_has(r, "State") ? KBF_PS_TCP : KBF_PS_UDP;
	if (kbf_ps_has(r, "Id") && (kbf_ps_has(r, "ProviderName") || kbf_ps_has(r, "LevelDisplayName")) &&
	    (kbf_ps_has(r, "TimeCreated") || kbf_ps_has(r, "Message")))
		return KBF_PS_EVENT;
	if (kbf_ps_has(r, "Id") && (kbf_ps_has(r, "ProcessName") || has2(r, "Name", "Handles")))
		return KBF_PS_PROCESS;
	if (has2(r, "ProcessId", "Name") &&
	    (type_is(r, "Win32_Process") || kbf_ps_has(r, "ExecutablePath") || kbf_ps_has(r, "ParentProcessId")))
		return KBF_PS_WIN32_PROCESS;
	if (has2(r, "Name", "State") &&
	    (type_is(r, "Win32_Service") || kbf_ps_has(r, "StartMode") || kbf_ps_has(r, "PathName")))
		return KBF_PS_WIN32_SERVICE;
	if (kbf_ps_has(r, "Status") && (kbf_ps_has(r, "Name") || kbf_ps_has(r, "ServiceName")) &&
	    (kbf_ps_has(r, "DisplayName") || kbf_ps_has(r, "StartType") || kbf_ps_has(r, "CanStop")))
		return KBF_PS_SERVICE;
	return KBF_PS_UNKNOWN;
}

/* ---- reading properties --------------------------------------------------------------- */

/* Whether name was reported cut short already; remembers it if not. */
static bool cut_reported(struct kbf_ps_map *m, struct kbf_wtext_span name)
{
	for (size_t i = 0; i < m->ncut; i++)
		if (kbf_wtext_ieq(name, m->cut[i]))
			return true;
	if (m->ncut < KBF_PS_CUT_NAMES && name.len < sizeof(m->cut[0])) {
		memcpy(m->cut[m->ncut], name.s, name.len);
		m->cut[m->ncut++][name.len] = '\0';
	}
	return false;
}

const struct kbf_ps_prop *kbf_ps_want(struct kbf_ps_map *m, const char *name, bool kept_cut)
{
	const struct kbf_ps_prop *p = kbf_ps_get(m->r, name);
	if (!p || p->null || !p->value.len)
		return NULL;
	if (p->truncated && !cut_reported(m, p->name) && m->in)
		kbf_input_skip(m->in, m->r->line, "%.*s %s (\"...\"): %s", (int)p->name.len, p->name.s,
			       p->first_line ? "shows only the first line of its value" : "cut short to the console width",
			       kept_cut ? "kept as shown, here and below" : "left out, here and below");
	if (p->truncated && !kept_cut)
		return NULL;
	kbf_ps_prov_add(&m->pv, p);
	return p;
}

bool kbf_ps_uint(struct kbf_ps_map *m, const char *name, uint64_t max, uint64_t *v)
{
	const struct kbf_ps_prop *p = kbf_ps_want(m, name, false);
	char digits[24];
	size_t n = 0;
	if (!p)
		return false;
	for (size_t i = 0; i < p->value.len; i++) {
		if (p->value.s[i] == ',' && i > 0) /* a thousands separator of an N0 format */
			continue;
		if (n == sizeof(digits))
			return false;
		digits[n++] = p->value.s[i];
	}
	return kbf_wtext_uint((struct kbf_wtext_span){digits, n}, max, v);
}

void kbf_ps_skip(struct kbf_ps_map *m, const char *cmdlet, const char *why, const struct kbf_ps_prop *p)
{
	if (!m->in)
		return;
	if (p)
		kbf_input_skip(m->in, m->r->line, "%s: %s: %.*s '%.*s'", cmdlet, why, (int)p->name.len, p->name.s,
			       p->value.len > 80 ? 80 : (int)p->value.len, p->value.s);
	else
		kbf_input_skip(m->in, m->r->line, "%s: %s", cmdlet, why);
}

static void emit(struct kbf_ps_map *m, struct kbf_fact *f)
{
	struct kbf_wtext_span text = kbf_ps_prov_text(m->r, &m->pv);
	kbf_fact_emit(f, m->r->line, text.s, text.len);
}

static void set_prop(struct kbf_fact *f, const char *slot, const struct kbf_ps_prop *p)
{
	if (p)
		kbf_set_str(f, slot, p->value.s, p->value.len);
}

/* ---- enumerations ---------------------------------------------------------------------- */

/* MSFT_NetTCPConnection's State: its name, its number, netstat's word. */
struct tcp_state {
	int64_t number;
	const char *name, *word;
};

static const struct tcp_state tcp_states[] = {
	{1, "Closed", "CLOSED"}, {2, "Listen", "LISTENING"}, {3, "SynSent", "SYN_SENT"},
	{4, "SynReceived", "SYN_RECEIVED"}, {5, "Established", "ESTABLISHED"}, {6, "FinWait1", "FIN_WAIT_1"},
	{7, "FinWait2", "FIN_WAIT_2"}, {8, "CloseWait", "CLOSE_WAIT"}, {9, "Closing", "CLOSING"},
	{10, "LastAck", "LAST_ACK"}, {11, "TimeWait", "TIME_WAIT"}, {12, "DeleteTCB", "DELETE_TCB"},
	{100, "Bound", "BOUND"}, {-1, NULL, NULL},
};

/* An enumeration's value, written as a name or a number; for a list of
 * flags ("Win32OwnProcess, InteractiveProcess") the first.  *number says
 * which. */
static struct kbf_wtext_span enum_text(const struct kbf_ps_prop *p, bool *number, uint64_t *n)
{
	struct kbf_wtext_span v = p->value;
	const char *comma = memchr(v.s, ',', v.len);
	if (comma)
		v = kbf_wtext_trim(v.s, (size_t)(comma - v.s));
	*number = kbf_wtext_uint(v, INT32_MAX, n);
	return v;
}

/* netstat's word for a TCP state; NULL when unknown. */
static const char *tcp_word(const struct kbf_ps_prop *p)
{
	bool number;
	uint64_t n;
	if (!p)
		return NULL;
	struct kbf_wtext_span v = enum_text(p, &number, &n);
	for (const struct tcp_state *e = tcp_states; e->name; e++)
		if (number ? (int64_t)n == e->number : kbf_wtext_ieq(v, e->name))
			return e->word;
	return NULL;
}

/* The service fact word (core/service_codes.h) for a value written as
 * a number (the SERVICE_* code) or a .NET or WMI name; 0 when unknown. */
static size_t service_word(enum kbf_service_field field, const struct kbf_ps_prop *p, bool delayed,
			   char word[KBF_SERVICE_WORD_MAX])
{
	bool number;
	uint64_t code;
	if (!p)
		return 0;
	struct kbf_wtext_span v = enum_text(p, &number, &code);
	if (number)
		return kbf_service_word(field, code, delayed, word);
	if (!kbf_service_code_of(field, v, &code))
		return 0;
	if (field == KBF_SERVICE_TYPE && kbf_wtext_contains(p->value, "InteractiveProcess"))
		code |= 0x100; /* SERVICE_INTERACTIVE_PROCESS */
	return kbf_service_word(field, code, delayed, word);
}

/* ---- Get-NetTCPConnection, Get-NetUDPEndpoint ----------------------------------------- */

struct address {
	struct kbf_wtext_span addr;
	const char *family;
};

static bool address_of(const struct kbf_ps_prop *p, struct address *a)
{
	if (!p)
		return false;
	a->addr = kbf_wtext_unzone(p->value);
	a->family = kbf_wtext_ipv4(p->value) ? "ipv4" : kbf_wtext_ipv6(p->value) ? "ipv6" : NULL;
	return a->family != NULL;
}

struct endpoint_row {
	struct address local, remote;
	uint64_t lport, rport, pid;
	bool has_remote, has_pid;
	const char *state;
};

static bool read_endpoint(struct kbf_ps_map *m, bool udp, struct endpoint_row *e)
{
	const char *cmd = udp ? "Get-NetUDPEndpoint" : "Get-NetTCPConnection";
	const struct kbf_ps_prop *la = kbf_ps_get(m->r, "LocalAddress");
	if (la && la->truncated) {
		kbf_ps_skip(m, cmd, "local address cut short to the console width, row left out", la);
		return false;
	}
	la = kbf_ps_want(m, "LocalAddress", false);
	if (!address_of(la, &e->local)) {
		kbf_ps_skip(m, cmd, la ? "not an IP address" : "no local address", la);
		return false;
	}
	if (!kbf_ps_uint(m, "LocalPort", 65535, &e->lport)) {
		kbf_ps_skip(m, cmd, "no port from 0 to 65535", kbf_ps_get(m->r, "LocalPort"));
		return false;
	}
	e->has_pid = kbf_ps_uint(m, "OwningProcess", UINT32_MAX, &e->pid);
	if (udp)
		return true;
	e->has_remote = address_of(kbf_ps_want(m, "RemoteAddress", false), &e->remote) &&
			kbf_ps_uint(m, "RemotePort", 65535, &e->rport);
	const struct kbf_ps_prop *st = kbf_ps_want(m, "State", false);
	e->state = tcp_word(st);
	if (st && !e->state) {
		kbf_ps_skip(m, cmd, "not a TCP state", st);
		return false;
	}
	if (!st) /* no State column: netstat's rule, a listener has foreign port 0 */
		e->state = e->has_remote && e->rport == 0 ? "LISTENING" : NULL;
	return true;
}

void kbf_ps_map_tcp(struct kbf_ps_map *m, bool udp)
{
	struct endpoint_row e = {0};
	struct kbf_fact f;
	if (!read_endpoint(m, udp, &e))
		return;
	bool listener = udp || (e.state && strcmp(e.state, "LISTENING") == 0);
	kbf_fact_begin(&f, m->in, listener ? "listener" : "connection");
	kbf_set_cstr(&f, "protocol", udp ? "udp" : "tcp");
	kbf_set_cstr(&f, "family", e.local.family);
	kbf_set_str(&f, listener ? "address" : "local_address", e.local.addr.s, e.local.addr.len);
	kbf_set_int(&f, listener ? "port" : "local_port", (int64_t)e.lport);
	if (e.has_pid)
		kbf_set_int(&f, "pid", (int64_t)e.pid);
	if (e.state)
		kbf_set_cstr(&f, "state", e.state);
	if (listener) {
		kbf_set_bool(&f, "owner_known", e.has_pid);
	} else if (e.has_remote) {
		kbf_set_str(&f, "remote_address", e.remote.addr.s, e.remote.addr.len);
		kbf_set_int(&f, "remote_port", (int64_t)e.rport);
	}
	emit(m, &f);
}

/* ---- Get-Process, Win32_Process --------------------------------------------------------- */

/* Processes tasklist names without ".exe": the kernel's own, which have
 * no image file (and PID 0, which tasklist calls "System Idle Process"
 * where Get-Process says "Idle"). */
static const char *const imageless[] = {"System", "Registry", "Secure System", "Memory Compression", "vmmem"};

/* The image name as tasklist prints it, which rules join on: the file
 * name of Path when shown, else ProcessName with ".exe" (Get-Process drops
 * the extension; every Windows program image has it). */
static void process_name(struct kbf_fact *f, const struct kbf_ps_prop *path, const struct kbf_ps_prop *name,
			 uint64_t pid)
{
	char buf[300];
	if (path) {
		const char *slash = path->value.s + path->value.len;
		while (slash > path->value.s && slash[-1] != '\\' && slash[-1] != '/')
			slash--;
		if (slash < path->value.s + path->value.len) {
			kbf_set_str(f, "name", slash, (size_t)(path->value.s + path->value.len - slash));
			return;
		}
	}
	if (pid == 0 && (!name || kbf_wtext_ieq(name->value, "Idle"))) {
		kbf_set_cstr(f, "name", "System Idle Process");
		return;
	}
	if (!name)
		return;
	bool bare = name->value.len > 4 && kbf_wtext_ieq((struct kbf_wtext_span){name->value.s + name->value.len - 4, 4}, ".exe");
	for (size_t i = 0; i < sizeof(imageless) / sizeof(imageless[0]); i++)
		bare |= kbf_wtext_ieq(name->value, imageless[i]);
	if (bare || name->value.len + 5 > sizeof(buf)) {
		set_prop(f, "name", name);
		return;
	}
	memcpy(buf, name->value.s, name->value.len);
	memcpy(buf + name->value.len, ".exe", 4);
	kbf_set_str_copy(f, "name", buf, name->value.len + 4);
}

/* The working set in KB, as tasklist's Mem Usage: bytes in objects
 * (WorkingSet64, WorkingSetSize), KB in 5.1's table ("WS(K)"), MB with
 * decimals in 7's ("WS(M)"). */
static void memory(struct kbf_ps_map *m, struct kbf_fact *f)
{
	static const char *const bytes[] = {"WorkingSet64", "WorkingSetSize", "WorkingSet", "WS"};
	uint64_t v;
	for (size_t i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++)
		if (kbf_ps_uint(m, bytes[i], INT64_MAX, &v)) {
			kbf_set_int(f, "memory_kb", (int64_t)(v / 1024));
			return;
		}
	if (kbf_ps_uint(m, "WS(K)", INT64_MAX / 1024, &v)) {
		kbf_set_int(f, "memory_kb", (int64_t)v);
		return;
	}
	const struct kbf_ps_prop *mb = kbf_ps_want(m, "WS(M)", false);
	if (!mb)
		return;
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0;
	for (; i < mb->value.len && isdigit((unsigned char)mb->value.s[i]) && whole < (1ULL << 40); i++)
		whole = whole * 10 + (uint64_t)(mb->value.s[i] - '0');
	if (i < mb->value.len && (mb->value.s[i] == '.' || mb->value.s[i] == ','))
		for (i++; i < mb->value.len && isdigit((unsigned char)mb->value.s[i]) && scale < 1000000; i++, scale *= 10)
			frac = frac * 10 + (uint64_t)(mb->value.s[i] - '0');
	if (i == mb->value.len && i > 0)
		kbf_set_int(f, "memory_kb", (int64_t)(whole * 1024 + frac * 1024 / scale));
}

void kbf_ps_map_process(struct kbf_ps_map *m, bool win32)
{
	const char *cmd = win32 ? "Win32_Process" : "Get-Process";
	uint64_t pid, v;
	struct kbf_fact f;
	if (!kbf_ps_uint(m, win32 ? "ProcessId" : "Id", UINT32_MAX, &pid)) {
		kbf_ps_skip(m, cmd, "no process ID", kbf_ps_get(m->r, win32 ? "ProcessId" : "Id"));
		return;
	}
	kbf_fact_begin(&f, m->in, "process");
	kbf_set_int(&f, "pid", (int64_t)pid);
	const struct kbf_ps_prop *path = kbf_ps_want(m, win32 ? "ExecutablePath" : "Path", false);
	const struct kbf_ps_prop *name = kbf_ps_want(m, win32 ? "Name" : "ProcessName", false);
	if (!win32 && !name)
		name = kbf_ps_want(m, "Name", false);
	process_name(&f, path, name, pid);
	set_prop(&f, "path", path);
	if (win32 && kbf_ps_uint(m, "ParentProcessId", UINT32_MAX, &v))
		kbf_set_int(&f, "ppid", (int64_t)v);
	set_prop(&f, "command_line", kbf_ps_want(m, "CommandLine", false));
	set_prop(&f, "user", kbf_ps_want(m, "UserName", false));
	const struct kbf_ps_prop *si = kbf_ps_want(m, win32 ? "SessionId" : "SI", false);
	set_prop(&f, "session", si ? si : kbf_ps_want(m, "SessionId", false));
	memory(m, &f);
	emit(m, &f);
}

/* ---- Get-Service, Win32_Service ---------------------------------------------------------- */

void kbf_ps_map_service(struct kbf_ps_map *m, bool win32)
{
	const char *cmd = win32 ? "Win32_Service" : "Get-Service";
	const struct kbf_ps_prop *name = kbf_ps_want(m, "Name", false);
	struct kbf_fact f;
	uint64_t v;
	if (!name && !win32)
		name = kbf_ps_want(m, "ServiceName", false);
	if (!name) {
		kbf_ps_skip(m, cmd, "no service name", NULL);
		return;
	}
	kbf_fact_begin(&f, m->in, "service");
	set_prop(&f, "name", name);
	set_prop(&f, "display_name", kbf_ps_want(m, "DisplayName", false));
	const struct kbf_ps_prop *st = kbf_ps_want(m, win32 ? "State" : "Status", false);
	char word[KBF_SERVICE_WORD_MAX];
	size_t len;
	if ((len = service_word(KBF_SERVICE_STATE, st, false, word)))
		kbf_set_str_copy(&f, "state", word, len);
	else if (st)
		kbf_ps_skip(m, cmd, "state not known, left out", st);
	const struct kbf_ps_prop *start = kbf_ps_want(m, win32 ? "StartMode" : "StartType", false);
	const struct kbf_ps_prop *delayed = kbf_ps_want(m, "DelayedAutoStart", false);
	if ((len = service_word(KBF_SERVICE_START_TYPE, start,
				delayed && kbf_wtext_ieq(delayed->value, "True"), word)))
		kbf_set_str_copy(&f, "start_type", word, len); /* "auto_start (delayed)" as sc qc prints it */
	if ((len = service_word(KBF_SERVICE_TYPE, kbf_ps_want(m, "ServiceType", false), false, word)))
		kbf_set_str_copy(&f, "type", word, len);
	if (win32 && kbf_ps_uint(m, "ProcessId", UINT32_MAX, &v) && v > 0)
		kbf_set_int(&f, "pid", (int64_t)v); /* 0: not running, as sc leaves it */
	if (win32 && kbf_ps_uint(m, "ExitCode", UINT32_MAX, &v))
		kbf_set_int(&f, "exit_code", (int64_t)v);
	set_prop(&f, "image", kbf_ps_want(m, "PathName", false));
	emit(m, &f);
}
