/*
 * lint.c — what `kbdiag rules check` adds to translation, for one rule
 * that translated: variables used only once, fields a Lua function reads
 * from its match table that no pattern binds, and kb.diagnose in a rule
 * without a title and severity.
 *
 * Lua functions are read as text, not run: a function(m) can reach any
 * variable as m.name, so a variable whose name appears as a word anywhere
 * in the rule's functions counts as used, and a function that hands m
 * itself to something else (pairs(m), helper(m), m[k]) counts as using
 * them all.  A field read as m.name is checked against the variables the
 * function really receives: all of them for diagnose, remedy and action,
 * those bound before it for a test().  The text of a function is the lines
 * Lua says it spans (linedefined..lastlinedefined), so a function that
 * shares a line with another is read with it: these are warnings, and err
 * on the side of silence.  Names starting with '_' (?_x) are never
 * reported as unused.
 *
 * A message or remedy that can print an unset slot is warned of: a
 * template's ?x reads "unknown" there, and a function's m.x gives "nil" to
 * tostring and an error to "..".  A variable is known to be set when one
 * positive pattern binds it at a slot its kind declares always set
 * (kb_slot_always), or tests that slot with a comparison no unset slot
 * passes (a constant, ci, lt, le, gt, ge, match, one_of; not ne, not a Lua
 * test, which kbdiag cannot read), or when it names a matched fact.  A
 * function that tests m.x itself (m.x and, m.x or, not m.x, m.x ==, m.x ~=,
 * m.x then) is taken to print it only where it is set.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "translate.h"

#define MAX_FIELDS 64

/* ---- reading the functions' text ------------------------------------------------- */

/* The lines of the function at the top of the stack, from the file's
 * kept text.  Pops the function.  false for C functions and others. */
static bool fn_text(lua_State *L, struct kbl_text *t)
{
	lua_Debug ar;
	if (!lua_getinfo(L, ">S", &ar) || ar.source[0] != '@' || ar.linedefined <= 0)
		return false;
	t->file = ar.source + 1;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &kbl_key_sources);
	lua_getfield(L, -1, t->file);
	size_t len;
	const char *src = lua_tolstring(L, -1, &len); /* kept alive by the registry */
	lua_pop(L, 2);
	if (!src)
		return false;
	const char *end = src + len, *from = src;
	for (int line = 1; line < ar.linedefined && from < end; line++)
		from = (from = memchr(from, '\n', (size_t)(end - from))) ? from + 1 : end;
	const char *to = from;
	for (int line = ar.linedefined; line <= ar.lastlinedefined && to < end; line++)
		to = (to = memchr(to, '\n', (size_t)(end - to))) ? to + 1 : end;
	*t = (struct kbl_text){from, (size_t)(to - from), ar.source + 1, ar.linedefined};
	return true;
}

/* ---- what a function reads ------------------------------------------------------------ */

/* A field a diagnose or remedy function reads from its match table. */
struct field_read {
	char name[64];
	int line;       /* of its first read */
	bool tested;    /* some read of it is a test */
};

struct reading {
	struct builder *b;
	const struct kbl_text *t;
	const char *const *allowed; /* the names the function receives */
	size_t nallowed;
	bool fields;                /* it receives the match (else a slot value) */
	int state;                  /* 0 before 'function', 1 its name, 2 in '(', 3 body */
	char param[64];
	bool opaque;                /* the match table goes somewhere we cannot follow */
	bool field_next;            /* the previous identifier was the parameter, then '.' */
	size_t nreported;
	char reported[MAX_FIELDS][64];
	const char *param_at;       /* where the parameter before the '.' is */
	size_t nreads;              /* the fields read, when reads is set */
	struct field_read *reads;
};

static bool allowed(const struct reading *r, const struct kbl_ident *id)
{
	for (size_t i = 0; i < r->nallowed; i++)
		if (kbl_ident_is(id, r->allowed[i]))
			return true;
	return false;
}

static void report_field(struct reading *r, const struct kbl_ident *id)
{
	char name[64], where[300];
	snprintf(name, sizeof(name), "%.*s", (int)id->len, id->p);
	for (size_t i = 0; i < r->nreported; i++)
		if (strcmp(r->reported[i], name) == 0)
			return;
	if (r->nreported < MAX_FIELDS)
		snprintf(r->reported[r->nreported++], sizeof(r->reported[0]), "%s", name);
	snprintf(where, sizeof(where), "%s:%d", r->t->file, id->line);
	kbl_diag(r->b->lua, KB_DIAG_WARNING, where, "rule %s: %s.%s is nil here: no pattern %s ?%s",
		 r->b->r->info.id, r->param, name, r->nallowed == r->b->nvars ? "binds" : "before this test binds", name);
}

/* The word or operator of the text next to [p, p + len): after it, or
 * before it when back. */
static bool next_is(const struct kbl_text *t, const char *p, size_t len, bool back, const char *what)
{
	size_t n = strlen(what);
	const char *end = t->s + t->len;
	if (back) {
		while (p > t->s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
			p--;
		return p - t->s >= (ptrdiff_t)n && memcmp(p - n, what, n) == 0 &&
		       (p - (ptrdiff_t)n == t->s || !kbl_ident_char(p[-(ptrdiff_t)n - 1]));
	}
	p += len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return end - p >= (ptrdiff_t)n && memcmp(p, what, n) == 0 &&
	       (p + n == end || !kbl_ident_char(p[n]) || !kbl_ident_char(what[0]));
}

/* Whether this read of param.field tests the field rather than prints it. */
static bool read_tests(const struct reading *r, const struct kbl_ident *id)
{
	static const char *const after[] = {"and", "or", "then", "==", "~="};
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++)
		if (next_is(r->t, id->p, id->len, false, after[i]))
			return true;
	return r->param_at && next_is(r->t, r->param_at, 0, true, "not");
}

static void record_read(struct reading *r, const struct kbl_ident *id)
{
	size_t i = 0;
	while (i < r->nreads && !kbl_ident_is(id, r->reads[i].name))
		i++;
	if (i == r->nreads) {
		if (r->nreads == MAX_FIELDS || id->len >= sizeof(r->reads[0].name))
			return;
		snprintf(r->reads[i].name, sizeof(r->reads[i].name), "%.*s", (int)id->len, id->p);
		r->reads[i].line = id->line;
		r->reads[i].tested = false;
		r->nreads++;
	}
	r->reads[i].tested |= read_tests(r, id);
}

/* Finds the first function's parameter, then follows what it reads. */
static void read_ident(void *ud, const struct kbl_ident *id)
{
	struct reading *r = ud;
	if (r->state == 0 && kbl_ident_is(id, "function")) {
		r->state = id->after == '(' ? 2 : 1;
	} else if (r->state == 1) {
		r->state = id->after == '(' ? 2 : 1;
	} else if (r->state == 2) {
		if (id->before == '(')
			snprintf(r->param, sizeof(r->param), "%.*s", (int)id->len, id->p);
		r->state = 3;
	} else if (r->state == 3 && r->field_next) {
		r->field_next = false;
		if (r->fields && !allowed(r, id))
			report_field(r, id);
		else if (r->reads)
			record_read(r, id);
	} else if (r->state == 3 && r->param[0] && kbl_ident_is(id, r->param) && id->before != '.' && id->before != ':') {
		if (id->after == '.') {
			r->field_next = true;
			r->param_at = id->p;
		} else
			r->opaque = true;
	}
}

/* Checks what the function at the top of the stack reads of its match
 * table; pops it.  Returns whether the table escapes (opaque), and
 * appends its text to texts for the unused-variable check; with reads,
 * the fields it reads go there (MAX_FIELDS of them). */
static bool read_function(struct builder *b, const char *const *names, size_t n, bool fields,
			  struct kbl_text *texts, size_t *ntexts, struct field_read *reads, size_t *nreads)
{
	struct kbl_text t;
	if (!fn_text(b->lua->L, &t))
		return false;
	if (*ntexts < 8)
		texts[(*ntexts)++] = t;
	struct reading r = {.b = b, .t = &t, .allowed = names, .nallowed = n, .fields = fields, .reads = reads};
	kbl_each_ident(&t, read_ident, &r);
	if (nreads)
		*nreads = r.nreads;
	return r.opaque;
}

/* ---- what a message can print unset ------------------------------------------------------- */

/* Whether a test of a slot fails on an unset slot, so that a variable
 * bound at the slot of the same pattern is set. */
static bool refuses_unset(const struct kb_test *t)
{
	switch (t->op) {
	case KB_OP_EQ: return t->operand != KB_OPERAND_VAR;
	case KB_OP_CI_EQ: case KB_OP_LT: case KB_OP_LE: case KB_OP_GT: case KB_OP_GE:
	case KB_OP_MATCH: case KB_OP_IN: return true;
	default: return false; /* ne, and a Lua test kbdiag cannot read */
	}
}

/* Where a variable is bound: the first positive pattern's kind and slot,
 * whether any binding makes sure it is set, and the any_of whose choices
 * bind it, when only some of them do and nothing else sets it. */
struct binding {
	int kind, slot;
	bool set;
	const char *partly;
};

/* Whether the positive pattern cond binds var; its first binding's kind
 * and slot into *at, and whether some binding makes sure it is set. */
static bool pattern_binds(const struct builder *b, const struct kb_cond *cond, int var, struct binding *at)
{
	bool binds = false;
	for (size_t i = 0; cond->type == KB_COND_PATTERN && i < cond->ntests && !at->set; i++) {
		const struct kb_test *t = &cond->tests[i];
		if (t->op != KB_OP_EQ || t->operand != KB_OPERAND_VAR || t->var != var)
			continue;
		if (!binds)
			*at = (struct binding){cond->kind, t->slot, false, NULL};
		binds = true;
		at->set = kb_slot_always(b->lua->eng, cond->kind, t->slot);
		for (size_t j = 0; j < cond->ntests && !at->set; j++)
			at->set = cond->tests[j].slot == t->slot && refuses_unset(&cond->tests[j]);
	}
	return binds;
}

static struct binding binding_of(const struct builder *b, int var)
{
	struct binding at = {-1, -1, b->var_cond[var] >= 0, NULL};
	for (size_t c = 0; c < b->nconds && !at.set; c++) {
		const struct kb_cond *cond = &b->conds[c];
		struct binding here = {-1, -1, false, NULL};
		bool binds = false, every = cond->type == KB_COND_ANY, all_set = every;
		if (cond->type == KB_COND_PATTERN)
			binds = all_set = pattern_binds(b, cond, var, &here);
		for (size_t k = 0; k < cond->nchoices; k++) {
			struct binding choice = {-1, -1, false, NULL};
			bool binds_here = pattern_binds(b, &cond->choices[k], var, &choice);
			if (binds_here && !binds)
				here = choice;
			binds = binds || binds_here;
			every = every && binds_here;
			all_set = all_set && choice.set;
		}
		if (!binds)
			continue;
		if (at.kind < 0)
			at = (struct binding){here.kind, here.slot, false, NULL};
		at.set = cond->type == KB_COND_PATTERN ? here.set : all_set;
		at.partly = cond->type == KB_COND_ANY && !every ? cond->where : at.partly;
		if (cond->type == KB_COND_PATTERN)
			at.partly = NULL; /* a later join binds it in every alternative */
	}
	return at;
}

static const char *guard_for(const struct builder *b, struct binding at)
{
	enum kb_type type = kb_kind_slot(b->lua->eng, at.kind, (size_t)at.slot)->type;
	return type == KB_STRING ? "match \".\"" : type == KB_BOOL ? "one_of { true, false }" : "ge(0)";
}

/* ?x in a template that may be unset.  what: "message" or "remedy". */
static void check_template(struct builder *b, const struct kbl_template *t, const char *what)
{
	bool told[KBL_MAX_VARS] = {false};
	for (size_t i = 0; i < t->nparts; i++) {
		int v = t->parts[i].var;
		if (t->parts[i].text || told[v])
			continue;
		told[v] = true;
		struct binding at = binding_of(b, v);
		if (at.set || at.kind < 0)
			continue;
		if (at.partly) {
			kbl_diag(b->lua, KB_DIAG_WARNING, b->where,
				 "rule %s: the %s prints %s, but only some choices of the any_of at %s bind it (in the "
				 "others it would read \"unknown\"): bind it in every choice, or write the %s as a "
				 "function that tests it", b->r->info.id, what, b->vars[v], at.partly, what);
			continue;
		}
		const char *kind = kb_kind_name(b->lua->eng, at.kind);
		const char *slot = kb_kind_slot(b->lua->eng, at.kind, (size_t)at.slot)->name;
		kbl_diag(b->lua, KB_DIAG_WARNING, b->where,
			 "rule %s: the %s prints %s, but %s.%s may be unset (it would read \"unknown\"): insist on a value "
			 "(%s = { \"%s\", %s }), declare the slot always set, or write the %s as a function that tests it",
			 b->r->info.id, what, b->vars[v], kind, slot, slot, b->vars[v], guard_for(b, at), what);
	}
}

/* m.x that a message or remedy function prints without testing it. */
static void check_reads(struct builder *b, const struct field_read *reads, size_t n, const char *file, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		int v = -1;
		for (size_t k = 0; k < b->nvars && v < 0; k++)
			if (strcmp(b->vars[k] + 1, reads[i].name) == 0)
				v = (int)k;
		if (v < 0 || reads[i].tested)
			continue;
		struct binding at = binding_of(b, v);
		if (at.set || at.kind < 0)
			continue;
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", file, reads[i].line);
		if (at.partly) {
			kbl_diag(b->lua, KB_DIAG_WARNING, where,
				 "rule %s: the %s function prints m.%s, but only some choices of the any_of at %s bind it "
				 "(in the others it is nil): test it (m.%s and ... or ...), or bind it in every choice",
				 b->r->info.id, what, reads[i].name, at.partly, reads[i].name);
			continue;
		}
		const char *kind = kb_kind_name(b->lua->eng, at.kind);
		const char *slot = kb_kind_slot(b->lua->eng, at.kind, (size_t)at.slot)->name;
		kbl_diag(b->lua, KB_DIAG_WARNING, where,
			 "rule %s: the %s function prints m.%s, but %s.%s may be unset (tostring gives \"nil\", .. an "
			 "error): test it (m.%s and ... or ...), insist on a value (%s = { \"%s\", %s }), or declare the "
			 "slot always set", b->r->info.id, what, reads[i].name, kind, slot, reads[i].name, slot, b->vars[v],
			 guard_for(b, at));
	}
}

/* The message and the remedy, templates or functions. */
static void check_unset(struct builder *b, int ref, const struct kbl_template *t, const char *what)
{
	if (ref == LUA_NOREF) {
		check_template(b, t, what);
		return;
	}
	struct field_read reads[MAX_FIELDS];
	struct kbl_text texts[1];
	size_t nreads = 0, ntexts = 0;
	lua_rawgeti(b->lua->L, LUA_REGISTRYINDEX, ref);
	/* a function that hands m on (opaque) may test what it prints elsewhere */
	if (!read_function(b, NULL, 0, false, texts, &ntexts, reads, &nreads) && ntexts)
		check_reads(b, reads, nreads, texts[0].file, what);
}

/* ---- the rule ---------------------------------------------------------------------------- */

struct word_search {
	const char *word;
	bool found;
};

static void find_word(void *ud, const struct kbl_ident *id)
{
	struct word_search *w = ud;
	w->found = w->found || kbl_ident_is(id, w->word);
}

static bool in_texts(const struct kbl_text *texts, size_t n, const char *word)
{
	struct word_search w = {word, false};
	for (size_t i = 0; i < n && !w.found; i++)
		kbl_each_ident(&texts[i], find_word, &w);
	return w.found;
}

static bool calls_kb_diagnose(const struct kbl_text *texts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (memmem(texts[i].s, texts[i].len, "kb.diagnose", 11))
			return true;
	}
	return false;
}

void kbl_lint_rule(struct builder *b)
{
	struct kbl_rule *r = b->r;
	lua_State *L = b->lua->L;
	const char *names[KBL_MAX_VARS];
	for (size_t v = 0; v < b->nvars; v++)
		names[v] = b->vars[v] + 1;
	struct kbl_text texts[8];
	size_t ntexts = 0;
	bool opaque = false;
	int refs[] = {r->ref_message, r->ref_remedy, r->ref_action};
	for (size_t i = 0; i < 3; i++) {
		if (refs[i] == LUA_NOREF)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, refs[i]);
		opaque |= read_function(b, names, b->nvars, true, texts, &ntexts, NULL, NULL);
	}
	for (size_t i = 0; i < b->lua->npreds; i++) {
		const struct kbl_pred *p = b->lua->preds[i];
		if (p->rule != r)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref);
		/* a slot test receives a value, not the match: only its words count */
		opaque |= read_function(b, p->var_names, p->nvars, !p->on_slot, texts, &ntexts, NULL, NULL) && !p->on_slot;
	}
	for (size_t v = 0; v < b->nvars && !opaque; v++) {
		if (names[v][0] == '_' || b->uses[v] > 1 || in_texts(texts, ntexts, names[v]))
			continue;
		kbl_diag(b->lua, KB_DIAG_WARNING, b->var_where[v],
			 "rule %s: ?%s is bound but never used (use it, drop it, or name it ?_%s)",
			 r->info.id, names[v], names[v]);
	}
	check_unset(b, r->ref_message, &r->message, "message");
	check_unset(b, r->ref_remedy, &r->remedy, "remedy");
	if ((!r->info.title || !r->info.severity) && calls_kb_diagnose(texts, ntexts))
		kbl_diag(b->lua, KB_DIAG_WARNING, b->where,
			 "rule %s calls kb.diagnose but has no %s: its findings get %s", r->info.id,
			 !r->info.title ? "title" : "severity", !r->info.title ? "the rule id as title" : "severity info");
}
