/*
 * os.c — what Linux this is.  The collector "linux.os" emits one
 * `host` fact: name = host name, os_family "linux", os_name = PRETTY_NAME
 * (or NAME VERSION), os_version = VERSION_ID, kernel release and machine
 * architecture.  /etc/os-release (else /usr/lib/os-release) also reads as
 * an evidence file, so a bundle from a Linux host can carry it.
 *
 * os-release(5): newline-separated KEY=value, '#' comments; values may be
 * in double quotes (with \" \\ \$ \` escapes) or single quotes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/utsname.h>
#endif
#include <unistd.h>

#include "linux.h"

static bool key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Unquotes value s[0..len) into out (cap bytes, NUL-terminated, cut to fit). */
static void unquote(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	char q = len && (s[0] == '"' || s[0] == '\'') ? s[0] : 0;
	if (q) {
		i = 1;
		if (len >= 2 && s[len - 1] == q)
			len--;
	}
	for (; i < len && o + 1 < cap; i++) {
		if (q == '"' && s[i] == '\\' && i + 1 < len && strchr("\"\\$`", s[i + 1]))
			i++;
		out[o++] = s[i];
	}
	out[o] = '\0';
}

static void store(struct kbf_os_release *os, const char *k, size_t kl, const char *v, size_t vl)
{
	struct { const char *key; char *dst; size_t cap; } fields[] = {
		{"PRETTY_NAME", os->pretty, sizeof(os->pretty)}, {"NAME", os->name, sizeof(os->name)},
		{"VERSION", os->version, sizeof(os->version)},
		{"VERSION_ID", os->version_id, sizeof(os->version_id)}, {"ID", os->id, sizeof(os->id)},
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].key) == kl && memcmp(fields[i].key, k, kl) == 0)
			unquote(v, vl, fields[i].dst, fields[i].cap);
}

/* Length of "KEY" in "KEY=...", 0 when the line is not an assignment. */
static size_t key_len(const char *s, size_t len)
{
	size_t k = 0;
	while (k < len && key_char(s[k]))
		k++;
	return k > 0 && k < len && s[k] == '=' ? k : 0;
}

int kbf_os_release_parse(struct kbf_input *in, struct kbf_text *text, struct kbf_os_release *os)
{
	int rc = 0;
	memset(os, 0, sizeof(*os));
	for (size_t i = 0; i < text->nlines; i++) {
		const char *s = text->lines[i].s;
		size_t len = text->lines[i].len, j = 0;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j == len || s[j] == '#')
			continue;
		size_t k = key_len(s + j, len - j);
		if (!k) {
			rc = kbf_input_error(in, (int)i + 1, "not a KEY=value line");
			continue;
		}
		size_t vl = len - j - k - 1;
		while (vl && isspace((unsigned char)s[j + k + 1 + vl - 1]))
			vl--;
		store(os, s + j, k, s + j + k + 1, vl);
	}
	return rc;
}

static void set_os(struct kbf_fact *f, const struct kbf_os_release *os)
{
	kbf_set_cstr(f, "os_family", "linux");
	if (os->pretty[0]) {
		kbf_set_cstr(f, "os_name", os->pretty);
	} else if (os->name[0]) {
		char both[260];
		snprintf(both, sizeof(both), "%s%s%.128s", os->name, os->version[0] ? " " : "", os->version);
		kbf_set_str_copy(f, "os_name", both, strlen(both));
	}
	if (os->version_id[0])
		kbf_set_cstr(f, "os_version", os->version_id);
}

/* ---- importer ---------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	bool id = false, name = false;
	size_t lines = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const char *s = t->lines[i].s;
		size_t len = t->lines[i].len;
		if (len == 0 || s[0] == '#')
			continue;
		size_t k = key_len(s, len);
		if (!k || ++lines > 100)
			return 0;
		id |= k == 2 && memcmp(s, "ID", 2) == 0;
		name |= (k == 4 && memcmp(s, "NAME", 4) == 0) || (k == 11 && memcmp(s, "PRETTY_NAME", 11) == 0);
	}
	return id && name ? 90 : 0;
}

static int import(struct kbf_input *in, struct kbf_text *text)
{
	struct kbf_os_release os;
	int rc = kbf_os_release_parse(in, text, &os);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "host");
	set_os(&f, &os);
	size_t line = 0;
	for (size_t i = 0; i < text->nlines; i++)
		if (text->lines[i].len > 12 && memcmp(text->lines[i].s, "PRETTY_NAME=", 12) == 0)
			line = i;
	const struct kbf_line *l = text->nlines ? &text->lines[line] : NULL;
	if (!kbf_fact_emit(&f, l ? (int)line + 1 : 0, l ? l->s : NULL, l ? l->len : 0))
		rc = -1;
	return rc;
}

const struct kbf_importer kbf_osrelease_importer = {"os-release", probe, import, KBF_READ_WHOLE};

#ifndef _WIN32 /* the live Linux host */
/* ---- collector ---------------------------------------------------------------- */

/* root/proc/sys/kernel/<name> without its newline, else fallback. */
static void kernel_value(const struct kbf_options *opt, const char *name, const char *fallback,
			 char *out, size_t cap)
{
	int fd = kbf_linux_open_dir(opt, "/proc/sys/kernel");
	ssize_t n = fd >= 0 ? kbf_linux_read_small(fd, name, out, cap) : -1;
	if (fd >= 0)
		close(fd);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	if (n <= 0)
		snprintf(out, cap, "%s", fallback);
}

static int read_os_release(struct kbf_input *in, const struct kbf_options *opt, struct kbf_os_release *os)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	memset(os, 0, sizeof(*os));
	for (size_t i = 0; i < 2; i++) {
		char *path = kbf_linux_path(opt, paths[i]);
		size_t len = 0;
		char *raw = kbf_linux_read_file(path, 1u << 20, false, &len, NULL);
		free(path);
		if (!raw)
			continue;
		struct kbf_text t;
		struct kbf_input sub = kbf_linux_subinput(in, paths[i]);
		kbf_text_decode(&t, (unsigned char *)raw, len);
		kbf_os_release_parse(&sub, &t, os);
		kbf_text_free(&t);
		free(raw);
		return kbf_linux_subinput_done(in, &sub);
	}
	return 0;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	struct kbf_os_release os;
	int rc = read_os_release(in, opt, &os);
	struct utsname u;
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	char host[256], kernel[256];
	kernel_value(opt, "hostname", u.nodename, host, sizeof(host));
	kernel_value(opt, "osrelease", u.release, kernel, sizeof(kernel));
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "host");
	if (host[0])
		kbf_set_cstr(&f, "name", host);
	set_os(&f, &os);
	if (kernel[0])
		kbf_set_cstr(&f, "kernel", kernel);
	if (u.machine[0])
		kbf_set_cstr(&f, "arch", u.machine);
	char text[800];
	int n = snprintf(text, sizeof(text), "%s %s %s %s", host, os.pretty[0] ? os.pretty : os.name,
			 kernel, u.machine);
	if (!kbf_fact_emit(&f, 0, text, n < 0 ? 0 : (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1))
		rc = -1;
	return rc;
}

const struct kbf_collector kbf_linux_os_collector = {.name = "linux.os", .gather = gather};
#endif
