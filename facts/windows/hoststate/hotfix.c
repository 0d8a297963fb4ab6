/*
 * hotfix.c — the hotfix fact (hotfix.h): ids and installation dates as
 * the hotfix listings write them (docs/evidence-formats.md "Hotfix ids
 * and dates").
 *
 * Ids are kept as written, upper case: "KB2843630", "Q147222",
 * "KB893803V2", "943729" and Vista's "{7A068575-...}" alike, so a rule
 * matches "KB893803" exactly or with a pattern.  Windows XP and 2003 list
 * many hotfixes as "File 1" (Win32_QuickFixEngineering gives no id for
 * them; wmic then shows the KB under ServicePackInEffect).
 *
 * Dates: Windows 7 and later WMI returns InstalledOn as M/D/YYYY in every
 * locale (PowerShell's type data for Win32_QuickFixEngineering parses it
 * with the invariant culture); XP and Vista return a FILETIME in hex or
 * YYYYMMDD, which PowerShell's type data also reads.  Get-HotFix prints a
 * DateTime in the exporting locale: "3/30/2021 12:00:00 AM",
 * "15.11.2017 00:00:00", "13/02/2020 12:00:00 a. m.", so a date such as
 * 9/3/2020 is kept as written.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hotfix.h"
#include "hexdigit.h"

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '{' || c == '}';
}

static bool valid_id(struct kbf_wtext_span id)
{
	if (!id.len || id.len > 64)
		return false;
	for (size_t i = 0; i < id.len; i++)
		if (!id_char(id.s[i]))
			return false;
	return true;
}

/* "File 1": an XP entry without an id of its own. */
static bool file_placeholder(struct kbf_wtext_span id)
{
	uint64_t n;
	return id.len > 5 && kbf_wtext_iprefix(id.s, id.len, "File ") &&
	       kbf_wtext_uint((struct kbf_wtext_span){id.s + 5, id.len - 5}, 999999, &n);
}

/* Win32_QuickFixEngineering's properties (learn.microsoft.com,
 * "Win32_QuickFixEngineering class") and what PowerShell adds. */
static const char *const properties[] = {
	"Caption", "CSName", "Description", "FixComments", "HotFixID", "InstallDate", "InstalledBy",
	"InstalledOn", "Name", "ServicePackInEffect", "Status", "Source", "PSComputerName", "Node",
};

bool kbf_hotfix_property(struct kbf_wtext_span name)
{
	for (size_t i = 0; i < sizeof(properties) / sizeof(properties[0]); i++)
		if (kbf_wtext_ieq(name, properties[i]))
			return true;
	return false;
}

bool kbf_hotfix_set(struct kbf_hotfix *h, struct kbf_wtext_span property, struct kbf_wtext_span v)
{
	struct kbf_wtext_span *slot = NULL;
	if (kbf_wtext_ieq(property, "HotFixID"))
		slot = &h->id;
	else if (kbf_wtext_ieq(property, "Description"))
		slot = &h->description;
	else if (kbf_wtext_ieq(property, "InstalledOn"))
		slot = &h->installed_on;
	else if (kbf_wtext_ieq(property, "InstalledBy"))
		slot = &h->installed_by;
	else if (kbf_wtext_ieq(property, "ServicePackInEffect"))
		slot = &h->sp_in_effect;
	else if (kbf_wtext_ieq(property, "CSName") || (!h->host.len && kbf_wtext_ieq(property, "Node")))
		slot = &h->host;
	if (slot)
		*slot = v;
	return slot != NULL;
}

bool kbf_hotfix_emit(struct kbf_input *in, const struct kbf_hotfix *h, int line, const char *text, size_t len)
{
	struct kbf_wtext_span id = kbf_wtext_trim(h->id.s, h->id.len);
	if (file_placeholder(id)) {
		id = kbf_wtext_trim(h->sp_in_effect.s, h->sp_in_effect.len);
		if (!kbf_wtext_iprefix(id.s, id.len, "KB") && !kbf_wtext_iprefix(id.s, id.len, "Q"))
			return false;
	}
	if (!valid_id(id)) {
		kbf_input_skip(in, line, "hotfix: '%.*s' is not a hotfix id", (int)(id.len > 80 ? 80 : id.len),
			       id.s);
		return false;
	}
	char upper[64], date[11];
	for (size_t i = 0; i < id.len; i++)
		upper[i] = (char)toupper((unsigned char)id.s[i]);
	struct kbf_wtext_span on = kbf_wtext_trim(h->installed_on.s, h->installed_on.len);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "hotfix");
	kbf_set_str_copy(&f, "id", upper, id.len);
	if (kbf_hotfix_date(on, h->dates, date))
		kbf_set_str_copy(&f, "installed_on", date, 10);
	else
		kbf_set_span(&f, "installed_on", on);
	kbf_set_span(&f, "description", kbf_wtext_trim(h->description.s, h->description.len));
	kbf_set_span(&f, "installed_by", kbf_wtext_trim(h->installed_by.s, h->installed_by.len));
	kbf_set_span(&f, "host", kbf_wtext_trim(h->host.s, h->host.len));
	return kbf_fact_emit(&f, line, text, len) != NULL;
}

/* ---- dates ----------------------------------------------------------------------- */

static bool valid_ymd(unsigned y, unsigned m, unsigned d)
{
	static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1601 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static bool put_ymd(unsigned y, unsigned m, unsigned d, char out[11])
{
	if (!valid_ymd(y, m, d))
		return false;
	snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
	return true;
}

/* Seconds since 1970 (UTC) as the date they fall on. */
static bool put_unix(int64_t secs, char out[11])
{
	time_t t = (time_t)secs;
	struct tm tm;
	if (secs < -11644473600LL || secs > 253402300799LL || !gmtime_r(&t, &tm))
		return false;
	return put_ymd((unsigned)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday, out);
}

/* Up to three numbers separated by one of "/.-": "3/30/2021", "2021-03-30". */
static int split_date(struct kbf_wtext_span v, unsigned part[3], size_t digits[3], char *sep)
{
	int n = 0;
	size_t i = 0;
	*sep = 0;
	while (n < 3) {
		uint64_t x = 0;
		size_t start = i;
		while (i < v.len && isdigit((unsigned char)v.s[i]) && i - start < 5)
			x = x * 10 + (uint64_t)(v.s[i++] - '0');
		if (i == start)
			return -1;
		part[n] = (unsigned)x;
		digits[n++] = i - start;
		if (i == v.len || v.s[i] == ' ' || v.s[i] == 'T')
			break;
		if (!strchr("/.-", v.s[i]) || (*sep && v.s[i] != *sep))
			return -1;
		*sep = v.s[i++];
	}
	return n;
}

/* A date written day, month and year in an order the text leaves open
 * only when both first numbers could be a month. */
static bool locale_date(struct kbf_wtext_span v, bool mdy, char out[11])
{
	unsigned p[3];
	size_t dg[3];
	char sep;
	if (split_date(v, p, dg, &sep) != 3)
		return false;
	if (dg[0] == 4)
		return put_ymd(p[0], p[1], p[2], out);
	if (dg[2] != 4)
		return false; /* two-digit years: the century is a guess */
	if (sep == '.')
		return put_ymd(p[2], p[1], p[0], out); /* D.M.Y wherever dots are used */
	if (mdy || (p[1] > 12 && p[0] <= 12) || p[0] == p[1])
		return put_ymd(p[2], p[0], p[1], out);
	if (p[0] > 12 && p[1] <= 12)
		return put_ymd(p[2], p[1], p[0], out);
	return false;
}

/* XP and Vista: a FILETIME in 16 hex digits, or YYYYMMDD. */
static bool wmi_raw_date(struct kbf_wtext_span v, char out[11])
{
	uint64_t x = 0;
	if (v.len == 8 && kbf_wtext_uint(v, 99999999, &x))
		return put_ymd((unsigned)(x / 10000), (unsigned)(x / 100 % 100), (unsigned)(x % 100), out);
	if (v.len != 16)
		return false;
	for (size_t i = 0; i < 16; i++) {
		int d = kbu_hex_digit(v.s[i]);
		if (d < 0)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	return put_unix((int64_t)(x / 10000000) - 11644473600LL, out);
}

/* "\/Date(1567807200000)\/": JavaScriptSerializer's UTC milliseconds of
 * what was local midnight; the nearest midnight is the local date for
 * any zone from UTC-11 to UTC+12. */
static bool json_ms_date(struct kbf_wtext_span v, char out[11])
{
	int64_t ms, day = 86400000;
	if (!kbf_wtext_json_date(v, &ms))
		return false;
	int64_t days = (ms + day / 2) / day - ((ms + day / 2) % day < 0);
	return put_unix(days * 86400, out);
}

bool kbf_hotfix_date(struct kbf_wtext_span v, enum kbf_hotfix_dates how, char out[11])
{
	v = kbf_wtext_trim(v.s, v.len);
	if (!v.len)
		return false;
	switch (how) {
	case KBF_HOTFIX_WMI:
		return wmi_raw_date(v, out) || locale_date(v, true, out);
	case KBF_HOTFIX_JSON:
		return json_ms_date(v, out) || locale_date(v, false, out);
	case KBF_HOTFIX_LOCALE:
		return locale_date(v, false, out);
	}
	return false;
}
