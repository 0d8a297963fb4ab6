/*
 * win_event.h — what the Windows event-log importers share (internal to
 * facts/): one event record being assembled, the rules that turn what an
 * export shows into `event` slots (level words, times, the error code an
 * event reports), and the wevtutil XML reader that the properties-text
 * importer reuses for the "Event Xml:" part of a Vista copy.
 *
 * Out of memory ends the process (util/xalloc.h): an importer cannot recover
 * from it and a half-built fact is worse than none.
 */
#ifndef KBDIAG_FACTS_WINDOWS_EVENTS_WIN_EVENT_H
#define KBDIAG_FACTS_WINDOWS_EVENTS_WIN_EVENT_H

#include "facts.h"
#include "core/wtext.h"

/* An event's insertion strings, in order (%1 is the first): what a record
 * carries instead of a rendered message.  Filled with
 * kbf_winevt_add_string(), read with kbf_winevt_string(). */
struct kbf_winevt_strings {
	struct kbf_wtext_buf buf; /* the strings, each followed by a NUL */
	size_t *end;              /* string i ends at buf.s + end[i], at its NUL */
	size_t n, cap;
};

/* The message knowledge an importer has read (event_message.c). */
struct kbf_winevt_msgs;

/* One event as an export shows it; every string as written, except level
 * (already a lower-case kbf_winevt_level name when known) and time.
 * message is the rendered text when the export has one; otherwise it is
 * left empty and the insertion strings go in strings: kbf_winevt_emit()
 * makes the message from them. */
struct kbf_winevt {
	struct kbf_wtext_buf log, source, id, level, time, message, computer, user, category;
	struct kbf_wtext_buf text;  /* provenance text: the record as read */
	struct kbf_wtext_span record_text; /* or what it is made from (kbf_winevt_cite_text) */
	/* A binary record, whose XML no one reads easily: its provenance text
	 * is made from the event (source, ID, level, time, computer, message
	 * and how the message was made) once the message is (kbf_winevt_emit). */
	bool text_from_event;
	struct kbf_winevt_strings strings;
	struct kbf_winevt_msgs *msgs; /* read at the first emit; kept across resets */
	int64_t record;        /* -1: not known, the importer numbers records */
	bool has_data_code;    /* code found in the event data (Binary, Data:) */
	int64_t data_code;
	int line;              /* first line of the record */
	int id_line;           /* line of the Event ID, for errors (0: line) */
	/* A local date and time as an export wrote them: emit makes time of
	 * them (kbf_winevt_local_time) only for an event the pre-filter
	 * wants, or looks at the time for.  NULL dates: time is as set. */
	const struct kbf_winevt_dates *local_dates;
	struct kbf_wtext_buf local_date, local_time;
};
void kbf_winevt_reset(struct kbf_winevt *ev);
/* ev's level as an export wrote it: a word in another language
 * (core/labels.c) in English. */
void kbf_winevt_set_level(struct kbf_winevt *ev, const char *s, size_t len);
void kbf_winevt_free(struct kbf_winevt *ev);
/* Appends insertion string s[0..len) (copied; any bytes but NUL). */
void kbf_winevt_add_string(struct kbf_winevt *ev, const char *s, size_t len);
/* Insertion string i (0 is %1), NUL-terminated, valid until the next
 * reset or add; its length in *len. */
const char *kbf_winevt_string(const struct kbf_winevt *ev, size_t i, size_t *len);
/* Asserts ev as an `event` fact.  An ID that is missing or not a number is
 * recorded as an error at ev->id_line (nothing asserted); returns -1 then
 * and when the engine refuses the fact.  Without a message, one is made
 * from the insertion strings (kbf_winevt_make_message), and the fact's
 * `message_from` says which way: "export", "template", "insertion
 * strings". */
int kbf_winevt_emit(struct kbf_input *in, struct kbf_winevt *ev);

/* ---- messages from insertion strings (event_message.c) ---------------------- */

/* Cap on a made message, in bytes. */
#define KBF_WINEVT_MESSAGE_MAX (1u << 20)
/* Makes ev->message from ev's insertion strings: the event's template
 * from the knowledge in in->eng (read at the first call, kept in ev->msgs)
 * rendered, else the strings joined with ", "; "%%NNNN" references
 * resolved.  Returns "template" or "insertion strings"; *has_ref and *ref
 * give the first reference's code. */
const char *kbf_winevt_make_message(struct kbf_input *in, struct kbf_winevt *ev, int64_t id, bool *has_ref,
				    int64_t *ref);
void kbf_winevt_msgs_free(struct kbf_winevt_msgs *m);
/* The code of a system message ev's message names without a number: by
 * its symbolic name or by its text, in any language the knowledge has
 * (the knowledge read as kbf_winevt_make_message reads it). */
bool kbf_winevt_known_code(struct kbf_input *in, struct kbf_winevt *ev, int64_t *code);

/* "Error", "Success Audit", "Audit Failure", "Informational", ... -> the
 * schema's lower-case name ("error", "audit success"); NULL if unknown. */
const char *kbf_winevt_level(const char *s, size_t len);
/* The same for a level word of any language core/labels.c knows
 * ("Fehler", "Ошибка", "错误" -> "error"). */
const char *kbf_winevt_any_level(const char *s, size_t len);
/* An XML <Level> number: 1 critical, 2 error, 3 warning, 0/4 information,
 * 5 verbose; NULL for others. */
const char *kbf_winevt_level_number(int64_t n);

/* The Windows or Winsock error a message reports (rule in event_util.c). */
bool kbf_winevt_message_code(const char *s, size_t len, int64_t *code);
/* The first DWORD of event data (little-endian bytes), if it looks like an
 * error code rather than text or a structure. */
bool kbf_winevt_dword_code(uint32_t dword, int64_t *code);
/* A <Data> value that is an error code by its name or its value. */
bool kbf_winevt_data_value_code(const char *name, size_t nlen, const char *v, size_t vlen,
				int64_t *code);

/* Dates as the exporting locale wrote them ("6/13/2001", "13.06.2001",
 * "2001-06-13").  Whether d/m or m/d is decided per file by the first
 * date that can be read only one way (a part above 12); when none can,
 * AM/PM times suggest m/d.  A later date of the other order cannot be a
 * date in this one and stays as written. */
struct kbf_winevt_dates {
	unsigned dmy, mdy, ampm;
};
/* Whether a date that can be read only one way has been seen: it decides
 * the order for the whole file, so a reader's first pass can stop there. */
static inline bool kbf_winevt_dates_decided(const struct kbf_winevt_dates *d) { return d->dmy || d->mdy; }
void kbf_winevt_date_hint(struct kbf_winevt_dates *d, const char *date, size_t dlen,
			  const char *time, size_t tlen);
/* "2001-06-13T10:15:22" (local time: no zone) when date and time parse
 * unambiguously, otherwise the two as written, joined by a space. */
void kbf_winevt_local_time(const struct kbf_winevt_dates *d, const char *date, size_t dlen,
			   const char *time, size_t tlen, struct kbf_wtext_buf *out);
/* ev's time is that local date and time (copied), made when emit needs
 * it. */
void kbf_winevt_set_local_time(struct kbf_winevt *ev, const struct kbf_winevt_dates *d, const char *date,
			       size_t dlen, const char *time, size_t tlen);
/* "2013-08-22T14:51:44.2056673Z" -> "2013-08-22T14:51:44Z"; as written if odd. */
void kbf_winevt_utc_time(const char *s, size_t len, struct kbf_wtext_buf *out);
/* An EVENTLOGRECORD's TimeGenerated (POSIX seconds, UTC) as
 * "2011-07-27T06:41:47Z"; empty for 0, which evtexport prints as "Not set". */
void kbf_winevt_posix_time(uint32_t t, struct kbf_wtext_buf *out);
/* An EVENTLOGRECORD's EventType (winnt.h EVENTLOG_*_TYPE): the level
 * ("error"), NULL when unknown; *word (word may be NULL) evtexport's word
 * for it ("Failure Audit", "Unknown"). */
const char *kbf_winevt_type_level(uint16_t type, const char **word);
/* Whether an insertion string holds an error code by its value (an
 * HRESULT, a Winsock error), as an unnamed <Data> would: the first that does. */
bool kbf_winevt_strings_code(const struct kbf_winevt *ev, int64_t *code);

/* Provenance text: s without CRs, at most KBF_WINEVT_TEXT_MAX bytes (cut on
 * a character boundary: KBF_TEXT_EVENT). */
#define KBF_WINEVT_TEXT_MAX KBF_EVENT_TEXT_MAX
void kbf_winevt_set_text(struct kbf_wtext_buf *out, const char *s, size_t len);
/* The record's provenance text is made from s[0..len) (borrowed until
 * the emit) as kbf_winevt_set_text() makes it, and cited when s is the
 * input's decoded text rather than copied. */
void kbf_winevt_cite_text(struct kbf_winevt *ev, const char *s, size_t len);

/* ---- wevtutil XML (evtx_xml.c) ----------------------------------------- */

/* Reads <Event> elements one after another from s[0..len) (not
 * NUL-terminated, borrowed: it must outlive the reader), whose first byte
 * is on line `line`. */
struct kbf_winevt_xml;
struct kbf_winevt_xml *kbf_winevt_xml_new(const char *s, size_t len, int line);
/* The events read are cited by what they say (text_from_event), not by
 * their XML: a binary log's records, whose XML no one wrote. */
void kbf_winevt_xml_cite_events(struct kbf_winevt_xml *x);
/* Reads s[0..len) from now on, as a reader kbf_winevt_xml_new() made
 * would (kbf_winevt_xml_cite_events() kept), reusing x's parser and
 * buffers: one reader for all of a binary log's records. */
void kbf_winevt_xml_restart(struct kbf_winevt_xml *x, const char *s, size_t len, int line);
void kbf_winevt_xml_free(struct kbf_winevt_xml *x);
/* Next event into ev (reset first): 1 one read, 0 end of input, -1 malformed
 * (kbf_winevt_xml_error(); reading cannot go on, later calls return -1). */
int kbf_winevt_xml_next(struct kbf_winevt_xml *x, struct kbf_winevt *ev);
/* What the error is (valid until the reader is freed) and its line. */
const char *kbf_winevt_xml_error(const struct kbf_winevt_xml *x, int *line);
/* A reader of s[0..len) alone, a stretch cut from a longer input at a line
 * start between events: its lines count from 1, and it starts inside the
 * elements outer ("" or "<Events>") as kbf_winevt_xml_outer() gave them. */
struct kbf_winevt_xml *kbf_winevt_xml_stretch(const char *s, size_t len, const char *outer);
/* A stream reader of t from offset off on (a line start between events,
 * on line `line`, inside the elements outer). */
struct kbf_winevt_xml *kbf_winevt_xml_stream_from(struct kbf_text *t, size_t off, int line, const char *outer);
/* After kbf_winevt_xml_next() returned 0: the start tags of the elements
 * open around events at the end of the input (valid until the reader is
 * freed; NULL if the input closed the synthetic root itself, after which
 * nothing may follow), and the line the input ends on. */
const char *kbf_winevt_xml_outer(struct kbf_winevt_xml *x, int *line);

/* The wevtutil XML importer (evtx_xml_split.c): an input longer than about
 * a stretch and a quarter is cut at event ends into stretches of about
 * `stretch` bytes, read by two threads, a stretch each at a time; the
 * facts, errors and their lines are the sequential reader's, which reads
 * the rest of the input from wherever a cut cannot be proven right.
 * stretch 0: sequentially. */
#define KBF_WINEVT_XML_STRETCH ((size_t)4 << 20)
int kbf_winevt_xml_import(struct kbf_input *in, struct kbf_text *t, size_t stretch);

/* The reader's input cleaning (evtx_xml_clean.c).  kbf_winevt_xml_clean()
 * rewrites b[0..n) in place, lengths kept; *m says where the previous chunk
 * ended (KBF_XML_TEXT before the first).  kbf_winevt_xml_chunk() says how
 * much of s[0..left) to clean and feed next: at most max bytes, cut so that
 * nothing the cleaning must see whole straddles two chunks. */
enum kbf_winevt_xml_markup { KBF_XML_TEXT, KBF_XML_CDATA, KBF_XML_COMMENT, KBF_XML_PI };
void kbf_winevt_xml_clean(enum kbf_winevt_xml_markup *m, char *b, size_t n);
size_t kbf_winevt_xml_chunk(const char *s, size_t left, size_t max);
/* A character XML 1.0 forbids even as a reference (0, most C0 controls,
 * surrogates, U+FFFE, U+FFFF, above U+10FFFF). */
bool kbf_winevt_xml_forbidden(uint64_t c);

#endif
