/*
 * reads.c — the kinds rule files' Lua code reads whole.  kb.facts("kind")
 * hands an action every live fact of a kind, whatever the rules' patterns
 * match, so the engine's pre-filter must keep every fact of that kind: a
 * message that lists the host's addresses would otherwise lose some.
 *
 * The kinds are read from each file's text as it loads (luatext.c): each
 * kb.facts with a quoted kind names one.  Any other use of the name
 * (kb.facts(kind) with a kind computed at run time, x.facts for kb under
 * another name, the function handed around) could read any kind, and
 * rules the filter out for the run.  What the text cannot show at all
 * (kb["facts"], a loop over kb) is caught when it runs: kb.facts refuses a
 * kind the filter has left facts out of (actions.c), so a rule that
 * escapes this reading fails loudly rather than see part of a kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "xalloc.h"

struct scan {
	struct kb_lua *lua;
	const struct kbl_text *t;
	bool after_kb;  /* the last identifier was kb, followed by '.' */
};

static void add_kind(struct kb_lua *lua, const char *name, size_t len)
{
	for (size_t i = 0; i < lua->nread_kinds; i++)
		if (strlen(lua->read_kinds[i]) == len && memcmp(lua->read_kinds[i], name, len) == 0)
			return;
	lua->read_kinds = kbu_realloc(lua->read_kinds, lua->nread_kinds + 1, sizeof(*lua->read_kinds));
	lua->read_kinds[lua->nread_kinds++] = kbu_strndup(name, len);
}

/* The kind of kb.facts "kind" or kb.facts("kind") after the identifier
 * facts at id; false when it is not written so. */
static bool quoted_kind(const struct scan *sc, const struct kbl_ident *id, const char **name, size_t *len)
{
	size_t i = (size_t)(id->p + id->len - sc->t->s), open = kbl_text_punct(sc->t, i, '(');
	size_t end = kbl_text_plain_string(sc->t, open ? open : i, name, len);
	return end && (!open || kbl_text_punct(sc->t, end, ')'));
}

static void scan_ident(void *ud, const struct kbl_ident *id)
{
	struct scan *sc = ud;
	bool of_kb = sc->after_kb && id->before == '.';
	sc->after_kb = kbl_ident_is(id, "kb") && id->after == '.' && id->before != '.' && id->before != ':';
	if (!kbl_ident_is(id, "facts") || (id->before != '.' && id->before != ':'))
		return; /* a name of the file's own, not a field */
	const char *name;
	size_t len;
	if (of_kb && quoted_kind(sc, id, &name, &len)) {
		add_kind(sc->lua, name, len);
		return;
	}
	sc->lua->reads_any_kind = true;
	if (sc->lua->lint) { /* rules check: say what it costs */
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", sc->t->file, id->line);
		kbl_diag(sc->lua, KB_DIAG_NOTE, where, "kb.facts without a quoted kind: kbdiag cannot tell which kind it "
			 "reads, so it keeps every fact it is given, also those no rule matches (write kb.facts(\"kind\"))");
	}
}

void kbl_reads_scan(struct kb_lua *lua, const char *name, const char *src, size_t len)
{
	struct kbl_text t = {src, len, name, 1};
	struct scan sc = {lua, &t, false};
	kbl_each_ident(&t, scan_ident, &sc);
}

void kbl_reads_apply(struct kb_lua *lua)
{
	if (lua->reads_any_kind)
		kb_prefilter_rule_out(lua->eng);
	for (size_t i = 0; i < lua->nread_kinds; i++)
		kb_prefilter_keep_kind(lua->eng, kb_kind_find(lua->eng, lua->read_kinds[i]));
}

void kbl_reads_free(struct kb_lua *lua)
{
	for (size_t i = 0; i < lua->nread_kinds; i++)
		free(lua->read_kinds[i]);
	free(lua->read_kinds);
	lua->read_kinds = NULL;
	lua->nread_kinds = 0;
}
