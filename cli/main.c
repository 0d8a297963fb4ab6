/*
 * main.c — kbdiag's entry: the subcommand, then its options.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "commands.h"
#include "textout.h"

int main(int argc, char **argv)
{
#ifdef _WIN32
	/* Evidence read from a pipe keeps its CR LF, as a file's does
	 * (binmode.o makes every file opened binary; stdin is open before it
	 * counts): citations count them.  What kbdiag prints is text with
	 * Windows' line ends, which every Windows editor shows as lines;
	 * snapshots and traces written with -o and --trace stay the same
	 * bytes as on Linux. */
	_setmode(_fileno(stdin), _O_BINARY);
	_setmode(_fileno(stdout), _O_TEXT);
	_setmode(_fileno(stderr), _O_TEXT);
#endif
	/* Rules print to stderr; unless a person watches it, buffer it. */
	if (!isatty(STDERR_FILENO))
		setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	static const struct {
		const char *name;
		int (*run)(const struct kbd_options *);
		bool html; /* has an HTML page (--format html) */
	} commands[] = {
		{"run", kbd_cmd_run, true}, {"collect", kbd_cmd_collect, false}, {"diagnose", kbd_cmd_diagnose, true},
		{"facts", kbd_cmd_facts, false}, {"rules", kbd_cmd_rules, false}, {"explain", kbd_cmd_explain, true},
		{"fleet", kbd_cmd_fleet, true},
	};
	int first = 1;
	size_t which = 0; /* run */
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		kbd_usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		kbu_tprintf(stdout, "kbdiag %s\n", KB_VERSION);
		return 0;
	}
	if (argc > 1 && argv[1][0] != '-') {
		size_t i = 0;
		while (i < sizeof(commands) / sizeof(commands[0]) && strcmp(argv[1], commands[i].name) != 0)
			i++;
		if (i == sizeof(commands) / sizeof(commands[0])) {
			kbu_tprintf(stderr, "kbdiag: unknown command '%s' (see kbdiag --help)\n", argv[1]);
			return 2;
		}
		which = i;
		first = 2;
	}
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			kbd_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			kbu_tprintf(stdout, "kbdiag %s\n", KB_VERSION);
			return 0;
		}
	}
	struct kbd_options o;
	int rc = kbd_options_parse(&o, argc, argv, first);
	if (rc == 0 && o.format == KBD_SVG && commands[which].run != kbd_cmd_explain) {
		kbu_tprintf(stderr, "kbdiag: --format svg draws one finding: kbdiag explain TRACE ID --format svg\n");
		rc = 2;
	}
	if (rc == 0 && o.format == KBD_HTML && !commands[which].html) {
		kbu_tprintf(stderr, "kbdiag: %s has no HTML page: --format html is for run, diagnose, explain and fleet "
				"(see kbdiag --help)\n", commands[which].name);
		rc = 2;
	}
	if (rc == 0)
		rc = commands[which].run(&o);
	kbd_options_free(&o);
	return rc;
}
