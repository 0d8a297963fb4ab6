/*
 * recall.c — the text of cited records (cite.c), read back from their
 * files when a report, an explanation or a trace prints them.  The cites
 * wanted are sorted by file and offset, so that each file is opened once
 * and read forward once (an archive's entry cannot seek: it is opened
 * again through archive.c and read up to each record); records whose
 * lines overlap are read together.  The bytes are decoded as the file was
 * read (text.c), cut and formed as the importer did (skip, take, form),
 * and checked against the hash taken at read time: a file that changed
 * or was removed since is said to have, in place of the text.  Files are
 * read through the descriptor their cites keep (cite.c), never opened
 * again by name.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/wtext.h"
#include "facts.h"
#include "read.h"
#include "readfd.h"
#include "xalloc.h"

struct want {
	const struct kb_fact *f;
	size_t at; /* its text, read back or why not, in texts */
};

/* The texts go one after another, each ending in its NUL, into one
 * buffer: a trace recalls every kept event, and a buffer each (with its
 * slack) added 13 MB to the peak of a traced run of a million events. */
struct kbf_recall {
	struct want *v;
	size_t n, cap;
	struct kbf_wtext_buf texts;
};

#define WINDOW (1u << 20) /* bytes read at a time: a trace cites every kept event */

/* One cited file being read, forward, through a window of its bytes
 * rather than a read per record (a traced run reads back every event it
 * keeps). */
struct source {
	const struct kb_cite_file *file;
	int fd;                       /* a file (the cites' descriptor, borrowed) */
	struct kbf_archive_entry *e;  /* an archive's entry */
	uint64_t pos;                 /* the entry's bytes read so far */
	unsigned char *win;           /* the file's bytes [at, at + len) */
	uint64_t at;
	size_t len, cap;
	char why[256];                /* why it cannot be read */
};

struct kbf_recall *kbf_recall_new(void)
{
	return kbu_calloc(1, sizeof(struct kbf_recall));
}

void kbf_recall_want(struct kbf_recall *r, const struct kb_fact *f)
{
	if (!f || !f->prov.cite.file)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = kbu_realloc(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = (struct want){f, 0};
}

static int by_place(const void *a, const void *b)
{
	const struct kb_cite *x = &((const struct want *)a)->f->prov.cite, *y = &((const struct want *)b)->f->prov.cite;
	if (x->file != y->file)
		return (uintptr_t)x->file < (uintptr_t)y->file ? -1 : 1;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

static int by_fact(const void *a, const void *b)
{
	uint32_t x = ((const struct want *)a)->f->id, y = ((const struct want *)b)->f->id;
	return (x > y) - (x < y);
}

/* Opens the file again through the descriptor its cites keep (never by
 * name: a link could lead elsewhere since).  false with why set when it
 * cannot be read; *removed when it is no longer in any folder. */
static bool source_open(struct source *s, bool *removed)
{
	const struct kb_cite_file *file = s->file;
	int fd = file->held->fd;
	struct stat st;
	*removed = false;
	if (fstat(fd, &st) < 0) {
		snprintf(s->why, sizeof(s->why), "%s", strerror(errno));
		return false;
	}
	if (st.st_nlink == 0) {
		*removed = true;
		return false;
	}
	if (file->nentries) {
		s->e = kbf_archive_entry_open(fd, file->shown, file->entries, file->nentries, s->why, sizeof(s->why));
		return s->e != NULL;
	}
	s->fd = fd;
	return true;
}

static void source_close(struct source *s)
{
	kbf_archive_entry_close(s->e);
	free(s->win);
}

/* Up to n bytes of the file from off into buf: fewer when it ends first
 * or a read fails.  An entry is read forward only: off is never before
 * what an earlier call read. */
static size_t source_read(struct source *s, uint64_t off, unsigned char *buf, size_t n)
{
	size_t got = 0;
	ssize_t k = 1;
	if (s->fd >= 0) {
		k = kbu_pread_full(s->fd, buf, n, (off_t)off);
		return k > 0 ? (size_t)k : 0;
	}
	while (s->pos < off && k > 0) { /* skip to off, through buf */
		size_t step = off - s->pos < n ? (size_t)(off - s->pos) : n;
		if ((k = kbf_archive_entry_read(s->e, buf, step)) > 0)
			s->pos += (uint64_t)k;
	}
	while (s->pos == off + got && got < n && (k = kbf_archive_entry_read(s->e, buf + got, n - got)) > 0) {
		got += (size_t)k;
		s->pos += (uint64_t)k;
	}
	return got;
}

/* The file's bytes [off, off + n), or fewer where it ends or a read fails
 * (*got says how many), from the window, which moves forward to hold
 * them: offsets asked for never go back. */
static const unsigned char *source_bytes(struct source *s, uint64_t off, size_t n, size_t *got)
{
	if (off < s->at || off + n > s->at + s->len) {
		size_t keep = off >= s->at && off < s->at + s->len ? (size_t)(s->at + s->len - off) : 0;
		size_t want = n > WINDOW ? n : WINDOW;
		if (want > s->cap) {
			unsigned char *w = kbu_malloc(want);
			if (keep)
				memcpy(w, s->win + (off - s->at), keep);
			free(s->win);
			s->win = w;
			s->cap = want;
		} else if (keep) {
			memmove(s->win, s->win + (off - s->at), keep);
		}
		s->at = off;
		s->len = keep + source_read(s, off + keep, s->win + keep, s->cap - keep);
	}
	size_t have = (size_t)(s->at + s->len - off);
	*got = have < n ? have : n;
	return s->win + (off - s->at);
}

/* Appends why a record is not shown, in its place: "[not shown: ...]";
 * returns where it starts. */
static size_t not_shown(struct kbf_wtext_buf *texts, const char *shown, const char *why)
{
	size_t at = texts->len;
	kbf_wtext_buf_add(texts, "[not shown: ", 12);
	kbf_wtext_buf_add(texts, shown, strlen(shown));
	kbf_wtext_buf_add(texts, why, strlen(why));
	kbf_wtext_buf_add(texts, "]", 1);
	kbf_wtext_buf_addc(texts, '\0');
	return at;
}

/* Appends the record's text from bytes[0..n), the cited lines as the file
 * now has them, with its NUL; returns where it starts, or SIZE_MAX (and
 * appends nothing) when they are not what was read. */
static size_t record_text(struct kbf_wtext_buf *texts, const struct kb_cite *c, const unsigned char *bytes,
			  size_t n)
{
	if (n < c->length)
		return SIZE_MAX;
	size_t len, at = SIZE_MAX;
	char *lines = kbf_text_decode_as(c->file->decoder, bytes, c->length, &len);
	if (lines && (size_t)c->skip + c->take <= len && kbf_cite_check(lines + c->skip, c->take) == c->check) {
		at = texts->len;
		kbf_text_form(texts, (enum kbf_text_form)c->form, lines + c->skip, c->take);
		kbf_wtext_buf_addc(texts, '\0');
	}
	free(lines);
	return at;
}

/* v[0..n): one file's cites, by offset.  Cites whose bytes overlap are
 * read at once (an importer may cite one line for several facts). */
static void read_file(struct kbf_wtext_buf *texts, struct want *v, size_t n)
{
	struct source s = {.file = v[0].f->prov.cite.file, .fd = -1};
	const char *shown = s.file->shown;
	bool removed;
	if (!source_open(&s, &removed)) {
		char why[sizeof(s.why) + 32];
		if (removed)
			snprintf(why, sizeof(why), " was removed since it was read");
		else
			snprintf(why, sizeof(why), " cannot be read again: %s", s.why);
		for (size_t i = 0; i < n; i++)
			v[i].at = not_shown(texts, shown, why);
		source_close(&s);
		return;
	}
	for (size_t i = 0, j; i < n; i = j) {
		uint64_t from = v[i].f->prov.cite.offset, to = from + v[i].f->prov.cite.length;
		for (j = i + 1; j < n && v[j].f->prov.cite.offset < to; j++)
			if (v[j].f->prov.cite.offset + v[j].f->prov.cite.length > to)
				to = v[j].f->prov.cite.offset + v[j].f->prov.cite.length;
		size_t got;
		const unsigned char *bytes = source_bytes(&s, from, (size_t)(to - from), &got);
		for (size_t k = i; k < j; k++) {
			const struct kb_cite *c = &v[k].f->prov.cite;
			size_t at = (size_t)(c->offset - from);
			v[k].at = record_text(texts, c, bytes + at, got > at ? got - at : 0);
			if (v[k].at == SIZE_MAX)
				v[k].at = not_shown(texts, shown, " changed since it was read");
		}
	}
	source_close(&s);
}

/* qsort, after a look whether v is in order already: a trace wants its
 * facts in id order, which for one file is also the order of offsets. */
static void sort_unless_sorted(struct want *v, size_t n, int (*cmp)(const void *, const void *))
{
	size_t i = 1;
	while (i < n && cmp(&v[i - 1], &v[i]) <= 0)
		i++;
	if (i < n)
		qsort(v, n, sizeof(*v), cmp);
}

void kbf_recall_read(struct kbf_recall *r)
{
	if (!r->n)
		return;
	/* a fact several findings cite, and the trace again, is read once */
	sort_unless_sorted(r->v, r->n, by_fact);
	size_t kept = 1;
	for (size_t i = 1; i < r->n; i++)
		if (r->v[i].f != r->v[kept - 1].f)
			r->v[kept++] = r->v[i];
	r->n = kept;
	sort_unless_sorted(r->v, r->n, by_place);
	/* a record's text, formed, is at most its cut of the decoded lines:
	 * room for all at once, rather than the texts moving as they grow */
	size_t room = 0;
	for (size_t i = 0; i < r->n; i++)
		room += r->v[i].f->prov.cite.take + 1;
	kbf_wtext_buf_reserve(&r->texts, room);
	for (size_t i = 0, j; i < r->n; i = j) {
		for (j = i + 1; j < r->n && r->v[j].f->prov.cite.file == r->v[i].f->prov.cite.file; j++)
			;
		read_file(&r->texts, r->v + i, j - i);
	}
	sort_unless_sorted(r->v, r->n, by_fact);
}

const char *kbf_recall_text(const struct kbf_recall *r, const struct kb_fact *f)
{
	if (!f->prov.cite.file)
		return f->prov.text;
	struct want key = {f, 0};
	const struct want *w = r->n ? bsearch(&key, r->v, r->n, sizeof(*r->v), by_fact) : NULL;
	return w ? r->texts.s + w->at : NULL;
}

void kbf_recall_free(struct kbf_recall *r)
{
	if (!r)
		return;
	kbf_wtext_buf_free(&r->texts);
	free(r->v);
	free(r);
}
