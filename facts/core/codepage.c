/*
 * codepage.c — decoding the code pages localised Windows writes text in
 * (see codepage.h), with glibc's iconv, and guessing which one a file is.
 *
 * The guess.  A console redirect has no mark of its code page, so each
 * candidate decodes the first 64 KiB and is scored by what the text then
 * looks like, character by character (ASCII scores nothing):
 *   +1 a Latin letter beside an ASCII letter ("hôte", "Größe"), and not
 *      an upper-case one right after a lower-case letter ("hÔte" is what
 *      a wrong Western code page makes);
 *   +1 a Cyrillic letter with no ASCII letter beside it (the scripts do
 *      not mix inside a word) and no such change of case;
 *   +2 a CJK ideograph or full-width form (two bytes) with no ASCII
 *      letter beside it, +3 a Japanese kana (Chinese text has none,
 *      while Shift-JIS read as GBK turns them into rare ideographs);
 *    0 a no-break space, typographic quotes, dashes, ellipsis, euro sign
 *      (Western text has them; no verdict either way);
 *   -2 a byte the code page has no character for;
 *   -1 anything else: symbols, box drawing, controls, half-width kana, a
 *      letter in the wrong place.
 * Windows-1252 is scored the same way and keeps the file unless another
 * code page scores at least 2 more (a single odd character decides
 * nothing), so an English file reads as before.  Candidates: 850 (Western
 * European OEM), 866 (Russian OEM), 1251 (Cyrillic ANSI), 936 (GBK) and
 * 932 (Shift-JIS, Microsoft's table, whose 0x5C is the backslash).
 */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codepage.h"
#include "facts.h"
#include "utf8.h"
#include "xalloc.h"

struct kbf_codepage {
	iconv_t cd;
	char name[48];
	char *out; /* what kbf_codepage_decode returns */
	size_t cap;
};

static const struct {
	const char *name, *iconv;
} candidates[] = {
	{"cp850", "CP850"}, {"cp866", "CP866"}, {"windows-1251", "CP1251"}, {"gbk", "GBK"}, {"cp932", "CP932"},
};

#define SAMPLE ((size_t)64 << 10)
#define MARGIN 2

static char forced[48]; /* --encoding; "" when guessing */

static struct kbf_codepage *open_cp(const char *name, const char *iconv_name)
{
	iconv_t cd = iconv_open("UTF-8", iconv_name);
	if (cd == (iconv_t)-1)
		return NULL;
	struct kbf_codepage *cp = kbu_calloc(1, sizeof(*cp));
	cp->cd = cd;
	snprintf(cp->name, sizeof(cp->name), "%s", name);
	return cp;
}

void kbf_codepage_free(struct kbf_codepage *cp)
{
	if (!cp)
		return;
	iconv_close(cp->cd);
	free(cp->out);
	free(cp);
}

const char *kbf_codepage_name(const struct kbf_codepage *cp)
{
	return cp->name;
}

void kbf_codepage_reset(struct kbf_codepage *cp)
{
	iconv(cp->cd, NULL, NULL, NULL, NULL);
}

/* Drops the NULs from out[0..n); returns the new length. */
static size_t drop_nuls(char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (out[i])
			out[k++] = out[i];
	return k;
}

const char *kbf_codepage_decode(struct kbf_codepage *cp, const unsigned char *p, size_t n, bool last,
				size_t *took, size_t *outlen)
{
	if (cp->cap < 3 * n + 8) {
		cp->cap = 3 * n + 8;
		cp->out = kbu_realloc(cp->out, cp->cap, 1);
	}
	char *in = (char *)(uintptr_t)p, *o = cp->out;
	size_t inleft = n, oleft = cp->cap;
	while (inleft && iconv(cp->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
		if (errno == EINVAL && !last)
			break; /* a character the next bytes finish */
		if (errno == E2BIG || oleft < 3)
			break; /* cannot happen (three bytes a byte); stop rather than overrun */
		/* EILSEQ, or a character cut short by the end of the file */
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3, oleft -= 3;
		in++, inleft--;
		kbf_codepage_reset(cp);
	}
	*took = n - inleft;
	*outlen = drop_nuls(cp->out, (size_t)(o - cp->out));
	return cp->out;
}

/* ---- the guess ------------------------------------------------------------------- */

/* The code point at s[*i] (valid UTF-8, as iconv writes it; a byte that
 * is not reads as U+FFFD). */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
	uint32_t c;
	size_t len = kbu_utf8_get(s + *i, n - *i, &c);
	*i += len ? len : 1;
	return c;
}

static bool ascii_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool latin_letter(uint32_t c)
{
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static bool lower_letter(uint32_t c)
{
	return kbu_case_upper(c) != c || c == 0xDF; /* ß: lower case, no single upper */
}

static bool upper_letter(uint32_t c)
{
	return kbu_case_lower(c) != c;
}

static int char_score(uint32_t prev, uint32_t c, uint32_t next)
{
	bool beside = ascii_letter(prev) || ascii_letter(next);
	bool case_flip = upper_letter(c) && lower_letter(prev); /* "hÔte", "абВг" */
	if (c == 0xFFFD)
		return -2;
	if (latin_letter(c))
		return beside && !case_flip ? 1 : -1;
	if (c >= 0x400 && c <= 0x4FF)
		return beside || case_flip ? -1 : 1;
	if (c >= 0x3040 && c <= 0x30FF)
		return beside ? -1 : 3;
	if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E))
		return beside ? -1 : 2;
	if (c == 0xA0 || c == 0x20AC || c == 0x2013 || c == 0x2014 || c == 0x2026 ||
	    (c >= 0x2018 && c <= 0x201D))
		return 0;
	return -1;
}

static long score(const char *s, size_t n)
{
	long total = 0;
	uint32_t prev = 0, c = 0, next = 0;
	size_t i = 0;
	if (i < n)
		c = next_cp(s, n, &i);
	while (c) {
		next = i < n ? next_cp(s, n, &i) : 0;
		if (c >= 0x80)
			total += char_score(prev, c, next);
		prev = c;
		c = next;
	}
	return total;
}

/* The score of p[0..n) read as iconv_name; LONG_MIN when it cannot be.
 * The converters are opened once and kept: opening one costs about a
 * millisecond, more than scoring a file. */
static long score_as(size_t k, const char *iconv_name, const unsigned char *p, size_t n)
{
	static struct kbf_codepage *kept[sizeof(candidates) / sizeof(candidates[0]) + 1];
	if (!kept[k] && !(kept[k] = open_cp(iconv_name, iconv_name)))
		return LONG_MIN;
	size_t took, len;
	kbf_codepage_reset(kept[k]);
	const char *s = kbf_codepage_decode(kept[k], p, n, false, &took, &len);
	return score(s, len);
}

/* The code page the first bytes p[0..n) of a file that is not UTF-8 (nor
 * UTF-16) are most likely written in, as a name for reports ("cp850",
 * "cp866", "windows-1251", "gbk", "cp932"); NULL for Windows-1252, which
 * wins unless another code page reads the bytes as clearly better text
 * (letters where words are, not symbols: score()). */
static const char *guess(const unsigned char *p, size_t n)
{
	if (n > SAMPLE)
		n = SAMPLE;
	size_t ncand = sizeof(candidates) / sizeof(candidates[0]);
	long best = score_as(ncand, "CP1252", p, n) + MARGIN - 1;
	const char *name = NULL;
	for (size_t i = 0; i < ncand; i++) {
		long sc = score_as(i, candidates[i].iconv, p, n);
		if (sc > best)
			best = sc, name = candidates[i].name;
	}
	return name;
}

bool kbf_text_set_encoding(const char *name)
{
	if (!name) {
		forced[0] = '\0';
		return true;
	}
	if (strlen(name) >= sizeof(forced))
		return false;
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	snprintf(forced, sizeof(forced), "%s", name);
	return true;
}

struct kbf_codepage *kbf_codepage_for(const unsigned char *p, size_t n)
{
	if (forced[0])
		return open_cp(forced, forced);
	const char *name = guess(p, n);
	return name ? kbf_codepage_open(name) : NULL;
}

struct kbf_codepage *kbf_codepage_open(const char *name)
{
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (strcmp(candidates[i].name, name) == 0)
			return open_cp(name, candidates[i].iconv);
	return open_cp(name, name);
}
