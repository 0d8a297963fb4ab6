/*
 * test_pe_version.c — the PE importer and walker on real images that
 * MinGW-w64 built from tests/fixtures/pe (pe_fixtures.cmake): PE32+ and
 * PE32 with a version resource, PE32+ without one; the Windows path taken
 * from the bundle's folder layout; and copies of the good image corrupted
 * here (cut short, e_lfanew past the end, a resource directory pointing at
 * itself, a huge NumberOfSections, wLength past its parent, random bytes):
 * errors, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "importer_harness.h"
#include "windows/files/pe.h"

#define IMAGE(name) KBDIAG_PE_DIR "/" name
#define nfiles() count_facts(&h, "file")
#define file_fact(n) nth_fact(&h, "file", (n))

/* Set by pe_fixtures.cmake when MinGW-w64 built the images. */
#ifndef KBDIAG_HAVE_PE64
#define KBDIAG_HAVE_PE64 0
#endif
#ifndef KBDIAG_HAVE_PE32
#define KBDIAG_HAVE_PE32 0
#endif

/* Skips the test (loudly, in cmocka's summary) without the images. */
static void need(int have)
{
	if (!have)
		skip();
}

static const struct kbf_importer *const pe_imp = &kbf_pe_version_importer;
static struct harness h;

/* Reads an image into a fresh engine: each case stands alone. */
static int import_pe(const char *shown, const unsigned char *p, size_t len)
{
	harness_close(&h);
	return import_bytes(&h, pe_imp, shown, p, len);
}

static unsigned char *image(const char *name, size_t *len)
{
	unsigned char *p = file_read(name, len);
	assert_true(*len > 0x200);
	return p;
}

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static void wr16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8); }
static void wr32(unsigned char *p, uint32_t v) { wr16(p, (uint16_t)v), wr16(p + 2, (uint16_t)(v >> 16)); }

/* Checks the one file fact a good image with the test resource gives. */
static void check_good(const char *shown, const char *path, const char *name, size_t len)
{
	assert_int_equal(nfiles(), 1);
	check_file(&h, file_fact(0), path, name, "6.0.8168.0", "6.00.8168.0", "6.00.8168.0", 0);
	check_int(&h, file_fact(0), "size", (int64_t)len);
	check_int(&h, file_fact(0), "version_code", 6ll << 48 | 8168ll << 16);
	assert_string_equal(h.in.path, shown);
	assert_int_equal(h.in.err.status, KB_OK);
}

static void import_ok(const unsigned char *p, size_t len, const char *shown)
{
	int rc = import_pe(shown, p, len);
	if (rc != 0)
		fail_msg("%s: %s", h.in.err.where, h.in.err.msg);
	assert_int_equal(h.score, 100);
	assert_ptr_equal(recognise_bytes(p, len), pe_imp);
}

/* ---- good images ---------------------------------------------------------------- */

static void pe32plus(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	unsigned char *p = image(IMAGE("mfc42_x64.dll"), &len);
	import_ok(p, len, "C/WINNT/system32/mfc42.dll");
	check_good("C/WINNT/system32/mfc42.dll", "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", len);
	assert_non_null(strstr(file_fact(0)->prov.text, "PE32+ x64 image"));

	struct kbf_pe_info pe;
	assert_int_equal(kbf_pe_read(p, len, &pe), KBF_PE_VERSION);
	assert_true(pe.pe32plus);
	assert_int_equal(pe.machine, 0x8664);
	assert_true(pe.has_fixed);
	assert_int_equal(pe.product_version[2], 8168);
	assert_string_equal(pe.file_version_text, "6.00.8168.0");
	assert_string_equal(pe.product_version_text, "6.00.8168.0");
	assert_string_equal(pe.problem, "");
	kbf_pe_info_free(&pe);
	free(p);
}

static void pe32(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE32);
	size_t len;
	unsigned char *p = image(IMAGE("mfc42_x86.dll"), &len);
	import_ok(p, len, "C_/WINNT/system32/mfc42.dll");
	check_good("C_/WINNT/system32/mfc42.dll", "C:\\WINNT\\system32\\mfc42.dll", "mfc42.dll", len);
	assert_non_null(strstr(file_fact(0)->prov.text, "PE32 i386 image"));
	struct kbf_pe_info pe;
	assert_int_equal(kbf_pe_read(p, len, &pe), KBF_PE_VERSION);
	assert_false(pe.pe32plus);
	assert_int_equal(pe.machine, 0x14c);
	kbf_pe_info_free(&pe);
	free(p);
}

static void no_resources(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	unsigned char *p = image(IMAGE("nores.exe"), &len);
	import_ok(p, len, "files/nores.exe");
	assert_int_equal(nfiles(), 1);
	check_file(&h, file_fact(0), "files\\nores.exe", "nores.exe", NULL, NULL, NULL, 0);
	check_int(&h, file_fact(0), "size", (int64_t)len);
	free(p);
}

/* in->path -> the path slot: drive folders, other folders, a bare name. */
static void windows_paths(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	static const char *const cases[][2] = {
		{"C$/WINNT/system32/mfc42.dll", "C:\\WINNT\\system32\\mfc42.dll"},
		{"d/Program Files/Exchsrvr/bin/mfc42.dll", "D:\\Program Files\\Exchsrvr\\bin\\mfc42.dll"},
		{"./C/mfc42.dll", "C:\\mfc42.dll"},
		{"files/mfc42.dll", "files\\mfc42.dll"},
		{"mfc42.dll", "mfc42.dll"},
		{"CD/mfc42.dll", "CD\\mfc42.dll"},
	};
	size_t len;
	unsigned char *p = image(IMAGE("mfc42_x64.dll"), &len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		import_ok(p, len, cases[i][0]);
		check_good(cases[i][0], cases[i][1], "mfc42.dll", len);
	}
	free(p);
}

/* Through the bundle reader: a directory with C/WINNT/system32/mfc42.dll. */
static void bundle_layout(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	char *dir = scratch_dir();
	size_t len;
	unsigned char *p = image(IMAGE("mfc42_x64.dll"), &len);
	scratch_write_bytes(dir, "C/WINNT/system32/MFC42.DLL", p, len);

	harness_open(&h);
	struct kbf_inputs inputs = {0};
	assert_int_equal(kbf_read_path(h.eng, dir, &inputs), 0);
	assert_int_equal(inputs.n, 1);
	assert_string_equal(inputs.v[0].format, "pe-image");
	h.in = inputs.v[0];
	check_good("C/WINNT/system32/MFC42.DLL", "C:\\WINNT\\system32\\MFC42.DLL", "MFC42.DLL", len);
	kbf_inputs_free(&inputs);
	memset(&h.in, 0, sizeof(h.in));
	scratch_remove(dir);
	free(p);
}

/* ---- corrupted copies ----------------------------------------------------------- */

/* Where things are in the good image, found independently of windows/files/pe.c. */
struct layout {
	size_t lfanew, sections, rsrc, vs;
	unsigned nsections;
};

static size_t rva_to_offset(const unsigned char *p, const struct layout *l, uint32_t rva)
{
	for (unsigned i = 0; i < l->nsections; i++) {
		const unsigned char *s = p + l->sections + i * 40;
		uint32_t va = rd32(s + 12), size = rd32(s + 8) > rd32(s + 16) ? rd32(s + 8) : rd32(s + 16);
		if (rva >= va && rva < va + size)
			return rd32(s + 20) + (rva - va);
	}
	fail_msg("RVA 0x%x in no section", rva);
	return 0;
}

/* Offset of the UTF-16LE string key in p. */
static size_t find_key(const unsigned char *p, size_t len, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i + n * 2 <= len; i++) {
		size_t k = 0;
		while (k < n && p[i + 2 * k] == (unsigned char)key[k] && p[i + 2 * k + 1] == 0)
			k++;
		if (k == n)
			return i;
	}
	fail_msg("no key %s", key);
	return 0;
}

/* Offset of the version block whose key is key: its wLength, wValueLength
 * and wType come first, 6 bytes. */
static size_t block_of(const unsigned char *p, size_t len, const char *key)
{
	size_t k = find_key(p, len, key);
	assert_true(k >= 6);
	return k - 6;
}

static void locate(const unsigned char *p, size_t len, struct layout *l)
{
	l->lfanew = rd32(p + 0x3C);
	l->nsections = rd16(p + l->lfanew + 6);
	size_t opt = l->lfanew + 24;
	l->sections = opt + rd16(p + l->lfanew + 20);
	size_t dirs = opt + (rd16(p + opt) == 0x20B ? 112 : 96);
	l->rsrc = rva_to_offset(p, l, rd32(p + dirs + 16));
	l->vs = block_of(p, len, "VS_VERSION_INFO");
}

/* The root's RT_VERSION entry. */
static unsigned char *version_entry(unsigned char *p, const struct layout *l)
{
	unsigned n = rd16(p + l->rsrc + 12) + rd16(p + l->rsrc + 14);
	for (unsigned i = 0; i < n; i++)
		if (rd32(p + l->rsrc + 16 + i * 8) == 16)
			return p + l->rsrc + 16 + i * 8;
	fail_msg("no RT_VERSION entry");
	return NULL;
}

static void expect_error(const unsigned char *p, size_t len, const char *needle)
{
	if (import_pe("C/bad.dll", p, len) != -1)
		fail_msg("no error for %zu bytes (%s expected)", len, needle ? needle : "any");
	assert_int_equal(h.in.err.status, KB_EINVAL);
	assert_string_equal(h.in.err.where, "C/bad.dll");
	if (needle && !strstr(h.in.err.msg, needle))
		fail_msg("error \"%s\" lacks \"%s\"", h.in.err.msg, needle);
}

static unsigned char *good_copy(size_t *len, struct layout *l)
{
	unsigned char *p = image(IMAGE("mfc42_x64.dll"), len);
	locate(p, *len, l);
	return p;
}

static void truncated(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	struct layout l;
	unsigned char *p = good_copy(&len, &l);
	const size_t cuts[] = {1, 2, 0x20, 0x3F, 0x40, l.lfanew + 2, l.lfanew + 30, l.sections + 20,
			       l.rsrc + 8, l.vs + 20, len / 2, len - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		expect_error(p, cuts[i], NULL);
	for (size_t cut = 3; cut < len; cut += 61)
		expect_error(p, cut, NULL);
	import_pe("C/bad.dll", p, 0x20);
	assert_int_equal(h.score, 40); /* cut in its DOS header, still claimed so the error shows */
	expect_error(p, l.lfanew + 2, "e_lfanew");
	expect_error(p, l.sections + 20, "section table");
	free(p);
}

static void bad_headers(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	struct layout l;
	unsigned char *p = good_copy(&len, &l);
	unsigned char *q = malloc(len);
	assert_non_null(q);

	memcpy(q, p, len);
	wr32(q + 0x3C, (uint32_t)len + 100);
	expect_error(q, len, "e_lfanew 0x");
	import_pe("C/bad.dll", q, len);
	assert_int_equal(h.score, 40);

	memcpy(q, p, len);
	wr16(q + l.lfanew + 6, 0xFFFF);
	expect_error(q, len, "NumberOfSections 65535");

	memcpy(q, p, len);
	wr16(q + l.lfanew + 24, 0x107); /* ROM image magic */
	expect_error(q, len, "magic 0x107");

	memcpy(q, p, len);
	wr16(q + l.lfanew + 20, 8); /* SizeOfOptionalHeader too small */
	expect_error(q, len, "optional header");
	free(q);
	free(p);
}

static void bad_resource_tree(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	struct layout l;
	unsigned char *p = good_copy(&len, &l);
	unsigned char *q = malloc(len);
	assert_non_null(q);

	memcpy(q, p, len); /* RT_VERSION's subdirectory is the root itself */
	wr32(version_entry(q, &l) + 4, 0x80000000u);
	expect_error(q, len, "points back to itself");

	memcpy(q, p, len); /* the name directory's entry points at the name directory */
	uint32_t names = rd32(version_entry(q, &l) + 4) & 0x7FFFFFFFu;
	wr32(q + l.rsrc + names + 16 + 4, 0x80000000u | names);
	expect_error(q, len, "points back to itself");

	memcpy(q, p, len);
	wr16(q + l.rsrc + 14, 0xFFFF);
	expect_error(q, len, "claims");

	memcpy(q, p, len); /* the data entry's RVA far outside every section */
	uint32_t langs = rd32(q + l.rsrc + names + 16 + 4) & 0x7FFFFFFFu;
	uint32_t leaf = rd32(q + l.rsrc + langs + 16 + 4);
	wr32(q + l.rsrc + leaf, 0x7FFFFFF0u);
	expect_error(q, len, "version resource (RVA 0x7ffffff0");

	memcpy(q, p, len); /* the leaf claims to be a directory: a fourth level */
	wr32(q + l.rsrc + langs + 16 + 4, 0x80000000u | names);
	expect_error(q, len, NULL);
	free(q);
	free(p);
}

static void bad_version_blocks(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	struct layout l;
	unsigned char *p = good_copy(&len, &l);
	unsigned char *q = malloc(len);
	assert_non_null(q);

	memcpy(q, p, len);
	size_t sfi = block_of(q, len, "StringFileInfo");
	wr16(q + sfi, 0xFFF0);
	expect_error(q, len, "goes past its parent");

	memcpy(q, p, len);
	wr16(q + l.vs, (uint16_t)(rd16(q + l.vs) + 64));
	expect_error(q, len, "goes past its parent");

	memcpy(q, p, len);
	size_t fv = block_of(q, len, "FileVersion");
	wr16(q + fv, 2);
	expect_error(q, len, "wLength 2");

	memcpy(q, p, len); /* the root's key "VS_VERSION_INFO" loses its NUL */
	wr16(q + l.vs, 6 + 20);
	expect_error(q, len, "terminating NUL");

	memcpy(q, p, len);
	size_t sig = find_key(q, len, "VS_VERSION_INFO") + 32 + 2; /* key, NUL, padding */
	assert_int_equal(rd32(q + sig), 0xFEEF04BDu);
	wr32(q + sig, 0xFEEF04BCu);
	expect_error(q, len, "signature 0xfeef04bc");

	memcpy(q, p, len);
	q[find_key(q, len, "VS_VERSION_INFO")] = 'X';
	expect_error(q, len, "VS_VERSION_INFO");
	free(q);
	free(p);
}

/* Random damage anywhere in the headers and the resource section. */
static void random_damage(void **state)
{
	(void)state;
	need(KBDIAG_HAVE_PE64);
	size_t len;
	struct layout l;
	unsigned char *p = good_copy(&len, &l);
	unsigned char *q = malloc(len);
	assert_non_null(q);
	uint32_t seed = 12345;
	for (int round = 0; round < 3000; round++) {
		memcpy(q, p, len);
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = round % 2 ? (seed >> 8) % 0x400 : l.rsrc + (seed >> 8) % (len - l.rsrc);
			seed = seed * 1103515245u + 12345u;
			q[at < len ? at : len - 1] = (unsigned char)(seed >> 16);
		}
		int rc = import_pe("C/bad.dll", q, len);
		assert_true(rc == 0 || rc == -1);
		assert_true(nfiles() <= 1);
	}
	free(q);
	free(p);
}

static void not_pe(void **state)
{
	(void)state;
	unsigned char ne[0x80] = {'M', 'Z'};
	wr16(ne + 0x18, 0x40);
	wr32(ne + 0x3C, 0x40);
	ne[0x40] = 'N', ne[0x41] = 'E';
	assert_int_equal(import_pe("WINHELP.EXE", ne, sizeof(ne)), -1);
	assert_int_equal(h.score, 0); /* a 16-bit NE executable is left unclaimed */
	assert_non_null(strstr(h.in.err.msg, "not a PE image"));
	assert_int_equal(nfiles(), 0);

	const char *text = "MZ is how this note starts, but it is text: long enough to hold a DOS header's "
			   "worth of bytes, none of them NUL.\r\n";
	assert_int_equal(import_pe("note.txt", (const unsigned char *)text, strlen(text)), -1);
	assert_int_equal(h.score, 0);
	assert_null(recognise_bytes(text, strlen(text)));
}

static int teardown(void **state)
{
	(void)state;
	harness_close(&h);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(pe32plus, teardown),
		cmocka_unit_test_teardown(pe32, teardown),
		cmocka_unit_test_teardown(no_resources, teardown),
		cmocka_unit_test_teardown(windows_paths, teardown),
		cmocka_unit_test_teardown(bundle_layout, teardown),
		cmocka_unit_test_teardown(truncated, teardown),
		cmocka_unit_test_teardown(bad_headers, teardown),
		cmocka_unit_test_teardown(bad_resource_tree, teardown),
		cmocka_unit_test_teardown(bad_version_blocks, teardown),
		cmocka_unit_test_teardown(random_damage, teardown),
		cmocka_unit_test_teardown(not_pe, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
