/*
 * addrs_win32.c — the collector "windows.addresses": each adapter's
 * unicast addresses from GetAdaptersAddresses (XP and later, loaded at
 * run time): the friendly name ipconfig titles the adapter with, the
 * address, OnLinkPrefixLength (Vista and later: the structure's length
 * says whether it is there), and whether the adapter is up.  Before XP,
 * GetAdaptersInfo's IPv4 addresses and masks, the interface named by the
 * adapter's description (2000 has no friendly name to ask for).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "live_win32.h"
#include "xalloc.h"

#include <ws2tcpip.h>
#include <iphlpapi.h>

typedef ULONG(WINAPI *addrs_fn)(ULONG, ULONG, PVOID, PIP_ADAPTER_ADDRESSES, PULONG);
typedef DWORD(WINAPI *info_fn)(PIP_ADAPTER_INFO, PULONG);

/* The unicast prefix length came with Vista's longer structure. */
#define UNICAST_XP_SIZE offsetof(IP_ADAPTER_UNICAST_ADDRESS, OnLinkPrefixLength)

static int adapter(struct kbf_input *in, const IP_ADAPTER_ADDRESSES *a)
{
	int rc = 0;
	char *name = kbu_win32_utf8(a->FriendlyName);
	for (const IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
		const struct sockaddr *sa = u->Address.lpSockaddr;
		struct kbf_live_addr addr = {.adapter = name, .prefix = -1, .up = a->OperStatus == IfOperStatusUp};
		if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
			continue;
		addr.v6 = sa->sa_family == AF_INET6;
		if (addr.v6)
			memcpy(addr.addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		else
			memcpy(addr.addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		if (u->Length > UNICAST_XP_SIZE)
			addr.prefix = u->OnLinkPrefixLength;
		if (kbf_live_addr_emit(in, &addr) < 0)
			rc = -1;
	}
	free(name);
	return rc;
}

static int with_addresses(struct kbf_input *in, addrs_fn get)
{
	ULONG len = 16384, err;
	IP_ADAPTER_ADDRESSES *buf = NULL;
	for (int tries = 0; tries < 4; tries++) {
		free(buf);
		buf = kbu_malloc(len);
		err = get(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, NULL,
			  buf, &len);
		if (err != ERROR_BUFFER_OVERFLOW)
			break;
	}
	int rc = 0;
	if (err != NO_ERROR)
		kbf_live_win_note(in, "GetAdaptersAddresses", err);
	for (const IP_ADAPTER_ADDRESSES *a = err == NO_ERROR ? buf : NULL; a; a = a->Next)
		if (adapter(in, a) < 0)
			rc = -1;
	free(buf);
	return rc;
}

/* "255.255.255.0" -> 24 (a mask that is not contiguous: -1).  inet_addr
 * gives the mask's four bytes in network order ("255.255.255.255" too,
 * though it is INADDR_NONE's value). */
static int mask_prefix(const char *mask)
{
	uint32_t m = (uint32_t)inet_addr(mask);
	unsigned char b[4];
	memcpy(b, &m, sizeof(b));
	return kbf_netmask_prefix(b, sizeof(b));
}

static int with_info(struct kbf_input *in, info_fn get)
{
	ULONG len = 0;
	get(NULL, &len);
	IP_ADAPTER_INFO *buf = kbu_malloc(len ? len : 1);
	DWORD err = get(buf, &len);
	int rc = 0;
	if (err != NO_ERROR)
		kbf_live_win_note(in, "GetAdaptersInfo", err);
	for (const IP_ADAPTER_INFO *a = err == NO_ERROR ? buf : NULL; a; a = a->Next) {
		char *name = kbf_live_ansi(a->Description);
		for (const IP_ADDR_STRING *s = &a->IpAddressList; s; s = s->Next) {
			unsigned long v4 = inet_addr(s->IpAddress.String);
			struct kbf_live_addr addr = {.adapter = name, .prefix = mask_prefix(s->IpMask.String),
						     .up = true}; /* GetAdaptersInfo lists no disconnected address */
			if (v4 == INADDR_NONE || v4 == 0)
				continue;
			memcpy(addr.addr, &v4, 4);
			if (kbf_live_addr_emit(in, &addr) < 0)
				rc = -1;
		}
		free(name);
	}
	free(buf);
	return rc;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	addrs_fn addrs = (addrs_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetAdaptersAddresses");
	info_fn info = (info_fn)(void (*)(void))kbf_live_proc_address("iphlpapi.dll", "GetAdaptersInfo");
	if (addrs)
		return with_addresses(in, addrs);
	if (info)
		return with_info(in, info);
	in->unavailable = "this Windows has no GetAdaptersAddresses or GetAdaptersInfo (iphlpapi): collect "
			  "`ipconfig /all` output instead";
	return 0;
}

const struct kbf_collector kbf_win_addresses_collector = {"windows.addresses", gather, NULL, NULL, NULL};
