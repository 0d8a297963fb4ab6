/*
 * test_win_live_sockets.c — the live Windows sockets collector's neutral
 * half (facts/windows/live/sockets.c) fed owner-PID tables laid out as
 * GetExtendedTcpTable / GetExtendedUdpTable return them (MSDN row
 * layouts, little-endian DWORDs, addresses and ports in network order):
 * owners in the process list, owner 0 (what Wine 8 gives every
 * listener), an owner not in the list, IPv6, the tables without owners
 * of NT 4.0 SP4 and 2000 (GetTcpTable, GetUdpTable), and tables whose
 * count claims more rows than the buffer holds.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "importer_harness.h"
#include "windows/live/live.h"

/* A table being recorded. */
struct table {
	unsigned char b[1024];
	size_t len;
};

static void put32(struct table *t, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		t->b[t->len++] = (unsigned char)(v >> 8 * i);
}
static void put_port(struct table *t, unsigned port)
{
	t->b[t->len++] = (unsigned char)(port >> 8);
	t->b[t->len++] = (unsigned char)port;
	t->b[t->len++] = 0;
	t->b[t->len++] = 0;
}
static void put_bytes(struct table *t, const void *p, size_t n)
{
	memcpy(t->b + t->len, p, n);
	t->len += n;
}
static void tcp4(struct table *t, uint32_t state, const char *l, unsigned lport, const char *r, unsigned rport,
		 uint32_t pid)
{
	put32(t, state);
	put_bytes(t, l, 4);
	put_port(t, lport);
	put_bytes(t, r, 4);
	put_port(t, rport);
	put32(t, pid);
}

static const char any4[4] = {0, 0, 0, 0}, lo4[4] = {127, 0, 0, 1}, peer4[4] = {10, 1, 2, 3};

/* What the fake collector reads: the recorded tables, by enum kbf_live_table. */
static struct table *tables[6];
static struct kbf_live_procs *procs_given;

static int gather_tables(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_live_owners owners = {0};
	int rc = 0;
	for (int i = 0; i < 6; i++)
		if (tables[i] && kbf_live_sockets_parse(in, (enum kbf_live_table)i, tables[i]->b, tables[i]->len,
							procs_given, &owners) < 0)
			rc = -1;
	kbf_live_owners_note(in, &owners);
	return rc;
}

static const struct kbf_collector fake = {"windows.sockets", gather_tables, NULL, NULL, NULL};

static void procs_fill(struct kbf_live_procs *p)
{
	kbf_live_procs_add(p, 4, 0, "System", NULL);
	kbf_live_procs_add(p, 1712, 604, "svchost.exe", "C:\\WINDOWS\\system32\\svchost.exe");
	kbf_live_procs_add(p, 0, 0, "[System Process]", NULL);
	kbf_live_procs_add(p, 2296, 604, "dns.exe", "C:\\WINDOWS\\System32\\dns.exe");
}

static void tcp4_owners(void **state)
{
	(void)state;
	struct table t = {0};
	put32(&t, 5);
	tcp4(&t, 2, any4, 135, any4, 0, 1712);       /* LISTENING, owner known */
	tcp4(&t, 2, any4, 445, any4, 0, 4);          /* System */
	tcp4(&t, 2, lo4, 53, any4, 0, 0);            /* owner 0: Wine */
	tcp4(&t, 5, lo4, 1040, peer4, 389, 3999);    /* ESTABLISHED, owner gone */
	tcp4(&t, 11, lo4, 1041, peer4, 25, 0);       /* TIME_WAIT, PID 0 */
	struct kbf_live_procs p = {0};
	procs_fill(&p);
	tables[KBF_LIVE_TCP4] = &t;
	procs_given = &p;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "listener"), 3);
	assert_int_equal(count_facts(&h, "connection"), 2);
	const struct kb_fact *l = find_int(&h, "listener", "port", 135);
	check_str(&h, l, "protocol", "tcp");
	check_str(&h, l, "family", "ipv4");
	check_str(&h, l, "address", "0.0.0.0");
	check_str(&h, l, "state", "LISTENING");
	check_int(&h, l, "pid", 1712);
	check_str(&h, l, "process", "svchost.exe");
	check_bool(&h, l, "owner_known", true);
	assert_non_null(strstr(l->prov.text, "TCP    0.0.0.0:135"));
	check_str(&h, find_int(&h, "listener", "port", 445), "process", "System");
	l = find_int(&h, "listener", "port", 53);
	check_str(&h, l, "address", "127.0.0.1");
	check_nil(&h, l, "pid");
	check_nil(&h, l, "process");
	check_bool(&h, l, "owner_known", false);
	const struct kb_fact *c = find_int(&h, "connection", "local_port", 1040);
	check_str(&h, c, "state", "ESTABLISHED");
	check_str(&h, c, "remote_address", "10.1.2.3");
	check_int(&h, c, "remote_port", 389);
	check_int(&h, c, "pid", 3999); /* kept, as netstat -ano keeps it */
	check_nil(&h, c, "process");   /* 3999 is in no process list: not guessed */
	check_str(&h, find_int(&h, "connection", "local_port", 1041), "state", "TIME_WAIT");
	check_skip(&h, 0, 0, "2 sockets have owner PID 0");
	check_skip(&h, 1, 0, "1 sockets have an owner PID not in the process list");
	harness_close(&h);
	kbf_live_procs_free(&p);
	tables[KBF_LIVE_TCP4] = NULL;
}

/* A listener whose owner PID is not in the process list (exited, or
 * hidden) has the slots netstat -ano gives the same row: its pid, no
 * process, owner_known true. */
static void owner_gone_as_netstat(void **state)
{
	(void)state;
	struct table t = {0};
	put32(&t, 1);
	tcp4(&t, 2, any4, 8080, any4, 0, 3999);
	struct kbf_live_procs p = {0};
	procs_fill(&p);
	tables[KBF_LIVE_TCP4] = &t;
	procs_given = &p;
	struct harness h = {0}, n = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	import_str(&n, &kbf_win_netstat_ano_importer,
		   "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n"
		   "  TCP    0.0.0.0:8080           0.0.0.0:0              LISTENING       3999\r\n");
	assert_int_equal(n.rc, 0);
	const struct kb_fact *l = find_int(&h, "listener", "port", 8080), *w = find_int(&n, "listener", "port", 8080);
	static const char *const slots[] = {"protocol", "family", "address", "state", "pid", "process", "owner_known"};
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		struct kb_value a = slot_value(&h, l, slots[i]), b = slot_value(&n, w, slots[i]);
		assert_int_equal(a.type, b.type); /* two engines: strings compared as text */
		if (a.type == KB_STRING)
			assert_string_equal(a.u.s, b.u.s);
		else if (a.type != KB_NIL)
			assert_true(kb_value_eq(a, b));
	}
	check_int(&h, l, "pid", 3999);
	check_nil(&h, l, "process");
	check_bool(&h, l, "owner_known", true);
	check_skip(&h, 0, 0, "1 sockets have an owner PID not in the process list");
	assert_string_equal(l->prov.text, w->prov.text);
	harness_close(&h);
	harness_close(&n);
	kbf_live_procs_free(&p);
	tables[KBF_LIVE_TCP4] = NULL;
}

/* NT 4.0 SP4 and 2000: MIB_TCPTABLE and MIB_UDPTABLE have no owners, so
 * every listener is one of an unknown program, as netstat -an shows it. */
static void tables_without_owners(void **state)
{
	(void)state;
	struct table t = {0}, u = {0};
	put32(&t, 2);
	tcp4(&t, 2, any4, 110, any4, 0, 0);
	t.len -= 4; /* MIB_TCPROW: no OwningPid */
	tcp4(&t, 5, lo4, 1040, peer4, 389, 0);
	t.len -= 4;
	put32(&u, 1);
	put_bytes(&u, any4, 4);
	put_port(&u, 53);
	struct kbf_live_procs p = {0};
	procs_fill(&p);
	tables[KBF_LIVE_TCP4_NO_OWNER] = &t;
	tables[KBF_LIVE_UDP4_NO_OWNER] = &u;
	procs_given = &p;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "listener"), 2);
	assert_int_equal(count_facts(&h, "connection"), 1);
	const struct kb_fact *l = find_int(&h, "listener", "port", 110);
	check_str(&h, l, "state", "LISTENING");
	check_nil(&h, l, "pid");
	check_bool(&h, l, "owner_known", false);
	assert_string_equal(l->prov.text, "  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING");
	l = find_int(&h, "listener", "port", 53);
	check_str(&h, l, "protocol", "udp");
	check_bool(&h, l, "owner_known", false);
	check_str(&h, find_int(&h, "connection", "local_port", 1040), "remote_address", "10.1.2.3");
	check_skip(&h, 0, 0, "this Windows lists sockets without their owners");
	harness_close(&h);
	kbf_live_procs_free(&p);
	tables[KBF_LIVE_TCP4_NO_OWNER] = tables[KBF_LIVE_UDP4_NO_OWNER] = NULL;
}

static void v6_and_udp(void **state)
{
	(void)state;
	static const unsigned char any6[16] = {0}, ll6[16] = {0xfe, 0x80, [15] = 1};
	struct table t6 = {0}, u4 = {0}, u6 = {0};
	put32(&t6, 1);
	put_bytes(&t6, any6, 16), put32(&t6, 0), put_port(&t6, 445);
	put_bytes(&t6, any6, 16), put32(&t6, 0), put_port(&t6, 0);
	put32(&t6, 2), put32(&t6, 4);
	put32(&u4, 1);
	put_bytes(&u4, lo4, 4), put_port(&u4, 53), put32(&u4, 2296);
	put32(&u6, 1);
	put_bytes(&u6, ll6, 16), put32(&u6, 4), put_port(&u6, 1900), put32(&u6, 0);
	struct kbf_live_procs p = {0};
	procs_fill(&p);
	tables[KBF_LIVE_TCP6] = &t6, tables[KBF_LIVE_UDP4] = &u4, tables[KBF_LIVE_UDP6] = &u6;
	procs_given = &p;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "listener"), 3);
	const struct kb_fact *l = find_int(&h, "listener", "port", 445);
	check_str(&h, l, "family", "ipv6");
	check_str(&h, l, "address", "::");
	check_str(&h, l, "process", "System");
	assert_non_null(strstr(l->prov.text, "[::]:445"));
	l = find_int(&h, "listener", "port", 53);
	check_str(&h, l, "protocol", "udp");
	check_nil(&h, l, "state");
	check_str(&h, l, "process", "dns.exe");
	l = find_int(&h, "listener", "port", 1900);
	check_str(&h, l, "address", "fe80::1");
	check_bool(&h, l, "owner_known", false);
	harness_close(&h);
	kbf_live_procs_free(&p);
	memset(tables, 0, sizeof(tables));
}

/* A count past the buffer's rows, a buffer too short for its count, a
 * state number Windows does not define: what fits is read, the rest
 * noted, nothing read past the end. */
static void hostile_tables(void **state)
{
	(void)state;
	struct table t = {0}, u = {0};
	put32(&t, 0x40000000);
	tcp4(&t, 99, lo4, 7, any4, 0, 4);
	t.b[t.len++] = 0xAA; /* part of a row */
	u.len = 3;
	struct kbf_live_procs p = {0};
	procs_fill(&p);
	tables[KBF_LIVE_TCP4] = &t, tables[KBF_LIVE_UDP4] = &u;
	procs_given = &p;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "connection"), 1);
	const struct kb_fact *c = find_int(&h, "connection", "local_port", 7);
	check_nil(&h, c, "state");
	check_skip(&h, 0, 0, "says 1073741824 rows, its 29 bytes hold 1");
	check_skip(&h, 1, 0, "3 bytes, too short");
	harness_close(&h);
	kbf_live_procs_free(&p);
	memset(tables, 0, sizeof(tables));
}

/* The table named what ("tcp4 100:" and hex lines) in a recording of
 * rec.exe's output (tests/fixtures/SOURCES.md). */
static void recorded(const char *text, const char *what, struct table *t)
{
	char head[16];
	snprintf(head, sizeof(head), "\n%s ", what);
	const char *p = strstr(text, head);
	while (p && !isdigit((unsigned char)p[strlen(head)])) /* past "tcp4 rc=0" */
		p = strstr(p + 1, head);
	assert_non_null(p);
	p = strchr(p + strlen(head), ':');
	assert_non_null(p);
	t->len = 0;
	for (p++; *p == '\n' && isxdigit((unsigned char)p[1]);)
		for (p++; isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]); p += 2) {
			unsigned v;
			assert_int_equal(sscanf(p, "%2x", &v), 1);
			t->b[t->len++] = (unsigned char)v;
		}
}

/* Wine 8 (HKCU\Software\Wine Version win2003), rec.exe listening on
 * 127.0.0.1:21180, connected to it, bound to UDP 21181; the host's own
 * listener on 2024 seen through: every owner PID 0, as Wine gives it. */
static void wine_recording(void **state)
{
	(void)state;
	size_t len;
	char *text = (char *)fixture_read("win-live/wine-tables.txt", &len);
	struct table t4, t6, u4, u6;
	recorded(text, "tcp4", &t4);
	recorded(text, "tcp6", &t6);
	recorded(text, "udp4", &u4);
	recorded(text, "udp6", &u6);
	assert_int_equal(t4.len, 100);
	struct kbf_live_procs p = {0};
	kbf_live_procs_add(&p, 332, 8, "rec.exe", "C:\\rec.exe"); /* the listener's real process */
	tables[0] = &t4, tables[1] = &t6, tables[2] = &u4, tables[3] = &u6;
	procs_given = &p;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "listener"), 3);
	assert_int_equal(count_facts(&h, "connection"), 2);
	const struct kb_fact *l = find_int(&h, "listener", "port", 21180);
	check_str(&h, l, "address", "127.0.0.1");
	check_str(&h, l, "state", "LISTENING");
	check_bool(&h, l, "owner_known", false); /* PID 0: never taken for rec.exe */
	check_nil(&h, l, "pid");
	check_nil(&h, l, "process");
	check_bool(&h, find_int(&h, "listener", "port", 21181), "owner_known", false);
	const struct kb_fact *c = find_int(&h, "connection", "remote_port", 21180);
	check_str(&h, c, "state", "ESTABLISHED");
	check_int(&h, c, "local_port", 33542);
	check_skip(&h, 0, 0, "5 sockets have owner PID 0");
	harness_close(&h);
	kbf_live_procs_free(&p);
	memset(tables, 0, sizeof(tables));
	free(text);
}

static void address_text(void **state)
{
	(void)state;
	char out[KBF_LIVE_ADDR_MAX];
	static const unsigned char a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
				   b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
				   c[16] = {[10] = 0xff, [11] = 0xff, [12] = 10, [15] = 5}, d[16] = {[14] = 0, [15] = 1};
	kbf_live_addr_text(true, a, out);
	assert_string_equal(out, "2001:db8::1");
	kbf_live_addr_text(true, b, out);
	assert_string_equal(out, "2001:db8:0:1::1:0");
	kbf_live_addr_text(true, c, out);
	assert_string_equal(out, "::ffff:10.0.0.5"); /* a v4-mapped address ends dotted, as netstat prints it */
	kbf_live_addr_text(true, d, out);
	assert_string_equal(out, "::1");
	kbf_live_addr_text(false, (const unsigned char *)"\xc0\xa8\x00\xff", out);
	assert_string_equal(out, "192.168.0.255");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp4_owners),
		cmocka_unit_test(owner_gone_as_netstat),
		cmocka_unit_test(tables_without_owners),
		cmocka_unit_test(v6_and_udp),
		cmocka_unit_test(hostile_tables),
		cmocka_unit_test(wine_recording),
		cmocka_unit_test(address_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
