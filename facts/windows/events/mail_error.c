/*
 * mail_error.c — error text pasted from a mail client's dialog, one
 * `client_error` fact per message.
 *
 * Outlook Express / Outlook 97-2000 / Windows Mail print a sentence and then
 * comma-separated details (KB Q191687, Q250926, Q298944, Q278637):
 *   The connection to the server has failed. Account: 'pop.example.com',
 *   Server: 'pop.example.com', Protocol: POP3, Port: 110, Secure(SSL): No,
 *   Socket Error: 10061, Error Number: 0x800CCC0E
 * with variations seen in the wild: "Server:'x'" without a space, "Port 110"
 * without a colon, "Secure (SSL); No", a missing comma after the account,
 * "Server Response: '-ERR ..., ...'" (quoted, holding commas and colons),
 * "Server Error: 0x800CCC90" or an SMTP reply "Server Error: 553", typographic
 * quotes, and the text wrapped over several lines.  Outlook 2002 and later:
 *   Task 'pop.example.com - Receiving' reported error (0x800CCC0E) : '...'
 * Messages are split at blank lines, after each "Error Number: X" and before
 * each "Task '"; a piece without Error Number, Account+Protocol or a Task
 * header is not a client error and is skipped.  Slots: client ("Outlook" for
 * the Task form, or a client the text names), account, server, protocol
 * upper case (POP3, IMAP, SMTP, NNTP, HTTP for HTTPMail), port, ssl,
 * server_error, error_number (kbf_parse_error_code), message (the whole
 * message, its lines joined by single spaces).  The Winsock "Socket Error"
 * has no slot of its own in the schema; it stays in the message.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "win_event.h"
#include "xalloc.h"

enum mkey { M_ACCOUNT, M_SERVER, M_PROTOCOL, M_PORT, M_SSL, M_SOCKET, M_SERVER_ERROR,
	    M_ERROR_NUMBER, M_RESPONSE, M_SUBJECT, M_NKEYS };

/* Longest first, so "Server Error" is not read as "Server". */
static const struct {
	const char *name;
	enum mkey k;
} mkeys[] = {
	{"server response", M_RESPONSE}, {"server error", M_SERVER_ERROR},
	{"socket error", M_SOCKET}, {"error number", M_ERROR_NUMBER},
	{"secure (ssl)", M_SSL}, {"secure(ssl)", M_SSL}, {"account", M_ACCOUNT},
	{"protocol", M_PROTOCOL}, {"subject", M_SUBJECT}, {"server", M_SERVER}, {"port", M_PORT},
};

struct span {
	const char *s;
	size_t len;
};

struct para {
	struct kbf_wtext_buf s; /* the paragraph's lines, trimmed, joined by spaces */
	size_t *off;       /* where each line starts in s */
	size_t *line;      /* its line number */
	size_t n, cap;
};

/* ---- keys and values ---------------------------------------------------------- */

/* Length of a quote character at s (' " and the typographic ones), or 0. */
static size_t quote_at(const char *s, size_t len)
{
	if (len && (*s == '\'' || *s == '"'))
		return 1;
	if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9D)
		return 3;
	return 0;
}

/* The key at s[i] and the start of its value, or -1. */
static int key_at(const char *s, size_t len, size_t i, size_t *value)
{
	if (!strchr("aApPsSeE", s[i]) || (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '(')))
		return -1; /* every key starts with one of these */
	for (size_t n = 0; n < sizeof(mkeys) / sizeof(mkeys[0]); n++) {
		size_t kl = strlen(mkeys[n].name), j = i + kl;
		if (j > len || !kbf_wtext_ieq((struct kbf_wtext_span){s + i, kl}, mkeys[n].name))
			continue;
		while (j < len && s[j] == ' ')
			j++;
		if (j < len && (s[j] == ':' || s[j] == ';')) {
			for (j++; j < len && s[j] == ' '; j++)
				;
		} else if (!(mkeys[n].k == M_PORT && j > i + kl && j < len && isdigit((unsigned char)s[j]))) {
			continue; /* "Port 110" needs no colon; other keys do */
		}
		*value = j;
		return (int)mkeys[n].k;
	}
	return -1;
}

/* A quoted value closes at a quote followed by a comma, the end, or the
 * next key (Q250926 omits the comma after the account). */
static bool closing(const char *s, size_t len, size_t j)
{
	while (j < len && s[j] == ' ')
		j++;
	size_t v;
	return j >= len || s[j] == ',' || s[j] == '.' || key_at(s, len, j, &v) >= 0;
}

/* The value at s[i]; returns where scanning goes on.  A quoted value is
 * looked for within MAX_QUOTED bytes, so that unclosed quotes cannot make
 * reading a long paragraph quadratic. */
#define MAX_QUOTED 4096

static size_t value_at(const char *s, size_t len, size_t i, struct span *v)
{
	size_t q = quote_at(s + i, len - i);
	if (q) {
		for (size_t j = i + q; j < len && j - i < MAX_QUOTED; j++) {
			size_t cq = quote_at(s + j, len - j);
			if (cq && closing(s, len, j + cq)) {
				*v = (struct span){s + i + q, j - i - q};
				return j + cq;
			}
		}
	}
	size_t e = i;
	while (e < len && s[e] != ',')
		e++;
	size_t b = e;
	while (b > i && (s[b - 1] == ' ' || s[b - 1] == '.'))
		b--;
	*v = (struct span){s + i, b - i};
	return e;
}

/* Every key's value in m (the first of each), found[] saying which. */
static void scan_keys(const char *m, size_t len, struct span v[M_NKEYS], bool found[M_NKEYS])
{
	memset(found, 0, M_NKEYS * sizeof(found[0]));
	for (size_t i = 0; i < len;) {
		size_t vs;
		int k = key_at(m, len, i, &vs);
		if (k < 0) {
			i++;
			continue;
		}
		struct span sp;
		i = value_at(m, len, vs, &sp);
		if (!found[k])
			v[k] = sp, found[k] = true;
	}
}

/* ---- one message -------------------------------------------------------------- */

static const char *client_named(const char *m, size_t len, bool task)
{
	static const char *const clients[] = {"Outlook Express", "Windows Live Mail", "Windows Mail"};
	size_t at;
	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++)
		if (kbf_wtext_ifind(m, len, clients[i], &at))
			return clients[i];
	return task || kbf_wtext_ifind(m, len, "Outlook", &at) ? "Outlook" : NULL;
}

static void set_protocol(struct kbf_fact *f, struct span p)
{
	char up[16];
	if (!p.len || p.len >= sizeof(up))
		return;
	for (size_t i = 0; i < p.len; i++)
		up[i] = (char)toupper((unsigned char)p.s[i]);
	up[p.len] = '\0';
	if (strncmp(up, "HTTP", 4) == 0)
		strcpy(up, "HTTP");
	else if (strcmp(up, "IMAP4") == 0)
		strcpy(up, "IMAP");
	kbf_set_str_copy(f, "protocol", up, strlen(up));
}

static int set_code(struct kbf_input *in, int line, struct kbf_fact *f, const char *slot,
		    const char *what, struct span v)
{
	int64_t c;
	if (kbf_parse_error_code(v.s, v.len, &c)) {
		kbf_set_int(f, slot, c);
		return 0;
	}
	return kbf_input_error(in, line, "%s '%.*s' is not an error code", what, (int)(v.len > 40 ? 40 : v.len), v.s);
}

static int set_port(struct kbf_input *in, int line, struct kbf_fact *f, struct span v)
{
	int64_t port = 0;
	size_t i = 0;
	while (i < v.len && i < 6 && isdigit((unsigned char)v.s[i]))
		port = port * 10 + (v.s[i++] - '0');
	if (i == 0 || i < v.len || port > 65535)
		return kbf_input_error(in, line, "Port '%.*s' is not a port number", (int)(v.len > 40 ? 40 : v.len), v.s);
	kbf_set_int(f, "port", port);
	return 0;
}

/* The Task form: "Task 'ACCOUNT - Receiving' reported error (0x800CCC0E) : '...'". */
static bool task_form(const char *m, size_t len, struct span *account, struct span *code)
{
	size_t at, q, e;
	if (!kbf_wtext_ifind(m, len, "task ", &at) || !(q = quote_at(m + at + 5, len - at - 5)))
		return false;
	size_t a = at + 5 + q;
	if (!kbf_wtext_ifind(m + a, len - a, "reported error (", &e))
		return false;
	size_t r = a + e, c = r + 16, ce = c;
	while (ce < len && m[ce] != ')')
		ce++;
	size_t ae = r;
	while (ae > a && (m[ae - 1] == ' ' || quote_at(m + ae - 1, 1)))
		ae--;
	const char *dash = NULL;
	for (size_t i = a; i + 3 <= ae; i++)
		if (memcmp(m + i, " - ", 3) == 0)
			dash = m + i;
	*account = (struct span){m + a, dash ? (size_t)(dash - m) - a : ae - a};
	*code = (struct span){m + c, ce - c};
	return true;
}

static int message(struct kbf_input *in, int line, const char *m, size_t len)
{
	struct span v[M_NKEYS], acct = {0}, code = {0};
	bool found[M_NKEYS];
	scan_keys(m, len, v, found);
	bool task = task_form(m, len, &acct, &code);
	if (!task && !found[M_ERROR_NUMBER] && !(found[M_ACCOUNT] && found[M_PROTOCOL]))
		return 0;
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "client_error");
	int rc = 0;
	const char *client = client_named(m, len, task);
	if (client)
		kbf_set_cstr(&f, "client", client);
	if (found[M_ACCOUNT] || task)
		kbf_set_str(&f, "account", found[M_ACCOUNT] ? v[M_ACCOUNT].s : acct.s,
			    found[M_ACCOUNT] ? v[M_ACCOUNT].len : acct.len);
	if (found[M_SERVER])
		kbf_set_str(&f, "server", v[M_SERVER].s, v[M_SERVER].len);
	if (found[M_PROTOCOL])
		set_protocol(&f, v[M_PROTOCOL]);
	if (found[M_PORT] && set_port(in, line, &f, v[M_PORT]) < 0)
		rc = -1;
	if (found[M_SSL] && (kbf_wtext_ieq((struct kbf_wtext_span){v[M_SSL].s, v[M_SSL].len}, "yes") ||
			     kbf_wtext_ieq((struct kbf_wtext_span){v[M_SSL].s, v[M_SSL].len}, "no")))
		kbf_set_bool(&f, "ssl", tolower((unsigned char)v[M_SSL].s[0]) == 'y');
	if (found[M_SERVER_ERROR] && set_code(in, line, &f, "server_error", "Server Error", v[M_SERVER_ERROR]) < 0)
		rc = -1;
	if ((found[M_ERROR_NUMBER] || task) &&
	    set_code(in, line, &f, "error_number", "Error Number", found[M_ERROR_NUMBER] ? v[M_ERROR_NUMBER] : code) < 0)
		rc = -1;
	kbf_set_str(&f, "message", m, len);
	if (!kbf_fact_emit_record(&f, line, m, len, KBF_TEXT_EVENT))
		rc = -1;
	return rc;
}

/* ---- paragraphs ------------------------------------------------------------------ */

static void para_add(struct para *p, const struct kbf_line *l, size_t ln)
{
	size_t a = 0, b = l->len;
	while (a < b && isspace((unsigned char)l->s[a]))
		a++;
	while (b > a && isspace((unsigned char)l->s[b - 1]))
		b--;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->off = kbu_realloc(p->off, p->cap, sizeof(*p->off));
		p->line = kbu_realloc(p->line, p->cap, sizeof(*p->line));
	}
	if (p->s.len)
		kbf_wtext_buf_addc(&p->s, ' ');
	p->off[p->n] = p->s.len;
	p->line[p->n++] = ln + 1;
	kbf_wtext_buf_add(&p->s, l->s + a, b - a);
}

static int line_of(const struct para *p, size_t pos)
{
	size_t i = 0;
	while (i + 1 < p->n && p->off[i + 1] <= pos)
		i++;
	return (int)p->line[i];
}

/* Where the message that starts at pos ends: after its Error Number's code,
 * or where the next "Task '" begins, or at the paragraph's end. */
static size_t segment_end(const char *s, size_t len, size_t pos)
{
	for (size_t i = pos; i < len; i++) {
		size_t v;
		if (i > pos && s[i - 1] == ' ' && i + 5 < len && kbf_wtext_ieq((struct kbf_wtext_span){s + i, 5}, "task ") &&
		    quote_at(s + i + 5, len - i - 5))
			return i;
		if (key_at(s, len, i, &v) != M_ERROR_NUMBER)
			continue;
		v += quote_at(s + v, len - v);
		while (v < len && (isalnum((unsigned char)s[v]) || s[v] == '-'))
			v++;
		while (v < len && (quote_at(s + v, len - v) || s[v] == '.'))
			v += s[v] == '.' ? 1 : quote_at(s + v, len - v);
		return v;
	}
	return len;
}

static int paragraph(struct kbf_input *in, const struct para *p)
{
	const char *s = p->s.s;
	size_t len = p->s.len, pos = 0;
	int rc = 0;
	while (pos < len) {
		while (pos < len && s[pos] == ' ')
			pos++;
		if (pos >= len)
			break;
		size_t end = segment_end(s, len, pos), a = pos, b = end;
		while (b > a && s[b - 1] == ' ')
			b--;
		if (b - a >= 2 && s[a] == '"' && s[b - 1] == '"')
			a++, b--; /* the whole message in quotes */
		if (b > a && message(in, line_of(p, pos), s + a, b - a) < 0)
			rc = -1;
		pos = end;
	}
	return rc;
}

/* ---- the importer ---------------------------------------------------------------- */

static int probe(struct kbf_text *t)
{
	if (!t->utf8)
		return 0;
	size_t n = t->len < 65536 ? t->len : 65536;
	const char *s = t->utf8;
	if (kbf_wtext_ifind(s, n, "error number", NULL) &&
	    (kbf_wtext_ifind(s, n, "account:", NULL) || kbf_wtext_ifind(s, n, "protocol:", NULL)))
		return 85;
	if (kbf_wtext_ifind(s, n, "reported error (0x", NULL) && kbf_wtext_ifind(s, n, "task ", NULL))
		return 80;
	return 0;
}

static int import(struct kbf_input *in, struct kbf_text *t)
{
	if (!t->utf8)
		return kbf_input_error(in, 0, "not text");
	struct para p = {0};
	int rc = 0;
	for (size_t ln = 0; ln <= t->nlines; ln++) {
		const struct kbf_line *l = ln < t->nlines ? &t->lines[ln] : NULL;
		size_t i = 0;
		while (l && i < l->len && isspace((unsigned char)l->s[i]))
			i++;
		if (l && i < l->len) {
			para_add(&p, l, ln);
			continue;
		}
		if (p.n && paragraph(in, &p) < 0)
			rc = -1;
		p.n = 0;
		kbf_wtext_buf_set(&p.s, "", 0);
	}
	kbf_wtext_buf_free(&p.s);
	free(p.off);
	free(p.line);
	return rc;
}

const struct kbf_importer kbf_mail_error_importer = {"mail-client-error", probe, import, KBF_READ_WHOLE};
