/*
 * read.h — what reading a bundle shares between read.c (files and
 * directories) and archive.c (archives read as bundles, in memory): how a
 * decoded text becomes an input's facts, and the archive walk with its
 * limits.  Private to facts/core and its unit tests and fuzz targets.
 */
#ifndef KBDIAG_FACTS_CORE_READ_H
#define KBDIAG_FACTS_CORE_READ_H

#include "facts.h"

/* Recognises t by content (kbf_importer_for) and imports it into in,
 * giving in its format; an unrecognised t leaves in as it is.  Returns 1
 * when the import failed or recorded an error, else 0. */
int kbf_read_text(struct kbf_input *in, struct kbf_text *t);

/* Reads the regular file in fd (borrowed), of size bytes, named shown:
 * as an archive (a bundle of its own) or as one input recognised by
 * content.  Returns the number of inputs with errors. */
int kbf_read_fd(struct kb_engine *eng, int fd, uint64_t size, const char *shown, struct kbf_inputs *inputs);

/* Walks the bundle directory dirfd (borrowed), named shown, under the
 * rules walk.c opens with: links followed only inside it, nothing read
 * twice, only regular files read, every other thing an input not read
 * with why.  Returns the number of inputs with errors. */
#ifdef _WIN32
/* kbdiag.exe: the folder at path, by path (walk_win32.c). */
int kbf_walk_bundle(struct kb_engine *eng, const char *path, const char *shown, struct kbf_inputs *inputs);
#else
int kbf_walk_bundle(struct kb_engine *eng, int dirfd, const char *shown, struct kbf_inputs *inputs);
#endif

/* Whether p[0..n), a file's first bytes, are an archive's (what
 * kbf_archive_read_fd would walk); it looks at KBF_ARCHIVE_PEEK at most. */
bool kbf_archive_sniff(const unsigned char *p, size_t n);
#define KBF_ARCHIVE_PEEK 512 /* a tar's magic is at 257 */

/* v bytes for a message, in the largest unit that divides it ("16 GiB",
 * "512 bytes"), written in buf[0..n); returns buf. */
const char *kbf_size_text(char *buf, size_t n, uint64_t v);

/* Reads the archive in fd (borrowed; a regular file of size bytes) as a
 * bundle: one input named shown for the archive itself, carrying what
 * went wrong with it, then one per entry named shown!entry, each read as
 * a file of a bundle directory is.  Returns the number of inputs with
 * errors, or -1 when the file's first bytes are no archive's or libarchive
 * does not take it (nothing is added; the caller reads it as a file). */
int kbf_archive_read_fd(struct kb_engine *eng, int fd, uint64_t size, const char *shown, struct kbf_inputs *inputs);
/* The same for an archive held in memory, mem[0..size) (borrowed). */
int kbf_archive_read_mem(struct kb_engine *eng, const unsigned char *mem, uint64_t size, const char *shown,
			 struct kbf_inputs *inputs);

/* One entry of the archive in fd (borrowed, a cited file's: read with
 * pread only), named shown, to read again (recall.c): entries gives its
 * header's place in each archive, outermost first (a nested archive is
 * held in memory).  NULL with why set when it cannot be reached. */
struct kbf_archive_entry;
struct kbf_archive_entry *kbf_archive_entry_open(int fd, const char *shown, const long *entries, size_t n,
						 char *why, size_t whylen);
/* Up to n bytes of its data: 0 at its end, -1 on failure. */
ssize_t kbf_archive_entry_read(struct kbf_archive_entry *e, void *buf, size_t n);
void kbf_archive_entry_close(struct kbf_archive_entry *e); /* NULL is a no-op */

/* Bounds on one archive's walk, nested archives included (archive.c says
 * why the defaults are what they are). */
struct kbf_archive_limits {
	uint64_t expanded; /* bytes read out of entries, all levels together */
	uint64_t entries;  /* entries met, all levels together */
	unsigned depth;    /* archives open at once: 1 reads no archive inside another */
	uint64_t held;     /* bytes of one binary entry held in memory (an .evtx, a nested archive) */
};
extern const struct kbf_archive_limits kbf_archive_default_limits;
/* The limits archives are read under now (the defaults unless a test set
 * others); a pipe is read under the same. */
struct kbf_archive_limits kbf_archive_current_limits(void);

/* For tests and fuzzing: archives read after this use l (NULL: the
 * defaults), so that a small bomb can reach each limit. */
void kbf_archive_set_limits(const struct kbf_archive_limits *l);

#endif
