/*
 * outfile.c — files kbdiag writes, replaced whole and never through a
 * link it was not asked to follow (outfile.h says how and why).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "outfile.h"
#include "path.h"
#include "xalloc.h"

/* "dir/.name.XXXXXX" for "dir/name": beside it, so that the rename stays
 * on one file system, and hidden. */
static char *temporary_name(const char *path)
{
	size_t dir = (size_t)(kbu_path_name(path) - path);
	size_t n = strlen(path) + sizeof("..XXXXXX");
	char *tmp = kbu_malloc(n);
	snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dir, path, path + dir);
	return tmp;
}

/* Puts the temporary file tmp at path: rename(), which on Windows
 * refuses a name that exists (MoveFileEx replaces it: MSDN,
 * MOVEFILE_REPLACE_EXISTING).  0, or -1 with errno set. */
static int replace(const char *tmp, const char *path)
{
#ifdef _WIN32
	if (MoveFileExA(tmp, path, MOVEFILE_REPLACE_EXISTING))
		return 0;
	errno = GetLastError() == ERROR_ACCESS_DENIED ? EACCES : EIO;
	return -1;
#else
	return rename(tmp, path);
#endif
}

/* Whether path names a device stat() does not see: Windows's NUL, CON. */
static bool unseen_device(const char *path)
{
#ifdef _WIN32
	HANDLE h = CreateFileA(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return false;
	bool device = GetFileType(h) == FILE_TYPE_CHAR;
	CloseHandle(h);
	return device;
#else
	return false;
#endif
}

/* The mode the new file gets: the old one's, else what creat() would give. */
static mode_t new_mode(const struct stat *old)
{
	if (old)
		return old->st_mode & 07777;
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int write_in_place(struct kbu_outfile *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	return 0;
}

int kbu_outfile_open(struct kbu_outfile *o, const char *path, bool follow_links)
{
	memset(o, 0, sizeof(*o));
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	char *target = NULL;
	if (exists && S_ISLNK(st.st_mode)) {
		if (!follow_links)
			return KBU_OUTFILE_LINK;
		if (!(target = realpath(path, NULL))) /* a link to nothing: ENOENT */
			return -1;
		path = target;
		exists = lstat(path, &st) == 0;
	}
	int rc = -1;
	if (exists && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
	} else if ((exists && !S_ISREG(st.st_mode)) || (!exists && unseen_device(path))) {
		rc = write_in_place(o, path);
	} else {
		o->tmp = temporary_name(path);
		int fd = mkstemp(o->tmp);
		if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fchmod(fd, new_mode(exists ? &st : NULL)) == 0 &&
		    (o->f = fdopen(fd, "w"))) {
			o->path = kbu_strdup(path);
			rc = 0;
		} else {
			int e = errno;
			if (fd >= 0) {
				close(fd);
				unlink(o->tmp);
			}
			free(o->tmp);
			o->tmp = NULL;
			errno = e;
		}
	}
	free(target);
	return rc;
}

int kbu_outfile_commit(struct kbu_outfile *o)
{
	int rc = 0, e = 0;
	if (fclose(o->f) != 0)
		rc = -1, e = errno;
	o->f = NULL;
	if (rc == 0 && o->tmp && replace(o->tmp, o->path) != 0)
		rc = -1, e = errno;
	if (rc < 0 && o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	errno = e;
	return rc;
}

void kbu_outfile_abort(struct kbu_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
