/*
 * thread.h — a second thread, started and waited for: all kbdiag asks of
 * threads (facts/core/collect.c reads the host while the rules load;
 * evtx_xml_split.c reads a stretch of events while the last is asserted).
 * thread.c over pthreads; win32/thread.c over CreateThread.
 */
#ifndef KBDIAG_UTIL_THREAD_H
#define KBDIAG_UTIL_THREAD_H

struct kbu_thread;

/* fn(arg) on a new thread; NULL when none can be started. */
struct kbu_thread *kbu_thread_start(void (*fn)(void *), void *arg);
/* Waits for t to end, and frees it; 0, or -1 if it cannot be waited for. */
int kbu_thread_join(struct kbu_thread *t);

#endif
