/*
 * html_link.c — the only links the HTML report makes: a KB article's page,
 * from a template the user may set (--kb-url).  The template must be an
 * http(s) URL; the article id, which comes from a rule file, is
 * percent-encoded into it, so that it can add no scheme, no path, no
 * query and no markup ("javascript:" in a rule's article stays text).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "html.h"

static const char *const placeholders[] = {"{article}", "{number}"};

/* Characters a URL may hold as they are (RFC 3986: unreserved, reserved
 * and '%'); no space, quote, angle bracket, backslash or control. */
static bool url_char(unsigned char c)
{
	return isalnum(c) || (c && strchr("-._~:/?#[]@!$&()*+,;=%", c));
}

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* The placeholder at s, as an index into placeholders, or -1. */
static int placeholder_at(const char *s)
{
	for (int i = 0; i < 2; i++)
		if (strncmp(s, placeholders[i], strlen(placeholders[i])) == 0)
			return i;
	return -1;
}

const char *kbr_kb_url_check(const char *template)
{
	if (strncasecmp(template, "https://", 8) != 0 && strncasecmp(template, "http://", 7) != 0)
		return "it must start with http:// or https://";
	bool any = false;
	for (const char *s = template; *s; s++) {
		int p = placeholder_at(s);
		if (p >= 0) {
			any = true;
			s += strlen(placeholders[p]) - 1;
		} else if (*s == '{' || *s == '}') {
			return "its placeholders are {article} and {number}";
		} else if (!url_char((unsigned char)*s)) {
			return "it holds a character a URL cannot (a space, quote, '<', '>' or control)";
		}
	}
	return any ? NULL : "it must name the article: {article} or {number}";
}

/* The article's number: its digits after a prefix of letters ("Q",
 * "KB"); NULL when what follows the letters is not all digits. */
static const char *article_number(const char *article)
{
	const char *s = article;
	while (isalpha((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	for (const char *d = s; *d; d++)
		if (!isdigit((unsigned char)*d))
			return NULL;
	return s;
}

bool kbr_kb_url(char *buf, size_t n, const char *template, const char *article)
{
	if (!article || !*article || kbr_kb_url_check(template))
		return false;
	const char *number = article_number(article);
	size_t len = 0;
	for (const char *s = template; *s; s++) {
		int p = placeholder_at(s);
		const char *value = p == 0 ? article : p == 1 ? number : NULL;
		if (p == 1 && !number)
			return false;
		for (const char *v = value; v && *v; v++) {
			unsigned char c = (unsigned char)*v;
			if (len + (unreserved(c) ? 1 : 3) + 1 > n)
				return false;
			len += unreserved(c) ? (size_t)snprintf(buf + len, n - len, "%c", c)
					     : (size_t)snprintf(buf + len, n - len, "%%%02X", c);
		}
		if (p >= 0) {
			s += strlen(placeholders[p]) - 1;
			continue;
		}
		if (len + 2 > n)
			return false;
		buf[len++] = *s;
	}
	buf[len] = '\0';
	return true;
}
