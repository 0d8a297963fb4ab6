/*
 * options.h — the command line shared by every subcommand (DESIGN.md,
 * "Command line").
 */
#ifndef KBDIAG_CLI_OPTIONS_H
#define KBDIAG_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kblua.h"

enum kbd_format { KBD_TEXT, KBD_JSON, KBD_HTML, KBD_SVG }; /* svg: explain's picture of one finding */

/* diagnose: what is one host's evidence (--host-per; cli/hosts.c). */
enum kbd_host_per { KBD_HOST_PER_DIR, KBD_HOST_PER_PATH, KBD_HOST_PER_FILE };

struct kbd_options {
	enum kbd_format format;
	const char **rule_dirs; /* --rules, in order */
	size_t nrule_dirs;
	bool no_stock;
	bool schema_only;       /* no rule files at all (collect) */
	const char *trace_file;
	const char *trace_format;
	bool trace_format_set;  /* given, not the default */
	bool explain;
	enum kbd_host_per host_per;
	const char **logs;      /* --log */
	size_t nlogs;
	int verbosity;          /* -1 -q, 0, 1 -v */
	const char *output;     /* -o */
	const char *kb_url;     /* --kb-url: the HTML page's article link template; NULL: the default */
	bool follow_output_links; /* --trace and -o may be written through a link */
	const char *why_not;    /* explain --why-not RULE */
	const char *from;       /* rules new --from ARTICLE */
	const char *dir;        /* rules new --dir DIR */
	const char **kinds;     /* facts --kind, in order */
	size_t nkinds;
	bool no_prefilter;      /* keep every fact, also those no rule could match */
	struct kb_budgets budgets; /* --max-firings, --max-facts, --max-memory, --max-seconds */
	struct kb_lua_limits limits;
	char **args;            /* what is left: subcommand arguments */
	size_t nargs;
};

/* Parses argv[first..argc); options may come anywhere.  Returns 0, or 2
 * after printing a usage error. */
int kbd_options_parse(struct kbd_options *o, int argc, char **argv, int first);
void kbd_options_free(struct kbd_options *o);
void kbd_usage(FILE *out);

#endif
