#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rss_ref.py: user-space reference of the vfmp RSS engine (stdlib only).

An independent implementation of the Toeplitz hash, the hash-type choice
and the indirection lookup of kmod/core/vfmp_rss.c, for the VM tests.

  rss_ref.py [--key HEX] [--indir "0 1 0 1 ..." | --queues N]
             [--types ipv4,tcp_ipv4,...] flow SRC SPORT DST DPORT PROTO
      prints "HASH QUEUE" (hash as 0x%08x, queue decimal), e.g.
      "0x51ccc178 0"; --verbose adds the hash type: "0x51ccc178 0 tcp_ipv4"
  rss_ref.py [options] --flows FILE
      FILE: one "SRC SPORT DST DPORT PROTO" per line ('#' comments);
      prints "QUEUE COUNT" for every queue of the table, in order
      (--verbose: also "SRC SPORT DST DPORT PROTO HASH QUEUE HTYPE" per flow)
  rss_ref.py --selftest
      checks the Microsoft "Verifying the RSS Hash Calculation" vectors

PROTO is tcp, udp, icmp, frag (an IP fragment: 2-tuple only) or a number.
The default key is the Microsoft verification key; the default table is
128 entries of i % queues (--queues, default 1).
"""

import argparse
import ipaddress
import sys

MS_KEY = bytes.fromhex(
    "6d5a56da255b0ec2" "4167253d43a38fb0" "d0ca2bcbae7b30b4"
    "77cb2da38030f20c" "6a42b73bbeac01fa")
INDIR_LEN = 128

TYPE_BITS = {
    "ipv4": 0x1, "tcp_ipv4": 0x2, "udp_ipv4": 0x4,
    "ipv6": 0x8, "tcp_ipv6": 0x10, "udp_ipv6": 0x20,
}
ALL_TYPES = 0x3f
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
FRAG = -1

# (src, sport, dst, dport, hash IP only, hash with TCP) as published.
MS_V4 = [
    ("66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178),
    ("199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea),
    ("24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a),
    ("38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f),
    ("153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2),
]
MS_V6 = [
    ("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
     0x2cc18cd5, 0x40207d3d),
    ("3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
     0x0f0c461c, 0xdde51bbf),
    ("3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
     "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef),
]


def toeplitz(key, data):
    """Toeplitz hash: the key as one big integer, a 32-bit sliding window."""
    nbits = len(data) * 8
    kbits = len(key) * 8
    k = int.from_bytes(key, "big")
    # Make the key long enough for the last window; missing bits are zero.
    need = nbits + 32
    if kbits < need:
        k <<= need - kbits
        kbits = need
    d = int.from_bytes(data, "big")
    h = 0
    for n in range(nbits):
        if (d >> (nbits - 1 - n)) & 1:
            h ^= (k >> (kbits - 32 - n)) & 0xffffffff
    return h


def parse_proto(s):
    s = s.lower()
    if s == "frag":
        return FRAG
    if s in PROTOS:
        return PROTOS[s]
    return int(s, 0)


def parse_types(s):
    if s in ("all", ""):
        return ALL_TYPES if s == "all" else 0
    m = 0
    for name in s.split(","):
        name = name.strip().lower()
        if name == "none":
            continue
        if name not in TYPE_BITS:
            raise ValueError("unknown hash type %r" % name)
        m |= TYPE_BITS[name]
    return m


def rss_hash(key, types, src, sport, dst, dport, proto):
    """Returns (hash, htype name) for one flow, like vfmp_rss_hash()."""
    a = ipaddress.ip_address(src)
    b = ipaddress.ip_address(dst)
    if a.version != b.version:
        raise ValueError("address families differ: %s %s" % (src, dst))
    v6 = a.version == 6
    fam = "ipv6" if v6 else "ipv4"
    htype = None
    if proto == 6 and types & TYPE_BITS["tcp_" + fam]:
        htype = "tcp_" + fam
    elif proto == 17 and types & TYPE_BITS["udp_" + fam]:
        htype = "udp_" + fam
    elif types & TYPE_BITS[fam]:
        htype = fam
    if htype is None:
        return 0, "none"
    data = a.packed + b.packed
    if htype != fam:
        data += sport.to_bytes(2, "big") + dport.to_bytes(2, "big")
    return toeplitz(key, data), htype


def queue_of(indir, h, htype):
    if htype == "none" or not indir:
        return 0
    # the engine masks with len - 1 (the table length is a power of two)
    return indir[h & (len(indir) - 1)]


def selftest():
    fails = 0
    n = 0
    v4 = TYPE_BITS["ipv4"]
    v4t = v4 | TYPE_BITS["tcp_ipv4"]
    v6 = TYPE_BITS["ipv6"]
    v6t = v6 | TYPE_BITS["tcp_ipv6"]
    for rows, ip_only, with_tcp in ((MS_V4, v4, v4t), (MS_V6, v6, v6t)):
        for src, sport, dst, dport, want_ip, want_tcp in rows:
            for types, proto, want in ((ip_only, 6, want_ip),
                                       (with_tcp, 6, want_tcp),
                                       (with_tcp, FRAG, want_ip)):
                got, _ = rss_hash(MS_KEY, types, src, sport, dst, dport,
                                  proto)
                n += 1
                if got != want:
                    fails += 1
                    print("FAIL %s:%d -> %s:%d types=0x%x: 0x%08x != 0x%08x"
                          % (src, sport, dst, dport, types, got, want))
    # key and table sanity
    if MS_KEY.hex() != ("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b4"
                        "77cb2da38030f20c6a42b73bbeac01fa"):
        fails += 1
        print("FAIL default key")
    n += 1
    print("rss_ref selftest: %d/%d ok" % (n - fails, n))
    return 1 if fails else 0


def build_indir(args):
    if args.indir is not None:
        indir = [int(x, 0) for x in args.indir.replace(",", " ").split()]
        if not indir or len(indir) & (len(indir) - 1):
            raise ValueError("indirection table length must be a power of "
                             "two, got %d" % len(indir))
        return indir
    return [i % args.queues for i in range(INDIR_LEN)]


def read_flows(path):
    f = sys.stdin if path == "-" else open(path)
    try:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            p = line.split()
            if len(p) != 5:
                raise ValueError("%s:%d: want SRC SPORT DST DPORT PROTO"
                                 % (path, lineno))
            yield p[0], int(p[1], 0), p[2], int(p[3], 0), p[4]
    finally:
        if f is not sys.stdin:
            f.close()


def main(argv):
    ap = argparse.ArgumentParser(
        description="vfmp RSS reference (Toeplitz hash + indirection)")
    ap.add_argument("--key", help="hash key, hex (default: the MS key)")
    ap.add_argument("--indir", help='indirection table, "0 1 0 1 ..."')
    ap.add_argument("--queues", type=int, default=1,
                    help="default table i %% QUEUES (without --indir)")
    ap.add_argument("--types", default="all",
                    help="enabled hash types, comma separated, or all/none")
    ap.add_argument("--flows", help="file of flows ('-' for stdin)")
    ap.add_argument("--verbose", action="store_true",
                    help="print the hash type; with --flows each flow too")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("flow", nargs="*",
                    help="flow SRC SPORT DST DPORT PROTO")
    args = ap.parse_args(argv)

    if args.selftest:
        return selftest()
    try:
        key = bytes.fromhex(args.key) if args.key else MS_KEY
        types = parse_types(args.types)
        if args.queues < 1:
            raise ValueError("--queues must be >= 1")
        indir = build_indir(args)
        if args.flows:
            counts = [0] * (max(indir) + 1)
            for src, sport, dst, dport, proto in read_flows(args.flows):
                h, ht = rss_hash(key, types, src, sport, dst, dport,
                                 parse_proto(proto))
                q = queue_of(indir, h, ht)
                counts[q] += 1
                if args.verbose:
                    print("%s %d %s %d %s 0x%08x %d %s"
                          % (src, sport, dst, dport, proto, h, q, ht))
            for q, c in enumerate(counts):
                print("%d %d" % (q, c))
            return 0
        if len(args.flow) != 6 or args.flow[0] != "flow":
            ap.error("want: flow SRC SPORT DST DPORT PROTO, --flows FILE "
                     "or --selftest")
        _, src, sport, dst, dport, proto = args.flow
        h, ht = rss_hash(key, types, src, int(sport, 0), dst, int(dport, 0),
                         parse_proto(proto))
        out = "0x%08x %d" % (h, queue_of(indir, h, ht))
        print(out + (" " + ht if args.verbose else ""))
        return 0
    except (ValueError, OSError) as e:
        print("rss_ref: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
