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
 * those two reads are skipped for them.  /proc is read first, into
 * memory of the collector's own, and the facts made after
 * (kbf_collector's read and emit), so that the reading can run while
 * the rules load.
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

/* One /proc/PID as read (read_processes), for its fact (emit_processes). */
struct proc_read {
	char pid[24];
	char *stat;       /* the stat file's text, NUL-terminated */
	size_t statlen;
	uint32_t uid;
	char *exe;        /* the exe link, NULL when unreadable or a kernel thread */
	size_t exelen;
	char *cmd;        /* the command line joined (kbf_proc_cmdline_join), NULL when empty */
	size_t cmdlen;
};

struct procs_read {
	int err;          /* errno when /proc could not be opened */
	int64_t btime;    /* seconds since the epoch, -1 when unknown */
	struct proc_read *v;
	size_t n, cap;
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

/* Reads PID's stat, owner, exe link and command line into p; false when
 * the process is gone. */
static bool read_process(int procfd, const char *pid, char *buf, struct proc_read *p)
{
	char path[320], stat[1024];
	struct stat st;
	snprintf(path, sizeof(path), "%s/stat", pid);
	ssize_t n = kbf_linux_read_small(procfd, path, stat, sizeof(stat));
	if (n <= 0 || fstatat(procfd, pid, &st, 0) < 0)
		return false;
	snprintf(p->pid, sizeof(p->pid), "%s", pid);
	p->stat = kbu_strndup(stat, (size_t)n);
	p->statlen = (size_t)n;
	p->uid = st.st_uid;
	struct kbf_proc_stat sf = {0};
	if (!kbf_proc_stat_parse(stat, (size_t)n, &sf) || (sf.flags & PF_KTHREAD))
		return true; /* the layout is reported with the fact */
	snprintf(path, sizeof(path), "%s/exe", pid);
	ssize_t el = readlinkat(procfd, path, buf, CMDLINE_MAX);
	if (el > 0 && el < (ssize_t)CMDLINE_MAX) {
		p->exe = kbu_strndup(buf, (size_t)el);
		p->exelen = (size_t)el;
	}
	snprintf(path, sizeof(path), "%s/cmdline", pid);
	ssize_t cl = kbf_linux_read_small(procfd, path, buf, CMDLINE_MAX + 1);
	p->cmdlen = cl <= 0 ? 0 : kbf_proc_cmdline_join(buf, (size_t)cl);
	if (p->cmdlen)
		p->cmd = kbu_strndup(buf, p->cmdlen);
	return true;
}

static void *read_processes(const struct kbf_options *opt)
{
	struct procs_read *r = kbu_calloc(1, sizeof(*r));
	int procfd = kbf_linux_open_dir(opt, "/proc");
	DIR *d = procfd < 0 ? NULL : fdopendir(procfd);
	if (!d) {
		r->err = errno;
		if (procfd >= 0)
			close(procfd);
		return r;
	}
	r->btime = boot_time(opt);
	char *buf = kbu_malloc(CMDLINE_MAX + 1);
	for (struct dirent *e; (e = readdir(d));) {
		if (!kbf_linux_is_pid(e->d_name))
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 256;
			r->v = kbu_realloc(r->v, r->cap, sizeof(*r->v));
		}
		memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
		r->n += read_process(procfd, e->d_name, buf, &r->v[r->n]);
	}
	closedir(d);
	free(buf);
	return r;
}

static void drop_processes(void *got)
{
	struct procs_read *r = got;
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].stat);
		free(r->v[i].exe);
		free(r->v[i].cmd);
	}
	free(r->v);
	free(r);
}

struct procs_ctx {
	struct kbf_input *in;
	int64_t btime;
	long hz;
	struct kbf_linux_users users;
};

static void set_details(struct procs_ctx *c, struct kbf_fact *f, const struct proc_read *p,
			const struct kbf_proc_stat *sf)
{
	if (p->exe)
		kbf_linux_set_str_copy(f, "path", p->exe, p->exelen);
	kbf_set_int(f, "uid", p->uid);
	const char *user = kbf_linux_user(&c->users, c->in->eng, p->uid);
	if (user)
		kbf_set_cstr(f, "user", user);
	if (c->btime >= 0 && c->hz > 0) {
		char iso[KBF_ISO_UTC_SIZE];
		kbf_iso_utc(c->btime + (int64_t)(sf->start / (unsigned long long)c->hz), iso);
		kbf_set_str_copy(f, "started", iso, strlen(iso));
	}
}

static int one_process(struct procs_ctx *c, struct proc_read *p)
{
	struct kbf_proc_stat sf = {0};
	if (!kbf_proc_stat_parse(p->stat, p->statlen, &sf))
		return kbf_input_error(c->in, 0, "/proc/%s/stat: unexpected layout", p->pid);
	struct kbf_fact f;
	kbf_fact_begin(&f, c->in, "process");
	kbf_set_int(&f, "pid", strtol(p->pid, NULL, 10));
	if (sf.ppid > 0)
		kbf_set_int(&f, "ppid", sf.ppid);
	kbf_linux_set_str(&f, "name", sf.comm, sf.commlen);
	set_details(c, &f, p, &sf);
	if (p->cmd)
		kbf_linux_set_str(&f, "command_line", p->cmd, p->cmdlen);
	char text[512];
	int tl = snprintf(text, sizeof(text), "%s %ld %u %.*s", p->pid, sf.ppid, (unsigned)p->uid,
			  (int)(p->cmd ? p->cmdlen : sf.commlen), p->cmd ? p->cmd : sf.comm);
	return kbf_linux_emit(&f, 0, text, tl < 0 ? 0 : (size_t)tl < sizeof(text) ? (size_t)tl
			     : sizeof(text) - 1) ? 0 : -1;
}

static int emit_processes(struct kbf_input *in, const struct kbf_options *opt, void *got)
{
	struct procs_read *r = got;
	struct procs_ctx c = {.in = in, .btime = r->btime, .hz = sysconf(_SC_CLK_TCK)};
	int rc = r->err ? kbf_input_error(in, 0, "/proc: %s", strerror(r->err)) : 0;
	for (size_t i = 0; i < r->n; i++)
		if (one_process(&c, &r->v[i]) < 0)
			rc = -1;
	drop_processes(r);
	return rc;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	return emit_processes(in, opt, read_processes(opt));
}

const struct kbf_collector kbf_linux_processes_collector = {
	"linux.processes", gather, read_processes, emit_processes, drop_processes,
};
