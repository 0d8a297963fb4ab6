/*
 * Fuzz target: the buffers kbdiag.exe's live collectors take from Windows
 * (facts/windows/live/, the halves built on every platform).  The first
 * byte picks what the rest is:
 *   0..5  a socket table as GetExtendedTcpTable/GetExtendedUdpTable (or,
 *         before XP SP2, GetTcpTable/GetUdpTable) fill it (enum
 *         kbf_live_table), joined to a small process list;
 *   6     ReadEventLogW's buffer of EVENTLOGRECORDs;
 *   7     VerQueryValue's VS_FIXEDFILEINFO;
 *   8     a service's ImagePath (UTF-8), turned into the file it names.
 * Windows is trusted no more than evidence: a count or offset that does
 * not fit its buffer must be noted, never followed.
 *
 * Seeds (corpus/fuzz_win_live/): the tables recorded under wine 8
 * (tests/fixtures/win-live/wine-tables.txt) and the records of
 * tests/fixtures/evt/TestLog.evt, each behind its selector byte.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "windows/events/win_event.h"
#include "windows/live/live.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sockets(struct kbf_input *in, enum kbf_live_table which, const unsigned char *buf, size_t len)
{
	struct kbf_live_procs procs = {0};
	kbf_live_procs_add(&procs, 4, 0, "System", NULL);
	kbf_live_procs_add(&procs, 812, 400, "PoProxy.exe", "C:\\Program Files\\NAV\\PoProxy.exe");
	struct kbf_live_owners owners = {0};
	kbf_live_sockets_parse(in, which, buf, len, &procs, &owners);
	kbf_live_owners_note(in, &owners);
	kbf_live_procs_free(&procs);
}

static void one(struct kbf_input *in, uint8_t what, const unsigned char *buf, size_t len)
{
	if (what <= KBF_LIVE_UDP4_NO_OWNER) {
		sockets(in, (enum kbf_live_table)what, buf, len);
	} else if (what == 6) {
		struct kbf_winevt ev = {0};
		bool older = false, more = false;
		int rc = 0;
		kbf_live_evt_records(in, "System", buf, len, 0, NULL, &ev, 100, &older, &more, &rc);
		kbf_winevt_free(&ev);
	} else if (what == 7) {
		unsigned file[4], product[4];
		kbf_live_fixed_version(buf, len, file, product);
	} else if (what == 8) {
		char *image = malloc(len + 1);
		memcpy(image, buf, len);
		image[len] = '\0';
		free(kbf_live_image_file(image, "C:\\WINDOWS"));
		free(image);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* a copy of exactly the buffer's bytes, so that ASan sees any read past it */
	unsigned char *buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_inputs inputs = {0};
	one(kbf_inputs_add(&inputs, eng, "windows.live"), data[0], buf, size - 1);
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	free(buf);
	return 0;
}
