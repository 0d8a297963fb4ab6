/*
 * test_linux_logs.c — Linux log lines as events: every format the
 * parser knows (traditional and ISO syslog, nginx, Apache 2.4 and 2.2,
 * dovecot, plain stderr), the errno each line reports, levels, times,
 * provenance, recognising log files by content, and the logs collector
 * (syslog tail with true line numbers, --log files, unreadable ones).
 */
#include "linux_test_util.h"
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

static struct kb_engine *import_log(const char *rel, int score, size_t nfacts)
{
	struct kb_engine *eng = lt_engine();
	char *path = fixture_path(rel);
	size_t len;
	unsigned char *raw = file_read(path, &len);
	assert_int_equal(lt_probe(&kbf_logfile_importer, raw, len), score);
	struct kbf_input in;
	assert_int_equal(lt_import(eng, &kbf_logfile_importer, raw, len, rel, &in), 0);
	assert_int_equal(in.nfacts, nfacts);
	free(raw);
	free(path);
	return eng;
}

static const struct kb_fact *record(struct kb_engine *eng, int64_t line)
{
	const struct kb_fact *f = lt_find_int(eng, "event", "record", line);
	assert_non_null(f);
	assert_int_equal(f->prov.line, line);
	return f;
}

static void traditional_syslog(void **state)
{
	(void)state;
	struct kb_engine *eng = lt_engine();
	char *path = fixture_path("linux-log/syslog");
	size_t len;
	unsigned char *raw = file_read(path, &len);
	struct kbf_text t;
	assert_int_equal(kbf_text_decode(&t, raw, len), 0);
	assert_int_equal(kbf_logfile_importer.probe(&t), 60);
	struct kbf_input in = {.eng = eng, .path = "syslog"};
	assert_int_equal(kbf_log_emit_text(&in, &t, "syslog", NULL, 1, 2024, 1), 8);
	const struct kb_fact *f = record(eng, 1);
	lt_str(eng, f, "log", "syslog");
	lt_str(eng, f, "source", "sshd");
	lt_int(eng, f, "pid", 812);
	lt_str(eng, f, "computer", "mail01");
	lt_str(eng, f, "time", "2024-01-05T12:00:01");
	lt_str(eng, f, "level", "error");
	lt_int(eng, f, "code", 98);
	lt_str(eng, f, "message", "error: Bind to port 22 on 0.0.0.0 failed: Address already in use.");
	assert_string_equal(f->prov.source, "syslog");
	assert_string_equal(f->prov.text, "Jan  5 12:00:01 mail01 sshd[812]: error: Bind to port 22 on 0.0.0.0 failed: Address already in use.");
	lt_str(eng, record(eng, 2), "level", "error"); /* "fatal: " */
	lt_nil(eng, record(eng, 2), "code");
	f = record(eng, 3);
	lt_str(eng, f, "source", "dovecot");
	lt_nil(eng, f, "pid");
	lt_str(eng, f, "level", "error");
	lt_int(eng, f, "code", 98);
	f = record(eng, 4);
	lt_str(eng, f, "source", "postfix/master");
	lt_int(eng, f, "pid", 1400);
	lt_int(eng, f, "code", 98);
	f = record(eng, 5);
	lt_str(eng, f, "source", "kernel");
	lt_nil(eng, f, "level");
	lt_nil(eng, f, "code");
	f = record(eng, 6);
	lt_str(eng, f, "time", "2024-01-15T08:09:10");
	lt_int(eng, f, "code", 99);
	lt_str(eng, f, "level", "error");
	lt_str(eng, record(eng, 7), "time", "2023-12-31T23:59:59"); /* after the reference month */
	lt_str(eng, record(eng, 7), "message", "(root) CMD (run-parts /etc/cron.hourly)");
	lt_int(eng, record(eng, 8), "code", 13);
	kbf_text_free(&t);
	free(raw);
	free(path);
	kb_engine_free(eng);
}

static void iso_syslog(void **state)
{
	(void)state;
	struct kb_engine *eng = import_log("linux-log/syslog-iso", 60, 4);
	const struct kb_fact *f = record(eng, 1);
	lt_str(eng, f, "time", "2024-01-05T12:00:01Z");
	lt_str(eng, f, "source", "sshd");
	lt_int(eng, f, "code", 98);
	lt_str(eng, f, "log", "linux-log/syslog-iso");
	f = record(eng, 2);
	lt_str(eng, f, "time", "2024-01-05T12:00:01Z"); /* +01:00 */
	lt_str(eng, f, "source", "nginx");
	lt_int(eng, f, "pid", 9734);
	lt_int(eng, f, "code", 98);
	lt_str(eng, f, "level", "error");
	f = record(eng, 3);
	lt_str(eng, f, "time", "2024-01-05T12:00:02Z");
	lt_nil(eng, f, "level");
	f = record(eng, 4);
	lt_str(eng, f, "time", "2024-01-05T12:00:03Z"); /* -0500 */
	lt_str(eng, f, "level", "warning");
	lt_str(eng, f, "source", "dovecot");
	kb_engine_free(eng);
}

static void nginx_error_log(void **state)
{
	(void)state;
	struct kb_engine *eng = import_log("linux-log/nginx-error.log", 60, 7);
	const struct kb_fact *f = record(eng, 1);
	lt_str(eng, f, "source", "nginx");
	lt_int(eng, f, "pid", 9734);
	lt_str(eng, f, "level", "error");
	lt_str(eng, f, "time", "2024-01-05T12:00:01");
	lt_int(eng, f, "code", 98);
	lt_str(eng, f, "message", "bind() to 127.0.0.1:21180 failed (98: Address already in use)");
	lt_str(eng, record(eng, 2), "level", "information");
	lt_nil(eng, record(eng, 2), "code");
	/* line 3 repeats line 1 word for word: still its own event */
	lt_int(eng, record(eng, 3), "code", 98);
	lt_int(eng, record(eng, 5), "code", 99);
	lt_int(eng, record(eng, 5), "pid", 9737);
	lt_int(eng, record(eng, 6), "code", 2);
	lt_str(eng, record(eng, 7), "level", "warning");
	kb_engine_free(eng);
}

static void apache_error_log(void **state)
{
	(void)state;
	struct kb_engine *eng = import_log("linux-log/apache-error.log", 60, 6);
	const struct kb_fact *f = record(eng, 1);
	lt_str(eng, f, "source", "apache2");
	lt_str(eng, f, "category", "core");
	lt_int(eng, f, "pid", 123);
	lt_str(eng, f, "level", "error");
	lt_str(eng, f, "time", "2024-01-05T12:00:01");
	lt_int(eng, f, "code", 98);
	lt_int(eng, f, "id", 72);
	lt_str(eng, f, "message", "(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:21180");
	lt_str(eng, record(eng, 2), "level", "error"); /* alert */
	f = record(eng, 3);
	lt_nil(eng, f, "category");
	lt_int(eng, f, "id", 15);
	f = record(eng, 4); /* 2.2 layout */
	lt_int(eng, f, "code", 99);
	lt_nil(eng, f, "pid");
	lt_str(eng, f, "time", "2024-01-05T12:00:02");
	lt_str(eng, record(eng, 5), "level", "information");
	f = record(eng, 6);
	lt_str(eng, f, "message", "AH01630: client denied by server configuration: /var/www/private");
	lt_int(eng, f, "id", 1630);
	kb_engine_free(eng);
}

static void dovecot_log(void **state)
{
	(void)state;
	struct kb_engine *eng = import_log("linux-log/dovecot.log", 60, 4);
	const struct kb_fact *f = record(eng, 1);
	lt_str(eng, f, "source", "dovecot");
	lt_str(eng, f, "category", "master");
	lt_str(eng, f, "level", "error");
	lt_int(eng, f, "code", 98);
	lt_nil(eng, f, "computer");
	lt_str(eng, f, "message", "service(imap-login): listen(*, 143) failed: Address already in use");
	assert_int_equal(strlen(lt_slot(eng, f, "time").u.s), 19);
	lt_str(eng, record(eng, 3), "level", "error"); /* Fatal */
	lt_str(eng, record(eng, 4), "level", "information");
	lt_str(eng, record(eng, 4), "category", "imap-login");
	kb_engine_free(eng);
}

static void plain_lines(void **state)
{
	(void)state;
	struct kb_engine *eng = import_log("linux-log/sshd-stderr.txt", 15, 3);
	const struct kb_fact *f = record(eng, 1);
	lt_int(eng, f, "code", 98);
	lt_str(eng, f, "level", "error");
	lt_nil(eng, f, "source");
	lt_nil(eng, f, "time");
	lt_str(eng, f, "message", "Bind to port 21180 on 127.0.0.1 failed: Address already in use.");
	lt_nil(eng, record(eng, 2), "code");
	lt_nil(eng, record(eng, 2), "level");
	lt_int(eng, record(eng, 3), "code", 99);
	kb_engine_free(eng);
	eng = import_log("linux-log/apache2-X.txt", 15, 4);
	lt_int(eng, record(eng, 1), "code", 98);
	lt_int(eng, record(eng, 4), "code", 99);
	kb_engine_free(eng);
	const char netstat[] = "Proto  Local Address          Foreign Address        State\r\n"
			       "TCP    0.0.0.0:110            0.0.0.0:0              LISTENING\r\n";
	assert_int_equal(lt_probe(&kbf_logfile_importer, netstat, sizeof(netstat) - 1), 0);
}

static void logs_collector(void **state)
{
	(void)state;
	char *root = lt_tmpdir();
	struct kbf_options opt = {.root = root};
	struct kb_engine *eng = lt_engine();
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_logs_collector, &opt, &in), 0);
	assert_string_equal(in.unavailable, "no readable syslog file");
	kb_engine_free(eng);

	/* 30000 filler lines (> 1 MiB) before the two that matter */
	char path[512];
	snprintf(path, sizeof(path), "%s/var/log/syslog", root);
	lt_write(root, "var/log/syslog", "%s", "");
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
	eng = lt_engine();
	assert_int_equal(lt_gather(eng, &kbf_linux_logs_collector, &opt, &in), 0);
	assert_null(in.unavailable);
	const struct kb_fact *e = lt_find_int(eng, "event", "pid", 812);
	assert_non_null(e);
	lt_str(eng, e, "log", "syslog");
	assert_string_equal(e->prov.source, "/var/log/syslog");
	assert_int_equal(e->prov.line, 30001);
	lt_int(eng, e, "record", 30001);
	assert_true(in.nfacts < 30000); /* only the tail */
	e = lt_find_int(eng, "event", "pid", 9737);
	lt_str(eng, e, "log", nginx);
	assert_string_equal(e->prov.source, nginx);
	assert_int_equal(e->prov.line, 5);
	kb_engine_free(eng);

	opt.nlogs = 2;
	eng = lt_engine();
	assert_int_equal(lt_gather(eng, &kbf_linux_logs_collector, &opt, &in), -1);
	assert_non_null(strstr(in.err.msg, "--log /nonexistent/kbdiag.log"));
	assert_non_null(lt_find_int(eng, "event", "pid", 9737)); /* the rest still read */
	kb_engine_free(eng);
	free(nginx);
	lt_rmtree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_forms),
		cmocka_unit_test(traditional_syslog),
		cmocka_unit_test(iso_syslog),
		cmocka_unit_test(nginx_error_log),
		cmocka_unit_test(apache_error_log),
		cmocka_unit_test(dovecot_log),
		cmocka_unit_test(plain_lines),
		cmocka_unit_test(logs_collector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
