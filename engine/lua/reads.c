/*
 * reads.c — what rule files' Lua code does with kinds that the engine's
 * pre-filter must know before evidence is read: the kinds it reads whole,
 * and the kinds it may add to.
 *
 * kb.facts("kind") hands an action every live fact of a kind, whatever the
 * rules' patterns match, so the pre-filter must keep every fact of that
 * kind: a message that lists the host's addresses would otherwise lose
 * some.  The kinds are read from each file's text as it loads (luatext.c):
 * each kb.facts with a quoted kind names one.  Any other use of the name
 * (kb.facts(kind) with a kind computed at run time, x.facts for kb under
 * another name, the function handed around) could read any kind, and
 * rules the filter out for the run.  What the text cannot show at all
 * (kb["facts"], a loop over kb) is caught when it runs: kb.facts refuses a
 * kind the filter has left facts out of (actions.c), so a rule that
 * escapes this reading fails loudly rather than see part of a kind.
 *
 * A kind the rule files declare and fill with `facts` rows (a table of
 * knowledge: the event sources that report a bind failure) is fixed when
 * no rule can add to it: no rule's `assert` or `modify` names it, and its
 * name is used in no function body (where a constructor call builds a fact
 * to assert) nor quoted to kb.assert, nor in a file that calls kb.modify
 * (on a fact its rules matched).  The pre-filter then
 * also turns away an event whose only way into a match is a join with that
 * table which it fails.  Nothing else may add to the table while the filter
 * relies on it: what the text cannot show (a fact built outside any
 * function and asserted later), or a snapshot holding a fact of the kind,
 * is refused by the engine, with an error that says why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "fnv.h"
#include "xalloc.h"

#define MAX_BLOCKS 200 /* nesting followed; deeper counts as a function body */

struct scan {
	struct kbl_reads *r;
	struct kb_lua *lint; /* rules check: where the notes go, or NULL */
	const struct kbl_text *t;
	bool after_kb;  /* the last identifier was kb, followed by '.' */
	bool modifies;  /* the file calls kb.modify */
	/* the blocks open here (function, do, if, repeat), and how many of them
	 * are function bodies */
	bool function[MAX_BLOCKS];
	size_t depth, functions;
};

/* ---- sets of names (every identifier of every function body goes in one) ---- */

/* Where name[0..len) is in ns, or the empty place it would go. */
/* name may hold a NUL (a rule file's text is bytes), where a kept name,
 * a C string, ends: it equals a kept one only if that is len bytes long,
 * which strnlen finds without reading past a shorter one. */
static char **place(const struct kbl_names *ns, const char *name, size_t len)
{
	for (size_t i = kbu_fnv1a(name, len) & (ns->cap - 1);; i = (i + 1) & (ns->cap - 1))
		if (!ns->v[i] || (strnlen(ns->v[i], len + 1) == len && memcmp(ns->v[i], name, len) == 0))
			return &ns->v[i];
}

static bool has_name(const struct kbl_names *ns, const char *name, size_t len)
{
	return ns->cap && *place(ns, name, len);
}

static void add_name(struct kbl_names *ns, const char *name, size_t len)
{
	if ((ns->n + 1) * 2 > ns->cap) {
		struct kbl_names grown = {kbu_calloc(ns->cap ? ns->cap * 2 : 64, sizeof(char *)),
					  ns->cap ? ns->cap * 2 : 64, ns->n};
		for (size_t i = 0; i < ns->cap; i++)
			if (ns->v[i])
				*place(&grown, ns->v[i], strlen(ns->v[i])) = ns->v[i];
		free(ns->v);
		*ns = grown;
	}
	char **p = place(ns, name, len);
	if (!*p) {
		*p = kbu_strndup(name, len);
		ns->n++;
	}
}

static void free_names(struct kbl_names *ns)
{
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->v[i]);
	free(ns->v);
	*ns = (struct kbl_names){0};
}

const char **kbl_names_take(struct kbl_names *ns)
{
	const char **list = kbu_calloc(ns->n + 1, sizeof(*list));
	size_t n = 0;
	for (size_t i = 0; i < ns->cap; i++)
		if (ns->v[i])
			list[n++] = ns->v[i];
	free(ns->v);
	*ns = (struct kbl_names){0};
	return list;
}

/* Follows Lua's block structure through its keywords. */
static void follow_blocks(struct scan *sc, const struct kbl_ident *id)
{
	bool function = kbl_ident_is(id, "function");
	if (function || kbl_ident_is(id, "do") || kbl_ident_is(id, "if") || kbl_ident_is(id, "repeat")) {
		if (sc->depth < MAX_BLOCKS)
			sc->function[sc->depth] = function;
		sc->functions += function || sc->depth >= MAX_BLOCKS;
		sc->depth++;
	} else if ((kbl_ident_is(id, "end") || kbl_ident_is(id, "until")) && sc->depth) {
		sc->depth--;
		sc->functions -= sc->depth >= MAX_BLOCKS || sc->function[sc->depth];
	}
}

/* The kind of kb.facts "kind" or kb.facts("kind") after the identifier
 * facts at id; false when it is not written so. */
static bool quoted_kind(const struct scan *sc, const struct kbl_ident *id, const char **name, size_t *len)
{
	size_t i = (size_t)(id->p + id->len - sc->t->s), open = kbl_text_punct(sc->t, i, '(');
	size_t end = kbl_text_plain_string(sc->t, open ? open : i, name, len);
	return end && (!open || kbl_text_punct(sc->t, end, ')'));
}

/* The kind of kb.assert("kind", {...}) after the identifier assert at id. */
static bool asserted_kind(const struct scan *sc, const struct kbl_ident *id, const char **name, size_t *len)
{
	size_t open = kbl_text_punct(sc->t, (size_t)(id->p + id->len - sc->t->s), '(');
	size_t end = open ? kbl_text_plain_string(sc->t, open, name, len) : 0;
	return end && kbl_text_punct(sc->t, end, ',');
}

static void scan_ident(void *ud, const struct kbl_ident *id)
{
	struct scan *sc = ud;
	bool of_kb = sc->after_kb && id->before == '.';
	bool field = id->before == '.' || id->before == ':';
	sc->after_kb = kbl_ident_is(id, "kb") && id->after == '.' && !field;
	const char *name;
	size_t len;
	if (!field) {
		follow_blocks(sc, id);
		if (sc->functions) /* a kind's constructor here may build a fact to assert */
			add_name(&sc->r->written, id->p, id->len);
		return;
	}
	sc->modifies |= of_kb && kbl_ident_is(id, "modify");
	if (of_kb && kbl_ident_is(id, "assert")) {
		if (asserted_kind(sc, id, &name, &len))
			add_name(&sc->r->written, name, len);
		return;
	}
	if (!kbl_ident_is(id, "facts"))
		return;
	if (of_kb && quoted_kind(sc, id, &name, &len)) {
		add_name(&sc->r->kinds, name, len);
		return;
	}
	sc->r->any_kind = true;
	if (sc->lint) { /* rules check: say what it costs */
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", sc->t->file, id->line);
		kbl_diag(sc->lint, KB_DIAG_NOTE, where, "kb.facts without a quoted kind: kbdiag cannot tell which kind it "
			 "reads, so it keeps every fact it is given, also those no rule matches (write kb.facts(\"kind\"))");
	}
}

static void name_written(void *ud, const struct kbl_ident *id)
{
	struct kbl_reads *r = ud;
	if (id->before != '.' && id->before != ':')
		add_name(&r->written, id->p, id->len);
}

void kbl_reads_scan(struct kbl_reads *r, struct kb_lua *lint, const char *name, const char *src, size_t len)
{
	struct kbl_text t = {src, len, name, 1};
	struct scan sc = {.r = r, .lint = lint, .t = &t};
	kbl_each_ident(&t, scan_ident, &sc);
	if (sc.modifies) /* of a fact a rule here matched: any kind the file names */
		kbl_each_ident(&t, name_written, r);
}

/* The scan costs a tenth of an idle `kbdiag run` when every stock file is
 * read so at each start; kbdiag-rulec stores its result with the chunk. */
bool kbl_reads_add_chunk(struct kbl_reads *r, const struct kb_lua_chunk *c)
{
	if (!c->read_kinds || !c->written)
		return false;
	for (const char *const *p = c->read_kinds; *p; p++)
		add_name(&r->kinds, *p, strlen(*p));
	for (const char *const *p = c->written; *p; p++)
		add_name(&r->written, *p, strlen(*p));
	r->any_kind |= c->reads_any_kind;
	return true;
}

/* An assert or modify of a kind that does not exist marks nothing: a rule
 * whose build failed at an unknown kind keeps that template, of kind -1
 * (found by fuzz_rule_file). */
static void mark(bool *added, size_t nkinds, int kind)
{
	if (kind >= 0 && (size_t)kind < nkinds)
		added[kind] = true;
}

void kbl_reads_apply(struct kb_lua *lua)
{
	if (lua->reads.any_kind)
		kb_prefilter_rule_out(lua->eng);
	for (size_t i = 0; i < lua->reads.kinds.cap; i++)
		if (lua->reads.kinds.v[i])
			kb_prefilter_keep_kind(lua->eng, kb_kind_find(lua->eng, lua->reads.kinds.v[i]));
	size_t nkinds = kb_kind_count(lua->eng);
	/* tables: kinds with rows in the rule files (their only facts so far) */
	bool *table = kbu_calloc(nkinds ? nkinds : 1, sizeof(*table));
	for (uint32_t id = 1; id <= kb_fact_count(lua->eng); id++) {
		const struct kb_fact *f = kb_fact_get(lua->eng, id);
		table[f->kind] |= f->prov.origin == KB_ORIGIN_KNOWLEDGE;
	}
	bool *added = kbu_calloc(nkinds ? nkinds : 1, sizeof(*added));
	for (size_t r = 0; r < lua->nrules; r++) {
		const struct kbl_rule *rule = lua->rules[r];
		for (size_t i = 0; i < rule->nasserts; i++)
			mark(added, nkinds, rule->asserts[i].kind);
		for (size_t i = 0; i < rule->nmodifies; i++)
			mark(added, nkinds, rule->modifies[i].kind);
	}
	for (size_t k = lua->caller_kinds; k < nkinds; k++) {
		const char *name = kb_kind_name(lua->eng, (int)k);
		if (table[k] && !added[k] && !has_name(&lua->reads.written, name, strlen(name)))
			kb_prefilter_fix_kind(lua->eng, (int)k);
	}
	free(table);
	free(added);
}

static void add_names(struct kbl_names *to, const struct kbl_names *from)
{
	for (size_t i = 0; i < from->cap; i++)
		if (from->v[i])
			add_name(to, from->v[i], strlen(from->v[i]));
}

void kbl_reads_file(struct kb_lua *lua, const struct kb_lua_chunk *code, const char *name, const char *src,
		    size_t len)
{
	struct kbl_reads file = {0};
	/* rules check scans the text for its notes */
	if (lua->lint || !code || !kbl_reads_add_chunk(&file, code))
		kbl_reads_scan(&file, lua->lint ? lua : NULL, name, src, len);
	struct kbl_reads *r = &lua->reads;
	add_names(&r->kinds, &file.kinds);
	add_names(&r->written, &file.written);
	r->any_kind |= file.any_kind;
	free_names(&file.kinds);
	r->files = kbu_realloc(r->files, r->nfiles + 1, sizeof(*r->files));
	r->files[r->nfiles++] = (struct kbl_file_names){kbu_strdup(name), file.written};
}

static const struct kbl_names *file_written(const struct kbl_reads *r, const char *file)
{
	for (size_t i = r->nfiles; file && i-- > 0;) /* the last load of a file counts */
		if (strcmp(r->files[i].file, file) == 0)
			return &r->files[i].written;
	return NULL;
}

static void add_made(const char **makes, size_t *n, const char *kind)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(makes[i], kind) == 0)
			return;
	makes[(*n)++] = kind;
}

void kbl_reads_makes(struct kb_lua *lua)
{
	size_t nkinds = kb_kind_count(lua->eng);
	for (size_t r = 0; r < lua->nrules; r++) {
		struct kbl_rule *rule = lua->rules[r];
		const char **makes = kbu_calloc(nkinds + 1, sizeof(*makes));
		size_t n = 0;
		for (size_t i = 0; i < rule->nasserts; i++) {
			int k = rule->asserts[i].kind;
			if (k >= 0 && (size_t)k < nkinds)
				add_made(makes, &n, kb_kind_name(lua->eng, k));
		}
		const struct kbl_names *written = rule->ref_action != LUA_NOREF ? file_written(&lua->reads, rule->info.file) : NULL;
		for (size_t k = 0; written && k < nkinds; k++) {
			const char *kind = kb_kind_name(lua->eng, (int)k);
			if ((int)k != lua->finding_kind && has_name(written, kind, strlen(kind)))
				add_made(makes, &n, kind);
		}
		free(rule->info.makes);
		rule->info.makes = makes;
	}
}

void kbl_reads_free(struct kbl_reads *r)
{
	free_names(&r->kinds);
	free_names(&r->written);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].file);
		free_names(&r->files[i].written);
	}
	free(r->files);
}
