/*
 * html_hosts.c — one page for `diagnose` of several hosts (html.h): an
 * overview of the hosts with their counts, each linking to the host's own
 * part, which is kbr_html_host() under the host's heading.  A host's part
 * is written while its session lives (the trace points into its engine)
 * and kept until the page is put together, so that the overview comes
 * first.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "htmlout.h"
#include "xalloc.h"

struct host_part {
	char *name, *body;
	size_t errors, warnings, info, problems, unread;
};

struct kbr_html_hosts {
	struct host_part *v;
	size_t n;
};

struct kbr_html_hosts *kbr_html_hosts_new(void)
{
	return kbu_calloc(1, sizeof(struct kbr_html_hosts));
}

void kbr_html_hosts_add(struct kbr_html_hosts *h, const char *name, const struct kbr_report *r,
			const struct kbt_trace *t, const struct kbr_html_options *o)
{
	h->v = kbu_realloc(h->v, h->n + 1, sizeof(*h->v));
	struct host_part *p = &h->v[h->n];
	char id[32];
	snprintf(id, sizeof(id), "h%zu", h->n++);
	size_t e = kbr_count_severity(r, "error"), w = kbr_count_severity(r, "warning");
	*p = (struct host_part){kbu_strdup(name), NULL, e, w, r->nfindings - e - w, r->nerrors,
				r->nread_as[KBR_NOT_READ] + r->nread_as[KBR_READ_IN_PART]};
	size_t len = 0;
	FILE *mem = open_memstream(&p->body, &len);
	if (!mem)
		kbu_oom();
	kbu_hprintf(mem, "<section class=\"host\" id=\"%s\">\n<h2>%s</h2>\n", id, name);
	kbr_html_host(mem, r, t, o, id, 3);
	fputs("</section>\n", mem);
	if (fclose(mem) != 0)
		kbu_oom();
}

static void overview(FILE *out, const struct kbr_html_hosts *h)
{
	fputs("<section id=\"hosts\">\n<h2>Hosts</h2>\n<p>Each host was diagnosed alone: no fact of one joined a fact "
	      "of another.</p>\n<table>\n<thead><tr><th scope=\"col\">Host</th>",
	      out);
	static const char *const severities[] = {"error", "warning", "info"};
	for (size_t k = 0; k < 3; k++) {
		fputs("<th scope=\"col\" class=\"num\">", out);
		kbr_html_severity(out, severities[k]);
		fputs("</th>", out);
	}
	fputs("<th scope=\"col\" class=\"num\">Rule problems</th><th scope=\"col\" class=\"num\">Inputs not read in "
	      "full</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < h->n; i++) {
		const struct host_part *p = &h->v[i];
		kbu_hprintf(out, "<tr><th scope=\"row\"><a href=\"#h%zu\">%s</a></th><td class=\"num\">%zu</td>"
				 "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
				 "<td class=\"num\">%zu</td></tr>\n",
			    i, p->name, p->errors, p->warnings, p->info, p->problems, p->unread);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

int kbr_html_hosts_render(const struct kbr_html_hosts *h, FILE *out)
{
	char title[64];
	snprintf(title, sizeof(title), "kbdiag report: %zu hosts", h->n);
	kbr_html_open(out, title, NULL);
	overview(out, h);
	for (size_t i = 0; i < h->n; i++)
		fputs(h->v[i].body, out);
	return kbr_html_close(out);
}

void kbr_html_hosts_free(struct kbr_html_hosts *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].body);
	}
	free(h->v);
	free(h);
}
