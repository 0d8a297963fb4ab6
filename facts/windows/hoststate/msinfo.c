/*
 * msinfo.c — the facts of an msinfo32 report, from the rows its two
 * readers (msinfo_nfo.c, msinfo_text.c) hand over.  Tables read, by their
 * English category and column names (msinfo32 writes both in the
 * language of the Windows it ran on; other languages leave a note):
 *
 *   System Summary  Item/Value rows -> one host fact: "System Name" ->
 *                   name, "OS Name" -> os_name (trademark signs dropped),
 *                   "Version" ("6.0.6002 Service Pack 2 Build 6002") ->
 *                   os_version, build, service_pack, "System Type"
 *                   ("x64-based PC") -> arch; the rows' line is the first
 *                   of them.
 *   Services        -> service: Name, Display Name, State, Start Mode,
 *                   Service Type, Path -> name, display_name, state,
 *                   start_type, type, image.
 *   System Drivers  -> service: Name, Description (display_name), State,
 *                   Start Mode, Type, File (image).
 *   Loaded Modules  -> file: Path, Version, Size ("143.00 KB (146,432
 *                   bytes)": the bytes) as core's file facts are made.
 *
 * msinfo32 takes these from WMI (Win32_Service, Win32_SystemDriver), whose
 * words are turned into sc's, as the other importers write them: State
 * "Start Pending" -> "start_pending", Start Mode "Auto" -> "auto_start",
 * "Manual" -> "demand_start", Service Type "Share Process" ->
 * "win32_share_process", "Kernel Driver" -> "kernel_driver"
 * (core/service_codes.c, the table PowerShell's reader uses).  A word not
 * known is left out with a note; a row without a name or path is skipped
 * with one.
 */
#include <ctype.h>
#include <string.h>

#include "core/service_codes.h"
#include "windows/files/file_fact.h"
#include "msinfo.h"
#include "systeminfo.h"

/* A column name as either form spells it: "Start Mode", "Start_Mode". */
static bool column_is(struct kbf_wtext_span col, const char *english)
{
	size_t n = strlen(english);
	if (col.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = col.s[i] == '_' ? ' ' : col.s[i];
		if (tolower((unsigned char)c) != tolower((unsigned char)english[i]))
			return false;
	}
	return true;
}

struct row {
	const struct kbf_wtext_span *cols, *vals;
	size_t n;
};

/* The trimmed value of the column named english; empty when absent. */
static struct kbf_wtext_span cell(const struct row *r, const char *english)
{
	for (size_t i = 0; i < r->n; i++)
		if (column_is(r->cols[i], english))
			return kbf_wtext_trim(r->vals[i].s, r->vals[i].len);
	return (struct kbf_wtext_span){"", 0};
}

/* The sc word for v (core/service_codes.h), or, for a word not known, a
 * note and nothing. */
static void set_word(struct kbf_msinfo *m, struct kbf_fact *f, const char *slot, enum kbf_service_field field,
		     struct kbf_wtext_span v, int line)
{
	char word[KBF_SERVICE_WORD_MAX];
	uint64_t code;
	size_t len;
	if (!v.len)
		return;
	if (kbf_service_code_of(field, v, &code) && (len = kbf_service_word(field, code, false, word)))
		kbf_set_str_copy(f, slot, word, len);
	else
		kbf_input_skip(m->in, line, "%s: %s '%.*s' not known, left out", m->form, slot, (int)v.len, v.s);
}

static void service_row(struct kbf_msinfo *m, const struct row *r, int line, struct kbf_wtext_span text)
{
	bool driver = m->table == MSINFO_DRIVERS;
	struct kbf_wtext_span name = cell(r, "Name");
	if (!name.len) {
		kbf_input_skip(m->in, line, "%s: a %s row without a name", m->form, driver ? "driver" : "service");
		return;
	}
	struct kbf_fact f;
	kbf_fact_begin(&f, m->in, "service");
	kbf_set_str(&f, "name", name.s, name.len);
	kbf_set_span(&f, "display_name", cell(r, driver ? "Description" : "Display Name"));
	set_word(m, &f, "state", KBF_SERVICE_STATE, cell(r, "State"), line);
	set_word(m, &f, "start_type", KBF_SERVICE_START_TYPE, cell(r, "Start Mode"), line);
	set_word(m, &f, "type", KBF_SERVICE_TYPE, cell(r, driver ? "Type" : "Service Type"), line);
	kbf_set_span(&f, "image", cell(r, driver ? "File" : "Path"));
	kbf_fact_emit(&f, line, text.s, text.len);
}

/* "143.00 KB (146,432 bytes)": the number in parentheses. */
static bool size_bytes(struct kbf_wtext_span v, int64_t *out)
{
	const char *open = memchr(v.s, '(', v.len);
	size_t at;
	if (!open || !kbf_wtext_ifind(open, v.len - (size_t)(open - v.s), " bytes)", &at))
		return false;
	int64_t n = 0;
	size_t digits = 0;
	for (const char *p = open + 1; p < open + at; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n > (INT64_MAX - 9) / 10)
				return false;
			n = n * 10 + (*p - '0');
			digits++;
		} else if (*p != ',' && *p != '.') {
			return false;
		}
	}
	*out = n;
	return digits > 0;
}

static void module_row(struct kbf_msinfo *m, const struct row *r, int line, struct kbf_wtext_span text)
{
	struct kbf_wtext_span path = cell(r, "Path"), version = cell(r, "Version"), size = cell(r, "Size");
	if (!path.len) {
		kbf_input_skip(m->in, line, "%s: a loaded module without a path", m->form);
		return;
	}
	struct kbf_file_rec rec = {.path = {.s = path.s, .len = path.len}, .text = {.s = version.s, .len = version.len}};
	rec.has_size = size_bytes(size, &rec.size);
	kbf_file_emit(m->in, &rec, line, text.s, text.len);
}

/* Keeps a System Summary value the host fact needs, and its row's text. */
static void summary_row(struct kbf_msinfo *m, const struct row *r, int line)
{
	if (r->n < 2)
		return;
	struct kbf_wtext_span key = kbf_wtext_trim(r->vals[0].s, r->vals[0].len);
	struct kbf_wtext_span v = kbf_wtext_trim(r->vals[1].s, r->vals[1].len);
	static const char *const keys[] = {"System Name", "OS Name", "Version", "System Type"};
	struct kbf_wtext_buf *bufs[] = {&m->name, &m->os, &m->version, &m->type};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!kbf_wtext_ieq(key, keys[i]) || !v.len)
			continue;
		if (!m->host_line)
			m->host_line = line;
		kbf_wtext_buf_set(bufs[i], v.s, v.len);
		kbf_wtext_buf_join(&m->host_text, "; ", key.s, key.len);
		kbf_wtext_buf_add(&m->host_text, ": ", 2);
		kbf_wtext_buf_add(&m->host_text, v.s, v.len);
	}
}

static void emit_host(struct kbf_msinfo *m)
{
	if (!m->host_line)
		return;
	struct kbf_fact f;
	struct kbf_wtext_buf os = {0};
	struct kbf_wtext_span ver = {0};
	int64_t build = 0, sp = 0;
	const char *arch = kbf_win_arch_of(kbf_wtext_buf_span(&m->type));
	kbf_fact_begin(&f, m->in, "host");
	kbf_set_span(&f, "name", kbf_wtext_buf_span(&m->name));
	kbf_set_cstr(&f, "os_family", "windows");
	kbf_wtext_product(&os, m->os.s, m->os.len);
	kbf_set_span(&f, "os_name", kbf_wtext_buf_span(&os));
	if (kbf_win_os_version_parse(kbf_wtext_buf_span(&m->version), &ver, &build, &sp)) {
		kbf_set_str(&f, "os_version", ver.s, ver.len);
		kbf_set_int(&f, "build", build);
		kbf_set_int(&f, "service_pack", sp);
	} else if (m->version.len) {
		kbf_input_skip(m->in, m->host_line, "%s: Version '%s' does not start with a version number",
			       m->form, m->version.s);
	}
	if (arch)
		kbf_set_cstr(&f, "arch", arch);
	kbf_fact_emit(&f, m->host_line, m->host_text.s, m->host_text.len);
	kbf_wtext_buf_free(&os);
	m->host_line = 0;
}

void kbf_msinfo_category(struct kbf_msinfo *m, struct kbf_wtext_span name)
{
	static const struct {
		const char *name;
		enum kbf_msinfo_table table;
	} tables[] = {
		{"System Summary", MSINFO_SUMMARY}, {"System Drivers", MSINFO_DRIVERS},
		{"Loaded Modules", MSINFO_MODULES}, {"Services", MSINFO_SERVICES},
	};
	if (m->table == MSINFO_SUMMARY)
		emit_host(m);
	m->table = MSINFO_OTHER;
	name = kbf_wtext_trim(name.s, name.len);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (kbf_wtext_ieq(name, tables[i].name))
			m->table = tables[i].table;
	m->summary_seen |= m->table == MSINFO_SUMMARY;
}

void kbf_msinfo_row(struct kbf_msinfo *m, int line, const struct kbf_wtext_span *cols,
		    const struct kbf_wtext_span *vals, size_t n, struct kbf_wtext_span text)
{
	struct row r = {cols, vals, n};
	switch (m->table) {
	case MSINFO_SUMMARY:
		summary_row(m, &r, line);
		break;
	case MSINFO_DRIVERS:
	case MSINFO_SERVICES:
		service_row(m, &r, line, text);
		break;
	case MSINFO_MODULES:
		module_row(m, &r, line, text);
		break;
	case MSINFO_OTHER:
		break;
	}
}

void kbf_msinfo_finish(struct kbf_msinfo *m)
{
	emit_host(m);
	if (!m->summary_seen)
		kbf_input_skip(m->in, 0, "%s: no 'System Summary' category (only English reports are "
			       "read), no host fact", m->form);
	struct kbf_wtext_buf *bufs[] = {&m->name, &m->os, &m->version, &m->type, &m->host_text};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_free(bufs[i]);
}
