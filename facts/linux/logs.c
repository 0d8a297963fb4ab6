/*
 * logs.c — the collector "linux.logs": the tail (last 1 MiB) of the
 * host's syslog files (/var/log/syslog, messages, daemon.log, mail.log;
 * log "syslog") and every --log FILE (log = the path as given; up to
 * 64 MiB from its end) as `event` facts, each pointing at its file and
 * line (logfile.c).  A file we may not read is skipped; a --log
 * file that cannot be read is an error.  "windows.logs" is the same
 * without the syslog files: a Windows program's own log, named with
 * --log, is read by the same line reader on every platform.
 *
 * Line numbers stay true when only the tail is read: the lines in the
 * part left out are counted (up to 64 MiB of it; past that, numbering
 * starts at the tail, which only a huge unrotated log would see).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux.h"
#include "readfd.h"

#define SYSLOG_TAIL (1u << 20)
#define LOG_MAX (64u << 20)
#define COUNT_MAX ((off_t)64 << 20)


/* Lines before offset upto, plus one: the number of the first line after it. */
static size_t first_line_after(const char *path, off_t upto)
{
	if (upto <= 0 || upto > COUNT_MAX)
		return 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	char buf[65536];
	size_t lines = 1;
	off_t done = 0;
	while (done < upto) {
		size_t want = upto - done < (off_t)sizeof(buf) ? (size_t)(upto - done) : sizeof(buf);
		ssize_t n = kbu_read_retry(fd, buf, want);
		if (n <= 0)
			break;
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
			lines++;
		done += n;
	}
	close(fd);
	return lines;
}

/* Reads one log file; false when it is absent or unreadable (errno set). */
static bool read_log(struct kbf_input *in, const char *fs_path, const char *shown, const char *log,
		    size_t max)
{
	struct stat st;
	if (stat(fs_path, &st) < 0)
		return false;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return false;
	}
	size_t len = 0;
	off_t skipped = 0;
	char *raw = kbf_linux_read_file(fs_path, max, true, &len, &skipped);
	if (!raw)
		return false;
	struct tm tm;
	time_t mtime = st.st_mtime;
	if (!localtime_r(&mtime, &tm))
		tm = (struct tm){.tm_year = 70};
	struct kbf_text t;
	kbf_text_decode(&t, (unsigned char *)raw, len);
	kbf_log_emit_text(in, &t, log, shown, first_line_after(fs_path, skipped), tm.tm_year + 1900,
			  tm.tm_mon + 1);
	kbf_text_free(&t);
	free(raw);
	return true;
}

/* Every --log FILE; the number read. */
static size_t read_named_logs(struct kbf_input *in, const struct kbf_options *opt, int *rc)
{
	size_t read_any = 0;
	for (size_t i = 0; i < opt->nlogs; i++) {
		if (read_log(in, opt->logs[i], opt->logs[i], opt->logs[i], LOG_MAX))
			read_any++;
		else
			*rc = kbf_input_error(in, 0, "--log %s: %s", opt->logs[i], strerror(errno));
	}
	return read_any;
}

#ifndef _WIN32
static const char *const syslog_files[] = {
	"/var/log/syslog", "/var/log/messages", "/var/log/daemon.log", "/var/log/mail.log",
};

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	size_t read_any = 0;
	int rc = 0;
	for (size_t i = 0; i < sizeof(syslog_files) / sizeof(syslog_files[0]); i++) {
		char *path = kbf_linux_path(opt, syslog_files[i]);
		read_any += read_log(in, path, syslog_files[i], "syslog", SYSLOG_TAIL);
		free(path);
	}
	read_any += read_named_logs(in, opt, &rc);
	if (!read_any)
		in->unavailable = "no readable syslog file";
	return rc;
}

const struct kbf_collector kbf_linux_logs_collector = {.name = "linux.logs", .gather = gather};
#endif

static int gather_named(struct kbf_input *in, const struct kbf_options *opt)
{
	int rc = 0;
	if (opt->nlogs == 0)
		in->unavailable = "no --log FILE named";
	read_named_logs(in, opt, &rc);
	return rc;
}

const struct kbf_collector kbf_win_logs_collector = {.name = "windows.logs", .gather = gather_named};
