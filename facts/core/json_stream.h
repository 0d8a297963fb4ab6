/*
 * json_stream.h — a JSON document of any size cut into its top-level
 * elements as its text is decoded (ConvertTo-Json of a million events):
 * a bracket scanner that only finds where each element of the top-level
 * array ends (strings and nesting followed, nothing built), so that a
 * parser reads one element at a time and the text behind it can go.  A
 * document that is one object is one element.  Syntax inside an element
 * is the parser's to check.
 */
#ifndef KBDIAG_FACTS_CORE_JSON_STREAM_H
#define KBDIAG_FACTS_CORE_JSON_STREAM_H

#include "facts.h"

struct kbf_json_stream {
	/* set before reading */
	struct kbf_text *t;
	size_t max;   /* an element longer than this is scanned over, its text released as it goes */
	bool release; /* release the text before each element (importing, not probing) */
	/* after kbf_json_next() returned -1: what is wrong, and where */
	char err[120];
	int err_line;
	/* after it returned 0: the line of text that follows the document; 0: none */
	int trailing_line;
	/* private */
	size_t at, line_start;
	size_t held; /* text before this may have been released */
	int line, state;
	bool first;
};

/* One element: t->utf8[start..end), starting on line `line`, whose text
 * from line_start on is held (line_start is the start of that line, or
 * the element's own start when the line began long before it). */
struct kbf_json_element {
	size_t start, end, line_start;
	int line;
	bool too_big; /* longer than max: its text is no longer held */
};

/* The next element: 1, 0 after the last, -1 when the text is not a JSON
 * array or object or ends inside one (err, err_line say how).  Reads
 * further text as needed, except while t->probing. */
int kbf_json_next(struct kbf_json_stream *js, struct kbf_json_element *e);

#endif
