/*
 * evtx_xml_split.c — the wevtutil XML importer, on two threads for a large
 * input.  expat alone reads at about the speed kbdiag does (its xmlwf takes
 * 94 % of kbdiag's time on a 1M-event export), so a faster import needs a
 * second parser: the input is cut into stretches at event ends, and while
 * the main thread reads one stretch (kbf_winevt_xml_stretch) and asserts
 * its events, a worker thread reads the next one into records.  Only the
 * main thread touches the engine, the input and the text stream; the worker
 * reads decoded text that the main thread neither writes (decoding appends
 * after it) nor gives back (kbf_text_release_bytes) until the worker has
 * been joined.  A thread is started per stretch and joined: every hand-over
 * is a join, nothing is shared while both run.
 *
 * A cut is a guess until proven: it is made just after a "</Event>" and
 * the newline that follows it, a line start, so that a stretch's lines and
 * columns count as in the whole input.  A stretch is read as the
 * sequential reader would read it only when it starts inside the elements
 * that were open there (<Events> or none) and right between two tokens.  So
 * a stretch is read starting inside the elements the previous stretch left
 * open, and the next stretch's events are kept only if the previous one
 * ended cleanly (every event and token closed, the input's synthetic root
 * open: kbf_winevt_xml_next() returned 0) inside the elements the next
 * stretch was started in.  A "</Event>" in a comment, a CDATA section or
 * an attribute value, a nested <Event>, a closed synthetic root: each
 * leaves the stretch unclean.  Then, and wherever no cut is found, the
 * sequential stream reader reads the rest of the input from the last
 * proven boundary, so the facts, errors and lines are always the
 * sequential reader's.  An error in a stretch is reported only in the last
 * one (which ends where the input does); in any other it may be the cut's,
 * and the sequential reader reads on from that stretch's start.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "thread.h"
#include "win_event.h"
#include "xalloc.h"


/* One stretch [from, to) of t->utf8 and what its reader made of it. */
struct stretch {
	const char *text;
	size_t from, to;
	bool last;                /* to is the end of the input */
	char *outer;              /* the elements it was started inside (owned) */
	struct kbf_winevt *evs;   /* evs[0..n) read; cap zeroed or reset records */
	size_t n, cap;
	int rc;                   /* kbf_winevt_xml_next()'s last: 0 clean end, -1 error */
	char *err;                /* rc -1: the error (owned) at err_line */
	int err_line;
	char *end_outer;          /* rc 0: kbf_winevt_xml_outer(), NULL if nothing may follow */
	int end_line;
	struct kbu_thread *thread; /* NULL: not reading */
};

/* What the import has asserted so far. */
struct import {
	struct kbf_input *in;
	struct kbf_text *t;
	int64_t n;                    /* events read: the record number of one without */
	struct kbf_winevt_msgs *msgs; /* kbf_winevt_emit()'s, shared by every record */
	int rc;
};

static void read_stretch(struct stretch *s)
{
	struct kbf_winevt_xml *x = kbf_winevt_xml_stretch(s->text + s->from, s->to - s->from, s->outer);
	s->n = 0;
	for (;;) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			s->evs = kbu_realloc(s->evs, cap, sizeof(*s->evs));
			memset(s->evs + s->cap, 0, (cap - s->cap) * sizeof(*s->evs));
			s->cap = cap;
		}
		s->rc = kbf_winevt_xml_next(x, &s->evs[s->n]);
		if (s->rc <= 0)
			break;
		s->n++;
	}
	free(s->err), free(s->end_outer);
	s->err = s->end_outer = NULL;
	if (s->rc < 0) {
		s->err = kbu_strdup(kbf_winevt_xml_error(x, &s->err_line));
	} else {
		const char *outer = kbf_winevt_xml_outer(x, &s->end_line);
		s->end_outer = outer ? kbu_strdup(outer) : NULL;
	}
	kbf_winevt_xml_free(x);
}

static void read_in_thread(void *arg)
{
	read_stretch(arg);
}

/* Sets s to [from, to) inside outer, read by a worker thread (by this one
 * if none can be started). */
static void start_stretch(struct stretch *s, struct kbf_text *t, size_t from, size_t to, const char *outer)
{
	s->text = t->utf8, s->from = from, s->to = to;
	s->last = to == t->len && t->complete;
	free(s->outer);
	s->outer = kbu_strdup(outer);
	s->thread = kbu_thread_start(read_in_thread, s);
	if (!s->thread)
		read_stretch(s);
}

static void join_stretch(struct stretch *s)
{
	if (s->thread && kbu_thread_join(s->thread) != 0)
		abort();
	s->thread = NULL;
}

static void free_stretch(struct stretch *s)
{
	join_stretch(s);
	for (size_t i = 0; i < s->cap; i++)
		kbf_winevt_free(&s->evs[i]);
	free(s->evs), free(s->outer), free(s->err), free(s->end_outer);
}

/* The end of the stretch that starts at from: just after the first
 * "</Event>" and newline at least size bytes on, or the end of the input
 * when that is near; 0 when neither is found in the size / 4 bytes (and a
 * few) searched. */
static size_t cut(struct kbf_text *t, size_t from, size_t size)
{
	size_t want = from + size + size / 4 + 512;
	while (t->len < want && kbf_text_more(t))
		;
	if (t->complete && t->len <= want)
		return t->len;
	static const char end_tag[] = "</Event>";
	const char *s = t->utf8, *p = s + from + size, *end = s + (t->len < want ? t->len : want);
	while ((p = memmem(p, (size_t)(end - p), end_tag, sizeof(end_tag) - 1)) != NULL) {
		p += sizeof(end_tag) - 1;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			return (size_t)(p + 1 - s);
	}
	return 0;
}

/* Asserts ev, read on line ev->line + shift. */
static void emit(struct import *im, struct kbf_winevt *ev, int shift)
{
	im->n++;
	if (ev->record < 0)
		ev->record = im->n;
	ev->line += shift;
	if (ev->id_line)
		ev->id_line += shift;
	ev->msgs = im->msgs;
	if (kbf_winevt_emit(im->in, ev) < 0)
		im->rc = -1;
	im->msgs = ev->msgs;
	ev->msgs = NULL;
}

/* Asserts a stretch's events (its lines shifted to start at line) and
 * reports its error; returns whether reading goes on. */
static bool emit_stretch(struct import *im, struct stretch *s, int line)
{
	for (size_t i = 0; i < s->n; i++)
		emit(im, &s->evs[i], line - 1);
	if (s->rc < 0) {
		im->rc = kbf_input_error(im->in, s->err_line ? s->err_line + line - 1 : 0, "%s", s->err);
		return false;
	}
	kbf_text_release_bytes(im->t, s->to);
	return !s->last;
}

/* The sequential reader, from offset from (on line `line`, inside outer)
 * to the end of the input. */
static void read_on(struct import *im, size_t from, int line, const char *outer)
{
	struct kbf_winevt_xml *x = kbf_winevt_xml_stream_from(im->t, from, line, outer);
	struct kbf_winevt ev = {0};
	int r, err_line;
	while ((r = kbf_winevt_xml_next(x, &ev)) != 0) {
		if (r < 0) {
			const char *msg = kbf_winevt_xml_error(x, &err_line);
			im->rc = kbf_input_error(im->in, err_line, "%s", msg);
			break;
		}
		emit(im, &ev, 0);
	}
	kbf_winevt_xml_free(x);
	kbf_winevt_free(&ev);
}

/* Cuts the stretch that starts at from (inside outer), returning its end
 * (0: no cut), and has w read the one after it as if it started inside
 * outer too; *next is that one's end (0: none, w not started). */
static size_t cut_pair(struct kbf_text *t, size_t from, size_t stretch, const char *outer, struct stretch *w,
		       size_t *next)
{
	size_t to = cut(t, from, stretch);
	*next = 0;
	if (to && to != t->len && (*next = cut(t, to, stretch)) != 0)
		start_stretch(w, t, to, *next, outer);
	return to;
}

/* Stretches, two at a time: this thread reads and asserts one while the
 * worker reads the next.  The first is read alone: it opens <Events>, so
 * the next would be started inside the wrong elements. */
static void read_stretches(struct import *im, size_t stretch)
{
	struct kbf_text *t = im->t;
	struct stretch mine = {0}, theirs[2] = {0};
	int line = 1, k = 0;
	char *outer = kbu_strdup("");
	size_t from = 0, to = cut(t, 0, stretch), next = 0;
	if (!to || to == t->len) {
		read_on(im, 0, 1, "");
		goto done;
	}
	for (;;) {
		/* from is proven, inside outer on line `line`; the worker
		 * theirs[k], if next, reads [to, next) as if inside outer too */
		mine.text = t->utf8, mine.from = from, mine.to = to;
		mine.last = to == t->len && t->complete;
		free(mine.outer);
		mine.outer = kbu_strdup(outer);
		read_stretch(&mine);
		if (!mine.last && (mine.rc < 0 || !mine.end_outer)) {
			join_stretch(&theirs[k]);
			read_on(im, from, line, outer);
			break;
		}
		if (!emit_stretch(im, &mine, line))
			break;
		from = to, line += mine.end_line - 1;
		free(outer);
		outer = kbu_strdup(mine.end_outer);
		if (next) {
			struct stretch *w = &theirs[k];
			join_stretch(w);
			if (strcmp(w->outer, outer) != 0 || (!w->last && (w->rc < 0 || !w->end_outer))) {
				read_on(im, from, line, outer);
				break;
			}
			/* w is proven: the next pair starts before its events are asserted */
			to = w->last ? 0 : cut_pair(t, w->to, stretch, w->end_outer, &theirs[k ^ 1], &next);
			if (!emit_stretch(im, w, line))
				break;
			from = w->to, line += w->end_line - 1;
			free(outer);
			outer = kbu_strdup(w->end_outer);
			k ^= 1;
		} else {
			to = cut_pair(t, from, stretch, outer, &theirs[k], &next);
		}
		if (!to) {
			read_on(im, from, line, outer);
			break;
		}
	}
done:
	free(outer);
	free_stretch(&mine);
	free_stretch(&theirs[0]);
	free_stretch(&theirs[1]);
}

int kbf_winevt_xml_import(struct kbf_input *in, struct kbf_text *t, size_t stretch)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct import im = {in, t, 0, NULL, 0};
	if (stretch)
		read_stretches(&im, stretch);
	else
		read_on(&im, 0, 1, "");
	kbf_winevt_msgs_free(im.msgs);
	return im.rc;
}
