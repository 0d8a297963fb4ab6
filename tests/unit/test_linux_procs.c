/*
 * test_linux_procs.c — the owner scan and the processes collector on a
 * fake /proc tree (kbf_options.root): stat, comm, cmdline, exe and fd
 * links as the kernel shows them, /proc/stat's btime, and /proc/net/tcp;
 * and the collectors run with the host read ahead on another thread.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "importer_harness.h"
#include "linux/linux.h"

/* 1704456000 = 2024-01-05T12:00:00Z; starttime 12345 ticks at 100 Hz. */
#define BTIME 1704456000

static void fake_process(const char *root, int pid, int ppid, const char *comm, const char *cmdline,
			 size_t cmdlen, const char *exe)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "proc/%d/stat", pid);
	scratch_write(root, rel, "%d (%s) S %d %d %d 0 -1 4194560 1234 0 0 0 5 3 0 0 20 0 1 0 12345 "
		      "25000000 2000 18446744073709551615 1 1 0 0 0 0 0 16781312 0 0 0 0 17 1 0 0 0 0 0\n",
		      pid, comm, ppid, pid, pid);
	snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
	scratch_write(root, rel, "%s\n", comm);
	char path[512];
	snprintf(path, sizeof(path), "%s/proc/%d/cmdline", root, pid);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(cmdline, 1, cmdlen, f);
	fclose(f);
	if (exe) {
		snprintf(path, sizeof(path), "%s/proc/%d/exe", root, pid);
		assert_int_equal(symlink(exe, path), 0);
	}
	snprintf(path, sizeof(path), "%s/proc/%d/fd", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void fake_fd(const char *root, int pid, int fd, const char *target)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/proc/%d/fd/%d", root, pid, fd);
	assert_int_equal(symlink(target, path), 0);
}

static char *fake_proc(void)
{
	char *root = scratch_dir();
	size_t len;
	unsigned char *tcp = fixture_read("proc-net/tcp", &len);
	scratch_write_bytes(root, "proc/net/tcp", tcp, len);
	free(tcp);
	scratch_write(root, "proc/stat", "cpu  1 2 3 4\nintr 0 0\nctxt 5\nbtime %d\nprocesses 9\n", BTIME);
	static const char py[] = "python3\0-m\0http.server\0--bind\0""127.0.0.1\0""21180\0";
	fake_process(root, 4242, 1, "python3", py, sizeof(py) - 1, "/usr/bin/python3.11");
	fake_fd(root, 4242, 0, "/dev/null");
	fake_fd(root, 4242, 3, "socket:[104194]");
	fake_fd(root, 4242, 4, "socket:[104196]");
	fake_fd(root, 4242, 5, "pipe:[999]");
	static const char ng[] = "nginx: worker process\0\0";
	fake_process(root, 4300, 4242, "nginx (worker)", ng, sizeof(ng) - 1, NULL);
	fake_fd(root, 4300, 7, "socket:[104195]");
	fake_process(root, 2, 0, "kthreadd", "", 0, NULL);
	fake_process(root, 4400, 1, "bad\xffname", "x\xff\0y\0", 5, NULL); /* not UTF-8 */
	scratch_write(root, "proc/self", "not a process\n");
	return root;
}

static void owners_from_fd_links(void **state)
{
	(void)state;
	char *root = fake_proc();
	struct harness h = {0};
	struct kbf_options opt = {.root = root};
	assert_int_equal(gather(&h, &kbf_linux_sockets_collector, &opt), 0);
	assert_int_equal(h.in.nfacts, 7);
	const struct kb_fact *l = find_int(&h, "listener", "port", 21180);
	check_int(&h, l, "pid", 4242);
	check_str(&h, l, "process", "python3");
	check_bool(&h, l, "owner_known", true);
	assert_string_equal(l->prov.source, "/proc/net/tcp");
	assert_int_equal(l->prov.line, 2);
	/* no process in the tree holds 621: recorded, owner unknown */
	const struct kb_fact *other = find_int(&h, "listener", "port", 2024);
	check_bool(&h, other, "owner_known", false);
	check_nil(&h, other, "pid");
	check_str(&h, other, "user", "root");
	check_int(&h, find_int(&h, "connection", "inode", 104196), "pid", 4242);
	const struct kb_fact *w = find_int(&h, "connection", "inode", 104195);
	check_int(&h, w, "pid", 4300);
	check_str(&h, w, "process", "nginx (worker)");
	check_nil(&h, find_int(&h, "connection", "inode", 104198), "pid");
	harness_close(&h);
	scratch_remove(root);
}

static void owner_scan_resolves_what_is_asked(void **state)
{
	(void)state;
	char *root = fake_proc();
	struct harness h;
	harness_open(&h);
	struct kbf_socktab t = {0};
	kbf_socktab_add(&t)->inode = 104194;
	struct kbf_options opt = {.root = root};
	assert_int_equal(kbf_owners_resolve(&opt, NULL, &t), 1);
	assert_int_equal(t.v[0].pid, 4242);
	kbf_socktab_add(&t)->inode = 777;
	assert_int_equal(kbf_owners_resolve(&opt, NULL, &t), 0);
	assert_int_equal(t.v[1].pid, 0);
	struct kbf_options none = {.root = "/nonexistent-kbdiag"};
	assert_int_equal(kbf_owners_resolve(&none, NULL, &t), -1);
	kbf_socktab_free(&t);
	harness_close(&h);
	scratch_remove(root);
}

static void processes_from_proc(void **state)
{
	(void)state;
	char *root = fake_proc();
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/proc/4300", root);
	bool chowned = chown(dir, 65534, 65534) == 0;
	struct harness h = {0};
	struct kbf_options opt = {.root = root};
	assert_int_equal(gather(&h, &kbf_linux_processes_collector, &opt), 0);
	assert_int_equal(h.in.nfacts, 4);
	const struct kb_fact *p = find_int(&h, "process", "pid", 4242);
	check_int(&h, p, "ppid", 1);
	check_str(&h, p, "name", "python3");
	check_str(&h, p, "path", "/usr/bin/python3.11");
	check_str(&h, p, "command_line", "python3 -m http.server --bind 127.0.0.1 21180");
	/* 12345 ticks / 100 Hz = 123 s after boot */
	check_str(&h, p, "started", "2024-01-05T12:02:03Z");
	assert_string_equal(p->prov.source, "linux.processes");
	const struct kb_fact *w = find_int(&h, "process", "pid", 4300);
	check_str(&h, w, "name", "nginx (worker)"); /* comm with a space and parentheses */
	check_str(&h, w, "command_line", "nginx: worker process");
	check_nil(&h, w, "path");
	if (chowned) {
		check_int(&h, w, "uid", 65534);
		check_str(&h, w, "user", "nobody");
	}
	const struct kb_fact *k = find_int(&h, "process", "pid", 2);
	check_nil(&h, k, "ppid");
	check_nil(&h, k, "command_line");
	check_str(&h, k, "name", "kthreadd");
	const struct kb_fact *bad = find_int(&h, "process", "pid", 4400);
	check_str(&h, bad, "name", "bad\xEF\xBF\xBDname");
	check_str(&h, bad, "command_line", "x\xEF\xBF\xBD y");
	assert_non_null(strstr(bad->prov.text, "4400 1 ") && strstr(bad->prov.text, " x\xEF\xBF\xBD y"));
	harness_close(&h);
	scratch_remove(root);
}

static void processes_bad_stat_is_reported(void **state)
{
	(void)state;
	char *root = fake_proc();
	scratch_write(root, "proc/4242/stat", "4242 python3 S\n");
	struct harness h = {0};
	struct kbf_options opt = {.root = root};
	assert_int_equal(gather(&h, &kbf_linux_processes_collector, &opt), -1);
	assert_non_null(strstr(h.in.err.msg, "/proc/4242/stat"));
	assert_int_equal(h.in.nfacts, 3); /* the others are still there */
	harness_close(&h);
	scratch_remove(root);
}

static void live_processes_include_this_one(void **state)
{
	(void)state;
	struct harness h = {0};
	struct kbf_options opt = {.root = ""};
	assert_int_equal(gather(&h, &kbf_linux_processes_collector, &opt), 0);
	const struct kb_fact *me = find_int(&h, "process", "pid", getpid());
	assert_non_null(me);
	check_int(&h, me, "ppid", getppid());
	check_int(&h, me, "uid", geteuid());
	assert_non_null(strstr(slot_value(&h, me, "command_line").u.s, "test_linux_procs"));
	assert_non_null(strstr(slot_value(&h, me, "path").u.s, "test_linux_procs"));
	harness_close(&h);
}

/* The facts of every collector, each as kind, source and text, in order. */
static char *collected(const struct kbf_options *opt, bool ahead, size_t *nfailed)
{
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kbf_inputs inputs = {0};
	*nfailed = (size_t)kbf_collect(eng, opt, ahead ? kbf_collect_ahead(opt) : NULL, &inputs);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (uint32_t id = 1; id <= kb_fact_count(eng); id++) {
		const struct kb_fact *x = kb_fact_get(eng, id);
		fprintf(f, "%d %s %s\n", x->kind, x->prov.source, x->prov.text ? x->prov.text : "");
	}
	for (size_t i = 0; i < inputs.n; i++)
		fprintf(f, "%s %zu %s\n", inputs.v[i].path, inputs.v[i].nfacts, inputs.v[i].err.msg);
	fclose(f);
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	return out;
}

/* Read ahead on a second thread (core/collect.c), the collectors make the
 * facts and errors they make in line; a run that ends before collecting
 * frees what was read. */
static void collect_ahead_makes_the_same_facts(void **state)
{
	(void)state;
	char *root = fake_proc();
	scratch_write(root, "proc/4300/stat", "4300 nginx S\n"); /* an error too */
	struct kbf_options opt = {.root = root};
	size_t failed_inline, failed_ahead;
	char *inline_facts = collected(&opt, false, &failed_inline);
	char *ahead_facts = collected(&opt, true, &failed_ahead);
	assert_non_null(strstr(inline_facts, "python3 -m http.server"));
	assert_non_null(strstr(inline_facts, "/proc/4300/stat: unexpected layout"));
	assert_string_equal(ahead_facts, inline_facts);
	assert_int_equal(failed_ahead, failed_inline);
	free(inline_facts);
	free(ahead_facts);
	kbf_collect_ahead_free(kbf_collect_ahead(&opt));
	kbf_collect_ahead_free(NULL);
	scratch_remove(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(owners_from_fd_links),
		cmocka_unit_test(owner_scan_resolves_what_is_asked),
		cmocka_unit_test(processes_from_proc),
		cmocka_unit_test(processes_bad_stat_is_reported),
		cmocka_unit_test(live_processes_include_this_one),
		cmocka_unit_test(collect_ahead_makes_the_same_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
