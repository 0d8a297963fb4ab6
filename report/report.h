/*
 * report.h — the result of a run, as users see it: findings with the
 * evidence they rest on, errors, inputs and statistics; and its renderers.
 * kbr_build() reads a finished engine once; the renderers are pure
 * functions of the struct kbr_report.
 */
#ifndef KBDIAG_REPORT_REPORT_H
#define KBDIAG_REPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "kb.h"

struct kbr_evidence {
	uint32_t fact;
	const char *kind;
	const char *source;
	int line;
	const char *text;
	uint64_t offset, length; /* a cited record's lines in the file's bytes; length 0: not cited */
};

struct kbr_finding {
	uint32_t fact;       /* the finding fact */
	const char *rule, *article, *severity, *title, *message, *remedy;
	struct kbr_evidence *evidence;
	size_t nevidence;
	char *why;           /* --explain: the reasoning, as text lines; owned; NULL if none */
};

struct kbr_error {
	const char *level;   /* "error", "warning", "note" */
	char *where;
	char *message;
};

/* An input not read, or read in part: the file (archive entry, collector),
 * the line (0: the input as a whole) and why.  A run-wide warning is about
 * what was given rather than what was read (several case folders merged
 * into one host): the text report shows it apart from "Not read". */
struct kbr_warning {
	char *path;
	int line;
	char *reason;
};

/* KBR_CONTAINER: an archive, whose entries are counted instead. */
enum kbr_read { KBR_READ, KBR_READ_IN_PART, KBR_NOT_READ, KBR_CONTAINER };

struct kbr_input {
	char *path;
	const char *format;
	size_t facts;        /* asserted (duplicates not counted) */
	size_t read;         /* offered by the source */
	size_t skipped;      /* of those, left out by the pre-filter: no rule could match them */
	char *unavailable;
	enum kbr_read how;
};

struct kbr_report {
	const char *host_name, *host_os; /* NULL when unknown */
	int64_t service_pack;            /* -1 when unknown */
	/* The computers the evidence names (its host facts' names: winmsd,
	 * systeminfo, msinfo32, a snapshot's host; and, added by the caller,
	 * those its events name, every event read, kept or not), each once by
	 * its short name, with where it was first named: evidence of two
	 * computers read as one host is worth saying. */
	struct kbr_computer {
		const char *name, *source;
		int line;
	} *computers;
	size_t ncomputers;
	struct kbr_finding *findings;
	size_t nfindings;
	struct kbr_error *errors;
	size_t nerrors;
	struct kbr_warning *warnings;
	size_t nwarnings;
	struct kbr_input *inputs;
	size_t ninputs;
	size_t nread_as[4]; /* inputs by enum kbr_read */
	size_t facts, rules;
	size_t read, skipped; /* over the inputs */
	uint64_t fired;
	double elapsed_ms;
};

/* Collects the findings (kind "finding") with their evidence: the
 * evidence-origin facts their justification reaches, through derived
 * facts.  Findings are ordered by severity, then as they were made.  All
 * strings are borrowed from the engine except errors' and inputs'. */
void kbr_build(struct kbr_report *r, const struct kb_engine *eng);
/* Appends an error (copies where and message). */
void kbr_add_error(struct kbr_report *r, const char *level, const char *where, const char *message);
/* Appends a warning (copies path and reason). */
void kbr_add_warning(struct kbr_report *r, const char *path, int line, const char *reason);
/* Notes a computer the evidence names (borrowed; line 0: no one line),
 * once by its short name (r->computers). */
void kbr_add_computer(struct kbr_report *r, const char *name, const char *source, int line);
/* Appends an input (copies path and unavailable) and adds its counts to
 * the totals. */
void kbr_add_input(struct kbr_report *r, const char *path, const char *format, const char *unavailable,
		   size_t facts, size_t read, size_t skipped, enum kbr_read how);
/* The kinds whose facts the report reads whatever the rules match (the
 * host line, findings): a pre-filter must keep them.  NULL-terminated. */
extern const char *const kbr_kinds_read[];
void kbr_free(struct kbr_report *r);

/* 0: nothing of severity warning or worse and no rule errors; 1 otherwise. */
int kbr_exit_status(const struct kbr_report *r);
/* The severity as the text report shows it: "ERROR"; "" for none. */
void kbr_severity_word(char *dst, size_t n, const char *severity);
/* error 0, warning 1, info (or any other word) 2, none 3: the order findings are shown in. */
int kbr_severity_rank(const char *severity);
size_t kbr_count_severity(const struct kbr_report *r, const char *severity);

/* A condition or one of its tests in the rule language's shape. */
void kbr_format_cond(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule, size_t i);
/* The same for a condition of the rule's given by itself (a choice of an any_of). */
void kbr_format_condition(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule,
			  const struct kb_cond *c);
void kbr_format_test(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule,
		     int kind, const struct kb_test *t);

/* "  path:line: reason" (no line when it is 0), indent first. */
void kbr_print_warning(FILE *out, const char *indent, const struct kbr_warning *w);
/* The warnings under "heading:", and a blank line; nothing when there are
 * none.  Returns how many. */
size_t kbr_print_warnings(const struct kbr_report *r, FILE *out, const char *heading);
/* "Problems:", each error "  where: level: message", and a blank line;
 * nothing when there are none. */
void kbr_print_errors(const struct kbr_report *r, FILE *out);
int kbr_render_text(const struct kbr_report *r, FILE *out, bool verbose);
int kbr_render_json(const struct kbr_report *r, FILE *out);
/* The same with one more member at the end (`--why-not` adds "why_not");
 * takes the reference to extra. */
int kbr_render_json_with(const struct kbr_report *r, const char *key, json_t *extra, FILE *out);
/* The report as kbr_render_json() prints it; a new reference. */
json_t *kbr_json(const struct kbr_report *r);
/* doc as the JSON reports are printed (indented, members in order). */
int kbr_dump_json(json_t *doc, FILE *out);
/* Sets root's "errors", "warnings" and "inputs" as kbr_render_json()
 * writes them, for other documents that account for their inputs. */
void kbr_json_accounts(json_t *root, const struct kbr_report *r);

#endif
