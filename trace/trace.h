/*
 * trace.h — a run's reasoning, recorded: every fact with its provenance and
 * justification, activations, firings with their bindings, retractions,
 * rule errors and, for the rules that did not fire, how far they got (near
 * misses).  The recorder fills a struct kbt_trace through the engine's
 * recorder hook; the trace can be written as JSON (docs/trace-format.md)
 * and read back; the renderers (why-trees, why-not, Graphviz DOT, W3C
 * PROV-JSON) are pure functions of a trace, so a saved trace renders the
 * same as a live one.  No Lua here.
 *
 * Ownership: the trace owns every array it holds, and every string of a
 * trace read back (strings in struct kb_value included); they live until
 * kbt_trace_free().  A trace being recorded points at the engine's strings
 * for its facts and firings (kinds, slot names and values, provenance,
 * variable names: interned, or in the engine's arena) instead of copying
 * them: it is read while the engine lives, and may be freed after it.
 * What is found after the run (near misses) is copied.  A failed allocation while recording or reading
 * ends the process, as it does everywhere in kbdiag (util/xalloc.h).
 */
#ifndef KBDIAG_TRACE_TRACE_H
#define KBDIAG_TRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kb.h"

#define KBT_FORMAT 1 /* "kbdiag_trace" in the JSON document */

struct kbt_slot {
	const char *name;       /* a slot, or a variable ("?pid") */
	struct kb_value value;
};

struct kbt_input {
	const char *path, *format;
	const char *unavailable; /* a collector that could not run: why; else NULL */
	size_t facts;
	bool collector;         /* gathered on the host rather than read from a file */
};

struct kbt_rule {
	const char *id;
	const char *where;      /* "file:line" of the definition */
	const char *article, *title, *severity; /* NULL when unknown */
	int salience;
	size_t nconds;
	const char **conds;     /* each condition in the rule language's shape */
	size_t nmakes;
	const char **makes;     /* the kinds of fact its actions may assert (why-not follows them) */
	uint64_t fired, activations;
	bool disabled;          /* by its calls running out of budget (kb_rule_disabled) */
};

/* One per fact, so a run of millions keeps millions: the narrow members
 * sit together, leaving no padding between the wide ones. */
struct kbt_fact {
	uint32_t id;
	enum kb_origin origin;
	const char *kind;
	size_t nslots;          /* the slots that are set */
	struct kbt_slot *slots;
	const char *source;     /* file, collector or rule file; NULL if none */
	const char *text;       /* the raw line or record; NULL if none */
	int line;               /* 0 when not from a line */
	uint64_t offset, length; /* a cited record's lines in the file's bytes; length 0: not cited */
	int input;              /* index in inputs; -1 when not known */
	uint64_t firing;        /* derived facts: the firing that asserted it */
	size_t npremises;       /* the facts that firing matched, by condition */
	uint32_t *premises;     /* 0 for negated, existence and test conditions */
	uint32_t replaces;      /* the fact a modify retracted for this one, or 0 */
	uint64_t asserted;      /* event numbers; retracted 0 while still live */
	uint64_t retracted;
	uint64_t retracted_by;  /* the firing that retracted it, or 0 */
};

/* The choice of an any_of condition that a firing matched, or that a
 * near miss shows. */
struct kbt_choice {
	size_t cond;            /* 0-based */
	size_t choice;          /* 0-based, in the any_of's list */
	const char *pattern;    /* the choice as written */
};

struct kbt_firing {
	uint64_t n;             /* 1-based */
	size_t rule;            /* index in rules */
	uint64_t activation;
	uint64_t event;
	size_t nfacts;
	uint32_t *facts;        /* by condition; 0 for negated, existence and tests */
	size_t nbindings;
	struct kbt_slot *bindings; /* variable values, by name */
	size_t nchoices;        /* one per any_of condition */
	struct kbt_choice *choices;
};

enum kbt_event_type {
	KBT_EV_ASSERT, KBT_EV_RETRACT, KBT_EV_ACTIVATE, KBT_EV_DEACTIVATE, KBT_EV_FIRE, KBT_EV_ERROR,
};

/* Event n is events[n - 1].  Kept small: a long run records millions. */
struct kbt_event {
	uint8_t type;           /* enum kbt_event_type */
	uint32_t fact;          /* ASSERT, RETRACT */
	uint32_t rule;          /* ACTIVATE, DEACTIVATE, FIRE, ERROR: index in rules */
	uint32_t nfacts;        /* ACTIVATE: the facts matched */
	uint32_t error;         /* ERROR: index in errors */
	uint64_t firing;        /* FIRE; others: the firing running then, or 0 */
	uint64_t activation;    /* ACTIVATE, DEACTIVATE, FIRE */
	uint32_t *facts;
};

struct kbt_error {
	size_t rule;
	const char *where, *message;
	uint64_t firing;        /* the firing whose action failed, or during which a
				 * predicate failed; 0 outside firings */
};

/* A test a close fact failed. */
struct kbt_failure {
	size_t test;            /* its place among the condition's tests as shown
				 * (kbr_format_cond(): by slot) */
	const char *text;       /* the test as written: "service_pack = 4" */
	const char *slot;
	const char *op;         /* eq ne lt le gt ge ci one_of match test */
	struct kb_value wanted; /* constant or variable value; nil for sets, patterns, predicates */
	struct kb_value observed;
};

struct kbt_candidate {
	uint32_t fact;
	size_t nfailed;         /* tests failed; failures holds the first of them */
	size_t nfailures;
	struct kbt_failure *failures;
};

/* A rule that did not fire: the condition its matches stopped at. */
struct kbt_near_miss {
	size_t rule;
	size_t cond;            /* 0-based; == the rule's nconds when every condition matched */
	enum kb_near_reason reason;
	const char *kind;       /* the condition's kind; NULL for a test */
	size_t partial;         /* partial matches that reached it */
	size_t nmatched;        /* one of them: the facts of conditions 0 .. cond-1 */
	uint32_t *matched;
	size_t nbindings;       /* the variables it bound */
	struct kbt_slot *bindings;
	size_t nchoices;        /* one per any_of condition up to cond: the alternative shown */
	struct kbt_choice *choices;
	size_t candidates;      /* live facts of the kind tried */
	size_t nclosest;
	struct kbt_candidate *closest;
};

struct kbt_store;

struct kbt_trace {
	struct kbt_store *store;
	const char *version;    /* kbdiag's */
	struct kbt_input *inputs;
	size_t ninputs;
	struct kbt_rule *rules;
	size_t nrules;
	struct kbt_fact *facts; /* by id, ascending */
	size_t nfacts;
	struct kbt_firing *firings; /* by n, ascending */
	size_t nfirings;
	struct kbt_event *events;
	size_t nevents;
	struct kbt_error *errors;
	size_t nerrors;
	struct kbt_near_miss *misses;
	size_t nmisses;
};

/* ---- the model (model.c) ----------------------------------------------- */

struct kbt_trace *kbt_trace_new(void);
void kbt_trace_free(struct kbt_trace *t); /* NULL is a no-op */

/* Lookups; NULL when absent.  Pointers stay valid until the trace changes. */
const struct kbt_fact *kbt_fact(const struct kbt_trace *t, uint32_t id);
const struct kbt_firing *kbt_firing(const struct kbt_trace *t, uint64_t n);
const struct kbt_rule *kbt_rule_find(const struct kbt_trace *t, const char *id);
/* The choice among c[0..n) made at condition cond (an any_of), or NULL. */
const struct kbt_choice *kbt_choice_at(const struct kbt_choice *c, size_t n, size_t cond);
const struct kb_value *kbt_slot(const struct kbt_fact *f, const char *name);
const char *kbt_slot_str(const struct kbt_fact *f, const char *name);
bool kbt_is_finding(const struct kbt_fact *f);
/* Findings (facts of kind "finding" live at the end), by severity then id;
 * returns their count and a malloc'd array of ids in *ids. */
size_t kbt_findings(const struct kbt_trace *t, uint32_t **ids);
/* The finding a user names: "f12", "12", or a rule id or article with one
 * finding.  0 when none or ambiguous. */
uint32_t kbt_finding_named(const struct kbt_trace *t, const char *name);

const char *kbt_origin_name(enum kb_origin o);
const char *kbt_reason_name(enum kb_near_reason r);
/* A value as the rule language writes it: "tcp" quoted, 110, true, nil. */
void kbt_value_text(char *buf, size_t n, struct kb_value v);
/* An evidence record's text, one "indent| " line per line of it. */
void kbt_raw_text(FILE *out, const char *indent, const char *text);
struct json_t;
/* A value as JSON (a string repaired to UTF-8, a number, a boolean); NULL
 * for nil.  A new reference. */
struct json_t *kbt_value_json(struct kb_value v);

/* ---- recording (recorder.c) -------------------------------------------- */

struct kbt_recorder;

/* Starts recording eng's events into t (the engine's recorder hook). */
struct kbt_recorder *kbt_recorder_new(struct kb_engine *eng, struct kbt_trace *t);
/* Unhooks and frees; the trace stays.  NULL is a no-op. */
void kbt_recorder_free(struct kbt_recorder *r);
/* What the rule file said about a rule (strings copied; NULL: unknown);
 * makes: the kinds its actions may assert, NULL-terminated, or NULL. */
void kbt_recorder_rule_info(struct kbt_recorder *r, const struct kb_rule *rule, const char *article,
			    const char *title, const char *severity, const char *const *makes);
/* An input read or collected: the next `facts` evidence facts asserted
 * (in order) came from it. */
void kbt_recorder_input(struct kbt_recorder *r, const char *path, const char *format, size_t facts,
			const char *unavailable, bool collector);
/* After kb_run(): every rule listed, near misses for those that never
 * fired. */
void kbt_recorder_finish(struct kbt_recorder *r);

/* ---- the JSON document (json_write.c, json_read.c) ----------------------- */

int kbt_write_json(const struct kbt_trace *t, FILE *out);
/* NULL with a message in err (naming what is wrong) when the file is not
 * a trace this version reads. */
struct kbt_trace *kbt_read_json(const char *path, char *err, size_t errlen);
struct kbt_trace *kbt_read_json_buffer(const char *buf, size_t len, char *err, size_t errlen);

/* ---- renderers ------------------------------------------------------------ */

/* why.c: the why-tree of one finding, each line starting with indent:
 * the firing that made it, the conditions it matched, the facts and the
 * firings behind them, down to evidence lines (file:line and raw text). */
int kbt_render_why(const struct kbt_trace *t, uint32_t finding, const char *indent, FILE *out);
/* The trace for people: each finding's why-tree, the rules that did not
 * fire and why, rule errors. */
int kbt_render_text(const struct kbt_trace *t, FILE *out);
/* Where facts of a kind come from, for why-not's "what to collect": the
 * evidence in words ("netstat listing", no article), the formats that read it (NULL-terminated) and the
 * command that collects it.  Borrowed from whoever answers. */
struct kbt_evidence {
	const char *platform, *what, *collect;
	const char *const *formats;
};
/* Up to max rows for kind (for its slot when a row names it) into out; the
 * count.  The CLI answers from facts/ (kbf_evidence_for). */
typedef size_t (*kbt_evidence_fn)(const char *kind, const char *slot, struct kbt_evidence *out, size_t max);

/* whynot.c: why a rule did not fire, in words: evidence missing (and what
 * to collect, from evidence, which may be NULL), a condition false (the
 * fact, its line, its value, what the rule wanted), or a derived fact no
 * rule made (and why those rules did not fire, in turn).  1 when the trace
 * does not know the rule (after printing so to out). */
int kbt_render_why_not(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence, FILE *out);
/* whynot_json.c: the same as one JSON object (docs/trace-format.md), or
 * as a new jansson reference (an object with "error" for an unknown rule). */
int kbt_render_why_not_json(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence, FILE *out);
struct json_t;
struct json_t *kbt_why_not_json(const struct kbt_trace *t, const char *rule, kbt_evidence_fn evidence);
/* One sentence: "Q214864 did not fire: the host's service pack is 6, the
 * rule needs 4." */
void kbt_why_not_summary(const struct kbt_trace *t, const struct kbt_near_miss *m, FILE *out);
/* dot.c: Graphviz, evidence -> facts -> firings -> findings. */
int kbt_render_dot(const struct kbt_trace *t, FILE *out);
/* svg.c: one finding's why-tree as an SVG picture laid out by Graphviz
 * (loaded on first use): evidence lines -> facts -> derived facts -> the
 * finding, rule names on the edges, its nearest 40 facts drawn and a node
 * counting the rest.  One <svg> element (no XML prolog, comments or id
 * attributes), to be inlined in HTML.  -1 when the finding is unknown or
 * Graphviz fails. */
int kbt_render_why_svg(const struct kbt_trace *t, uint32_t finding, FILE *out);
/* prov.c: W3C PROV-JSON. */
int kbt_render_prov(const struct kbt_trace *t, FILE *out);
/* By name: "json", "text", "dot", "prov".  -1 for an unknown name. */
int kbt_render(const struct kbt_trace *t, const char *format, FILE *out);

#endif
