/*
 * test_linux_procs.c — the owner scan and the processes collector on a
 * fake /proc tree (kbf_options.root): stat, comm, cmdline, exe and fd
 * links as the kernel shows them, /proc/stat's btime, and /proc/net/tcp.
 */
#include <sys/stat.h>

#include "linux_test_util.h"
#include "linux/linux.h"

/* 1704456000 = 2024-01-05T12:00:00Z; starttime 12345 ticks at 100 Hz. */
#define BTIME 1704456000

static void fake_process(const char *root, int pid, int ppid, const char *comm, const char *cmdline,
			 size_t cmdlen, const char *exe)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "proc/%d/stat", pid);
	lt_write(root, rel, "%d (%s) S %d %d %d 0 -1 4194560 1234 0 0 0 5 3 0 0 20 0 1 0 12345 "
		 "25000000 2000 18446744073709551615 1 1 0 0 0 0 0 16781312 0 0 0 0 17 1 0 0 0 0 0\n",
		 pid, comm, ppid, pid, pid);
	snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
	lt_write(root, rel, "%s\n", comm);
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
	char *root = lt_tmpdir();
	char *fixture = fixture_path("proc-net/tcp");
	size_t len;
	unsigned char *tcp = file_read(fixture, &len);
	lt_write(root, "proc/net/tcp", "%.*s", (int)len, (const char *)tcp);
	free(tcp);
	free(fixture);
	lt_write(root, "proc/stat", "cpu  1 2 3 4\nintr 0 0\nctxt 5\nbtime %d\nprocesses 9\n", BTIME);
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
	lt_write(root, "proc/self", "not a process\n");
	return root;
}

static void owners_from_fd_links(void **state)
{
	(void)state;
	char *root = fake_proc();
	struct kb_engine *eng = lt_engine();
	struct kbf_options opt = {.root = root};
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_sockets_collector, &opt, &in), 0);
	assert_int_equal(in.nfacts, 7);
	const struct kb_fact *l = lt_find_int(eng, "listener", "port", 21180);
	lt_int(eng, l, "pid", 4242);
	lt_str(eng, l, "process", "python3");
	lt_bool(eng, l, "owner_known", true);
	assert_string_equal(l->prov.source, "/proc/net/tcp");
	assert_int_equal(l->prov.line, 2);
	/* no process in the tree holds 621: recorded, owner unknown */
	const struct kb_fact *other = lt_find_int(eng, "listener", "port", 2024);
	lt_bool(eng, other, "owner_known", false);
	lt_nil(eng, other, "pid");
	lt_str(eng, other, "user", "root");
	lt_int(eng, lt_find_int(eng, "connection", "inode", 104196), "pid", 4242);
	const struct kb_fact *w = lt_find_int(eng, "connection", "inode", 104195);
	lt_int(eng, w, "pid", 4300);
	lt_str(eng, w, "process", "nginx (worker)");
	lt_nil(eng, lt_find_int(eng, "connection", "inode", 104198), "pid");
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
}

static void owner_scan_resolves_what_is_asked(void **state)
{
	(void)state;
	char *root = fake_proc();
	struct kb_engine *eng = lt_engine();
	struct kbf_socktab t = {0};
	kbf_socktab_add(&t)->inode = 104194;
	struct kbf_options opt = {.root = root};
	assert_int_equal(kbf_owners_resolve(eng, &opt, &t), 1);
	assert_int_equal(t.v[0].pid, 4242);
	kbf_socktab_add(&t)->inode = 777;
	assert_int_equal(kbf_owners_resolve(eng, &opt, &t), 0);
	assert_int_equal(t.v[1].pid, 0);
	struct kbf_options none = {.root = "/nonexistent-kbdiag"};
	assert_int_equal(kbf_owners_resolve(eng, &none, &t), -1);
	kbf_socktab_free(&t);
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
}

static void processes_from_proc(void **state)
{
	(void)state;
	char *root = fake_proc();
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/proc/4300", root);
	bool chowned = chown(dir, 65534, 65534) == 0;
	struct kb_engine *eng = lt_engine();
	struct kbf_options opt = {.root = root};
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_processes_collector, &opt, &in), 0);
	assert_int_equal(in.nfacts, 4);
	const struct kb_fact *p = lt_find_int(eng, "process", "pid", 4242);
	lt_int(eng, p, "ppid", 1);
	lt_str(eng, p, "name", "python3");
	lt_str(eng, p, "path", "/usr/bin/python3.11");
	lt_str(eng, p, "command_line", "python3 -m http.server --bind 127.0.0.1 21180");
	/* 12345 ticks / 100 Hz = 123 s after boot */
	lt_str(eng, p, "started", "2024-01-05T12:02:03Z");
	assert_string_equal(p->prov.source, "linux.processes");
	const struct kb_fact *w = lt_find_int(eng, "process", "pid", 4300);
	lt_str(eng, w, "name", "nginx (worker)"); /* comm with a space and parentheses */
	lt_str(eng, w, "command_line", "nginx: worker process");
	lt_nil(eng, w, "path");
	if (chowned) {
		lt_int(eng, w, "uid", 65534);
		lt_str(eng, w, "user", "nobody");
	}
	const struct kb_fact *k = lt_find_int(eng, "process", "pid", 2);
	lt_nil(eng, k, "ppid");
	lt_nil(eng, k, "command_line");
	lt_str(eng, k, "name", "kthreadd");
	const struct kb_fact *bad = lt_find_int(eng, "process", "pid", 4400);
	lt_str(eng, bad, "name", "bad\xEF\xBF\xBDname");
	lt_str(eng, bad, "command_line", "x\xEF\xBF\xBD y");
	assert_non_null(strstr(bad->prov.text, "4400 1 ") && strstr(bad->prov.text, " x\xEF\xBF\xBD y"));
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
}

static void processes_bad_stat_is_reported(void **state)
{
	(void)state;
	char *root = fake_proc();
	lt_write(root, "proc/4242/stat", "4242 python3 S\n");
	struct kb_engine *eng = lt_engine();
	struct kbf_options opt = {.root = root};
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_processes_collector, &opt, &in), -1);
	assert_non_null(strstr(in.err.msg, "/proc/4242/stat"));
	assert_int_equal(in.nfacts, 3); /* the others are still there */
	kb_engine_free(eng);
	lt_rmtree(root);
	free(root);
}

static void live_processes_include_this_one(void **state)
{
	(void)state;
	struct kb_engine *eng = lt_engine();
	struct kbf_options opt = {.root = ""};
	struct kbf_input in;
	assert_int_equal(lt_gather(eng, &kbf_linux_processes_collector, &opt, &in), 0);
	const struct kb_fact *me = lt_find_int(eng, "process", "pid", getpid());
	assert_non_null(me);
	lt_int(eng, me, "ppid", getppid());
	lt_int(eng, me, "uid", geteuid());
	assert_non_null(strstr(lt_slot(eng, me, "command_line").u.s, "test_linux_procs"));
	assert_non_null(strstr(lt_slot(eng, me, "path").u.s, "test_linux_procs"));
	kb_engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(owners_from_fd_links),
		cmocka_unit_test(owner_scan_resolves_what_is_asked),
		cmocka_unit_test(processes_from_proc),
		cmocka_unit_test(processes_bad_stat_is_reported),
		cmocka_unit_test(live_processes_include_this_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
