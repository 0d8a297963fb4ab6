/*
 * registry.h — what the three readers of the Windows registry share
 * (docs/evidence-formats.md "Registry: what kbdiag keeps"): `reg query`
 * text (reg_query.c), `.reg` exports (reg_file.c) and offline hives read
 * with libregf (reg_hive.c).  Each turns its form into the same stream of
 * keys and values and hands it to one reader (reg_facts.c), which alone
 * decides what is kept and what facts it makes, so a service, the OS
 * version or a port setting is the same fact whichever form it came in.
 *
 * A reader is fed keys, each followed by its values, as full paths the way
 * the source names them ("HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\...",
 * "HKLM\SOFTWARE\..."); it maps the current control set to
 * CurrentControlSet itself.  Private to facts/windows/registry.
 */
#ifndef KBDIAG_FACTS_WINDOWS_REGISTRY_REGISTRY_H
#define KBDIAG_FACTS_WINDOWS_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/wtext.h"
#include "facts.h"

/* Value types, as winnt.h numbers them. */
enum {
	KBF_REG_NONE = 0,
	KBF_REG_SZ = 1,
	KBF_REG_EXPAND_SZ = 2,
	KBF_REG_BINARY = 3,
	KBF_REG_DWORD = 4,
	KBF_REG_DWORD_BIG_ENDIAN = 5,
	KBF_REG_LINK = 6,
	KBF_REG_MULTI_SZ = 7,
	KBF_REG_QWORD = 11,
};

/* "REG_SZ" for 1 ...; NULL for a type reg.exe has no name for. */
const char *kbf_reg_type_name(uint32_t type);
/* The type a name such as "REG_EXPAND_SZ" stands for; false for none. */
bool kbf_reg_type_parse(struct kbf_wtext_span name, uint32_t *type);

/* A value as every form ends up giving it. */
struct kbf_reg_value {
	struct kbf_wtext_span name; /* empty: the key's default value */
	uint32_t type;
	/* Its data as text (UTF-8): a string as stored; REG_MULTI_SZ's
	 * strings joined by "\n"; a DWORD or QWORD in decimal; other types
	 * as lower-case hex bytes.  Borrowed from the source or a buffer. */
	struct kbf_wtext_span text;
	bool has_number; /* a DWORD, a QWORD, or a string of decimal digits */
	uint64_t number;
};

/* Longest value text kept; a longer value is left out (and said so). */
#define KBF_REG_TEXT_MAX 16384

/* Decodes data as the registry stores it (strings UTF-16LE, or single
 * bytes of Windows-1252 when ansi, as REGEDIT4 writes them; numbers
 * little-endian) into v->text and v->number, using buf (reset first).
 * false when the data is longer than KBF_REG_TEXT_MAX would allow. */
bool kbf_reg_decode(struct kbf_reg_value *v, const unsigned char *data, size_t len, bool ansi,
		    struct kbf_wtext_buf *buf);
/* Sets has_number when v->text is a decimal number (strings such as
 * SQL Server's TcpPort "1433"). */
void kbf_reg_text_number(struct kbf_reg_value *v);

/* ---- the reader: keys and values in, facts out ----------------------------------- */

struct kbf_reg_reader;

/* A reader that asserts into in.  Freed by kbf_reg_end(). */
struct kbf_reg_reader *kbf_reg_new(struct kbf_input *in);
/* A key starts (the one before ends): path as the source names it
 * (borrowed for the call; copied if kept), line its line (0 in a hive).
 * Whether anything of it is kept is the reader's to say. */
void kbf_reg_key(struct kbf_reg_reader *r, struct kbf_wtext_span path, int line);
/* Whether a value named name of the current key would be kept: a source
 * asks before decoding its data. */
bool kbf_reg_wants(const struct kbf_reg_reader *r, struct kbf_wtext_span name);
/* Whether anything of the current key is kept. */
bool kbf_reg_keeps_key(const struct kbf_reg_reader *r);
/* A value of the current key; text is what the source shows of it (the
 * line), for provenance. */
void kbf_reg_value(struct kbf_reg_reader *r, const struct kbf_reg_value *v, int line, struct kbf_wtext_span text);

/* For a hive walk: whether the key at path (mapped as kbf_reg_key maps
 * it) has values kept (*here) or keys below it that may have (returns). */
bool kbf_reg_leads(const struct kbf_reg_reader *r, struct kbf_wtext_span path, bool *here);
/* The control set that is CurrentControlSet (Select\Current): ControlSet
 * N is read as CurrentControlSet. */
void kbf_reg_set_control_set(struct kbf_reg_reader *r, unsigned n);

/* Text forms read a second time when the file named control sets by
 * number only (an export of HKLM\SYSTEM): after the first pass, the one
 * to read (Select\Current, or the only one), or 0 for none.  The second
 * pass reads only that control set's keys. */
unsigned kbf_reg_second_pass(struct kbf_reg_reader *r);

/* The input r asserts into. */
struct kbf_input *kbf_reg_input(const struct kbf_reg_reader *r);

/* Reads a text form (reg query, .reg) as a stream: each line goes to
 * line_fn, then NULL at the end of each pass; a second pass follows when
 * the file named control sets by number only (kbf_reg_second_pass).
 * what names the form in messages.  Returns what kbf_reg_end() does. */
int kbf_reg_read_text(struct kbf_input *in, struct kbf_text *t, const char *what,
		      void (*line_fn)(struct kbf_reg_reader *r, void *ctx, const struct kbf_line *l, int line),
		      void *ctx);

/* Ends the last key, asserts the host fact the input gave, and frees r.
 * Returns 0, or -1 when the input recorded an error. */
int kbf_reg_end(struct kbf_reg_reader *r);

#endif
