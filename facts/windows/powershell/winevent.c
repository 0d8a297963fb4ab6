/*
 * winevent.c — Get-WinEvent's EventLogRecord objects as `event` facts,
 * through kbf_winevt_emit, so that an event is the same fact whether it
 * came as PowerShell output, wevtutil XML or an Event Viewer export:
 *
 *   ProviderName -> source     Id -> id            LogName -> log
 *   LevelDisplayName (or Level 1..5) -> level      Message -> message
 *   MachineName -> computer    UserId -> user      RecordId -> record
 *   TaskDisplayName -> category                    TimeCreated -> time
 *
 * The default table shows TimeCreated, Id, LevelDisplayName and Message
 * (cut to the console width: kept as shown), grouped under
 * "   ProviderName: X" lines.  TimeCreated is local time in the exporting
 * culture in tables, lists and CSV ("6/12/2021 10:00:15 AM"), read like
 * the Event Viewer exports' dates; ConvertTo-Json writes it as
 * "\/Date(1623492015123)\/" (5.1: milliseconds since 1970, UTC) or
 * "2021-06-12T10:00:15.1234567+02:00" (7: local time and its offset);
 * both become UTC, as the XML's SystemTime.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "powershell.h"
#include "windows/events/win_event.h"

static void set(struct kbf_wtext_buf *b, const struct kbf_ps_prop *p)
{
	if (p)
		kbf_wtext_buf_set(b, p->value.s, p->value.len);
}

static void utc_text(int64_t secs, struct kbf_wtext_buf *out)
{
	time_t tt = (time_t)secs;
	struct tm tm;
	char buf[40];
	if (!gmtime_r(&tt, &tm) || tm.tm_year < 0 || tm.tm_year > 8099)
		return;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kbf_wtext_buf_set(out, buf, strlen(buf));
}

/* "/Date(1623492015123)/" (core/wtext.h). */
static bool ms_date(struct kbf_wtext_span v, struct kbf_wtext_buf *out)
{
	int64_t ms;
	if (!kbf_wtext_json_date(v, &ms))
		return false;
	utc_text(ms / 1000, out);
	return true;
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "2021-06-12T10:00:15.1234567+02:00" -> "2021-06-12T08:00:15Z"; a "Z"
 * time goes as the XML's does. */
static bool iso_date(struct kbf_wtext_span v, struct kbf_wtext_buf *out)
{
	if (v.len < 20 || v.s[4] != '-' || v.s[10] != 'T')
		return false;
	if (v.s[v.len - 1] == 'Z') {
		kbf_winevt_utc_time(v.s, v.len, out);
		return true;
	}
	const char *z = v.s + v.len - 6;
	int oh = digits(z + 1, 2), om = digits(z + 4, 2);
	struct tm tm = {0};
	tm.tm_year = digits(v.s, 4) - 1900;
	tm.tm_mon = digits(v.s + 5, 2) - 1;
	tm.tm_mday = digits(v.s + 8, 2);
	tm.tm_hour = digits(v.s + 11, 2);
	tm.tm_min = digits(v.s + 14, 2);
	tm.tm_sec = digits(v.s + 17, 2);
	if ((z[0] != '+' && z[0] != '-') || z[3] != ':' || oh < 0 || om < 0 || tm.tm_year < 0 || tm.tm_mon < 0 ||
	    tm.tm_mday < 0 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
		return false;
	int64_t offset = (oh * 60 + om) * 60;
	utc_text((int64_t)timegm(&tm) - (z[0] == '+' ? offset : -offset), out);
	return true;
}

static void event_time(struct kbf_ps_map *m, struct kbf_winevt *ev)
{
	const struct kbf_ps_prop *p = kbf_ps_want(m, "TimeCreated", false);
	if (!p || ms_date(p->value, &ev->time) || iso_date(p->value, &ev->time))
		return;
	/* "6/12/2021 10:00:15 AM": the date, then the time */
	const char *sp = memchr(p->value.s, ' ', p->value.len);
	struct kbf_winevt_dates dates = {0};
	size_t dl = sp ? (size_t)(sp - p->value.s) : p->value.len;
	struct kbf_wtext_span t = sp ? kbf_wtext_trim(sp, p->value.len - dl) : (struct kbf_wtext_span){"", 0};
	kbf_winevt_date_hint(&dates, p->value.s, dl, t.s, t.len);
	kbf_winevt_local_time(&dates, p->value.s, dl, t.s, t.len, &ev->time);
}

/* A message cut to the console width ends in a word cut anywhere ("with
 * error 0x800" of 0x80004005): it goes, so that no rule reads a code or
 * word that was not written. */
static void message(struct kbf_winevt *ev, const struct kbf_ps_prop *p)
{
	if (!p)
		return;
	size_t len = p->value.len;
	if (p->truncated && !p->first_line) {
		while (len && p->value.s[len - 1] != ' ')
			len--;
		while (len && p->value.s[len - 1] == ' ')
			len--;
	}
	kbf_wtext_buf_set(&ev->message, p->value.s, len);
}

void kbf_ps_map_event(struct kbf_ps_map *m)
{
	struct kbf_winevt ev = {0};
	uint64_t v;
	kbf_winevt_reset(&ev);
	set(&ev.id, kbf_ps_want(m, "Id", false));
	set(&ev.source, kbf_ps_want(m, "ProviderName", false));
	set(&ev.log, kbf_ps_want(m, "LogName", false));
	const struct kbf_ps_prop *level = kbf_ps_want(m, "LevelDisplayName", false);
	if (level)
		set(&ev.level, level);
	else if (kbf_ps_uint(m, "Level", 5, &v) && kbf_winevt_level_number((int64_t)v))
		kbf_wtext_buf_set(&ev.level, kbf_winevt_level_number((int64_t)v), strlen(kbf_winevt_level_number((int64_t)v)));
	event_time(m, &ev);
	message(&ev, kbf_ps_want(m, "Message", true));
	set(&ev.computer, kbf_ps_want(m, "MachineName", false));
	set(&ev.user, kbf_ps_want(m, "UserId", false));
	set(&ev.category, kbf_ps_want(m, "TaskDisplayName", false));
	if (kbf_ps_uint(m, "RecordId", INT64_MAX, &v))
		ev.record = (int64_t)v;
	struct kbf_wtext_span text = kbf_ps_prov_text(m->r, &m->pv);
	kbf_winevt_cite_text(&ev, text.s, text.len);
	ev.line = ev.id_line = m->r->line;
	kbf_winevt_emit(m->in, &ev);
	kbf_winevt_free(&ev);
}
