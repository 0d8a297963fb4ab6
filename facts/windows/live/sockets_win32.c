/*
 * sockets_win32.c — the collector "windows.sockets": the four owner-PID
 * tables (GetExtendedTcpTable with TCP_TABLE_OWNER_PID_ALL, and
 * GetExtendedUdpTable with UDP_TABLE_OWNER_PID, for AF_INET and AF_INET6),
 * each handed as its bytes to sockets.c, owners joined to a Toolhelp32
 * process list.  GetExtended*Table came with XP SP2; where iphlpapi lacks
 * them (NT 4.0, 2000) the collector says so (in->unavailable).  A family
 * the host does not run (IPv6 on 2003 without it installed) is no error.
 */
#include <stdlib.h>

#include "live_win32.h"
#include "xalloc.h"

#include <iphlpapi.h>

_Static_assert(sizeof(MIB_TCPROW_OWNER_PID) == 24, "sockets.c reads 24-byte rows");
_Static_assert(sizeof(MIB_TCP6ROW_OWNER_PID) == 56, "sockets.c reads 56-byte rows");
_Static_assert(sizeof(MIB_UDPROW_OWNER_PID) == 12, "sockets.c reads 12-byte rows");
_Static_assert(sizeof(MIB_UDP6ROW_OWNER_PID) == 28, "sockets.c reads 28-byte rows");

typedef DWORD(WINAPI *table_fn)(PVOID, PDWORD, BOOL, ULONG, int, ULONG);

/* One table's bytes, grown until it fits (sockets come and go between
 * the calls); NULL with *err set when the call fails. */
static unsigned char *read_table(table_fn get, ULONG family, int klass, DWORD *len, DWORD *err)
{
	unsigned char *buf = NULL;
	*len = 0;
	for (int tries = 0; tries < 8; tries++) {
		DWORD size = *len;
		*err = get(buf, &size, FALSE, family, klass, 0);
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

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	table_fn tcp = (table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetExtendedTcpTable");
	table_fn udp = (table_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetExtendedUdpTable");
	if (!tcp || !udp) {
		in->unavailable = "this Windows has no GetExtendedTcpTable (it came with XP SP2 and 2003 SP1): "
				  "collect `netstat -ano` output instead";
		return 0;
	}
	static const struct {
		enum kbf_live_table which;
		ULONG family;
		bool tcp;
		const char *what;
	} tables[] = {
		{KBF_LIVE_TCP4, AF_INET, true, "GetExtendedTcpTable (IPv4)"},
		{KBF_LIVE_TCP6, AF_INET6, true, "GetExtendedTcpTable (IPv6)"},
		{KBF_LIVE_UDP4, AF_INET, false, "GetExtendedUdpTable (IPv4)"},
		{KBF_LIVE_UDP6, AF_INET6, false, "GetExtendedUdpTable (IPv6)"},
	};
	struct kbf_live_procs procs = {0};
	struct kbf_live_owners owners = {0};
	int rc = 0;
	kbf_live_procs_read(&procs);
	for (size_t i = 0; i < 4; i++) {
		DWORD len, err;
		unsigned char *buf = read_table(tables[i].tcp ? tcp : udp, tables[i].family,
						tables[i].tcp ? TCP_TABLE_OWNER_PID_ALL : UDP_TABLE_OWNER_PID, &len, &err);
		if (buf && kbf_live_sockets_parse(in, tables[i].which, buf, len, &procs, &owners) < 0)
			rc = -1;
		else if (!buf && !(tables[i].family == AF_INET6 && err == ERROR_NOT_SUPPORTED))
			kbf_live_win_note(in, tables[i].what, err);
		free(buf);
	}
	kbf_live_owners_note(in, &owners);
	kbf_live_procs_free(&procs);
	return rc;
}

const struct kbf_collector kbf_win_sockets_collector = {"windows.sockets", gather, NULL, NULL, NULL};
