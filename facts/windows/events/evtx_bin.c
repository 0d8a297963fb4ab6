/*
 * evtx_bin.c — binary Windows event logs (.evtx, Vista and later), read
 * with libyal's libevtx, the library forensic tools (plaso, evtxexport)
 * use.  Recognised by the file header's signature "ElfFile\0", never by
 * the name.  libevtx reads the file from memory (a libbfio memory range
 * over the mapped file), so an entry of an archive can be read the same
 * way.
 *
 * libevtx renders each record as the <Event> element `wevtutil qe /f:xml`
 * prints, and that goes through the wevtutil XML reader (evtx_xml.c): an
 * event read from the binary log is the same fact as from its XML export,
 * by construction.  A binary log holds no rendered message (that lives in
 * the source's message file on the customer's machine): as for XML without
 * RenderingInfo, the message is made from the insertion strings, with the
 * event's template where the knowledge has one (event_message.c).
 * Provenance: the line is the record's number (EventRecordID), the text
 * the event in one line: source, ID, level, time, computer, message, and
 * how the message was made (kbf_winevt_emit).
 *
 * A log copied from a live system is "dirty" (its header not updated since
 * the last writes); a damaged one has chunks whose signature or checksum is
 * wrong.  libevtx reads what it can of either; records it cannot read are
 * skipped, and the input says how many, and that the file was dirty or
 * damaged.  Records found only in unused space (libevtx's recovered
 * records) are not read: they may be half overwritten; the input says how
 * many there were.
 */
#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include <libevtx.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include "core/libyal.h"
#endif
#include "win_event.h"
#include "xalloc.h"

#define SIGNATURE "ElfFile"
#define SIGNATURE_LEN 8 /* with its NUL */

static int probe(struct kbf_text *t)
{
	return t->raw && t->rawlen >= SIGNATURE_LEN && memcmp(t->raw, SIGNATURE, SIGNATURE_LEN) == 0 ? 100 : 0;
}

#ifdef KBDIAG_WITHOUT_LOADED_LIBS
/* kbdiag.exe: recognised, and said not read (core/dynlib.h). */
static int import(struct kbf_input *in, struct kbf_text *t)
{
	return kbf_input_without(in, "libevtx");
}
#else

/* What went wrong, from error (freed). */
static void error_text(libevtx_error_t **error, char *buf, size_t size)
{
	kbf_libyal_error_take(error, libevtx_error_backtrace_sprint, libevtx_error_free, buf, size);
}

struct log {
	struct kbf_input *in;
	libbfio_handle_t *io;
	libevtx_file_t *file;
	char why[512];
	uint8_t *xml;
	size_t xml_cap;
	struct kbf_winevt_xml *reader; /* of every record's XML in turn */
};

static int open_log(struct log *lg, const unsigned char *data, size_t size)
{
	libevtx_error_t *error = NULL;
	if (!(lg->io = kbf_bfio_memory(data, size)))
		return kbf_input_error(lg->in, 0, "cannot read it: libbfio cannot hold it in memory");
	if (libevtx_file_initialize(&lg->file, &error) != 1 ||
	    libevtx_file_open_file_io_handle(lg->file, lg->io, LIBEVTX_OPEN_READ, &error) != 1) {
		error_text(&error, lg->why, sizeof(lg->why));
		return kbf_input_error(lg->in, 0, "not a readable .evtx log: %s", lg->why);
	}
	return 0;
}

/* The record's XML into lg->xml (NUL-terminated); its length, or -1. */
static ssize_t record_xml(struct log *lg, libevtx_record_t *rec)
{
	libevtx_error_t *error = NULL;
	size_t size = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &size, &error) != 1 || size == 0) {
		error_text(&error, lg->why, sizeof(lg->why));
		return -1;
	}
	if (size > lg->xml_cap) {
		free(lg->xml);
		lg->xml_cap = size;
		lg->xml = kbu_malloc(size);
	}
	if (libevtx_record_get_utf8_xml_string(rec, lg->xml, size, &error) != 1) {
		error_text(&error, lg->why, sizeof(lg->why));
		return -1;
	}
	return (ssize_t)strlen((const char *)lg->xml);
}

/* One record: its XML read as an event.  0, or -1 when it cannot be read
 * (lg->why says why).  *rc becomes -1 when the event, read, is refused. */
static int read_record(struct log *lg, libevtx_record_t *rec, struct kbf_winevt *ev, int *rc)
{
	uint64_t number = 0;
	libevtx_record_get_identifier(rec, &number, NULL);
	ssize_t len = record_xml(lg, rec);
	if (len < 0)
		return -1;
	int line = number > 0 && number <= INT32_MAX ? (int)number : 0;
	if (lg->reader) {
		kbf_winevt_xml_restart(lg->reader, (const char *)lg->xml, (size_t)len, line);
	} else {
		lg->reader = kbf_winevt_xml_new((const char *)lg->xml, (size_t)len, line);
		kbf_winevt_xml_cite_events(lg->reader);
	}
	int r = kbf_winevt_xml_next(lg->reader, ev);
	if (r < 0) {
		int at;
		snprintf(lg->why, sizeof(lg->why), "its XML: %s", kbf_winevt_xml_error(lg->reader, &at));
	}
	if (r <= 0)
		return -1;
	if (ev->record < 0)
		ev->record = (int64_t)number;
	if (kbf_winevt_emit(lg->in, ev) < 0)
		*rc = -1;
	return 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!probe(t))
		return kbf_input_error(in, 0, "not an .evtx log (no \"ElfFile\" signature)");
	struct log lg = {.in = in};
	int rc = open_log(&lg, t->raw, t->rawlen), emitted = 0;
	int n = 0, unread = 0, recovered = 0;
	char first_why[512] = "";
	long first_unread = -1;
	struct kbf_winevt ev = {0};
	libevtx_error_t *error = NULL;
	if (rc == 0 && libevtx_file_get_number_of_records(lg.file, &n, &error) != 1) {
		error_text(&error, lg.why, sizeof(lg.why));
		rc = kbf_input_error(in, 0, "cannot count its records: %s", lg.why);
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		libevtx_record_t *rec = NULL;
		if (libevtx_file_get_record_by_index(lg.file, i, &rec, &error) != 1) {
			error_text(&error, lg.why, sizeof(lg.why));
		} else if (read_record(&lg, rec, &ev, &emitted) == 0) { /* a refused event: the others still go */
			libevtx_record_free(&rec, NULL);
			continue;
		}
		libevtx_record_free(&rec, NULL);
		if (unread++ == 0) {
			first_unread = i + 1;
			snprintf(first_why, sizeof(first_why), "%s", lg.why);
		}
	}
	if (lg.file) {
		uint32_t flags = 0;
		libevtx_file_get_flags(lg.file, &flags, NULL);
		libevtx_file_get_number_of_recovered_records(lg.file, &recovered, NULL);
		bool damaged = libevtx_file_is_corrupted(lg.file, NULL) == 1;
		const char *state = damaged ? "libevtx finds the log corrupted (a chunk's signature or checksum is wrong)"
				    : flags & LIBEVTX_FILE_FLAG_IS_DIRTY ? "dirty log (copied while in use)" : "log";
		if (rc == 0 && unread)
			rc = kbf_input_error(in, 0, "%s: %d of %d records could not be read (the first, record %ld in "
					     "file order: %s); the %d others were read",
					     state, unread, n, first_unread, first_why[0] ? first_why : "no reason given",
					     n - unread);
		else if (rc == 0 && damaged)
			rc = kbf_input_error(in, 0, "%s: the %d records it could read were read; any in damaged "
					     "chunks are missing", state, n);
		else if (rc == 0 && recovered)
			rc = kbf_input_error(in, 0, "%d records left in unused space were not read (they may be "
					     "partly overwritten); the %d records of the log were", recovered, n);
		libevtx_file_close(lg.file, NULL);
		libevtx_file_free(&lg.file, NULL);
	}
	if (lg.io)
		libbfio_handle_free(&lg.io, NULL);
	kbf_winevt_free(&ev);
	kbf_winevt_xml_free(lg.reader);
	free(lg.xml);
	return rc ? rc : emitted;
}

#endif

const struct kbf_importer kbf_evtx_importer = {"evtx", probe, import, KBF_READ_WHOLE};
