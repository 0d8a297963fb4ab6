/*
 * kblua.h — the rule language: Lua 5.4 rule files, loaded in a sandbox and
 * translated into the core's rules, knowledge facts and kinds.
 *
 * Use: kb_lua_new() on an engine whose stock kinds are declared; load
 * every rule file; kb_lua_compile() once; then assert evidence and
 * kb_run().  Problems in rule files are collected as diagnostics with
 * file:line, and the rules that are fine still run.  Free the binding
 * only after the engine's last kb_run().
 */
#ifndef KBDIAG_ENGINE_LUA_KBLUA_H
#define KBDIAG_ENGINE_LUA_KBLUA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb.h"

struct kb_lua;

struct kb_lua_limits {
	uint64_t instructions; /* per action or predicate call (Lua VM instructions) */
	size_t memory;         /* bytes of Lua heap for all rule state */
	double load_seconds;   /* per rule file, to run its top level */
	double call_seconds;   /* per action or predicate call, wall clock */
};
#define KB_LUA_DEFAULT_INSTRUCTIONS 10000000u
#define KB_LUA_DEFAULT_MEMORY (256u << 20)
#define KB_LUA_DEFAULT_LOAD_SECONDS 1.0
#define KB_LUA_DEFAULT_CALL_SECONDS 1.0

enum kb_diag_level { KB_DIAG_ERROR, KB_DIAG_WARNING, KB_DIAG_NOTE };

struct kb_diag {
	enum kb_diag_level level;
	char where[256]; /* "file:line" */
	char msg[512];
};

/* What a rule file said about a rule.  Strings are borrowed from the
 * binding and live until kb_lua_free(). */
struct kb_rule_info {
	const char *id;
	const char *article;   /* NULL when it encodes none */
	const char *title;
	const char *severity;  /* "error", "warning", "info"; NULL if it diagnoses nothing */
	const char *remedy;    /* the template as written, NULL if none or computed */
	const char *file;
	int line;
	int salience;
	const char *const *products;
	size_t nproducts;
	const struct kb_rule *rule; /* NULL when it failed to compile */
	const char *replaces;  /* "file:line" of an earlier rule with this id, or NULL */
	/* The kinds of fact its actions may assert (not findings),
	 * NULL-terminated; why-not follows a missing kind to these rules. */
	const char **makes;
};

/* The kind every diagnosis asserts: rule, article, severity, title,
 * message, remedy. */
#define KB_FINDING_KIND "finding"

/* NULL limits: the defaults.  Declares the finding kind.  NULL when eng
 * has a finding kind with other slots, or limits->memory is too small for
 * Lua to start. */
struct kb_lua *kb_lua_new(struct kb_engine *eng, const struct kb_lua_limits *limits);
void kb_lua_free(struct kb_lua *lua); /* NULL is a no-op */

/* Lint mode, for `kbdiag rules check`: set before loading.  Keeps each
 * file's text, and compiling then also warns of variables used only once
 * and of fields Lua functions read that no pattern binds, and reports
 * joins of slots of different types as errors (lint.c tells how). */
void kb_lua_set_lint(struct kb_lua *lua, bool on);

/* Runs one rule file's top level (text only, never bytecode from a file:
 * see kb_lua_use_chunks) in its own environment and keeps its
 * declarations.  A file that fails to load keeps
 * nothing; the error is a diagnostic.  Returns 0 or -1. */
int kb_lua_load_file(struct kb_lua *lua, const char *path);
int kb_lua_load_string(struct kb_lua *lua, const char *name, const char *src, size_t len);

/* Rule files compiled to bytecode at build time (chunks.c).  code is
 * lua_dump's output with line information, made under a placeholder
 * chunk name that lies at code[name_at, name_end). */
struct kb_lua_chunk {
	const char *text;          /* the file's text the code was compiled from */
	size_t text_len;
	const unsigned char *code;
	size_t code_len;
	size_t name_at, name_end;
	/* what the text tells the pre-filter, as loading would find it in the
	 * text (reads.c): the kinds read whole through kb.facts("kind"), the
	 * names a rule may build facts of (NULL-terminated lists; NULL: not
	 * known, the text is scanned), and whether a kb.facts does not name
	 * its kind */
	const char *const *read_kinds, *const *written;
	bool reads_any_kind;
};

/* Compiles text (the file name is for the message) into out; out->text
 * borrows text, the rest is malloc'd and freed with kb_lua_chunk_free().
 * Returns 0, or -1 with the syntax error ("name:line: message") in err. */
int kb_lua_chunk_make(const char *name, const char *text, size_t len, struct kb_lua_chunk *out,
		      char *err, size_t errlen);
void kb_lua_chunk_free(struct kb_lua_chunk *c);
/* From now on a file whose text equals a chunk's text byte for byte runs
 * from the chunk's code, under its own name; any other text is compiled
 * as usual.  chunks are borrowed and must outlive lua. */
void kb_lua_use_chunks(struct kb_lua *lua, const struct kb_lua_chunk *chunks, size_t n);
/* How many files loaded so far ran from a chunk. */
size_t kb_lua_nprecompiled(const struct kb_lua *lua);

/* Declares the kinds, adds the rules and asserts the knowledge facts of
 * every file loaded.  A rule that does not translate is skipped with a
 * diagnostic.  Returns the number of errors. */
int kb_lua_compile(struct kb_lua *lua);

/* Where rule files declared a kind (by id): the "file:line" of each
 * declaration, in load order.  None for the kinds declared before the
 * binding (the caller's schema) or by it (KB_FINDING_KIND), unless a rule
 * file declared them again with the same slots. */
size_t kb_lua_kind_nplaces(const struct kb_lua *lua, int kind);
const char *kb_lua_kind_place(const struct kb_lua *lua, int kind, size_t i);

size_t kb_lua_ndiags(const struct kb_lua *lua);
const struct kb_diag *kb_lua_diag(const struct kb_lua *lua, size_t i);
size_t kb_lua_nrules(const struct kb_lua *lua);
const struct kb_rule_info *kb_lua_rule(const struct kb_lua *lua, size_t i);

#endif
