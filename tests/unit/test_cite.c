/*
 * test_cite.c — where decoded lines are in their file's bytes (text.c),
 * for each decoder and with chunk ends everywhere; the bytes of a place
 * decoding back to the same text; and cited records read back from a
 * file (recall.c), or said to be unavailable once it changed or went.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <fcntl.h>

#include "importer_harness.h"
#include "utf8.h"

/* ---- encoding a file line by line, noting where each line is ------------------- */

enum enc { UTF8, UTF8_BOM, UTF16LE, UTF16BE, CP1252, CP850 };

struct file {
	unsigned char b[1 << 18];
	size_t n;
	uint64_t off[512], end[512]; /* each line's text in b */
	size_t nlines;
};

/* The code points used here are ASCII, é è Ü and ç: each encoding has them. */
static void put_cp(struct file *f, enum enc e, uint32_t c)
{
	static const struct {
		uint32_t c;
		unsigned char cp850;
	} oem[] = {{0xE9, 0x82}, {0xE8, 0x8A}, {0xDC, 0x9A}, {0xE7, 0x87}};
	if (e == UTF16LE || e == UTF16BE) {
		f->b[f->n++] = (unsigned char)(e == UTF16LE ? c : c >> 8);
		f->b[f->n++] = (unsigned char)(e == UTF16LE ? c >> 8 : c);
	} else if (e == UTF8 || e == UTF8_BOM) {
		f->n += kbu_utf8_put((char *)f->b + f->n, c);
	} else if (e == CP1252 || c < 0x80) {
		f->b[f->n++] = (unsigned char)c;
	} else {
		size_t i = 0;
		while (oem[i].c != c)
			i++;
		f->b[f->n++] = oem[i].cp850;
	}
}

static void put_str(struct file *f, enum enc e, const char *s)
{
	for (size_t i = 0, n = strlen(s); i < n;) {
		uint32_t c = (unsigned char)s[i];
		size_t k = kbu_utf8_seq(s + i, n - i);
		if (k == 2)
			c = (c & 0x1Fu) << 6 | ((unsigned char)s[i + 1] & 0x3Fu);
		put_cp(f, e, c);
		i += k;
	}
}

/* lines[i % n] ended by ends[i % n], times times (the last line by nothing). */
static void encode(struct file *f, enum enc e, const char *const *lines, const char *const *ends, size_t n,
		   size_t times)
{
	memset(f, 0, sizeof(*f));
	if (e == UTF8_BOM)
		memcpy(f->b, "\xEF\xBB\xBF", 3), f->n = 3;
	if (e == UTF16LE)
		f->b[f->n++] = 0xFF, f->b[f->n++] = 0xFE;
	if (e == UTF16BE)
		f->b[f->n++] = 0xFE, f->b[f->n++] = 0xFF;
	for (size_t i = 0; i < n * times; i++) {
		f->off[i] = f->n;
		put_str(f, e, lines[i % n]);
		f->end[i] = f->n;
		if (i + 1 < n * times)
			put_str(f, e, ends[i % n]);
	}
	f->nlines = n * times;
}

static const char *const lines[] = {
	"Proto  Local Address          State",
	"  TCP    0.0.0.0:110    LISTENING    812 caf\xC3\xA9",
	"",
	"cr\xC3\xA8me caf\xC3\xA9" "? no: cr\xC3\xA8me \xC3\x9C\xC3\xA7",
	"last line without an end",
};
static const char *const ends[] = {"\r\n", "\n", "\r\r\n", "\r\n", "\r\n"};
#define NLINES (sizeof(lines) / sizeof(lines[0]))

/* Opens f's bytes as a file is opened, decoded chunk bytes at a time. */
static void open_file(struct kbf_text *t, const struct file *f, size_t chunk, char **dir)
{
	*dir = scratch_dir();
	scratch_write_bytes(*dir, "f.txt", f->b, f->n);
	char path[4096];
	snprintf(path, sizeof(path), "%s/f.txt", *dir);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	kbf_text_set_chunk(chunk);
	assert_int_equal(kbf_text_open(t, fd, f->n), 0);
	kbf_text_set_chunk(0);
	kbf_text_all(t);
	close(fd);
}

/* bytes[off..end) decoded as t's file was, from skip on, start with want. */
static void check_decodes(const struct kbf_text *t, const struct file *f, uint64_t off, uint64_t end, size_t skip,
			  const char *want, size_t wlen)
{
	assert_true(off <= end && end <= f->n);
	size_t len;
	char *s = kbf_text_decode_as(kbf_text_decoder(t), f->b + off, (size_t)(end - off), &len);
	assert_non_null(s);
	assert_true(skip + wlen <= len);
	if (memcmp(s + skip, want, wlen) != 0)
		fail_msg("bytes %llu..%llu decode to '%s', not '%.*s' at %zu", (unsigned long long)off,
			 (unsigned long long)end, s, (int)wlen, want, skip);
	free(s);
}

/* The lines again and again, decoded in chunks that end everywhere in
 * them (the first chunk, which decides the encoding, holds an accented
 * letter). */
static void check_encoding(enum enc e, const char *decoder)
{
	static const size_t chunks[] = {97, 101, 127, 1000, 0};
	struct file *f = malloc(sizeof(*f));
	assert_non_null(f);
	encode(f, e, lines, ends, NLINES, 60);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct kbf_text t;
		char *dir;
		open_file(&t, f, chunks[c], &dir);
		assert_string_equal(kbf_text_decoder(&t), decoder);
		assert_int_equal(t.nlines, f->nlines);
		for (size_t i = 0; i < f->nlines; i++) {
			const struct kbf_line *l = &t.lines[i];
			const char *want = lines[i % NLINES];
			assert_int_equal(l->len, strlen(want));
			assert_memory_equal(l->s, want, l->len);
			if (l->off != f->off[i] || l->end != f->end[i])
				fail_msg("%s, chunk %zu: line %zu is at %llu..%llu, not %llu..%llu", decoder, chunks[c],
					 i + 1, (unsigned long long)l->off, (unsigned long long)l->end,
					 (unsigned long long)f->off[i], (unsigned long long)f->end[i]);
			check_decodes(&t, f, l->off, l->end, 0, want, l->len);
		}
		for (size_t i = 3; i < f->nlines; i += NLINES) {
			/* a record inside a line: "crème Üç" */
			const struct kbf_line *l = &t.lines[i];
			const char *rec = strstr(l->s, "no: ") + 4;
			size_t len = l->len - (size_t)(rec - l->s);
			struct kbf_text_place p;
			assert_true(kbf_text_place(&t, rec, len, &p));
			check_decodes(&t, f, p.off, p.end, p.skip, rec, len);
			/* one spanning lines, ending inside one */
			rec = t.lines[i - 2].s + 2;
			len = (size_t)(l->s + 5 - rec);
			assert_true(kbf_text_place(&t, rec, len, &p));
			check_decodes(&t, f, p.off, p.end, p.skip, rec, len);
		}
		kbf_text_free(&t);
		scratch_remove(dir);
	}
	free(f);
}

static void utf8_lines_are_placed(void **state)
{
	(void)state;
	check_encoding(UTF8, "utf-8");
	check_encoding(UTF8_BOM, "utf-8-bom");
}

static void utf16_lines_are_placed(void **state)
{
	(void)state;
	check_encoding(UTF16LE, "utf-16le");
	check_encoding(UTF16BE, "utf-16be");
}

static void code_page_lines_are_placed(void **state)
{
	(void)state;
	check_encoding(CP1252, "windows-1252");
	assert_true(kbf_text_set_encoding("cp850"));
	check_encoding(CP850, "cp850");
	kbf_text_set_encoding(NULL);
}

/* wevtutil writes a whole export on one line: a record in it is placed by
 * the decoding steps around it, not by its line, whose start may be
 * megabytes before. */
static void records_inside_a_long_line_are_placed(void **state)
{
	(void)state;
	static const enum enc encs[] = {UTF8, UTF16LE};
	for (size_t k = 0; k < 2; k++) {
		struct file *f = malloc(sizeof(*f));
		assert_non_null(f);
		memset(f, 0, sizeof(*f));
		if (encs[k] == UTF16LE)
			f->b[f->n++] = 0xFF, f->b[f->n++] = 0xFE;
		for (int i = 0; f->n < sizeof(f->b) - 200; i++) {
			char ev[64];
			snprintf(ev, sizeof(ev), "<Event><ID>%d</ID><Data>caf\xC3\xA9</Data></Event>", i);
			put_str(f, encs[k], ev);
		}
		struct kbf_text t;
		char *dir;
		open_file(&t, f, 4096, &dir);
		const char *rec = strstr(t.utf8 + t.len / 2, "<Event>"), *z = strstr(rec, "</Event>") + 8;
		struct kbf_text_place p;
		assert_true(kbf_text_place(&t, rec, (size_t)(z - rec), &p));
		assert_true(p.end - p.off < 4 * 4096); /* the steps around it, not the line */
		check_decodes(&t, f, p.off, p.end, p.skip, rec, (size_t)(z - rec));
		if (encs[k] == UTF8) /* bytes that decode to themselves place the record exactly */
			assert_true(p.skip == 0 && p.end - p.off == (size_t)(z - rec));
		kbf_text_free(&t);
		scratch_remove(dir);
		free(f);
	}
}

/* ---- reading cited records back -------------------------------------------------- */

/* Every fact of h's text, read back. */
static struct kbf_recall *recall_all(const struct harness *h)
{
	struct kbf_recall *r = kbf_recall_new();
	for (uint32_t id = 1; id <= kb_fact_count(h->eng); id++)
		kbf_recall_want(r, kb_fact_get(h->eng, id));
	kbf_recall_read(r);
	return r;
}

static void cited_records_read_back_until_the_file_changes(void **state)
{
	(void)state;
	size_t len;
	unsigned char *utf16 = fixture_read("netstat/win10-netstat-ano-utf16.txt", &len);
	struct harness whole = {0};
	import_bytes(&whole, NULL, "netstat.txt", utf16, len);

	char *dir = scratch_dir();
	scratch_write_bytes(dir, "netstat.txt", utf16, len);
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs inputs = {0};
	kbf_text_set_chunk(1000); /* the last lines in a second chunk */
	assert_int_equal(kbf_read_path(h.eng, dir, &inputs), 0);
	kbf_text_set_chunk(0);
	size_t n = count_facts(&h, "listener");
	assert_int_equal(n, 6); /* TCP and UDP listeners */
	assert_int_equal(count_facts(&whole, "listener"), n);
	struct kbf_recall *r = recall_all(&h);
	for (size_t i = 0; i < n; i++) {
		const struct kb_fact *a = nth_fact(&whole, "listener", i), *b = nth_fact(&h, "listener", i);
		assert_null(b->prov.text);
		assert_int_equal(b->prov.line, a->prov.line);
		assert_string_equal(kbf_recall_text(r, b), a->prov.text);
	}
	kbf_recall_free(r);

	/* moved aside and a link to another file left in its place: read back
	 * through the descriptor kept, never by name again */
	char path[4096], aside[4096], other[4096];
	snprintf(path, sizeof(path), "%s/netstat.txt", dir);
	snprintf(aside, sizeof(aside), "%s/aside.txt", dir);
	snprintf(other, sizeof(other), "%s/other.txt", dir);
	unsigned char *blank = calloc(1, len);
	scratch_write_bytes(dir, "other.txt", blank, len);
	free(blank);
	assert_int_equal(rename(path, aside), 0);
	assert_int_equal(symlink(other, path), 0);
	r = recall_all(&h);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(kbf_recall_text(r, nth_fact(&h, "listener", i)),
				    nth_fact(&whole, "listener", i)->prov.text);
	kbf_recall_free(r);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(unlink(other), 0);
	assert_int_equal(rename(aside, path), 0);

	/* one byte of a cited line changed, size and all else the same */
	const struct kb_fact *f = nth_fact(&h, "listener", 2);
	utf16[f->prov.cite.offset + f->prov.cite.length - 2] ^= 1;
	scratch_write_bytes(dir, "netstat.txt", utf16, len);
	r = recall_all(&h);
	assert_string_equal(kbf_recall_text(r, f), "[not shown: netstat.txt changed since it was read]");
	assert_string_equal(kbf_recall_text(r, nth_fact(&h, "listener", 3)), nth_fact(&whole, "listener", 3)->prov.text);
	kbf_recall_free(r);

	/* gone */
	assert_int_equal(unlink(path), 0);
	r = recall_all(&h);
	assert_string_equal(kbf_recall_text(r, f), "[not shown: netstat.txt was removed since it was read]");
	kbf_recall_free(r);

	kbf_inputs_free(&inputs);
	harness_close(&h);
	harness_close(&whole);
	scratch_remove(dir);
	free(utf16);
}

/* Past KBF_CITE_FDS_MAX files with cited facts open, a file's records
 * keep their text (no descriptor is kept for it); a file whose facts
 * are all turned away or duplicates keeps no descriptor either. */
static void keeps_text_past_the_descriptors_kept(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	size_t files = KBF_CITE_FDS_MAX + 8;
	for (size_t i = 0; i < files; i++) {
		char name[32];
		snprintf(name, sizeof(name), "netstat-%03zu.txt", i);
		scratch_write(dir, name,
			      "\nActive Connections\n\n  Proto  Local Address          Foreign Address        State           PID\n"
			      "  TCP    0.0.0.0:%zu             0.0.0.0:0              LISTENING       1520\n",
			      1000 + i);
	}
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(h.eng, dir, &inputs), 0);
	assert_int_equal(count_facts(&h, "listener"), files);
	size_t cited = 0, kept = 0;
	struct kbf_recall *r = recall_all(&h);
	for (size_t i = 0; i < files; i++) {
		const struct kb_fact *f = nth_fact(&h, "listener", i);
		cited += f->prov.cite.file != NULL;
		kept += f->prov.text != NULL;
		assert_non_null(strstr(kbf_recall_text(r, f), "LISTENING"));
	}
	assert_int_equal(cited, KBF_CITE_FDS_MAX);
	assert_int_equal(kept, files - KBF_CITE_FDS_MAX);
	kbf_recall_free(r);
	kbf_inputs_free(&inputs);
	harness_close(&h);
	scratch_remove(dir);
}

/* A FIFO named on the command line cannot be read twice: its records
 * keep their text. */
static void pipes_keep_their_records_text(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	char fifo[4096];
	snprintf(fifo, sizeof(fifo), "%s/netstat.fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	static const char text[] = "\nActive Connections\n\n  Proto  Local Address          Foreign Address        "
				   "State           PID\n  TCP    0.0.0.0:110            0.0.0.0:0              "
				   "LISTENING       812\n";
	pid_t writer = fork();
	assert_true(writer >= 0);
	if (writer == 0) {
		int fd = open(fifo, O_WRONLY);
		_exit(fd >= 0 && write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1) ? 0 : 1);
	}
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(h.eng, fifo, &inputs), 0);
	int status;
	assert_int_equal(waitpid(writer, &status, 0), writer);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(count_facts(&h, "listener"), 1);
	const struct kb_fact *f = nth_fact(&h, "listener", 0);
	assert_null(f->prov.cite.file);
	assert_string_equal(f->prov.text, "  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING       812");
	kbf_inputs_free(&inputs);
	harness_close(&h);
	scratch_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_lines_are_placed),
		cmocka_unit_test(utf16_lines_are_placed),
		cmocka_unit_test(code_page_lines_are_placed),
		cmocka_unit_test(records_inside_a_long_line_are_placed),
		cmocka_unit_test(cited_records_read_back_until_the_file_changes),
		cmocka_unit_test(keeps_text_past_the_descriptors_kept),
		cmocka_unit_test(pipes_keep_their_records_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
