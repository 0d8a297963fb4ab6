/*
 * csv.h — the one reader of CSV as Windows tools write it (RFC 4180 with
 * Excel's leniency), over a decoded text: tasklist and systeminfo /fo csv,
 * PowerShell's Export-Csv, wmic /format:csv, Event Viewer's exports.
 *
 * A field is bare (everything up to the separator, quotes included) or
 * starts with a quote, blanks before it ignored; inside quotes "" is a
 * quote, and the separator and line breaks are text.  What follows a
 * closing quote up to the separator is kept as Excel does, but for
 * trailing blanks.  A quote that never closes is reported with the line
 * where its record began.
 *
 * Allocation failure ends the process (util/xalloc.h).
 */
#ifndef KBDIAG_FACTS_CORE_CSV_H
#define KBDIAG_FACTS_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/wtext.h"
#include "facts.h"

/* Zero-initialised reads comma-separated records that may span lines. */
struct kbf_csv {
	/* how to read; set before reading */
	char sep;          /* the separator; ',' when 0 */
	bool one_line;     /* a record ends with its line: a quote still open there is an error */
	size_t open_field; /* field number (1-based) that, when not quoted, runs to the end of
			      its line, separators included; 0: none */
	bool borrow;       /* bare fields point into the text's lines, not copied: for a
			      reader that keeps those lines while it uses the fields */

	/* the record last read; valid until the next read or kbf_csv_free() */
	struct kbf_wtext_span *f; /* its fields, unescaped, not NUL-terminated */
	size_t n;
	size_t first, last; /* the lines of t it took (0-based, inclusive) */
	bool last_quoted;   /* its last field was quoted */

	/* private */
	char *buf;          /* quoted fields, unescaped */
	size_t *in_buf;     /* per field: where in buf, or SIZE_MAX when in the text */
	size_t len, cap, fcap;
};

/* Reads the record that starts on line ln, which exists (t may be read
 * as a stream: the reader asks for further lines as it needs them).  0,
 * or -1 when a quote does not close: by the end of its line when
 * one_line, else by the end of the text.  Either way c holds what was read and c->last the line
 * where reading stopped. */
int kbf_csv_read(struct kbf_csv *c, struct kbf_text *t, size_t ln);
/* Reads the next record at or after line *ln, skipping blank lines, and
 * moves *ln past it.  1 read, 0 at the end of the text, -1 a quote that
 * does not close (the record began on line c->first). */
int kbf_csv_next(struct kbf_csv *c, struct kbf_text *t, size_t *ln);
/* Frees the record's memory; how to read stays set, and c may read again. */
void kbf_csv_free(struct kbf_csv *c);

#endif
