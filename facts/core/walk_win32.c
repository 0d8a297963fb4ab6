/*
 * walk_win32.c — the walk of a bundle directory in kbdiag.exe (walk.c is
 * Linux's, and says why a bundle's names are not trusted).  Windows gives
 * no descriptor of a folder to open names from, so the walk goes by path,
 * one name at a time below the bundle, and never through a reparse point
 * (a symbolic link, a junction, a mount point: anything that could lead
 * out of the bundle): each is listed as not read.  As on Linux, a
 * folder's entries are read in byte order of their names, only regular
 * files are opened, and folders deeper than MAX_DEPTH are not read.
 *
 * The names below the bundle are read and opened as Windows spells them
 * (UTF-16) and shown in UTF-8; the bundle's own path comes from the
 * command line in the ANSI code page.  Not done here (yet): the same file
 * reached twice through hard links is read twice (no file identity is
 * compared).  MSDN: FindFirstFileW, WIN32_FIND_DATA, "File Attribute
 * Constants".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>
#include <windows.h>

#include "read.h"
#include "win32/wide.h"
#include "xalloc.h"

#define MAX_DEPTH 16

struct walk {
	struct kb_engine *eng;
	struct kbf_inputs *inputs;
	const char *shown_root;
	int errors;
};

struct entry {
	char *name;      /* UTF-8, as reports show it and as it is sorted */
	wchar_t *wname;  /* as Windows names it */
	DWORD attrs;
};

static char *joined(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = kbu_malloc(n);
	snprintf(s, n, "%s%s%s", dir, dir[0] ? "/" : "", name);
	return s;
}

static wchar_t *wjoined(const wchar_t *dir, const wchar_t *name)
{
	size_t a = wcslen(dir), b = wcslen(name);
	wchar_t *s = kbu_malloc((a + b + 2) * sizeof(*s));
	memcpy(s, dir, a * sizeof(*s));
	s[a] = L'\\';
	memcpy(s + a + 1, name, (b + 1) * sizeof(*s));
	return s;
}

KBU_PRINTF_LIKE(3, 4) static void not_read(struct walk *w, const char *shown, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kbf_input_verror(kbf_inputs_add(w->inputs, w->eng, shown[0] ? shown : w->shown_root), 0, fmt, ap);
	va_end(ap);
	w->errors++;
}

/* The file at path, opened without following a reparse point (one put
 * there since the folder was listed is then seen on the handle):
 * FILE_FLAG_OPEN_REPARSE_POINT, GetFileInformationByHandle. */
static void read_file(struct walk *w, const wchar_t *path, const char *shown)
{
	HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
			       OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	BY_HANDLE_FILE_INFORMATION info;
	int fd = -1;
	if (h == INVALID_HANDLE_VALUE || !GetFileInformationByHandle(h, &info))
		not_read(w, shown, "cannot read: %s", GetLastError() == ERROR_ACCESS_DENIED ? "Permission denied"
											 : "cannot be opened");
	else if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		not_read(w, shown, "not read: a link (a reparse point), not followed");
	else if (GetFileType(h) != FILE_TYPE_DISK)
		not_read(w, shown, "not read: a device, not a file");
	else if ((fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY)) < 0)
		not_read(w, shown, "cannot read: %s", strerror(errno));
	else
		w->errors += kbf_read_fd(w->eng, fd, (uint64_t)info.nFileSizeHigh << 32 | info.nFileSizeLow, shown,
					 w->inputs);
	if (fd >= 0)
		close(fd); /* closes h */
	else if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* The entries of the folder at path, sorted; NULL (and *n 0) when it
 * cannot be listed, errno set. */
static struct entry *list_folder(const wchar_t *path, size_t *n)
{
	wchar_t *pattern = wjoined(path, L"*");
	WIN32_FIND_DATAW fd;
	HANDLE h = FindFirstFileW(pattern, &fd);
	free(pattern);
	*n = 0;
	if (h == INVALID_HANDLE_VALUE) {
		errno = GetLastError() == ERROR_ACCESS_DENIED ? EACCES : ENOENT;
		return NULL;
	}
	struct entry *v = NULL;
	size_t cap = 0;
	do {
		if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			v = kbu_realloc(v, cap, sizeof(*v));
		}
		v[(*n)++] = (struct entry){kbu_win32_utf8(fd.cFileName), _wcsdup(fd.cFileName), fd.dwFileAttributes};
	} while (FindNextFileW(h, &fd));
	FindClose(h);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v ? v : kbu_calloc(1, sizeof(*v));
}

/* Walks the folder at path, named shown ("" the root), depth folders
 * below the root. */
static void walk_dir(struct walk *w, const wchar_t *path, const char *shown, int depth)
{
	size_t n;
	struct entry *v = list_folder(path, &n);
	if (!v) {
		not_read(w, shown, "cannot open directory: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		wchar_t *child = wjoined(path, v[i].wname);
		char *child_shown = joined(shown, v[i].name);
		if (v[i].attrs & FILE_ATTRIBUTE_REPARSE_POINT)
			not_read(w, child_shown, "not read: a link (a reparse point), not followed");
		else if (v[i].attrs & FILE_ATTRIBUTE_DEVICE)
			not_read(w, child_shown, "not read: a device, not a file");
		else if ((v[i].attrs & FILE_ATTRIBUTE_DIRECTORY) && depth + 1 > MAX_DEPTH)
			not_read(w, child_shown, "not read: a folder nested deeper than %d levels", MAX_DEPTH);
		else if (v[i].attrs & FILE_ATTRIBUTE_DIRECTORY)
			walk_dir(w, child, child_shown, depth + 1);
		else
			read_file(w, child, child_shown);
		free(child);
		free(child_shown);
		free(v[i].name);
		free(v[i].wname);
	}
	free(v);
}

int kbf_walk_bundle(struct kb_engine *eng, const char *path, const char *shown, struct kbf_inputs *inputs)
{
	struct walk w = {.eng = eng, .inputs = inputs, .shown_root = shown};
	wchar_t *root = kbu_win32_wide(path, CP_ACP);
	walk_dir(&w, root, "", 0);
	free(root);
	return w.errors;
}
