/*
 * input.c — the account of each input: what it is, how far it was read,
 * and what of it was left out and why, so that nothing is skipped
 * without the report saying so.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "xalloc.h"

struct kbf_input *kbf_inputs_add(struct kbf_inputs *inputs, struct kb_engine *eng, const char *path)
{
	if (inputs->n == inputs->cap) {
		inputs->cap = inputs->cap ? inputs->cap * 2 : 16;
		inputs->v = kbu_realloc(inputs->v, inputs->cap, sizeof(*inputs->v));
	}
	struct kbf_input *in = &inputs->v[inputs->n];
	memset(in, 0, sizeof(*in));
	in->path = kbu_strdup(path);
	in->eng = eng;
	in->format = KBF_FORMAT_UNRECOGNISED;
	inputs->n++;
	return in;
}

void kbf_inputs_free(struct kbf_inputs *inputs)
{
	for (size_t i = 0; i < inputs->n; i++) {
		kbf_input_free_notes(&inputs->v[i]);
		kbf_cite_file_free(inputs->v[i].cite);
		free(inputs->v[i].path);
	}
	free(inputs->v);
	inputs->v = NULL;
	inputs->n = inputs->cap = 0;
}

void kbf_input_free_notes(struct kbf_input *in)
{
	for (size_t k = 0; k < in->nskips_kept; k++)
		free(in->skips[k].reason);
	free(in->skips);
	in->skips = NULL;
	in->nskips_kept = in->nskips = 0;
	for (size_t k = 0; k < in->ncomputers; k++)
		free(in->computers[k]);
	in->ncomputers = 0;
}

int kbf_input_verror(struct kbf_input *in, int line, const char *fmt, va_list ap)
{
	if (in->err.status != KB_OK)
		return -1;
	size_t size = strlen(in->path) + 16;
	char *where = kbu_malloc(size); /* kb_error_set keeps its end if it is long */
	if (line > 0)
		snprintf(where, size, "%s:%d", in->path, line);
	else
		snprintf(where, size, "%s", in->path);
	kb_error_vset(&in->err, KB_EINVAL, where, fmt, ap);
	free(where);
	in->err_line = line;
	return -1;
}

int kbf_input_error(struct kbf_input *in, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kbf_input_verror(in, line, fmt, ap);
	va_end(ap);
	return -1;
}

int kbf_input_without(struct kbf_input *in, const char *lib)
{
	return kbf_input_error(in, 0, "not read: kbdiag.exe is built without %s (read this file with the Linux build)",
			       lib);
}

int kbf_input_skip(struct kbf_input *in, int line, const char *fmt, ...)
{
	if (in->nskips++ >= KBF_SKIPS_KEPT)
		return 0;
	if (!in->skips)
		in->skips = kbu_calloc(KBF_SKIPS_KEPT, sizeof(*in->skips));
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *reason = kbu_malloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(reason, n > 0 ? (size_t)n + 1 : 1, fmt, again);
	va_end(again);
	in->skips[in->nskips_kept++] = (struct kbf_skip){line, reason};
	return 0;
}

bool kbf_input_usable(const struct kbf_input *in)
{
	if (in->container || in->unavailable || !kbf_input_recognised(in))
		return false;
	return in->err.status == KB_OK || in->nread > 0;
}

bool kbf_input_recognised(const struct kbf_input *in)
{
	return strcmp(in->format, KBF_FORMAT_UNRECOGNISED) != 0;
}
