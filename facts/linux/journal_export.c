/*
 * journal_export.c — the importer "journal-export": `journalctl -o
 * export`, the Journal Export Format (systemd.io/JOURNAL_EXPORT_FORMATS),
 * each entry an `event` fact made as the live collector makes it
 * (journal_entry.c).  Entries are separated by an empty line; a field is
 * "NAME=value" on a line of its own, or, when its value is not printable
 * UTF-8 (a line end in a message, a core dump), binary: NAME, a line end,
 * the value's length as 64 bits little-endian, the value, a line end.
 * The file's bytes are read undecoded (kbf_text_as_bytes), as a binary
 * value may hold any byte, and as a stream: memory holds one entry.
 *
 * Each event cites its entry's lines (its record); an entry with a
 * binary field keeps a repaired copy instead, cut to the event text's
 * bound.  An entry over KBF_JOURNAL_ENTRY_MAX bytes, or with a field over
 * KBF_JOURNAL_FIELD_MAX, is passed over without being held, and the
 * input says so with the entry's line.  A file cut short ends with an
 * error at the entry it cut; what came before is kept.
 *
 * Recognised by content: the first entry's lines are journal fields,
 * among them __CURSOR or __REALTIME_TIMESTAMP (journalctl writes both
 * first; a hand-made file for systemd-journal-remote has the stamp).
 */
#include <string.h>

#include "linux.h"

#define PROBE_BYTES ((size_t)64 << 10)

/* A field name as journald takes it: A-Z, 0-9 and _, not starting with a
 * digit, at most 64 bytes (the export's own __CURSOR and stamps too). */
static bool field_name(const char *s, size_t n)
{
	if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* ---- recognising ---------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	const char *p = (const char *)t->raw, *end = p + (t->rawlen < PROBE_BYTES ? t->rawlen : PROBE_BYTES);
	size_t fields = 0;
	bool stamped = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl == p)
			break; /* the probe's end, or the first entry's */
		const char *eq = memchr(p, '=', (size_t)(nl - p));
		if (!field_name(p, (size_t)((eq ? eq : nl) - p)))
			return 0;
		fields++;
		stamped |= eq && ((eq - p == 8 && memcmp(p, "__CURSOR", 8) == 0) ||
				  (eq - p == 20 && memcmp(p, "__REALTIME_TIMESTAMP", 20) == 0));
		if (!eq)
			break; /* a binary value follows: the fields before it decide */
		p = nl + 1;
	}
	return stamped && fields >= 2 ? 95 : 0;
}

/* ---- reading ------------------------------------------------------------------- */

struct reader {
	struct kbf_input *in;
	struct kbf_text *t;
	size_t ln; /* the next line to read */
	struct kbf_journal_fields fs;
	int64_t record;
};

/* The entry being read. */
struct entry {
	int line;         /* its first line */
	size_t start;     /* where it starts in t->utf8 */
	size_t end;       /* where its last field's line ends */
	bool keep;        /* false: passed over (too large, or malformed), not held */
};

/* Decodes up to t->utf8[upto].  In an entry passed over, what comes
 * before t->utf8[needed] is given back as it goes.  False when the file
 * ends first. */
static bool reach(struct kbf_text *t, size_t upto, size_t needed, bool keep)
{
	while (t->len < upto) {
		if (!keep)
			kbf_text_release_bytes(t, t->len < needed ? t->len : needed);
		if (!kbf_text_more(t))
			return false;
	}
	return true;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The first line starting after t->utf8[at], from line ln on. */
static size_t line_after(struct kbf_text *t, size_t ln, size_t at)
{
	if (ln < t->line0)
		ln = t->line0;
	const struct kbf_line *l;
	while ((l = kbf_text_line(t, ln)) && (size_t)(l->s - t->utf8) <= at)
		ln++;
	return ln;
}

/* The binary field whose name, name[0..nlen), is line r->ln, ending at
 * t->utf8[lf]: its value is kept (or, over the bound or in an entry
 * passed over, gone past) and r->ln moved after it.  -1 when the file
 * ends inside it or it is malformed (recorded). */
static int binary_field(struct reader *r, struct entry *e, size_t name, size_t nlen, size_t lf)
{
	struct kbf_text *t = r->t;
	size_t at = lf + 1;
	char what[80];
	snprintf(what, sizeof(what), "%.*s", (int)nlen, t->utf8 + name);
	if (!reach(t, at + 8, at, e->keep))
		return kbf_input_error(r->in, e->line, "entry cut short: the file ends in binary field %s's length", what);
	uint64_t size = le64((const unsigned char *)t->utf8 + at);
	if (size > KBF_JOURNAL_FIELD_MAX && e->keep) {
		kbf_input_skip(r->in, e->line, "entry left out: its binary field %s has %llu bytes, over the %u MiB "
			       "kbdiag reads of a field", what, (unsigned long long)size, KBF_JOURNAL_FIELD_MAX >> 20);
		e->keep = false;
	}
	size_t vend = size > (uint64_t)SIZE_MAX - at - 9 ? SIZE_MAX : at + 8 + (size_t)size; /* its line end */
	if (vend == SIZE_MAX || !reach(t, vend + 1, vend, e->keep))
		return kbf_input_error(r->in, e->line, "entry cut short: binary field %s claims %llu bytes, and the "
				       "file ends first", what, (unsigned long long)size);
	if (t->utf8[vend] != '\n')
		return kbf_input_error(r->in, e->line, "binary field %s: no line end after its %llu bytes", what,
				       (unsigned long long)size);
	if (e->keep)
		kbf_journal_field_set(&r->fs, t->utf8 + name, nlen, t->utf8 + at + 8, (size_t)size);
	e->end = vend;
	r->ln = line_after(t, r->ln + 1, vend);
	return 0;
}

/* Line r->ln of the entry e, not empty: a text or a binary field.
 * -1 when reading must stop (recorded). */
static int one_field(struct reader *r, struct entry *e, const struct kbf_line *l)
{
	struct kbf_text *t = r->t;
	const char *eq = memchr(l->s, '=', l->len);
	size_t nlen = eq ? (size_t)(eq - l->s) : l->len;
	size_t name = (size_t)(l->s - t->utf8);
	if (!field_name(l->s, nlen)) {
		if (e->keep)
			kbf_input_skip(r->in, e->line, "entry left out: line %d is no journal field", kbf_linux_line_no(r->ln));
		e->keep = false;
	} else if (!eq) {
		const char *lf = t->utf8 + name + l->len;
		while (*lf == '\r') /* CRs before the line end are no part of the line */
			lf++;
		if (*lf != '\n')
			return kbf_input_error(r->in, e->line, "entry cut short: the file ends after binary field "
					       "name %.*s", (int)(nlen < 64 ? nlen : 64), l->s);
		return binary_field(r, e, name, nlen, (size_t)(lf - t->utf8));
	} else if (e->keep && l->len - nlen - 1 > KBF_JOURNAL_FIELD_MAX) {
		kbf_input_skip(r->in, e->line, "entry left out: its field %.*s has %zu bytes, over the %u MiB kbdiag "
			       "reads of a field", (int)nlen, l->s, l->len - nlen - 1, KBF_JOURNAL_FIELD_MAX >> 20);
		e->keep = false;
	} else if (e->keep && !kbf_journal_field_set(&r->fs, l->s, nlen, eq + 1, l->len - nlen - 1)) {
		kbf_input_skip(r->in, e->line, "entry left out: its __REALTIME_TIMESTAMP is not a number");
		e->keep = false;
	}
	e->end = name + l->len;
	r->ln++;
	return 0;
}

/* Reads the entry at r->ln (empty lines before it skipped) and emits it.
 * 1: one read; 0: the file's end; -1: reading stopped (recorded). */
static int read_entry(struct reader *r)
{
	struct kbf_text *t = r->t;
	const struct kbf_line *l;
	while ((l = kbf_text_line(t, r->ln)) && l->len == 0)
		r->ln++;
	if (!l)
		return 0;
	kbf_text_release(t, r->ln);
	l = kbf_text_line(t, r->ln);
	struct entry e = {kbf_linux_line_no(r->ln), (size_t)(l->s - t->utf8), 0, true};
	kbf_journal_fields_clear(&r->fs);
	r->record++;
	while ((l = kbf_text_line(t, r->ln)) && l->len > 0) {
		if (one_field(r, &e, l) < 0)
			return -1;
		if (e.keep && e.end - e.start > KBF_JOURNAL_ENTRY_MAX) {
			kbf_input_skip(r->in, e.line, "entry left out: over the %u MiB kbdiag reads of an entry",
				       KBF_JOURNAL_ENTRY_MAX >> 20);
			e.keep = false;
		}
		if (!e.keep)
			kbf_text_release(t, r->ln);
	}
	if (e.keep)
		kbf_journal_record_emit(r->in, &r->fs, r->record, e.line, t->utf8 + e.start, e.end - e.start);
	return r->in->err.status == KB_OK ? 1 : -1;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct reader r = {.in = in, .t = t};
	int rc;
	while ((rc = read_entry(&r)) > 0)
		;
	kbf_journal_fields_free(&r.fs);
	return rc;
}

const struct kbf_importer kbf_journal_export_importer = {"journal-export", probe, import, KBF_READ_STREAM_BYTES};
