/*
 * procs.c — the process list of a live Windows host as `process` facts
 * (pid, ppid, name, path), with the slots tasklist's evidence gives and
 * the parent and image path it lacks.  The list is also what the sockets
 * collector joins owners to (sockets.c), so it is kept in a table sorted
 * by pid.  procs_win32.c fills it from a Toolhelp32 snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "xalloc.h"

void kbf_live_procs_add(struct kbf_live_procs *p, uint32_t pid, uint32_t ppid, const char *name,
			const char *path)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 128;
		p->v = kbu_realloc(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = (struct kbf_live_proc){pid, ppid, kbu_strdup(name ? name : ""),
					      path ? kbu_strdup(path) : NULL};
	p->sorted = false;
}

static int by_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct kbf_live_proc *)a)->pid, y = ((const struct kbf_live_proc *)b)->pid;
	return (x > y) - (x < y);
}

const struct kbf_live_proc *kbf_live_proc_find(struct kbf_live_procs *p, uint32_t pid)
{
	if (!p || !p->n)
		return NULL;
	if (!p->sorted) {
		qsort(p->v, p->n, sizeof(*p->v), by_pid);
		p->sorted = true;
	}
	struct kbf_live_proc key = {.pid = pid};
	return bsearch(&key, p->v, p->n, sizeof(*p->v), by_pid);
}

void kbf_live_procs_free(struct kbf_live_procs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].path);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* "svchost.exe  PID 812  parent 604  C:\WINDOWS\system32\svchost.exe" */
static int emit_one(struct kbf_input *in, const struct kbf_live_proc *pr)
{
	struct kbf_fact f;
	char text[600];
	kbf_fact_begin(&f, in, "process");
	kbf_set_int(&f, "pid", pr->pid);
	kbf_set_int(&f, "ppid", pr->ppid);
	kbf_set_cstr(&f, "name", pr->name);
	if (pr->path)
		kbf_set_cstr(&f, "path", pr->path);
	int n = snprintf(text, sizeof(text), "%s  PID %lu  parent %lu%s%s", pr->name, (unsigned long)pr->pid,
			 (unsigned long)pr->ppid, pr->path ? "  " : "", pr->path ? pr->path : "");
	size_t len = kbf_live_printed(n, sizeof(text));
	return kbf_fact_emit(&f, 0, text, len) ? 0 : -1;
}

int kbf_live_procs_emit(struct kbf_input *in, const struct kbf_live_procs *p)
{
	int rc = 0;
	for (size_t i = 0; i < p->n; i++)
		if (emit_one(in, &p->v[i]) < 0)
			rc = -1;
	if (p->refused)
		kbf_input_skip(in, 0,
			       "image paths not seen: %zu of %zu processes refused OpenProcess (run as "
			       "administrator to see them); their process facts have no path",
			       p->refused, p->n);
	return rc;
}
