/*
 * errno.c — the errno a log line reports.  Daemons print it as a
 * number with its text ("(98: Address already in use)" nginx,
 * "(98)Address already in use" Apache/APR, "errno=98 (...)" slapd) or as
 * the text alone (%m and strerror(): sshd, postfix, dovecot, exim).  The
 * texts are the C library's own (strerrordesc_np, English whatever the
 * locale) for errno 1..133; they are matched where a message puts them:
 * at its start, after ": " or after "(", ending at a word boundary, the
 * longest text winning ("No such device or address" over "No such device").
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>

#include "linux.h"

#define ERRNO_MAX 133

static struct {
	const char *text;
	size_t len;
} table[ERRNO_MAX + 1];
static bool table_ready;

static void build_table(void)
{
	for (int e = 1; e <= ERRNO_MAX; e++) {
		const char *d = strerrordesc_np(e);
		table[e].text = d;
		table[e].len = d ? strlen(d) : 0;
	}
	table_ready = true;
}

/* The errno whose text starts at s (bounded by end), or 0. */
static int text_at(const char *s, const char *end)
{
	size_t avail = (size_t)(end - s), best_len = 0;
	int best = 0;
	if (avail == 0 || !isupper((unsigned char)*s))
		return 0;
	for (int e = 1; e <= ERRNO_MAX; e++) {
		size_t n = table[e].len;
		if (n <= best_len || n > avail || table[e].text[0] != *s || memcmp(s, table[e].text, n) != 0)
			continue;
		if (n < avail && isalnum((unsigned char)s[n]))
			continue;
		best = e;
		best_len = n;
	}
	return best;
}

/* Digits at s: their value (capped) and count. */
static size_t number(const char *s, const char *end, int *v)
{
	size_t n = 0;
	long r = 0;
	while (s + n < end && isdigit((unsigned char)s[n]) && n < 6)
		r = r * 10 + (s[n++] - '0');
	if (s + n < end && isdigit((unsigned char)s[n]))
		return 0;
	*v = (int)r;
	return n;
}

/* A number a message may print as its error: an errno, or a Winsock
 * code (WSABASEERR 10000 up: a Windows program's own log). */
static bool error_number(int v)
{
	return (v >= 1 && v <= ERRNO_MAX) || (v >= 10000 && v <= 11999);
}

/* "(98: ", "(98)X" and "errno=98" / "errno 98". */
static int numeric(const char *s, size_t len)
{
	const char *end = s + len;
	for (const char *p = s; p < end; p++) {
		int v = 0;
		size_t n;
		if (*p == '(' && (n = number(p + 1, end, &v)) > 0 && error_number(v)) {
			const char *q = p + 1 + n;
			if (end - q >= 2 && q[0] == ':' && q[1] == ' ')
				return v;
			if (end - q >= 2 && q[0] == ')' && isupper((unsigned char)q[1]))
				return v;
		}
		if (*p == 'e' && end - p > 6 && memcmp(p, "errno", 5) == 0 && (p[5] == '=' || p[5] == ' ') &&
		    (n = number(p + 6, end, &v)) > 0 && v >= 1 && v <= ERRNO_MAX)
			return v;
	}
	return 0;
}

int kbf_log_errno(const char *s, size_t len)
{
	int e = numeric(s, len);
	if (e)
		return e;
	if (!table_ready)
		build_table();
	const char *end = s + len;
	if ((e = text_at(s, end)) != 0)
		return e;
	for (const char *p = s; p + 1 < end; p++) {
		if (p[0] == ':' && p[1] == ' ' && (e = text_at(p + 2, end)) != 0)
			return e;
		if (p[0] == '(' && (e = text_at(p + 1, end)) != 0)
			return e;
	}
	return 0;
}
