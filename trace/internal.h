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

/* nearmiss.c: the rule's variables in the order the rule, written back,
 * first uses them (malloc'd; kb_rule_nvars() entries). */
size_t *kbt_var_order(const struct kb_rule *rule);

/* why.c: "?a = 1, ?b = \"x\"". */
void kbt_bindings_text(FILE *out, const struct kbt_slot *b, size_t n);

/* Severity rank: error 0, warning 1, info 2, other 3. */
int kbt_severity_rank(const char *s);

#endif
