/*
 * read.c — reading what a command line names: files and bundle
 * directories, each file recognised by content and listed as an input
 * whether or not anything recognised it (an archive is a bundle of its
 * own: archive.c); and running the collectors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"
#include "xalloc.h"

#define MAX_DEPTH 16

/* A file being read, for whoever watches the inputs. */
struct watch {
	struct kbf_inputs *inputs;
	const struct kbf_input *in;
};

static void watched(void *ud, uint64_t done, uint64_t size)
{
	struct watch *w = ud;
	w->inputs->progress(w->inputs->progress_ud, w->in, done, size);
}

int kbf_read_text(struct kbf_input *in, struct kbf_text *t)
{
	const struct kbf_importer *imp = kbf_importer_for(t);
	if (!imp)
		return 0;
	in->format = imp->format;
	if (!imp->streams)
		kbf_text_all(t);
	struct kb_cite_file *cite = in->cite;
	if (cite && kbf_text_decoder(t)) {
		cite->decoder = kbu_strdup(kbf_text_decoder(t));
		cite->text = t;
	}
	int rc = imp->import(in, t) < 0 || in->err.status != KB_OK;
	if (cite)
		cite->text = NULL;
	return rc;
}

static int cannot_read(struct kbf_input *in, int fd)
{
	kbf_input_error(in, 0, "cannot read: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return 1;
}

static int read_file(struct kb_engine *eng, const char *fs_path, const char *shown,
		     struct kbf_inputs *inputs)
{
	int fd = open(fs_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return cannot_read(kbf_inputs_add(inputs, eng, shown), fd);
	int rc = kbf_archive_read_fd(eng, fd, (uint64_t)st.st_size, fs_path, shown, inputs);
	if (rc >= 0) {
		close(fd);
		return rc;
	}
	struct kbf_input *in = kbf_inputs_add(inputs, eng, shown);
	in->cite = kbf_cite_file_new(fs_path, NULL, 0, shown);
	struct kbf_text t;
	if (kbf_text_open(&t, fd, (uint64_t)st.st_size) < 0)
		return cannot_read(in, fd);
	struct watch w = {inputs, in};
	if (inputs->progress) {
		t.progress = watched;
		t.progress_ud = &w;
	}
	rc = kbf_read_text(in, &t);
	if (inputs->progress)
		inputs->progress(inputs->progress_ud, in, (uint64_t)st.st_size, (uint64_t)st.st_size);
	if (kbf_text_error(&t)) {
		kbf_input_error(in, 0, "reading stopped: %s", strerror(kbf_text_error(&t)));
		rc = 1;
	}
	kbf_text_free(&t);
	close(fd);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(struct kb_engine *eng, const char *fs_path, const char *shown, int depth,
		    struct kbf_inputs *inputs);

static int read_any(struct kb_engine *eng, const char *fs_path, const char *shown, int depth,
		    struct kbf_inputs *inputs)
{
	struct stat st;
	if (stat(fs_path, &st) < 0) {
		int e = errno;
		kbf_input_error(kbf_inputs_add(inputs, eng, shown), 0, "%s", strerror(e));
		return 1;
	}
	if (S_ISDIR(st.st_mode) && depth > MAX_DEPTH) {
		kbf_input_error(kbf_inputs_add(inputs, eng, shown), 0,
				"not read: a folder nested deeper than %d levels", MAX_DEPTH);
		return 1;
	}
	if (S_ISDIR(st.st_mode))
		return read_dir(eng, fs_path, shown, depth + 1, inputs);
	if (!S_ISREG(st.st_mode)) {
		kbf_input_error(kbf_inputs_add(inputs, eng, shown), 0, "not read: %s, not a file",
				S_ISFIFO(st.st_mode) ? "a pipe" : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
		return 1;
	}
	return read_file(eng, fs_path, shown, inputs);
}

static int read_dir(struct kb_engine *eng, const char *fs_path, const char *shown, int depth,
		    struct kbf_inputs *inputs)
{
	DIR *d = opendir(fs_path);
	if (!d) {
		int e = errno;
		kbf_input_error(kbf_inputs_add(inputs, eng, shown[0] ? shown : fs_path), 0, "cannot open directory: %s",
				strerror(e));
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = kbu_realloc(names, cap, sizeof(*names));
		}
		names[n++] = kbu_strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	int errors = 0;
	for (size_t i = 0; i < n; i++) {
		size_t fl = strlen(fs_path) + strlen(names[i]) + 2, sl = strlen(shown) + strlen(names[i]) + 2;
		char *child = kbu_malloc(fl), *child_shown = kbu_malloc(sl);
		snprintf(child, fl, "%s/%s", fs_path, names[i]);
		snprintf(child_shown, sl, "%s%s%s", shown, shown[0] ? "/" : "", names[i]);
		errors += read_any(eng, child, child_shown, depth, inputs);
		free(child);
		free(child_shown);
		free(names[i]);
	}
	free(names);
	return errors;
}

int kbf_read_path(struct kb_engine *eng, const char *path, struct kbf_inputs *inputs)
{
	struct stat st;
	/* A directory's files are shown relative to it, as the customer named them. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return read_dir(eng, path, "", 0, inputs);
	return read_any(eng, path, path, 0, inputs);
}

int kbf_collect(struct kb_engine *eng, const struct kbf_options *opt, struct kbf_inputs *inputs)
{
	int failed = 0;
	for (size_t i = 0; kbf_collectors[i]; i++) {
		struct kbf_input *in = kbf_inputs_add(inputs, eng, kbf_collectors[i]->name);
		in->format = "live";
		if (kbf_collectors[i]->gather(in, opt) < 0 || in->err.status != KB_OK)
			failed++;
	}
	return failed;
}
