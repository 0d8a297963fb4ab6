/*
 * reg_value.c — registry values as data: the type names reg.exe and
 * regedit print, and the data as the registry stores it (what a hive holds
 * and what a .reg file's hex(N): lines spell out) turned into the text
 * every registry form shares (registry.h).
 *
 * Storage ("Registry Value Types", learn.microsoft.com/windows/win32/
 * sysinfo/registry-value-types): REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ
 * are UTF-16LE with terminating NULs (REGEDIT4 files write them as single
 * bytes of the ANSI code page instead); REG_DWORD is 4 bytes little
 * endian, REG_DWORD_BIG_ENDIAN big endian, REG_QWORD 8 bytes little
 * endian.  Anything else is bytes.
 */
#include <stdio.h>
#include <string.h>

#include "core/wtext.h"
#include "registry.h"
#include "utf8.h"

static const char *const type_names[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN",
	"REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
	"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *kbf_reg_type_name(uint32_t type)
{
	return type < NTYPES ? type_names[type] : NULL;
}

bool kbf_reg_type_parse(struct kbf_wtext_span name, uint32_t *type)
{
	for (uint32_t i = 0; i < NTYPES; i++)
		if (kbf_wtext_eq(name, type_names[i])) {
			*type = i;
			return true;
		}
	if (kbf_wtext_eq(name, "REG_DWORD_LITTLE_ENDIAN") || kbf_wtext_eq(name, "REG_QWORD_LITTLE_ENDIAN")) {
		*type = name.s[4] == 'D' ? KBF_REG_DWORD : KBF_REG_QWORD;
		return true;
	}
	return false;
}

void kbf_reg_text_number(struct kbf_reg_value *v)
{
	uint64_t n;
	if (!v->has_number && kbf_wtext_uint(v->text, INT64_MAX, &n)) {
		v->has_number = true;
		v->number = n;
	}
}

/* Strings of the data, UTF-16LE (or single-byte), up to a NUL each;
 * multi: all of them, joined by "\n", an empty one ending the list. */
static void put_strings(struct kbf_wtext_buf *b, const unsigned char *p, size_t len, bool ansi, bool multi)
{
	size_t unit = ansi ? 1 : 2, nstrings = 0;
	bool empty = true;
	for (size_t i = 0; i + unit <= len;) {
		uint32_t c;
		if (ansi) {
			c = kbf_text_cp1252(p[i]);
			i++;
		} else {
			i += kbu_utf16_get(p + i, len - i, true, &c);
		}
		if (c == 0) {
			if (!multi || empty)
				break; /* the end of the string, or of the list */
			empty = true;
			continue;
		}
		if (empty && nstrings++ > 0)
			kbf_wtext_buf_addc(b, '\n');
		empty = false;
		char u[KBU_UTF8_MAX];
		kbf_wtext_buf_add(b, u, kbu_utf8_put(u, c));
	}
}

static void put_hex(struct kbf_wtext_buf *b, const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		kbf_wtext_buf_addc(b, digits[p[i] >> 4]);
		kbf_wtext_buf_addc(b, digits[p[i] & 15]);
	}
}

static uint64_t little_endian(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static bool number_of(uint32_t type, const unsigned char *p, size_t len, uint64_t *n)
{
	if ((type == KBF_REG_DWORD || type == KBF_REG_DWORD_BIG_ENDIAN) && len == 4) {
		*n = type == KBF_REG_DWORD ? little_endian(p, 4)
					   : (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
		return true;
	}
	if (type == KBF_REG_QWORD && len == 8) {
		*n = little_endian(p, 8);
		return true;
	}
	return false;
}

bool kbf_reg_decode(struct kbf_reg_value *v, const unsigned char *data, size_t len, bool ansi,
		    struct kbf_wtext_buf *buf)
{
	kbf_wtext_buf_reset(buf);
	v->has_number = false;
	if (len > KBF_REG_TEXT_MAX)
		return false;
	bool string = v->type == KBF_REG_SZ || v->type == KBF_REG_EXPAND_SZ || v->type == KBF_REG_LINK;
	if (string || v->type == KBF_REG_MULTI_SZ) {
		put_strings(buf, data, len, ansi, v->type == KBF_REG_MULTI_SZ);
	} else if (number_of(v->type, data, len, &v->number)) {
		char s[24];
		int n = snprintf(s, sizeof(s), "%llu", (unsigned long long)v->number);
		kbf_wtext_buf_add(buf, s, (size_t)n);
		v->has_number = true;
	} else {
		put_hex(buf, data, len);
	}
	kbf_wtext_buf_addc(buf, '\0'); /* a NUL-terminated buffer even when empty */
	v->text = (struct kbf_wtext_span){buf->s, buf->len - 1};
	if (string)
		kbf_reg_text_number(v);
	return true;
}
