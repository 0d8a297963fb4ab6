/*
 * test_linux_systemd.c — the libsystemd collectors without a running
 * systemd: the journal collector reads a journal file that
 * systemd-journal-remote builds from an export-format fixture
 * (KBDIAG_JOURNAL points at it), and the services collector talks to a
 * fake systemd served over a socket pair by a child process.  Built
 * without libsystemd, both must say so and emit nothing.  With or
 * without, a journal entry's fields become an event.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "importer_harness.h"
#include "linux/linux.h"

#ifdef KBDIAG_HAVE_SYSTEMD
#include <systemd/sd-bus.h>

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"

/* A journal file, dir/test.journal, of the entries of an export fixture. */
static char *make_journal(char **dir, const char *rel)
{
	*dir = scratch_dir();
	char *fixture = fixture_path(rel);
	char *file = malloc(strlen(*dir) + 32);
	sprintf(file, "%s/test.journal", *dir);
	if (access(JOURNAL_REMOTE, X_OK) != 0)
		fail_msg("%s is missing: install the systemd-journal-remote package", JOURNAL_REMOTE);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char out[600];
		snprintf(out, sizeof(out), "--output=%s", file);
		freopen("/dev/null", "w", stderr);
		execl(JOURNAL_REMOTE, JOURNAL_REMOTE, out, fixture, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(fixture);
	return file;
}

static void journal_from_export_fixture(void **state)
{
	(void)state;
	char *dir;
	char *file = make_journal(&dir, "journal/bind-failures.export");
	for (int as_dir = 0; as_dir <= 1; as_dir++) {
		setenv("KBDIAG_JOURNAL", as_dir ? dir : file, 1);
		struct harness h = {0};
		struct kbf_options opt = {.root = ""};
		assert_int_equal(gather(&h, &kbf_linux_journal_collector, &opt), 0);
		assert_null(h.in.unavailable);
		assert_int_equal(h.in.nfacts, 3); /* the PRIORITY=6 entry is left out */
		const struct kb_fact *e = find_int(&h, "event", "record", 1);
		check_str(&h, e, "log", "journal");
		check_str(&h, e, "source", "nginx");
		check_str(&h, e, "unit", "nginx.service");
		check_int(&h, e, "pid", 9734);
		check_str(&h, e, "level", "error");
		check_str(&h, e, "time", "2024-01-05T12:00:01Z");
		check_str(&h, e, "computer", "mail01");
		check_int(&h, e, "code", 98);
		check_str(&h, e, "message", "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)");
		assert_string_equal(e->prov.source, "linux.journal");
		e = find_int(&h, "event", "record", 2);
		check_str(&h, e, "level", "warning");
		check_int(&h, e, "code", 98); /* the ERRNO field */
		check_nil(&h, e, "unit");
		e = find_int(&h, "event", "record", 3);
		check_str(&h, e, "source", "sshd"); /* _COMM without SYSLOG_IDENTIFIER */
		check_str(&h, e, "unit", "ssh.service");
		check_str(&h, e, "time", "2024-01-05T12:00:04Z");
		assert_string_equal(e->prov.text, "2024-01-05T12:00:04Z sshd[812]: error: Bind to port 22 on "
				    "0.0.0.0 failed: Address already in use.");
		harness_close(&h);
	}
	char *empty = scratch_dir();
	setenv("KBDIAG_JOURNAL", empty, 1);
	struct harness h = {0};
	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(&h, &kbf_linux_journal_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "no systemd journal");
	assert_int_equal(h.in.nfacts, 0);
	harness_close(&h);
	unsetenv("KBDIAG_JOURNAL");
	scratch_remove(empty);
	scratch_remove(dir);
	free(file);
}

/* journalctl's output of the journal file as format, in dir/name. */
static char *journalctl(const char *dir, const char *file, const char *format, const char *name)
{
	char *out = malloc(strlen(dir) + strlen(name) + 2);
	sprintf(out, "%s/%s", dir, name);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char arg[600];
		snprintf(arg, sizeof(arg), "--file=%s", file);
		if (!freopen(out, "w", stdout))
			_exit(126);
		execlp("journalctl", "journalctl", arg, "-o", format, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("journalctl -o %s failed (exit %d): install the systemd package", format, WEXITSTATUS(status));
	return out;
}

static bool same_slot(struct kb_value a, struct kb_value b)
{
	if (a.type != b.type)
		return false;
	return a.type == KB_STRING ? strcmp(a.u.s, b.u.s) == 0 : a.type == KB_INT ? a.u.i == b.u.i : a.type == KB_NIL;
}

/* b's events are a's, slot for slot, in the same order. */
static void same_events(const struct harness *a, const struct harness *b, const char *what)
{
	size_t n = count_facts(a, "event");
	if (count_facts(b, "event") != n)
		fail_msg("%s: %zu events, the collector %zu", what, count_facts(b, "event"), n);
	for (size_t i = 0; i < n; i++) {
		const struct kb_fact *x = nth_fact(a, "event", i), *y = nth_fact(b, "event", i);
		for (size_t k = 0; k < x->nslots; k++)
			if (!same_slot(x->slots[k], y->slots[k]))
				fail_msg("%s: event %zu differs in slot %s", what, i + 1,
					 kb_kind_slot(a->eng, x->kind, k)->name);
	}
}

/* What the live collector reads of the journal file into h. */
static void gather_journal(struct harness *h, const char *file)
{
	setenv("KBDIAG_JOURNAL", file, 1);
	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(h, &kbf_linux_journal_collector, &opt), 0);
	unsetenv("KBDIAG_JOURNAL");
}

/* journalctl -o export, -o json and -o json-seq of a journal file, and the
 * file itself, make the events the live collector makes of it: a binary
 * MESSAGE with a line end, one that is not UTF-8 (JSON: a byte array), a
 * repeated field (JSON: an array), SYSLOG_PID for _PID, a binary unit. */
static void journal_importers_match_collector(void **state)
{
	(void)state;
	char *dir;
	char *file = make_journal(&dir, "journal/mixed-fields.export");
	struct harness live = {0};
	gather_journal(&live, file);
	assert_int_equal(live.in.nfacts, 5);
	check_str(&live, find_int(&live, "event", "record", 4), "source", "exim");
	static const char *const formats[][3] = {
		{"export", "out.export", "journal-export"},
		{"json", "out.json", "journal-json"},
		{"json-seq", "out.json-seq", "journal-json"},
	};
	for (size_t i = 0; i < 3; i++) {
		char *out = journalctl(dir, file, formats[i][0], formats[i][1]);
		size_t len;
		unsigned char *raw = file_read(out, &len);
		struct harness h = {0};
		assert_int_equal(import_bytes(&h, NULL, formats[i][1], raw, len), 0);
		assert_string_equal(h.in.format, formats[i][2]);
		assert_int_equal(h.in.nskips, 0);
		same_events(&live, &h, formats[i][0]);
		assert_int_equal(find_int(&h, "event", "record", 2)->prov.line, i == 0 ? 13 : 2);
		harness_close(&h);
		free(raw);
		free(out);
	}
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(h.eng, file, &inputs), 0);
	assert_string_equal(inputs.v[0].format, "journal-file");
	assert_int_equal(inputs.v[0].nskips, 0);
	same_events(&live, &h, "journal file");
	assert_string_equal(find_int(&h, "event", "record", 2)->prov.text,
			    find_int(&live, "event", "record", 2)->prov.text);
	kbf_inputs_free(&inputs);
	harness_close(&h);
	harness_close(&live);
	scratch_remove(dir);
	free(file);
}

/* A journal file cut short (its first 4 MiB of 8): libsystemd refuses
 * the whole of it, and the input says why.  One held in memory (an
 * archive's entry) cannot be handed to libsystemd, which reads only files
 * with a name on disk: the input says so. */
static void journal_file_cut_short_or_in_memory(void **state)
{
	(void)state;
	char *dir;
	char *file = make_journal(&dir, "journal/mixed-fields.export");
	size_t len;
	unsigned char *raw = file_read(file, &len);
	assert_int_equal(len, 8 << 20);
	scratch_write_bytes(dir, "cut.journal", raw, 4 << 20);
	char *cut = malloc(strlen(dir) + 16);
	sprintf(cut, "%s/cut.journal", dir);
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(h.eng, cut, &inputs), 1);
	assert_string_equal(inputs.v[0].format, "journal-file");
	assert_non_null(strstr(inputs.v[0].err.msg, "it is cut short (4194304 of the 8388608 bytes its header gives)"));
	kbf_inputs_free(&inputs);
	harness_close(&h);
	assert_int_equal(import_bytes(&h, NULL, "logs.zip!system.journal", raw, len), -1);
	assert_string_equal(h.in.format, "journal-file");
	assert_non_null(strstr(h.in.err.msg, "inside an archive or comes through a pipe"));
	harness_close(&h);
	free(cut);
	free(raw);
	scratch_remove(dir);
	free(file);
}

/* ---- a fake systemd ---------------------------------------------------------------- */

static int list_units(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	static const char *const units[][4] = {
		{"nginx.service", "A high performance web server", "failed", "failed"},
		{"ssh.service", "OpenBSD Secure Shell server", "active", "running"},
		{"dovecot.service", "Dovecot IMAP/POP3 email server", "active", "running"},
		{"-.mount", "Root Mount", "active", "mounted"},
	};
	sd_bus_message *reply = NULL;
	int r = sd_bus_message_new_method_return(m, &reply);
	r = r < 0 ? r : sd_bus_message_open_container(reply, 'a', "(ssssssouso)");
	for (size_t i = 0; r >= 0 && i < 4; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/org/freedesktop/systemd1/unit/u%zu", i);
		r = sd_bus_message_append(reply, "(ssssssouso)", units[i][0], units[i][1], "loaded", units[i][2],
					  units[i][3], "", path, 0u, "", "/");
	}
	r = r < 0 ? r : sd_bus_message_close_container(reply);
	r = r < 0 ? r : sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int main_pid(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *ud, sd_bus_error *err)
{
	uint32_t pid = strcmp(path, "/org/freedesktop/systemd1/unit/u1") == 0 ? 812 : 1200;
	return sd_bus_message_append(reply, "u", pid);
}

static int find_unit(sd_bus *bus, const char *path, const char *iface, void *ud, void **found,
		     sd_bus_error *err)
{
	*found = NULL;
	return 1;
}

static const sd_bus_vtable manager[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("ListUnits", "", "a(ssssssouso)", list_units, 0),
	SD_BUS_VTABLE_END,
};
static const sd_bus_vtable service[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("MainPID", "u", main_pid, 0, 0),
	SD_BUS_VTABLE_END,
};

static void serve(int fd)
{
	sd_bus *bus = NULL;
	sd_id128_t id;
	if (sd_bus_new(&bus) < 0 || sd_bus_set_fd(bus, fd, fd) < 0 || sd_id128_randomize(&id) < 0 ||
	    sd_bus_set_server(bus, 1, id) < 0 || sd_bus_set_anonymous(bus, 1) < 0 || sd_bus_start(bus) < 0 ||
	    sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
				     manager, NULL) < 0 ||
	    sd_bus_add_fallback_vtable(bus, NULL, "/org/freedesktop/systemd1/unit",
				       "org.freedesktop.systemd1.Service", service, find_unit, NULL) < 0)
		_exit(3);
	for (;;) {
		int r = sd_bus_process(bus, NULL);
		if (r < 0)
			_exit(0); /* the client hung up */
		if (r == 0 && sd_bus_wait(bus, 5000000) <= 0)
			_exit(4);
	}
}

static void services_from_fake_systemd(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(sv[1]);
		serve(sv[0]);
	}
	close(sv[0]);
	sd_bus *bus = NULL;
	assert_int_equal(sd_bus_new(&bus), 0);
	assert_int_equal(sd_bus_set_fd(bus, sv[1], sv[1]), 0);
	assert_int_equal(sd_bus_set_anonymous(bus, 1), 0);
	assert_true(sd_bus_start(bus) >= 0);
	struct harness h;
	harness_open(&h);
	struct kbf_input in = {.eng = h.eng, .path = "linux.services"};
	assert_int_equal(kbf_systemd_gather_bus(&in, bus), 0);
	assert_int_equal(in.nfacts, 3); /* the mount unit is not a service */
	const struct kb_fact *s = find_str(&h, "service", "name", "nginx.service");
	check_str(&h, s, "display_name", "A high performance web server");
	check_str(&h, s, "state", "failed");
	check_str(&h, s, "sub_state", "failed");
	check_nil(&h, s, "pid");
	s = find_str(&h, "service", "name", "ssh.service");
	check_str(&h, s, "state", "active");
	check_str(&h, s, "sub_state", "running");
	check_int(&h, s, "pid", 812);
	check_int(&h, find_str(&h, "service", "name", "dovecot.service"), "pid", 1200);
	assert_string_equal(s->prov.text, "ssh.service active running OpenBSD Secure Shell server");
	sd_bus_flush_close_unref(bus);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	harness_close(&h);
}

static void services_without_a_bus(void **state)
{
	(void)state;
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/kbdiag-bus", 1);
	struct harness h = {0};
	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(&h, &kbf_linux_services_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "no system bus");
	unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	harness_close(&h);
}

#else

static void built_without_libsystemd(void **state)
{
	(void)state;
	struct harness h = {0};
	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(&h, &kbf_linux_journal_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "built without libsystemd");
	assert_int_equal(gather(&h, &kbf_linux_services_collector, &opt), 0);
	assert_string_equal(h.in.unavailable, "built without libsystemd");
	assert_int_equal(kb_fact_count(h.eng), 0);
	harness_close(&h);
}

#endif

/* What journal.c does with the "FIELD=value" blobs libsystemd returns,
 * built with or without it. */
static void journal_entry_from_field_blobs(void **state)
{
	(void)state;
	static const char msg[] = "MESSAGE=bind a=b\0\xFF failed (98: Address already in use)";
	const struct { const char *s; size_t n; } blobs[] = {
		{"MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1", 43}, /* a longer name is not MESSAGE */
		{msg, sizeof(msg) - 1},         /* value with '=', NUL and a byte that is not UTF-8 */
		{"MESSAGE=second", 14},         /* the first of a field is kept */
		{"PRIORITY=3x", 11},            /* not a number: no level */
		{"_PID=0", 6},                  /* no pid: SYSLOG_PID instead */
		{"SYSLOG_PID=4242", 15},
		{"_COMM=named", 11},
		{"no equals sign", 14},
	};
	struct harness h;
	harness_open(&h);
	struct kbf_input in = {.eng = h.eng, .path = "linux.journal"};
	struct kbf_journal_fields fs = {0};
	kbf_journal_fields_clear(&fs);
	for (size_t i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++)
		kbf_journal_field_add(&fs, blobs[i].s, blobs[i].n);
	assert_int_equal(kbf_journal_entry_emit(&in, &fs, NULL, 7), 0);
	const struct kb_fact *e = find_int(&h, "event", "record", 7);
	check_str(&h, e, "message", "bind a=b\xEF\xBF\xBD\xEF\xBF\xBD failed (98: Address already in use)");
	check_str(&h, e, "source", "named");
	check_int(&h, e, "pid", 4242);
	check_int(&h, e, "code", 98);
	check_nil(&h, e, "level");
	check_nil(&h, e, "time");
	kbf_journal_fields_clear(&fs); /* the next entry starts empty */
	kbf_journal_field_add(&fs, "PRIORITY=4", 10);
	uint64_t usec = 1704456001999999;
	assert_int_equal(kbf_journal_entry_emit(&in, &fs, &usec, 8), 0);
	e = find_int(&h, "event", "record", 8);
	check_str(&h, e, "level", "warning");
	check_str(&h, e, "time", "2024-01-05T12:00:01Z");
	check_nil(&h, e, "message");
	check_nil(&h, e, "source");
	kbf_journal_fields_free(&fs);
	harness_close(&h);
}

/* The export and JSON readers' own checks, built with or without
 * libsystemd: what is recognised, and what is left out and said. */
static void journal_text_formats_recognised(void **state)
{
	(void)state;
	static const char export[] = "__CURSOR=s=1\n__REALTIME_TIMESTAMP=1\nMESSAGE=x\n\n";
	assert_ptr_equal(recognise_bytes(export, sizeof(export) - 1), &kbf_journal_export_importer);
	static const char os_release[] = "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n";
	assert_int_equal(probe_bytes(&kbf_journal_export_importer, os_release, sizeof(os_release) - 1), 0);
	static const char seq[] = "\x1e{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"x\"}\n";
	assert_ptr_equal(recognise_bytes(seq, sizeof(seq) - 1), &kbf_journal_json_importer);
	static const char other[] = "{\"kbdiag_snapshot\": 1, \"facts\": []}\n";
	assert_int_equal(probe_bytes(&kbf_journal_json_importer, other, sizeof(other) - 1), 0);
}

static void journal_json_left_out(void **state)
{
	(void)state;
	struct harness h = {0};
	import_str(&h, &kbf_journal_json_importer,
		   "{\"__REALTIME_TIMESTAMP\":\"1704456001000000\",\"PRIORITY\":\"3\",\"MESSAGE\":null,"
		   "\"SYSLOG_IDENTIFIER\":[\"a\",[98,99]],\"_PID\":[49,50]}\n"
		   "{\"__REALTIME_TIMESTAMP\":\"1704456002000000\",\"MESSAGE\":7}\n"
		   "{\"__REALTIME_TIMESTAMP\":\"1704456003000000\",\"MESSAGE\":\"cut sho");
	assert_int_equal(h.rc, 0);
	assert_int_equal(count_facts(&h, "event"), 1);
	const struct kb_fact *e = nth_fact(&h, "event", 0);
	check_str(&h, e, "source", "a");
	check_int(&h, e, "pid", 12);
	check_nil(&h, e, "message");
	check_str(&h, e, "time", "2024-01-05T12:00:01Z");
	assert_int_equal(h.in.nskips, 3);
	assert_int_equal(h.in.skips[0].line, 1);
	assert_non_null(strstr(h.in.skips[0].reason, "field MESSAGE left out by journalctl"));
	assert_int_equal(h.in.skips[1].line, 2);
	assert_non_null(strstr(h.in.skips[1].reason, "not a string, an array or null"));
	assert_int_equal(h.in.skips[2].line, 3);
	harness_close(&h);
}

static void journal_export_left_out(void **state)
{
	(void)state;
	struct harness h = {0};
	static const char export[] = "__REALTIME_TIMESTAMP=1704456001000000\nPRIORITY=3\nMESSAGE=kept\n\n"
				     "__REALTIME_TIMESTAMP=1704456002000000\nnot a field\nMESSAGE=gone\n\n"
				     "__REALTIME_TIMESTAMP=1704456003000000\nMESSAGE\n\x05\0\0\0\0\0\0\0a\nb\0c\n\n"
				     "__REALTIME_TIMESTAMP=1704456004000000\nMESSAGE\n\xff\0\0\0\0\0\0\0short\n";
	import_bytes(&h, &kbf_journal_export_importer, "journal.export", export, sizeof(export) - 1);
	assert_int_equal(h.rc, -1);
	assert_int_equal(count_facts(&h, "event"), 2);
	check_str(&h, nth_fact(&h, "event", 0), "message", "kept");
	assert_int_equal(nth_fact(&h, "event", 0)->prov.line, 1);
	const struct kb_fact *e = nth_fact(&h, "event", 1);
	check_str(&h, e, "message", "a\nb\xEF\xBF\xBD" "c"); /* a binary value: its NUL repaired */
	check_int(&h, e, "record", 3);
	assert_int_equal(e->prov.line, 9);
	assert_int_equal(h.in.nskips, 1);
	assert_int_equal(h.in.skips[0].line, 5);
	assert_non_null(strstr(h.in.skips[0].reason, "line 6 is no journal field"));
	assert_int_equal(h.in.err_line, 14);
	assert_non_null(strstr(h.in.err.msg, "binary field MESSAGE claims 255 bytes, and the file ends first"));
	harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_entry_from_field_blobs),
		cmocka_unit_test(journal_text_formats_recognised),
		cmocka_unit_test(journal_json_left_out),
		cmocka_unit_test(journal_export_left_out),
#ifdef KBDIAG_HAVE_SYSTEMD
		cmocka_unit_test(journal_from_export_fixture),
		cmocka_unit_test(journal_importers_match_collector),
		cmocka_unit_test(journal_file_cut_short_or_in_memory),
		cmocka_unit_test(services_from_fake_systemd),
		cmocka_unit_test(services_without_a_bus),
#else
		cmocka_unit_test(built_without_libsystemd),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
