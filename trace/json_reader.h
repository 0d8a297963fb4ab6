/*
 * json_reader.h — what the trace's JSON reader shares between its two
 * files: json_fields.c reads values off the stream, checks their types and
 * says where a problem is; json_read.c knows the document's sections and
 * elements.  Private to trace/.
 *
 * Every function returns 0, or -1 after recording the first problem in the
 * reader (the problems after it are not recorded): the caller stops.
 */
#ifndef KBDIAG_TRACE_JSON_READER_H
#define KBDIAG_TRACE_JSON_READER_H

#include "filemap.h"
#include "internal.h"
#include "json_scan.h"
#include "printf_like.h"

#define KBT_JSON_PATH 6 /* steps shown: near_misses[0].closest[1].failures[2].text is 4 */
#define KBT_JSON_NO_INDEX SIZE_MAX

/* One step of where the reader is: a name, and an index in it. */
struct kbt_json_step {
	const char *name;
	size_t index;           /* KBT_JSON_NO_INDEX: none */
};

struct kbt_json_rule_key {
	const char *id;
	size_t idx;
};

struct kbt_json_reader {
	struct kbt_trace *t;
	struct kbu_jscan j;
	struct kbu_filemap *map;     /* NULL when reading a buffer */
	char *err;
	size_t errlen;
	bool failed;
	struct kbt_json_step path[KBT_JSON_PATH];
	size_t depth;
	struct kbt_json_rule_key *keys; /* the rules sorted by id, once read */
	const char *last_rule;       /* the rule named last; ids are the trace's */
	size_t last_idx;             /* copies, one pointer per name */
	char *scratch;               /* arrays being read, innermost last */
	size_t nscratch, scratch_cap;
};

/* ---- problems ---------------------------------------------------------------------- */

/* A problem of the whole document, as fmt says. */
int kbt_json_bad(struct kbt_json_reader *rd, const char *fmt, ...) KBU_PRINTF_LIKE(2, 3);
/* A problem at the first `depth` steps of the path: "line 7: facts[3].kind"
 * followed by fmt (" is missing"). */
int kbt_json_bad_at(struct kbt_json_reader *rd, size_t depth, const char *fmt, ...)
	KBU_PRINTF_LIKE(3, 4);
#define kbt_json_bad_here(rd, ...) kbt_json_bad_at((rd), (rd)->depth, __VA_ARGS__)
/* The scanner's problem: the text is not JSON there. */
int kbt_json_syntax(struct kbt_json_reader *rd);

/* The path: enter a name (with an index, or KBT_JSON_NO_INDEX), leave it. */
void kbt_json_enter(struct kbt_json_reader *rd, const char *name, size_t index);
void kbt_json_leave(struct kbt_json_reader *rd);

/* ---- arrays, gathered before they are copied into the trace -------------------------- */

void kbt_json_scratch_push(struct kbt_json_reader *rd, const void *elem, size_t size);
/* The elements pushed since mark, as an array the trace owns (never NULL:
 * an empty array is not an absent one). */
void *kbt_json_scratch_take(struct kbt_json_reader *rd, size_t mark, size_t size, size_t *count);

/* ---- values: each reads the value that comes next ------------------------------------ */

/* A string, or NULL for null. */
int kbt_json_str(struct kbt_json_reader *rd, const char **out);
/* A string, not null. */
int kbt_json_str_strict(struct kbt_json_reader *rd, const char **out);
int kbt_json_int(struct kbt_json_reader *rd, int64_t *out, int64_t min);
/* An integer of at least 0 (counts, event and firing numbers). */
int kbt_json_count(struct kbt_json_reader *rd, uint64_t *out);
/* true; anything else is false. */
int kbt_json_bool(struct kbt_json_reader *rd, bool *out);
/* A slot or variable value: string, number, boolean or null. */
int kbt_json_value(struct kbt_json_reader *rd, struct kb_value *out);
/* A fact, "f12" -> 12; null -> 0 when null_ok.  A problem is shown at the
 * first `depth` steps of the path. */
int kbt_json_ref(struct kbt_json_reader *rd, uint32_t *out, bool null_ok, size_t depth);
/* ["f1", null, ...] */
int kbt_json_refs(struct kbt_json_reader *rd, uint32_t **out, size_t *n);
/* {"name": value, ...}: slots, or variable bindings. */
int kbt_json_slots(struct kbt_json_reader *rd, struct kbt_slot **out, size_t *n);
/* A rule's id: its index in the rules (read before, kbt_json_index_rules). */
int kbt_json_rule(struct kbt_json_reader *rd, size_t *out);
int kbt_json_index_rules(struct kbt_json_reader *rd);

/* ---- containers ---------------------------------------------------------------------- */

/* Calls fn for each element of the array that comes next, with the path's
 * last step at the element's index. */
int kbt_json_elements(struct kbt_json_reader *rd, int (*fn)(struct kbt_json_reader *, void *), void *ud);
/* The array that comes next, each element read by fn and pushed
 * (kbt_json_scratch_push) as size bytes: an array the trace owns, its
 * length in *count; NULL on a problem. */
void *kbt_json_array(struct kbt_json_reader *rd, int (*fn)(struct kbt_json_reader *, void *), size_t size,
		     size_t *count);
/* Reads the object that comes next: fn for each member named in
 * names[0..n) (n <= 32) with its index, the path at the member, the others
 * skipped; *seen gets a bit per member read.  A name given twice is a
 * problem. */
int kbt_json_members(struct kbt_json_reader *rd, const char *const *names, int n, uint32_t *seen,
		     int (*fn)(struct kbt_json_reader *, void *, int), void *elem);

#endif
