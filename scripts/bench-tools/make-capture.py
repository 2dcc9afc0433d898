#!/usr/bin/env python3
"""Writes a synthetic Ethernet/IPv4 pcap of many interleaved TCP connections, for benchmarks.

Usage: make-capture.py OUT.pcap [PACKETS] [LIVE]

About PACKETS packets (default 2,300,000) in connections of 8 to 60 packets, LIVE of them open at once
(default 2,000). Payloads average about 700 bytes. The endings are mixed the way a busy server sees them:
clean FIN exchanges, resets by either side, FIN then RST, refused SYNs and unanswered SYNs.
"""
import random
import struct
import sys

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 2_300_000
live = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000
rng = random.Random(7)
payload = bytes(1460)
ETH = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"


def segment(t, src, dst, sport, dport, seq, ack, flags, length):
    ip_len = 20 + 20 + length
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 0, 0x4000, 64, 6, 0, src, dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    frame = ETH + ip + tcp + payload[:length]
    return struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(frame), len(frame)) + frame


def connection(index):
    """The packets of one connection, as (flags, from_client, length) tuples."""
    kind = rng.random()
    if kind < 0.02:
        return [(0x02, True, 0), (0x14, False, 0)]  # refused
    if kind < 0.03:
        return [(0x02, True, 0)] * 3  # unanswered, with retries
    packets = [(0x02, True, 0), (0x12, False, 0), (0x10, True, 0)]
    for _ in range(rng.randint(2, 28)):
        packets.append((0x18, True, rng.randint(100, 1460)))
        packets.append((0x18, False, rng.randint(100, 1460)))
    if kind < 0.80:
        packets += [(0x11, True, 0), (0x11, False, 0), (0x10, True, 0)]
    elif kind < 0.88:
        packets.append((0x14, False, 0))  # reset by server
    elif kind < 0.95:
        packets.append((0x14, True, 0))  # reset by client
    else:
        packets += [(0x11, False, 0), (0x18, True, 200), (0x04, False, 0)]  # FIN then RST
    return packets


with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    written = 0
    t = 1_700_000_000_000_000
    index = 0
    open_conns = []
    while written < target:
        while len(open_conns) < live:
            index += 1
            client = struct.pack("!I", 0x0A000000 + (index % 60000) + 1)
            server = struct.pack("!I", 0xC0000200 + index % 50)
            state = {
                "packets": connection(index), "next": 0, "client": client, "server": server,
                "sport": 1024 + index % 60000, "dport": 443, "cseq": rng.getrandbits(32), "sseq": rng.getrandbits(32),
            }
            open_conns.append(state)
        position = rng.randrange(len(open_conns))
        c = open_conns[position]
        flags, from_client, length = c["packets"][c["next"]]
        c["next"] += 1
        t += rng.randint(1, 40)
        own, peer = ("cseq", "sseq") if from_client else ("sseq", "cseq")
        # A SYN takes one sequence number, counted once the side sends something else: a retransmitted
        # SYN carries the same initial sequence number, as a real one does.
        if not flags & 0x02 and c.get(own + "_syn"):
            c[own] += 1
            c[own + "_syn"] = False
        ack = c[peer] + (1 if c.get(peer + "_syn") else 0)
        if from_client:
            f.write(segment(t, c["client"], c["server"], c["sport"], c["dport"], c[own], ack, flags, length))
        else:
            f.write(segment(t, c["server"], c["client"], c["dport"], c["sport"], c[own], ack, flags, length))
        if flags & 0x02:
            c[own + "_syn"] = True
        c[own] += length + (1 if flags & 0x01 else 0)
        written += 1
        if c["next"] == len(c["packets"]):
            open_conns[position] = open_conns[-1]
            open_conns.pop()
print(f"{out}: {written} packets, {index} connections", file=sys.stderr)
