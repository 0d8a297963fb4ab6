/*
 * cmd_facts.c — `kbdiag facts PATH... [--kind K]`: the facts the evidence
 * gave, kind by kind, each with the file, line and text it came from, so a
 * rule writer sees what a bundle offers their patterns without saving a
 * trace.  The inputs are read as `diagnose` reads them (the rules are
 * loaded, since their tables of event messages shape the event facts, but
 * not run), and what was not read is said as `diagnose` says it.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "json_text.h"
#include "textout.h"
#include "trace.h"
#include "utf8.h"
#include "xalloc.h"

/* A value wider than this is cut in the text table (with "..."); the
 * JSON form holds it whole. */
#define CELL_COLUMNS 40

/* The kinds asked for, as ids; every kind without --kind.  Returns the
 * count, or -1 after naming a kind that does not exist. */
static int chosen_kinds(const struct kbd_session *s, int **out)
{
	size_t n = s->opt->nkinds ? s->opt->nkinds : kb_kind_count(s->eng);
	int *v = kbu_calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i] = s->opt->nkinds ? kb_kind_find(s->eng, s->opt->kinds[i]) : (int)i;
		if (v[i] < 0) {
			kbu_tprintf(stderr, "kbdiag: --kind %s: no such kind (see kbdiag rules kinds)\n",
				    s->opt->kinds[i]);
			free(v);
			return -1;
		}
	}
	*out = v;
	return (int)n;
}

/* Whether f is a live fact of kind that evidence gave. */
static bool shown(const struct kb_fact *f, int kind)
{
	return f && f->live && f->kind == kind && f->prov.origin == KB_ORIGIN_EVIDENCE;
}

/* The live evidence facts of kind, oldest first, into a new array. */
static size_t facts_of(const struct kb_engine *eng, int kind, const struct kb_fact ***out)
{
	size_t n = 0, all = kb_fact_count(eng);
	for (uint32_t id = 1; id <= all; id++)
		n += shown(kb_fact_get(eng, id), kind);
	const struct kb_fact **v = kbu_calloc(n ? n : 1, sizeof(*v));
	for (uint32_t id = 1, k = 0; id <= all; id++)
		if (shown(kb_fact_get(eng, id), kind))
			v[k++] = kb_fact_get(eng, id);
	*out = v;
	return n;
}

/* A value as the table shows it: strings bare, nil as "-".  buf holds
 * numbers; strings are returned as they are. */
static const char *cell(struct kb_value v, char *buf, size_t n)
{
	switch (v.type) {
	case KB_STRING: return v.u.s;
	case KB_INT: snprintf(buf, n, "%lld", (long long)v.u.i); return buf;
	case KB_FLOAT: snprintf(buf, n, "%g", v.u.f); return buf;
	case KB_BOOL: return v.u.b ? "true" : "false";
	default: return "-";
	}
}

/* Columns s takes in the table (escaped, and cut to CELL_COLUMNS). */
static size_t cell_columns(const char *s)
{
	size_t c = kbu_text_columns(s, strlen(s));
	return c > CELL_COLUMNS ? CELL_COLUMNS : c;
}

/* s padded to width columns, cut with "..." where it is wider than
 * CELL_COLUMNS; escaped. */
static void put_cell(const char *s, size_t width)
{
	size_t len = strlen(s), cols = kbu_text_columns(s, len);
	if (cols > CELL_COLUMNS) {
		/* cut on a character: escapes make some characters wider, so
		 * shorten until the escaped text fits */
		size_t keep = kbu_utf8_offset(s, len, CELL_COLUMNS - 3);
		while (keep && kbu_text_columns(s, keep) > CELL_COLUMNS - 3)
			keep = kbu_utf8_floor(s, keep - 1);
		kbu_twrite(stdout, s, keep);
		fputs("...", stdout);
		cols = kbu_text_columns(s, keep) + 3;
	} else {
		kbu_twrite(stdout, s, len);
	}
	for (; cols < width; cols++)
		fputc(' ', stdout);
}

/* Whether any fact of v sets slot: slots none sets get no column. */
static bool slot_used(const struct kb_fact *const *v, size_t n, size_t slot)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->slots[slot].type != KB_NIL)
			return true;
	return false;
}

static void source_text(char *buf, size_t n, const struct kb_fact *f)
{
	if (f->prov.line > 0)
		snprintf(buf, n, "%s:%d", f->prov.source ? f->prov.source : "?", f->prov.line);
	else
		snprintf(buf, n, "%s", f->prov.source ? f->prov.source : "?");
}

/* One kind's table: a column per slot some fact sets, then the source;
 * each fact's text on the line under it. */
static void kind_table(const struct kbd_session *s, int kind, const struct kb_fact *const *v, size_t n)
{
	size_t nslots = kb_kind_nslots(s->eng, kind);
	size_t *width = kbu_calloc(nslots + 1, sizeof(*width));
	bool *used = kbu_calloc(nslots + 1, sizeof(*used));
	char num[64], src[600];
	kbu_tprintf(stdout, "%s: %zu fact%s\n", kb_kind_name(s->eng, kind), n, n == 1 ? "" : "s");
	if (n == 0) { /* asked for by --kind: a kind rules derive, or one this evidence lacks */
		fputc('\n', stdout);
		goto out;
	}
	for (size_t c = 0; c < nslots; c++) {
		used[c] = slot_used(v, n, c);
		width[c] = cell_columns(kb_kind_slot(s->eng, kind, c)->name);
		for (size_t i = 0; used[c] && i < n; i++) {
			size_t w = cell_columns(cell(v[i]->slots[c], num, sizeof(num)));
			width[c] = w > width[c] ? w : width[c];
		}
	}
	/* upper case: no slot is called so (an event has a slot "source") */
	fputs("  FACT     ", stdout);
	for (size_t c = 0; c < nslots; c++)
		if (used[c]) {
			put_cell(kb_kind_slot(s->eng, kind, c)->name, width[c]);
			fputs("  ", stdout);
		}
	fputs("FILE:LINE\n", stdout);
	for (size_t i = 0; i < n; i++) {
		kbu_tprintf(stdout, "  f%-7u ", v[i]->id);
		for (size_t c = 0; c < nslots; c++)
			if (used[c]) {
				put_cell(cell(v[i]->slots[c], num, sizeof(num)), width[c]);
				fputs("  ", stdout);
			}
		source_text(src, sizeof(src), v[i]);
		kbu_tprintf(stdout, "%s\n", src);
		const char *text = kbf_recall_text(s->recall, v[i]);
		kbt_raw_text(stdout, "           ", text);
	}
	fputc('\n', stdout);
out:
	free(width);
	free(used);
}

static json_t *fact_json(const struct kbd_session *s, const struct kb_fact *f)
{
	char id[16];
	snprintf(id, sizeof(id), "f%u", f->id);
	json_t *slots = json_object();
	for (size_t c = 0; c < f->nslots; c++) {
		json_t *v = kbt_value_json(f->slots[c]);
		if (v)
			json_object_set_new(slots, kb_kind_slot(s->eng, f->kind, c)->name, v);
	}
	json_t *o = json_pack("{s:s, s:o, s:o}", "fact", id, "slots", slots, "source",
			      kbu_json_place(f->prov.source ? f->prov.source : "?", f->prov.line));
	const char *text = kbf_recall_text(s->recall, f);
	if (text)
		json_object_set_new(o, "text", kbu_json_text(text));
	return o;
}

/* The problems and unread inputs, as `diagnose` gives them: text under
 * the tables, JSON beside them. */
static int accounts(const struct kbd_session *s, json_t *root, size_t nfacts)
{
	struct kbr_report r = {0};
	kbd_session_problems(s, &r);
	if (root) {
		kbr_json_accounts(root, &r);
	} else {
		kbr_print_errors(&r, stdout);
		kbr_print_warnings(&r, stdout, "Not read");
		kbu_tprintf(stdout, "%zu fact%s from %zu of %zu inputs read\n", nfacts, nfacts == 1 ? "" : "s",
			    r.nread_as[KBR_READ] + r.nread_as[KBR_READ_IN_PART], r.ninputs - r.nread_as[KBR_CONTAINER]);
	}
	/* as diagnose: evidence of which nothing could be read is a usage error */
	int status = r.nread_as[KBR_READ] + r.nread_as[KBR_READ_IN_PART] == 0 ? 2 : 0;
	if (status)
		kbu_tprintf(stderr, "kbdiag: no input could be read\n");
	kbr_free(&r);
	return status;
}

/* Reads the paths, then prints each chosen kind's facts. */
static int show_facts(struct kbd_session *s)
{
	for (size_t i = 0; i < s->opt->nargs; i++)
		kbd_session_read(s, s->opt->args[i]);
	int *kinds, nkinds = chosen_kinds(s, &kinds);
	if (nkinds < 0)
		return 2;
	const struct kb_fact ***byk = kbu_calloc((size_t)nkinds + 1, sizeof(*byk));
	size_t *counts = kbu_calloc((size_t)nkinds + 1, sizeof(*counts)), total = 0;
	s->recall = kbf_recall_new();
	for (int k = 0; k < nkinds; k++) {
		total += counts[k] = facts_of(s->eng, kinds[k], &byk[k]);
		for (size_t i = 0; i < counts[k]; i++)
			kbf_recall_want(s->recall, byk[k][i]);
	}
	kbf_recall_read(s->recall);
	json_t *root = s->opt->format == KBD_JSON ? json_pack("{s:s}", "kbdiag", KB_VERSION) : NULL;
	json_t *all = root ? json_object() : NULL;
	for (int k = 0; k < nkinds; k++) {
		json_t *list = root && (counts[k] || s->opt->nkinds) ? json_array() : NULL;
		for (size_t i = 0; list && i < counts[k]; i++)
			json_array_append_new(list, fact_json(s, byk[k][i]));
		if (list)
			json_object_set_new(all, kb_kind_name(s->eng, kinds[k]), list);
		else if (!root && (counts[k] || s->opt->nkinds))
			kind_table(s, kinds[k], byk[k], counts[k]);
		free(byk[k]);
	}
	if (root)
		json_object_set_new(root, "facts", all);
	int status = accounts(s, root, total);
	if (root) {
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(root);
	}
	free(byk);
	free(counts);
	free(kinds);
	return status;
}

int kbd_cmd_facts(const struct kbd_options *o)
{
	if (o->nargs == 0) {
		kbu_tprintf(stderr, "kbdiag: facts needs a snapshot, bundle directory or file (see kbdiag --help)\n");
		return 2;
	}
	/* every fact, also those no rule matches: they are what is asked for */
	struct kbd_options all = *o;
	all.no_prefilter = true;
	struct kbd_session s;
	int rc = kbd_session_open(&s, &all);
	if (rc == 0)
		rc = show_facts(&s);
	kbd_session_close(&s);
	return rc;
}
