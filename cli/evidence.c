/*
 * evidence.c — why-not's question "where do facts of this kind come
 * from?" answered from facts/'s table (kbf_evidence_for), in the shape the
 * trace library takes (which knows nothing of facts/).
 */
#include "session.h"

size_t kbd_evidence_for(const char *kind, const char *slot, struct kbt_evidence *out, size_t max)
{
	const struct kbf_evidence_source *rows[16];
	size_t n = kbf_evidence_for(kind, slot, rows, max < 16 ? max : 16);
	for (size_t i = 0; i < n; i++)
		out[i] = (struct kbt_evidence){rows[i]->platform, rows[i]->what, rows[i]->collect, rows[i]->formats};
	return n;
}
