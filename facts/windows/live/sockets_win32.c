/*
 * sockets_win32.c — the collector "windows.sockets": the four owner-PID
 * tables (GetExtendedTcpTable with TCP_TABLE_OWNER_PID_ALL, and
 * GetExtendedUdpTable with UDP_TABLE_OWNER_PID, for AF_INET and AF_INET6),
 * each handed as its bytes to sockets.c, owners joined to a Toolhelp32
 * process list.  GetExtended*Table came with XP SP2; where iphlpapi lacks
 * them (NT 4.0 SP4, 2000) the IPv4 tables without owners (GetTcpTable,
 * GetUdpTable) are read instead, as netstat -an shows them; without those
 * too the collector says so (in->unavailable).  A family the host does
 * not run (IPv6 on 2003 without it installed) is no error.
 */
#include <stdlib.h>

#include "live_win32.h"
#include "xalloc.h"

#include <iphlpapi.h>

_Static_assert(sizeof(MIB_TCPROW_OWNER_PID) == 24, "sockets.c reads 24-byte rows");
_Static_assert(sizeof(MIB_TCP6ROW_OWNER_PID) == 56, "sockets.c reads 56-byte rows");
_Static_assert(sizeof(MIB_UDPROW_OWNER_PID) == 12, "sockets.c reads 12-byte rows");
_Static_assert(sizeof(MIB_UDP6ROW_OWNER_PID) == 28, "sockets.c reads 28-byte rows");
_Static_assert(sizeof(MIB_TCPROW) == 20, "sockets.c reads 20-byte rows");
_Static_assert(sizeof(MIB_UDPROW) == 8, "sockets.c reads 8-byte rows");

typedef DWORD(WINAPI *table_fn)(PVOID, PDWORD, BOOL, ULONG, int, ULONG);
typedef DWORD(WINAPI *old_table_fn)(PVOID, PDWORD, BOOL); /* GetTcpTable, GetUdpTable */

/* A table's call: an owner-PID table's (get, family, klass), or old's. */
struct call {
	table_fn get;
	ULONG family;
	int klass;
	old_table_fn old;
};

/* One table's bytes, grown until it fits (sockets come and go between
 * the calls); NULL with *err set when the call fails. */
static unsigned char *read_table(const struct call *c, DWORD *len, DWORD *err)
{
	unsigned char *buf = NULL;
	*len = 0;
	for (int tries = 0; tries < 8; tries++) {
		DWORD size = *len;
		*err = c->old ? c->old(buf, &size, FALSE) : c->get(buf, &size, FALSE, c->family, c->klass, 0);
		if (*err == NO_ERROR) {
			*len = size;
			return buf;
		}
		if (*err != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(buf);
		*len = size + 4096; /* room for sockets opened meanwhile */
		buf = kbu_malloc(*len);
	}
	free(buf);
	return NULL;
}

/* Reads and emits one table; a call that fails is noted. */
static void one_table(struct kbf_input *in, enum kbf_live_table which, const struct call *c, const char *what,
		      struct kbf_live_procs *procs, struct kbf_live_owners *owners, int *rc)
{
	DWORD len, err;
	unsigned char *buf = read_table(c, &len, &err);
	if (buf && kbf_live_sockets_parse(in, which, buf, len, procs, owners) < 0)
		*rc = -1;
	else if (!buf && !(c->family == AF_INET6 && err == ERROR_NOT_SUPPORTED))
		kbf_live_win_note(in, what, err);
	free(buf);
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	table_fn tcp = (table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetExtendedTcpTable");
	table_fn udp = (table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetExtendedUdpTable");
	old_table_fn old_tcp = (old_table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetTcpTable");
	old_table_fn old_udp = (old_table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetUdpTable");
	if ((!tcp || !udp) && (!old_tcp || !old_udp)) {
		in->unavailable = "this Windows has no socket tables in iphlpapi (GetTcpTable came with NT 4.0 SP4): "
				  "collect `netstat -an` output instead";
		return 0;
	}
	const struct {
		enum kbf_live_table which;
		struct call call;
		const char *what;
	} tables[] = {
		{KBF_LIVE_TCP4, {tcp, AF_INET, TCP_TABLE_OWNER_PID_ALL, NULL}, "GetExtendedTcpTable (IPv4)"},
		{KBF_LIVE_TCP6, {tcp, AF_INET6, TCP_TABLE_OWNER_PID_ALL, NULL}, "GetExtendedTcpTable (IPv6)"},
		{KBF_LIVE_UDP4, {udp, AF_INET, UDP_TABLE_OWNER_PID, NULL}, "GetExtendedUdpTable (IPv4)"},
		{KBF_LIVE_UDP6, {udp, AF_INET6, UDP_TABLE_OWNER_PID, NULL}, "GetExtendedUdpTable (IPv6)"},
		{KBF_LIVE_TCP4_NO_OWNER, {NULL, AF_INET, 0, old_tcp}, "GetTcpTable"},
		{KBF_LIVE_UDP4_NO_OWNER, {NULL, AF_INET, 0, old_udp}, "GetUdpTable"},
	};
	bool owned = tcp && udp;
	struct kbf_live_procs procs = {0};
	struct kbf_live_owners owners = {0};
	int rc = 0;
	kbf_live_procs_read(&procs);
	for (size_t i = owned ? 0 : 4; i < (owned ? 4u : 6u); i++)
		one_table(in, tables[i].which, &tables[i].call, tables[i].what, &procs, &owners, &rc);
	kbf_live_owners_note(in, &owners);
	kbf_live_procs_free(&procs);
	return rc;
}

const struct kbf_collector kbf_win_sockets_collector = {"windows.sockets", gather, NULL, NULL, NULL};
