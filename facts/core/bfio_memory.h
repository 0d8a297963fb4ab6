/*
 * bfio_memory.h — a libbfio handle over bytes in memory, for the libyal
 * libraries that read binary evidence (libevtx, libevt).  libbfio's own
 * memory range cannot be used: in libbfio 20170123 (Debian 12) a read
 * that asks for more than the range has left copies the whole request,
 * past the range's end (libbfio_memory_range_read copies `size`, not the
 * bytes left), which reads beyond a mapped file.
 */
#ifndef KBDIAG_FACTS_CORE_BFIO_MEMORY_H
#define KBDIAG_FACTS_CORE_BFIO_MEMORY_H

#include <libbfio.h>
#include <stddef.h>
#include <stdint.h>

/* A read-only handle over data[0..size) (borrowed: it must outlive the
 * handle), to free with libbfio_handle_free(); NULL if libbfio refuses. */
libbfio_handle_t *kbf_bfio_memory(const uint8_t *data, size_t size);

#endif
