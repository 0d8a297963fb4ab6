/*
 * archive_lib.h — libarchive, loaded when an archive is first read
 * (dynlib.h says why).  Its function names below are macros reading the
 * table, so archive.c calls libarchive by its own names; archive.c
 * includes this after <archive.h> and <archive_entry.h>.  The loader is in
 * archive_lib.c.
 */
#ifndef KBDIAG_FACTS_CORE_ARCHIVE_LIB_H
#define KBDIAG_FACTS_CORE_ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>

#include "dynlib.h"

#define KBF_LIBARCHIVE_FUNCS(X) \
	X(archive_entry_filetype) \
	X(archive_entry_hardlink) \
	X(archive_entry_is_encrypted) \
	X(archive_entry_pathname) \
	X(archive_entry_pathname_utf8) \
	X(archive_entry_size) \
	X(archive_entry_size_is_set) \
	X(archive_entry_symlink) \
	X(archive_error_string) \
	X(archive_filter_code) \
	X(archive_format) \
	X(archive_read_data) \
	X(archive_read_data_block) \
	X(archive_read_data_skip) \
	X(archive_read_free) \
	X(archive_read_new) \
	X(archive_read_next_header) \
	X(archive_read_open1) \
	X(archive_read_open_memory) \
	X(archive_read_set_callback_data) \
	X(archive_read_set_format_option) \
	X(archive_read_set_read_callback) \
	X(archive_read_set_seek_callback) \
	X(archive_read_support_filter_bzip2) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_filter_xz) \
	X(archive_read_support_format_7zip) \
	X(archive_read_support_format_cab) \
	X(archive_read_support_format_raw) \
	X(archive_read_support_format_tar) \
	X(archive_read_support_format_zip) \
	X(archive_set_error)

struct kbf_libarchive {
	KBF_LIBARCHIVE_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libarchive *kbf_libarchive(void);

#ifndef KBF_LIBARCHIVE_LOADING
#define archive_entry_filetype (kbf_libarchive()->archive_entry_filetype)
#define archive_entry_hardlink (kbf_libarchive()->archive_entry_hardlink)
#define archive_entry_is_encrypted (kbf_libarchive()->archive_entry_is_encrypted)
#define archive_entry_pathname (kbf_libarchive()->archive_entry_pathname)
#define archive_entry_pathname_utf8 (kbf_libarchive()->archive_entry_pathname_utf8)
#define archive_entry_size (kbf_libarchive()->archive_entry_size)
#define archive_entry_size_is_set (kbf_libarchive()->archive_entry_size_is_set)
#define archive_entry_symlink (kbf_libarchive()->archive_entry_symlink)
#define archive_error_string (kbf_libarchive()->archive_error_string)
#define archive_filter_code (kbf_libarchive()->archive_filter_code)
#define archive_format (kbf_libarchive()->archive_format)
#define archive_read_data (kbf_libarchive()->archive_read_data)
#define archive_read_data_block (kbf_libarchive()->archive_read_data_block)
#define archive_read_data_skip (kbf_libarchive()->archive_read_data_skip)
#define archive_read_free (kbf_libarchive()->archive_read_free)
#define archive_read_new (kbf_libarchive()->archive_read_new)
#define archive_read_next_header (kbf_libarchive()->archive_read_next_header)
#define archive_read_open1 (kbf_libarchive()->archive_read_open1)
#define archive_read_open_memory (kbf_libarchive()->archive_read_open_memory)
#define archive_read_set_callback_data (kbf_libarchive()->archive_read_set_callback_data)
#define archive_read_set_format_option (kbf_libarchive()->archive_read_set_format_option)
#define archive_read_set_read_callback (kbf_libarchive()->archive_read_set_read_callback)
#define archive_read_set_seek_callback (kbf_libarchive()->archive_read_set_seek_callback)
#define archive_read_support_filter_bzip2 (kbf_libarchive()->archive_read_support_filter_bzip2)
#define archive_read_support_filter_gzip (kbf_libarchive()->archive_read_support_filter_gzip)
#define archive_read_support_filter_xz (kbf_libarchive()->archive_read_support_filter_xz)
#define archive_read_support_format_7zip (kbf_libarchive()->archive_read_support_format_7zip)
#define archive_read_support_format_cab (kbf_libarchive()->archive_read_support_format_cab)
#define archive_read_support_format_raw (kbf_libarchive()->archive_read_support_format_raw)
#define archive_read_support_format_tar (kbf_libarchive()->archive_read_support_format_tar)
#define archive_read_support_format_zip (kbf_libarchive()->archive_read_support_format_zip)
#define archive_set_error (kbf_libarchive()->archive_set_error)
#endif

#endif
