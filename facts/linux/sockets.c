/*
 * sockets.c — the collector "linux.sockets": every TCP and UDP socket
 * of the host as `listener` (TCP in LISTEN, every bound UDP socket) and
 * `connection` facts (every other TCP state, time-wait included), with the
 * uid, the inode and, where it can be seen, the owning process.
 *
 * Three steps keep each source in its own file: the sockets are gathered
 * into a table (netlink sock_diag, sockdiag.c; or /proc/net text,
 * procnet.c, when netlink is refused or KBDIAG_NO_NETLINK=1 is set,
 * and always under a test root), the owner scan fills in PIDs
 * (owners.c), then this file emits the facts.  A socket whose owner
 * cannot be seen is still a fact, with owner_known = false.  The netlink
 * dump and the owner scan are the collector's read (kbf_collector), which
 * may run while the rules load; /proc/net, whose lines are the facts'
 * text and whose errors are the input's, is read with the facts.
 *
 * State names are those ss(8) accepts in its state filter, lower case:
 * "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2",
 * "time-wait", "unconnected" (TCP_CLOSE: unconnected UDP, bound TCP),
 * "close-wait", "last-ack", "listening", "closing".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux.h"
#include "xalloc.h"

#define TCP_LISTEN_STATE 10

struct kbf_sock *kbf_socktab_add(struct kbf_socktab *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = kbu_realloc(t->v, t->cap, sizeof(*t->v));
	}
	struct kbf_sock *s = &t->v[t->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

void kbf_socktab_free(struct kbf_socktab *t)
{
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Indexed by the kernel's TCP state (include/net/tcp_states.h). */
static const char *const state_long[] = {
	NULL, "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
	"unconnected", "close-wait", "last-ack", "listening", "closing", "syn-recv", "bound-inactive",
};
static const char *const state_short[] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV", "BOUND-INACTIVE",
};
#define NSTATES (sizeof(state_long) / sizeof(state_long[0]))

const char *kbf_sock_state_name(unsigned state)
{
	return state > 0 && state < NSTATES ? state_long[state] : "unknown";
}

/* Appends s to buf[*n..cap), cut to fit; buf stays NUL-terminated. */
static void put(char *buf, size_t cap, size_t *n, const char *s)
{
	size_t l = strlen(s);
	if (l > cap - 1 - *n)
		l = cap - 1 - *n;
	memcpy(buf + *n, s, l);
	*n += l;
	buf[*n] = '\0';
}

static void put_u(char *buf, size_t cap, size_t *n, unsigned long long v)
{
	char d[24];
	size_t i = sizeof(d) - 1;
	d[i] = '\0';
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	put(buf, cap, n, d + i);
}

static void put_endpoint(char *buf, size_t cap, size_t *n, bool v6, const char *addr, unsigned port)
{
	put(buf, cap, n, v6 ? " [" : " ");
	put(buf, cap, n, addr);
	put(buf, cap, n, v6 ? "]:" : ":");
	if (port)
		put_u(buf, cap, n, port);
	else
		put(buf, cap, n, "*");
}

/* "tcp LISTEN 127.0.0.1:21180 0.0.0.0:* uid:1000 ino:4711 users:(("nc",pid=812))",
 * after ss, for facts from netlink, which have no line of their own.
 * Built by hand: with 10 000 sockets, snprintf showed in the profile. */
static size_t describe(const struct kbf_sock *s, const char *local, const char *remote, char *buf,
		       size_t cap)
{
	bool v6 = s->family == AF_INET6;
	size_t n = 0;
	buf[0] = '\0';
	put(buf, cap, &n, s->proto == IPPROTO_UDP ? "udp " : "tcp ");
	put(buf, cap, &n, state_short[s->state < NSTATES ? s->state : 0]);
	put_endpoint(buf, cap, &n, v6, local, s->sport);
	put_endpoint(buf, cap, &n, v6, remote, s->dport);
	if (s->has_uid) {
		put(buf, cap, &n, " uid:");
		put_u(buf, cap, &n, s->uid);
	}
	if (s->inode) {
		put(buf, cap, &n, " ino:");
		put_u(buf, cap, &n, s->inode);
	}
	if (s->pid) {
		put(buf, cap, &n, " users:((\"");
		put(buf, cap, &n, s->comm ? s->comm : "");
		put(buf, cap, &n, "\",pid=");
		put_u(buf, cap, &n, (unsigned long long)s->pid);
		put(buf, cap, &n, "))");
	}
	return n;
}

static void set_owner(struct kbf_fact *f, const struct kbf_sock *s, bool listener,
		      struct kbf_linux_users *users)
{
	if (s->has_uid) {
		kbf_set_int(f, "uid", s->uid);
		const char *name = users ? kbf_linux_user(users, f->in->eng, s->uid) : NULL;
		if (name)
			kbf_set_cstr(f, "user", name);
	}
	if (s->inode)
		kbf_set_int(f, "inode", (int64_t)s->inode);
	if (s->pid) {
		kbf_set_int(f, "pid", s->pid);
		if (s->comm)
			kbf_set_cstr(f, "process", s->comm);
	}
	if (listener)
		kbf_set_bool(f, "owner_known", s->pid != 0);
}

/* inet_ntop, with IPv4 by hand: glibc formats it through sprintf, which
 * took a tenth of kbdiag collect's instructions beside 1 000 listeners. */
static bool addr_text(int family, const void *addr, char out[INET6_ADDRSTRLEN])
{
	if (family != AF_INET)
		return inet_ntop(family, addr, out, INET6_ADDRSTRLEN) != NULL;
	const unsigned char *b = addr;
	char *p = out;
	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	return true;
}

int kbf_sock_emit(struct kbf_input *in, const struct kbf_sock *s, struct kbf_linux_users *users)
{
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	if (!addr_text(s->family, s->src, local) || !addr_text(s->family, s->dst, remote))
		return kbf_input_error(in, s->line, "socket of unknown address family %u", s->family);
	bool listener = s->proto == IPPROTO_UDP || s->state == TCP_LISTEN_STATE;
	struct kbf_fact f;
	kbf_fact_begin(&f, in, listener ? "listener" : "connection");
	kbf_set_cstr(&f, "protocol", s->proto == IPPROTO_UDP ? "udp" : "tcp");
	kbf_set_cstr(&f, "family", s->family == AF_INET ? "ipv4" : "ipv6");
	kbf_set_cstr(&f, listener ? "address" : "local_address", local);
	kbf_set_int(&f, listener ? "port" : "local_port", s->sport);
	if (!listener) {
		kbf_set_cstr(&f, "remote_address", remote);
		kbf_set_int(&f, "remote_port", s->dport);
	}
	kbf_set_cstr(&f, "state", kbf_sock_state_name(s->state));
	set_owner(&f, s, listener, users);
	const struct kb_fact *r;
	if (s->text && s->source)
		r = kbf_fact_emit_at(&f, s->source, s->line, s->text, s->textlen);
	else if (s->text)
		r = kbf_fact_emit(&f, s->line, s->text, s->textlen);
	else {
		char text[320];
		size_t n = describe(s, local, remote, text, sizeof(text));
		r = kbf_fact_emit(&f, 0, text, n);
	}
	return r ? 0 : -1;
}

#ifndef _WIN32 /* the live Linux host */
/* ---- the collector ------------------------------------------------------------- */

static const char *const procnet_files[4] = {
	"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6",
};

struct procnet_buf {
	char *raw;
	struct kbf_text text;
};

/* Reads one /proc/net file into t; a missing file (IPv6 disabled) is not
 * an error. */
static int read_procnet(struct kbf_input *in, const struct kbf_options *opt, size_t which,
			struct procnet_buf *b, struct kbf_socktab *t)
{
	char *path = kbf_linux_path(opt, procnet_files[which]);
	size_t len = 0;
	b->raw = kbf_linux_read_file(path, 1u << 30, false, &len, NULL);
	int e = errno;
	free(path);
	if (!b->raw)
		return e == ENOENT ? 0 : kbf_input_error(in, 0, "%s: %s", procnet_files[which], strerror(e));
	kbf_text_decode(&b->text, (const unsigned char *)b->raw, len);
	size_t mark = t->n;
	/* Errors in the host's own file are reported against that file. */
	struct kbf_input sub = kbf_linux_subinput(in, procnet_files[which]);
	kbf_procnet_parse(&sub, &b->text, t);
	for (size_t i = mark; i < t->n; i++)
		t->v[i].source = procnet_files[which];
	return kbf_linux_subinput_done(in, &sub);
}

/* Sockets left without an owner because processes' fds were refused are
 * said to be so: as another user, kbdiag sees every socket but not who
 * holds it, and a rule that names the program holding a port (a join on
 * the listener's pid) cannot make its finding for them. */
static void note_unseen_owners(struct kbf_input *in, const struct kbf_socktab *t, size_t denied)
{
	size_t listeners = 0, others = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].inode && !t->v[i].pid)
			++*(t->v[i].proto == IPPROTO_UDP || t->v[i].state == TCP_LISTEN_STATE ? &listeners : &others);
	if (!denied || !(listeners + others))
		return;
	kbf_input_skip(in, 0,
		       "owners not seen: the open files (/proc/PID/fd) of %zu processes are not readable by uid %u "
		       "(run as root to read them), so %zu listeners and %zu other sockets have no pid "
		       "(owner_known false); findings that name the program holding a port (rules joining "
		       "a listener's pid) cannot be made for them",
		       denied, (unsigned)geteuid(), listeners, others);
}

/* What the netlink dump and the owner scan read, ahead of the facts. */
struct sockets_read {
	struct kbf_socktab t;
	bool failed[4];     /* dumps to be read from /proc/net instead */
	bool scanned;       /* the owner scan ran */
	size_t denied;
};

static void *read_sockets(const struct kbf_options *opt)
{
	struct sockets_read *r = kbu_calloc(1, sizeof(*r));
	bool live = !opt->root || !opt->root[0];
	for (size_t i = 0; i < 4; i++)
		r->failed[i] = true;
	if (live && kbf_linux_env_off("KBDIAG_NO_NETLINK"))
		kbf_sockdiag_dump_each(&r->t, r->failed);
	/* with a dump missing, the scan waits for /proc/net's sockets */
	if (!(r->failed[0] || r->failed[1] || r->failed[2] || r->failed[3])) {
		kbf_owners_resolve(opt, &r->denied, &r->t);
		r->scanned = true;
	}
	return r;
}

static void drop_sockets(void *got)
{
	struct sockets_read *r = got;
	if (r)
		kbf_socktab_free(&r->t);
	free(r);
}

static int emit_sockets(struct kbf_input *in, const struct kbf_options *opt, void *got)
{
	struct sockets_read *r = got;
	struct kbf_socktab *t = &r->t;
	struct procnet_buf bufs[4] = {{0}};
	int rc = 0;
	for (size_t i = 0; i < 4; i++)
		if (r->failed[i] && read_procnet(in, opt, i, &bufs[i], t) < 0)
			rc = -1;
	if (!r->scanned)
		kbf_owners_resolve(opt, &r->denied, t);
	note_unseen_owners(in, t, r->denied);
	struct kbf_linux_users users = {0};
	for (size_t i = 0; i < t->n; i++)
		if (kbf_sock_emit(in, &t->v[i], &users) < 0)
			rc = -1;
	for (size_t i = 0; i < 4; i++) {
		if (bufs[i].raw)
			kbf_text_free(&bufs[i].text);
		free(bufs[i].raw);
	}
	drop_sockets(r);
	return rc;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	return emit_sockets(in, opt, read_sockets(opt));
}

const struct kbf_collector kbf_linux_sockets_collector = {
	"linux.sockets", gather, read_sockets, emit_sockets, drop_sockets,
};
#endif
