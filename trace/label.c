/*
 * label.c — text for Graphviz labels, for the DOT file (dot.c) and the SVG
 * picture (svg.c) alike: Graphviz reads a label as an escString either
 * way, so both need the same care.  Every string comes from evidence or
 * rules, so none is trusted to be short, printable or even UTF-8.
 */
#include <string.h>

#include "internal.h"
#include "utf8.h"

#define WRAP 48      /* characters per label line: break at the next blank */
#define LONG_WORD 64 /* a line without a blank is cut here and goes on below */

/* Whether s holds anything but blanks and line ends. */
static bool more_to_show(const char *s)
{
	return s[strspn(s, " \t\r\n")] != '\0';
}

void kbt_label_text(FILE *out, const char *s, int maxlines)
{
	int col = 0, lines = 1;
	size_t left = s ? strlen(s) : 0;
	while (left) {
		unsigned char c = (unsigned char)*s;
		size_t seq = kbu_utf8_seq(s, left);
		bool brk = c == '\n' || (col >= WRAP && c == ' ') || col >= LONG_WORD;
		if (brk) {
			if (!more_to_show(s))
				return;
			if (++lines > maxlines) {
				fputs("…", out);
				return;
			}
			fputs("\\l", out);
			col = 0;
			if (c == '\n' || c == ' ') {
				s++, left--;
				continue;
			}
		}
		if (!seq) { /* not UTF-8: Graphviz would guess Latin-1 and warn */
			fputs("\xEF\xBF\xBD", out); /* U+FFFD */
			s++, left--;
			col++;
			continue;
		}
		s += seq, left -= seq;
		if (seq > 1) {
			fwrite(s - seq, 1, seq, out);
			col++;
			continue;
		}
		if (c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f)
			continue;
		if (c == '\t')
			c = ' ';
		if (c == ' ' && (col == 0 || *s == ' ' || *s == '\t')) /* runs of blanks as one */
			continue;
		if (c == '&') /* Graphviz decodes entities: "&lt;" in evidence must stay "&lt;" */
			fputs("&amp;", out);
		else if (c == '"' || c == '\\') /* "\N" would be the node's name */
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
		col++;
	}
}

void kbt_fact_label(FILE *out, const struct kbt_fact *f)
{
	if (kbt_is_finding(f)) {
		const char *rule = kbt_slot_str(f, "rule"), *sev = kbt_slot_str(f, "severity");
		fprintf(out, "f%u finding ", f->id);
		kbt_label_text(out, rule ? rule : "?", 1);
		fputs(" (", out);
		kbt_label_text(out, sev ? sev : "?", 1);
		fputs(")\\l", out);
		kbt_label_text(out, kbt_slot_str(f, "message"), 4);
		fputs("\\l", out);
		return;
	}
	fprintf(out, "f%u ", f->id);
	kbt_label_text(out, f->kind, 1);
	fputs("\\l", out);
	for (size_t i = 0; i < f->nslots && i < 6; i++) {
		char v[256];
		kbt_value_text(v, sizeof(v), f->slots[i].value);
		kbt_label_text(out, f->slots[i].name, 1);
		fputs(" = ", out);
		kbt_label_text(out, v, 1);
		fputs("\\l", out);
	}
	if (f->nslots > 6)
		fprintf(out, "(%zu more slots)\\l", f->nslots - 6);
}

void kbt_evidence_label(FILE *out, const struct kbt_fact *f)
{
	kbt_label_text(out, f->source ? f->source : "?", 1);
	if (f->line > 0)
		fprintf(out, ":%d", f->line);
	fputs("\\l", out);
	kbt_label_text(out, f->text, 8);
	fputs("\\l", out);
}

struct kbt_node_look kbt_fact_look(const struct kbt_fact *f)
{
	if (kbt_is_finding(f))
		return (struct kbt_node_look){"box", "filled,bold", "#f4cccc"};
	if (f->origin == KB_ORIGIN_DERIVED)
		return (struct kbt_node_look){"box", "rounded,filled", "#fff2cc"};
	if (f->origin == KB_ORIGIN_KNOWLEDGE)
		return (struct kbt_node_look){"box", "rounded,filled", "#eeeeee"};
	return (struct kbt_node_look){"box", "rounded,filled", "#d9ead3"};
}
