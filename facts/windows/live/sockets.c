/*
 * sockets.c — the owner-PID socket tables of iphlpapi (GetExtendedTcpTable
 * with TCP_TABLE_OWNER_PID_ALL, GetExtendedUdpTable with
 * UDP_TABLE_OWNER_PID, for AF_INET and AF_INET6) as `listener` and
 * `connection` facts with the slots and words `netstat -ano -b` evidence
 * gives (hoststate/netstat.c): a TCP socket in LISTEN and every UDP
 * endpoint is a listener, the rest connections; state is netstat's
 * English word ("LISTENING", "TIME_WAIT"); UDP has none.
 *
 * Owners: the table's PID joined to the process list (procs.c) gives pid
 * and process.  PID 0 is never an owner here: Windows gives it to
 * TIME_WAIT sockets (the "System Idle Process"), and Wine 8 to every
 * listener, so a PID 0 leaves pid and process unset and owner_known
 * false, as netstat -an without -o does.  Any other PID is kept, as the
 * netstat -ano importer keeps every PID it reads (owner_known true), and
 * process is set only when the PID is in the process list (one not in it
 * has exited since, or is hidden); the collector notes how many of each.
 *
 * Layouts (MSDN, iphlpapi "MIB_TCPTABLE_OWNER_PID" and siblings): a DWORD
 * dwNumEntries, then the rows; addresses are in network byte order, ports
 * in network byte order in the low 16 bits of a DWORD:
 *   MIB_TCPROW_OWNER_PID    State, LocalAddr, LocalPort, RemoteAddr, RemotePort, OwningPid (24 bytes)
 *   MIB_TCP6ROW_OWNER_PID   LocalAddr[16], LocalScopeId, LocalPort, RemoteAddr[16],
 *                           RemoteScopeId, RemotePort, State, OwningPid (56 bytes)
 *   MIB_UDPROW_OWNER_PID    LocalAddr, LocalPort, OwningPid (12 bytes)
 *   MIB_UDP6ROW_OWNER_PID   LocalAddr[16], LocalScopeId, LocalPort, OwningPid (28 bytes)
 * and, where iphlpapi has no owner-PID tables (NT 4.0 SP4, 2000, XP before
 * SP2), the IPv4 tables without owners, read as netstat -an is:
 *   MIB_TCPROW              State, LocalAddr, LocalPort, RemoteAddr, RemotePort (20 bytes)
 *   MIB_UDPROW              LocalAddr, LocalPort (8 bytes)
 * MIB_TCP_STATE: 1 CLOSED ... 12 DELETE_TCB (below).
 */
#include <stdio.h>
#include <string.h>

#include "live.h"

#define MIB_TCP_STATE_LISTEN 2

/* netstat's words for MIB_TCP_STATE 1..12. */
static const char *const tcp_states[] = {
	NULL, "CLOSED", "LISTENING", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "DELETE_TCB",
};

static const size_t row_size[] = {24, 56, 12, 28, 20, 8};

/* One row, read into neutral form. */
struct row {
	bool udp, v6, has_pid;
	unsigned char local[16], remote[16];
	unsigned lport, rport;
	uint32_t state, pid;
};

static unsigned port_of(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1]; /* network byte order, in the DWORD's first two bytes */
}

static void read_row(enum kbf_live_table which, const unsigned char *p, struct row *r)
{
	memset(r, 0, sizeof(*r));
	r->udp = which == KBF_LIVE_UDP4 || which == KBF_LIVE_UDP6 || which == KBF_LIVE_UDP4_NO_OWNER;
	r->v6 = which == KBF_LIVE_TCP6 || which == KBF_LIVE_UDP6;
	r->has_pid = which != KBF_LIVE_TCP4_NO_OWNER && which != KBF_LIVE_UDP4_NO_OWNER;
	switch (which) {
	case KBF_LIVE_TCP4:
	case KBF_LIVE_TCP4_NO_OWNER:
		r->state = kbf_live_le32(p);
		memcpy(r->local, p + 4, 4);
		r->lport = port_of(p + 8);
		memcpy(r->remote, p + 12, 4);
		r->rport = port_of(p + 16);
		if (r->has_pid)
			r->pid = kbf_live_le32(p + 20);
		break;
	case KBF_LIVE_TCP6:
		memcpy(r->local, p, 16);
		r->lport = port_of(p + 20);
		memcpy(r->remote, p + 24, 16);
		r->rport = port_of(p + 44);
		r->state = kbf_live_le32(p + 48);
		r->pid = kbf_live_le32(p + 52);
		break;
	case KBF_LIVE_UDP4:
	case KBF_LIVE_UDP4_NO_OWNER:
		memcpy(r->local, p, 4);
		r->lport = port_of(p + 4);
		if (r->has_pid)
			r->pid = kbf_live_le32(p + 8);
		break;
	case KBF_LIVE_UDP6:
		memcpy(r->local, p, 16);
		r->lport = port_of(p + 20);
		r->pid = kbf_live_le32(p + 24);
		break;
	}
}

/* "  TCP    [::]:445               [::]:0                 LISTENING       4", as netstat -ano
 * (without the PID, as netstat -an, from a table without owners). */
static size_t describe(const struct row *r, const char *state, const char *local, const char *remote,
		       char *buf, size_t cap)
{
	char l[KBF_LIVE_ADDR_MAX + 10], f[KBF_LIVE_ADDR_MAX + 10];
	const char *open = r->v6 ? "[" : "", *close = r->v6 ? "]" : "";
	snprintf(l, sizeof(l), "%s%s%s:%u", open, local, close, r->lport);
	if (r->udp)
		snprintf(f, sizeof(f), "*:*");
	else
		snprintf(f, sizeof(f), "%s%s%s:%u", open, remote, close, r->rport);
	int n = r->has_pid ? snprintf(buf, cap, "  %-6s %-22s %-22s %-15s %lu", r->udp ? "UDP" : "TCP", l, f,
				      state ? state : "", (unsigned long)r->pid)
			   : snprintf(buf, cap, "  %-6s %-22s %-22s %s", r->udp ? "UDP" : "TCP", l, f, state ? state : "");
	return kbf_live_printed(n, cap);
}

/* The owner's process, NULL when the table has none, its PID is 0 or
 * not in the process list (counted in owners). */
static const struct kbf_live_proc *owner_of(const struct row *r, struct kbf_live_procs *procs,
					    struct kbf_live_owners *owners)
{
	if (!r->has_pid) {
		owners->untold++;
		return NULL;
	}
	const struct kbf_live_proc *p = r->pid ? kbf_live_proc_find(procs, r->pid) : NULL;
	if (!p)
		++*(r->pid ? &owners->missing : &owners->zero);
	return p;
}

static int emit_row(struct kbf_input *in, const struct row *r, struct kbf_live_procs *procs,
		    struct kbf_live_owners *owners)
{
	char local[KBF_LIVE_ADDR_MAX], remote[KBF_LIVE_ADDR_MAX], text[200];
	kbf_live_addr_text(r->v6, r->local, local);
	kbf_live_addr_text(r->v6, r->remote, remote);
	const char *state = r->udp ? NULL : r->state < 13 ? tcp_states[r->state] : NULL;
	bool listener = r->udp || r->state == MIB_TCP_STATE_LISTEN;
	const struct kbf_live_proc *p = owner_of(r, procs, owners);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, listener ? "listener" : "connection");
	kbf_set_cstr(&f, "protocol", r->udp ? "udp" : "tcp");
	kbf_set_cstr(&f, "family", r->v6 ? "ipv6" : "ipv4");
	kbf_set_cstr(&f, listener ? "address" : "local_address", local);
	kbf_set_int(&f, listener ? "port" : "local_port", r->lport);
	if (!listener) {
		kbf_set_cstr(&f, "remote_address", remote);
		kbf_set_int(&f, "remote_port", r->rport);
	}
	if (state)
		kbf_set_cstr(&f, "state", state);
	bool known = r->has_pid && r->pid != 0;
	if (known)
		kbf_set_int(&f, "pid", r->pid);
	if (p)
		kbf_set_cstr(&f, "process", p->name);
	if (listener)
		kbf_set_bool(&f, "owner_known", known);
	size_t n = describe(r, state, local, remote, text, sizeof(text));
	return kbf_fact_emit(&f, 0, text, n) ? 0 : -1;
}

static const char *const table_names[] = {
	"MIB_TCPTABLE_OWNER_PID", "MIB_TCP6TABLE_OWNER_PID", "MIB_UDPTABLE_OWNER_PID", "MIB_UDP6TABLE_OWNER_PID",
	"MIB_TCPTABLE", "MIB_UDPTABLE",
};

int kbf_live_sockets_parse(struct kbf_input *in, enum kbf_live_table which, const unsigned char *buf,
			   size_t len, struct kbf_live_procs *procs, struct kbf_live_owners *owners)
{
	if (len < 4) {
		kbf_input_skip(in, 0, "%s: %zu bytes, too short for its count: no rows read", table_names[which], len);
		return 0;
	}
	uint32_t count = kbf_live_le32(buf);
	size_t fit = (len - 4) / row_size[which];
	if (count > fit)
		kbf_input_skip(in, 0, "%s: says %lu rows, its %zu bytes hold %zu: the rest left out",
			       table_names[which], (unsigned long)count, len, fit);
	int rc = 0;
	for (size_t i = 0; i < count && i < fit; i++) {
		struct row r;
		read_row(which, buf + 4 + i * row_size[which], &r);
		if (emit_row(in, &r, procs, owners) < 0)
			rc = -1;
	}
	return rc;
}

/* The note for n sockets whose owner is not known, and why. */
static void owners_unknown(struct kbf_input *in, size_t n, const char *why)
{
	kbf_input_skip(in, 0,
		       "owners not known: %zu sockets %s: they have no pid or process (listeners: owner_known "
		       "false), and findings that name the program holding a port cannot be made for them",
		       n, why);
}

void kbf_live_owners_note(struct kbf_input *in, const struct kbf_live_owners *owners)
{
	if (owners->untold)
		owners_unknown(in, owners->untold,
			       "come from tables without owners (this Windows lists sockets without their owners, as "
			       "netstat -an does: GetExtendedTcpTable came with XP SP2 and 2003 SP1)");
	if (owners->zero)
		owners_unknown(in, owners->zero,
			       "have owner PID 0 (Windows gives it to sockets in TIME_WAIT, Wine to every listener)");
	if (owners->missing)
		kbf_input_skip(in, 0,
			       "processes not known: %zu sockets have an owner PID not in the process list "
			       "(exited since, or hidden): they keep their pid but have no process", owners->missing);
}
