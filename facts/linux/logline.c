/*
 * logline.c — one line of a Linux log file as an `event`.  Formats,
 * tried in this order on every line (files mix them when concatenated):
 *   rsyslog high precision (Debian 12):
 *     2024-01-05T12:00:01.123456+00:00 host prog[123]: msg
 *     2024-01-05T12:00:01Z prog[123]: msg   (a program's own log: no host)
 *   traditional syslog (and journalctl's short output):
 *     Jan  5 12:00:01 host prog[123]: msg
 *   dovecot's own log (no host; level after the process name):
 *     Jan 05 12:00:01 master: Error: service(imap-login): listen(*, 143) failed: ...
 *   nginx error.log (src/core/ngx_log.c: "%4d/%02d/%02d %02d:%02d:%02d [%V] %P#%d: "):
 *     2024/01/05 12:00:01 [emerg] 9734#9734: bind() to 127.0.0.1:21180 failed (98: ...)
 *   Apache error.log (2.4 "[time] [module:level] [pid N:tid M] msg"; 2.2 "[time] [level] msg"):
 *     [Fri Jan 05 12:00:01.123456 2024] [core:emerg] [pid 123:tid 456] (98)Address ...: AH00072: ...
 *   anything else is a plain message (a daemon's stderr: "Bind to port 21180 on
 *     127.0.0.1 failed: Address already in use.").
 * Times become ISO text: UTC with "Z" where the line gives an offset, local
 * time without a zone where it does not.  Traditional syslog has no year:
 * the caller's reference (the file's mtime) supplies it, a month after the
 * reference month meaning the year before.  Levels are "error", "warning",
 * "information" (and "verbose" for debug) where the format or a message
 * prefix ("error: ", "fatal: ", "Warning: ") says; a line reporting an
 * errno with no stated level is taken as an error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "linux.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int month_of(const char *s)
{
	for (int m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, s, 3) == 0)
			return m + 1;
	return 0;
}

static bool valid_tm(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 &&
	       s <= 60;
}

static void local_iso(struct kbf_logline *l, int y, int mo, int d, int h, int mi, int s)
{
	snprintf(l->tbuf, sizeof(l->tbuf), "%04d-%02d-%02dT%02d:%02d:%02d", y % 10000, mo % 100, d % 100,
		 h % 100, mi % 100, s % 100);
	l->time = l->tbuf;
	l->dated = true;
}

/* "HH:MM:SS" at s: hour, minute, second. */
static bool clock_at(const char *s, size_t avail, int hms[3])
{
	if (avail < 8 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' || !digits(s + 6, 2))
		return false;
	hms[0] = num(s, 2), hms[1] = num(s + 3, 2), hms[2] = num(s + 6, 2);
	return true;
}

static size_t skip_fraction(const char *s, size_t i, size_t len)
{
	if (i < len && s[i] == '.')
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			;
	return i;
}

/* "Z", "+00:00", "+0000" at s[*i]: offset in seconds east of UTC. */
static bool zone(const char *s, size_t len, size_t *i, long *off)
{
	size_t p = *i;
	if (p < len && s[p] == 'Z') {
		*off = 0, *i = p + 1;
		return true;
	}
	if (p + 5 > len || (s[p] != '+' && s[p] != '-') || !digits(s + p + 1, 2))
		return false;
	size_t mm = s[p + 3] == ':' ? p + 4 : p + 3;
	if (mm + 2 > len || !digits(s + mm, 2))
		return false;
	*off = (s[p] == '-' ? -1 : 1) * (num(s + p + 1, 2) * 3600L + num(s + mm, 2) * 60L);
	*i = mm + 2;
	return true;
}

/* rsyslog RFC 3339 stamp; returns the index after it and a space, or 0. */
static size_t iso_stamp(const char *s, size_t len, struct kbf_logline *l)
{
	int hms[3];
	if (len < 21 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || s[10] != 'T' || !clock_at(s + 11, len - 11, hms))
		return 0;
	int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
	size_t i = skip_fraction(s, 19, len);
	long off;
	if (!valid_tm(y, mo, d, hms[0], hms[1], hms[2]) || !zone(s, len, &i, &off) || i >= len || s[i] != ' ')
		return 0;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			.tm_hour = hms[0], .tm_min = hms[1], .tm_sec = hms[2]};
	char iso[KBF_ISO_UTC_SIZE];
	kbf_iso_utc((int64_t)timegm(&tm) - off, iso);
	memcpy(l->tbuf, iso, sizeof(iso));
	l->time = l->tbuf;
	l->dated = true;
	return i + 1;
}

/* "Jan  5 12:00:01 " / "Jan 05 12:00:01 "; returns the index after it, or 0. */
static size_t bsd_stamp(const char *s, size_t len, int ref_year, int ref_month, struct kbf_logline *l)
{
	int hms[3], mo = len >= 16 ? month_of(s) : 0;
	if (!mo || s[3] != ' ' || !(isdigit((unsigned char)s[4]) || s[4] == ' ') ||
	    !isdigit((unsigned char)s[5]) || s[6] != ' ' || !clock_at(s + 7, len - 7, hms) || s[15] != ' ')
		return 0;
	int d = (s[4] == ' ' ? 0 : s[4] - '0') * 10 + (s[5] - '0');
	int y = ref_year > 0 ? ref_year : 1970;
	if (ref_month >= 1 && mo > ref_month)
		y--;
	if (!valid_tm(y, mo, d, hms[0], hms[1], hms[2]))
		return 0;
	local_iso(l, y, mo, d, hms[0], hms[1], hms[2]);
	return 16;
}

static const char *level_word(const char *w, size_t n)
{
	static const struct { const char *w; const char *level; } words[] = {
		{"emerg", "error"}, {"emergency", "error"}, {"alert", "error"}, {"crit", "error"},
		{"critical", "error"}, {"err", "error"}, {"error", "error"}, {"fatal", "error"},
		{"panic", "error"}, {"warn", "warning"}, {"warning", "warning"}, {"notice", "information"},
		{"info", "information"}, {"debug", "verbose"},
	};
	if (n > 5 && strncasecmp(w, "trace", 5) == 0 && digits(w + 5, n - 5))
		return "verbose"; /* Apache trace1..trace8 */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].w) == n && strncasecmp(words[i].w, w, n) == 0)
			return words[i].level;
	return NULL;
}

/* A level stated at the start of the message, possibly after one
 * "subsystem: " ("master: Error: ..."). */
static const char *message_level(const char *m, size_t n)
{
	for (int word = 0; word < 2; word++) {
		size_t k = 0;
		while (k < n && m[k] != ':' && m[k] != ' ')
			k++;
		if (k == 0 || k + 1 >= n || m[k] != ':' || m[k + 1] != ' ')
			return NULL;
		const char *lv = level_word(m, k);
		if (lv)
			return lv;
		m += k + 2;
		n -= k + 2;
	}
	return NULL;
}

/* "prog[123]: msg" or "prog: msg": the source, pid and message of l;
 * l is left as it is when p does not start so. */
static void program_rest(const char *p, size_t pn, struct kbf_logline *l)
{
	size_t k = 0, after;
	while (k < pn && p[k] != ':' && p[k] != '[' && p[k] != ' ')
		k++;
	after = k;
	int64_t pid = 0;
	if (k < pn && p[k] == '[') {
		size_t j = k + 1;
		while (j < pn && isdigit((unsigned char)p[j]) && j - k < 11)
			pid = pid * 10 + (p[j++] - '0');
		if (j == k + 1 || j >= pn || p[j] != ']')
			return;
		after = j + 1;
	}
	if (k == 0 || after >= pn || p[after] != ':')
		return;
	l->source = p, l->sourcelen = k;
	l->pid = pid;
	after++;
	if (after < pn && p[after] == ' ')
		after++;
	l->msg = p + after, l->msglen = pn - after;
}

/* "host prog[123]: msg" after a syslog stamp; "prog[123]: msg" when the
 * program wrote the line itself, without the host syslog adds (a
 * Windows program's own log): a host name never ends in ':'. */
static void syslog_rest(const char *r, size_t n, struct kbf_logline *l)
{
	size_t h = 0;
	while (h < n && r[h] != ' ')
		h++;
	l->msg = r, l->msglen = n;
	if (h > 0 && r[h - 1] == ':') {
		program_rest(r, n, l);
		return;
	}
	if (h == 0 || h + 1 >= n)
		return;
	l->host = r, l->hostlen = h;
	l->msg = r + h + 1, l->msglen = n - h - 1;
	program_rest(r + h + 1, n - h - 1, l);
}

/* dovecot's own log after its stamp: "master: Error: msg". */
static bool dovecot_rest(const char *r, size_t n, struct kbf_logline *l)
{
	static const char *const levels[] = {"Info", "Warning", "Error", "Fatal", "Panic", "Debug"};
	static const char *const norm[] = {"information", "warning", "error", "error", "error", "verbose"};
	size_t k = 0;
	while (k < n && r[k] != ' ' && r[k] != ':')
		k++;
	if (k == 0 || k + 2 >= n || r[k] != ':' || r[k + 1] != ' ')
		return false;
	const char *w = r + k + 2;
	size_t wn = n - k - 2;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		size_t ln = strlen(levels[i]);
		if (wn >= ln + 1 && memcmp(w, levels[i], ln) == 0 && w[ln] == ':') {
			size_t m = ln + 1 + (wn > ln + 1 && w[ln + 1] == ' ');
			l->source = "dovecot", l->sourcelen = 7;
			l->category = r, l->categorylen = k;
			l->level = norm[i];
			l->msg = w + m, l->msglen = wn - m;
			return true;
		}
	}
	return false;
}

/* "2024/01/05 12:00:01 [emerg] 9734#9734: msg" */
static bool nginx_line(const char *s, size_t len, struct kbf_logline *l)
{
	int hms[3];
	if (len < 24 || !digits(s, 4) || s[4] != '/' || !digits(s + 5, 2) || s[7] != '/' ||
	    !digits(s + 8, 2) || s[10] != ' ' || !clock_at(s + 11, len - 11, hms) || s[19] != ' ' ||
	    s[20] != '[')
		return false;
	const char *close = memchr(s + 21, ']', len - 21);
	const char *level = close ? level_word(s + 21, (size_t)(close - s - 21)) : NULL;
	int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
	if (!level || !valid_tm(y, mo, d, hms[0], hms[1], hms[2]))
		return false;
	local_iso(l, y, mo, d, hms[0], hms[1], hms[2]);
	l->level = level;
	l->source = "nginx", l->sourcelen = 5;
	size_t i = (size_t)(close - s) + 1;
	if (i < len && s[i] == ' ')
		i++;
	size_t j = i;
	int64_t pid = 0;
	while (j < len && isdigit((unsigned char)s[j]) && j - i < 10)
		pid = pid * 10 + (s[j++] - '0');
	if (j > i && j < len && s[j] == '#') {
		l->pid = pid;
		while (j < len && s[j] != ':')
			j++;
		i = j + 1 < len ? j + 2 : len;
	}
	l->msg = s + i, l->msglen = len - i;
	return true;
}

/* Apache's "[pid 123:tid 456]" or "[pid 123]"; returns the index after it. */
static size_t apache_pid(const char *s, size_t len, size_t i, struct kbf_logline *l)
{
	if (len - i < 7 || memcmp(s + i, " [pid ", 6) != 0)
		return i;
	const char *close = memchr(s + i, ']', len - i);
	if (!close)
		return i;
	int64_t pid = 0;
	for (size_t j = i + 6; j < len && isdigit((unsigned char)s[j]) && j - i < 16; j++)
		pid = pid * 10 + (s[j] - '0');
	l->pid = pid;
	return (size_t)(close - s) + 1;
}

/* "[Fri Jan 05 12:00:01.123456 2024] [core:emerg] [pid 123:tid 456] msg" */
static bool apache_line(const char *s, size_t len, struct kbf_logline *l)
{
	int hms[3];
	if (len < 30 || s[0] != '[' || s[4] != ' ' || !month_of(s + 5) || s[8] != ' ' ||
	    !(isdigit((unsigned char)s[9]) || s[9] == ' ') || !isdigit((unsigned char)s[10]) ||
	    s[11] != ' ' || !clock_at(s + 12, len - 12, hms))
		return false;
	size_t i = skip_fraction(s, 20, len);
	if (i + 8 > len || s[i] != ' ' || !digits(s + i + 1, 4) || s[i + 5] != ']' || s[i + 6] != ' ' ||
	    s[i + 7] != '[')
		return false;
	int y = num(s + i + 1, 4), mo = month_of(s + 5), d = (s[9] == ' ' ? 0 : s[9] - '0') * 10 + s[10] - '0';
	const char *open = s + i + 8, *close = memchr(open, ']', len - i - 8);
	if (!close || !valid_tm(y, mo, d, hms[0], hms[1], hms[2]))
		return false;
	const char *colon = memchr(open, ':', (size_t)(close - open));
	const char *lw = colon ? colon + 1 : open;
	const char *level = level_word(lw, (size_t)(close - lw));
	if (!level)
		return false;
	local_iso(l, y, mo, d, hms[0], hms[1], hms[2]);
	l->level = level;
	l->source = "apache2", l->sourcelen = 7;
	if (colon)
		l->category = open, l->categorylen = (size_t)(colon - open);
	i = apache_pid(s, len, (size_t)(close - s) + 1, l);
	if (len - i > 9 && memcmp(s + i, " [client ", 9) == 0) {
		const char *c = memchr(s + i, ']', len - i);
		i = c ? (size_t)(c - s) + 1 : i;
	}
	if (i < len && s[i] == ' ')
		i++;
	l->msg = s + i, l->msglen = len - i;
	const char *ah = memmem(l->msg, l->msglen, "AH", 2);
	if (ah && (size_t)(l->msg + l->msglen - ah) > 7 && digits(ah + 2, 5) && ah[7] == ':')
		l->id = num(ah + 2, 5);
	return true;
}

void kbf_logline_parse(const char *s, size_t len, int ref_year, int ref_month, struct kbf_logline *l)
{
	memset(l, 0, sizeof(*l));
	size_t i;
	if ((i = iso_stamp(s, len, l)) != 0)
		syslog_rest(s + i, len - i, l);
	else if ((i = bsd_stamp(s, len, ref_year, ref_month, l)) != 0) {
		if (!dovecot_rest(s + i, len - i, l))
			syslog_rest(s + i, len - i, l);
	} else if (!nginx_line(s, len, l) && !apache_line(s, len, l)) {
		l->msg = s;
		l->msglen = len;
	}
	if (!l->level)
		l->level = message_level(l->msg, l->msglen);
	l->code = kbf_log_errno(l->msg, l->msglen);
	if (l->code && !l->level)
		l->level = "error";
}
