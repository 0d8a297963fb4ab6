/*
 * event_util.c — what every Windows event-log importer does the same
 * way: strings, level words, local and UTC times, the error code an event
 * reports, and asserting the `event` fact.
 *
 * The code rule (slot `code`), applied to the message first:
 *   1. the first code that follows the word "error" (any case, a whole word;
 *      "ErrorCode" and "error code"/"error number"/"error was"/"Error: " and
 *      similar filler are skipped): "failed in function HrRegisterProtocol
 *      with error 0x2740.", "failed with error 10049", "error code 10048",
 *      "Socket Error: 10061".  When a message names several codes this takes
 *      the first one after the word error, e.g. "error 0x2740 (10048)" -> 0x2740;
 *   2. else the first code alone in parentheses: "(0x80004005)", "(10050)";
 *   3. else the first code after "rc" or "return code" as a word: "bind
 *      failed, rc = 10048", "return code: 0x2740";
 *   4. else a Winsock error (10004..11031, WSAEINTR..WSA_QOS_RESERVED_PETYPE
 *      in winerror.h) alone on a line (Q222553 prints event 4007's 10048
 *      so), or ending the message after a full stop (a CSV export joins
 *      the lines of "... listener socket.\n10048" as "... socket. 10048"),
 *      or in hex after a colon ("bind failed: 0x2740").
 * A number followed by a unit ("error 10048 bytes", "rc 5 ms") is a
 * quantity, not a code, and is passed over.  Failing all of these, the
 * message may name a system message by its symbolic name or quote its
 * text (kbf_winevt_known_code: "WSAEADDRINUSE", "Only one usage of each
 * socket address ..."), or the insertion strings refer to one ("%%10048"),
 * or the event data holds it (kbf_winevt_data_value_code,
 * kbf_winevt_dword_code).  Codes are normalised by kbf_parse_error_code.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/labels.h"
#include "win_event.h"
#include "utf8.h"
#include "xalloc.h"

void kbf_winevt_set_text(struct kbf_wtext_buf *out, const char *s, size_t len)
{
	out->len = 0;
	kbf_text_form(out, KBF_TEXT_EVENT, s, len);
}

void kbf_winevt_cite_text(struct kbf_winevt *ev, const char *s, size_t len)
{
	ev->record_text = (struct kbf_wtext_span){s, len};
}

/* ---- levels ------------------------------------------------------------------- */

/* Looked up for every event of an export: lengths first. */
#define LEVEL(word, name) {word, sizeof(word) - 1, name}
static const struct {
	const char *word;
	size_t len;
	const char *name;
} levels[] = {
	LEVEL("error", "error"), LEVEL("warning", "warning"), LEVEL("information", "information"),
	LEVEL("informational", "information"), LEVEL("info", "information"),
	LEVEL("success audit", "audit success"), LEVEL("audit success", "audit success"),
	LEVEL("failure audit", "audit failure"), LEVEL("audit failure", "audit failure"),
	LEVEL("critical", "critical"), LEVEL("verbose", "verbose"),
};
#undef LEVEL

/* s, as long as word, spells it in any case (word: lower-case letters and
 * spaces).  Inline: every event of an export asks twice. */
static inline bool is_level_word(const char *s, const char *word)
{
	for (size_t i = 0; word[i]; i++) {
		unsigned char c = (unsigned char)s[i], w = (unsigned char)word[i];
		if (c != w && !(w >= 'a' && w <= 'z' && c == w - ('a' - 'A')))
			return false;
	}
	return true;
}

const char *kbf_winevt_level(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].len == len && is_level_word(s, levels[i].word))
			return levels[i].name;
	return NULL;
}

const char *kbf_winevt_any_level(const char *s, size_t len)
{
	const char *name = kbf_winevt_level(s, len), *english;
	if (name)
		return name;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	english = kbf_label_find(&kbf_labels_event_levels, s, len);
	return english ? kbf_winevt_level(english, strlen(english)) : NULL;
}

const char *kbf_winevt_level_number(int64_t n)
{
	/* winmeta.xml: win:Critical 1, win:Error 2, win:Warning 3,
	 * win:Informational 4, win:Verbose 5; classic events log 0. */
	static const char *const names[] = {"information", "critical", "error", "warning",
					    "information", "verbose"};
	return n >= 0 && n <= 5 ? names[n] : NULL;
}

/* ---- error codes -------------------------------------------------------------- */

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* A code token at s[i]: optional '-', a digit, then hex digits and x. */
static bool code_at(const char *s, size_t len, size_t i, size_t *end, int64_t *code)
{
	size_t j = i;
	if (j < len && s[j] == '-')
		j++;
	if (j >= len || !isdigit((unsigned char)s[j]))
		return false;
	while (j < len && (isxdigit((unsigned char)s[j]) || s[j] == 'x' || s[j] == 'X'))
		j++;
	if (j < len && word_char(s[j]))
		return false;
	if (end)
		*end = j;
	return kbf_parse_error_code(s + i, j - i, code);
}

static bool filler_word(const char *s, size_t len)
{
	static const char *const words[] = {"code", "number", "no", "num", "status", "value",
					    "was", "is", "of", "returned"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (kbf_wtext_ieq((struct kbf_wtext_span){s, len}, words[i]))
			return true;
	return false;
}

/* Whether the word after a code ending at s[end] is a unit: then the
 * number counts something ("error 10048 bytes into the file"). */
static bool unit_follows(const char *s, size_t len, size_t end)
{
	static const char *const units[] = {"byte", "bytes", "kb", "mb", "gb", "ms", "msec", "milliseconds",
					    "sec", "seconds", "minutes", "times", "records", "entries",
					    "items", "packets", "messages", "files", "rows", "lines"};
	size_t i = end, w;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (w = i; w < len && isalpha((unsigned char)s[w]);)
		w++;
	for (size_t k = 0; w > i && k < sizeof(units) / sizeof(units[0]); k++)
		if (kbf_wtext_ieq((struct kbf_wtext_span){s + i, w - i}, units[k]))
			return true;
	return false;
}

/* A code token at s[i] that is not a quantity (unit_follows). */
static bool code_not_quantity(const char *s, size_t len, size_t i, int64_t *code)
{
	size_t end;
	return code_at(s, len, i, &end, code) && !unit_follows(s, len, end);
}

/* Skips ": = ( #" and up to three filler words after "error". */
static size_t skip_filler(const char *s, size_t len, size_t i)
{
	for (int words = 0;; words++) {
		while (i < len && strchr(" \t\r\n:=(#", s[i]))
			i++;
		size_t w = i;
		while (w < len && isalpha((unsigned char)s[w]))
			w++;
		if (words == 3 || w == i || !filler_word(s + i, w - i))
			return i;
		i = w;
	}
}

/* Whether "error" in any case starts at i. */
static bool error_at(const char *s, size_t len, size_t i)
{
	return i + 5 <= len && kbf_wtext_iprefix(s + i, len - i, "error") && !(i > 0 && word_char(s[i - 1]));
}

/* The "rr" pairs (any case) in the eight bytes at s + at, where an
 * "error" may start a byte before, a high bit at the first of each: all
 * eight at once, as this runs over every byte of every message of an
 * export, with the zero-byte test of Mycroft's strlen on the bytes xor 'r'
 * (case folded by the 0x20 bit).  The test may flag a byte above a true
 * one: a candidate, which the caller checks. */
static uint64_t rr_pairs(const char *s, size_t at)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t w;
	memcpy(&w, s + at, 8);
	w = (w | 0x2020202020202020u) ^ 0x7272727272727272u; /* 'r' */
	uint64_t r = (w - ones) & ~w & highs;
	return r & r >> 8; /* byte k and k + 1 */
}

static bool after_error_word(const char *s, size_t len, int64_t *code)
{
	for (size_t at = 0; at < len; at += 7) { /* words overlap by a byte: a pair across them */
		uint64_t pairs;
		if (at + 8 <= len) {
			pairs = rr_pairs(s, at);
		} else {
			pairs = 0;
			for (size_t k = at; k + 1 < len; k++)
				if ((s[k] | 0x20) == 'r' && (s[k + 1] | 0x20) == 'r')
					pairs |= (uint64_t)0x80 << 8 * (k - at);
		}
		for (; pairs; pairs &= pairs - 1) {
			size_t i = at + (size_t)__builtin_ctzll(pairs) / 8;
			if (i == 0 || !error_at(s, len, i - 1))
				continue;
			i--; /* the 'e' */
			size_t j = i + 5, w = j;
			while (w < len && isalpha((unsigned char)s[w]))
				w++;
			struct kbf_wtext_span word = {s + j, w - j};
			if (w > j && !kbf_wtext_ieq(word, "code") && !kbf_wtext_ieq(word, "number"))
				continue; /* "errors", "erroneous" */
			j = skip_filler(s, len, w);
			if (code_not_quantity(s, len, j, code))
				return true;
		}
	}
	return false;
}

/* "rc = 10048", "rc: 0x2740", "return code 10048" (any case, whole words). */
static bool after_rc_word(const char *s, size_t len, int64_t *code)
{
	for (size_t i = 0; i + 2 < len; i++) {
		if ((s[i] | 0x20) != 'r' || (i > 0 && word_char(s[i - 1])))
			continue;
		size_t j;
		if ((s[i + 1] | 0x20) == 'c' && !word_char(s[i + 2]))
			j = i + 2;
		else if (kbf_wtext_iprefix(s + i, len - i, "return code") && !(i + 11 < len && word_char(s[i + 11])))
			j = i + 11;
		else
			continue;
		while (j < len && strchr(" \t:=(#", s[j]))
			j++;
		if (code_not_quantity(s, len, j, code))
			return true;
	}
	return false;
}

static bool in_parentheses(const char *s, size_t len, int64_t *code)
{
	for (const char *p = s; (p = memchr(p, '(', len - (size_t)(p - s))); p++) {
		size_t j = (size_t)(p - s) + 1, end;
		while (j < len && s[j] == ' ')
			j++;
		if (!code_at(s, len, j, &end, code))
			continue;
		while (end < len && s[end] == ' ')
			end++;
		if (end < len && s[end] == ')')
			return true;
	}
	return false;
}

static bool winsock_range(int64_t c) { return c >= 10004 && c <= 11031; }

static bool winsock_line(const char *s, size_t len, int64_t *code)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len, a = i, b = e;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		int64_t c;
		size_t end;
		if (b > a && code_at(s, b, a, &end, &c) && (end == b || (end + 1 == b && s[end] == '.')) &&
		    winsock_range(c)) {
			*code = c;
			return true;
		}
		i = e + 1;
	}
	return false;
}

/* A Winsock error ending the message after ". " (a CSV export's join of
 * a code on its own line), or in hex after ": " ("bind failed: 0x2740";
 * a decimal after a colon is as often a count: "Records: 10050"). */
static bool winsock_last(const char *s, size_t len, int64_t *code)
{
	size_t b = len, a;
	while (b && (isspace((unsigned char)s[b - 1]) || s[b - 1] == '.'))
		b--;
	for (a = b; a && (isxdigit((unsigned char)s[a - 1]) || s[a - 1] == 'x' || s[a - 1] == 'X');)
		a--;
	if (a == b || a < 2 || !isspace((unsigned char)s[a - 1]))
		return false;
	size_t k = a - 1;
	while (k && isspace((unsigned char)s[k - 1]))
		k--;
	int64_t c;
	bool hex = b - a > 2 && s[a] == '0' && (s[a + 1] | 0x20) == 'x';
	if (!k || !(s[k - 1] == '.' || (s[k - 1] == ':' && hex)) || !code_at(s, b, a, NULL, &c) || !winsock_range(c))
		return false;
	*code = c;
	return true;
}

bool kbf_winevt_message_code(const char *s, size_t len, int64_t *code)
{
	return after_error_word(s, len, code) || in_parentheses(s, len, code) || after_rc_word(s, len, code) ||
	       winsock_line(s, len, code) || winsock_last(s, len, code);
}

bool kbf_winevt_dword_code(uint32_t dword, int64_t *code)
{
	/* Text (ASCII or UTF-16) and counts read as small or mid-range values
	 * without the high bit; Win32/Winsock errors fit 16 bits, and HRESULTs
	 * and NTSTATUS failures have the high bit set. */
	if (dword == 0 || (dword > 0xFFFF && !(dword & 0x80000000u)))
		return false;
	*code = dword;
	return true;
}

static size_t digits(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && isdigit((unsigned char)s[n]))
		n++;
	return n;
}

bool kbf_winevt_data_value_code(const char *name, size_t nlen, const char *v, size_t vlen,
				int64_t *code)
{
	int64_t c;
	if (!kbf_parse_error_code(v, vlen, &c) || c == 0)
		return false;
	if (kbf_wtext_ifind(name, nlen, "error", NULL) || kbf_wtext_ifind(name, nlen, "code", NULL) ||
	    kbf_wtext_ifind(name, nlen, "status", NULL) || kbf_wtext_ifind(name, nlen, "result", NULL)) {
		*code = c;
		return true;
	}
	/* Classic events name their strings param1, param2, ... or not at all;
	 * only values shaped like an HRESULT or a Winsock error count there. */
	bool unnamed = nlen == 0 || (nlen > 5 && kbf_wtext_ieq((struct kbf_wtext_span){name, 5}, "param") &&
				     digits(name + 5, nlen - 5) == nlen - 5);
	if (unnamed && (c >= 0x80000000 || winsock_range(c))) {
		*code = c;
		return true;
	}
	return false;
}

/* ---- times -------------------------------------------------------------------- */

struct ymd {
	unsigned a, b, c;       /* as written, in order */
	size_t alen, blen, clen; /* digit counts */
	char sep;
};

/* Skips spaces and the LEFT-TO-RIGHT/RIGHT-TO-LEFT marks (U+200E, U+200F)
 * that Event Viewer puts into dates of some locales. */
static size_t skip_marks(const char *s, size_t len, size_t i)
{
	for (;;) {
		if (i < len && s[i] == ' ')
			i++;
		else if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0x8E || (unsigned char)s[i + 2] == 0x8F))
			i += 3;
		else
			return i;
	}
}

static size_t number(const char *s, size_t len, size_t i, unsigned *v, size_t *ndig)
{
	size_t j = skip_marks(s, len, i);
	unsigned n = 0;
	size_t start = j;
	while (j < len && isdigit((unsigned char)s[j]) && j - start < 4)
		n = n * 10 + (unsigned)(s[j++] - '0');
	*v = n;
	*ndig = j - start;
	return j;
}

static bool parse_date(const char *s, size_t len, struct ymd *d)
{
	size_t i = number(s, len, 0, &d->a, &d->alen);
	if (!d->alen || i >= len || !strchr("/.-", s[i]))
		return false;
	d->sep = s[i];
	i = number(s, len, i + 1, &d->b, &d->blen);
	if (!d->blen || i >= len || s[i] != d->sep)
		return false;
	i = number(s, len, i + 1, &d->c, &d->clen);
	if (i < len && s[i] == '.')
		i++;
	i = skip_marks(s, len, i);
	return d->clen && i == len;
}

struct hms {
	unsigned h, m, s;
	int ampm; /* 0 none, 1 AM, 2 PM */
};

static bool parse_time(const char *s, size_t len, struct hms *t)
{
	size_t n, i = number(s, len, 0, &t->h, &n);
	if (!n || n > 2 || i >= len || s[i] != ':')
		return false;
	i = number(s, len, i + 1, &t->m, &n);
	if (n != 2)
		return false;
	t->s = 0;
	if (i < len && s[i] == ':') {
		i = number(s, len, i + 1, &t->s, &n);
		if (n != 2)
			return false;
	}
	i = skip_marks(s, len, i);
	const char *marker = i < len ? kbf_label_find(&kbf_labels_time_ampm, s + i, len - i) : NULL;
	t->ampm = !marker ? 0 : marker[0] == 'A' ? 1 : 2;
	if (!marker && i != len)
		return false;
	if (t->ampm && (t->h < 1 || t->h > 12))
		return false;
	if (t->ampm)
		t->h = t->h % 12 + (t->ampm == 2 ? 12 : 0);
	return t->h < 24 && t->m < 60 && t->s < 60;
}

void kbf_winevt_date_hint(struct kbf_winevt_dates *d, const char *date, size_t dlen,
			  const char *time, size_t tlen)
{
	struct ymd y;
	struct hms t;
	if (parse_date(date, dlen, &y) && y.sep != '.' && y.alen <= 2 && !kbf_winevt_dates_decided(d)) {
		d->dmy += y.a > 12 && y.b <= 12;
		d->mdy += y.b > 12 && y.a <= 12;
	}
	if (parse_time(time, tlen, &t) && t.ampm)
		d->ampm++;
}

/* Year, month, day from a date in the file's order; false if unsure. */
static bool resolve_date(const struct kbf_winevt_dates *d, const struct ymd *y, unsigned out[3])
{
	unsigned year, mon, day;
	if (y->alen == 4) {
		year = y->a, mon = y->b, day = y->c;
	} else {
		bool dmy = y->sep == '.' || y->a == y->b || d->dmy;
		bool mdy = !dmy && y->sep != '.' && (d->mdy || (!d->dmy && d->ampm));
		if (!dmy && !mdy)
			return false;
		day = dmy ? y->a : y->b;
		mon = dmy ? y->b : y->a;
		year = y->clen == 2 ? (y->c < 70 ? 2000 + y->c : 1900 + y->c) : y->c;
		if (y->clen != 2 && y->clen != 4)
			return false;
	}
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || year < 1601)
		return false;
	out[0] = year, out[1] = mon, out[2] = day;
	return true;
}

/* n in decimal at p, at least `width` digits (as printf's %0*u). */
static char *put_number(char *p, unsigned n, int width)
{
	int w = 1;
	for (unsigned m = n; m >= 10; m /= 10)
		w++;
	if (w < width)
		w = width;
	for (int i = w - 1; i >= 0; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
	return p + w;
}

/* "2001-06-13", and "T10:15:22" when t is given: written out by hand, as
 * it is done for every event of an export. */
static size_t iso_time(char *buf, const unsigned v[3], const struct hms *t)
{
	char *p = put_number(buf, v[0], 4);
	*p++ = '-';
	p = put_number(p, v[1], 2);
	*p++ = '-';
	p = put_number(p, v[2], 2);
	if (t) {
		*p++ = 'T';
		p = put_number(p, (unsigned)t->h, 2);
		*p++ = ':';
		p = put_number(p, (unsigned)t->m, 2);
		*p++ = ':';
		p = put_number(p, (unsigned)t->s, 2);
	}
	return (size_t)(p - buf);
}

void kbf_winevt_local_time(const struct kbf_winevt_dates *d, const char *date, size_t dlen,
			   const char *time, size_t tlen, struct kbf_wtext_buf *out)
{
	struct ymd y;
	struct hms t;
	unsigned v[3];
	char buf[72]; /* six numbers of up to ten digits and five separators */
	out->len = 0;
	kbf_wtext_buf_add(out, "", 0);
	if (parse_date(date, dlen, &y) && resolve_date(d, &y, v)) {
		if (!tlen) {
			kbf_wtext_buf_set(out, buf, iso_time(buf, v, NULL));
			return;
		}
		if (parse_time(time, tlen, &t)) {
			kbf_wtext_buf_set(out, buf, iso_time(buf, v, &t));
			return;
		}
	}
	kbf_wtext_buf_add(out, date, dlen);
	if (dlen && tlen)
		kbf_wtext_buf_addc(out, ' ');
	kbf_wtext_buf_add(out, time, tlen);
}

void kbf_winevt_set_local_time(struct kbf_winevt *ev, const struct kbf_winevt_dates *d, const char *date,
			       size_t dlen, const char *time, size_t tlen)
{
	ev->local_dates = d;
	kbf_wtext_buf_set(&ev->local_date, date, dlen);
	kbf_wtext_buf_set(&ev->local_time, time, tlen);
}

static void resolve_local_time(struct kbf_winevt *ev)
{
	if (ev->local_dates)
		kbf_winevt_local_time(ev->local_dates, ev->local_date.s, ev->local_date.len, ev->local_time.s,
				      ev->local_time.len, &ev->time);
	ev->local_dates = NULL;
}

void kbf_winevt_utc_time(const char *s, size_t len, struct kbf_wtext_buf *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t n = sizeof(shape) - 1, i;
	bool ok = len > n && s[len - 1] == 'Z';
	for (i = 0; ok && i < n; i++)
		ok = shape[i] == 'd' ? isdigit((unsigned char)s[i]) != 0 : s[i] == shape[i];
	if (ok && s[n] == '.')
		for (i = n + 1; ok && i < len - 1; i++)
			ok = isdigit((unsigned char)s[i]) != 0;
	else
		ok = ok && n == len - 1;
	kbf_wtext_buf_set(out, s, ok ? n : len);
	if (ok)
		kbf_wtext_buf_addc(out, 'Z');
}

void kbf_winevt_posix_time(uint32_t t, struct kbf_wtext_buf *out)
{
	/* Days to civil date: Howard Hinnant's algorithm (public domain), not
	 * gmtime_r, which Windows lacks under that name. */
	int64_t z = (int64_t)(t / 86400) + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097), secs = t % 86400;
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d, secs / 3600,
			 secs / 60 % 60, secs % 60);
	kbf_wtext_buf_set(out, buf, t && n > 0 ? (size_t)n : 0); /* 0 is evtexport's "Not set" */
}

const char *kbf_winevt_type_level(uint16_t type, const char **word)
{
	static const struct { uint16_t type; const char *level, *word; } types[] = {
		{0, "information", "Information"}, /* EVENTLOG_SUCCESS: a few old sources log it */
		{4, "information", "Information"}, /* EVENTLOG_INFORMATION_TYPE */
		{1, "error", "Error"},             /* EVENTLOG_ERROR_TYPE */
		{2, "warning", "Warning"},         /* EVENTLOG_WARNING_TYPE */
		{8, "audit success", "Success Audit"},
		{16, "audit failure", "Failure Audit"},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type) {
			if (word)
				*word = types[i].word;
			return types[i].level;
		}
	if (word)
		*word = "Unknown";
	return NULL;
}

bool kbf_winevt_strings_code(const struct kbf_winevt *ev, int64_t *code)
{
	for (size_t i = 0; i < ev->strings.n; i++) {
		size_t len;
		const char *s = kbf_winevt_string(ev, i, &len);
		if (kbf_winevt_data_value_code("", 0, s, len, code)) /* blanks around it are no matter */
			return true;
	}
	return false;
}

/* ---- the event fact ------------------------------------------------------------ */

void kbf_winevt_reset(struct kbf_winevt *ev)
{
	struct kbf_wtext_buf *all[] = {&ev->log, &ev->source, &ev->id, &ev->level, &ev->time,
				  &ev->message, &ev->computer, &ev->user, &ev->category, &ev->text};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		all[i]->len = 0;
		if (all[i]->s)
			all[i]->s[0] = '\0';
	}
	ev->strings.n = 0;
	kbf_wtext_buf_reset(&ev->strings.buf);
	ev->record = -1;
	ev->text_from_event = false;
	ev->record_text = (struct kbf_wtext_span){0};
	ev->has_data_code = false;
	ev->data_code = 0;
	ev->line = ev->id_line = 0;
	ev->local_dates = NULL;
}

void kbf_winevt_set_level(struct kbf_winevt *ev, const char *s, size_t len)
{
	const char *english = kbf_winevt_level(s, len) ? NULL : kbf_label_find(&kbf_labels_event_levels, s, len);
	if (english)
		kbf_wtext_buf_set(&ev->level, english, strlen(english));
	else
		kbf_wtext_buf_set(&ev->level, s, len);
}

void kbf_winevt_free(struct kbf_winevt *ev)
{
	struct kbf_wtext_buf *all[] = {&ev->log, &ev->source, &ev->id, &ev->level, &ev->time,
				  &ev->message, &ev->computer, &ev->user, &ev->category, &ev->text,
				  &ev->local_date, &ev->local_time};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		kbf_wtext_buf_free(all[i]);
	kbf_wtext_buf_free(&ev->strings.buf);
	free(ev->strings.end);
	ev->strings.end = NULL;
	ev->strings.n = ev->strings.cap = 0;
	kbf_winevt_msgs_free(ev->msgs);
	ev->msgs = NULL;
}

void kbf_winevt_add_string(struct kbf_winevt *ev, const char *s, size_t len)
{
	struct kbf_winevt_strings *st = &ev->strings;
	if (st->n == st->cap)
		st->end = kbu_realloc(st->end, st->cap = st->cap ? 2 * st->cap : 16, sizeof(*st->end));
	kbf_wtext_buf_add(&st->buf, s, len);
	st->end[st->n++] = st->buf.len;
	kbf_wtext_buf_addc(&st->buf, '\0');
}

const char *kbf_winevt_string(const struct kbf_winevt *ev, size_t i, size_t *len)
{
	const struct kbf_winevt_strings *st = &ev->strings;
	size_t start = i ? st->end[i - 1] + 1 : 0;
	*len = st->end[i] - start;
	return st->buf.s + start;
}

static bool parse_id(const char *s, size_t len, int64_t *id)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len || len > 10 || digits(s, len) < len)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	*id = v;
	return v <= (int64_t)UINT32_MAX;
}

/* The slot, unless its text is one of none (N/A, None, in any language). */
static void set_opt(struct kbf_fact *f, const char *slot, const struct kbf_wtext_buf *b,
		    const struct kbf_labels *none)
{
	if (b->len && !(none && kbf_label_find(none, b->s, b->len)))
		kbf_set_str(f, slot, b->s, b->len);
}

static void set_level(struct kbf_fact *f, const struct kbf_wtext_buf *b)
{
	const char *name = b->len ? kbf_winevt_level(b->s, b->len) : NULL;
	if (name) {
		kbf_set_cstr(f, "level", name);
	} else if (b->len) {
		char *low = kbu_strdup(b->s);
		for (char *p = low; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		kbf_set_str_copy(f, "level", low, strlen(low));
		free(low);
	}
}

/* "Service Control Manager 7000, error, 1999-04-28T09:02:11Z, EXCH01: The
 * SMTP service failed ... (message from the event's published template)":
 * what a person needs of a binary record, and which way its message was
 * made (DESIGN.md: the finding says whether a template rendered it). */
static void event_text(struct kbf_winevt *ev, const char *from)
{
	struct kbf_wtext_buf *t = &ev->text;
	kbf_wtext_buf_reset(t);
	kbf_wtext_buf_add(t, ev->source.s ? ev->source.s : "", ev->source.len);
	kbf_wtext_buf_join(t, " ", ev->id.s, ev->id.len);
	const struct kbf_wtext_buf *more[] = {&ev->level, &ev->time, &ev->computer};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (more[i]->len)
			kbf_wtext_buf_join(t, ", ", more[i]->s, more[i]->len);
	kbf_wtext_buf_add(t, ": ", 2);
	kbf_wtext_buf_add(t, ev->message.s ? ev->message.s : "", ev->message.len);
	const char *note = !from			       ? NULL
			   : strcmp(from, "template") == 0	       ? " (message from the event's published template)"
			   : strcmp(from, "insertion strings") == 0 ? " (no template known: the insertion strings)"
								       : NULL;
	if (note)
		kbf_wtext_buf_add(t, note, strlen(note));
	if (t->len > KBF_WINEVT_TEXT_MAX) {
		struct kbf_wtext_buf cut = {0};
		kbf_winevt_set_text(&cut, t->s, t->len);
		kbf_wtext_buf_set(t, cut.s, cut.len);
		kbf_wtext_buf_free(&cut);
	}
}

static void set_time(struct kbf_fact *f, struct kbf_winevt *ev)
{
	resolve_local_time(ev);
	set_opt(f, "time", &ev->time, NULL);
}

/* Whether ev is logged as information: a system message's text in one
 * is no failure's code, and information fills most exports, so its
 * message is not searched for every text the knowledge has. */
static bool informational(const struct kbf_winevt *ev)
{
	const char *name = ev->level.len ? kbf_winevt_level(ev->level.s, ev->level.len) : NULL;
	return name && strcmp(name, "information") == 0;
}

static void set_code(struct kbf_input *in, struct kbf_fact *f, struct kbf_winevt *ev, bool has_ref, int64_t ref)
{
	int64_t code;
	if (ev->message.len && kbf_winevt_message_code(ev->message.s, ev->message.len, &code))
		kbf_set_int(f, "code", code);
	else if (has_ref)
		kbf_set_int(f, "code", ref);
	else if (ev->message.len && !informational(ev) && kbf_winevt_known_code(in, ev, &code))
		kbf_set_int(f, "code", code);
	else if (ev->has_data_code)
		kbf_set_int(f, "code", ev->data_code);
}

int kbf_winevt_emit(struct kbf_input *in, struct kbf_winevt *ev)
{
	int line = ev->id_line ? ev->id_line : ev->line;
	int64_t id, ref = 0;
	bool has_ref = false;
	const char *from = ev->message.len ? "export" : NULL;
	if (!ev->id.len)
		return kbf_input_error(in, line, "event without an Event ID");
	if (!parse_id(ev->id.s, ev->id.len, &id))
		return kbf_input_error(in, line, "Event ID '%.40s' is not a number", ev->id.s);
	if (!from && ev->strings.n)
		from = kbf_winevt_make_message(in, ev, id, &has_ref, &ref);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "event");
	kbf_set_int(&f, "id", id);
	set_opt(&f, "log", &ev->log, NULL);
	set_opt(&f, "source", &ev->source, NULL);
	set_level(&f, &ev->level);
	set_opt(&f, "message", &ev->message, NULL);
	if (from && ev->message.len)
		kbf_set_cstr(&f, "message_from", from);
	set_opt(&f, "computer", &ev->computer, NULL);
	set_opt(&f, "user", &ev->user, &kbf_labels_not_available);
	set_opt(&f, "category", &ev->category, &kbf_labels_event_none);
	if (ev->record >= 0)
		kbf_set_int(&f, "record", ev->record);
	/* the time and the code cost most to make: made before the pre-filter
	 * is asked only when it looks at them */
	bool time_first = kbf_fact_probe_reads(&f, "time"), code_first = kbf_fact_probe_reads(&f, "code");
	if (time_first)
		set_time(&f, ev);
	if (code_first)
		set_code(in, &f, ev, has_ref, ref);
	if (!kbf_fact_wanted(&f))
		return 0;
	if (!time_first)
		set_time(&f, ev);
	if (!code_first)
		set_code(in, &f, ev, has_ref, ref);
	if (ev->text_from_event) /* only for a kept event: it reads the time set_time made */
		event_text(ev, from);
	if (ev->record_text.len)
		return kbf_fact_keep_record(&f, ev->line, ev->record_text.s, ev->record_text.len, KBF_TEXT_EVENT) ? 0 : -1;
	return kbf_fact_keep_at(&f, in->path, ev->line, ev->text.len ? ev->text.s : NULL, ev->text.len) ? 0 : -1;
}
