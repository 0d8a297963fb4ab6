/*
 * evtx_xml.c — `wevtutil qe LOG /f:xml` and `/f:RenderedXml` output
 * (also Get-WinEvent's ToXml()): <Event xmlns='...'> roots one after another
 * with no enclosing element, or wrapped in <Events>; attributes in single or
 * double quotes; often UTF-16LE (core/text.c decodes it to UTF-8, and expat
 * is told so; an XML declaration's encoding is never read).
 * docs/evidence-formats.md "wevtutil XML" has a sample; Microsoft's "Event
 * Schema" documents the elements.
 *
 * Read with expat rather than a tokenizer of our own: evidence is hostile,
 * and what is well-formed, entities and character references included, is
 * decided by a parser its maintainers and OSS-Fuzz fuzz.  What the schema
 * needs is taken from its callbacks (namespace prefixes dropped):
 *   System/Provider@EventSourceName (else @Name) -> source;
 *   System/EventID text -> id (Qualifiers ignored); System/Level -> level
 *   (1 critical, 2 error, 3 warning, 0/4 information, 5 verbose), turned into
 *   "audit success"/"audit failure" by the audit keyword bits
 *   (0x0020000000000000 / 0x0010000000000000, winmeta.xml) or RenderingInfo's
 *   <Keyword>Audit Success</Keyword>; TimeCreated@SystemTime -> time;
 *   EventRecordID -> record; Channel -> log; Computer; Security@UserID -> user;
 *   RenderingInfo/Message -> message, else (absent or blank, as when the
 *   provider's message file is missing) the EventData/UserData values are
 *   the event's insertion strings, which kbf_winevt_emit() makes the
 *   message of (event_message.c); RenderingInfo/Task -> category.
 * code: from the message (event_util.c), failing that from a <Data> whose
 * name says error/code/status/result, then an unnamed/paramN <Data> holding
 * an HRESULT or Winsock error, then <Binary>'s first DWORD (kbf_winevt_dword_code).
 * Provenance: the line of each <Event> start tag, and the record's text.
 * An undefined entity in text ("&bogus;") is kept as written; in an
 * attribute value expat drops it, and so a forbidden character's reference.
 *
 * Feeding expat:
 *   - Concatenated roots are not one document, so expat first gets a
 *     synthetic root's start tag (WRAP, no newline in it) and the input is
 *     that root's content, never closed: running out of input between
 *     events is the normal end.
 *   - The input goes in CHUNK-sized pieces (XML_GetBuffer/XML_ParseBuffer),
 *     copied into expat's buffer and rewritten there by evtx_xml_clean.c
 *     where wevtutil writes what XML forbids.  Rewrites keep every length,
 *     so expat's byte offsets less WRAP's length are offsets into the
 *     input: lines are counted from them (expat also ends a line at a lone
 *     CR, as in CR CR LF, where core/text.c does not), and the record's text
 *     is cut from the input by them.
 *   - The reader suspends expat (XML_StopParser, resumable) at each
 *     </Event>, so kbf_winevt_xml_next() hands out one event at a time and
 *     evt_text.c can read a single one.
 *   - A stretch cut from a large input (evtx_xml_split.c reads one per
 *     thread) follows WRAP and the start tags of the elements open around
 *     it ("<Events>"), kept from the reading of the stretch before; the
 *     offsets are then less all of that.
 * Safety: a DOCTYPE is only allowed in a prolog, and the input never is
 * one, so no DTD is read (on_doctype() would stop it), no entity is
 * declared or expanded and no external entity loaded.  Nesting is bounded
 * (MAX_DEPTH, for <Events> around events too) and so is the text kept per
 * element (TEXT_MAX).
 * Errors, as before expat: the first malformed record ends the reading (expat
 * cannot resume after a syntax error; text outside <Event> and too deep
 * nesting stop it as well), is reported with its line and, for what expat
 * finds, its column; the events before it are kept.  Malformed XML that the
 * old tokenizer let pass (a bare '&', unquoted attributes) is such an error
 * now, except what evtx_xml_clean.c rewrites.
 */
#include <ctype.h>
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "win_event.h"
#include "xalloc.h"
#include "hexdigit.h"

#define MAX_DEPTH 48            /* open elements in an event, and <Events> around them */
#define TEXT_MAX (1u << 20)     /* bytes kept of an element's text and of the joined data */
#define NAME_KEPT 40            /* bytes of a name quoted in an error */
#define CHUNK 65536             /* bytes handed to expat at a time */
#define NS "schemas.microsoft.com/win/2004/08/events/event"
#define AUDIT_FAILURE 0x0010000000000000ull
#define AUDIT_SUCCESS 0x0020000000000000ull

static const char WRAP[] = "<kbdiag-input>";
#define WRAP_LEN (sizeof(WRAP) - 1)

enum section { S_OTHER, S_SYSTEM, S_EVENTDATA, S_USERDATA, S_RENDERING };

/* The event being read; depth 1 is <Event> itself. */
struct event {
	struct kbf_winevt *ev;
	int depth;
	enum section sec;              /* of the element at depth 2 */
	bool child[MAX_DEPTH];         /* element at depth i + 1 has child elements */
	size_t open[MAX_DEPTH];        /* input offset of each open element's start tag */
	size_t tag_end;                /* input offset where <Event>'s start tag ends */
	int id_line;
	struct kbf_wtext_buf cur, dname, rmsg, rlevel, tmp;
	bool has_rmsg, has_level;
	int64_t level;
	uint64_t keywords;
	int code_prio; /* 0 none; 1 named Data, 2 unnamed Data, 3 Binary */
	int64_t code;
};

struct kbf_winevt_xml {
	XML_Parser p;
	struct kbf_text *t;            /* read as a stream from t, or NULL: s[0..len) is all */
	size_t base;                   /* s is t->utf8 + base */
	const char *s;
	size_t len, fed;               /* the input (decoded so far); how much of it expat has */
	size_t col_off;                /* released up to here; offset col_off is at column col */
	long col;
	int line0;                     /* line of s[0] */
	size_t nl_off;                 /* line cursor: offset nl_off is on line nl_line */
	int nl_line;
	int outer;                     /* open elements around events: WRAP, <Events> */
	struct kbf_wtext_buf outer_tags; /* those inside WRAP as start tags: "<Events>" */
	size_t wrap_len;               /* bytes expat had before s[0]: WRAP and outer tags */
	enum kbf_winevt_xml_markup markup; /* where the last chunk left kbf_winevt_xml_clean() */
	bool in_event, event_done, suspended, final_fed, failed;
	bool cite_event;               /* kbf_winevt_xml_cite_events(): no copy of the XML as text */
	struct event e;
	int err_line;
	char err[200];
};

/* ---- positions and errors ---------------------------------------------------- */

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Input offset of expat's current event. */
static size_t here(const struct kbf_winevt_xml *x)
{
	XML_Index i = XML_GetCurrentByteIndex(x->p) - (XML_Index)x->wrap_len;
	return i < 0 ? 0 : (size_t)i > x->len ? x->len : (size_t)i;
}

/* Line of offset off (not below col_off): LFs counted from a cursor that
 * reading moves. */
static int line_at(struct kbf_winevt_xml *x, size_t off)
{
	for (size_t i = off; i < x->nl_off; i++)
		x->nl_line -= x->s[i] == '\n';
	const char *p = x->s + x->nl_off, *end = x->s + off;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL)
		x->nl_line++, p++;
	x->nl_off = off;
	return x->nl_line;
}

/* 1-based character column of offset off (not below col_off). */
static long column_at(const struct kbf_winevt_xml *x, size_t off)
{
	size_t start = off;
	while (start > x->col_off && x->s[start - 1] != '\n')
		start--;
	long base = start == x->col_off ? x->col : 1;
	return base + (long)kbu_utf8_chars(x->s + start, off - start);
}

/* The text before off is read: the stream may give it back.  The line and
 * column cursors move to off first, since nothing before it will be there
 * to count from. */
static void release(struct kbf_winevt_xml *x, size_t off)
{
	if (!x->t || off <= x->col_off)
		return;
	x->col = column_at(x, off);
	line_at(x, off);
	x->col_off = off;
	kbf_text_release_bytes(x->t, x->base + off);
}

/* The name in the tag at input offset off ("/Level" for "</Level>"), at
 * most NAME_KEPT bytes of it, for an error. */
static const char *tag_at(const struct kbf_winevt_xml *x, size_t off, char out[NAME_KEPT + 1])
{
	const char *at = x->s + off + 1;
	size_t left = off < x->len ? x->len - off - 1 : 0, n = left && at[0] == '/';
	while (n < left && !isspace((unsigned char)at[n]) && at[n] != '>' && at[n] != '/')
		n++;
	if (n > NAME_KEPT)
		n = kbu_utf8_floor(at, NAME_KEPT);
	memcpy(out, at, n);
	out[n] = '\0';
	return out;
}

/* Records the first error at line; reading stops. */
KBU_PRINTF_LIKE(3, 4)
static void fail(struct kbf_winevt_xml *x, int line, const char *fmt, ...)
{
	if (x->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof(x->err), fmt, ap);
	va_end(ap);
	x->err_line = line;
	x->failed = true;
}

/* From a callback: an error at input offset off ("... at column N"). */
KBU_PRINTF_LIKE(3, 4)
static void stop(struct kbf_winevt_xml *x, size_t off, const char *fmt, ...)
{
	char msg[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail(x, line_at(x, off), "%s at column %ld", msg, column_at(x, off));
	XML_StopParser(x->p, XML_FALSE);
}

/* What expat refused at input offset off, in the words of what stands there. */
static void refused(const struct kbf_winevt_xml *x, size_t off, char *msg, size_t size)
{
	enum XML_Error code = XML_GetErrorCode(x->p);
	const char *at = x->s + off;
	size_t left = x->len - off;
	bool open = code == XML_ERROR_UNCLOSED_TOKEN || code == XML_ERROR_UNCLOSED_CDATA_SECTION;
	char name[NAME_KEPT + 1];
	if (kbf_wtext_prefix(at, left, "<!DOCTYPE"))
		snprintf(msg, size, "DOCTYPE refused (an event export has none)");
	else if (open && kbf_wtext_prefix(at, left, "<![CDATA["))
		snprintf(msg, size, "unterminated CDATA section");
	else if (open && kbf_wtext_prefix(at, left, "<!--"))
		snprintf(msg, size, "unterminated comment");
	else if (open && kbf_wtext_prefix(at, left, "<?"))
		snprintf(msg, size, "unterminated processing instruction");
	else if (open && left > 1 && at[0] == '<')
		snprintf(msg, size, "unterminated tag <%s", tag_at(x, off, name));
	else if (code == XML_ERROR_TAG_MISMATCH && left > 1 && at[0] == '<')
		snprintf(msg, size, "<%s> closes no open element", tag_at(x, off, name));
	else
		snprintf(msg, size, "%s", XML_ErrorString(code));
}

/* After XML_STATUS_ERROR: 0 when that was only the end of the input between
 * events (the synthetic root is never closed), else -1 with x->err set. */
static int expat_error(struct kbf_winevt_xml *x)
{
	if (x->failed) /* a callback stopped the parser */
		return -1;
	char msg[128], name[NAME_KEPT + 1];
	if (XML_GetErrorCode(x->p) == XML_ERROR_NO_ELEMENTS) {
		if (!x->in_event)
			return 0;
		fail(x, x->e.ev->line, "<Event> cut off: input ends inside <%s>",
		     tag_at(x, x->e.open[x->e.depth - 1], name));
		return -1;
	}
	size_t off = here(x);
	/* expat points at the name; say where the tag or declaration starts */
	if (off >= 2 && (kbf_wtext_prefix(x->s + off - 2, x->len - off + 2, "<!DOCTYPE") ||
			 (XML_GetErrorCode(x->p) == XML_ERROR_TAG_MISMATCH && x->s[off - 1] == '/')))
		off -= 2;
	refused(x, off, msg, sizeof(msg));
	fail(x, line_at(x, off), "%s at column %ld", msg, column_at(x, off));
	return -1;
}

/* ---- feeding expat -------------------------------------------------------- */

/* Feeds the next chunk; the last one is final.  A stream is decoded two
 * chunks ahead, so that kbf_winevt_xml_chunk() can cut as in whole text. */
static enum XML_Status feed(struct kbf_winevt_xml *x)
{
	while (x->t && x->len - x->fed < 2 * CHUNK && kbf_text_more(x->t))
		x->len = x->t->len - x->base;
	size_t n = kbf_winevt_xml_chunk(x->s + x->fed, x->len - x->fed, CHUNK);
	x->final_fed = x->fed + n == x->len && (!x->t || x->t->complete);
	if (n == 0)
		return XML_Parse(x->p, "", 0, XML_TRUE);
	char *b = XML_GetBuffer(x->p, (int)n);
	if (!b)
		return XML_STATUS_ERROR;
	memcpy(b, x->s + x->fed, n);
	kbf_winevt_xml_clean(&x->markup, b, n);
	x->fed += n;
	return XML_ParseBuffer(x->p, (int)n, x->final_fed);
}

/* ---- one event: what the schema says -------------------------------------------- */

static const char *local_name(const char *name)
{
	const char *colon = strchr(name, ':');
	return colon ? colon + 1 : name;
}

static enum section section_of(const char *name)
{
	static const char *const names[] = {"", "System", "EventData", "UserData", "RenderingInfo"};
	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (enum section)i;
	return S_OTHER;
}

static bool in(const struct event *e, enum section sec)
{
	return e->depth >= 2 && e->sec == sec;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	return NULL;
}

/* Appends s to b up to TEXT_MAX bytes, cut on a character boundary. */
static void add_text(struct kbf_wtext_buf *b, const char *s, size_t n)
{
	if (b->len + 4 > TEXT_MAX)
		return; /* full, or cut short already: nothing after a gap */
	if (n > TEXT_MAX - b->len)
		n = kbu_utf8_floor(s, TEXT_MAX - b->len);
	kbf_wtext_buf_add(b, s, n);
}

static void trimmed(struct kbf_wtext_buf *out, const struct kbf_wtext_buf *in)
{
	size_t a = 0, b = in->len;
	while (a < b && isspace((unsigned char)in->s[a]))
		a++;
	while (b > a && isspace((unsigned char)in->s[b - 1]))
		b--;
	kbf_wtext_buf_set(out, in->s + a, b - a);
}

static void set_str(struct kbf_wtext_buf *b, const char *s)
{
	kbf_wtext_buf_set(b, s, strlen(s));
}

static void clear(struct kbf_wtext_buf *b)
{
	kbf_wtext_buf_set(b, "", 0);
}

static void map_start(struct kbf_winevt_xml *x, const char *name, const XML_Char **atts)
{
	struct event *e = &x->e;
	struct kbf_winevt *ev = e->ev;
	const char *v;
	if (in(e, S_SYSTEM) && e->depth == 3) {
		if (strcmp(name, "Provider") == 0 &&
		    ((v = attr(atts, "EventSourceName")) || (v = attr(atts, "Name"))))
			set_str(&ev->source, v);
		else if (strcmp(name, "TimeCreated") == 0 && (v = attr(atts, "SystemTime")))
			kbf_winevt_utc_time(v, strlen(v), &ev->time);
		else if (strcmp(name, "Security") == 0 && (v = attr(atts, "UserID")))
			set_str(&ev->user, v);
		else if (strcmp(name, "EventID") == 0)
			e->id_line = line_at(x, here(x));
	} else if (in(e, S_EVENTDATA) && e->depth == 3 && strcmp(name, "Data") == 0) {
		set_str(&e->dname, (v = attr(atts, "Name")) ? v : "");
	}
}

static void data_value(struct event *e, const char *name)
{
	int64_t c;
	size_t nlen = strlen(name), kept = e->ev->strings.buf.len, n = e->cur.len;
	if (kept < TEXT_MAX) { /* the strings of one event are bounded as one element's text is */
		if (n > TEXT_MAX - kept)
			n = kbu_utf8_floor(e->cur.s, TEXT_MAX - kept);
		kbf_winevt_add_string(e->ev, e->cur.s ? e->cur.s : "", n);
	}
	trimmed(&e->tmp, &e->cur);
	if (!kbf_winevt_data_value_code(name, nlen, e->tmp.s, e->tmp.len, &c))
		return;
	bool unnamed = nlen == 0 || (nlen > 5 && kbf_wtext_ieq((struct kbf_wtext_span){name, 5}, "param"));
	int prio = unnamed ? 2 : 1;
	if (!e->code_prio || prio < e->code_prio)
		e->code_prio = prio, e->code = c;
}

static void binary(struct event *e)
{
	uint32_t d = 0;
	int n = 0;
	for (size_t i = 0; i < e->cur.len && n < 8; i++) {
		char c = e->cur.s[i];
		if (isspace((unsigned char)c))
			continue;
		int v = kbu_hex_digit(c);
		if (v < 0)
			return;
		/* byte n/2 of a little-endian DWORD; the high nibble comes first */
		d |= (uint32_t)v << (8 * (n / 2) + (n % 2 ? 0 : 4));
		n++;
	}
	int64_t c;
	if (n == 8 && !e->code_prio && kbf_winevt_dword_code(d, &c))
		e->code_prio = 3, e->code = c;
}

static void system_end(struct event *e, const char *name)
{
	struct kbf_winevt *ev = e->ev;
	struct kbf_wtext_buf *v = &e->tmp;
	trimmed(v, &e->cur);
	int64_t n;
	if (strcmp(name, "EventID") == 0) {
		kbf_wtext_buf_set(&ev->id, v->s, v->len);
		ev->id_line = e->id_line;
	} else if (strcmp(name, "Level") == 0 && kbf_parse_error_code(v->s, v->len, &n)) {
		e->level = n, e->has_level = true;
	} else if (strcmp(name, "EventRecordID") == 0 && v->len && v->len <= 18 &&
		   strspn(v->s, "0123456789") == v->len) {
		ev->record = strtoll(v->s, NULL, 10);
	} else if (strcmp(name, "Channel") == 0) {
		kbf_wtext_buf_set(&ev->log, v->s, v->len);
	} else if (strcmp(name, "Computer") == 0) {
		kbf_wtext_buf_set(&ev->computer, v->s, v->len);
	} else if (strcmp(name, "Keywords") == 0) {
		unsigned long long k = 0;
		if (sscanf(v->s, "0x%llx", &k) == 1)
			e->keywords |= k;
	}
}

static void rendering_end(struct event *e, const char *name)
{
	trimmed(&e->tmp, &e->cur);
	if (e->depth == 3 && strcmp(name, "Message") == 0) {
		kbf_wtext_buf_set(&e->rmsg, e->cur.s, e->cur.len);
		e->has_rmsg = true;
	} else if (e->depth == 3 && strcmp(name, "Level") == 0) {
		kbf_wtext_buf_set(&e->rlevel, e->tmp.s, e->tmp.len);
	} else if (e->depth == 3 && strcmp(name, "Task") == 0 && e->tmp.len) {
		kbf_wtext_buf_set(&e->ev->category, e->tmp.s, e->tmp.len);
	} else if (e->depth == 4 && strcmp(name, "Keyword") == 0) {
		const char *lv = kbf_winevt_level(e->tmp.s, e->tmp.len);
		if (lv && strcmp(lv, "audit success") == 0)
			e->keywords |= AUDIT_SUCCESS;
		else if (lv && strcmp(lv, "audit failure") == 0)
			e->keywords |= AUDIT_FAILURE;
	}
}

static void map_end(struct event *e, const char *name)
{
	bool leaf = !e->child[e->depth - 1];
	if (in(e, S_SYSTEM) && e->depth == 3)
		system_end(e, name);
	else if (in(e, S_EVENTDATA) && e->depth == 3 && strcmp(name, "Data") == 0)
		data_value(e, e->dname.s);
	else if (in(e, S_EVENTDATA) && e->depth == 3 && strcmp(name, "Binary") == 0)
		binary(e);
	else if (in(e, S_USERDATA) && e->depth >= 3 && leaf)
		data_value(e, name);
	else if (in(e, S_RENDERING))
		rendering_end(e, name);
}

/* Message CRs dropped, so every importer's messages end lines alike. */
static void finish(struct kbf_winevt_xml *x, size_t end)
{
	struct event *e = &x->e;
	struct kbf_winevt *ev = e->ev;
	clear(&ev->message);
	if (e->has_rmsg && !blank(e->rmsg.s, e->rmsg.len)) /* else kbf_winevt_emit() makes it */
		kbf_wtext_buf_add_uncr(&ev->message, e->rmsg.s, e->rmsg.len, SIZE_MAX);
	kbf_wtext_buf_rtrim(&ev->message);
	const char *lv = e->has_level ? kbf_winevt_level_number(e->level) : NULL;
	if (!lv && e->rlevel.len)
		lv = kbf_winevt_level(e->rlevel.s, e->rlevel.len);
	if ((!lv || strcmp(lv, "information") == 0) && (e->keywords & (AUDIT_SUCCESS | AUDIT_FAILURE)))
		lv = e->keywords & AUDIT_FAILURE ? "audit failure" : "audit success";
	if (lv)
		set_str(&ev->level, lv);
	else if (e->rlevel.len)
		kbf_wtext_buf_set(&ev->level, e->rlevel.s, e->rlevel.len);
	ev->has_data_code = e->code_prio != 0;
	ev->data_code = e->code;
	if (x->cite_event)
		ev->text_from_event = true;
	else
		kbf_winevt_cite_text(ev, x->s + e->open[0], end - e->open[0]);
}

/* ---- expat's callbacks ---------------------------------------------------------- */

static void event_begin(struct kbf_winevt_xml *x, size_t off)
{
	struct event *e = &x->e;
	struct kbf_wtext_buf *bufs[] = {&e->cur, &e->dname, &e->rmsg, &e->rlevel, &e->tmp};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		clear(bufs[i]);
	e->depth = 1, e->sec = S_OTHER, e->child[0] = false;
	e->open[0] = off;
	e->tag_end = off + (size_t)XML_GetCurrentByteCount(x->p);
	e->id_line = 0;
	e->has_rmsg = e->has_level = false;
	e->level = 0, e->keywords = 0, e->code_prio = 0, e->code = 0;
	e->ev->line = line_at(x, off);
	x->in_event = true;
}

/* Between events: the synthetic root, <Events>, or an <Event>.  An
 * <Events> is kept by its qualified name: a stretch read on its own
 * (kbf_winevt_xml_stretch) starts inside the same elements. */
static void outer_start(struct kbf_winevt_xml *x, const char *qname, const char *name)
{
	size_t off = here(x);
	char q[NAME_KEPT + 1];
	if (x->outer == MAX_DEPTH) {
		stop(x, off, "elements nested too deeply at <%s>", tag_at(x, off, q));
	} else if (x->outer == 0) {
		x->outer++;
	} else if (strcmp(name, "Events") == 0) {
		x->outer++;
		kbf_wtext_buf_add(&x->outer_tags, "<", 1);
		kbf_wtext_buf_add(&x->outer_tags, qname, strlen(qname));
		kbf_wtext_buf_add(&x->outer_tags, ">", 1);
	} else if (strcmp(name, "Event") == 0)
		event_begin(x, off);
	else
		stop(x, off, "expected <Event>, found <%s>", tag_at(x, off, q));
}

/* An element around events ends: the last of outer_tags goes. */
static void outer_end(struct kbf_winevt_xml *x)
{
	x->outer--;
	size_t n = x->outer_tags.len;
	while (n > 0 && x->outer_tags.s[n - 1] != '<')
		n--;
	x->outer_tags.len = n ? n - 1 : 0;
	if (x->outer_tags.s)
		x->outer_tags.s[x->outer_tags.len] = '\0';
}

static void XMLCALL on_start(void *ud, const XML_Char *qname, const XML_Char **atts)
{
	struct kbf_winevt_xml *x = ud;
	struct event *e = &x->e;
	const char *name = local_name(qname);
	char q[NAME_KEPT + 1];
	if (x->failed) {
		return;
	} else if (!x->in_event) {
		outer_start(x, qname, name);
	} else if (e->depth == MAX_DEPTH) {
		stop(x, here(x), "elements nested too deeply at <%s>", tag_at(x, here(x), q));
	} else {
		e->child[e->depth - 1] = true;
		e->child[e->depth] = false;
		e->open[e->depth] = here(x);
		if (e->depth == 1)
			e->sec = section_of(name);
		e->depth++;
		kbf_wtext_buf_reset(&e->cur); /* allocated by event_begin() */
		map_start(x, name, atts);
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *qname)
{
	struct kbf_winevt_xml *x = ud;
	struct event *e = &x->e;
	if (x->failed)
		return;
	if (!x->in_event) {
		outer_end(x);
		return;
	}
	map_end(e, local_name(qname));
	e->depth--;
	kbf_wtext_buf_reset(&e->cur);
	if (e->depth > 0)
		return;
	/* an empty <Event/> ends where its start tag does */
	size_t end = here(x) + (size_t)XML_GetCurrentByteCount(x->p);
	finish(x, end > e->tag_end ? end : e->tag_end);
	x->in_event = false;
	x->event_done = true;
	XML_StopParser(x->p, XML_TRUE); /* kbf_winevt_xml_next() resumes */
}

static void outer_text(struct kbf_winevt_xml *x, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len)
		stop(x, here(x) + i, "text outside <Event>");
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct kbf_winevt_xml *x = ud;
	if (x->failed) {
		return;
	} else if (!x->in_event) {
		outer_text(x, s, (size_t)len);
	} else if (x->e.depth >= 2) {
		/* expat makes a lone CR (the first of CR CR LF) a newline; in
		 * core/text.c's lines it is none, so it stays a CR */
		size_t off = len == 1 && s[0] == '\n' ? here(x) : x->len;
		if (off < x->len && x->s[off] == '\r' && (off + 1 == x->len || x->s[off + 1] != '\n'))
			s = "\r";
		add_text(&x->e.cur, s, (size_t)len);
	}
}

/* An entity expat cannot expand: a reference to a forbidden character
 * that evtx_xml_clean.c renamed ("_x1F", "_55296"), kept as the old reader
 * kept it (a control character as itself, any other as U+FFFD); else an
 * undefined entity, kept as written. */
static void XMLCALL on_skipped(void *ud, const XML_Char *name, int is_parameter_entity)
{
	struct kbf_winevt_xml *x = ud;
	bool hex = name[0] == '_' && name[1] == 'x';
	const char *digits = name + 1 + hex;
	char *end = NULL;
	unsigned long long c = name[0] == '_' && isxdigit((unsigned char)*digits)
		? strtoull(digits, &end, hex ? 16 : 10) : 0;
	char ch = (char)c;
	if (x->failed) {
		return;
	} else if (!x->in_event) {
		stop(x, here(x), "text outside <Event>");
	} else if (x->e.depth < 2) {
		return;
	} else if (end && *end == '\0' && kbf_winevt_xml_forbidden(c)) {
		add_text(&x->e.cur, c > 0 && c < 0x20 ? &ch : "\xEF\xBF\xBD", c > 0 && c < 0x20 ? 1 : 3);
	} else {
		add_text(&x->e.cur, "&", 1);
		add_text(&x->e.cur, name, strlen(name));
		add_text(&x->e.cur, ";", 1);
	}
}

/* Never called while the input is the synthetic root's content; here so
 * that no change to how expat is fed can let a DTD in. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal_subset)
{
	struct kbf_winevt_xml *x = ud;
	stop(x, here(x), "DOCTYPE refused (an event export has none)");
}

/* ---- the reader ----------------------------------------------------------------- */

/* Sets x, its parser new or reset, to read s[0..len), which starts inside
 * the elements whose start tags are outer ("" or "<Events>"). */
static void start(struct kbf_winevt_xml *x, const char *s, size_t len, int line, const char *outer)
{
	x->s = s, x->len = len;
	x->line0 = x->nl_line = line;
	x->col = 1;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetSkippedEntityHandler(x->p, on_skipped);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	/* As if an external DTD (never read) might declare entities: an
	 * undefined one is then passed to on_skipped(), not an error. */
	XML_UseForeignDTD(x->p, XML_TRUE);
	size_t outer_len = strlen(outer);
	x->wrap_len = WRAP_LEN + outer_len;
	if (XML_Parse(x->p, WRAP, (int)WRAP_LEN, XML_FALSE) != XML_STATUS_OK ||
	    XML_Parse(x->p, outer, (int)outer_len, XML_FALSE) != XML_STATUS_OK || x->failed)
		abort(); /* outer comes from kbf_winevt_xml_outer(): tags expat read before */
}

static struct kbf_winevt_xml *reader(void)
{
	struct kbf_winevt_xml *x = kbu_calloc(1, sizeof(*x));
	if (!(x->p = XML_ParserCreate("UTF-8")))
		kbu_oom();
	return x;
}

struct kbf_winevt_xml *kbf_winevt_xml_new(const char *s, size_t len, int line)
{
	struct kbf_winevt_xml *x = reader();
	start(x, s, len, line, "");
	return x;
}

struct kbf_winevt_xml *kbf_winevt_xml_stretch(const char *s, size_t len, const char *outer)
{
	struct kbf_winevt_xml *x = reader();
	start(x, s, len, 1, outer);
	return x;
}

void kbf_winevt_xml_restart(struct kbf_winevt_xml *x, const char *s, size_t len, int line)
{
	XML_Parser p = x->p;
	struct event e = x->e;
	bool cite_event = x->cite_event;
	struct kbf_wtext_buf outer_tags = x->outer_tags;
	if (!XML_ParserReset(p, "UTF-8")) /* clears the handlers too: start() sets them again */
		kbu_oom();
	memset(x, 0, sizeof(*x));
	x->p = p, x->cite_event = cite_event;
	kbf_wtext_buf_reset(&outer_tags);
	x->outer_tags = outer_tags;
	struct kbf_wtext_buf *bufs[] = {&e.cur, &e.dname, &e.rmsg, &e.rlevel, &e.tmp};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_reset(bufs[i]);
	x->e.cur = e.cur, x->e.dname = e.dname, x->e.rmsg = e.rmsg, x->e.rlevel = e.rlevel, x->e.tmp = e.tmp;
	start(x, s, len, line, "");
}

void kbf_winevt_xml_cite_events(struct kbf_winevt_xml *x)
{
	x->cite_event = true;
}

void kbf_winevt_xml_free(struct kbf_winevt_xml *x)
{
	if (!x)
		return;
	XML_ParserFree(x->p);
	struct event *e = &x->e;
	struct kbf_wtext_buf *bufs[] = {&e->cur, &e->dname, &e->rmsg, &e->rlevel, &e->tmp};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		kbf_wtext_buf_free(bufs[i]);
	kbf_wtext_buf_free(&x->outer_tags);
	free(x);
}

struct kbf_winevt_xml *kbf_winevt_xml_stream_from(struct kbf_text *t, size_t off, int line, const char *outer)
{
	struct kbf_winevt_xml *x = reader();
	x->t = t, x->base = off;
	start(x, t->utf8 + off, t->len - off, line, outer);
	return x;
}

const char *kbf_winevt_xml_outer(struct kbf_winevt_xml *x, int *line)
{
	*line = line_at(x, x->len);
	if (x->outer < 1)
		return NULL; /* the input closed the synthetic root: nothing may follow */
	return x->outer_tags.s ? x->outer_tags.s : "";
}

int kbf_winevt_xml_next(struct kbf_winevt_xml *x, struct kbf_winevt *ev)
{
	release(x, here(x));
	kbf_winevt_reset(ev);
	x->e.ev = ev;
	x->event_done = false;
	while (!x->failed) {
		enum XML_Status st;
		if (x->suspended)
			st = XML_ResumeParser(x->p);
		else if (!x->final_fed)
			st = feed(x);
		else
			return 0;
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (st == XML_STATUS_ERROR)
			return expat_error(x);
		if (x->event_done)
			return 1;
	}
	return -1;
}

const char *kbf_winevt_xml_error(const struct kbf_winevt_xml *x, int *line)
{
	*line = x->err_line;
	return x->err;
}

/* ---- the importer --------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	const char *s = t->utf8, *end = s + t->len;
	for (;;) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (end - s >= 2 && s[0] == '<' && (s[1] == '?' || s[1] == '!')) {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			if (!gt)
				return 0;
			s = gt + 1;
			continue;
		}
		break;
	}
	if (end - s < 7 || memcmp(s, "<Event", 6) != 0 || (s[6] != ' ' && s[6] != '>' && s[6] != 's'))
		return 0;
	struct kbf_wtext_span window = {s, (size_t)(end - s) < 4096 ? (size_t)(end - s) : 4096};
	if (kbf_wtext_contains(window, NS))
		return 95;
	return kbf_wtext_contains(window, "<System>") ? 80 : 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	return kbf_winevt_xml_import(in, t, KBF_WINEVT_XML_STRETCH);
}

const struct kbf_importer kbf_wevtutil_xml_importer = {"wevtutil-xml", probe, import, KBF_READ_STREAM};
