/*
 * addrs.c — an interface address of the live host (GetAdaptersAddresses'
 * unicast addresses, read by addrs_win32.c) as the `address` fact
 * ipconfig's evidence gives (hoststate/ipconfig.c): interface (the
 * adapter's friendly name, as ipconfig titles its block), family,
 * address (IPv6 without zone), prefix (OnLinkPrefixLength, Vista and
 * later), up (OperStatus is IfOperStatusUp).
 */
#include <stdio.h>
#include <string.h>

#include "live.h"

int kbf_live_addr_emit(struct kbf_input *in, const struct kbf_live_addr *a)
{
	char addr[KBF_LIVE_ADDR_MAX], text[300];
	kbf_live_addr_text(a->v6, a->addr, addr);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "address");
	if (a->adapter && a->adapter[0])
		kbf_set_cstr(&f, "interface", a->adapter);
	kbf_set_cstr(&f, "family", a->v6 ? "ipv6" : "ipv4");
	kbf_set_cstr(&f, "address", addr);
	if (a->prefix >= 0)
		kbf_set_int(&f, "prefix", a->prefix);
	kbf_set_bool(&f, "up", a->up);
	int n = a->prefix >= 0 ? snprintf(text, sizeof(text), "%s: %s/%d%s", a->adapter ? a->adapter : "", addr,
					  a->prefix, a->up ? "" : " (down)")
			       : snprintf(text, sizeof(text), "%s: %s%s", a->adapter ? a->adapter : "", addr,
					  a->up ? "" : " (down)");
	size_t len = kbf_live_printed(n, sizeof(text));
	return kbf_fact_emit(&f, 0, text, len) ? 0 : -1;
}
