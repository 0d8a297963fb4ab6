/*
 * linux_journal.c — the collector "linux.journal": the systemd journal's
 * most recent entries at priority warning or worse (the last 2000 of
 * them, oldest first) as `event` facts: log "journal", source =
 * SYSLOG_IDENTIFIER (else _COMM), unit = _SYSTEMD_UNIT, pid = _PID (else
 * SYSLOG_PID), level from PRIORITY (0-3 "error", 4 "warning"), time = the
 * entry's realtime stamp as ISO UTC, message = MESSAGE, computer =
 * _HOSTNAME, and code = the ERRNO field, else the errno the message names
 * (linux_errno.c).  record numbers the entries read, oldest first.
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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux.h"

#ifdef KBDIAG_HAVE_SYSTEMD
#include <systemd/sd-journal.h>

#define JOURNAL_ENTRIES 2000

/* The value of field in the current entry (borrowed), or NULL. */
static const char *get(sd_journal *j, const char *field, size_t *len)
{
	const void *data;
	size_t n, fl = strlen(field);
	if (sd_journal_get_data(j, field, &data, &n) < 0 || n <= fl || ((const char *)data)[fl] != '=')
		return NULL;
	*len = n - fl - 1;
	return (const char *)data + fl + 1;
}

static int64_t get_int(sd_journal *j, const char *field)
{
	size_t n;
	const char *v = get(j, field, &n);
	int64_t r = 0;
	if (!v || n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		r = r * 10 + (v[i] - '0');
	}
	return r;
}

static void set_opt_str(struct kbf_fact *f, sd_journal *j, const char *slot, const char *field,
			const char *alt)
{
	size_t n;
	const char *v = get(j, field, &n);
	if (!v && alt)
		v = get(j, alt, &n);
	if (v)
		kbf_linux_set_str(f, slot, v, n);
}

static const char *level_of(int64_t prio)
{
	return prio < 0 ? NULL : prio <= 3 ? "error" : prio == 4 ? "warning" : prio <= 6 ? "information" : "verbose";
}

static int one_entry(struct kbf_input *in, sd_journal *j, int64_t record)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "event");
	kbf_set_cstr(&f, "log", "journal");
	set_opt_str(&f, j, "source", "SYSLOG_IDENTIFIER", "_COMM");
	set_opt_str(&f, j, "unit", "_SYSTEMD_UNIT", NULL);
	set_opt_str(&f, j, "computer", "_HOSTNAME", NULL);
	int64_t pid = get_int(j, "_PID");
	if (pid <= 0)
		pid = get_int(j, "SYSLOG_PID");
	if (pid > 0)
		kbf_set_int(&f, "pid", pid);
	const char *level = level_of(get_int(j, "PRIORITY"));
	if (level)
		kbf_set_cstr(&f, "level", level);
	uint64_t usec = 0;
	char iso[32] = "";
	if (sd_journal_get_realtime_usec(j, &usec) >= 0) {
		kbf_linux_iso_utc((int64_t)(usec / 1000000), iso);
		kbf_set_cstr(&f, "time", iso);
	}
	size_t mlen = 0;
	const char *msg = get(j, "MESSAGE", &mlen);
	if (msg)
		kbf_linux_set_str(&f, "message", msg, mlen);
	int64_t code = get_int(j, "ERRNO");
	if (code <= 0 && msg)
		code = kbf_log_errno(msg, mlen);
	if (code > 0)
		kbf_set_int(&f, "code", code);
	kbf_set_int(&f, "record", record);
	size_t sl = 0;
	const char *src = get(j, "SYSLOG_IDENTIFIER", &sl);
	char *text = NULL;
	int tl = asprintf(&text, "%s %.*s[%lld]: %.*s", iso, (int)(src ? sl : 0), src ? src : "",
			  (long long)pid, (int)(msg ? mlen : 0), msg ? msg : "");
	const struct kb_fact *r = kbf_linux_emit(&f, 0, tl > 0 ? text : NULL, tl > 0 ? (size_t)tl : 0);
	free(tl > 0 ? text : NULL);
	return r ? 0 : -1;
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
		int r = dir ? sd_journal_open_directory(j, dir, 0) : -ENOMEM;
		free(dir);
		return r;
	}
	return sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY);
}

static int read_entries(struct kbf_input *in, sd_journal *j)
{
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
	do {
		if (one_entry(in, j, record++) < 0)
			rc = -1;
	} while (record <= moved && sd_journal_next(j) > 0);
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
		any |= d && stat(d, &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink > 2;
		free(d);
	}
	return any;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	sd_journal *j = NULL;
	int r = open_journal(&j, opt);
	uint64_t bytes = 0;
	if (r < 0 || sd_journal_get_usage(j, &bytes) < 0 || bytes == 0) {
		in->unavailable = unreadable(opt) ? "systemd journal not readable by this user"
						  : "no systemd journal";
		sd_journal_close(j);
		return 0;
	}
	int rc = read_entries(in, j);
	sd_journal_close(j);
	return rc;
}

#else

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	in->unavailable = "built without libsystemd";
	return 0;
}

#endif

const struct kbf_collector kbf_linux_journal_collector = {"linux.journal", gather};
