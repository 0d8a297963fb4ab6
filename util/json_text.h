/*
 * json_text.h — strings into jansson trees without losing them.
 * json_string() returns NULL for a string that is not valid UTF-8, and a
 * NULL handed to json_object_set_new() or json_pack() makes the field (or
 * the whole object) silently disappear: a finding lost its message, a
 * file named in Latin-1 its entry in "inputs".  kbu_json_text() repairs
 * such a string first (each byte that starts no well-formed sequence
 * becomes U+FFFD, as kbu_utf8_fix() does) and so never returns NULL.
 * Every jansson string kbdiag makes from data goes through it; the
 * streamed writers use kbu_put_json_str() (outbuf.h), with the same rule.
 *
 * Header only, so that kbutil itself does not link jansson: include it
 * where jansson is linked.
 */
#ifndef KBDIAG_UTIL_JSON_TEXT_H
#define KBDIAG_UTIL_JSON_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "utf8.h"
#include "xalloc.h"

/* A new reference: s as a JSON string, repaired; JSON null for NULL. */
static inline json_t *kbu_json_text(const char *s)
{
	if (!s)
		return json_null();
	size_t n;
	char *fixed = kbu_utf8_fix(s, strlen(s), &n);
	if (!fixed)
		return json_string_nocheck(s);
	json_t *j = json_stringn_nocheck(fixed, n);
	free(fixed);
	return j;
}

/* A new reference: "file:line" (the file alone for line <= 0, "" for a
 * NULL file), as long as the file name is, repaired as above. */
static inline json_t *kbu_json_place(const char *file, int line)
{
	file = file ? file : "";
	if (line <= 0)
		return kbu_json_text(file);
	size_t size = strlen(file) + 16;
	char *s = kbu_malloc(size);
	snprintf(s, size, "%s:%d", file, line);
	json_t *j = kbu_json_text(s);
	free(s);
	return j;
}

#endif
