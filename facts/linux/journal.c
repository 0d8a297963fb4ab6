/*
 * journal.c — the collector "linux.journal": the systemd journal's
 * most recent entries at priority warning or worse (the last 2000 of
 * them in the current boot, oldest first; of a journal KBDIAG_JOURNAL
 * names, the last 2000 whatever their boot) as `event` facts: log "journal", source =
 * SYSLOG_IDENTIFIER (else _COMM), unit = _SYSTEMD_UNIT, pid = _PID (else
 * SYSLOG_PID), level from PRIORITY (0-3 "error", 4 "warning"), time = the
 * entry's realtime stamp as ISO UTC, message = MESSAGE, computer =
 * _HOSTNAME, and code = the ERRNO field, else the errno the message names
 * (errno.c).  record numbers the entries read, oldest first.
 *
 * Which journal: the environment variable KBDIAG_JOURNAL names a journal
 * file or directory to read instead of the host's (tests build one with
 * systemd-journal-remote from an export-format fixture); under a test
 * root, root/var/log/journal; otherwise the local system journal.  With
 * no journal files at all the input says "no systemd journal" (or, when a
 * journal directory with machine subdirectories is there but an
 * unprivileged user sees nothing in it, "systemd journal not readable by
 * this user"); built without libsystemd, "built without libsystemd".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux.h"

#ifdef KBDIAG_HAVE_SYSTEMD
#include <systemd/sd-journal.h>

#include "systemd_lib.h" /* libsystemd's functions, loaded on first use */

#define JOURNAL_ENTRIES 2000

/* The fields of one entry, through one pass over them
 * (sd_journal_enumerate_data) instead of a lookup per field, each of which
 * walks all of them.  A negative errno when libsystemd stopped at a field
 * it could not read (a damaged file). */
static int read_fields(sd_journal *j, struct kbf_journal_fields *fs)
{
	const void *data;
	size_t len;
	int r;
	kbf_journal_fields_clear(fs);
	sd_journal_restart_data(j);
	while ((r = sd_journal_enumerate_data(j, &data, &len)) > 0)
		kbf_journal_field_add(fs, data, len);
	return r;
}

int kbf_journal_emit_current(struct kbf_input *in, sd_journal *j, struct kbf_journal_fields *fs, int64_t record)
{
	int r = read_fields(j, fs);
	if (r < 0)
		kbf_input_skip(in, 0, "entry %lld: libsystemd could not read all its fields (%s: a damaged journal "
			       "file); the event has those it read", (long long)record, strerror(-r));
	uint64_t usec = 0;
	bool dated = sd_journal_get_realtime_usec(j, &usec) >= 0;
	return kbf_journal_entry_emit(in, fs, dated ? &usec : NULL, record);
}

static int open_journal(sd_journal **j, const struct kbf_options *opt)
{
	const char *env = getenv("KBDIAG_JOURNAL");
	struct stat st;
	if (env && *env) {
		if (stat(env, &st) == 0 && !S_ISDIR(st.st_mode))
			return sd_journal_open_files(j, (const char *[]){env, NULL}, 0);
		return sd_journal_open_directory(j, env, 0);
	}
	if (opt->root && opt->root[0]) {
		char *dir = kbf_linux_path(opt, "/var/log/journal");
		int r = sd_journal_open_directory(j, dir, 0);
		free(dir);
		return r;
	}
	return sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY);
}

static int read_entries(struct kbf_input *in, sd_journal *j, bool this_boot)
{
	sd_id128_t boot;
	if (this_boot && sd_id128_get_boot(&boot) >= 0) {
		char match[64];
		snprintf(match, sizeof(match), "_BOOT_ID=" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(boot));
		if (sd_journal_add_match(j, match, 0) < 0)
			return kbf_input_error(in, 0, "cannot filter the journal by boot");
	}
	for (int p = 0; p <= 4; p++) {
		char match[16];
		snprintf(match, sizeof(match), "PRIORITY=%d", p);
		if (sd_journal_add_match(j, match, 0) < 0)
			return kbf_input_error(in, 0, "cannot filter the journal by priority");
	}
	if (sd_journal_seek_tail(j) < 0)
		return kbf_input_error(in, 0, "cannot seek in the journal");
	int moved = sd_journal_previous_skip(j, JOURNAL_ENTRIES);
	if (moved <= 0)
		return 0;
	int rc = 0;
	int64_t record = 1;
	struct kbf_journal_fields fs = {0};
	do {
		if (kbf_journal_emit_current(in, j, &fs, record++) < 0)
			rc = -1;
	} while (record <= moved && sd_journal_next(j) > 0);
	kbf_journal_fields_free(&fs);
	return rc;
}

/* A journal directory is there but gave us nothing: not root, and not in
 * the systemd-journal or adm group. */
static bool unreadable(const struct kbf_options *opt)
{
	if (geteuid() == 0 || getenv("KBDIAG_JOURNAL"))
		return false;
	static const char *const dirs[] = {"/var/log/journal", "/run/log/journal"};
	bool any = false;
	for (size_t i = 0; i < 2; i++) {
		char *d = kbf_linux_path(opt, dirs[i]);
		struct stat st;
		any |= stat(d, &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink > 2;
		free(d);
	}
	return any;
}

/* True when path is missing or an empty directory. */
static bool absent_or_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT;
	size_t entries = 0;
	for (struct dirent *e; entries == 0 && (e = readdir(d));)
		entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return entries == 0;
}

/* True when the journal directories sd_journal_open() would look in are
 * missing or empty, so that it could only find nothing (and unreadable()
 * would say false): the collector says so without loading libsystemd (a
 * host or container without journald, whose package may leave an empty
 * /var/log/journal). */
static bool no_journal_files(const struct kbf_options *opt)
{
	const char *env = getenv("KBDIAG_JOURNAL");
	if (env && *env)
		return false;
	bool root = opt->root && opt->root[0];
	static const char *const dirs[] = {"/var/log/journal", "/run/log/journal"};
	bool none = true;
	for (size_t i = 0; none && i < (root ? 1 : 2); i++) { /* under a root, only its /var/log/journal */
		char *d = kbf_linux_path(opt, dirs[i]);
		none = absent_or_empty(d);
		free(d);
	}
	return none;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	if (no_journal_files(opt)) {
		in->unavailable = "no systemd journal";
		return 0;
	}
	sd_journal *j = NULL;
	int r = open_journal(&j, opt);
	uint64_t bytes = 0;
	if (r < 0 || sd_journal_get_usage(j, &bytes) < 0 || bytes == 0) {
		in->unavailable = unreadable(opt) ? "systemd journal not readable by this user"
						  : "no systemd journal";
		sd_journal_close(j);
		return 0;
	}
	const char *env = getenv("KBDIAG_JOURNAL");
	bool host = !(env && *env) && !(opt->root && opt->root[0]);
	int rc = read_entries(in, j, host);
	sd_journal_close(j);
	return rc;
}

const struct kbf_collector kbf_linux_journal_collector = {.name = "linux.journal", .gather = gather};

#else

const struct kbf_collector kbf_linux_journal_collector = {
	.name = "linux.journal", .gather = kbf_linux_gather_without_systemd};

#endif
