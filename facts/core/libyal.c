/*
 * libyal.c — what the libyal-based importers share (libyal.h): a libbfio
 * handle over bytes in memory whose reads stop at the end of the bytes
 * (libyal.h says why libbfio's own memory range will not do), and a libyal
 * error in words.  libbfio calls the range_ functions through the function
 * table libbfio_handle_initialize() takes; they return what libbfio's file
 * handle functions return.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libyal.h"
#include "xalloc.h"

struct range {
	const uint8_t *data;
	size_t size;
	uint64_t off; /* may lie past the end: reads there give nothing */
	bool open;
};

static int range_free(intptr_t **io, libbfio_error_t **error)
{
	(void)error;
	free(*io);
	*io = NULL;
	return 1;
}

static int range_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **error)
{
	(void)error;
	if (!src)
		return -1;
	struct range *r = kbu_memdup(src, sizeof(struct range));
	r->off = 0;
	r->open = false;
	*dst = (intptr_t *)r;
	return 1;
}

static int range_open(intptr_t *io, int flags, libbfio_error_t **error)
{
	(void)error;
	struct range *r = (struct range *)io;
	if (flags & ~LIBBFIO_ACCESS_FLAG_READ)
		return -1;
	r->open = true;
	r->off = 0;
	return 1;
}

static int range_close(intptr_t *io, libbfio_error_t **error)
{
	(void)error;
	((struct range *)io)->open = false;
	return 0;
}

static ssize_t range_read(intptr_t *io, uint8_t *buf, size_t size, libbfio_error_t **error)
{
	(void)error;
	struct range *r = (struct range *)io;
	if (!r->open || size > (size_t)SSIZE_MAX)
		return -1;
	if (r->off >= r->size)
		return 0;
	size_t n = r->size - (size_t)r->off < size ? r->size - (size_t)r->off : size;
	memcpy(buf, r->data + r->off, n);
	r->off += n;
	return (ssize_t)n;
}

static ssize_t range_write(intptr_t *io, const uint8_t *buf, size_t size, libbfio_error_t **error)
{
	(void)io, (void)buf, (void)size, (void)error;
	return -1;
}

static off64_t range_seek(intptr_t *io, off64_t offset, int whence, libbfio_error_t **error)
{
	(void)error;
	struct range *r = (struct range *)io;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)r->off
		     : whence == SEEK_END ? (int64_t)r->size : -1;
	if (base < 0 || (offset < 0 && -offset > base) || (offset > 0 && offset > INT64_MAX - base))
		return -1;
	r->off = (uint64_t)(base + offset);
	return (off64_t)r->off;
}

static int range_exists(intptr_t *io, libbfio_error_t **error)
{
	(void)io, (void)error;
	return 1;
}

static int range_is_open(intptr_t *io, libbfio_error_t **error)
{
	(void)error;
	return ((struct range *)io)->open;
}

static int range_size(intptr_t *io, size64_t *size, libbfio_error_t **error)
{
	(void)error;
	*size = ((struct range *)io)->size;
	return 1;
}

libbfio_handle_t *kbf_bfio_memory(const uint8_t *data, size_t size)
{
	struct range *r = kbu_calloc(1, sizeof(*r));
	r->data = data;
	r->size = size;
	libbfio_handle_t *h = NULL;
	if (libbfio_handle_initialize(&h, (intptr_t *)r, range_free, range_clone, range_open, range_close,
				      range_read, range_write, range_seek, range_exists, range_is_open, range_size,
				      LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION,
				      NULL) != 1) {
		free(r);
		return NULL;
	}
	return h;
}

void kbf_libyal_error_text(const char *trace, char *buf, size_t size)
{
	size_t n = strcspn(trace, "\n"), from = 0;
	for (size_t i = 0; i + 1 < n && !from; i++)
		if (trace[i] == ':' && trace[i + 1] == ' ')
			from = i + 2;
	snprintf(buf, size, "%.*s", (int)(n - from), trace + from);
}

void kbf_libyal_error_take(intptr_t **error, int (*sprint)(intptr_t *, char *, size_t), void (*free_error)(intptr_t **),
			   char *buf, size_t size)
{
	buf[0] = '\0';
	if (!*error)
		return;
	char trace[2048];
	if (sprint(*error, trace, sizeof(trace)) > 0)
		kbf_libyal_error_text(trace, buf, size);
	free_error(error);
}
