/*
 * text.c — turning a customer's file into UTF-8 lines, as it is read.
 * Windows tools write UTF-16 (wevtutil, wmic and PowerShell redirected to
 * a file), the ANSI code page (Windows-1252 in the West), an OEM code
 * page from a console redirect (codepage.c guesses which) or UTF-8, with
 * CRLF line ends; netstat piped through some shells even ends lines in CR
 * CR LF.
 *
 * Files are decoded as they are read (the first mebibyte, which importers
 * probe, then 64 KiB at a time) into one reserved stretch of address space
 * three times the file's size (the most any decoding here can grow it), so
 * decoded text never moves and a record may span chunks; what readers
 * release is handed back to the kernel.
 *
 * A file is one source of bytes; an archive's entry is another
 * (kbf_text_open_stream): both are read through the same read callback
 * and decoded alike.  A binary file is mapped; a binary stream, which
 * cannot be, is read whole into memory up to the bound its owner sets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "codepage.h"
#include "core/wtext.h"
#include "facts.h"
#include "readfd.h"
#include "utf8.h"
#include "xalloc.h"

/* File bytes decoded first, which importers probe; tests make it small
 * (kbf_text_set_chunk) to put chunk ends everywhere. */
static size_t chunk = (size_t)1 << 20;
/* Bytes decoded at a time after the first chunk: few enough that the
 * reader finds them in the cache (a copy of a mebibyte bypasses it). */
#define STREAM_STEP ((size_t)64 << 10)
/* Decoded text lives in transparent huge pages where the kernel gives
 * them (a fault per 2 MiB rather than per 4 KiB); released text is handed
 * back a whole huge page at a time. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
/* Decoded text a source that cannot be read again (a pipe) keeps, in
 * first chunks (256 MiB), so that an importer that reads a text twice
 * (kbf_text_rewind) can; past this its text is released as any other's,
 * and a second reading fails. */
#define KEPT_UNREWINDABLE_CHUNKS 256
#define PAGE ((size_t)4096)

/* DEC_BYTES is no decoding: the file's bytes as they are (kbf_text_as_bytes). */
enum decoder { DEC_UTF8, DEC_UTF8_BOM, DEC_UTF16LE, DEC_UTF16BE, DEC_CP1252, DEC_CODEPAGE, DEC_BYTES };

enum held { HELD_NONE, HELD_FILE, HELD_MAPPED, HELD_HEAP };

/* Where a decoding step ended: utf8[at] was decoded from the file's bytes
 * at off, and decoding can start again there (no character is half
 * read).  same: the next step's text is the file's bytes themselves, so
 * any offset inside it is known in the file too. */
struct anchor {
	size_t at;
	uint64_t off;
	bool same;
};

struct kbf_text_src {
	struct kbf_text_stream in;   /* where bytes come from; in.read NULL: decoding memory */
	int fd;                      /* a file's: mapped whole when binary; else -1 */
	const unsigned char *mem;    /* memory: all of it */
	uint64_t size, pos;          /* bytes in all; bytes taken so far */
	size_t chunk;                /* bytes read at a time */
	unsigned char *buf;          /* a file's bytes being decoded: */
	size_t lead, nbuf;           /* buf[lead..lead + nbuf) are not decoded yet */
	size_t bom;
	enum decoder dec;
	struct kbf_codepage *cp;     /* DEC_CODEPAGE: another code page (codepage.c) */
	size_t cap;                  /* bytes reserved at utf8 */
	bool mapped;                 /* utf8 is an anonymous mapping */
	size_t released;             /* utf8 before this offset is handed back */
	size_t line_start;           /* the line being split: where it starts in utf8, */
	uint64_t line_off;           /* and in the file */
	uint64_t at;                 /* the file offset of the bytes being decoded */
	unsigned unit;               /* bytes of a CR or LF in the file: 2 in UTF-16 */
	bool changed;                /* the step being decoded put a byte that is not the file's */
	struct anchor *anchors;      /* the ends of steps not released, == abase + ahead */
	struct anchor *abase;
	size_t nanchors, ahead, acap;
	struct kbf_line *base;       /* lines[] == base + head */
	size_t head, lcap;
	void *binary;                /* a binary file or stream, whole: */
	size_t binary_cap;           /* bytes mapped or allocated there, */
	enum held held;              /* and how */
	int err;
};

/* Windows-1252 0x80..0x9F; the rest of the upper half is Latin-1.  Unused
 * positions map to U+FFFD.  (Table from the code page's public definition.) */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static uint32_t cp1252(unsigned char b)
{
	return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

/* ---- lines ------------------------------------------------------------------- */

/* The line utf8[start..end), whose bytes in the file end before fend;
 * the CRs that end it are no part of it, here or in the file. */
static void push_line(struct kbf_text *t, size_t start, size_t end, uint64_t fend)
{
	struct kbf_text_src *x = t->src;
	while (end > start && t->utf8[end - 1] == '\r') {
		end--;
		fend -= fend >= x->line_off + x->unit ? x->unit : 0;
	}
	if (x->head + t->nlines == x->lcap) {
		if (x->head && x->head >= t->nlines) { /* mostly released: move the live ones down */
			memmove(x->base, x->base + x->head, t->nlines * sizeof(*x->base));
			x->head = 0;
		} else {
			x->lcap = x->lcap ? x->lcap * 2 : 256;
			x->base = kbu_realloc(x->base, x->lcap, sizeof(*x->base));
		}
	}
	x->base[x->head + t->nlines] = (struct kbf_line){t->utf8 + start, end - start, x->line_off, fend};
	t->nlines++;
	t->lines = x->base + x->head;
}

/* A line end decoded at utf8[nl], from the file's bytes before next. */
static void line_end(struct kbf_text *t, size_t nl, uint64_t next)
{
	struct kbf_text_src *x = t->src;
	push_line(t, x->line_start, nl, next - x->unit);
	x->line_start = nl + 1;
	x->line_off = next;
}

/* ---- decoding ---------------------------------------------------------------- */

/* Bytes that decode to themselves, p[0..n), the file's from offset off. */
static void put_same(struct kbf_text *t, const unsigned char *p, size_t n, uint64_t off)
{
	size_t at = t->len;
	memcpy(t->utf8 + at, p, n);
	t->len += n;
	for (const char *s = t->utf8 + at, *end = t->utf8 + t->len; (s = memchr(s, '\n', (size_t)(end - s)));) {
		line_end(t, (size_t)(s - t->utf8), off + (uint64_t)(s - (t->utf8 + at)) + 1);
		s++;
	}
}

/* c, decoded from the file's bytes before next. */
static void put_char(struct kbf_text *t, uint32_t c, uint64_t next)
{
	t->src->changed = true;
	if (c == '\n') {
		t->utf8[t->len++] = '\n';
		line_end(t, t->len - 1, next);
	} else {
		t->len += kbu_utf8_put(t->utf8 + t->len, c);
	}
}

/* Whether none of the eight bytes of w is NUL or above 0x7F (the
 * zero-byte test of Mycroft's strlen, with the high bits added). */
static bool ascii8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	return !(((w - ones) | w) & highs);
}

/* Well-formed UTF-8 without NULs at the start of p[0..n). */
static size_t utf8_run(const unsigned char *p, size_t n)
{
	size_t i = 0, k;
	while (i < n) {
		uint64_t w;
		if (i + 8 <= n && (memcpy(&w, p + i, 8), ascii8(w))) {
			i += 8;
		} else if (p[i] - 1u < 0x7Fu) { /* 0x01..0x7F */
			i++;
		} else if (p[i] && (k = kbu_utf8_seq((const char *)p + i, n - i))) {
			i += k;
		} else {
			break;
		}
	}
	return i;
}

/* Whether p[0..n) could begin a sequence that more bytes would complete. */
static bool utf8_cut(const unsigned char *p, size_t n)
{
	size_t need = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
		    : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
	if (need <= n)
		return false;
	for (size_t i = 1; i < n; i++)
		if (!kbu_utf8_cont(p[i]))
			return false;
	return true;
}

/* Decodes p[0..n); returns the bytes taken, fewer than n only when the
 * rest starts a character that more bytes finish. */
static size_t decode_utf8(struct kbf_text *t, const unsigned char *p, size_t n, bool last)
{
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_run(p + i, n - i);
		put_same(t, p + i, k, t->src->at + i);
		i += k;
		if (i == n)
			break;
		if (!last && n - i < KBU_UTF8_MAX && utf8_cut(p + i, n - i))
			return i;
		/* after a BOM the file said UTF-8: a bad byte is U+FFFD; without
		 * one, UTF-8 was a guess from the start, and a stray byte later is
		 * more likely the ANSI code page */
		uint32_t c = t->src->dec == DEC_UTF8_BOM || !p[i] ? KBU_REPLACEMENT : cp1252(p[i]);
		put_char(t, c, 0); /* never a line end */
		i++;
	}
	return n;
}

static size_t decode_cp1252(struct kbf_text *t, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = i;
		while (k < n && p[k] - 1u < 0x7Fu)
			k++;
		put_same(t, p + i, k - i, t->src->at + i);
		t->src->changed |= k < n; /* a NUL dropped, or a byte above 0x7F */
		for (i = k; i < n && !(p[i] - 1u < 0x7Fu); i++)
			if (p[i]) /* stray NULs would cut C strings short */
				put_char(t, cp1252(p[i]), 0);
	}
	return n;
}

static size_t decode_utf16(struct kbf_text *t, const unsigned char *p, size_t n, bool last)
{
	bool le = t->src->dec == DEC_UTF16LE;
	size_t i = 0;
	while (i + 1 < n) {
		if (!last && n - i < 4 && kbu_utf16_high(le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1])))
			return i; /* its partner comes with the next chunk */
		uint32_t c;
		i += kbu_utf16_get(p + i, n - i, le, &c);
		if (c)
			put_char(t, c, t->src->at + i);
	}
	return last ? n : i; /* an odd last byte is no character */
}

/* A line at a time: in every code page read here a byte 0x0A is a line
 * feed and never part of another character, so where each line ends in
 * the file is known (iconv says nothing of where its output came from). */
static size_t decode_codepage(struct kbf_text *t, const unsigned char *p, size_t n, bool last)
{
	struct kbf_text_src *x = t->src;
	size_t i = 0;
	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		size_t seg = nl ? (size_t)(nl - p) + 1 - i : n - i, took, len;
		const char *s = kbf_codepage_decode(x->cp, p + i, seg, last || nl, &took, &len);
		x->changed = true; /* at least the line ends are known */
		size_t at = t->len;
		memcpy(t->utf8 + at, s, len);
		t->len += len;
		i += took;
		for (const char *c = t->utf8 + at, *end = t->utf8 + t->len; (c = memchr(c, '\n', (size_t)(end - c))); c++)
			line_end(t, (size_t)(c - t->utf8), x->at + i);
		if (took < seg)
			break; /* a character the next chunk finishes */
	}
	return i;
}

static size_t decode(struct kbf_text *t, const unsigned char *p, size_t n, bool last)
{
	switch (t->src->dec) {
	case DEC_UTF8:
	case DEC_UTF8_BOM:
		return decode_utf8(t, p, n, last);
	case DEC_CP1252:
		return decode_cp1252(t, p, n);
	case DEC_CODEPAGE:
		return decode_codepage(t, p, n, last);
	case DEC_BYTES:
		put_same(t, p, n, t->src->at);
		return n;
	default:
		return decode_utf16(t, p, n, last);
	}
}

/* ---- what the file is --------------------------------------------------------- */

/* UTF-16 without a BOM: NULs in most odd (LE) or even (BE) positions.
 * Text never starts with a U+0000 among its first eight units, binary
 * headers of small numbers do (a .evt log: 30 00 00 00 "LfLe"), and a
 * binary file of long UTF-16 strings has as many NULs in odd positions
 * as text. */
static int utf16_guess(const unsigned char *p, size_t n)
{
	size_t sample = n < 4096 ? n : 4096, odd = 0, even = 0;
	for (size_t i = 0; i + 1 < sample && i < 16; i += 2)
		if (p[i] == 0 && p[i + 1] == 0)
			return 0;
	for (size_t i = 0; i + 1 < sample; i += 2) {
		even += p[i] == 0;
		odd += p[i + 1] == 0;
	}
	size_t pairs = sample / 2;
	if (pairs >= 2 && odd * 10 >= pairs * 7 && even * 10 < pairs)
		return 1;
	if (pairs >= 2 && even * 10 >= pairs * 7 && odd * 10 < pairs)
		return 2;
	return 0;
}

/* Decides the encoding from the file's first bytes p[0..n); false: binary. */
static bool classify(struct kbf_text *t, const unsigned char *p, size_t n, bool whole)
{
	struct kbf_text_src *x = t->src;
	int g;
	x->bom = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		t->encoding = "utf-8", x->dec = DEC_UTF8_BOM, x->bom = 3;
	} else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
		t->encoding = "utf-16le", x->dec = DEC_UTF16LE, x->bom = 2;
	} else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
		t->encoding = "utf-16be", x->dec = DEC_UTF16BE, x->bom = 2;
	} else if ((g = utf16_guess(p, n)) != 0) {
		t->encoding = g == 1 ? "utf-16le" : "utf-16be";
		x->dec = g == 1 ? DEC_UTF16LE : DEC_UTF16BE;
	} else if (memchr(p, '\0', n)) {
		t->encoding = "binary";
		return false;
	} else {
		size_t k = utf8_run(p, n);
		bool utf8 = k == n || (!whole && n - k < KBU_UTF8_MAX && utf8_cut(p + k, n - k));
		t->encoding = utf8 ? "utf-8" : "windows-1252";
		x->dec = utf8 ? DEC_UTF8 : DEC_CP1252;
		if (!utf8 && (x->cp = kbf_codepage_for(p, n)) != NULL)
			t->encoding = kbf_codepage_name(x->cp), x->dec = DEC_CODEPAGE;
	}
	return true;
}

/* ---- reading ------------------------------------------------------------------- */

/* The next bytes to decode: buf holds what the last chunk left over, then
 * up to a chunk more.  -1 on a read error. */
static int read_chunk(struct kbf_text_src *x)
{
	size_t want = x->size - x->pos < x->chunk ? (size_t)(x->size - x->pos) : x->chunk;
	while (want > 0) {
		ssize_t got = x->in.read(x->in.ud, x->buf + x->nbuf, want);
		if (got < 0)
			return -1;
		if (got == 0) { /* shorter than it was: read what there is */
			x->size = x->pos;
			break;
		}
		x->nbuf += (size_t)got;
		x->pos += (uint64_t)got;
		want -= (size_t)got;
	}
	return 0;
}

static void add_anchor(struct kbf_text_src *x, size_t at, uint64_t off)
{
	if (x->ahead + x->nanchors == x->acap) {
		if (x->ahead && x->ahead >= x->nanchors) {
			memmove(x->abase, x->anchors, x->nanchors * sizeof(*x->abase));
			x->ahead = 0;
		} else {
			x->acap = x->acap ? x->acap * 2 : 64;
			x->abase = kbu_realloc(x->abase, x->acap, sizeof(*x->abase));
		}
	}
	x->anchors = x->abase + x->ahead;
	x->anchors[x->nanchors++] = (struct anchor){at, off, false};
}

/* Decodes p[0..n), the file's bytes from offset off; returns the bytes
 * taken (a character cut short waits for the next chunk). */
static size_t step(struct kbf_text *t, const unsigned char *p, size_t n, uint64_t off, bool last)
{
	struct kbf_text_src *x = t->src;
	size_t skip = off < x->bom ? (size_t)(x->bom - off) : 0;
	if (skip > n)
		skip = n;
	x->at = off + skip;
	x->changed = false;
	size_t took = skip + decode(t, p + skip, n - skip, last);
	x->anchors[x->nanchors - 1].same = !x->changed;
	add_anchor(x, t->len, off + took);
	t->utf8[t->len] = '\0';
	if (last) {
		if (x->line_start < t->len)
			push_line(t, x->line_start, t->len, off + n);
		x->line_start = t->len;
		t->complete = true;
	}
	return took;
}

/* Decodes what buf holds; what a character cut short leaves waits there. */
static void decode_buf(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	size_t n = x->nbuf;
	x->lead = step(t, x->buf, n, x->pos - n, x->err || x->pos == x->size);
	x->nbuf = n - x->lead;
}

/* The next chunk of a file: what the last one left over, then more. */
static void file_step(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (x->lead) {
		memmove(x->buf, x->buf + x->lead, x->nbuf);
		x->lead = 0;
	}
	if (read_chunk(x) < 0)
		x->err = errno;
	decode_buf(t);
	if (t->progress)
		t->progress(t->progress_ud, x->pos, x->size);
}

bool kbf_text_more(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (!x || t->complete || !t->utf8)
		return false;
	if (!x->in.read) {
		x->pos += step(t, x->mem + x->pos, (size_t)(x->size - x->pos), x->pos, true);
		return true;
	}
	t->raw = NULL, t->rawlen = 0; /* buf is about to hold other bytes */
	file_step(t);
	return true;
}

/* cap bytes of memory to fill: on the heap when small (nothing to give
 * back), else address space the kernel backs as it is written. */
static void *room(size_t cap, bool *mapped)
{
	*mapped = cap >= ((size_t)1 << 20);
	if (!*mapped)
		return kbu_malloc(cap ? cap : 1);
	void *m = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		kbu_oom();
	madvise(m, cap, MADV_HUGEPAGE);
	return m;
}

static void reserve(struct kbf_text *t, uint64_t size)
{
	struct kbf_text_src *x = t->src;
	if (size > (SIZE_MAX - 64) / 3)
		kbu_oom(); /* no address space for it */
	x->cap = (size_t)size * 3 + 8; /* a byte grows to three at most; a NUL after */
	t->utf8 = room(x->cap, &x->mapped);
}

/* (Re)starts decoding at the first byte; the encoding is decided. */
static void restart(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	t->len = 0;
	t->complete = false;
	t->line0 = t->nlines = 0;
	x->head = 0;
	t->lines = x->base;
	x->released = x->line_start = 0;
	x->line_off = x->bom;
	x->unit = x->dec == DEC_UTF16LE || x->dec == DEC_UTF16BE ? 2 : 1;
	x->ahead = x->nanchors = 0;
	add_anchor(x, 0, x->bom);
	t->utf8[0] = '\0';
	if (x->cp)
		kbf_codepage_reset(x->cp);
}

static struct kbf_text_src *new_src(struct kbf_text *t)
{
	memset(t, 0, sizeof(*t));
	t->src = kbu_calloc(1, sizeof(*t->src));
	t->src->fd = -1;
	return t->src;
}

void kbf_text_decode(struct kbf_text *t, const unsigned char *raw, size_t len)
{
	struct kbf_text_src *x = new_src(t);
	x->mem = raw;
	x->size = len;
	t->raw = raw;
	t->rawlen = len;
	if (!classify(t, raw, len, true))
		return;
	reserve(t, len);
	restart(t);
	kbf_text_more(t);
}

static ssize_t fd_read(void *ud, void *buf, size_t n)
{
	return kbu_read_retry((int)(intptr_t)ud, buf, n);
}

static int fd_rewind(void *ud)
{
	return lseek((int)(intptr_t)ud, 0, SEEK_SET) < 0 ? -1 : 0;
}

/* A binary file, mapped whole.  -1 with errno set. */
static int hold_file(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (x->size > SIZE_MAX) {
		errno = EFBIG;
		return -1;
	}
	void *m = mmap(NULL, (size_t)x->size, PROT_READ, MAP_PRIVATE, x->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	x->binary = m;
	x->binary_cap = (size_t)x->size;
	x->held = HELD_FILE;
	t->rawlen = (size_t)x->size;
	return 0;
}

/* A binary stream, read whole into memory: the first chunk, then the
 * rest, up to the stream's hold bound.  Zeros follow the bytes to the end
 * of their last page, as they follow a mapped file's: readers may count
 * on it (libbfio 20170123's libbfio_memory_range_read copies the size
 * asked for even past the end of its range, as libevtx's 4096-byte file
 * header read does on a shorter log).  -1 with errno set. */
static int hold_stream(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	uint64_t bound = x->size < x->in.hold ? x->size : x->in.hold;
	if (bound > SIZE_MAX / 2)
		kbu_oom();
	bool mapped;
	size_t cap = (size_t)bound, n = x->nbuf < cap ? x->nbuf : cap;
	size_t pages = (cap / PAGE + 1) * PAGE;
	unsigned char *p = room(pages, &mapped);
	x->binary = p;
	x->binary_cap = pages;
	x->held = mapped ? HELD_MAPPED : HELD_HEAP;
	memcpy(p, x->buf, n);
	while (n < cap) {
		ssize_t got = x->in.read(x->in.ud, p + n, cap - n);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (!mapped)
		memset(p + n, 0, pages - n);
	t->rawlen = n;
	return 0;
}

/* Starts reading from x->in: the first chunk, decoded or, for a binary
 * source, the whole of it held. */
static int open_source(struct kbf_text *t, uint64_t size)
{
	struct kbf_text_src *x = t->src;
	x->size = size;
	x->chunk = chunk;
	x->buf = kbu_malloc(x->chunk + KBU_UTF8_MAX);
	if (read_chunk(x) < 0) { /* what came before the failure is read */
		if (x->nbuf == 0)
			goto fail;
		x->err = errno;
	}
	t->raw = x->buf;
	t->rawlen = x->nbuf;
	if (!classify(t, x->buf, x->nbuf, x->pos == x->size)) {
		if ((x->fd >= 0 ? hold_file(t) : hold_stream(t)) < 0)
			goto fail;
		t->raw = x->binary;
		return 0;
	}
	reserve(t, x->size);
	restart(t);
	decode_buf(t); /* buf keeps the first chunk's bytes for probes */
	if (x->chunk > STREAM_STEP)
		x->chunk = STREAM_STEP;
	return 0;
fail:;
	int e = errno;
	kbf_text_free(t);
	errno = e;
	return -1;
}

int kbf_text_open(struct kbf_text *t, int fd, uint64_t size)
{
	struct kbf_text_src *x = new_src(t);
	x->fd = fd;
	x->in = (struct kbf_text_stream){fd_read, fd_rewind, (void *)(intptr_t)fd, UINT64_MAX};
	return open_source(t, size);
}

int kbf_text_open_stream(struct kbf_text *t, const struct kbf_text_stream *s, uint64_t size)
{
	struct kbf_text_src *x = new_src(t);
	x->in = *s;
	return open_source(t, size);
}

void kbf_text_set_chunk(size_t n)
{
	chunk = n ? n : (size_t)1 << 20;
}

void kbf_text_all(struct kbf_text *t)
{
	while (kbf_text_more(t))
		;
}

const struct kbf_line *kbf_text_line_slow(struct kbf_text *t, size_t ln)
{
	while (ln - t->line0 >= t->nlines) {
		if (t->probing || !kbf_text_more(t))
			return NULL;
	}
	return &t->lines[ln - t->line0];
}

void kbf_text_release_bytes(struct kbf_text *t, size_t off)
{
	struct kbf_text_src *x = t->src;
	if (!x || !t->utf8 || off <= x->released)
		return;
	if (x->in.read && !x->in.rewind && off / KEPT_UNREWINDABLE_CHUNKS < chunk)
		return;
	size_t drop = 0;
	while (drop < t->nlines && (size_t)(t->lines[drop].s - t->utf8) < off)
		drop++;
	x->head += drop;
	t->line0 += drop;
	t->nlines -= drop;
	t->lines = x->base + x->head;
	size_t adrop = 0; /* the last anchor before off stays: text after it may be cited */
	while (adrop + 1 < x->nanchors && x->anchors[adrop + 1].at <= off)
		adrop++;
	x->ahead += adrop;
	x->nanchors -= adrop;
	x->anchors = x->abase + x->ahead;
	if (!x->mapped)
		return;
	uintptr_t base = (uintptr_t)t->utf8;
	uintptr_t from = (base + x->released) / HUGE_PAGE * HUGE_PAGE, to = (base + off) / HUGE_PAGE * HUGE_PAGE;
	if (from < base)
		from = base;
	if (to >= from + HUGE_PAGE) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		x->released = to - base;
	}
}

void kbf_text_release(struct kbf_text *t, size_t ln)
{
	if (ln <= t->line0)
		return;
	const struct kbf_line *l = ln - t->line0 < t->nlines ? &t->lines[ln - t->line0] : NULL;
	kbf_text_release_bytes(t, l ? (size_t)(l->s - t->utf8) : t->src->line_start);
}

int kbf_text_rewind(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (!x || !t->utf8 || t->line0 == 0)
		return 0; /* nothing released: line 0 is still there */
	if (x->in.read) {
		if (!x->in.rewind) {
			errno = ESPIPE;
			return -1;
		}
		if (x->in.rewind(x->in.ud) < 0)
			return -1;
		x->lead = x->nbuf = 0;
		x->err = 0;
	}
	x->pos = 0;
	if (x->mapped && x->released)
		madvise(t->utf8, x->released, MADV_DONTNEED);
	restart(t);
	kbf_text_more(t);
	return 0;
}

/* The first chunk of a text still in buf (nothing read after it): its
 * bytes are decoded again from there.  Otherwise the source starts again. */
static int start_again(struct kbf_text_src *x)
{
	if (x->pos == x->lead + x->nbuf) {
		x->nbuf += x->lead;
		x->lead = 0;
		return 0;
	}
	if (!x->in.rewind || x->in.rewind(x->in.ud) < 0) {
		errno = x->in.rewind ? errno : ESPIPE;
		return -1;
	}
	x->pos = 0;
	x->lead = x->nbuf = 0;
	x->err = 0;
	return 0;
}

int kbf_text_as_bytes(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (!x || t->line0 > 0) {
		errno = EINVAL;
		return -1;
	}
	if (!t->utf8 && x->in.read && x->fd < 0) { /* a binary stream, held whole: decode the memory */
		x->mem = x->binary;
		x->size = t->rawlen;
		x->in.read = NULL;
	}
	if (x->in.read && start_again(x) < 0)
		return -1;
	x->pos = x->in.read ? x->pos : 0;
	if (!t->utf8)
		reserve(t, x->size);
	kbf_codepage_free(x->cp);
	x->cp = NULL;
	x->dec = DEC_BYTES;
	x->bom = 0;
	t->encoding = "bytes";
	restart(t);
	if (x->in.read)
		decode_buf(t);
	else
		kbf_text_more(t);
	t->raw = NULL, t->rawlen = 0;
	return 0;
}

int kbf_text_fd(const struct kbf_text *t)
{
	return t->src ? t->src->fd : -1;
}

int kbf_text_error(struct kbf_text *t)
{
	return t->src ? t->src->err : 0;
}

void kbf_text_free(struct kbf_text *t)
{
	struct kbf_text_src *x = t->src;
	if (x) {
		if (x->mapped)
			munmap(t->utf8, x->cap);
		else
			free(t->utf8);
		if (x->held == HELD_HEAP)
			free(x->binary);
		else if (x->held != HELD_NONE)
			munmap(x->binary, x->binary_cap);
		free(x->base);
		free(x->abase);
		free(x->buf);
		kbf_codepage_free(x->cp);
		free(x);
	}
	memset(t, 0, sizeof(*t));
}

uint32_t kbf_text_cp1252(unsigned char b)
{
	return cp1252(b);
}

const char *kbf_text_decoder(const struct kbf_text *t)
{
	const struct kbf_text_src *x = t->src;
	if (!x || !t->utf8)
		return NULL;
	/* bytes kept as they are read back as UTF-8: a reader cites only
	 * records that are (kbf_text_as_bytes) */
	return x->dec == DEC_UTF8_BOM ? "utf-8-bom" : x->dec == DEC_BYTES ? "utf-8" : t->encoding;
}

static bool decoder_named(struct kbf_text_src *x, const char *name)
{
	static const struct {
		const char *name;
		enum decoder dec;
	} fixed[] = {{"utf-8", DEC_UTF8}, {"utf-8-bom", DEC_UTF8_BOM}, {"utf-16le", DEC_UTF16LE},
		     {"utf-16be", DEC_UTF16BE}, {"windows-1252", DEC_CP1252}};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(name, fixed[i].name) == 0) {
			x->dec = fixed[i].dec;
			return true;
		}
	x->dec = DEC_CODEPAGE;
	return (x->cp = kbf_codepage_open(name)) != NULL;
}

char *kbf_text_decode_as(const char *decoder, const unsigned char *p, size_t n, size_t *len)
{
	/* well-formed UTF-8 decodes to itself: no decoder set up (a traced run
	 * reads back every record it keeps, one call each) */
	if ((strcmp(decoder, "utf-8") == 0 || strcmp(decoder, "utf-8-bom") == 0) && utf8_run(p, n) == n) {
		char *same = kbu_malloc(n + 1);
		memcpy(same, p, n);
		same[n] = '\0';
		*len = n;
		return same;
	}
	struct kbf_text t;
	struct kbf_text_src *x = new_src(&t);
	char *out = NULL;
	x->mem = p;
	x->size = n;
	if (decoder_named(x, decoder)) {
		t.encoding = decoder;
		reserve(&t, n);
		restart(&t);
		kbf_text_more(&t);
		out = kbu_malloc(t.len + 1);
		memcpy(out, t.utf8, t.len + 1);
		*len = t.len;
	}
	kbf_text_free(&t);
	return out;
}

/* The last anchor at or before utf8[a]; x->nanchors when none. */
static size_t anchor_before(const struct kbf_text_src *x, size_t a)
{
	size_t lo = 0, hi = x->nanchors;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->anchors[mid].at <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : x->nanchors;
}

/* The last whole line starting at or before utf8[a], or NULL. */
static const struct kbf_line *line_before(const struct kbf_text *t, size_t a)
{
	size_t lo = 0, hi = t->nlines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((size_t)(t->lines[mid].s - t->utf8) <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &t->lines[lo - 1] : NULL;
}

/* Where decoding may start for text at utf8[a]: the offset itself in a
 * step that kept the file's bytes, else the later of the step's start and
 * the line's. */
static void place_start(const struct kbf_text *t, size_t k, size_t a, struct kbf_text_place *p)
{
	const struct kbf_text_src *x = t->src;
	const struct anchor *an = &x->anchors[k];
	size_t from = an->at;
	p->off = an->off;
	if (an->same) {
		p->off += a - from;
		from = a;
	} else if (x->line_start <= a && x->line_start >= from) {
		from = x->line_start, p->off = x->line_off;
	} else {
		const struct kbf_line *l = line_before(t, a);
		if (l && (size_t)(l->s - t->utf8) >= from)
			from = (size_t)(l->s - t->utf8), p->off = l->off;
	}
	p->skip = a - from;
}

/* Where decoding may end for text ending before utf8[b], in step m: the
 * offset itself, else the earlier of the step's end and the line's. */
static void place_end(const struct kbf_text *t, size_t m, size_t b, struct kbf_text_place *p)
{
	const struct kbf_text_src *x = t->src;
	const struct anchor *an = &x->anchors[m], *next = &x->anchors[m + 1];
	if (an->same) {
		p->end = an->off + (b - an->at);
		return;
	}
	p->end = next->off;
	const struct kbf_line *z = line_before(t, b - 1);
	size_t zend = z ? (size_t)(z->s - t->utf8) + z->len : 0;
	if (z && b <= zend && zend <= next->at && z->end >= an->off)
		p->end = z->end;
}

bool kbf_text_place(const struct kbf_text *t, const char *s, size_t len, struct kbf_text_place *p)
{
	const struct kbf_text_src *x = t->src;
	if (!x || !t->utf8 || !len || s < t->utf8 || (size_t)(s - t->utf8) + len > t->len)
		return false;
	size_t a = (size_t)(s - t->utf8), b = a + len;
	size_t k = anchor_before(x, a), m = anchor_before(x, b - 1);
	if (k >= x->nanchors || m + 1 >= x->nanchors)
		return false; /* released, or not decoded to the end of its step */
	place_start(t, k, a, p);
	place_end(t, m, b, p);
	return p->end >= p->off;
}
