/*
 * json.c — the JSON report, exactly as DESIGN.md's contract shows it:
 * kbdiag, host, findings (with evidence), errors, warnings, inputs, stats.
 */
#include <jansson.h>

#include "json_text.h"
#include "report.h"

static json_t *host_json(const struct kbr_report *r)
{
	json_t *h = json_object();
	if (r->host_name)
		json_object_set_new(h, "name", kbu_json_text(r->host_name));
	if (r->host_os)
		json_object_set_new(h, "os", kbu_json_text(r->host_os));
	if (r->service_pack >= 0)
		json_object_set_new(h, "service_pack", json_integer(r->service_pack));
	return h;
}

static json_t *finding_json(const struct kbr_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", kbu_json_text(f->rule));
	if (f->article)
		json_object_set_new(o, "article", kbu_json_text(f->article));
	json_object_set_new(o, "severity", kbu_json_text(f->severity));
	json_object_set_new(o, "title", kbu_json_text(f->title));
	json_object_set_new(o, "message", kbu_json_text(f->message));
	if (f->remedy)
		json_object_set_new(o, "remedy", kbu_json_text(f->remedy));
	json_t *ev = json_array();
	for (size_t i = 0; i < f->nevidence; i++) {
		const struct kbr_evidence *e = &f->evidence[i];
		char id[16];
		snprintf(id, sizeof(id), "f%u", e->fact);
		json_t *x = json_pack("{s:s, s:o, s:o}", "fact", id, "kind", kbu_json_text(e->kind), "source",
				      kbu_json_place(e->source, e->line));
		if (e->text)
			json_object_set_new(x, "text", kbu_json_text(e->text));
		if (e->length) {
			json_object_set_new(x, "offset", json_integer((json_int_t)e->offset));
			json_object_set_new(x, "length", json_integer((json_int_t)e->length));
		}
		json_array_append_new(ev, x);
	}
	json_object_set_new(o, "evidence", ev);
	return o;
}

void kbr_json_accounts(json_t *root, const struct kbr_report *r)
{
	json_t *errors = json_array();
	for (size_t i = 0; i < r->nerrors; i++)
		json_array_append_new(errors, json_pack("{s:s, s:o, s:o}", "level", r->errors[i].level, "where",
							kbu_json_text(r->errors[i].where), "message",
							kbu_json_text(r->errors[i].message)));
	json_object_set_new(root, "errors", errors);
	json_t *warnings = json_array();
	for (size_t i = 0; i < r->nwarnings; i++) {
		const struct kbr_warning *w = &r->warnings[i];
		json_array_append_new(warnings, json_pack("{s:o, s:o, s:o}", "path", kbu_json_text(w->path), "line",
							  w->line > 0 ? json_integer(w->line) : json_null(),
							  "reason", kbu_json_text(w->reason)));
	}
	json_object_set_new(root, "warnings", warnings);
	json_t *inputs = json_array();
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct kbr_input *in = &r->inputs[i];
		json_t *o = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I}", "path", kbu_json_text(in->path),
				      "format", in->format, "facts", (json_int_t)in->facts, "read", (json_int_t)in->read,
				      "kept", (json_int_t)(in->read - in->skipped), "skipped", (json_int_t)in->skipped);
		if (in->unavailable)
			json_object_set_new(o, "unavailable", kbu_json_text(in->unavailable));
		json_array_append_new(inputs, o);
	}
	json_object_set_new(root, "inputs", inputs);
}

json_t *kbr_json(const struct kbr_report *r)
{
	json_t *root = json_object();
	json_object_set_new(root, "kbdiag", json_string(KB_VERSION));
	json_object_set_new(root, "host", host_json(r));
	json_t *findings = json_array();
	for (size_t i = 0; i < r->nfindings; i++)
		json_array_append_new(findings, finding_json(&r->findings[i]));
	json_object_set_new(root, "findings", findings);
	kbr_json_accounts(root, r);
	json_object_set_new(root, "stats", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "facts", (json_int_t)r->facts,
						     "read", (json_int_t)r->read, "kept", (json_int_t)(r->read - r->skipped),
						     "skipped", (json_int_t)r->skipped, "rules", (json_int_t)r->rules,
						     "fired", (json_int_t)r->fired, "elapsed_ms", r->elapsed_ms));
	return root;
}

int kbr_dump_json(json_t *doc, FILE *out)
{
	int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	fputc('\n', out);
	return rc;
}

int kbr_render_json(const struct kbr_report *r, FILE *out)
{
	return kbr_render_json_with(r, NULL, NULL, out);
}

int kbr_render_json_with(const struct kbr_report *r, const char *key, json_t *extra, FILE *out)
{
	json_t *root = kbr_json(r);
	if (key && extra)
		json_object_set_new(root, key, extra);
	int rc = kbr_dump_json(root, out);
	json_decref(root);
	return rc;
}
