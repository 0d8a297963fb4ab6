/*
 * journal_file.c — the importer "journal-file": a binary systemd journal
 * file in a bundle (system.journal, a rotated or dirty `*.journal~`, a
 * copied /var/log/journal: each file an input of its own), every entry
 * an `event` fact made exactly as the live collector makes it, text
 * included (journal.c: kbf_journal_emit_current), through libsystemd's
 * sd_journal_open_files_fd.  Recognised by the file's magic, "LPKSHHRH".
 *
 * libsystemd reads the file through its descriptor.  It refuses a file
 * with no name on disk (EIDRM: a memfd, an unlinked copy), and kbdiag
 * writes nothing of a bundle to disk, so a journal file inside an archive
 * or through a pipe is not read, and the input says so.  A file libsystemd
 * cannot open (a format newer than it knows, a header it calls corrupt, a
 * file cut short, which it refuses whole) is an error; one whose entries stop early (an entry it calls corrupt, or
 * fewer entries than the header counts) or whose entry has a field it
 * cannot read is read as far as it goes, and the input says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "linux.h"

#define MAGIC "LPKSHHRH"
/* Places in the file's header (systemd's journal-def.h, Header), each le64. */
#define HEADER_SIZE 88       /* the header's bytes */
#define HEADER_ARENA 96      /* the objects' bytes after it */
#define HEADER_N_ENTRIES 152 /* entries */

static int probe(struct kbf_text *t)
{
	return t->rawlen >= 8 && memcmp(t->raw, MAGIC, 8) == 0 ? 100 : 0;
}

#ifdef KBDIAG_HAVE_SYSTEMD
#include <systemd/sd-journal.h>

#include "systemd_lib.h" /* libsystemd's functions, loaded on first use */

/* The header's number at off; 0 when the file is too short to say. */
static uint64_t header_le64(const struct kbf_text *t, size_t off)
{
	uint64_t n = 0;
	for (int i = 7; t->rawlen >= off + 8 && i >= 0; i--)
		n = n << 8 | t->raw[off + i];
	return n;
}

static int read_entries(struct kbf_input *in, sd_journal *j, uint64_t counted)
{
	struct kbf_journal_fields fs = {0};
	int64_t record = 0;
	int r;
	while ((r = sd_journal_next(j)) > 0)
		if (kbf_journal_emit_current(in, j, &fs, ++record) < 0)
			break;
	kbf_journal_fields_free(&fs);
	if (in->err.status != KB_OK)
		return -1;
	if (r < 0)
		kbf_input_skip(in, 0, "libsystemd stopped after entry %lld: %s (a damaged journal file); read up to there",
			       (long long)record, strerror(-r));
	else if ((uint64_t)record < counted)
		kbf_input_skip(in, 0, "libsystemd read %lld of the %llu entries the file's header counts (the file is "
				      "cut short or damaged); read up to there", (long long)record,
			       (unsigned long long)counted);
	return 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (kbf_text_fd(t) < 0)
		return kbf_input_error(in, 0, "not read: libsystemd reads a journal file only from a file on disk, "
				       "and this one is inside an archive or comes through a pipe (unpack it, and "
				       "give kbdiag the folder)");
	int fd = fcntl(kbf_text_fd(t), F_DUPFD_CLOEXEC, 0); /* libsystemd closes its own */
	if (fd < 0)
		return kbf_input_error(in, 0, "cannot hand the journal file to libsystemd: %s", strerror(errno));
	sd_journal *j = NULL;
	int r = sd_journal_open_files_fd(&j, (int[]){fd}, 1, 0);
	uint64_t whole = header_le64(t, HEADER_SIZE) + header_le64(t, HEADER_ARENA);
	int rc;
	if (r < 0 && whole > t->rawlen) /* libsystemd reads no entry of such a file */
		rc = kbf_input_error(in, 0, "libsystemd cannot read this journal file: it is cut short (%zu of the "
				     "%llu bytes its header gives)", t->rawlen, (unsigned long long)whole);
	else if (r < 0)
		rc = kbf_input_error(in, 0, "libsystemd cannot read this journal file: %s", strerror(-r));
	else
		rc = read_entries(in, j, header_le64(t, HEADER_N_ENTRIES));
	sd_journal_close(j);
	close(fd);
	return rc;
}

#else

static int import(struct kbf_input *in, struct kbf_text *t)
{
	(void)t;
	return kbf_input_error(in, 0, "not read: kbdiag was built without libsystemd, which reads journal files");
}

#endif

const struct kbf_importer kbf_journal_file_importer = {"journal-file", probe, import, KBF_READ_WHOLE};
