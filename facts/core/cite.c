/*
 * cite.c — provenance that cites a record's place in its file instead of
 * keeping its text (struct kb_cite): a rule that keeps every error event
 * of a large export would otherwise hold each event's text in memory.
 * The cite is made as the record is emitted, from the lines of the
 * decoded text it was cut from (text.c records where each line is in the
 * file); recall.c reads the text back when a report prints it.
 *
 * A cite names the record's lines in the file's own bytes (offset and
 * length, what the JSON report shows) and the record within their
 * decoded text (skip, take): an importer may cite part of a line (a
 * trimmed field) or lines whose text it changes (an event's CRs dropped:
 * the form).  It keeps a hash of the decoded text the record is cut from
 * (before the form: the form is made from it alone), so that a file that
 * changed since is said to have, never shown wrong: checking the bytes
 * cited catches an edit that keeps the size and the second of the
 * modification time, and a file replaced by another of the same name,
 * which size and mtime would not, and it costs one hash of each kept
 * record's text, which is in hand anyway.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/wtext.h"
#include "facts.h"
#include "texthash.h"
#include "utf8.h"
#include "xalloc.h"

/* Cited files' descriptors open, against KBF_CITE_FDS_MAX: a bundle of
 * thousands of files must not use up the process's descriptors. */
static size_t cite_fds_open;

struct kbf_cite_fd *kbf_cite_fd_dup(int fd)
{
	if (cite_fds_open >= KBF_CITE_FDS_MAX)
		return NULL;
	int kept = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (kept < 0)
		return NULL;
	cite_fds_open++;
	struct kbf_cite_fd *h = kbu_malloc(sizeof(*h));
	*h = (struct kbf_cite_fd){kept, 1};
	return h;
}

void kbf_cite_fd_release(struct kbf_cite_fd *h)
{
	if (!h || --h->refs)
		return;
	close(h->fd);
	cite_fds_open--;
	free(h);
}

struct kb_cite_file *kbf_cite_file_new(struct kbf_cite_fd *held, const long *entries, size_t n, const char *shown)
{
	struct kb_cite_file *f = kbu_calloc(1, sizeof(*f));
	f->held = held;
	held->refs++;
	f->shown = kbu_strdup(shown);
	if (n) {
		f->entries = kbu_malloc(n * sizeof(*entries));
		memcpy(f->entries, entries, n * sizeof(*entries));
	}
	f->nentries = n;
	return f;
}

void kbf_cite_file_free(struct kb_cite_file *f)
{
	if (!f)
		return;
	kbf_cite_fd_release(f->held);
	free(f->shown);
	free(f->entries);
	free(f->decoder);
	free(f);
}

void kbf_text_form(struct kbf_wtext_buf *out, enum kbf_text_form form, const char *s, size_t len)
{
	size_t from = out->len;
	kbf_wtext_buf_add(out, "", 0);
	if (form == KBF_TEXT_AS_IS) {
		kbf_wtext_buf_add(out, s, len);
		return;
	}
	/* one byte past the limit at most, so that the cut can tell a whole
	 * character from a split one */
	kbf_wtext_buf_add_uncr(out, s, len, from + KBF_EVENT_TEXT_MAX + 1);
	if (out->len - from > KBF_EVENT_TEXT_MAX) {
		out->len = from + kbu_utf8_floor(out->s + from, KBF_EVENT_TEXT_MAX);
		out->s[out->len] = '\0';
	}
}

/* Enough to tell changed bytes from the same (a collision is about one
 * chance in four billion per changed record). */
uint32_t kbf_cite_check(const char *s, size_t len)
{
	return kbu_text_hash(s, len);
}

bool kbf_cite_make(const struct kbf_input *in, const char *s, size_t len, enum kbf_text_form form,
		   struct kb_cite *out)
{
	struct kb_cite_file *file = in->cite;
	const struct kbf_text *t = file ? file->text : NULL;
	if (!t || !file->decoder)
		return false;
	struct kbf_text_place p;
	if (!kbf_text_place(t, s, len, &p) || p.end - p.off > UINT32_MAX || p.skip + len > UINT32_MAX)
		return false;
	file->ncited++;
	*out = (struct kb_cite){file, p.off, (uint32_t)(p.end - p.off), (uint32_t)p.skip, (uint32_t)len,
				kbf_cite_check(s, len), (uint8_t)form};
	return true;
}
