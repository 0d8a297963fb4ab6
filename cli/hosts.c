/*
 * hosts.c — the paths `kbdiag diagnose` is given, split into hosts
 * (hosts.h).  Folders are read in name order, as the bundle walk reads
 * them, so the hosts come out the same every run.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "hosts.h"
#include "textout.h"
#include "xalloc.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir's entries as paths, sorted by name; NULL when it cannot be read. */
static char **entries(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **v = kbu_calloc(1, sizeof(*v));
	size_t n = 0, len = strlen(dir);
	bool slash = len && dir[len - 1] == '/';
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t size = len + strlen(e->d_name) + 2;
		v = kbu_realloc(v, n + 1, sizeof(*v));
		v[n] = kbu_malloc(size);
		snprintf(v[n++], size, "%s%s%s", dir, slash ? "" : "/", e->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*count = n;
	return v;
}

static void free_entries(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "bundle" of "cases/bundle/" and "cases/bundle". */
static char *base_name(const char *path)
{
	size_t end = strlen(path);
	while (end > 1 && path[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	return kbu_strndup(path + start, end - start);
}

static struct kbd_host *add_host(struct kbd_hosts *h, const char *named_by)
{
	h->v = kbu_realloc(h->v, h->n + 1, sizeof(*h->v));
	struct kbd_host *x = &h->v[h->n++];
	*x = (struct kbd_host){.name = base_name(named_by)};
	return x;
}

static void add_path(struct kbd_host *x, const char *path)
{
	x->paths = kbu_realloc(x->paths, x->npaths + 1, sizeof(*x->paths));
	x->paths[x->npaths++] = kbu_strdup(path);
}

static void one_host(struct kbd_hosts *h, const char *path)
{
	add_path(add_host(h, path), path);
}

/* Whether every entry of a folder is one host's evidence of its own (a
 * folder, an archive, a snapshot; not a link), and there are two or more:
 * a fleet rather than one host's bundle. */
static bool is_fleet(char *const *v, size_t n)
{
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		enum kbf_unit u = kbf_path_unit(v[i], false);
		if (u != KBF_UNIT_FOLDER && u != KBF_UNIT_ARCHIVE && u != KBF_UNIT_SNAPSHOT)
			return false;
	}
	return true;
}

/* Files given beside exactly one bundle, archive or snapshot (a log added
 * to a customer's snapshot) are that host's: every path, one host. */
static bool one_unit_and_files(char *const *paths, size_t n)
{
	size_t units = 0, files = 0;
	for (size_t i = 0; i < n; i++) {
		enum kbf_unit u = kbf_path_unit(paths[i], true);
		size_t m = 0;
		char **v = u == KBF_UNIT_FOLDER ? entries(paths[i], &m) : NULL;
		if (v && is_fleet(v, m))
			units += 2; /* a fleet: its hosts stay apart */
		else if (u == KBF_UNIT_FOLDER || u == KBF_UNIT_ARCHIVE || u == KBF_UNIT_SNAPSHOT)
			units++;
		else
			files++;
		if (v)
			free_entries(v, m);
	}
	return units == 1 && files > 0;
}

static void by_dir(struct kbd_hosts *h, char *const *paths, size_t n)
{
	if (one_unit_and_files(paths, n)) {
		struct kbd_host *x = NULL;
		for (size_t i = 0; i < n; i++) {
			enum kbf_unit u = kbf_path_unit(paths[i], true);
			if (!x && (u == KBF_UNIT_FOLDER || u == KBF_UNIT_ARCHIVE || u == KBF_UNIT_SNAPSHOT))
				x = add_host(h, paths[i]);
		}
		for (size_t i = 0; i < n; i++)
			add_path(x, paths[i]);
		return;
	}
	struct kbd_host *loose = NULL;
	size_t loose_at = 0;
	for (size_t i = 0; i < n; i++) {
		enum kbf_unit u = kbf_path_unit(paths[i], true);
		size_t m;
		char **v = u == KBF_UNIT_FOLDER ? entries(paths[i], &m) : NULL;
		if (v && is_fleet(v, m)) {
			for (size_t k = 0; k < m; k++)
				one_host(h, v[k]);
		} else if (u == KBF_UNIT_FOLDER || u == KBF_UNIT_ARCHIVE || u == KBF_UNIT_SNAPSHOT) {
			one_host(h, paths[i]);
		} else {
			if (!loose) {
				loose = add_host(h, paths[i]);
				loose_at = h->n - 1;
			}
			add_path(&h->v[loose_at], paths[i]); /* h->v may have moved */
			loose = &h->v[loose_at];
		}
		if (v)
			free_entries(v, m);
	}
}

static void by_file(struct kbd_hosts *h, const char *path, bool named)
{
	enum kbf_unit u = kbf_path_unit(path, named);
	size_t m;
	char **v = u == KBF_UNIT_FOLDER ? entries(path, &m) : NULL;
	if (u == KBF_UNIT_LINK) /* under a folder given: not followed, as the bundle walk follows none */
		kbu_tprintf(stderr, "kbdiag: %s: not read: a symbolic link inside a folder given\n", path);
	else if (!v)
		one_host(h, path);
	if (!v)
		return;
	for (size_t k = 0; k < m; k++)
		by_file(h, v[k], false);
	free_entries(v, m);
}

void kbd_hosts_plan(struct kbd_hosts *h, char *const *paths, size_t n, enum kbd_host_per per)
{
	memset(h, 0, sizeof(*h));
	switch (per) {
	case KBD_HOST_PER_DIR: by_dir(h, paths, n); break;
	case KBD_HOST_PER_PATH:
		for (size_t i = 0; i < n; i++)
			one_host(h, paths[i]);
		break;
	case KBD_HOST_PER_FILE:
		for (size_t i = 0; i < n; i++)
			by_file(h, paths[i], true);
		break;
	}
}

void kbd_hosts_free(struct kbd_hosts *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		for (size_t k = 0; k < h->v[i].npaths; k++)
			free(h->v[i].paths[k]);
		free(h->v[i].paths);
	}
	free(h->v);
}
