/*
 * libyal.h — what the importers built on libyal's libraries (libevtx,
 * libevt, libregf: binary evidence) share: a libbfio handle over the bytes in
 * memory, and the words of a libyal error.
 *
 * libbfio's own memory range cannot be used: in libbfio 20170123 (Debian
 * 12) a read that asks for more than the range has left copies the whole
 * request, past the range's end (libbfio_memory_range_read copies `size`,
 * not the bytes left), which reads beyond a mapped file.
 */
#ifndef KBDIAG_FACTS_CORE_LIBYAL_H
#define KBDIAG_FACTS_CORE_LIBYAL_H

#include <stddef.h>
#include <stdint.h>

#include "libyal_lib.h" /* the libraries' functions, loaded on first use */

/* A read-only handle over data[0..size) (borrowed: it must outlive the
 * handle), to free with libbfio_handle_free(); NULL if libbfio refuses. */
libbfio_handle_t *kbf_bfio_memory(const uint8_t *data, size_t size);

/* What went wrong, from a libyal error's backtrace (each library's
 * *_error_backtrace_sprint): its first line, the most specific, without
 * the function's name ("invalid binary XML token - unsupported type:
 * 0x05."), into buf. */
void kbf_libyal_error_text(const char *trace, char *buf, size_t size);

/* The same from the error itself, which is freed (*error set NULL);
 * buf is empty when there is none.  Every libyal library's error is an
 * intptr_t with a backtrace printer and a free of the same types: pass the
 * library's (libregf_error_backtrace_sprint, libregf_error_free). */
void kbf_libyal_error_take(intptr_t **error, int (*sprint)(intptr_t *, char *, size_t), void (*free_error)(intptr_t **),
			   char *buf, size_t size);

#endif
