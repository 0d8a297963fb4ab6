/*
 * cmd_fleet.c — `kbdiag fleet REPORT|DIR...`: many hosts' JSON reports
 * rolled up (report/fleet.h).  A folder holds reports (*.json) and
 * folders of them: a report in DIR/NAME/ is host NAME, the layout the
 * Ansible role fetches to (docs/fleet.md), whatever the host calls itself.
 * Entries are taken in name order, so the roll-up is the same every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "fleet.h"
#include "hosts.h"
#include "path.h"
#include "textout.h"

static bool is_json_name(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The reports in dir, of host `host` when it is a host's folder, and in
 * its folders when it is not.  Links are not followed: a folder of
 * reports is the controller's, and a link in it is not a report. */
static void add_dir(struct kbr_fleet *f, const char *dir, const char *host)
{
	size_t n;
	char **paths = kbd_dir_paths(dir, &n);
	if (!paths) {
		kbr_fleet_add_file(f, dir, host);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i], *name = kbu_path_name(path);
		struct stat st;
		if (lstat(path, &st) != 0)
			kbr_fleet_add_file(f, path, host); /* says why */
		else if (S_ISDIR(st.st_mode) && !host)
			add_dir(f, path, name);
		else if (S_ISREG(st.st_mode) && is_json_name(name))
			kbr_fleet_add_file(f, path, host);
		else
			kbr_fleet_skip(f, path, S_ISDIR(st.st_mode) ? "a folder inside a host's folder"
						: S_ISLNK(st.st_mode) ? "a symbolic link, not followed"
									: "not a .json file");
	}
	kbd_dir_paths_free(paths, n);
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
	} else if (o->format == KBD_HTML) {
		struct kbr_html_options ho = kbd_html_options(o);
		kbr_fleet_html(stdout, &f, &ho);
	} else {
		kbr_fleet_text(stdout, &f);
	}
	int rc = !kbr_fleet_read(&f) ? 2 : kbr_fleet_worrying(&f) ? 1 : 0;
	if (rc == 2)
		kbu_tprintf(stderr, "kbdiag: fleet: no report could be read\n");
	kbr_fleet_free(&f);
	return rc;
}
