/*
 * objects.c — PowerShell output read back into objects: which of the four
 * forms a text is in, the records the readers build, and the two
 * machine-readable forms (the table and list views are objects_text.c).
 *
 * Export-Csv / ConvertTo-Csv (about Export-Csv, PowerShell docs): an
 * optional "#TYPE System.Diagnostics.Process" line (the default before
 * PowerShell 6, gone with -NoTypeInformation and in 7 unless
 * -IncludeTypeInformation), a header row of property names, then one row
 * per object, every field quoted in both versions; a value may hold
 * line breaks (an event's Message).  Read by core/csv.c as a stream, as
 * every form is (a Get-WinEvent export may be large).
 *
 * ConvertTo-Json: an array of objects, or one object when there was one
 * (no array around it).  Windows PowerShell 5.1 indents by four and puts
 * two blanks after the colon ("Id":  4,), writes dates as
 * "\/Date(1623492000000)\/" and enums as their numbers; PowerShell 7
 * indents by two, one blank ("Id": 4,), ISO 8601 dates with the offset.
 * Nested objects (CimClass, CimSystemProperties of a CIM instance) keep
 * their scalars as "Parent.Child"; arrays and deeper levels are skipped.
 * Read as a stream, element by element (read_json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/json_stream.h"
#include "json_scan.h"
#include "objects.h"
#include "xalloc.h"

#define MAX_PROPS 512          /* Win32_Process `fl *` has under 100 */
#define MAX_VALUE (64 * 1024)  /* a value longer than this is cut: bounds a record */
#define MAX_PROV 2048          /* provenance text made of properties */
#define MAX_TYPE 256
#define MAX_ELEMENT ((size_t)16 << 20) /* one ConvertTo-Json object: a few KiB in practice */

/* ---- records ------------------------------------------------------------------- */

void kbf_ps_record_reset(struct kbf_ps_record *r, enum kbf_ps_form form, int line)
{
	r->form = form;
	r->line = line;
	r->raw = (struct kbf_line){0};
	r->n = 0;
	r->type_len = 0;
	kbf_wtext_buf_reset(&r->store);
}

static size_t keep(struct kbf_ps_record *r, const char *s, size_t len)
{
	size_t off = r->store.len;
	kbf_wtext_buf_add(&r->store, s, len > MAX_VALUE ? MAX_VALUE : len);
	return off;
}

void kbf_ps_record_add(struct kbf_ps_record *r, const char *name, size_t nlen, const char *value, size_t vlen,
		       bool truncated, bool null)
{
	if (r->n == MAX_PROPS)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->slot = kbu_realloc(r->slot, r->cap, sizeof(*r->slot));
	}
	struct kbf_ps_slot *s = &r->slot[r->n++];
	s->name = keep(r, name, nlen);
	s->nlen = r->store.len - s->name;
	s->value = keep(r, value, vlen);
	s->vlen = r->store.len - s->value;
	s->truncated = truncated;
	s->first_line = false;
	s->null = null;
}

void kbf_ps_record_first_line(struct kbf_ps_record *r)
{
	if (r->n)
		r->slot[r->n - 1].first_line = true;
}

void kbf_ps_record_extend(struct kbf_ps_record *r, const char *sep, const char *s, size_t len)
{
	if (!r->n)
		return;
	struct kbf_ps_slot *last = &r->slot[r->n - 1];
	if (last->value + last->vlen != r->store.len || last->vlen + len > MAX_VALUE)
		return;
	if (last->vlen && sep)
		kbf_wtext_buf_add(&r->store, sep, strlen(sep));
	kbf_wtext_buf_add(&r->store, s, len);
	last->vlen = r->store.len - last->value;
}

void kbf_ps_record_set_type(struct kbf_ps_record *r, const char *s, size_t len)
{
	r->type_off = keep(r, s, len);
	r->type_len = r->store.len - r->type_off;
}

void kbf_ps_record_finish(struct kbf_ps_record *r)
{
	r->p = kbu_realloc(r->p, r->cap ? r->cap : 1, sizeof(*r->p));
	for (size_t i = 0; i < r->n; i++) {
		const struct kbf_ps_slot *s = &r->slot[i];
		r->p[i] = (struct kbf_ps_prop){
			.name = {r->store.s + s->name, s->nlen},
			.value = {r->store.s + s->value, s->vlen},
			.truncated = s->truncated,
			.first_line = s->first_line,
			.null = s->null,
		};
	}
	r->type = r->type_len ? (struct kbf_wtext_span){r->store.s + r->type_off, r->type_len}
			      : (struct kbf_wtext_span){"", 0};
}

void kbf_ps_record_free(struct kbf_ps_record *r)
{
	kbf_wtext_buf_free(&r->store);
	free(r->slot);
	free(r->p);
	memset(r, 0, sizeof(*r));
}

const struct kbf_ps_prop *kbf_ps_get(const struct kbf_ps_record *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (kbf_wtext_ieq(r->p[i].name, name))
			return &r->p[i];
	return NULL;
}

bool kbf_ps_has(const struct kbf_ps_record *r, const char *name)
{
	return kbf_ps_get(r, name) != NULL;
}

void kbf_ps_prov_add(struct kbf_ps_prov *pv, const struct kbf_ps_prop *p)
{
	if (pv->text.len > MAX_PROV)
		return;
	kbf_wtext_buf_join(&pv->text, "; ", p->name.s, p->name.len);
	kbf_wtext_buf_add(&pv->text, ": ", 2);
	kbf_wtext_buf_add(&pv->text, p->value.s, p->value.len > 512 ? 512 : p->value.len);
}

struct kbf_wtext_span kbf_ps_prov_text(const struct kbf_ps_record *r, const struct kbf_ps_prov *pv)
{
	if (r->raw.len)
		return (struct kbf_wtext_span){r->raw.s, r->raw.len};
	return (struct kbf_wtext_span){pv->text.s, pv->text.len};
}

/* ---- CSV ------------------------------------------------------------------------- */

struct csv_reader {
	struct kbf_csv hdr, row;
	struct kbf_ps_record r;
	char type[MAX_TYPE]; /* the #TYPE line's name */
	size_t typelen;
};

static int csv_row(struct kbf_input *in, struct kbf_text *t, struct csv_reader *c, kbf_ps_each *each, void *ud)
{
	const struct kbf_csv *hdr = &c->hdr, *row = &c->row;
	struct kbf_ps_record *r = &c->r;
	int line = (int)row->first + 1;
	if (row->n != hdr->n) {
		if (in)
			kbf_input_skip(in, line, "Export-Csv: %zu fields where the header has %zu", row->n, hdr->n);
		return 0;
	}
	kbf_ps_record_reset(r, KBF_PS_CSV, line);
	if (c->typelen)
		kbf_ps_record_set_type(r, c->type, c->typelen);
	r->raw = *kbf_text_line(t, row->first);
	for (size_t k = 0; k < row->n; k++)
		kbf_ps_record_add(r, hdr->f[k].s, hdr->f[k].len, row->f[k].s, row->f[k].len, false, false);
	kbf_ps_record_finish(r);
	return each(in, r, ud);
}

static int read_csv(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud)
{
	struct csv_reader *c = kbu_calloc(1, sizeof(*c));
	size_t i = 0;
	int rc = 0, got;
	const struct kbf_line *l;
	while ((l = kbf_text_line(t, i)) && kbf_wtext_blank(l->s, l->len))
		i++;
	if (l && kbf_wtext_prefix(l->s, l->len, "#TYPE ")) {
		struct kbf_wtext_span ty = kbf_wtext_trim(l->s + 6, l->len - 6);
		c->typelen = ty.len < MAX_TYPE ? ty.len : MAX_TYPE;
		memcpy(c->type, ty.s, c->typelen);
		i++;
	}
	if (kbf_csv_next(&c->hdr, t, &i) != 1) {
		if (in)
			kbf_input_error(in, (int)i + 1, "Export-Csv: the header row cannot be read");
		goto out;
	}
	while (rc == 0 && (got = kbf_csv_next(&c->row, t, &i)) != 0) {
		if (got < 0) {
			if (in && !t->probing)
				kbf_input_skip(in, (int)c->row.first + 1, "Export-Csv: a quoted field never closes");
			break;
		}
		rc = csv_row(in, t, c, each, ud);
		if (in) /* importing (a probe reads again after): what is behind can go */
			kbf_text_release(t, c->row.first);
	}
out:
	kbf_csv_free(&c->hdr);
	kbf_csv_free(&c->row);
	kbf_ps_record_free(&c->r);
	free(c);
	return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

struct jreader {
	struct kbu_jscan j;
	struct kbf_ps_record r;
	char name[256];
};

/* A scalar as PowerShell would show it: True/False, numbers as written. */
static void add_scalar(struct jreader *jr, const char *name, size_t nlen, const struct kbu_jvalue *v)
{
	char num[40];
	const char *s = num;
	size_t len;
	switch (v->type) {
	case KBU_J_STRING: s = v->s; len = v->len; break;
	case KBU_J_INT: len = (size_t)snprintf(num, sizeof(num), "%lld", (long long)v->i); break;
	case KBU_J_REAL: len = (size_t)snprintf(num, sizeof(num), "%.15g", v->d); break;
	case KBU_J_TRUE: s = "True"; len = 4; break;
	case KBU_J_FALSE: s = "False"; len = 5; break;
	default: s = ""; len = 0; break;
	}
	kbf_ps_record_add(&jr->r, name, nlen, s, len, false, v->type == KBU_J_NULL);
	bool cls = kbf_wtext_ieq((struct kbf_wtext_span){name, nlen}, "__CLASS") ||
		   kbf_wtext_ieq((struct kbf_wtext_span){name, nlen}, "CimClass.CimClassName") ||
		   kbf_wtext_ieq((struct kbf_wtext_span){name, nlen}, "CimSystemProperties.ClassName");
	if (cls && v->type == KBU_J_STRING)
		kbf_ps_record_set_type(&jr->r, v->s, v->len);
}

/* The members of an object; nested objects one level deep (prefix set). */
static bool members(struct jreader *jr, size_t prefix, int depth)
{
	bool done;
	if (!kbu_jscan_object_begin(&jr->j))
		return false;
	while (kbu_jscan_member(&jr->j, &done) && !done) {
		enum kbu_jtype ty;
		size_t klen = jr->j.keylen < sizeof(jr->name) - prefix - 2 ? jr->j.keylen : sizeof(jr->name) - prefix - 2;
		memcpy(jr->name + prefix, jr->j.key, klen);
		size_t nlen = prefix + klen;
		if (!kbu_jscan_type(&jr->j, &ty))
			return false;
		if (ty == KBU_J_OBJECT && depth == 0) {
			jr->name[nlen] = '.';
			if (!members(jr, nlen + 1, 1))
				return false;
		} else if (ty == KBU_J_OBJECT || ty == KBU_J_ARRAY) {
			if (!kbu_jscan_skip(&jr->j))
				return false;
		} else {
			struct kbu_jvalue v;
			if (!kbu_jscan_scalar(&jr->j, &v))
				return false;
			add_scalar(jr, jr->name, nlen, &v);
		}
	}
	return !jr->j.failed;
}

/* An element with a syntax error: left out with a note, the next read. */
static int left_out(struct kbf_input *in, const struct kbf_text *t, const struct kbu_jscan *j)
{
	if (in && !t->probing)
		kbf_input_skip(in, j->err_line, "ConvertTo-Json: %s (column %d); the element is left out", j->err,
			       j->err_col);
	return 0;
}

/* The object that is element e of the document (any other value is no
 * object, and nothing to read). */
static int json_object(struct kbf_input *in, struct jreader *jr, const struct kbf_text *t,
		       const struct kbf_json_element *e, kbf_ps_each *each, void *ud)
{
	int line, col;
	enum kbu_jtype ty;
	kbu_jscan_init(&jr->j, t->utf8 + e->start, e->end - e->start);
	jr->j.line = e->line;
	jr->j.line_start = t->utf8 + e->line_start;
	if (!kbu_jscan_type(&jr->j, &ty))
		return left_out(in, t, &jr->j);
	if (ty != KBU_J_OBJECT)
		return 0;
	kbu_jscan_pos(&jr->j, &line, &col);
	kbf_ps_record_reset(&jr->r, KBF_PS_JSON, line);
	if (!members(jr, 0, 0))
		return left_out(in, t, &jr->j);
	kbf_ps_record_finish(&jr->r);
	return each(in, &jr->r, ud);
}

/* The document is read as a stream, one element of the top-level array
 * at a time (core/json_stream.h), each with util/json_scan.h; the text
 * before it is released.  An element over MAX_ELEMENT bytes is passed
 * over with a warning. */
static int read_json(struct kbf_input *in, struct kbf_text *t, kbf_ps_each *each, void *ud)
{
	struct jreader *jr = kbu_calloc(1, sizeof(*jr));
	struct kbf_json_stream js = {.t = t, .max = MAX_ELEMENT, .release = in != NULL};
	struct kbf_json_element e;
	int rc = 0, got;
	while (rc == 0 && (got = kbf_json_next(&js, &e)) > 0) {
		if (e.too_big) {
			if (in)
				kbf_input_skip(in, e.line, "ConvertTo-Json: an element of %zu MiB or more, over the "
					       "%zu MiB an object may take; left out",
					       (e.end - e.start) >> 20, (size_t)MAX_ELEMENT >> 20);
			continue;
		}
		rc = json_object(in, jr, t, &e, each, ud);
		kbu_jscan_free(&jr->j);
	}
	/* A probe sees the first mebibyte only: a document cut there is not an error. */
	if (got < 0 && in && !t->probing)
		kbf_input_error(in, js.err_line, "ConvertTo-Json: %s; objects before it were read", js.err);
	else if (got == 0 && in && js.trailing_line)
		kbf_input_skip(in, js.trailing_line, "ConvertTo-Json: text after the document, not read");
	kbf_ps_record_free(&jr->r);
	free(jr);
	return rc;
}

/* ---- which form ---------------------------------------------------------------------- */

enum kbf_ps_form kbf_ps_form_of(struct kbf_text *t)
{
	size_t n = t->nlines < 200 ? t->nlines : 200, i = 0;
	while (i < n && kbf_wtext_blank(t->lines[i].s, t->lines[i].len))
		i++;
	if (i == n)
		return KBF_PS_NONE;
	struct kbf_wtext_span first = kbf_wtext_trim(t->lines[i].s, t->lines[i].len);
	if (first.s[0] == '[' || first.s[0] == '{')
		return first.s == t->lines[i].s ? KBF_PS_JSON : KBF_PS_NONE;
	if (kbf_wtext_prefix(first.s, first.len, "#TYPE ") ||
	    (first.s[0] == '"' && kbf_wtext_ifind(first.s, first.len, "\",\"", NULL)))
		return KBF_PS_CSV;
	for (; i < n; i++) {
		const struct kbf_line *l = &t->lines[i];
		size_t colon = 0;
		struct kbf_wtext_span name;
		if (i + 1 < n && !kbf_wtext_blank(l->s, l->len) && !kbf_ps_rule_line(l) &&
		    kbf_ps_rule_line(&t->lines[i + 1]))
			return KBF_PS_TABLE;
		if (kbf_ps_list_line(l, &colon, &name) && i + 1 < n &&
		    kbf_ps_list_line(&t->lines[i + 1], &colon, &name))
			return KBF_PS_LIST;
	}
	return KBF_PS_NONE;
}

int kbf_ps_read(struct kbf_input *in, struct kbf_text *t, enum kbf_ps_form form, kbf_ps_each *each, void *ud)
{
	switch (form) {
	case KBF_PS_TABLE: return kbf_ps_read_table(in, t, each, ud);
	case KBF_PS_LIST: return kbf_ps_read_list(in, t, each, ud);
	case KBF_PS_CSV: return read_csv(in, t, each, ud);
	case KBF_PS_JSON: return t->utf8 ? read_json(in, t, each, ud) : 0;
	default: return 0;
	}
}
