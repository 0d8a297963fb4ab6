/*
 * cmd_fleet.c — `kbdiag fleet REPORT|DIR...`: many hosts' JSON reports
 * rolled up (report/fleet.h).  A folder holds reports (*.json) and
 * folders of them: a report in DIR/NAME/ is host NAME, the layout the
 * Ansible role fetches to (docs/fleet.md), whatever the host calls itself.
 * Entries are taken in name order, so the roll-up is the same every run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "fleet.h"
#include "textout.h"
#include "xalloc.h"

static bool is_json_name(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir but "." and "..", sorted; NULL if it cannot be read. */
static char **dir_entries(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		names = kbu_realloc(names, n + 1, sizeof(*names));
		names[n++] = kbu_strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*count = n;
	return names ? names : kbu_calloc(1, sizeof(*names));
}

static void free_entries(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = kbu_malloc(n);
	snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return p;
}

/* The reports in dir, of host `host` when it is a host's folder, and in
 * its folders when it is not.  Links are not followed: a folder of
 * reports is the controller's, and a link in it is not a report. */
static void add_dir(struct kbr_fleet *f, const char *dir, const char *host)
{
	size_t n;
	char **names = dir_entries(dir, &n);
	if (!names) {
		kbr_fleet_add_file(f, dir, host);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		struct stat st;
		if (lstat(path, &st) != 0)
			kbr_fleet_add_file(f, path, host); /* says why */
		else if (S_ISDIR(st.st_mode) && !host)
			add_dir(f, path, names[i]);
		else if (S_ISREG(st.st_mode) && is_json_name(names[i]))
			kbr_fleet_add_file(f, path, host);
		else
			kbr_fleet_skip(f, path, S_ISDIR(st.st_mode) ? "a folder inside a host's folder"
						: S_ISLNK(st.st_mode) ? "a symbolic link, not followed"
									: "not a .json file");
		free(path);
	}
	free_entries(names, n);
}

int kbd_cmd_fleet(const struct kbd_options *o)
{
	if (o->nargs < 1) {
		kbu_tprintf(stderr, "kbdiag: fleet needs reports or folders of them (see kbdiag --help)\n");
		return 2;
	}
	struct kbr_fleet f;
	kbr_fleet_init(&f);
	for (size_t i = 0; i < o->nargs; i++) {
		struct stat st;
		if (stat(o->args[i], &st) == 0 && S_ISDIR(st.st_mode))
			add_dir(&f, o->args[i], NULL);
		else
			kbr_fleet_add_file(&f, o->args[i], NULL);
	}
	kbr_fleet_finish(&f);
	if (o->format == KBD_JSON) {
		json_t *doc = kbr_fleet_json(&f);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		kbr_fleet_text(stdout, &f);
	}
	int rc = !kbr_fleet_read(&f) ? 2 : kbr_fleet_worrying(&f) ? 1 : 0;
	if (rc == 2)
		kbu_tprintf(stderr, "kbdiag: fleet: no report could be read\n");
	kbr_fleet_free(&f);
	return rc;
}
