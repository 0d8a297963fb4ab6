/*
 * expect.c — checks a rule test case's expect.json before the case runs.
 * The comparison ignores what it does not know, so without this a
 * misspelt key ("must-not"), "only": "yes" or a rule id with a typo would
 * make a case pass that tests nothing.
 */
#include <stdarg.h>
#include <string.h>

#include "expect.h"
#include "textout.h"

static int problem(FILE *out, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kbu_tprintf(out, "  ! %s: ", path);
	kbu_vtprintf(out, fmt, ap);
	fputc('\n', out);
	va_end(ap);
	return 1;
}

static bool strings(json_t *v)
{
	size_t i;
	json_t *s;
	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, s)
		if (!json_is_string(s))
			return false;
	return true;
}

static bool rule_known(const struct kb_lua *lua, const char *id)
{
	for (size_t i = 0; i < kb_lua_nrules(lua); i++)
		if (strcmp(kb_lua_rule(lua, i)->id, id) == 0)
			return true;
	return false;
}

/* One entry of "must" or "must_not": which findings it stands for. */
static int check_entry(FILE *out, const char *path, const char *list, size_t i, json_t *e,
		       const struct kb_lua *lua)
{
	if (!json_is_object(e))
		return problem(out, path, "%s[%zu] is not an object", list, i);
	int n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(e, key, v) {
		if (strcmp(key, "rule") == 0 && !json_is_string(v))
			n += problem(out, path, "%s[%zu].rule is not a string", list, i);
		else if (strcmp(key, "rule") == 0 && !rule_known(lua, json_string_value(v)))
			n += problem(out, path, "%s[%zu]: no rule '%s' is loaded", list, i, json_string_value(v));
		else if (strcmp(key, "message") == 0 && !json_is_string(v) && !strings(v))
			n += problem(out, path, "%s[%zu].message is not a string or a list of strings", list, i);
		else if (strcmp(key, "evidence") == 0 && !strings(v))
			n += problem(out, path, "%s[%zu].evidence is not a list of \"file:line\" strings", list, i);
		else if (strcmp(key, "rule") != 0 && strcmp(key, "message") != 0 && strcmp(key, "evidence") != 0)
			n += problem(out, path, "%s[%zu]: unknown key '%s' (rule, message, evidence)", list, i, key);
	}
	return n;
}

int kbd_expect_check(FILE *out, json_t *expect, const char *path, const struct kb_lua *lua)
{
	if (!json_is_object(expect))
		return problem(out, path, "not a JSON object");
	int n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(expect, key, v) {
		bool list = strcmp(key, "must") == 0 || strcmp(key, "must_not") == 0;
		if (list && !json_is_array(v)) {
			n += problem(out, path, "\"%s\" is not a list", key);
		} else if (list) {
			size_t i;
			json_t *e;
			json_array_foreach(v, i, e)
				n += check_entry(out, path, key, i, e, lua);
		} else if (strcmp(key, "only") == 0 && !json_is_boolean(v)) {
			n += problem(out, path, "\"only\" must be true or false");
		} else if (strcmp(key, "description") == 0 && !json_is_string(v)) {
			n += problem(out, path, "\"description\" is not a string");
		} else if (strcmp(key, "only") != 0 && strcmp(key, "description") != 0) {
			n += problem(out, path, "unknown key '%s' (description, must, must_not, only)", key);
		}
	}
	return n;
}
