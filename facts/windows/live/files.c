/*
 * files.c — `file` facts for files of the live host, with the slots the
 * PE importer gives an image a customer sent (files/pe_version.c, through
 * files/file_fact.c): path, name, size, version from VS_FIXEDFILEINFO,
 * version_text the "FileVersion" string, product_version.  files_win32.c
 * picks the files (each service's image, then %SystemRoot%\system32 and
 * the service images' folders) and reads their versions with
 * GetFileVersionInfoW only for a fact the pre-filter wants: most of
 * system32 matches no rule.
 *
 * VS_FIXEDFILEINFO (MSDN, verrsrc.h): DWORDs dwSignature 0xFEEF04BD,
 * dwStrucVersion, dwFileVersionMS, dwFileVersionLS, dwProductVersionMS,
 * dwProductVersionLS, then flags, OS, type and date (52 bytes in all).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "windows/files/file_fact.h"
#include "xalloc.h"

#define FIXED_SIGNATURE 0xFEEF04BDu
#define FIXED_SIZE 52

static void split(uint32_t ms, uint32_t ls, unsigned v[4])
{
	v[0] = ms >> 16;
	v[1] = ms & 0xFFFF;
	v[2] = ls >> 16;
	v[3] = ls & 0xFFFF;
}

bool kbf_live_fixed_version(const unsigned char *p, size_t n, unsigned file[4], unsigned product[4])
{
	if (!p || n < FIXED_SIZE || kbf_live_le32(p) != FIXED_SIGNATURE)
		return false;
	split(kbf_live_le32(p + 8), kbf_live_le32(p + 12), file);
	split(kbf_live_le32(p + 16), kbf_live_le32(p + 20), product);
	return true;
}

static const char *base_name(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

bool kbf_live_file_begin(struct kbf_input *in, struct kbf_fact *f, const char *path, int64_t size)
{
	kbf_fact_begin(f, in, "file");
	kbf_set_cstr(f, "path", path);
	kbf_set_cstr(f, "name", base_name(path));
	if (size >= 0)
		kbf_set_int(f, "size", size);
	return kbf_fact_probe_reads(f, "version") || kbf_fact_probe_reads(f, "version_code") ||
	       kbf_fact_probe_reads(f, "version_text") || kbf_fact_probe_reads(f, "product_version");
}

static struct kbf_line line_of(const char *s)
{
	return (struct kbf_line){.s = s, .len = s ? strlen(s) : 0};
}

void kbf_live_file_versions(struct kbf_fact *f, const unsigned *fixed, const unsigned *product, const char *text,
			    const char *product_text, char raw[KBF_LIVE_VERSION_MAX])
{
	struct kbf_file_rec r = {.text = line_of(text), .product = line_of(product_text)};
	if (fixed) {
		r.has_bin = true;
		memcpy(r.bin, fixed, sizeof(r.bin));
	}
	raw[0] = '\0';
	if (product) { /* the binary product version, as pe_version.c gives it: file_fact.c chooses */
		snprintf(raw, KBF_LIVE_VERSION_MAX, "%u.%u.%u.%u", product[0], product[1], product[2], product[3]);
		r.product_raw = line_of(raw);
	}
	kbf_file_set_versions(f, &r);
}

const struct kb_fact *kbf_live_file_keep(struct kbf_fact *f, const char *path, const char *text)
{
	char buf[800];
	int n = snprintf(buf, sizeof(buf), "%s  FileVersion %s", path, text ? text : "(none)");
	size_t len = kbf_live_printed(n, sizeof(buf));
	return kbf_fact_keep_at(f, f->in->path, 0, buf, len);
}

/* ---- service images ------------------------------------------------------------ */

static bool iprefix(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*lit))
			return false;
	return true;
}

/* The length of the program in a command line without quotes: up to
 * the first ".exe", ".sys" or ".dll" that ends a word (a path may hold
 * spaces: C:\Program Files\...\x.exe -k), else to the first blank. */
static size_t program_len(const char *s)
{
	static const char *const ext[] = {".exe", ".sys", ".dll"};
	for (size_t i = 0; s[i]; i++)
		for (size_t k = 0; k < 3; k++)
			if (iprefix(s + i, ext[k]) && (s[i + 4] == '\0' || s[i + 4] == ' '))
				return i + 4;
	return strcspn(s, " \t");
}

char *kbf_live_image_file(const char *image, const char *windir)
{
	while (*image == ' ' || *image == '\t')
		image++;
	size_t len = image[0] == '"' ? strcspn(image + 1, "\"") : program_len(image);
	const char *p = image + (image[0] == '"');
	if (!len)
		return NULL;
	/* prefixes: the NT namespace's \??\C:\..., and the Windows folder's names */
	static const struct {
		const char *prefix;
		bool windir;
		size_t skip;
	} roots[] = {{"\\??\\", false, 4}, {"\\SystemRoot\\", true, 11}, {"%SystemRoot%", true, 12}, {"%windir%", true, 8}};
	const char *base = "";
	size_t skip = 0, i = 0;
	while (i < 4 && !(len >= strlen(roots[i].prefix) && iprefix(p, roots[i].prefix)))
		i++;
	if (i < 4) {
		base = roots[i].windir ? windir : "";
		skip = roots[i].skip;
	} else if (!(len >= 2 && p[1] == ':') && p[0] != '\\') {
		base = windir; /* system32\drivers\x.sys: relative to the Windows folder */
	}
	bool sep = base[0] && p[skip] != '\\';
	size_t blen = strlen(base), n = blen + sep + len - skip;
	char *out = kbu_malloc(n + 1);
	memcpy(out, base, blen);
	if (sep)
		out[blen] = '\\';
	memcpy(out + blen + sep, p + skip, len - skip);
	out[n] = '\0';
	return out;
}
