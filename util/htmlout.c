/*
 * htmlout.c — the escaping writer for HTML (see htmlout.h).  The format
 * reader is textout.c's (kbu_vxprintf); only the escaping is here.
 */
#include <stdbool.h>
#include <stdint.h>

#include "htmlout.h"
#include "utf8.h"

/* The entity for an ASCII byte that markup gives a meaning; NULL for one
 * that is text. */
static const char *entity(unsigned char b)
{
	switch (b) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

static bool plain_ascii(unsigned char b)
{
	return (b >= 0x20 && b < 0x7F && !entity(b)) || b == '\t' || b == '\n' || b == '\r';
}

size_t kbu_html_escape(FILE *out, const char *s, size_t n)
{
	size_t chars = 0, from = 0, i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		if (plain_ascii(b)) {
			i++;
			chars++;
			continue;
		}
		uint32_t c = 0;
		size_t k = b < 0x80 ? 0 : kbu_utf8_get(s + i, n - i, &c);
		if (k && !kbu_hidden_control(c)) {
			i += k;
			chars++;
			continue;
		}
		char e[8];
		const char *ent = entity(b);
		int m = ent ? 0 : k ? snprintf(e, sizeof(e), "\\u%04x", (unsigned)c) : snprintf(e, sizeof(e), "\\x%02x", b);
		if (out) {
			fwrite(s + from, 1, i - from, out);
			fputs(ent ? ent : e, out);
		}
		chars += ent ? 1 : (size_t)m;
		i += k ? k : 1;
		from = i;
	}
	if (out)
		fwrite(s + from, 1, n - from, out);
	return chars;
}

int kbu_hprintf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kbu_vxprintf(out, kbu_html_escape, fmt, ap);
	va_end(ap);
	return rc;
}
