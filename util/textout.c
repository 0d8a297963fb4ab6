/*
 * textout.c — the escaping writer (see textout.h).  kbu_vxprintf() reads
 * the format itself: literal text goes out as it is, a string conversion
 * goes through the escaper it is given (kbu_text_escape() for a
 * terminal), and a number is handed to snprintf() with its own conversion
 * spec, since digits need no escaping.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "textout.h"
#include "utf8.h"

/* Code points that are valid UTF-8 but must not reach a terminal as
 * they are: C1 controls, and formatting characters that reorder or
 * break the text around them (an override makes "exe.txt" read "txt.exe"). */
bool kbu_hidden_control(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Writes s[0..n) escaped to out, or with out NULL only measures it;
 * returns the columns the escaped text takes.  Runs that need no escape
 * are written with one call each. */
size_t kbu_text_escape(FILE *out, const char *s, size_t n)
{
	size_t cols = 0, from = 0, i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		if ((b >= 0x20 && b < 0x7F) || b == '\t') {
			i++;
			cols++;
			continue;
		}
		uint32_t c = 0;
		size_t k = b < 0x80 ? 0 : kbu_utf8_get(s + i, n - i, &c);
		if (k && !kbu_hidden_control(c)) {
			i += k;
			cols++;
			continue;
		}
		char e[8];
		int m = k ? snprintf(e, sizeof(e), "\\u%04x", (unsigned)c) : snprintf(e, sizeof(e), "\\x%02x", b);
		if (out) {
			fwrite(s + from, 1, i - from, out);
			fwrite(e, 1, (size_t)m, out);
		}
		cols += (size_t)m;
		i += k ? k : 1;
		from = i;
	}
	if (out)
		fwrite(s + from, 1, n - from, out);
	return cols;
}

void kbu_twrite(FILE *out, const char *s, size_t n)
{
	kbu_text_escape(out, s, n);
}

size_t kbu_text_columns(const char *s, size_t n)
{
	return kbu_text_escape(NULL, s, n);
}

/* One conversion: %[flags][width][.precision][length]conversion. */
struct conv {
	char flags[8];
	bool left;      /* '-' */
	int width;      /* 0: none */
	int precision;  /* -1: none */
	char length[3]; /* "", "hh", "h", "l", "ll", "z", "j", "t", "L" */
	char type;
};

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static void put_string(FILE *out, kbu_escape_fn esc, const struct conv *c, const char *s, size_t n)
{
	size_t w = c->width > 0 ? (size_t)c->width : 0, cols = w ? esc(NULL, s, n) : 0; /* measured for a width only */
	if (!c->left && cols < w)
		pad(out, w - cols);
	esc(out, s, n);
	if (c->left && cols < w)
		pad(out, w - cols);
}

/* A width or precision at *fmt: '*' (the next argument) or digits. */
static int amount(const char **fmt, va_list *ap)
{
	int n = 0;
	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		n = n * 10 + (**fmt - '0');
	return n;
}

/* The conversion at fmt ('%' already read); returns where it ends. */
static const char *parse_conv(const char *fmt, struct conv *c, va_list *ap)
{
	size_t nf = 0;
	memset(c, 0, sizeof(*c));
	c->precision = -1;
	for (; *fmt && strchr("-+ #0", *fmt); fmt++)
		if (nf + 1 < sizeof(c->flags))
			c->flags[nf++] = *fmt;
	c->width = amount(&fmt, ap);
	if (c->width < 0) { /* as printf: a negative width is '-' and its size */
		c->left = true;
		c->width = -c->width;
	}
	if (*fmt == '.') {
		fmt++;
		c->precision = amount(&fmt, ap); /* negative: as if none */
	}
	for (size_t nl = 0; *fmt && strchr("hlzjtL", *fmt) && nl < 2; fmt++)
		c->length[nl++] = *fmt;
	c->left = c->left || strchr(c->flags, '-');
	c->type = *fmt;
	return *fmt ? fmt + 1 : fmt;
}

#define LENGTH_IS(c, s) (strcmp((c)->length, s) == 0)

/* A number formatted by snprintf with c's spec into buf (size bytes);
 * returns what snprintf returns, or -1 for a conversion not known here. */
static int format_number(char *buf, size_t size, const struct conv *c, va_list *ap)
{
	char spec[32];
	snprintf(spec, sizeof(spec), "%%%s%s*.*%s%c", c->flags, c->left ? "-" : "", c->length, c->type);
	int w = c->width, p = c->precision;
	switch (c->type) {
	case 'd': case 'i':
		if (LENGTH_IS(c, "ll")) return snprintf(buf, size, spec, w, p, va_arg(*ap, long long));
		if (LENGTH_IS(c, "l")) return snprintf(buf, size, spec, w, p, va_arg(*ap, long));
		if (LENGTH_IS(c, "z")) return snprintf(buf, size, spec, w, p, va_arg(*ap, size_t));
		if (LENGTH_IS(c, "j")) return snprintf(buf, size, spec, w, p, va_arg(*ap, intmax_t));
		if (LENGTH_IS(c, "t")) return snprintf(buf, size, spec, w, p, va_arg(*ap, ptrdiff_t));
		return snprintf(buf, size, spec, w, p, va_arg(*ap, int)); /* int, and hh, h as promoted */
	case 'u': case 'o': case 'x': case 'X':
		if (LENGTH_IS(c, "ll")) return snprintf(buf, size, spec, w, p, va_arg(*ap, unsigned long long));
		if (LENGTH_IS(c, "l")) return snprintf(buf, size, spec, w, p, va_arg(*ap, unsigned long));
		if (LENGTH_IS(c, "z")) return snprintf(buf, size, spec, w, p, va_arg(*ap, size_t));
		if (LENGTH_IS(c, "j")) return snprintf(buf, size, spec, w, p, va_arg(*ap, uintmax_t));
		if (LENGTH_IS(c, "t")) return snprintf(buf, size, spec, w, p, va_arg(*ap, ptrdiff_t));
		return snprintf(buf, size, spec, w, p, va_arg(*ap, unsigned));
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
		if (LENGTH_IS(c, "L")) return snprintf(buf, size, spec, w, p, va_arg(*ap, long double));
		return snprintf(buf, size, spec, w, p, va_arg(*ap, double));
	case 'p':
		return snprintf(buf, size, spec, w, p, va_arg(*ap, void *));
	default:
		return -1;
	}
}

int kbu_vxprintf(FILE *out, kbu_escape_fn esc, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	bool failed = false;
	while (*fmt && !failed) {
		size_t lit = strcspn(fmt, "%");
		fwrite(fmt, 1, lit, out);
		fmt += lit;
		if (!*fmt)
			break;
		struct conv c;
		fmt = parse_conv(fmt + 1, &c, &args);
		if (c.type == '%') {
			fputc('%', out);
		} else if (c.type == 's') {
			const char *s = va_arg(args, const char *);
			s = s ? s : "(null)";
			size_t n = 0;
			while (s[n] && (c.precision < 0 || n < (size_t)c.precision))
				n++;
			if (s[n]) /* cut by the precision: not inside a character */
				n = kbu_utf8_floor(s, n);
			put_string(out, esc, &c, s, n);
		} else if (c.type == 'c') {
			char ch = (char)va_arg(args, int);
			put_string(out, esc, &c, &ch, 1);
		} else {
			char buf[64];
			int n = format_number(buf, sizeof(buf), &c, &args);
			failed = n < 0 || (size_t)n >= sizeof(buf); /* widths that large are not ours */
			if (!failed)
				fwrite(buf, 1, (size_t)n, out);
		}
	}
	va_end(args);
	return failed || ferror(out) ? -1 : 0;
}

int kbu_vtprintf(FILE *out, const char *fmt, va_list ap)
{
	return kbu_vxprintf(out, kbu_text_escape, fmt, ap);
}

int kbu_xprintf(FILE *out, kbu_escape_fn esc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kbu_vxprintf(out, esc, fmt, ap);
	va_end(ap);
	return rc;
}

int kbu_tprintf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kbu_vtprintf(out, fmt, ap);
	va_end(ap);
	return rc;
}
