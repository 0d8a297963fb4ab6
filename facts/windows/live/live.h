/*
 * live.h — what the live Windows collectors share (internal to
 * facts/windows/live).  Each source is split in two: a platform-neutral
 * half, compiled on every platform and unit-tested on Linux with recorded
 * API results, that turns what a Windows API returned (its documented raw
 * buffer layout, or the fields of its structure copied into a neutral one)
 * into facts with the slots and values the evidence importers give; and a
 * *_win32.c half, compiled only for Windows, that calls the API and hands
 * the result over.  API buffers are read like evidence: little-endian,
 * bounds-checked, a count that does not fit its buffer is noted, never
 * trusted.
 */
#ifndef KBDIAG_FACTS_WINDOWS_LIVE_LIVE_H
#define KBDIAG_FACTS_WINDOWS_LIVE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts.h"
#include "core/wtext.h"

/* ---- bytes and text (util.c) ------------------------------------------------ */

static inline uint16_t kbf_live_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t kbf_live_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
/* Appends the UTF-16LE text in p[0..n) up to its first NUL (or n) to b as
 * UTF-8; returns the bytes read, its NUL included (n when none). */
size_t kbf_live_utf16(struct kbf_wtext_buf *b, const unsigned char *p, size_t n);
/* An address as netstat prints it (without brackets or zone): dotted
 * IPv4 from 4 bytes, IPv6 from 16 in RFC 5952 form ("::", "fe80::1",
 * "::ffff:10.0.0.5"), as inet_ntop writes it. */
#define KBF_LIVE_ADDR_MAX 48
void kbf_live_addr_text(bool v6, const unsigned char *a, char out[KBF_LIVE_ADDR_MAX]);
/* The bytes snprintf(buf, cap, ...) left in buf from its result n: 0 on
 * an error, cap - 1 when the text was cut. */
size_t kbf_live_printed(int n, size_t cap);
/* Names (update ids, paths), each kept once, compared ignoring ASCII case
 * as Windows compares them. */
struct kbf_live_seen {
	char **v;
	size_t n, cap;
};
/* Adds text[0..len) (copied) to s: true when it was there already. */
bool kbf_live_seen_add(struct kbf_live_seen *s, const char *text, size_t len);
void kbf_live_seen_free(struct kbf_live_seen *s);

/* ---- processes (procs.c; Toolhelp32 in procs_win32.c) ------------------------- */

struct kbf_live_proc {
	uint32_t pid, ppid;
	char *name; /* UTF-8, owned: "svchost.exe" */
	char *path; /* owned; NULL when OpenProcess was refused or the path unknown */
};
struct kbf_live_procs {
	struct kbf_live_proc *v;
	size_t n, cap;
	size_t refused; /* processes whose image path could not be asked (access denied) */
	bool sorted;    /* v sorted by pid, for kbf_live_proc_find */
};
/* Adds a process (name and path copied; path may be NULL). */
void kbf_live_procs_add(struct kbf_live_procs *p, uint32_t pid, uint32_t ppid, const char *name,
			const char *path);
/* The process with pid, NULL when none (sorts p on first use). */
const struct kbf_live_proc *kbf_live_proc_find(struct kbf_live_procs *p, uint32_t pid);
void kbf_live_procs_free(struct kbf_live_procs *p);
/* One `process` fact each (pid, ppid, name, path); a note for refused paths. */
int kbf_live_procs_emit(struct kbf_input *in, const struct kbf_live_procs *p);

/* ---- sockets (sockets.c; GetExtended*Table in sockets_win32.c) --------------- */

/* The four owner-PID tables of iphlpapi.h, and the two without owners
 * that NT 4.0 SP4 and 2000 have (GetTcpTable, GetUdpTable). */
enum kbf_live_table {
	KBF_LIVE_TCP4, /* MIB_TCPTABLE_OWNER_PID (TCP_TABLE_OWNER_PID_ALL, AF_INET) */
	KBF_LIVE_TCP6, /* MIB_TCP6TABLE_OWNER_PID */
	KBF_LIVE_UDP4, /* MIB_UDPTABLE_OWNER_PID (UDP_TABLE_OWNER_PID, AF_INET) */
	KBF_LIVE_UDP6, /* MIB_UDP6TABLE_OWNER_PID */
	KBF_LIVE_TCP4_NO_OWNER, /* MIB_TCPTABLE */
	KBF_LIVE_UDP4_NO_OWNER, /* MIB_UDPTABLE */
};
/* What the owners of a run's sockets came to, for the note about owners
 * not known. */
struct kbf_live_owners {
	size_t zero;    /* owner PID 0 (Wine reports it for every listener) */
	size_t missing; /* an owner PID not in the process list (exited, or hidden) */
	size_t untold;  /* from a table without owners (Windows before XP SP2) */
};
/* Turns table buf[0..len) (as GetExtendedTcpTable/GetExtendedUdpTable
 * filled it) into listener and connection facts, owners joined to procs
 * (NULL: none known).  Rows past the buffer's end are left out with a note
 * (kbf_input_skip); -1 when a fact is refused. */
int kbf_live_sockets_parse(struct kbf_input *in, enum kbf_live_table which, const unsigned char *buf,
			   size_t len, struct kbf_live_procs *procs, struct kbf_live_owners *owners);
/* The note saying which sockets' owners are unknown, when some are. */
void kbf_live_owners_note(struct kbf_input *in, const struct kbf_live_owners *owners);

/* ---- services (services.c; the SCM in services_win32.c) ---------------------- */

/* ENUM_SERVICE_STATUS_PROCESSW's SERVICE_STATUS_PROCESS and
 * QUERY_SERVICE_CONFIGW's fields that facts keep; strings UTF-8. */
struct kbf_live_service {
	const char *name, *display, *image; /* image NULL: config not readable */
	uint32_t type, state, win32_exit, specific_exit, pid;
	bool has_config;                    /* start_type is known */
	uint32_t start_type;
	bool delayed;                       /* SERVICE_CONFIG_DELAYED_AUTO_START_INFO */
};
/* The `service` fact: the slots the sc queryex + sc qc importer sets. */
int kbf_live_service_emit(struct kbf_input *in, const struct kbf_live_service *s);

/* ---- host (host.c; RtlGetVersion and the registry in host_win32.c) ----------- */

struct kbf_live_host {
	const char *name, *domain;                   /* NULL: not known */
	uint32_t major, minor, build, platform;
	const char *csd;                             /* szCSDVersion: "Service Pack 6a", "" */
	uint16_t sp_major;                           /* wServicePackMajor (0 on NT4 before SP6) */
	bool has_ex;                                 /* wProductType is known */
	uint8_t product_type;                        /* VER_NT_WORKSTATION 1, DOMAIN_CONTROLLER 2, SERVER 3 */
	int role;                                    /* DSROLE_MACHINE_ROLE 0..5, -1: not known */
	const char *arch;                            /* "x86", "x64", NULL */
	const char *product;                         /* ProductName from the registry, NULL */
};
int kbf_live_host_emit(struct kbf_input *in, const struct kbf_live_host *h);
/* A hotfix fact for a registry key or package name that holds an update
 * id ("KB2843630", "Q147222", "Package_for_KB2843630~31bf...~6.1.1.0"):
 * 1 emitted, 0 the name holds none, -1 refused.  seen (may be NULL) keeps
 * ids already emitted, each once. */
int kbf_live_hotfix_name(struct kbf_input *in, const char *name, const char *description,
			 const char *host, const char *where, struct kbf_live_seen *seen);

/* ---- addresses (addrs.c; GetAdaptersAddresses in addrs_win32.c) --------------- */

struct kbf_live_addr {
	const char *adapter;   /* the adapter's friendly name, UTF-8 (ipconfig's interface) */
	bool v6;
	unsigned char addr[16];
	int prefix;            /* -1: not known (before Vista) */
	bool up;
};
int kbf_live_addr_emit(struct kbf_input *in, const struct kbf_live_addr *a);

/* ---- file versions (files.c; GetFileVersionInfoW in files_win32.c) ----------- */

/* VS_FIXEDFILEINFO (verrsrc.h) from the bytes VerQueryValue("\\") gave:
 * false when too short or its signature is not 0xFEEF04BD. */
bool kbf_live_fixed_version(const unsigned char *p, size_t n, unsigned file[4], unsigned product[4]);
/* Begins f, a `file` fact for path (UTF-8, Windows form; borrowed until
 * kept) with its name and size (-1: not known).  Returns whether the
 * pre-filter looks at the version slots, so that the version must be set
 * before kbf_fact_wanted() asks; otherwise it is read only for a fact the
 * pre-filter wants. */
bool kbf_live_file_begin(struct kbf_input *in, struct kbf_fact *f, const char *path, int64_t size);
/* Sets f's version slots as facts/windows/files/file_fact.c does for a PE
 * image: from fixed and product (NULL: no VS_FIXEDFILEINFO), the
 * FileVersion and ProductVersion strings (NULL: none; borrowed until
 * kept); raw holds the binary product version's text, and must stay
 * until f is kept too. */
#define KBF_LIVE_VERSION_MAX 48
void kbf_live_file_versions(struct kbf_fact *f, const unsigned *fixed, const unsigned *product, const char *text,
			    const char *product_text, char raw[KBF_LIVE_VERSION_MAX]);
/* Keeps f, asked with kbf_fact_wanted(); its text names path and version. */
const struct kb_fact *kbf_live_file_keep(struct kbf_fact *f, const char *path, const char *text);
/* The file a service's ImagePath names, as a new string: the program of
 * a command line ("C:\WINDOWS\system32\svchost.exe -k netsvcs", quoted
 * or not), with \SystemRoot\, %SystemRoot%, %windir% and a relative
 * path (a driver's "system32\drivers\x.sys") under windir, and the NT
 * prefix \??\ dropped.  NULL for an empty one. */
char *kbf_live_image_file(const char *image, const char *windir);
/* Files whose versions are read at most, per run. */
#define KBF_LIVE_FILES_MAX 5000

/* ---- events (events.c; EvtQuery / ReadEventLog in events_win32.c) ------------- */

struct kbf_winevt;
/* A record's message as Event Viewer renders it (events_win32.c: the
 * source's EventMessageFile through FormatMessage): true with the text
 * in out.  Without one (NULL, or false), the message is made from the
 * insertion strings as the .evt importer makes it. */
struct kbf_live_render {
	bool (*message)(void *ud, const char *log, const char *source, uint32_t id, const unsigned char *record,
			size_t len, uint32_t strings_at, unsigned nstrings, struct kbf_wtext_buf *out);
	void *ud;
};
/* The EVENTLOGRECORDs in buf[0..len) (as ReadEventLogW filled it) of log
 * ("System"), each an `event` fact as the .evt importer makes it (its
 * message rendered by render when it can: NULL, never); records
 * older than since (POSIX seconds; 0: any) are passed over (*older set
 * when one was).  Returns the records read, at most max (*more set when
 * a record that would have been read is left in buf for it); a record
 * that does not fit is left out with a note and ends the buffer.  *rc
 * becomes -1 when an event is refused. */
size_t kbf_live_evt_records(struct kbf_input *in, const char *log, const unsigned char *buf, size_t len,
			    uint32_t since, const struct kbf_live_render *render, struct kbf_winevt *ev, size_t max,
			    bool *older, bool *more, int *rc);
/* One event's XML as EvtRender(EvtRenderEventXml) gave it, in UTF-8, the
 * nth (from 1, newest first) of log: an `event` fact as the wevtutil XML
 * importer makes it.  -1 on error (recorded; noted when the XML is
 * malformed or holds no event). */
int kbf_live_evt_xml(struct kbf_input *in, const char *log, size_t nth, const char *xml, size_t len,
		     struct kbf_winevt *ev);

/* The limits of the events read: the last KBF_LIVE_EVENT_DAYS days, at
 * most KBF_LIVE_EVENT_MAX events per log, newest first. */
#define KBF_LIVE_EVENT_DAYS 7
#define KBF_LIVE_EVENT_MAX 5000

#endif
