/*
 * files_win32.c — the collector "windows.files": `file` facts (files.c)
 * for each service's image, then for the .dll and .exe files of
 * %SystemRoot%\system32 and of the service images' folders, their
 * versions read (GetFileVersionInfoW, VerQueryValueW: the fixed file info
 * and the FileVersion and ProductVersion strings of the first
 * translation) only for a fact the pre-filter wants, or before asking when
 * it looks at the version.  Without a pre-filter (kbdiag collect, which
 * loads no rules, and --no-prefilter) every candidate is kept, so that a
 * snapshot diagnosed elsewhere finds what a live run would; the run reads
 * at most KBF_LIVE_FILES_MAX files and says so when it stops there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "live_win32.h"
#include "xalloc.h"

/* A version resource's parts, UTF-8 (owned). */
struct version {
	bool has_fixed;
	unsigned fixed[4], product[4];
	char *text, *product_text;
	char product_raw[KBF_LIVE_VERSION_MAX]; /* the binary product version's text, until kept */
};

/* The string name of the block lang (e.g. "040904b0"), NULL when absent. */
static char *version_string(void *info, const WCHAR *lang, const WCHAR *name)
{
	WCHAR key[80];
	void *p;
	UINT n;
	_snwprintf(key, 80, L"\\StringFileInfo\\%ls\\%ls", lang, name);
	key[79] = 0;
	if (!VerQueryValueW(info, key, &p, &n) || !n)
		return NULL;
	return kbu_win32_utf8(p);
}

static void read_version(const WCHAR *path, struct version *v)
{
	memset(v, 0, sizeof(*v));
	DWORD handle, size = GetFileVersionInfoSizeW(path, &handle);
	void *info = size ? kbu_malloc(size) : NULL, *p;
	UINT n;
	if (!info || !GetFileVersionInfoW(path, 0, size, info))
		goto out;
	if (VerQueryValueW(info, L"\\", &p, &n))
		v->has_fixed = kbf_live_fixed_version(p, n, v->fixed, v->product);
	WCHAR lang[16] = L"040904b0"; /* US English, Unicode: when no translation is listed */
	if (VerQueryValueW(info, L"\\VarFileInfo\\Translation", &p, &n) && n >= 4)
		_snwprintf(lang, 16, L"%04x%04x", ((WORD *)p)[0], ((WORD *)p)[1]);
	lang[15] = 0;
	v->text = version_string(info, lang, L"FileVersion");
	v->product_text = version_string(info, lang, L"ProductVersion");
out:
	free(info);
}

/* The run's state: files seen (service images first), the cap. */
struct files {
	struct kbf_input *in;
	WCHAR windir[MAX_PATH];
	struct kbf_live_seen seen;  /* paths done, lower case */
	struct kbf_live_seen dirs;  /* folders to list */
	size_t nread;
	bool capped;
	int rc;
};

/* Whether path (UTF-8) was done already; remembers it. */
static void set_version(struct kbf_fact *f, const WCHAR *wpath, struct version *v)
{
	read_version(wpath, v);
	kbf_live_file_versions(f, v->has_fixed ? v->fixed : NULL, v->has_fixed ? v->product : NULL, v->text,
			       v->product_text, v->product_raw);
}

/* One file's fact; its version read only when it may matter. */
static void one(struct files *fs, const WCHAR *wpath)
{
	if (fs->nread == KBF_LIVE_FILES_MAX) {
		fs->capped = true;
		return;
	}
	WIN32_FILE_ATTRIBUTE_DATA a;
	if (!GetFileAttributesExW(wpath, GetFileExInfoStandard, &a) || (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
		return; /* a service whose image is gone: the service fact says where it should be */
	char *path = kbu_win32_utf8(wpath);
	int64_t size = (int64_t)a.nFileSizeHigh << 32 | a.nFileSizeLow;
	struct kbf_fact f;
	struct version v = {0};
	bool early = kbf_live_file_begin(fs->in, &f, path, size);
	fs->nread++;
	if (early)
		set_version(&f, wpath, &v);
	if (kbf_fact_wanted(&f)) {
		if (!early)
			set_version(&f, wpath, &v);
		if (!kbf_live_file_keep(&f, path, v.text))
			fs->rc = -1;
	}
	free(v.text);
	free(v.product_text);
	free(path);
}

/* A service's image: its fact, and its folder to be listed. */
static int service_image(void *ud, const struct kbf_live_service *s)
{
	struct files *fs = ud;
	char *windir = kbu_win32_utf8(fs->windir);
	char *file = s->image ? kbf_live_image_file(s->image, windir) : NULL;
	free(windir);
	if (!file || kbf_live_seen_add(&fs->seen, file, strlen(file))) {
		free(file);
		return 0;
	}
	WCHAR *w = kbu_win32_wide(file, CP_UTF8);
	one(fs, w);
	char *slash = strrchr(file, '\\');
	if (slash) {
		*slash = '\0';
		kbf_live_seen_add(&fs->dirs, file, strlen(file));
	}
	free(w);
	free(file);
	return 0;
}

/* The .dll and .exe files of folder dir (UTF-8), but the service images
 * done already. */
static void list_folder(struct files *fs, const char *dir)
{
	static const WCHAR *const patterns[] = {L"*.dll", L"*.exe"};
	WCHAR *wdir = kbu_win32_wide(dir, CP_UTF8), path[MAX_PATH * 2];
	for (size_t k = 0; k < 2 && !fs->capped; k++) {
		WIN32_FIND_DATAW d;
		_snwprintf(path, MAX_PATH * 2, L"%ls\\%ls", wdir, patterns[k]);
		path[MAX_PATH * 2 - 1] = 0;
		HANDLE h = FindFirstFileW(path, &d);
		for (BOOL ok = h != INVALID_HANDLE_VALUE; ok && !fs->capped; ok = FindNextFileW(h, &d)) {
			_snwprintf(path, MAX_PATH * 2, L"%ls\\%ls", wdir, d.cFileName);
			path[MAX_PATH * 2 - 1] = 0;
			char *u = kbu_win32_utf8(path);
			bool image = false;
			for (size_t i = 0; i < fs->seen.n && !image; i++)
				image = _stricmp(fs->seen.v[i], u) == 0;
			if (!image)
				one(fs, path);
			free(u);
		}
		if (h != INVALID_HANDLE_VALUE)
			FindClose(h);
	}
	free(wdir);
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	(void)opt;
	struct files fs = {.in = in};
	WCHAR sys[MAX_PATH];
	size_t refused = 0;
	if (!GetWindowsDirectoryW(fs.windir, MAX_PATH) || !GetSystemDirectoryW(sys, MAX_PATH)) {
		kbf_live_win_note(in, "GetWindowsDirectory", GetLastError());
		return 0;
	}
	char *system32 = kbu_win32_utf8(sys);
	kbf_live_seen_add(&fs.dirs, system32, strlen(system32)); /* listed first */
	free(system32);
	if (kbf_live_services_each(in, service_image, &fs, &refused) == 0 && refused)
		kbf_input_skip(in, 0, "the images of %zu services whose configuration was refused are not read",
			       refused);
	for (size_t i = 0; i < fs.dirs.n && !fs.capped; i++)
		list_folder(&fs, fs.dirs.v[i]);
	if (fs.capped)
		kbf_input_skip(in, 0, "file versions: stopped after %d files (KBF_LIVE_FILES_MAX); later files of "
			       "the listed folders were not read", KBF_LIVE_FILES_MAX);
	kbf_live_seen_free(&fs.seen);
	kbf_live_seen_free(&fs.dirs);
	return fs.rc;
}

const struct kbf_collector kbf_win_files_collector = {"windows.files", gather, NULL, NULL, NULL};
