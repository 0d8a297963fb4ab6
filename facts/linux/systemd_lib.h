/*
 * systemd_lib.h — libsystemd, loaded when the journal or services
 * collector, or the journal file importer, first calls it (core/dynlib.h
 * says why): not at all on a host without a system bus socket or journal
 * directory, and for evidence only when it holds a binary journal file.  Its function names below are macros reading
 * the table, so journal.c and systemd.c call libsystemd by its own names.
 * The loader is in systemd_lib.c.
 */
#ifndef KBDIAG_FACTS_LINUX_SYSTEMD_LIB_H
#define KBDIAG_FACTS_LINUX_SYSTEMD_LIB_H

#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "core/dynlib.h"

#define KBF_LIBSYSTEMD_FUNCS(X) \
	X(sd_bus_call) \
	X(sd_bus_call_method_async) \
	X(sd_bus_error_free) \
	X(sd_bus_error_has_name) \
	X(sd_bus_flush_close_unref) \
	X(sd_bus_message_enter_container) \
	X(sd_bus_message_is_method_error) \
	X(sd_bus_message_new_method_call) \
	X(sd_bus_message_read) \
	X(sd_bus_message_unref) \
	X(sd_bus_open_system) \
	X(sd_bus_process) \
	X(sd_bus_wait) \
	X(sd_id128_get_boot) \
	X(sd_journal_add_match) \
	X(sd_journal_close) \
	X(sd_journal_enumerate_data) \
	X(sd_journal_get_realtime_usec) \
	X(sd_journal_get_usage) \
	X(sd_journal_next) \
	X(sd_journal_open) \
	X(sd_journal_open_directory) \
	X(sd_journal_open_files) \
	X(sd_journal_open_files_fd) \
	X(sd_journal_previous_skip) \
	X(sd_journal_restart_data) \
	X(sd_journal_seek_tail)

struct kbf_libsystemd {
	KBF_LIBSYSTEMD_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbf_libsystemd *kbf_libsystemd(void);

#ifndef KBF_LIBSYSTEMD_LOADING
#define sd_bus_call (kbf_libsystemd()->sd_bus_call)
#define sd_bus_call_method_async (kbf_libsystemd()->sd_bus_call_method_async)
#define sd_bus_error_free (kbf_libsystemd()->sd_bus_error_free)
#define sd_bus_error_has_name (kbf_libsystemd()->sd_bus_error_has_name)
#define sd_bus_flush_close_unref (kbf_libsystemd()->sd_bus_flush_close_unref)
#define sd_bus_message_enter_container (kbf_libsystemd()->sd_bus_message_enter_container)
#define sd_bus_message_is_method_error (kbf_libsystemd()->sd_bus_message_is_method_error)
#define sd_bus_message_new_method_call (kbf_libsystemd()->sd_bus_message_new_method_call)
#define sd_bus_message_read (kbf_libsystemd()->sd_bus_message_read)
#define sd_bus_message_unref (kbf_libsystemd()->sd_bus_message_unref)
#define sd_bus_open_system (kbf_libsystemd()->sd_bus_open_system)
#define sd_bus_process (kbf_libsystemd()->sd_bus_process)
#define sd_bus_wait (kbf_libsystemd()->sd_bus_wait)
#define sd_id128_get_boot (kbf_libsystemd()->sd_id128_get_boot)
#define sd_journal_add_match (kbf_libsystemd()->sd_journal_add_match)
#define sd_journal_close (kbf_libsystemd()->sd_journal_close)
#define sd_journal_enumerate_data (kbf_libsystemd()->sd_journal_enumerate_data)
#define sd_journal_get_realtime_usec (kbf_libsystemd()->sd_journal_get_realtime_usec)
#define sd_journal_get_usage (kbf_libsystemd()->sd_journal_get_usage)
#define sd_journal_next (kbf_libsystemd()->sd_journal_next)
#define sd_journal_open (kbf_libsystemd()->sd_journal_open)
#define sd_journal_open_directory (kbf_libsystemd()->sd_journal_open_directory)
#define sd_journal_open_files (kbf_libsystemd()->sd_journal_open_files)
#define sd_journal_open_files_fd (kbf_libsystemd()->sd_journal_open_files_fd)
#define sd_journal_previous_skip (kbf_libsystemd()->sd_journal_previous_skip)
#define sd_journal_restart_data (kbf_libsystemd()->sd_journal_restart_data)
#define sd_journal_seek_tail (kbf_libsystemd()->sd_journal_seek_tail)
#endif

#endif
