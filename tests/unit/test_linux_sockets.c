/*
 * test_linux_sockets.c — the sockets collector and its parts: /proc/net
 * files as evidence (every state, IPv4 and IPv6, TCP and UDP), netlink
 * sock_diag replies built in the test, and the live host: real sockets
 * opened here must be found with this process's pid and their inodes,
 * both as root and, from a child that drops to nobody, without seeing
 * other users' owners (owner_known = false, never missing).
 */
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <unistd.h>

#include "importer_harness.h"
#include "linux/linux.h"

static int import_procnet(struct harness *h, const char *name, bool crlf)
{
	size_t len;
	unsigned char *raw = fixture_read(name, &len);
	if (crlf) {
		unsigned char *c = malloc(len * 2);
		size_t o = 0;
		for (size_t i = 0; i < len; i++) {
			if (raw[i] == '\n')
				c[o++] = '\r';
			c[o++] = raw[i];
		}
		free(raw);
		raw = c;
		len = o;
	}
	assert_int_equal(probe_bytes(&kbf_procnet_importer, raw, len), 95);
	int rc = import_bytes(h, &kbf_procnet_importer, name, raw, len);
	free(raw);
	return rc;
}

static void procnet_tcp_every_state(void **state)
{
	(void)state;
	for (int crlf = 0; crlf <= 1; crlf++) {
		struct harness h = {0};
		assert_int_equal(import_procnet(&h, "proc-net/tcp", crlf), 0);
		assert_int_equal(h.in.nfacts, 7);
		assert_int_equal(count_facts(&h, "listener"), 2);
		assert_int_equal(count_facts(&h, "connection"), 5);
		const struct kb_fact *l = find_int(&h, "listener", "port", 21180);
		assert_non_null(l);
		check_str(&h, l, "protocol", "tcp");
		check_str(&h, l, "family", "ipv4");
		check_str(&h, l, "address", "127.0.0.1");
		check_str(&h, l, "state", "listening");
		check_int(&h, l, "uid", 1000);
		check_int(&h, l, "inode", 104194);
		check_bool(&h, l, "owner_known", false);
		check_nil(&h, l, "pid");
		check_nil(&h, l, "user"); /* names of another host's users are not guessed */
		assert_int_equal(l->prov.line, 2);
		assert_string_equal(l->prov.source, "proc-net/tcp");
		assert_non_null(strstr(l->prov.text, "0100007F:52BC 00000000:0000 0A"));
		check_str(&h, find_int(&h, "listener", "port", 2024), "address", "0.0.0.0");
		const struct kb_fact *cw = find_str(&h, "connection", "state", "close-wait");
		assert_non_null(cw);
		check_int(&h, cw, "local_port", 21180);
		check_str(&h, cw, "remote_address", "127.0.0.1");
		check_int(&h, cw, "remote_port", 52384);
		check_int(&h, cw, "inode", 104198);
		assert_int_equal(cw->prov.line, 5);
		const struct kb_fact *tw = find_str(&h, "connection", "state", "time-wait");
		assert_non_null(tw);
		check_int(&h, tw, "local_port", 52386);
		check_nil(&h, tw, "inode");
		check_nil(&h, tw, "uid");
		assert_non_null(find_str(&h, "connection", "state", "fin-wait-2"));
		assert_non_null(find_int(&h, "connection", "inode", 104195));
		harness_close(&h);
	}
}

static void procnet_tcp6_and_udp(void **state)
{
	(void)state;
	struct harness h = {0};
	assert_int_equal(import_procnet(&h, "proc-net/tcp6", false), 0);
	assert_int_equal(h.in.nfacts, 4);
	const struct kb_fact *l = find_int(&h, "listener", "port", 21181);
	check_str(&h, l, "family", "ipv6");
	check_str(&h, l, "address", "::");
	const struct kb_fact *c = find_int(&h, "connection", "local_port", 55266);
	check_str(&h, c, "local_address", "::1");
	check_str(&h, c, "state", "established");
	check_int(&h, c, "remote_port", 21181);
	assert_non_null(find_int(&h, "connection", "local_port", 55270));
	check_str(&h, find_int(&h, "connection", "local_port", 55270), "state", "time-wait");

	assert_int_equal(import_procnet(&h, "proc-net/udp", false), 0);
	assert_int_equal(h.in.nfacts, 2);
	const struct kb_fact *u = find_int(&h, "listener", "port", 21182);
	check_str(&h, u, "protocol", "udp");
	check_str(&h, u, "address", "0.0.0.0");
	check_str(&h, u, "state", "unconnected");
	check_int(&h, u, "inode", 104206);
	const struct kb_fact *uc = find_int(&h, "listener", "port", 54230);
	check_str(&h, uc, "state", "established");
	check_str(&h, uc, "address", "127.0.0.1");
	assert_int_equal(uc->prov.line, 3);

	assert_int_equal(import_procnet(&h, "proc-net/udp6", false), 0);
	const struct kb_fact *u6 = find_int(&h, "listener", "port", 21183);
	check_str(&h, u6, "address", "::1");
	check_str(&h, u6, "family", "ipv6");
	check_str(&h, u6, "protocol", "udp");
	harness_close(&h);
}

static void procnet_malformed_lines(void **state)
{
	(void)state;
	const char text[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007F:52BC 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11 1\n"
		"   1: 0100007F:52BC 00000000\n"
		"   2: 0100007G:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12 1\n"
		"   3: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13 1\n";
	struct harness h = {0};
	assert_int_equal(import_bytes(&h, &kbf_procnet_importer, "tcp", text, sizeof(text) - 1), -1);
	assert_string_equal(h.in.err.where, "tcp:3");
	assert_int_equal(h.in.nfacts, 2); /* the good lines before and after are kept */
	assert_non_null(find_int(&h, "listener", "port", 80));
	harness_close(&h);
	const char other[] = "Proto  Local Address          Foreign Address        State\n"
			     "TCP    0.0.0.0:110            0.0.0.0:0              LISTENING\n";
	assert_int_equal(probe_bytes(&kbf_procnet_importer, other, sizeof(other) - 1), 0);
}

/* ---- netlink replies ------------------------------------------------------------ */

static size_t put_msg(unsigned char *buf, size_t at, uint8_t family, uint8_t st, const char *src,
		      uint16_t sport, const char *dst, uint16_t dport, uint32_t uid, uint32_t ino)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg)),
			     .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_MULTI};
	struct inet_diag_msg m = {.idiag_family = family, .idiag_state = st, .idiag_uid = uid,
				  .idiag_inode = ino};
	m.id.idiag_sport = htons(sport);
	m.id.idiag_dport = htons(dport);
	inet_pton(family, src, m.id.idiag_src);
	inet_pton(family, dst, m.id.idiag_dst);
	memcpy(buf + at, &h, sizeof(h));
	memcpy(buf + at + NLMSG_HDRLEN, &m, sizeof(m));
	return at + NLMSG_ALIGN(h.nlmsg_len);
}

static size_t put_done(unsigned char *buf, size_t at, int type, int error)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(sizeof(int) + (type == NLMSG_ERROR ? sizeof(h) : 0)),
			     .nlmsg_type = (uint16_t)type};
	memset(buf + at, 0, NLMSG_ALIGN(h.nlmsg_len));
	memcpy(buf + at, &h, sizeof(h));
	memcpy(buf + at + NLMSG_HDRLEN, &error, sizeof(error));
	return at + NLMSG_ALIGN(h.nlmsg_len);
}

static void sockdiag_reply_parsed(void **state)
{
	(void)state;
	_Alignas(8) unsigned char buf[1024];
	size_t n = put_msg(buf, 0, AF_INET, 10, "127.0.0.1", 21180, "0.0.0.0", 0, 1000, 4711);
	n = put_msg(buf, n, AF_INET6, 6, "::1", 55270, "::1", 21181, 0, 0);
	n = put_msg(buf, n, AF_INET, 1, "192.168.10.5", 22, "10.0.99.255", 50000, 0, 0);
	size_t more = n;
	n = put_done(buf, n, NLMSG_DONE, 0);
	struct kbf_socktab t = {0};
	assert_int_equal(kbf_sockdiag_parse(buf, more, IPPROTO_TCP, &t), 0); /* no DONE yet */
	assert_int_equal(t.n, 3);
	t.n = 0;
	assert_int_equal(kbf_sockdiag_parse(buf, n, IPPROTO_TCP, &t), 1);
	assert_int_equal(t.n, 3);
	struct harness h;
	harness_open(&h);
	struct kbf_input in = {.eng = h.eng, .path = "linux.sockets"};
	struct kbf_linux_users users = {0};
	t.v[0].pid = 812;
	t.v[0].comm = kb_intern_cstr(h.eng, "nc");
	for (size_t i = 0; i < t.n; i++)
		assert_int_equal(kbf_sock_emit(&in, &t.v[i], &users), 0);
	const struct kb_fact *l = find_int(&h, "listener", "port", 21180);
	check_int(&h, l, "uid", 1000);
	check_int(&h, l, "inode", 4711);
	check_int(&h, l, "pid", 812);
	check_str(&h, l, "process", "nc");
	check_bool(&h, l, "owner_known", true);
	assert_string_equal(l->prov.text, "tcp LISTEN 127.0.0.1:21180 0.0.0.0:* uid:1000 ino:4711 users:((\"nc\",pid=812))");
	const struct kb_fact *tw = find_str(&h, "connection", "state", "time-wait");
	check_str(&h, tw, "local_address", "::1");
	check_int(&h, tw, "remote_port", 21181);
	check_nil(&h, tw, "uid");
	assert_string_equal(tw->prov.text, "tcp TIME-WAIT [::1]:55270 [::1]:21181");
	const struct kb_fact *est = find_int(&h, "connection", "local_port", 22);
	check_str(&h, est, "local_address", "192.168.10.5");
	check_str(&h, est, "remote_address", "10.0.99.255");
	kbf_socktab_free(&t);
	harness_close(&h);
}

/* The legacy TCP dump answers for both families at once, in the kernel's
 * walk order; split_families puts IPv4 first, each family kept in order. */
static void sockdiag_legacy_reply_split_by_family(void **state)
{
	(void)state;
	_Alignas(8) unsigned char buf[1024];
	static const uint8_t fam[5] = {AF_INET, AF_INET6, AF_INET, AF_INET6, AF_INET};
	size_t n = 0;
	for (int i = 0; i < 5; i++) {
		size_t at = n;
		n = put_msg(buf, n, fam[i], 10, fam[i] == AF_INET ? "127.0.0.1" : "::1", (uint16_t)(100 + i),
			    fam[i] == AF_INET ? "0.0.0.0" : "::", 0, 0, (uint32_t)(i + 1));
		struct nlmsghdr h;
		memcpy(&h, buf + at, sizeof(h));
		h.nlmsg_type = TCPDIAG_GETSOCK;
		memcpy(buf + at, &h, sizeof(h));
	}
	n = put_done(buf, n, NLMSG_DONE, 0);
	struct kbf_socktab t = {0};
	assert_non_null(kbf_socktab_add(&t)); /* an entry before the dump stays first */
	t.v[0].family = AF_INET6;
	t.v[0].sport = 1;
	assert_int_equal(kbf_sockdiag_parse(buf, n, IPPROTO_TCP, &t), 1);
	assert_int_equal(t.n, 6);
	kbf_sockdiag_split_families(&t, 1);
	static const uint16_t want[6] = {1, 100, 102, 104, 101, 103};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(t.v[i].sport, want[i]);
		assert_int_equal(t.v[i].family, i == 0 || i >= 4 ? AF_INET6 : AF_INET);
	}
	assert_int_equal(t.v[4].inode, 2);
	assert_int_equal(t.v[5].inode, 4);
	kbf_socktab_free(&t);
}

static void sockdiag_errors(void **state)
{
	(void)state;
	_Alignas(8) unsigned char buf[256];
	struct kbf_socktab t = {0};
	size_t n = put_done(buf, 0, NLMSG_ERROR, -EPERM);
	errno = 0;
	assert_int_equal(kbf_sockdiag_parse(buf, n, IPPROTO_UDP, &t), -1);
	assert_int_equal(errno, EPERM);
	n = put_msg(buf, 0, AF_INET, 10, "127.0.0.1", 1, "0.0.0.0", 0, 0, 1);
	assert_int_equal(kbf_sockdiag_parse(buf, n - 8, IPPROTO_TCP, &t), -1); /* truncated */
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(t.n, 0);
	kbf_socktab_free(&t);
}

/* ---- the live host --------------------------------------------------------------- */

struct live {
	int fd[3];
	int port[3];
	uint64_t ino[3];
};

static void open_live(struct live *l)
{
	static const int fam[3] = {AF_INET, AF_INET6, AF_INET}, type[3] = {SOCK_STREAM, SOCK_STREAM, SOCK_DGRAM};
	for (int i = 0; i < 3; i++) {
		l->fd[i] = socket(fam[i], type[i], 0);
		assert_true(l->fd[i] >= 0);
		struct sockaddr_storage ss = {0};
		socklen_t sl = fam[i] == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		ss.ss_family = (sa_family_t)fam[i];
		if (fam[i] == AF_INET)
			inet_pton(AF_INET, "127.0.0.1", &((struct sockaddr_in *)&ss)->sin_addr);
		else
			inet_pton(AF_INET6, "::1", &((struct sockaddr_in6 *)&ss)->sin6_addr);
		assert_int_equal(bind(l->fd[i], (struct sockaddr *)&ss, sl), 0);
		if (type[i] == SOCK_STREAM)
			assert_int_equal(listen(l->fd[i], 4), 0);
		assert_int_equal(getsockname(l->fd[i], (struct sockaddr *)&ss, &sl), 0);
		l->port[i] = ntohs(fam[i] == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
				   : ((struct sockaddr_in6 *)&ss)->sin6_port);
		struct stat st;
		assert_int_equal(fstat(l->fd[i], &st), 0);
		l->ino[i] = st.st_ino;
	}
}

/* The listener of socket i, checked for owner; 0 or the first mismatch. */
static int check_live(const struct harness *h, const struct live *l, int i, bool owner_visible)
{
	static const char *const proto[3] = {"tcp", "tcp", "udp"}, *const fam[3] = {"ipv4", "ipv6", "ipv4"};
	const struct kb_fact *f = find_int(h, "listener", "inode", (int64_t)l->ino[i]);
	if (!f)
		return 10 + i;
	struct kb_value port = slot_value(h, f, "port"), pid = slot_value(h, f, "pid");
	struct kb_value known = slot_value(h, f, "owner_known"), uid = slot_value(h, f, "uid");
	if (port.u.i != l->port[i] || strcmp(slot_value(h, f, "protocol").u.s, proto[i]) ||
	    strcmp(slot_value(h, f, "family").u.s, fam[i]) || uid.type != KB_INT)
		return 20 + i;
	if (owner_visible)
		return known.u.b && pid.type == KB_INT && pid.u.i == getpid() &&
		       slot_value(h, f, "process").type == KB_STRING ? 0 : 30 + i;
	return known.type == KB_BOOL && !known.u.b && pid.type == KB_NIL ? 0 : 40 + i;
}

static int collect_and_check(const struct live *mine, const struct live *others)
{
	struct harness h = {0};
	struct kbf_options opt = {.root = ""};
	int rc = gather(&h, &kbf_linux_sockets_collector, &opt) < 0 ? 1 : 0;
	for (int i = 0; i < 3 && !rc; i++)
		rc = check_live(&h, mine, i, true);
	for (int i = 0; i < 3 && !rc && others; i++)
		rc = check_live(&h, others, i, false);
	harness_close(&h);
	return rc;
}

static void live_sockets_found_with_pid_and_inode(void **state)
{
	(void)state;
	struct live l;
	open_live(&l);
	assert_int_equal(collect_and_check(&l, NULL), 0);
	setenv("KBDIAG_NO_NETLINK", "1", 1); /* the /proc/net fallback finds the same */
	assert_int_equal(collect_and_check(&l, NULL), 0);
	unsetenv("KBDIAG_NO_NETLINK");
	for (int i = 0; i < 3; i++)
		close(l.fd[i]);
}

static void live_unprivileged_sees_sockets_without_owner(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct live root_socks;
	open_live(&root_socks);
	for (int fallback = 0; fallback <= 1; fallback++) {
		pid_t child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			for (int i = 0; i < 3; i++)
				close(root_socks.fd[i]); /* the parent's alone now */
			if (setgid(65534) < 0 || setuid(65534) < 0)
				_exit(2);
			prctl(PR_SET_DUMPABLE, 1); /* else our own /proc/self/fd turns root's */
			if (fallback)
				setenv("KBDIAG_NO_NETLINK", "1", 1);
			struct live mine;
			open_live(&mine);
			_exit(collect_and_check(&mine, &root_socks));
		}
		int status;
		assert_int_equal(waitpid(child, &status, 0), child);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	for (int i = 0; i < 3; i++)
		close(root_socks.fd[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(procnet_tcp_every_state),
		cmocka_unit_test(procnet_tcp6_and_udp),
		cmocka_unit_test(procnet_malformed_lines),
		cmocka_unit_test(sockdiag_reply_parsed),
		cmocka_unit_test(sockdiag_legacy_reply_split_by_family),
		cmocka_unit_test(sockdiag_errors),
		cmocka_unit_test(live_sockets_found_with_pid_and_inode),
		cmocka_unit_test(live_unprivileged_sees_sockets_without_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
