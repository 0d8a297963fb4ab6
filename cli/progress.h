/*
 * progress.h — a progress line on stderr while big inputs are read.
 */
#ifndef KBDIAG_CLI_PROGRESS_H
#define KBDIAG_CLI_PROGRESS_H

#include "session.h"

/* Watches s's inputs as they are read, when stderr is a terminal and -q
 * was not given. */
void kbd_progress_watch(struct kbd_session *s);

#endif
