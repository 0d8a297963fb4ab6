/*
 * tasklist.c — Windows `tasklist` output: which process has which PID,
 * name, session, memory and (with /v) user, and which services each
 * process hosts (/svc).  Rules join these to netstat listeners by PID.
 *
 * Table form (samples in public write-ups of `tasklist /v` on XP and
 * Windows 7/2012; docs/evidence-formats.md "tasklist /svc"):
 *
 *     Image Name                     PID Session Name        Session#    Mem Usage
 *     ========================= ======== ================ =========== ============
 *     System Idle Process              0 Services                   0          8 K
 *
 * The underline row gives the columns (XP prints PID 6 wide, later
 * versions 8); headers are localised and ignored.  Image names contain
 * spaces, so columns are cut at the underline's character positions, not
 * at blanks.  Three columns are /svc (services wrapped onto continuation
 * lines that start at the third column, "N/A" when none) or /m (module
 * names, recognised by their extensions and skipped), five the default,
 * nine /v (Status, User Name, CPU Time, Window Title).
 *
 * CSV form (/fo csv): the same columns, every field quoted, a header row
 * unless /nh; the layout is told by the field count.
 */
#include <ctype.h>
#include <string.h>

#include "core/csv.h"
#include "core/labels.h"
#include "core/wtext.h"
#include "utf8.h"

#define MAX_COLS 9

/* One process as a table line or a CSV record: fields trimmed. */
struct row {
	struct kbf_wtext_span f[MAX_COLS];
	size_t n;
	int line;
	struct kbf_line raw;
};

/* "N/A" in the languages core/labels.c lists ("Nicht zutreffend"). */
static bool not_available(struct kbf_wtext_span t)
{
	return kbf_label_find(&kbf_labels_not_available, t.s, t.len) != NULL;
}

/* Memory as tasklist prints it: "12,345 K", "12.345 K", "12 345 Ko"
 * (thousands separators per locale).  1 with *kb set, 0 when not given
 * ("N/A"), -1 when malformed. */
static int parse_mem(struct kbf_wtext_span m, int64_t *kb)
{
	if (!m.len || not_available(m))
		return 0;
	uint64_t v = 0;
	size_t digits = 0, i = 0;
	for (; i < m.len; i++) {
		const unsigned char *c = (const unsigned char *)m.s + i;
		if (isdigit(*c)) {
			if (++digits > 15)
				return -1;
			v = v * 10 + (uint64_t)(*c - '0');
		} else if (*c == 0xC2 && i + 1 < m.len && c[1] == 0xA0) {
			i++; /* no-break space */
		} else if (*c == 0xE2 && i + 2 < m.len && c[1] == 0x80 && c[2] == 0xAF) {
			i += 2; /* narrow no-break space */
		} else if (*c != ',' && *c != '.' && *c != ' ' && *c != '\'') {
			break;
		}
	}
	struct kbf_wtext_span unit = kbf_wtext_trim(m.s + i, m.len - i);
	for (size_t k = 0; k < unit.len; k++)
		if (!isalpha((unsigned char)unit.s[k]))
			return -1;
	if (!digits || unit.len > 3)
		return -1;
	*kb = (int64_t)v;
	return 1;
}

static bool module_name(struct kbf_wtext_span t)
{
	static const char *const ext[] = {".dll", ".exe", ".drv", ".ocx", ".mui", ".cpl"};
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (t.len > 4 && kbf_wtext_ieq((struct kbf_wtext_span){t.s + t.len - 4, 4}, ext[i]))
			return true;
	return false;
}

/* Emits a service fact for each name in "AudioSrv, Browser, ..."; none for
 * "N/A" or a /m module list. */
static void emit_services(struct kbf_input *in, struct kbf_wtext_span list, int64_t pid, int line,
			  const struct kbf_line *raw)
{
	size_t i = 0;
	while (i < list.len) {
		const char *comma = memchr(list.s + i, ',', list.len - i);
		size_t end = comma ? (size_t)(comma - list.s) : list.len;
		struct kbf_wtext_span name = kbf_wtext_trim(list.s + i, end - i);
		i = end + 1;
		if (!name.len || not_available(name))
			continue;
		if (module_name(name))
			return;
		struct kbf_fact f;
		kbf_fact_begin(&f, in, "service");
		kbf_set_str(&f, "name", name.s, name.len);
		kbf_set_int(&f, "pid", pid);
		kbf_set_cstr(&f, "state", "running");
		kbf_fact_emit(&f, line, raw->s, raw->len);
	}
}

/* Session# and memory of the 5- and 9-column layouts; false when either
 * is malformed (the row is left out, with a note). */
static bool session_and_memory(struct kbf_input *in, const struct row *r, struct kbf_fact *f)
{
	uint64_t session;
	int64_t kb = 0;
	if (r->f[3].len && !kbf_wtext_uint(r->f[3], UINT32_MAX, &session)) {
		kbf_input_skip(in, r->line, "tasklist: session number '%.*s' is not a number",
			       (int)r->f[3].len, r->f[3].s);
		return false;
	}
	int mem = parse_mem(r->f[4], &kb);
	if (mem < 0) {
		kbf_input_skip(in, r->line, "tasklist: memory usage '%.*s' is not a number of KB",
			       (int)r->f[4].len, r->f[4].s);
		return false;
	}
	kbf_set_span(f, "session", r->f[3]);
	if (mem > 0)
		kbf_set_int(f, "memory_kb", kb);
	return true;
}

/* The process fact of one row, and its services for /svc.  Returns the
 * PID, or -1 when the row is malformed (left out, with a note). */
static int64_t emit_row(struct kbf_input *in, const struct row *r)
{
	uint64_t pid;
	if (!r->f[0].len) {
		kbf_input_skip(in, r->line, "tasklist: no image name");
		return -1;
	}
	if (!kbf_wtext_uint(r->f[1], UINT32_MAX, &pid)) {
		kbf_input_skip(in, r->line, "tasklist: PID '%.*s' is not a number", (int)r->f[1].len,
			       r->f[1].s);
		return -1;
	}
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "process");
	kbf_set_int(&f, "pid", (int64_t)pid);
	kbf_set_str(&f, "name", r->f[0].s, r->f[0].len);
	if (r->n >= 5 && !session_and_memory(in, r, &f))
		return -1;
	if (r->n == 9 && r->f[6].len && !not_available(r->f[6]))
		kbf_set_str(&f, "user", r->f[6].s, r->f[6].len);
	kbf_fact_emit(&f, r->line, r->raw.s, r->raw.len);
	if (r->n == 3)
		emit_services(in, r->f[2], (int64_t)pid, r->line, &r->raw);
	return (int64_t)pid;
}

static bool known_layout(size_t n)
{
	return n == 3 || n == 5 || n == 9;
}

/* ---- table form -------------------------------------------------------------- */

/* "==== ===== ==": the column starts (characters).  false for other lines. */
static bool underline(const struct kbf_line *l, size_t *start, size_t *ncols)
{
	struct kbf_wtext_span t = kbf_wtext_trim(l->s, l->len);
	if (!t.len || t.s != l->s || t.s[0] != '=')
		return false;
	*ncols = 0;
	for (size_t i = 0; i < t.len; i++) {
		if (t.s[i] == '=' && (i == 0 || t.s[i - 1] == ' ')) {
			if (*ncols == MAX_COLS + 1)
				return false;
			start[(*ncols)++] = i;
		} else if (t.s[i] != '=' && !(t.s[i] == ' ' && t.s[i - 1] == '=')) {
			return false; /* anything but single blanks between runs */
		}
	}
	return true;
}

static void cut_row(const struct kbf_line *l, const size_t *start, size_t ncols, struct row *r)
{
	r->n = ncols;
	r->raw = *l;
	for (size_t c = 0; c < ncols; c++) {
		size_t b = kbu_utf8_offset(l->s, l->len, start[c]);
		size_t e = c + 1 < ncols ? kbu_utf8_offset(l->s, l->len, start[c + 1]) : l->len;
		r->f[c] = kbf_wtext_trim(l->s + b, e - b);
	}
}

struct table {
	size_t start[MAX_COLS + 1], ncols;
	bool active;
	int64_t pid; /* of the last row, for /svc continuation lines; -1 none */
};

static void table_line(struct kbf_input *in, struct table *tb, const struct kbf_line *l, int line)
{
	struct row r = {.line = line};
	if (tb->ncols == 3 && tb->pid >= 0 && kbf_wtext_indent(l->s, l->len) >= tb->start[2]) {
		emit_services(in, kbf_wtext_trim(l->s, l->len), tb->pid, line, l);
		return;
	}
	cut_row(l, tb->start, tb->ncols, &r);
	tb->pid = emit_row(in, &r);
}

static int import_table(struct kbf_input *in, struct kbf_text *t)
{
	struct table tb = {.pid = -1};
	for (size_t i = 0; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (underline(l, tb.start, &tb.ncols)) {
			tb.active = known_layout(tb.ncols);
			tb.pid = -1;
			if (!tb.active)
				kbf_input_error(in, (int)i + 1, "tasklist: a table of %zu columns is not "
						"a known tasklist layout (3, 5 or 9)", tb.ncols);
		} else if (kbf_wtext_blank(l->s, l->len)) {
			tb.active = false; /* tables have no blank lines */
		} else if (tb.active) {
			table_line(in, &tb, l, (int)i + 1);
		}
	}
	return in->err.status == KB_OK ? 0 : -1;
}

static int probe_table(struct kbf_text *t)
{
	size_t start[MAX_COLS + 1], ncols, n = t->nlines < 40 ? t->nlines : 40;
	if (!t->utf8)
		return 0;
	for (size_t i = 1; i + 1 < n; i++) {
		if (!underline(&t->lines[i], start, &ncols) || !known_layout(ncols) || start[1] != 26)
			continue;
		struct row r;
		cut_row(&t->lines[i + 1], start, ncols, &r);
		uint64_t pid;
		if (!kbf_wtext_uint(r.f[1], UINT32_MAX, &pid))
			continue;
		const struct kbf_line *h = &t->lines[i - 1];
		return kbf_wtext_prefix(h->s, h->len, "Image Name") ? 95 : 90;
	}
	return 0;
}

/* ---- CSV form ------------------------------------------------------------------ */

static bool csv_row(const struct kbf_csv *c, struct row *r)
{
	if (!known_layout(c->n))
		return false;
	r->n = c->n;
	for (size_t k = 0; k < c->n; k++)
		r->f[k] = kbf_wtext_trim(c->f[k].s, c->f[k].len);
	return true;
}

static bool is_header(const struct kbf_csv *c, bool first)
{
	uint64_t pid;
	return c->n >= 2 && (kbf_wtext_ieq(c->f[1], "PID") || (first && !kbf_wtext_uint(c->f[1], UINT32_MAX, &pid)));
}

/* tasklist writes a record a line: a quote left open is damage to that
 * line alone, and the rows after it still read. */
static int import_csv(struct kbf_input *in, struct kbf_text *t)
{
	struct kbf_csv c = {.one_line = true};
	bool first = true;
	int got;
	for (size_t i = 0; (got = kbf_csv_next(&c, t, &i)) != 0;) {
		int line = (int)c.first + 1;
		struct row r = {.line = line, .raw = t->lines[c.first]};
		if (got < 0) {
			kbf_input_skip(in, line, "tasklist: unterminated quoted field");
			continue;
		}
		if (is_header(&c, first))
			;
		else if (!csv_row(&c, &r))
			kbf_input_skip(in, line, "tasklist: %zu fields, expected 3, 5 or 9", c.n);
		else
			emit_row(in, &r);
		first = false;
	}
	kbf_csv_free(&c);
	return in->err.status == KB_OK ? 0 : -1;
}

/* Rows of 3, 5 or 9 quoted fields with a numeric PID; for 5 and 9 also a
 * numeric Session# and a memory figure. */
static bool csv_data(const struct kbf_csv *c)
{
	uint64_t v;
	int64_t kb;
	if (!known_layout(c->n) || !kbf_wtext_uint(c->f[1], UINT32_MAX, &v))
		return false;
	return c->n == 3 || (kbf_wtext_uint(c->f[3], UINT32_MAX, &v) && parse_mem(c->f[4], &kb) >= 0);
}

/* Quoted rows of one width, most of them process rows; a damaged row or
 * two (a truncated file) does not stop recognition. */
static int probe_csv(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	size_t rows = 0, data = 0, bad = 0, width = 0, n = t->nlines < 20 ? t->nlines : 20;
	bool header = false, english = false;
	struct kbf_csv c = {.one_line = true};
	for (size_t i = 0; i < n; i++) {
		const struct kbf_line *l = &t->lines[i];
		if (kbf_wtext_blank(l->s, l->len))
			continue;
		if (l->s[0] != '"' || kbf_csv_read(&c, t, i) < 0) {
			bad++;
		} else if (rows++ == 0 && is_header(&c, true)) {
			header = known_layout(c.n);
			english = kbf_wtext_eq(c.f[0], "Image Name");
			width = c.n;
		} else if (csv_data(&c) && (!width || c.n == width)) {
			data++;
			width = c.n;
		} else {
			bad++;
		}
	}
	kbf_csv_free(&c);
	if (!data || bad > data)
		return header && english && !bad ? 80 : 0;
	if (header)
		return english ? 95 : 90;
	return width == 3 ? 60 : 85;
}

const struct kbf_importer kbf_win_tasklist_importer = {"tasklist", probe_table, import_table, KBF_READ_WHOLE};
const struct kbf_importer kbf_win_tasklist_csv_importer = {"tasklist-csv", probe_csv, import_csv, KBF_READ_WHOLE};
