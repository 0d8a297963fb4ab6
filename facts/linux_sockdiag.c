/*
 * linux_sockdiag.c — the host's TCP and UDP sockets through netlink
 * sock_diag (the interface ss(8) uses): one dump per protocol and address
 * family, every state, with each socket's uid and inode.  Much faster than
 * formatting and parsing /proc/net text, and it is what the kernel offers
 * unprivileged users too.
 *
 * Message layout: linux/sock_diag.h, linux/inet_diag.h (struct
 * inet_diag_req_v2 in, struct inet_diag_msg out, one per socket).
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
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY && plen >= sizeof(struct inet_diag_msg)) {
			struct inet_diag_msg m;
			memcpy(&m, payload, sizeof(m));
			if (m.idiag_family == AF_INET || m.idiag_family == AF_INET6) {
				struct kbf_sock *s = kbf_socktab_add(t);
				if (!s) {
					errno = ENOMEM;
					return -1;
				}
				add_msg(&m, proto, s);
			}
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

static int request(int fd, uint8_t family, uint8_t proto, uint32_t seq)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = seq;
	req.r.sdiag_family = family;
	req.r.sdiag_protocol = proto;
	req.r.idiag_states = ~0u;
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	ssize_t n = sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&nl, sizeof(nl));
	return n == (ssize_t)sizeof(req) ? 0 : -1;
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

int kbf_sockdiag_dump_each(struct kbf_socktab *t, bool failed[4])
{
	static const uint8_t fam[4] = {AF_INET, AF_INET6, AF_INET, AF_INET6};
	static const uint8_t proto[4] = {IPPROTO_TCP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	unsigned char *buf = malloc(RECV_BUF);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	int ok = 0, first_err = 0;
	for (int i = 0; i < 4; i++) {
		failed[i] = dump_one(fd, fam[i], proto[i], (uint32_t)i + 1, buf, t) < 0;
		if (failed[i] && !first_err)
			first_err = errno;
		ok += !failed[i];
	}
	free(buf);
	close(fd);
	errno = first_err;
	return ok ? 0 : -1;
}
