/*
 * article.h — what a Microsoft KB article's plain text names, as the KB
 * archive lays it out (header lines DOCUMENT:, TITLE :, PRODUCT :,
 * PROD/VER:, the "applies to" list, then SYMPTOMS / CAUSE / RESOLUTION /
 * MORE INFORMATION sections under "=====" lines), for `rules new --from`
 * to pre-fill a rule with.  Text only: which names are Winsock errors or
 * well-known ports is the rules' knowledge, asked by the caller.
 */
#ifndef KBDIAG_CLI_ARTICLE_H
#define KBDIAG_CLI_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

struct kbd_article_event {
	char *source; /* NULL when the article gives the ID alone */
	long id;
};

struct kbd_article_file {
	char *name;    /* "Mfc42.dll" as written */
	char *version; /* "6.00.8168.0" when the text gives one, else NULL */
	size_t line;   /* 0-based, where it is first named */
};

/* Everything owned; arrays in the order the article first names each,
 * without repeats. */
struct kbd_article {
	char *number;   /* "Q271275", NULL when there is no DOCUMENT: line */
	char *title;    /* the TITLE line(s), joined */
	char **products;
	size_t nproducts;
	struct kbd_article_event *events;
	size_t nevents;
	uint32_t *codes;  /* error codes written as numbers: 0x2740, "error 10048" */
	size_t ncodes;
	char **code_names; /* Winsock names: "WSAEADDRINUSE" */
	size_t ncode_names;
	int *ports;
	size_t nports;
	struct kbd_article_file *files;
	size_t nfiles;
	char *symptoms, *cause, *resolution; /* each section's first paragraph, lines joined; or NULL */
};

/* Reads text[0..len).  Never fails: what is not found stays empty. */
void kbd_article_parse(struct kbd_article *a, const char *text, size_t len);
void kbd_article_free(struct kbd_article *a);

#endif
