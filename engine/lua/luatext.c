/*
 * luatext.c — reading Lua source as text, for what rule files' Lua code
 * does that running it would not tell: lint.c's checks, and the kinds
 * reads.c finds read through kb.facts.  Comments and strings are skipped;
 * identifiers come with the characters next to them.
 */
#include <ctype.h>
#include <string.h>

#include "binding.h"

static size_t skip_long_bracket(const struct kbl_text *t, size_t i, int *line)
{
	size_t level = 0, j = i + 1;
	while (j < t->len && t->s[j] == '=')
		level++, j++;
	if (j >= t->len || t->s[j] != '[')
		return i + 1;
	for (j++; j < t->len; j++) {
		*line += t->s[j] == '\n';
		if (t->s[j] != ']')
			continue;
		size_t k = j + 1, eq = 0;
		while (k < t->len && t->s[k] == '=')
			eq++, k++;
		if (eq == level && k < t->len && t->s[k] == ']')
			return k + 1;
	}
	return t->len;
}

/* Past a comment or string starting at i, or i itself. */
static size_t skip_noise(const struct kbl_text *t, size_t i, int *line)
{
	const char *s = t->s;
	if (s[i] == '-' && i + 1 < t->len && s[i + 1] == '-') {
		if (i + 2 < t->len && s[i + 2] == '[' && skip_long_bracket(t, i + 2, line) > i + 3)
			return skip_long_bracket(t, i + 2, line);
		while (i < t->len && s[i] != '\n')
			i++;
		return i;
	}
	if (s[i] == '"' || s[i] == '\'') {
		char q = s[i++];
		while (i < t->len && s[i] != q && s[i] != '\n')
			i += s[i] == '\\' ? 2 : 1;
		return i < t->len ? i + 1 : t->len;
	}
	if (s[i] == '[' && i + 1 < t->len && (s[i + 1] == '[' || s[i + 1] == '='))
		return skip_long_bracket(t, i, line);
	return i;
}

/* Past the blanks from i. */
static size_t skip_blanks(const struct kbl_text *t, size_t i)
{
	while (i < t->len && isspace((unsigned char)t->s[i]))
		i++;
	return i;
}

/* The next non-blank character; "..", the concatenation, reads as '+'
 * so that it is not taken for a field access. */
static char next_char(const struct kbl_text *t, size_t i)
{
	i = skip_blanks(t, i);
	if (i + 1 < t->len && t->s[i] == '.' && t->s[i + 1] == '.')
		return '+';
	return i < t->len ? t->s[i] : 0;
}

/* Calls fn for every identifier outside strings and comments. */
void kbl_each_ident(const struct kbl_text *t, void (*fn)(void *, const struct kbl_ident *), void *ud)
{
	int line = t->line;
	char before = 0;
	for (size_t i = 0; i < t->len;) {
		size_t j = skip_noise(t, i, &line);
		if (j != i) {
			i = j;
			continue;
		}
		char c = t->s[i];
		if (isalpha((unsigned char)c) || c == '_') {
			for (j = i; j < t->len && (isalnum((unsigned char)t->s[j]) || t->s[j] == '_'); j++) {}
			struct kbl_ident id = {t->s + i, j - i, line, before, next_char(t, j)};
			fn(ud, &id);
			before = t->s[j - 1];
			i = j;
			continue;
		}
		line += c == '\n';
		if (c == '.' && i + 1 < t->len && t->s[i + 1] == '.') {
			before = '+'; /* see next_char() */
			while (i < t->len && t->s[i] == '.')
				i++;
			continue;
		}
		if (!isspace((unsigned char)c))
			before = c;
		i++;
	}
}

bool kbl_ident_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

bool kbl_ident_is(const struct kbl_ident *id, const char *s)
{
	return id->len == strlen(s) && memcmp(id->p, s, id->len) == 0;
}

size_t kbl_text_plain_string(const struct kbl_text *t, size_t i, const char **s, size_t *len)
{
	i = skip_blanks(t, i);
	if (i >= t->len || (t->s[i] != '"' && t->s[i] != '\''))
		return 0;
	char q = t->s[i];
	size_t j = i + 1;
	while (j < t->len && t->s[j] != q && t->s[j] != '\\' && t->s[j] != '\n')
		j++;
	if (j >= t->len || t->s[j] != q)
		return 0;
	*s = t->s + i + 1;
	*len = j - i - 1;
	return j + 1;
}

size_t kbl_text_punct(const struct kbl_text *t, size_t i, char c)
{
	i = skip_blanks(t, i);
	return i < t->len && t->s[i] == c ? i + 1 : 0;
}
