/*
 * pe.c — finding VS_VERSIONINFO in a PE32 / PE32+ image, in portable C.
 * Customers send the DLLs themselves when a listing is not to be had; the
 * binary VS_FIXEDFILEINFO is the version Windows compares, the strings are
 * what Explorer shows.
 *
 * Layouts (Microsoft "PE Format", learn.microsoft.com/windows/win32/debug/
 * pe-format; "VS_VERSIONINFO", ".../menurc/vs-versioninfo"; "VS_FIXEDFILEINFO";
 * docs/evidence-formats.md "PE version resources: layout and walk"):
 *   DOS header "MZ", e_lfanew at 0x3C -> "PE\0\0", 20-byte COFF header
 *   (Machine +0, NumberOfSections +2, SizeOfOptionalHeader +16), optional
 *   header (Magic 0x10B PE32 / 0x20B PE32+; FileAlignment +36, SizeOfHeaders
 *   +60, NumberOfRvaAndSizes +92 / +108, data directories +96 / +112, entry 2
 *   = resources), then 40-byte section headers.  The resource tree is
 *   type (16 = RT_VERSION) -> name -> language -> IMAGE_RESOURCE_DATA_ENTRY,
 *   whose OffsetToData is an RVA, not a tree offset.
 *
 * Every offset comes from the file and is checked before it is read; the
 * tree walk is bounded (three levels, no directory visited twice, at most
 * 4096 entries per directory) so a directory pointing at itself ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_SECTIONS 96     /* "the Windows loader limits the number of sections to 96" (PE Format) */
#define MAX_DIR_ENTRIES 4096 /* pefile's per-directory limit */
#define RT_VERSION 16
#define FIXED_SIGNATURE 0xFEEF04BDu
#define FIXED_SIZE 52

struct image {
	const unsigned char *p;
	size_t len;
	size_t sections;      /* file offset of the section table */
	unsigned nsections;
	uint32_t file_align;
	uint32_t size_headers;
	struct kbf_pe_info *out;
};

/* A resource directory tree or version resource mapped into the file. */
struct span {
	const unsigned char *p;
	size_t len;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool in_file(const struct image *im, uint64_t off, uint64_t n)
{
	return off <= im->len && n <= im->len - off;
}

static int fail(struct kbf_pe_info *out, const char *fmt, ...) KBU_PRINTF_LIKE(2, 3);
static int fail(struct kbf_pe_info *out, const char *fmt, ...)
{
	if (!out->problem[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(out->problem, sizeof(out->problem), fmt, ap);
		va_end(ap);
	}
	return -1;
}

int kbf_pe_probe(const unsigned char *p, size_t len)
{
	if (len < 2 || p[0] != 'M' || p[1] != 'Z')
		return 0;
	if (len < 0x40)
		return memchr(p, '\0', len) ? 40 : 0; /* a binary cut inside its DOS header */
	uint32_t lfanew = rd32(p + 0x3C);
	if (lfanew <= len && len - lfanew >= 4)
		return memcmp(p + lfanew, "PE\0\0", 4) == 0 ? 100 : 0;
	/* e_lfarlc >= 0x40 marks a new-style executable (PE, NE, LE); a DOS
	 * header always holds NUL bytes, a text starting "MZ" does not. */
	return rd16(p + 0x18) >= 0x40 && memchr(p, '\0', 0x40) ? 40 : 0;
}

/* ---- headers and sections -------------------------------------------------- */

/* pefile's adjust_PointerToRawData: the loader rounds raw pointers down to
 * 512 bytes when FileAlignment is at least that. */
static uint32_t raw_pointer(const struct image *im, const unsigned char *sec)
{
	uint32_t ptr = rd32(sec + 20);
	return im->file_align >= 0x200 ? ptr & ~0x1FFu : ptr;
}

/* Notes (without failing) a section whose raw data the file does not hold:
 * the customer's copy was cut short, even if the version survived. */
static void check_sections(struct image *im)
{
	for (unsigned i = 0; i < im->nsections; i++) {
		const unsigned char *sec = im->p + im->sections + (size_t)i * 40;
		uint32_t raw = rd32(sec + 16), ptr = raw_pointer(im, sec);
		if (raw && !in_file(im, ptr, raw)) {
			fail(im->out, "section %.8s ends at 0x%llx, past the end of the file (%zu bytes)",
			     (const char *)sec, (unsigned long long)ptr + raw, im->len);
			return;
		}
	}
}

/* Maps [rva, rva + size) to file bytes; false when the file does not hold
 * all of them.  An RVA inside the headers maps to itself (pefile). */
static bool map_rva(const struct image *im, uint32_t rva, uint32_t size, struct span *s)
{
	for (unsigned i = 0; i < im->nsections; i++) {
		const unsigned char *sec = im->p + im->sections + (size_t)i * 40;
		uint32_t vsize = rd32(sec + 8), va = rd32(sec + 12), raw = rd32(sec + 16);
		uint64_t extent = vsize > raw ? vsize : raw;
		if (rva < va || rva - va >= extent)
			continue;
		uint64_t delta = rva - va, off = (uint64_t)raw_pointer(im, sec) + delta;
		if (delta + size > raw || !in_file(im, off, size))
			return false;
		uint64_t avail = raw - delta < im->len - off ? raw - delta : im->len - off;
		*s = (struct span){im->p + off, (size_t)avail};
		return true;
	}
	if ((uint64_t)rva + size > im->size_headers || !in_file(im, rva, size))
		return false;
	*s = (struct span){im->p + rva, im->size_headers - rva < im->len - rva ? im->size_headers - rva : im->len - rva};
	return true;
}

/* Reads the DOS, COFF and optional headers.  Sets *res_rva (0: no resources). */
static int read_headers(struct image *im, uint32_t *res_rva)
{
	struct kbf_pe_info *out = im->out;
	if (im->len < 0x40)
		return fail(out, "cut short inside the DOS header (%zu bytes)", im->len);
	uint32_t lfanew = rd32(im->p + 0x3C);
	if (!in_file(im, lfanew, 24))
		return fail(out, "e_lfanew 0x%x points past the end of the file (%zu bytes)", lfanew, im->len);
	const unsigned char *coff = im->p + lfanew + 4;
	out->machine = rd16(coff);
	im->nsections = rd16(coff + 2);
	uint16_t optsize = rd16(coff + 16);
	size_t opt = (size_t)lfanew + 24;
	if (im->nsections > MAX_SECTIONS)
		return fail(out, "NumberOfSections %u is more than the loader accepts (%d)", im->nsections, MAX_SECTIONS);
	if (optsize < 64 || !in_file(im, opt, optsize))
		return fail(out, "optional header (%u bytes at 0x%zx) cut short or too small", optsize, opt);
	im->sections = opt + optsize;
	if (!in_file(im, im->sections, (uint64_t)im->nsections * 40))
		return fail(out, "section table (%u sections at 0x%zx) past the end of the file", im->nsections, im->sections);
	uint16_t magic = rd16(im->p + opt);
	if (magic != 0x10B && magic != 0x20B)
		return fail(out, "optional header magic 0x%x is neither PE32 (0x10b) nor PE32+ (0x20b)", magic);
	out->pe32plus = magic == 0x20B;
	size_t count_at = out->pe32plus ? 108 : 92, dirs_at = out->pe32plus ? 112 : 96;
	im->file_align = rd32(im->p + opt + 36);
	im->size_headers = rd32(im->p + opt + 60);
	*res_rva = 0;
	if (optsize >= dirs_at + 24 && rd32(im->p + opt + count_at) > 2)
		*res_rva = rd32(im->p + opt + dirs_at + 16);
	return 0;
}

/* ---- the resource tree ------------------------------------------------------ */

/* The entries of the directory at off: 0 ok, -1 corrupt. */
static int dir_entries(struct kbf_pe_info *out, const struct span *tree, uint32_t off, unsigned *n)
{
	if ((uint64_t)off + 16 > tree->len)
		return fail(out, "resource directory at +0x%x lies past the resource section", off);
	*n = (unsigned)rd16(tree->p + off + 12) + rd16(tree->p + off + 14);
	if (*n > MAX_DIR_ENTRIES)
		return fail(out, "resource directory at +0x%x claims %u entries", off, *n);
	if ((uint64_t)off + 16 + (uint64_t)*n * 8 > tree->len)
		return fail(out, "resource directory at +0x%x: %u entries run past the resource section", off, *n);
	return 0;
}

/* Follows a subdirectory entry, refusing one already visited. */
static int subdir(struct kbf_pe_info *out, uint32_t entry_data, const uint32_t *seen, size_t nseen, uint32_t *dir)
{
	if (!(entry_data & 0x80000000u))
		return fail(out, "resource entry 0x%x should be a directory", entry_data);
	*dir = entry_data & 0x7FFFFFFFu;
	for (size_t i = 0; i < nseen; i++)
		if (seen[i] == *dir)
			return fail(out, "resource directory at +0x%x points back to itself", *dir);
	return 0;
}

/* Walks type RT_VERSION -> first name -> first language to the data
 * entry.  1 found (*data_rva, *data_size), 0 no version resource, -1 corrupt. */
static int find_version(struct image *im, const struct span *tree, uint32_t *data_rva, uint32_t *data_size)
{
	struct kbf_pe_info *out = im->out;
	uint32_t seen[3] = {0}, dir = 0;
	unsigned n;
	if (dir_entries(out, tree, 0, &n) < 0)
		return -1;
	const unsigned char *e = NULL;
	for (unsigned i = 0; i < n && !e; i++) {
		const unsigned char *cand = tree->p + 16 + (size_t)i * 8;
		if (rd32(cand) == RT_VERSION)
			e = cand;
	}
	for (size_t level = 1; e && level < 3; level++) {
		if (subdir(out, rd32(e + 4), seen, level, &dir) < 0 || dir_entries(out, tree, dir, &n) < 0)
			return -1;
		seen[level] = dir;
		e = n ? tree->p + dir + 16 : NULL;
	}
	if (!e)
		return 0;
	uint32_t leaf = rd32(e + 4);
	if (leaf & 0x80000000u)
		return fail(out, "resource tree nests deeper than type/name/language");
	if ((uint64_t)leaf + 16 > tree->len)
		return fail(out, "resource data entry at +0x%x lies past the resource section", leaf);
	*data_rva = rd32(tree->p + leaf);
	*data_size = rd32(tree->p + leaf + 4);
	return 1;
}

/* ---- VS_VERSIONINFO ------------------------------------------------------------ */

struct block {
	size_t start, end;   /* offsets in the version resource */
	uint16_t value_len;
	size_t key, key_end; /* UTF-16 key, without its NUL */
	size_t value;        /* first byte after the key's padding */
};

/* Blocks are aligned on 32 bits from the start of the resource: Windows
 * copies the resource into a buffer of its own (GetFileVersionInfo) before
 * VerQueryValue walks it, so the resource start is the reference. */
static size_t align4(size_t off) { return (off + 3) & ~(size_t)3; }

static int read_block(struct kbf_pe_info *out, const struct span *v, size_t at, size_t parent_end, struct block *b)
{
	if (at + 6 > parent_end)
		return fail(out, "version block at +%zu cut short", at);
	uint16_t wlen = rd16(v->p + at);
	if (wlen < 6)
		return fail(out, "version block at +%zu has wLength %u", at, wlen);
	if (at + wlen > parent_end)
		return fail(out, "version block at +%zu: wLength %u goes past its parent (ends at +%zu)", at, wlen, parent_end);
	*b = (struct block){.start = at, .end = at + wlen, .value_len = rd16(v->p + at + 2), .key = at + 6};
	size_t k = b->key;
	while (k + 2 <= b->end && rd16(v->p + k))
		k += 2;
	if (k + 2 > b->end)
		return fail(out, "version block at +%zu: key has no terminating NUL", at);
	b->key_end = k;
	b->value = align4(k + 2);
	if (b->value > b->end)
		b->value = b->end;
	return 0;
}

static bool key_is(const struct span *v, const struct block *b, const char *ascii)
{
	size_t n = strlen(ascii);
	if (b->key_end - b->key != n * 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (rd16(v->p + b->key + i * 2) != (unsigned char)ascii[i])
			return false;
	return true;
}

/* UTF-16LE text in [at, end) up to its NUL, as UTF-8 without trailing
 * blanks; NULL when empty. */
static char *utf16_text(const struct span *v, size_t at, size_t end)
{
	char *s = kbu_malloc((end - at) / 2 * 3 + 1); /* a unit takes at most 3 bytes, a pair 4 */
	size_t n = 0;
	for (size_t i = at; i + 2 <= end;) {
		uint32_t c;
		i += kbu_utf16_get(v->p + i, end - i, true, &c);
		if (c == 0)
			break;
		n += kbu_utf8_put(s + n, c);
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* The children of parent, one after another; *at advances past each. */
static int next_child(struct kbf_pe_info *out, const struct span *v, const struct block *parent, size_t *at,
		      struct block *child)
{
	if (*at + 6 > parent->end)
		return 0;
	if (read_block(out, v, *at, parent->end, child) < 0)
		return -1;
	*at = align4(child->end);
	return 1;
}

/* A StringTable: keep the FileVersion and ProductVersion strings. */
static int read_strings(struct kbf_pe_info *out, const struct span *v, const struct block *table)
{
	struct block s;
	size_t at = table->value;
	int rc;
	while ((rc = next_child(out, v, table, &at, &s)) > 0) {
		char **dst = key_is(v, &s, "FileVersion")	     ? &out->file_version_text
			     : key_is(v, &s, "ProductVersion") ? &out->product_version_text
							       : NULL;
		if (dst && !*dst)
			*dst = utf16_text(v, s.value, s.end);
	}
	return rc;
}

/* StringFileInfo: the first StringTable (one language is enough: they
 * carry the same version). */
static int read_string_file_info(struct kbf_pe_info *out, const struct span *v, const struct block *sfi)
{
	struct block table;
	size_t at = sfi->value;
	int rc = next_child(out, v, sfi, &at, &table);
	return rc > 0 ? read_strings(out, v, &table) : rc;
}

static void split_version(uint32_t ms, uint32_t ls, unsigned v[4])
{
	v[0] = ms >> 16, v[1] = ms & 0xFFFF, v[2] = ls >> 16, v[3] = ls & 0xFFFF;
}

static int read_fixed(struct kbf_pe_info *out, const struct span *v, const struct block *root)
{
	if (root->value_len == 0)
		return 0;
	if (root->value_len < FIXED_SIZE || root->value + FIXED_SIZE > root->end)
		return fail(out, "VS_FIXEDFILEINFO cut short (%u bytes)", root->value_len);
	const unsigned char *f = v->p + root->value;
	if (rd32(f) != FIXED_SIGNATURE)
		return fail(out, "VS_FIXEDFILEINFO signature 0x%08x is not 0xfeef04bd", rd32(f));
	split_version(rd32(f + 8), rd32(f + 12), out->file_version);
	split_version(rd32(f + 16), rd32(f + 20), out->product_version);
	out->has_fixed = true;
	return 0;
}

static int read_version_info(struct kbf_pe_info *out, const struct span *v)
{
	struct block root, child;
	if (read_block(out, v, 0, v->len, &root) < 0)
		return -1;
	if (!key_is(v, &root, "VS_VERSION_INFO"))
		return fail(out, "version resource does not start with VS_VERSION_INFO");
	if (read_fixed(out, v, &root) < 0)
		return -1;
	size_t at = align4(root.value + root.value_len);
	int rc;
	while ((rc = next_child(out, v, &root, &at, &child)) > 0)
		if (key_is(v, &child, "StringFileInfo") && read_string_file_info(out, v, &child) < 0)
			return -1;
	return rc;
}

/* ---- the whole walk -------------------------------------------------------- */

static enum kbf_pe_status walk(struct image *im)
{
	uint32_t res_rva = 0, data_rva = 0, data_size = 0;
	struct span tree, data;
	if (read_headers(im, &res_rva) < 0)
		return KBF_PE_CORRUPT;
	check_sections(im);
	if (!res_rva)
		return KBF_PE_NO_VERSION;
	if (!map_rva(im, res_rva, 16, &tree)) {
		fail(im->out, "resource directory (RVA 0x%x) is not in the file", res_rva);
		return KBF_PE_CORRUPT;
	}
	int found = find_version(im, &tree, &data_rva, &data_size);
	if (found <= 0)
		return found < 0 ? KBF_PE_CORRUPT : KBF_PE_NO_VERSION;
	if (!map_rva(im, data_rva, data_size, &data)) {
		fail(im->out, "version resource (RVA 0x%x, %u bytes) is not in the file", data_rva, data_size);
		return KBF_PE_CORRUPT;
	}
	data.len = data_size;
	return read_version_info(im->out, &data) < 0 ? KBF_PE_CORRUPT : KBF_PE_VERSION;
}

enum kbf_pe_status kbf_pe_read(const unsigned char *p, size_t len, struct kbf_pe_info *pe)
{
	memset(pe, 0, sizeof(*pe));
	if (len < 2 || p[0] != 'M' || p[1] != 'Z')
		return KBF_PE_NOT_PE;
	if (len >= 0x40) {
		uint32_t lfanew = rd32(p + 0x3C);
		if (lfanew <= len && len - lfanew >= 4 && memcmp(p + lfanew, "PE\0\0", 4) != 0)
			return KBF_PE_NOT_PE;
	}
	struct image im = {.p = p, .len = len, .out = pe};
	enum kbf_pe_status st = walk(&im);
	if (st == KBF_PE_CORRUPT) {
		free(pe->file_version_text);
		free(pe->product_version_text);
		pe->file_version_text = pe->product_version_text = NULL;
		pe->has_fixed = false;
	}
	return st;
}

void kbf_pe_info_free(struct kbf_pe_info *pe)
{
	if (!pe)
		return;
	free(pe->file_version_text);
	free(pe->product_version_text);
	pe->file_version_text = pe->product_version_text = NULL;
}
