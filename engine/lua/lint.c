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
	} else if (r->state == 3 && r->param[0] && kbl_ident_is(id, r->param) && id->before != '.' && id->before != ':') {
		if (id->after == '.')
			r->field_next = true;
		else
			r->opaque = true;
	}
}

/* Checks what the function at the top of the stack reads of its match
 * table; pops it.  Returns whether the table escapes (opaque), and
 * appends its text to texts for the unused-variable check. */
static bool read_function(struct builder *b, const char *const *names, size_t n, bool fields,
			  struct kbl_text *texts, size_t *ntexts)
{
	struct kbl_text t;
	if (!fn_text(b->lua->L, &t))
		return false;
	if (*ntexts < 8)
		texts[(*ntexts)++] = t;
	struct reading r = {.b = b, .t = &t, .allowed = names, .nallowed = n, .fields = fields};
	kbl_each_ident(&t, read_ident, &r);
	return r.opaque;
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
		opaque |= read_function(b, names, b->nvars, true, texts, &ntexts);
	}
	for (size_t i = 0; i < b->lua->npreds; i++) {
		const struct kbl_pred *p = b->lua->preds[i];
		if (p->rule != r)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref);
		/* a slot test receives a value, not the match: only its words count */
		opaque |= read_function(b, p->var_names, p->nvars, p->nvars > 0, texts, &ntexts) && p->nvars;
	}
	for (size_t v = 0; v < b->nvars && !opaque; v++) {
		if (names[v][0] == '_' || b->uses[v] > 1 || in_texts(texts, ntexts, names[v]))
			continue;
		kbl_diag(b->lua, KB_DIAG_WARNING, b->var_where[v],
			 "rule %s: ?%s is bound but never used (use it, drop it, or name it ?_%s)",
			 r->info.id, names[v], names[v]);
	}
	if ((!r->info.title || !r->info.severity) && calls_kb_diagnose(texts, ntexts))
		kbl_diag(b->lua, KB_DIAG_WARNING, b->where,
			 "rule %s calls kb.diagnose but has no %s: its findings get %s", r->info.id,
			 !r->info.title ? "title" : "severity", !r->info.title ? "the rule id as title" : "severity info");
}
