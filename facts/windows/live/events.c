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

/* "2011-07-27T06:41:47Z" from POSIX seconds (days to civil date: Howard
 * Hinnant's algorithm, public domain), without gmtime, which Windows
 * lacks under that name. */
static void utc_time(uint32_t t, struct kbf_wtext_buf *out)
{
	int64_t z = t / 86400 + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097), secs = t % 86400;
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%04" PRId64 "-%02u-%02uT%02u:%02u:%02uZ", y, m, d, secs / 3600,
			 secs / 60 % 60, secs % 60);
	kbf_wtext_buf_set(out, buf, t ? (size_t)n : 0); /* 0 is "Not set" */
}

/* EventType: EVENTLOG_ERROR_TYPE 1, WARNING 2, INFORMATION 4, AUDIT_SUCCESS
 * 8, AUDIT_FAILURE 16; 0 (SUCCESS) is shown as Information. */
static const char *type_level(uint16_t type)
{
	switch (type) {
	case 0: case 4: return "information";
	case 1: return "error";
	case 2: return "warning";
	case 8: return "audit success";
	case 16: return "audit failure";
	default: return NULL;
	}
}

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

/* The first insertion string that is an error code by its value. */
static bool strings_code(const struct kbf_winevt *ev, int64_t *code)
{
	for (size_t i = 0, len; i < ev->strings.n; i++) {
		const char *s = kbf_winevt_string(ev, i, &len);
		if (kbf_winevt_data_value_code("", 0, s, len, code))
			return true;
	}
	return false;
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

static void fill(const unsigned char *p, size_t len, const struct record *r, const char *log,
		 const struct kbf_live_render *render, struct kbf_winevt *ev)
{
	char v[16];
	kbf_winevt_reset(ev);
	size_t off = RECORD_MIN + kbf_live_utf16(&ev->source, p + RECORD_MIN, len - RECORD_MIN);
	kbf_live_utf16(&ev->computer, p + off, len - off);
	if (r->sid_len && !sid_text(p + r->sid_off, r->sid_len, &ev->user))
		kbf_wtext_buf_reset(&ev->user);
	read_strings(p, len, r, ev);
	if (render && render->message && ev->source.len &&
	    render->message(render->ud, log, ev->source.s, r->id, p, len, r->str_off, r->nstrings, &ev->message))
		drop_crs(&ev->message); /* lines end as in an export's decoded text */
	else
		kbf_wtext_buf_reset(&ev->message);
	snprintf(v, sizeof(v), "%u", (unsigned)(r->id & 0xFFFF));
	kbf_wtext_buf_set(&ev->id, v, strlen(v));
	const char *level = type_level(r->type);
	if (level)
		kbf_wtext_buf_set(&ev->level, level, strlen(level));
	if (r->category) { /* 0 is Event Viewer's "None" */
		snprintf(v, sizeof(v), "%u", (unsigned)r->category);
		kbf_wtext_buf_set(&ev->category, v, strlen(v));
	}
	kbf_wtext_buf_set(&ev->log, log, strlen(log));
	utc_time(r->created, &ev->time);
	ev->record = r->number;
	ev->line = 0;
	ev->has_data_code = strings_code(ev, &ev->data_code);
	if (!ev->has_data_code && r->data_len >= 4)
		ev->has_data_code = kbf_winevt_dword_code(kbf_live_le32(p + r->data_off), &ev->data_code);
	describe(r, p + r->data_off, ev);
}

size_t kbf_live_evt_records(struct kbf_input *in, const char *log, const unsigned char *buf, size_t len,
			    uint32_t since, const struct kbf_live_render *render, struct kbf_winevt *ev, size_t max,
			    bool *older, int *rc)
{
	size_t n = 0;
	for (size_t off = 0; off < len && n < max;) {
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
		fill(buf + off - size, size, &r, log, render, ev);
		if (kbf_winevt_emit(in, ev) < 0)
			*rc = -1;
		n++;
	}
	return n;
}

int kbf_live_evt_xml(struct kbf_input *in, const char *xml, size_t len, struct kbf_winevt *ev)
{
	struct kbf_winevt_xml *x = kbf_winevt_xml_new(xml, len, 1);
	kbf_winevt_xml_cite_events(x);
	int got = kbf_winevt_xml_next(x, ev), rc = 0, line;
	if (got == 1)
		rc = kbf_winevt_emit(in, ev);
	else if (got < 0)
		kbf_input_skip(in, 0, "an event's XML from EvtRender cannot be read: %s",
			       kbf_winevt_xml_error(x, &line));
	kbf_winevt_xml_free(x);
	return rc < 0 ? -1 : 0;
}
