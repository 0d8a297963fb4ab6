/*
 * libyal_lib.h — libbfio, libevtx, libevt and libregf, loaded when a
 * binary log or hive is first read (dynlib.h says why).  Each library is a
 * table of its functions; its function names below are macros reading the
 * table, so the readers (windows/events/evt_bin.c, evtx_bin.c,
 * windows/registry/reg_hive.c, core/libyal.c) call the libraries by their
 * own names.  Include after the library's header (core/libyal.h includes
 * it, after all four).  The loaders are in libyal_lib.c.
 */
#ifndef KBDIAG_FACTS_CORE_LIBYAL_LIB_H
#define KBDIAG_FACTS_CORE_LIBYAL_LIB_H

#include <libbfio.h>
#include <libevt.h>
#include <libevtx.h>
#include <libregf.h>

#include "dynlib.h"

#define KBF_LIBBFIO_FUNCS(X) \
	X(libbfio_handle_free) \
	X(libbfio_handle_initialize)

struct kbf_libbfio {
	KBF_LIBBFIO_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libbfio *kbf_libbfio(void);

#ifndef KBF_LIBYAL_LOADING
#define libbfio_handle_free (kbf_libbfio()->libbfio_handle_free)
#define libbfio_handle_initialize (kbf_libbfio()->libbfio_handle_initialize)
#endif

#define KBF_LIBEVTX_FUNCS(X) \
	X(libevtx_error_backtrace_sprint) \
	X(libevtx_error_free) \
	X(libevtx_file_close) \
	X(libevtx_file_free) \
	X(libevtx_file_get_flags) \
	X(libevtx_file_get_number_of_records) \
	X(libevtx_file_get_number_of_recovered_records) \
	X(libevtx_file_get_record_by_index) \
	X(libevtx_file_initialize) \
	X(libevtx_file_is_corrupted) \
	X(libevtx_file_open_file_io_handle) \
	X(libevtx_record_free) \
	X(libevtx_record_get_identifier) \
	X(libevtx_record_get_utf8_xml_string) \
	X(libevtx_record_get_utf8_xml_string_size)

struct kbf_libevtx {
	KBF_LIBEVTX_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libevtx *kbf_libevtx(void);

#ifndef KBF_LIBYAL_LOADING
#define libevtx_error_backtrace_sprint (kbf_libevtx()->libevtx_error_backtrace_sprint)
#define libevtx_error_free (kbf_libevtx()->libevtx_error_free)
#define libevtx_file_close (kbf_libevtx()->libevtx_file_close)
#define libevtx_file_free (kbf_libevtx()->libevtx_file_free)
#define libevtx_file_get_flags (kbf_libevtx()->libevtx_file_get_flags)
#define libevtx_file_get_number_of_records (kbf_libevtx()->libevtx_file_get_number_of_records)
#define libevtx_file_get_number_of_recovered_records (kbf_libevtx()->libevtx_file_get_number_of_recovered_records)
#define libevtx_file_get_record_by_index (kbf_libevtx()->libevtx_file_get_record_by_index)
#define libevtx_file_initialize (kbf_libevtx()->libevtx_file_initialize)
#define libevtx_file_is_corrupted (kbf_libevtx()->libevtx_file_is_corrupted)
#define libevtx_file_open_file_io_handle (kbf_libevtx()->libevtx_file_open_file_io_handle)
#define libevtx_record_free (kbf_libevtx()->libevtx_record_free)
#define libevtx_record_get_identifier (kbf_libevtx()->libevtx_record_get_identifier)
#define libevtx_record_get_utf8_xml_string (kbf_libevtx()->libevtx_record_get_utf8_xml_string)
#define libevtx_record_get_utf8_xml_string_size (kbf_libevtx()->libevtx_record_get_utf8_xml_string_size)
#endif

#define KBF_LIBEVT_FUNCS(X) \
	X(libevt_error_backtrace_sprint) \
	X(libevt_error_free) \
	X(libevt_file_close) \
	X(libevt_file_free) \
	X(libevt_file_get_flags) \
	X(libevt_file_get_number_of_records) \
	X(libevt_file_get_number_of_recovered_records) \
	X(libevt_file_get_record_by_index) \
	X(libevt_file_get_recovered_record_by_index) \
	X(libevt_file_initialize) \
	X(libevt_file_is_corrupted) \
	X(libevt_file_open_file_io_handle) \
	X(libevt_record_free) \
	X(libevt_record_get_creation_time) \
	X(libevt_record_get_data) \
	X(libevt_record_get_data_size) \
	X(libevt_record_get_event_category) \
	X(libevt_record_get_event_identifier) \
	X(libevt_record_get_event_type) \
	X(libevt_record_get_identifier) \
	X(libevt_record_get_number_of_strings) \
	X(libevt_record_get_offset) \
	X(libevt_record_get_utf8_computer_name) \
	X(libevt_record_get_utf8_computer_name_size) \
	X(libevt_record_get_utf8_source_name) \
	X(libevt_record_get_utf8_source_name_size) \
	X(libevt_record_get_utf8_string) \
	X(libevt_record_get_utf8_string_size) \
	X(libevt_record_get_utf8_user_security_identifier) \
	X(libevt_record_get_utf8_user_security_identifier_size) \
	X(libevt_record_get_written_time)

struct kbf_libevt {
	KBF_LIBEVT_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libevt *kbf_libevt(void);

#ifndef KBF_LIBYAL_LOADING
#define libevt_error_backtrace_sprint (kbf_libevt()->libevt_error_backtrace_sprint)
#define libevt_error_free (kbf_libevt()->libevt_error_free)
#define libevt_file_close (kbf_libevt()->libevt_file_close)
#define libevt_file_free (kbf_libevt()->libevt_file_free)
#define libevt_file_get_flags (kbf_libevt()->libevt_file_get_flags)
#define libevt_file_get_number_of_records (kbf_libevt()->libevt_file_get_number_of_records)
#define libevt_file_get_number_of_recovered_records (kbf_libevt()->libevt_file_get_number_of_recovered_records)
#define libevt_file_get_record_by_index (kbf_libevt()->libevt_file_get_record_by_index)
#define libevt_file_get_recovered_record_by_index (kbf_libevt()->libevt_file_get_recovered_record_by_index)
#define libevt_file_initialize (kbf_libevt()->libevt_file_initialize)
#define libevt_file_is_corrupted (kbf_libevt()->libevt_file_is_corrupted)
#define libevt_file_open_file_io_handle (kbf_libevt()->libevt_file_open_file_io_handle)
#define libevt_record_free (kbf_libevt()->libevt_record_free)
#define libevt_record_get_creation_time (kbf_libevt()->libevt_record_get_creation_time)
#define libevt_record_get_data (kbf_libevt()->libevt_record_get_data)
#define libevt_record_get_data_size (kbf_libevt()->libevt_record_get_data_size)
#define libevt_record_get_event_category (kbf_libevt()->libevt_record_get_event_category)
#define libevt_record_get_event_identifier (kbf_libevt()->libevt_record_get_event_identifier)
#define libevt_record_get_event_type (kbf_libevt()->libevt_record_get_event_type)
#define libevt_record_get_identifier (kbf_libevt()->libevt_record_get_identifier)
#define libevt_record_get_number_of_strings (kbf_libevt()->libevt_record_get_number_of_strings)
#define libevt_record_get_offset (kbf_libevt()->libevt_record_get_offset)
#define libevt_record_get_utf8_computer_name (kbf_libevt()->libevt_record_get_utf8_computer_name)
#define libevt_record_get_utf8_computer_name_size (kbf_libevt()->libevt_record_get_utf8_computer_name_size)
#define libevt_record_get_utf8_source_name (kbf_libevt()->libevt_record_get_utf8_source_name)
#define libevt_record_get_utf8_source_name_size (kbf_libevt()->libevt_record_get_utf8_source_name_size)
#define libevt_record_get_utf8_string (kbf_libevt()->libevt_record_get_utf8_string)
#define libevt_record_get_utf8_string_size (kbf_libevt()->libevt_record_get_utf8_string_size)
#define libevt_record_get_utf8_user_security_identifier (kbf_libevt()->libevt_record_get_utf8_user_security_identifier)
#define libevt_record_get_utf8_user_security_identifier_size (kbf_libevt()->libevt_record_get_utf8_user_security_identifier_size)
#define libevt_record_get_written_time (kbf_libevt()->libevt_record_get_written_time)
#endif

#define KBF_LIBREGF_FUNCS(X) \
	X(libregf_error_backtrace_sprint) \
	X(libregf_error_free) \
	X(libregf_file_close) \
	X(libregf_file_free) \
	X(libregf_file_get_root_key) \
	X(libregf_file_initialize) \
	X(libregf_file_is_corrupted) \
	X(libregf_file_open_file_io_handle) \
	X(libregf_key_free) \
	X(libregf_key_get_number_of_sub_keys) \
	X(libregf_key_get_number_of_values) \
	X(libregf_key_get_sub_key) \
	X(libregf_key_get_sub_key_by_utf8_path) \
	X(libregf_key_get_utf8_name) \
	X(libregf_key_get_utf8_name_size) \
	X(libregf_key_get_value) \
	X(libregf_key_get_value_by_utf8_name) \
	X(libregf_value_free) \
	X(libregf_value_get_utf8_name) \
	X(libregf_value_get_utf8_name_size) \
	X(libregf_value_get_value_32bit) \
	X(libregf_value_get_value_data) \
	X(libregf_value_get_value_data_size) \
	X(libregf_value_get_value_type)

struct kbf_libregf {
	KBF_LIBREGF_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libregf *kbf_libregf(void);

#ifndef KBF_LIBYAL_LOADING
#define libregf_error_backtrace_sprint (kbf_libregf()->libregf_error_backtrace_sprint)
#define libregf_error_free (kbf_libregf()->libregf_error_free)
#define libregf_file_close (kbf_libregf()->libregf_file_close)
#define libregf_file_free (kbf_libregf()->libregf_file_free)
#define libregf_file_get_root_key (kbf_libregf()->libregf_file_get_root_key)
#define libregf_file_initialize (kbf_libregf()->libregf_file_initialize)
#define libregf_file_is_corrupted (kbf_libregf()->libregf_file_is_corrupted)
#define libregf_file_open_file_io_handle (kbf_libregf()->libregf_file_open_file_io_handle)
#define libregf_key_free (kbf_libregf()->libregf_key_free)
#define libregf_key_get_number_of_sub_keys (kbf_libregf()->libregf_key_get_number_of_sub_keys)
#define libregf_key_get_number_of_values (kbf_libregf()->libregf_key_get_number_of_values)
#define libregf_key_get_sub_key (kbf_libregf()->libregf_key_get_sub_key)
#define libregf_key_get_sub_key_by_utf8_path (kbf_libregf()->libregf_key_get_sub_key_by_utf8_path)
#define libregf_key_get_utf8_name (kbf_libregf()->libregf_key_get_utf8_name)
#define libregf_key_get_utf8_name_size (kbf_libregf()->libregf_key_get_utf8_name_size)
#define libregf_key_get_value (kbf_libregf()->libregf_key_get_value)
#define libregf_key_get_value_by_utf8_name (kbf_libregf()->libregf_key_get_value_by_utf8_name)
#define libregf_value_free (kbf_libregf()->libregf_value_free)
#define libregf_value_get_utf8_name (kbf_libregf()->libregf_value_get_utf8_name)
#define libregf_value_get_utf8_name_size (kbf_libregf()->libregf_value_get_utf8_name_size)
#define libregf_value_get_value_32bit (kbf_libregf()->libregf_value_get_value_32bit)
#define libregf_value_get_value_data (kbf_libregf()->libregf_value_get_value_data)
#define libregf_value_get_value_data_size (kbf_libregf()->libregf_value_get_value_data_size)
#define libregf_value_get_value_type (kbf_libregf()->libregf_value_get_value_type)
#endif

#endif
