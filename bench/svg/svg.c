/*
 * svg.c — how long kbt_render_why_svg() takes (bench/README.md, "Why-tree
 * pictures"): the first picture (Graphviz loaded then), then each of a
 * trace's findings drawn in turn until `pictures` are drawn, as an HTML
 * report with that many findings would; output to /dev/null.
 *
 *     kbdiag-svg TRACE.json [PICTURES]      (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "trace.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: kbdiag-svg TRACE.json [PICTURES]\n");
		return 2;
	}
	long pictures = argc == 3 ? strtol(argv[2], NULL, 10) : 20;
	char err[512];
	struct kbt_trace *t = kbt_read_json(argv[1], err, sizeof(err));
	if (!t) {
		fprintf(stderr, "kbdiag-svg: %s: %s\n", argv[1], err);
		return 2;
	}
	uint32_t *ids;
	size_t n = kbt_findings(t, &ids);
	FILE *sink = fopen("/dev/null", "w");
	if (!n || !sink || pictures < 1) {
		fprintf(stderr, "kbdiag-svg: %s: no findings to draw\n", argv[1]);
		return 2;
	}
	double start = now();
	if (kbt_render_why_svg(t, ids[0], sink) != 0)
		return 1;
	double first = now() - start;
	start = now();
	for (long i = 0; i < pictures; i++)
		if (kbt_render_why_svg(t, ids[(size_t)i % n], sink) != 0)
			return 1;
	double all = now() - start;
	printf("%zu findings; first picture (Graphviz loaded): %.1f ms; %ld pictures: %.1f ms (%.2f ms each)\n", n,
	       first * 1e3, pictures, all * 1e3, all * 1e3 / (double)pictures);
	fclose(sink);
	free(ids);
	kbt_trace_free(t);
	return 0;
}
