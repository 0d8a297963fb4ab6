/*
 * events.c — events read from a live host's event logs as `event` facts
 * made exactly as the evidence readers make them, so that a rule cannot
 * tell a live event from an exported one:
 *   - Vista and later: each event's XML as EvtRender(EvtRenderEventXml)
 *     gives it (the XML wevtutil qe prints) goes through the wevtutil
 *     XML reader (events/evtx_xml.c), cited by what it says as a binary
 *     .evtx's records are;
 *   - NT 4.0 to 2003: the EVENTLOGRECORDs ReadEventLogW returns, which
 *     are the records of a .evt file, get the slots the .evt importer
 *     (events/evt_bin.c) gives: id the low 16 bits, level from EventType,
 *     category its number, time TimeGenerated in UTC, user the SID as
 *     text, the message as the source's message file renders it (a hook
 *     events_win32.c gives) or else made from the insertion strings by
 *     kbf_winevt_emit(), the code from those strings or the data's first
 *     DWORD.
 *
 * EVENTLOGRECORD (MSDN, winnt.h), little-endian: Length, Reserved
 * ("LfLe"), RecordNumber, TimeGenerated, TimeWritten, EventID (DWORDs at
 * 0..20); EventType, NumStrings, EventCategory, ReservedFlags (WORDs at
 * 24..30); ClosingRecordNumber, StringOffset, UserSidLength, UserSidOffset,
 * DataLength, DataOffset (DWORDs at 32..52); then SourceName and
 * Computername, NUL-terminated UTF-16, from 56; offsets count from the
 * record's start.  Every length and offset is checked against the record.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "live.h"
#include "windows/events/win_event.h"

#define RECORD_MIN 56
#define LFLE 0x654C664Cu

/* A SID (revision, count, 6-byte authority, count sub-authorities) as
 * "S-1-5-21-..."; false when it does not fit n bytes. */
static bool sid_text(const unsigned char *p, size_t n, struct kbf_wtext_buf *out)
{
	if (n < 8 || (size_t)8 + 4 * p[1] > n)
		return false;
	uint64_t auth = 0;
	for (int i = 2; i < 8; i++)
		auth = auth << 8 | p[i];
	char buf[24];
	int k = snprintf(buf, sizeof(buf), "S-%u-%" PRIu64, p[0], auth);
	kbf_wtext_buf_set(out, buf, (size_t)k);
	for (unsigned i = 0; i < p[1]; i++) {
		k = snprintf(buf, sizeof(buf), "-%" PRIu32, kbf_live_le32(p + 8 + 4 * i));
		kbf_wtext_buf_add(out, buf, (size_t)k);
	}
	return true;
}

/* The record's header fields, each offset checked. */
struct record {
	uint32_t number, created, id, str_off, sid_len, sid_off, data_len, data_off;
	uint16_t type, nstrings, category;
};

static const char *check(const unsigned char *p, size_t len, struct record *r)
{
	r->number = kbf_live_le32(p + 8);
	r->created = kbf_live_le32(p + 12);
	r->id = kbf_live_le32(p + 20);
	r->type = kbf_live_le16(p + 24);
	r->nstrings = kbf_live_le16(p + 26);
	r->category = kbf_live_le16(p + 28);
	r->str_off = kbf_live_le32(p + 36);
	r->sid_len = kbf_live_le32(p + 40);
	r->sid_off = kbf_live_le32(p + 44);
	r->data_len = kbf_live_le32(p + 48);
	r->data_off = kbf_live_le32(p + 52);
	if (kbf_live_le32(p + 4) != LFLE)
		return "no \"LfLe\" signature";
	if (r->str_off > len || (r->nstrings && r->str_off < RECORD_MIN))
		return "StringOffset outside the record";
	if (r->sid_len && (r->sid_off < RECORD_MIN || r->sid_off > len || r->sid_len > len - r->sid_off))
		return "the user SID lies outside the record";
	if (r->data_len && (r->data_off < RECORD_MIN || r->data_off > len || r->data_len > len - r->data_off))
		return "the event data lies outside the record";
	return NULL;
}

/* The insertion strings: nstrings NUL-terminated UTF-16 strings from
 * str_off, each cut at the record's end. */
static void read_strings(const unsigned char *p, size_t len, const struct record *r, struct kbf_winevt *ev)
{
	size_t off = r->str_off;
	struct kbf_wtext_buf s = {0};
	for (unsigned i = 0; i < r->nstrings && off < len; i++) {
		kbf_wtext_buf_reset(&s);
		off += kbf_live_utf16(&s, p + off, len - off);
		kbf_winevt_add_string(ev, s.s ? s.s : "", s.len);
	}
	kbf_wtext_buf_free(&s);
}

/* The record as evtexport prints it (the .evt importer's provenance). */
static void describe(const struct record *r, const unsigned char *data, struct kbf_winevt *ev)
{
	struct kbf_wtext_buf out = {0};
	char v[200];
	int n = snprintf(v, sizeof(v), "Event number: %" PRIu32 "\nCreation time: %s\nEvent type: %u\n", r->number,
			 ev->time.len ? ev->time.s : "Not set (0)", (unsigned)r->type);
	kbf_wtext_buf_add(&out, v, (size_t)n);
	const struct { const char *key; struct kbf_wtext_buf *b; } f[] = {
		{"User security identifier", &ev->user}, {"Computer name", &ev->computer}, {"Source name", &ev->source},
	};
	for (size_t i = 0; i < 3; i++)
		if (f[i].b->len) {
			n = snprintf(v, sizeof(v), "%s: ", f[i].key);
			kbf_wtext_buf_add(&out, v, (size_t)n);
			kbf_wtext_buf_add(&out, f[i].b->s, f[i].b->len);
			kbf_wtext_buf_addc(&out, '\n');
		}
	n = snprintf(v, sizeof(v), "Event category: %u\nEvent identifier: 0x%08" PRIx32 " (%" PRIu32 ")\n",
		     (unsigned)r->category, r->id, r->id);
	kbf_wtext_buf_add(&out, v, (size_t)n);
	for (size_t i = 0, len; i < ev->strings.n && out.len <= KBF_WINEVT_TEXT_MAX; i++) {
		n = snprintf(v, sizeof(v), "String: %zu: ", i + 1);
		kbf_wtext_buf_add(&out, v, (size_t)n);
		const char *s = kbf_winevt_string(ev, i, &len);
		kbf_wtext_buf_add(&out, s, len);
		kbf_wtext_buf_addc(&out, '\n');
	}
	for (uint32_t i = 0; i < r->data_len && i < 64; i++) {
		n = snprintf(v, sizeof(v), i ? " %02x" : "Data: %02x", data[i]);
		kbf_wtext_buf_add(&out, v, (size_t)n);
	}
	kbf_winevt_set_text(&ev->text, out.s ? out.s : "", out.len);
	kbf_wtext_buf_free(&out);
}

/* FormatMessage's CRLFs as LFs, and its final line end dropped. */
static void drop_crs(struct kbf_wtext_buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		if (b->s[i] != '\r')
			b->s[n++] = b->s[i];
	b->len = n;
	if (b->s)
		b->s[n] = '\0';
	kbf_wtext_buf_rtrim(b);
}

static void fill(struct kbf_input *in, const unsigned char *p, size_t len, const struct record *r, const char *log,
		 const struct kbf_live_render *render, struct kbf_winevt *ev)
{
	char v[16];
	kbf_winevt_reset(ev);
	size_t off = RECORD_MIN + kbf_live_utf16(&ev->source, p + RECORD_MIN, len - RECORD_MIN);
	kbf_live_utf16(&ev->computer, p + off, len - off);
	if (r->sid_len && !sid_text(p + r->sid_off, r->sid_len, &ev->user)) {
		kbf_wtext_buf_reset(&ev->user);
		kbf_input_skip(in, 0, "%s log, record %" PRIu32 ": its user SID does not fit its %" PRIu32
			       " bytes: the event has no user", log, r->number, r->sid_len);
	}
	read_strings(p, len, r, ev);
	if (render && render->message && ev->source.len &&
	    render->message(render->ud, log, ev->source.s, r->id, p, len, r->str_off, r->nstrings, &ev->message))
		drop_crs(&ev->message); /* lines end as in an export's decoded text */
	else
		kbf_wtext_buf_reset(&ev->message);
	snprintf(v, sizeof(v), "%u", (unsigned)(r->id & 0xFFFF));
	kbf_wtext_buf_set(&ev->id, v, strlen(v));
	const char *level = kbf_winevt_type_level(r->type, NULL);
	if (level)
		kbf_wtext_buf_set(&ev->level, level, strlen(level));
	if (r->category) { /* 0 is Event Viewer's "None" */
		snprintf(v, sizeof(v), "%u", (unsigned)r->category);
		kbf_wtext_buf_set(&ev->category, v, strlen(v));
	}
	kbf_wtext_buf_set(&ev->log, log, strlen(log));
	kbf_winevt_posix_time(r->created, &ev->time);
	ev->record = r->number;
	ev->line = 0;
	ev->has_data_code = kbf_winevt_strings_code(ev, &ev->data_code);
	if (!ev->has_data_code && r->data_len >= 4)
		ev->has_data_code = kbf_winevt_dword_code(kbf_live_le32(p + r->data_off), &ev->data_code);
	describe(r, r->data_len ? p + r->data_off : NULL, ev); /* data_off is checked only when there is data */
}

size_t kbf_live_evt_records(struct kbf_input *in, const char *log, const unsigned char *buf, size_t len,
			    uint32_t since, const struct kbf_live_render *render, struct kbf_winevt *ev, size_t max,
			    bool *older, bool *more, int *rc)
{
	size_t n = 0, off = 0;
	for (; off < len && n < max;) {
		size_t left = len - off, size = left >= 4 ? kbf_live_le32(buf + off) : 0;
		struct record r;
		const char *why = size < RECORD_MIN || size > left ? "its Length does not fit the buffer"
								 : check(buf + off, size, &r);
		if (why) {
			kbf_input_skip(in, 0, "%s log: the record at byte %zu of a ReadEventLog buffer cannot be read "
				       "(%s): the rest of the buffer is left out", log, off, why);
			return n;
		}
		off += size;
		if (since && r.created < since) {
			*older = true; /* read newest first: the rest are older still */
			continue;
		}
		fill(in, buf + off - size, size, &r, log, render, ev);
		if (kbf_winevt_emit(in, ev) < 0)
			*rc = -1;
		n++;
	}
	/* Left for max: a record newer than since counts as more (the next
	 * one's TimeGenerated, at 12); an older one ends the reading as above. */
	if (off < len && len - off >= 16) {
		if (!since || kbf_live_le32(buf + off + 12) >= since)
			*more = true;
		else
			*older = true;
	}
	return n;
}

int kbf_live_evt_xml(struct kbf_input *in, const char *log, size_t nth, const char *xml, size_t len,
		     struct kbf_winevt *ev)
{
	struct kbf_winevt_xml *x = kbf_winevt_xml_new(xml, len, 1);
	kbf_winevt_xml_cite_events(x);
	int got = kbf_winevt_xml_next(x, ev), rc = 0, line;
	if (got == 1)
		rc = kbf_winevt_emit(in, ev);
	else if (got < 0)
		kbf_input_skip(in, 0, "%s log, event %zu (newest first): its XML from EvtRender cannot be read: %s",
			       log, nth, kbf_winevt_xml_error(x, &line));
	else
		kbf_input_skip(in, 0, "%s log, event %zu (newest first): its XML from EvtRender holds no <Event>: "
			       "the event is left out", log, nth);
	kbf_winevt_xml_free(x);
	return rc < 0 ? -1 : 0;
}
