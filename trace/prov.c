/*
 * prov.c — the trace as W3C PROV-JSON (https://www.w3.org/Submission/prov-json/):
 *   entities    every fact (findings typed kbdiag:Finding too), every evidence
 *               line and evidence file, every rule file (a prov:Plan);
 *   activities  every firing, and every import or collector run;
 *   agent       kbdiag itself (a prov:SoftwareAgent);
 *   used, wasGeneratedBy, wasDerivedFrom, wasAssociatedWith (a firing with
 *   kbdiag, its plan the rule's file), wasAttributedTo, wasInvalidatedBy
 *   for facts a firing retracted.
 * Identifiers are "kbdiag:" qualified names, their local parts escaped so
 * that file names with spaces or colons stay valid.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "json_text.h"

struct prov {
	const struct kbt_trace *t;
	json_t *sec[9];
	size_t nrel;
};

enum { ENTITY, ACTIVITY, AGENT, USED, GENERATED, DERIVED, ASSOCIATED, ATTRIBUTED, INVALIDATED };
static const char *const sections[] = {"entity", "activity", "agent", "used", "wasGeneratedBy",
				       "wasDerivedFrom", "wasAssociatedWith", "wasAttributedTo",
				       "wasInvalidatedBy"};

/* "kbdiag:" + prefix + name, with characters outside [A-Za-z0-9._-] as %XX. */
static char *qname(const char *prefix, const char *name)
{
	size_t n = strlen(name), k = 0;
	char *s = kbu_malloc(strlen(prefix) + 3 * n + 8);
	k = (size_t)sprintf(s, "kbdiag:%s", prefix);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			s[k++] = (char)c;
		else
			k += (size_t)sprintf(s + k, "%%%02X", c);
	}
	s[k] = '\0';
	return s;
}

/* "<prefix><n> <name>": a fact's or a firing's label. */
static json_t *numbered_label(const char *prefix, unsigned long long n, const char *name)
{
	size_t size = strlen(prefix) + strlen(name) + 24;
	char *s = kbu_malloc(size);
	snprintf(s, size, "%s%llu %s", prefix, n, name);
	json_t *j = kbu_json_text(s);
	free(s);
	return j;
}

json_t *kbt_value_json(struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: return kbu_json_text(v.u.s);
	case KB_INT: return json_integer(v.u.i);
	case KB_FLOAT: return json_real(v.u.f);
	case KB_BOOL: return json_boolean(v.u.b);
	default: return NULL;
	}
}

static void put(struct prov *p, int sec, const char *id, json_t *o)
{
	if (!json_object_get(p->sec[sec], id))
		json_object_set_new(p->sec[sec], id, o);
	else
		json_decref(o);
}

/* A relation under a blank-node id. */
static void relate(struct prov *p, int sec, json_t *o)
{
	char id[32];
	snprintf(id, sizeof(id), "_:r%zu", ++p->nrel);
	json_object_set_new(p->sec[sec], id, o);
}

static char *fact_id(uint32_t id)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "f%u", id);
	return qname("", buf);
}

static char *firing_id(uint64_t n)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "firing-%llu", (unsigned long long)n);
	return qname("", buf);
}

/* The rule file of "file:line" (malloc'd). */
static char *rule_file(const char *where)
{
	const char *colon = strrchr(where, ':');
	return kbu_strndup(where, colon ? (size_t)(colon - where) : strlen(where));
}

static void file_entity(struct prov *p, const char *path, const char *type)
{
	char *id = qname("file/", path);
	put(p, ENTITY, id, json_pack("{s:s, s:o, s:o}", "prov:type", type, "prov:label", kbu_json_text(path), "kbdiag:path",
				     kbu_json_text(path)));
	free(id);
}

static void agent(struct prov *p)
{
	put(p, AGENT, "kbdiag:kbdiag", json_pack("{s:s, s:s, s:s}", "prov:type", "prov:SoftwareAgent", "prov:label",
						 "kbdiag", "kbdiag:version", p->t->version ? p->t->version : "?"));
}

static char *input_id(size_t i)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "import-%zu", i + 1);
	return qname("", buf);
}

static void inputs(struct prov *p)
{
	for (size_t i = 0; i < p->t->ninputs; i++) {
		const struct kbt_input *in = &p->t->inputs[i];
		char *id = input_id(i);
		json_t *o = json_pack("{s:s, s:o, s:o}", "prov:type", in->collector ? "kbdiag:Collection" : "kbdiag:Import",
				      "prov:label", kbu_json_text(in->path), "kbdiag:format",
				      kbu_json_text(in->format ? in->format : "unrecognised"));
		if (in->unavailable)
			json_object_set_new(o, "kbdiag:unavailable", kbu_json_text(in->unavailable));
		put(p, ACTIVITY, id, o);
		relate(p, ASSOCIATED, json_pack("{s:s, s:s}", "prov:activity", id, "prov:agent", "kbdiag:kbdiag"));
		if (!in->collector) {
			char *file = qname("file/", in->path);
			file_entity(p, in->path, "kbdiag:EvidenceFile");
			relate(p, USED, json_pack("{s:s, s:s}", "prov:activity", id, "prov:entity", file));
			free(file);
		}
		free(id);
	}
}

static json_t *fact_attrs(const struct kbt_fact *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "prov:type", kbt_is_finding(f) ? json_pack("[s, s]", "kbdiag:Fact", "kbdiag:Finding")
							       : json_string("kbdiag:Fact"));
	json_object_set_new(o, "prov:label", numbered_label("f", f->id, f->kind));
	json_object_set_new(o, "kbdiag:kind", kbu_json_text(f->kind));
	json_object_set_new(o, "kbdiag:origin", json_string(kbt_origin_name(f->origin)));
	for (size_t i = 0; i < f->nslots; i++) {
		char key[256];
		snprintf(key, sizeof(key), "kbdiag:slot-%s", f->slots[i].name);
		json_t *v = kbt_value_json(f->slots[i].value);
		if (v)
			json_object_set_new(o, key, v);
	}
	if (f->source)
		json_object_set_new(o, "kbdiag:source", kbu_json_text(f->source));
	if (f->line > 0)
		json_object_set_new(o, "kbdiag:line", json_integer(f->line));
	if (f->text)
		json_object_set_new(o, "kbdiag:text", kbu_json_text(f->text));
	return o;
}

/* An evidence fact: generated by its import, derived from its line, which
 * quotes its file. */
static void evidence(struct prov *p, const struct kbt_fact *f, const char *id)
{
	const struct kbt_input *in = f->input >= 0 ? &p->t->inputs[f->input] : NULL;
	if (in) {
		char *act = input_id((size_t)f->input);
		relate(p, GENERATED, json_pack("{s:s, s:s}", "prov:entity", id, "prov:activity", act));
		free(act);
	}
	if (!f->source || (in && in->collector))
		return;
	size_t size = strlen(f->source) + 16;
	char *where = kbu_malloc(size);
	snprintf(where, size, "%s:%d", f->source, f->line);
	char *line = qname("line/", where), *file = qname("file/", f->source);
	json_t *o = json_pack("{s:s, s:o, s:o, s:i}", "prov:type", "kbdiag:EvidenceLine", "prov:label",
			      kbu_json_text(where), "kbdiag:file", kbu_json_text(f->source), "kbdiag:line", f->line);
	free(where);
	if (f->text)
		json_object_set_new(o, "prov:value", kbu_json_text(f->text));
	put(p, ENTITY, line, o);
	file_entity(p, f->source, "kbdiag:EvidenceFile");
	relate(p, DERIVED, json_pack("{s:s, s:s}", "prov:generatedEntity", id, "prov:usedEntity", line));
	relate(p, DERIVED, json_pack("{s:s, s:s, s:s}", "prov:generatedEntity", line, "prov:usedEntity", file,
				     "prov:type", "prov:Quotation"));
	free(line);
	free(file);
}

static void fact_entity(struct prov *p, const struct kbt_fact *f)
{
	char *id = fact_id(f->id);
	put(p, ENTITY, id, fact_attrs(f));
	if (f->origin == KB_ORIGIN_EVIDENCE) {
		evidence(p, f, id);
	} else if (f->origin == KB_ORIGIN_KNOWLEDGE && f->source) {
		char *plan = qname("file/", f->source);
		file_entity(p, f->source, "prov:Plan");
		relate(p, DERIVED, json_pack("{s:s, s:s}", "prov:generatedEntity", id, "prov:usedEntity", plan));
		relate(p, ATTRIBUTED, json_pack("{s:s, s:s}", "prov:entity", id, "prov:agent", "kbdiag:kbdiag"));
		free(plan);
	} else if (f->firing) {
		char *act = firing_id(f->firing);
		relate(p, GENERATED, json_pack("{s:s, s:s}", "prov:entity", id, "prov:activity", act));
		for (size_t i = 0; i < f->npremises; i++) {
			if (!f->premises[i])
				continue;
			char *used = fact_id(f->premises[i]);
			relate(p, DERIVED, json_pack("{s:s, s:s, s:s}", "prov:generatedEntity", id, "prov:usedEntity", used,
						     "prov:activity", act));
			free(used);
		}
		free(act);
	}
	if (f->retracted_by) {
		char *act = firing_id(f->retracted_by);
		relate(p, INVALIDATED, json_pack("{s:s, s:s}", "prov:entity", id, "prov:activity", act));
		free(act);
	}
	free(id);
}

static void firing_activity(struct prov *p, const struct kbt_firing *x)
{
	const struct kbt_rule *r = &p->t->rules[x->rule];
	char *id = firing_id(x->n), *file = rule_file(r->where), *plan = qname("file/", file);
	json_t *o = json_pack("{s:s, s:o, s:o, s:I}", "prov:type", "kbdiag:Firing", "prov:label",
			      numbered_label("#", x->n, r->id), "kbdiag:rule", kbu_json_text(r->id),
			      "kbdiag:firing", (json_int_t)x->n);
	for (size_t i = 0; i < x->nbindings; i++) {
		char key[256];
		snprintf(key, sizeof(key), "kbdiag:var-%s", x->bindings[i].name + (x->bindings[i].name[0] == '?'));
		json_t *v = kbt_value_json(x->bindings[i].value);
		if (v)
			json_object_set_new(o, key, v);
	}
	put(p, ACTIVITY, id, o);
	file_entity(p, file, "prov:Plan");
	free(file);
	relate(p, ASSOCIATED, json_pack("{s:s, s:s, s:s, s:o}", "prov:activity", id, "prov:agent", "kbdiag:kbdiag",
					"prov:plan", plan, "kbdiag:rule", kbu_json_text(r->id)));
	for (size_t i = 0; i < x->nfacts; i++) {
		if (!x->facts[i])
			continue;
		char *used = fact_id(x->facts[i]);
		relate(p, USED, json_pack("{s:s, s:s, s:I}", "prov:activity", id, "prov:entity", used, "kbdiag:condition",
					  (json_int_t)i + 1));
		free(used);
	}
	free(id);
	free(plan);
}

int kbt_render_prov(const struct kbt_trace *t, FILE *out)
{
	struct prov p = {.t = t};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		p.sec[i] = json_object();
	agent(&p);
	inputs(&p);
	for (size_t i = 0; i < t->nfirings; i++)
		firing_activity(&p, &t->firings[i]);
	for (size_t i = 0; i < t->nfacts; i++)
		fact_entity(&p, &t->facts[i]);
	json_t *root = json_pack("{s:{s:s}}", "prefix", "kbdiag", "urn:kbdiag:");
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (json_object_size(p.sec[i]))
			json_object_set_new(root, sections[i], p.sec[i]);
		else
			json_decref(p.sec[i]);
	int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	fputc('\n', out);
	json_decref(root);
	return rc < 0 || ferror(out) ? -1 : 0;
}
