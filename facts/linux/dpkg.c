/*
 * dpkg.c — installed Debian packages from dpkg's status database
 * (/var/lib/dpkg/status): one `package` fact per package whose files are
 * on disk, with name, version, architecture and status (the state word of
 * the Status field: "installed", "half-configured", "unpacked", ...).
 * Packages only remembered ("not-installed", "config-files") are left out.
 * The collector "linux.packages" reads the host's file; the same file in
 * a bundle reads as evidence.
 *
 * Layout (deb-control(5), dpkg's status file): stanzas of "Field: value"
 * lines separated by blank lines; lines starting with a space or tab
 * continue the previous field.  Only four fields are looked at: a status
 * file of a thousand packages takes about 2 ms, its facts included.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "linux.h"

struct stanza {
	struct kbf_line first; /* the Package line (else the record's first) */
	int line;
	const char *name, *version, *arch, *status;
	size_t namelen, versionlen, archlen, statuslen;
};

static bool field(const struct kbf_line *l, const char *key, size_t kl, const char **v, size_t *vl)
{
	if (l->len <= kl || memcmp(l->s, key, kl) != 0)
		return false;
	size_t i = kl;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	*v = l->s + i;
	*vl = l->len - i;
	while (*vl && ((*v)[*vl - 1] == ' ' || (*v)[*vl - 1] == '\t'))
		--*vl;
	return true;
}

/* "install ok installed" -> "installed". */
static void state_word(const char *s, size_t len, const char **w, size_t *wl)
{
	size_t end = len;
	while (end && s[end - 1] == ' ')
		end--;
	size_t start = end;
	while (start && s[start - 1] != ' ')
		start--;
	*w = s + start;
	*wl = end - start;
}

static bool on_disk(const char *state, size_t len)
{
	return len && !(len == 13 && memcmp(state, "not-installed", 13) == 0) &&
	       !(len == 12 && memcmp(state, "config-files", 12) == 0);
}

static int flush(struct kbf_input *in, struct stanza *st)
{
	int rc = 0;
	if (st->first.s && !st->name)
		rc = kbf_input_error(in, st->line, "package record without a Package field");
	if (st->name && st->status && on_disk(st->status, st->statuslen)) {
		struct kbf_fact f;
		kbf_fact_begin(&f, in, "package");
		kbf_linux_set_str(&f, "name", st->name, st->namelen);
		if (st->version)
			kbf_linux_set_str(&f, "version", st->version, st->versionlen);
		if (st->arch)
			kbf_linux_set_str(&f, "architecture", st->arch, st->archlen);
		kbf_linux_set_str(&f, "status", st->status, st->statuslen);
		if (!kbf_linux_emit(&f, st->line, st->first.s, st->first.len))
			rc = -1;
	}
	memset(st, 0, sizeof(*st));
	return rc;
}

static void read_field(struct stanza *st, const struct kbf_line *l, int line)
{
	const char *v;
	size_t vl;
	if (field(l, "Package:", 8, &v, &vl)) {
		st->name = v, st->namelen = vl;
		st->first = *l, st->line = line;
	} else if (field(l, "Version:", 8, &v, &vl)) {
		st->version = v, st->versionlen = vl;
	} else if (field(l, "Architecture:", 13, &v, &vl)) {
		st->arch = v, st->archlen = vl;
	} else if (field(l, "Status:", 7, &v, &vl)) {
		state_word(v, vl, &st->status, &st->statuslen);
	}
}

/* Works on the bytes themselves, not on split lines: the host's status
 * file is read without decoding it first, which halves the collector's
 * time (strings are checked as UTF-8 when they become slots). */
static int parse(struct kbf_input *in, const char *s, size_t len)
{
	struct stanza st = {0};
	int rc = 0, line = 0;
	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct kbf_line l = {.s = p, .len = (size_t)((nl ? nl : end) - p)};
		p = nl ? nl + 1 : end;
		line++;
		if (l.len && l.s[l.len - 1] == '\r')
			l.len--;
		if (l.len == 0) {
			rc |= flush(in, &st);
			continue;
		}
		if (l.s[0] == ' ' || l.s[0] == '\t')
			continue;
		if (!memchr(l.s, ':', l.len)) {
			rc = kbf_input_error(in, line, "not a \"Field: value\" line");
			continue;
		}
		if (!st.first.s)
			st.first = l, st.line = line;
		read_field(&st, &l, line);
	}
	rc |= flush(in, &st);
	return rc < 0 ? -1 : 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	return parse(in, t->utf8 ? t->utf8 : "", t->utf8 ? t->len : 0);
}

static int probe(struct kbf_text *t)
{
	size_t i = 0;
	while (i < t->nlines && t->lines[i].len == 0)
		i++;
	if (i == t->nlines || t->lines[i].len < 9 || memcmp(t->lines[i].s, "Package: ", 9) != 0)
		return 0;
	for (i++; i < t->nlines && t->lines[i].len; i++)
		if (t->lines[i].len > 8 && memcmp(t->lines[i].s, "Status: ", 8) == 0)
			return 90;
	return 0;
}

const struct kbf_importer kbf_dpkg_importer = {"dpkg-status", probe, import, KBF_READ_WHOLE};

#ifndef _WIN32 /* the live Linux host */
static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	static const char status_path[] = "/var/lib/dpkg/status";
	char *path = kbf_linux_path(opt, status_path);
	size_t len = 0;
	/* dpkg writes status-new and renames it over status */
	const char *raw = kbf_linux_map_file(path, 256u << 20, &len);
	char *copy = NULL;
	/* a file system that cannot map files can still read them */
	if (!raw && (errno == ENODEV || errno == EINVAL || errno == ENOMEM))
		raw = copy = kbf_linux_read_file(path, 256u << 20, false, &len, NULL);
	int e = errno;
	free(path);
	if (!raw) {
		if (e == ENOENT) {
			in->unavailable = "no dpkg status file";
			return 0;
		}
		return kbf_input_error(in, 0, "%s: %s", status_path, strerror(e));
	}
	struct kbf_input sub = kbf_linux_subinput(in, status_path);
	parse(&sub, raw, len);
	if (copy)
		free(copy);
	else
		kbf_linux_unmap_file(raw, len);
	return kbf_linux_subinput_done(in, &sub);
}

const struct kbf_collector kbf_linux_packages_collector = {.name = "linux.packages", .gather = gather};
#endif
