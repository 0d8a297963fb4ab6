/*
 * thread.c — the second thread of thread.h over pthreads
 * (win32/thread.c: over CreateThread, for kbdiag.exe).
 */
#include <pthread.h>
#include <stdlib.h>

#include "thread.h"

struct kbu_thread {
	void (*fn)(void *);
	void *arg;
	pthread_t id;
};

static void *run(void *p)
{
	struct kbu_thread *t = p;
	t->fn(t->arg);
	return NULL;
}

struct kbu_thread *kbu_thread_start(void (*fn)(void *), void *arg)
{
	struct kbu_thread *t = malloc(sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn, t->arg = arg;
	if (pthread_create(&t->id, NULL, run, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

int kbu_thread_join(struct kbu_thread *t)
{
	int rc = pthread_join(t->id, NULL) == 0 ? 0 : -1;
	free(t);
	return rc;
}
