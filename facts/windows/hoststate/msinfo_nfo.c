/*
 * msinfo_nfo.c — msinfo32's own file format, the .nfo (`msinfo32 /nfo
 * FILE`, or File > Save): XML, UTF-16LE with BOM as Windows writes it
 * (core/text.c decodes it; expat is told the text is UTF-8, whatever the
 * declaration says).  Layout, as in the public report
 * of an AWS g2.2xlarge instance (tests/fixtures/msinfo/, SOURCES.md):
 *
 *     <?xml version="1.0"?>
 *     <MsInfo>
 *     <Metadata>
 *     <Version>8.0</Version>
 *     <CreationUTC>12/28/15 04:28:32</CreationUTC>
 *     </Metadata>
 *     <Category name="System Summary">
 *     <Data>
 *     <Item><![CDATA[OS Name]]></Item>
 *     <Value><![CDATA[Microsoft Windows Server 2012 R2 Standard]]></Value>
 *     </Data>
 *     ...
 *     <Category name="Hardware Resources">      (nested in System Summary)
 *     ...
 *     <Category name="Services">
 *     <Data>
 *     <Display_Name><![CDATA[Application Experience]]></Display_Name>
 *     <Name><![CDATA[AeLookupSvc]]></Name>
 *     <State><![CDATA[Stopped]]></State>
 *     <Start_Mode><![CDATA[Manual]]></Start_Mode>
 *     ...
 *
 * Each <Data> is a row of its innermost <Category>; its child elements are
 * the cells, named after the columns with '_' for blanks.  msinfo.c makes
 * the facts; a row cites its cells as "Name: value; ...", at the line of
 * its <Data>.  The binary .nfo of msinfo versions older than Windows XP's
 * is not this, and is not recognised.
 *
 * Read with expat as the wevtutil XML reader is (events/evtx_xml.c says
 * why), fed the decoded text as it is read, which is given back once fed:
 * what a row needs is copied out of expat's callbacks.  Safety: a DOCTYPE
 * is refused (msinfo32 writes none), so no entity is declared or external
 * one read; nesting (MAX_DEPTH), cells a row (KBF_MSINFO_COLS) and text a
 * cell (CELL_MAX) are bounded.  A syntax error ends the reading at its line
 * and column; the facts before it are kept.
 */
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msinfo.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_DEPTH 64          /* open elements: the stock report nests five categories deep */
#define CELL_MAX (64u << 10)  /* bytes kept of a cell's text */

struct nfo {
	XML_Parser p;
	struct kbf_msinfo m;
	int depth;
	enum kbf_msinfo_table tables[MAX_DEPTH]; /* the category table open at each depth */
	int data_depth;      /* depth of the open <Data>; 0: none */
	int row_line;
	bool in_cell, row_too_wide;
	size_t ncells;
	/* Names and values of the row's cells, one after another: cell i's
	 * name at name_off[i], its value at val_off[i] (offsets: buf grows). */
	struct kbf_wtext_buf buf, text;
	size_t name_off[KBF_MSINFO_COLS], name_len[KBF_MSINFO_COLS];
	size_t val_off[KBF_MSINFO_COLS], val_len[KBF_MSINFO_COLS];
	bool failed;
	int err_line;
	char err[160];
};

/* Records the first error at the current position; expat stops. */
KBU_PRINTF_LIKE(2, 3)
static void stop(struct nfo *x, const char *fmt, ...)
{
	if (x->failed)
		return;
	char msg[120];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->err_line = (int)XML_GetCurrentLineNumber(x->p);
	snprintf(x->err, sizeof(x->err), "%s at column %lu", msg,
		 (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1);
	x->failed = true;
	XML_StopParser(x->p, XML_FALSE);
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	return NULL;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct nfo *x = ud;
	if (x->depth == 0 && strcmp(name, "MsInfo") != 0) {
		stop(x, "the root is <%.40s>, not <MsInfo>", name);
		return;
	}
	if (++x->depth >= MAX_DEPTH) {
		stop(x, "elements nested more than %d deep", MAX_DEPTH);
		return;
	}
	x->tables[x->depth] = x->tables[x->depth - 1];
	if (x->data_depth) {
		if (x->depth != x->data_depth + 1)
			return; /* inside a cell: its text is the cell's */
		if (x->ncells == KBF_MSINFO_COLS) {
			x->row_too_wide = true;
			return;
		}
		x->name_off[x->ncells] = x->buf.len;
		x->name_len[x->ncells] = strlen(name);
		kbf_wtext_buf_add(&x->buf, name, strlen(name));
		x->val_off[x->ncells] = x->buf.len;
		x->val_len[x->ncells] = 0;
		x->in_cell = true;
	} else if (strcmp(name, "Category") == 0) {
		const char *cat = attr(atts, "name");
		kbf_msinfo_category(&x->m, (struct kbf_wtext_span){cat ? cat : "", cat ? strlen(cat) : 0});
		x->tables[x->depth] = x->m.table;
	} else if (strcmp(name, "Data") == 0 && x->depth > 2) {
		x->data_depth = x->depth;
		x->row_line = (int)XML_GetCurrentLineNumber(x->p);
		x->ncells = 0;
		x->row_too_wide = false;
		kbf_wtext_buf_reset(&x->buf);
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct nfo *x = ud;
	if (!x->in_cell)
		return;
	size_t *vlen = &x->val_len[x->ncells], n = (size_t)len;
	if (*vlen + n > CELL_MAX)
		n = kbu_utf8_floor(s, CELL_MAX - *vlen);
	kbf_wtext_buf_add(&x->buf, s, n);
	*vlen += n;
}

static void end_row(struct nfo *x)
{
	struct kbf_wtext_span cols[KBF_MSINFO_COLS], vals[KBF_MSINFO_COLS];
	if (x->row_too_wide) {
		kbf_input_skip(x->m.in, x->row_line, "msinfo-nfo: a row of more than %d cells", KBF_MSINFO_COLS);
		return;
	}
	kbf_wtext_buf_reset(&x->text);
	for (size_t i = 0; i < x->ncells; i++) {
		cols[i] = (struct kbf_wtext_span){x->buf.s + x->name_off[i], x->name_len[i]};
		vals[i] = kbf_wtext_trim(x->buf.s + x->val_off[i], x->val_len[i]);
		if (!vals[i].len)
			continue;
		kbf_wtext_buf_join(&x->text, "; ", cols[i].s, cols[i].len);
		kbf_wtext_buf_add(&x->text, ": ", 2);
		kbf_wtext_buf_add(&x->text, vals[i].s, vals[i].len);
	}
	kbf_msinfo_row(&x->m, x->row_line, cols, vals, x->ncells,
		       (struct kbf_wtext_span){x->text.s, x->text.len});
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct nfo *x = ud;
	(void)name;
	if (x->in_cell && x->depth == x->data_depth + 1) {
		x->in_cell = false;
		x->ncells++;
	} else if (x->data_depth && x->depth == x->data_depth) {
		end_row(x);
		x->data_depth = 0;
	}
	x->depth--;
	if (!x->data_depth)
		x->m.table = x->tables[x->depth]; /* the enclosing category's */
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	stop(ud, "DOCTYPE refused (msinfo32 writes none)");
}

/* Feeds expat what is decoded, giving it back once fed, to the end or the
 * first error. */
static void parse(struct nfo *x, struct kbf_text *t)
{
	size_t fed = 0;
	bool done = t->complete;
	for (;;) {
		size_t n = t->len - fed;
		if (n > INT32_MAX)
			n = INT32_MAX, done = false;
		if (XML_Parse(x->p, t->utf8 + fed, (int)n, done) == XML_STATUS_ERROR) {
			if (!x->failed)
				stop(x, "%s", XML_ErrorString(XML_GetErrorCode(x->p)));
			return;
		}
		fed += n;
		kbf_text_release_bytes(t, fed);
		if (done)
			return;
		done = fed == t->len && !kbf_text_more(t);
	}
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct nfo *x = kbu_calloc(1, sizeof(*x));
	x->m = (struct kbf_msinfo){.in = in, .form = "msinfo-nfo"};
	if (!(x->p = XML_ParserCreate("UTF-8")))
		kbu_oom();
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	parse(x, t);
	int rc = 0;
	if (x->failed)
		rc = kbf_input_error(in, x->err_line, "msinfo-nfo: %s", x->err);
	else if (kbf_text_error(t))
		rc = kbf_input_error(in, 0, "msinfo-nfo: read failed: %s", strerror(kbf_text_error(t)));
	kbf_msinfo_finish(&x->m);
	XML_ParserFree(x->p);
	kbf_wtext_buf_free(&x->buf);
	kbf_wtext_buf_free(&x->text);
	free(x);
	return rc;
}

/* <MsInfo> first, after blanks and an XML declaration. */
static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	const char *s = t->utf8, *end = s + t->len;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++;
	if (end - s > 5 && memcmp(s, "<?xml", 5) == 0) {
		const char *close = memchr(s, '>', (size_t)(end - s));
		if (!close)
			return 0;
		s = close + 1;
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
	}
	if (end - s < 8 || memcmp(s, "<MsInfo", 7) != 0 || (s[7] != '>' && s[7] != ' ' && s[7] != '\r' && s[7] != '\n'))
		return 0;
	struct kbf_wtext_span window = {s, (size_t)(end - s) < 4096 ? (size_t)(end - s) : 4096};
	return kbf_wtext_contains(window, "<Category") || kbf_wtext_contains(window, "<Metadata>") ? 95 : 80;
}

const struct kbf_importer kbf_msinfo_nfo_importer = {"msinfo-nfo", probe, import, KBF_READ_STREAM};
