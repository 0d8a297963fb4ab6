/*
 * linux.h — what the live Linux collectors share: paths under a test root,
 * small file reads, user names, ISO times, facts with their own source
 * file, and the socket table that the socket readers fill, the owner scan
 * completes and the sockets collector turns into facts.
 *
 * Internal to facts/: nothing outside this directory includes it.
 */
#ifndef KBDIAG_FACTS_LINUX_LINUX_H
#define KBDIAG_FACTS_LINUX_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "facts.h"

/* ---- host paths (util.c) ---------------------------------------------- */

/* root + path as a new string (root "" or NULL is the real host).  Every
 * path a collector opens goes through this, so tests can stand a fake
 * /proc or /etc in a directory. */
char *kbf_linux_path(const struct kbf_options *opt, const char *path);
/* Opens root + path as a directory fd (O_DIRECTORY); -1 with errno. */
int kbf_linux_open_dir(const struct kbf_options *opt, const char *path);
/* True when a /proc entry name is a process id: digits without a leading
 * 0, short enough to fit a pid_t. */
bool kbf_linux_is_pid(const char *name);
/* Reads at most cap - 1 bytes of a small file relative to dirfd and
 * NUL-terminates them.  Returns the length, -1 with errno. */
ssize_t kbf_linux_read_small(int dirfd, const char *rel, char *buf, size_t cap);
/* Reads a whole file (at most max bytes from its end when tail is set,
 * starting after the first line end in that window).  Returns a malloc'd
 * buffer with a NUL after *len bytes, NULL with errno.  *skipped is the
 * number of bytes left out at the start. */
char *kbf_linux_read_file(const char *path, size_t max, bool tail, size_t *len, off_t *skipped);
/* Maps the first max bytes of a regular file read-only, for big files
 * parsed once: mapping the page cache costs a few faults where reading
 * copied it into as many fresh heap pages (dpkg's status file: half the
 * time).  Only for files replaced by rename, never rewritten in place, as
 * a mapped file cut short under the reader would kill it.  Returns the
 * bytes (not NUL-terminated; "" for an empty file) and their count in
 * *len, NULL with errno; release with kbf_linux_unmap_file(p, *len). */
const char *kbf_linux_map_file(const char *path, size_t max, size_t *len);
void kbf_linux_unmap_file(const char *p, size_t len);
/* True when the process runs with an unset or "0" value of env var name. */
bool kbf_linux_env_off(const char *name);

/* An input standing for one host file inside a collector: facts emitted
 * through it name that file as their source, errors its lines.  _done()
 * hands its fact count and first error back to the collector's input. */
struct kbf_input kbf_linux_subinput(struct kbf_input *in, const char *path);
int kbf_linux_subinput_done(struct kbf_input *in, struct kbf_input *sub);

/* ---- values ------------------------------------------------------------------ */

/* Host strings (command lines, journal fields, process names) may hold
 * any bytes; facts and snapshots are UTF-8.  kbf_linux_set_str sets a slot
 * through kbu_utf8_fix() (util/utf8.h): each byte that is not UTF-8, and
 * each NUL, becomes U+FFFD. */
void kbf_linux_set_str(struct kbf_fact *f, const char *slot, const char *s, size_t len);
/* The same for a buffer that goes before the emit (kbf_set_str_copy). */
void kbf_linux_set_str_copy(struct kbf_fact *f, const char *slot, const char *s, size_t len);
/* The line number (1-based) of 0-based line ln, as provenance keeps it:
 * 0, "no line", past what an int holds. */
static inline int kbf_linux_line_no(size_t ln)
{
	return ln + 1 > (size_t)0x7fffffff ? 0 : (int)(ln + 1);
}
/* kbf_fact_emit() with text made valid UTF-8 the same way. */
const struct kb_fact *kbf_linux_emit(struct kbf_fact *f, int line, const char *text, size_t len);

/* uid -> user name, remembered for the run (getpwuid_r; NULL when the
 * system has no name for it).  Names are interned in eng. */
struct kbf_linux_users {
	size_t n;
	struct { uint32_t uid; const char *name; } v[64];
};
const char *kbf_linux_user(struct kbf_linux_users *u, struct kb_engine *eng, uint32_t uid);

#ifndef KBDIAG_HAVE_SYSTEMD
/* The gather of the journal and services collectors when built without
 * libsystemd: unavailable, "built without libsystemd". */
int kbf_linux_gather_without_systemd(struct kbf_input *in, const struct kbf_options *opt);
#endif

/* ---- sockets (sockets.c, sockdiag.c, procnet.c,
 *      owners.c) ------------------------------------------------------- */

struct kbf_sock {
	uint8_t proto;      /* IPPROTO_TCP, IPPROTO_UDP */
	uint8_t family;     /* AF_INET, AF_INET6 */
	uint8_t state;      /* the kernel's TCP state number (UDP uses 1 and 7) */
	bool has_uid;       /* time-wait and request sockets have no owner */
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
	uint32_t uid;
	uint64_t inode;     /* 0: none */
	pid_t pid;          /* 0: owner not known */
	const char *comm;   /* when pid is known: one of the table's names */
	int line;           /* in the /proc/net file it came from; 0 from netlink */
	const char *text;   /* that line, borrowed; NULL from netlink */
	size_t textlen;
	const char *source; /* that file when it is not the input itself */
};

struct kbf_socktab {
	struct kbf_sock *v;
	size_t n, cap;
	char **names;       /* the owners' names (kbf_owners_resolve) */
	size_t nnames, names_cap;
};

/* A new zeroed entry at the end. */
struct kbf_sock *kbf_socktab_add(struct kbf_socktab *t);
void kbf_socktab_free(struct kbf_socktab *t);

/* State names as ss(8) takes them in its state filter: "established",
 * "time-wait", "listening", "unconnected", ...; "unknown" otherwise. */
const char *kbf_sock_state_name(unsigned state);
/* Emits s as a listener (TCP LISTEN, every UDP socket) or a connection
 * fact.  users NULL: no user names (evidence from another host). */
int kbf_sock_emit(struct kbf_input *in, const struct kbf_sock *s, struct kbf_linux_users *users);

/* Netlink sock_diag: dumps TCP and UDP over IPv4 and IPv6 into t, in the
 * order tcp, tcp6, udp, udp6; failed[i] is set for a dump the kernel
 * refused (udp_diag not loaded, IPv6 off), so the caller can read that one
 * from /proc/net.  -1 with errno when netlink cannot be used at all
 * (EPERM, EACCES, EPROTONOSUPPORT, ...). */
int kbf_sockdiag_dump_each(struct kbf_socktab *t, bool failed[4]);
/* Moves the IPv6 entries of t->v[from..n) after the IPv4 ones, keeping
 * each family's order. */
void kbf_sockdiag_split_families(struct kbf_socktab *t, size_t from);
/* Parses one buffer of netlink messages as a dump reply.  Returns 1 when
 * NLMSG_DONE was seen, 0 when more is to come, -1 with errno on an error
 * message or a malformed buffer. */
int kbf_sockdiag_parse(const void *buf, size_t len, uint8_t proto, struct kbf_socktab *t);

/* /proc/net/{tcp,tcp6,udp,udp6}: reads one file's text into t (lines kept
 * as borrowed text; the text must outlive t).  Returns -1 after recording
 * the first malformed line in in. */
int kbf_procnet_parse(struct kbf_input *in, struct kbf_text *text, struct kbf_socktab *t);

/* Finds the process holding each socket in t with an inode, by reading the
 * fd links under root/proc; stops as soon as every one is found.  Sockets
 * whose owner is not visible keep pid 0.  *denied (if not NULL): the
 * processes whose fd links were refused (another user's, kbdiag not root)
 * before it stopped.  Returns the number resolved, -1 when /proc cannot
 * be read. */
ssize_t kbf_owners_resolve(const struct kbf_options *opt, size_t *denied, struct kbf_socktab *t);

/* ---- processes (procs.c) ------------------------------------------------ */

/* What the processes collector takes from /proc/PID/stat (proc(5)). */
struct kbf_proc_stat {
	const char *comm;         /* inside the parsed text, not NUL-terminated */
	size_t commlen;
	long ppid;
	unsigned long flags;      /* PF_*: PF_KTHREAD marks kernel threads */
	unsigned long long start; /* clock ticks after boot */
};
/* Parses the len bytes of a stat file at s, which must be followed by a
 * NUL.  False when fields are missing. */
bool kbf_proc_stat_parse(char *s, size_t len, struct kbf_proc_stat *f);
/* /proc/PID/cmdline's n bytes in place: trailing NULs dropped, the NULs
 * between arguments made spaces.  Returns the new length (0: empty). */
size_t kbf_proc_cmdline_join(char *s, size_t n);

/* ---- addresses (addrs.c) ----------------------------------------------- */

struct ifaddrs;
/* Emits each AF_INET/AF_INET6 entry of a getifaddrs(3) list. */
int kbf_addrs_emit(struct kbf_input *in, const struct ifaddrs *list);

/* ---- os-release (os.c) ------------------------------------------------- */

struct kbf_os_release {
	char pretty[256], name[128], version[128], version_id[64], id[64];
};
/* Reads os-release(5) text; lines that are not KEY=value are recorded as
 * errors in in.  Returns -1 after such an error, else 0. */
int kbf_os_release_parse(struct kbf_input *in, struct kbf_text *text, struct kbf_os_release *os);

/* ---- services (systemd.c) ---------------------------------------------- */

/* Lists systemd's services over an already connected bus (a test's fake
 * systemd, or the system bus). */
struct sd_bus;
int kbf_systemd_gather_bus(struct kbf_input *in, struct sd_bus *bus);

/* ---- journal entries (journal_entry.c) --------------------------------- */

/* The fields of a journal entry that its event needs, copied out of
 * libsystemd's buffers (good only until its next call) or the file they
 * were read from; v[k] is NUL-terminated after n[k] bytes, which may hold
 * NULs.  dated: the entry's __REALTIME_TIMESTAMP (an export or JSON
 * file's; libsystemd gives it apart) was read into realtime_usec. */
enum {
	KBF_JF_IDENT, KBF_JF_COMM, KBF_JF_UNIT, KBF_JF_HOST, KBF_JF_PID, KBF_JF_SYSLOG_PID,
	KBF_JF_PRIORITY, KBF_JF_MESSAGE, KBF_JF_ERRNO, KBF_JF_COUNT
};
struct kbf_journal_fields {
	char *v[KBF_JF_COUNT];
	size_t n[KBF_JF_COUNT], cap[KBF_JF_COUNT];
	bool has[KBF_JF_COUNT];
	bool dated;
	uint64_t realtime_usec;
};
/* What the journal importers hold of one entry (journal_export.c,
 * journal_json.c): an entry or a field over these is passed over, and
 * the input says so (docs/security.md). */
#define KBF_JOURNAL_FIELD_MAX (4u << 20)
#define KBF_JOURNAL_ENTRY_MAX (16u << 20)
/* Forgets the previous entry's fields (keeping the buffers). */
void kbf_journal_fields_clear(struct kbf_journal_fields *fs);
/* Which of the fields above name[0..len) is (KBF_JF_*), -1 for the others. */
int kbf_journal_field_index(const char *name, size_t len);
/* The field name[0..nlen) with the value v[0..vlen): the first of each
 * field the event needs is kept, the others are ignored.  False when it
 * is __REALTIME_TIMESTAMP and not a number of microseconds. */
bool kbf_journal_field_set(struct kbf_journal_fields *fs, const char *name, size_t nlen, const char *v,
			   size_t vlen);
/* One "FIELD=value" blob of len bytes (not NUL-terminated), as
 * kbf_journal_field_set; blobs without '=' are ignored. */
void kbf_journal_field_add(struct kbf_journal_fields *fs, const void *data, size_t len);
void kbf_journal_fields_free(struct kbf_journal_fields *fs);
/* Emits the entry as an event (slots: journal.c) whose text is made of
 * its time, source, pid and message, as the live collector shows it;
 * realtime_usec NULL when the entry has no time.  Returns -1 when the
 * fact was refused. */
int kbf_journal_entry_emit(struct kbf_input *in, const struct kbf_journal_fields *fs,
			   const uint64_t *realtime_usec, int64_t record);
/* The same event, of an entry read from a file: its time is fs's, and
 * its record is the entry's text s[0..len) there, starting at line, cited
 * (a binary field's bytes make it a repaired copy, kept). */
int kbf_journal_record_emit(struct kbf_input *in, const struct kbf_journal_fields *fs, int64_t record, int line,
			    const char *s, size_t len);
#ifdef KBDIAG_HAVE_SYSTEMD
/* The entry sd_journal j is at (journal.c), emitted as the collector
 * emits it.  fs: buffers reused from entry to entry. */
struct sd_journal;
int kbf_journal_emit_current(struct kbf_input *in, struct sd_journal *j, struct kbf_journal_fields *fs,
			     int64_t record);
#endif

/* ---- logs (logline.c) ---------------------------------------------------- */

/* The errno a message reports: "(98: Address already in use)",
 * "(98)Address already in use", "errno=98", or the C library's text for
 * errno 1..133 after ": " or "(" or at the start.  0 when none. */
int kbf_log_errno(const char *s, size_t len);

struct kbf_logline {
	const char *time;   /* ISO text in tbuf, or NULL */
	char tbuf[64];
	const char *host, *source, *level, *category, *msg;
	size_t hostlen, sourcelen, categorylen, msglen; /* level is static */
	int64_t pid, id;    /* 0 when not stated */
	int code;           /* errno, 0 when none */
	bool dated;         /* a format with a timestamp was recognised */
};

/* Parses one log line (formats in logline.c).  ref_year and
 * ref_month (1..12) date traditional syslog lines, which carry no year. */
void kbf_logline_parse(const char *s, size_t len, int ref_year, int ref_month, struct kbf_logline *l);
/* Emits every line of text as an event of log name (the file path, or
 * "syslog"); facts carry source_path:line.  Returns the number emitted. */
size_t kbf_log_emit_text(struct kbf_input *in, struct kbf_text *text, const char *log,
			 const char *source_path, size_t first_line, int ref_year, int ref_month);

#endif
