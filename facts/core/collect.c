/*
 * collect.c — running the live host's collectors, and reading the host
 * ahead on a second thread.
 *
 * `kbdiag run` loads and compiles the rules before any fact is made (the
 * pre-filter needs them), and the rules take as long as reading the host;
 * the machine has more than one core.  A collector that splits its work
 * (read, then emit: facts.h) has its read done by kbf_collect_ahead's
 * thread while the main thread loads the rules; its facts are made in
 * the main thread, in the collectors' order, so the engine is only ever
 * touched by one thread and the facts are those made without the thread.
 */
#include <stdlib.h>

#include "facts.h"
#include "thread.h"
#include "xalloc.h"

struct kbf_collect_ahead {
	struct kbu_thread *thread;
	const struct kbf_options *opt;
	void **got; /* by collector, what its read() returned */
};

static void read_ahead(void *arg)
{
	struct kbf_collect_ahead *a = arg;
	for (size_t i = 0; kbf_collectors[i]; i++)
		if (kbf_collectors[i]->read)
			a->got[i] = kbf_collectors[i]->read(a->opt);
}

struct kbf_collect_ahead *kbf_collect_ahead(const struct kbf_options *opt)
{
	size_t n = 0;
	while (kbf_collectors[n])
		n++;
	struct kbf_collect_ahead *a = kbu_calloc(1, sizeof(*a));
	a->opt = opt;
	a->got = kbu_calloc(n, sizeof(*a->got));
	if (!(a->thread = kbu_thread_start(read_ahead, a))) {
		free(a->got);
		free(a);
		return NULL;
	}
	return a;
}

void kbf_collect_ahead_free(struct kbf_collect_ahead *ahead)
{
	if (!ahead)
		return;
	kbu_thread_join(ahead->thread);
	for (size_t i = 0; kbf_collectors[i]; i++)
		if (kbf_collectors[i]->read)
			kbf_collectors[i]->drop(ahead->got[i]);
	free(ahead->got);
	free(ahead);
}

int kbf_collect(struct kb_engine *eng, const struct kbf_options *opt, struct kbf_collect_ahead *ahead,
		struct kbf_inputs *inputs)
{
	if (ahead)
		kbu_thread_join(ahead->thread);
	int failed = 0;
	for (size_t i = 0; kbf_collectors[i]; i++) {
		const struct kbf_collector *c = kbf_collectors[i];
		struct kbf_input *in = kbf_inputs_add(inputs, eng, c->name);
		in->format = "live";
		int rc = !c->read ? c->gather(in, opt) : c->emit(in, opt, ahead ? ahead->got[i] : c->read(opt));
		if (rc < 0 || in->err.status != KB_OK)
			failed++;
	}
	if (ahead) {
		free(ahead->got);
		free(ahead);
	}
	return failed;
}
