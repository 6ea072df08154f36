#!/bin/bash
# vm-opts: -t 900
# 32-dp-rss.sh - RSS on a VF, checked against an independent Toeplitz
# reference (tests/tools/rss_ref.py): 256 UDP flows (one datagram each,
# distinct source ports) from the PF into VF0; the per-queue
# rx_queue_N_packets deltas must equal the reference's prediction for the
# key and indirection table `ethtool -x` reports.  Then ethtool -L, -X
# (weight, equal, hkey), -N rx-flow-hash udp4 sd/sdfn, and the refusals.
# No ARP/ND noise: IPv6 is off and both neighbours are static.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

REF=tests/tools/rss_ref.py
FLOWS=/tmp/rss-flows
NFLOWS=256
ALL=all
UDP4_SD=ipv4,tcp_ipv4,ipv6,tcp_ipv6,udp_ipv6
# distinct pseudo-random source ports (a contiguous range would split
# exactly evenly for any linear hash, proving little)
python3 -c "
import random
for p in random.Random(32).sample(range(1024, 65536), $NFLOWS):
    print('192.0.2.1', p, '192.0.2.2', 9, 'udp')" > $FLOWS

nchan() { nx b ethtool -l "$VF0" | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2 }'; }

qcounts() { # NQ -> "c0 c1 ..."
	local q s=""
	for ((q = 0; q < $1; q++)); do s+="$(est b "$VF0" "rx_queue_${q}_packets") "; done
	echo "${s% }"
}

# send the flows, print the per-queue deltas of the current channels
measure() {
	local nq b a i tot=0 s=""
	nq=$(nchan)
	read -ra b <<<"$(qcounts "$nq")"
	nx a python3 -c '
import socket, sys
for line in open(sys.argv[1]):
    src, sport, dst, dport, _ = line.split()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, int(sport)))
    s.sendto(b"rss", (dst, int(dport)))
    s.close()' $FLOWS
	for _ in $(seq 50); do
		read -ra a <<<"$(qcounts "$nq")"
		tot=0
		for ((i = 0; i < nq; i++)); do tot=$((tot + a[i] - b[i])); done
		((tot >= NFLOWS)) && break
		sleep 0.1
	done
	for ((i = 0; i < nq; i++)); do s+="$((a[i] - b[i])) "; done
	echo "${s% }"
}

# the reference's per-queue counts for VF0's current key/table and TYPES
predict() {
	local x key indir nq
	x=$(nx b ethtool -x "$VF0")
	key=$(awk '/^RSS hash key:/ { getline; print }' <<<"$x" | tr -d ':')
	indir=$(awk '/^ +[0-9]+:/ { sub(/^ +[0-9]+:/, ""); printf "%s ", $0 }' <<<"$x")
	nq=$(nchan)
	python3 $REF --key "$key" --indir "$indir" --types "$1" --flows $FLOWS |
		awk -v nq="$nq" '{ c[$1] = $2 } END { for (q = 0; q < nq; q++) printf "%s%d", q ? " " : "", c[q] }'
}
nonzero() { local n=0 v; for v in $1; do ((v)) && n=$((n + 1)); done; echo $n; }

dp_setup "0 2 4" 1 || bail_out "datapath setup failed"
pass "PF in a, VF0 in b, IPv6 off"
pfmac=$(nx a cat /sys/class/net/"$PF"/address)
vfmac=$(nx b cat /sys/class/net/"$VF0"/address)
nx a ip neigh replace 192.0.2.2 lladdr "$vfmac" dev "$PF" nud permanent
nx b ip neigh replace 192.0.2.1 lladdr "$pfmac" dev "$VF0" nud permanent
t_ok "PF reaches VF0 over static neighbours" ping_ok a 192.0.2.2
t_ok "reference self-test" python3 $REF --selftest

t_match "VF0 has up to 4 channels" 'Pre-set maximums:[^C]*Combined:[[:space:]]+4' "$(nx b ethtool -l "$VF0")"
t_ok "ethtool -L VF0 combined 2" nx b ethtool -L "$VF0" combined 2
t_eq "2 channels" 2 "$(nchan)"
t_match "indirection table spread over queues 0 and 1" '^ +0: +0 +1 +0 +1 +0 +1 +0 +1$' \
	"$(nx b ethtool -x "$VF0" | grep -E '^ +0:')"

got=$(measure); want=$(predict $ALL)
t_eq "2 queues, 4-tuple: per-queue counts match the reference" "$want" "$got"
t_ok "both queues used ($got)" test "$(nonzero "$got")" -eq 2
t_eq "no frame found the rings empty (hw rx_no_buffer 0)" 0 \
	"$(est_sum b "$VF0" 'hw_queue_[0-9]+_rx_no_buffer')"

t_ok "ethtool -L VF0 combined 4" nx b ethtool -L "$VF0" combined 4
got=$(measure); want=$(predict $ALL)
t_eq "4 queues: per-queue counts match the reference" "$want" "$got"
t_ok "all 4 queues used ($got)" test "$(nonzero "$got")" -eq 4

t_ok "ethtool -X VF0 hkey (the Microsoft verification key)" nx b ethtool -X "$VF0" \
	hkey 6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
t_match "ethtool -x reads the key back" '^6d:5a:56:da:25:5b:0e:c2' \
	"$(nx b ethtool -x "$VF0" | awk '/^RSS hash key:/ { getline; print }')"
got=$(measure); want=$(predict $ALL)
t_eq "new key: per-queue counts match the reference" "$want" "$got"

t_ok "back to 2 channels" nx b ethtool -L "$VF0" combined 2
t_ok "ethtool -X VF0 weight 1 0" nx b ethtool -X "$VF0" weight 1 0
got=$(measure)
t_eq "weight 1 0: every flow on queue 0" "$NFLOWS 0" "$got"
t_ok "ethtool -X VF0 equal 2" nx b ethtool -X "$VF0" equal 2
got=$(measure); want=$(predict $ALL)
t_eq "equal 2: per-queue counts match the reference" "$want" "$got"
t_ok "both queues used again" test "$(nonzero "$got")" -eq 2

t_ok "ethtool -N VF0 rx-flow-hash udp4 sd" nx b ethtool -N "$VF0" rx-flow-hash udp4 sd
fh=$(nx b ethtool -n "$VF0" rx-flow-hash udp4)
t_match "ethtool -n: udp4 hashes IP SA and IP DA" 'IP SA[[:space:]]+IP DA' "$fh"
t_fail "ethtool -n: udp4 no longer hashes the ports" grep -q 'L4 bytes' <<<"$fh"
got=$(measure); want=$(predict $UDP4_SD)
t_eq "2-tuple: counts match the reference without udp_ipv4" "$want" "$got"
t_ok "2-tuple: all flows of the one IP pair on one queue ($got)" test "$(nonzero "$got")" -eq 1
t_ok "ethtool -N VF0 rx-flow-hash udp4 sdfn" nx b ethtool -N "$VF0" rx-flow-hash udp4 sdfn
t_match "ethtool -n: udp4 hashes the ports again" 'L4 bytes 2 & 3' "$(nx b ethtool -n "$VF0" rx-flow-hash udp4)"
got=$(measure); want=$(predict $ALL)
t_eq "4-tuple restored: counts match the reference" "$want" "$got"

# ---- refusals ------------------------------------------------------------
t_fail "ethtool -X weight for 3 queues with 2 channels refused" nx b ethtool -X "$VF0" weight 1 1 1
t_fail "ethtool -L combined 5 (max 4) refused" nx b ethtool -L "$VF0" combined 5
nx b ethtool -L "$VF0" combined 4
nx b ethtool -X "$VF0" equal 4
dmesg_mark
out=$(nx b ethtool -L "$VF0" combined 2 2>&1)
rc=$?
t_ok "ethtool -L 2 while the table uses queues 2-3 refused" test $rc -ne 0
t_match "with a reason (table would be orphaned)" \
	'too low for existing indirection table|RSS table entry [0-9]+ uses queue' "$out$(dmesg_since_mark)"
t_eq "still 4 channels" 4 "$(nchan)"
t_ok "ethtool -X default, then -L 2 accepted" sh -c "ip netns exec b ethtool -X $VF0 default && ip netns exec b ethtool -L $VF0 combined 2"
got=$(measure); want=$(predict $ALL)
t_eq "default table on 2 channels: counts match the reference" "$want" "$got"
t_ok "VF0 still answers" ping_ok a 192.0.2.2

dp_teardown
sim_del 0
t_eq "allocs 0 after deleting the adapter" 0 "$(allocs)"
drv_unload
done_testing
