/*
 * cmd_check.c — `kbdiag rules check FILE...`: load rule files without
 * running anything and report every problem with its file:line.
 *
 * The files are checked in the company they will run in: the stock set
 * (unless --no-stock), the system and user directories and each --rules
 * DIR are loaded first, so that kinds declared elsewhere are known and a
 * rule that replaces another one is noticed; only problems in the files
 * named are reported.  The binding runs in lint mode (kb_lua_set_lint),
 * which adds warnings for variables used once and for match fields Lua
 * functions read that nothing binds, and errors for joins of slots of
 * different types.  Exit status: 0 clean, 1 warnings only, 2 errors.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "commands.h"
#include "facts.h"
#include "json_text.h"
#include "ruledirs.h"
#include "textout.h"
#include "xalloc.h"

struct check {
	const struct kbd_options *o;
	const char **files; /* the arguments */
	size_t nfiles;
	int errors, warnings, rules;
	json_t *problems;   /* --format json */
};

/* Whether file is one of the files checked, or under one of them. */
static bool checked(const struct check *c, const char *file)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (kbd_path_under(file, c->files[i]))
			return true;
	return false;
}

/* The same for a "file:12" place the binding wrote. */
static bool checked_place(const struct check *c, const char *place)
{
	char *file = kbd_place_file(place);
	bool found = checked(c, file);
	free(file);
	return found;
}

static void problem(struct check *c, enum kb_diag_level level, const char *where, const char *msg)
{
	static const char *const levels[] = {"error", "warning", "note"};
	c->errors += level == KB_DIAG_ERROR;
	c->warnings += level == KB_DIAG_WARNING;
	if (c->problems)
		json_array_append_new(c->problems, json_pack("{s:s,s:o,s:o}", "level", levels[level],
							      "where", kbu_json_text(where), "message",
							      kbu_json_text(msg)));
	else
		kbu_tprintf(stdout, "%s: %s: %s\n", where, levels[level], msg);
}

/* Two rules with one id among the files checked: only the later one would
 * run.  One that replaces a rule from elsewhere: a note. */
static void same_ids(struct check *c, const struct kb_lua *lua)
{
	for (size_t i = 0; i < kb_lua_nrules(lua); i++) {
		const struct kb_rule_info *r = kb_lua_rule(lua, i);
		bool ours = checked(c, r->file);
		c->rules += ours;
		if (ours && r->replaces) {
			bool twice = checked_place(c, r->replaces);
			size_t size = strlen(r->id) + strlen(r->replaces) + 64;
			char *msg = kbu_malloc(size);
			if (twice)
				snprintf(msg, size, "rule %s is declared twice: the one at %s is ignored", r->id, r->replaces);
			else
				snprintf(msg, size, "rule %s replaces the %s rule at %s", r->id,
					 kbd_place_origin(c->o, r->replaces), r->replaces);
			size = strlen(r->file) + 16;
			char *where = kbu_malloc(size); /* as the report shows a place */
			snprintf(where, size, "%s:%d", r->file, r->line);
			problem(c, twice ? KB_DIAG_ERROR : KB_DIAG_NOTE, where, msg);
			free(where);
			free(msg);
		}
	}
}

static void report(struct check *c, const struct kb_lua *lua)
{
	for (size_t i = 0; i < kb_lua_ndiags(lua); i++) {
		const struct kb_diag *d = kb_lua_diag(lua, i);
		/* replacements are told by same_ids() from the replacing side */
		if (checked_place(c, d->where) && !strstr(d->msg, " is replaced by the one at "))
			problem(c, d->level, d->where, d->msg);
	}
	same_ids(c, lua);
}

/* The real paths of the files checked, for the loaders to skip. */
static char **real_paths(const struct check *c)
{
	char **v = kbu_calloc(c->nfiles + 1, sizeof(*v));
	for (size_t i = 0; i < c->nfiles; i++)
		v[i] = realpath(c->files[i], NULL);
	return v;
}

static void load_and_check(struct check *c, struct kb_lua *lua)
{
	char **real = real_paths(c);
	kbd_rules_skip((const char *const *)real, c->nfiles);
	kbd_load_rules(lua, c->o);
	kbd_rules_skip(NULL, 0);
	for (size_t i = 0; i < c->nfiles; i++)
		kbd_load_rule_path(lua, c->files[i], true);
	kb_lua_compile(lua);
	report(c, lua);
	for (size_t i = 0; i < c->nfiles; i++)
		free(real[i]);
	free(real);
}

static void summary(struct check *c)
{
	if (c->problems) {
		json_t *doc = json_pack("{s:o,s:i,s:i,s:i}", "problems", c->problems, "rules", c->rules,
					"errors", c->errors, "warnings", c->warnings);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		return;
	}
	kbu_tprintf(stdout, "%d rule%s checked: %d error%s, %d warning%s\n", c->rules, c->rules == 1 ? "" : "s",
	       c->errors, c->errors == 1 ? "" : "s", c->warnings, c->warnings == 1 ? "" : "s");
}

int kbd_cmd_rules_check(const struct kbd_options *o)
{
	struct check c = {.o = o, .files = (const char **)o->args + 1, .nfiles = o->nargs - 1};
	if (c.nfiles == 0) {
		kbu_tprintf(stderr, "kbdiag: rules check needs rule files or directories (see kbdiag --help)\n");
		return 2;
	}
	for (size_t i = 0; i < c.nfiles; i++) {
		struct stat st;
		if (stat(c.files[i], &st) < 0) {
			kbu_tprintf(stderr, "kbdiag: rules check %s: no such file or directory\n", c.files[i]);
			return 2;
		}
	}
	struct kb_error err = {0};
	struct kb_engine *eng = kb_engine_new();
	struct kb_lua *lua = NULL;
	if (kbf_schema_declare(eng, &err) < 0 || !(lua = kbd_lua_new(eng, o))) {
		kbu_tprintf(stderr, "kbdiag: cannot start the engine: %s\n", err.msg[0] ? err.msg : "cannot start Lua");
		kb_engine_free(eng);
		return 2;
	}
	kb_lua_set_lint(lua, true);
	if (o->format == KBD_JSON)
		c.problems = json_array();
	load_and_check(&c, lua);
	summary(&c);
	kb_lua_free(lua);
	kb_engine_free(eng);
	return c.errors ? 2 : c.warnings ? 1 : 0;
}
