/*
 * journal_json.c — the importer "journal-json": `journalctl -o json`,
 * one JSON object per line, and `-o json-seq` (RFC 7464: each object
 * after an ASCII RS), each entry an `event` fact made as the live
 * collector makes it (journal_entry.c).  A field's value is a string; an
 * array of byte values for a value that is not valid UTF-8; an array of
 * those for a field the entry has more than once (the first is read, as
 * libsystemd hands the collector the first); or null for a value over
 * journalctl's 4096-byte threshold (journalctl --all writes it), which
 * the input notes for a field the event reads.  (-o json-pretty spreads
 * an object over lines and is not read.)
 *
 * Read as a stream, a line at a time; a line over KBF_JOURNAL_ENTRY_MAX
 * bytes or a field over KBF_JOURNAL_FIELD_MAX, and a line that is not
 * such an object (a file cut inside its last line), are left out, and
 * the input says so with the line.  Each event cites its line.
 *
 * Recognised by content: the first non-empty line is a JSON object with
 * __CURSOR or __REALTIME_TIMESTAMP as a string (journalctl writes both).
 */
#include <string.h>

#include "core/wtext.h"
#include "json_scan.h"
#include "linux.h"

#define PROBE_LINES 5
#define JOURNALCTL_THRESHOLD 4096 /* bytes over which journalctl -o json writes null */

/* The line's object, after a json-seq record separator. */
static void object_text(const struct kbf_line *l, const char **s, size_t *n)
{
	*s = l->s, *n = l->len;
	if (*n && **s == '\x1e')
		(*s)++, (*n)--;
}

/* An array of byte values (0..255) into out, its first element begun
 * (kbu_jscan_element).  False, *why set, when it is not one. */
static bool read_bytes(struct kbu_jscan *j, struct kbf_wtext_buf *out, const char **why)
{
	bool done = false;
	kbf_wtext_buf_set(out, "", 0);
	while (!done) {
		struct kbu_jvalue v;
		if (!kbu_jscan_scalar(j, &v))
			return false;
		if (v.type != KBU_J_INT || v.i < 0 || v.i > 255)
			return (*why = "a byte array holds something other than numbers 0 to 255"), false;
		if (out->len >= KBF_JOURNAL_FIELD_MAX)
			return (*why = "a field is over the bound kbdiag reads"), false;
		kbf_wtext_buf_addc(out, (char)v.i);
		if (!kbu_jscan_element(j, &done))
			return false;
	}
	return true;
}

/* A field's value, of the forms above, into out (*null: it was null).
 * nested: the first of a repeated field's values.  False, *why set or
 * the scanner's error, when it is none of them. */
static bool read_value(struct kbu_jscan *j, struct kbf_wtext_buf *out, bool *null, bool nested, const char **why)
{
	enum kbu_jtype type;
	struct kbu_jvalue v;
	bool done;
	*null = false;
	if (!kbu_jscan_type(j, &type))
		return false;
	if (type == KBU_J_STRING || type == KBU_J_NULL) {
		if (!kbu_jscan_scalar(j, &v))
			return false;
		*null = type == KBU_J_NULL;
		kbf_wtext_buf_set(out, *null ? "" : v.s, *null ? 0 : v.len);
		return true;
	}
	if (type != KBU_J_ARRAY)
		return (*why = "a field is not a string, an array or null"), false;
	if (!kbu_jscan_array_begin(j) || !kbu_jscan_element(j, &done))
		return false;
	if (done) { /* []: an empty binary value */
		kbf_wtext_buf_set(out, "", 0);
		return true;
	}
	if (!kbu_jscan_type(j, &type))
		return false;
	if (type == KBU_J_INT)
		return read_bytes(j, out, why);
	if (nested)
		return (*why = "a repeated field's value is an array of arrays of arrays"), false;
	if (!read_value(j, out, null, true, why)) /* the first of a repeated field's values */
		return false;
	while (kbu_jscan_element(j, &done) && !done)
		if (!kbu_jscan_skip(j))
			return false;
	return !j->failed;
}

struct reader {
	struct kbf_input *in;
	struct kbf_journal_fields fs;
	struct kbf_wtext_buf value;
	struct kbu_jscan scan;
	int64_t record;
};

/* The object s[0..n) of line ln into r->fs.  False, *why set or the
 * scanner's error, when it is not a journal entry's. */
static bool read_object(struct reader *r, const char *s, size_t n, int line, const char **why)
{
	struct kbu_jscan *j = &r->scan;
	bool done, null;
	kbu_jscan_free(j);
	kbu_jscan_init(j, s, n);
	kbf_journal_fields_clear(&r->fs);
	if (!kbu_jscan_object_begin(j))
		return false;
	while (kbu_jscan_member(j, &done) && !done) {
		if (!read_value(j, &r->value, &null, false, why))
			return false;
		if (null && kbf_journal_field_index(j->key, j->keylen) >= 0)
			kbf_input_skip(r->in, line, "field %s left out by journalctl (over %d bytes; journalctl --all "
				       "writes it)", j->key, JOURNALCTL_THRESHOLD);
		else if (!null && !kbf_journal_field_set(&r->fs, j->key, j->keylen, r->value.s, r->value.len))
			return (*why = "its __REALTIME_TIMESTAMP is not a number"), false;
	}
	return !j->failed && kbu_jscan_end(j);
}

static int probe(struct kbf_text *t)
{
	struct kbu_jscan j;
	int score = 0;
	for (size_t i = 0; i < t->nlines && i < PROBE_LINES && score == 0; i++) {
		const char *s;
		size_t n;
		object_text(&t->lines[i], &s, &n);
		if (n == 0)
			continue;
		if (s[0] != '{')
			return 0;
		bool done, stamped = false;
		kbu_jscan_init(&j, s, n);
		if (kbu_jscan_object_begin(&j))
			while (kbu_jscan_member(&j, &done) && !done) {
				enum kbu_jtype type;
				stamped |= (strcmp(j.key, "__CURSOR") == 0 || strcmp(j.key, "__REALTIME_TIMESTAMP") == 0) &&
					    kbu_jscan_type(&j, &type) && type == KBU_J_STRING;
				if (!kbu_jscan_skip(&j))
					break;
			}
		score = !j.failed && kbu_jscan_end(&j) && stamped ? 95 : -1;
		kbu_jscan_free(&j);
	}
	return score > 0 ? score : 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct reader r = {.in = in};
	const struct kbf_line *l;
	for (size_t i = 0; (l = kbf_text_line(t, i)); i++) {
		kbf_text_release(t, i);
		const char *s, *why = NULL;
		size_t n;
		object_text(l, &s, &n);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		int line = kbf_linux_line_no(i);
		r.record++;
		if (n > KBF_JOURNAL_ENTRY_MAX) {
			kbf_input_skip(in, line, "entry left out: over the %u MiB kbdiag reads of an entry",
				       KBF_JOURNAL_ENTRY_MAX >> 20);
		} else if (!read_object(&r, s, n, line, &why)) {
			kbf_input_skip(in, line, "entry left out: not a journal entry's JSON object: %s",
				       why ? why : r.scan.err);
		} else if (kbf_journal_record_emit(in, &r.fs, r.record, line, s, n) < 0) {
			break;
		}
	}
	kbu_jscan_free(&r.scan);
	kbf_wtext_buf_free(&r.value);
	kbf_journal_fields_free(&r.fs);
	return in->err.status == KB_OK ? 0 : -1;
}

const struct kbf_importer kbf_journal_json_importer = {"journal-json", probe, import, KBF_READ_STREAM};
