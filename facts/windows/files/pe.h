/*
 * pe.h — the version resource of a Windows PE32 / PE32+ image, read from
 * its bytes alone (no Windows API).  Internal to facts/: pe_version.c turns
 * the result into a `file` fact.  Everything in the image is untrusted.
 */
#ifndef KBDIAG_FACTS_WINDOWS_FILES_PE_H
#define KBDIAG_FACTS_WINDOWS_FILES_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kbf_pe_status {
	KBF_PE_VERSION,    /* a VS_VERSIONINFO was read */
	KBF_PE_NO_VERSION, /* a valid PE without a version resource */
	KBF_PE_NOT_PE,     /* no "MZ" ... "PE\0\0" (e.g. a 16-bit NE executable) */
	KBF_PE_CORRUPT,    /* truncated or inconsistent; problem says where */
};

struct kbf_pe_info {
	bool pe32plus;
	uint16_t machine;                /* 0x14c i386, 0x8664 x64, ... */
	bool has_fixed;                  /* VS_FIXEDFILEINFO present */
	unsigned file_version[4];        /* dwFileVersionMS/LS, when has_fixed */
	unsigned product_version[4];     /* dwProductVersionMS/LS */
	char *file_version_text;         /* "FileVersion" string, UTF-8; owned, NULL if none */
	char *product_version_text;      /* "ProductVersion" string; owned, NULL if none */
	char problem[200];               /* why CORRUPT; also set (with status VERSION or
	                                  * NO_VERSION) when the file is cut short after
	                                  * the parts that were read */
};

/* Reads p[0..len).  Always initialises pe; free it with kbf_pe_info_free(). */
enum kbf_pe_status kbf_pe_read(const unsigned char *p, size_t len, struct kbf_pe_info *pe);
void kbf_pe_info_free(struct kbf_pe_info *pe);

/* How sure it is that p is a PE image: 100 for "MZ" with a "PE\0\0"
 * header; 40 for an "MZ" binary whose new-style header lies past the end
 * (cut short, so that the error gets reported); 0 otherwise, including
 * 16-bit NE/LE executables and plain DOS programs. */
int kbf_pe_probe(const unsigned char *p, size_t len);

#endif
