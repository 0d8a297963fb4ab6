/*
 * hosts.h — which evidence is which host's (`kbdiag diagnose`, --host-per):
 * the paths given, split into hosts that are each diagnosed alone, so that
 * no fact of one host ever joins a fact of another.
 */
#ifndef KBDIAG_CLI_HOSTS_H
#define KBDIAG_CLI_HOSTS_H

#include <stddef.h>

#include "options.h"

struct kbd_host {
	char *name;   /* the folder's, archive's or file's name: what the report calls it */
	char **paths; /* what is read for it */
	size_t npaths;
};

struct kbd_hosts {
	struct kbd_host *v;
	size_t n;
};

/* The hosts of paths[0..n):
 * - KBD_HOST_PER_DIR: a folder, an archive or a snapshot given is one
 *   host; a folder holding nothing but (two or more) folders, archives and
 *   snapshots is a fleet, each of them a host; the other files given are
 *   one host together, where the first of them was given, or the host of
 *   the one bundle, archive or snapshot given beside them;
 * - KBD_HOST_PER_PATH: each path given is one host, as it is;
 * - KBD_HOST_PER_FILE: each file given, and each file under a folder
 *   given, is one host; a link under a folder is not followed, and
 *   stderr says so. */
void kbd_hosts_plan(struct kbd_hosts *h, char *const *paths, size_t n, enum kbd_host_per per);
void kbd_hosts_free(struct kbd_hosts *h);

/* dir's entries as paths ("dir/name"), sorted by name, so that a folder
 * reads the same every run; NULL when it cannot be read. */
char **kbd_dir_paths(const char *dir, size_t *count);
void kbd_dir_paths_free(char **paths, size_t n);

#endif
