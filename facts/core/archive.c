/*
 * archive.c — archives read as bundles: zip, cab, 7z and tar (plain or
 * compressed with gzip, xz or bzip2), and a file that is only compressed
 * (events.evtx.gz) as an archive of one entry, all through libarchive
 * and without writing anything to disk.  Each entry is read as a file of
 * a bundle directory is (recognised by content, one input each), named
 * "archive.zip!dir/file.txt"; an entry that is itself an archive is
 * walked in turn ("outer.zip!inner.zip!x.txt").  The archive is an input
 * of its own, whose errors and skips say what of it was not read.
 *
 * Text entries stream through the same decoder as files (text.c reads
 * them through entry_read); binary entries and nested archives are held
 * in memory whole.  An entry cannot seek, so an importer that reads a
 * text twice (kbf_text_rewind) gets the archive opened again and walked
 * to the same entry (entry_rewind): it costs reading the archive up to
 * there a second time, where keeping the decoded text would cost memory
 * in proportion to the entry.  Printing evidence does the same: the
 * records an entry's facts cite are read back through
 * kbf_archive_entry_open(), which walks each level to the entry again (a
 * nested archive held in memory).
 *
 * The walk is bounded (struct kbf_archive_limits); a bound reached ends
 * it, with the limit named in the error of every archive it was inside.
 * Entries are recognised by content, never by name; names are only names
 * (nothing touches the disk), with control characters shown as '?'.
 * docs/evidence-formats.md "Archives" describes all of this for users.
 */
#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include <archive.h>
#include <archive_entry.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include "archive_lib.h" /* libarchive's functions, loaded on first use */
#endif
#include "read.h"
#include "readfd.h"
#include "utf8.h"
#include "xalloc.h"

/* Defaults:
 * - expanded: the largest evidence support sees is event logs of a few
 *   GiB; 16 GiB lets a bundle of several through, and stops a zip bomb
 *   (42.zip expands to petabytes) after a minute or two of reading.
 * - entries: collection scripts send tens to a few thousand files; each
 *   entry becomes an input of the report, so 100,000 is far above any
 *   real bundle and still a report one can hold.
 * - depth: real bundles nest once or twice (per-host zips in a zip, an
 *   .evtx.gz in a zip); nested bombs multiply by nesting (42.zip is five
 *   levels of zips), so four levels read every real case and cut those.
 * - held: binary entries are read from memory (libevtx, libarchive for a
 *   nested archive); 2 GiB is more than any event log support gets, and a
 *   larger file is better unpacked and given loose, where it is mapped. */
#define DEFAULT_LIMITS {.expanded = (uint64_t)16 << 30, .entries = 100000, .depth = 4, .held = (uint64_t)2 << 30}
const struct kbf_archive_limits kbf_archive_default_limits = DEFAULT_LIMITS;
static struct kbf_archive_limits limits = DEFAULT_LIMITS;

void kbf_archive_set_limits(const struct kbf_archive_limits *l)
{
	limits = l ? *l : kbf_archive_default_limits;
}

struct kbf_archive_limits kbf_archive_current_limits(void)
{
	return limits;
}

#define READ_BLOCK ((size_t)64 << 10) /* bytes read from the file at a time */
#define MAX_LEVELS 16                  /* archives in archives an entry is cited through */
#define PEEK KBF_ARCHIVE_PEEK          /* a file's first bytes sniff() looks at */
#define DRAIN_BLOCK ((size_t)64 << 10)

/* ---- recognising archives ---------------------------------------------------- */

enum kind { ARCHIVE, COMPRESSED };

static const struct magic {
	const char *bytes;
	size_t len, at;
	enum kind kind;
	const char *format; /* until libarchive says more */
} magics[] = {
	{"PK\3\4", 4, 0, ARCHIVE, "zip"},            /* a local file header */
	{"PK\5\6", 4, 0, ARCHIVE, "zip"},            /* the end record of an empty one */
	{"PK\7\10PK\3\4", 8, 0, ARCHIVE, "zip"},     /* a one-part "split" archive */
	{"MSCF\0\0\0\0", 8, 0, ARCHIVE, "cab"},      /* signature, reserved field */
	{"7z\xBC\xAF\x27\x1C", 6, 0, ARCHIVE, "7z"},
	{"ustar", 5, 257, ARCHIVE, "tar"},         /* POSIX ustar, pax, GNU */
	{"\x1F\x8B\x08", 3, 0, COMPRESSED, "gzip"}, /* deflate; then flags (checked below) */
	{"\xFD" "7zXZ\0", 6, 0, COMPRESSED, "xz"},
	{"BZh", 3, 0, COMPRESSED, "bzip2"},        /* then more (below) */
};

/* What follows the first bytes of a gzip or bzip2 stream, so that text
 * starting "BZh" is not taken for one. */
static bool magic_goes_on(const struct magic *m, const unsigned char *p, size_t n)
{
	if (m->bytes[0] == '\x1F')
		return n > 3 && (p[3] & 0xE0) == 0; /* reserved flags clear */
	if (m->bytes[0] == 'B') /* block size '1'..'9', then a block's or the end's magic */
		return n >= 10 && p[3] >= '1' && p[3] <= '9' &&
		       (memcmp(p + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ||
			memcmp(p + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0);
	return true;
}

static const struct magic *sniff(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];
		if (n >= m->at + m->len && memcmp(p + m->at, m->bytes, m->len) == 0 && magic_goes_on(m, p, n))
			return m;
	}
	return NULL;
}

bool kbf_archive_sniff(const unsigned char *p, size_t n)
{
	return sniff(p, n) != NULL;
}

const char *kbf_size_text(char *buf, size_t n, uint64_t v)
{
	static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024 && v % 1024 == 0)
		v /= 1024, u++;
	snprintf(buf, n, "%" PRIu64 " %s", v, units[u]);
	return buf;
}

#ifdef KBDIAG_WITHOUT_LOADED_LIBS
/* kbdiag.exe has no libarchive (core/dynlib.h): an archive is an input
 * said not read, and nothing in one is ever cited. */
static int without(struct kb_engine *eng, const char *shown, struct kbf_inputs *inputs)
{
	kbf_input_without(kbf_inputs_add(inputs, eng, shown), "libarchive");
	return 1;
}

int kbf_archive_read_fd(struct kb_engine *eng, int fd, uint64_t size, const char *shown, struct kbf_inputs *inputs)
{
	unsigned char peek[PEEK];
	ssize_t n = kbu_pread_full(fd, peek, sizeof(peek), 0);
	return n > 0 && sniff(peek, (size_t)n) ? without(eng, shown, inputs) : -1;
}

int kbf_archive_read_mem(struct kb_engine *eng, const unsigned char *mem, uint64_t size, const char *shown,
			 struct kbf_inputs *inputs)
{
	return sniff(mem, size < PEEK ? (size_t)size : PEEK) ? without(eng, shown, inputs) : -1;
}

struct kbf_archive_entry *kbf_archive_entry_open(int fd, const char *shown, const long *entries, size_t n,
						 char *why, size_t whylen)
{
	snprintf(why, whylen, "kbdiag.exe is built without libarchive");
	return NULL;
}

ssize_t kbf_archive_entry_read(struct kbf_archive_entry *e, void *buf, size_t n)
{
	return -1;
}

void kbf_archive_entry_close(struct kbf_archive_entry *e)
{
}
#else

/* ---- the walk ---------------------------------------------------------------- */

/* One top-level archive's walk, nested archives included. */
struct walk {
	struct kb_engine *eng;
	struct kbf_inputs *inputs;
	struct kbf_cite_fd *held;   /* the file, for cites (a reference of the walk's); NULL: none */
	struct kbf_archive_limits lim;
	uint64_t expanded, entries; /* so far, all levels */
	char *stop;                 /* a limit was reached: why (every level ends) */
	struct level *root;         /* the file: its reading is the walk's progress */
	unsigned char *scratch;     /* DRAIN_BLOCK bytes for data nobody reads */
};

/* One archive being walked. */
struct level {
	struct walk *w;
	struct archive *a;
	const struct magic *magic;  /* what its first bytes said */
	const char *shown;          /* its name in reports */
	size_t in;                  /* its input's index (inputs move as they grow) */
	unsigned depth;             /* 1: the file itself */
	const struct level *up;     /* the archive it is an entry of; NULL: the file */
	long at;                    /* which entry of it (header index) */
	long index;                 /* headers read */
	/* Where its bytes come from, to open it again: a file, or memory. */
	int fd;
	uint64_t size, off;
	unsigned char *buf;         /* READ_BLOCK bytes read from the file */
	const unsigned char *mem;
	char why[256];              /* why it could not be opened */
};

/* The entry being read. */
struct entry {
	struct level *lv;
	long index;                 /* its header's place in the archive */
	char *name;                 /* as shown */
	uint64_t pos, counted;      /* bytes handed out; of those, counted in w->expanded */
	unsigned char peek[PEEK];
	size_t npeek, peek_at;      /* peek[peek_at..npeek) not handed out yet */
	const unsigned char *blk;   /* libarchive's block being handed out: */
	size_t blk_len;             /* its bytes left, */
	uint64_t hole, end;         /* after this many zeros; the entry's offset after the block */
	bool eof;                   /* libarchive said the data ends */
	bool told;                  /* a failed read is in the entry's own input */
	int status;                 /* of a read that failed (ARCHIVE_FATAL ends the archive) */
	char why[256];              /* its message */
};

static struct kbf_input *level_input(struct level *lv)
{
	return &lv->w->inputs->v[lv->in];
}

static char *joined(const char *outer, const char *name)
{
	size_t n = strlen(outer) + strlen(name) + 2;
	char *s = kbu_malloc(n);
	snprintf(s, n, "%s!%s", outer, name);
	return s;
}

/* A limit was reached at shown: the walk ends, every archive saying so. */
static void limit_reached(struct walk *w, const char *shown, const char *what, uint64_t limit)
{
	if (w->stop)
		return;
	char sz[32], msg[1024];
	if (strcmp(what, "entries") == 0)
		snprintf(sz, sizeof(sz), "%" PRIu64, limit);
	else
		kbf_size_text(sz, sizeof(sz), limit);
	snprintf(msg, sizeof(msg), "read up to %s, where the walk reached its limit of %s %s; the rest is not read",
		 shown, sz, what);
	w->stop = kbu_strdup(msg);
}

/* ---- an archive's bytes ------------------------------------------------------- */

static la_ssize_t file_read(struct archive *a, void *ud, const void **out)
{
	struct level *lv = ud;
	ssize_t got = kbu_pread_full(lv->fd, lv->buf, READ_BLOCK, (off_t)lv->off);
	if (got < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	lv->off += (uint64_t)got;
	*out = lv->buf;
	return got;
}

static la_int64_t file_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct level *lv = ud;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)lv->off : (int64_t)lv->size;
	if (off > INT64_MAX - base || base + off < 0)
		return ARCHIVE_FATAL;
	lv->off = (uint64_t)(base + off);
	return (la_int64_t)lv->off;
}

/* Opens lv from its first byte.  -2 when libarchive cannot (lv->why says
 * why); -1 when it is no archive after all (it is read as a file
 * instead): a text with "ustar" where a tar has it, bytes that a
 * compression filter refuses. */
static int level_open(struct level *lv)
{
	struct archive *a = lv->a = archive_read_new();
	if (lv->magic->kind == ARCHIVE) {
		archive_read_support_format_zip(a); /* by its central directory, else by local headers */
		/* names without the UTF-8 flag are in the DOS code page, as
		 * APPNOTE says and Explorer writes them (4.4.4, appendix D) */
		archive_read_set_format_option(a, "zip", "hdrcharset", "CP437");
		archive_read_support_format_cab(a);
		archive_read_support_format_7zip(a);
		archive_read_support_format_tar(a);
	} else {
		/* A compressed stream holds a tar or a single file; "raw" takes
		 * any bytes, so it is only offered over a real filter (below). */
		archive_read_support_filter_gzip(a);
		archive_read_support_filter_xz(a);
		archive_read_support_filter_bzip2(a);
		archive_read_support_format_tar(a);
		archive_read_support_format_raw(a);
	}
	int r;
	if (lv->fd >= 0) {
		lv->off = 0;
		archive_read_set_read_callback(a, file_read);
		archive_read_set_seek_callback(a, file_seek);
		archive_read_set_callback_data(a, lv);
		r = archive_read_open1(a);
	} else {
		r = archive_read_open_memory(a, lv->mem, (size_t)lv->size);
	}
	int rc = 0;
	if (r < ARCHIVE_WARN && strcmp(lv->magic->format, "tar") != 0) {
		snprintf(lv->why, sizeof(lv->why), "%s", archive_error_string(a) ? archive_error_string(a) : "unreadable");
		rc = -2;
	} else if (r < ARCHIVE_WARN || (lv->magic->kind == COMPRESSED && archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE)) {
		rc = -1;
	}
	if (rc < 0) {
		archive_read_free(a);
		lv->a = NULL;
	}
	return rc;
}

/* The format reports show: "zip", "tar.gz", "gzip" (one compressed file). */
static const char *format_name(struct level *lv)
{
	struct archive *a = lv->a;
	int filter = archive_filter_code(a, 0);
	int gz = filter == ARCHIVE_FILTER_GZIP, xz = filter == ARCHIVE_FILTER_XZ, bz = filter == ARCHIVE_FILTER_BZIP2;
	switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_ZIP:
		return "zip";
	case ARCHIVE_FORMAT_CAB:
		return "cab";
	case ARCHIVE_FORMAT_7ZIP:
		return "7z";
	case ARCHIVE_FORMAT_TAR:
		return gz ? "tar.gz" : xz ? "tar.xz" : bz ? "tar.bz2" : "tar";
	case ARCHIVE_FORMAT_RAW:
		return gz ? "gzip" : xz ? "xz" : bz ? "bzip2" : lv->magic->format;
	default: /* not known before the first entry */
		return lv->magic->format;
	}
}

/* ---- an entry's bytes ---------------------------------------------------------- */

/* The entry's next block of data from libarchive (e->blk, after e->hole
 * bytes of a sparse file's hole): 1, or 0 at its end, -1 when libarchive
 * fails (e->status, e->why).  Blocks rather than archive_read_data(),
 * which drops the bytes it had read when a read fails: a bad checksum at
 * an entry's end would lose the whole of a small entry. */
static int entry_block(struct entry *e)
{
	struct archive *a = e->lv->a;
	for (;;) {
		const void *p;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(a, &p, &len, &off);
		if (r == ARCHIVE_EOF) {
			e->eof = true;
			return 0;
		}
		if (r != ARCHIVE_OK || off < 0 || (uint64_t)off < e->end) {
			e->status = r != ARCHIVE_OK ? r : ARCHIVE_FATAL;
			snprintf(e->why, sizeof(e->why), "%s",
				 r != ARCHIVE_OK && archive_error_string(a) ? archive_error_string(a) : "unreadable data");
			return -1;
		}
		e->hole = (uint64_t)off - e->end;
		e->blk = p;
		e->blk_len = len;
		e->end = (uint64_t)off + len;
		if (len || e->hole)
			return 1;
	}
}

/* Up to n bytes of the entry's data, within the walk's budget of
 * expanded bytes: 0 at its end or when the budget is spent (w->stop says
 * which), -1 with errno set when libarchive fails (e->status, e->why). */
static ssize_t entry_pull(struct entry *e, void *buf, size_t n)
{
	struct walk *w = e->lv->w;
	if (!e->status && !e->eof && !w->stop && !e->hole && !e->blk_len)
		entry_block(e);
	if (e->status) {
		errno = EIO;
		return -1;
	}
	if (e->eof || w->stop)
		return 0;
	uint64_t left = e->counted + (w->lim.expanded - w->expanded) - e->pos;
	if (left == 0) { /* spent, and the entry goes on */
		char *shown = joined(e->lv->shown, e->name);
		limit_reached(w, shown, "expanded", w->lim.expanded);
		free(shown);
		return 0;
	}
	size_t k = n < left ? n : (size_t)left;
	if (e->hole) {
		k = k < e->hole ? k : (size_t)e->hole;
		memset(buf, 0, k);
		e->hole -= k;
	} else {
		k = k < e->blk_len ? k : e->blk_len;
		memcpy(buf, e->blk, k);
		e->blk += k;
		e->blk_len -= k;
	}
	e->pos += k;
	if (e->pos > e->counted) {
		w->expanded += e->pos - e->counted;
		e->counted = e->pos;
	}
	return (ssize_t)k;
}

/* text.c's read callback: the bytes peeked at, then the rest. */
static ssize_t entry_read(void *ud, void *buf, size_t n)
{
	struct entry *e = ud;
	if (e->peek_at < e->npeek) {
		size_t k = e->npeek - e->peek_at < n ? e->npeek - e->peek_at : n;
		memcpy(buf, e->peek + e->peek_at, k);
		e->peek_at += k;
		return (ssize_t)k;
	}
	return entry_pull(e, buf, n);
}

static void entry_peek(struct entry *e)
{
	ssize_t got;
	while (e->npeek < sizeof(e->peek) && (got = entry_pull(e, e->peek + e->npeek, sizeof(e->peek) - e->npeek)) > 0)
		e->npeek += (size_t)got;
}

/* Whether data is left after what was read (one more byte is read). */
static bool entry_goes_on(struct entry *e)
{
	unsigned char c;
	return e->peek_at < e->npeek || entry_pull(e, &c, 1) > 0;
}

static void entry_drain(struct entry *e)
{
	e->peek_at = e->npeek;
	while (entry_pull(e, e->lv->w->scratch, DRAIN_BLOCK) > 0)
		;
}

/* A file that is only compressed has one entry, which libarchive calls
 * "data" unless a gzip header names it: the file's own name without its
 * ".gz", ".xz" or ".bz2" says more. */
static const char *compressed_name(struct level *lv, char *buf, size_t n)
{
	static const char *suffixes[] = {".gz", ".xz", ".bz2"};
	const char *base = lv->shown, *p;
	for (p = base; *p; p++)
		if (*p == '/' || *p == '!')
			base = p + 1;
	size_t len = strlen(base);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && strcmp(base + len - sl, suffixes[i]) == 0) {
			snprintf(buf, n, "%.*s", (int)(len - sl), base);
			return buf;
		}
	}
	return "data";
}

/* The entry's name as reports show it (owned). */
static char *entry_name(struct level *lv, struct archive_entry *ae)
{
	char buf[256];
	const char *s = archive_entry_pathname_utf8(ae);
	if (!s)
		s = archive_entry_pathname(ae);
	if (!s || !*s)
		s = "(no name)";
	if ((archive_format(lv->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW && strcmp(s, "data") == 0)
		s = compressed_name(lv, buf, sizeof(buf));
	size_t n;
	char *name = kbu_utf8_fix(s, strlen(s), &n);
	if (!name)
		name = kbu_strdup(s);
	char *to = name; /* control characters, C0, DEL and C1 (U+0080..U+009F), become '?' */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		bool c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
		*to++ = *p < 0x20 || *p == 0x7F || c1 ? '?' : (char)*p;
		p += c1;
	}
	*to = '\0';
	return name;
}

/* text.c's rewind: the archive opened again and walked to the entry.  Its
 * bytes were counted the first time; only what goes further counts. */
static int entry_rewind(void *ud)
{
	struct entry *e = ud;
	struct level *lv = e->lv;
	struct archive_entry *ae = NULL;
	archive_read_free(lv->a);
	if (level_open(lv) < 0)
		goto fail;
	for (long i = 0; i <= e->index; i++)
		if (archive_read_next_header(lv->a, &ae) < ARCHIVE_WARN)
			goto fail;
	char *name = entry_name(lv, ae);
	bool same = strcmp(name, e->name) == 0;
	free(name);
	if (!same)
		goto fail;
	e->pos = e->hole = e->end = 0;
	e->blk_len = 0;
	e->npeek = e->peek_at = 0;
	e->eof = false;
	e->status = 0; /* a failure the first time comes again at its place */
	return 0;
fail:
	if (!lv->a)
		lv->a = archive_read_new(); /* in a fatal state: the walk ends at the next header */
	e->status = ARCHIVE_FATAL;
	snprintf(e->why, sizeof(e->why), "cannot open the archive again to read the entry a second time");
	errno = EIO;
	return -1;
}

/* ---- entries ------------------------------------------------------------------- */

static int level_read(struct level *lv);

/* The walk's progress is the file's: how far into it libarchive is. */
struct watch {
	struct walk *w;
	const struct kbf_input *in;
};

static void watched(void *ud, uint64_t entry_done, uint64_t entry_size)
{
	struct watch *wt = ud;
	struct level *root = wt->w->root;
	/* done == size would say the input is read through (the zip reader
	 * reads the end of the file first) */
	uint64_t at = root->off < root->size ? root->off : root->size ? root->size - 1 : 0;
	wt->w->inputs->progress(wt->w->inputs->progress_ud, wt->in, at, root->size);
}

/* An entry's text (opened) read as a file of a bundle is: an input of its
 * own.  e is NULL for bytes held in memory. */
static void entry_import(struct level *lv, struct entry *e, const char *shown, struct kbf_text *t)
{
	struct walk *w = lv->w;
	struct kbf_input *in = kbf_inputs_add(w->inputs, w->eng, shown);
	if (e && w->held && lv->depth <= MAX_LEVELS) { /* where to find it again: each level's entry */
		long at[MAX_LEVELS];
		at[lv->depth - 1] = e->index;
		for (const struct level *l = lv; l->up; l = l->up)
			at[l->depth - 2] = l->at;
		in->cite = kbf_cite_file_new(w->held, at, lv->depth, shown);
	}
	struct watch wt = {w, in};
	if (w->inputs->progress) {
		t->progress = watched;
		t->progress_ud = &wt;
	}
	kbf_read_text(in, t);
	uint64_t had = e ? e->pos : 0;
	if (e && (t->complete || !t->utf8) && !e->status && !w->stop && entry_goes_on(e))
		kbf_input_skip(in, 0, "longer than the archive's header says: only its first %" PRIu64 " bytes are read",
			       had);
	if (e && e->status) {
		kbf_input_error(in, 0, "reading stopped: %s", e->why);
		e->told = true;
	}
	if (w->inputs->progress)
		w->inputs->progress(w->inputs->progress_ud, in, w->root->size, w->root->size);
}

/* The size the entry's header gives; 0 when it gives none. */
static uint64_t entry_declared(struct archive_entry *ae)
{
	return archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
}

/* Bytes the entry may hold, as far as its header and the budget say. */
static uint64_t entry_bound(struct entry *e, struct archive_entry *ae)
{
	struct walk *w = e->lv->w;
	uint64_t left = w->lim.expanded - w->expanded + 1; /* one more: going past it is seen */
	if (archive_entry_size_is_set(ae) && entry_declared(ae) < left)
		return entry_declared(ae);
	return left;
}

static void too_big_to_hold(struct entry *e)
{
	char sz[32];
	kbf_input_skip(level_input(e->lv), 0,
		       "%s: a binary file larger than the %s kbdiag holds in memory: not read (unpack the archive "
		       "and give kbdiag the file)",
		       e->name, kbf_size_text(sz, sizeof(sz), e->lv->w->lim.held));
}

/* A regular entry that is no archive, streamed through text.c. */
static void read_as_file(struct entry *e, struct archive_entry *ae, const char *shown)
{
	struct walk *w = e->lv->w;
	uint64_t declared = entry_declared(ae);
	struct kbf_text_stream s = {entry_read, entry_rewind, e, declared > w->lim.held ? 0 : w->lim.held};
	struct kbf_text t;
	if (kbf_text_open_stream(&t, &s, entry_bound(e, ae)) < 0)
		return; /* e->status says why */
	if (!t.utf8 && (declared > w->lim.held || e->pos > w->lim.held || (t.rawlen == w->lim.held && entry_goes_on(e))))
		too_big_to_hold(e);
	else
		entry_import(e->lv, e, shown, &t);
	kbf_text_free(&t);
}

/* An entry's bytes, whole, up to the hold limit: NULL when they are more
 * (said on the archive) or cannot be read. */
static unsigned char *hold_entry(struct entry *e, struct archive_entry *ae, size_t *len)
{
	struct walk *w = e->lv->w;
	uint64_t declared = entry_declared(ae);
	if (declared > w->lim.held) {
		too_big_to_hold(e);
		return NULL;
	}
	/* as big as the header says, else growing: past the header's size
	 * (which may lie) by a byte, to see whether more comes */
	size_t cap = declared > e->npeek ? (size_t)declared : e->npeek + READ_BLOCK, n = e->npeek;
	unsigned char *p = kbu_malloc(cap);
	memcpy(p, e->peek, n);
	e->peek_at = e->npeek;
	for (;;) {
		if (n == cap && cap >= w->lim.held) {
			if (!entry_goes_on(e))
				break;
			too_big_to_hold(e);
			goto fail;
		}
		if (n == cap) {
			uint64_t more = n == declared ? (uint64_t)cap + 1 : (uint64_t)cap * 2;
			cap = (size_t)(more < w->lim.held ? more : w->lim.held);
			p = kbu_realloc(p, cap, 1);
		}
		ssize_t got = entry_pull(e, p + n, cap - n);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (e->status)
		goto fail;
	*len = n;
	return p;
fail:
	free(p);
	return NULL;
}

/* A regular entry whose first bytes are an archive's: walked in turn, or,
 * when libarchive does not take it, read as a file from memory. */
static void read_nested(struct entry *e, struct archive_entry *ae, const char *shown, const struct magic *magic)
{
	struct level *lv = e->lv;
	if (lv->depth >= lv->w->lim.depth) {
		kbf_input_skip(level_input(lv), 0, "%s: an archive %u deep: not opened (the limit is %u)", e->name,
			       lv->depth + 1, lv->w->lim.depth);
		return;
	}
	size_t len;
	unsigned char *bytes = hold_entry(e, ae, &len);
	if (!bytes)
		return;
	struct level sub = {.w = lv->w, .magic = magic, .shown = shown, .depth = lv->depth + 1, .up = lv,
			    .at = e->index, .fd = -1, .size = len, .mem = bytes};
	if (level_read(&sub) < 0) {
		struct kbf_text t;
		kbf_text_decode(&t, bytes, len);
		entry_import(lv, NULL, shown, &t);
		kbf_text_free(&t);
	}
	free(bytes);
}

static void read_regular(struct entry *e, struct archive_entry *ae)
{
	entry_peek(e);
	if (e->lv->w->stop || (e->status && e->npeek == 0))
		return; /* else what came before the failure is read */
	char *shown = joined(e->lv->shown, e->name);
	const struct magic *magic = sniff(e->peek, e->npeek);
	if (magic)
		read_nested(e, ae, shown, magic);
	else
		read_as_file(e, ae, shown);
	free(shown);
}

static const char *file_type(mode_t type)
{
	return type == AE_IFCHR ? "a character device" : type == AE_IFBLK ? "a block device"
	     : type == AE_IFIFO ? "a FIFO" : type == AE_IFSOCK ? "a socket" : "not a regular file";
}

/* One entry: read, or listed on the archive as left out and why.  Its
 * data is read to the end either way (counted), except an encrypted
 * entry's, which cannot be. */
static void walk_entry(struct level *lv, struct archive_entry *ae)
{
	struct entry e = {.lv = lv, .index = lv->index - 1, .name = entry_name(lv, ae)};
	mode_t type = archive_entry_filetype(ae);
	bool encrypted = archive_entry_is_encrypted(ae);
	if (encrypted) {
		kbf_input_skip(level_input(lv), 0, "%s: encrypted: not read", e.name);
		archive_read_data_skip(lv->a);
	} else if (archive_entry_hardlink(ae)) {
		kbf_input_skip(level_input(lv), 0, "%s: a hard link to %s: not followed", e.name,
			       archive_entry_hardlink(ae));
	} else if (type == AE_IFLNK) {
		const char *to = archive_entry_symlink(ae);
		kbf_input_skip(level_input(lv), 0, "%s: a symbolic link to %s: not followed", e.name, to ? to : "?");
	} else if (type == AE_IFREG) {
		read_regular(&e, ae);
	} else if (type != AE_IFDIR) {
		kbf_input_skip(level_input(lv), 0, "%s: %s: not read", e.name, file_type(type));
	}
	if (!encrypted)
		entry_drain(&e);
	if (e.status == ARCHIVE_FATAL)
		kbf_input_error(level_input(lv), 0, "%s: %s; the entries after it are not read", e.name, e.why);
	else if (e.status && !e.told)
		kbf_input_skip(level_input(lv), 0, "%s: cannot be read: %s", e.name, e.why);
	free(e.name);
}

/* Reads lv's headers until its end, an error it cannot pass, or a limit. */
static void walk_level(struct level *lv)
{
	struct walk *w = lv->w;
	struct archive_entry *ae;
	while (!w->stop && level_input(lv)->err.status == KB_OK) {
		int r = archive_read_next_header(lv->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		lv->index++;
		if (lv->index == 1)
			level_input(lv)->format = format_name(lv);
		if (++w->entries > w->lim.entries) {
			char *name = r < ARCHIVE_WARN ? NULL : entry_name(lv, ae);
			char *shown = joined(lv->shown, name ? name : "(an unreadable entry)");
			limit_reached(w, shown, "entries", w->lim.entries);
			free(shown);
			free(name);
			break;
		}
		if (r < ARCHIVE_WARN) {
			const char *why = archive_error_string(lv->a);
			if (r == ARCHIVE_FATAL) {
				kbf_input_error(level_input(lv), 0, "%s after %ld entries; the rest is not read",
						why ? why : "unreadable", lv->index - 1);
				break;
			}
			kbf_input_skip(level_input(lv), 0, "entry %ld: %s: not read", lv->index, why ? why : "unreadable");
			continue;
		}
		walk_entry(lv, ae);
	}
}

/* Opens lv and walks it as an input of its own; -1 (nothing added) when
 * libarchive does not take it. */
static int level_read(struct level *lv)
{
	int rc = level_open(lv);
	if (rc == -1)
		return -1;
	struct walk *w = lv->w;
	lv->in = w->inputs->n;
	struct kbf_input *in = kbf_inputs_add(w->inputs, w->eng, lv->shown);
	if (rc < 0) {
		in->format = lv->magic->format;
		kbf_input_error(in, 0, "cannot be read as %s: %s", lv->magic->format, lv->why);
		return 0;
	}
	in->format = format_name(lv);
	in->container = true;
	walk_level(lv);
	if (w->stop)
		kbf_input_error(level_input(lv), 0, "%s", w->stop);
	archive_read_free(lv->a);
	lv->a = NULL;
	return 0;
}

/* libarchive converts entry names to the current locale's character set;
 * in the C locale kbdiag runs in, a name that is not ASCII cannot be and
 * comes back NULL.  The walk runs with this thread's LC_CTYPE in
 * C.UTF-8 (byte classification is the same; kbdiag converts nothing by
 * locale). */
static locale_t utf8_names(void)
{
	static locale_t utf8;
	static bool tried; /* a system without C.UTF-8 is asked once, not at every walk */
	if (!tried) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		tried = true;
	}
	return utf8;
}

/* Walks the archive root (a file's or memory's, its magic known) and what
 * it holds. */
static int walk_root(struct kb_engine *eng, struct level *root, struct kbf_cite_fd *held, struct kbf_inputs *inputs)
{
	struct walk w = {.eng = eng, .inputs = inputs, .held = held, .lim = limits};
	root->w = &w;
	uint64_t size = root->size;
	w.root = root;
	w.scratch = kbu_malloc(DRAIN_BLOCK);
	size_t first = inputs->n;
	locale_t utf8 = utf8_names(), was = utf8 ? uselocale(utf8) : (locale_t)0;
	int rc = level_read(root);
	if (utf8)
		uselocale(was);
	if (rc == 0) {
		for (size_t i = first; i < inputs->n; i++)
			rc += inputs->v[i].err.status != KB_OK;
		if (inputs->progress)
			inputs->progress(inputs->progress_ud, &inputs->v[first], size, size);
	}
	free(w.scratch);
	free(w.stop);
	return rc;
}

int kbf_archive_read_fd(struct kb_engine *eng, int fd, uint64_t size, const char *shown, struct kbf_inputs *inputs)
{
	unsigned char peek[PEEK];
	ssize_t n = kbu_pread_full(fd, peek, sizeof(peek), 0);
	const struct magic *magic = n > 0 ? sniff(peek, (size_t)n) : NULL;
	if (!magic)
		return -1;
	struct level root = {.magic = magic, .shown = shown, .depth = 1, .fd = fd, .size = size,
			     .buf = kbu_malloc(READ_BLOCK)};
	/* one descriptor for all the entries' cites, released by the last */
	struct kbf_cite_fd *held = kbf_cite_fd_dup(fd);
	int rc = walk_root(eng, &root, held, inputs);
	kbf_cite_fd_release(held);
	free(root.buf);
	return rc;
}

int kbf_archive_read_mem(struct kb_engine *eng, const unsigned char *mem, uint64_t size, const char *shown,
			 struct kbf_inputs *inputs)
{
	const struct magic *magic = sniff(mem, size < PEEK ? (size_t)size : PEEK);
	if (!magic)
		return -1;
	struct level root = {.magic = magic, .shown = shown, .depth = 1, .fd = -1, .size = size, .mem = mem};
	return walk_root(eng, &root, NULL, inputs); /* a pipe's: it cannot be read again, texts are kept */
}

/* ---- an entry read again (for cites) --------------------------------------------- */

struct kbf_archive_entry {
	struct level lv[MAX_LEVELS]; /* lv[0] the file, lv[i] held in memory */
	size_t n;                    /* levels open */
	unsigned char *held[MAX_LEVELS];
};

/* Moves a to header index `at` (0-based). */
static bool to_header(struct archive *a, long at)
{
	struct archive_entry *ae;
	for (long i = 0; i <= at; i++)
		if (archive_read_next_header(a, &ae) < ARCHIVE_WARN)
			return false;
	return true;
}

/* The current entry's data, whole, up to the hold limit. */
static unsigned char *read_whole(struct archive *a, size_t *len)
{
	size_t cap = READ_BLOCK, n = 0;
	unsigned char *p = kbu_malloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap >= limits.held)
				break;
			cap = cap * 2 < limits.held ? cap * 2 : (size_t)limits.held;
			p = kbu_realloc(p, cap, 1);
		}
		la_ssize_t got = archive_read_data(a, p + n, cap - n);
		if (got < 0) {
			free(p);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*len = n;
	return p;
}

struct kbf_archive_entry *kbf_archive_entry_open(int fd, const char *shown, const long *entries, size_t n,
						 char *why, size_t whylen)
{
	struct kbf_archive_entry *x = kbu_calloc(1, sizeof(*x));
	struct level *lv = &x->lv[0];
	struct stat st;
	unsigned char peek[PEEK];
	ssize_t got;
	if (fstat(fd, &st) < 0 || (got = kbu_pread_full(fd, peek, sizeof(peek), 0)) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	*lv = (struct level){.magic = sniff(peek, (size_t)got), .shown = shown, .depth = 1, .fd = fd,
			     .size = (uint64_t)st.st_size, .buf = kbu_malloc(READ_BLOCK)};
	for (size_t i = 0; i < n && i < MAX_LEVELS; i++) {
		lv = &x->lv[i];
		if (!lv->magic || level_open(lv) < 0)
			break;
		x->n = i + 1;
		if (!to_header(lv->a, entries[i]))
			break;
		if (i + 1 == n)
			return x;
		size_t len;
		unsigned char *mem = x->held[i] = read_whole(lv->a, &len);
		if (!mem)
			break;
		x->lv[i + 1] = (struct level){.magic = sniff(mem, len), .shown = shown, .depth = lv->depth + 1, .fd = -1,
					      .size = len, .mem = mem};
	}
	snprintf(why, whylen, "the archive changed since it was read");
fail:
	kbf_archive_entry_close(x);
	return NULL;
}

ssize_t kbf_archive_entry_read(struct kbf_archive_entry *e, void *buf, size_t n)
{
	la_ssize_t got = archive_read_data(e->lv[e->n - 1].a, buf, n);
	return got < 0 ? -1 : (ssize_t)got;
}

void kbf_archive_entry_close(struct kbf_archive_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		archive_read_free(e->lv[i].a);
	for (size_t i = 0; i < MAX_LEVELS; i++)
		free(e->held[i]);
	free(e->lv[0].buf);
	free(e);
}

#endif /* KBDIAG_WITHOUT_LOADED_LIBS */
