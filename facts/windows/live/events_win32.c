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
 *     buffers hold EVENTLOGRECORDs; the message is made from the insertion
 *     strings as for a .evt file (the source's message file is not read).
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
 * NULL when neither works. */
static char *event_xml(const struct wevt *w, struct publishers *pubs, EVT_HANDLE ev)
{
	DWORD used = 0, count = 0, n = 0;
	w->render(NULL, ev, EvtRenderEventXml, 0, NULL, &used, &count);
	WCHAR *plain = kbu_calloc(used / sizeof(WCHAR) + 1, sizeof(WCHAR)), *rendered = NULL;
	char *xml = NULL;
	if (!used || !w->render(NULL, ev, EvtRenderEventXml, used, plain, &used, &count))
		goto out;
	EVT_HANDLE m = publisher(w, pubs, plain);
	if (m && !w->format(m, ev, 0, 0, NULL, EvtFormatMessageXml, 0, NULL, &n) &&
	    GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
		rendered = kbu_calloc((size_t)n + 1, sizeof(WCHAR));
		if (!w->format(m, ev, 0, 0, NULL, EvtFormatMessageXml, n, rendered, &n)) {
			free(rendered);
			rendered = NULL;
		}
	}
	xml = kbf_live_wide(rendered ? rendered : plain);
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
	size_t n = 0;
	while (n < KBF_LIVE_EVENT_MAX) {
		if (!w->next(h, 64, batch, INFINITE, 0, &got)) {
			err = GetLastError();
			break;
		}
		for (DWORD i = 0; i < got; i++) {
			char *xml = n < KBF_LIVE_EVENT_MAX ? event_xml(w, &pubs, batch[i]) : NULL;
			if (xml && kbf_live_evt_xml(in, xml, strlen(xml), ev) < 0)
				*rc = -1;
			n += xml != NULL;
			free(xml);
			w->close(batch[i]);
		}
	}
	if (err != ERROR_NO_MORE_ITEMS)
		kbf_live_win_note(in, "EvtNext", err);
	if (n == KBF_LIVE_EVENT_MAX)
		kbf_input_skip(in, 0, "%s log: only its newest %d events were read", name, KBF_LIVE_EVENT_MAX);
	publishers_free(w, &pubs);
	w->close(h);
	return 0;
}

/* One log through the NT event log API: 1 when it cannot be opened (noted). */
static int read_log(struct kbf_input *in, const WCHAR *log, const char *name, struct kbf_winevt *ev, int *rc)
{
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
	bool older = false;
	while (n < KBF_LIVE_EVENT_MAX && !older) {
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
		n += kbf_live_evt_records(in, name, buf, got, since, ev, KBF_LIVE_EVENT_MAX - n, &older, rc);
	}
	if (n == KBF_LIVE_EVENT_MAX)
		kbf_input_skip(in, 0, "%s log: only its newest %d events were read", name, KBF_LIVE_EVENT_MAX);
	free(buf);
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
	struct wevt w;
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
