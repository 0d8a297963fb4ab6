/*
 * fleet.c — the roll-up of many hosts' JSON reports (fleet.h).
 *
 * Reports come from the hosts, so they are read as untrusted input: a
 * size bound before parsing, every member's type checked, every string
 * escaped on the way out (textout.h for text, repaired UTF-8 for JSON).
 * A report that is not one becomes a host "not read", never a silence.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fleet.h"
#include "json_text.h"
#include "kb.h"
#include "report.h"
#include "textout.h"
#include "xalloc.h"

/* Far above any report (a few kB to a few MB): a file this big is not one. */
#define REPORT_MAX ((off_t)64 << 20)

void kbr_fleet_init(struct kbr_fleet *f)
{
	memset(f, 0, sizeof(*f));
	f->docs = json_array();
}

static const char *str_member(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static char *dup_or_null(const char *s)
{
	return s ? kbu_strdup(s) : NULL;
}

static struct kbr_fleet_host *new_host(struct kbr_fleet *f, const char *name, const char *reported,
				       const char *path)
{
	if (f->nhosts == f->hosts_cap) {
		f->hosts_cap = f->hosts_cap ? 2 * f->hosts_cap : 64;
		f->hosts = kbu_realloc(f->hosts, f->hosts_cap, sizeof(*f->hosts));
	}
	struct kbr_fleet_host *h = &f->hosts[f->nhosts++];
	memset(h, 0, sizeof(*h));
	h->reported_name = dup_or_null(reported);
	h->name = kbu_strdup(name ? name : reported ? reported : path);
	h->report = kbu_strdup(path);
	return h;
}

static void not_read(struct kbr_fleet *f, const char *name, const char *reported, const char *path,
		     enum kbr_host_status status, const char *reason)
{
	struct kbr_fleet_host *h = new_host(f, name, reported, path);
	h->status = status;
	h->reason = kbu_strdup(reason);
}

void kbr_fleet_skip(struct kbr_fleet *f, const char *path, const char *reason)
{
	if (f->nskipped == f->skipped_cap) {
		f->skipped_cap = f->skipped_cap ? 2 * f->skipped_cap : 8;
		f->skipped = kbu_realloc(f->skipped, f->skipped_cap, sizeof(*f->skipped));
	}
	f->skipped[f->nskipped++] = (struct kbr_fleet_skip){kbu_strdup(path), kbu_strdup(reason)};
}

/* The rule's entry, made on first sight.  A fleet fires tens of distinct
 * rules, so a walk is cheaper than a table. */
static struct kbr_fleet_rule *rule_entry(struct kbr_fleet *f, const json_t *finding, const char *rule)
{
	for (size_t i = 0; i < f->nrules; i++)
		if (strcmp(f->rules[i].rule, rule) == 0)
			return &f->rules[i];
	if (f->nrules == f->rules_cap) {
		f->rules_cap = f->rules_cap ? 2 * f->rules_cap : 32;
		f->rules = kbu_realloc(f->rules, f->rules_cap, sizeof(*f->rules));
	}
	struct kbr_fleet_rule *r = &f->rules[f->nrules++];
	*r = (struct kbr_fleet_rule){
		.rule = kbu_strdup(rule),
		.article = dup_or_null(str_member(finding, "article")),
		.severity = kbu_strdup(str_member(finding, "severity") ? str_member(finding, "severity") : "info"),
		.title = kbu_strdup(str_member(finding, "title") ? str_member(finding, "title") : ""),
	};
	return r;
}

/* One host of a report: its findings counted under their rules. */
static void add_host(struct kbr_fleet *f, const json_t *host, const char *name, const char *path)
{
	const json_t *findings = json_object_get(host, "findings");
	const char *reported = str_member(json_object_get(host, "host"), "name");
	if (!reported)
		reported = str_member(host, "name"); /* an entry of a report's hosts */
	if (!json_is_array(findings)) {
		not_read(f, name, reported, path, KBR_HOST_UNREADABLE, "not a kbdiag report: it has no findings");
		return;
	}
	struct kbr_fleet_host *h = new_host(f, name, reported, path);
	size_t self = f->nhosts - 1;
	h->findings = (json_t *)findings;
	h->errors = json_array_size(json_object_get(host, "errors"));
	h->warnings = json_array_size(json_object_get(host, "warnings"));
	size_t i;
	const json_t *x;
	json_array_foreach(findings, i, x) {
		const char *rule = str_member(x, "rule");
		if (!rule)
			continue;
		if (kbr_severity_rank(str_member(x, "severity")) <= 1)
			h->worrying = true;
		struct kbr_fleet_rule *r = rule_entry(f, x, rule);
		if (r->nhosts && r->hosts[r->nhosts - 1] == self)
			continue; /* the same rule again on this host */
		r->hosts = kbu_realloc(r->hosts, r->nhosts + 1, sizeof(*r->hosts));
		r->hosts[r->nhosts++] = self;
	}
}

void kbr_fleet_add_file(struct kbr_fleet *f, const char *path, const char *name)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		not_read(f, name, NULL, path, KBR_HOST_UNREADABLE, "not a file that can be read");
		return;
	}
	if (st.st_size > REPORT_MAX) {
		not_read(f, name, NULL, path, KBR_HOST_UNREADABLE, "larger than 64 MiB: not a kbdiag report");
		return;
	}
	json_error_t err;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		char reason[256 + sizeof(err.text)];
		snprintf(reason, sizeof(reason), "not JSON (line %d: %s)", err.line, err.text);
		not_read(f, name, NULL, path, KBR_HOST_UNREADABLE, reason);
		return;
	}
	kbr_fleet_add_doc(f, doc, path, name);
}

void kbr_fleet_add_doc(struct kbr_fleet *f, json_t *doc, const char *path, const char *name)
{
	json_array_append_new(f->docs, doc);
	const json_t *hosts = json_object_get(doc, "hosts");
	const char *unreachable = str_member(doc, "unreachable");
	if (json_object_get(doc, "kbdiag_snapshot"))
		kbr_fleet_skip(f, path, "a snapshot, not a report: kbdiag diagnose reads it");
	else if (!json_is_object(doc) || !str_member(doc, "kbdiag"))
		not_read(f, name, NULL, path, KBR_HOST_UNREADABLE, "not a kbdiag report");
	else if (unreachable)
		not_read(f, name, str_member(json_object_get(doc, "host"), "name"), path, KBR_HOST_UNREACHABLE,
			 unreachable);
	else if (json_is_array(hosts) && json_array_size(hosts)) {
		size_t i;
		const json_t *h;
		json_array_foreach(hosts, i, h)
			add_host(f, h, NULL, path);
	} else {
		add_host(f, doc, name, path);
	}
}

static int cmp_rules(const void *a, const void *b)
{
	const struct kbr_fleet_rule *x = a, *y = b;
	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

void kbr_fleet_finish(struct kbr_fleet *f)
{
	if (f->nrules)
		qsort(f->rules, f->nrules, sizeof(*f->rules), cmp_rules);
}

void kbr_fleet_free(struct kbr_fleet *f)
{
	for (size_t i = 0; i < f->nhosts; i++) {
		free(f->hosts[i].name);
		free(f->hosts[i].reported_name);
		free(f->hosts[i].report);
		free(f->hosts[i].reason);
	}
	for (size_t i = 0; i < f->nrules; i++) {
		free(f->rules[i].rule);
		free(f->rules[i].article);
		free(f->rules[i].severity);
		free(f->rules[i].title);
		free(f->rules[i].hosts);
	}
	for (size_t i = 0; i < f->nskipped; i++) {
		free(f->skipped[i].path);
		free(f->skipped[i].reason);
	}
	free(f->hosts);
	free(f->rules);
	free(f->skipped);
	json_decref(f->docs);
}

size_t kbr_fleet_read(const struct kbr_fleet *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nhosts; i++)
		n += f->hosts[i].status == KBR_HOST_READ;
	return n;
}

bool kbr_fleet_worrying(const struct kbr_fleet *f)
{
	for (size_t i = 0; i < f->nhosts; i++)
		if (f->hosts[i].status != KBR_HOST_READ || f->hosts[i].worrying)
			return true;
	return false;
}

static const char *status_name(enum kbr_host_status s)
{
	return s == KBR_HOST_READ ? "read" : s == KBR_HOST_UNREACHABLE ? "unreachable" : "unreadable";
}

/* ---- text ------------------------------------------------------------------- */

void kbr_fleet_host_notes(FILE *out, kbu_escape_fn esc, const struct kbr_fleet_host *h)
{
	size_t n = json_array_size(h->findings);
	kbu_xprintf(out, esc, ": %zu finding%s", n, n == 1 ? "" : "s");
	if (h->reported_name && strcmp(h->reported_name, h->name) != 0)
		kbu_xprintf(out, esc, "; it calls itself %s", h->reported_name);
	if (h->errors)
		kbu_xprintf(out, esc, "; %zu rule error%s", h->errors, h->errors == 1 ? "" : "s");
	if (h->warnings)
		kbu_xprintf(out, esc, "; %zu input%s not read in full", h->warnings, h->warnings == 1 ? "" : "s");
}

static void text_host(FILE *out, const struct kbr_fleet_host *h)
{
	kbu_tprintf(out, "%s (%s)", h->name, h->report);
	kbr_fleet_host_notes(out, kbu_text_escape, h);
	fputc('\n', out);
	size_t i;
	const json_t *x;
	json_array_foreach(h->findings, i, x) {
		const char *severity = str_member(x, "severity"), *message = str_member(x, "message");
		char word[16];
		kbr_severity_word(word, sizeof(word), severity ? severity : "info");
		kbu_tprintf(out, "  %-7s %s: %s\n", word, str_member(x, "rule") ? str_member(x, "rule") : "?",
			    str_member(x, "title") ? str_member(x, "title") : "");
		if (message)
			kbu_tprintf(out, "    %s\n", message);
	}
}

void kbr_fleet_text(FILE *out, const struct kbr_fleet *f)
{
	size_t read = kbr_fleet_read(f);
	if (f->nrules) {
		kbu_tprintf(out, "Rules fired, by the hosts they fired on (of %zu read):\n", read);
		kbu_tprintf(out, "  %-6s %-8s %-32s %s\n", "HOSTS", "SEVERITY", "RULE", "TITLE");
		for (size_t i = 0; i < f->nrules; i++) {
			const struct kbr_fleet_rule *r = &f->rules[i];
			kbu_tprintf(out, "  %-6zu %-8s %-32s %s\n", r->nhosts, r->severity, r->rule, r->title);
		}
	} else {
		kbu_tprintf(out, "No rule fired on any of the %zu hosts read.\n", read);
	}
	bool heading = false;
	for (size_t i = 0; i < f->nhosts; i++) {
		if (f->hosts[i].status != KBR_HOST_READ)
			continue;
		if (!heading)
			fputs("\nHosts:\n", out);
		heading = true;
		text_host(out, &f->hosts[i]);
	}
	if (read < f->nhosts || f->nskipped)
		fputs("\nNot read:\n", out);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct kbr_fleet_host *h = &f->hosts[i];
		if (h->status != KBR_HOST_READ)
			kbu_tprintf(out, "  %s (%s): %s: %s\n", h->name, h->report, status_name(h->status), h->reason);
	}
	for (size_t i = 0; i < f->nskipped; i++)
		kbu_tprintf(out, "  %s: %s\n", f->skipped[i].path, f->skipped[i].reason);
	kbu_tprintf(out, "\n%zu host%s: %zu read, %zu not read; %zu rule%s fired\n", f->nhosts,
		    f->nhosts == 1 ? "" : "s", read, f->nhosts - read, f->nrules, f->nrules == 1 ? "" : "s");
}

/* ---- JSON ------------------------------------------------------------------- */

json_t *kbr_fleet_json(const struct kbr_fleet *f)
{
	json_t *hosts = json_array(), *rules = json_array(), *skipped = json_array();
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct kbr_fleet_host *h = &f->hosts[i];
		json_t *o = json_pack("{s:o,s:o,s:s}", "name", kbu_json_text(h->name), "report",
				      kbu_json_text(h->report), "status", status_name(h->status));
		if (h->reported_name)
			json_object_set_new(o, "reported_name", kbu_json_text(h->reported_name));
		if (h->reason)
			json_object_set_new(o, "reason", kbu_json_text(h->reason));
		if (h->status == KBR_HOST_READ) {
			json_object_set(o, "findings", h->findings);
			json_object_set_new(o, "errors", json_integer((json_int_t)h->errors));
			json_object_set_new(o, "warnings", json_integer((json_int_t)h->warnings));
		}
		json_array_append_new(hosts, o);
	}
	for (size_t i = 0; i < f->nrules; i++) {
		const struct kbr_fleet_rule *r = &f->rules[i];
		json_t *names = json_array();
		for (size_t k = 0; k < r->nhosts; k++)
			json_array_append_new(names, kbu_json_text(f->hosts[r->hosts[k]].name));
		json_t *o = json_pack("{s:o,s:o,s:o,s:I,s:o}", "rule", kbu_json_text(r->rule), "severity",
				      kbu_json_text(r->severity), "title", kbu_json_text(r->title), "count",
				      (json_int_t)r->nhosts, "hosts", names);
		if (r->article)
			json_object_set_new(o, "article", kbu_json_text(r->article));
		json_array_append_new(rules, o);
	}
	for (size_t i = 0; i < f->nskipped; i++)
		json_array_append_new(skipped, json_pack("{s:o,s:o}", "path", kbu_json_text(f->skipped[i].path),
							 "reason", kbu_json_text(f->skipped[i].reason)));
	return json_pack("{s:s,s:o,s:o,s:o}", "kbdiag", KB_VERSION, "hosts", hosts, "rules", rules, "skipped",
			 skipped);
}
