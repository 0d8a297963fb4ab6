/*
 * test_win_evt_locales.c — Event Viewer exports from localised Windows:
 * the same events exported in English and in German, Spanish, French,
 * Italian, Portuguese, Russian, Chinese and Japanese must give the same
 * event facts.  Three kinds of fixture (origins in tests/fixtures/SOURCES.md):
 * Microsoft's Exchange 2013 "Back pressure" pages, which quote events in the
 * XP-era properties layout in each language (real); Vista "Copy details as
 * text" pasted in public from six languages (real, short); and CSV exports
 * and copies of three Exchange events written after those real outputs
 * (locale-<lang>.*: the keys, level words and date forms the real ones
 * show; the descriptions stay the English text of the events' message
 * file, no translation being invented).  Then the code pages such files
 * come in.
 */
#include <stdio.h>
#include <string.h>

#include "importer_harness.h"
#include "core/labels.h"
#include "windows/events/win_event.h"

/* Every slot of the English export's i-th event that a localised export
 * of the same event must give alike. */
static void same_event(const struct harness *en, const struct harness *loc, size_t i, const char *const *slots)
{
	const struct kb_fact *a = nth_fact(en, "event", i), *b = nth_fact(loc, "event", i);
	for (size_t k = 0; slots[k]; k++)
		harness_check_value(__FILE__, __LINE__, loc, b, slots[k], slot_value(en, a, slots[k]));
}

/* <stem><lang><tail> against the English <stem><en><tail>, for each
 * language of langs (NULL-terminated): n events, alike in slots. */
static void each_language(const char *stem, const char *en, const char *tail, const char *const *langs,
			  const char *format, size_t n, const char *const *slots)
{
	char rel[96];
	struct harness eng = {0};
	snprintf(rel, sizeof(rel), "%s%s%s", stem, en, tail);
	import_fixture(&eng, NULL, rel);
	check_ok(&eng);
	assert_int_equal(count_facts(&eng, "event"), n);
	for (size_t l = 0; langs[l]; l++) {
		struct harness loc = {0};
		snprintf(rel, sizeof(rel), "%s%s%s", stem, langs[l], tail);
		import_fixture(&loc, NULL, rel);
		assert_string_equal(loc.in.format, format);
		check_ok(&loc);
		assert_int_equal(count_facts(&loc, "event"), n);
		for (size_t i = 0; i < n; i++)
			same_event(&eng, &loc, i, slots);
		harness_close(&loc);
	}
	harness_close(&eng);
}

/* ---- the same events, English and localised ---------------------------------- */

static void csv_exports(void **state)
{
	(void)state;
	static const char *const langs[] = {"de", "es", "fr", "it", "pt", "ru", "zh", "ja", NULL};
	static const char *const slots[] = {"source", "id", "level", "time", "category", "message", "code",
					    "record", NULL};
	each_language("eventlog-csv/locale-", "en", ".csv", langs, "eventlog-csv", 3, slots);
	/* what they all agree on */
	struct harness r = {0};
	import_fixture(&r, NULL, "eventlog-csv/locale-en.csv");
	const struct kb_fact *f = nth_fact(&r, "event", 0);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "time", "2016-10-13T18:38:24");
	check_int(&r, f, "code", 10048);
	check_str(&r, nth_fact(&r, "event", 2), "level", "information");
	harness_close(&r);
}

static void copied_details(void **state)
{
	(void)state;
	static const char *const langs[] = {"de", "fr", "it", "pt", "ru", "zh", "ja", NULL};
	static const char *const slots[] = {"log", "source", "id", "level", "time", "category", "user", "computer",
					    "message", "code", NULL};
	each_language("eventlog-text/locale-", "en", "-copy.txt", langs, "eventlog-text", 3, slots);
}

/* The XP-era layout as Microsoft's Exchange Help quotes four events in
 * each language: source, ID and level agree; the descriptions are
 * translated. */
static void backpressure_pages(void **state)
{
	(void)state;
	static const char *const langs[] = {"de-de", "es-es", "fr-fr", "it-it", "pt-br", "ru-ru", "zh-cn", "ja-jp",
					    NULL};
	static const char *const slots[] = {"source", "id", "level", NULL};
	each_language("eventlog-text/exchange2013-backpressure-", "en-us", ".txt", langs, "eventlog-text", 4, slots);
	struct harness r = {0};
	import_fixture(&r, NULL, "eventlog-text/exchange2013-backpressure-zh-cn.txt");
	const struct kb_fact *f = nth_fact(&r, "event", 1); /* full-width colons */
	check_int(&r, f, "id", 15005);
	check_str(&r, f, "level", "information");
	check_str(&r, f, "category", "资源管理器");
	check_str(&r, f, "message", "资源压力已从*Previous Utilization Level*降低到*Current Utilization Level*。");
	harness_close(&r);
}

/* ---- real copies -------------------------------------------------------------------- */

static void check_copy(const char *rel, const char *log, const char *source, int64_t id, const char *level,
		       const char *time, const char *user, const char *computer, const char *message_start)
{
	struct harness r = {0};
	import_fixture(&r, NULL, rel);
	assert_string_equal(r.in.format, "eventlog-text");
	check_ok(&r);
	assert_int_equal(count_facts(&r, "event"), 1);
	const struct kb_fact *f = nth_fact(&r, "event", 0);
	check_str(&r, f, "log", log);
	check_str(&r, f, "source", source);
	check_int(&r, f, "id", id);
	check_str(&r, f, "level", level);
	check_str(&r, f, "time", time);
	check_nil(&r, f, "category"); /* "None" in each language */
	check_str(&r, f, "user", user);
	check_str(&r, f, "computer", computer);
	struct kb_value m = slot_value(&r, f, "message");
	assert_int_equal(m.type, KB_STRING);
	assert_true(strncmp(m.u.s, message_start, strlen(message_start)) == 0);
	check_line(f, 1);
	harness_close(&r);
}

static void real_copies(void **state)
{
	(void)state;
	check_copy("eventlog-text/real-de-dcom-copy.txt", "System", "Microsoft-Windows-DistributedCOM", 10001, "error",
		   "2018-06-25T12:08:15", "JAK\\Oliver", "Jak", "Ein DCOM-Server konnte nicht gestartet werden");
	/* 04/07/2015 reads either way and nothing else in the file decides:
	 * kept as written */
	check_copy("eventlog-text/real-fr-scm-copy.txt", "System", "Service Control Manager", 7036, "information",
		   "04/07/2015 14:45:26", NULL, "MSI", "Le service Assistance NetBIOS sur TCP/IP");
	check_copy("eventlog-text/real-ru-dcom-copy.txt", "System", "Microsoft-Windows-DistributedCOM", 10016, "error",
		   "2018-12-14T15:59:03", "LOCAL SERVICE", NULL, "Параметры разрешений по умолчанию");
	check_copy("eventlog-text/real-it-dcom-copy.txt", "System", "Microsoft-Windows-DistributedCOM", 10016, "error",
		   "2019-04-23T18:41:23", "DESKTOP-H59SGN4\\Fra", "DESKTOP-H59SGN4",
		   "Le impostazioni delle autorizzazioni");
	check_copy("eventlog-text/real-zh-dcom-copy.txt", "System", "Microsoft-Windows-DistributedCOM", 10016, "error",
		   "2019-01-04T21:37:41", "SYSTEM", "VincentXue-PC", "应用程序-特定 权限设置");
	check_copy("eventlog-text/real-ja-defrag-copy.txt", "Application", "Microsoft-Windows-Defrag", 259,
		   "information", "2018-04-01T22:04:42", NULL, "sunshine7", "ボリューム Windows (C:) に対して縮小の分析");
}

/* Microsoft Japan's AD FS blog quotes a failed logon so (its date masked
 * there as 2018/09/XX XX:XX:XX, one filled in here): Level says
 * Information, Keywords "失敗の監査" (audit failure). */
static void japanese_audit_failure(void **state)
{
	(void)state;
	struct harness r = {0};
	const char *text = "ログの名前:         Security\r\n"
			   "ソース:           Microsoft-Windows-Security-Auditing\r\n"
			   "日付:           2018/09/12 10:00:00\r\n"
			   "イベント ID:       4625\r\n"
			   "タスクのカテゴリ:     ログオン\r\n"
			   "レベル:           情報\r\n"
			   "キーワード:         失敗の監査\r\n"
			   "ユーザー:         N/A\r\n"
			   "コンピューター:       ADFS01.contoso.com\r\n"
			   "説明:\r\n"
			   "アカウントがログオンに失敗しました。\r\n";
	import_bytes(&r, NULL, "4625.txt", text, strlen(text));
	assert_string_equal(r.in.format, "eventlog-text");
	check_ok(&r);
	const struct kb_fact *f = nth_fact(&r, "event", 0);
	check_int(&r, f, "id", 4625);
	check_str(&r, f, "level", "audit failure");
	check_str(&r, f, "log", "Security");
	check_str(&r, f, "category", "ログオン");
	check_nil(&r, f, "user");
	harness_close(&r);
}

/* A German export's header and rows as a dataset catalogue quotes them;
 * the description's German "Fehlercode 0x7E" is not read as a code. */
static void real_german_csv(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture(&r, NULL, "eventlog-csv/real-de-printservice.csv");
	assert_string_equal(r.in.format, "eventlog-csv");
	assert_int_equal(r.score, 95);
	check_ok(&r);
	assert_int_equal(count_facts(&r, "event"), 4);
	const struct kb_fact *f = fact_at(&r, "event", 2);
	check_str(&r, f, "level", "information");
	check_str(&r, f, "time", "2021-10-27T12:28:26");
	check_str(&r, f, "source", "Microsoft-Windows-PrintService");
	check_int(&r, f, "id", 317);
	check_str(&r, f, "category", "Ein Druckertreiber wird gelöscht");
	f = fact_at(&r, "event", 4);
	check_str(&r, f, "level", "error");
	check_int(&r, f, "id", 808);
	check_nil(&r, f, "code");
	check_int(&r, fact_at(&r, "event", 5), "id", 354);
	harness_close(&r);
}

/* ---- code pages ---------------------------------------------------------------- */

static void check_same_as_utf8(struct harness *h, const char *rel, const char *encoding)
{
	struct harness utf8 = {0};
	import_fixture(&utf8, NULL, rel);
	assert_string_equal(h->text.encoding, encoding);
	assert_string_equal(h->in.format, utf8.in.format);
	check_ok(h);
	size_t n = count_facts(&utf8, "event");
	assert_int_equal(count_facts(h, "event"), n);
	static const char *const slots[] = {"source", "id", "level", "time", "category", "message", NULL};
	for (size_t i = 0; i < n; i++)
		same_event(&utf8, h, i, slots);
	harness_close(&utf8);
}

/* XP-era files are in the ANSI code page (Russian 1251, Chinese 936,
 * Japanese 932); Vista's tab-delimited text, and text saved from Notepad
 * as "Unicode", in UTF-16LE with a BOM. */
static void code_pages(void **state)
{
	(void)state;
	static const struct {
		const char *rel, *iconv_name, *encoding;
	} cases[] = {
		{"eventlog-text/exchange2013-backpressure-ru-ru.txt", "CP1251", "windows-1251"},
		{"eventlog-csv/locale-ru.csv", "CP1251", "windows-1251"},
		{"eventlog-csv/locale-zh.csv", "GBK", "gbk"},
		{"eventlog-text/locale-ja-copy.txt", "CP932", "cp932"},
		{"eventlog-csv/locale-ru.csv", "UTF-16LE", "utf-16le"},
		{"eventlog-text/real-zh-dcom-copy.txt", "UTF-16", "utf-16le"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness h = {0};
		import_fixture_encoded(&h, cases[i].rel, cases[i].iconv_name);
		check_same_as_utf8(&h, cases[i].rel, cases[i].encoding);
		harness_close(&h);
	}
}

/* The NT/2000/XP "Save Log File As" layout (Date, Time, Source, Type, ...)
 * in Russian Windows' ANSI code page: its Type column localised, "Н/Д"
 * for N/A. */
static void xp_comma_delimited_cp1251(void **state)
{
	(void)state;
	struct harness r = {0};
	import_fixture_encoded(&r, "eventlog-csv/locale-ru-xp.csv", "CP1251");
	assert_string_equal(r.text.encoding, "windows-1251");
	assert_string_equal(r.in.format, "eventlog-csv");
	check_ok(&r);
	const struct kb_fact *f = nth_fact(&r, "event", 0);
	check_str(&r, f, "level", "error");
	check_str(&r, f, "time", "2016-10-13T18:38:25");
	check_nil(&r, f, "user");
	check_int(&r, f, "code", 0x80004005u);
	harness_close(&r);
}

/* ---- the pieces ----------------------------------------------------------------- */

static void labels_and_times(void **state)
{
	(void)state;
	size_t after = 0;
	const char *line = "事件 ID：15004";
	assert_string_equal(kbf_label_key(&kbf_labels_event_keys, line, strlen(line), &after), "event id");
	assert_string_equal(line + after, "15004");
	assert_string_equal(kbf_winevt_any_level("Ошибка", strlen("Ошибка")), "error");
	assert_string_equal(kbf_winevt_any_level(" Avertissement", 14), "warning");
	assert_string_equal(kbf_winevt_any_level("Warnung", 7), "warning");
	assert_string_equal(kbf_winevt_any_level("Advertencia", 11), "warning");
	assert_string_equal(kbf_winevt_any_level("失敗の監査", strlen("失敗の監査")), "audit failure");
	assert_null(kbf_winevt_any_level("Klassisch", 9));

	struct kbf_winevt_dates d = {0};
	struct kbf_wtext_buf out = {0};
	/* Spanish (Mexico) marks the afternoon "p. m.", with a no-break space too */
	kbf_winevt_date_hint(&d, "13/10/2016", 10, "06:38:24 p.\xC2\xA0m.", 15);
	assert_true(kbf_winevt_dates_decided(&d));
	kbf_winevt_local_time(&d, "13/10/2016", 10, "06:38:24 p.\xC2\xA0m.", 15, &out);
	assert_string_equal(out.s, "2016-10-13T18:38:24");
	kbf_winevt_local_time(&d, "13/10/2016", 10, "12:05:00 a. m.", 14, &out);
	assert_string_equal(out.s, "2016-10-13T00:05:00");
	kbf_wtext_buf_free(&out);
}

/* The German Exchange Help quote as the first localised version read it:
 * the description's placeholders filled in. */
static void german_properties_inline(void **state)
{
	(void)state;
	struct harness im = {0};
	const char *text = "Ereignistyp: Fehler\r\n"
			   "Ereignisquelle: MSExchangeTransport\r\n"
			   "Ereigniskategorie: Ressourcen-Manager\r\n"
			   "Ereignis-ID: 15004\r\n"
			   "Beschreibung: Die Ressourcenauslastungstufe wurde von Normal auf Hoch erh\xc3\xb6ht.\r\n"
			   "\r\n"
			   "Ereignistyp: Information\r\n"
			   "Ereignisquelle: MSExchangeTransport\r\n"
			   "Ereigniskategorie: Ressourcen-Manager\r\n"
			   "Ereignis-ID: 15005\r\n"
			   "Beschreibung: Die Ressourcenauslastungstufe wurde von Hoch auf Normal abgesenkt.\r\n";
	import_bytes(&im, NULL, "ereignisse.txt", text, strlen(text));
	assert_string_equal(im.in.format, "eventlog-text");
	check_ok(&im);
	assert_int_equal(count_facts(&im, "event"), 2);
	const struct kb_fact *f = nth_fact(&im, "event", 0);
	check_int(&im, f, "id", 15004);
	check_str(&im, f, "source", "MSExchangeTransport");
	check_str(&im, f, "level", "error");
	check_str(&im, f, "category", "Ressourcen-Manager");
	check_str(&im, f, "message", "Die Ressourcenauslastungstufe wurde von Normal auf Hoch erh\xc3\xb6ht.");
	check_line(f, 1);
	f = nth_fact(&im, "event", 1);
	check_int(&im, f, "id", 15005);
	check_str(&im, f, "level", "information");
	check_line(f, 7);
	harness_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_exports),
		cmocka_unit_test(copied_details),
		cmocka_unit_test(backpressure_pages),
		cmocka_unit_test(real_copies),
		cmocka_unit_test(japanese_audit_failure),
		cmocka_unit_test(real_german_csv),
		cmocka_unit_test(code_pages),
		cmocka_unit_test(xp_comma_delimited_cp1251),
		cmocka_unit_test(labels_and_times),
		cmocka_unit_test(german_properties_inline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
