/*
 * progress.c — the line on stderr that says how far reading a big input
 * has got, for a person watching a terminal: nothing for inputs read in
 * under a second, nothing when stderr is not a terminal or with -q.
 */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"
#include "textout.h"

#define QUIET_MS 1000 /* inputs read faster than this show nothing */
#define EVERY_MS 200  /* between updates of the line */

struct watcher {
	const struct kbf_input *in; /* the input being read */
	double started, shown_at;
	bool shown;
};

static void tick(void *ud, const struct kbf_input *in, uint64_t done, uint64_t size)
{
	struct watcher *w = ud;
	double now = kbd_now_ms();
	if (in != w->in) {
		w->in = in;
		w->started = now;
		w->shown = false;
	}
	if (done >= size) { /* read through; a reader may start it again (two passes) */
		if (w->shown)
			fputs("\r\033[K", stderr);
		w->shown = false;
		return;
	}
	if (now - w->started < QUIET_MS || (w->shown && now - w->shown_at < EVERY_MS))
		return;
	/* the escape sequences are ours; the name is escaped (textout.h) */
	kbu_tprintf(stderr, "\r\033[Kkbdiag: reading %s: %.0f of %.0f MB (%.0f%%), %zu facts", in->path,
		    (double)done / 1e6, (double)size / 1e6, 100.0 * (double)done / (double)size, in->nfacts);
	fflush(stderr);
	w->shown = true;
	w->shown_at = now;
}

void kbd_progress_watch(struct kbd_session *s)
{
	static struct watcher w;
#ifdef _WIN32
	/* The line is redrawn with "\033[K", which a console before Windows 10
	 * prints as it is (and isatty() is true of NUL as well). */
	return;
#endif
	if (s->opt->verbosity < 0 || !isatty(STDERR_FILENO))
		return;
	s->inputs.progress = tick;
	s->inputs.progress_ud = &w;
}
