/*
 * objects.h — PowerShell output read back into the objects it showed
 * (internal to facts/windows/powershell): whatever the cmdlet, its output
 * is a list of objects of property → value, printed in one of four forms,
 * and one reader per form (objects.c: CSV and JSON; objects_text.c: the
 * table and list views) hands each object to the caller as a record.
 * Which cmdlet printed it is told from the property names (cmdlets.c).
 *
 * A record's strings are copies it owns: valid during the callback only.
 * Allocation failure ends the process (util/xalloc.h).
 */
#ifndef KBDIAG_FACTS_WINDOWS_POWERSHELL_OBJECTS_H
#define KBDIAG_FACTS_WINDOWS_POWERSHELL_OBJECTS_H

#include "core/wtext.h"
#include "facts.h"

enum kbf_ps_form {
	KBF_PS_NONE,
	KBF_PS_TABLE, /* the default view of most cmdlets, Format-Table */
	KBF_PS_LIST,  /* Format-List, `| fl *`, Get-WmiObject's default */
	KBF_PS_CSV,   /* Export-Csv / ConvertTo-Csv, with or without #TYPE */
	KBF_PS_JSON,  /* ConvertTo-Json, an array or a single object */
};

struct kbf_ps_prop {
	struct kbf_wtext_span name, value;
	bool truncated; /* a table cell cut short ("...", "…"): to the console width, or */
	bool first_line; /* to the first line of a value of several lines (whole words) */
	bool null;      /* JSON null */
};

/* One object.  For a table or CSV row, raw is the row's text (its first
 * line); for a list or JSON object, raw is empty and the fact's text is
 * made of the properties used (kbf_ps_prov). */
struct kbf_ps_record {
	enum kbf_ps_form form;
	int line;                     /* where the object starts */
	struct kbf_line raw;
	struct kbf_wtext_span type;   /* #TYPE, __CLASS or CimClass's class name; may be empty */
	struct kbf_ps_prop *p;
	size_t n;
	/* private: where names and values are kept while the record is built */
	struct kbf_wtext_buf store;
	struct kbf_ps_slot { size_t name, nlen, value, vlen; bool truncated, first_line, null; } *slot;
	size_t cap;
	size_t type_off, type_len;
};

/* Called for each object read; a non-zero return stops reading (the
 * probe reads one object). */
typedef int kbf_ps_each(struct kbf_input *in, const struct kbf_ps_record *r, void *ud);

/* The form t is printed in (looking at its first lines), or KBF_PS_NONE. */
enum kbf_ps_form kbf_ps_form_of(struct kbf_text *t);
/* Reads every object of t in the given form.  Objects that cannot be read
 * are recorded on in (kbf_input_skip); in may be NULL while probing.
 * Returns what the last callback returned (0 when all were read). */
int kbf_ps_read(struct kbf_input *in, struct kbf_text *t, enum kbf_ps_form form, kbf_ps_each *each, void *ud);

/* ---- building a record (the readers) ---------------------------------------- */

void kbf_ps_record_reset(struct kbf_ps_record *r, enum kbf_ps_form form, int line);
void kbf_ps_record_add(struct kbf_ps_record *r, const char *name, size_t nlen, const char *value, size_t vlen,
		       bool truncated, bool null);
/* Marks the last property as its value's first line only. */
void kbf_ps_record_first_line(struct kbf_ps_record *r);
/* Appends more text to the last property's value (a list value wrapped
 * over lines), after sep unless that value is empty. */
void kbf_ps_record_extend(struct kbf_ps_record *r, const char *sep, const char *s, size_t len);
void kbf_ps_record_set_type(struct kbf_ps_record *r, const char *s, size_t len);
/* Makes the spans (p, type) point into the store: call before handing on. */
void kbf_ps_record_finish(struct kbf_ps_record *r);
void kbf_ps_record_free(struct kbf_ps_record *r);

/* The text forms (objects_text.c). */
int kbf_ps_read_table(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud);
int kbf_ps_read_list(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud);
/* A dashes underline: runs of '-' between blanks, the first at the line's
 * indentation. */
bool kbf_ps_rule_line(const struct kbf_line *l);
/* "Name   : value" with the colon at column `colon` (0: any); sets the name
 * and where the value starts (its character column). */
bool kbf_ps_list_line(const struct kbf_line *l, size_t *colon, struct kbf_wtext_span *name);

/* ---- reading a record (the mappings) ------------------------------------------ */

/* The value of a property (names compared without case, as PowerShell
 * does); NULL when the record has none. */
const struct kbf_ps_prop *kbf_ps_get(const struct kbf_ps_record *r, const char *name);
bool kbf_ps_has(const struct kbf_ps_record *r, const char *name);

/* The provenance text of a fact made from a list or JSON object: the
 * properties it used, "Name: value; Name: value". */
struct kbf_ps_prov {
	struct kbf_wtext_buf text;
};
void kbf_ps_prov_add(struct kbf_ps_prov *pv, const struct kbf_ps_prop *p);
/* What the fact's text is: the row for tables and CSV, else pv's. */
struct kbf_wtext_span kbf_ps_prov_text(const struct kbf_ps_record *r, const struct kbf_ps_prov *pv);

#endif
