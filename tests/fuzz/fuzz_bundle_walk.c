/* Fuzz target: the bundle walk (facts/core/walk.c).  The input is a
 * little program that builds a bundle folder: folders, files, symbolic
 * links with any target, FIFOs; the walk then reads it.  Beside the
 * bundle lies a canary, an os-release the walk must never reach (no
 * file in the bundle can be one: their '=' are turned into '_'); a walk
 * that reaches it aborts, one that never ends is a timeout.
 *
 * Program: records of one op byte, a name (up to a NUL), and for 'f' and
 * 'l' a second string (up to a NUL): 'd' NAME makes a folder and goes
 * into it, 'u' goes back up, 'f' NAME TEXT a file, 'l' NAME TARGET a
 * link, 'p' NAME a FIFO.  Names are one component; everything is made
 * with *at calls under the bundle's descriptor, never following a link,
 * so what the fuzzer builds stays in its folder. */
#define _GNU_SOURCE /* nftw's FTW_PHYS */

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPEN 32

/* The next string of the program, up to a NUL or its end. */
static char *next_string(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, '\0', (size_t)(end - *p));
	size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = strndup((const char *)*p, n);
	*p += n + (nul != NULL);
	return s;
}

static bool one_component(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static void make_file(int dir, const char *name, char *text)
{
	for (char *c = text; *c; c++)
		if (*c == '=')
			*c = '_';
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			abort();
		close(fd);
	}
}

static void build(int root, const uint8_t *p, const uint8_t *end)
{
	int stack[MAX_OPEN];
	size_t depth = 0;
	stack[depth++] = root;
	while (p < end) {
		uint8_t op = *p++;
		char *name = next_string(&p, end);
		char *more = op == 'f' || op == 'l' ? next_string(&p, end) : NULL;
		int here = stack[depth - 1];
		if (op == 'u' && depth > 1) {
			close(stack[--depth]);
		} else if (one_component(name) && op == 'd' && depth < MAX_OPEN) {
			mkdirat(here, name, 0700);
			int fd = openat(here, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				stack[depth++] = fd;
		} else if (one_component(name) && op == 'f') {
			make_file(here, name, more);
		} else if (one_component(name) && op == 'l' && more[0]) {
			symlinkat(more, here, name);
		} else if (one_component(name) && op == 'p') {
			mkfifoat(here, name, 0600);
		}
		free(name);
		free(more);
	}
	while (depth > 1)
		close(stack[--depth]);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char top[] = "/tmp/kbdiag-fuzz-walk-XXXXXX";
	if (!mkdtemp(top))
		abort();
	char path[sizeof(top) + 32];
	snprintf(path, sizeof(path), "%s/canary", top);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/canary/os-release", top);
	FILE *canary = fopen(path, "w");
	if (!canary || fputs("NAME=\"Canary\"\nID=canary\nPRETTY_NAME=\"Canary 1\"\n", canary) < 0 || fclose(canary))
		abort();
	snprintf(path, sizeof(path), "%s/bundle", top);
	mkdir(path, 0700);
	int root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		abort();
	build(root, data, data + size);

	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_inputs inputs = {0};
	kbf_walk_bundle(eng, root, "bundle", &inputs);
	for (size_t i = 0; i < inputs.n; i++)
		if (strcmp(inputs.v[i].format, "os-release") == 0)
			abort(); /* the canary, outside the bundle, was read */
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	close(root);
	nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
