/*
 * cmd_rules.c — `kbdiag rules list` and `kbdiag rules show ID`: what the
 * rule directories hold, where each rule came from, and what it matches;
 * `rules kinds` (cmd_kinds.c), `rules check` (cmd_check.c), `rules test`
 * (ruletest.c) and `rules new` (cmd_rulenew.c) start here.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "json_text.h"
#include "report.h"
#include "ruledirs.h"
#include "session.h"
#include "textout.h"

static void print_diags(const struct kb_lua *lua)
{
	static const char *const levels[] = {"error", "warning", "note"};
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++) {
		const struct kb_diag *d = kb_lua_diag(lua, i);
		kbu_tprintf(stderr, "%s: %s: %s\n", d->where, levels[d->level], d->msg);
	}
}

static int error_count(const struct kb_lua *lua)
{
	int n = 0;
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++)
		n += kb_lua_diag(lua, i)->level == KB_DIAG_ERROR;
	return n;
}

static json_t *info_json(const struct kbd_options *opt, const struct kb_rule_info *r)
{
	json_t *o = json_pack("{s:o}", "id", kbu_json_text(r->id));
	if (r->article)
		json_object_set_new(o, "article", kbu_json_text(r->article));
	json_object_set_new(o, "severity", kbu_json_text(r->severity));
	json_object_set_new(o, "title", kbu_json_text(r->title));
	json_object_set_new(o, "source", kbu_json_place(r->file, r->line));
	json_object_set_new(o, "origin", kbu_json_text(kbd_rule_origin(opt, r->file)));
	json_object_set_new(o, "salience", json_integer(r->salience));
	json_t *p = json_array();
	for (size_t i = 0; i < r->nproducts; i++)
		json_array_append_new(p, kbu_json_text(r->products[i]));
	json_object_set_new(o, "products", p);
	if (r->replaces) {
		json_object_set_new(o, "replaces", kbu_json_text(r->replaces));
		json_object_set_new(o, "replaces_origin", kbu_json_text(kbd_place_origin(opt, r->replaces)));
	}
	json_object_set_new(o, "loaded", json_boolean(r->rule != NULL));
	return o;
}

static void list(const struct kbd_session *s)
{
	const struct kb_lua *lua = s->lua;
	if (s->opt->format == KBD_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; i < kb_lua_nrules(lua); i++)
			json_array_append_new(a, info_json(s->opt, kb_lua_rule(lua, i)));
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(a);
		return;
	}
	int w = 2;
	for (size_t i = 0; i < kb_lua_nrules(lua); i++)
		if ((int)strlen(kb_lua_rule(lua, i)->id) > w)
			w = (int)strlen(kb_lua_rule(lua, i)->id);
	kbu_tprintf(stdout, "%-*s %-10s %-8s %-58s %-7s %s\n", w, "ID", "ARTICLE", "SEVERITY", "TITLE", "FROM", "SOURCE");
	for (size_t i = 0; i < kb_lua_nrules(lua); i++) {
		const struct kb_rule_info *r = kb_lua_rule(lua, i);
		kbu_tprintf(stdout, "%-*s %-10s %-8s %-58.58s %-7s %s:%d", w, r->id, r->article ? r->article : "-",
		       r->severity ? r->severity : "-", r->title ? r->title : "-",
		       kbd_rule_origin(s->opt, r->file), r->file, r->line);
		if (r->replaces)
			kbu_tprintf(stdout, "  (replaces %s %s)", kbd_place_origin(s->opt, r->replaces), r->replaces);
		kbu_tprintf(stdout, "%s\n", r->rule ? "" : "  (not loaded)");
	}
}

static int show(const struct kbd_session *s, const char *id)
{
	for (size_t i = 0; i < kb_lua_nrules(s->lua); i++) {
		const struct kb_rule_info *r = kb_lua_rule(s->lua, i);
		if (strcmp(r->id, id) != 0)
			continue;
		kbu_tprintf(stdout, "rule %s\n  source:   %s:%d (%s)\n", r->id, r->file, r->line,
			    kbd_rule_origin(s->opt, r->file));
		if (r->replaces)
			kbu_tprintf(stdout, "  replaces: %s (%s)\n", r->replaces, kbd_place_origin(s->opt, r->replaces));
		kbu_tprintf(stdout, "  article:  %s\n  title:    %s\n  severity: %s\n  salience: %d\n",
		       r->article ? r->article : "-", r->title ? r->title : "-",
		       r->severity ? r->severity : "-", r->salience);
		for (size_t p = 0; p < r->nproducts; p++)
			kbu_tprintf(stdout, "  product:  %s\n", r->products[p]);
		if (r->remedy)
			kbu_tprintf(stdout, "  remedy:   %s\n", r->remedy);
		if (!r->rule) {
			kbu_tprintf(stdout, "  (not loaded: see the errors above)\n");
			return 1;
		}
		kbu_tprintf(stdout, "  when:\n");
		for (size_t c = 0; c < kb_rule_nconds(r->rule); c++) {
			char buf[1024];
			kbr_format_cond(buf, sizeof(buf), s->eng, r->rule, c);
			kbu_tprintf(stdout, "    %s\n", buf);
		}
		return 0;
	}
	kbu_tprintf(stderr, "kbdiag: no rule '%s' (see kbdiag rules list)\n", id);
	return 2;
}

int kbd_cmd_rules(const struct kbd_options *o)
{
	const char *sub = o->nargs ? o->args[0] : "list";
	if (strcmp(sub, "test") == 0)
		return kbd_cmd_rules_test(o);
	if (strcmp(sub, "check") == 0)
		return kbd_cmd_rules_check(o);
	if (strcmp(sub, "new") == 0)
		return kbd_cmd_rules_new(o);
	bool is_list = strcmp(sub, "list") == 0, is_show = strcmp(sub, "show") == 0;
	bool is_kinds = strcmp(sub, "kinds") == 0;
	if (!is_list && !is_show && !is_kinds) {
		kbu_tprintf(stderr, "kbdiag: rules %s: unknown (rules list, rules show ID, rules kinds [KIND], "
				"rules check FILE..., rules test [DIR...], rules new ID)\n", sub);
		return 2;
	}
	if (is_show && o->nargs != 2) {
		kbu_tprintf(stderr, "kbdiag: rules show needs one rule id\n");
		return 2;
	}
	if (is_kinds && o->nargs > 2) {
		kbu_tprintf(stderr, "kbdiag: rules kinds takes at most one kind\n");
		return 2;
	}
	struct kbd_session s;
	int rc = kbd_session_open(&s, o);
	if (rc == 0) {
		print_diags(s.lua);
		if (is_show)
			rc = show(&s, o->args[1]);
		else if (is_kinds)
			rc = kbd_rules_kinds(&s, o->nargs == 2 ? o->args[1] : NULL);
		else
			list(&s);
		if (!is_show && rc == 0) /* the rules listed, less those that failed to load */
			rc = error_count(s.lua) > 0;
	}
	kbd_session_close(&s);
	return rc;
}
