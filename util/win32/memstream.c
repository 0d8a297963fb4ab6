/*
 * memstream.c — open_memstream() for kbdiag.exe (posix.h).  The Windows C
 * runtime has no stream over memory, so the stream is a temporary file
 * (deleted when closed: FILE_FLAG_DELETE_ON_CLOSE, in the user's %TEMP%),
 * and fclose(), which posix.h makes kbu_win32_fclose(), reads it back into
 * *buf and *len.  The streams open are a short list: kbdiag has at most a
 * few at once, all in the main thread.
 */
#include <errno.h>
#include <stdint.h>
#include <windows.h>

#include "posix.h"
#undef fclose

struct memstream {
	FILE *f;
	char **buf;
	size_t *len;
	struct memstream *next;
};
static struct memstream *open_streams;

static FILE *temporary_stream(void)
{
	char dir[MAX_PATH + 1], path[MAX_PATH + 1];
	DWORD n = GetTempPathA(sizeof(dir), dir);
	if (n == 0 || n > sizeof(dir) || !GetTempFileNameA(dir, "kbd", 0, path))
		return errno = EIO, NULL;
	HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
			       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return errno = EIO, NULL;
	int fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY);
	if (fd < 0) {
		CloseHandle(h);
		return NULL;
	}
	FILE *f = _fdopen(fd, "w+b");
	if (!f)
		_close(fd);
	return f;
}

FILE *open_memstream(char **buf, size_t *len)
{
	FILE *f = temporary_stream();
	struct memstream *m = f ? malloc(sizeof(*m)) : NULL;
	if (!m) {
		if (f)
			fclose(f);
		return NULL;
	}
	*m = (struct memstream){f, buf, len, open_streams};
	open_streams = m;
	*buf = NULL, *len = 0;
	return f;
}

/* The stream's bytes, NUL-terminated, into m's buffer. */
static int take_text(struct memstream *m)
{
	if (fflush(m->f) != 0 || fseeko(m->f, 0, SEEK_END) != 0)
		return -1;
	off_t n = ftello(m->f);
	if (n < 0 || (uint64_t)n >= SIZE_MAX || fseeko(m->f, 0, SEEK_SET) != 0)
		return -1;
	char *p = malloc((size_t)n + 1);
	if (!p)
		return -1;
	if (fread(p, 1, (size_t)n, m->f) != (size_t)n) {
		free(p);
		return -1;
	}
	p[n] = '\0';
	*m->buf = p, *m->len = (size_t)n;
	return 0;
}

int kbu_win32_fclose(FILE *f)
{
	struct memstream **at = &open_streams;
	while (*at && (*at)->f != f)
		at = &(*at)->next;
	if (!*at)
		return fclose(f);
	struct memstream *m = *at;
	*at = m->next;
	int rc = take_text(m);
	if (fclose(f) != 0)
		rc = EOF;
	free(m);
	return rc < 0 ? EOF : rc;
}
