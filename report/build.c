/*
 * build.c — reading a finished run into a struct kbr_report: the findings,
 * the evidence under each (followed through derived facts down to what was
 * gathered), the host, and the exit status the findings call for.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "xalloc.h"

static const char *slot_str(const struct kb_engine *eng, const struct kb_fact *f, const char *name)
{
	int s = kb_slot_find(eng, f->kind, name);
	return s >= 0 && f->slots[s].type == KB_STRING ? f->slots[s].u.s : NULL;
}

static int64_t slot_int(const struct kb_engine *eng, const struct kb_fact *f, const char *name)
{
	int s = kb_slot_find(eng, f->kind, name);
	return s >= 0 && f->slots[s].type == KB_INT ? f->slots[s].u.i : -1;
}

struct walk {
	const struct kb_engine *eng;
	struct kbr_evidence *v;
	size_t n, cap;
	unsigned char *seen; /* by fact id */
};

static void add_evidence(struct walk *w, const struct kb_fact *f)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = kbu_realloc(w->v, w->cap, sizeof(*w->v));
	}
	w->v[w->n++] = (struct kbr_evidence){f->id, kb_kind_name(w->eng, f->kind), f->prov.source,
					      f->prov.line, f->prov.text, f->prov.cite.offset, f->prov.cite.length};
}

/* Premises are always older than what they justify, so this ends. */
static void walk(struct walk *w, const struct kb_fact *f)
{
	if (!f || w->seen[f->id])
		return;
	w->seen[f->id] = 1;
	if (f->prov.origin == KB_ORIGIN_EVIDENCE)
		add_evidence(w, f);
	else if (f->just)
		for (size_t i = 0; i < f->just->npremises; i++)
			walk(w, f->just->premises[i]);
}

const char *const kbr_kinds_read[] = {"host", "finding", NULL};

int kbr_severity_rank(const char *s)
{
	return !s ? 3 : strcmp(s, "error") == 0 ? 0 : strcmp(s, "warning") == 0 ? 1 : 2;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct kbr_finding *x = a, *y = b;
	int d = kbr_severity_rank(x->severity) - kbr_severity_rank(y->severity);
	return d ? d : (x->fact > y->fact) - (x->fact < y->fact);
}

static void add_finding(struct kbr_report *r, const struct kb_engine *eng, const struct kb_fact *f,
			unsigned char *seen, size_t nseen)
{
	r->findings = kbu_realloc(r->findings, r->nfindings + 1, sizeof(*r->findings));
	struct kbr_finding *x = &r->findings[r->nfindings++];
	*x = (struct kbr_finding){
		.fact = f->id, .rule = slot_str(eng, f, "rule"), .article = slot_str(eng, f, "article"),
		.severity = slot_str(eng, f, "severity"), .title = slot_str(eng, f, "title"),
		.message = slot_str(eng, f, "message"), .remedy = slot_str(eng, f, "remedy"),
	};
	memset(seen, 0, nseen);
	struct walk w = {.eng = eng, .seen = seen};
	if (f->just)
		for (size_t i = 0; i < f->just->npremises; i++)
			walk(&w, f->just->premises[i]);
	x->evidence = w.v;
	x->nevidence = w.n;
}

/* The length of a computer's short name: "EXCH01" of "exch01.corp.example". */
static size_t short_name(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot ? (size_t)(dot - name) : strlen(name);
}

/* Names that name no computer: what exports print when there is none. */
static bool names_a_computer(const char *name)
{
	static const char *const none[] = {"", "-", "N/A", "localhost", "(none)"};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strcasecmp(name, none[i]) == 0)
			return false;
	return short_name(name) > 0;
}

static void note_computer(struct kbr_report *r, const struct kb_fact *f, const char *name)
{
	if (f->prov.origin == KB_ORIGIN_EVIDENCE)
		kbr_add_computer(r, name, f->prov.source, f->prov.line);
}

void kbr_add_computer(struct kbr_report *r, const char *name, const char *source, int line)
{
	if (!name || !names_a_computer(name))
		return;
	size_t n = short_name(name);
	for (size_t i = 0; i < r->ncomputers; i++)
		if (short_name(r->computers[i].name) == n && strncasecmp(r->computers[i].name, name, n) == 0)
			return;
	r->computers = kbu_realloc(r->computers, r->ncomputers + 1, sizeof(*r->computers));
	r->computers[r->ncomputers++] = (struct kbr_computer){name, source, line};
}

static void read_host(struct kbr_report *r, const struct kb_engine *eng)
{
	int host = kb_kind_find(eng, "host");
	r->service_pack = -1;
	for (uint32_t id = 1; host >= 0 && id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind != host || !f->live)
			continue;
		note_computer(r, f, slot_str(eng, f, "name"));
		if (!r->host_name)
			r->host_name = slot_str(eng, f, "name");
		if (!r->host_os)
			r->host_os = slot_str(eng, f, "os_name");
		if (r->service_pack < 0)
			r->service_pack = slot_int(eng, f, "service_pack");
	}
}

void kbr_build(struct kbr_report *r, const struct kb_engine *eng)
{
	int finding = kb_kind_find(eng, "finding");
	size_t nseen = kb_fact_count(eng) + 1;
	unsigned char *seen = kbu_calloc(nseen, 1);
	for (uint32_t id = 1; finding >= 0 && id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (f->kind == finding && f->live)
			add_finding(r, eng, f, seen, nseen);
	}
	free(seen);
	if (r->nfindings)
		qsort(r->findings, r->nfindings, sizeof(*r->findings), cmp_findings);
	read_host(r, eng);
	r->facts = kb_fact_count(eng);
	r->rules = kb_rule_count(eng);
	r->fired = kb_fired(eng);
}

void kbr_add_error(struct kbr_report *r, const char *level, const char *where, const char *message)
{
	r->errors = kbu_realloc(r->errors, r->nerrors + 1, sizeof(*r->errors));
	r->errors[r->nerrors++] = (struct kbr_error){level, kbu_strdup(where ? where : ""),
						     kbu_strdup(message ? message : "")};
}

void kbr_add_warning(struct kbr_report *r, const char *path, int line, const char *reason)
{
	r->warnings = kbu_realloc(r->warnings, r->nwarnings + 1, sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = (struct kbr_warning){kbu_strdup(path), line, kbu_strdup(reason)};
}

void kbr_add_input(struct kbr_report *r, const char *path, const char *format, const char *unavailable,
		   size_t facts, size_t read, size_t skipped, enum kbr_read how)
{
	r->inputs = kbu_realloc(r->inputs, r->ninputs + 1, sizeof(*r->inputs));
	r->inputs[r->ninputs++] = (struct kbr_input){kbu_strdup(path), format, facts, read, skipped,
						     unavailable ? kbu_strdup(unavailable) : NULL, how};
	r->read += read;
	r->skipped += skipped;
	r->nread_as[how]++;
}

void kbr_free(struct kbr_report *r)
{
	free(r->computers);
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].evidence);
		free(r->findings[i].why);
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].where);
		free(r->errors[i].message);
	}
	for (size_t i = 0; i < r->nwarnings; i++) {
		free(r->warnings[i].path);
		free(r->warnings[i].reason);
	}
	for (size_t i = 0; i < r->ninputs; i++) {
		free(r->inputs[i].path);
		free(r->inputs[i].unavailable);
	}
	free(r->findings);
	free(r->errors);
	free(r->warnings);
	free(r->inputs);
	memset(r, 0, sizeof(*r));
}

size_t kbr_count_severity(const struct kbr_report *r, const char *severity)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		n += r->findings[i].severity && strcmp(r->findings[i].severity, severity) == 0;
	return n;
}

int kbr_exit_status(const struct kbr_report *r)
{
	for (size_t i = 0; i < r->nerrors; i++)
		if (strcmp(r->errors[i].level, "error") == 0)
			return 1;
	return kbr_count_severity(r, "error") + kbr_count_severity(r, "warning") > 0;
}
