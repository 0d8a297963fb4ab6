/*
 * file_versions.h — the parts of the file-version listing importer
 * (file_versions*.c), internal to facts/.  One importer reads every
 * listing form but PowerShell's; each form is a layout (wmic's table,
 * key/value list and CSV, filever, free text).  The record they fill is
 * also what PowerShell's FileVersionInfo objects fill
 * (powershell/versioninfo.c): a dialect names the properties
 * (PowerShell's FileVersionInfo or WMI's CIM_DataFile).
 */
#ifndef KBDIAG_FACTS_WINDOWS_FILES_FILE_VERSIONS_H
#define KBDIAG_FACTS_WINDOWS_FILES_FILE_VERSIONS_H

#include "file_fact.h"

enum kbf_fv_form {
	KBF_FV_NONE,
	KBF_FV_WMIC_TABLE, /* wmic datafile ... get Name,Version */
	KBF_FV_WMIC_LIST,  /* ... /value (or /format:list) */
	KBF_FV_WMIC_CSV,   /* ... /format:csv */
	KBF_FV_FILEVER,    /* Support Tools filever [/v] */
	KBF_FV_PLAIN,      /* "path,version", "path<TAB>version", "path  version" */
};

enum kbf_fv_dialect { KBF_FV_POWERSHELL, KBF_FV_WMI };

/* One record being gathered.  Values are slices of the text being read
 * (or of a CSV record buffer) and must outlive kbf_fv_record_emit(). */
struct kbf_fv_record {
	struct kbf_file_rec f;
	unsigned parts[4];  /* FileMajorPart, FileMinorPart, FileBuildPart, FilePrivatePart */
	unsigned nparts;    /* bit i set: parts[i] seen */
	int line;           /* first line of the record, 0 while empty */
	bool any;           /* a property of interest was seen */
	char text[1024];    /* provenance: the record's lines that were used */
	size_t textlen;
};

void kbf_fv_record_init(struct kbf_fv_record *r);
/* Records one property by the dialect's name for it (case-insensitive);
 * properties that do not matter are ignored.  Returns true if it mattered. */
bool kbf_fv_record_prop(struct kbf_fv_record *r, enum kbf_fv_dialect d, const char *key, size_t keylen,
			const char *val, size_t vallen);
/* Appends a source line to the provenance text ("; " between lines). */
void kbf_fv_record_text(struct kbf_fv_record *r, const char *s, size_t len);
/* Emits the record if it names a file (error at its line if it has
 * versions but no path), then resets it.  0, or -1 on error. */
int kbf_fv_record_emit(struct kbf_input *in, struct kbf_fv_record *r, const char *what);

/* Text helpers. */
struct kbf_line kbf_fv_trim(struct kbf_line l);
/* Case-insensitive equality of s[0..len) and the C string word. */
bool kbf_fv_is(const char *s, size_t len, const char *word);
/* A Windows path as listings print it: "C:\...", "\\server\...", "%SystemRoot%\...". */
bool kbf_fv_windows_path(const char *s, size_t len);

/* wmic's forms: each reads t from line `first` (where detection found it). */
int kbf_fv_read_table(struct kbf_input *in, struct kbf_text *t, size_t first);
int kbf_fv_read_list(struct kbf_input *in, struct kbf_text *t, size_t first);
int kbf_fv_read_csv(struct kbf_input *in, struct kbf_text *t, size_t first);
int kbf_fv_read_filever(struct kbf_input *in, struct kbf_text *t);
int kbf_fv_read_plain(struct kbf_input *in, struct kbf_text *t);

/* Line shapes detection needs (file_versions_tables.c). */
bool kbf_fv_has_word(const struct kbf_line *l, const char *word); /* case-insensitive */
bool kbf_fv_wmic_header(const struct kbf_line *l); /* property names incl. Name and Version */
/* l without a leading U+FEFF: `wmic ... >> file` writes a BOM at each append. */
struct kbf_line kbf_fv_no_bom(const struct kbf_line *l);

/* Line shapes detection needs (file_versions_text.c). */
bool kbf_fv_filever_line(const struct kbf_line *l);
bool kbf_fv_plain_line(const struct kbf_line *l);

#endif
