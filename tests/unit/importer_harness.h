/*
 * importer_harness.h — what every importer and collector test does: an
 * engine with the stock schema, an input read into it (bytes, a fixture
 * file, a collector's run under a chosen root), and the facts it asserted,
 * found by kind and checked slot by slot.  importer_harness.c is compiled
 * once and linked into each such test (tests/unit/CMakeLists.txt).
 *
 * A harness holds one engine and the last input read into it.  A zeroed
 * harness (struct harness h = {0}) has no engine yet: the first import or
 * gather opens one; harness_open() opens it early, for a test that
 * declares a kind or calls a parser itself first.  Imports and gathers all
 * go into that engine until harness_close(), which leaves h zeroed, ready
 * for the next.
 *
 * Retracted facts never count.  count_facts(), nth_fact(), fact_at() and
 * find_fact() see live facts only: working memory, what rules match and
 * what a snapshot writes, so a test counts what a diagnosis would see.
 * kb_fact_count() is every fact ever asserted, for a test that means that.
 *
 * nth_fact(), fact_at(), slot_value() and the check_* macros fail the test
 * at the caller's line, naming the fact (kind, source:line) and the slot.
 */
#ifndef KBDIAG_TESTS_UNIT_IMPORTER_HARNESS_H
#define KBDIAG_TESTS_UNIT_IMPORTER_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "facts.h"
#include "fixture.h"

struct harness {
	struct kb_engine *eng;
	struct kbf_input in;            /* the last input: path, format, nfacts, err */
	const struct kbf_importer *imp; /* the last import's; NULL when nothing recognised it */
	unsigned char *raw;             /* the last import's bytes (a copy) */
	struct kbf_text text;           /* their decoding: text.encoding */
	int score;                      /* imp's probe of them */
	int rc;                         /* what import() or gather() returned */
};

/* An engine with the stock schema; h need not be initialised. */
void harness_open(struct harness *h);
/* Frees the engine and the last input's bytes; h is zeroed.  A zeroed h
 * is a no-op. */
void harness_close(struct harness *h);

/* ---- reading inputs into h's engine --------------------------------------- */

/* Reads data (copied) as an evidence file shown as name (borrowed: it must
 * outlive the checks on h->in) with imp, or with imp NULL with the
 * importer kbf_importer_for() picks, as kbf_read_path() does: nothing
 * recognising the bytes leaves h->in.format "unrecognised", no facts, and
 * 0.  Returns import()'s result, also in h->rc. */
int import_bytes(struct harness *h, const struct kbf_importer *imp, const char *name, const void *data,
		 size_t len);
/* A string, shown as "paste.txt". */
int import_str(struct harness *h, const struct kbf_importer *imp, const char *s);
/* tests/fixtures/<rel>, shown by its base name, as a customer's file. */
int import_fixture(struct harness *h, const struct kbf_importer *imp, const char *rel);
/* tests/fixtures/<rel>, shown as name. */
int import_fixture_as(struct harness *h, const struct kbf_importer *imp, const char *rel, const char *name);
/* tests/fixtures/<rel> (UTF-8) as a tool would have written it in the
 * encoding `to` (an iconv name: glibc's iconv does what Windows does, one
 * table), a UTF-8 BOM dropped, read with whatever importer recognises it. */
int import_fixture_encoded(struct harness *h, const char *rel, const char *to);
/* Runs a collector (opt->root: "" for this host, a directory for a fake
 * one) on an input named after it, format "live".  Returns gather()'s
 * result, also in h->rc. */
int gather(struct harness *h, const struct kbf_collector *c, const struct kbf_options *opt);

/* ---- recognition, without an engine ---------------------------------------- */

int probe_bytes(const struct kbf_importer *imp, const void *data, size_t len);
int probe_fixture(const struct kbf_importer *imp, const char *rel);
/* What kbf_importer_for() picks; NULL for nothing. */
const struct kbf_importer *recognise_bytes(const void *data, size_t len);
const struct kbf_importer *recognise_fixture(const char *rel);
/* Its format, or "unrecognised" as an input would say. */
const char *recognised_format(const char *rel);

/* ---- facts: live ones only ------------------------------------------------- */

size_t count_facts(const struct harness *h, const char *kind);
/* The i-th (0-based) fact of kind, in assertion order. */
#define nth_fact(h, kind, i) harness_nth_fact(__FILE__, __LINE__, (h), (kind), (i))
/* The one fact of kind that came from line. */
#define fact_at(h, kind, line) harness_fact_at(__FILE__, __LINE__, (h), (kind), (line))
/* The first fact of kind whose slot equals v (strings compared by
 * content), or NULL. */
const struct kb_fact *find_fact(const struct harness *h, const char *kind, const char *slot, struct kb_value v);
#define find_str(h, kind, slot, s) find_fact((h), (kind), (slot), kb_str(s))
#define find_int(h, kind, slot, i) find_fact((h), (kind), (slot), kb_int(i))
/* A slot by name; the kind must have it. */
#define slot_value(h, f, slot) harness_slot_value(__FILE__, __LINE__, (h), (f), (slot))

/* ---- checks ------------------------------------------------------------------ */

/* want NULL: the slot is unset (nil), as check_nil() says. */
#define check_str(h, f, slot, want) harness_check_value(__FILE__, __LINE__, (h), (f), (slot), harness_str(want))
#define check_int(h, f, slot, want) harness_check_value(__FILE__, __LINE__, (h), (f), (slot), kb_int(want))
#define check_bool(h, f, slot, want) harness_check_value(__FILE__, __LINE__, (h), (f), (slot), kb_bool(want))
#define check_nil(h, f, slot) harness_check_value(__FILE__, __LINE__, (h), (f), (slot), kb_nil())
/* Provenance: the line, and the source and text unless NULL. */
#define check_prov(f, source, line, text) harness_check_prov(__FILE__, __LINE__, (f), (source), (line), (text))
#define check_line(f, line) harness_check_prov(__FILE__, __LINE__, (f), NULL, (line), NULL)
/* The last input read without error. */
#define check_ok(h) harness_check_ok(__FILE__, __LINE__, (h))
/* The last input failed (-1) with its first error at where ("name:line"),
 * the message containing needle. */
#define check_error(h, where, needle) harness_check_error(__FILE__, __LINE__, (h), (where), (needle))
/* The last input was read without error, and its i-th part left out
 * (kbf_input_skip) is at line, the reason containing needle. */
#define check_skip(h, i, line, needle) harness_check_skip(__FILE__, __LINE__, (h), (i), (line), (needle))

/* A file fact, as the version listing and PE importers both make it: every
 * string slot (NULL: unset), version_code worked out from version here
 * (not by kbf_version_code), and the line, from the last input. */
#define check_file(h, f, path, name, version, text, product, line) \
	harness_check_file(__FILE__, __LINE__, (h), (f), (path), (name), (version), (text), (product), (line))

/* ---- scratch trees: a fake root for collectors (kbf_options.root) ------------- */

/* A fresh directory under /tmp; scratch_remove() removes it and frees the name. */
char *scratch_dir(void);
/* Writes dir/rel, creating the folders on the way: len bytes of data, or
 * printf-style content. */
void scratch_write_bytes(const char *dir, const char *rel, const void *data, size_t len);
void scratch_write(const char *dir, const char *rel, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void scratch_remove(char *dir);

/* ---- behind the macros -------------------------------------------------------- */

const struct kb_fact *harness_nth_fact(const char *file, int line, const struct harness *h, const char *kind,
				       size_t i);
const struct kb_fact *harness_fact_at(const char *file, int line, const struct harness *h, const char *kind,
				      int at);
struct kb_value harness_slot_value(const char *file, int line, const struct harness *h, const struct kb_fact *f,
				   const char *slot);
/* Strings compared by content (a test's are not interned), other values
 * by type and value. */
void harness_check_value(const char *file, int line, const struct harness *h, const struct kb_fact *f,
			 const char *slot, struct kb_value want);
static inline struct kb_value harness_str(const char *s)
{
	return s ? kb_str(s) : kb_nil();
}
void harness_check_prov(const char *file, int line, const struct kb_fact *f, const char *source, int at,
			const char *text);
void harness_check_file(const char *file, int line, const struct harness *h, const struct kb_fact *f,
			const char *path, const char *name, const char *version, const char *text,
			const char *product, int at);
void harness_check_ok(const char *file, int line, const struct harness *h);
void harness_check_error(const char *file, int line, const struct harness *h, const char *where,
			 const char *needle);
void harness_check_skip(const char *file, int line, const struct harness *h, size_t i, int at,
			const char *needle);

#endif
