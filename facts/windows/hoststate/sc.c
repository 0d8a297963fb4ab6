/*
 * sc.c — `sc query`, `sc queryex` (and `sc qc`) output: each
 * service's state, type, process and exit code.  KB articles read "the
 * service is stopped with error 1077" or "which service runs in PID 812"
 * from exactly these blocks.
 *
 * Layout (docs/evidence-formats.md "sc query and sc queryex"; `state= all`
 * listings repeat the block):
 *
 *     SERVICE_NAME: dns
 *     DISPLAY_NAME: DNS Server
 *             TYPE               : 10  WIN32_OWN_PROCESS
 *             STATE              : 4  RUNNING
 *                                     (STOPPABLE, PAUSABLE, ACCEPTS_SHUTDOWN)
 *             WIN32_EXIT_CODE    : 0  (0x0)
 *             SERVICE_EXIT_CODE  : 0  (0x0)
 *             CHECKPOINT         : 0x0
 *             WAIT_HINT          : 0x0
 *             PID                : 2296          <- queryex only
 *             FLAGS              :
 *
 * TYPE codes are hexadecimal (20 = WIN32_SHARE_PROCESS), STATE codes
 * decimal.  `sc qc` prints the same SERVICE_NAME block with START_TYPE,
 * BINARY_PATH_NAME and an indented DISPLAY_NAME, read here as well.
 * "[SC] ..." status lines and messages between blocks are skipped.
 *
 * Keys are matched without regard to case (core/labels.c).  The words
 * after STATE, TYPE and START_TYPE are kept as printed when they are the
 * English ones; otherwise (a localised sc) the number decides: the
 * SERVICE_STATUS and QUERY_SERVICE_CONFIG constants of winsvc.h
 * (core/service_codes.c), which sc prints whatever the language.  A
 * malformed value or a SERVICE_NAME without a name is left out with a
 * note; the rest is read.
 */
#include <ctype.h>
#include <string.h>

#include "core/labels.h"
#include "core/wtext.h"
#include "core/service_codes.h"

struct block {
	bool active;
	int line;
	struct kbf_wtext_span name, display, state, type, start_type, image;
	int64_t pid, exit_code; /* -1: not given */
	struct kbf_wtext_buf text;
	char state_word[KBF_SERVICE_WORD_MAX], type_word[KBF_SERVICE_WORD_MAX], start_word[KBF_SERVICE_WORD_MAX];
};

/* The words for code: as printed when they start with the fact word's
 * first word (any case: sc's own English), else the fact word (a localised
 * sc; written into word); as printed for a code not listed. */
static struct kbf_wtext_span named(struct kbf_wtext_span printed, enum kbf_service_field field, uint64_t code,
				   char word[KBF_SERVICE_WORD_MAX])
{
	size_t len = kbf_service_word(field, code, false, word);
	if (!len)
		return printed;
	size_t first = strcspn(word, " "), pos = 0;
	struct kbf_wtext_span tok;
	if (kbf_wtext_token(printed.s, printed.len, &pos, &tok) && tok.len == first &&
	    kbf_wtext_iprefix(tok.s, tok.len, word))
		return printed;
	return (struct kbf_wtext_span){word, len};
}

/* Sets slot to the lower-case form of "WIN32_SHARE_PROCESS", words
 * separated by single spaces. */
static void set_lower(struct kbf_fact *f, const char *slot, struct kbf_wtext_span v)
{
	struct kbf_wtext_buf b = {0};
	size_t pos = 0;
	for (struct kbf_wtext_span tok; kbf_wtext_token(v.s, v.len, &pos, &tok);)
		kbf_wtext_buf_join(&b, " ", tok.s, tok.len);
	for (size_t i = 0; i < b.len; i++)
		b.s[i] = (char)tolower((unsigned char)b.s[i]);
	if (b.len)
		kbf_set_str_copy(f, slot, b.s, b.len);
	kbf_wtext_buf_free(&b);
}

static void flush(struct kbf_input *in, struct block *b)
{
	if (!b->active)
		return;
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "service");
	kbf_set_str(&f, "name", b->name.s, b->name.len);
	kbf_set_span(&f, "display_name", b->display);
	set_lower(&f, "state", b->state);
	set_lower(&f, "type", b->type);
	set_lower(&f, "start_type", b->start_type);
	kbf_set_span(&f, "image", b->image);
	if (b->pid > 0)
		kbf_set_int(&f, "pid", b->pid);
	if (b->exit_code >= 0)
		kbf_set_int(&f, "exit_code", b->exit_code);
	kbf_fact_emit(&f, b->line, b->text.s, b->text.len);
	b->active = false;
}

/* "20  WIN32_SHARE_PROCESS" -> the code and the words after it. */
static bool code_and_name(struct kbf_wtext_span v, bool hex, uint64_t *code, struct kbf_wtext_span *name)
{
	size_t pos = 0;
	struct kbf_wtext_span tok;
	if (!kbf_wtext_token(v.s, v.len, &pos, &tok))
		return false;
	if (hex ? !kbf_wtext_hex(tok, code) : !kbf_wtext_uint(tok, UINT32_MAX, code))
		return false;
	*name = kbf_wtext_trim(v.s + pos, v.len - pos);
	return name->len > 0;
}

/* One "KEY : value" line of a block, k its key's English label (NULL: a
 * key not read); false when the value is malformed. */
static bool keyed(struct block *b, const char *k, struct kbf_wtext_span v)
{
	uint64_t n;
	int64_t code;
	size_t pos = 0;
	struct kbf_wtext_span tok;
	if (!k)
		return true;
	if (strcmp(k, "TYPE") == 0) {
		if (!code_and_name(v, true, &n, &b->type))
			return false;
		b->type = named(b->type, KBF_SERVICE_TYPE, n, b->type_word);
	} else if (strcmp(k, "STATE") == 0) {
		if (!code_and_name(v, false, &n, &b->state))
			return false;
		b->state = named(b->state, KBF_SERVICE_STATE, n, b->state_word);
	} else if (strcmp(k, "START_TYPE") == 0) {
		if (!code_and_name(v, false, &n, &b->start_type))
			return false;
		b->start_type = named(b->start_type, KBF_SERVICE_START_TYPE, n, b->start_word);
	} else if (strcmp(k, "DISPLAY_NAME") == 0) {
		b->display = v;
	} else if (strcmp(k, "BINARY_PATH_NAME") == 0) {
		b->image = v;
	} else if (strcmp(k, "PID") == 0) {
		if (!kbf_wtext_uint(v, UINT32_MAX, &n))
			return false;
		b->pid = (int64_t)n;
	} else if (strcmp(k, "WIN32_EXIT_CODE") == 0) {
		if (!kbf_wtext_token(v.s, v.len, &pos, &tok) || !kbf_parse_error_code(tok.s, tok.len, &code))
			return false;
		b->exit_code = code;
	}
	return true;
}

static void start_block(struct kbf_input *in, struct block *b, struct kbf_wtext_span name, int line)
{
	flush(in, b);
	kbf_wtext_buf_reset(&b->text);
	struct kbf_wtext_buf text = b->text;
	memset(b, 0, sizeof(*b));
	b->text = text;
	b->pid = b->exit_code = -1;
	b->name = name;
	b->line = line;
	b->active = name.len > 0;
	if (!b->active)
		kbf_input_skip(in, line, "sc: SERVICE_NAME without a name");
}

static void add_text(struct block *b, struct kbf_wtext_span key, struct kbf_wtext_span v)
{
	kbf_wtext_buf_join(&b->text, "; ", key.s, key.len);
	kbf_wtext_buf_add(&b->text, ": ", 2);
	kbf_wtext_buf_add(&b->text, v.s, v.len);
}

static void sc_line(struct kbf_input *in, struct block *b, const struct kbf_line *l, int line)
{
	struct kbf_wtext_span t = kbf_wtext_trim(l->s, l->len);
	const char *colon = memchr(t.s, ':', t.len);
	if (!colon || t.s[0] == '[' || t.s[0] == '(')
		return; /* "[SC] ..." status, flag continuation, messages */
	struct kbf_wtext_span key = kbf_wtext_trim(t.s, (size_t)(colon - t.s));
	struct kbf_wtext_span v = kbf_wtext_trim(colon + 1, (size_t)(t.s + t.len - colon - 1));
	if (kbf_label_ieq(key.s, key.len, "SERVICE_NAME")) {
		start_block(in, b, v, line);
		add_text(b, key, v);
		return;
	}
	bool capitals = true;
	for (size_t i = 0; i < key.len; i++)
		capitals &= isupper((unsigned char)key.s[i]) || key.s[i] == '_' || isdigit((unsigned char)key.s[i]);
	const char *label = kbf_label_find(&kbf_labels_sc_keys, key.s, key.len);
	if (!capitals && !label)
		return; /* not an sc field */
	if (!b->active)
		return;
	add_text(b, key, v);
	if (!keyed(b, label, v))
		kbf_input_skip(in, line, "sc: %.*s value '%.*s' is malformed", (int)key.len, key.s,
			       (int)v.len, v.s);
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct block b = {0};
	for (size_t i = 0; i < t->nlines; i++)
		if (!kbf_wtext_blank(t->lines[i].s, t->lines[i].len))
			sc_line(in, &b, &t->lines[i], (int)i + 1);
	flush(in, &b);
	kbf_wtext_buf_free(&b.text);
	return in->err.status == KB_OK ? 0 : -1;
}

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	bool name = false;
	for (size_t i = 0; i < t->nlines && i < 60; i++) {
		const struct kbf_line *l = &t->lines[i];
		struct kbf_wtext_span s = kbf_wtext_trim(l->s, l->len);
		if (kbf_wtext_prefix(l->s, l->len, "SERVICE_NAME:"))
			name = true;
		else if (name && s.s != l->s &&
			 (kbf_wtext_prefix(s.s, s.len, "TYPE ") || kbf_wtext_prefix(s.s, s.len, "STATE ")))
			return 95;
	}
	return name ? 60 : 0;
}

const struct kbf_importer kbf_win_sc_importer = {"sc-query", probe, import, KBF_READ_WHOLE};
