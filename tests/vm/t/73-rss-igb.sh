#!/bin/bash
# vm-opts: --igb 2 -t 600
# 73-rss-igb.sh - vfmprss on a real driver: the in-tree igb on QEMU's
# 82576 (which spreads by RSS with the RETA and key the driver programs).
# Flows from the second igb over the hub: per-queue frames equal the
# driver's ethtool -S deltas, the table is the device's, every frame is on
# table[hash % 128], the XDP verdicts of a native program on igb are counted
# per queue, and an `ethtool -X` moves the load where the tool says.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"
# shellcheck source=tests/vm/rsslib.sh
source "$(dirname "$0")/../rsslib.sh"

OUT=$VFMP_VM_ARTIFACTS
XDP_OBJ=bpf/xdp_test.bpf.o
PCI=/sys/bus/pci/devices
netdev_of() { ls "$1/net" 2>/dev/null | head -n 1; }

t_ok "modprobe igb" modprobe igb
t_ok "both PFs have a netdev" wait_for 30 test -n "$(netdev_of $PCI/0000:00:0c.0)"
RX=$(netdev_of $PCI/0000:00:08.0) TX=$(netdev_of $PCI/0000:00:0c.0)
ip netns add a && ip netns add b
ip link set "$TX" netns a && ip link set "$RX" netns b
for ns in a b; do nx $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; nx $ns ip link set lo up; done
nx b sysctl -qw "net.ipv6.conf.$RX.disable_ipv6=1"
nx a sysctl -qw "net.ipv6.conf.$TX.disable_ipv6=1"
nx a ip addr add 192.0.2.1/24 dev "$TX"
for i in $(seq 32 63); do nx a ip addr add 192.0.2.$i/24 dev "$TX"; done
nx b ip addr add 192.0.2.2/24 dev "$RX"
nx a ip link set "$TX" up
nx b ip link set "$RX" up
carriers() { echo "$(nx a cat /sys/class/net/"$TX"/carrier)$(nx b cat /sys/class/net/"$RX"/carrier)"; }
t_ok "both igb ports get carrier" wait_eq 60 11 carriers
nx a ip neigh replace 192.0.2.2 lladdr "$(nx b cat /sys/class/net/"$RX"/address)" dev "$TX" nud permanent
nx b ip neigh replace 192.0.2.1 lladdr "$(nx a cat /sys/class/net/"$TX"/address)" dev "$RX" nud permanent
for i in $(seq 32 63); do
	nx b ip neigh replace 192.0.2.$i lladdr "$(nx a cat /sys/class/net/"$TX"/address)" dev "$RX" nud permanent
done
NQ=$(nx b sh -c "ls -d /sys/class/net/$RX/queues/rx-* | wc -l")
RSS_DEV=$RX
t_ok "igb runs $NQ RX queues (>= 2)" test "$NQ" -ge 2
# igb hashes UDP on the addresses alone by default: 32 sources differing in
# five bits of one octet then land on one queue whenever the five key bits
# they select are equal (1 boot in 32 with igb's random key). Hash the ports
# too, so each socket's random source port makes its own flow.
t_ok "ethtool -N $RX rx-flow-hash udp4 sdfn" nx b ethtool -N "$RX" rx-flow-hash udp4 sdfn

# one 64-byte datagram from each of 192.0.2.32..63 to each of 8 ports
send() {
	nx a python3 - <<'PY'
import socket
for i in range(32, 64):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.%d" % i, 0))
    for p in range(4000, 4008):
        s.sendto(b"x" * 64, ("192.0.2.2", p))
PY
}
# ---- per-queue counts on igb ----------------------------------------------------
window "$OUT/igb.json"
t_eq "vfmprss -j -d $RX 1 ran while 256 datagrams arrived" 0 "$?"
J=$OUT/igb.json
diag "driver: $(wdelta packets); tool: $(qsum "$J" 'q["rx_packets"]')"
t_eq "driver and bus from the device" "igb 0000:00:08.0" "$(jq_ "$J" '"%s %s" % (L[0]["driver"], L[0]["bus"])')"
t_eq "per-queue rx_packets equal igb's rx_queue_N_packets" "$(wdelta packets)" \
	"$(qsum "$J" 'q["rx_packets"]')"
t_eq "all 256 datagrams counted" 256 "$(jq_ "$J" 'sum(q["rx_packets"] for r in L for q in r["queues"])')"
t_ok "more than one queue carried them" test "$(jq_ "$J" 'sum(sum(r["queues"][i]["rx_packets"] for r in L) > 0 for i in range('"$NQ"'))')" -ge 2
t_eq "the table is igb's (ethtool -x), 128 entries" \
	"$(nx b ethtool -x "$RX" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) printf "%s ", $i}')" \
	"$(jq_ "$J" '" ".join(str(e) for e in L[0]["table"]["entries"]) + " "')"
t_eq "every frame arrived on table[hash % 128]" "1.0 128" \
	"$(jq_ "$J" '"%s %d" % (min(r["queue_match"] for r in L if r["queue_match"] is not None), L[0]["table"]["size"])')"
t_ok "igb's NAPI polls are seen" test "$(jq_ "$J" 'sum(q.get("polls", 0) for r in L for q in r["queues"])')" -gt 0

# ---- ethtool -X moves the load where the table says ------------------------------
t_ok "ethtool -X $RX weight 1 0 (every bucket to queue 0)" nx b ethtool -X "$RX" weight 1 0
window "$OUT/igb-q0.json"
J=$OUT/igb-q0.json
t_eq "the tool reads the new table: 128 entries on queue 0" 128 "$(jq_ "$J" 'L[0]["table"]["entries_per_queue"][0]')"
t_eq "and all 256 frames arrive on queue 0, as the driver counts" "256 $(cut -d' ' -f1 <<<"$(wdelta packets)")" \
	"$(jq_ "$J" '"%d %d" % ((sum(r["queues"][0]["rx_packets"] for r in L),) * 2)')"
t_eq "still all on the table" 1.0 "$(jq_ "$J" 'min(r["queue_match"] for r in L if r["queue_match"] is not None)')"
nx b ethtool -X "$RX" default

# ---- XDP on igb: verdicts per queue ----------------------------------------------
if nx b ip link set dev "$RX" xdpdrv obj "$XDP_OBJ" program xdp_drop 2>"$OUT/xdp.err"; then
	pass "a native XDP drop program on igb"
	RSS_ARGS=-x window "$OUT/igb-xdp.json"
		J=$OUT/igb-xdp.json
	diag "xdp: driver $(wdelta packets); tool $(qsum "$J" 'q["xdp"]["drop"]')"
	t_eq "per-queue XDP drops equal igb's per-queue frame counts" "$(wdelta packets)" \
		"$(qsum "$J" 'q["xdp"]["drop"]')"
	t_eq "none reached the stack" 0 "$(jq_ "$J" 'sum(q["rx_packets"] for r in L for q in r["queues"])')"
	nx b ip link set dev "$RX" xdp off
else
	fail "a native XDP drop program on igb" "$(cat "$OUT/xdp.err")"
fi

nx b ip link set "$RX" netns 1
nx a ip link set "$TX" netns 1
ip netns del a; ip netns del b
t_ok "rmmod igb (nothing holds it)" modprobe -r igb
done_testing
