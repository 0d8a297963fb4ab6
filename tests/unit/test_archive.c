/*
 * test_archive.c — archives read as bundles (facts/core/archive.c): each
 * format builds its archive here, in memory, with libarchive's own writer
 * (cab with Debian's gcab, and two cabinets Microsoft's makecab wrote),
 * and its entries must give the inputs and facts the same files give
 * loose; then what must not be read: encrypted entries, links, devices,
 * names that point outside, truncated archives, and a bomb past each
 * limit.
 */
#define _GNU_SOURCE /* memmem */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/read.h"
#include "importer_harness.h"

/* ---- building archives ---------------------------------------------------------- */

struct member {
	const char *name;
	const void *data;
	size_t len;
	unsigned type;    /* AE_IFREG when 0 */
	const char *link; /* a symbolic link's target; for AE_IFREG with link, a hard link */
};

struct out {
	unsigned char *p;
	size_t n, cap;
};

static la_ssize_t out_write(struct archive *a, void *ud, const void *data, size_t n)
{
	(void)a;
	struct out *o = ud;
	if (o->n + n > o->cap) {
		o->cap = (o->n + n) * 2;
		o->p = realloc(o->p, o->cap);
		assert_non_null(o->p);
	}
	memcpy(o->p + o->n, data, n);
	o->n += n;
	return (la_ssize_t)n;
}

struct recipe {
	int (*format)(struct archive *);
	int (*filter)(struct archive *); /* NULL: none */
	bool encrypted;                  /* with a password (zip) */
	bool stored;                     /* not compressed (zip) */
};

static void add_member(struct archive *a, struct archive_entry *e, const struct member *m)
{
	archive_entry_clear(e);
	archive_entry_set_pathname(e, m->name);
	archive_entry_set_filetype(e, m->type ? m->type : AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 1000000000, 0);
	if (m->type == AE_IFLNK)
		archive_entry_set_symlink(e, m->link);
	else if (m->link)
		archive_entry_set_hardlink(e, m->link);
	if (m->type == AE_IFCHR)
		archive_entry_set_rdev(e, 0x0103);
	bool data = (!m->type || m->type == AE_IFREG) && !m->link;
	archive_entry_set_size(e, data ? (la_int64_t)m->len : 0);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (data && m->len)
		assert_int_equal(archive_write_data(a, m->data, m->len), (la_ssize_t)m->len);
}

static unsigned char *build(const struct recipe *r, const struct member *m, size_t n, size_t *len)
{
	struct out o = {0};
	struct archive *a = archive_write_new();
	assert_int_equal(r->format(a), ARCHIVE_OK);
	if (r->filter)
		assert_int_equal(r->filter(a), ARCHIVE_OK);
	if (r->stored)
		assert_int_equal(archive_write_set_options(a, "zip:compression=store"), ARCHIVE_OK);
	if (r->encrypted) {
		assert_int_equal(archive_write_set_options(a, "zip:encryption=zipcrypt"), ARCHIVE_OK);
		assert_int_equal(archive_write_set_passphrase(a, "secret"), ARCHIVE_OK);
	}
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open2(a, &o, NULL, out_write, NULL, NULL), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	for (size_t i = 0; i < n; i++) {
		add_member(a, e, &m[i]);
	}
	archive_entry_free(e);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = o.n;
	return o.p;
}

/* One file compressed alone, as gzip makes events.evtx.gz. */
static unsigned char *compress_alone(int (*filter)(struct archive *), const void *data, size_t n, size_t *len)
{
	struct member m = {"data", data, n, 0, NULL};
	struct recipe r = {archive_write_set_format_raw, filter, false, false};
	return build(&r, &m, 1, len);
}

/* ---- reading them ----------------------------------------------------------------- */

struct fixture_file {
	unsigned char *data;
	size_t len;
};

static struct fixture_file netstat, tasklist, events, evtx, big_events;

/* An Event Viewer CSV export of many records, as Vista writes them. */
static void make_big_events(void)
{
	static const char head[] = "\xEF\xBB\xBFLevel,Date and Time,Source,Event ID,Task Category\r\n";
	size_t cap = 4000 * 160 + sizeof(head), n = sizeof(head) - 1;
	char *s = malloc(cap);
	assert_non_null(s);
	memcpy(s, head, n);
	for (int i = 0; i < 4000; i++)
		n += (size_t)snprintf(s + n, cap - n,
				      "Error,10/%d/2016 6:38:%02d PM,MSExchangeIMAP4,%d,(1),\"The IMAP4 service could not "
				      "bind to 0.0.0.0:%d, Error: 10048.\"\r\n",
				      1 + i % 28, i % 60, 1039 + i % 3, 100 + i);
	big_events.data = (unsigned char *)s;
	big_events.len = n;
}

static int load(void **state)
{
	(void)state;
	netstat.data = fixture_read("netstat/win10-netstat-ano-utf16.txt", &netstat.len);
	tasklist.data = fixture_read("tasklist/tasklist.csv", &tasklist.len);
	events.data = fixture_read("eventlog-csv/vista-application.csv", &events.len);
	evtx.data = fixture_read("evtx/new-user-security.evtx", &evtx.len);
	make_big_events();
	return 0;
}

static int unload(void **state)
{
	(void)state;
	free(netstat.data);
	free(tasklist.data);
	free(events.data);
	free(evtx.data);
	free(big_events.data);
	return 0;
}

static int reset_limits(void **state)
{
	(void)state;
	kbf_archive_set_limits(NULL);
	kbf_text_set_chunk(0);
	return 0;
}

/* A bundle folder holding one file, name, read as kbdiag reads a folder. */
struct bundle {
	struct harness h;
	struct kbf_inputs in;
	int errors;
};

static void read_one(struct bundle *b, const char *name, const void *data, size_t len)
{
	memset(b, 0, sizeof(*b));
	harness_open(&b->h);
	char *dir = scratch_dir();
	scratch_write_bytes(dir, name, data, len);
	b->errors = kbf_read_path(b->h.eng, dir, &b->in);
	/* nothing was written beside it */
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);
	scratch_remove(dir);
}

static void done(struct bundle *b)
{

	kbf_inputs_free(&b->in);
	harness_close(&b->h);
}

static const struct kbf_input *input_named(const struct bundle *b, const char *path)
{
	for (size_t i = 0; i < b->in.n; i++)
		if (strcmp(b->in.v[i].path, path) == 0)
			return &b->in.v[i];
	for (size_t i = 0; i < b->in.n; i++)
		print_message("  input %s (%s)\n", b->in.v[i].path, b->in.v[i].format);
	fail_msg("no input %s", path);
	return NULL;
}

/* Whether one of in's skips (or its error) holds each needle. */
static bool says(const struct kbf_input *in, const char *needle)
{
	for (size_t i = 0; i < in->nskips_kept; i++)
		if (strstr(in->skips[i].reason, needle))
			return true;
	return in->err.status != KB_OK && strstr(in->err.msg, needle);
}

#define check_says(in, needle)                                                                       \
	do {                                                                                             \
		if (!says((in), (needle)))                                                               \
			fail_msg("%s says nothing of \"%s\" (error: %s)", (in)->path, (needle),           \
				 (in)->err.status != KB_OK ? (in)->err.msg : "none");                      \
	} while (0)

/* The entry read from the archive as the same file read loose: the same
 * format, the same facts offered (a bundle holding one file twice keeps
 * its facts once), the same error. */
static void check_as_loose(const struct kbf_input *entry, const struct fixture_file *f)
{
	struct bundle loose;
	read_one(&loose, "loose", f->data, f->len);
	const struct kbf_input *l = input_named(&loose, "loose");
	assert_string_equal(entry->format, l->format);
	assert_int_equal(entry->nread, l->nread);
	assert_int_equal(entry->err.status, l->err.status);
	assert_true(entry->nread > 0);
	done(&loose);
}

static const struct member case_members[] = {
	{"case/", NULL, 0, AE_IFDIR, NULL},
	{"case/netstat.txt", NULL, 0, 0, NULL},
	{"case/tasklist.csv", NULL, 0, 0, NULL},
	{"case/application.csv", NULL, 0, 0, NULL},
};

/* The case folder in an archive of the recipe's format, read back. */
static void read_case(struct bundle *b, const struct recipe *r, const char *name)
{
	struct member m[4];
	memcpy(m, case_members, sizeof(m));
	m[1].data = netstat.data, m[1].len = netstat.len;
	m[2].data = tasklist.data, m[2].len = tasklist.len;
	m[3].data = events.data, m[3].len = events.len;
	size_t len;
	unsigned char *bytes = build(r, m, 4, &len);
	read_one(b, name, bytes, len);
	free(bytes);
}

static void check_case(struct bundle *b, const char *name, const char *format)
{
	char path[256];
	const struct kbf_input *a = input_named(b, name);
	assert_string_equal(a->format, format);
	assert_int_equal(a->err.status, KB_OK);
	assert_int_equal(a->nskips, 0);
	assert_int_equal(b->in.n, 4); /* the archive and its three files; the folder is no input */
	assert_int_equal(b->errors, 0);
	snprintf(path, sizeof(path), "%s!case/netstat.txt", name);
	check_as_loose(input_named(b, path), &netstat);
	const struct kb_fact *f = nth_fact(&b->h, "listener", 0);
	assert_string_equal(f->prov.source, path);
	snprintf(path, sizeof(path), "%s!case/tasklist.csv", name);
	check_as_loose(input_named(b, path), &tasklist);
	snprintf(path, sizeof(path), "%s!case/application.csv", name);
	check_as_loose(input_named(b, path), &events);
}

/* ---- formats ------------------------------------------------------------------------ */

static void reads_each_format_as_a_bundle(void **state)
{
	(void)state;
	static const struct {
		struct recipe r;
		const char *name, *format;
	} cases[] = {
		{{archive_write_set_format_zip, NULL, false, false}, "case.zip", "zip"},
		{{archive_write_set_format_pax_restricted, NULL, false, false}, "case.tar", "tar"},
		{{archive_write_set_format_pax_restricted, archive_write_add_filter_gzip, false, false}, "case.tar.gz", "tar.gz"},
		{{archive_write_set_format_gnutar, archive_write_add_filter_xz, false, false}, "case.txz", "tar.xz"},
		{{archive_write_set_format_ustar, archive_write_add_filter_bzip2, false, false}, "case.tbz", "tar.bz2"},
		{{archive_write_set_format_7zip, NULL, false, false}, "case.7z", "7z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bundle b;
		read_case(&b, &cases[i].r, cases[i].name);
		check_case(&b, cases[i].name, cases[i].format);
		done(&b);
	}
}

/* Not by name: the same zip named like a text file is still a zip. */
static void recognises_archives_by_content_not_name(void **state)
{
	(void)state;
	struct recipe r = {archive_write_set_format_zip, NULL, false, false};
	struct bundle b;
	read_case(&b, &r, "netstat.txt");
	check_case(&b, "netstat.txt", "zip");
	done(&b);
	/* text that starts like bzip2, or has "ustar" where a tar has it, is
	 * read as the text it is */
	static const char fake[] = "BZh91AY&SX, but not bzip2: a line of text\n";
	char tarlike[600];
	memset(tarlike, 'x', sizeof(tarlike));
	memcpy(tarlike + 257, "ustar", 5);
	const struct fixture_file texts[] = {{(unsigned char *)fake, sizeof(fake) - 1},
					     {(unsigned char *)tarlike, sizeof(tarlike)}};
	for (size_t i = 0; i < 2; i++) {
		read_one(&b, "notes", texts[i].data, texts[i].len);
		assert_int_equal(b.in.n, 1);
		assert_string_equal(b.in.v[0].format, "unrecognised");
		assert_int_equal(b.in.v[0].err.status, KB_OK);
		assert_string_equal(b.in.v[0].path, "notes");
		done(&b);
	}
}

/* Text entries are decoded as a stream, in pieces of 4 KiB here, and the
 * Event Viewer CSV reader, which reads its text twice and releases what
 * it has read, gets the entry again from the archive opened anew and
 * walked to it (a zip, and a tar.gz decompressed again up to it). */
static void streams_entries_and_reads_them_again(void **state)
{
	(void)state;
	kbf_text_set_chunk(4096);
	static const struct recipe recipes[] = {
		{archive_write_set_format_zip, NULL, false, false},
		{archive_write_set_format_pax_restricted, archive_write_add_filter_gzip, false, false}};
	static const char *const names[] = {"events.zip", "events.tgz"};
	for (size_t i = 0; i < 2; i++) {
		struct member m[] = {{"first.csv", tasklist.data, tasklist.len, 0, NULL},
				     {"System.csv", big_events.data, big_events.len, 0, NULL},
				     {"last.txt", netstat.data, netstat.len, 0, NULL}};
		size_t len;
		unsigned char *bytes = build(&recipes[i], m, 3, &len);
		struct bundle b;
		read_one(&b, names[i], bytes, len);
		char path[64];
		snprintf(path, sizeof(path), "%s!System.csv", names[i]);
		const struct kbf_input *in = input_named(&b, path);
		assert_string_equal(in->format, "eventlog-csv");
		assert_int_equal(in->nread, 4000);
		check_as_loose(in, &big_events);
		snprintf(path, sizeof(path), "%s!last.txt", names[i]);
		check_as_loose(input_named(&b, path), &netstat); /* the walk goes on after it */
		assert_int_equal(b.errors, 0);
		done(&b);
		free(bytes);
	}
}

/* A zip holding logs/inner.zip (netstat.txt in it), then f named name. */
static unsigned char *nested_zip(const char *name, const struct fixture_file *f, size_t *len)
{
	struct member inner[] = {{"netstat.txt", netstat.data, netstat.len, 0, NULL}};
	struct recipe zip = {archive_write_set_format_zip, NULL, false, false};
	size_t ilen;
	unsigned char *ibytes = build(&zip, inner, 1, &ilen);
	struct member outer[] = {{"logs/inner.zip", ibytes, ilen, 0, NULL}, {name, f->data, f->len, 0, NULL}};
	unsigned char *obytes = build(&zip, outer, 2, len);
	free(ibytes);
	return obytes;
}

static void reads_nested_archives(void **state)
{
	(void)state;
	size_t olen;
	unsigned char *obytes = nested_zip("tasklist.csv", &tasklist, &olen);
	struct bundle b;
	read_one(&b, "outer.zip", obytes, olen);
	assert_int_equal(b.in.n, 4);
	assert_string_equal(input_named(&b, "outer.zip!logs/inner.zip")->format, "zip");
	check_as_loose(input_named(&b, "outer.zip!logs/inner.zip!netstat.txt"), &netstat);
	check_as_loose(input_named(&b, "outer.zip!tasklist.csv"), &tasklist);
	assert_string_equal(nth_fact(&b.h, "listener", 0)->prov.source,
			    "outer.zip!logs/inner.zip!netstat.txt");
	done(&b);
	free(obytes);
}

/* The facts of source in h, in order, against those of f read loose and
 * whole: each cites its record, whose text reads back as it was. */
static void check_read_back(const struct harness *h, struct kbf_recall *r, const char *source,
			    const struct fixture_file *f)
{
	struct harness loose = {0};
	import_bytes(&loose, NULL, "loose", f->data, f->len);
	size_t k = 0;
	for (uint32_t id = 1; id <= kb_fact_count(h->eng); id++) {
		const struct kb_fact *a = kb_fact_get(h->eng, id);
		if (!a->prov.source || strcmp(a->prov.source, source) != 0)
			continue;
		const struct kb_fact *b;
		while ((b = kb_fact_get(loose.eng, (uint32_t)++k)) && b->prov.origin != KB_ORIGIN_EVIDENCE)
			;
		assert_non_null(b);
		assert_non_null(a->prov.cite.file);
		assert_int_equal(a->prov.line, b->prov.line);
		assert_string_equal(kbf_recall_text(r, a), b->prov.text);
	}
	assert_true(k > 0);
	harness_close(&loose);
}

/* An entry's records read back through the archive, opened again and
 * read to each (a nested archive's entry through both); once the archive
 * is gone, the evidence says so. */
static void reads_cited_records_back_from_entries(void **state)
{
	(void)state;
	size_t olen;
	unsigned char *obytes = nested_zip("System.csv", &big_events, &olen);
	char *dir = scratch_dir();
	scratch_write_bytes(dir, "outer.zip", obytes, olen);
	struct harness h = {0};
	harness_open(&h);
	struct kbf_inputs in = {0};
	kbf_text_set_chunk(4096);
	assert_int_equal(kbf_read_path(h.eng, dir, &in), 0);
	struct kbf_recall *r = kbf_recall_new();
	for (uint32_t id = 1; id <= kb_fact_count(h.eng); id++)
		kbf_recall_want(r, kb_fact_get(h.eng, id));
	kbf_recall_read(r);
	check_read_back(&h, r, "outer.zip!logs/inner.zip!netstat.txt", &netstat);
	check_read_back(&h, r, "outer.zip!System.csv", &big_events);
	kbf_recall_free(r);

	char path[4096];
	snprintf(path, sizeof(path), "%s/outer.zip", dir);
	assert_int_equal(unlink(path), 0);
	r = kbf_recall_new();
	const struct kb_fact *f = nth_fact(&h, "listener", 0);
	kbf_recall_want(r, f);
	kbf_recall_read(r);
	assert_string_equal(kbf_recall_text(r, f),
			    "[not shown: outer.zip!logs/inner.zip!netstat.txt was removed since it was read]");
	kbf_recall_free(r);
	kbf_inputs_free(&in);
	harness_close(&h);
	scratch_remove(dir);
	free(obytes);
}

/* A file that is only compressed is an archive of that one file, named
 * after it; a binary one (an .evtx) is read from memory. */
static void reads_a_compressed_file_as_its_one_entry(void **state)
{
	(void)state;
	static const struct {
		int (*filter)(struct archive *);
		const char *name, *entry, *format;
		const struct fixture_file *f;
	} cases[] = {
		{archive_write_add_filter_gzip, "Security.evtx.gz", "Security.evtx.gz!Security.evtx", "gzip", &evtx},
		{archive_write_add_filter_xz, "netstat.txt.xz", "netstat.txt.xz!netstat.txt", "xz", &netstat},
		{archive_write_add_filter_bzip2, "tasks", "tasks!data", "bzip2", &tasklist},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		unsigned char *bytes = compress_alone(cases[i].filter, cases[i].f->data, cases[i].f->len, &len);
		struct bundle b;
		read_one(&b, cases[i].name, bytes, len);
		assert_int_equal(b.in.n, 2);
		assert_string_equal(input_named(&b, cases[i].name)->format, cases[i].format);
		check_as_loose(input_named(&b, cases[i].entry), cases[i].f);
		done(&b);
		free(bytes);
	}
}

/* Cabinets: two Microsoft's makecab wrote (MSZIP and LZX, from
 * libarchive's tests: tests/fixtures/SOURCES.md), and one of evidence made
 * here with gcab. */
static void reads_cabinets(void **state)
{
	(void)state;
	static const char *const samples[] = {"cab/makecab-mszip.cab", "cab/makecab-lzx.cab"};
	static const char file1[] = "                          file 1 contents\nhello\nhello\nhello\n";
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		unsigned char *bytes = fixture_read(samples[i], &len);
		struct bundle b;
		read_one(&b, "sample.cab", bytes, len);
		assert_string_equal(input_named(&b, "sample.cab")->format, "cab");
		assert_int_equal(input_named(&b, "sample.cab")->err.status, KB_OK);
		assert_int_equal(b.in.n, 5); /* empty, zero, dir1/file1, dir2/file2 */
		input_named(&b, "sample.cab!empty");
		input_named(&b, "sample.cab!zero");
		input_named(&b, "sample.cab!dir2/file2");
		/* file1 is read as its text (no importer claims it) */
		struct bundle loose;
		read_one(&loose, "file1", file1, sizeof(file1) - 1);
		assert_string_equal(input_named(&b, "sample.cab!dir1/file1")->format, loose.in.v[0].format);
		done(&loose);
		done(&b);
		free(bytes);
	}
	char *dir = scratch_dir(), cmd[8192];
	scratch_write_bytes(dir, "case/netstat.txt", netstat.data, netstat.len);
	scratch_write_bytes(dir, "case/tasklist.csv", tasklist.data, tasklist.len);
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' -c -z case.cab case/netstat.txt case/tasklist.csv", dir,
		 KBDIAG_GCAB);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/case.cab", dir);
	size_t len;
	unsigned char *bytes = file_read(cmd, &len);
	scratch_remove(dir);
	struct bundle b;
	read_one(&b, "case.cab", bytes, len);
	assert_string_equal(input_named(&b, "case.cab")->format, "cab");
	check_as_loose(input_named(&b, "case.cab!case/netstat.txt"), &netstat);
	check_as_loose(input_named(&b, "case.cab!case/tasklist.csv"), &tasklist);
	done(&b);
	free(bytes);
}

/* ---- what is not read ---------------------------------------------------------------- */

/* A zip with a password, inside a plain one beside a plain file. */
static void lists_encrypted_entries(void **state)
{
	(void)state;
	struct member inner[] = {{"secret/tasklist.csv", tasklist.data, tasklist.len, 0, NULL}};
	struct recipe locked = {archive_write_set_format_zip, NULL, true, false};
	size_t ilen, olen;
	unsigned char *ibytes = build(&locked, inner, 1, &ilen);
	struct member outer[] = {{"netstat.txt", netstat.data, netstat.len, 0, NULL},
				 {"locked.zip", ibytes, ilen, 0, NULL}};
	struct recipe plain = {archive_write_set_format_zip, NULL, false, false};
	unsigned char *obytes = build(&plain, outer, 2, &olen);
	struct bundle b;
	read_one(&b, "case.zip", obytes, olen);
	const struct kbf_input *a = input_named(&b, "case.zip!locked.zip");
	check_says(a, "secret/tasklist.csv: encrypted: not read");
	assert_int_equal(a->nskips, 1);
	assert_int_equal(b.in.n, 3);
	check_as_loose(input_named(&b, "case.zip!netstat.txt"), &netstat);
	done(&b);
	free(ibytes);
	free(obytes);
}

static void lists_links_and_devices_without_following_them(void **state)
{
	(void)state;
	struct member m[] = {
		{"case/passwd", NULL, 0, AE_IFLNK, "/etc/passwd"},
		{"case/netstat.txt", netstat.data, netstat.len, 0, NULL},
		{"case/again.txt", NULL, 0, AE_IFREG, "case/netstat.txt"},
		{"case/tty", NULL, 0, AE_IFCHR, NULL},
		{"case/pipe", NULL, 0, AE_IFIFO, NULL},
		{"../../outside.txt", tasklist.data, tasklist.len, 0, NULL},
		{"/abs/evil\033[2J.csv", tasklist.data, tasklist.len, 0, NULL},
	};
	struct recipe r = {archive_write_set_format_pax_restricted, NULL, false, false};
	size_t len;
	unsigned char *bytes = build(&r, m, sizeof(m) / sizeof(m[0]), &len);
	struct bundle b;
	read_one(&b, "case.tar", bytes, len);
	const struct kbf_input *a = input_named(&b, "case.tar");
	check_says(a, "case/passwd: a symbolic link to /etc/passwd: not followed");
	check_says(a, "case/again.txt: a hard link to case/netstat.txt: not followed");
	check_says(a, "case/tty: a character device: not read");
	check_says(a, "case/pipe: a FIFO: not read");
	assert_int_equal(a->nskips, 4);
	assert_int_equal(a->err.status, KB_OK);
	/* names are only names: read from memory, shown without control characters */
	check_as_loose(input_named(&b, "case.tar!../../outside.txt"), &tasklist);
	check_as_loose(input_named(&b, "case.tar!/abs/evil?[2J.csv"), &tasklist);
	assert_int_equal(b.in.n, 4);
	done(&b);
	free(bytes);
}

/* Names as Windows writes them: a zip's name without the UTF-8 flag is in
 * the DOS code page (CP437: 0x82 is é); with it, UTF-8, where a C1
 * control character (U+009B, a terminal's CSI) is shown as '?'. */
static void shows_names_as_windows_wrote_them(void **state)
{
	(void)state;
	struct member m[] = {{"cafX.txt", tasklist.data, tasklist.len, 0, NULL},
			     {"Systeme/YYlog.txt", netstat.data, netstat.len, 0, NULL}};
	struct recipe r = {archive_write_set_format_zip, NULL, false, true};
	size_t len;
	unsigned char *bytes = build(&r, m, 2, &len);
	for (unsigned char *p = bytes; (p = memmem(p, len - (size_t)(p - bytes), "cafX", 4)); p += 4)
		p[3] = 0x82; /* in the local and the central header alike */
	for (unsigned char *p = bytes; (p = memmem(p, len - (size_t)(p - bytes), "Systeme/YY", 10)); p += 10) {
		p[8] = 0xC2, p[9] = 0x9B; /* U+009B in UTF-8 */
		bool local = memcmp(p - 30, "PK\3\4", 4) == 0; /* else the central header, 46 bytes */
		(local ? p - 30 + 7 : p - 46 + 9)[0] |= 0x08; /* general purpose bit 11: the name is UTF-8 */
	}
	struct bundle b;
	read_one(&b, "names.zip", bytes, len);
	check_as_loose(input_named(&b, "names.zip!caf\xC3\xA9.txt"), &tasklist);
	check_as_loose(input_named(&b, "names.zip!Systeme/?log.txt"), &netstat);
	assert_int_equal(b.in.n, 3);
	done(&b);
	free(bytes);
}

/* Cut short: what came before the cut is read, and the archive says
 * where it stopped. */
static void keeps_what_a_truncated_archive_held(void **state)
{
	(void)state;
	struct member m[] = {{"netstat.txt", netstat.data, netstat.len, 0, NULL},
			     {"System.csv", big_events.data, big_events.len, 0, NULL},
			     {"tasklist.csv", tasklist.data, tasklist.len, 0, NULL}};
	static const struct recipe recipes[] = {{archive_write_set_format_zip, NULL, false, false},
						{archive_write_set_format_pax_restricted, archive_write_add_filter_gzip, false, false}};
	static const char *const names[] = {"cut.zip", "cut.tar.gz"};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		unsigned char *bytes = build(&recipes[i], m, 3, &len);
		struct bundle b;
		read_one(&b, names[i], bytes, len * 2 / 3);
		const struct kbf_input *a = input_named(&b, names[i]);
		assert_int_not_equal(a->err.status, KB_OK);
		check_says(a, "not read");
		char path[64];
		snprintf(path, sizeof(path), "%s!netstat.txt", names[i]);
		check_as_loose(input_named(&b, path), &netstat);
		snprintf(path, sizeof(path), "%s!System.csv", names[i]);
		const struct kbf_input *cut = input_named(&b, path);
		assert_true(cut->nread > 0 && cut->nread < 4000); /* the records before the cut */
		assert_int_not_equal(cut->err.status, KB_OK);
		assert_int_equal(b.in.n, 3); /* tasklist.csv, after the cut, is not there */
		assert_true(b.errors >= 2);
		done(&b);
		free(bytes);
	}
	/* cut before libarchive could see what the stream holds */
	struct member one = {"netstat.txt", netstat.data, netstat.len, 0, NULL};
	size_t len;
	unsigned char *bytes = build(&recipes[1], &one, 1, &len);
	struct bundle b;
	read_one(&b, "small.tgz", bytes, len / 2);
	assert_int_equal(b.in.n, 1);
	assert_string_equal(b.in.v[0].format, "gzip");
	check_says(&b.in.v[0], "cannot be read as gzip: truncated gzip input");
	done(&b);
	free(bytes);
	/* not a zip past its magic number */
	static const char junk[] = "PK\3\4 and then nothing a zip holds";
	read_one(&b, "junk.zip", junk, sizeof(junk) - 1);
	assert_int_equal(b.in.n, 1);
	assert_string_equal(b.in.v[0].format, "zip");
	assert_int_not_equal(b.in.v[0].err.status, KB_OK);
	done(&b);
}

/* A byte changed in a stored entry: its checksum fails at its end, and
 * what it held is read all the same, with the failure said on it. */
static void reads_a_damaged_entry_and_says_so(void **state)
{
	(void)state;
	struct member m[] = {{"netstat.txt", netstat.data, netstat.len, 0, NULL},
			     {"tasklist.csv", tasklist.data, tasklist.len, 0, NULL}};
	struct recipe r = {archive_write_set_format_zip, NULL, false, true};
	size_t len;
	unsigned char *bytes = build(&r, m, 2, &len);
	unsigned char *at = memmem(bytes, len, "PoProxy", 7); /* in tasklist.csv's data */
	assert_non_null(at);
	at[0] = 'N'; /* the name changes; the record still reads */
	struct bundle b;
	read_one(&b, "damaged.zip", bytes, len);
	const struct kbf_input *in = input_named(&b, "damaged.zip!tasklist.csv");
	assert_string_equal(in->format, "tasklist-csv");
	assert_int_equal(in->nread, 4);
	check_says(in, "reading stopped: ZIP bad CRC");
	check_as_loose(input_named(&b, "damaged.zip!netstat.txt"), &netstat);
	assert_int_equal(input_named(&b, "damaged.zip")->err.status, KB_OK);
	done(&b);
	free(bytes);
}

/* An .evtx cut to 302 bytes: libevtx reads a 4096-byte header from it,
 * past its end, as it would from a mapped file (zeros follow the held
 * bytes to their page's end: text.c hold_stream). */
static void holds_short_binary_entries_as_a_mapped_file(void **state)
{
	(void)state;
	struct member m = {"Security.evtx", evtx.data, 302, 0, NULL};
	struct recipe r = {archive_write_set_format_zip, NULL, false, false};
	size_t len;
	unsigned char *bytes = build(&r, &m, 1, &len);
	struct bundle b;
	read_one(&b, "short.zip", bytes, len);
	const struct kbf_input *in = input_named(&b, "short.zip!Security.evtx");
	assert_string_equal(in->format, "evtx");
	assert_int_not_equal(in->err.status, KB_OK); /* no record in it */
	done(&b);
	free(bytes);
}

/* ---- limits ------------------------------------------------------------------------------ */

static char *lines_of(size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 50 == 49 ? '\n' : 'a';
	s[n] = '\0';
	return s;
}

static void stops_at_the_entry_limit(void **state)
{
	(void)state;
	struct kbf_archive_limits lim = kbf_archive_default_limits;
	lim.entries = 3;
	kbf_archive_set_limits(&lim);
	struct member m[5];
	static const char *const names[] = {"1.txt", "2.txt", "3.txt", "4.txt", "5.txt"};
	for (size_t i = 0; i < 5; i++)
		m[i] = (struct member){names[i], "a line\n", 7, 0, NULL};
	struct recipe r = {archive_write_set_format_zip, NULL, false, false};
	size_t len;
	unsigned char *bytes = build(&r, m, 5, &len);
	struct bundle b;
	read_one(&b, "many.zip", bytes, len);
	assert_int_equal(b.in.n, 4);
	check_says(input_named(&b, "many.zip"), "read up to many.zip!4.txt, where the walk reached its limit of 3 entries");
	input_named(&b, "many.zip!3.txt");
	done(&b);
	free(bytes);
}

/* A bomb: a small zip of a large text, inside another zip; the limit on
 * expanded bytes ends both, and the text read before it is kept. */
static void stops_at_the_expanded_limit(void **state)
{
	(void)state;
	struct kbf_archive_limits lim = kbf_archive_default_limits;
	lim.expanded = 64 << 10;
	kbf_archive_set_limits(&lim);
	char *big = lines_of(1 << 20);
	struct member inner[] = {{"big.log", big, 1 << 20, 0, NULL}, {"after.txt", "x\n", 2, 0, NULL}};
	struct recipe zip = {archive_write_set_format_zip, NULL, false, false};
	size_t ilen, olen;
	unsigned char *ibytes = build(&zip, inner, 2, &ilen);
	struct member outer[] = {{"bomb.zip", ibytes, ilen, 0, NULL}, {"later.txt", "x\n", 2, 0, NULL}};
	unsigned char *obytes = build(&zip, outer, 2, &olen);
	struct bundle b;
	read_one(&b, "outer.zip", obytes, olen);
	static const char *const why = "read up to outer.zip!bomb.zip!big.log, where the walk reached its limit of 64 KiB expanded";
	check_says(input_named(&b, "outer.zip"), why);
	check_says(input_named(&b, "outer.zip!bomb.zip"), why);
	const struct kbf_input *log = input_named(&b, "outer.zip!bomb.zip!big.log");
	assert_string_equal(log->format, "unrecognised");
	assert_int_equal(b.in.n, 3); /* after.txt and later.txt are not reached */
	done(&b);
	free(ibytes);
	free(obytes);
	free(big);
}

static void stops_at_the_depth_limit(void **state)
{
	(void)state;
	struct kbf_archive_limits lim = kbf_archive_default_limits;
	lim.depth = 2;
	kbf_archive_set_limits(&lim);
	struct recipe zip = {archive_write_set_format_zip, NULL, false, false};
	struct member m = {"netstat.txt", netstat.data, netstat.len, 0, NULL};
	size_t len;
	unsigned char *bytes = build(&zip, &m, 1, &len);
	static const char *const names[] = {"c.zip", "b.zip"};
	for (size_t i = 0; i < 2; i++) {
		struct member wrap[] = {{names[i], bytes, len, 0, NULL}, {"tasklist.csv", tasklist.data, tasklist.len, 0, NULL}};
		unsigned char *next = build(&zip, wrap, 2, &len);
		free(bytes);
		bytes = next;
	}
	struct bundle b;
	read_one(&b, "a.zip", bytes, len);
	check_says(input_named(&b, "a.zip!b.zip"), "c.zip: an archive 3 deep: not opened (the limit is 2)");
	check_as_loose(input_named(&b, "a.zip!b.zip!tasklist.csv"), &tasklist);
	check_as_loose(input_named(&b, "a.zip!tasklist.csv"), &tasklist);
	assert_int_equal(b.in.n, 4);
	assert_int_equal(input_named(&b, "a.zip")->err.status, KB_OK);
	done(&b);
	free(bytes);
}

/* A binary entry over the bound of what is held in memory, whether its
 * header gives its size (zip) or not (a compressed file). */
static void skips_binary_entries_too_big_to_hold(void **state)
{
	(void)state;
	struct kbf_archive_limits lim = kbf_archive_default_limits;
	lim.held = 4096;
	kbf_archive_set_limits(&lim);
	struct member m[] = {{"Security.evtx", evtx.data, evtx.len, 0, NULL},
			     {"netstat.txt", netstat.data, netstat.len, 0, NULL}};
	struct recipe zip = {archive_write_set_format_zip, NULL, false, false};
	size_t len;
	unsigned char *bytes = build(&zip, m, 2, &len);
	struct bundle b;
	read_one(&b, "logs.zip", bytes, len);
	check_says(input_named(&b, "logs.zip"), "Security.evtx: a binary file larger than the 4 KiB kbdiag holds in memory");
	check_as_loose(input_named(&b, "logs.zip!netstat.txt"), &netstat); /* text streams past it */
	assert_int_equal(b.in.n, 2);
	done(&b);
	free(bytes);
	bytes = compress_alone(archive_write_add_filter_gzip, evtx.data, evtx.len, &len);
	read_one(&b, "Security.evtx.gz", bytes, len);
	check_says(input_named(&b, "Security.evtx.gz"), "Security.evtx: a binary file larger than the 4 KiB");
	assert_int_equal(b.in.n, 1);
	done(&b);
	free(bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(reads_each_format_as_a_bundle, reset_limits),
		cmocka_unit_test_teardown(recognises_archives_by_content_not_name, reset_limits),
		cmocka_unit_test_teardown(streams_entries_and_reads_them_again, reset_limits),
		cmocka_unit_test_teardown(reads_nested_archives, reset_limits),
		cmocka_unit_test_teardown(reads_cited_records_back_from_entries, reset_limits),
		cmocka_unit_test_teardown(reads_a_compressed_file_as_its_one_entry, reset_limits),
		cmocka_unit_test_teardown(reads_cabinets, reset_limits),
		cmocka_unit_test_teardown(lists_encrypted_entries, reset_limits),
		cmocka_unit_test_teardown(lists_links_and_devices_without_following_them, reset_limits),
		cmocka_unit_test_teardown(shows_names_as_windows_wrote_them, reset_limits),
		cmocka_unit_test_teardown(keeps_what_a_truncated_archive_held, reset_limits),
		cmocka_unit_test_teardown(reads_a_damaged_entry_and_says_so, reset_limits),
		cmocka_unit_test_teardown(holds_short_binary_entries_as_a_mapped_file, reset_limits),
		cmocka_unit_test_teardown(stops_at_the_entry_limit, reset_limits),
		cmocka_unit_test_teardown(stops_at_the_expanded_limit, reset_limits),
		cmocka_unit_test_teardown(stops_at_the_depth_limit, reset_limits),
		cmocka_unit_test_teardown(skips_binary_entries_too_big_to_hold, reset_limits),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
