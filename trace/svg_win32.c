/*
 * svg_win32.c — kbt_render_why_svg() in kbdiag.exe, which is built
 * without Graphviz (facts/core/dynlib.h: Linux loads it on use): no
 * picture, said once; the HTML page then gives the reasoning as text.
 */
#include <stdbool.h>
#include <stdio.h>

#include "trace.h"

int kbt_render_why_svg(const struct kbt_trace *t, uint32_t finding, FILE *out)
{
	static bool said;
	if (!said)
		fputs("kbdiag: kbdiag.exe is built without Graphviz: no why-tree pictures (draw them with the Linux "
		      "build)\n", stderr);
	said = true;
	return -1;
}
