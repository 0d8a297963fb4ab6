/*
 * owners.c — which process holds each socket.  The kernel knows a
 * socket's inode but not its process; a process's open files are the
 * symlinks in /proc/PID/fd, a socket's reading "socket:[INODE]".  We scan
 * them as ss -p does, but only as far as needed: the scan stops once every
 * inode asked for is found.  Processes we may not look into (another
 * user's, when not root, or one the kernel's ptrace check protects) are
 * skipped at their first refused link, and their sockets keep an unknown
 * owner.  When several processes share a socket (a forking server), the
 * lowest PID (usually the parent) is named.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "linux.h"
#include "utf8.h"
#include "xalloc.h"

/* Open addressing: inode -> index in the table + 1 (0 = empty slot). */
struct inode_map {
	size_t mask;
	uint64_t *key;
	size_t *idx;
};

static size_t hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

static void map_init(struct inode_map *m, const struct kbf_socktab *t, size_t *wanted)
{
	size_t cap = 16;
	while (cap < t->n * 2)
		cap *= 2;
	m->mask = cap - 1;
	m->key = kbu_calloc(cap, sizeof(*m->key));
	m->idx = kbu_calloc(cap, sizeof(*m->idx));
	*wanted = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t k = t->v[i].inode;
		if (!k || t->v[i].pid)
			continue;
		size_t h = hash(k) & m->mask;
		while (m->idx[h] && m->key[h] != k)
			h = (h + 1) & m->mask;
		if (!m->idx[h]) {
			m->key[h] = k;
			m->idx[h] = i + 1;
			++*wanted;
		}
	}
}

/* Index + 1 of the socket with this inode still without owner, or 0. */
static size_t map_take(struct inode_map *m, uint64_t k)
{
	size_t h = hash(k) & m->mask;
	while (m->idx[h]) {
		if (m->key[h] == k) {
			size_t i = m->idx[h];
			m->key[h] = 0; /* keep the probe chain; a real inode is never 0 */
			return i;
		}
		h = (h + 1) & m->mask;
	}
	return 0;
}

/* "socket:[123456]" -> 123456, or 0. */
static uint64_t socket_inode(const char *s, ssize_t n)
{
	if (n < 10 || memcmp(s, "socket:[", 8) != 0 || s[n - 1] != ']')
		return 0;
	uint64_t v = 0;
	for (ssize_t i = 8; i < n - 1; i++) {
		if (s[i] < '0' || s[i] > '9' || v > UINT64_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

/* The process's name, made valid UTF-8, kept in t (no engine: the scan
 * may run on the thread that reads ahead, core/collect.c). */
static const char *read_comm(struct kbf_socktab *t, int procfd, const char *pid)
{
	char path[320], buf[256];
	snprintf(path, sizeof(path), "%s/comm", pid);
	ssize_t n = kbf_linux_read_small(procfd, path, buf, sizeof(buf));
	if (n <= 0)
		return NULL;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	size_t fl;
	char *name = kbu_utf8_fix(buf, (size_t)n, &fl);
	if (!name)
		name = kbu_strndup(buf, (size_t)n);
	if (t->nnames == t->names_cap) {
		t->names_cap = t->names_cap ? 2 * t->names_cap : 64;
		t->names = kbu_realloc(t->names, t->names_cap, sizeof(*t->names));
	}
	return t->names[t->nnames++] = name;
}

/* Since Linux 6.2 the size of /proc/PID/fd is the process's number of open
 * fds.  Ours is never 0 (/proc is open), so a size of 0 here means a
 * kernel that does not count, and every fd directory must be read. */
static bool fds_counted(int procfd)
{
	struct stat st;
	return fstatat(procfd, "self/fd", &st, 0) == 0 && st.st_size > 0;
}

/* Matches one process's fds; returns how many sockets it resolved, and
 * counts a process whose fds we may not read in *denied.  With counted
 * fds, one stat passes over a process without any (kernel threads, often
 * most of the list) instead of opening and reading its directory. */
static size_t scan_process(int procfd, const char *pid, bool counted,
			   struct inode_map *m, struct kbf_socktab *t, size_t *denied)
{
	char path[320];
	snprintf(path, sizeof(path), "%s/fd", pid);
	struct stat st;
	if (counted && (fstatat(procfd, path, &st, 0) < 0 || st.st_size == 0))
		return 0;
	int fdfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdfd < 0) {
		*denied += errno == EACCES || errno == EPERM;
		return 0;
	}
	DIR *d = fdopendir(fdfd);
	if (!d) {
		close(fdfd);
		return 0;
	}
	size_t found = 0;
	const char *comm = NULL;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_type == DT_DIR)
			continue; /* "." and "..": every fd is a link */
		char link[64];
		ssize_t n = readlinkat(fdfd, e->d_name, link, sizeof(link));
		if (n < 0 && (errno == EACCES || errno == EPERM))
			break; /* the kernel asks once per process (ptrace access): no other fd reads */
		uint64_t ino = n > 0 && n < (ssize_t)sizeof(link) ? socket_inode(link, n) : 0;
		size_t i = ino ? map_take(m, ino) : 0;
		if (!i)
			continue;
		if (!found)
			comm = read_comm(t, procfd, pid);
		t->v[i - 1].pid = (pid_t)strtol(pid, NULL, 10);
		t->v[i - 1].comm = comm;
		found++;
	}
	closedir(d);
	return found;
}

ssize_t kbf_owners_resolve(const struct kbf_options *opt, size_t *denied,
			   struct kbf_socktab *t)
{
	struct inode_map m = {0};
	size_t wanted = 0, found = 0, refused = 0;
	ssize_t rc = -1;
	map_init(&m, t, &wanted);
	if (wanted == 0) {
		rc = 0;
		goto out;
	}
	int procfd = kbf_linux_open_dir(opt, "/proc");
	DIR *d = procfd < 0 ? NULL : fdopendir(procfd);
	if (!d) {
		if (procfd >= 0)
			close(procfd);
		goto out;
	}
	bool counted = !(opt->root && opt->root[0]) && fds_counted(procfd); /* a test root's are plain directories */
	for (struct dirent *e; found < wanted && (e = readdir(d));)
		if (kbf_linux_is_pid(e->d_name))
			found += scan_process(procfd, e->d_name, counted, &m, t, &refused);
	closedir(d);
	rc = (ssize_t)found;
out:
	if (denied)
		*denied = refused;
	free(m.key);
	free(m.idx);
	return rc;
}
