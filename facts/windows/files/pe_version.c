/*
 * pe_version.c — the importer for PE files (.dll, .exe) a customer sends
 * as they are: one `file` fact per image, its version read from the
 * VS_VERSIONINFO resource (pe.c).  Recognised by "MZ" and a "PE\0\0"
 * header, never by the file's name.
 *
 * Where the file was on the customer's disk comes from the bundle's folder
 * layout: a first folder named after a drive letter ("C", "C_", "C$")
 * stands for that drive, so C/WINNT/system32/mfc42.dll is
 * C:\WINNT\system32\mfc42.dll; any other path is kept, relative, with
 * backslashes.
 *
 * 16-bit NE (and LE/LX) executables are not PE: the probe leaves them
 * unclaimed, so they are listed as unrecognised rather than given a file
 * fact whose missing version would look like a fact.  A PE without a
 * version resource is still a file (path, name, size).
 *
 * Slots: version from VS_FIXEDFILEINFO (dwFileVersionMS/LS), version_text
 * the "FileVersion" string (unset when the image has none), product_version
 * the "ProductVersion" string or else the binary product version, size the
 * image's length.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_fact.h"
#include "path.h"
#include "pe.h"
#include "xalloc.h"

static int probe(struct kbf_text *t)
{
	return kbf_pe_probe(t->raw, t->rawlen);
}

/* Length of a leading drive folder ("C", "C_", "C$", "C:") followed by
 * '/', or 0. */
static size_t drive_folder(const char *p)
{
	if (!isalpha((unsigned char)p[0]))
		return 0;
	if (p[1] == '/')
		return 1;
	return (p[1] == '_' || p[1] == '$' || p[1] == ':') && p[2] == '/' ? 2 : 0;
}

/* The Windows path for a bundle-relative path; malloc'd. */
static char *windows_path(const char *rel)
{
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	char *out = kbu_malloc(strlen(rel) + 3);
	size_t n = 0, drive = drive_folder(rel);
	if (drive) {
		out[n++] = (char)toupper((unsigned char)rel[0]);
		out[n++] = ':';
		rel += drive; /* the '/' after the folder becomes the root '\' */
	}
	for (; *rel; rel++)
		out[n++] = *rel == '/' ? '\\' : *rel;
	out[n] = '\0';
	return out;
}

static void version_str(char *buf, size_t cap, const unsigned v[4])
{
	snprintf(buf, cap, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
}

static struct kbf_line slice(const char *s)
{
	return (struct kbf_line){.s = s, .len = s ? strlen(s) : 0};
}

/* The provenance text: what was read, in one line. */
static int describe(char *buf, size_t cap, const struct kbf_pe_info *pe)
{
	char fixed[64] = "none";
	if (pe->has_fixed)
		version_str(fixed, sizeof(fixed), pe->file_version);
	return snprintf(buf, cap, "%s %s image; VS_FIXEDFILEINFO FileVersion %s; FileVersion \"%s\"; ProductVersion \"%s\"",
			pe->pe32plus ? "PE32+" : "PE32", pe->machine == 0x8664 ? "x64" : pe->machine == 0x14c ? "i386" : "other",
			fixed, pe->file_version_text ? pe->file_version_text : "",
			pe->product_version_text ? pe->product_version_text : "");
}

static void emit(struct kbf_input *in, struct kbf_text *t, const struct kbf_pe_info *pe)
{
	char *path = windows_path(in->path);
	char product[64] = "";
	struct kbf_file_rec r = {
		.path = slice(path),
		.text = slice(pe->file_version_text),
		.product = slice(pe->product_version_text),
		.has_bin = pe->has_fixed,
		.has_size = true,
		.size = (int64_t)t->rawlen,
	};
	memcpy(r.bin, pe->file_version, sizeof(r.bin));
	if (pe->has_fixed) {
		version_str(product, sizeof(product), pe->product_version);
		r.product_raw = slice(product);
	}
	r.name = slice(kbu_path_name(in->path)); /* kbdiag.exe: C:\WINNT\system32\mfc42.dll too */
	char text[512];
	int n = describe(text, sizeof(text), pe);
	kbf_file_emit(in, &r, 0, text, n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
	free(path);
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct kbf_pe_info pe;
	enum kbf_pe_status st = kbf_pe_read(t->raw, t->rawlen, &pe);
	int rc = 0;
	if (st == KBF_PE_NOT_PE) {
		rc = kbf_input_error(in, 0, "not a PE image (no \"MZ\" ... \"PE\\0\\0\" header)");
	} else if (st == KBF_PE_CORRUPT) {
		rc = kbf_input_error(in, 0, "truncated or corrupt PE image: %s", pe.problem);
	} else {
		emit(in, t, &pe);
		if (pe.problem[0])
			rc = kbf_input_error(in, 0, "truncated PE image (kept what was read): %s", pe.problem);
	}
	kbf_pe_info_free(&pe);
	return rc;
}

const struct kbf_importer kbf_pe_version_importer = {
	.format = "pe-image",
	.probe = probe,
	.import = import,
};
