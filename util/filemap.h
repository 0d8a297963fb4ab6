/*
 * filemap.h — a file read once from start to end without holding it in
 * memory: it is mapped read-only, and the reader gives back the pages it
 * has gone past, a few mebibytes at a time, so the process keeps a bounded
 * window of the file however large it is (a trace of millions of events
 * runs to gigabytes).  Pages given back read again from the file when the
 * reader returns to them, so any pointer into the text stays good.
 *
 * What is not a regular file (a pipe, /dev/stdin) cannot be mapped: it is
 * read whole into memory instead.  The text must not shrink while mapped
 * (reading past a truncation is SIGBUS, as for any mapping).
 *
 * Ownership: the map owns the text until kbu_filemap_close().
 */
#ifndef KBDIAG_UTIL_FILEMAP_H
#define KBDIAG_UTIL_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes gone past that are given back at once: large, so the system calls
 * cost nothing next to reading, small next to the files that need it. */
#define KBU_FILEMAP_STEP ((size_t)4 << 20)

struct kbu_filemap {
	const char *text;
	size_t len;
	const char *kept;       /* the first byte not given back */
	bool mapped;            /* false: text is a heap copy */
};

/* 0, or -1 with errno set (a directory is EISDIR). */
int kbu_filemap_open(struct kbu_filemap *m, const char *path);
/* The reader is done with the text before `upto`: gives back the pages
 * before it once KBU_FILEMAP_STEP bytes have gathered.  Going back before
 * pages given back is allowed (see above). */
void kbu_filemap_release(struct kbu_filemap *m, const char *upto);
void kbu_filemap_close(struct kbu_filemap *m);

#endif
