/*
 * options.c — parsing the common options with getopt_long; a usage error
 * is one line naming the problem, and exit status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "html.h"
#include "options.h"
#include "textout.h"
#include "xalloc.h"

enum {
	OPT_FORMAT = 256, OPT_RULES, OPT_NO_STOCK, OPT_TRACE, OPT_TRACE_FORMAT, OPT_EXPLAIN, OPT_LOG,
	OPT_WHY_NOT, OPT_MAX_FIRINGS, OPT_RULE_INSTRUCTIONS, OPT_RULE_MEMORY, OPT_LOAD_SECONDS,
	OPT_RULE_SECONDS, OPT_NO_PREFILTER, OPT_ENCODING, OPT_MAX_FACTS, OPT_MAX_MEMORY, OPT_MAX_SECONDS, OPT_FOLLOW_OUTPUT_LINKS,
	OPT_HOST_PER, OPT_KB_URL,
	OPT_KIND, OPT_FROM, OPT_DIR,
};

static const struct option long_options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"rules", required_argument, NULL, OPT_RULES},
	{"no-stock", no_argument, NULL, OPT_NO_STOCK},
	{"trace", required_argument, NULL, OPT_TRACE},
	{"trace-format", required_argument, NULL, OPT_TRACE_FORMAT},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"log", required_argument, NULL, OPT_LOG},
	{"why-not", required_argument, NULL, OPT_WHY_NOT},
	{"max-firings", required_argument, NULL, OPT_MAX_FIRINGS},
	{"max-facts", required_argument, NULL, OPT_MAX_FACTS},
	{"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
	{"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
	{"rule-instructions", required_argument, NULL, OPT_RULE_INSTRUCTIONS},
	{"rule-memory", required_argument, NULL, OPT_RULE_MEMORY},
	{"load-seconds", required_argument, NULL, OPT_LOAD_SECONDS},
	{"rule-seconds", required_argument, NULL, OPT_RULE_SECONDS},
	{"no-prefilter", no_argument, NULL, OPT_NO_PREFILTER},
	{"encoding", required_argument, NULL, OPT_ENCODING},
	{"follow-output-links", no_argument, NULL, OPT_FOLLOW_OUTPUT_LINKS},
	{"host-per", required_argument, NULL, OPT_HOST_PER},
	{"kb-url", required_argument, NULL, OPT_KB_URL},
	{"kind", required_argument, NULL, OPT_KIND},
	{"from", required_argument, NULL, OPT_FROM},
	{"dir", required_argument, NULL, OPT_DIR},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{NULL, 0, NULL, 0},
};

void kbd_usage(FILE *out)
{
	fputs("usage: kbdiag [run] [OPTIONS]          gather facts on this host, run the rules, report\n"
	      "       kbdiag collect [-o FILE]         gather facts on this host, write a snapshot\n"
	      "       kbdiag diagnose PATH...          run the rules on snapshots, bundle directories\n"
	      "                                        or single exported files\n"
	      "       kbdiag facts PATH... [--kind K]  the facts that evidence gives, by kind, with\n"
	      "                                        the file, line and text each came from\n"
	      "       kbdiag rules list|show ID|kinds [KIND]|check FILE...|test [DIR...]\n"
	      "       kbdiag rules new ID [--from ARTICLE.txt] [--dir DIR]\n"
	      "                                        a rule file and two test cases to start from,\n"
	      "                                        pre-filled from a KB article's text\n"
	      "       kbdiag explain TRACE [ID]        why a finding was made (--why-not RULE: why not;\n"
	      "                                        --trace-format F: the whole trace rendered again)\n"
	      "       kbdiag fleet REPORT|DIR...       roll up many hosts' JSON reports: rules by hosts,\n"
	      "                                        each host's findings, hosts not read\n"
	      "\n"
	      "options:\n"
	      "  --format text|json|html\n"
	      "                         report format (default text); html: one self-contained\n"
	      "                         page (run, diagnose, explain, fleet; docs/html-report.md);\n"
	      "                         explain TRACE ID --format svg: the finding's why-tree\n"
	      "                         as an SVG picture\n"
	      "  --kb-url TEMPLATE      the HTML page's KB article links: an http(s) URL with\n"
	      "                         {article} (Q271275) or {number} (271275)\n"
	      "                         (default " KBR_KB_URL_DEFAULT ")\n"
	      "  --rules DIR            add a rule directory or file (repeatable)\n"
	      "  --no-stock             skip the stock ruleset\n"
	      "  --trace FILE           record the reasoning to FILE\n"
	      "  --trace-format F       json, text, dot or prov (default json)\n"
	      "  --explain              print the reasoning under each finding\n"
	      "  --host-per dir|path|file  diagnose: what is one host's evidence: each bundle folder,\n"
	      "                         archive or snapshot, a folder of them being a fleet (dir, the\n"
	      "                         default); each PATH given as it is (path); each file (file)\n"
	      "  --why-not RULE         say why RULE did not fire (after the text report; in JSON as why_not)\n"
	      "  --kind K               facts: only the facts of kind K (repeatable)\n"
	      "  --log FILE             also read this log file on this host (repeatable)\n"
	      "  --max-firings N        rule firings in the run (default 10000000)\n"
	      "  --max-facts N          facts rule actions make in the run (default 5000000)\n"
	      "  --max-memory MB        engine memory (default 4096)\n"
	      "  --max-seconds S        wall time of the run (default 600); a run that spends one of\n"
	      "                         these budgets (0: none) stops with an error naming the rules\n"
	      "  --rule-instructions N  instruction budget of each rule action or predicate, and\n"
	      "                         step budget of each match test (default 10000000)\n"
	      "  --rule-memory MB       memory cap for all rule state (default 256)\n"
	      "  --rule-seconds S       time budget of each rule action or predicate (default 1)\n"
	      "  --load-seconds S       time budget for loading each rule file (default 1)\n"
	      "  --no-prefilter         keep every fact read, also those no rule could match\n"
	      "  --encoding CP          evidence that is not UTF-8 or UTF-16 is in code page CP\n"
	      "                         (cp850, cp1251, gbk, cp932 ...; default: guessed)\n"
	      "  -o, --output FILE      where collect writes the snapshot (default stdout)\n"
	      "  --follow-output-links  write --trace and -o files through a symbolic link at\n"
	      "                         the name (refused by default)\n"
	      "  -q, --quiet            findings only\n"
	      "  -v, --verbose          also list the inputs\n"
	      "  --version, --help\n"
	      "\n"
#ifdef _WIN32
	      "Rules are read from the stock set, rules.d beside kbdiag.exe, %APPDATA%\\kbdiag\\rules.d\n"
#else
	      "Rules are read from the stock set, /etc/kbdiag/rules.d, $XDG_CONFIG_HOME/kbdiag/rules.d\n"
#endif
	      "and each --rules DIR, in that order.  Exit status: 0 no finding of severity warning or\n"
	      "worse, 1 at least one (or a rule failed), 2 usage error or unusable input.\n",
	      out);
}

static int usage_error(const char *fmt, const char *arg)
{
	kbu_tprintf(stderr, "kbdiag: ");
	kbu_tprintf(stderr, fmt, arg);
	kbu_tprintf(stderr, " (see kbdiag --help)\n");
	return 2;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = kbu_realloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static int number(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static int set_option(struct kbd_options *o, int c, const char *arg)
{
	uint64_t n;
	switch (c) {
	case OPT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "html") && strcmp(arg, "svg"))
			return usage_error("--format is text, json or html, not '%s' (explain also draws svg)", arg);
		o->format = strcmp(arg, "json") == 0 ? KBD_JSON : strcmp(arg, "html") == 0 ? KBD_HTML
			  : strcmp(arg, "svg") == 0 ? KBD_SVG : KBD_TEXT;
		return 0;
	case OPT_KB_URL: {
		const char *why = kbr_kb_url_check(arg);
		if (why) {
			kbu_tprintf(stderr, "kbdiag: --kb-url %s: %s (see kbdiag --help)\n", arg, why);
			return 2;
		}
		o->kb_url = arg;
		return 0;
	}
	case OPT_RULES: push(&o->rule_dirs, &o->nrule_dirs, arg); return 0;
	case OPT_LOG: push(&o->logs, &o->nlogs, arg); return 0;
	case OPT_KIND: push(&o->kinds, &o->nkinds, arg); return 0;
	case OPT_FROM: o->from = arg; return 0;
	case OPT_DIR: o->dir = arg; return 0;
	case OPT_NO_STOCK: o->no_stock = true; return 0;
	case OPT_NO_PREFILTER: o->no_prefilter = true; return 0;
	case OPT_ENCODING:
		/* the decoder's setting: every file read from now on */
		if (!kbf_text_set_encoding(arg))
			return usage_error("--encoding: no code page called '%s'", arg);
		return 0;
	case OPT_TRACE: o->trace_file = arg; return 0;
	case OPT_TRACE_FORMAT:
		if (strcmp(arg, "json") && strcmp(arg, "text") && strcmp(arg, "dot") && strcmp(arg, "prov"))
			return usage_error("--trace-format is json, text, dot or prov, not '%s'", arg);
		o->trace_format = arg;
		o->trace_format_set = true;
		return 0;
	case OPT_EXPLAIN: o->explain = true; return 0;
	case OPT_HOST_PER:
		if (strcmp(arg, "dir") && strcmp(arg, "path") && strcmp(arg, "file"))
			return usage_error("--host-per is dir, path or file, not '%s'", arg);
		o->host_per = arg[0] == 'd' ? KBD_HOST_PER_DIR : arg[0] == 'p' ? KBD_HOST_PER_PATH : KBD_HOST_PER_FILE;
		return 0;
	case OPT_WHY_NOT: o->why_not = arg; return 0;
	case 'o': o->output = arg; return 0;
	case OPT_FOLLOW_OUTPUT_LINKS: o->follow_output_links = true; return 0;
	case 'q': o->verbosity = -1; return 0;
	case 'v': o->verbosity = 1; return 0;
	case OPT_MAX_FIRINGS:
		if (number(arg, &o->budgets.firings) < 0)
			return usage_error("--max-firings wants a number, not '%s'", arg);
		return 0;
	case OPT_MAX_FACTS:
		if (number(arg, &o->budgets.facts) < 0)
			return usage_error("--max-facts wants a number, not '%s'", arg);
		return 0;
	case OPT_MAX_MEMORY:
		if (number(arg, &n) < 0 || n > ((uint64_t)SIZE_MAX >> 20))
			return usage_error("--max-memory wants megabytes, not '%s'", arg);
		o->budgets.memory = (size_t)n << 20;
		return 0;
	case OPT_MAX_SECONDS: {
		char *end;
		double s = strtod(arg, &end);
		if (end == arg || *end || !(s >= 0 && s <= 1e9))
			return usage_error("--max-seconds wants seconds, not '%s'", arg);
		o->budgets.seconds = s;
		return 0;
	}
	case OPT_RULE_INSTRUCTIONS:
		if (number(arg, &o->limits.instructions) < 0 || o->limits.instructions == 0)
			return usage_error("--rule-instructions wants a positive number, not '%s'", arg);
		return 0;
	case OPT_RULE_MEMORY:
		if (number(arg, &n) < 0 || n == 0 || n > 65536)
			return usage_error("--rule-memory wants megabytes (1 to 65536), not '%s'", arg);
		o->limits.memory = (size_t)n << 20;
		return 0;
	case OPT_LOAD_SECONDS:
	case OPT_RULE_SECONDS: {
		char *end;
		double s = strtod(arg, &end);
		if (end == arg || *end || !(s > 0 && s <= 3600))
			return usage_error(c == OPT_LOAD_SECONDS ? "--load-seconds wants seconds (0 to 3600), not '%s'"
								 : "--rule-seconds wants seconds (0 to 3600), not '%s'", arg);
		*(c == OPT_LOAD_SECONDS ? &o->limits.load_seconds : &o->limits.call_seconds) = s;
		return 0;
	}
	default:
		return 2;
	}
}

int kbd_options_parse(struct kbd_options *o, int argc, char **argv, int first)
{
	memset(o, 0, sizeof(*o));
	o->trace_format = "json";
	o->budgets = (struct kb_budgets){KB_DEFAULT_FIRINGS, KB_DEFAULT_FACTS, KB_DEFAULT_MEMORY, KB_DEFAULT_SECONDS};
	optind = first;
	opterr = 0;
	for (;;) {
		int longind = -1;
		int c = getopt_long(argc, argv, "+:o:qv", long_options, &longind);
		if (c == -1) {
			if (optind >= argc)
				break;
			/* a positional argument: keep it and go on parsing after it */
			push((const char ***)&o->args, &o->nargs, argv[optind++]);
			continue;
		}
		if (c == '?') {
			if (optopt && optopt < 256)
				return usage_error("unknown option -%c", (char[]){(char)optopt, 0});
			return usage_error("unknown option or missing argument: %s", argv[optind - 1]);
		}
		if (c == ':')
			return usage_error("%s needs an argument", argv[optind - 1]);
		int rc = set_option(o, c, optarg);
		if (rc)
			return rc;
	}
	if (o->format == KBD_HTML && o->why_not)
		return usage_error("--why-not answers in text or JSON; the HTML page lists the articles closest to "
				   "firing and why each did not%s", "");
	return 0;
}

void kbd_options_free(struct kbd_options *o)
{
	free(o->rule_dirs);
	free(o->logs);
	free(o->kinds);
	free(o->args);
}
