/*
 * thread.c — the second thread of thread.h, over pthreads or, on
 * Windows, CreateThread.
 */
#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif
#include <stdbool.h>
#include <stdlib.h>

#include "thread.h"

struct kbu_thread {
	void (*fn)(void *);
	void *arg;
#ifdef _WIN32
	HANDLE h;
#else
	pthread_t id;
#endif
};

#ifdef _WIN32
static DWORD WINAPI run(LPVOID p)
{
	struct kbu_thread *t = p;
	t->fn(t->arg);
	return 0;
}
#else
static void *run(void *p)
{
	struct kbu_thread *t = p;
	t->fn(t->arg);
	return NULL;
}
#endif

struct kbu_thread *kbu_thread_start(void (*fn)(void *), void *arg)
{
	struct kbu_thread *t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn, t->arg = arg;
#ifdef _WIN32
	bool started = (t->h = CreateThread(NULL, 0, run, t, 0, NULL)) != NULL;
#else
	bool started = pthread_create(&t->id, NULL, run, t) == 0;
#endif
	if (!started) {
		free(t);
		return NULL;
	}
	return t;
}

int kbu_thread_join(struct kbu_thread *t)
{
#ifdef _WIN32
	int rc = WaitForSingleObject(t->h, INFINITE) == WAIT_OBJECT_0 ? 0 : -1;
	CloseHandle(t->h);
#else
	int rc = pthread_join(t->id, NULL) == 0 ? 0 : -1;
#endif
	free(t);
	return rc;
}
