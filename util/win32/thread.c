/*
 * thread.c — the second thread of thread.h over CreateThread, for
 * kbdiag.exe (not winpthreads, whose static library needs GetTickCount64,
 * which Windows before Vista lacks).
 */
#include <stdlib.h>
#include <windows.h>

#include "thread.h"

struct kbu_thread {
	void (*fn)(void *);
	void *arg;
	HANDLE h;
};

static DWORD WINAPI run(LPVOID p)
{
	struct kbu_thread *t = p;
	t->fn(t->arg);
	return 0;
}

struct kbu_thread *kbu_thread_start(void (*fn)(void *), void *arg)
{
	struct kbu_thread *t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn, t->arg = arg;
	if (!(t->h = CreateThread(NULL, 0, run, t, 0, NULL))) {
		free(t);
		return NULL;
	}
	return t;
}

int kbu_thread_join(struct kbu_thread *t)
{
	int rc = WaitForSingleObject(t->h, INFINITE) == WAIT_OBJECT_0 ? 0 : -1;
	CloseHandle(t->h);
	free(t);
	return rc;
}
