/*
 * qfe_list.c — hotfixes one property a line as wmic writes them: `wmic
 * qfe list full` (and any `wmic qfe ... /format:list`),
 * "HotFixID=KB4578968".  A blank line ends a hotfix (wmic puts two or
 * three between them).  docs/evidence-formats.md "wmic qfe".
 * (PowerShell's `Get-HotFix | Format-List` is read with every other
 * Format-List: powershell/get_hotfix.c.)
 */
#include <ctype.h>
#include <string.h>

#include "core/wtext.h"
#include "hotfix.h"

struct record {
	size_t first; /* line (0-based) the hotfix starts on */
	bool open;
	struct kbf_hotfix h;
	struct kbf_wtext_buf text; /* its lines, joined */
};

static bool word(struct kbf_wtext_span k)
{
	for (size_t i = 0; i < k.len; i++)
		if (k.s[i] != '_' && !isalnum((unsigned char)k.s[i]))
			return false;
	return k.len > 0;
}

/* "Key=value". */
static bool property_line(const struct kbf_line *l, struct kbf_wtext_span *key, struct kbf_wtext_span *value)
{
	const char *sep = memchr(l->s, '=', l->len);
	if (!sep)
		return false;
	size_t k = (size_t)(sep - l->s);
	*key = (struct kbf_wtext_span){l->s, k};
	*value = kbf_wtext_trim(sep + 1, l->len - k - 1);
	return word(*key);
}

static void flush(struct kbf_input *in, struct record *r)
{
	if (r->open && r->h.id.len) {
		r->h.dates = KBF_HOTFIX_WMI;
		kbf_hotfix_emit(in, &r->h, (int)r->first + 1, r->text.s, r->text.len);
	}
	r->open = false;
	memset(&r->h, 0, sizeof(r->h));
	kbf_wtext_buf_reset(&r->text);
}

static int import_wmic(struct kbf_input *in, struct kbf_text *t)
{
	struct record r = {0};
	const struct kbf_line *l;
	for (size_t ln = 0; (l = kbf_text_line(t, ln)); ln++) {
		kbf_text_release(t, r.open ? r.first : ln);
		l = kbf_text_line(t, ln);
		struct kbf_wtext_span key, value;
		if (kbf_wtext_blank(l->s, l->len)) {
			flush(in, &r);
			continue;
		}
		if (!property_line(l, &key, &value))
			continue; /* a wrapped value, a title, a prompt */
		if (!r.open) {
			r.open = true;
			r.first = ln;
		}
		kbf_hotfix_set(&r.h, key, value);
		kbf_wtext_buf_join(&r.text, "; ", l->s, l->len);
	}
	flush(in, &r);
	kbf_wtext_buf_free(&r.text);
	return in->err.status == KB_OK ? 0 : -1;
}

/* Lines naming Win32_QuickFixEngineering's properties, HotFixID among
 * them, in the first lines. */
static int probe_wmic(struct kbf_text *t)
{
	size_t n = t->nlines < 60 ? t->nlines : 60, known = 0, other = 0;
	bool id = false;
	if (!t->utf8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct kbf_wtext_span key, value;
		if (kbf_wtext_blank(t->lines[i].s, t->lines[i].len))
			continue;
		if (!property_line(&t->lines[i], &key, &value)) {
			other++;
			continue;
		}
		id |= kbf_wtext_ieq(key, "HotFixID");
		known += kbf_hotfix_property(key);
	}
	if (!id || known < 2 || other > known)
		return 0;
	return known >= 4 ? 95 : 70;
}

const struct kbf_importer kbf_win_wmic_qfe_list_importer = {"wmic-qfe-list", probe_wmic, import_wmic, KBF_READ_STREAM};
