/*
 * cmd_rulenew.c — `kbdiag rules new ID [--from ARTICLE.txt] [--dir DIR]`:
 * a rule file DIR/ID.lua and two test cases, DIR/tests/ID-fires/ and
 * DIR/tests/ID-lookalike/ (expect.json and a bundle skeleton each), that
 * `rules check` accepts as they are.  With an article's text, what it
 * names (article.c) is filled in: the rule's id, title, products and
 * remedy, a pattern on its events, error codes and ports, or on a file
 * version, and evidence in the bundles that the firing case matches and
 * the look-alike differs from in one thing.  What the text cannot settle
 * is marked TODO.  Nothing that exists is written over: when any of the
 * files is there, nothing is written at all.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "article.h"
#include "commands.h"
#include "textout.h"
#include "xalloc.h"

#define ARTICLE_MAX (4 << 20) /* the longest KB article is well under this */

/* An error code the article names, with its Winsock name when the rules'
 * knowledge (bind_error, socket_error) knows it. */
struct code {
	uint32_t value;
	const char *name; /* borrowed from the engine, or NULL */
	bool bind;        /* a bind error: what a bind_failure is made of */
};

/* What goes in the files: the article read and checked against the
 * rules' knowledge. */
struct plan {
	const char *id;
	struct kbd_article art;
	struct code *codes;
	size_t ncodes;
	const struct code *match_code; /* the code the event pattern tests, or NULL */
	const struct kbd_article_event *event; /* the event the rule matches, or NULL */
	const struct kbd_article_file *file;   /* the file it matches (no event or port), or NULL */
};

/* The knowledge fact of kind whose slot `key` equals want (a string, or
 * an integer when want is NULL and number is given); NULL when none. */
static const struct kb_fact *knowledge(const struct kb_engine *eng, const char *kind, const char *key,
				       const char *want, int64_t number)
{
	int k = kb_kind_find(eng, kind), slot = kb_slot_find(eng, k, key);
	for (uint32_t id = 1; slot >= 0 && id <= kb_fact_count(eng); id++) {
		const struct kb_fact *f = kb_fact_get(eng, id);
		if (!f || f->kind != k || f->prov.origin != KB_ORIGIN_KNOWLEDGE)
			continue;
		struct kb_value v = f->slots[slot];
		if (want ? v.type == KB_STRING && strcmp(v.u.s, want) == 0 : v.type == KB_INT && v.u.i == number)
			return f;
	}
	return NULL;
}

static void add_code(struct plan *p, const struct kb_engine *eng, uint32_t value, const char *name)
{
	for (size_t i = 0; i < p->ncodes; i++)
		if (p->codes[i].value == value)
			return;
	/* the tables hold Linux errno values too (below 1000), which an
	 * article's "error 13" is not */
	bool winsock = value >= 10000;
	const struct kb_fact *b = winsock ? knowledge(eng, "bind_error", "code", NULL, value) : NULL;
	const struct kb_fact *s = winsock && !b ? knowledge(eng, "socket_error", "code", NULL, value) : NULL;
	const struct kb_fact *f = b ? b : s;
	int slot = f ? kb_slot_find(eng, f->kind, "name") : -1;
	p->codes = kbu_realloc(p->codes, p->ncodes + 1, sizeof(*p->codes));
	p->codes[p->ncodes++] = (struct code){value, slot >= 0 ? f->slots[slot].u.s : name, b != NULL};
}

/* The codes as numbers and as names, the names turned into numbers. */
static void resolve_codes(struct plan *p, const struct kb_engine *eng)
{
	for (size_t i = 0; i < p->art.ncodes; i++)
		add_code(p, eng, p->art.codes[i], NULL);
	for (size_t i = 0; i < p->art.ncode_names; i++) {
		const char *name = p->art.code_names[i];
		const struct kb_fact *f = knowledge(eng, "bind_error", "name", name, 0);
		f = f ? f : knowledge(eng, "socket_error", "name", name, 0);
		int slot = f ? kb_slot_find(eng, f->kind, "code") : -1;
		if (slot >= 0)
			add_code(p, eng, (uint32_t)f->slots[slot].u.i, name);
	}
	/* the event pattern tests a bind error first, else a client's socket error */
	for (size_t i = 0; i < p->ncodes && !p->match_code; i++)
		if (p->codes[i].bind)
			p->match_code = &p->codes[i];
	for (size_t i = 0; i < p->ncodes && !p->match_code; i++)
		if (p->codes[i].name)
			p->match_code = &p->codes[i];
}

static void plan_make(struct plan *p, const struct kb_engine *eng)
{
	resolve_codes(p, eng);
	for (size_t i = 0; i < p->art.nevents && !p->event; i++)
		if (p->art.events[i].source)
			p->event = &p->art.events[i];
	if (!p->event && p->art.nevents)
		p->event = &p->art.events[0];
	for (size_t i = 0; i < p->art.nfiles && !p->event && !p->art.nports && !p->file; i++)
		if (p->art.files[i].version)
			p->file = &p->art.files[i];
}

/* ---- writing Lua -------------------------------------------------------- */

/* s as a Lua string literal. */
static void lua_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\%03d", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* text as "-- " comment lines of at most 76 columns, the first after lead. */
static void comment(FILE *out, const char *lead, const char *text)
{
	size_t col = fprintf(out, "-- %s", lead);
	while (*text) {
		size_t w = strcspn(text, " ");
		if (col + w > 76 && col > 3 + strlen(lead))
			col = fprintf(out, "\n--  ");
		col += fprintf(out, "%.*s", (int)w, text);
		text += w;
		while (*text == ' ')
			text++;
		if (*text)
			col += fprintf(out, " ");
	}
	fputc('\n', out);
}

/* The title without the product tag some articles open with ("XADM: ",
 * "XCON:"). */
static const char *bare_title(const char *t)
{
	size_t tag = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	if (tag < 2 || tag > 8 || t[tag] != ':')
		return t;
	return t + tag + 1 + strspn(t + tag + 1, " ");
}

static void code_text(FILE *out, const struct code *c)
{
	if (c->value >= 0x10000)
		fprintf(out, "0x%08X", c->value);
	else
		fprintf(out, "%u (0x%X)", c->value, c->value);
	if (c->name)
		fprintf(out, " %s", c->name);
}

/* What the article names, for the reader of the rule to check. */
static void named(FILE *out, const struct plan *p)
{
	const struct kbd_article *a = &p->art;
	fprintf(out, "--\n-- Named in the article (check each against its text):\n--   events:");
	for (size_t i = 0; i < a->nevents; i++)
		fprintf(out, "%s %s%s%ld", i ? "," : "", a->events[i].source ? a->events[i].source : "",
			a->events[i].source ? " " : "", a->events[i].id);
	fprintf(out, "%s\n--   error codes:", a->nevents ? "" : " none");
	for (size_t i = 0; i < p->ncodes; i++) {
		fputs(i ? ", " : " ", out);
		code_text(out, &p->codes[i]);
	}
	fprintf(out, "%s\n--   ports:", p->ncodes ? "" : " none");
	for (size_t i = 0; i < a->nports; i++)
		fprintf(out, "%s%d", i ? ", " : " ", a->ports[i]);
	fprintf(out, "%s\n--   files:", a->nports ? "" : " none");
	for (size_t i = 0; i < a->nfiles; i++)
		fprintf(out, "%s%s%s%s", i ? ", " : " ", a->files[i].name, a->files[i].version ? " " : "",
			a->files[i].version ? a->files[i].version : "");
	fprintf(out, "%s\n", a->nfiles ? "" : " none");
}

static void header(FILE *out, const struct plan *p, const char *from)
{
	const struct kbd_article *a = &p->art;
	fprintf(out, "-- %s %s\n-- Written by `kbdiag rules new%s", p->id, a->title ? a->title : "TODO: the article's title",
		from ? " --from " : "");
	/* the path as given, but a line break in it must not end the comment */
	for (const char *c = from; c && *c; c++)
		fputc((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c, out);
	fprintf(out, "`: what the article names is filled\n"
		     "-- in; each TODO is for you.  Check with `kbdiag rules check`, test with\n"
		     "-- `kbdiag rules test` on this folder (tests/%s-fires, tests/%s-lookalike).\n",
		p->id, p->id);
	if (a->symptoms)
		comment(out, "Symptoms: ", a->symptoms);
	if (a->cause)
		comment(out, "Cause: ", a->cause);
	if (from)
		named(out, p);
	fputc('\n', out);
}

static void one_of_ids(FILE *out, const struct plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->art.nevents; i++)
		n += p->art.events[i].source == p->event->source ||
		     (p->event->source && p->art.events[i].source && strcmp(p->art.events[i].source, p->event->source) == 0);
	fputs(n > 1 ? "one_of {" : "", out);
	for (size_t i = 0, k = 0; i < p->art.nevents; i++)
		if (p->art.events[i].source == p->event->source ||
		    (p->event->source && p->art.events[i].source && strcmp(p->art.events[i].source, p->event->source) == 0))
			fprintf(out, "%s%ld", k++ ? ", " : n > 1 ? " " : "", p->art.events[i].id);
	fputs(n > 1 ? " }" : "", out);
}

static void conditions(FILE *out, const struct plan *p)
{
	const struct kbd_article *a = &p->art;
	fputs("  when = {\n", out);
	if (p->event) {
		if (a->nevents > 1)
			fputs("    -- TODO: the article names more events (above): one rule each, or a kind of\n"
			      "    -- your own that several rules assert (docs/writing-rules.md)\n", out);
		fputs("    event { ", out);
		if (p->event->source) {
			fputs("source = ci ", out);
			lua_string(out, p->event->source);
			fputs(", ", out);
		}
		fputs("id = { \"?id\", ", out);
		one_of_ids(out, p);
		fputs(" }", out);
		if (p->match_code)
			fprintf(out, ", code = %u", p->match_code->value);
		fputs(" },\n", out);
		if (!p->match_code)
			fputs("    -- TODO: the error code the event must carry (code = 10048), if the article names one\n", out);
	}
	if (a->nports) {
		fputs("    -- TODO: tcp or udp (protocol = \"tcp\"), and whether a listener is the symptom or the cause\n"
		      "    listener { port = { \"?port\", ", out);
		fputs(a->nports > 1 ? "one_of {" : "", out);
		for (size_t i = 0; i < a->nports; i++)
			fprintf(out, "%s%d", i ? ", " : a->nports > 1 ? " " : "", a->ports[i]);
		fputs(a->nports > 1 ? " }" : "", out);
		fputs(" }, pid = { \"?pid\", ge(0) } },\n"
		      "    process { pid = \"?pid\", name = { \"?holder\", match \".\" } },\n", out);
	}
	if (p->file) {
		fputs("    file { name = ci ", out);
		lua_string(out, p->file->name);
		fputs(", version_code = version ", out);
		lua_string(out, p->file->version);
		fputs(", version = \"?version\" },\n", out);
	}
	if (!p->event && !a->nports && !p->file)
		fputs("    -- TODO: the evidence of the symptom (`kbdiag rules kinds` lists what there is):\n"
		      "    -- the event's ID, and a phrase of its message as the article quotes it\n"
		      "    event { id = { \"?id\", 1 }, message = match \"TODO: the event's description\" },\n", out);
	fputs("  },\n", out);
}

static void diagnose_text(FILE *out, const struct plan *p)
{
	fputs("  -- TODO: say what is wrong and why, in the user's words\n  diagnose = \"", out);
	if (p->art.nports)
		fputs("?holder (PID ?pid) holds port ?port", out);
	if (p->art.nports && (p->event || p->file))
		fputs(", and ", out);
	if (p->event)
		fputs("event ?id was logged", out);
	if (p->event && p->match_code) {
		fputs(" (error ", out);
		code_text(out, p->match_code);
		fputs(")", out);
	}
	if (p->file)
		fputs("?version is installed", out);
	if (!p->event && !p->art.nports && !p->file)
		fputs("event ?id was logged", out);
	fputs(".\",\n", out);
}

static void rule_text(FILE *out, const struct plan *p, const char *from)
{
	const struct kbd_article *a = &p->art;
	header(out, p, from);
	fputs("rule ", out);
	lua_string(out, p->id);
	fputs(" {\n  article = ", out);
	lua_string(out, a->number ? a->number : p->id);
	fputs(a->number ? ",\n" : ", -- TODO: the KB article (\"Q123456\"), or no article for a rule that encodes none\n", out);
	fputs("  title = ", out);
	lua_string(out, a->title ? bare_title(a->title) : "TODO: what is wrong, in a line");
	fputs(", -- TODO: what is wrong, rather than what the article is called\n"
	      "  severity = \"error\", -- TODO: \"error\", \"warning\" or \"info\"\n  products = {", out);
	for (size_t i = 0; i < a->nproducts; i++) {
		fputs(i ? ", " : " ", out);
		lua_string(out, a->products[i]);
	}
	fputs(a->nproducts ? " },\n" : " }, -- TODO: the products the article applies to\n", out);
	conditions(out, p);
	diagnose_text(out, p);
	if (!a->resolution)
		fputs("  -- TODO: what to do (the article's RESOLUTION)\n", out);
	fputs("  remedy = ", out);
	lua_string(out, a->resolution ? a->resolution : "TODO: what to do");
	fputs(",\n}\n", out);
}

/* ---- the test cases ----------------------------------------------------- */

/* One Event Viewer text export record. */
static void event_record(FILE *out, const char *source, long id, const char *code)
{
	fprintf(out, "Event Type:\tError\r\nEvent Source:\t%s\r\nEvent Category:\tNone\r\nEvent ID:\t%ld\r\n"
		     "Date:\t\t6/13/2001\r\nTime:\t\t10:15:22 AM\r\nUser:\t\tN/A\r\nComputer:\tSERVER01\r\n"
		     "Description:\r\nTODO: the event's description as the customer's log has it",
		source ? source : "TODO-source", id);
	fprintf(out, code ? ", failed with error %s.\r\n" : ".\r\n", code);
}

/* A code as an event's text writes it: 0x2740, 0x800CCC92. */
static void code_hex(char *buf, size_t n, uint32_t v)
{
	snprintf(buf, n, v >= 0x10000 ? "0x%08X" : "0x%X", v);
}

/* An event ID the rule does not match, for the look-alike. */
static long other_id(const struct plan *p)
{
	long id = p->event ? p->event->id : 1;
	for (bool taken = true; taken;) {
		id++;
		taken = false;
		for (size_t i = 0; i < p->art.nevents; i++)
			taken |= p->art.events[i].id == id;
	}
	return id;
}

/* A file of a case: its name in the case folder and its text. */
struct out_file {
	char *path;
	char *text;
	size_t len;
};

struct out_files {
	struct out_file *v;
	size_t n;
};

/* A new text to fill, to be written at path (dir/name). */
static FILE *out_add(struct out_files *o, const char *dir, const char *name)
{
	o->v = kbu_realloc(o->v, o->n + 1, sizeof(*o->v));
	struct out_file *f = &o->v[o->n++];
	f->path = kbu_malloc(strlen(dir) + strlen(name) + 2);
	sprintf(f->path, "%s/%s", dir, name);
	f->text = NULL;
	FILE *out = open_memstream(&f->text, &f->len);
	if (!out)
		kbu_oom();
	return out;
}

static void out_close(FILE *f)
{
	if (fclose(f) != 0)
		kbu_oom();
}

/* The evidence of a case: fires, or the look-alike, which differs in one
 * thing: the error code, else the listener, else the event ID, else the
 * file's version. */
static void bundle(struct out_files *o, const char *dir, const struct plan *p, bool fires)
{
	char code[16] = "";
	const struct code *tested = p->event ? p->match_code : NULL; /* a code is tested on the event */
	bool other_code = !fires && tested, other_port = !fires && !tested && p->art.nports;
	bool other_event = !fires && !tested && !p->art.nports;
	if (tested)
		code_hex(code, sizeof(code), tested->value + (other_code ? 1 : 0));
	if (p->event || (!p->art.nports && !p->file)) {
		FILE *f = out_add(o, dir, "bundle/events.txt");
		event_record(f, p->event ? p->event->source : NULL,
			     other_event ? other_id(p) : p->event ? p->event->id : 1, tested ? code : NULL);
		out_close(f);
	}
	if (p->art.nports) {
		FILE *f = out_add(o, dir, "bundle/netstat.txt");
		fprintf(f, "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n"
			   "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       452\r\n");
		if (!other_port)
			fprintf(f, "  TCP    0.0.0.0:%-5d          0.0.0.0:0              LISTENING       4242\r\n", p->art.ports[0]);
		out_close(f);
		f = out_add(o, dir, "bundle/tasklist.csv");
		fprintf(f, "\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\r\n"
			   "\"svchost.exe\",\"452\",\"Console\",\"0\",\"3,120 K\"\r\n"
			   "\"TODO-holder.exe\",\"4242\",\"Console\",\"0\",\"2,040 K\"\r\n");
		out_close(f);
	}
	if (p->file) {
		FILE *f = out_add(o, dir, "bundle/filever.txt");
		fprintf(f, "--a-- W32i   DLL ENU     %s%s shp    995,383 06-17-1999 %s\r\n", p->file->version,
			fires ? "" : "1", p->file->name);
		out_close(f);
	}
}

static void expect_json(struct out_files *o, const char *dir, const struct plan *p, bool fires)
{
	FILE *f = out_add(o, dir, "expect.json");
	fprintf(f, "{\n  \"description\": \"Written by kbdiag rules new: %s  TODO: replace the skeleton in "
		   "bundle/ with what a customer sent.\",\n",
		fires ? "the article's evidence, which the rule must diagnose."
		      : "the article's evidence but for one thing (the error code, the listener, the event ID or "
			"the file's version), which the rule must not diagnose.");
	fprintf(f, "  \"%s\": [{\"rule\": ", fires ? "must" : "must_not");
	/* the id is a file name already checked to need no escaping */
	fprintf(f, "\"%s\"}]\n}\n", p->id);
	out_close(f);
}

/* ---- putting the files in place ------------------------------------------ */

/* Makes the folders above path (those that exist are fine). */
static int make_parents(const char *path)
{
	char *p = kbu_strdup(path);
	int rc = 0;
	for (char *s = strchr(p + 1, '/'); s && rc == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		struct stat st;
		if (mkdir(p, 0777) < 0 && !(errno == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode)))
			rc = -1;
		*s = '/';
	}
	if (rc < 0)
		kbu_tprintf(stderr, "kbdiag: rules new: cannot make the folder for %s: %s\n", path, strerror(errno));
	free(p);
	return rc;
}

/* Writes text to a new file at path: O_EXCL, so a file (or a link) that
 * appeared meanwhile is never written over. */
static int write_new(const struct out_file *f)
{
	if (make_parents(f->path) < 0)
		return -1;
	int fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	size_t done = 0;
	while (fd >= 0 && done < f->len) {
		ssize_t w = write(fd, f->text + done, f->len - done);
		if (w < 0 && errno != EINTR)
			break;
		done += w > 0 ? (size_t)w : 0;
	}
	int e = errno;
	if ((fd >= 0 && close(fd) < 0) || fd < 0 || done < f->len) {
		kbu_tprintf(stderr, "kbdiag: rules new: writing %s: %s\n", f->path, strerror(fd < 0 || done < f->len ? e : errno));
		return -1;
	}
	return 0;
}

/* Whether path exists, saying so: the files are written all or none. */
static bool exists(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return false;
	kbu_tprintf(stderr, "kbdiag: rules new: %s exists; nothing was written (rules new never writes over a file)\n",
		    path);
	return true;
}

static bool valid_id(const char *id)
{
	if (!*id || *id == '.' || *id == '-' || strlen(id) > 64)
		return false;
	for (const char *s = id; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* The article's text, whole; NULL after saying why. */
static char *read_article(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = f ? kbu_malloc(ARTICLE_MAX + 1) : NULL;
	*len = f ? fread(text, 1, ARTICLE_MAX + 1, f) : 0;
	const char *why = !f ? strerror(errno) : ferror(f) ? "cannot be read" : *len > ARTICLE_MAX ? "longer than 4 MiB: not an article" : NULL;
	if (f)
		fclose(f);
	if (why) {
		kbu_tprintf(stderr, "kbdiag: rules new --from %s: %s\n", path, why);
		free(text);
		return NULL;
	}
	text[*len] = '\0';
	return text;
}

/* Every file, in memory: the rule, then each case. */
static void compose(struct out_files *o, const struct plan *p, const char *dir, const char *from)
{
	char *name = kbu_malloc(strlen(p->id) + 32);
	sprintf(name, "%s.lua", p->id);
	FILE *f = out_add(o, dir, name);
	rule_text(f, p, from);
	out_close(f);
	for (int fires = 1; fires >= 0; fires--) {
		char *cdir = kbu_malloc(strlen(dir) + strlen(p->id) + 32);
		sprintf(cdir, "%s/tests/%s-%s", dir, p->id, fires ? "fires" : "lookalike");
		expect_json(o, cdir, p, fires);
		bundle(o, cdir, p, fires);
		free(cdir);
	}
	free(name);
}

/* What was written, and what to do next. */
static void report(const struct out_files *o, const struct plan *p, const char *dir)
{
	for (size_t i = 0; i < o->n; i++)
		kbu_tprintf(stdout, "wrote %s\n", o->v[i].path);
	kbu_tprintf(stdout, "\nPre-filled: %zu event%s, %zu error code%s, %zu port%s, %zu file%s%s.\n", p->art.nevents,
		    p->art.nevents == 1 ? "" : "s", p->ncodes, p->ncodes == 1 ? "" : "s", p->art.nports,
		    p->art.nports == 1 ? "" : "s", p->art.nfiles, p->art.nfiles == 1 ? "" : "s",
		    p->art.resolution ? ", the remedy" : "");
	kbu_tprintf(stdout, "Settle each TODO in %s/%s.lua, then: kbdiag rules check %s && kbdiag rules test %s\n", dir,
		    p->id, dir, dir);
}

int kbd_cmd_rules_new(const struct kbd_options *o)
{
	if (o->nargs != 2 || !valid_id(o->args[1])) {
		kbu_tprintf(stderr, "kbdiag: rules new needs one rule id of letters, digits, '-', '_' and '.' "
				    "(rules new ID [--from ARTICLE.txt] [--dir DIR])\n");
		return 2;
	}
	const char *dir = o->dir ? o->dir : ".";
	struct plan p = {.id = o->args[1]};
	size_t len = 0;
	char *text = o->from ? read_article(o->from, &len) : NULL;
	if (o->from && !text)
		return 2;
	kbd_article_parse(&p.art, text ? text : "", len);
	free(text);
	struct kbd_session s;
	int rc = kbd_session_open(&s, o); /* the rules' knowledge: Winsock names */
	struct out_files files = {0};
	if (rc == 0) {
		plan_make(&p, s.eng);
		compose(&files, &p, dir, o->from);
		for (size_t i = 0; i < files.n && rc == 0; i++)
			rc = exists(files.v[i].path) ? 2 : 0;
		for (size_t i = 0; i < files.n && rc == 0; i++)
			rc = write_new(&files.v[i]) < 0 ? 2 : 0;
		if (rc == 0)
			report(&files, &p, dir);
	}
	for (size_t i = 0; i < files.n; i++) {
		free(files.v[i].path);
		free(files.v[i].text);
	}
	free(files.v);
	free(p.codes);
	kbd_article_free(&p.art);
	kbd_session_close(&s);
	return rc;
}
