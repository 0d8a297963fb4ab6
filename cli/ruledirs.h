/*
 * ruledirs.h — where rule files come from: the stock set, the system and
 * user rule directories, and --rules arguments, in that order.
 */
#ifndef KBDIAG_CLI_RULEDIRS_H
#define KBDIAG_CLI_RULEDIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "kblua.h"
#include "options.h"

/* The stock rules directory: $KBDIAG_STOCK_RULES, else the installed
 * share/kbdiag/rules beside the executable (kbdiag.exe: rules\ in its
 * folder), else the source tree's rules/. */
const char *kbd_stock_rules_dir(void);

/* kb_lua_new() with the stock rules' bytecode in use (stock_chunks.h):
 * a rule file whose text is a stock file's as built runs unparsed. */
struct kb_lua *kbd_lua_new(struct kb_engine *eng, const struct kbd_options *o);

/* The system rule directory: $KBDIAG_SYSTEM_RULES (for tests and
 * unusual installs), else /etc/kbdiag/rules.d (kbdiag.exe: rules.d\ in
 * its folder). */
const char *kbd_system_rules_dir(void);
/* The user's rule directory, $XDG_CONFIG_HOME/kbdiag/rules.d or
 * $HOME/.config/kbdiag/rules.d (kbdiag.exe: %APPDATA%\kbdiag\rules.d),
 * written to buf; NULL when neither is set. */
const char *kbd_user_rules_dir(char *buf, size_t n);
/* Which of the places above a loaded rule file came from: "stock",
 * "system", "user", "--rules", or "?". */
const char *kbd_rule_origin(const struct kbd_options *o, const char *file);
/* The same for a "file:line" place. */
const char *kbd_place_origin(const struct kbd_options *o, const char *place);
/* The file of a "file:line" place as the binding writes them (its
 * diagnostics' and replaced rules' places), or the place itself when it
 * has no line; to free(). */
char *kbd_place_file(const char *place);

/* Whether file is dir itself or lies below it, compared as the loader
 * spells paths (it joins "dir/name"). */
bool kbd_path_under(const char *file, const char *dir);
/* From now on the loaders skip these files and everything under these
 * directories (real paths): `rules check` loads them itself. */
void kbd_rules_skip(const char *const *realpaths, size_t n);

/* Loads every rule file of every directory the options name, each
 * directory's *.lua files sorted by path, recursively; test cases
 * (*.test.lua) and tests/ folders are skipped.  Returns the files loaded. */
size_t kbd_load_rules(struct kb_lua *lua, const struct kbd_options *o);
/* Loads one file or every rule file under a directory. */
size_t kbd_load_rule_path(struct kb_lua *lua, const char *path, bool must_exist);

#endif
