/*
 * test_linux_logs.c — Linux log lines as events: every format the
 * parser knows (traditional and ISO syslog, nginx, Apache 2.4 and 2.2,
 * dovecot, plain stderr), the errno each line reports, levels, times,
 * provenance, recognising log files by content, and the logs collector
 * (syslog tail with true line numbers, --log files, unreadable ones).
 */
#include "importer_harness.h"
#include "linux/linux.h"

static void errno_forms(void **state)
{
	(void)state;
	static const struct { const char *s; int code; } cases[] = {
		{"bind() to 127.0.0.1:21180 failed (98: Address already in use)", 98},
		{"(99)Cannot assign requested address: AH00072: make_sock: could not bind", 99},
		{"daemon: bind(8) failed errno=13 (Permission denied)", 13},
		{"Bind to port 22 on 0.0.0.0 failed: Address already in use.", 98},
		{"bind 0.0.0.0 port 25: Permission denied", 13},
		{"Cannot assign requested address", 99},
		{"listen(*, 143) failed: Address already in use", 98},
		{"open() \"/x\" failed (2: No such file or directory)", 2},
		{"ioctl: No such device or address", 6},  /* the longest text wins */
		{"ioctl: No such device", 19},
		{"connect() failed (111: Connection refused) while connecting", 111},
		{"(20014)Internal error (specific information not available): AH00058", 0}, /* APR, not errno */
		{"failed to bind 0.0.0.0:8110 (10048: Only one usage of each socket address)", 10048}, /* Winsock */
		{"failed to bind 0.0.0.0:8110 (12048: not a Winsock code)", 0},
		{"Cannot bind any address.", 0},
		{"the address already in use is fine lower case", 0},
		{"status: Address already in useless", 0}, /* word boundary */
		{"service(imap-login): listen(*, 143)", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = kbf_log_errno(cases[i].s, strlen(cases[i].s));
		if (got != cases[i].code)
			fail_msg("%s: got %d, want %d", cases[i].s, got, cases[i].code);
	}
}

/* Imports tests/fixtures/<rel> shown as rel. */
static void import_log(struct harness *h, const char *rel, int score, size_t nfacts)
{
	assert_int_equal(import_fixture_as(h, &kbf_logfile_importer, rel, rel), 0);
	assert_int_equal(h->score, score);
	assert_int_equal(h->in.nfacts, nfacts);
}

static const struct kb_fact *record(const struct harness *h, int64_t line)
{
	const struct kb_fact *f = find_int(h, "event", "record", line);
	assert_non_null(f);
	assert_int_equal(f->prov.line, line);
	return f;
}

static void traditional_syslog(void **state)
{
	(void)state;
	struct harness h;
	harness_open(&h);
	size_t len;
	unsigned char *raw = fixture_read("linux-log/syslog", &len);
	struct kbf_text t;
	kbf_text_decode(&t, raw, len);
	assert_int_equal(kbf_logfile_importer.probe(&t), 60);
	struct kbf_input in = {.eng = h.eng, .path = "syslog"};
	assert_int_equal(kbf_log_emit_text(&in, &t, "syslog", NULL, 1, 2024, 1), 8);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "log", "syslog");
	check_str(&h, f, "source", "sshd");
	check_int(&h, f, "pid", 812);
	check_str(&h, f, "computer", "mail01");
	check_str(&h, f, "time", "2024-01-05T12:00:01");
	check_str(&h, f, "level", "error");
	check_int(&h, f, "code", 98);
	check_str(&h, f, "message", "error: Bind to port 22 on 0.0.0.0 failed: Address already in use.");
	assert_string_equal(f->prov.source, "syslog");
	assert_string_equal(f->prov.text, "Jan  5 12:00:01 mail01 sshd[812]: error: Bind to port 22 on 0.0.0.0 failed: Address already in use.");
	check_str(&h, record(&h, 2), "level", "error"); /* "fatal: " */
	check_nil(&h, record(&h, 2), "code");
	f = record(&h, 3);
	check_str(&h, f, "source", "dovecot");
	check_nil(&h, f, "pid");
	check_str(&h, f, "level", "error");
	check_int(&h, f, "code", 98);
	f = record(&h, 4);
	check_str(&h, f, "source", "postfix/master");
	check_int(&h, f, "pid", 1400);
	check_int(&h, f, "code", 98);
	f = record(&h, 5);
	check_str(&h, f, "source", "kernel");
	check_nil(&h, f, "level");
	check_nil(&h, f, "code");
	f = record(&h, 6);
	check_str(&h, f, "time", "2024-01-15T08:09:10");
	check_int(&h, f, "code", 99);
	check_str(&h, f, "level", "error");
	check_str(&h, record(&h, 7), "time", "2023-12-31T23:59:59"); /* after the reference month */
	check_str(&h, record(&h, 7), "message", "(root) CMD (run-parts /etc/cron.hourly)");
	check_int(&h, record(&h, 8), "code", 13);
	kbf_text_free(&t);
	free(raw);
	harness_close(&h);
	kbf_input_free_notes(&in);
}

static void iso_syslog(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/syslog-iso", 60, 4);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "time", "2024-01-05T12:00:01Z");
	check_str(&h, f, "source", "sshd");
	check_int(&h, f, "code", 98);
	check_str(&h, f, "log", "linux-log/syslog-iso");
	f = record(&h, 2);
	check_str(&h, f, "time", "2024-01-05T12:00:01Z"); /* +01:00 */
	check_str(&h, f, "source", "nginx");
	check_int(&h, f, "pid", 9734);
	check_int(&h, f, "code", 98);
	check_str(&h, f, "level", "error");
	f = record(&h, 3);
	check_str(&h, f, "time", "2024-01-05T12:00:02Z");
	check_nil(&h, f, "level");
	f = record(&h, 4);
	check_str(&h, f, "time", "2024-01-05T12:00:03Z"); /* -0500 */
	check_str(&h, f, "level", "warning");
	check_str(&h, f, "source", "dovecot");
	harness_close(&h);
}

/* A Windows program's own log, as tests/windows/programs/bindfail.c
 * wrote it under wine: an ISO stamp, no host, a Winsock code. */
static void program_own_log(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/program-own.log", 60, 1);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "source", "bindfail");
	check_int(&h, f, "pid", 260);
	check_nil(&h, f, "computer");
	check_int(&h, f, "code", 10048);
	check_str(&h, f, "level", "error");
	check_str(&h, f, "message", "failed to bind 0.0.0.0:18110 (10048: WSAEADDRINUSE)");
	harness_close(&h);
}

static void nginx_error_log(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/nginx-error.log", 60, 7);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "source", "nginx");
	check_int(&h, f, "pid", 9734);
	check_str(&h, f, "level", "error");
	check_str(&h, f, "time", "2024-01-05T12:00:01");
	check_int(&h, f, "code", 98);
	check_str(&h, f, "message", "bind() to 127.0.0.1:21180 failed (98: Address already in use)");
	check_str(&h, record(&h, 2), "level", "information");
	check_nil(&h, record(&h, 2), "code");
	/* line 3 repeats line 1 word for word: still its own event */
	check_int(&h, record(&h, 3), "code", 98);
	check_int(&h, record(&h, 5), "code", 99);
	check_int(&h, record(&h, 5), "pid", 9737);
	check_int(&h, record(&h, 6), "code", 2);
	check_str(&h, record(&h, 7), "level", "warning");
	harness_close(&h);
}

static void apache_error_log(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/apache-error.log", 60, 6);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "source", "apache2");
	check_str(&h, f, "category", "core");
	check_int(&h, f, "pid", 123);
	check_str(&h, f, "level", "error");
	check_str(&h, f, "time", "2024-01-05T12:00:01");
	check_int(&h, f, "code", 98);
	check_int(&h, f, "id", 72);
	check_str(&h, f, "message", "(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:21180");
	check_str(&h, record(&h, 2), "level", "error"); /* alert */
	f = record(&h, 3);
	check_nil(&h, f, "category");
	check_int(&h, f, "id", 15);
	f = record(&h, 4); /* 2.2 layout */
	check_int(&h, f, "code", 99);
	check_nil(&h, f, "pid");
	check_str(&h, f, "time", "2024-01-05T12:00:02");
	check_str(&h, record(&h, 5), "level", "information");
	f = record(&h, 6);
	check_str(&h, f, "message", "AH01630: client denied by server configuration: /var/www/private");
	check_int(&h, f, "id", 1630);
	harness_close(&h);
}

static void dovecot_log(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/dovecot.log", 60, 4);
	const struct kb_fact *f = record(&h, 1);
	check_str(&h, f, "source", "dovecot");
	check_str(&h, f, "category", "master");
	check_str(&h, f, "level", "error");
	check_int(&h, f, "code", 98);
	check_nil(&h, f, "computer");
	check_str(&h, f, "message", "service(imap-login): listen(*, 143) failed: Address already in use");
	assert_int_equal(strlen(slot_value(&h, f, "time").u.s), 19);
	check_str(&h, record(&h, 3), "level", "error"); /* Fatal */
	check_str(&h, record(&h, 4), "level", "information");
	check_str(&h, record(&h, 4), "category", "imap-login");
	harness_close(&h);
}

static void plain_lines(void **state)
{
	(void)state;
	struct harness h = {0};
	import_log(&h, "linux-log/sshd-stderr.txt", 15, 3);
	const struct kb_fact *f = record(&h, 1);
	check_int(&h, f, "code", 98);
	check_str(&h, f, "level", "error");
	check_nil(&h, f, "source");
	check_nil(&h, f, "time");
	check_str(&h, f, "message", "Bind to port 21180 on 127.0.0.1 failed: Address already in use.");
	check_nil(&h, record(&h, 2), "code");
	check_nil(&h, record(&h, 2), "level");
	check_int(&h, record(&h, 3), "code", 99);
	harness_close(&h);
	import_log(&h, "linux-log/apache2-X.txt", 15, 4);
	check_int(&h, record(&h, 1), "code", 98);
	check_int(&h, record(&h, 4), "code", 99);
	harness_close(&h);
	const char netstat[] = "Proto  Local Address          Foreign Address        State\r\n"
			       "TCP    0.0.0.0:110            0.0.0.0:0              LISTENING\r\n";
	assert_int_equal(probe_bytes(&kbf_logfile_importer, netstat, sizeof(netstat) - 1), 0);
}

static void logs_collector(void **state)
{
	(void)state;
	char *root = scratch_dir();
	struct kbf_options opt = {.root = root};
	struct harness h = {0};
	assert_int_equal(gather(&h, &kbf_linux_logs_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "no readable syslog file");
	harness_close(&h);

	/* 30000 filler lines (> 1 MiB) before the two that matter */
	char path[512];
	snprintf(path, sizeof(path), "%s/var/log/syslog", root);
	scratch_write(root, "var/log/syslog", "%s", "");
	FILE *f = fopen(path, "w");
	for (int i = 0; i < 30000; i++)
		fprintf(f, "Jan  5 11:%02d:%02d mail01 CRON[%d]: (root) CMD (filler line %d)\n", i / 600 % 60,
			i % 60, i, i);
	fprintf(f, "Jan  5 12:00:01 mail01 sshd[812]: error: Bind to port 22 on 0.0.0.0 failed: Address already in use.\n");
	fclose(f);
	static const char *logs[] = {NULL, "/nonexistent/kbdiag.log"};
	char *nginx = fixture_path("linux-log/nginx-error.log");
	logs[0] = nginx;
	opt.logs = logs;
	opt.nlogs = 1;
	assert_int_equal(gather(&h, &kbf_linux_logs_collector, &opt), 0);
	assert_null(h.in.unavailable);
	const struct kb_fact *e = find_int(&h, "event", "pid", 812);
	assert_non_null(e);
	check_str(&h, e, "log", "syslog");
	assert_string_equal(e->prov.source, "/var/log/syslog");
	assert_int_equal(e->prov.line, 30001);
	check_int(&h, e, "record", 30001);
	assert_true(h.in.nfacts < 30000); /* only the tail */
	e = find_int(&h, "event", "pid", 9737);
	check_str(&h, e, "log", nginx);
	assert_string_equal(e->prov.source, nginx);
	assert_int_equal(e->prov.line, 5);
	harness_close(&h);

	opt.nlogs = 2;
	assert_int_equal(gather(&h, &kbf_linux_logs_collector, &opt), -1);
	assert_non_null(strstr(h.in.err.msg, "--log /nonexistent/kbdiag.log"));
	assert_non_null(find_int(&h, "event", "pid", 9737)); /* the rest still read */
	harness_close(&h);
	free(nginx);
	scratch_remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_forms),
		cmocka_unit_test(traditional_syslog),
		cmocka_unit_test(iso_syslog),
		cmocka_unit_test(program_own_log),
		cmocka_unit_test(nginx_error_log),
		cmocka_unit_test(apache_error_log),
		cmocka_unit_test(dovecot_log),
		cmocka_unit_test(plain_lines),
		cmocka_unit_test(logs_collector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
