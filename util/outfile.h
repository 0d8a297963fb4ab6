/*
 * outfile.h — a file kbdiag writes (a trace, a snapshot), written so that
 * what was at its name stays whole until the new text is complete, and so
 * that a symbolic link at the name does not send the text elsewhere.
 *
 * The text goes to a temporary file beside the name (".NAME.XXXXXX"),
 * renamed over the name at the end: killed or failing midway, kbdiag
 * leaves the old file as it was (and the temporary one behind).  A
 * symbolic link at the name is refused unless the caller follows links;
 * then the file it leads to is replaced in the same way, and the link
 * kept.  What is not a regular file (a terminal, /dev/null, a FIFO) is
 * written in place: there is nothing to keep whole, and a rename would
 * replace the device itself.  The rename makes a new file: a hard link
 * to the old one keeps the old text.  Nothing is synced to disk: the old
 * file is safe from kbdiag's failures, not from the machine's.
 */
#ifndef KBDIAG_UTIL_OUTFILE_H
#define KBDIAG_UTIL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct kbu_outfile {
	FILE *f;    /* write the text here */
	char *path; /* the name the temporary file replaces at the end */
	char *tmp;  /* the temporary file; NULL when written in place */
};

/* kbu_outfile_open's answer when path is a symbolic link not followed. */
#define KBU_OUTFILE_LINK (-2)

/* Opens path for writing.  Returns 0; KBU_OUTFILE_LINK (nothing opened);
 * or -1 with errno set. */
int kbu_outfile_open(struct kbu_outfile *o, const char *path, bool follow_links);
/* Closes the text and puts it at its name.  0, or -1 with errno set (the
 * old file is kept and the temporary one removed). */
int kbu_outfile_commit(struct kbu_outfile *o);
/* Closes and removes the temporary file, keeping the old one; nothing
 * after kbu_outfile_commit or a failed open. */
void kbu_outfile_abort(struct kbu_outfile *o);

#endif
