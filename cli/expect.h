/*
 * expect.h — the format of a rule test case's expect.json (ruletest.c).
 */
#ifndef KBDIAG_CLI_EXPECT_H
#define KBDIAG_CLI_EXPECT_H

#include <stdio.h>

#include <jansson.h>

#include "kblua.h"

/* Checks expect (read from path) against the format, and the rule ids its
 * "must" and "must_not" name against the rules lua loaded.  Prints one
 * "  ! path: ..." line to out per problem; returns how many there were. */
int kbd_expect_check(FILE *out, json_t *expect, const char *path, const struct kb_lua *lua);

#endif
