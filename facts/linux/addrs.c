/*
 * addrs.c — the collector "linux.addresses": one `address` fact per
 * IPv4 and IPv6 address on an interface (interface, family, address,
 * prefix length, whether the interface is up), so rules can tell "cannot
 * assign requested address" (the address is not on this host) from other
 * bind failures.  getifaddrs(3) does the netlink RTM_GETLINK/RTM_GETADDR
 * dumps for us; kbf_addrs_emit() turns its list into facts and is what the
 * tests drive with a list they build.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "linux.h"

static int one_address(struct kbf_input *in, const struct ifaddrs *a)
{
	int fam = a->ifa_addr->sa_family;
	const void *addr, *mask = NULL;
	size_t alen;
	if (fam == AF_INET) {
		addr = &((const struct sockaddr_in *)a->ifa_addr)->sin_addr;
		if (a->ifa_netmask)
			mask = &((const struct sockaddr_in *)a->ifa_netmask)->sin_addr;
		alen = 4;
	} else {
		addr = &((const struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
		if (a->ifa_netmask)
			mask = &((const struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr;
		alen = 16;
	}
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(fam, addr, text, sizeof(text)))
		return 0;
	int prefix = mask ? kbf_netmask_prefix(mask, alen) : -1;
	bool up = (a->ifa_flags & IFF_UP) != 0;
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "address");
	const char *ifn = a->ifa_name ? a->ifa_name : "";
	kbf_linux_set_str(&f, "interface", ifn, strlen(ifn));
	kbf_set_cstr(&f, "family", fam == AF_INET ? "ipv4" : "ipv6");
	kbf_set_cstr(&f, "address", text);
	if (prefix >= 0)
		kbf_set_int(&f, "prefix", prefix);
	kbf_set_bool(&f, "up", up);
	char line[128];
	int n = snprintf(line, sizeof(line), "%s %s %s/%d %s", a->ifa_name ? a->ifa_name : "",
			 fam == AF_INET ? "inet" : "inet6", text, prefix, up ? "UP" : "DOWN");
	return kbf_linux_emit(&f, 0, line, n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n
			     : sizeof(line) - 1) ? 0 : -1;
}

int kbf_addrs_emit(struct kbf_input *in, const struct ifaddrs *list)
{
	int rc = 0;
	for (const struct ifaddrs *a = list; a; a = a->ifa_next)
		if (a->ifa_addr && (a->ifa_addr->sa_family == AF_INET || a->ifa_addr->sa_family == AF_INET6))
			if (one_address(in, a) < 0)
				rc = -1;
	return rc;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	if (opt->root && opt->root[0]) {
		in->unavailable = "not read under a test root";
		return 0;
	}
	struct ifaddrs *list = NULL;
	if (getifaddrs(&list) < 0)
		return kbf_input_error(in, 0, "getifaddrs: %s", strerror(errno));
	int rc = kbf_addrs_emit(in, list);
	freeifaddrs(list);
	return rc;
}

const struct kbf_collector kbf_linux_addresses_collector = {.name = "linux.addresses", .gather = gather};
