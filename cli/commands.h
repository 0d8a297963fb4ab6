/*
 * commands.h — one function per subcommand; each returns the exit status.
 */
#ifndef KBDIAG_CLI_COMMANDS_H
#define KBDIAG_CLI_COMMANDS_H

#include "options.h"
#include "session.h"

int kbd_cmd_run(const struct kbd_options *o);
int kbd_cmd_collect(const struct kbd_options *o);
int kbd_cmd_diagnose(const struct kbd_options *o);
int kbd_cmd_facts(const struct kbd_options *o);
int kbd_cmd_rules(const struct kbd_options *o);
int kbd_cmd_rules_test(const struct kbd_options *o);
int kbd_cmd_explain(const struct kbd_options *o);
int kbd_cmd_fleet(const struct kbd_options *o);
int kbd_cmd_rules_check(const struct kbd_options *o);
int kbd_cmd_rules_new(const struct kbd_options *o);
/* `rules kinds [KIND]` on the session `rules` opened: every kind, or KIND. */
int kbd_rules_kinds(const struct kbd_session *s, const char *kind);

#endif
