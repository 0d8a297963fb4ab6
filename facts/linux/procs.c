/*
 * procs.c — the collector "linux.processes": one `process` fact per
 * /proc/PID, with what ps(1) shows: pid, ppid, name (comm), the executable
 * path when its exe link is readable (another user's is not, unless we are
 * root; kernel threads have none), user and uid, command line, and the
 * start time as ISO UTC from stat's starttime (clock ticks after boot)
 * plus /proc/stat's btime.
 *
 * The uid is the owner of /proc/PID, i.e. the effective uid, as ps's USER
 * column shows it; one stat call instead of reading and parsing status.
 * Processes that exit while we read them are skipped.  Kernel threads
 * (often most of the list) have neither exe link nor command line, so
 * those two reads are skipped for them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux.h"
#include "xalloc.h"

#define CMDLINE_MAX (64u << 10)
#define PF_KTHREAD 0x00200000ul /* include/linux/sched.h: no exe, no command line */

struct procs_ctx {
	struct kbf_input *in;
	int procfd;
	int64_t btime;  /* seconds since the epoch, -1 when unknown */
	long hz;
	char *cmd;      /* CMDLINE_MAX + 1 bytes, reused */
	struct kbf_linux_users users;
};

/* "btime 1704456000" from /proc/stat. */
static int64_t boot_time(const struct kbf_options *opt)
{
	char *path = kbf_linux_path(opt, "/proc/stat");
	size_t len = 0;
	char *s = kbf_linux_read_file(path, 4u << 20, false, &len, NULL);
	free(path);
	int64_t bt = -1;
	for (char *p = s; p && (p = strstr(p, "btime ")); p++)
		if (p == s || p[-1] == '\n') {
			bt = strtoll(p + 6, NULL, 10);
			break;
		}
	free(s);
	return bt;
}

/* "812 (nginx: master) S 1 812 812 0 -1 ... starttime ...": comm may hold
 * spaces and parentheses, so it ends at the last ')'. */
bool kbf_proc_stat_parse(char *s, size_t len, struct kbf_proc_stat *f)
{
	char *open = memchr(s, '(', len), *close = memrchr(s, ')', len);
	if (!open || !close || close < open || (size_t)(close - s) + 2 >= len)
		return false;
	f->comm = open + 1;
	f->commlen = (size_t)(close - open - 1);
	char *p = close + 2, *end;
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return false;
		if (field == 4)
			f->ppid = strtol(p, &end, 10);
		else if (field == 9)
			f->flags = strtoul(p, &end, 10);
		else if (field == 22)
			f->start = strtoull(p, &end, 10);
		else
			end = p + strcspn(p, " ");
		if (end == p)
			return false;
		p = end;
	}
	return true;
}

size_t kbf_proc_cmdline_join(char *s, size_t n)
{
	while (n > 0 && s[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	return n;
}

/* The command line with its NUL separators as spaces; 0 when empty. */
static size_t read_cmdline(struct procs_ctx *c, const char *pid)
{
	char path[320];
	snprintf(path, sizeof(path), "%s/cmdline", pid);
	ssize_t n = kbf_linux_read_small(c->procfd, path, c->cmd, CMDLINE_MAX + 1);
	return n <= 0 ? 0 : kbf_proc_cmdline_join(c->cmd, (size_t)n);
}

static void set_details(struct procs_ctx *c, struct kbf_fact *f, const char *pid,
			const struct kbf_proc_stat *sf, const struct stat *st)
{
	char path[320], exe[4096];
	snprintf(path, sizeof(path), "%s/exe", pid);
	ssize_t n = sf->flags & PF_KTHREAD ? -1 : readlinkat(c->procfd, path, exe, sizeof(exe));
	if (n > 0 && n < (ssize_t)sizeof(exe))
		kbf_linux_set_str_copy(f, "path", exe, (size_t)n);
	kbf_set_int(f, "uid", st->st_uid);
	const char *user = kbf_linux_user(&c->users, c->in->eng, st->st_uid);
	if (user)
		kbf_set_cstr(f, "user", user);
	if (c->btime >= 0 && c->hz > 0) {
		char iso[KBF_ISO_UTC_SIZE];
		kbf_iso_utc(c->btime + (int64_t)(sf->start / (unsigned long long)c->hz), iso);
		kbf_set_str_copy(f, "started", iso, strlen(iso));
	}
}

static int one_process(struct procs_ctx *c, const char *pid)
{
	char path[320], stat[1024];
	struct stat st;
	struct kbf_proc_stat sf = {0};
	snprintf(path, sizeof(path), "%s/stat", pid);
	ssize_t n = kbf_linux_read_small(c->procfd, path, stat, sizeof(stat));
	if (n <= 0 || fstatat(c->procfd, pid, &st, 0) < 0)
		return 0; /* gone meanwhile */
	if (!kbf_proc_stat_parse(stat, (size_t)n, &sf))
		return kbf_input_error(c->in, 0, "/proc/%s/stat: unexpected layout", pid);
	struct kbf_fact f;
	kbf_fact_begin(&f, c->in, "process");
	kbf_set_int(&f, "pid", strtol(pid, NULL, 10));
	if (sf.ppid > 0)
		kbf_set_int(&f, "ppid", sf.ppid);
	kbf_linux_set_str(&f, "name", sf.comm, sf.commlen);
	set_details(c, &f, pid, &sf, &st);
	size_t cl = sf.flags & PF_KTHREAD ? 0 : read_cmdline(c, pid);
	if (cl)
		kbf_linux_set_str(&f, "command_line", c->cmd, cl);
	char text[512];
	int tl = snprintf(text, sizeof(text), "%s %ld %u %.*s", pid, sf.ppid, (unsigned)st.st_uid,
			  (int)(cl ? cl : sf.commlen), cl ? c->cmd : sf.comm);
	return kbf_linux_emit(&f, 0, text, tl < 0 ? 0 : (size_t)tl < sizeof(text) ? (size_t)tl
			     : sizeof(text) - 1) ? 0 : -1;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	struct procs_ctx c = {.in = in, .hz = sysconf(_SC_CLK_TCK)};
	c.procfd = kbf_linux_open_dir(opt, "/proc");
	DIR *d = c.procfd < 0 ? NULL : fdopendir(c.procfd);
	if (!d) {
		int e = errno;
		if (c.procfd >= 0)
			close(c.procfd);
		return kbf_input_error(in, 0, "/proc: %s", strerror(e));
	}
	c.btime = boot_time(opt);
	c.cmd = kbu_malloc(CMDLINE_MAX + 1);
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (kbf_linux_is_pid(e->d_name) && one_process(&c, e->d_name) < 0)
			rc = -1;
	closedir(d);
	free(c.cmd);
	return rc;
}

const struct kbf_collector kbf_linux_processes_collector = {"linux.processes", gather};
