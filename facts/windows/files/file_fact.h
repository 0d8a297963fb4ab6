/*
 * file_fact.h — building `file` facts (facts/core/schema.c) the same way from
 * every source of file-version evidence: version listings a customer
 * exports (file_versions.c) and PE files read directly (pe_version.c).
 * Internal to facts/.
 */
#ifndef KBDIAG_FACTS_WINDOWS_FILES_FILE_FACT_H
#define KBDIAG_FACTS_WINDOWS_FILES_FILE_FACT_H

#include "facts.h"

/* One file as a source describes it.  Every string is a borrowed slice
 * (s may be NULL or len 0 for "not given"); nothing here is owned. */
struct kbf_file_rec {
	struct kbf_line path;        /* Windows path as found */
	struct kbf_line name;        /* base name; empty: taken from path */
	struct kbf_line text;        /* the FileVersion string as printed */
	struct kbf_line raw;         /* a binary/raw dotted version ("FileVersionRaw") */
	struct kbf_line product;     /* the ProductVersion string */
	struct kbf_line product_raw; /* a binary/raw product version */
	bool has_bin;                /* bin holds the binary file version */
	unsigned bin[4];
	bool has_size;
	int64_t size;
};

/* Parses a version as tools print it: "6.00.8168.0", "2, 1, 0, 0",
 * "5.2.3790.1830 (srv03_sp1_rtm.050324-1447)".  false for empty text, text
 * that starts with no number, and cells a console cut short ("6.2.9200.1638...",
 * "6.2.9200.1638…"), whose digits cannot be trusted. */
bool kbf_file_version_parse(const char *s, size_t len, unsigned v[4]);

/* True when a table cell ends in "..." or "…": the console truncated it. */
bool kbf_file_cell_truncated(const char *s, size_t len);

/* Sets f's version slots from r as kbf_file_emit does (for a fact whose
 * versions are read only once the pre-filter wants it: the live
 * collector's, facts/windows/live/files.c). */
void kbf_file_set_versions(struct kbf_fact *f, const struct kbf_file_rec *r);

/* Asserts the file fact: path, name, version (the binary form, preferring
 * raw, then bin, then the numbers of text), version_text (text, else raw),
 * version_code, product_version (product, else product_raw), size.
 * Provenance line and text as kbf_fact_emit.  NULL on error (recorded). */
const struct kb_fact *kbf_file_emit(struct kbf_input *in, const struct kbf_file_rec *r, int line,
				    const char *text, size_t textlen);

#endif
