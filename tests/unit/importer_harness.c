/*
 * importer_harness.c — the one harness of the importer and collector tests
 * (importer_harness.h): engines with the stock schema, inputs read as
 * kbf_read_path() and kbf_collect() read them, live facts by kind, and
 * checks that fail at the test's own line.
 */
#define _GNU_SOURCE /* nftw */
#include <ftw.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "importer_harness.h"

/* Fails the running test at file:line (the caller of a check macro, not
 * this file) with a printf-style message. */
static void fail_at(const char *file, int line, const char *fmt, ...) KBU_PRINTF_LIKE(3, 4);
static void fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("ERROR: %s\n", msg);
	_fail(file, line);
}

void harness_open(struct harness *h)
{
	memset(h, 0, sizeof(*h));
	h->eng = kb_engine_new();
	assert_non_null(h->eng);
	assert_int_equal(kbf_schema_declare(h->eng, NULL), 0);
}

/* Lets go of the last import's bytes and starts h->in afresh. */
static void start_input(struct harness *h, const char *name, const char *format)
{
	if (!h->eng)
		harness_open(h);
	kbf_text_free(&h->text);
	kbf_input_free_notes(&h->in);
	free(h->raw);
	memset(&h->text, 0, sizeof(h->text));
	h->raw = NULL;
	h->imp = NULL;
	h->score = h->rc = 0;
	h->in = (struct kbf_input){.eng = h->eng, .path = (char *)name, .format = format};
}

void harness_close(struct harness *h)
{
	kbf_text_free(&h->text);
	kbf_input_free_notes(&h->in);
	free(h->raw);
	kb_engine_free(h->eng);
	memset(h, 0, sizeof(*h));
}

/* ---- reading inputs ------------------------------------------------------------ */

int import_bytes(struct harness *h, const struct kbf_importer *imp, const char *name, const void *data,
		 size_t len)
{
	start_input(h, name, "unrecognised");
	h->raw = malloc(len + 1);
	assert_non_null(h->raw);
	if (len)
		memcpy(h->raw, data, len);
	kbf_text_decode(&h->text, h->raw, len);
	h->imp = imp ? imp : kbf_importer_for(&h->text);
	if (!h->imp)
		return h->rc = 0;
	h->in.format = h->imp->format;
	h->score = h->imp->probe(&h->text);
	if (h->imp->reading == KBF_READ_STREAM_BYTES)
		assert_int_equal(kbf_text_as_bytes(&h->text), 0);
	return h->rc = h->imp->import(&h->in, &h->text);
}

int import_str(struct harness *h, const struct kbf_importer *imp, const char *s)
{
	return import_bytes(h, imp, "paste.txt", s, strlen(s));
}

int import_fixture_as(struct harness *h, const struct kbf_importer *imp, const char *rel, const char *name)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	int rc = import_bytes(h, imp, name, raw, len);
	free(raw);
	return rc;
}

int import_fixture(struct harness *h, const struct kbf_importer *imp, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return import_fixture_as(h, imp, rel, slash ? slash + 1 : rel);
}

int import_fixture_encoded(struct harness *h, const char *rel, const char *to)
{
	size_t len, left, room;
	unsigned char *utf8 = fixture_read(rel, &len);
	size_t bom = len >= 3 && memcmp(utf8, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	char *out = malloc(len * 2 + 16), *in = (char *)utf8 + bom, *o = out;
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	left = len - bom, room = len * 2 + 16;
	assert_int_not_equal(iconv(cd, &in, &left, &o, &room), (size_t)-1);
	iconv_close(cd);
	int rc = import_bytes(h, NULL, rel, out, (size_t)(o - out));
	free(out);
	free(utf8);
	return rc;
}

int gather(struct harness *h, const struct kbf_collector *c, const struct kbf_options *opt)
{
	start_input(h, c->name, "live");
	return h->rc = c->gather(&h->in, opt);
}

/* ---- recognition ------------------------------------------------------------------ */

int probe_bytes(const struct kbf_importer *imp, const void *data, size_t len)
{
	struct kbf_text t;
	kbf_text_decode(&t, data, len);
	int score = imp->probe(&t);
	kbf_text_free(&t);
	return score;
}

int probe_fixture(const struct kbf_importer *imp, const char *rel)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	int score = probe_bytes(imp, raw, len);
	free(raw);
	return score;
}

const struct kbf_importer *recognise_bytes(const void *data, size_t len)
{
	struct kbf_text t;
	kbf_text_decode(&t, data, len);
	const struct kbf_importer *imp = kbf_importer_for(&t);
	kbf_text_free(&t);
	return imp;
}

const struct kbf_importer *recognise_fixture(const char *rel)
{
	size_t len;
	unsigned char *raw = fixture_read(rel, &len);
	const struct kbf_importer *imp = recognise_bytes(raw, len);
	free(raw);
	return imp;
}

const char *recognised_format(const char *rel)
{
	const struct kbf_importer *imp = recognise_fixture(rel);
	return imp ? imp->format : "unrecognised";
}

/* ---- facts ------------------------------------------------------------------------ */

/* The kind's id; a name the schema lacks is a mistake in the test, not
 * zero facts. */
static int kind_id(const struct harness *h, const char *kind)
{
	assert_non_null(h->eng); /* nothing read yet, or closed */
	int k = kb_kind_find(h->eng, kind);
	if (k < 0)
		fail_msg("no kind '%s' in the schema", kind);
	return k;
}

/* The next live fact of kind k after *id, advancing *id; NULL at the end. */
static const struct kb_fact *next_live(const struct harness *h, int k, uint32_t *id)
{
	while (++*id <= kb_fact_count(h->eng)) {
		const struct kb_fact *f = kb_fact_get(h->eng, *id);
		if (f && f->live && f->kind == k)
			return f;
	}
	return NULL;
}

size_t count_facts(const struct harness *h, const char *kind)
{
	int k = kind_id(h, kind);
	size_t n = 0;
	for (uint32_t id = 0; next_live(h, k, &id);)
		n++;
	return n;
}

const struct kb_fact *harness_nth_fact(const char *file, int line, const struct harness *h, const char *kind,
				       size_t i)
{
	int k = kind_id(h, kind);
	uint32_t id = 0;
	const struct kb_fact *f;
	for (size_t n = 0; (f = next_live(h, k, &id)); n++)
		if (n == i)
			return f;
	fail_at(file, line, "no %s fact #%zu (%zu in all)", kind, i, count_facts(h, kind));
	return NULL;
}

const struct kb_fact *harness_fact_at(const char *file, int line, const struct harness *h, const char *kind,
				      int at)
{
	int k = kind_id(h, kind);
	const struct kb_fact *found = NULL, *f;
	for (uint32_t id = 0; (f = next_live(h, k, &id));) {
		if (f->prov.line != at)
			continue;
		if (found)
			fail_at(file, line, "two %s facts at line %d", kind, at);
		found = f;
	}
	if (!found)
		fail_at(file, line, "no %s fact at line %d", kind, at);
	return found;
}

/* Equal as a test means it: strings by content (the test's are not
 * interned), other values by value. */
static bool same_value(struct kb_value a, struct kb_value b)
{
	if (a.type != b.type)
		return false;
	switch (a.type) {
	case KB_STRING:
		return strcmp(a.u.s, b.u.s) == 0;
	case KB_INT:
		return a.u.i == b.u.i;
	case KB_FLOAT:
		return a.u.f == b.u.f;
	case KB_BOOL:
		return a.u.b == b.u.b;
	default:
		return true;
	}
}

const struct kb_fact *find_fact(const struct harness *h, const char *kind, const char *slot, struct kb_value v)
{
	int k = kind_id(h, kind);
	int s = kb_slot_find(h->eng, k, slot);
	if (s < 0)
		fail_msg("kind %s has no slot %s", kind, slot);
	const struct kb_fact *f;
	for (uint32_t id = 0; (f = next_live(h, k, &id));)
		if (same_value(f->slots[s], v))
			return f;
	return NULL;
}

/* ---- checks ------------------------------------------------------------------------ */

/* "listener fact from netstat.txt:6", for failure messages. */
static const char *describe(const struct harness *h, const struct kb_fact *f, char *buf, size_t n)
{
	snprintf(buf, n, "%s fact from %s:%d", kb_kind_name(h->eng, f->kind),
		 f->prov.source ? f->prov.source : "?", f->prov.line);
	return buf;
}

/* A value as a failure message shows it. */
static const char *show(struct kb_value v, char *buf, size_t n)
{
	switch (v.type) {
	case KB_STRING:
		snprintf(buf, n, "\"%s\"", v.u.s);
		break;
	case KB_INT:
		snprintf(buf, n, "%lld", (long long)v.u.i);
		break;
	case KB_FLOAT:
		snprintf(buf, n, "%g", v.u.f);
		break;
	case KB_BOOL:
		snprintf(buf, n, "%s", v.u.b ? "true" : "false");
		break;
	default:
		snprintf(buf, n, "unset");
	}
	return buf;
}

struct kb_value harness_slot_value(const char *file, int line, const struct harness *h, const struct kb_fact *f,
				   const char *slot)
{
	char d[512];
	int s = kb_slot_find(h->eng, f->kind, slot);
	if (s < 0) {
		fail_at(file, line, "%s: no slot %s", describe(h, f, d, sizeof(d)), slot);
		return kb_nil();
	}
	return f->slots[s];
}

void harness_check_value(const char *file, int line, const struct harness *h, const struct kb_fact *f,
			 const char *slot, struct kb_value want)
{
	struct kb_value v = harness_slot_value(file, line, h, f, slot);
	if (same_value(v, want))
		return;
	char d[512], w[512], have[512];
	fail_at(file, line, "%s: slot %s: want %s, have %s", describe(h, f, d, sizeof(d)), slot,
		show(want, w, sizeof(w)), show(v, have, sizeof(have)));
}

void harness_check_prov(const char *file, int line, const struct kb_fact *f, const char *source, int at,
			const char *text)
{
	const struct kb_prov *p = &f->prov;
	if (p->line != at)
		fail_at(file, line, "fact from line %d, want line %d", p->line, at);
	if (source && (!p->source || strcmp(p->source, source) != 0))
		fail_at(file, line, "fact from %s, want %s", p->source ? p->source : "no source", source);
	if (text && (!p->text || strcmp(p->text, text) != 0))
		fail_at(file, line, "fact's text \"%s\", want \"%s\"", p->text ? p->text : "", text);
}

/* a.b.c.d -> a<<48 | b<<32 | c<<16 | d, worked out apart from kbf_version_code. */
static int64_t code_of(const char *dotted)
{
	unsigned a, b, c, d;
	assert_int_equal(sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	return (int64_t)a << 48 | (int64_t)b << 32 | (int64_t)c << 16 | (int64_t)d;
}

void harness_check_file(const char *file, int line, const struct harness *h, const struct kb_fact *f,
			const char *path, const char *name, const char *version, const char *text,
			const char *product, int at)
{
	harness_check_value(file, line, h, f, "path", harness_str(path));
	harness_check_value(file, line, h, f, "name", harness_str(name));
	harness_check_value(file, line, h, f, "version", harness_str(version));
	harness_check_value(file, line, h, f, "version_text", harness_str(text));
	harness_check_value(file, line, h, f, "product_version", harness_str(product));
	harness_check_value(file, line, h, f, "version_code", version ? kb_int(code_of(version)) : kb_nil());
	harness_check_prov(file, line, f, h->in.path, at, NULL);
}

void harness_check_ok(const char *file, int line, const struct harness *h)
{
	if (h->rc != 0 || h->in.err.status != KB_OK)
		fail_at(file, line, "%s failed (%d): %s: %s", h->in.path, h->rc, h->in.err.where, h->in.err.msg);
}

void harness_check_error(const char *file, int line, const struct harness *h, const char *where,
			 const char *needle)
{
	const struct kb_error *e = &h->in.err;
	if (h->rc != -1 || e->status == KB_OK)
		fail_at(file, line, "%s: returned %d, status %d; want an error at %s", h->in.path, h->rc,
			(int)e->status, where);
	if (strcmp(e->where, where) != 0)
		fail_at(file, line, "error at %s, want %s: %s", e->where, where, e->msg);
	if (!strstr(e->msg, needle))
		fail_at(file, line, "error '%s' lacks '%s'", e->msg, needle);
}

void harness_check_skip(const char *file, int line, const struct harness *h, size_t i, int at,
			const char *needle)
{
	harness_check_ok(file, line, h);
	if (i >= h->in.nskips_kept)
		fail_at(file, line, "%s: %zu parts left out, want one more than %zu", h->in.path, h->in.nskips, i);
	const struct kbf_skip *s = &h->in.skips[i];
	if (s->line != at)
		fail_at(file, line, "%s: part %zu left out at line %d, want %d: %s", h->in.path, i, s->line, at,
			s->reason);
	if (!strstr(s->reason, needle))
		fail_at(file, line, "%s: '%s' lacks '%s'", h->in.path, s->reason, needle);
}

/* ---- scratch trees -------------------------------------------------------------------- */

char *scratch_dir(void)
{
	char *d = strdup("/tmp/kbdiag-test-XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

void scratch_write_bytes(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755); /* EEXIST is fine; a real failure shows at fopen */
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

void scratch_write(const char *dir, const char *rel, const char *fmt, ...)
{
	char *text;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	scratch_write_bytes(dir, rel, text, (size_t)n);
	free(text);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

void scratch_remove(char *dir)
{
	/* depth first, links themselves (a fake /proc holds links to anywhere) */
	assert_int_equal(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(dir);
}
