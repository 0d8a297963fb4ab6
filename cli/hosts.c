/*
 * hosts.c — the paths `kbdiag diagnose` is given, split into hosts
 * (hosts.h).  Folders are read in name order, as the bundle walk reads
 * them, so the hosts come out the same every run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "hosts.h"
#include "path.h"
#include "textout.h"
#include "xalloc.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **kbd_dir_paths(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **v = kbu_calloc(1, sizeof(*v));
	size_t n = 0, len = strlen(dir);
	bool slash = len && kbu_path_sep(dir[len - 1]);
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

void kbd_dir_paths_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "bundle" of "cases/bundle/" and "cases/bundle". */
static char *base_name(const char *path)
{
	size_t end = strlen(path);
	while (end > 1 && kbu_path_sep(path[end - 1]))
		end--;
	size_t start = end;
	while (start > 0 && !kbu_path_sep(path[start - 1]))
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

/* What a path given is, as by_dir() sorts it: a file, one host's
 * evidence, or a fleet (then *fleet holds its members' paths). */
enum role { ROLE_FILE, ROLE_HOST, ROLE_FLEET };

static enum role role_of(const char *path, char ***fleet, size_t *nfleet)
{
	enum kbf_unit u = kbf_path_unit(path, true);
	*fleet = u == KBF_UNIT_FOLDER ? kbd_dir_paths(path, nfleet) : NULL;
	if (*fleet && is_fleet(*fleet, *nfleet))
		return ROLE_FLEET;
	if (*fleet)
		kbd_dir_paths_free(*fleet, *nfleet);
	*fleet = NULL;
	return u == KBF_UNIT_FOLDER || u == KBF_UNIT_ARCHIVE || u == KBF_UNIT_SNAPSHOT ? ROLE_HOST : ROLE_FILE;
}

static void by_dir(struct kbd_hosts *h, char *const *paths, size_t n)
{
	enum role *role = kbu_calloc(n, sizeof(*role));
	char ***fleet = kbu_calloc(n, sizeof(*fleet));
	size_t *nfleet = kbu_calloc(n, sizeof(*nfleet)), hosts = 0, files = 0;
	for (size_t i = 0; i < n; i++) {
		role[i] = role_of(paths[i], &fleet[i], &nfleet[i]);
		hosts += role[i] == ROLE_FLEET ? 2 : role[i] == ROLE_HOST;
		files += role[i] == ROLE_FILE;
	}
	/* Files given beside exactly one bundle, archive or snapshot (a log
	 * added to a customer's snapshot) are that host's: every path, one host. */
	bool together = hosts == 1 && files > 0;
	size_t loose = SIZE_MAX; /* the host of the files given, once there is one */
	for (size_t i = 0; i < n; i++) {
		if (together) {
			if (role[i] == ROLE_HOST)
				add_host(h, paths[i]);
		} else if (role[i] == ROLE_FLEET) {
			for (size_t k = 0; k < nfleet[i]; k++)
				one_host(h, fleet[i][k]);
		} else if (role[i] == ROLE_HOST) {
			one_host(h, paths[i]);
		} else {
			if (loose == SIZE_MAX)
				loose = (size_t)(add_host(h, paths[i]) - h->v);
			add_path(&h->v[loose], paths[i]);
		}
		if (fleet[i])
			kbd_dir_paths_free(fleet[i], nfleet[i]);
	}
	for (size_t i = 0; together && i < n; i++)
		add_path(&h->v[0], paths[i]);
	free(role);
	free(fleet);
	free(nfleet);
}

static void by_file(struct kbd_hosts *h, const char *path, bool named)
{
	enum kbf_unit u = kbf_path_unit(path, named);
	size_t m;
	char **v = u == KBF_UNIT_FOLDER ? kbd_dir_paths(path, &m) : NULL;
	if (u == KBF_UNIT_LINK) /* under a folder given: not followed, as the bundle walk follows none */
		kbu_tprintf(stderr, "kbdiag: %s: not read: a symbolic link inside a folder given\n", path);
	else if (!v)
		one_host(h, path);
	if (!v)
		return;
	for (size_t k = 0; k < m; k++)
		by_file(h, v[k], false);
	kbd_dir_paths_free(v, m);
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
