/*
 * test_win_live_events.c — the live Windows events collector's neutral
 * half (facts/windows/live/events.c): EVENTLOGRECORD buffers as
 * ReadEventLogW fills them (built here to the winnt.h layout: a Service
 * Control Manager 7023 with a SID and insertion strings, a record with
 * event data, records too old, and hostile ones: a Length past the
 * buffer, offsets outside the record, no signature), and event XML as
 * EvtRender(EvtRenderEventXml) gives it (the System part of a wevtutil
 * fixture, tests/fixtures/wevtutil-xml/application-rendered.xml, without
 * the RenderingInfo a query adds), plus malformed XML.
 */
#include <libevtx.h>
#include <string.h>

#include "importer_harness.h"
#include "windows/events/win_event.h"
#include "windows/live/live.h"

struct buf {
	unsigned char b[4096];
	size_t len;
};

static void at32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

static size_t put_utf16(unsigned char *p, const char *s)
{
	size_t n = 0;
	for (; *s; s++, n += 2)
		p[n] = (unsigned char)*s, p[n + 1] = 0;
	p[n] = p[n + 1] = 0;
	return n + 2;
}

/* One record: source, computer, SID S-1-5-18, strings, data. */
static void record(struct buf *b, uint32_t number, uint32_t time, uint32_t id, uint16_t type,
		   const char *const *strings, size_t nstrings, const unsigned char *data, size_t ndata)
{
	unsigned char *r = b->b + b->len;
	memset(r, 0, 56);
	size_t off = 56;
	off += put_utf16(r + off, "Service Control Manager");
	off += put_utf16(r + off, "W2K3");
	off = (off + 3) & ~(size_t)3;
	static const unsigned char sid[12] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
	memcpy(r + off, sid, 12);
	at32(r + 40, 12), at32(r + 44, (uint32_t)off);
	off += 12;
	at32(r + 36, (uint32_t)off);
	for (size_t i = 0; i < nstrings; i++)
		off += put_utf16(r + off, strings[i]);
	if (ndata)
		memcpy(r + off, data, ndata);
	at32(r + 48, (uint32_t)ndata), at32(r + 52, (uint32_t)off);
	off += ndata;
	off = (off + 3) & ~(size_t)3;
	off += 4; /* Length again */
	at32(r, (uint32_t)off), at32(r + off - 4, (uint32_t)off);
	at32(r + 4, 0x654C664C), at32(r + 8, number), at32(r + 12, time), at32(r + 16, time), at32(r + 20, id);
	r[24] = (unsigned char)type, r[26] = (unsigned char)nstrings;
	b->len += off;
}

/* Where record() put the SID (UserSidOffset). */
static size_t at_sid(const unsigned char *r)
{
	return r[44] | (size_t)r[45] << 8;
}

static struct buf *given;
static const struct kbf_live_render *render_given;
static size_t nread_want, max_given = 100;
static bool older, more;
static int evt_body(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_winevt ev = {0};
	int rc = 0;
	older = more = false;
	nread_want = kbf_live_evt_records(in, "System", given->b, given->len, 1000000000u, render_given, &ev, max_given,
					  &older, &more, &rc);
	kbf_winevt_free(&ev);
	return rc;
}
static const struct kbf_collector fake_evt = {"windows.events", evt_body, NULL, NULL, NULL};

static void evt_records(void **state)
{
	(void)state;
	static struct buf b;
	b.len = 0;
	const char *s1[] = {"World Wide Web Publishing", "%%1077"};
	const unsigned char code[4] = {0x40, 0x27, 0, 0}; /* 10048 */
	record(&b, 41, 1311749307u, 0xC0001B6Fu, 1, s1, 2, NULL, 0); /* 7023, 2011-07-27 06:48:27Z */
	const char *s2[] = {"DNS"};
	record(&b, 42, 1311749400u, 0x00001B7Cu, 2, s2, 1, code, 4);
	record(&b, 7, 5u, 7036, 4, s2, 1, NULL, 0); /* before since: left out */
	given = &b;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(nread_want, 2);
	assert_true(older);
	assert_int_equal(count_facts(&h, "event"), 2);
	const struct kb_fact *e = find_int(&h, "event", "record", 41);
	check_int(&h, e, "id", 7023);
	check_str(&h, e, "log", "System");
	check_str(&h, e, "source", "Service Control Manager");
	check_str(&h, e, "level", "error");
	check_str(&h, e, "time", "2011-07-27T06:48:27Z");
	check_str(&h, e, "computer", "W2K3");
	check_str(&h, e, "user", "S-1-5-18");
	assert_non_null(strstr(e->prov.text, "String: 1: World Wide Web Publishing"));
	e = find_int(&h, "event", "record", 42);
	check_str(&h, e, "level", "warning");
	check_int(&h, e, "code", 10048);
	harness_close(&h);
}

/* A message file's rendering, as FormatMessage gives it (CRLF at the end). */
static bool fake_render(void *ud, const char *log, const char *source, uint32_t id, const unsigned char *record,
			size_t len, uint32_t strings_at, unsigned nstrings, struct kbf_wtext_buf *out)
{
	(void)ud, (void)record, (void)len, (void)strings_at;
	assert_string_equal(log, "System");
	assert_string_equal(source, "Service Control Manager");
	if (id != 0xC0001B6Fu)
		return false;
	assert_int_equal(nstrings, 2);
	static const char m[] = "The World Wide Web Publishing service terminated with the following error: \r\n"
				"The service did not start.\r\n";
	kbf_wtext_buf_set(out, m, strlen(m));
	return true;
}

static void evt_rendered(void **state)
{
	(void)state;
	static struct buf b;
	b.len = 0;
	const char *s1[] = {"World Wide Web Publishing", "%%1077"}, *s2[] = {"DNS"};
	record(&b, 41, 1311749307u, 0xC0001B6Fu, 1, s1, 2, NULL, 0);
	record(&b, 42, 1311749400u, 0x00001B7Cu, 2, s2, 1, NULL, 0);
	given = &b;
	static const struct kbf_live_render r = {fake_render, NULL};
	render_given = &r;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	const struct kb_fact *e = find_int(&h, "event", "record", 41);
	check_str(&h, e, "message", "The World Wide Web Publishing service terminated with the following error: \n"
				    "The service did not start.");
	check_str(&h, e, "message_from", "export");
	e = find_int(&h, "event", "record", 42); /* not rendered: made from its strings */
	check_str(&h, e, "message", "DNS");
	check_str(&h, e, "message_from", "insertion strings");
	harness_close(&h);
	render_given = NULL;
}

/* A good record, then one whose Length runs past the buffer. */
static void evt_hostile(void **state)
{
	(void)state;
	static struct buf b;
	const char *s[] = {"x"};
	static const struct {
		size_t at;
		uint32_t v;
		const char *why;
	} damage[] = {
		{0, 0x7FFFFFF0u, "Length does not fit"}, {4, 0, "no \"LfLe\""}, {36, 0x10000, "StringOffset"},
		{44, 4, "user SID"}, {48, 0x1000, "event data"}, {0, 8, "Length does not fit"},
	};
	for (size_t k = 0; k < sizeof(damage) / sizeof(damage[0]); k++) {
		b.len = 0;
		record(&b, 1, 1311749307u, 7036, 4, s, 1, NULL, 0);
		size_t second = b.len;
		record(&b, 2, 1311749307u, 7036, 4, s, 1, NULL, 0);
		at32(b.b + second + damage[k].at, damage[k].v);
		given = &b;
		struct harness h = {0};
		assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
		assert_int_equal(count_facts(&h, "event"), 1);
		check_skip(&h, 0, 0, damage[k].why);
		harness_close(&h);
	}
	b.len = 3; /* not even a Length */
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "event"), 0);
	check_skip(&h, 0, 0, "at byte 0");
	harness_close(&h);
}

/* Records cut at their own end: a user SID whose sub-authority count
 * needs more bytes than UserSidLength gives (noted, no user), an
 * insertion string without its NUL running to the record's last byte (cut
 * there), a record Length that is odd (read within it; the next record,
 * then out of line, is noted); and max: *more only when a record is left. */
static void evt_cut_at_end(void **state)
{
	(void)state;
	static struct buf b;
	const char *s[] = {"DNS"};
	b.len = 0;
	record(&b, 5, 1311749307u, 7036, 4, s, 1, NULL, 0);
	unsigned char *r = b.b;
	r[at_sid(r) + 1] = 5; /* five sub-authorities in 12 bytes */
	given = &b;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	const struct kb_fact *e = find_int(&h, "event", "record", 5);
	check_nil(&h, e, "user");
	check_skip(&h, 0, 0, "System log, record 5: its user SID does not fit its 12 bytes");
	harness_close(&h);

	b.len = 0;
	record(&b, 6, 1311749307u, 7036, 4, s, 1, NULL, 0);
	size_t size = b.len, str = r[36] | (size_t)r[37] << 8;
	for (size_t i = str + 6; i + 1 < size; i += 2) /* the NUL, the padding and the Length copy */
		r[i] = 'z', r[i + 1] = 0;
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	e = find_int(&h, "event", "record", 6);
	check_str(&h, e, "user", "S-1-5-18");
	assert_non_null(strstr(e->prov.text, "String: 1: DNSzzz"));
	harness_close(&h);

	b.len = 0;
	record(&b, 7, 1311749307u, 7036, 4, s, 1, NULL, 0);
	record(&b, 8, 1311749307u, 7036, 4, s, 1, NULL, 0);
	at32(b.b, (uint32_t)(size + 1)); /* odd: one byte of the next record in it */
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "event"), 1);
	check_str(&h, find_int(&h, "event", "record", 7), "user", "S-1-5-18");
	check_skip(&h, 0, 0, "the record at byte 141 of a ReadEventLog buffer cannot be read");
	harness_close(&h);

	at32(b.b, (uint32_t)size);
	max_given = 1; /* one left over: *more */
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	assert_true(more);
	harness_close(&h);
	b.len = size; /* exactly max: no *more */
	assert_int_equal(gather(&h, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(nread_want, 1);
	assert_false(more);
	harness_close(&h);
	max_given = 100;
}

/* Values of two engines (strings by content: each engine interns its own). */
static bool same(struct kb_value a, struct kb_value b)
{
	if (a.type != b.type)
		return false;
	return a.type == KB_STRING ? strcmp(a.u.s, b.u.s) == 0 : kb_value_eq(a, b);
}

/* The records of a real .evt file (tests/fixtures/evt/TestLog.evt: its
 * 0x30-byte header, five records, the EOF record at EndOffset) are the
 * EVENTLOGRECORDs ReadEventLog returns: the live reader must make the
 * facts the .evt importer makes of them, slot for slot. */
static void evt_same_as_importer(void **state)
{
	(void)state;
	size_t len;
	unsigned char *raw = fixture_read("evt/TestLog.evt", &len);
	static struct buf b;
	uint32_t end = (uint32_t)raw[0x14] | (uint32_t)raw[0x15] << 8; /* ELF_LOGFILE_HEADER.EndOffset */
	assert_true(end <= len && end > 0x30);
	memcpy(b.b, raw + 0x30, end - 0x30);
	b.len = end - 0x30;
	given = &b;
	struct harness live = {0}, file = {0};
	assert_int_equal(gather(&live, &fake_evt, &(struct kbf_options){.root = ""}), 0);
	check_ok(&live);
	assert_int_equal(import_fixture(&file, NULL, "evt/TestLog.evt"), 0);
	assert_int_equal(count_facts(&file, "event"), 5);
	assert_int_equal(count_facts(&live, "event"), 5);
	static const char *const slots[] = {"id", "source", "level", "time", "message", "computer", "user",
					    "category", "code", "record", "message_from"};
	for (size_t i = 0; i < 5; i++) {
		const struct kb_fact *l = nth_fact(&live, "event", i), *f = nth_fact(&file, "event", i);
		for (size_t k = 0; k < sizeof(slots) / sizeof(slots[0]); k++)
			if (!same(slot_value(&live, l, slots[k]), slot_value(&file, f, slots[k])))
				fail_msg("record %zu: slot %s differs from the .evt importer's", i + 1, slots[k]);
	}
	harness_close(&live);
	harness_close(&file);
	free(raw);
}

static const char *xml_given;
static int xml_body(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_winevt ev = {0};
	int rc = kbf_live_evt_xml(in, "Application", 1, xml_given, strlen(xml_given), &ev);
	kbf_winevt_free(&ev);
	return rc;
}
static const struct kbf_collector fake_xml = {"windows.events", xml_body, NULL, NULL, NULL};

static void evtx_xml(void **state)
{
	(void)state;
	size_t len;
	char *all = (char *)fixture_read("wevtutil-xml/application-rendered.xml", &len);
	char *end = strstr(all, "<RenderingInfo");
	assert_non_null(end);
	strcpy(end, "</Event>"); /* what EvtRender gives: no RenderingInfo */
	xml_given = all;
	struct harness h = {0};
	assert_int_equal(gather(&h, &fake_xml, &(struct kbf_options){.root = ""}), 0);
	const struct kb_fact *e = nth_fact(&h, "event", 0);
	check_int(&h, e, "id", 1309);
	check_str(&h, e, "source", "MSExchangeDS");
	check_str(&h, e, "log", "Application");
	check_str(&h, e, "level", "error");
	check_str(&h, e, "computer", "EXCH01");
	check_int(&h, e, "record", 10233);
	check_int(&h, e, "code", 10049);
	harness_close(&h);
	strcpy(all + 200, "<"); /* cut inside an element */
	assert_int_equal(gather(&h, &fake_xml, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "event"), 0);
	check_skip(&h, 0, 0, "cannot be read");
	harness_close(&h);
	xml_given = "<Events></Events>"; /* no event in it */
	assert_int_equal(gather(&h, &fake_xml, &(struct kbf_options){.root = ""}), 0);
	assert_int_equal(count_facts(&h, "event"), 0);
	check_skip(&h, 0, 0, "Application log, event 1 (newest first): its XML from EvtRender holds no <Event>");
	harness_close(&h);
	free(all);
}

/* Real events' XML: the records of a Windows 10 Application log
 * (tests/fixtures/evtx/Application_no_crc32.evtx) rendered by libevtx as
 * the <Event> element wevtutil and EvtRender(EvtRenderEventXml) give;
 * each must become the fact the .evtx importer makes of the same record. */
static char *xmls[32];
static size_t nxmls;
static int xmls_body(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct kbf_winevt ev = {0};
	int rc = 0;
	for (size_t i = 0; i < nxmls; i++)
		rc |= kbf_live_evt_xml(in, "Application", i + 1, xmls[i], strlen(xmls[i]), &ev);
	kbf_winevt_free(&ev);
	return rc;
}
static const struct kbf_collector fake_xmls = {"windows.events", xmls_body, NULL, NULL, NULL};

static void read_xmls(const char *rel)
{
	libevtx_file_t *file = NULL;
	libevtx_error_t *error = NULL;
	char *path = fixture_path(rel);
	int n = 0;
	assert_int_equal(libevtx_file_initialize(&file, &error), 1);
	assert_int_equal(libevtx_file_open(file, path, LIBEVTX_OPEN_READ, &error), 1);
	assert_int_equal(libevtx_file_get_number_of_records(file, &n, &error), 1);
	for (nxmls = 0; (int)nxmls < n && nxmls < 32; nxmls++) {
		libevtx_record_t *rec = NULL;
		size_t size = 0;
		assert_int_equal(libevtx_file_get_record_by_index(file, (int)nxmls, &rec, &error), 1);
		assert_int_equal(libevtx_record_get_utf8_xml_string_size(rec, &size, &error), 1);
		xmls[nxmls] = malloc(size);
		assert_int_equal(libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xmls[nxmls], size, &error), 1);
		libevtx_record_free(&rec, NULL);
	}
	libevtx_file_close(file, NULL);
	libevtx_file_free(&file, NULL);
	free(path);
}

static void real_xml_same_as_importer(void **state)
{
	(void)state;
	read_xmls("evtx/Application_no_crc32.evtx");
	assert_int_equal(nxmls, 17);
	assert_non_null(strstr(xmls[0], "<Event xmlns="));
	struct harness live = {0}, file = {0};
	assert_int_equal(gather(&live, &fake_xmls, &(struct kbf_options){.root = ""}), 0);
	check_ok(&live);
	import_fixture(&file, NULL, "evtx/Application_no_crc32.evtx");
	assert_int_equal(count_facts(&live, "event"), count_facts(&file, "event"));
	static const char *const slots[] = {"log", "id", "source", "level", "time", "message", "computer", "user",
					    "category", "code", "record", "message_from"};
	for (size_t i = 0; i < count_facts(&file, "event"); i++) {
		const struct kb_fact *l = nth_fact(&live, "event", i), *f = nth_fact(&file, "event", i);
		for (size_t k = 0; k < sizeof(slots) / sizeof(slots[0]); k++)
			if (!same(slot_value(&live, l, slots[k]), slot_value(&file, f, slots[k])))
				fail_msg("record %zu: slot %s differs from the .evtx importer's", i + 1, slots[k]);
	}
	harness_close(&live);
	harness_close(&file);
	for (size_t i = 0; i < nxmls; i++)
		free(xmls[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(evt_records),
		cmocka_unit_test(evt_rendered),
		cmocka_unit_test(evt_hostile),
		cmocka_unit_test(evt_cut_at_end),
		cmocka_unit_test(evt_same_as_importer),
		cmocka_unit_test(real_xml_same_as_importer),
		cmocka_unit_test(evtx_xml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
