/*
 * Fuzz target: kbf_sockdiag_parse(), the reader of NETLINK_SOCK_DIAG dump
 * replies (nlmsghdr + inet_diag_msg + attributes, NLMSG_DONE,
 * NLMSG_ERROR), as one recv() buffer, once for each protocol it is given
 * (TCP, UDP); the sockets it keeps are regrouped by family as after the
 * legacy TCP dump and emitted as facts, which formats their addresses and
 * states.  The parser reads no attributes (they are stepped over with
 * their message), so they are only bytes to skip here.
 *
 * Seeds (corpus/fuzz_sockdiag/, a .nl file per request): real replies
 * from this machine's kernel, saved by `python3 tests/fuzz/capture_sockdiag.py
 * tests/fuzz/corpus/fuzz_sockdiag`, which dumps tcp, tcp6, udp, udp6 with
 * SOCK_DIAG_BY_FAMILY and TCP with TCPDIAG_GETSOCK, after opening loopback
 * listeners, connections and time-wait sockets of its own.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "facts.h"
#include "linux/linux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP};
	/* a copy of exactly size bytes, aligned as a recv() buffer is, so that
	 * ASan sees any read past the reply */
	void *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct kb_engine *eng = kb_engine_new();
	if (kbf_schema_declare(eng, NULL) < 0)
		abort();
	struct kbf_inputs inputs = {0};
	struct kbf_input *in = kbf_inputs_add(&inputs, eng, "linux.sockets");
	for (size_t i = 0; i < sizeof(protos); i++) {
		struct kbf_socktab t = {0};
		kbf_sockdiag_parse(buf, size, protos[i], &t);
		kbf_sockdiag_split_families(&t, 0);
		for (size_t k = 0; k < t.n; k++)
			kbf_sock_emit(in, &t.v[k], NULL);
		kbf_socktab_free(&t);
	}
	kbf_inputs_free(&inputs);
	kb_engine_free(eng);
	free(buf);
	return 0;
}
