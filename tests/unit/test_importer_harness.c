/*
 * test_importer_harness.c — the rules of the harness every importer and
 * collector test stands on: retracted facts never count, an import with no
 * importer named goes by content as kbf_read_path() does, and inputs pile
 * into one engine until harness_close().
 */
#include "importer_harness.h"

static const char two_listeners[] =
	"  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING       812\r\n"
	"  TCP    0.0.0.0:25             0.0.0.0:0              LISTENING       4\r\n";

static void retracted_facts_never_count(void **state)
{
	(void)state;
	struct harness h = {0};
	import_str(&h, &kbf_win_netstat_ano_importer, two_listeners);
	check_ok(&h);
	assert_int_equal(count_facts(&h, "listener"), 2);
	assert_true(kb_retract(h.eng, nth_fact(&h, "listener", 0)));
	assert_int_equal(count_facts(&h, "listener"), 1);
	check_int(&h, nth_fact(&h, "listener", 0), "port", 25);
	check_int(&h, fact_at(&h, "listener", 2), "port", 25);
	assert_null(find_int(&h, "listener", "port", 110));
	assert_int_equal(kb_fact_count(h.eng), 2); /* still there to read, by id */
	harness_close(&h);
}

static void by_content_into_one_engine(void **state)
{
	(void)state;
	struct harness h = {0};
	import_fixture(&h, NULL, "netstat/win2003-netstat-ano.txt");
	assert_ptr_equal(h.imp, &kbf_win_netstat_ano_importer);
	assert_string_equal(h.in.format, "netstat-ano");
	assert_string_equal(h.in.path, "win2003-netstat-ano.txt");
	assert_int_equal(count_facts(&h, "listener"), 8);

	import_fixture_as(&h, NULL, "netstat/not-netstat.txt", "notes.txt");
	assert_null(h.imp);
	assert_string_equal(h.in.format, "unrecognised");
	assert_string_equal(h.in.path, "notes.txt");
	assert_int_equal(h.rc, 0);
	assert_int_equal(count_facts(&h, "listener"), 8); /* the first input's are kept */
	harness_close(&h);
	assert_null(h.eng);

	import_str(&h, &kbf_win_netstat_ano_importer, two_listeners); /* a fresh engine */
	assert_int_equal(count_facts(&h, "listener"), 2);
	check_prov(nth_fact(&h, "listener", 1), "paste.txt", 2,
		   "  TCP    0.0.0.0:25             0.0.0.0:0              LISTENING       4");
	harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retracted_facts_never_count),
		cmocka_unit_test(by_content_into_one_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
