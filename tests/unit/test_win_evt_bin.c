/*
 * test_win_evt_bin.c — legacy binary .evt logs (windows/events/evt_bin.c)
 * on the real samples of tests/fixtures/evt (SOURCES.md): every event type,
 * SIDs, codes, the log named by the file's standard name, and a dirty, a
 * truncated and a wrapped log read as far as they are intact.
 * e2e.evt-reference checks every record against evtexport; these check
 * what it cannot: the slots kbdiag derives, and the input's error.
 */
#include <stdlib.h>
#include <string.h>

#include "importer_harness.h"

static const struct kbf_importer *const E = &kbf_evt_importer;

static unsigned char *fixture_bytes(const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", KBDIAG_FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *buf = malloc(1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void every_event_type(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture_as(&r, NULL, "evt/TestLog.evt", "saved-log.bin"); /* by content, not by name */
	assert_string_equal(r.in.format, "evt");
	check_ok(&r);
	assert_int_equal(count_facts(&r, "event"), 5);
	const char *levels[] = {"information", "error", "warning", "audit failure", "audit success"};
	for (int i = 1; i <= 5; i++)
		check_str(&r, fact_at(&r, "event", i), "level", levels[i - 1]);
	const struct kb_fact *f = fact_at(&r, "event", 4);
	check_str(&r, f, "source", "TestApp");
	check_str(&r, f, "computer", "POPSICKL-79ADD4");
	check_int(&r, f, "id", 65534);
	check_str(&r, f, "category", "99");
	check_str(&r, f, "time", "2021-07-21T03:11:38Z");
	check_str(&r, f, "message", "Test log entry, failure audit");
	check_int(&r, f, "record", 4);
	check_nil(&r, f, "log");
	check_nil(&r, f, "user");
	check_nil(&r, f, "code"); /* its data is UTF-16 text, no error code */
	check_prov(f, "saved-log.bin", 4,
		   "Event number: 4\nCreation time: 2021-07-21T03:11:38Z\nWritten time: 2021-07-21T03:11:38Z\n"
		   "Event type: Failure Audit event (16)\nComputer name: POPSICKL-79ADD4\nSource name: TestApp\n"
		   "Event category: 99\nEvent identifier: 0x0000fffe (65534)\n"
		   "String: 1: Test log entry, failure audit\n"
		   "Data: 32 bytes: 54 00 65 00 73 00 74 00 20 00 42 00 69 00 6e 00 61 00 72 00 79 00 20 00 44 00 61 "
		   "00 74 00 61 00\n");
	harness_close(&r);
}

static void log_from_standard_file_name(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture_as(&r, E, "evt/TestLog.evt", "bundle.zip!WINNT/system32/config/AppEvent.Evt");
	check_str(&r, fact_at(&r, "event", 1), "log", "Application");
	harness_close(&r);
	import_fixture_as(&r, E, "evt/TestLog.evt", "config\\secevent.evt");
	check_str(&r, fact_at(&r, "event", 1), "log", "Security");
	harness_close(&r);
}

static void dirty_log(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, E, "evt/TestLog-dirty.evt");
	check_error(&r, "TestLog-dirty.evt", "dirty log (copied while in use) that libevt finds corrupted");
	check_error(&r, "TestLog-dirty.evt", "its 5 records were read");
	assert_int_equal(count_facts(&r, "event"), 5);
	check_str(&r, fact_at(&r, "event", 5), "message", "Test log entry, success audit");
	harness_close(&r);
}

static void truncated_log(void **state)
{
	(void)state;
	size_t len;
	unsigned char *raw = fixture_bytes("evt/TestLog.evt", &len);
	struct harness r = {0};
	import_bytes(&r, E, "cut.evt", raw, 700); /* records 4 and 5 and the end-of-file record cut off */
	check_error(&r, "cut.evt", "the file ends at byte 700, short of the end-of-file record its header places "
				   "at byte 944 (truncated); its header counts 5 records (1 to 5), 2 of them are missing");
	assert_int_equal(count_facts(&r, "event"), 3);
	check_int(&r, fact_at(&r, "event", 3), "record", 3);
	harness_close(&r);
	free(raw);
}

static void wrapped_xp_system_log(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, E, "evt/SysEvent.Evt");
	check_error(&r, "SysEvent.Evt", "dirty (copied while in use), wrapped log");
	check_error(&r, "SysEvent.Evt", "of 438 records found in unused space, 257 were read too (they may be "
					"partly overwritten), 181 are copies of records the log holds");
	assert_int_equal(r.in.nread, 6063 + 257);
	const struct kb_fact *f = fact_at(&r, "event", 1392);
	check_str(&r, f, "log", "System");
	check_str(&r, f, "source", "LSASRV");
	check_int(&r, f, "id", 40961); /* 0x8000a001 without its qualifiers */
	check_int(&r, f, "code", 0xc0000388);
	f = fact_at(&r, "event", 2314);
	check_str(&r, f, "source", "Service Control Manager");
	check_int(&r, f, "id", 7035);
	check_str(&r, f, "user", "S-1-5-18");
	check_str(&r, f, "message", "IMAPI CD-Burning COM Service, start");
	check_nil(&r, f, "category");
	f = fact_at(&r, "event", 1135); /* found in unused space, older than the log's records */
	check_str(&r, f, "time", "2011-07-22T10:01:46Z");
	assert_non_null(strstr(f->prov.text, "Recovered from unused space\nEvent number: 1135\n"));
	harness_close(&r);
}

static void probe_is_specific(void **state)
{
	(void)state;
	size_t len;
	unsigned char *raw = fixture_bytes("evt/TestLog.evt", &len);
	assert_int_equal(probe_bytes(E, raw, len), 100);
	raw[0] = 0x31; /* a header size that is not 0x30 */
	assert_int_equal(probe_bytes(E, raw, len), 0);
	raw[0] = 0x30;
	raw[5] = 'F';
	assert_int_equal(probe_bytes(E, raw, len), 0);
	assert_int_equal(probe_bytes(E, raw, 0x2F), 0);
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_event_type),
		cmocka_unit_test(log_from_standard_file_name),
		cmocka_unit_test(dirty_log),
		cmocka_unit_test(truncated_log),
		cmocka_unit_test(wrapped_xp_system_log),
		cmocka_unit_test(probe_is_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
