#!/bin/bash
# bench-igb.sh - the cost of watching a real driver's receive queue: the
# in-tree igb on QEMU's 82576 (run by tests/bench/run.sh with
# BENCH_ONLY=igb, in a guest with two igb ports on one QEMU hub).
#
# pktgen sends 64-byte UDP from the second port (netns a) to a closed port
# on the first (netns b), one flow, so one RX queue carries it; the rate
# is what the receiving stack processed (Udp NoPorts), over BENCH_SECS
# after a 1 s warm-up.  Per round, interleaved and rotated: nothing
# attached, vfmprss, vfmprss -N, vfmprss -P -x, bcc's netqtop (when it builds for the
# running kernel); each tool's own BPF time per frame from bpf_stats.
set -u
# shellcheck source=tests/bench/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
PCI=/sys/bus/pci/devices

netdev_of() { ls "$1/net" 2>/dev/null | head -n 1; }

modprobe pktgen || die "no pktgen"
modprobe igb || die "no igb"
wait_for 30 test -n "$(netdev_of $PCI/0000:00:0c.0)" || die "no second igb port"
RX=$(netdev_of $PCI/0000:00:08.0) TX=$(netdev_of $PCI/0000:00:0c.0)
ip netns add a && ip netns add b || die "netns"
ip link set "$TX" netns a && ip link set "$RX" netns b || die "netns move"
for ns in a b; do in_ns $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; in_ns $ns ip link set lo up; done
in_ns a ip addr add 192.0.2.1/24 dev "$TX"
in_ns b ip addr add 192.0.2.2/24 dev "$RX"
in_ns a ip link set "$TX" up
in_ns b ip link set "$RX" up
carriers() { echo "$(nx a cat /sys/class/net/"$TX"/carrier)$(nx b cat /sys/class/net/"$RX"/carrier)"; }
wait_eq 60 11 carriers || die "no carrier on the igb ports"
RX_MAC=$(nx b cat /sys/class/net/"$RX"/address)
echo "bench: igb $RX (netns b) <- $TX (netns a), ${SECS}s per measurement, $ROUNDS rounds, $(nproc) vCPUs" >&2

rx_udp() { in_ns b awk '/^Udp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "NoPorts") c = i } else print $c }' /proc/net/snmp; }
rxq() { est_sum b "$RX" 'rx_queue_[0-9]+_packets'; }

case_igb() { # none|vfmprss|vfmprss-N|vfmprss-Px|netqtop
	local q0
	tool_up "$1" || { TOOLS=${TOOLS/ $1/}; return 0; }
	pg_setup a "$TX" 192.0.2.2 "$RX_MAC" 1
	q0=$(rxq)
	addm "cost_skb_$1" "$(measure a rx_udp)"
	echo "    (igb rx_queue_N_packets +$(( $(rxq) - q0 )) over the run)" >&2
	tool_down
	unset BASE_IDS
}
# shellcheck disable=SC2034 # TOOL_NS/TOOL_DEV: read by benchlib.sh
TOOL_NS=b TOOL_DEV=$RX
TOOLS="none vfmprss vfmprss-N vfmprss-Px"
[[ -n $NETQTOP ]] && TOOLS+=" netqtop"
tool_rounds case_igb

{
echo
tool_table "igb's queue" "skb:skb"
echo
echo "per-round samples:"
for k in $(printf '%s\n' "${!RES[@]}" | sort); do echo "  $k:${RES[$k]}"; done
} | tee "$OUT/bench-table.md"
ip netns del a; ip netns del b
exit 0
