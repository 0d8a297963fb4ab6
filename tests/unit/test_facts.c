/*
 * test_facts.c — what every evidence format stands on: decoding text as
 * customers send it, the shared parsers for versions and error codes, and
 * the snapshot reader and writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importer_harness.h"

static void line_is(struct kbf_text *t, size_t i, const char *want)
{
	assert_true(i < t->nlines);
	assert_int_equal(t->lines[i].len, strlen(want));
	assert_memory_equal(t->lines[i].s, want, strlen(want));
}

static void decodes_utf8_with_crlf_and_cr_cr_lf(void **state)
{
	(void)state;
	const char raw[] = "\xEF\xBB\xBFProto  Local\r\n  TCP  0.0.0.0:110\r\r\nlast";
	struct kbf_text t;
	kbf_text_decode(&t, (const unsigned char *)raw, sizeof(raw) - 1);
	assert_string_equal(t.encoding, "utf-8");
	assert_int_equal(t.nlines, 3);
	line_is(&t, 0, "Proto  Local");
	line_is(&t, 1, "  TCP  0.0.0.0:110");
	line_is(&t, 2, "last");
	kbf_text_free(&t);
}

static unsigned char *utf16le(const char *ascii, bool bom, size_t *len)
{
	size_t n = strlen(ascii);
	unsigned char *b = malloc(2 * n + 2);
	size_t o = 0;
	if (bom) {
		b[o++] = 0xFF;
		b[o++] = 0xFE;
	}
	for (size_t i = 0; i < n; i++) {
		b[o++] = (unsigned char)ascii[i];
		b[o++] = 0;
	}
	*len = o;
	return b;
}

static void decodes_utf16_with_and_without_bom(void **state)
{
	(void)state;
	for (int bom = 0; bom <= 1; bom++) {
		size_t len;
		unsigned char *raw = utf16le("Name=C:\\WINNT\\system32\\mfc42.dll\r\nVersion=6.0.8168.0\r\n", bom, &len);
		struct kbf_text t;
		kbf_text_decode(&t, raw, len);
		assert_string_equal(t.encoding, "utf-16le");
		assert_int_equal(t.nlines, 2);
		line_is(&t, 1, "Version=6.0.8168.0");
		kbf_text_free(&t);
		free(raw);
	}
}

static void decodes_windows_1252(void **state)
{
	(void)state;
	const char raw[] = "Computer: M\xDCNCHEN\r\nState: \xC0 l'\xE9" "coute \x80\r\n";
	struct kbf_text t;
	kbf_text_decode(&t, (const unsigned char *)raw, sizeof(raw) - 1);
	assert_string_equal(t.encoding, "windows-1252");
	line_is(&t, 0, "Computer: M\xC3\x9CNCHEN");
	line_is(&t, 1, "State: \xC3\x80 l'\xC3\xA9" "coute \xE2\x82\xAC");
	kbf_text_free(&t);
}

/* One rule for UTF-8 and UTF-16 (util/utf8.h): a surrogate encoded in
 * UTF-8 makes a file not UTF-8; UTF-16 joins pairs and reads a lone half
 * as U+FFFD; a bad byte after a UTF-8 BOM is U+FFFD. */
static void decodes_surrogates_one_way(void **state)
{
	(void)state;
	struct kbf_text t;
	const char cesu[] = "x\xED\xA0\x80y\n";
	kbf_text_decode(&t, (const unsigned char *)cesu, sizeof(cesu) - 1);
	assert_string_equal(t.encoding, "windows-1252");
	line_is(&t, 0, "x\xC3\xAD\xC2\xA0\xE2\x82\xACy");
	kbf_text_free(&t);

	const unsigned char u16[] = {0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 0x00, 0xDE, 'b', 0, 0x3D, 0xD8, 'c', 0,
				     0x00, 0xDE, 0x3D, 0xD8};
	kbf_text_decode(&t, u16, sizeof(u16));
	assert_string_equal(t.encoding, "utf-16le");
	line_is(&t, 0, "a\xF0\x9F\x98\x80" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
	kbf_text_free(&t);

	const char bom[] = "\xEF\xBB\xBFok \xFF\xED\xBF\xBF\n";
	kbf_text_decode(&t, (const unsigned char *)bom, sizeof(bom) - 1);
	assert_string_equal(t.encoding, "utf-8");
	line_is(&t, 0, "ok \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	kbf_text_free(&t);
}

static void binary_files_have_no_text(void **state)
{
	(void)state;
	const unsigned char raw[] = {'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0x12, 0x00, 0x7f};
	struct kbf_text t;
	kbf_text_decode(&t, raw, sizeof(raw));
	assert_string_equal(t.encoding, "binary");
	assert_null(t.utf8);
	assert_int_equal(t.nlines, 0);
	kbf_text_free(&t);

	/* A .evt log's header, then records of long UTF-16 strings: NULs in
	 * nearly every odd position, but a U+0000 unit up front. */
	unsigned char evt[512] = {0x30, 0, 0, 0, 'L', 'f', 'L', 'e', 1, 0, 0, 0, 1, 0, 0, 0};
	for (size_t i = 16; i < sizeof(evt); i += 2)
		evt[i] = 'a' + i % 26;
	kbf_text_decode(&t, evt, sizeof(evt));
	assert_string_equal(t.encoding, "binary");
	kbf_text_free(&t);
}

static void versions(void **state)
{
	(void)state;
	unsigned v[4];
	assert_true(kbf_version_parse("6.00.8168.0", 11, v));
	assert_int_equal(v[0], 6);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 8168);
	assert_int_equal(v[3], 0);
	const char *w = "5.2.3790.1830 (srv03_sp1_rtm.050324-1447)";
	assert_true(kbf_version_parse(w, strlen(w), v));
	assert_int_equal(v[3], 1830);
	assert_true(kbf_version_parse("4.0", 3, v));
	assert_int_equal(v[2], 0);
	assert_false(kbf_version_parse("N/A", 3, v));
	unsigned a[4] = {6, 0, 8168, 0}, b[4] = {6, 0, 8447, 0};
	assert_true(kbf_version_code(a) < kbf_version_code(b));
	int64_t c;
	assert_true(kb_version_code("6.00.8168.0", 11, &c));
	assert_int_equal(c, kbf_version_code(a));
}

static void error_codes(void **state)
{
	(void)state;
	struct {
		const char *s;
		int64_t want;
	} ok[] = {
		{"0x2740", 10048}, {"10048", 10048}, {"0x2740.", 10048}, {"40 27 00 00", 10048},
		{"41 27 00 00", 10049}, {"0x800CCC92", 0x800CCC92}, {"-2147467259", 0x80004005},
		{" 10061 ", 10061},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t c = -1;
		if (!kbf_parse_error_code(ok[i].s, strlen(ok[i].s), &c) || c != ok[i].want)
			fail_msg("'%s' gave %lld", ok[i].s, (long long)c);
	}
	const char *bad[] = {"", "0x", "0xZZ", "error", "40 27 00", "0x1FFFFFFFF", "99999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t c;
		if (kbf_parse_error_code(bad[i], strlen(bad[i]), &c))
			fail_msg("'%s' should not parse", bad[i]);
	}
}

static int import_snapshot(struct harness *h, const char *json)
{
	int rc = import_bytes(h, &kbf_snapshot_importer, "snap.json", json, strlen(json));
	assert_true(h->score > 0);
	return rc;
}

static void snapshot_round_trip(void **state)
{
	(void)state;
	struct harness h = {0};
	const char *json = "{\"kbdiag_snapshot\": 1, \"kinds\": {\"guest\": {\"name\": \"string\", \"age\": \"integer\"}},\n"
			   "\"facts\": [\n"
			   "{\"kind\": \"listener\", \"slots\": {\"protocol\": \"tcp\", \"port\": 110, \"pid\": 812},"
			   " \"source\": \"netstat.txt\", \"line\": 17, \"text\": \"TCP 0.0.0.0:110\"},\n"
			   "{\"kind\": \"guest\", \"slots\": {\"name\": \"n1\", \"age\": 30}},\n"
			   "{\"kind\": \"guest\", \"slots\": {\"name\": \"n1\", \"age\": 30}}\n]}";
	assert_int_equal(import_snapshot(&h, json), 0);
	assert_int_equal(h.in.nfacts, 2); /* the duplicate is not counted */
	const struct kb_fact *f = kb_fact_get(h.eng, 1);
	assert_string_equal(f->prov.source, "netstat.txt");
	assert_int_equal(f->prov.line, 17);
	assert_string_equal(f->prov.text, "TCP 0.0.0.0:110");
	assert_string_equal(kb_fact_get(h.eng, 2)->prov.source, "snap.json");

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_snapshot_write(h.eng, &inputs, out), 0);
	fclose(out);
	struct harness h2;
	harness_open(&h2);
	int k = kb_kind_declare(h2.eng, "guest", 2, (struct kb_slot_decl[]){{"age", KB_INT}, {"name", KB_STRING}}, NULL);
	assert_true(k >= 0);
	assert_int_equal(import_snapshot(&h2, buf), 0);
	assert_int_equal(kb_fact_count(h2.eng), 2);
	assert_string_equal(kb_fact_get(h2.eng, 1)->prov.text, "TCP 0.0.0.0:110");
	free(buf);
	harness_close(&h2);
	harness_close(&h);
}

/* With the engine's pre-filter on (one rule: event id 1039), the importers
 * and the snapshot reader hand every fact to it: a fact turned away is
 * counted as read and skipped, emit returns kbf_fact_skipped, and nothing
 * of it is interned, neither its strings nor its provenance text. */
static void facts_no_rule_matches_are_skipped_uninterned(void **state)
{
	(void)state;
	struct harness h;
	harness_open(&h);
	struct kb_test t = {.slot = kb_slot_find(h.eng, kb_kind_find(h.eng, "event"), "id"), .op = KB_OP_EQ,
			    .operand = KB_OPERAND_CONST, .value = kb_int(1039)};
	struct kb_cond c = {.type = KB_COND_PATTERN, .kind = kb_kind_find(h.eng, "event"), .ntests = 1, .tests = &t,
			    .fact_var = -1};
	struct kb_rule_def def = {.name = "imap", .where = "t.lua:1", .nconds = 1, .conds = &c};
	assert_non_null(kb_rule_add(h.eng, &def, NULL));
	kb_prefilter_start(h.eng);

	assert_int_equal(import_fixture(&h, &kbf_eventlog_csv_importer, "eventlog-csv/vista-application.csv"), 0);
	assert_int_equal(h.in.nread, 4);
	assert_int_equal(h.in.nskipped, 3);
	assert_int_equal(h.in.nfacts, 1);
	assert_non_null(kb_intern_find(h.eng, "MSExchangeIMAP4", 15));
	assert_null(kb_intern_find(h.eng, "Microsoft-Windows-Security-SPP", 30));
	assert_null(kb_intern_find(h.eng, "The Software Protection service has stopped.", 44));

	const char *json = "{\"kbdiag_snapshot\": 1, \"facts\": [\n"
			   "{\"kind\": \"event\", \"slots\": {\"id\": 1039, \"source\": \"kept-source\"}, \"text\": \"kept text\"},\n"
			   "{\"kind\": \"event\", \"slots\": {\"id\": 7, \"source\": \"skipped-source\"}, \"text\": \"skipped text\"}\n]}";
	assert_int_equal(import_snapshot(&h, json), 0);
	assert_int_equal(h.in.nread, 2);
	assert_int_equal(h.in.nskipped, 1);
	assert_non_null(kb_intern_find(h.eng, "kept-source", 11));
	assert_null(kb_intern_find(h.eng, "skipped-source", 14));
	assert_null(kb_intern_find(h.eng, "skipped text", 12));

	struct kbf_input in = {.eng = h.eng, .path = "x"};
	struct kbf_fact f;
	kbf_fact_begin(&f, &in, "event");
	kbf_set_int(&f, "id", 2);
	assert_ptr_equal(kbf_fact_emit(&f, 1, "line", 4), &kbf_fact_skipped);
	kbf_set_int(&f, "id", 1039);
	const struct kb_fact *kept = kbf_fact_emit(&f, 2, "line", 4);
	assert_true(kept && kept != &kbf_fact_skipped);
	assert_int_equal(in.nread, 2);
	assert_int_equal(in.nskipped, 1);
	harness_close(&h);
}

/* The writer formats every value by hand; these are the bytes jansson's
 * encoder gave for them, escapes included, and a string longer than the
 * writer's buffer. */
static void snapshot_writes_values_exactly(void **state)
{
	(void)state;
	struct kb_engine *eng = kb_engine_new();
	int k = kb_kind_declare(eng, "probe", 4,
				(struct kb_slot_decl[]){{"b", KB_BOOL}, {"f", KB_FLOAT}, {"i", KB_INT}, {"s", KB_STRING}},
				NULL);
	assert_true(k >= 0);
	const char *odd = "q\"b\\ t\t n\n r\r f\f bs\b vt\v esc\x1b nul\x01 \xc3\xa9";
	struct kb_value v1[4] = {kb_bool(true), kb_float(0.5), kb_int(INT64_MIN), kb_str(kb_intern_cstr(eng, odd))};
	struct kb_value v2[4] = {kb_bool(false), kb_nil(), kb_int(-42), kb_nil()};
	struct kb_value v3[4] = {kb_nil(), kb_nil(), kb_int(0), kb_nil()};
	struct kb_prov p1 = {KB_ORIGIN_EVIDENCE, "src\"1", 2147483647, odd, {0}};
	struct kb_prov p2 = {KB_ORIGIN_EVIDENCE, "linux.sockets", 0, NULL, {0}};
	struct kb_prov p3 = {KB_ORIGIN_EVIDENCE, NULL, 7, "", {0}};
	assert_non_null(kb_assert(eng, k, v1, &p1, NULL, NULL));
	assert_non_null(kb_assert(eng, k, v2, &p2, NULL, NULL));
	assert_non_null(kb_assert(eng, k, v3, &p3, NULL, NULL));
	size_t biglen = 200000;
	char *big = malloc(biglen + 1);
	assert_non_null(big);
	for (size_t i = 0; i < biglen; i++)
		big[i] = (char)('a' + i % 26);
	big[biglen] = '\0';
	big[100000] = '"';
	struct kb_value v4[4] = {kb_nil(), kb_nil(), kb_int(INT64_MAX), kb_str(kb_intern_cstr(eng, big))};
	assert_non_null(kb_assert(eng, k, v4, &p2, NULL, NULL));

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_snapshot_write(eng, &inputs, out), 0);
	fclose(out);
	const char *want =
		"{\"kbdiag_snapshot\": 1, \"kbdiag\": \"" KB_VERSION "\",\n\"inputs\": [],\n\"facts\": [\n"
		"{\"kind\":\"probe\",\"slots\":{\"b\":true,\"f\":0.5,\"i\":-9223372036854775808,"
		"\"s\":\"q\\\"b\\\\ t\\t n\\n r\\r f\\f bs\\b vt\\u000B esc\\u001B nul\\u0001 \xc3\xa9\"},"
		"\"source\":\"src\\\"1\",\"line\":2147483647,"
		"\"text\":\"q\\\"b\\\\ t\\t n\\n r\\r f\\f bs\\b vt\\u000B esc\\u001B nul\\u0001 \xc3\xa9\"},\n"
		"{\"kind\":\"probe\",\"slots\":{\"b\":false,\"i\":-42},\"source\":\"linux.sockets\"},\n"
		"{\"kind\":\"probe\",\"slots\":{\"i\":0},\"line\":7,\"text\":\"\"},\n"
		"{\"kind\":\"probe\",\"slots\":{\"i\":9223372036854775807,\"s\":\"";
	assert_true(len > strlen(want));
	assert_memory_equal(buf, want, strlen(want));
	const char *s = buf + strlen(want);
	assert_memory_equal(s, big, 100000);
	assert_memory_equal(s + 100000, "\\\"", 2);
	assert_memory_equal(s + 100002, big + 100001, biglen - 100001);
	assert_string_equal(s + 100002 + biglen - 100001, "\"},\"source\":\"linux.sockets\"}\n]}\n");
	free(buf);
	free(big);
	kb_engine_free(eng);
}

static void snapshot_errors_name_line_and_column(void **state)
{
	(void)state;
	struct harness h = {0};
	const char *json = "{\"kbdiag_snapshot\": 1, \"facts\": [\n"
			   "  {\"kind\": \"process\", \"slots\": {\"pid\": 4}},\n"
			   "  {\"kind\": \"process\", \"slots\": {\"pid\": 5}},\n"
			   "     {\"kind\": \"procss\", \"slots\": {}}\n]}";
	assert_int_equal(import_snapshot(&h, json), -1);
	assert_string_equal(h.in.err.where, "snap.json:4");
	assert_int_equal(h.in.err_line, 4);
	assert_string_equal(h.in.err.msg, "column 6: facts[2]: unknown kind 'procss'");
	assert_int_equal(h.in.nfacts, 2);
	harness_close(&h);

	assert_int_equal(import_snapshot(&h, "{\"kbdiag_snapshot\": 1, \"facts\": [\n{\"kind\": 1}]}"), -1);
	assert_string_equal(h.in.err.where, "snap.json:2");
	assert_string_equal(h.in.err.msg, "column 1: facts[0]: \"kind\" must be a string");
	harness_close(&h);

	assert_int_equal(import_snapshot(&h, "{\"kbdiag_snapshot\": 2, \"facts\": []}"), -1);
	assert_non_null(strstr(h.in.err.msg, "not a version 1 snapshot"));
	harness_close(&h);
}

/* ---- reading a file as a stream ------------------------------------------------ */

/* A file of several mebibytes in one encoding: lines of varying length
 * (some longer than a chunk would hold many of), non-ASCII text so that
 * characters and surrogate pairs fall across chunk ends, CRLF and LF. */
static unsigned char *big_file(const char *encoding, size_t *len)
{
	size_t cap = 5u << 20, n = 0;
	unsigned char *b = malloc(cap + 64);
	bool u16 = strcmp(encoding, "utf-16le") == 0;
	if (u16)
		b[n++] = 0xFF, b[n++] = 0xFE;
	static const char *const words[] = {"Event ", "M\xC3\xBCnchen ", "\xF0\x9F\x98\x80 ", "0x2740 ", "port 110 "};
	for (unsigned i = 0; n < cap; i++) {
		const char *w = words[i % 5];
		if (!u16) {
			size_t k = strlen(w);
			memcpy(b + n, w, k), n += k;
		} else {
			for (const char *p = w; *p;) {
				uint32_t c = (unsigned char)*p;
				size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
				c = k == 1 ? c : k == 2 ? (c & 0x1F) << 6 | (p[1] & 0x3F)
				  : k == 3 ? (c & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F)
				  : (c & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 | (p[3] & 0x3F);
				p += k;
				uint32_t u[2] = {c, 0};
				size_t nu = 1;
				if (c >= 0x10000)
					u[0] = 0xD800 + ((c - 0x10000) >> 10), u[1] = 0xDC00 + ((c - 0x10000) & 0x3FF), nu = 2;
				for (size_t j = 0; j < nu; j++)
					b[n++] = (unsigned char)u[j], b[n++] = (unsigned char)(u[j] >> 8);
			}
		}
		if (i % (7 + i % 13) == 0 || i % 40009 == 0) {
			const char *end = i % 2 ? "\r\n" : "\n";
			for (const char *p = end; *p; p++) {
				b[n++] = (unsigned char)*p;
				if (u16)
					b[n++] = 0;
			}
		}
	}
	*len = n;
	return b;
}

/* Read as a stream, releasing behind, a file gives the lines the whole
 * text gives. */
static void streams_lines_as_whole_text_has_them(void **state)
{
	(void)state;
	static const char *const encodings[] = {"utf-8", "utf-16le"};
	for (size_t e = 0; e < 2; e++) {
		size_t len;
		unsigned char *raw = big_file(encodings[e], &len);
		char *dir = scratch_dir();
		scratch_write_bytes(dir, "big.txt", raw, len);
		char path[4096];
		snprintf(path, sizeof(path), "%s/big.txt", dir);
		int fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		struct kbf_text whole, t;
		kbf_text_decode(&whole, raw, len);
		assert_int_equal(kbf_text_open(&t, fd, len), 0);
		assert_string_equal(t.encoding, encodings[e]);
		assert_false(t.complete);
		size_t ln = 0;
		for (const struct kbf_line *l; (l = kbf_text_line(&t, ln)); ln++) {
			assert_true(ln < whole.nlines);
			assert_int_equal(l->len, whole.lines[ln].len);
			assert_memory_equal(l->s, whole.lines[ln].s, l->len);
			if (ln % 3 == 0)
				kbf_text_release(&t, ln);
		}
		assert_int_equal(ln, whole.nlines);
		assert_true(t.complete);
		assert_int_equal(t.len, whole.len);
		/* read again from the start, as the CSV reader's second pass does */
		assert_int_equal(kbf_text_rewind(&t), 0);
		assert_int_equal(kbf_text_line(&t, 0)->len, whole.lines[0].len);
		kbf_text_free(&t);
		kbf_text_free(&whole);
		close(fd);
		scratch_remove(dir);
		free(raw);
	}
}

/* A stream of bytes in memory, handed out a few at a time (never more
 * than 7, so pieces end everywhere), failing after fail_at bytes when
 * that is set, counting its rewinds. */
struct mem_stream {
	const unsigned char *p;
	size_t len, at, fail_at;
	int rewinds;
};

static ssize_t mem_read(void *ud, void *buf, size_t n)
{
	struct mem_stream *m = ud;
	if (m->fail_at && m->at >= m->fail_at) {
		errno = EIO;
		return -1;
	}
	size_t k = m->len - m->at < n ? m->len - m->at : n;
	if (k > 1 + m->at % 7)
		k = 1 + m->at % 7;
	memcpy(buf, m->p + m->at, k);
	m->at += k;
	return (ssize_t)k;
}

static int mem_rewind(void *ud)
{
	struct mem_stream *m = ud;
	m->at = 0;
	m->rewinds++;
	return 0;
}

/* A stream (an archive's entry) decodes as a file does, and rewinding
 * what was released goes back to the stream's start; one that cannot
 * rewind (a pipe) keeps its first 256 chunks of text for a second
 * reading, and past them says it cannot. */
static void streams_from_a_read_callback(void **state)
{
	(void)state;
	size_t len;
	unsigned char *raw = big_file("utf-16le", &len);
	struct kbf_text whole, t;
	kbf_text_decode(&whole, raw, len);
	kbf_text_set_chunk(4096);
	for (int can_rewind = 1; can_rewind >= 0; can_rewind--) {
		struct mem_stream m = {raw, len, 0, 0, 0};
		struct kbf_text_stream s = {mem_read, can_rewind ? mem_rewind : NULL, &m, 0};
		assert_int_equal(kbf_text_open_stream(&t, &s, len + 100), 0); /* a bound, not the size */
		assert_string_equal(t.encoding, "utf-16le");
		size_t ln = 0;
		for (const struct kbf_line *l; (l = kbf_text_line(&t, ln)); ln++) {
			assert_int_equal(l->len, whole.lines[ln].len);
			assert_memory_equal(l->s, whole.lines[ln].s, l->len);
			kbf_text_release(&t, ln);
		}
		assert_int_equal(ln, whole.nlines);
		assert_int_equal(t.len, whole.len);
		if (can_rewind) {
			assert_int_equal(kbf_text_rewind(&t), 0);
			assert_int_equal(m.rewinds, 1);
			assert_memory_equal(kbf_text_line(&t, 0)->s, whole.lines[0].s, whole.lines[0].len);
		} else {
			assert_int_equal(kbf_text_rewind(&t), -1);
			assert_int_equal(errno, ESPIPE);
		}
		kbf_text_free(&t);
	}
	/* within the text a pipe keeps, a second reading needs no rewind */
	kbf_text_set_chunk(len);
	struct mem_stream pipe = {raw, len, 0, 0, 0};
	struct kbf_text_stream ps = {mem_read, NULL, &pipe, 0};
	assert_int_equal(kbf_text_open_stream(&t, &ps, len), 0);
	for (size_t ln = 0; kbf_text_line(&t, ln); ln++)
		kbf_text_release(&t, ln);
	assert_int_equal(kbf_text_rewind(&t), 0);
	assert_memory_equal(kbf_text_line(&t, 0)->s, whole.lines[0].s, whole.lines[0].len);
	kbf_text_free(&t);
	kbf_text_set_chunk(4096);
	/* a read that fails: the lines before it are kept, the error said */
	struct mem_stream m = {raw, len, 0, len / 2, 0};
	struct kbf_text_stream s = {mem_read, mem_rewind, &m, 0};
	assert_int_equal(kbf_text_open_stream(&t, &s, len), 0);
	kbf_text_all(&t);
	assert_true(t.nlines > 10 && t.nlines < whole.nlines);
	assert_int_equal(kbf_text_error(&t), EIO);
	kbf_text_free(&t);
	kbf_text_free(&whole);
	kbf_text_set_chunk(0);
	free(raw);
}

/* A binary stream is held whole in memory, up to its hold bound. */
static void holds_binary_streams_up_to_a_bound(void **state)
{
	(void)state;
	unsigned char raw[10000];
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7);
	static const uint64_t holds[] = {UINT64_MAX, 5000, 0};
	for (size_t i = 0; i < 3; i++) {
		struct mem_stream m = {raw, sizeof(raw), 0, 0, 0};
		struct kbf_text_stream s = {mem_read, mem_rewind, &m, holds[i]};
		struct kbf_text t;
		assert_int_equal(kbf_text_open_stream(&t, &s, sizeof(raw)), 0);
		assert_string_equal(t.encoding, "binary");
		assert_null(t.utf8);
		size_t want = holds[i] < sizeof(raw) ? (size_t)holds[i] : sizeof(raw);
		assert_int_equal(t.rawlen, want);
		if (want)
			assert_memory_equal(t.raw, raw, want);
		kbf_text_free(&t);
	}
}

/* A bundle's folder too deep and a pipe inside it are inputs not read,
 * each with why, beside the file that is read. */
static void what_a_bundle_walk_passes_over_is_said(void **state)
{
	(void)state;
	char *dir = scratch_dir();
	char deep[512] = "";
	for (int i = 1; i <= 18; i++)
		snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "d%d/", i);
	scratch_write(dir, "notes.txt", "hello\n");
	scratch_write(dir, strcat(deep, "netstat.txt"), "TCP 0.0.0.0:110 0.0.0.0:0 LISTENING 812\n");
	char fifo[4096];
	snprintf(fifo, sizeof(fifo), "%s/pipe", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct kb_engine *eng = kb_engine_new();
	assert_int_equal(kbf_schema_declare(eng, NULL), 0);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(eng, dir, &inputs), 2);
	assert_int_equal(inputs.n, 3);
	assert_string_equal(inputs.v[0].path, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18");
	assert_string_equal(inputs.v[0].err.msg, "not read: a folder nested deeper than 16 levels");
	assert_string_equal(inputs.v[2].path, "pipe");
	assert_string_equal(inputs.v[2].err.msg, "not read: a pipe, not a file");
	assert_false(kbf_input_usable(&inputs.v[2]));
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	scratch_remove(dir);
}

/* Every format the evidence table names is one kbdiag reads (an importer
 * or a collector), so what why-not tells the user to collect is read. */
static bool registered(const char *format)
{
	for (size_t i = 0; kbf_importers[i]; i++)
		if (strcmp(kbf_importers[i]->format, format) == 0)
			return true;
	for (size_t i = 0; kbf_collectors[i]; i++)
		if (strcmp(kbf_collectors[i]->name, format) == 0)
			return true;
	return false;
}

static void evidence_table_names_registered_formats(void **state)
{
	(void)state;
	size_t rows = 0;
	for (const struct kbf_evidence_source *s = kbf_evidence_sources(); s->kind; s++, rows++) {
		assert_non_null(s->what);
		assert_non_null(s->collect);
		assert_true(strcmp(s->platform, "windows") == 0 || strcmp(s->platform, "linux") == 0);
		assert_non_null(s->formats[0]);
		for (size_t i = 0; s->formats[i]; i++)
			if (!registered(s->formats[i]))
				fail_msg("%s row names %s, which no importer or collector reads", s->kind, s->formats[i]);
	}
	assert_true(rows > 10);
	const struct kbf_evidence_source *out[4];
	/* a slot with a row of its own gets that row; another slot the kind's */
	assert_int_equal(kbf_evidence_for("listener", "pid", out, 4), 1);
	assert_string_equal(out[0]->formats[0], "netstat-ano");
	assert_int_equal(kbf_evidence_for("host", "service_pack", out, 4), 2);
	assert_string_equal(out[0]->formats[0], "winmsd");
	assert_int_equal(kbf_evidence_for("host", "service_pack", out, 1), 1);
	assert_int_equal(kbf_evidence_for("q156054_failed", NULL, out, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_utf8_with_crlf_and_cr_cr_lf),
		cmocka_unit_test(decodes_utf16_with_and_without_bom),
		cmocka_unit_test(decodes_windows_1252),
		cmocka_unit_test(decodes_surrogates_one_way),
		cmocka_unit_test(binary_files_have_no_text),
		cmocka_unit_test(streams_lines_as_whole_text_has_them),
		cmocka_unit_test(streams_from_a_read_callback),
		cmocka_unit_test(holds_binary_streams_up_to_a_bound),
		cmocka_unit_test(versions),
		cmocka_unit_test(error_codes),
		cmocka_unit_test(snapshot_round_trip),
		cmocka_unit_test(snapshot_writes_values_exactly),
		cmocka_unit_test(facts_no_rule_matches_are_skipped_uninterned),
		cmocka_unit_test(snapshot_errors_name_line_and_column),
		cmocka_unit_test(what_a_bundle_walk_passes_over_is_said),
		cmocka_unit_test(evidence_table_names_registered_formats),
	};
	return cmocka_run_group_tests_name("facts", tests, NULL, NULL);
}
