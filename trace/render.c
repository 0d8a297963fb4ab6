/*
 * render.c — a trace rendered by format name, as --trace-format names it.
 */
#include <string.h>

#include "trace.h"

int kbt_render(const struct kbt_trace *t, const char *format, FILE *out)
{
	if (strcmp(format, "json") == 0)
		return kbt_write_json(t, out);
	if (strcmp(format, "text") == 0)
		return kbt_render_text(t, out);
	if (strcmp(format, "dot") == 0)
		return kbt_render_dot(t, out);
	if (strcmp(format, "prov") == 0)
		return kbt_render_prov(t, out);
	return -1;
}
