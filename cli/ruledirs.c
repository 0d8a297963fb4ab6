/*
 * ruledirs.c — finding and loading rule files, and telling where a loaded
 * rule came from.  The order is the contract (DESIGN.md): the stock set,
 * the system directory, the user's directory, then each --rules argument;
 * a later rule with an id already loaded replaces the earlier one.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "ruledirs.h"
#include "stock_chunks.h"
#include "xalloc.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder the running program is in ('/' between names, as the
 * loader joins them, on Windows too); NULL when it cannot be told.
 * Windows: the ANSI path (a folder name outside the code page is not found). */
static const char *exe_dir(void)
{
	static char dir[PATH_MAX];
	static bool done;
	if (!done) {
		done = true;
#ifdef _WIN32
		DWORD n = GetModuleFileNameA(NULL, dir, sizeof(dir));
		if (n == 0 || n >= sizeof(dir))
			n = 0;
		for (char *p = dir; *p; p++)
			*p = *p == '\\' ? '/' : *p;
#else
		ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
#endif
		char *slash = n > 0 ? (dir[n] = '\0', strrchr(dir, '/')) : NULL;
		if (slash)
			*slash = '\0';
		else
			dir[0] = '\0';
	}
	return dir[0] ? dir : NULL;
}

const char *kbd_stock_rules_dir(void)
{
	static char installed[PATH_MAX];
	const char *env = getenv("KBDIAG_STOCK_RULES"), *exe = exe_dir();
	if (env && *env)
		return env;
	char beside[PATH_MAX + 32];
#ifdef _WIN32
	/* kbdiag.exe's folder holds rules\ (the stock set) and rules.d\ too;
	 * with neither a rules\ there nor the source tree's rules, the stock
	 * set is the one built in (load_stock), named as if it were there */
	(void)beside;
	if (exe && snprintf(installed, sizeof(installed), "%s/rules", exe) < (int)sizeof(installed) &&
	    (is_dir(installed) || !is_dir(KBDIAG_SOURCE_RULES)))
		return installed;
#else
	snprintf(beside, sizeof(beside), "%s/../share/kbdiag/rules", exe ? exe : "/nonexistent");
	/* resolved, so that a rule's place reads /usr/share/..., not /usr/bin/../share/... */
	if (exe && is_dir(beside) && realpath(beside, installed))
		return installed;
#endif
	return KBDIAG_SOURCE_RULES;
}

struct kb_lua *kbd_lua_new(struct kb_engine *eng, const struct kbd_options *o)
{
	struct kb_lua *lua = kb_lua_new(eng, &o->limits);
	if (lua)
		kb_lua_use_chunks(lua, kbd_stock_chunks, kbd_nstock_chunks);
	return lua;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const *skip_list;
static size_t nskip;

void kbd_rules_skip(const char *const *realpaths, size_t n)
{
	skip_list = realpaths;
	nskip = n;
}

static bool skipped(const char *path)
{
	char real[PATH_MAX];
	if (!nskip || !realpath(path, real))
		return false;
	for (size_t i = 0; i < nskip; i++)
		if (kbd_path_under(real, skip_list[i]))
			return true;
	return false;
}

static int load_file(struct kb_lua *lua, const char *path)
{
	return skipped(path) ? -1 : kb_lua_load_file(lua, path);
}

static size_t load_dir(struct kb_lua *lua, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d || depth > 16) {
		if (d)
			closedir(d);
		return 0;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "tests") == 0)
			continue;
		names = kbu_realloc(names, n + 1, sizeof(*names));
		names[n] = kbu_malloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	size_t loaded = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_dir(names[i]))
			loaded += load_dir(lua, names[i], depth + 1);
		else if (ends_with(names[i], ".lua") && !ends_with(names[i], ".test.lua"))
			loaded += load_file(lua, names[i]) == 0;
		free(names[i]);
	}
	free(names);
	return loaded;
}

size_t kbd_load_rule_path(struct kb_lua *lua, const char *path, bool must_exist)
{
	if (is_dir(path))
		return load_dir(lua, path, 0);
	if (access(path, F_OK) != 0 && !must_exist)
		return 0;
	return load_file(lua, path) == 0;
}

const char *kbd_system_rules_dir(void)
{
	const char *env = getenv("KBDIAG_SYSTEM_RULES");
#ifdef _WIN32
	static char beside[PATH_MAX];
	const char *exe = exe_dir();
	if (!(env && *env) && exe && snprintf(beside, sizeof(beside), "%s/rules.d", exe) < (int)sizeof(beside))
		return beside;
#endif
	return env && *env ? env : "/etc/kbdiag/rules.d";
}

const char *kbd_user_rules_dir(char *buf, size_t n)
{
#ifdef _WIN32
	const char *appdata = getenv("APPDATA");
	if (!appdata || !*appdata)
		return NULL;
	snprintf(buf, n, "%s/kbdiag/rules.d", appdata);
	return buf;
#endif
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, n, "%s/kbdiag/rules.d", xdg);
	else if (home && *home)
		snprintf(buf, n, "%s/.config/kbdiag/rules.d", home);
	else
		return NULL;
	return buf;
}

/* The stock rules: the directory's files; kbdiag.exe with no directory
 * runs the copies built in (stock_chunks.h), each under its name there. */
static size_t load_stock(struct kb_lua *lua)
{
	const char *dir = kbd_stock_rules_dir();
#ifdef _WIN32
	if (!is_dir(dir)) {
		size_t n = 0;
		for (size_t i = 0; i < kbd_nstock_chunks; i++) {
			char *path = kbu_malloc(strlen(dir) + strlen(kbd_stock_names[i]) + 2);
			sprintf(path, "%s/%s", dir, kbd_stock_names[i]);
			if (!skipped(path))
				n += kb_lua_load_string(lua, path, kbd_stock_chunks[i].text, kbd_stock_chunks[i].text_len) == 0;
			free(path);
		}
		return n;
	}
#endif
	return kbd_load_rule_path(lua, dir, true);
}

size_t kbd_load_rules(struct kb_lua *lua, const struct kbd_options *o)
{
	size_t n = 0;
	char user[PATH_MAX];
	if (!o->no_stock)
		n += load_stock(lua);
	n += kbd_load_rule_path(lua, kbd_system_rules_dir(), false);
	if (kbd_user_rules_dir(user, sizeof(user)))
		n += kbd_load_rule_path(lua, user, false);
	for (size_t i = 0; i < o->nrule_dirs; i++)
		n += kbd_load_rule_path(lua, o->rule_dirs[i], true);
	return n;
}

bool kbd_path_under(const char *file, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(file, dir, n) == 0 && (file[n] == '\0' || file[n] == '/');
}

const char *kbd_rule_origin(const struct kbd_options *o, const char *file)
{
	char user[PATH_MAX];
	if (!file)
		return "?";
	for (size_t i = o->nrule_dirs; i-- > 0;)
		if (kbd_path_under(file, o->rule_dirs[i]))
			return "--rules";
	if (kbd_user_rules_dir(user, sizeof(user)) && kbd_path_under(file, user))
		return "user";
	if (kbd_path_under(file, kbd_system_rules_dir()))
		return "system";
	if (kbd_path_under(file, kbd_stock_rules_dir()))
		return "stock";
	return "?";
}

char *kbd_place_file(const char *place)
{
	const char *colon = strrchr(place, ':');
	bool numbered = colon && colon[1] >= '0' && colon[1] <= '9';
	return kbu_strndup(place, numbered ? (size_t)(colon - place) : strlen(place));
}

const char *kbd_place_origin(const struct kbd_options *o, const char *place)
{
	char *file = kbd_place_file(place);
	const char *origin = kbd_rule_origin(o, file); /* a literal */
	free(file);
	return origin;
}
