/*
 * journal_entry.c — one systemd journal entry as an `event` fact, from
 * its fields: the "FIELD=value" blobs libsystemd hands out for it
 * (sd_journal_enumerate_data), or the fields an export or JSON file
 * spells out (journal_export.c, journal_json.c).  The fields are kept
 * here and the event built from them, apart from the sd_journal calls in
 * journal.c, so that the live collector, every journal importer, a build
 * without libsystemd and the fuzz targets make the same event of the
 * same entry.  Slots: journal.c.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const field_names[KBF_JF_COUNT] = {
	"SYSLOG_IDENTIFIER", "_COMM", "_SYSTEMD_UNIT", "_HOSTNAME", "_PID", "SYSLOG_PID", "PRIORITY",
	"MESSAGE", "ERRNO",
};

static void keep(struct kbf_journal_fields *fs, int k, const char *v, size_t n)
{
	if (n + 1 > fs->cap[k]) {
		fs->cap[k] = n + 1 < 64 ? 64 : n + 1;
		fs->v[k] = kbu_realloc(fs->v[k], fs->cap[k], 1);
	}
	memcpy(fs->v[k], v, n);
	fs->v[k][n] = '\0';
	fs->n[k] = n;
	fs->has[k] = true;
}

void kbf_journal_fields_clear(struct kbf_journal_fields *fs)
{
	memset(fs->has, 0, sizeof(fs->has));
	fs->dated = false;
}

int kbf_journal_field_index(const char *name, size_t len)
{
	for (int k = 0; k < KBF_JF_COUNT; k++)
		if (strlen(field_names[k]) == len && memcmp(name, field_names[k], len) == 0)
			return k;
	return -1;
}

/* __REALTIME_TIMESTAMP: decimal microseconds (false when it is not). */
static bool parse_usec(const char *v, size_t n, uint64_t *usec)
{
	uint64_t r = 0;
	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		r = r * 10 + (uint64_t)(v[i] - '0');
	}
	*usec = r;
	return true;
}

bool kbf_journal_field_set(struct kbf_journal_fields *fs, const char *name, size_t nlen, const char *v,
			   size_t vlen)
{
	static const char realtime[] = "__REALTIME_TIMESTAMP";
	if (nlen == sizeof(realtime) - 1 && memcmp(name, realtime, nlen) == 0)
		return (fs->dated = parse_usec(v, vlen, &fs->realtime_usec));
	int k = kbf_journal_field_index(name, nlen);
	if (k >= 0 && !fs->has[k])
		keep(fs, k, v, vlen);
	return true;
}

void kbf_journal_field_add(struct kbf_journal_fields *fs, const void *data, size_t len)
{
	const char *d = data, *eq = memchr(d, '=', len);
	if (eq)
		kbf_journal_field_set(fs, d, (size_t)(eq - d), eq + 1, len - (size_t)(eq - d) - 1);
}

void kbf_journal_fields_free(struct kbf_journal_fields *fs)
{
	for (int k = 0; k < KBF_JF_COUNT; k++)
		free(fs->v[k]);
}

static int64_t field_int(const struct kbf_journal_fields *fs, int k)
{
	int64_t r = 0;
	if (!fs->has[k] || fs->n[k] == 0 || fs->n[k] > 18)
		return -1;
	for (size_t i = 0; i < fs->n[k]; i++) {
		if (fs->v[k][i] < '0' || fs->v[k][i] > '9')
			return -1;
		r = r * 10 + (fs->v[k][i] - '0');
	}
	return r;
}

static int pick(const struct kbf_journal_fields *fs, int k, int alt)
{
	return fs->has[k] ? k : alt >= 0 && fs->has[alt] ? alt : -1;
}

static void set_field(struct kbf_fact *f, const struct kbf_journal_fields *fs, const char *slot, int k)
{
	if (k >= 0)
		kbf_linux_set_str(f, slot, fs->v[k], fs->n[k]);
}

/* _PID, else SYSLOG_PID; -1 when neither is a number. */
static int64_t entry_pid(const struct kbf_journal_fields *fs)
{
	int64_t pid = field_int(fs, KBF_JF_PID);
	return pid > 0 ? pid : field_int(fs, KBF_JF_SYSLOG_PID);
}

static const char *level_of(int64_t prio)
{
	return prio < 0 ? NULL : prio <= 3 ? "error" : prio == 4 ? "warning" : prio <= 6 ? "information" : "verbose";
}

/* Begins f, the entry's event, with every slot but its text. */
static void event_of(struct kbf_fact *f, struct kbf_input *in, const struct kbf_journal_fields *fs,
		     const uint64_t *realtime_usec, int64_t record, char iso[KBF_ISO_UTC_SIZE])
{
	kbf_fact_begin(f, in, "event");
	kbf_set_cstr(f, "log", "journal");
	set_field(f, fs, "source", pick(fs, KBF_JF_IDENT, KBF_JF_COMM));
	set_field(f, fs, "unit", pick(fs, KBF_JF_UNIT, -1));
	set_field(f, fs, "computer", pick(fs, KBF_JF_HOST, -1));
	int64_t pid = entry_pid(fs);
	if (pid > 0)
		kbf_set_int(f, "pid", pid);
	const char *level = level_of(field_int(fs, KBF_JF_PRIORITY));
	if (level)
		kbf_set_cstr(f, "level", level);
	iso[0] = '\0';
	if (realtime_usec) {
		kbf_iso_utc((int64_t)(*realtime_usec / 1000000), iso);
		kbf_set_cstr(f, "time", iso);
	}
	bool has_msg = fs->has[KBF_JF_MESSAGE];
	const char *msg = has_msg ? fs->v[KBF_JF_MESSAGE] : "";
	size_t mlen = has_msg ? fs->n[KBF_JF_MESSAGE] : 0;
	if (has_msg)
		kbf_linux_set_str(f, "message", msg, mlen);
	int64_t code = field_int(fs, KBF_JF_ERRNO);
	if (code <= 0)
		code = kbf_log_errno(msg, mlen);
	if (code > 0)
		kbf_set_int(f, "code", code);
	kbf_set_int(f, "record", record);
}

int kbf_journal_entry_emit(struct kbf_input *in, const struct kbf_journal_fields *fs,
			   const uint64_t *realtime_usec, int64_t record)
{
	struct kbf_fact f;
	char iso[KBF_ISO_UTC_SIZE];
	event_of(&f, in, fs, realtime_usec, record, iso);
	int src = pick(fs, KBF_JF_IDENT, KBF_JF_COMM);
	const char *msg = fs->has[KBF_JF_MESSAGE] ? fs->v[KBF_JF_MESSAGE] : "";
	size_t mlen = fs->has[KBF_JF_MESSAGE] ? fs->n[KBF_JF_MESSAGE] : 0;
	char *text = NULL;
	int tl = asprintf(&text, "%s %s[%lld]: %.*s", iso, src >= 0 ? fs->v[src] : "", (long long)entry_pid(fs),
			  (int)mlen, msg);
	const struct kb_fact *r = kbf_linux_emit(&f, 0, tl > 0 ? text : NULL, tl > 0 ? (size_t)tl : 0);
	free(tl > 0 ? text : NULL);
	return r ? 0 : -1;
}

int kbf_journal_record_emit(struct kbf_input *in, const struct kbf_journal_fields *fs, int64_t record, int line,
			    const char *s, size_t len)
{
	struct kbf_fact f;
	char iso[KBF_ISO_UTC_SIZE];
	event_of(&f, in, fs, fs->dated ? &fs->realtime_usec : NULL, record, iso);
	size_t n;
	char *fixed = kbu_utf8_fix(s, len, &n); /* binary fields: no text of the file's to cite */
	const struct kb_fact *r = kbf_fact_emit_record(&f, line, fixed ? fixed : s, fixed ? n : len, KBF_TEXT_EVENT);
	free(fixed);
	return r ? 0 : -1;
}
