/*
 * util.c — the plumbing every Linux collector needs: host paths that
 * tests can redirect into a directory (kbf_options.root), bounded file
 * reads, uid -> user names, ISO times, and facts whose provenance is a
 * host file rather than the collector.  Nothing here writes to the host.
 */
#include <errno.h>
#include <fcntl.h>
#ifndef _WIN32
#include <pwd.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux.h"
#include "readfd.h"
#include "utf8.h"
#include "xalloc.h"

#ifndef _WIN32 /* reading the live Linux host */
char *kbf_linux_path(const struct kbf_options *opt, const char *path)
{
	const char *root = opt && opt->root ? opt->root : "";
	size_t rl = strlen(root), pl = strlen(path);
	char *s = kbu_malloc(rl + pl + 1);
	memcpy(s, root, rl);
	memcpy(s + rl, path, pl + 1);
	return s;
}

int kbf_linux_open_dir(const struct kbf_options *opt, const char *path)
{
	char *p = kbf_linux_path(opt, path);
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	free(p);
	errno = e;
	return fd;
}

bool kbf_linux_is_pid(const char *name)
{
	if (*name < '1' || *name > '9')
		return false;
	size_t n = 0;
	for (; *name; name++, n++)
		if (*name < '0' || *name > '9')
			return false;
	return n < 10;
}

ssize_t kbf_linux_read_small(int dirfd, const char *rel, char *buf, size_t cap)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = kbu_read_full(fd, buf, cap - 1);
	int e = errno;
	close(fd);
	errno = e;
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

#endif

/* Positions fd max bytes before the end and says how many were skipped. */
static off_t seek_tail(int fd, size_t max)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= max)
		return 0;
	off_t at = st.st_size - (off_t)max;
	return lseek(fd, at, SEEK_SET) < 0 ? 0 : at;
}

char *kbf_linux_read_file(const char *path, size_t max, bool tail, size_t *len, off_t *skipped)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	off_t at = tail ? seek_tail(fd, max) : 0;
	char *buf = kbu_read_to_end(fd, max, len);
	int e = errno;
	close(fd);
	if (!buf) {
		errno = e;
		return NULL;
	}
	if (at > 0) {
		/* Start at a whole line: drop the partial one the window cut. */
		char *nl = memchr(buf, '\n', *len);
		size_t cut = nl ? (size_t)(nl - buf) + 1 : *len;
		memmove(buf, buf + cut, *len - cut + 1);
		*len -= cut;
		at += (off_t)cut;
	}
	if (skipped)
		*skipped = at;
	return buf;
}

#ifndef _WIN32 /* reading the live Linux host */
const char *kbf_linux_map_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *p = NULL;
	if (fstat(fd, &st) < 0) {
		p = MAP_FAILED;
	} else if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		p = MAP_FAILED;
	} else {
		*len = (uint64_t)st.st_size < max ? (size_t)st.st_size : max;
		p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : (void *)"";
	}
	int e = errno;
	close(fd);
	errno = e;
	return p == MAP_FAILED ? NULL : p;
}

void kbf_linux_unmap_file(const char *p, size_t len)
{
	if (p && len)
		munmap((void *)p, len);
}

#endif

bool kbf_linux_env_off(const char *name)
{
	const char *v = getenv(name);
	return !v || !*v || strcmp(v, "0") == 0;
}

#ifdef _WIN32
static const char *lookup_user(struct kb_engine *eng, uint32_t uid)
{
	return NULL; /* kbdiag.exe reads Linux evidence, whose users are not this host's */
}
#else
static const char *lookup_user(struct kb_engine *eng, uint32_t uid)
{
	struct passwd pw, *res = NULL;
	size_t cap = 1024;
	for (;;) {
		char *buf = kbu_malloc(cap);
		int rc = getpwuid_r((uid_t)uid, &pw, buf, cap, &res);
		if (rc == ERANGE && cap < (1u << 20)) {
			free(buf);
			cap *= 4;
			continue;
		}
		size_t fl;
		char *fixed = rc == 0 && res ? kbu_utf8_fix(pw.pw_name, strlen(pw.pw_name), &fl) : NULL;
		const char *name = rc == 0 && res ? kb_intern_cstr(eng, fixed ? fixed : pw.pw_name) : NULL;
		free(fixed);
		free(buf);
		return name;
	}
}
#endif

const char *kbf_linux_user(struct kbf_linux_users *u, struct kb_engine *eng, uint32_t uid)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].uid == uid)
			return u->v[i].name;
	const char *name = lookup_user(eng, uid);
	if (u->n < sizeof(u->v) / sizeof(u->v[0])) {
		u->v[u->n].uid = uid;
		u->v[u->n].name = name;
		u->n++;
	}
	return name;
}

struct kbf_input kbf_linux_subinput(struct kbf_input *in, const char *path)
{
	struct kbf_input sub = *in;
	sub.path = (char *)path;
	sub.nfacts = sub.nread = sub.nskipped = 0;
	sub.err = (struct kb_error){0};
	return sub;
}

int kbf_linux_subinput_done(struct kbf_input *in, struct kbf_input *sub)
{
	in->nfacts += sub->nfacts;
	in->nread += sub->nread;
	in->nskipped += sub->nskipped;
	if (sub->err.status == KB_OK)
		return 0;
	if (in->err.status == KB_OK)
		in->err = sub->err;
	return -1;
}

/* A repaired string is in a copy that goes now, so it is interned now. */
static void set_fixed(struct kbf_fact *f, const char *slot, const char *s, size_t len, bool copy)
{
	size_t n;
	char *fixed = kbu_utf8_fix(s, len, &n);
	if (fixed || copy)
		kbf_set_str_copy(f, slot, fixed ? fixed : s, fixed ? n : len);
	else
		kbf_set_str(f, slot, s, len);
	free(fixed);
}

void kbf_linux_set_str(struct kbf_fact *f, const char *slot, const char *s, size_t len)
{
	set_fixed(f, slot, s, len, false);
}

void kbf_linux_set_str_copy(struct kbf_fact *f, const char *slot, const char *s, size_t len)
{
	set_fixed(f, slot, s, len, true);
}

/* The text is repaired only for a fact the pre-filter keeps: an idle
 * host's dpkg status offers 944 packages, of which the stock rules keep a
 * handful. */
const struct kb_fact *kbf_linux_emit(struct kbf_fact *f, int line, const char *text, size_t len)
{
	if (!kbf_fact_wanted(f))
		return &kbf_fact_skipped;
	size_t n;
	char *fixed = text ? kbu_utf8_fix(text, len, &n) : NULL;
	const struct kb_fact *r = kbf_fact_keep_at(f, f->in->path, line, fixed ? fixed : text, fixed ? n : len);
	free(fixed);
	return r;
}

#ifndef KBDIAG_HAVE_SYSTEMD
int kbf_linux_gather_without_systemd(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	in->unavailable = "built without libsystemd";
	return 0;
}
#endif
