/*
 * conditions.c — a rule's conditions written back in the rule language's
 * shape ("listener { port = ?port, pid = gt(1023) }"), for `rules show`
 * and for explanations.
 */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "report.h"

static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	if (*len >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k < n - *len ? (size_t)k : n - *len - 1;
}

static void put_value(char *buf, size_t n, size_t *len, struct kb_value v)
{
	switch (v.type) {
	case KB_STRING: put(buf, n, len, "\"%s\"", v.u.s); break;
	case KB_INT: put(buf, n, len, "%lld", (long long)v.u.i); break;
	case KB_FLOAT: put(buf, n, len, "%g", v.u.f); break;
	case KB_BOOL: put(buf, n, len, "%s", v.u.b ? "true" : "false"); break;
	default: put(buf, n, len, "nil"); break;
	}
}

static void put_operand(char *buf, size_t n, size_t *len, const struct kb_rule *rule, const struct kb_test *t)
{
	if (t->operand == KB_OPERAND_VAR) {
		const char *name = kb_rule_var_name(rule, t->var);
		put(buf, n, len, "%s", name ? name : "?");
	} else if (t->operand == KB_OPERAND_SET) {
		put(buf, n, len, "{");
		for (size_t i = 0; i < t->nset; i++) {
			put(buf, n, len, i ? ", " : "");
			put_value(buf, n, len, t->set[i]);
		}
		put(buf, n, len, "}");
	} else if (t->operand == KB_OPERAND_CONST) {
		put_value(buf, n, len, t->value);
	}
}

void kbr_format_test(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule,
		     int kind, const struct kb_test *t)
{
	static const char *const ops[] = {"", "ne", "lt", "le", "gt", "ge", "ci", "one_of", "match", "test"};
	size_t len = 0;
	buf[0] = '\0';
	const struct kb_slot_decl *slot = kb_kind_slot(eng, kind, (size_t)t->slot);
	put(buf, n, &len, "%s = ", slot ? slot->name : "?");
	if (t->op == KB_OP_PRED) {
		put(buf, n, &len, "test(function)");
		return;
	}
	if (t->op != KB_OP_EQ)
		put(buf, n, &len, "%s(", ops[t->op]);
	put_operand(buf, n, &len, rule, t);
	if (t->op != KB_OP_EQ)
		put(buf, n, &len, ")");
}

static void put_cond(char *buf, size_t n, size_t *len, const struct kb_engine *eng, const struct kb_rule *rule,
		     const struct kb_cond *c)
{
	if (c->type == KB_COND_ANY) {
		put(buf, n, len, "any_of {");
		for (size_t k = 0; k < c->nchoices; k++) {
			put(buf, n, len, k ? ", " : " ");
			put_cond(buf, n, len, eng, rule, &c->choices[k]);
		}
		put(buf, n, len, " }");
		return;
	}
	if (c->type == KB_COND_TEST) {
		put(buf, n, len, "test(function)");
		return;
	}
	if (c->type != KB_COND_PATTERN)
		put(buf, n, len, "%s(", c->type == KB_COND_NOT ? "no" : "exists");
	put(buf, n, len, "%s {", kb_kind_name(eng, c->kind));
	/* In the kind's slot order: the rule file's order does not survive
	 * loading (Lua tables), and the same rule should read the same. */
	size_t k = 0;
	for (int slot = -1, next; k < c->ntests; slot = next) {
		next = INT_MAX;
		for (size_t j = 0; j < c->ntests; j++)
			if (c->tests[j].slot > slot && c->tests[j].slot < next)
				next = c->tests[j].slot;
		for (size_t j = 0; j < c->ntests; j++) {
			if (c->tests[j].slot != next)
				continue;
			char t[256];
			kbr_format_test(t, sizeof(t), eng, rule, c->kind, &c->tests[j]);
			put(buf, n, len, "%s %s", k++ ? "," : "", t);
		}
		if (next == INT_MAX)
			break;
	}
	if (c->fact_var >= 0)
		put(buf, n, len, "%s as = \"%s\"", c->ntests ? "," : "", kb_rule_var_name(rule, c->fact_var));
	put(buf, n, len, " }%s", c->type != KB_COND_PATTERN ? ")" : "");
}

void kbr_format_condition(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule,
			  const struct kb_cond *c)
{
	size_t len = 0;
	buf[0] = '\0';
	put_cond(buf, n, &len, eng, rule, c);
}

void kbr_format_cond(char *buf, size_t n, const struct kb_engine *eng, const struct kb_rule *rule, size_t i)
{
	kbr_format_condition(buf, n, eng, rule, kb_rule_cond(rule, i));
}
