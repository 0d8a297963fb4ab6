/*
 * scale.c — the engine at the scale of a large diagnostic case: 1 000
 * rules of diagnostic shape (joins of 3 to 5 patterns over listener,
 * process, event and service facts, constant tests on event ids and
 * sources, ports and states, negations) and 100 000 facts.  Reports the
 * time to build the network, the assert throughput, the time to fire
 * every activation, and the engine's memory per fact beyond the fact
 * itself (kb_engine_memstats).
 *
 * With --emit DIR it also writes the same rules as a kbdiag rule file
 * and the same facts as a snapshot, to time the whole command line:
 *   kbdiag diagnose --no-stock --rules DIR/rules.lua DIR/facts.json
 *
 * usage: scale [--facts N] [--rules N] [--emit DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "kb.h"

enum { LISTENER, PROCESS, EVENT, SERVICE };

static const struct kb_slot_decl listener[] = {{"port", KB_INT}, {"pid", KB_INT}, {"protocol", KB_STRING}};
static const struct kb_slot_decl process[] = {{"pid", KB_INT}, {"ppid", KB_INT}, {"name", KB_STRING}};
static const struct kb_slot_decl event[] = {{"source", KB_STRING}, {"id", KB_INT}, {"code", KB_INT},
					    {"level", KB_STRING}, {"pid", KB_INT}};
static const struct kb_slot_decl service[] = {{"name", KB_STRING}, {"state", KB_STRING}, {"pid", KB_INT}};

#define NSOURCES 50
#define NIDS 200
#define NPORTS 5000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33) % n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t fired;
static int count_firing(struct kb_engine *e, const struct kb_activation *a, void *ud, struct kb_error *err)
{
	(void)e, (void)a, (void)ud, (void)err;
	fired++;
	return 0;
}

/* ---- the rules -------------------------------------------------------------- */

struct spec {
	int nconds;
	struct kb_cond conds[5];
	struct kb_test tests[5][4];
	int nvars;
};

#define VAR(s, v) {.slot = (s), .op = KB_OP_EQ, .operand = KB_OPERAND_VAR, .var = (v)}
#define CONST(s, val) {.slot = (s), .op = KB_OP_EQ, .operand = KB_OPERAND_CONST, .value = (val)}

static void cond(struct spec *sp, enum kb_cond_type type, int kind, size_t ntests)
{
	struct kb_cond *c = &sp->conds[sp->nconds];
	*c = (struct kb_cond){.type = type, .kind = kind, .ntests = ntests, .tests = sp->tests[sp->nconds], .fact_var = -1};
	sp->nconds++;
}

/* Four shapes, their constants spread by the rule's number. */
static void make_rule(struct kb_engine *eng, int i, struct spec *sp, const char **src, int *port,
		      int *id, const char **state)
{
	memset(sp, 0, sizeof(*sp));
	char buf[32];
	snprintf(buf, sizeof(buf), "Source%d", i % NSOURCES);
	*src = kb_intern_cstr(eng, buf);
	*id = (i * 7) % NIDS;
	*port = (i * 13) % NPORTS;
	*state = kb_intern_cstr(eng, i % 2 ? "running" : "stopped");
	struct kb_value S = kb_str(*src), I = kb_int(*id), P = kb_int(*port), ST = kb_str(*state);
	switch (i % 4) {
	case 0: /* event -> its process -> the port it listens on */
		memcpy(sp->tests[0], (struct kb_test[]){CONST(0, S), CONST(1, I), CONST(2, kb_int(10048)), VAR(4, 0)}, 4 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, EVENT, 4);
		memcpy(sp->tests[1], (struct kb_test[]){VAR(0, 0), VAR(2, 1)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, PROCESS, 2);
		memcpy(sp->tests[2], (struct kb_test[]){VAR(1, 0), VAR(0, 2)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, LISTENER, 2);
		sp->nvars = 3;
		break;
	case 1: /* event -> process -> service in a state, and no listener on a port */
		memcpy(sp->tests[0], (struct kb_test[]){CONST(0, S), CONST(1, I), VAR(4, 0)}, 3 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, EVENT, 3);
		memcpy(sp->tests[1], (struct kb_test[]){VAR(0, 0), VAR(2, 1)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, PROCESS, 2);
		memcpy(sp->tests[2], (struct kb_test[]){VAR(2, 0), CONST(1, ST)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, SERVICE, 2);
		memcpy(sp->tests[3], (struct kb_test[]){VAR(1, 0), CONST(0, P)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_NOT, LISTENER, 2);
		sp->nvars = 2;
		break;
	case 2: /* a port's holder, its parent, its service and an event of it */
		memcpy(sp->tests[0], (struct kb_test[]){CONST(0, P), VAR(1, 0)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, LISTENER, 2);
		memcpy(sp->tests[1], (struct kb_test[]){VAR(0, 0), VAR(1, 1)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, PROCESS, 2);
		memcpy(sp->tests[2], (struct kb_test[]){VAR(0, 1)}, 1 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, PROCESS, 1);
		memcpy(sp->tests[3], (struct kb_test[]){VAR(2, 0)}, 1 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, SERVICE, 1);
		memcpy(sp->tests[4], (struct kb_test[]){VAR(4, 0), CONST(3, kb_str(kb_intern_cstr(eng, "error")))}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, EVENT, 2);
		sp->nvars = 2;
		break;
	default: /* a service in a state whose process logged an event and holds a port */
		memcpy(sp->tests[0], (struct kb_test[]){CONST(1, ST), VAR(2, 0)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, SERVICE, 2);
		memcpy(sp->tests[1], (struct kb_test[]){VAR(4, 0), CONST(1, I)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_PATTERN, EVENT, 2);
		memcpy(sp->tests[2], (struct kb_test[]){VAR(1, 0), CONST(0, P)}, 2 * sizeof(struct kb_test));
		cond(sp, KB_COND_EXISTS, LISTENER, 2);
		sp->nvars = 1;
		break;
	}
}

/* ---- the facts ---------------------------------------------------------------- */

struct fact_gen {
	int kind;
	struct kb_value v[5];
};

/* A quarter processes, a quarter listeners, four tenths events, the rest services. */
static void make_fact(struct kb_engine *eng, int n, int nfacts, struct fact_gen *g)
{
	int procs = nfacts / 4;
	char buf[32];
	int pid = 1 + (int)rnd((uint32_t)procs);
	if (n < procs) {
		snprintf(buf, sizeof(buf), "proc%d.exe", n % 500);
		g->kind = PROCESS;
		g->v[0] = kb_int(n + 1);
		g->v[1] = kb_int(1 + (int)rnd((uint32_t)procs));
		g->v[2] = kb_str(kb_intern_cstr(eng, buf));
	} else if (n < 2 * procs) {
		g->kind = LISTENER;
		g->v[0] = kb_int(rnd(NPORTS));
		g->v[1] = kb_int(pid);
		g->v[2] = kb_str(kb_intern_cstr(eng, rnd(4) ? "tcp" : "udp"));
	} else if (n < 2 * procs + nfacts * 4 / 10) {
		static const int codes[] = {10048, 10049, 10061, 0, 5};
		snprintf(buf, sizeof(buf), "Source%u", rnd(NSOURCES));
		g->kind = EVENT;
		g->v[0] = kb_str(kb_intern_cstr(eng, buf));
		g->v[1] = kb_int(rnd(NIDS));
		g->v[2] = kb_int(codes[rnd(5)]);
		g->v[3] = kb_str(kb_intern_cstr(eng, rnd(3) ? "error" : "warning"));
		g->v[4] = kb_int(pid);
	} else {
		snprintf(buf, sizeof(buf), "svc%d", n);
		g->kind = SERVICE;
		g->v[0] = kb_str(kb_intern_cstr(eng, buf));
		g->v[1] = kb_str(kb_intern_cstr(eng, rnd(2) ? "running" : "stopped"));
		g->v[2] = kb_int(pid);
	}
}

/* ---- --emit: the same case for the command line ------------------------------------ */

static const char *const kind_names[] = {"listener", "process", "event", "service"};
static const struct kb_slot_decl *const kind_slots[] = {listener, process, event, service};
static const size_t kind_nslots[] = {3, 3, 5, 3};

static void emit_value(FILE *f, struct kb_value v)
{
	if (v.type == KB_STRING)
		fprintf(f, "\"%s\"", v.u.s);
	else
		fprintf(f, "%lld", (long long)v.u.i);
}

static void emit_rule(FILE *f, int i, const struct spec *sp)
{
	fprintf(f, "rule \"r%d\" { when = {\n", i);
	for (int c = 0; c < sp->nconds; c++) {
		const struct kb_cond *cd = &sp->conds[c];
		const char *wrap = cd->type == KB_COND_NOT ? "no" : cd->type == KB_COND_EXISTS ? "exists" : "";
		fprintf(f, "  %s%s%s {", wrap, *wrap ? "(" : "", kind_names[cd->kind]);
		for (size_t t = 0; t < cd->ntests; t++) {
			const struct kb_test *ts = &cd->tests[t];
			fprintf(f, "%s %s = ", t ? "," : "", kind_slots[cd->kind][ts->slot].name);
			if (ts->operand == KB_OPERAND_VAR)
				fprintf(f, "\"?v%d\"", ts->var);
			else
				emit_value(f, ts->value);
		}
		fprintf(f, " }%s,\n", *wrap ? ")" : "");
	}
	fprintf(f, "} }\n");
}

static FILE *emit_open(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	return f;
}

int main(int argc, char **argv)
{
	int nfacts = 100000, nrules = 1000;
	const char *emit = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--facts") == 0)
			nfacts = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--rules") == 0)
			nrules = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--emit") == 0)
			emit = argv[i + 1];
	}
	struct kb_engine *eng = kb_engine_new();
	for (int k = 0; k < 4; k++)
		kb_kind_declare(eng, kind_names[k], kind_nslots[k], kind_slots[k], NULL);
	FILE *rules_out = emit ? emit_open(emit, "rules.lua") : NULL, *facts_out = emit ? emit_open(emit, "facts.json") : NULL;
	if (rules_out) {
		for (int k = 0; k < 4; k++) {
			fprintf(rules_out, "kind \"%s\" {", kind_names[k]);
			for (size_t s = 0; s < kind_nslots[k]; s++)
				fprintf(rules_out, "%s %s = \"%s\"", s ? "," : "", kind_slots[k][s].name,
					kind_slots[k][s].type == KB_INT ? "integer" : "string");
			fprintf(rules_out, " }\n");
		}
	}

	double t0 = now();
	for (int i = 0; i < nrules; i++) {
		struct spec sp;
		const char *src, *state;
		int port, id;
		make_rule(eng, i, &sp, &src, &port, &id, &state);
		char name[32];
		snprintf(name, sizeof(name), "r%d", i);
		struct kb_rule_def def = {.name = name, .nvars = (size_t)sp.nvars, .nconds = (size_t)sp.nconds,
					  .conds = sp.conds, .action = count_firing};
		struct kb_error err = {0};
		if (!kb_rule_add(eng, &def, &err)) {
			fprintf(stderr, "rule %d: %s\n", i, err.msg);
			return 2;
		}
		if (rules_out)
			emit_rule(rules_out, i, &sp);
	}
	double t1 = now();
	if (facts_out)
		fprintf(facts_out, "{\"kbdiag_snapshot\": 1, \"facts\": [");
	for (int n = 0; n < nfacts; n++) {
		struct fact_gen g;
		make_fact(eng, n, nfacts, &g);
		kb_assert(eng, g.kind, g.v, NULL, NULL, NULL);
		if (facts_out) {
			fprintf(facts_out, "%s\n{\"kind\":\"%s\",\"slots\":{", n ? "," : "", kind_names[g.kind]);
			for (size_t s = 0; s < kind_nslots[g.kind]; s++) {
				fprintf(facts_out, "%s\"%s\":", s ? "," : "", kind_slots[g.kind][s].name);
				emit_value(facts_out, g.v[s]);
			}
			fprintf(facts_out, "}}");
		}
	}
	double t2 = now();
	struct kb_memstats before_run;
	kb_engine_memstats(eng, &before_run);
	kb_run(eng, 0);
	double t3 = now();
	if (facts_out) {
		fprintf(facts_out, "\n]}\n");
		fclose(facts_out);
		fclose(rules_out);
	}
	struct kb_memstats m;
	kb_engine_memstats(eng, &m);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	size_t overhead = m.total - m.facts;
	printf("rules            %d, network built in %.1f ms\n", nrules, (t1 - t0) * 1e3);
	printf("facts            %d asserted in %.1f ms: %.0f facts/s\n", nfacts, (t2 - t1) * 1e3, nfacts / (t2 - t1));
	printf("firings          %llu in %.1f ms\n", (unsigned long long)fired, (t3 - t2) * 1e3);
	printf("total            %.1f ms\n", (t3 - t0) * 1e3);
	printf("engine memory    %.1f MB: facts %.1f MB; beyond them %.1f MB = %zu bytes per fact\n",
	       m.total / 1e6, m.facts / 1e6, overhead / 1e6, overhead / (size_t)nfacts);
	printf("  per fact       index %zu, partial matches %zu (%zu live), memory items %zu (%zu live), tables %zu, network %zu\n",
	       m.fact_index / (size_t)nfacts, m.tokens / (size_t)nfacts, m.live_tokens, m.items / (size_t)nfacts,
	       m.live_items, m.tables / (size_t)nfacts, m.network / (size_t)nfacts);
	printf("  before firing  %zu bytes per fact beyond the facts\n", (before_run.total - before_run.facts) / (size_t)nfacts);
	printf("peak RSS         %.1f MB\n", ru.ru_maxrss / 1e3);
	kb_engine_free(eng);
	return 0;
}
