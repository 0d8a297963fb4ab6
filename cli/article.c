/*
 * article.c — reading what a KB article names (article.h).  Articles are
 * prose written by people, so each reader below looks for the shapes the
 * archive's articles use ("Event ID: 11508", "event IDs 11506 or 11508",
 * "error 0x2740", "port number 389", "ports 110, 119 or 143",
 * "Mfc42.dll version 6.00.8168.0") and takes nothing it is unsure of: a
 * rule writer would rather fill in a TODO than delete a wrong guess.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "xalloc.h"

struct line {
	const char *s;
	size_t n;
};

/* How far back a version alone on its line reaches for the files it is
 * of ("- mfc42.dll ... - mfc42u.dll ... The version stamp on these files
 * will be 6.00.8168.0"). */
#define VERSION_REACH 8

/* The text's lines, without their line ends. */
static struct line *split_lines(const char *text, size_t len, size_t *count)
{
	struct line *v = NULL;
	size_t n = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len, stop = end;
		if (stop > at && text[stop - 1] == '\r')
			stop--;
		v = kbu_realloc(v, n + 1, sizeof(*v));
		v[n++] = (struct line){text + at, stop - at};
		at = end + 1;
	}
	*count = n;
	return v;
}

/* s[0..n) without blanks at either end, as a new string, its control
 * characters made spaces: the text goes into Lua comments and strings,
 * where a carriage return would end a comment and start code. */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *t = kbu_strndup(s, n);
	for (char *c = t; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return t;
}

static bool blank(struct line l)
{
	for (size_t i = 0; i < l.n; i++)
		if (!isspace((unsigned char)l.s[i]))
			return false;
	return true;
}

/* Whether the line is one character (=, -) repeated, three or more. */
static bool rule_line(struct line l, char c)
{
	size_t i = 0, k = 0;
	while (i < l.n && l.s[i] == ' ')
		i++;
	for (; i < l.n && l.s[i] == c; i++)
		k++;
	while (i < l.n && isspace((unsigned char)l.s[i]))
		i++;
	return k >= 3 && i == l.n;
}

/* "KEY  :value": the value (trimmed), when the line starts with key. */
static char *header_value(struct line l, const char *key)
{
	size_t k = strlen(key);
	if (l.n <= k || strncasecmp(l.s, key, k) != 0)
		return NULL;
	size_t i = k;
	while (i < l.n && l.s[i] == ' ')
		i++;
	if (i == l.n || l.s[i] != ':')
		return NULL;
	return trimmed(l.s + i + 1, l.n - i - 1);
}

/* Appends text to *joined with one space between. */
static void join(char **joined, const char *text, size_t n)
{
	char *piece = trimmed(text, n);
	if (!*piece) {
		free(piece);
		return;
	}
	size_t had = *joined ? strlen(*joined) : 0, add = strlen(piece);
	*joined = kbu_realloc(*joined, had + add + 2, 1);
	if (had)
		(*joined)[had++] = ' ';
	memcpy(*joined + had, piece, add + 1);
	free(piece);
}

static void push_text(char ***v, size_t *n, char *s)
{
	*v = kbu_realloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* ---- the header ----------------------------------------------------------- */

static bool is_header_key(struct line l)
{
	size_t i = 0;
	while (i < l.n && (isupper((unsigned char)l.s[i]) || l.s[i] == '/'))
		i++;
	while (i < l.n && l.s[i] == ' ')
		i++;
	return i > 0 && i < l.n && l.s[i] == ':';
}

static void read_header(struct kbd_article *a, const struct line *v, size_t n)
{
	char *product = NULL, *version = NULL;
	for (size_t i = 0; i < n && i < 20; i++) {
		char *value;
		if ((value = header_value(v[i], "DOCUMENT")) != NULL) {
			a->number = kbu_strndup(value, strcspn(value, " \t"));
			free(value);
		} else if ((value = header_value(v[i], "TITLE")) != NULL) {
			a->title = value;
			/* a long title goes on over indented lines */
			while (i + 1 < n && !is_header_key(v[i + 1]) && !blank(v[i + 1]) && v[i + 1].s[0] == ' ')
				join(&a->title, v[i + 1].s, v[i + 1].n), i++;
		} else if ((value = header_value(v[i], "PRODUCT")) != NULL) {
			free(product), product = value;
		} else if ((value = header_value(v[i], "PROD/VER")) != NULL) {
			free(version), version = value;
		}
	}
	/* the "applies to" list says it better; this is for articles without one */
	if (product && *product) {
		const char *ver = version ? version + strspn(version, ":") : "";
		char *p = kbu_malloc(strlen(product) + strlen(ver) + 2);
		sprintf(p, *ver ? "%s %s" : "%s", product, ver);
		push_text(&a->products, &a->nproducts, p);
	}
	free(product);
	free(version);
}

/* " - Microsoft Exchange Server, version 5.5" items after "applies to:",
 * an item going on over indented lines, up to a ---- line. */
static void read_applies_to(struct kbd_article *a, const struct line *v, size_t n)
{
	size_t i = 0;
	while (i < n && !(v[i].n >= 11 && strncasecmp(v[i].s + v[i].n - 11, "applies to:", 11) == 0))
		i++;
	char **items = NULL;
	size_t nitems = 0;
	for (i++; i < n && !rule_line(v[i], '-') && !rule_line(v[i], '='); i++) {
		size_t lead = 0;
		while (lead < v[i].n && v[i].s[lead] == ' ')
			lead++;
		if (lead < v[i].n && v[i].s[lead] == '-')
			push_text(&items, &nitems, trimmed(v[i].s + lead + 1, v[i].n - lead - 1));
		else if (nitems && !blank(v[i]))
			join(&items[nitems - 1], v[i].s, v[i].n);
		else if (!blank(v[i]))
			break;
	}
	if (!nitems)
		return;
	for (size_t k = 0; k < a->nproducts; k++)
		free(a->products[k]);
	free(a->products);
	a->products = items;
	a->nproducts = nitems;
}

/* ---- sections ------------------------------------------------------------- */

/* Whether the line starts a numbered step: "1. In Control Panel ...". */
static bool numbered(struct line l)
{
	size_t i = 0;
	while (i < l.n && l.s[i] == ' ')
		i++;
	size_t d = i;
	while (i < l.n && isdigit((unsigned char)l.s[i]))
		i++;
	return i > d && i - d <= 2 && i + 1 < l.n && l.s[i] == '.' && l.s[i + 1] == ' ';
}

/* The first paragraph under the heading (a line over a ==== line); one
 * that ends in ':' ("use the following steps:") goes on with the
 * paragraphs it introduces, up to REMEDY_MAX bytes. */
#define REMEDY_MAX 400
static char *section(const struct line *v, size_t n, const char *heading)
{
	size_t i = 0;
	for (; i + 1 < n; i++) {
		char *t = trimmed(v[i].s, v[i].n);
		bool hit = strcasecmp(t, heading) == 0 && rule_line(v[i + 1], '=');
		free(t);
		if (hit)
			break;
	}
	char *out = NULL;
	for (i += 2; i < n && blank(v[i]); i++)
		;
	for (; i < n && !(i + 1 < n && rule_line(v[i + 1], '=')); i++) {
		if (!blank(v[i])) {
			join(&out, v[i].s, v[i].n);
			continue;
		}
		size_t next = i, len = out ? strlen(out) : 0;
		while (next < n && blank(v[next]))
			next++;
		/* read on past the blank line into what ':' introduces, and through
		 * a numbered list of steps */
		if (!len || len > REMEDY_MAX || next == n || (out[len - 1] != ':' && !numbered(v[next])))
			break;
		i = next - 1;
	}
	return out;
}

/* ---- what the prose names ------------------------------------------------- */

static bool word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	return i + k <= n && strncasecmp(s + i, w, k) == 0 && (i == 0 || !isalnum((unsigned char)s[i - 1]));
}

/* A decimal number at s[*i], moving *i past it; -1 when there is none. */
static long number_at(const char *s, size_t n, size_t *i)
{
	long v = 0;
	size_t k = *i;
	while (k < n && isdigit((unsigned char)s[k]) && k - *i < 9)
		v = v * 10 + (s[k++] - '0');
	if (k == *i || (k < n && isalnum((unsigned char)s[k])))
		return -1;
	*i = k;
	return v;
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ':' || s[i] == '#'))
		i++;
	return i;
}

/* "N", "N, M or K", "N and M" from *i: calls add for each. */
static void number_list(const char *s, size_t n, size_t i, void (*add)(struct kbd_article *, long),
			struct kbd_article *a)
{
	for (;;) {
		i = skip_blanks(s, n, i);
		long v = number_at(s, n, &i);
		if (v < 0)
			return;
		add(a, v);
		size_t j = i;
		while (j < n && (s[j] == ',' || s[j] == ' '))
			j++;
		if (word_at(s, n, j, "or ") || word_at(s, n, j, "and "))
			j += s[j] == 'o' || s[j] == 'O' ? 3 : 4;
		if (j == i)
			return;
		i = j;
	}
}

static void add_port(struct kbd_article *a, long p)
{
	if (p < 1 || p > 65535)
		return;
	for (size_t i = 0; i < a->nports; i++)
		if (a->ports[i] == p)
			return;
	a->ports = kbu_realloc(a->ports, a->nports + 1, sizeof(*a->ports));
	a->ports[a->nports++] = (int)p;
}

static void add_code(struct kbd_article *a, long long c)
{
	if (c < 0 || c > 0xffffffffLL)
		return;
	for (size_t i = 0; i < a->ncodes; i++)
		if (a->codes[i] == (uint32_t)c)
			return;
	a->codes = kbu_realloc(a->codes, a->ncodes + 1, sizeof(*a->codes));
	a->codes[a->ncodes++] = (uint32_t)c;
}

static void add_event(struct kbd_article *a, const char *source, long id)
{
	for (size_t i = 0; i < a->nevents; i++) {
		struct kbd_article_event *e = &a->events[i];
		if (e->id != id)
			continue;
		if (!source || (e->source && strcasecmp(e->source, source) == 0))
			return;
		if (!e->source) { /* the ID was named alone first: now its source is known */
			e->source = kbu_strdup(source);
			return;
		}
	}
	a->events = kbu_realloc(a->events, a->nevents + 1, sizeof(*a->events));
	a->events[a->nevents++] = (struct kbd_article_event){source ? kbu_strdup(source) : NULL, id};
}

static void add_event_alone(struct kbd_article *a, long id)
{
	add_event(a, NULL, id);
}

/* "Event Source: X" and "Event ID: N" lines of a quoted event (a block of
 * lines between blank ones), and "event ID N" in prose. */
static void read_events(struct kbd_article *a, const struct line *v, size_t n)
{
	char *source = NULL;
	for (size_t i = 0; i < n; i++) {
		if (blank(v[i]))
			free(source), source = NULL;
		char *t = trimmed(v[i].s, v[i].n), *value;
		struct line l = {t, strlen(t)};
		if ((value = header_value(l, "Event Source")) || (value = header_value(l, "Source"))) {
			free(source), source = value;
			/* an ID given before its source, in the same block */
			if (a->nevents && !a->events[a->nevents - 1].source && i && !blank(v[i - 1]))
				add_event(a, source, a->events[a->nevents - 1].id);
		} else if ((value = header_value(l, "Event ID")) || (value = header_value(l, "EventID")) ||
			   (value = header_value(l, "Event"))) {
			size_t at = 0;
			long id = number_at(value, strlen(value), &at);
			if (id >= 0)
				add_event(a, source, id);
			free(value);
		} else {
			for (size_t k = 0; k < l.n; k++)
				if (word_at(l.s, l.n, k, "event id"))
					number_list(l.s, l.n, k + 8 + (k + 8 < l.n && (l.s[k + 8] == 's' || l.s[k + 8] == 'S')),
						    add_event_alone, a);
				else if (word_at(l.s, l.n, k, "event ") || word_at(l.s, l.n, k, "events "))
					number_list(l.s, l.n, k + 5 + (l.s[k + 5] == 's' || l.s[k + 5] == 'S'), add_event_alone, a);
		}
		free(t);
	}
	free(source);
}

static void add_code_decimal(struct kbd_article *a, long c)
{
	add_code(a, c);
}

/* Codes: 0x2740; "error 10048", "error code 1053", "return code 10048";
 * a number in the Winsock range (10004-11031) anywhere; WSAE... names. */
static void read_codes(struct kbd_article *a, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			size_t k = i + 2;
			long long v = 0;
			while (k < n && isxdigit((unsigned char)s[k]) && k - i < 10)
				v = v * 16 + (isdigit((unsigned char)s[k]) ? s[k] - '0' : (tolower((unsigned char)s[k]) - 'a' + 10)), k++;
			if (k > i + 2 && (k == n || !isalnum((unsigned char)s[k])))
				add_code(a, v);
			i = k;
		} else if (word_at(s, n, i, "error code ") || word_at(s, n, i, "return code ") || word_at(s, n, i, "error ")) {
			size_t k = i + (word_at(s, n, i, "error code ") ? 11 : word_at(s, n, i, "return code ") ? 12 : 6);
			number_list(s, n, k, add_code_decimal, a);
		} else if (isdigit((unsigned char)s[i]) && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			size_t k = i;
			long v = number_at(s, n, &k);
			if (v >= 10004 && v <= 11031 && (i == 0 || s[i - 1] != '.') && (k == n || s[k] != '.'))
				add_code(a, v);
			if (k > i)
				i = k - 1;
		} else if (i + 6 < n && strncmp(s + i, "WSA", 3) == 0 && (i == 0 || !isalnum((unsigned char)s[i - 1]))) {
			size_t k = i + 3;
			while (k < n && isupper((unsigned char)s[k]))
				k++;
			if (k - i >= 6 && (k == n || !isalnum((unsigned char)s[k]))) {
				char *name = kbu_strndup(s + i, k - i);
				bool seen = false;
				for (size_t j = 0; j < a->ncode_names && !seen; j++)
					seen = strcmp(a->code_names[j], name) == 0;
				if (seen)
					free(name);
				else
					push_text(&a->code_names, &a->ncode_names, name);
			}
			i = k;
		}
	}
}

/* "port 110", "port number 389", "ports 110, 119 or 143", "TCP port 25". */
static void read_ports(struct kbd_article *a, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!word_at(s, n, i, "port"))
			continue;
		size_t k = i + 4;
		if (k < n && (s[k] == 's' || s[k] == 'S'))
			k++;
		if (k < n && isalpha((unsigned char)s[k]))
			continue; /* "portion", "portable" */
		k = skip_blanks(s, n, k);
		if (word_at(s, n, k, "number"))
			k = skip_blanks(s, n, k + 6);
		number_list(s, n, k, add_port, a);
	}
}

static bool file_ext(const char *s, size_t n)
{
	static const char *const exts[] = {"dll", "exe", "sys", "ocx", "drv", "cpl", "vxd"};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (n == 3 && strncasecmp(s, exts[i], 3) == 0)
			return true;
	return false;
}

/* A version with three or four dotted parts ("6.00.8168.0"), not "5.5". */
static size_t version_at(const char *s, size_t n, size_t i)
{
	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.'))
		return 0;
	size_t k = i, parts = 0;
	for (;;) {
		size_t d = k;
		while (k < n && isdigit((unsigned char)s[k]) && k - d < 6)
			k++;
		if (k == d)
			return 0;
		parts++;
		if (k + 1 < n && s[k] == '.' && isdigit((unsigned char)s[k + 1]) && parts < 4)
			k++;
		else
			break;
	}
	return parts >= 3 && (k == n || !isalnum((unsigned char)s[k])) ? k - i : 0;
}

static void add_file(struct kbd_article *a, const char *name, size_t len, const char *ver, size_t vlen, size_t line)
{
	for (size_t i = 0; i < a->nfiles; i++)
		if (strlen(a->files[i].name) == len && strncasecmp(a->files[i].name, name, len) == 0) {
			if (!a->files[i].version && ver)
				a->files[i].version = kbu_strndup(ver, vlen);
			return;
		}
	a->files = kbu_realloc(a->files, a->nfiles + 1, sizeof(*a->files));
	a->files[a->nfiles++] = (struct kbd_article_file){kbu_strndup(name, len), ver ? kbu_strndup(ver, vlen) : NULL, line};
}

/* File names (.dll, .exe, ...), with the version on the same line when
 * the line names one file and one version; a version on a line of its own
 * is of the files named just before without one. */
static void read_files(struct kbd_article *a, struct line l, size_t line)
{
	const char *name = NULL, *ver = NULL;
	size_t nlen = 0, vlen = 0, nnames = 0, nvers = 0;
	for (size_t i = 0; i < l.n; i++) {
		size_t v = version_at(l.s, l.n, i);
		if (v) {
			ver = ver ? ver : l.s + i, vlen = vlen ? vlen : v, nvers++;
			i += v;
			continue;
		}
		if (l.s[i] != '.' || i == 0 || i + 4 > l.n || !file_ext(l.s + i + 1, 3) ||
		    (i + 4 < l.n && isalnum((unsigned char)l.s[i + 4])))
			continue;
		size_t b = i;
		while (b > 0 && (isalnum((unsigned char)l.s[b - 1]) || l.s[b - 1] == '_' || l.s[b - 1] == '-'))
			b--;
		if (b == i)
			continue;
		if (nnames++ == 0)
			name = l.s + b, nlen = i + 4 - b;
		add_file(a, l.s + b, i + 4 - b, NULL, 0, line);
	}
	if (nnames == 1 && nvers == 1)
		add_file(a, name, nlen, ver, vlen, line);
	for (size_t k = 0; nnames == 0 && nvers == 1 && k < a->nfiles; k++)
		if (!a->files[k].version && a->files[k].line + VERSION_REACH >= line)
			a->files[k].version = kbu_strndup(ver, vlen);
}

void kbd_article_parse(struct kbd_article *a, const char *text, size_t len)
{
	memset(a, 0, sizeof(*a));
	size_t n;
	struct line *v = split_lines(text, len, &n);
	read_header(a, v, n);
	read_applies_to(a, v, n);
	a->symptoms = section(v, n, "SYMPTOMS");
	a->cause = section(v, n, "CAUSE");
	a->resolution = section(v, n, "RESOLUTION");
	if (!a->resolution)
		a->resolution = section(v, n, "WORKAROUND");
	read_events(a, v, n);
	/* the body only: the header's TITLE and keywords repeat what it says */
	for (size_t i = 0; i < n; i++) {
		if (i < 20 && is_header_key(v[i]))
			continue;
		read_codes(a, v[i].s, v[i].n);
		read_ports(a, v[i].s, v[i].n);
		read_files(a, v[i], i);
	}
	free(v);
}

void kbd_article_free(struct kbd_article *a)
{
	free(a->number);
	free(a->title);
	for (size_t i = 0; i < a->nproducts; i++)
		free(a->products[i]);
	free(a->products);
	for (size_t i = 0; i < a->nevents; i++)
		free(a->events[i].source);
	free(a->events);
	free(a->codes);
	for (size_t i = 0; i < a->ncode_names; i++)
		free(a->code_names[i]);
	free(a->code_names);
	free(a->ports);
	for (size_t i = 0; i < a->nfiles; i++) {
		free(a->files[i].name);
		free(a->files[i].version);
	}
	free(a->files);
	free(a->symptoms);
	free(a->cause);
	free(a->resolution);
	memset(a, 0, sizeof(*a));
}
