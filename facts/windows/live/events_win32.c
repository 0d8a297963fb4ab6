/*
 * events_win32.c — the collector "windows.events": the System and
 * Application logs' events of the last KBF_LIVE_EVENT_DAYS days, at most
 * KBF_LIVE_EVENT_MAX a log, newest first (events.c makes the facts).
 *   - Vista and later (wevtapi.dll, loaded at run time): EvtQuery with an
 *     XPath age filter, EvtNext, and each event's XML with its message as
 *     EvtFormatMessage(EvtFormatMessageXml) renders it (the provider's
 *     metadata opened once per provider) — the XML `wevtutil qe
 *     /f:RenderedXml` prints — else EvtRender(EvtRenderEventXml)'s;
 *   - before Vista: OpenEventLogW and ReadEventLogW, backwards, whose
 *     buffers hold EVENTLOGRECORDs; the message rendered as Event Viewer
 *     does, with FormatMessage from the source's EventMessageFile
 *     (HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>\<source>),
 *     else made from the insertion strings as for a .evt file.
 * Reading the System and Application logs needs no administrator; the
 * Security log, which does, is not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "live_win32.h"
#include "windows/events/win_event.h"
#include "xalloc.h"

#include <winevt.h>

typedef EVT_HANDLE(WINAPI *query_fn)(EVT_HANDLE, LPCWSTR, LPCWSTR, DWORD);
typedef BOOL(WINAPI *next_fn)(EVT_HANDLE, DWORD, EVT_HANDLE *, DWORD, DWORD, PDWORD);
typedef BOOL(WINAPI *render_fn)(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PVOID, PDWORD, PDWORD);
typedef EVT_HANDLE(WINAPI *meta_fn)(EVT_HANDLE, LPCWSTR, LPCWSTR, LCID, DWORD);
typedef BOOL(WINAPI *format_fn)(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PEVT_VARIANT, DWORD, DWORD, LPWSTR, PDWORD);
typedef BOOL(WINAPI *close_fn)(EVT_HANDLE);

struct wevt {
	query_fn query;
	next_fn next;
	render_fn render;
	meta_fn meta;
	format_fn format;
	close_fn close;
};

static bool load_wevt(struct wevt *w)
{
#define LOAD(field, name) (w->field = (void *)kbf_live_proc_address("wevtapi.dll", name)) != NULL
	return LOAD(query, "EvtQuery") && LOAD(next, "EvtNext") && LOAD(render, "EvtRender") &&
	       LOAD(meta, "EvtOpenPublisherMetadata") && LOAD(format, "EvtFormatMessage") && LOAD(close, "EvtClose");
#undef LOAD
}

/* Providers' metadata, opened once each (NULL: none to be had). */
struct publishers {
	WCHAR *name[64];
	EVT_HANDLE meta[64];
	size_t n;
};

/* The Provider Name in an event's XML ("<Provider Name='x'"), copied. */
static WCHAR *provider_of(const WCHAR *xml)
{
	const WCHAR *p = wcsstr(xml, L"<Provider Name=");
	if (!p || (p[15] != L'\'' && p[15] != L'"'))
		return NULL;
	const WCHAR *end = wcschr(p + 16, p[15]);
	if (!end)
		return NULL;
	size_t n = (size_t)(end - p - 16);
	WCHAR *s = kbu_calloc(n + 1, sizeof(WCHAR));
	memcpy(s, p + 16, n * sizeof(WCHAR));
	return s;
}

static EVT_HANDLE publisher(const struct wevt *w, struct publishers *pubs, const WCHAR *xml)
{
	WCHAR *name = provider_of(xml);
	if (!name)
		return NULL;
	for (size_t i = 0; i < pubs->n; i++)
		if (wcscmp(pubs->name[i], name) == 0) {
			free(name);
			return pubs->meta[i];
		}
	if (pubs->n == 64) { /* more providers than kept: their events keep the XML without a message */
		free(name);
		return NULL;
	}
	EVT_HANDLE m = w->meta(NULL, name, NULL, 0, 0);
	pubs->name[pubs->n] = name;
	pubs->meta[pubs->n++] = m;
	return m;
}

static void publishers_free(const struct wevt *w, struct publishers *pubs)
{
	for (size_t i = 0; i < pubs->n; i++) {
		if (pubs->meta[i])
			w->close(pubs->meta[i]);
		free(pubs->name[i]);
	}
	pubs->n = 0;
}

/* The event's XML with its message (EvtFormatMessageXml) where the
 * provider's metadata allows, else as EvtRender gives it; UTF-8, owned;
 * NULL when EvtRender fails (*err its error). */
static char *event_xml(const struct wevt *w, struct publishers *pubs, EVT_HANDLE ev, DWORD *err)
{
	DWORD used = 0, count = 0, n = 0;
	w->render(NULL, ev, EvtRenderEventXml, 0, NULL, &used, &count);
	*err = GetLastError(); /* ERROR_INSUFFICIENT_BUFFER when it gave the size */
	WCHAR *plain = kbu_calloc(used / sizeof(WCHAR) + 1, sizeof(WCHAR)), *rendered = NULL;
	char *xml = NULL;
	if (!used)
		goto out;
	if (!w->render(NULL, ev, EvtRenderEventXml, used, plain, &used, &count)) {
		*err = GetLastError();
		goto out;
	}
	EVT_HANDLE m = publisher(w, pubs, plain);
	if (m && !w->format(m, ev, 0, 0, NULL, EvtFormatMessageXml, 0, NULL, &n) &&
	    GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
		rendered = kbu_calloc((size_t)n + 1, sizeof(WCHAR));
		if (!w->format(m, ev, 0, 0, NULL, EvtFormatMessageXml, n, rendered, &n)) {
			free(rendered);
			rendered = NULL;
		}
	}
	xml = kbu_win32_utf8(rendered ? rendered : plain);
out:
	free(plain);
	free(rendered);
	return xml;
}

/* One log through wevtapi: 1 when it cannot be queried (noted). */
static int query_log(struct kbf_input *in, const struct wevt *w, const WCHAR *log, const char *name,
		     struct kbf_winevt *ev, int *rc)
{
	WCHAR q[128];
	_snwprintf(q, 128, L"*[System[TimeCreated[timediff(@SystemTime) <= %lu]]]",
		   (unsigned long)KBF_LIVE_EVENT_DAYS * 86400000ul);
	q[127] = 0;
	EVT_HANDLE h = w->query(NULL, log, q, EvtQueryChannelPath | EvtQueryReverseDirection);
	if (!h) {
		char what[64];
		snprintf(what, sizeof(what), "EvtQuery (%s log)", name);
		kbf_live_win_note(in, what, GetLastError());
		return 1;
	}
	struct publishers pubs = {0};
	EVT_HANDLE batch[64];
	DWORD got, err = ERROR_NO_MORE_ITEMS;
	size_t n = 0, seen = 0; /* events read; events met, newest first */
	bool more = false;      /* an event past KBF_LIVE_EVENT_MAX was met */
	DWORD render_err = 0;
	while (!more) {
		/* At the limit, one more EvtNext asks whether the log holds more. */
		if (!w->next(h, n < KBF_LIVE_EVENT_MAX ? 64 : 1, batch, INFINITE, 0, &got)) {
			err = GetLastError();
			break;
		}
		for (DWORD i = 0; i < got; i++) {
			more = more || n == KBF_LIVE_EVENT_MAX;
			char *xml = more ? NULL : event_xml(w, &pubs, batch[i], &render_err);
			seen += !more;
			if (!more && !xml)
				kbf_input_skip(in, 0, "%s log, event %zu (newest first): EvtRender failed (Windows "
					       "error %lu): the event is left out", name, seen, (unsigned long)render_err);
			else if (xml && kbf_live_evt_xml(in, name, seen, xml, strlen(xml), ev) < 0)
				*rc = -1;
			n += xml != NULL;
			free(xml);
			w->close(batch[i]);
		}
	}
	if (err != ERROR_NO_MORE_ITEMS)
		kbf_live_win_note(in, "EvtNext", err);
	if (more)
		kbf_input_skip(in, 0, "%s log: only its newest %d events were read", name, KBF_LIVE_EVENT_MAX);
	publishers_free(w, &pubs);
	w->close(h);
	return 0;
}

/* Message files of the sources met, each loaded once as data. */
#define MSG_MODULES 4
struct source_files {
	struct source_file {
		char *log, *source;
		HMODULE mod[MSG_MODULES];
		size_t n;
	} v[128];
	size_t n;
};

/* The EventMessageFile modules of source in log (";"-separated, with
 * environment variables), loaded as data files. */
static void load_files(const char *log, const char *source, struct source_file *f)
{
	WCHAR raw[1024], paths[2048];
	char *k = kbu_malloc(strlen(log) + strlen(source) + 64);
	sprintf(k, "SYSTEM\\CurrentControlSet\\Services\\EventLog\\%s\\%s", log, source);
	WCHAR *key = kbu_win32_wide(k, CP_UTF8);
	free(k);
	HKEY h;
	DWORD type, size = sizeof(raw) - sizeof(WCHAR);
	LONG opened = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &h);
	free(key);
	if (opened != ERROR_SUCCESS)
		return;
	LONG r = RegQueryValueExW(h, L"EventMessageFile", NULL, &type, (BYTE *)raw, &size);
	RegCloseKey(h);
	if (r != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ))
		return;
	raw[size / sizeof(WCHAR)] = 0;
	DWORD r2 = ExpandEnvironmentStringsW(raw, paths, 2048);
	if (r2 == 0 || r2 > 2048) /* failed, or the result (r2 characters) did not fit */
		return;
	paths[2047] = 0;
	for (WCHAR *p = paths, *semi; p && f->n < MSG_MODULES; p = semi ? semi + 1 : NULL) {
		semi = wcschr(p, L';');
		if (semi)
			*semi = 0;
		HMODULE m = *p ? LoadLibraryExW(p, NULL, LOAD_LIBRARY_AS_DATAFILE) : NULL;
		if (m)
			f->mod[f->n++] = m;
	}
}

static struct source_file *files_of(struct source_files *c, const char *log, const char *source)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].log, log) == 0 && _stricmp(c->v[i].source, source) == 0)
			return &c->v[i];
	if (c->n == sizeof(c->v) / sizeof(c->v[0]))
		return NULL; /* more sources than kept: their messages are made from the strings */
	struct source_file *f = &c->v[c->n++];
	*f = (struct source_file){.log = kbu_strdup(log), .source = kbu_strdup(source)};
	load_files(log, source, f);
	return f;
}

static void source_files_free(struct source_files *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->v[i].n; k++)
			FreeLibrary(c->v[i].mod[k]);
		free(c->v[i].log);
		free(c->v[i].source);
	}
	c->n = 0;
}

/* "%%1077" (a parameter insert: Event Viewer puts the system message
 * 1077 in its place) as that message, allocated by FormatMessage; NULL
 * for any other string. */
static WCHAR *parameter(const WCHAR *s)
{
	if (s[0] != L'%' || s[1] != L'%' || !s[2])
		return NULL;
	DWORD code = 0;
	for (const WCHAR *p = s + 2; *p; p++) {
		if (*p < L'0' || *p > L'9' || code > 0x0FFFFFFF)
			return NULL;
		code = code * 10 + (DWORD)(*p - L'0');
	}
	WCHAR *msg = NULL;
	if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER,
			    NULL, code, 0, (LPWSTR)&msg, 0, NULL))
		return NULL;
	size_t n = wcslen(msg);
	while (n && (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' || msg[n - 1] == L' '))
		msg[--n] = 0;
	return msg;
}

/* FormatMessage's argument array: the insertion strings copied out of
 * the record (aligned, NUL-terminated), "%%N" ones replaced by system
 * message N; the entries past them point to "" so that a message naming
 * more inserts than the record holds reads nothing outside it. */
#define MSG_ARGS 100
struct args {
	DWORD_PTR v[MSG_ARGS];
	WCHAR *own[MSG_ARGS]; /* malloc'd copies */
	WCHAR *sys[MSG_ARGS]; /* FormatMessage's (LocalFree) */
	size_t n;
};

static void args_make(struct args *a, const unsigned char *rec, size_t len, uint32_t at, unsigned n)
{
	static WCHAR empty[1];
	for (size_t i = 0; i < MSG_ARGS; i++)
		a->v[i] = (DWORD_PTR)empty;
	a->n = 0;
	for (size_t off = at; a->n < n && a->n < MSG_ARGS && off + 2 <= len; off += 2, a->n++) {
		size_t end = off;
		while (end + 2 <= len && (rec[end] | rec[end + 1]))
			end += 2;
		WCHAR *w = kbu_calloc((end - off) / 2 + 1, sizeof(WCHAR));
		for (size_t k = 0; off < end; off += 2)
			w[k++] = (WCHAR)(rec[off] | rec[off + 1] << 8);
		a->own[a->n] = w;
		a->sys[a->n] = parameter(w);
		a->v[a->n] = (DWORD_PTR)(a->sys[a->n] ? a->sys[a->n] : w);
	}
}

static void args_free(struct args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->own[i]);
		if (a->sys[i])
			LocalFree(a->sys[i]);
	}
}

static bool render_message(void *ud, const char *log, const char *source, uint32_t id, const unsigned char *rec,
			   size_t len, uint32_t at, unsigned n, struct kbf_wtext_buf *out)
{
	struct source_file *f = files_of(ud, log, source);
	if (!f || !f->n || at > len)
		return false;
	static struct args args; /* 2 KiB of pointers: not on the stack */
	WCHAR *msg = NULL;
	args_make(&args, rec, len, at, n);
	for (size_t i = 0; i < f->n && !msg; i++)
		if (!FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY |
					    FORMAT_MESSAGE_ALLOCATE_BUFFER,
				    f->mod[i], id, 0, (LPWSTR)&msg, 0, (va_list *)args.v))
			msg = NULL;
	args_free(&args);
	if (!msg)
		return false;
	char *u = kbu_win32_utf8(msg);
	LocalFree(msg);
	kbf_wtext_buf_set(out, u, strlen(u));
	free(u);
	return true;
}

/* One log through the NT event log API: 1 when it cannot be opened (noted). */
static int read_log(struct kbf_input *in, const WCHAR *log, const char *name, struct kbf_winevt *ev, int *rc)
{
	static struct source_files files; /* large: not on the stack */
	HANDLE h = OpenEventLogW(NULL, log);
	if (!h) {
		char what[64];
		snprintf(what, sizeof(what), "OpenEventLog (%s log)", name);
		kbf_live_win_note(in, what, GetLastError());
		return 1;
	}
	DWORD size = 64 * 1024, got, need;
	unsigned char *buf = kbu_malloc(size);
	uint32_t since = (uint32_t)(time(NULL) - (time_t)KBF_LIVE_EVENT_DAYS * 86400);
	size_t n = 0;
	bool older = false, more = false;
	while (!older && !more) {
		if (!ReadEventLogW(h, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_BACKWARDS_READ, 0, buf, size, &got, &need)) {
			DWORD err = GetLastError();
			if (err == ERROR_INSUFFICIENT_BUFFER && need > size && need <= 1u << 24) {
				free(buf);
				buf = kbu_malloc(size = need); /* one record larger than the buffer */
				continue;
			}
			if (err != ERROR_HANDLE_EOF)
				kbf_live_win_note(in, "ReadEventLog", err);
			break;
		}
		if (got == 0) /* nothing read, no error: nothing more to read */
			break;
		struct kbf_live_render render = {render_message, &files};
		/* At the limit, max 0 reads no record but says whether one is left. */
		n += kbf_live_evt_records(in, name, buf, got, since, &render, ev, KBF_LIVE_EVENT_MAX - n, &older,
					  &more, rc);
	}
	if (more)
		kbf_input_skip(in, 0, "%s log: only its newest %d events were read", name, KBF_LIVE_EVENT_MAX);
	free(buf);
	source_files_free(&files);
	CloseEventLog(h);
	return 0;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	static const struct {
		const WCHAR *log;
		const char *name;
	} logs[] = {{L"System", "System"}, {L"Application", "Application"}};
	struct wevt w = {0};
	bool vista = load_wevt(&w);
	struct kbf_winevt ev = {0};
	int rc = 0, failed = 0;
	for (size_t i = 0; i < 2; i++)
		failed += vista ? query_log(in, &w, logs[i].log, logs[i].name, &ev, &rc)
				: read_log(in, logs[i].log, logs[i].name, &ev, &rc);
	if (failed == 2)
		in->unavailable = vista ? "the event logs could not be queried (EvtQuery failed)"
					: "the event logs could not be opened (OpenEventLog failed)";
	kbf_winevt_free(&ev);
	return rc;
}

const struct kbf_collector kbf_win_events_collector = {"windows.events", gather, NULL, NULL, NULL};
