/*
 * fleet.h — many hosts' reports rolled up (`kbdiag fleet`): which rules
 * fired on how many hosts, each host's findings, and the hosts that could
 * not be read, with why.  The roll-up is built from the JSON reports that
 * `kbdiag run` and `kbdiag diagnose` print (DESIGN.md, "JSON report"), one
 * host each or several in a report's `hosts`; its renderers are pure
 * functions of it.
 */
#ifndef KBDIAG_REPORT_FLEET_H
#define KBDIAG_REPORT_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "textout.h"

enum kbr_host_status {
	KBR_HOST_READ,        /* its report was read */
	KBR_HOST_UNREACHABLE, /* the report says the host could not be reached (the Ansible role's marker) */
	KBR_HOST_UNREADABLE,  /* the file is not a report kbdiag can read */
};

struct kbr_fleet_host {
	char *name;           /* the fleet's name for it: its folder, else the report's host name */
	char *reported_name;  /* host.name in the report, NULL if none */
	char *report;         /* the file it came from */
	enum kbr_host_status status;
	char *reason;         /* why it was not read; NULL when read */
	json_t *findings;     /* the report's findings array (borrowed from the fleet's docs), NULL when not read */
	size_t errors, warnings;
	bool worrying;        /* a finding of severity error or warning */
};

struct kbr_fleet_rule {
	char *rule, *article, *severity, *title; /* article NULL when none */
	size_t *hosts;        /* indexes into the fleet's hosts, each once, in host order */
	size_t nhosts;
};

/* A file given that holds no host: a snapshot (to diagnose, not roll up),
 * a file that is not JSON beside the reports. */
struct kbr_fleet_skip {
	char *path, *reason;
};

struct kbr_fleet {
	struct kbr_fleet_host *hosts;
	size_t nhosts, hosts_cap;
	struct kbr_fleet_rule *rules; /* in the order first seen; sorted by kbr_fleet_finish() */
	size_t nrules, rules_cap;
	struct kbr_fleet_skip *skipped;
	size_t nskipped, skipped_cap;
	json_t *docs;                 /* the reports read, which the hosts' findings point into */
};

void kbr_fleet_init(struct kbr_fleet *f);
/* Adds the host or hosts of the report in file `path`: name, when not NULL,
 * names a report of one host (the folder it was fetched to).  A file that
 * cannot be read or parsed, or is not a report, is added as an unreadable
 * host with the reason; a snapshot is skipped, with the reason. */
void kbr_fleet_add_file(struct kbr_fleet *f, const char *path, const char *name);
/* The parsed report doc (taken) of file path, as kbr_fleet_add_file(). */
void kbr_fleet_add_doc(struct kbr_fleet *f, json_t *doc, const char *path, const char *name);
/* A file given that holds no report, and why. */
void kbr_fleet_skip(struct kbr_fleet *f, const char *path, const char *reason);
/* Orders the rules: most hosts first, then by rule id. */
void kbr_fleet_finish(struct kbr_fleet *f);
void kbr_fleet_free(struct kbr_fleet *f);

/* Whether a host was not read, or has a finding of severity warning or
 * worse: what makes `kbdiag fleet` exit 1. */
bool kbr_fleet_worrying(const struct kbr_fleet *f);
size_t kbr_fleet_read(const struct kbr_fleet *f);

void kbr_fleet_text(FILE *out, const struct kbr_fleet *f);
/* ": 2 findings; it calls itself X; 1 rule error; 1 input not read in
 * full": what a host's report says of it, strings escaped by esc (the
 * text and the HTML roll-up). */
void kbr_fleet_host_notes(FILE *out, kbu_escape_fn esc, const struct kbr_fleet_host *h);
/* {"kbdiag", "hosts": [...], "rules": [...]}; a new reference. */
json_t *kbr_fleet_json(const struct kbr_fleet *f);

#endif
