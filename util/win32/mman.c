/*
 * mman.c — mmap() and its kin for kbdiag.exe (include/sys/mman.h says
 * what is supported).  MSDN: "Creating a File Mapping Object",
 * MapViewOfFile, VirtualAlloc (MEM_RESET).
 */
#include <errno.h>
#include <stdint.h>
#include <windows.h>

#include "posix.h"
#include "sys/mman.h"

static void *map_file(size_t len, int fd, off_t off)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	if (h == INVALID_HANDLE_VALUE)
		return errno = EBADF, MAP_FAILED;
	HANDLE map = CreateFileMappingA(h, NULL, PAGE_READONLY, 0, 0, NULL);
	if (!map)
		return errno = EACCES, MAP_FAILED;
	void *p = MapViewOfFile(map, FILE_MAP_READ, (DWORD)((uint64_t)off >> 32), (DWORD)off, len);
	CloseHandle(map); /* the view keeps the mapping */
	return p ? p : (errno = ENOMEM, MAP_FAILED);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (addr || len == 0)
		return errno = EINVAL, MAP_FAILED;
	if (!(flags & MAP_ANONYMOUS)) {
		if (prot != PROT_READ)
			return errno = EINVAL, MAP_FAILED;
		return map_file(len, fd, off);
	}
	void *p = VirtualAlloc(NULL, len, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	return p ? p : (errno = ENOMEM, MAP_FAILED);
}

int munmap(void *addr, size_t len)
{
	MEMORY_BASIC_INFORMATION mbi;
	if (!VirtualQuery(addr, &mbi, sizeof(mbi)))
		return errno = EINVAL, -1;
	BOOL ok = mbi.Type == MEM_MAPPED ? UnmapViewOfFile(addr) : VirtualFree(addr, 0, MEM_RELEASE);
	return ok ? 0 : (errno = EINVAL, -1);
}

int madvise(void *addr, size_t len, int advice)
{
	MEMORY_BASIC_INFORMATION mbi;
	if (advice == MADV_DONTNEED && len && VirtualQuery(addr, &mbi, sizeof(mbi)) && mbi.Type == MEM_PRIVATE)
		VirtualAlloc(addr, len, MEM_RESET, PAGE_READWRITE); /* a hint: nothing to do if refused */
	return 0;
}

long sysconf(int name)
{
	SYSTEM_INFO si;
	if (name != _SC_PAGESIZE)
		return errno = EINVAL, -1;
	GetSystemInfo(&si);
	return (long)si.dwPageSize;
}
