/*
 * walk.c — the walk of a bundle directory.  A bundle comes from a
 * stranger, so its names are not trusted to lead where they say:
 *
 * - everything is reached from the bundle's own directory descriptor,
 *   one name at a time (openat, fstatat with AT_SYMLINK_NOFOLLOW,
 *   O_NOFOLLOW), never by a path string the kernel resolves, so a link
 *   planted or swapped in while kbdiag reads cannot lead it out;
 * - a symbolic link is followed only where it stays inside the bundle,
 *   resolved here one component at a time under the root (an absolute
 *   target, or ".." above the root, ends it: /etc/os-release, /proc/net/tcp
 *   and ../../home are the analyst's machine, not the customer's); links
 *   are followed after the folders themselves are walked, so what a link
 *   leads to is read under its own name when it has one;
 * - nothing is read twice: folders and files are known by device and
 *   inode, so "a -> ." links cannot make the walk endless, and a link or
 *   a hard link to something read already is said to be that;
 * - only regular files are opened: a FIFO would block the walk, a
 *   device's open can act (a tape rewinds); each is listed as not read;
 * - folders deeper than MAX_DEPTH are listed as not read.
 *
 * Whatever is not read becomes an input with an error saying why, so the
 * report lists it under "Not read" (docs/security.md, "Bundle walk").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"
#include "xalloc.h"

#define MAX_DEPTH 16
/* Links met in a row while resolving one: Linux's own bound (ELOOP). */
#define MAX_HOPS 40

/* What was read, known by identity; open addressing, grown at half full. */
struct seen_set {
	struct seen {
		dev_t dev;
		ino_t ino;
		char *shown; /* NULL: an empty slot */
	} *v;
	size_t n, cap;
};

/* A link met in a folder, to be followed when the folders are walked. */
struct link {
	char *place; /* its folder's place under the root ("" the root) */
	char *name;
	char *shown; /* as the report names it */
	int depth;
};

struct walk {
	struct kb_engine *eng;
	struct kbf_inputs *inputs;
	int root;                /* the bundle's folder (borrowed) */
	const char *shown_root;  /* how the report names it */
	struct seen_set seen;
	struct link *links;
	size_t nlinks, caplinks;
	int errors;
};

static size_t seen_slot(const struct seen_set *s, dev_t dev, ino_t ino)
{
	size_t h = ((size_t)ino * 0x9E3779B97F4A7C15u) ^ (size_t)dev;
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->v[i].shown || (s->v[i].dev == dev && s->v[i].ino == ino))
			return i;
}

/* The name st was read under, or NULL (then it is recorded as read under
 * shown). */
static const char *seen_before(struct seen_set *s, const struct stat *st, const char *shown)
{
	if (s->n * 2 >= s->cap) {
		struct seen_set bigger = {kbu_calloc(s->cap ? s->cap * 2 : 64, sizeof(*s->v)), s->n,
					  s->cap ? s->cap * 2 : 64};
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].shown)
				bigger.v[seen_slot(&bigger, s->v[i].dev, s->v[i].ino)] = s->v[i];
		free(s->v);
		*s = bigger;
	}
	struct seen *e = &s->v[seen_slot(s, st->st_dev, st->st_ino)];
	if (e->shown)
		return e->shown;
	*e = (struct seen){st->st_dev, st->st_ino, kbu_strdup(shown)};
	s->n++;
	return NULL;
}

static char *joined(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = kbu_malloc(n);
	snprintf(s, n, "%s%s%s", dir, dir[0] ? "/" : "", name);
	return s;
}

/* An input for shown (the bundle itself when empty) that was not read,
 * and why. */
KBU_PRINTF_LIKE(3, 4) static void not_read(struct walk *w, const char *shown, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kbf_input_verror(kbf_inputs_add(w->inputs, w->eng, shown[0] ? shown : w->shown_root), 0, fmt, ap);
	va_end(ap);
	w->errors++;
}

static const char *special_kind(mode_t mode)
{
	return S_ISFIFO(mode) ? "a pipe" : S_ISSOCK(mode) ? "a socket" : "a device";
}

static void walk_dir(struct walk *w, int fd, const char *place, const char *shown, int depth);

/* fd (owned) is open on what shown names, found at place under the root,
 * depth folders down (a folder in the root: 0), reached through a link
 * whose text is link (NULL: by its own name).  A folder is walked, a
 * regular file read, unless it was read before. */
static void visit(struct walk *w, int fd, const char *place, const char *shown, int depth, const char *link)
{
	struct stat st;
	const char *before;
	if (fstat(fd, &st) < 0) {
		not_read(w, shown, "cannot read: %s", strerror(errno));
	} else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) { /* swapped in since it was looked at */
		not_read(w, shown, "not read: %s, not a file", special_kind(st.st_mode));
	} else if (S_ISDIR(st.st_mode) && depth > MAX_DEPTH) {
		not_read(w, shown, "not read: a folder nested deeper than %d levels", MAX_DEPTH);
	} else if ((before = seen_before(&w->seen, &st, shown)) != NULL) {
		if (link && !before[0])
			not_read(w, shown, "not read: a link to '%s', the bundle's own folder", link);
		else if (link)
			not_read(w, shown, "not read: a link to '%s', which is read as '%s'", link, before);
		else
			not_read(w, shown, "not read: the same file as '%s' (a hard link), read once", before);
	} else if (S_ISDIR(st.st_mode)) {
		walk_dir(w, fd, place, shown, depth + 1);
		return; /* walk_dir closes fd */
	} else {
		w->errors += kbf_read_fd(w->eng, fd, (uint64_t)st.st_size, shown, w->inputs);
	}
	close(fd);
}

static void queue_link(struct walk *w, const char *place, const char *name, const char *shown, int depth)
{
	if (w->nlinks == w->caplinks) {
		w->caplinks = w->caplinks ? w->caplinks * 2 : 16;
		w->links = kbu_realloc(w->links, w->caplinks, sizeof(*w->links));
	}
	w->links[w->nlinks++] = (struct link){kbu_strdup(place), kbu_strdup(name), kbu_strdup(shown), depth};
}

/* The entry name of the folder dirfd (at place under the root). */
static void walk_entry(struct walk *w, int dirfd, const char *place, const char *shown, const char *name,
		       int depth)
{
	char *child_shown = joined(shown, name);
	struct stat st;
	int fd;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		not_read(w, child_shown, "cannot read: %s", strerror(errno));
	} else if (S_ISLNK(st.st_mode)) {
		queue_link(w, place, name, child_shown, depth);
	} else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		not_read(w, child_shown, "not read: %s, not a file", special_kind(st.st_mode));
	} else if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		not_read(w, child_shown, "cannot read: %s", strerror(errno));
	} else {
		char *child = joined(place, name);
		visit(w, fd, child, child_shown, depth, NULL);
		free(child);
	}
	free(child_shown);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks the folder fd (owned), at place under the root, in name order;
 * depth is its nesting under the root (the root: 0). */
static void walk_dir(struct walk *w, int fd, const char *place, const char *shown, int depth)
{
	int listing = dup(fd);
	DIR *d = listing >= 0 ? fdopendir(listing) : NULL;
	if (!d) {
		not_read(w, shown, "cannot open directory: %s", strerror(errno));
		if (listing >= 0)
			close(listing);
		close(fd);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = kbu_realloc(names, cap, sizeof(*names));
		}
		names[n++] = kbu_strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		walk_entry(w, fd, place, shown, names[i], depth);
		free(names[i]);
	}
	free(names);
	close(fd);
}

/* ---- links -------------------------------------------------------------------- */

/* A link's resolution under the root, one component at a time: the
 * folders it is in, as descriptors opened from the root down, and the
 * components still to go (a stack: the next one last). */
struct resolution {
	int *fds;
	char **names; /* fds[i] is the folder names[i] in fds[i - 1]; fds[0] the root */
	size_t depth, cap;
	char **todo;
	size_t ntodo, captodo;
	char *cut[MAX_HOPS + 1]; /* the link's path, then the texts of links met: todo points into them */
	size_t ncut;
	char *text;        /* the first link's text, as the report shows it */
	int end;           /* the regular file it ends on, open; else -1 */
	const char *why;   /* why it is not followed: a format taking the text */
};

/* Puts the components of path (owned; cut up in place) on the stack, the
 * first to come out first. */
static void push_path(struct resolution *r, char *path)
{
	r->cut[r->ncut++] = path;
	size_t n = 1;
	for (const char *p = path; *p; p++)
		n += *p == '/';
	if (r->ntodo + n > r->captodo) {
		r->captodo = r->ntodo + n + 16;
		r->todo = kbu_realloc(r->todo, r->captodo, sizeof(*r->todo));
	}
	char **at = r->todo + r->ntodo + n;
	for (char *c = path;;) {
		char *slash = strchr(c, '/');
		*--at = c;
		if (!slash)
			break;
		*slash = '\0';
		c = slash + 1;
	}
	r->ntodo += n;
}

static void push_dir(struct resolution *r, int fd, const char *name)
{
	if (r->depth == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->fds = kbu_realloc(r->fds, r->cap, sizeof(*r->fds));
		r->names = kbu_realloc(r->names, r->cap, sizeof(*r->names));
	}
	r->fds[r->depth] = fd;
	r->names[r->depth++] = kbu_strdup(name);
}

/* The text of the link name in dirfd; NULL when it cannot be read. */
static char *link_text(int dirfd, const char *name)
{
	for (size_t cap = 256;; cap *= 2) {
		char *s = kbu_malloc(cap);
		ssize_t n = readlinkat(dirfd, name, s, cap);
		if (n >= 0 && (size_t)n < cap) {
			s[n] = '\0';
			return s;
		}
		free(s);
		if (n < 0)
			return NULL;
	}
}

/* The link name in the folder on top: its target's components go on the
 * stack, unless it leads out (an absolute path) or is one link too many. */
static void splice_link(struct resolution *r, const char *name)
{
	if (r->ncut == sizeof(r->cut) / sizeof(r->cut[0])) {
		r->why = "not read: a link to '%s', the first of more than 40 links in a row (a loop?)";
		return;
	}
	char *text = link_text(r->fds[r->depth - 1], name);
	if (!r->text)
		r->text = kbu_strdup(text ? text : name);
	if (!text)
		r->why = "not read: a link to '%s', which cannot be read";
	else if (text[0] == '/')
		r->why = "not read: a link to '%s', outside the bundle";
	if (r->why)
		free(text);
	else
		push_path(r, text);
}

/* One component c, in the folder on top of the stack; last when no other
 * follows.  Goes down into a folder, up out of one, through a link, or
 * ends on a regular file (r->end); or sets r->why. */
static void step(struct resolution *r, const char *c, bool last)
{
	int top = r->fds[r->depth - 1];
	struct stat st;
	if (!c[0] || strcmp(c, ".") == 0)
		return;
	if (strcmp(c, "..") == 0) {
		if (r->depth == 1) {
			r->why = "not read: a link to '%s', outside the bundle";
			return;
		}
		close(r->fds[--r->depth]);
		free(r->names[r->depth]);
		return;
	}
	if (fstatat(top, c, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r->why = errno == ENOENT ? "not read: a link to '%s', which does not exist"
					 : "not read: a link to '%s', which cannot be reached";
	} else if (S_ISLNK(st.st_mode)) {
		splice_link(r, c);
	} else if (S_ISDIR(st.st_mode)) {
		int fd = openat(top, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			r->why = "not read: a link to '%s', which cannot be reached";
		else
			push_dir(r, fd, c);
	} else if (!last) {
		r->why = "not read: a link to '%s', which passes through a file";
	} else if (!S_ISREG(st.st_mode)) {
		r->why = S_ISFIFO(st.st_mode)	? "not read: a link to '%s', a pipe, not a file"
			 : S_ISSOCK(st.st_mode) ? "not read: a link to '%s', a socket, not a file"
						: "not read: a link to '%s', a device, not a file";
	} else if ((r->end = openat(top, c, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		r->why = "not read: a link to '%s', which cannot be opened";
	} else {
		push_dir(r, -1, c); /* its name ends the place */
	}
}

/* Where r ended, under the root: "" for the root itself. */
static char *resolved_place(const struct resolution *r)
{
	size_t n = 1;
	for (size_t i = 1; i < r->depth; i++)
		n += strlen(r->names[i]) + 1;
	char *s = kbu_malloc(n), *at = s;
	for (size_t i = 1; i < r->depth; i++)
		at += sprintf(at, "%s%s", i > 1 ? "/" : "", r->names[i]);
	*at = '\0';
	return s;
}

static void resolution_free(struct resolution *r)
{
	for (size_t i = 0; i < r->depth; i++) {
		if (r->fds[i] >= 0)
			close(r->fds[i]);
		free(r->names[i]);
	}
	for (size_t i = 0; i < r->ncut; i++)
		free(r->cut[i]);
	free(r->fds);
	free(r->names);
	free(r->todo);
	free(r->text);
}

/* Follows the link l under the root: what it leads to is read under the
 * link's name, or the link is an input not read, with why. */
static void follow(struct walk *w, const struct link *l)
{
	struct resolution r = {.end = -1};
	int root = dup(w->root);
	if (root < 0) {
		not_read(w, l->shown, "cannot read: %s", strerror(errno));
		return;
	}
	push_dir(&r, root, "");
	push_path(&r, joined(l->place, l->name)); /* the folders on the way are real ones, walked */
	while (r.ntodo && !r.why && r.end < 0) {
		const char *c = r.todo[--r.ntodo];
		step(&r, c, r.ntodo == 0);
	}
	if (r.why) {
		not_read(w, l->shown, r.why, r.text ? r.text : l->name);
	} else {
		char *place = resolved_place(&r);
		int fd = r.end;
		if (fd < 0) { /* it ends on a folder: the one on top */
			fd = r.fds[r.depth - 1];
			r.fds[r.depth - 1] = -1;
		}
		visit(w, fd, place, l->shown, l->depth, r.text ? r.text : l->name);
		free(place);
	}
	resolution_free(&r);
}

int kbf_walk_bundle(struct kb_engine *eng, int dirfd, const char *shown, struct kbf_inputs *inputs)
{
	struct walk w = {.eng = eng, .inputs = inputs, .root = dirfd, .shown_root = shown};
	struct stat st;
	if (fstat(dirfd, &st) == 0)
		seen_before(&w.seen, &st, "");
	int fd = dup(dirfd);
	if (fd < 0)
		not_read(&w, "", "cannot open directory: %s", strerror(errno));
	else
		walk_dir(&w, fd, "", "", 0);
	/* Links last, so that what they lead to is read under its own name;
	 * a folder a link leads to may hold more links: w.nlinks grows. */
	for (size_t i = 0; i < w.nlinks; i++) {
		struct link l = w.links[i]; /* w.links may move */
		follow(&w, &l);
		free(l.place);
		free(l.name);
		free(l.shown);
	}
	free(w.links);
	for (size_t i = 0; i < w.seen.cap; i++)
		free(w.seen.v[i].shown);
	free(w.seen.v);
	return w.errors;
}
