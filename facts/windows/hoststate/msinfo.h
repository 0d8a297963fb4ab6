/*
 * msinfo.h — the tables of an msinfo32 (System Information) report, as
 * both of its forms carry them: the .nfo XML (msinfo_nfo.c) and the text
 * export (msinfo_text.c).  Either form is a tree of categories, each a
 * table of rows with named columns; the readers hand each row here and
 * msinfo.c makes the facts, so that both forms of one report give the
 * same facts.  Internal to facts/windows/hoststate/.
 */
#ifndef KBDIAG_FACTS_WINDOWS_HOSTSTATE_MSINFO_H
#define KBDIAG_FACTS_WINDOWS_HOSTSTATE_MSINFO_H

#include "core/wtext.h"

#define KBF_MSINFO_COLS 32 /* cells a row may have: the widest table seen (Print Jobs) has 18 */

enum kbf_msinfo_table { MSINFO_OTHER, MSINFO_SUMMARY, MSINFO_DRIVERS, MSINFO_MODULES, MSINFO_SERVICES };

/* One report being read. */
struct kbf_msinfo {
	struct kbf_input *in;
	const char *form;            /* "msinfo-nfo", "msinfo-text": for notes */
	enum kbf_msinfo_table table; /* of the category the rows belong to */
	bool summary_seen;
	int host_line;               /* 0: no summary row kept yet */
	/* System Summary values kept until the category ends (a stream
	 * releases the text they were read from), and the rows' text. */
	struct kbf_wtext_buf name, os, version, type, host_text;
};

/* A category starts: name as printed ("System Drivers"); its rows follow. */
void kbf_msinfo_category(struct kbf_msinfo *m, struct kbf_wtext_span name);

/* A row of the current category at line: n cells, column names as the
 * form spells them ("Start Mode" or "Start_Mode"), values trimmed or not;
 * text is what the facts cite. */
void kbf_msinfo_row(struct kbf_msinfo *m, int line, const struct kbf_wtext_span *cols,
		    const struct kbf_wtext_span *vals, size_t n, struct kbf_wtext_span text);

/* The report ends: the host fact, and a note when there was no System
 * Summary (a report saved with only some categories, or a localised one).
 * Frees m's buffers. */
void kbf_msinfo_finish(struct kbf_msinfo *m);

#endif
