/*
 * sockdiag.c — the host's TCP and UDP sockets through netlink
 * sock_diag (the interface ss(8) uses): dumps of every state, with each
 * socket's uid and inode.  Much faster than
 * formatting and parsing /proc/net text, and it is what the kernel offers
 * unprivileged users too.
 *
 * TCP is asked for with the older TCPDIAG_GETSOCK request (struct
 * inet_diag_req), which the kernel answers for both address families in
 * one walk of its socket hash tables; SOCK_DIAG_BY_FAMILY takes a walk per
 * family, and the established table, sized by the machine's memory, costs
 * about half a millisecond a walk on an idle host.  The answer is split
 * into IPv4 then IPv6, each in the kernel's order, so the facts come out
 * as the per-family dumps list them; a kernel that refuses the request
 * gets those instead.
 *
 * Message layout: linux/sock_diag.h, linux/inet_diag.h (struct
 * inet_diag_req_v2 or inet_diag_req in, struct inet_diag_msg out, one per
 * socket).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "linux.h"
#include "xalloc.h"

#define RECV_BUF (64u << 10)

static void add_msg(const struct inet_diag_msg *m, uint8_t proto, struct kbf_sock *s)
{
	s->proto = proto;
	s->family = m->idiag_family;
	s->state = m->idiag_state;
	s->sport = ntohs(m->id.idiag_sport);
	s->dport = ntohs(m->id.idiag_dport);
	size_t alen = m->idiag_family == AF_INET ? 4 : 16;
	memcpy(s->src, m->id.idiag_src, alen);
	memcpy(s->dst, m->id.idiag_dst, alen);
	s->inode = m->idiag_inode;
	/* Time-wait and request sockets have no inode, and their uid field
	 * is 0 without meaning root. */
	s->has_uid = m->idiag_inode != 0;
	s->uid = m->idiag_uid;
}

int kbf_sockdiag_parse(const void *buf, size_t len, uint8_t proto, struct kbf_socktab *t)
{
	const unsigned char *p = buf;
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			break;
		size_t plen = h.nlmsg_len - sizeof(h);
		const unsigned char *payload = p + NLMSG_HDRLEN;
		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e = {0};
			memcpy(&e, payload, plen < sizeof(e) ? plen : sizeof(e));
			errno = e.error < 0 ? -e.error : EPROTO;
			return -1;
		}
		/* a dump's replies carry its request's type */
		bool sock = h.nlmsg_type == SOCK_DIAG_BY_FAMILY || h.nlmsg_type == TCPDIAG_GETSOCK;
		if (sock && plen >= sizeof(struct inet_diag_msg)) {
			struct inet_diag_msg m;
			memcpy(&m, payload, sizeof(m));
			if (m.idiag_family == AF_INET || m.idiag_family == AF_INET6)
				add_msg(&m, proto, kbf_socktab_add(t));
		}
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	if (len) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* family AF_UNSPEC: the legacy TCP request, both families at once. */
static int request(int fd, uint8_t family, uint8_t proto, uint32_t seq)
{
	struct {
		struct nlmsghdr nlh;
		union {
			struct inet_diag_req_v2 v2;
			struct inet_diag_req tcp;
		} r;
	} req;
	memset(&req, 0, sizeof(req));
	if (family == AF_UNSPEC) {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.r.tcp));
		req.nlh.nlmsg_type = TCPDIAG_GETSOCK;
		req.r.tcp.idiag_states = ~0u;
	} else {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.r.v2));
		req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.r.v2.sdiag_family = family;
		req.r.v2.sdiag_protocol = proto;
		req.r.v2.idiag_states = ~0u;
	}
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = seq;
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	ssize_t n = sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&nl, sizeof(nl));
	return n == (ssize_t)req.nlh.nlmsg_len ? 0 : -1;
}

static int dump_one(int fd, uint8_t family, uint8_t proto, uint32_t seq, unsigned char *buf,
		    struct kbf_socktab *t)
{
	size_t mark = t->n;
	if (request(fd, family, proto, seq) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf, RECV_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		int rc = kbf_sockdiag_parse(buf, (size_t)n, proto, t);
		if (rc != 0) {
			if (rc < 0)
				t->n = mark; /* all or nothing per dump: /proc/net fills in */
			return rc < 0 ? -1 : 0;
		}
	}
	t->n = mark;
	if (!errno)
		errno = EPROTO;
	return -1;
}

void kbf_sockdiag_split_families(struct kbf_socktab *t, size_t from)
{
	size_t n6 = 0;
	for (size_t i = from; i < t->n; i++)
		n6 += t->v[i].family == AF_INET6;
	if (n6 == 0)
		return;
	struct kbf_sock *six = kbu_calloc(n6, sizeof(*six));
	size_t o = from, k = 0;
	for (size_t i = from; i < t->n; i++) {
		if (t->v[i].family == AF_INET6)
			six[k++] = t->v[i];
		else
			t->v[o++] = t->v[i];
	}
	memcpy(t->v + o, six, n6 * sizeof(*six));
	free(six);
}

/* TCP over both families: one dump if the kernel takes the legacy
 * request, else one per family.  failed[0..1] as for dump_each. */
static void dump_tcp(int fd, unsigned char *buf, struct kbf_socktab *t, bool failed[2])
{
	size_t mark = t->n;
	if (dump_one(fd, AF_UNSPEC, IPPROTO_TCP, 1, buf, t) == 0) {
		kbf_sockdiag_split_families(t, mark);
		failed[0] = failed[1] = false;
		return;
	}
	t->n = mark;
	failed[0] = dump_one(fd, AF_INET, IPPROTO_TCP, 2, buf, t) < 0;
	int e = errno;
	failed[1] = dump_one(fd, AF_INET6, IPPROTO_TCP, 3, buf, t) < 0;
	if (failed[0])
		errno = e;
}

int kbf_sockdiag_dump_each(struct kbf_socktab *t, bool failed[4])
{
	static const uint8_t fam[4] = {AF_INET, AF_INET6, AF_INET, AF_INET6};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	unsigned char *buf = kbu_malloc(RECV_BUF);
	int ok = 0, first_err = 0;
	dump_tcp(fd, buf, t, failed);
	if (failed[0] || failed[1])
		first_err = errno;
	for (int i = 2; i < 4; i++) {
		failed[i] = dump_one(fd, fam[i], IPPROTO_UDP, (uint32_t)i + 2, buf, t) < 0;
		if (failed[i] && !first_err)
			first_err = errno;
	}
	for (int i = 0; i < 4; i++)
		ok += !failed[i];
	free(buf);
	close(fd);
	errno = first_err;
	return ok ? 0 : -1;
}
