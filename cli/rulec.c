/*
 * rulec.c — kbdiag-rulec, run by the build: compiles the stock rule files
 * to Lua bytecode (kb_lua_chunk_make) and writes them, each beside the
 * text it was made from, as the C table stock_chunks.h declares, with
 * what loading would find in the text for the pre-filter (reads.c).  kbdiag
 * runs a rule file from its chunk only when the file's text is the chunk's
 * text byte for byte (engine/lua/chunks.c), so an installed rule file that
 * someone edited is compiled from its source.
 *
 * usage: kbdiag-rulec OUT.c RULE.lua...
 * A file that does not compile fails the build with its file:line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap.h"
#include "kblua.h"
#include "outfile.h"
#include "xalloc.h"

/* bytes as a C string literal, every byte escaped, 32 to a line */
static void write_bytes(FILE *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s\\x%02x%s", i % 32 == 0 ? "\t\"" : "", p[i], i % 32 == 31 || i + 1 == n ? "\"\n" : "");
	if (n == 0)
		fputs("\t\"\"\n", out);
}

/* a NULL-terminated list of names as a C array */
static void write_names(FILE *out, const char *what, size_t i, const char *const *names)
{
	fprintf(out, "static const char *const %s%zu[] = {\n", what, i);
	for (const char *const *p = names; *p; p++) {
		write_bytes(out, (const unsigned char *)*p, strlen(*p));
		fputs("\t,\n", out);
	}
	fputs("\tNULL,\n};\n", out);
}

static int write_chunk(FILE *out, size_t i, const char *path, struct kb_lua_chunk *c)
{
	struct kbu_filemap m;
	char err[512];
	if (kbu_filemap_open(&m, path) < 0) {
		fprintf(stderr, "kbdiag-rulec: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = kb_lua_chunk_make(path, m.text, m.len, c, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "kbdiag-rulec: %s\n", err);
	} else {
		fprintf(out, "/* %s */\nstatic const char text%zu[] =\n", path, i);
		write_bytes(out, (const unsigned char *)m.text, m.len);
		fprintf(out, "\t;\nstatic const unsigned char code%zu[] =\n", i);
		write_bytes(out, c->code, c->code_len);
		fputs("\t;\n", out);
		write_names(out, "read_kinds", i, c->read_kinds);
		write_names(out, "written", i, c->written);
	}
	kbu_filemap_close(&m);
	c->text = NULL; /* it was the mapping's */
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kbdiag-rulec OUT.c RULE.lua...\n");
		return 2;
	}
	struct kbu_outfile out;
	if (kbu_outfile_open(&out, argv[1], false) != 0) {
		fprintf(stderr, "kbdiag-rulec: %s: cannot write\n", argv[1]);
		return 1;
	}
	size_t n = (size_t)argc - 2;
	struct kb_lua_chunk *chunks = kbu_calloc(n ? n : 1, sizeof(*chunks));
	fputs("/* Made by kbdiag-rulec from the stock rule files: do not edit. */\n"
	      "#include \"stock_chunks.h\"\n\n", out.f);
	for (size_t i = 0; i < n; i++)
		if (write_chunk(out.f, i, argv[i + 2], &chunks[i]) < 0) {
			kbu_outfile_abort(&out);
			return 1;
		}
	fputs("const struct kb_lua_chunk kbd_stock_chunks[] = {\n", out.f);
	for (size_t i = 0; i < n; i++) {
		fprintf(out.f, "\t{text%zu, %zu, code%zu, %zu, %zu, %zu, read_kinds%zu, written%zu, %s},\n", i,
			chunks[i].text_len, i, chunks[i].code_len, chunks[i].name_at, chunks[i].name_end, i, i,
			chunks[i].reads_any_kind ? "true" : "false");
		kb_lua_chunk_free(&chunks[i]);
	}
	fprintf(out.f, "%s};\nconst size_t kbd_nstock_chunks = %zu;\n", n ? "" : "\t{0},\n", n);
	fputs("const char *const kbd_stock_names[] = {\n", out.f);
	for (size_t i = 0; i < n; i++)
		fprintf(out.f, "\t\"%s\",\n", argv[i + 2]);
	fputs("\tNULL,\n};\n", out.f);
	free(chunks);
	if (kbu_outfile_commit(&out) != 0) {
		fprintf(stderr, "kbdiag-rulec: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
