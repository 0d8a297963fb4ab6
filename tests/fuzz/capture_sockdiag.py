#!/usr/bin/env python3
"""Saves this machine's raw NETLINK_SOCK_DIAG dump replies as seeds for
fuzz_sockdiag: one file per request, the bytes of every recv() up to and
including NLMSG_DONE, as kbf_sockdiag_parse() gets them.

    python3 tests/fuzz/capture_sockdiag.py tests/fuzz/corpus/fuzz_sockdiag

Requests (linux/inet_diag.h): SOCK_DIAG_BY_FAMILY with inet_diag_req_v2
for tcp, tcp6, udp, udp6, and the legacy TCPDIAG_GETSOCK with
inet_diag_req (both families at once), each asking for every state.
A quiet machine (a container) has few sockets, so the script first opens
its own on loopback: a listener, a connection and a time-wait one per
family, and a bound UDP socket per family."""
import os
import socket
import struct
import sys

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
TCPDIAG_GETSOCK = 18
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_DONE, NLMSG_ERROR = 3, 2
ALL_STATES = 0xFFFFFFFF
SOCKID = bytes(48)  # struct inet_diag_sockid, all zero: no filter


def request(family, proto):
    if family == socket.AF_UNSPEC:  # struct inet_diag_req
        body = struct.pack("=BBBB", socket.AF_INET, 0, 0, 0) + SOCKID + struct.pack("=II", ALL_STATES, 0)
        kind = TCPDIAG_GETSOCK
    else:  # struct inet_diag_req_v2
        body = struct.pack("=BBBB", family, proto, 0, 0) + struct.pack("=I", ALL_STATES) + SOCKID
        kind = SOCK_DIAG_BY_FAMILY
    return struct.pack("=IHHII", 16 + len(body), kind, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body


def dump(family, proto):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG)
    s.sendto(request(family, proto), (0, 0))
    out = b""
    while True:
        buf = s.recv(65536)
        out += buf
        off, done = 0, False
        while off + 16 <= len(buf):
            length, kind = struct.unpack_from("=IH", buf, off)
            done |= kind in (NLMSG_DONE, NLMSG_ERROR)
            off += (length + 3) & ~3 if length else len(buf)
        if done or not buf:
            s.close()
            return out


def own_sockets():
    keep = []
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.bind((host, 0))
        listener.listen()
        port = listener.getsockname()[1]
        client = socket.create_connection((host, port))
        server, _ = listener.accept()
        closing = socket.create_connection((host, port))
        closed, _ = listener.accept()
        closing.close()  # the side that closes first goes to TIME_WAIT
        closed.close()
        udp = socket.socket(family, socket.SOCK_DGRAM)
        udp.bind((host, 0))
        keep += [listener, client, server, udp]
    return keep


def main():
    outdir = sys.argv[1]
    keep = own_sockets()
    for name, family, proto in (("tcp", socket.AF_INET, socket.IPPROTO_TCP),
                                ("tcp6", socket.AF_INET6, socket.IPPROTO_TCP),
                                ("udp", socket.AF_INET, socket.IPPROTO_UDP),
                                ("udp6", socket.AF_INET6, socket.IPPROTO_UDP),
                                ("tcp-legacy", socket.AF_UNSPEC, socket.IPPROTO_TCP)):
        with open(os.path.join(outdir, name + ".nl"), "wb") as f:
            f.write(dump(family, proto))
    for s in keep:
        s.close()


if __name__ == "__main__":
    main()
