/*
 * procnet.c — /proc/net/tcp, tcp6, udp and udp6: the kernel's text
 * tables of sockets.  The sockets collector reads them when netlink is
 * refused, and as an importer they read the same files copied from a host
 * into a bundle.
 *
 * Layout (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c,
 * net/ipv4/udp.c udp4_format_sock, net/ipv6/datagram.c): a header line,
 * then per socket
 *   "  0: 0100007F:52BC 00000000:0000 0A 00000000:00000000 00:00000000
 *    00000000  1000        0 123456 1 ..."
 * sl, local addr:port, remote addr:port, state, tx:rx queue, timer,
 * retransmits, uid, timeout, inode, then protocol-specific fields.  An
 * address is the in-memory __be32 words printed with %08X, i.e. byte
 * swapped on little-endian hosts (every host kbdiag runs on); ports are
 * plain hex.  The UDP header ends in "ref pointer drops"; IPv6 addresses
 * have 32 hex digits.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "linux.h"
#include "hexdigit.h"

#define MAX_TOKENS 12

static bool is_header(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	return len - i >= 3 && memcmp(s + i, "sl ", 3) == 0 &&
	       memmem(s, len, "local_address", 13) && memmem(s, len, " inode", 6);
}

static size_t tokens(const char *s, size_t len, const char *tok[], size_t tlen[])
{
	size_t n = 0, i = 0;
	while (n < MAX_TOKENS) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		tok[n] = s + i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		tlen[n] = (size_t)(s + i - tok[n]);
		n++;
	}
	return n;
}

static bool hex_u64(const char *s, size_t len, uint64_t *v)
{
	if (len == 0 || len > 16)
		return false;
	uint64_t r = 0;
	for (size_t i = 0; i < len; i++) {
		int d = kbu_hex_digit(s[i]);
		if (d < 0)
			return false;
		r = r << 4 | (uint64_t)d;
	}
	*v = r;
	return true;
}

static bool dec_u64(const char *s, size_t len, uint64_t *v)
{
	if (len == 0 || len > 19)
		return false;
	uint64_t r = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		r = r * 10 + (uint64_t)(s[i] - '0');
	}
	*v = r;
	return true;
}

/* "0100007F:52BC" or 32 hex digits and a port: family, address, port. */
static bool endpoint(const char *s, size_t len, uint8_t *family, uint8_t addr[16], uint16_t *port)
{
	const char *colon = memchr(s, ':', len);
	if (!colon)
		return false;
	size_t alen = (size_t)(colon - s);
	uint64_t p;
	if ((alen != 8 && alen != 32) || !hex_u64(colon + 1, len - alen - 1, &p) || p > 65535)
		return false;
	for (size_t w = 0; w < alen / 8; w++) {
		uint64_t word;
		if (!hex_u64(s + 8 * w, 8, &word))
			return false;
		for (int b = 0; b < 4; b++)
			addr[4 * w + (size_t)b] = (uint8_t)(word >> (8 * b));
	}
	*family = alen == 8 ? AF_INET : AF_INET6;
	*port = (uint16_t)p;
	return true;
}

static bool parse_line(const char *s, size_t len, uint8_t proto, struct kbf_sock *k)
{
	const char *tok[MAX_TOKENS];
	size_t tl[MAX_TOKENS];
	uint8_t fam2;
	uint64_t state, uid, inode;
	if (tokens(s, len, tok, tl) < 10 || tl[0] < 2 || tok[0][tl[0] - 1] != ':')
		return false;
	if (!endpoint(tok[1], tl[1], &k->family, k->src, &k->sport) ||
	    !endpoint(tok[2], tl[2], &fam2, k->dst, &k->dport) || fam2 != k->family ||
	    !hex_u64(tok[3], tl[3], &state) || state > 255 || !dec_u64(tok[7], tl[7], &uid) ||
	    uid > UINT32_MAX || !dec_u64(tok[9], tl[9], &inode))
		return false;
	k->proto = proto;
	k->state = (uint8_t)state;
	k->uid = (uint32_t)uid;
	k->inode = inode;
	k->has_uid = inode != 0;
	return true;
}

int kbf_procnet_parse(struct kbf_input *in, struct kbf_text *text, struct kbf_socktab *t)
{
	int proto = 0, rc = 0;
	for (size_t i = 0; i < text->nlines; i++) {
		const struct kbf_line *l = &text->lines[i];
		size_t j = 0;
		while (j < l->len && isspace((unsigned char)l->s[j]))
			j++;
		if (j == l->len)
			continue;
		if (is_header(l->s, l->len)) {
			proto = memmem(l->s, l->len, "ref pointer drops", 17) ? IPPROTO_UDP : IPPROTO_TCP;
			continue;
		}
		struct kbf_sock k = {0};
		if (!proto || !parse_line(l->s, l->len, (uint8_t)proto, &k)) {
			rc = kbf_input_error(in, (int)i + 1, proto ? "not a socket line: sl, local and remote "
					     "address, state, ..., uid, timeout, inode expected"
					     : "no /proc/net header line before the sockets");
			continue;
		}
		struct kbf_sock *s = kbf_socktab_add(t);
		*s = k;
		s->line = (int)i + 1;
		s->text = l->s;
		s->textlen = l->len;
	}
	return rc;
}

static int probe(struct kbf_text *t)
{
	for (size_t i = 0; i < t->nlines && i < 4; i++)
		if (t->lines[i].len > 0)
			return is_header(t->lines[i].s, t->lines[i].len) ? 95 : 0;
	return 0;
}

static int import(struct kbf_input *in, struct kbf_text *text)
{
	struct kbf_socktab t = {0};
	int rc = kbf_procnet_parse(in, text, &t);
	for (size_t i = 0; i < t.n; i++)
		if (kbf_sock_emit(in, &t.v[i], NULL) < 0)
			rc = -1;
	kbf_socktab_free(&t);
	return rc;
}

const struct kbf_importer kbf_procnet_importer = {"proc-net", probe, import, KBF_READ_WHOLE};
