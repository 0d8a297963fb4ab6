/*
 * qfe_json.c — `Get-HotFix | ConvertTo-Json`: one object, or an array of
 * them, each with every property of the WMI object (Caption, CSName,
 * Description, HotFixID, InstalledBy, InstalledOn, PSComputerName, WMI's
 * "__" properties, ...).  docs/evidence-formats.md "Get-HotFix".
 *
 * InstalledOn is written three ways: Windows PowerShell 5.1 as
 * {"value": "\/Date(1567807200000)\/", "DateTime": "Saturday, September
 * 7, 2019 12:00:00 AM"} (a DateTime with its extended property; bare
 * "\/Date(...)\/" after remoting); PowerShell 6 to 7.1 as {"value":
 * "2019-09-07T00:00:00", "DateTime": ...}; 7.2 and later as the ISO
 * string alone (its release notes: DateTime's extended properties are no
 * longer serialised).  The value is read; the DateTime text is the
 * locale's and is not.
 *
 * The whole file is read at once: util/json_scan.h walks one contiguous
 * text, and a hotfix list is a few hundred objects.
 */
#include <string.h>
#include <strings.h>

#include "core/wtext.h"
#include "hotfix.h"
#include "json_scan.h"

enum { V_ID, V_ON, V_DESC, V_BY, V_HOST, V_SP, NVALS };

static const char *const names[NVALS] = {
	"HotFixID", "InstalledOn", "Description", "InstalledBy", "CSName", "ServicePackInEffect",
};

struct object {
	struct kbf_wtext_buf v[NVALS]; /* copied: the scanner reuses its string buffer */
	struct kbf_wtext_buf host_alt;  /* PSComputerName, when CSName is absent */
	int line;                       /* of HotFixID, else of the object's start */
};

/* A string, or the "value" member of a DateTime written as an object
 * (one level: deeper "value"s are skipped, so hostile nesting costs no
 * stack); anything else is skipped.  false on a syntax error. */
static bool read_string(struct kbu_jscan *j, struct kbf_wtext_buf *out, bool nested)
{
	enum kbu_jtype type;
	struct kbu_jvalue v;
	bool done;
	if (!kbu_jscan_type(j, &type))
		return false;
	if (type == KBU_J_STRING) {
		if (!kbu_jscan_scalar(j, &v))
			return false;
		kbf_wtext_buf_set(out, v.s, v.len);
		return true;
	}
	if (type != KBU_J_OBJECT || nested)
		return kbu_jscan_skip(j);
	if (!kbu_jscan_object_begin(j))
		return false;
	while (kbu_jscan_member(j, &done) && !done)
		if (!(strcmp(j->key, "value") == 0 ? read_string(j, out, true) : kbu_jscan_skip(j)))
			return false;
	return !j->failed;
}

static bool read_member(struct kbu_jscan *j, struct object *o)
{
	int line, col;
	kbu_jscan_pos(j, &line, &col);
	for (int k = 0; k < NVALS; k++)
		if (strcasecmp(j->key, names[k]) == 0) {
			if (k == V_ID)
				o->line = line;
			return read_string(j, &o->v[k], false);
		}
	if (strcasecmp(j->key, "PSComputerName") == 0 || strcasecmp(j->key, "Source") == 0)
		return read_string(j, &o->host_alt, false);
	return kbu_jscan_skip(j);
}

static struct kbf_wtext_span span_of(const struct kbf_wtext_buf *b)
{
	return (struct kbf_wtext_span){b->s, b->len};
}

static void emit(struct kbf_input *in, struct kbf_text *t, struct object *o)
{
	struct kbf_hotfix h = {
		.id = span_of(&o->v[V_ID]), .installed_on = span_of(&o->v[V_ON]),
		.description = span_of(&o->v[V_DESC]), .installed_by = span_of(&o->v[V_BY]),
		.host = o->v[V_HOST].len ? span_of(&o->v[V_HOST]) : span_of(&o->host_alt),
		.sp_in_effect = span_of(&o->v[V_SP]), .dates = KBF_HOTFIX_JSON,
	};
	const struct kbf_line *raw = o->line > 0 ? kbf_text_line(t, (size_t)o->line - 1) : NULL;
	if (h.id.len)
		kbf_hotfix_emit(in, &h, o->line, raw ? raw->s : NULL, raw ? raw->len : 0);
}

static bool read_object(struct kbf_input *in, struct kbf_text *t, struct kbu_jscan *j, struct object *o)
{
	int col;
	bool done;
	for (int k = 0; k < NVALS; k++)
		kbf_wtext_buf_reset(&o->v[k]);
	kbf_wtext_buf_reset(&o->host_alt);
	kbu_jscan_pos(j, &o->line, &col);
	if (!kbu_jscan_object_begin(j))
		return false;
	while (kbu_jscan_member(j, &done) && !done)
		if (!read_member(j, o))
			return false;
	if (j->failed)
		return false;
	emit(in, t, o);
	return true;
}

static bool read_all(struct kbf_input *in, struct kbf_text *t, struct kbu_jscan *j, struct object *o)
{
	enum kbu_jtype type;
	bool done;
	if (!kbu_jscan_type(j, &type))
		return false;
	if (type == KBU_J_OBJECT)
		return read_object(in, t, j, o) && kbu_jscan_end(j);
	if (type != KBU_J_ARRAY)
		return kbu_jscan_fail(j, "neither an object nor an array of objects");
	if (!kbu_jscan_array_begin(j))
		return false;
	while (kbu_jscan_element(j, &done) && !done) {
		if (!kbu_jscan_type(j, &type))
			return false;
		if (!(type == KBU_J_OBJECT ? read_object(in, t, j, o) : kbu_jscan_skip(j)))
			return false;
	}
	return !j->failed && kbu_jscan_end(j);
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	struct kbu_jscan j;
	struct object o = {0};
	kbu_jscan_init(&j, t->utf8, t->len);
	if (!read_all(in, t, &j, &o))
		kbf_input_error(in, j.err_line, "hotfix: %s (column %d)", j.err, j.err_col);
	for (int k = 0; k < NVALS; k++)
		kbf_wtext_buf_free(&o.v[k]);
	kbf_wtext_buf_free(&o.host_alt);
	kbu_jscan_free(&j);
	return in->err.status == KB_OK ? 0 : -1;
}

/* JSON whose first object has a "HotFixID" member. */
static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	struct kbf_wtext_span head = kbf_wtext_trim(t->utf8, t->len < 65536 ? t->len : 65536);
	while (head.len && (head.s[0] == '\n' || head.s[0] == '\r'))
		head = kbf_wtext_trim(head.s + 1, head.len - 1);
	if (!head.len || (head.s[0] != '[' && head.s[0] != '{'))
		return 0;
	size_t at;
	if (!kbf_wtext_ifind(head.s, head.len, "\"HotFixID\"", &at) || at > 16384)
		return 0;
	return 95;
}

const struct kbf_importer kbf_win_get_hotfix_json_importer = {"get-hotfix-json", probe, import, false};
