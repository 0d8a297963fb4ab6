/*
 * file_versions_text.c — the two line-oriented listings: output of the
 * Support Tools' filever and the "path, version" lists people write by hand.
 *
 * filever (Windows 2000/XP/2003 Support Tools; KB 913111 "How to use the
 * Filever.exe tool"): one line per file,
 *   --a-- W32i   DLL ENU     6.0.8168.0 shp    995,383 06-17-1999 mfc42.dll
 * attributes, OS, type, language, the binary file version, build kind, size
 * and date, then the file's name only.  With /v, indented lines follow:
 * the version strings ("FileVersion        11,3,372,94", "ProductVersion
 * ...") and a VS_FIXEDFILEINFO dump ("FileVer:  000b0003:0174005e
 * (11.3:372.94)").  Samples: CAPICOM's CVersion.vbs comments, an MSMQ setup
 * check ("-ra-- W32i   DLL ENU       5.0.0.642 shp     49,424 10-21-1999
 * mqclus.dll") and a filever -v of Flash.ocx quoted in a public blog.
 * Fields shown as "-" are unknown.  As filever prints no folder, a
 * "...>filever [options] target" prompt line pasted above the output
 * supplies it when the target names the file, a folder or a wildcard.
 *
 * Free-form lists: "C:\WINNT\system32\mfc42.dll,6.00.8168.0", the same
 * with a tab or blanks between, an optional header line.  The path is the
 * longest sensible prefix that ends in a file extension, so paths with
 * blanks ("C:\Program Files\...") survive; with blanks, the rest of the
 * line is the version as printed ("5.2.3790.1830 (srv03_sp1_rtm...)").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file_versions.h"
#include "xalloc.h"
#include "hexdigit.h"

/* ---- filever lines ------------------------------------------------------------- */

struct filever {
	struct kbf_line version, size, name;
};

static size_t token(const struct kbf_line *l, size_t i, struct kbf_line *tok)
{
	while (i < l->len && isspace((unsigned char)l->s[i]))
		i++;
	size_t start = i;
	while (i < l->len && !isspace((unsigned char)l->s[i]))
		i++;
	*tok = (struct kbf_line){.s = l->s + start, .len = i - start};
	return i;
}

/* Each character of tok is in set (or tok is "-"), and its length fits. */
static bool shaped(struct kbf_line tok, const char *set, size_t min, size_t max)
{
	if (tok.len == 1 && tok.s[0] == '-')
		return true;
	if (tok.len < min || tok.len > max)
		return false;
	for (size_t i = 0; i < tok.len; i++)
		if (!tok.s[i] || !strchr(set, tok.s[i]))
			return false;
	return true;
}

#define DIGITS "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"

static bool date_token(struct kbf_line t)
{
	return t.len == 10 && isdigit((unsigned char)t.s[0]) && t.s[2] == '-' && t.s[5] == '-' &&
	       isdigit((unsigned char)t.s[9]);
}

/* Parses a filever line; false if l is not one. */
static bool filever_parse(const struct kbf_line *l, struct filever *fv)
{
	struct kbf_line tok[7];
	size_t i = token(l, 0, &tok[0]), n = 0;
	if (tok[0].len == 5 && shaped(tok[0], "-adhrs", 5, 5))
		i = token(l, i, &tok[0]); /* attributes; absent with /a */
	for (n = 1; n < 7; n++)
		i = token(l, i, &tok[n]);
	if (!shaped(tok[0], DIGITS UPPER LOWER, 1, 5) || !shaped(tok[1], UPPER, 2, 4) ||
	    !shaped(tok[2], UPPER LOWER DIGITS, 2, 5) || !shaped(tok[3], DIGITS ".", 3, 23) ||
	    !shaped(tok[4], LOWER, 2, 4) || !shaped(tok[5], DIGITS ",.", 1, 20) || !isdigit((unsigned char)tok[5].s[0]))
		return false;
	if (!date_token(tok[6]))
		i = (size_t)(tok[6].s - l->s); /* no date with /d: the name follows the size */
	fv->version = tok[3].len == 1 ? (struct kbf_line){.s = "", .len = 0} : tok[3];
	fv->size = tok[5];
	fv->name = kbf_fv_trim((struct kbf_line){.s = l->s + i, .len = l->len - i});
	return fv->name.len > 0;
}

bool kbf_fv_filever_line(const struct kbf_line *l)
{
	struct filever fv;
	return filever_parse(l, &fv);
}

static bool parse_size(struct kbf_line s, int64_t *out)
{
	int64_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (!isdigit((unsigned char)s.s[i]))
			continue; /* "995,383", "995.383" */
		int d = s.s[i] - '0';
		if (n > (INT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}

/* ---- filever records ------------------------------------------------------------ */

struct filever_state {
	struct kbf_fv_record r;
	char *target;     /* from a "...>filever" prompt: file, folder or wildcard; owned */
	bool recursive;   /* /s: files come from subfolders the output does not name */
	char *path;       /* the record's path built from target; owned */
	char prodver[48]; /* ProdVer from the VS_FIXEDFILEINFO dump */
};

/* A command-line argument: a word, or a "quoted path with blanks". */
static size_t argument(const struct kbf_line *l, size_t i, struct kbf_line *arg)
{
	while (i < l->len && isspace((unsigned char)l->s[i]))
		i++;
	if (i < l->len && l->s[i] == '"') {
		const char *q = memchr(l->s + i + 1, '"', l->len - i - 1);
		size_t end = q ? (size_t)(q - l->s) : l->len;
		*arg = (struct kbf_line){.s = l->s + i + 1, .len = end - i - 1};
		return end < l->len ? end + 1 : end;
	}
	return token(l, i, arg);
}

/* "...>filever [/v] [/s] target": remember the target and its folder. */
static bool prompt(struct filever_state *st, const struct kbf_line *l)
{
	const char *gt = memchr(l->s, '>', l->len);
	if (!gt)
		return false;
	struct kbf_line cmd, arg, target = {.s = NULL};
	size_t i = token(l, (size_t)(gt + 1 - l->s), &cmd);
	if (!kbf_fv_is(cmd.s, cmd.len, "filever") && !kbf_fv_is(cmd.s, cmd.len, "filever.exe"))
		return false;
	st->recursive = false;
	while (i < l->len && ((i = argument(l, i, &arg)), arg.len)) {
		if (arg.s[0] == '/' || arg.s[0] == '-')
			st->recursive |= arg.len == 2 && (arg.s[1] == 's' || arg.s[1] == 'S');
		else
			target = arg;
	}
	free(st->target);
	st->target = NULL;
	if (target.len) {
		/* a relative target is relative to the prompt's folder ("C:\WINNT>") */
		struct kbf_line cwd = {.s = l->s, .len = (size_t)(gt - l->s)};
		if (kbf_fv_windows_path(target.s, target.len) || !kbf_fv_windows_path(cwd.s, cwd.len))
			cwd.len = 0;
		const char *sep = cwd.len && cwd.s[cwd.len - 1] != '\\' ? "\\" : "";
		size_t n = cwd.len + target.len + 2;
		st->target = kbu_malloc(n);
		snprintf(st->target, n, "%.*s%s%.*s", (int)cwd.len, cwd.s, sep, (int)target.len, target.s);
	}
	return true;
}

/* The path of a listed name under the prompt's target. */
static void target_path(struct filever_state *st, struct kbf_line name)
{
	free(st->path);
	st->path = NULL;
	if (!st->target || st->recursive)
		return;
	const char *t = st->target, *slash = strrchr(t, '\\');
	const char *base = slash ? slash + 1 : t;
	size_t n = strlen(t) + name.len + 2;
	st->path = kbu_malloc(n);
	if (strlen(base) == name.len && strncasecmp(base, name.s, name.len) == 0)
		snprintf(st->path, n, "%s", t); /* the target is this file */
	else if (strpbrk(base, "*?"))
		snprintf(st->path, n, "%.*s%.*s", (int)(base - t), t, (int)name.len, name.s);
	else
		snprintf(st->path, n, "%s\\%.*s", t, (int)name.len, name.s);
	st->r.f.path = (struct kbf_line){.s = st->path, .len = strlen(st->path)};
}

static bool hex32(const char *s, size_t len, uint32_t *v)
{
	if (len != 8)
		return false;
	*v = 0;
	for (size_t i = 0; i < 8; i++) {
		int d = kbu_hex_digit(s[i]);
		if (d < 0)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

/* "000b0003:0174005e (11.3:372.94)" -> 11.3.372.94 */
static bool fixed_version(struct kbf_line v, unsigned out[4])
{
	uint32_t ms, ls;
	if (v.len < 17 || v.s[8] != ':' || !hex32(v.s, 8, &ms) || !hex32(v.s + 9, 8, &ls))
		return false;
	out[0] = ms >> 16, out[1] = ms & 0xFFFF, out[2] = ls >> 16, out[3] = ls & 0xFFFF;
	return true;
}

/* An indented /v line: the version strings and the VS_FIXEDFILEINFO dump. */
static void detail(struct filever_state *st, const struct kbf_line *l)
{
	struct kbf_line key, rest;
	size_t i = token(l, 0, &key);
	rest = kbf_fv_trim((struct kbf_line){.s = l->s + i, .len = l->len - i});
	struct kbf_file_rec *f = &st->r.f;
	unsigned v[4];
	bool used = true;
	if (kbf_fv_is(key.s, key.len, "FileVersion"))
		f->text = rest;
	else if (kbf_fv_is(key.s, key.len, "ProductVersion"))
		f->product = rest;
	else if (kbf_fv_is(key.s, key.len, "FileVer:") && fixed_version(rest, f->bin))
		f->has_bin = true;
	else if (kbf_fv_is(key.s, key.len, "ProdVer:") && fixed_version(rest, v)) {
		int n = snprintf(st->prodver, sizeof(st->prodver), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
		f->product_raw = (struct kbf_line){.s = st->prodver, .len = (size_t)n};
	} else
		used = false;
	if (used)
		kbf_fv_record_text(&st->r, l->s, l->len);
}

static void start_record(struct filever_state *st, const struct filever *fv, const struct kbf_line *l, int line)
{
	struct kbf_fv_record *r = &st->r;
	r->line = line;
	r->any = true;
	r->f.name = fv->name;
	if (memchr(fv->name.s, '\\', fv->name.len)) {
		const char *base = fv->name.s + fv->name.len;
		while (base[-1] != '\\')
			base--;
		r->f.path = fv->name;
		r->f.name = (struct kbf_line){.s = base, .len = (size_t)(fv->name.s + fv->name.len - base)};
	} else {
		target_path(st, fv->name);
	}
	r->f.raw = fv->version; /* filever prints the binary version */
	r->f.has_size = parse_size(fv->size, &r->f.size);
	kbf_fv_record_text(r, l->s, l->len);
}

int kbf_fv_read_filever(struct kbf_input *in, struct kbf_text *t)
{
	struct filever_state st = {0};
	kbf_fv_record_init(&st.r);
	int rc = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct filever fv;
		if (filever_parse(l, &fv)) {
			rc |= kbf_fv_record_emit(in, &st.r, "filever");
			start_record(&st, &fv, l, (int)i + 1);
		} else if (!kbf_fv_trim(*l).len) {
			continue; /* /v puts a blank line inside a record */
		} else if (isspace((unsigned char)l->s[0])) {
			if (st.r.line)
				detail(&st, l);
		} else {
			rc |= kbf_fv_record_emit(in, &st.r, "filever");
			prompt(&st, l); /* other lines (banners, prompts) end a record */
		}
	}
	rc |= kbf_fv_record_emit(in, &st.r, "filever");
	free(st.target);
	free(st.path);
	return rc;
}

/* ---- free-form "path version" lists ---------------------------------------------- */

/* Where the quotes and colons of a line are, found once, so that trying
 * each split point costs O(1) and a line is read in linear time. */
struct marks {
	size_t quote;         /* first '"' after position 0 */
	size_t colon, colon2; /* first and second ':' */
};

static void find_marks(struct kbf_line s, struct marks *m)
{
	m->quote = m->colon = m->colon2 = s.len;
	for (size_t i = 0; i < s.len; i++) {
		if (s.s[i] == '"' && i && m->quote == s.len)
			m->quote = i;
		else if (s.s[i] == ':' && m->colon == s.len)
			m->colon = i;
		else if (s.s[i] == ':' && m->colon2 == s.len)
			m->colon2 = i;
	}
}

/* s[0..end) as a file name or path: maybe quoted, no other quote, no
 * colon but a drive's, ending in ".ext" (1-4 characters, a letter among
 * them). */
static bool path_prefix(struct kbf_line s, size_t end, const struct marks *m, struct kbf_line *p)
{
	size_t a = 0;
	if (s.s[0] == '"') {
		if (end < 2 || s.s[end - 1] != '"')
			return false;
		a = 1, end--;
	}
	if (m->quote < end || (m->colon < end && (m->colon != a + 1 || m->colon2 < end)) || end - a < 3)
		return false;
	*p = (struct kbf_line){.s = s.s + a, .len = end - a};
	size_t ext = 0;
	bool letter = false;
	while (ext < p->len && ext < 5 && isalnum((unsigned char)p->s[p->len - 1 - ext]))
		letter |= isalpha((unsigned char)p->s[p->len - 1 - ext++]) != 0;
	return ext >= 1 && ext <= 4 && ext < p->len - 1 && p->s[p->len - 1 - ext] == '.' && letter;
}

/* Starts with a dotted version: digits, then '.' or ',' and a digit
 * ("6.00.8168.0", "2, 1, 0, 0"). */
static bool version_like(const char *v, size_t len)
{
	size_t i = 0;
	if (i < len && v[i] == '"')
		i++;
	size_t digits = i;
	while (i < len && isdigit((unsigned char)v[i]))
		i++;
	if (i == digits || i == len || (v[i] != '.' && v[i] != ','))
		return false;
	for (i++; i < len && v[i] == ' ';)
		i++;
	return i < len && isdigit((unsigned char)v[i]);
}

static bool separator(char c) { return c == ',' || c == '\t' || c == ';' || c == ' '; }

/* The version field from s[j] on: a quoted field, the rest of a field
 * ended by sep, or (blanks only between path and version) the rest. */
static struct kbf_line version_field(struct kbf_line s, size_t j, char sep)
{
	struct kbf_line v = {.s = s.s + j, .len = s.len - j};
	if (v.len && v.s[0] == '"') {
		const char *q = memchr(v.s + 1, '"', v.len - 1);
		v = (struct kbf_line){.s = v.s + 1, .len = q ? (size_t)(q - v.s - 1) : v.len - 1};
	} else if (sep != ' ') {
		for (size_t k = 0; k < v.len; k++)
			if (v.s[k] == sep || v.s[k] == '\t') {
				v.len = k;
				break;
			}
	}
	return kbf_fv_trim(v);
}

/* Tries each run of separators as the split between path and version. */
static bool plain_split(const struct kbf_line *l, struct kbf_line *path, struct kbf_line *ver)
{
	struct kbf_line s = kbf_fv_trim(*l);
	struct marks m;
	find_marks(s, &m);
	for (size_t i = 1; i < s.len; i++) {
		if (!separator(s.s[i]) || separator(s.s[i - 1]))
			continue;
		char sep = ' ';
		size_t j = i;
		for (; j < s.len && separator(s.s[j]); j++)
			sep = s.s[j] != ' ' ? s.s[j] : sep;
		if (path_prefix(s, i, &m, path) && version_like(s.s + j, s.len - j)) {
			*ver = version_field(s, j, sep);
			return true;
		}
		i = j - 1;
	}
	return false;
}

bool kbf_fv_plain_line(const struct kbf_line *l)
{
	struct kbf_line p, v;
	return plain_split(l, &p, &v);
}

static bool comment(struct kbf_line l)
{
	return l.s[0] == '#' || l.s[0] == ';' || (l.len >= 2 && l.s[0] == '/' && l.s[1] == '/');
}

int kbf_fv_read_plain(struct kbf_input *in, struct kbf_text *t)
{
	bool may_be_header = true;
	int rc = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		struct kbf_line l = kbf_fv_trim(t->lines[i]), path, ver;
		if (!l.len || comment(l))
			continue;
		if (plain_split(&l, &path, &ver)) {
			struct kbf_fv_record r;
			kbf_fv_record_init(&r);
			r.line = (int)i + 1;
			r.any = true;
			*(memchr(path.s, '\\', path.len) ? &r.f.path : &r.f.name) = path;
			r.f.text = ver;
			kbf_fv_record_text(&r, l.s, l.len);
			rc |= kbf_fv_record_emit(in, &r, "listing");
		} else if (!may_be_header) {
			rc = kbf_input_error(in, (int)i + 1, "expected a file path and its version: %.*s", (int)(l.len > 80 ? 80 : l.len), l.s);
		}
		may_be_header = false;
	}
	return rc;
}
