/*
 * labels.h — what localised Windows prints instead of the English
 * labels, keys and words the Windows importers look for (internal to
 * facts/; shared by windows/hoststate and windows/events).  Each format has its tables here, in labels.c, and only
 * there: an importer asks which English label a piece of text stands for
 * and goes on as it does for an English file, so an English file reads
 * exactly as before and a new language is a few rows in one place.
 *
 * A table lists each English label with itself, then its translations.
 * Matching ignores case (ASCII, Latin-1, Latin Extended-A and Cyrillic
 * letters: Windows XP prints "System type" and "NetWork Card(s)", and
 * localised tools upper-case some words), and treats a no-break space
 * like a space (French puts one before a colon); a key's colon may be the
 * full-width one (U+FF1A) Chinese text uses.
 */
#ifndef KBDIAG_FACTS_CORE_LABELS_H
#define KBDIAG_FACTS_CORE_LABELS_H

#include <stdbool.h>
#include <stddef.h>

struct kbf_label {
	const char *text;    /* as printed, UTF-8 */
	const char *english; /* the English label it stands for */
};

struct kbf_labels {
	const struct kbf_label *v;
	size_t n;
};

/* The English label that s[0..len) is (all of it), or NULL. */
const char *kbf_label_find(const struct kbf_labels *t, const char *s, size_t len);
/* The English label that s[0..len) starts with (the longest), or NULL;
 * *n is the length of the text matched. */
const char *kbf_label_prefix(const struct kbf_labels *t, const char *s, size_t len, size_t *n);
/* "Label:" or "Label   :" (or "Label：") at the start of s: the English
 * label, and *after is where the value begins (just past the colon); NULL
 * when s starts with no label of t followed by a colon. */
const char *kbf_label_key(const struct kbf_labels *t, const char *s, size_t len, size_t *after);
/* s[0..len) equals lit, case ignored as above. */
bool kbf_label_ieq(const char *s, size_t len, const char *lit);
/* Bytes of blank (space, tab, no-break space) at s, 0 if none. */
size_t kbf_label_blank(const char *s, size_t len);

/* ---- the tables (labels.c, each with its sources) ---------------------------- */

/* systeminfo: the keys of the list form and the CSV header. */
extern const struct kbf_labels kbf_labels_systeminfo_keys;
/* systeminfo: the keys inside the network-card list ("Connection Name",
 * "IP address(es)"). */
extern const struct kbf_labels kbf_labels_systeminfo_nic;
/* systeminfo: the word before the build number in "OS Version". */
extern const struct kbf_labels kbf_labels_systeminfo_build;
/* systeminfo: OS Configuration values -> the English role text. */
extern const struct kbf_labels kbf_labels_systeminfo_roles;
/* "N/A" as Windows tools print it (tasklist, systeminfo). */
extern const struct kbf_labels kbf_labels_not_available;
/* sc query / queryex / qc: the keys of a service block. */
extern const struct kbf_labels kbf_labels_sc_keys;
/* Event Viewer text exports: the keys of an event's properties (as
 * evt_text.c names them, lower case), and the Vista columns' names (the
 * CSV header). */
extern const struct kbf_labels kbf_labels_event_keys;
/* Event Viewer: the level / type words, and the Security log's audit
 * keywords -> the English word. */
extern const struct kbf_labels kbf_labels_event_levels;
/* Event Viewer: Task Category "None". */
extern const struct kbf_labels kbf_labels_event_none;
/* Event Viewer's times: the AM / PM marker. */
extern const struct kbf_labels kbf_labels_time_ampm;

#endif
