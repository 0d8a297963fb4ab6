/*
 * json_stream.c — top-level elements of a JSON document found in a
 * decoded text as it streams (json_stream.h).  Hand-written because the
 * parsers at hand want the whole text (util/json_scan.h, jansson's
 * json_loadb) or a callback that cannot tell where an element began in
 * the file (json_loadcb); the scan is a few byte tests a character, and
 * the parser then reads each element from the same memory.
 */
#include <stdio.h>

#include "core/json_stream.h"

enum { START, ARRAY, DONE };

/* Whether t->utf8[at] is decoded, decoding more if it may. */
static bool have(struct kbf_json_stream *js)
{
	while (js->at >= js->t->len)
		if (js->t->probing || !kbf_text_more(js->t))
			return false;
	return true;
}

static void consume(struct kbf_json_stream *js)
{
	if (js->t->utf8[js->at++] == '\n') {
		js->line++;
		js->line_start = js->at;
	}
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next character that is not blank, or -1 at the end. */
static int peek(struct kbf_json_stream *js)
{
	while (have(js) && blank(js->t->utf8[js->at]))
		consume(js);
	return have(js) ? (unsigned char)js->t->utf8[js->at] : -1;
}

static int fail(struct kbf_json_stream *js, int line, const char *what)
{
	snprintf(js->err, sizeof(js->err), "%s", what);
	js->err_line = line;
	return -1;
}

/* Past an element too long to hold: its text goes a mebibyte at a time. */
static void over_max(struct kbf_json_stream *js, struct kbf_json_element *e)
{
	e->too_big = true;
	if (js->release && (js->at - e->start) % ((size_t)1 << 20) == 0)
		kbf_text_release_bytes(js->t, js->held = js->at);
}

/* Moves past the value at js->at: an object or array to its closing
 * bracket (strings followed, so that a bracket in one is text), a string
 * to its closing quote, a number or literal to what ends it.  false at
 * the end of the text. */
static bool scan_value(struct kbf_json_stream *js, struct kbf_json_element *e)
{
	int depth = 0;
	bool str = false, esc = false;
	for (; have(js); consume(js)) {
		char c = js->t->utf8[js->at];
		if (js->at - e->start > js->max)
			over_max(js, e);
		if (str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				str = false;
			if (!str && depth == 0) { /* the element was a string */
				consume(js);
				return true;
			}
		} else if (c == '"') {
			str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return true; /* a number or literal ends at the array's end */
			if (--depth == 0) {
				consume(js);
				return true;
			}
		} else if (depth == 0 && (c == ',' || blank(c))) {
			return true;
		}
	}
	return false;
}

static int element(struct kbf_json_stream *js, struct kbf_json_element *e)
{
	/* what is before the element's line goes; a line that began more
	 * than 64 KiB before it (a -Compress document is one line) is kept
	 * from the element on, its columns then counted from there */
	bool near = js->at - js->line_start <= ((size_t)64 << 10) && js->line_start >= js->held;
	*e = (struct kbf_json_element){js->at, 0, near ? js->line_start : js->at, js->line, false};
	if (js->release)
		kbf_text_release_bytes(js->t, e->line_start);
	if (!scan_value(js, e)) {
		char what[80];
		snprintf(what, sizeof(what), "the document ends inside the value begun on line %d", e->line);
		return fail(js, js->line - (js->line_start == js->at && js->line > 1), what); /* the last line */
	}
	e->end = js->at;
	return 1;
}

int kbf_json_next(struct kbf_json_stream *js, struct kbf_json_element *e)
{
	int c;
	if (js->state == START) {
		js->line = 1;
		if ((c = peek(js)) < 0)
			return 0;
		if (c != '[' && c != '{')
			return fail(js, js->line, "neither an object nor an array of objects");
		if (c == '{') {
			js->state = DONE;
			return element(js, e);
		}
		consume(js);
		js->state = ARRAY;
		js->first = true;
	}
	if (js->state == ARRAY) {
		if ((c = peek(js)) < 0)
			return fail(js, js->line, "the document ends before the array closes");
		if (c == ']') {
			consume(js);
			js->state = DONE;
		} else if (!js->first && c != ',') {
			return fail(js, js->line, "',' or ']' expected after an element of the array");
		} else {
			if (!js->first)
				consume(js);
			js->first = false;
			if ((c = peek(js)) < 0 || c == ']' || c == ',')
				return fail(js, js->line, "an element expected in the array");
			return element(js, e);
		}
	}
	if (peek(js) >= 0 && !js->trailing_line)
		js->trailing_line = js->line;
	return 0;
}
