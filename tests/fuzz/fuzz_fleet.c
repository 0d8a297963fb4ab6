/*
 * fuzz_fleet.c — the reports `kbdiag fleet` rolls up come from the hosts:
 * untrusted input.  Parse one, add it to a roll-up (twice, as two hosts'
 * reports, so rules are counted across hosts) and render it every way:
 * text, JSON and the HTML page.
 * Rejections are fine; crashes, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fleet.h"
#include "html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	struct kbr_fleet f;
	kbr_fleet_init(&f);
	for (int i = 0; i < 2; i++) {
		json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
		if (doc)
			kbr_fleet_add_doc(&f, doc, "report.json", i ? "b" : NULL);
	}
	kbr_fleet_finish(&f);
	kbr_fleet_text(sink, &f);
	json_decref(kbr_fleet_json(&f));
	struct kbr_html_options o = {0};
	kbr_fleet_html(sink, &f, &o);
	kbr_fleet_free(&f);
	return 0;
}
