/*
 * evt_bin.c — legacy binary Windows event logs (.evt: NT 3.1 to Server
 * 2003), read with libyal's libevt, the library forensic tools (plaso,
 * evtexport) use.  Recognised by the file header (docs/evidence-formats.md
 * "Binary .evt logs"): its size, 0x30, and signature "LfLe", never by the
 * name.  libevt reads the file from memory (core/libyal.c: a libbfio handle
 * over the mapped file), so an entry of an archive can be read the
 * same way.
 *
 * Each EVENTLOGRECORD becomes an `event` with the slots an Event Viewer
 * text or CSV export of the same event gives: source, id (the low 16 bits:
 * the qualifiers dropped), level (from the event type), time
 * (TimeGenerated, UTC, to the second), computer, user (the SID as text),
 * category (its number: the name lives in the source's category message
 * file), record.  A binary log holds no rendered message (that lives in
 * the source's message file on the customer's machine): the insertion
 * strings go into the event's list and the message is made from them as
 * for a binary .evtx (event_message.c: the knowledge's template, else the
 * strings joined with ", "); code as for .evtx (event_util.c): from those
 * strings, then the event data's first DWORD.  log is the log the file's standard name says
 * (SysEvent.Evt is System), else unset: nothing inside the file names it.
 * Provenance: the line is the record's number, the text the record as
 * evtexport prints it.
 *
 * A log copied from a running system is "dirty" (its header not updated
 * since the last writes); libevt then finds the records by the chain from
 * the first one to the end-of-file record, or by scanning for it, and
 * calls a log whose header and records disagree corrupted.  Records it
 * cannot read are skipped (kbf_input_skip) and counted; records found in
 * unused space (libevt's recovered records: what a wrapped log has not yet
 * overwritten) are read too, unless the log still holds a record of the
 * same number (a copy, or a half-overwritten older version of it).  The
 * input's error says all of that, and the events read are kept.
 */
#include <ctype.h>
#include <inttypes.h>
#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include <libevt.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include "core/libyal.h"
#endif
#include "win_event.h"
#include "xalloc.h"

#define HEADER_SIZE 0x30     /* ELF_LOGFILE_HEADER: HeaderSize, and EndHeaderSize at its end */
#define EOF_RECORD_SIZE 0x28 /* ELF_EOF_RECORD */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int probe(struct kbf_text *t)
{
	if (!t->raw || t->rawlen < HEADER_SIZE || memcmp(t->raw + 4, "LfLe", 4) != 0)
		return 0;
	/* A dirty log's header may be stale, never its size and signature. */
	return le32(t->raw) == HEADER_SIZE ? 100 : 0;
}

#ifdef KBDIAG_WITHOUT_LOADED_LIBS
/* kbdiag.exe: recognised, and said not read (core/dynlib.h). */
static int import(struct kbf_input *in, struct kbf_text *t)
{
	return kbf_input_without(in, "libevt");
}
#else

/* What went wrong, from error (freed), in buf. */
static void error_text(libevt_error_t **error, char *buf, size_t size)
{
	kbf_libyal_error_take(error, libevt_error_backtrace_sprint, libevt_error_free, buf, size);
}

struct log {
	struct kbf_input *in;
	libbfio_handle_t *io;
	libevt_file_t *file;
	const char *name;          /* the log, from the file's standard name, or NULL */
	char why[512];             /* why the last record could not be read */
	struct kbf_wtext_buf text; /* the record rendered, for provenance */
	char *tmp;                 /* one string as libevt gives it */
	size_t tmp_cap;
	uint8_t *data;             /* the record's event data */
	size_t data_cap;
	const unsigned char *bytes; /* the log as read (borrowed) */
	size_t nbytes;
	uint32_t *numbers;         /* the numbers of the log's records, sorted once all are read */
	size_t nnumbers;
};

static char *scratch(struct log *lg, size_t size)
{
	if (size > lg->tmp_cap) {
		free(lg->tmp);
		lg->tmp = kbu_malloc(size);
		lg->tmp_cap = size;
	}
	return lg->tmp;
}

static int open_log(struct log *lg, const unsigned char *data, size_t size)
{
	libevt_error_t *error = NULL;
	lg->bytes = data;
	lg->nbytes = size;
	if (!(lg->io = kbf_bfio_memory(data, size)))
		return kbf_input_error(lg->in, 0, "cannot read it: libbfio cannot hold it in memory");
	if (libevt_file_initialize(&lg->file, &error) != 1 ||
	    libevt_file_open_file_io_handle(lg->file, lg->io, LIBEVT_OPEN_READ, &error) != 1) {
		error_text(&error, lg->why, sizeof(lg->why));
		if (lg->file)
			libevt_file_free(&lg->file, NULL);
		return kbf_input_error(lg->in, 0, "not a readable .evt log: %s", lg->why);
	}
	return 0;
}

/* The event logs Windows keeps in %SystemRoot%\system32\config, by file
 * name (the "File" value of each log's EventLog registry key; libevt's
 * format documentation lists them), as Event Viewer names the logs. */
static const char *log_name(const char *path)
{
	static const struct {
		const char *file, *log;
	} names[] = {
		{"AppEvent.Evt", "Application"}, {"SecEvent.Evt", "Security"}, {"SysEvent.Evt", "System"},
		{"Internet.Evt", "Internet Explorer"}, {"DNSEvent.Evt", "DNS Server"},
		{"NTDS.Evt", "Directory Service"}, {"NtFrs.Evt", "File Replication Service"},
		{"WindowsPowerShell.evt", "Windows PowerShell"},
	};
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\' || *p == '!')
			base = p + 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (kbf_wtext_ieq((struct kbf_wtext_span){base, strlen(base)}, names[i].file))
			return names[i].log;
	return NULL;
}

typedef int (*field_size_fn)(libevt_record_t *, size_t *, libevt_error_t **);
typedef int (*field_fn)(libevt_record_t *, uint8_t *, size_t, libevt_error_t **);

/* One of the record's string fields (source, computer, SID) into out
 * (empty when the record has none): 0, or -1 (lg->why says why). */
static int field(struct log *lg, libevt_record_t *rec, field_size_fn get_size, field_fn get,
		 struct kbf_wtext_buf *out)
{
	libevt_error_t *error = NULL;
	size_t size = 0;
	kbf_wtext_buf_set(out, "", 0);
	int r = get_size(rec, &size, &error);
	if (r == 1 && size > 1) {
		char *s = scratch(lg, size);
		if ((r = get(rec, (uint8_t *)s, size, &error)) == 1)
			kbf_wtext_buf_set(out, s, strnlen(s, size));
	}
	if (r >= 0)
		return 0;
	error_text(&error, lg->why, sizeof(lg->why));
	return -1;
}

/* The record's insertion strings into ev's list (win_event.h). */
static int read_strings(struct log *lg, libevt_record_t *rec, struct kbf_winevt *ev)
{
	libevt_error_t *error = NULL;
	int n = 0;
	if (libevt_record_get_number_of_strings(rec, &n, &error) != 1)
		goto fail;
	for (int i = 0; i < n; i++) {
		size_t size = 0;
		if (libevt_record_get_utf8_string_size(rec, i, &size, &error) != 1)
			goto fail;
		char *s = scratch(lg, size + 1);
		s[0] = '\0';
		if (size && libevt_record_get_utf8_string(rec, i, (uint8_t *)s, size, &error) != 1)
			goto fail;
		kbf_winevt_add_string(ev, s, strnlen(s, size));
	}
	return 0;
fail:
	error_text(&error, lg->why, sizeof(lg->why));
	return -1;
}

/* The event data into lg->data: its size (0: none), or -1.  libevt
 * 20200926 (Debian 12) fails to give the size of a record without data,
 * rather than saying there is none (libevt_record_values_get_data_size
 * takes its inner call's 0 for an error); the only other failures are
 * invalid arguments, so a failure there means no data. */
/* Byte k of the record at off, in a log whose records may wrap around its
 * end to the first byte after the header (a circular log). */
static unsigned char record_byte(const struct log *lg, size_t off, size_t k)
{
	size_t at = off + k;
	return lg->bytes[at < lg->nbytes ? at : HEADER_SIZE + (at - lg->nbytes)];
}

/* libevt 20200926 copies a record's event data from where its own walk
 * through the record ends rather than from DataOffset: the DWORD padding
 * before the user's SID (or the strings) is not counted, so the data comes
 * that many bytes early (its libevt_event_record.c, "event_data =
 * &( data[ data_offset ] )").  The record's header says where the data
 * is: when it is sound, the size bytes are taken from there. */
static void data_as_recorded(struct log *lg, libevt_record_t *rec, size_t size)
{
	off64_t off = 0;
	if (libevt_record_get_offset(rec, &off, NULL) != 1 || off < HEADER_SIZE || (uint64_t)off >= lg->nbytes ||
	    lg->nbytes - HEADER_SIZE < 0x38)
		return;
	unsigned char head[0x38];
	for (size_t k = 0; k < sizeof(head); k++)
		head[k] = record_byte(lg, (size_t)off, k);
	uint32_t length = le32(head), data_len = le32(head + 0x30), data_off = le32(head + 0x34);
	if (length > lg->nbytes - HEADER_SIZE || data_len != size || data_off < 0x38 || data_off > length ||
	    length - data_off < 4 || data_len > length - 4 - data_off)
		return;
	for (size_t k = 0; k < size; k++)
		lg->data[k] = record_byte(lg, (size_t)off, data_off + k);
}

static ssize_t read_data(struct log *lg, libevt_record_t *rec)
{
	libevt_error_t *error = NULL;
	size_t size = 0;
	int r = libevt_record_get_data_size(rec, &size, &error);
	if (r != 1) {
		libevt_error_free(&error);
		return 0;
	}
	if (size > 0) {
		if (size > lg->data_cap) {
			free(lg->data);
			lg->data = kbu_malloc(size);
			lg->data_cap = size;
		}
		r = libevt_record_get_data(rec, lg->data, size, &error);
	}
	if (r < 0) {
		error_text(&error, lg->why, sizeof(lg->why));
		return -1;
	}
	if (r == 1 && size > 0)
		data_as_recorded(lg, rec, size);
	return r == 1 ? (ssize_t)size : 0;
}

/* The record's fixed fields. */
struct header {
	uint32_t number, created, written, id;
	uint16_t type, category;
};

static int read_header(struct log *lg, libevt_record_t *rec, struct header *h)
{
	libevt_error_t *error = NULL;
	if (libevt_record_get_identifier(rec, &h->number, &error) != 1 ||
	    libevt_record_get_creation_time(rec, &h->created, &error) != 1 ||
	    libevt_record_get_written_time(rec, &h->written, &error) != 1 ||
	    libevt_record_get_event_identifier(rec, &h->id, &error) != 1 ||
	    libevt_record_get_event_type(rec, &h->type, &error) != 1 ||
	    libevt_record_get_event_category(rec, &h->category, &error) != 1) {
		error_text(&error, lg->why, sizeof(lg->why));
		return -1;
	}
	return 0;
}

static void add_line(struct kbf_wtext_buf *b, const char *key, const char *value)
{
	kbf_wtext_buf_add(b, key, strlen(key));
	kbf_wtext_buf_add(b, ": ", 2);
	kbf_wtext_buf_add(b, value, strlen(value));
	kbf_wtext_buf_addc(b, '\n');
}

/* The record as evtexport prints it, times in ISO form, into ev->text
 * (cut at KBF_WINEVT_TEXT_MAX like every event's text). */
static void render(struct log *lg, const struct header *h, struct kbf_winevt *ev, ssize_t ndata,
		   bool recovered)
{
	struct kbf_wtext_buf *out = &lg->text;
	char v[96];
	const char *word;
	kbf_wtext_buf_set(out, "", 0);
	if (recovered)
		kbf_wtext_buf_add(out, "Recovered from unused space\n", 28);
	snprintf(v, sizeof(v), "%" PRIu32, h->number);
	add_line(out, "Event number", v);
	add_line(out, "Creation time", ev->time.len ? ev->time.s : "Not set (0)");
	kbf_winevt_posix_time(h->written, &ev->text); /* ev->text is set last: a scratch until then */
	add_line(out, "Written time", ev->text.len ? ev->text.s : "Not set (0)");
	kbf_winevt_type_level(h->type, &word);
	snprintf(v, sizeof(v), "%s event (%u)", word, (unsigned)h->type);
	add_line(out, "Event type", v);
	if (ev->user.len)
		add_line(out, "User security identifier", ev->user.s);
	if (ev->computer.len)
		add_line(out, "Computer name", ev->computer.s);
	if (ev->source.len)
		add_line(out, "Source name", ev->source.s);
	snprintf(v, sizeof(v), "%u", (unsigned)h->category);
	add_line(out, "Event category", v);
	snprintf(v, sizeof(v), "0x%08" PRIx32 " (%" PRIu32 ")", h->id, h->id);
	add_line(out, "Event identifier", v);
	for (size_t i = 0, len; i < ev->strings.n && out->len <= KBF_WINEVT_TEXT_MAX; i++) {
		snprintf(v, sizeof(v), "String: %zu", i + 1);
		add_line(out, v, kbf_winevt_string(ev, i, &len));
	}
	if (ndata > 0) {
		snprintf(v, sizeof(v), "Data: %zd bytes:", ndata);
		kbf_wtext_buf_add(out, v, strlen(v));
		for (ssize_t i = 0; i < ndata && i < 64; i++) {
			snprintf(v, sizeof(v), " %02x", lg->data[i]);
			kbf_wtext_buf_add(out, v, 3);
		}
		kbf_wtext_buf_add(out, ndata > 64 ? " ...\n" : "\n", ndata > 64 ? 5 : 1);
	}
	kbf_winevt_set_text(&ev->text, out->s, out->len);
}

/* One record into ev.  0, or -1 when it cannot be read (lg->why says
 * why).  *rc becomes -1 when the event, read, is refused. */
static int read_record(struct log *lg, libevt_record_t *rec, bool recovered, struct kbf_winevt *ev, int *rc)
{
	struct header h;
	kbf_winevt_reset(ev);
	if (read_header(lg, rec, &h) < 0 ||
	    field(lg, rec, libevt_record_get_utf8_source_name_size, libevt_record_get_utf8_source_name,
		  &ev->source) < 0 ||
	    field(lg, rec, libevt_record_get_utf8_computer_name_size, libevt_record_get_utf8_computer_name,
		  &ev->computer) < 0 ||
	    field(lg, rec, libevt_record_get_utf8_user_security_identifier_size,
		  libevt_record_get_utf8_user_security_identifier, &ev->user) < 0 ||
	    read_strings(lg, rec, ev) < 0)
		return -1;
	ssize_t ndata = read_data(lg, rec);
	if (ndata < 0)
		return -1;
	char v[16];
	snprintf(v, sizeof(v), "%u", (unsigned)(h.id & 0xFFFF));
	kbf_wtext_buf_set(&ev->id, v, strlen(v));
	const char *word, *level = kbf_winevt_type_level(h.type, &word);
	if (level)
		kbf_wtext_buf_set(&ev->level, level, strlen(level));
	if (h.category) { /* 0 is Event Viewer's "None" */
		snprintf(v, sizeof(v), "%u", (unsigned)h.category);
		kbf_wtext_buf_set(&ev->category, v, strlen(v));
	}
	if (lg->name)
		kbf_wtext_buf_set(&ev->log, lg->name, strlen(lg->name));
	kbf_winevt_posix_time(h.created, &ev->time);
	ev->record = h.number;
	ev->line = h.number <= INT32_MAX ? (int)h.number : 0;
	ev->has_data_code = kbf_winevt_strings_code(ev, &ev->data_code); /* the message is made from the strings as it is emitted */
	if (!ev->has_data_code && ndata >= 4)
		ev->has_data_code = kbf_winevt_dword_code(le32(lg->data), &ev->data_code);
	render(lg, &h, ev, ndata, recovered);
	if (kbf_winevt_emit(lg->in, ev) < 0)
		*rc = -1;
	if (!recovered) {
		if ((lg->nnumbers & (lg->nnumbers - 1)) == 0) /* 0, 1, 2, 4, ...: room doubles */
			lg->numbers = kbu_realloc(lg->numbers, lg->nnumbers ? lg->nnumbers * 2 : 1,
						  sizeof(*lg->numbers));
		lg->numbers[lg->nnumbers++] = h.number;
	}
	return 0;
}

/* What reading the log's records, then those in unused space, came to. */
struct tally {
	int n, unread;                   /* the log's records */
	int found, copies, recovered_unread; /* those found in unused space */
	int first_unread;                /* file order, from 1 */
	char first_why[512];
};

static int by_number(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether a record found in unused space is one the log still holds (a
 * copy, or an older, half-overwritten version of it): not read then. */
static bool held(struct log *lg, libevt_record_t *rec)
{
	uint32_t number;
	return lg->nnumbers && libevt_record_get_identifier(rec, &number, NULL) == 1 &&
	       bsearch(&number, lg->numbers, lg->nnumbers, sizeof(*lg->numbers), by_number);
}

static void read_records(struct log *lg, bool recovered, struct kbf_winevt *ev, struct tally *t, int *rc)
{
	libevt_error_t *error = NULL;
	int n = 0;
	if ((recovered ? libevt_file_get_number_of_recovered_records(lg->file, &n, &error)
		       : libevt_file_get_number_of_records(lg->file, &n, &error)) != 1) {
		error_text(&error, lg->why, sizeof(lg->why));
		kbf_input_skip(lg->in, 0, "cannot count the %s: %s",
			       recovered ? "records in unused space" : "records", lg->why);
		return;
	}
	*(recovered ? &t->found : &t->n) = n;
	for (int i = 0; i < n; i++) {
		libevt_record_t *rec = NULL;
		int got = recovered ? libevt_file_get_recovered_record_by_index(lg->file, i, &rec, &error)
				    : libevt_file_get_record_by_index(lg->file, i, &rec, &error);
		if (got != 1)
			error_text(&error, lg->why, sizeof(lg->why));
		else if (recovered && held(lg, rec))
			t->copies++;
		else if (read_record(lg, rec, recovered, ev, rc) < 0)
			got = 0;
		if (rec)
			libevt_record_free(&rec, NULL);
		if (got == 1)
			continue;
		if (recovered) {
			t->recovered_unread++;
			kbf_input_skip(lg->in, 0, "record %d of those found in unused space could not be read: %s",
				       i + 1, lg->why);
			continue;
		}
		if (t->unread++ == 0) {
			t->first_unread = i + 1;
			snprintf(t->first_why, sizeof(t->first_why), "%s", lg->why[0] ? lg->why : "no reason given");
		}
		kbf_input_skip(lg->in, 0, "record %d in file order could not be read: %s", i + 1,
			       lg->why[0] ? lg->why : "no reason given");
	}
	if (!recovered && lg->nnumbers)
		qsort(lg->numbers, lg->nnumbers, sizeof(*lg->numbers), by_number);
}

/* What the header says that libevt does not check: the end-of-file
 * record's offset (ELF_LOGFILE_HEADER.EndOffset) past the file's end
 * (a truncated copy), and fewer records than OldestRecordNumber to
 * CurrentRecordNumber counts (stale, and so no loss, in a dirty log). */
static void header_notes(const unsigned char *raw, size_t size, int n, bool dirty, char *buf, size_t bufsize)
{
	uint32_t end = le32(raw + 0x14), current = le32(raw + 0x18), oldest = le32(raw + 0x1C);
	size_t len = 0;
	buf[0] = '\0';
	if ((uint64_t)end + EOF_RECORD_SIZE > size)
		len += (size_t)snprintf(buf, bufsize, "; the file ends at byte %zu, short of the end-of-file record "
					"its header places at byte %" PRIu32 " (truncated)", size, end);
	if (!dirty && oldest && current > oldest && current - oldest > (uint32_t)n && len < bufsize)
		snprintf(buf + len, bufsize - len, "; its header counts %" PRIu32 " records (%" PRIu32 " to %" PRIu32
			 "), %" PRIu32 " of them are missing", current - oldest, oldest, current - 1,
			 current - oldest - (uint32_t)n);
}

/* The input's error: what the log is like and what of it was read, when
 * anything is amiss (docs/evidence-formats.md "Binary .evt logs"). */
static int report(struct log *lg, const unsigned char *raw, size_t size, const struct tally *t)
{
	uint32_t flags = 0;
	libevt_file_get_flags(lg->file, &flags, NULL);
	bool corrupted = libevt_file_is_corrupted(lg->file, NULL) == 1;
	bool dirty = flags & LIBEVT_FILE_FLAG_IS_DIRTY, wrapped = flags & LIBEVT_FILE_FLAG_HAS_WRAPPED;
	int recovered = t->found - t->copies - t->recovered_unread;
	char state[192], notes[256], more[256] = "", unread[64] = "";
	header_notes(raw, size, t->n, dirty, notes, sizeof(notes));
	if (!t->unread && !corrupted && !dirty && !recovered && !t->recovered_unread && !notes[0])
		return 0;
	snprintf(state, sizeof(state), "%s%s",
		 dirty ? (wrapped ? "dirty (copied while in use), wrapped log" : "dirty log (copied while in use)")
		       : (wrapped ? "wrapped log" : "log"),
		 corrupted ? " that libevt finds corrupted (its header and records disagree)" : "");
	if (t->recovered_unread)
		snprintf(unread, sizeof(unread), ", %d could not be read", t->recovered_unread);
	if (t->found)
		snprintf(more, sizeof(more), "; of %d records found in unused space, %d were read too (they may be "
			 "partly overwritten), %d are copies of records the log holds%s",
			 t->found, recovered, t->copies, unread);
	if (t->unread)
		return kbf_input_error(lg->in, 0, "%s: %d of %d records could not be read (the first, record %d "
				       "in file order: %s); the %d others were read%s%s",
				       state, t->unread, t->n, t->first_unread, t->first_why, t->n - t->unread, notes,
				       more);
	return kbf_input_error(lg->in, 0, "%s: its %d record%s read, as far as it is intact%s%s", state, t->n,
			       t->n == 1 ? " was" : "s were", notes, more);
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!probe(t))
		return kbf_input_error(in, 0, "not an .evt log (no \"LfLe\" header)");
	struct log lg = {.in = in, .name = log_name(in->path)};
	struct kbf_winevt ev = {0};
	struct tally tally = {0};
	int emitted = 0, rc = open_log(&lg, t->raw, t->rawlen);
	if (rc == 0) {
		read_records(&lg, false, &ev, &tally, &emitted);
		read_records(&lg, true, &ev, &tally, &emitted);
		rc = report(&lg, t->raw, t->rawlen, &tally);
		libevt_file_close(lg.file, NULL);
		libevt_file_free(&lg.file, NULL);
	}
	if (lg.io)
		libbfio_handle_free(&lg.io, NULL);
	kbf_winevt_free(&ev);
	kbf_wtext_buf_free(&lg.text);
	free(lg.tmp);
	free(lg.data);
	free(lg.numbers);
	return rc ? rc : emitted;
}

#endif

const struct kbf_importer kbf_evt_importer = {"evt", probe, import, KBF_READ_WHOLE};
