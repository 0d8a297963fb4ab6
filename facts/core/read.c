/*
 * read.c — reading what a command line names: a file, a pipe, or a
 * bundle directory (walked by walk.c), each file recognised by content
 * and listed as an input whether or not anything recognised it (an
 * archive is a bundle of its own: archive.c).
 *
 * What the command line names is the user's choice: a link there is
 * followed (links inside a bundle are walk.c's), and a pipe or FIFO
 * (`kbdiag diagnose <(zcat netstat.txt.gz)`) is read as a stream.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"
#include "readfd.h"
#include "xalloc.h"

/* A file being read, for whoever watches the inputs. */
struct watch {
	struct kbf_inputs *inputs;
	const struct kbf_input *in;
};

static void watched(void *ud, uint64_t done, uint64_t size)
{
	struct watch *w = ud;
	w->inputs->progress(w->inputs->progress_ud, w->in, done, size);
}

int kbf_read_text(struct kbf_input *in, struct kbf_text *t)
{
	const struct kbf_importer *imp = kbf_importer_for(t);
	struct kb_cite_file *cite = in->cite;
	int rc = 0;
	if (imp) {
		in->format = imp->format;
		if (imp->reading == KBF_READ_STREAM_BYTES && kbf_text_as_bytes(t) < 0) {
			kbf_input_error(in, 0, "cannot read again from the start: %s", strerror(errno));
			imp = NULL;
			rc = 1;
		}
	}
	if (imp) {
		if (imp->reading == KBF_READ_WHOLE)
			kbf_text_all(t);
		if (cite && kbf_text_decoder(t)) {
			cite->decoder = kbu_strdup(kbf_text_decoder(t));
			cite->text = t;
		}
		rc = imp->import(in, t) < 0 || in->err.status != KB_OK;
	}
	if (cite && !cite->ncited) { /* nothing to read back: its descriptor goes now */
		kbf_cite_file_free(cite);
		in->cite = NULL;
	} else if (cite) {
		cite->text = NULL;
	}
	return rc;
}

static int cannot_read(struct kbf_input *in)
{
	kbf_input_error(in, 0, "cannot read: %s", strerror(errno));
	return 1;
}

int kbf_read_fd(struct kb_engine *eng, int fd, uint64_t size, const char *shown, struct kbf_inputs *inputs)
{
	int rc = kbf_archive_read_fd(eng, fd, size, shown, inputs);
	if (rc >= 0)
		return rc;
	struct kbf_input *in = kbf_inputs_add(inputs, eng, shown);
	struct kbf_text t;
	if (kbf_text_open(&t, fd, size) < 0)
		return cannot_read(in);
	struct kbf_cite_fd *held = kbf_cite_fd_dup(fd); /* NULL: its records keep their text */
	if (held) {
		in->cite = kbf_cite_file_new(held, NULL, 0, shown);
		kbf_cite_fd_release(held);
	}
	struct watch w = {inputs, in};
	if (inputs->progress) {
		t.progress = watched;
		t.progress_ud = &w;
	}
	rc = kbf_read_text(in, &t);
	if (inputs->progress)
		inputs->progress(inputs->progress_ud, in, size, size);
	if (kbf_text_error(&t)) {
		kbf_input_error(in, 0, "reading stopped: %s", strerror(kbf_text_error(&t)));
		rc = 1;
	}
	kbf_text_free(&t);
	return rc;
}

/* ---- pipes -------------------------------------------------------------------- */

/* A pipe, read once: its first bytes are kept to be handed out again
 * after they have said what the pipe holds. */
struct pipe_src {
	int fd;
	unsigned char kept[KBF_ARCHIVE_PEEK]; /* its first bytes, kept to sniff an archive */
	size_t nkept, at; /* kept[at..nkept) not handed out yet */
	uint64_t total;   /* bytes handed out */
};

static ssize_t pipe_read(void *ud, void *buf, size_t n)
{
	struct pipe_src *p = ud;
	ssize_t got;
	if (p->at < p->nkept) {
		got = (ssize_t)(n < p->nkept - p->at ? n : p->nkept - p->at);
		memcpy(buf, p->kept + p->at, (size_t)got);
		p->at += (size_t)got;
	} else {
		got = kbu_read_retry(p->fd, buf, n);
	}
	if (got > 0)
		p->total += (uint64_t)got;
	return got;
}

/* Whether more comes after what was read (a byte is lost: only asked at
 * the end). */
static bool pipe_goes_on(struct pipe_src *p)
{
	unsigned char b;
	return pipe_read(p, &b, 1) > 0;
}

/* An archive through a pipe: held in memory (libarchive seeks in most
 * formats, and an entry read twice opens the archive again), up to the
 * bound on binary files held. */
static int read_piped_archive(struct kb_engine *eng, struct pipe_src *p, const char *shown,
			      struct kbf_inputs *inputs)
{
	uint64_t bound = kbf_archive_current_limits().held;
	size_t cap = 1 << 20, n = 0;
	unsigned char *mem = kbu_malloc(cap);
	ssize_t got;
	while ((got = pipe_read(p, mem + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap && cap < bound)
			mem = kbu_realloc(mem, cap = cap * 2 < bound ? cap * 2 : (size_t)bound, 1);
		else if (n == cap)
			break;
	}
	int rc;
	if (got < 0) {
		rc = cannot_read(kbf_inputs_add(inputs, eng, shown));
	} else if (n == cap && pipe_goes_on(p)) {
		char sz[32];
		kbf_input_error(kbf_inputs_add(inputs, eng, shown), 0,
				"not read: an archive larger than the %s kbdiag holds in memory, through a pipe "
				"(save it to a file and give kbdiag the file)", kbf_size_text(sz, sizeof(sz), bound));
		rc = 1;
	} else if ((rc = kbf_archive_read_mem(eng, mem, n, shown, inputs)) < 0) {
		struct kbf_input *in = kbf_inputs_add(inputs, eng, shown); /* archive magic, but none */
		struct kbf_text t;
		kbf_text_decode(&t, mem, n);
		rc = kbf_read_text(in, &t);
		kbf_text_free(&t);
	}
	free(mem);
	return rc;
}

/* A pipe or FIFO named on the command line (fd borrowed), read as it
 * comes.  It cannot be read twice: text.c keeps its first chunks of text
 * for the importers that read a file twice (Event Viewer text and CSV
 * exports), and past them they say they cannot. */
static int read_pipe(struct kb_engine *eng, int fd, const char *shown, struct kbf_inputs *inputs)
{
	struct pipe_src p = {.fd = fd};
	ssize_t got = kbu_read_full(fd, p.kept, sizeof(p.kept));
	if (got < 0)
		return cannot_read(kbf_inputs_add(inputs, eng, shown));
	p.nkept = (size_t)got;
	if (kbf_archive_sniff(p.kept, p.nkept))
		return read_piped_archive(eng, &p, shown, inputs);
	struct kbf_input *in = kbf_inputs_add(inputs, eng, shown);
	/* A binary file is held up to the bound on binary entries; text is
	 * read up to as much as an archive's walk reads, far more than any
	 * real export (the decoder reserves address space, not memory, for
	 * three times it). */
	struct kbf_archive_limits lim = kbf_archive_current_limits();
	struct kbf_text_stream s = {pipe_read, NULL, &p, lim.held};
	struct kbf_text t;
	if (kbf_text_open_stream(&t, &s, lim.expanded) < 0)
		return cannot_read(in);
	int rc = 1;
	char sz[32];
	if (!t.utf8 && t.rawlen == lim.held && pipe_goes_on(&p))
		kbf_input_error(in, 0, "not read: a binary file larger than the %s kbdiag holds in memory, through a "
				       "pipe (save it to a file and give kbdiag the file)",
				kbf_size_text(sz, sizeof(sz), lim.held));
	else
		rc = kbf_read_text(in, &t);
	if (kbf_text_error(&t)) {
		kbf_input_error(in, 0, "reading stopped: %s", strerror(kbf_text_error(&t)));
		rc = 1;
	} else if (t.utf8 && p.total >= lim.expanded && pipe_goes_on(&p)) {
		kbf_input_skip(in, 0, "read the first %s of the pipe; the rest is not read",
			       kbf_size_text(sz, sizeof(sz), lim.expanded));
	}
	kbf_text_free(&t);
	return rc;
}

/* ---- what the command line names ---------------------------------------------- */

/* A snapshot's first bytes, as the snapshot reader recognises it: an
 * object naming its format near the start. */
static bool snapshot_head(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n && p[i] == '{' && memmem(p + i, n - i, "\"kbdiag_snapshot\"", 17);
}

enum kbf_unit kbf_path_unit(const char *path, bool follow)
{
	struct stat st;
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return KBF_UNIT_NONE;
	if (S_ISLNK(st.st_mode))
		return KBF_UNIT_LINK;
	if (S_ISDIR(st.st_mode))
		return KBF_UNIT_FOLDER;
	if (!S_ISREG(st.st_mode))
		return KBF_UNIT_FILE;
	char head[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : kbu_read_full(fd, head, sizeof(head));
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return KBF_UNIT_FILE;
	if (kbf_archive_sniff((const unsigned char *)head, (size_t)n))
		return KBF_UNIT_ARCHIVE;
	return snapshot_head(head, (size_t)n) ? KBF_UNIT_SNAPSHOT : KBF_UNIT_FILE;
}

static int not_a_file(struct kb_engine *eng, const char *path, mode_t mode, struct kbf_inputs *inputs)
{
	kbf_input_error(kbf_inputs_add(inputs, eng, path), 0, "not read: %s, not a file",
			S_ISSOCK(mode) ? "a socket" : "a device");
	return 1;
}

int kbf_read_path(struct kb_engine *eng, const char *path, struct kbf_inputs *inputs)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		kbf_input_error(kbf_inputs_add(inputs, eng, path), 0, "%s", strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return not_a_file(eng, path, st.st_mode, inputs); /* not opened: a device's open can act */
#ifdef _WIN32
	if (S_ISDIR(st.st_mode)) /* no descriptor for a folder */
		return kbf_walk_bundle(eng, path, path, inputs);
#endif
	/* A FIFO's open waits for its writer, as a named pipe's reader should. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = cannot_read(kbf_inputs_add(inputs, eng, path));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	int rc;
	if (S_ISREG(st.st_mode))
		rc = kbf_read_fd(eng, fd, (uint64_t)st.st_size, path, inputs);
	else if (S_ISFIFO(st.st_mode))
		rc = read_pipe(eng, fd, path, inputs);
#ifndef _WIN32 /* kbdiag.exe walks a folder above, by its path */
	else if (S_ISDIR(st.st_mode)) /* its files are shown relative to it, as the customer named them */
		rc = kbf_walk_bundle(eng, fd, path, inputs);
#endif
	else /* it changed since stat */
		rc = not_a_file(eng, path, st.st_mode, inputs);
	close(fd);
	return rc;
}
