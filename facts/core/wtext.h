/*
 * wtext.h — small text helpers the Windows importers share (host state,
 * event logs, the CSV reader): spans and tokens over a decoded line,
 * comparisons, numbers and addresses, and a growable buffer for joined
 * record text.  Character columns are kbu_utf8_offset()
 * (util/utf8.h); CSV rows are core/csv.h.
 *
 * Everything works on (pointer, length) pairs that are not NUL-terminated
 * and never reads past the length.  Allocation failure ends the process
 * (util/xalloc.h): an importer has no useful way to go on without memory.
 */
#ifndef KBDIAG_FACTS_CORE_WTEXT_H
#define KBDIAG_FACTS_CORE_WTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts.h"

struct kbf_wtext_buf;

struct kbf_wtext_span {
	const char *s; /* borrowed; not NUL-terminated */
	size_t len;
};

/* Without leading and trailing blanks (space, tab, NUL never occur). */
struct kbf_wtext_span kbf_wtext_trim(const char *s, size_t len);
bool kbf_wtext_blank(const char *s, size_t len);
/* Leading spaces (tabs count as one). */
size_t kbf_wtext_indent(const char *s, size_t len);
/* The next run of non-blanks at or after *pos; advances *pos past it. */
bool kbf_wtext_token(const char *s, size_t len, size_t *pos, struct kbf_wtext_span *tok);
/* Exact and ASCII case-insensitive comparisons with a C string. */
bool kbf_wtext_eq(struct kbf_wtext_span a, const char *lit);
bool kbf_wtext_ieq(struct kbf_wtext_span a, const char *lit);
bool kbf_wtext_contains(struct kbf_wtext_span a, const char *lit);
/* Where lit first stands in s[0..len), ASCII case ignored (at may be NULL). */
bool kbf_wtext_ifind(const char *s, size_t len, const char *lit, size_t *at);
bool kbf_wtext_prefix(const char *s, size_t len, const char *lit);
bool kbf_wtext_iprefix(const char *s, size_t len, const char *lit);
/* A span of digits only, at most max; false on anything else. */
bool kbf_wtext_uint(struct kbf_wtext_span a, uint64_t max, uint64_t *out);
/* A hexadecimal number without prefix ("20", "f0"), at most 8 digits. */
bool kbf_wtext_hex(struct kbf_wtext_span a, uint64_t *out);
/* "/Date(1567807200000)/" (a JSON string's "\/" decoded): .NET
 * JavaScriptSerializer's milliseconds since 1970 UTC, negative before;
 * an offset suffix ("/Date(1567807200000+0200)/") names the zone the value
 * was local to and does not change the instant.  false on anything else. */
bool kbf_wtext_json_date(struct kbf_wtext_span a, int64_t *ms);

/* A dotted-quad IPv4 address, each part 0..255. */
bool kbf_wtext_ipv4(struct kbf_wtext_span a);
/* Hex digits, colons, at most one "::", optionally an embedded IPv4 tail
 * and a %zone; a plausibility check, not a full RFC 4291 parser. */
bool kbf_wtext_ipv6(struct kbf_wtext_span a);
/* The address without a "%zone" suffix (fe80::1%4 -> fe80::1). */
struct kbf_wtext_span kbf_wtext_unzone(struct kbf_wtext_span a);

/* Appends a Windows product name without trademark signs and with single
 * spaces: "Microsoft(R) Windows(R) Server 2003, Standard Edition" and
 * "Microsoft (R) Windows NT (TM) Server" become "Microsoft Windows Server
 * 2003, Standard Edition" and "Microsoft Windows NT Server" (a no-break
 * space counts as a blank). */
void kbf_wtext_product(struct kbf_wtext_buf *b, const char *s, size_t len);

/* The code point of a Windows-1252 byte (core/text.c's table): for bytes
 * of the ANSI code page met inside a file, such as REGEDIT4's hex(2). */
uint32_t kbf_text_cp1252(unsigned char b);

/* ---- growable text ------------------------------------------------------------ */

/* Zero initialised is empty. */
struct kbf_wtext_buf {
	char *s; /* owned; NUL-terminated once anything was added */
	size_t len, cap;
};
/* Room for len more bytes and a NUL, so that adding them moves nothing. */
void kbf_wtext_buf_reserve(struct kbf_wtext_buf *b, size_t len);
void kbf_wtext_buf_add(struct kbf_wtext_buf *b, const char *s, size_t len);
void kbf_wtext_buf_addc(struct kbf_wtext_buf *b, char c);
void kbf_wtext_buf_set(struct kbf_wtext_buf *b, const char *s, size_t len);
/* Appends the runs of s[0..len) between CRs, until b holds cap bytes. */
void kbf_wtext_buf_add_uncr(struct kbf_wtext_buf *b, const char *s, size_t len, size_t cap);
/* Drops trailing blanks (spaces, tabs, CR, LF). */
void kbf_wtext_buf_rtrim(struct kbf_wtext_buf *b);
/* Adds sep first unless b is empty; s is trimmed. */
void kbf_wtext_buf_join(struct kbf_wtext_buf *b, const char *sep, const char *s, size_t len);
void kbf_wtext_buf_reset(struct kbf_wtext_buf *b);
void kbf_wtext_buf_free(struct kbf_wtext_buf *b);
/* b's text as a span (borrowed from b). */
struct kbf_wtext_span kbf_wtext_buf_span(const struct kbf_wtext_buf *b);

/* Sets slot to v, copied; an empty v sets nothing (a field the input left
 * blank is a slot the fact does not have). */
void kbf_set_span(struct kbf_fact *f, const char *slot, struct kbf_wtext_span v);

#endif
