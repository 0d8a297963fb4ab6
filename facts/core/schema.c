/*
 * schema.c — the stock fact kinds (DESIGN.md, "Fact kinds").  Every
 * collector, importer and snapshot reads and writes these; rule files may
 * declare more.  Conventions the rules rely on:
 *   - protocol and family are lower case: "tcp", "udp"; "ipv4", "ipv6";
 *   - addresses are text without brackets or port: "0.0.0.0", "::";
 *   - a pid, port or code that is not known is left unset (nil), never 0
 *     (PID 0 and 4 are real on Windows);
 *   - error codes are integers: 0x2740, 10048 and `40 27 00 00` all become
 *     10048; HRESULTs such as 0x800CCC92 are kept as unsigned 32-bit values;
 *   - versions have a numeric code comparable with < and > (see
 *     kbf_version_code) beside the text as found.
 */
#include "facts.h"

#define S KB_STRING
#define I KB_INT
#define F KB_FLOAT
#define B KB_BOOL

/* A stock slot with its one-line meaning, which `rules kinds` shows to
 * people writing rules. */
struct stock_slot {
	const char *name;
	enum kb_type type;
	const char *about;
};

static const struct stock_slot host[] = {
	{"name", S, "the computer's name as the evidence gives it"},
	{"os_family", S, "\"windows\" or \"linux\""},
	{"os_name", S, "the product name: \"Microsoft Windows 2000 Server\", \"Debian GNU/Linux 12 (bookworm)\""},
	{"os_version", S, "the version as written: \"4.0\", \"5.0.2195\", \"12\""},
	{"build", I, "the Windows build number: 1381, 2195, 3790"},
	{"service_pack", I, "the Windows service pack number; 0 when none is installed"},
	{"role", S, "what the host is for: \"workstation\", \"member server\", \"domain controller\""},
	{"domain", S, "the Windows domain or DNS domain it belongs to"},
	{"kernel", S, "the Linux kernel release"},
	{"arch", S, "the processor architecture: \"x86\", \"x64\", \"x86_64\""},
};
static const struct stock_slot listener[] = {
	{"protocol", S, "\"tcp\" or \"udp\""},
	{"family", S, "\"ipv4\" or \"ipv6\""},
	{"address", S, "the local address listened on, without brackets: \"0.0.0.0\", \"::\""},
	{"port", I, "the local port"},
	{"pid", I, "the process holding the socket, when the evidence names it"},
	{"process", S, "the holder's image or program name, when the evidence names it"},
	{"service", S, "the service the holder runs, when the evidence names it (netstat -b)"},
	{"user", S, "the user owning the socket (Linux)"},
	{"uid", I, "the numeric user owning the socket (Linux)"},
	{"inode", I, "the socket's inode (Linux /proc/net)"},
	{"state", S, "the socket state as written: \"LISTENING\", \"LISTEN\""},
	{"owner_known", B, "false when the evidence shows the port taken but could not say by whom"},
};
static const struct stock_slot connection[] = {
	{"protocol", S, "\"tcp\" or \"udp\""},
	{"family", S, "\"ipv4\" or \"ipv6\""},
	{"local_address", S, "this host's end: address"},
	{"local_port", I, "this host's end: port"},
	{"remote_address", S, "the other end: address"},
	{"remote_port", I, "the other end: port"},
	{"state", S, "the TCP state as written: \"ESTABLISHED\", \"TIME_WAIT\""},
	{"pid", I, "the process owning the connection, when known"},
	{"process", S, "its image or program name, when known"},
	{"user", S, "the user owning the socket (Linux)"},
	{"uid", I, "the numeric user owning the socket (Linux)"},
	{"inode", I, "the socket's inode (Linux /proc/net)"},
};
static const struct stock_slot process[] = {
	{"pid", I, "the process id (0 and 4 are real on Windows)"},
	{"ppid", I, "the parent's process id"},
	{"name", S, "the image or program name: \"store.exe\", \"sshd\""},
	{"path", S, "the full path of its executable"},
	{"user", S, "the user it runs as"},
	{"uid", I, "the numeric user it runs as (Linux)"},
	{"command_line", S, "its command line"},
	{"started", S, "when it started, ISO 8601"},
	{"session", S, "the Windows session number (tasklist Session#)"},
	{"memory_kb", I, "its memory use in KiB (working set)"},
};
static const struct stock_slot service[] = {
	{"name", S, "the service's key name: \"MSExchangeIS\", \"W3SVC\", \"ssh.service\""},
	{"display_name", S, "the name the Services console shows"},
	{"state", S, "lower case: \"running\", \"stopped\", \"start_pending\", \"active\""},
	{"start_type", S, "lower case: \"auto_start\", \"demand_start\", \"disabled\""},
	{"pid", I, "the process it runs in, when running"},
	{"image", S, "the executable the service runs (ImagePath)"},
	{"type", S, "\"win32_own_process\", \"win32_share_process\", \"kernel_driver\", \"systemd\""},
	{"exit_code", I, "the Win32 exit code sc reports (1077: never started)"},
	{"sub_state", S, "systemd's sub-state: \"running\", \"dead\", \"failed\""},
};
static const struct stock_slot file[] = {
	{"path", S, "where the file is on the customer's disk, as the evidence gives it"},
	{"name", S, "the file name: \"mfc42.dll\""},
	{"version", S, "the file version as dotted numbers: \"6.0.8665.0\""},
	{"version_text", S, "the file version string as the file or listing writes it"},
	{"version_code", I, "the version as a number comparable with < and > (16 bits a part)"},
	{"product_version", S, "the product version string"},
	{"size", I, "the file's length in bytes"},
};
static const struct stock_slot package[] = {
	{"name", S, "the package name (dpkg)"},
	{"version", S, "its version as written"},
	{"architecture", S, "\"amd64\", \"all\", ..."},
	{"status", S, "dpkg's status: \"install ok installed\""},
};
static const struct stock_slot address[] = {
	{"interface", S, "the network interface or adapter"},
	{"family", S, "\"ipv4\" or \"ipv6\""},
	{"address", S, "the address, without prefix"},
	{"prefix", I, "the prefix length (24 for 255.255.255.0)"},
	{"up", B, "whether the interface is up"},
};
static const struct stock_slot event[] = {
	{"log", S, "the event log or file: \"System\", \"Application\", \"syslog\""},
	{"source", S, "the event source: \"MSExchangeIS\", \"Service Control Manager\""},
	{"id", I, "the event ID: 11508, 7023"},
	{"level", S, "lower case: \"error\", \"warning\", \"information\""},
	{"time", S, "when it was logged, ISO 8601 as far as the evidence gives it"},
	{"message", S, "the message text, rendered or as exported"},
	{"computer", S, "the computer that logged it"},
	{"user", S, "the user the event names, if any"},
	{"category", S, "the event category as written"},
	{"code", I, "an error code the event carries (0x2740 and 10048 are both 10048)"},
	{"unit", S, "the systemd unit or program that logged it (Linux)"},
	{"pid", I, "the process that logged it (Linux)"},
	{"record", I, "the record number in its log"},
	{"message_from", S, "how the message was made: \"export\", \"template\", \"insertion strings\""},
};
/* An installed update as Windows lists it: id as written, upper case
 * ("KB2843630", "Q147222"); installed_on an ISO date when the text allows
 * no other reading, else as written (docs/evidence-formats.md). */
static const struct stock_slot hotfix[] = {
	{"id", S, "the update as written, upper case: \"KB2843630\", \"Q147222\""},
	{"installed_on", S, "an ISO date when the text reads one way only, else as written"},
	{"description", S, "what kind of update: \"Security Update\", \"Hotfix\""},
	{"installed_by", S, "the account that installed it"},
	{"host", S, "the computer the listing is of"},
};

/* A registry value a rule may need (facts/windows/registry/reg_facts.c
 * says which are kept): key as "HKLM\SYSTEM\CurrentControlSet\...",
 * type as "REG_DWORD", value as text, number when it is one. */
static const struct stock_slot registry_value[] = {
	{"key", S, "the key: \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\""},
	{"name", S, "the value's name"},
	{"type", S, "\"REG_DWORD\", \"REG_SZ\", ..."},
	{"value", S, "the value as text"},
	{"number", I, "the value as a number, when it is one"},
};

static const struct stock_slot client_error[] = {
	{"client", S, "the mail client that showed the error"},
	{"account", S, "the account named in the error"},
	{"server", S, "the server it tried to reach"},
	{"protocol", S, "\"POP3\", \"IMAP\", \"SMTP\" as written"},
	{"port", I, "the port it tried"},
	{"ssl", B, "whether it used SSL"},
	{"server_error", I, "the Server Error code (unsigned 32-bit: 0x800CCC90)"},
	{"error_number", I, "the Error Number code (unsigned 32-bit: 0x800CCC92)"},
	{"message", S, "the error text"},
};

#define KIND(name) {#name, sizeof(name) / sizeof(name[0]), name}

static const struct {
	const char *name;
	size_t nslots;
	const struct stock_slot *slots;
} stock[] = {
	KIND(host), KIND(listener), KIND(connection), KIND(process), KIND(service),
	KIND(file), KIND(package), KIND(address), KIND(event), KIND(client_error), KIND(hotfix),
	KIND(registry_value),
};

static int declare(struct kb_engine *eng, size_t k, struct kb_error *err)
{
	struct kb_slot_decl decl[KBF_MAX_SLOTS] = {0}; /* what a snapshot can hold, so a stock kind fits */
	for (size_t i = 0; i < stock[k].nslots; i++)
		decl[i] = (struct kb_slot_decl){stock[k].slots[i].name, stock[k].slots[i].type};
	int kind = kb_kind_declare(eng, stock[k].name, stock[k].nslots, decl, err);
	for (size_t i = 0; kind >= 0 && i < stock[k].nslots; i++)
		kb_slot_describe(eng, kind, i, stock[k].slots[i].about);
	return kind;
}

int kbf_schema_declare(struct kb_engine *eng, struct kb_error *err)
{
	for (size_t i = 0; i < sizeof(stock) / sizeof(stock[0]); i++)
		if (declare(eng, i, err) < 0)
			return -1;
	return 0;
}
