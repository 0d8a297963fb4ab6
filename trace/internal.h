/*
 * internal.h — what the trace library's files share: the store that owns a
 * trace's strings and arrays, and growing its vectors.
 */
#ifndef KBDIAG_TRACE_INTERNAL_H
#define KBDIAG_TRACE_INTERNAL_H

#include "trace.h"
#include "xalloc.h"

/* Zeroed memory owned by the trace. */
void *kbt_alloc(struct kbt_trace *t, size_t size);
/* The trace's copy of s (one copy per distinct string); NULL for NULL. */
const char *kbt_str(struct kbt_trace *t, const char *s);
/* v with its string, if any, copied into the trace. */
struct kb_value kbt_value(struct kbt_trace *t, struct kb_value v);

/* The trace's vectors, for kbt_push(). */
enum kbt_vec { KBT_INPUTS, KBT_RULES, KBT_FACTS, KBT_FIRINGS, KBT_EVENTS, KBT_ERRORS, KBT_MISSES, KBT_NVEC };
/* Appends a zeroed element to vector `which` and returns it.  Elements
 * move when the vector grows. */
void *kbt_push(struct kbt_trace *t, enum kbt_vec which);

/* nearmiss.c: records why rule (index idx in t->rules) did not fire, from
 * its near miss (kb_rules_near_miss()). */
void kbt_nearmiss_record(struct kbt_trace *t, const struct kb_engine *eng, const struct kb_rule *rule, size_t idx,
			 const struct kb_near_miss *m);

/* nearmiss.c: the choices alternative takes at the rule's any_of
 * conditions before `upto` (and at it, if it is one), into *out (in the
 * trace's memory); their number. */
size_t kbt_choices(struct kbt_trace *t, const struct kb_engine *eng, const struct kb_rule *rule, size_t alternative,
		   size_t upto, struct kbt_choice **out);

/* nearmiss.c: the rule's variables in the order the rule, written back,
 * first uses them (malloc'd; kb_rule_nvars() entries). */
size_t *kbt_var_order(const struct kb_rule *rule);

/* why.c: "?a = 1, ?b = \"x\"". */
void kbt_bindings_text(FILE *out, const struct kbt_slot *b, size_t n);
/* why.c: the facts the fact at index root rests on, itself first, then
 * breadth first through the firings that made them (nearest first, each
 * once), as indexes in t->facts in a malloc'd *order; returns the count. */
size_t kbt_why_facts(const struct kbt_trace *t, size_t root, size_t **order);

/* ---- why-not's analysis (whynot.c), for its text and JSON forms ---- */

#define KBT_WHY_NOT_DEPTH 4   /* derived kinds followed below the rule asked about */
#define KBT_WHY_NOT_MAKERS 6  /* rules that make a missing kind, followed each */
#define KBT_WHY_NOT_SOURCES 4 /* evidence rows shown for a missing kind */
#define KBT_WHY_NOT_READ 4    /* inputs named that were read and gave nothing */

enum kbt_cause {
	KBT_CAUSE_FIRED,            /* it fired after all */
	KBT_CAUSE_EVIDENCE_MISSING, /* no input gave the fact (or the slot) a condition needs */
	KBT_CAUSE_CONDITION_FALSE,  /* the facts are there and say something else */
	KBT_CAUSE_NOT_DERIVED,      /* a derived kind no rule made: makers say why */
	KBT_CAUSE_PENDING,          /* every condition matched (disabled, or the run stopped) */
	KBT_CAUSE_UNKNOWN,          /* the trace holds no analysis */
	KBT_CAUSE_SHOWN,            /* already explained higher up this chain (a cycle) */
};

struct kbt_reason {
	size_t rule;                         /* index in t->rules */
	enum kbt_cause cause;
	const struct kbt_near_miss *miss;    /* NULL for fired, unknown, shown */
	const struct kbt_candidate *closest; /* the closest fact, when there is one */
	const char *slot;                    /* evidence missing for one slot of closest */
	bool sourced;                        /* some evidence gives it, on some platform */
	size_t nsources;                     /* where the missing fact or slot comes from, here */
	struct kbt_evidence sources[KBT_WHY_NOT_SOURCES];
	size_t nread;                        /* inputs of those formats that were read */
	size_t read[KBT_WHY_NOT_READ];       /* their indexes in t->inputs */
	size_t nmakers, more_makers;         /* rules that make the missing kind (followed; not) */
	struct kbt_reason *makers;           /* malloc'd */
	bool deeper;                         /* makers left unfollowed at the depth bound */
	bool kind_shown;                     /* the missing kind's makers, or its evidence, are
					      * explained earlier in the answer */
};

/* Why t->rules[rule] did not fire, following missing derived kinds down
 * to the rules that make them.  Free with kbt_reason_free(). */
void kbt_reason_find(const struct kbt_trace *t, size_t rule, kbt_evidence_fn evidence, struct kbt_reason *out);
void kbt_reason_free(struct kbt_reason *r);
const char *kbt_cause_name(enum kbt_cause c);
/* The near miss's one-sentence cause, without the rule's name or a full stop. */
void kbt_reason_sentence(const struct kbt_trace *t, const struct kbt_reason *r, FILE *out);
/* The fact's place: "winmsd.txt:1", or "derived by firing #3 (rule-id)". */
void kbt_fact_place(FILE *out, const struct kbt_trace *t, const struct kbt_fact *f);

/* ---- Graphviz labels (label.c), for dot.c and svg.c ---- */

/* s as label text (an escString, as a DOT quoted string and agsafeset()
 * take it): quotes and backslashes escaped, '&' as "&amp;" (Graphviz
 * decodes entities), bytes that are not UTF-8 as U+FFFD, line ends as
 * left-justified breaks, other control characters dropped, runs of blanks
 * as one, wrapped near 48 characters (a longer word cut at 64), at most
 * maxlines lines, "…" when some is left out. */
void kbt_label_text(FILE *out, const char *s, int maxlines);
/* A fact: "f12 kind" and its first slots, or a finding's rule, severity
 * and message. */
void kbt_fact_label(FILE *out, const struct kbt_fact *f);
/* An evidence fact's line: "file:line" and the raw text. */
void kbt_evidence_label(FILE *out, const struct kbt_fact *f);
/* How a fact's node is drawn: findings red, derived facts yellow,
 * knowledge grey, evidence green. */
struct kbt_node_look {
	const char *shape, *style, *fillcolor;
};
struct kbt_node_look kbt_fact_look(const struct kbt_fact *f);

/* Severity rank: error 0, warning 1, info 2, other 3. */
int kbt_severity_rank(const char *s);

#endif
