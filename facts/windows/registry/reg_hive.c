/*
 * reg_hive.c — offline registry hives, the SYSTEM and SOFTWARE files of
 * %SystemRoot%\System32\config (or saved with `reg save`), read with
 * libyal's libregf, the library forensic tools use (regfexport, plaso).
 * Recognised by the "regf" signature at the start of the file, never by
 * its name; which hive it is, by its keys: SYSTEM has Select and
 * ControlSet001, SOFTWARE has Microsoft\Windows NT\CurrentVersion.  Other
 * hives (SAM, SECURITY, NTUSER.DAT, ...) are recognised and said to hold
 * nothing kbdiag reads.  The hive is read from memory through
 * core/libyal.h (libbfio's own memory range reads past the end).
 *
 * Only the keys reg_facts.c keeps are visited (kbf_reg_leads): a SOFTWARE
 * hive of 100 MB is a few hundred keys' work.  Select\Current names the
 * control set that is CurrentControlSet; the others are not read.  Values
 * are handed over as stored (UTF-16LE strings, little-endian numbers) and
 * decoded as a .reg file's hex() data is (reg_value.c).  Provenance: line
 * 0 (a hive has none), and the key's path as the hive names it.
 *
 * A hive copied from a running system may miss writes still in its .LOG
 * files (its header's two sequence numbers differ: "dirty"); one libregf
 * finds damaged is read as far as it can be.  Both are said in the input's
 * account, with the keys and values that could not be read.
 */
#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include <libregf.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KBDIAG_WITHOUT_LOADED_LIBS
#include "core/libyal.h"
#endif
#include "registry.h"
#include "xalloc.h"

#define SIGNATURE "regf"
#define MAX_KEYS 200000 /* keys visited, at most */

static int probe(struct kbf_text *t)
{
	return t->raw && t->rawlen >= 4 && memcmp(t->raw, SIGNATURE, 4) == 0 ? 100 : 0;
}

#ifdef KBDIAG_WITHOUT_LOADED_LIBS
/* kbdiag.exe: recognised, and said not read (core/dynlib.h). */
static int import(struct kbf_input *in, struct kbf_text *t)
{
	return kbf_input_without(in, "libregf");
}
#else

struct hive {
	struct kbf_input *in;
	struct kbf_reg_reader *r;
	libbfio_handle_t *io;
	libregf_file_t *file;
	struct kbf_wtext_buf path, name, text, data;
	uint8_t *raw;
	size_t rawcap, keys, unread;
	char why[512], first_why[512];
};

/* What went wrong, from error (freed), in words (core/libyal.h). */
static void why(struct hive *h, libregf_error_t **error)
{
	kbf_libyal_error_take(error, libregf_error_backtrace_sprint, libregf_error_free, h->why, sizeof(h->why));
}

static void unreadable(struct hive *h, const char *what)
{
	if (h->unread++ == 0)
		snprintf(h->first_why, sizeof(h->first_why), "%s under %.*s: %.200s", what,
			 (int)(h->path.len < 200 ? h->path.len : 200), h->path.s,
			 h->why[0] ? h->why : "no reason given");
}

/* A key's or value's name, UTF-8, into b; false when it cannot be read. */
static bool key_name(struct hive *h, libregf_key_t *key, struct kbf_wtext_buf *b)
{
	libregf_error_t *error = NULL;
	size_t size = 0;
	kbf_wtext_buf_reset(b);
	if (libregf_key_get_utf8_name_size(key, &size, &error) != 1 || size == 0 || size > 4096) {
		why(h, &error);
		return false;
	}
	char name[4096];
	if (libregf_key_get_utf8_name(key, (uint8_t *)name, size, &error) != 1) {
		why(h, &error);
		return false;
	}
	kbf_wtext_buf_set(b, name, strnlen(name, size));
	return true;
}

static bool value_name(struct hive *h, libregf_value_t *v, struct kbf_wtext_buf *b)
{
	libregf_error_t *error = NULL;
	size_t size = 0;
	kbf_wtext_buf_set(b, "", 0);
	if (libregf_value_get_utf8_name_size(v, &size, &error) != 1 || size > 4096) {
		why(h, &error);
		return false;
	}
	char name[4096];
	if (size > 1 && libregf_value_get_utf8_name(v, (uint8_t *)name, size, &error) != 1) {
		why(h, &error);
		return false;
	}
	if (size > 1)
		kbf_wtext_buf_set(b, name, strnlen(name, size));
	return true;
}

/* The value's data as stored, into h->raw; false when it cannot be read
 * (or is longer than any value kept). */
static bool value_data(struct hive *h, libregf_value_t *v, size_t *len)
{
	libregf_error_t *error = NULL;
	size_t size = 0;
	if (libregf_value_get_value_data_size(v, &size, &error) != 1) {
		why(h, &error);
		return false;
	}
	if (size > KBF_REG_TEXT_MAX) {
		snprintf(h->why, sizeof(h->why), "its data is %zu bytes long", size);
		return false;
	}
	if (size > h->rawcap) {
		h->raw = kbu_realloc(h->raw, size, 1);
		h->rawcap = size;
	}
	if (size && libregf_value_get_value_data(v, h->raw, size, &error) != 1) {
		why(h, &error);
		return false;
	}
	*len = size;
	return true;
}

static void read_value(struct hive *h, libregf_value_t *v)
{
	libregf_error_t *error = NULL;
	struct kbf_reg_value rv = {0};
	size_t len = 0;
	if (!value_name(h, v, &h->name))
		return unreadable(h, "a value's name");
	rv.name = (struct kbf_wtext_span){h->name.s, h->name.len};
	if (!kbf_reg_wants(h->r, rv.name))
		return;
	if (libregf_value_get_value_type(v, &rv.type, &error) != 1) {
		why(h, &error);
		return unreadable(h, "a value's type");
	}
	if (!value_data(h, v, &len) || !kbf_reg_decode(&rv, h->raw, len, false, &h->data))
		return unreadable(h, "a value's data");
	kbf_wtext_buf_set(&h->text, h->path.s, h->path.len);
	kbf_wtext_buf_addc(&h->text, '\\');
	kbf_wtext_buf_add(&h->text, rv.name.s, rv.name.len);
	kbf_wtext_buf_add(&h->text, ": ", 2);
	kbf_wtext_buf_add(&h->text, rv.text.s, rv.text.len < 200 ? rv.text.len : 200);
	kbf_reg_value(h->r, &rv, 0, (struct kbf_wtext_span){h->text.s, h->text.len});
}

static void read_values(struct hive *h, libregf_key_t *key)
{
	libregf_error_t *error = NULL;
	int n = 0;
	if (libregf_key_get_number_of_values(key, &n, &error) != 1) {
		why(h, &error);
		return unreadable(h, "the values");
	}
	for (int i = 0; i < n; i++) {
		libregf_value_t *v = NULL;
		if (libregf_key_get_value(key, i, &v, &error) != 1) {
			why(h, &error);
			unreadable(h, "a value");
			continue;
		}
		read_value(h, v);
		libregf_value_free(&v, NULL);
	}
}

static void walk(struct hive *h, libregf_key_t *key, size_t depth)
{
	libregf_error_t *error = NULL;
	bool here;
	bool lead = kbf_reg_leads(h->r, (struct kbf_wtext_span){h->path.s, h->path.len}, &here);
	if (here) {
		kbf_reg_key(h->r, (struct kbf_wtext_span){h->path.s, h->path.len}, 0);
		read_values(h, key);
	}
	int n = 0;
	if (!lead || depth > 16)
		return;
	if (libregf_key_get_number_of_sub_keys(key, &n, &error) != 1) {
		why(h, &error);
		return unreadable(h, "the keys");
	}
	size_t len = h->path.len;
	for (int i = 0; i < n && h->keys < MAX_KEYS; i++) {
		libregf_key_t *sub = NULL;
		if (libregf_key_get_sub_key(key, i, &sub, &error) != 1) {
			why(h, &error);
			unreadable(h, "a key");
			continue;
		}
		if (h->keys++ == MAX_KEYS - 1)
			kbf_input_skip(h->in, 0, "more than %d keys to visit: the rest were not read", MAX_KEYS);
		if (key_name(h, sub, &h->name)) {
			kbf_wtext_buf_addc(&h->path, '\\');
			kbf_wtext_buf_add(&h->path, h->name.s, h->name.len);
			walk(h, sub, depth + 1);
			h->path.len = len;
			h->path.s[len] = '\0';
		} else {
			unreadable(h, "a key's name");
		}
		libregf_key_free(&sub, NULL);
	}
}

/* A key below root, or NULL. */
static libregf_key_t *sub_key(libregf_key_t *root, const char *path)
{
	libregf_key_t *key = NULL;
	if (libregf_key_get_sub_key_by_utf8_path(root, (const uint8_t *)path, strlen(path), &key, NULL) != 1)
		return NULL;
	return key;
}

/* The 32-bit value named name of key, or -1. */
static int64_t dword(libregf_key_t *key, const char *name)
{
	libregf_value_t *v = NULL;
	uint32_t n = 0;
	int64_t rc = -1;
	if (libregf_key_get_value_by_utf8_name(key, (const uint8_t *)name, strlen(name), &v, NULL) == 1 &&
	    libregf_value_get_value_32bit(v, &n, NULL) == 1)
		rc = n;
	libregf_value_free(&v, NULL);
	return rc;
}

static bool has_value(libregf_key_t *key, const char *name)
{
	libregf_value_t *v = NULL;
	bool found = libregf_key_get_value_by_utf8_name(key, (const uint8_t *)name, strlen(name), &v, NULL) == 1;
	libregf_value_free(&v, NULL);
	return found;
}

/* Which hive: "SYSTEM", "SOFTWARE" or NULL; for SYSTEM, the control set
 * in use, from Select\Current.  A user's hive has a Software\...\
 * CurrentVersion key too, but no CurrentBuildNumber in it. */
static const char *which_hive(struct hive *h, libregf_key_t *root)
{
	libregf_key_t *k = sub_key(root, "Select");
	if (k) {
		int64_t current = dword(k, "Current");
		libregf_key_free(&k, NULL);
		if (current > 0 && current < 1000) {
			kbf_reg_set_control_set(h->r, (unsigned)current);
			return "SYSTEM";
		}
	}
	if ((k = sub_key(root, "ControlSet001")) != NULL) {
		libregf_key_free(&k, NULL);
		kbf_input_skip(h->in, 0, "a SYSTEM hive without Select\\Current: ControlSet001 is read as the one in use");
		kbf_reg_set_control_set(h->r, 1);
		return "SYSTEM";
	}
	if ((k = sub_key(root, "Microsoft\\Windows NT\\CurrentVersion")) != NULL) {
		bool software = has_value(k, "CurrentBuildNumber") || has_value(k, "CurrentVersion");
		libregf_key_free(&k, NULL);
		if (software)
			return "SOFTWARE";
	}
	return NULL;
}

/* ---- value lists libregf would read past ----------------------------------------- */

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The data bytes of the cell at offset at, 0 when it is not whole in d. */
static size_t cell_data(const unsigned char *d, size_t n, size_t at)
{
	if (at < 4096 || at + 4 > n)
		return 0;
	int32_t size = (int32_t)rd32(d + at);
	uint32_t a = size < 0 ? (uint32_t)-(int64_t)size : (uint32_t)size;
	return a >= 4 && at + a <= n ? a - 4 : 0;
}

/* Keys of the hive's bins (after the 4 KiB base block, "hbin" blocks each
 * of their size, cells of a signed 32-bit size, negative when in use)
 * whose value count (at 0x24 of an "nk" cell) will not fit their values
 * list cell (offset at 0x28, from the first bin).  libregf 20201007 reads
 * such a list as long as it says, past its buffer (a fuzzed hive crashed
 * kbdiag: 1,073,741,825 values in 8 bytes), so a hive holding one is not
 * handed to it.  Returns the offset of the first such key, or 0. */
static size_t overlong_list(const unsigned char *d, size_t n, uint64_t *count, size_t *room)
{
	for (size_t bin = 4096; bin + 32 <= n && memcmp(d + bin, "hbin", 4) == 0;) {
		size_t end = bin + rd32(d + bin + 8);
		if (end <= bin || end > n)
			end = n;
		for (size_t c = bin + 32; c + 8 <= end;) {
			size_t len = cell_data(d, n, c);
			if (!len)
				break;
			const unsigned char *p = d + c + 4;
			uint64_t need = 0;
			size_t have = len;
			if (len >= 0x2c && memcmp(p, "nk", 2) == 0) {
				uint32_t values = rd32(p + 0x24);
				if (values && values != 0xFFFFFFFFu) {
					need = (uint64_t)values * 4;
					have = cell_data(d, n, 4096 + (size_t)rd32(p + 0x28));
				}
			}
			if (need > have) {
				*count = need, *room = have;
				return c;
			}
			c += len + 4;
		}
		bin = end;
	}
	return 0;
}

static int open_hive(struct hive *h, const unsigned char *data, size_t size)
{
	uint64_t need;
	size_t room, bad = overlong_list(data, size, &need, &room);
	if (bad)
		return kbf_input_error(h->in, 0, "a malformed registry hive: the key at offset 0x%zx lists values in "
				       "%llu bytes, its list has %zu; libregf would read past it, so nothing of the hive is read",
				       bad, (unsigned long long)need, room);
	libregf_error_t *error = NULL;
	if ((h->io = kbf_bfio_memory(data, size)) == NULL)
		return kbf_input_error(h->in, 0, "cannot read it: libbfio cannot hold it in memory");
	if (libregf_file_initialize(&h->file, &error) != 1 ||
	    libregf_file_open_file_io_handle(h->file, h->io, LIBREGF_OPEN_READ, &error) != 1) {
		why(h, &error);
		return kbf_input_error(h->in, 0, "not a readable registry hive: %s", h->why);
	}
	return 0;
}

/* The root key's walk, as HKLM\\<hive>. */
static int read_hive(struct hive *h, const unsigned char *raw, size_t size)
{
	libregf_key_t *root = NULL;
	libregf_error_t *error = NULL;
	if (libregf_file_get_root_key(h->file, &root, &error) != 1) {
		why(h, &error);
		return kbf_input_error(h->in, 0, "a registry hive whose root key cannot be read: %s", h->why);
	}
	const char *name = which_hive(h, root);
	if (!name) {
		libregf_key_free(&root, NULL);
		return kbf_input_error(h->in, 0, "a registry hive, but neither SYSTEM nor SOFTWARE (no Select, no "
				       "Microsoft\\Windows NT\\CurrentVersion): kbdiag reads nothing in it");
	}
	if (size >= 12 && memcmp(raw + 4, raw + 8, 4) != 0)
		kbf_input_skip(h->in, 0, "a dirty hive (copied while in use): changes still in its .LOG files are "
			       "missing");
	kbf_wtext_buf_set(&h->path, "HKLM\\", 5);
	kbf_wtext_buf_add(&h->path, name, strlen(name));
	walk(h, root, 0);
	libregf_key_free(&root, NULL);
	if (h->unread)
		kbf_input_skip(h->in, 0, "%zu keys or values could not be read (the first: %s)", h->unread, h->first_why);
	if (libregf_file_is_corrupted(h->file, NULL) == 1)
		kbf_input_skip(h->in, 0, "libregf finds the hive damaged: what it could read was read");
	return 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!probe(t))
		return kbf_input_error(in, 0, "not a registry hive (no \"regf\" signature)");
	struct hive h = {.in = in, .r = kbf_reg_new(in)};
	if (open_hive(&h, t->raw, t->rawlen) == 0)
		read_hive(&h, t->raw, t->rawlen);
	int rc = kbf_reg_end(h.r);
	if (h.file) {
		libregf_file_close(h.file, NULL);
		libregf_file_free(&h.file, NULL);
	}
	if (h.io)
		libbfio_handle_free(&h.io, NULL);
	kbf_wtext_buf_free(&h.path);
	kbf_wtext_buf_free(&h.name);
	kbf_wtext_buf_free(&h.text);
	kbf_wtext_buf_free(&h.data);
	free(h.raw);
	return rc;
}

#endif

const struct kbf_importer kbf_reg_hive_importer = {"registry-hive", probe, import, KBF_READ_WHOLE};
