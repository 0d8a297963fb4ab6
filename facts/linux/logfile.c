/*
 * logfile.c — a Linux log file as `event` facts, one per line
 * (formats in logline.c).  Used by the collector "linux.logs" for
 * the host's syslog files and every --log FILE, and as the importer
 * "linux-log" for logs a bundle carries.  Each event's record is its line
 * number, so identical lines stay distinct facts.
 *
 * Recognising a log by content: most of its first lines carry one of the
 * dated formats.  A file of plain lines (a daemon's stderr) is only a
 * guess: a low score when a line reports an errno, so any real format
 * wins.
 */
#include <string.h>
#include <time.h>

#include "linux.h"

#define PROBE_LINES 30

static void set_event(struct kbf_fact *f, const char *log, const struct kbf_logline *l, int64_t record)
{
	kbf_set_cstr(f, "log", log);
	if (l->sourcelen)
		kbf_set_str(f, "source", l->source, l->sourcelen);
	if (l->pid > 0)
		kbf_set_int(f, "pid", l->pid);
	if (l->level)
		kbf_set_cstr(f, "level", l->level);
	if (l->time)
		kbf_set_cstr(f, "time", l->time);
	kbf_set_str(f, "message", l->msg, l->msglen);
	if (l->hostlen)
		kbf_set_str(f, "computer", l->host, l->hostlen);
	if (l->categorylen)
		kbf_set_str(f, "category", l->category, l->categorylen);
	if (l->code)
		kbf_set_int(f, "code", l->code);
	if (l->id)
		kbf_set_int(f, "id", l->id);
	kbf_set_int(f, "record", record);
}

size_t kbf_log_emit_text(struct kbf_input *in, struct kbf_text *text, const char *log,
			 const char *source_path, size_t first_line, int ref_year, int ref_month)
{
	size_t n = 0;
	const struct kbf_line *ln;
	for (size_t i = 0; (ln = kbf_text_line(text, i)); i++) {
		kbf_text_release(text, i);
		const char *s = ln->s;
		size_t len = ln->len;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		struct kbf_logline l;
		kbf_logline_parse(s, len, ref_year, ref_month, &l);
		int line = kbf_linux_line_no(first_line + i - 1);
		struct kbf_fact f;
		kbf_fact_begin(&f, in, "event");
		set_event(&f, log, &l, (int64_t)(first_line + i));
		n += kbf_fact_emit_at(&f, source_path ? source_path : in->path, line, s, len) != NULL;
	}
	return n;
}

static int probe(struct kbf_text *t)
{
	size_t seen = 0, dated = 0, errnos = 0;
	for (size_t i = 0; i < t->nlines && seen < PROBE_LINES; i++) {
		if (t->lines[i].len == 0)
			continue;
		struct kbf_logline l;
		kbf_logline_parse(t->lines[i].s, t->lines[i].len, 2000, 12, &l);
		seen++;
		dated += l.dated || (l.sourcelen && l.level);
		errnos += l.code != 0;
	}
	if (dated && dated * 2 >= seen)
		return 60;
	return errnos ? 15 : 0;
}

static int import(struct kbf_input *in, struct kbf_text *text)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!localtime_r(&now, &tm))
		tm = (struct tm){.tm_year = 70, .tm_mon = 0};
	kbf_log_emit_text(in, text, in->path, NULL, 1, tm.tm_year + 1900, tm.tm_mon + 1);
	return in->err.status == KB_OK ? 0 : -1;
}

const struct kbf_importer kbf_logfile_importer = {"linux-log", probe, import, KBF_READ_STREAM};
