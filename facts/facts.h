/*
 * facts.h — where facts come from: the stock schema, evidence importers
 * (files a customer sends, recognised by content), collectors (the live
 * host), and the snapshot format that carries facts between machines.
 *
 * Everything here writes into a struct kb_engine through kb_assert(), each
 * fact with its provenance: the input's path, the line and the raw text.
 * Bad input never loses what was already read: an importer records the
 * first error in its kbf_input and keeps the facts it asserted.
 */
#ifndef KBDIAG_FACTS_FACTS_H
#define KBDIAG_FACTS_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "kb.h"
#include "printf_like.h"

#define KBF_MAX_SLOTS 32  /* slots a snapshot's fact or kind may list */
#define KBF_FACT_SLOTS 64 /* slots of the widest kind a struct kbf_fact holds: a rule file declares at most 64 */

/* Declares the stock kinds (host, listener, process, ...). */
int kbf_schema_declare(struct kb_engine *eng, struct kb_error *err);

/* ---- inputs ------------------------------------------------------------- */

#define KBF_NAMES_BITS 8 /* room for every name one source uses, seldom two in a place */
#define KBF_NAMES (1u << KBF_NAMES_BITS)

#define KBF_FORMAT_UNRECOGNISED "unrecognised" /* an input's format until an importer knows it */

/* One input being read: a file, a collector, a snapshot. */
#define KBF_COMPUTERS 4

struct kbf_input {
	struct kb_engine *eng;
	char *path;             /* as shown in reports; owned */
	const char *format;     /* static string, KBF_FORMAT_UNRECOGNISED until known */
	size_t nfacts;          /* facts asserted (duplicates not counted) */
	size_t nread;           /* facts the source offered (kbf_fact_emit*) */
	size_t nskipped;        /* of those, facts the engine's pre-filter turned away
				 * (no rule could match them); the rest were kept */
	struct kb_error err;    /* first error; err.where is "path:line[:col]" */
	int err_line;           /* its line; 0: the input as a whole */
	/* Parts left out while the rest was read (kbf_input_skip): the first
	 * KBF_SKIPS_KEPT are listed, all are counted. */
	struct kbf_skip {
		int line;     /* 0: not a line (a record, an entry) */
		char *reason; /* owned */
	} *skips;
	size_t nskips_kept, nskips;
	const char *unavailable; /* a collector: why it could not run (static or interned) */
	struct kb_cite_file *cite; /* its file, for facts that cite it (core/cite.c); owned; NULL: none */
	bool container;         /* an archive: its entries are inputs of their own, it offers no facts */
	/* The computers its events name (their computer slot), each once, the
	 * first KBF_COMPUTERS; noted as each event is offered, before the
	 * pre-filter decides, so what is said of them does not depend on it. */
	char *computers[KBF_COMPUTERS]; /* owned */
	size_t ncomputers;
	/* The kind and slot names its facts were built with, and what they
	 * are (emit.c): a fact is built per record, and looking its names up
	 * each time would cost more than reading the record. */
	struct kbf_name {
		const char *name;
		int kind;  /* -1: name is a kind's */
		int index; /* the kind's or the slot's */
	} names[KBF_NAMES];
};

#define KBF_SKIPS_KEPT 32

/* Records an error at path:line (line 0: the file as a whole): reading
 * stopped there.  Returns -1. */
int kbf_input_error(struct kbf_input *in, int line, const char *fmt, ...)
	KBU_PRINTF_LIKE(3, 4);
/* The same, the arguments in ap. */
int kbf_input_verror(struct kbf_input *in, int line, const char *fmt, va_list ap)
	KBU_PRINTF_LIKE(3, 0);
/* Records that in needs a library this build lacks (kbdiag.exe has none
 * of those Linux loads on use: core/dynlib.h), lib named.  Returns -1. */
int kbf_input_without(struct kbf_input *in, const char *lib);
/* Records a part of the input left out (a malformed line, a record that
 * cannot be decoded) while reading goes on.  Returns 0. */
int kbf_input_skip(struct kbf_input *in, int line, const char *fmt, ...)
	KBU_PRINTF_LIKE(3, 4);
/* Frees the skips and computers recorded (the input's path is the
 * owner's to free). */
void kbf_input_free_notes(struct kbf_input *in);
/* Whether anything could be read from the input: its format was
 * recognised (or it is a collector that ran), it did not fail before
 * offering a fact, and it is not an archive (whose entries answer for
 * themselves). */
bool kbf_input_usable(const struct kbf_input *in);
/* Whether an importer knew the input's format. */
bool kbf_input_recognised(const struct kbf_input *in);

/* ---- decoded text ----------------------------------------------------------- */

struct kbf_line {
	const char *s; /* not NUL-terminated; no line end */
	size_t len;
	/* Lines of a decoded text: where the line is in the file's bytes,
	 * from its first byte to the end of its text (before the CRs and LF
	 * that end it).  Zero in a line an importer made up. */
	uint64_t off, end;
};

/* An evidence file: its text as UTF-8 split into lines (line i has number
 * i + 1), or, when binary, its bytes.  Decoding: a BOM (UTF-8, UTF-16LE,
 * UTF-16BE); UTF-16 without BOM when most odd (even) bytes are NUL; UTF-8
 * when the first mebibyte is, with a later byte that is not UTF-8 read as
 * Windows-1252; otherwise Windows-1252, or the OEM or other code page
 * core/codepage.c finds its first 64 KiB read as better (a console
 * redirect on localised Windows), or the one kbf_text_set_encoding() named.  CRLF, LF and CR-CR-LF all end
 * lines; NULs are dropped (U+FFFD after a UTF-8 BOM).
 *
 * A file is decoded as it is read (docs/architecture.md, "Reading
 * evidence"): utf8 and lines grow as a reader asks for more, and what a
 * reader has released is given back, so a file of any size costs the
 * memory of the records being read.  utf8 never moves: an offset into it
 * stays valid until released.  Text decoded from memory (kbf_text_decode)
 * is whole at once. */
struct kbf_text {
	const char *encoding;  /* "utf-8", "utf-16le", "utf-16be", "windows-1252", a code page
				* (core/codepage.c: "cp850", "cp866", "windows-1251",
				* "gbk", "cp932"), "binary" */
	/* A binary file's bytes.  For text only while importers probe it: the
	 * first bytes of the file (rawlen of them). */
	const unsigned char *raw;
	size_t rawlen;
	char *utf8;            /* NULL for binary files; NUL after utf8[len] */
	size_t len;            /* decoded so far */
	bool complete;         /* len is the whole text, lines all its lines */
	bool probing;          /* importers are probing: lines not decoded yet do not exist */
	struct kbf_line *lines; /* lines[i] is line line0 + i */
	size_t line0, nlines;
	/* Called after each piece read from a file: bytes read of size. */
	void (*progress)(void *ud, uint64_t done, uint64_t size);
	void *progress_ud;
	struct kbf_text_src *src; /* private: the file and the decoder */
};
/* Decodes raw (borrowed; must outlive t) whole. */
void kbf_text_decode(struct kbf_text *t, const unsigned char *raw, size_t len);
/* Starts reading the open file fd (borrowed; regular) of size bytes: the
 * first mebibyte is decoded, enough for importers to probe it.  Binary
 * files are mapped whole.  -1 with errno set when reading fails. */
int kbf_text_open(struct kbf_text *t, int fd, uint64_t size);
/* Bytes from a source that is no file (an archive's entry, a pipe): read
 * puts up to n bytes in buf and returns how many, 0 at the end, -1 with
 * errno set on failure; rewind starts again at the first byte (-1 with
 * errno set when it cannot; NULL: it never can, and the text keeps its
 * first 256 chunks, released or not, for a second reading). */
struct kbf_text_stream {
	ssize_t (*read)(void *ud, void *buf, size_t n);
	int (*rewind)(void *ud);
	void *ud;
	uint64_t hold; /* a binary stream is read whole into memory: at most this many bytes */
};
/* Starts reading s (copied; ud borrowed) of at most size bytes as
 * kbf_text_open reads a file, except that a binary stream is read whole
 * into memory (t->raw), up to size or s->hold bytes, whichever is less. */
int kbf_text_open_stream(struct kbf_text *t, const struct kbf_text_stream *s, uint64_t size);
/* Decodes the next piece of the file (64 KiB); false at its end (or on a read
 * error, recorded for kbf_text_error()). */
bool kbf_text_more(struct kbf_text *t);
/* Decodes to the end: the whole text and every line at once. */
void kbf_text_all(struct kbf_text *t);
/* Line ln (line number ln + 1), decoding as far as needed; NULL after the
 * last line.  ln must not be below t->line0. */
const struct kbf_line *kbf_text_line_slow(struct kbf_text *t, size_t ln);
static inline const struct kbf_line *kbf_text_line(struct kbf_text *t, size_t ln)
{
	return ln - t->line0 < t->nlines ? &t->lines[ln - t->line0] : kbf_text_line_slow(t, ln);
}
/* The reader is done with the lines before ln / the text before utf8[off]:
 * their memory may be given back. */
void kbf_text_release(struct kbf_text *t, size_t ln);
void kbf_text_release_bytes(struct kbf_text *t, size_t off);
/* Back to the first line, to read the file again (a stream is started
 * again through its rewind).  -1 with errno set when it cannot be read
 * again. */
int kbf_text_rewind(struct kbf_text *t);
/* Reads t again from its first byte, undecoded: utf8 and lines are then
 * the file's bytes as they are (NULs, bytes that are not UTF-8, CRs),
 * split at each LF, and encoding is "bytes"; raw is no longer set.  For
 * a format that mixes text and binary data (the journal export format),
 * whose reader must cite only records that are valid UTF-8 without NULs
 * (a cite reads its bytes back as UTF-8).  Only before any line is
 * released.  A binary file is read again as a stream; a binary stream,
 * held whole in memory, is taken from there at once.  -1 with errno set
 * when it cannot be read again (a pipe read past its first chunk). */
int kbf_text_as_bytes(struct kbf_text *t);
/* The file descriptor t is read from (borrowed), -1 for a stream or
 * memory: for a reader that hands the file to a library. */
int kbf_text_fd(const struct kbf_text *t);
/* errno of a read that failed after kbf_text_open(), else 0. */
int kbf_text_error(struct kbf_text *t);
void kbf_text_free(struct kbf_text *t);
/* Where decoded text is in the file: the file's bytes [off, end), decoded
 * alone by kbf_text_decode_as(), give a text that holds it skip bytes in. */
struct kbf_text_place {
	uint64_t off, end;
	size_t skip;
};
/* Where s[0..len), text of t not released, is in t's file: its own bytes
 * when they decoded to themselves (UTF-8, ASCII), else the lines that
 * hold it, or the 64 KiB steps decoding took around it inside a long
 * line (wevtutil writes a whole export on one).  false when it is not
 * t's text. */
bool kbf_text_place(const struct kbf_text *t, const char *s, size_t len, struct kbf_text_place *p);
/* Which decoder read t, by a name kbf_text_decode_as() takes: the
 * encoding, but "utf-8-bom" for UTF-8 after a BOM (a bad byte is then
 * U+FFFD, not Windows-1252).  Borrowed, valid as long as t; NULL for a
 * binary file. */
const char *kbf_text_decoder(const struct kbf_text *t);
/* Decodes p[0..n), bytes of a file decoder read from a place
 * kbf_text_place() gave, as reading the file did: the text there, CRs and
 * LFs included (malloc'd, NUL-terminated, *len bytes).  NULL when no
 * decoder has the name. */
char *kbf_text_decode_as(const char *decoder, const unsigned char *p, size_t n, size_t *len);
/* For tests and fuzzing: files opened after this are decoded n bytes at a
 * time (0: the first mebibyte, then 64 KiB), to put chunk ends everywhere. */
void kbf_text_set_chunk(size_t n);
/* --encoding NAME: text read after this that is neither UTF-16 nor UTF-8
 * is decoded from code page name (any name iconv knows: "cp850",
 * "cp1251", "gbk", "cp932" ...) instead of guessed; NULL: guess again.
 * false, nothing changed, when the name is unknown. */
bool kbf_text_set_encoding(const char *name);

/* ---- citing records (core/cite.c, core/recall.c) --------------------------------- */

/* A fact read from a file keeps no copy of its record's text: its
 * provenance cites the record's lines (struct kb_cite), and the text is
 * read back from the file when a report prints it, through a descriptor
 * kept open for it (never by name again: a link could lead elsewhere
 * since, docs/security.md).  One file's descriptor, shared by the cites
 * of its input or, for an archive, of all its entries: */
struct kbf_cite_fd {
	int fd;      /* a dup() of the descriptor the file was read through */
	size_t refs; /* the kb_cite_files (and the archive walk) holding it */
};
/* A dup() of fd to keep for cites, or NULL when KBF_CITE_FDS_MAX are
 * open already or dup() fails (EMFILE): then the file's records keep
 * their text, as they did before cites. */
#define KBF_CITE_FDS_MAX 256
struct kbf_cite_fd *kbf_cite_fd_dup(int fd);
void kbf_cite_fd_release(struct kbf_cite_fd *h); /* NULL is a no-op */
/* What reading back needs of the file: */
struct kb_cite_file {
	struct kbf_cite_fd *held; /* the file, or the outermost archive of an entry */
	long *entries;         /* an entry: its header's place in each archive, outermost first */
	size_t nentries;
	char *shown;           /* the input's name, as reports show it */
	char *decoder;         /* kbf_text_decoder() of its text; NULL: nothing decoded, no cite */
	struct kbf_text *text; /* while it is imported: the text records are cut from */
	size_t ncited;         /* cites made (kbf_cite_make); none: released after the import */
};
/* Takes a reference to held and copies the rest; NULL entries when n is 0. */
struct kb_cite_file *kbf_cite_file_new(struct kbf_cite_fd *held, const long *entries, size_t n, const char *shown);
void kbf_cite_file_free(struct kb_cite_file *f); /* NULL is a no-op */

/* How a record's text is made from the decoded bytes it was cut from. */
enum kbf_text_form {
	KBF_TEXT_AS_IS,
	KBF_TEXT_EVENT, /* without CRs, cut at KBF_EVENT_TEXT_MAX bytes on a character boundary */
};
#define KBF_EVENT_TEXT_MAX 4096
/* Appends form(s[0..len)) to out (a struct kbf_wtext_buf, core/wtext.h). */
struct kbf_wtext_buf;
void kbf_text_form(struct kbf_wtext_buf *out, enum kbf_text_form form, const char *s, size_t len);
/* The cite of the record whose text is form(s[0..len)), s[0..len) being
 * decoded text of in's file not yet released: false when in cites nothing
 * or s is not in its text (then the text is to be kept). */
bool kbf_cite_make(const struct kbf_input *in, const char *s, size_t len, enum kbf_text_form form,
		   struct kb_cite *out);
/* The hash a cite keeps of the decoded text its record is formed from. */
uint32_t kbf_cite_check(const char *s, size_t len);

/* Texts of cited records, read back: each file once, its cites in offset
 * order.  Add the facts whose text is wanted, read, then ask. */
struct kbf_recall;
struct kbf_recall *kbf_recall_new(void);
/* Wants f's text (ignored when f cites nothing). */
void kbf_recall_want(struct kbf_recall *r, const struct kb_fact *f);
void kbf_recall_read(struct kbf_recall *r);
/* The text of f's record, or what keeps it from being shown ("[not shown:
 * netstat.txt changed since it was read]"); f's own text when it cites
 * nothing; NULL when it has none or was not wanted.  Valid until
 * kbf_recall_free. */
const char *kbf_recall_text(const struct kbf_recall *r, const struct kb_fact *f);
void kbf_recall_free(struct kbf_recall *r); /* NULL is a no-op */

/* ---- building facts ------------------------------------------------------- */

/* A fact being built.  Its strings are not interned until it is emitted,
 * and then only if the engine's pre-filter keeps it (kb_prefilter_wants):
 * most lines of a large export match no rule, and interning them is most
 * of what they would cost. */
struct kbf_fact {
	struct kbf_input *in;
	int kind;
	size_t nslots;
	struct kb_value v[KBF_FACT_SLOTS]; /* a string: len[i] bytes at v[i].u.s */
	size_t len[KBF_FACT_SLOTS];
};

/* Starts a fact of a stock (or declared) kind; all slots unset.  Kind and
 * slot names here and in kbf_set_* are literals (they are remembered by
 * address); one that does not exist is a programming error and aborts. */
void kbf_fact_begin(struct kbf_fact *f, struct kbf_input *in, const char *kind);
/* The same for a kind found at run time (a snapshot's); false when it has
 * more slots than a fact can carry. */
bool kbf_fact_begin_kind(struct kbf_fact *f, struct kbf_input *in, int kind);
/* Borrows s: it must stay as it is until the fact is emitted (the decoded
 * text of the input, a literal, a buffer the emit comes before freeing). */
void kbf_set_str(struct kbf_fact *f, const char *slot, const char *s, size_t len);
void kbf_set_cstr(struct kbf_fact *f, const char *slot, const char *s);
/* For a string in a buffer that goes before the emit (a value made on the
 * stack, lower-cased or repaired in a copy): interned now, whether or not
 * the fact is kept.  Meant for short values that repeat (a level, a
 * version, a path), which cost nothing the second time. */
void kbf_set_str_copy(struct kbf_fact *f, const char *slot, const char *s, size_t len);
void kbf_set_int(struct kbf_fact *f, const char *slot, int64_t v);
void kbf_set_bool(struct kbf_fact *f, const char *slot, bool v);
/* Asks the engine's pre-filter about the fact and, if it is kept, interns
 * its strings and asserts it with provenance (in->path, line,
 * text[0..textlen)); text may be NULL, and is copied only for a fact that
 * is kept and whose text cannot be cited (kbf_cite_make).  Counts it in
 * in->nread (and in->nskipped when turned away).
 * Returns the fact, &kbf_fact_skipped when the pre-filter turned it away,
 * NULL on error (recorded in in->err). */
const struct kb_fact *kbf_fact_emit(struct kbf_fact *f, int line, const char *text, size_t textlen);
/* The same for a record whose text is form(s[0..len)) (an event's),
 * cited rather than kept when s is the input's decoded text. */
const struct kb_fact *kbf_fact_emit_record(struct kbf_fact *f, int line, const char *s, size_t len,
					   enum kbf_text_form form);
/* The same with source as its provenance instead of in->path (a host file
 * such as "/var/log/syslog" read by the collector); its text is kept,
 * never cited in in's file. */
const struct kb_fact *kbf_fact_emit_at(struct kbf_fact *f, const char *source, int line, const char *text,
				       size_t textlen);
/* The two steps of kbf_fact_emit_at, for a source with a slot that is
 * costly to fill: fill it before kbf_fact_wanted() when
 * kbf_fact_probe_reads() says the pre-filter looks at it, else only after
 * kbf_fact_wanted() said yes, then kbf_fact_keep_at().  kbf_fact_wanted()
 * counts the fact as kbf_fact_emit does. */
bool kbf_fact_probe_reads(struct kbf_fact *f, const char *slot);
bool kbf_fact_wanted(struct kbf_fact *f);
const struct kb_fact *kbf_fact_keep_at(struct kbf_fact *f, const char *source, int line, const char *text,
				       size_t textlen);
/* kbf_fact_keep_at for kbf_fact_emit_record's record. */
const struct kb_fact *kbf_fact_keep_record(struct kbf_fact *f, int line, const char *s, size_t len,
					 enum kbf_text_form form);
/* What kbf_fact_emit returns for a fact no rule could match: not an error,
 * and not a fact of the engine's (it has no kind, slots or id). */
extern const struct kb_fact kbf_fact_skipped;

/* ---- shared parsing helpers (core/parse.c) --------------------------------------- */

/* "6.0.8168.0", "6.00.8168.0", "5.2.3790.1830 (srv03_sp1_rtm.050324-1447)":
 * up to four numbers, missing ones 0.  false when it does not start with one. */
bool kbf_version_parse(const char *s, size_t len, unsigned v[4]);
/* Orders like the version: a.b.c.d -> a<<48 | b<<32 | c<<16 | d (each part
 * capped at 65535, the first at 32767). */
int64_t kbf_version_code(const unsigned v[4]);
/* An error code as Windows prints it: "0x2740", "10048", "-2147467259",
 * "0x800CCC92", or event data bytes "40 27 00 00" (little-endian DWORD).
 * false when s holds none of these. */
bool kbf_parse_error_code(const char *s, size_t len, int64_t *code);
/* "2024-01-05T12:00:01Z" (ISO 8601, UTC) for sec seconds since 1970 UTC;
 * out is empty and false returned for a time outside the years 0000-9999,
 * which ISO 8601's four-digit year cannot say. */
#define KBF_ISO_UTC_SIZE 32
bool kbf_iso_utc(int64_t sec, char out[KBF_ISO_UTC_SIZE]);
/* The prefix length of a netmask in network order (mask[0..n), 4 bytes
 * for IPv4, 16 for IPv6): its leading one bits; -1 when a one follows a
 * zero, which is no prefix. */
int kbf_netmask_prefix(const unsigned char *mask, size_t n);

/* ---- importers: evidence files ---------------------------------------------- */

/* How an importer reads its text (struct kbf_importer). */
enum kbf_reading {
	KBF_READ_WHOLE,        /* t is whole before import is called */
	KBF_READ_STREAM,       /* as a stream (kbf_text_line(), kbf_text_release()) */
	KBF_READ_STREAM_BYTES, /* as a stream of the file's bytes undecoded (kbf_text_as_bytes,
				* done before import is called) */
};

struct kbf_importer {
	const char *format; /* "netstat-ano", "tasklist-csv", ... */
	/* How sure it is that t is this format: 0 no, 100 unmistakable.  It
	 * sees the lines of the file's first mebibyte (t->probing). */
	int (*probe)(struct kbf_text *t);
	/* Asserts facts into in->eng.  On malformed input: records the error,
	 * keeps what was read, returns -1. */
	int (*import)(struct kbf_input *in, struct kbf_text *t);
	/* How import reads t. */
	enum kbf_reading reading;
};

/* NULL-terminated; core/registry.c holds the one list. */
extern const struct kbf_importer *const kbf_importers[];

/* The importer that recognises t best, or NULL. */
const struct kbf_importer *kbf_importer_for(struct kbf_text *t);

/* ---- collectors: the live host ---------------------------------------------- */

struct kbf_options {
	const char *const *logs; /* --log FILE ... */
	size_t nlogs;
	const char *root;        /* "" for the real host; a directory for tests */
};

/* Where a kind of fact comes from (evidence_sources.c): the evidence in
 * words, the formats (importer and collector names) that read it, and the
 * command that collects it.  Static; why-not says what to collect. */
struct kbf_evidence_source {
	const char *kind;
	const char *slot;             /* NULL: the kind as a whole */
	const char *platform;         /* "windows", "linux" */
	const char *what;             /* "winmsd, systeminfo or msinfo32 report" (no article) */
	const char *const *formats;   /* NULL-terminated */
	const char *collect;          /* "`winmsd /a` ... or `systeminfo` ..." */
};
/* Every row, ending with one whose kind is NULL. */
const struct kbf_evidence_source *kbf_evidence_sources(void);
/* The rows for kind (for its slot when a row names that slot, else the
 * kind's own), at most max of them into out; returns how many. */
size_t kbf_evidence_for(const char *kind, const char *slot, const struct kbf_evidence_source **out, size_t max);

struct kbf_collector {
	const char *name; /* "linux.sockets" */
	/* Gathers facts.  A source that cannot run sets in->unavailable and
	 * returns 0; a failure records in->err and returns -1. */
	int (*gather)(struct kbf_input *in, const struct kbf_options *opt);
	/* Optional, for a collector whose reading of the host is worth doing
	 * while the rules load (kbf_collect_ahead): gather in two halves.
	 * read() takes what emit() needs from the host into memory of its
	 * own, touching no engine, input or other shared state, so that it
	 * can run on another thread; emit() makes the facts of it, reports
	 * its errors and frees it (with drop(), which also frees what a run
	 * that ends before emitting read).  gather(in, opt) is
	 * emit(in, opt, read(opt)). */
	void *(*read)(const struct kbf_options *opt);
	int (*emit)(struct kbf_input *in, const struct kbf_options *opt, void *got);
	void (*drop)(void *got);
};

extern const struct kbf_collector *const kbf_collectors[];

struct kbf_inputs;
/* The collectors' read()s running on a thread of their own. */
struct kbf_collect_ahead;
/* Starts them, so that the host is read while the rules load; opt must
 * live until kbf_collect.  NULL when no thread could be started (the
 * collectors then read in line). */
struct kbf_collect_ahead *kbf_collect_ahead(const struct kbf_options *opt);
/* Waits for the reads and frees what they read: for a run that ends
 * before kbf_collect.  NULL is a no-op. */
void kbf_collect_ahead_free(struct kbf_collect_ahead *ahead);
/* Runs every collector, in kbf_collectors' order; with ahead (made with
 * the same opt), waits for its reads and takes them, and frees it.
 * Returns the number that failed. */
int kbf_collect(struct kb_engine *eng, const struct kbf_options *opt, struct kbf_collect_ahead *ahead,
		struct kbf_inputs *inputs);

/* ---- reading everything a command line names --------------------------------- */

struct kbf_inputs {
	struct kbf_input *v;
	size_t n, cap;
	/* Called as a file is read (after each piece): bytes read of its
	 * size.  NULL when nobody watches. */
	void (*progress)(void *ud, const struct kbf_input *in, uint64_t done, uint64_t size);
	void *progress_ud;
};

/* What a path holds, as far as telling one host's evidence from another's
 * needs (kbdiag diagnose: one host per bundle, cli/hosts.c): a folder, an
 * archive or a snapshot, each one host's, or some other file.  A symbolic
 * link is followed when follow says so (a path the user named), else it is
 * KBF_UNIT_LINK (an entry of a folder: links inside bundles are not). */
enum kbf_unit { KBF_UNIT_NONE, KBF_UNIT_FOLDER, KBF_UNIT_ARCHIVE, KBF_UNIT_SNAPSHOT, KBF_UNIT_FILE, KBF_UNIT_LINK };
enum kbf_unit kbf_path_unit(const char *path, bool follow);

/* Reads a snapshot, an evidence file, or every file under a directory
 * (sorted, recursively), each recognised by content.  Each file becomes one
 * entry of inputs (unrecognised ones too); an archive becomes one for
 * itself and one per file inside (core/archive.c).  Returns the number of
 * inputs with errors; the facts read are kept either way. */
int kbf_read_path(struct kb_engine *eng, const char *path, struct kbf_inputs *inputs);
struct kbf_input *kbf_inputs_add(struct kbf_inputs *inputs, struct kb_engine *eng, const char *path);
void kbf_inputs_free(struct kbf_inputs *inputs);

/* ---- snapshots (docs/snapshot-format.md) --------------------------------------- */

/* Writes every live fact whose origin is evidence, with provenance, and the
 * inputs they came from.  -1 with errno set on write failure. */
int kbf_snapshot_write(const struct kb_engine *eng, const struct kbf_inputs *inputs, FILE *out);

extern const struct kbf_importer kbf_snapshot_importer;
extern const struct kbf_importer kbf_win_netstat_an_importer;
extern const struct kbf_importer kbf_win_netstat_ano_importer;
extern const struct kbf_importer kbf_win_netstat_abno_importer;
extern const struct kbf_importer kbf_win_tasklist_importer;
extern const struct kbf_importer kbf_win_tasklist_csv_importer;
extern const struct kbf_importer kbf_win_systeminfo_importer;
extern const struct kbf_importer kbf_win_systeminfo_csv_importer;
extern const struct kbf_importer kbf_win_winmsd_importer;
extern const struct kbf_importer kbf_msinfo_nfo_importer;
extern const struct kbf_importer kbf_msinfo_text_importer;
extern const struct kbf_importer kbf_win_sc_importer;
extern const struct kbf_importer kbf_win_ipconfig_importer;
extern const struct kbf_importer kbf_win_wmic_qfe_importer;
extern const struct kbf_importer kbf_win_wmic_qfe_list_importer;
extern const struct kbf_importer kbf_win_wmic_qfe_csv_importer;
extern const struct kbf_importer kbf_reg_query_importer;
extern const struct kbf_importer kbf_reg_file_importer;
extern const struct kbf_importer kbf_reg_hive_importer;
extern const struct kbf_importer kbf_wevtutil_xml_importer;
extern const struct kbf_importer kbf_evtx_importer;
extern const struct kbf_importer kbf_evt_importer;
extern const struct kbf_importer kbf_eventlog_csv_importer;
extern const struct kbf_importer kbf_eventlog_text_importer;
extern const struct kbf_importer kbf_mail_error_importer;
extern const struct kbf_importer kbf_win_file_versions_importer;
extern const struct kbf_importer kbf_pe_version_importer;
extern const struct kbf_importer kbf_ps_table_importer;
extern const struct kbf_importer kbf_ps_list_importer;
extern const struct kbf_importer kbf_ps_csv_importer;
extern const struct kbf_importer kbf_ps_json_importer;
extern const struct kbf_importer kbf_procnet_importer;
extern const struct kbf_importer kbf_logfile_importer;
extern const struct kbf_importer kbf_journal_export_importer;
extern const struct kbf_importer kbf_journal_json_importer;
extern const struct kbf_importer kbf_journal_file_importer;
extern const struct kbf_importer kbf_osrelease_importer;
extern const struct kbf_importer kbf_dpkg_importer;
extern const struct kbf_collector kbf_linux_os_collector;
extern const struct kbf_collector kbf_linux_addresses_collector;
extern const struct kbf_collector kbf_linux_processes_collector;
extern const struct kbf_collector kbf_linux_sockets_collector;
extern const struct kbf_collector kbf_linux_services_collector;
extern const struct kbf_collector kbf_linux_packages_collector;
extern const struct kbf_collector kbf_linux_journal_collector;
extern const struct kbf_collector kbf_linux_logs_collector;
/* The live Windows host (windows/live; built only for Windows). */
extern const struct kbf_collector kbf_win_host_collector;      /* "windows.host": version, role, hotfixes */
extern const struct kbf_collector kbf_win_addresses_collector; /* "windows.addresses" */
extern const struct kbf_collector kbf_win_processes_collector; /* "windows.processes" */
extern const struct kbf_collector kbf_win_sockets_collector;   /* "windows.sockets" */
extern const struct kbf_collector kbf_win_services_collector;  /* "windows.services" */
extern const struct kbf_collector kbf_win_files_collector;     /* "windows.files" */
extern const struct kbf_collector kbf_win_events_collector;    /* "windows.events" */
extern const struct kbf_collector kbf_win_logs_collector;      /* "windows.logs": --log FILE (linux/logs.c) */

#endif
