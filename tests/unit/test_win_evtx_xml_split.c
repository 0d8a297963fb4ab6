/*
 * test_win_evtx_xml_split.c — the wevtutil XML importer on two threads
 * (evtx_xml_split.c) asserts exactly what the sequential reader does: the
 * same facts with the same slots, lines, provenance text and cites, the
 * same errors and skips, in the same order.  Each input is read once
 * sequentially (stretch 0) and then with stretches of many sizes, so that
 * the cuts fall before, inside and after every kind of event and markup:
 * the fixtures, and generated exports with and without <Events>, pretty
 * printed, with CRLFs, with a comment, a CDATA section and a nested
 * <Event> holding "</Event>" and a newline, events sharing a line, an
 * event whose ID is no number, one whose tags do not match, and the
 * reader's synthetic root closed in the middle; and an export read from a
 * file, decoded and given back as the reading goes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer_harness.h"
#include "windows/events/win_event.h"
#include "xalloc.h"

static size_t stretch_size;

static int import_in_stretches(struct kbf_input *in, struct kbf_text *t)
{
	return kbf_winevt_xml_import(in, t, stretch_size);
}

/* Everything an import left in h's engine and input, as text. */
static void snapshot(const struct harness *h, struct kbf_wtext_buf *out)
{
	char line[256];
	kbf_wtext_buf_reset(out);
	for (uint32_t id = 1; id <= kb_fact_count(h->eng); id++) {
		const struct kb_fact *f = kb_fact_get(h->eng, id);
		const struct kb_cite *c = &f->prov.cite;
		snprintf(line, sizeof(line), "fact %s live %d line %d cite %llu+%u skip %u take %u check %u form %u\n",
			 kb_kind_name(h->eng, f->kind), f->live, f->prov.line, (unsigned long long)c->offset,
			 c->length, c->skip, c->take, c->check, c->form);
		kbf_wtext_buf_add(out, line, strlen(line));
		if (f->prov.text)
			kbf_wtext_buf_add(out, f->prov.text, strlen(f->prov.text));
		for (uint16_t i = 0; i < f->nslots; i++) {
			struct kb_value v = f->slots[i];
			if (v.type == KB_STRING)
				snprintf(line, sizeof(line), "\n slot %u: ", i);
			else
				snprintf(line, sizeof(line), "\n slot %u: type %d int %lld", i, (int)v.type,
					 v.type == KB_INT ? (long long)v.u.i : (long long)v.u.b);
			kbf_wtext_buf_add(out, line, strlen(line));
			if (v.type == KB_STRING)
				kbf_wtext_buf_add(out, v.u.s, strlen(v.u.s));
		}
		kbf_wtext_buf_add(out, "\n", 1);
	}
	snprintf(line, sizeof(line), "rc %d nfacts %zu nread %zu nskipped %zu err_line %d skips %zu\n", h->rc,
		 h->in.nfacts, h->in.nread, h->in.nskipped, h->in.err_line, h->in.nskips);
	kbf_wtext_buf_add(out, line, strlen(line));
	kbf_wtext_buf_add(out, h->in.err.where, strlen(h->in.err.where));
	kbf_wtext_buf_add(out, h->in.err.msg, strlen(h->in.err.msg));
	for (size_t i = 0; i < h->in.nskips_kept; i++) {
		snprintf(line, sizeof(line), "\nskip %d ", h->in.skips[i].line);
		kbf_wtext_buf_add(out, line, strlen(line));
		kbf_wtext_buf_add(out, h->in.skips[i].reason, strlen(h->in.skips[i].reason));
	}
}

static void read_with(struct kbf_wtext_buf *out, size_t stretch, const void *data, size_t len)
{
	struct kbf_importer imp = kbf_wevtutil_xml_importer;
	imp.import = import_in_stretches;
	stretch_size = stretch;
	struct harness h = {0};
	import_bytes(&h, &imp, "events.xml", data, len);
	snapshot(&h, out);
	harness_close(&h);
}

/* Reads data sequentially and in stretches of sizes from 1 byte up in
 * steps of step, up to more than the whole; every reading must give what
 * the sequential one gives.  Returns the sequential reading's facts. */
static size_t same_in_stretches(const char *data, size_t len, size_t step)
{
	struct kbf_wtext_buf want = {0}, got = {0};
	read_with(&want, 0, data, len);
	for (size_t stretch = 1; stretch < len + step; stretch += step) {
		read_with(&got, stretch, data, len);
		if (got.len != want.len || memcmp(got.s, want.s, want.len) != 0) {
			fprintf(stderr, "stretch %zu:\n--- sequential\n%s\n--- in stretches\n%s\n", stretch, want.s,
				got.s);
			fail();
		}
	}
	size_t facts = 0;
	for (const char *p = want.s; (p = strstr(p, "fact event live 1")) != NULL; p++)
		facts++;
	kbf_wtext_buf_free(&want);
	kbf_wtext_buf_free(&got);
	return facts;
}

static void fixtures(void **state)
{
	(void)state;
	static const char *const names[] = {"application-rendered.xml", "application-utf16.xml",
					    "events-wrapped.xml", "truncated.xml"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "wevtutil-xml/%s", names[i]);
		size_t len;
		char *data = (char *)fixture_read(rel, &len);
		assert_true(same_in_stretches(data, len, 7) > 0);
		free(data);
	}
}

/* An event on one line, or pretty printed over several; nl ends lines. */
static void add_event(struct kbf_wtext_buf *b, int i, bool pretty, const char *nl, const char *id,
		      const char *data)
{
	char s[1024];
	const char *sep = pretty ? nl : "";
	snprintf(s, sizeof(s),
		 "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>%s"
		 "<System><Provider Name='Source %d'/>%s<EventID>%s</EventID><Level>%d</Level>%s"
		 "<TimeCreated SystemTime='2004-01-05T00:00:%02d.1Z'/><EventRecordID>%d</EventRecordID>"
		 "<Channel>System</Channel><Computer>EXCH01</Computer></System>%s"
		 "<EventData><Data Name='code'>%s</Data></EventData></Event>",
		 sep, i % 7, sep, id, 1 + i % 4, sep, i % 60, i, sep, data);
	kbf_wtext_buf_add(b, s, strlen(s));
}

enum shape { PLAIN, WRAPPED, PRETTY_CRLF, TRICKY, BROKEN, ROOT_CLOSED };

/* About n events of the shape, with markup that holds "</Event>" and a
 * newline, or an event that stops the reading, in the middle. */
static void generate(struct kbf_wtext_buf *b, enum shape shape, int n)
{
	const char *nl = shape == PRETTY_CRLF ? "\r\n" : "\n";
	kbf_wtext_buf_reset(b);
	if (shape == WRAPPED || shape == TRICKY)
		kbf_wtext_buf_add(b, "<?xml version='1.0' encoding='UTF-8'?>\n<Events>\n", 48);
	for (int i = 1; i <= n; i++) {
		char id[16];
		snprintf(id, sizeof(id), "%d", 7000 + i % 50);
		if (i == n / 2 && shape == TRICKY) {
			static const char comment[] = "<!-- an old copy: </Event>\n<Event> -->\n";
			kbf_wtext_buf_add(b, comment, sizeof(comment) - 1);
			add_event(b, i, false, nl, id, "<![CDATA[0x2740 </Event>\n]]>");
			kbf_wtext_buf_add(b, nl, strlen(nl));
			add_event(b, i, false, nl, "abc", "10048"); /* an ID that is no number */
			add_event(b, i, false, nl, id, "</Data><Data><Event>x</Event>\n</Data><Data>");
		} else if (i == n / 2 && shape == BROKEN) {
			add_event(b, i, false, nl, id, "0x2740</Dta>");
		} else if (i == n / 2 && shape == ROOT_CLOSED) {
			/* the reader's own synthetic root, closed: nothing may follow */
			static const char closed[] = "</kbdiag-input>\n";
			kbf_wtext_buf_add(b, closed, sizeof(closed) - 1);
		} else {
			add_event(b, i, shape == PRETTY_CRLF || i % 3 == 0, nl, id, i % 5 ? "10048" : "");
		}
		if (i % 11 != 0 || shape == PRETTY_CRLF)
			kbf_wtext_buf_add(b, nl, strlen(nl)); /* else the next event shares the line */
	}
	if (shape == WRAPPED || shape == TRICKY)
		kbf_wtext_buf_add(b, "</Events>\n", 10);
}

static void generated(void **state)
{
	(void)state;
	struct kbf_wtext_buf b = {0};
	static const struct {
		enum shape shape;
		size_t events;
	} cases[] = {{PLAIN, 40}, {WRAPPED, 40}, {PRETTY_CRLF, 40}, {TRICKY, 41}, {BROKEN, 19}, {ROOT_CLOSED, 19}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		generate(&b, cases[i].shape, 40);
		assert_int_equal(same_in_stretches(b.s, b.len, 97), cases[i].events);
	}
	kbf_wtext_buf_free(&b);
}

/* Read from a file, the text decoded as the reader goes (a mebibyte, then
 * 64 KiB at a time) and given back behind it while the worker reads
 * ahead: the same as the sequential reading of the whole text. */
static void streamed(void **state)
{
	(void)state;
	struct kbf_wtext_buf b = {0}, want = {0}, got = {0};
	generate(&b, TRICKY, 6000);
	read_with(&want, 0, b.s, b.len);
	char *dir = scratch_dir();
	scratch_write_bytes(dir, "events.xml", b.s, b.len);
	char path[512];
	snprintf(path, sizeof(path), "%s/events.xml", dir);
	static const size_t stretches[] = {3000, 65536, 300000};
	for (size_t i = 0; i < sizeof(stretches) / sizeof(stretches[0]); i++) {
		int fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		struct harness h = {0};
		harness_open(&h);
		h.in = (struct kbf_input){.eng = h.eng, .path = "events.xml", .format = "wevtutil-xml"};
		assert_int_equal(kbf_text_open(&h.text, fd, b.len), 0);
		assert_false(h.text.complete);
		h.rc = kbf_winevt_xml_import(&h.in, &h.text, stretches[i]);
		snapshot(&h, &got);
		harness_close(&h);
		close(fd);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.s, want.s, want.len);
	}
	scratch_remove(dir);
	kbf_wtext_buf_free(&b);
	kbf_wtext_buf_free(&want);
	kbf_wtext_buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures),
		cmocka_unit_test(generated),
		cmocka_unit_test(streamed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
