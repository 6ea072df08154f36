#!/bin/bash
# bench.sh - in-guest receive benchmark: vfmp VF vs veth, side by side.
# Run by tests/bench/run.sh (make bench) inside a run-vm.sh guest.
#
# pktgen (64-byte UDP, clone_skb 0 for both, to a closed port) sends from
# the PF into VF0, and from one veth end into the other; packets are
# counted with the receivers' own counters (ethtool -S / /proc/net/dev)
# over BENCH_SECS seconds after a 1 s warm-up, BENCH_ROUNDS times, cases
# interleaved so host load hits both sides alike:
#   xdp   XDP_DROP on the receiver (vfmp: rx_queue_N_xdp_drop,
#         veth: rx_queue_0_xdp_drops)
#   skb   no XDP, the stack drops the packets at the closed UDP port
#         (vfmp: rx_queue_N_packets, veth: rx_packets)
#   xdp32 XDP_DROP again with pktgen "burst 32" (xmit_more: one TX doorbell
#         per 32 frames on vfmp; veth has no doorbell)
#   scale vfmp XDP_DROP, VF0 with 1 vs 2 channels; 2 pktgen threads
#         (one per vCPU) with 64 UDP source ports each for 2 channels
#   cost  what watching VF0's queue costs: nothing attached, vfmprss,
#         vfmprss -N (frames only), vfmprss -P -x (poll times and XDP
#         verdicts), bcc's netqtop (when
#         installed: bpfcc-tools), interleaved and rotated per round, skb
#         path and XDP_DROP; each tool's start-up (launch to first
#         per-queue report) and its programs' own time per frame
#         (kernel.bpf_stats_enabled); BENCH_TOOLS=0 skips.  The same on
#         igb: BENCH_ONLY=igb (tests/bench/bench-igb.sh)
# Environment: BENCH_SECS (5), BENCH_ROUNDS (2), BENCH_PERF=1 adds a
# `perf record` profile of the vfmp XDP_DROP case (to $VFMP_VM_ARTIFACTS).
set -u
# shellcheck source=tests/bench/benchlib.sh
source "$(dirname "$0")/benchlib.sh"
# shellcheck source=tests/vm/drvlib.sh
source tests/vm/drvlib.sh
# shellcheck source=tests/bench/xdplib.sh
source tests/bench/xdplib.sh

modprobe pktgen || die "no pktgen"
xdp_env_up 2 || die "vfmp setup failed"
ip netns add va && ip netns add vb || die "netns"
ip -n va link add ve0 type veth peer name ve1 netns vb || die "veth"
ip -n va addr add 198.51.100.1/24 dev ve0 && ip -n va link set ve0 up
ip -n vb addr add 198.51.100.2/24 dev ve1 && ip -n vb link set ve1 up
ip -n va link set lo up; ip -n vb link set lo up
VE1_MAC=$(ip -n vb -br link show ve1 | awk '{print $3}')
sleep 1

# ---- pktgen (per netns: /proc/net/pktgen is the caller's netns')
vf_xdp_drop() { est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_drop'; }
vf_rx() { est_sum b "$VF0" 'rx_queue_[0-9]+_packets'; }
ve_xdp_drop() { est_sum vb ve1 'rx_queue_[0-9]+_xdp_drops'; }
udp_noports() { in_ns "$1" awk '/^Udp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "NoPorts") c = i } else print $c }' /proc/net/snmp; }
ve_rx() { in_ns vb awk '$1 == "ve1:" {print $2}' /proc/net/dev; }
# skb path: what the receiving stack processed (dropped at the closed
# port), the same measure on both sides; a device's rx counter would
# count frames veth accepted into a backlog that then overflows.
vf_udp() { udp_noports b; }
ve_udp() { udp_noports vb; }
vf_nobuf() { est_sum b "$VF0" 'hw_queue_[0-9]+_rx_no_buffer'; }

case_vfmp() { # MODE(xdp|skb)
	if [[ $1 == xdp ]]; then xdp_attach b "$VF0" xdp_drop || die "attach"; fi
	pg_setup a "$PF" 192.0.2.2 "$VF0_MAC" 1
	if [[ $1 == xdp ]]; then add vfmp_xdp$BURST_TAG "$(measure a vf_xdp_drop)"
	else
		local r0; r0=$(vf_rx)
		add vfmp_skb "$(measure a vf_udp)"
		echo "    (vfmp rx_queue packets +$(( $(vf_rx) - r0 )) in the whole run)" >&2
	fi
	[[ $1 == xdp ]] && xdp_detach b "$VF0"
}

case_veth() {
	if [[ $1 == xdp ]]; then xdp_attach vb ve1 xdp_drop || die "attach veth"; fi
	pg_setup va ve0 198.51.100.2 "$VE1_MAC" 1
	if [[ $1 == xdp ]]; then add veth_xdp$BURST_TAG "$(measure va ve_xdp_drop)"
	else
		local r0; r0=$(ve_rx)
		add veth_skb "$(measure va ve_udp)"
		echo "    (veth rx packets +$(( $(ve_rx) - r0 )) in the whole run, most dropped in the backlog)" >&2
	fi
	[[ $1 == xdp ]] && xdp_detach vb ve1
}

case_scale() { # NQ
	in_ns b ethtool -L "$VF0" combined "$1" || die "ethtool -L $1"
	sleep 1
	xdp_attach b "$VF0" xdp_drop || die "attach"
	pg_setup a "$PF" 192.0.2.2 "$VF0_MAC" "$1"
	local n0 n1 q
	n0=$(vf_nobuf)
	add "scale_$1q" "$(measure a vf_xdp_drop)"
	n1=$(vf_nobuf)
	for ((q = 0; q < $1; q++)); do
		echo "    q$q xdp_drop=$(est b "$VF0" rx_queue_${q}_xdp_drop)" >&2
	done
	echo "    rx_no_buffer +$((n1 - n0))" >&2
	xdp_detach b "$VF0"
}

echo "bench: ${SECS}s per measurement, $ROUNDS rounds, $(nproc) vCPUs" >&2
in_ns b ethtool -L "$VF0" combined 1 || die "ethtool -L 1"
sleep 1
# BENCH_ONLY=tools: only the cost of watching (the last part)
DP=1
[[ ${BENCH_ONLY:-} == tools ]] && DP=0
for ((r = 1; r <= ROUNDS * DP; r++)); do
	echo "round $r" >&2
	BURST=1 BURST_TAG=
	case_vfmp xdp; case_veth xdp; case_vfmp skb; case_veth skb
	# veth clears IFF_TX_SKB_SHARING, so pktgen has no burst mode on it
	BURST=32 BURST_TAG=32
	case_vfmp xdp
	BURST=1 BURST_TAG=
done
if [[ ${BENCH_PERF:-0} == 1 ]]; then
	xdp_attach b "$VF0" xdp_drop
	pg_setup a "$PF" 192.0.2.2 "$VF0_MAC" 1
	in_ns a sh -c 'echo start > /proc/net/pktgen/pgctrl' &
	sleep 1
	perf record -a -g -o "$OUT/perf-vfmp-xdp.data" -- sleep "$SECS" >/dev/null 2>&1
	in_ns a sh -c 'echo stop > /proc/net/pktgen/pgctrl'; wait
	perf report -i "$OUT/perf-vfmp-xdp.data" --no-children --sort symbol \
		--stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25 > "$OUT/perf-vfmp-xdp.txt"
	echo "perf profile (vfmp XDP_DROP, top symbols):" >&2
	cat "$OUT/perf-vfmp-xdp.txt" >&2
	xdp_detach b "$VF0"
	in_ns b ethtool -L "$VF0" combined 1
fi
for ((r = 1; r <= ROUNDS * DP; r++)); do
	echo "scaling round $r" >&2
	case_scale 1; case_scale 2
done

# ---- the cost of watching: vfmprss vs bcc's netqtop, same guest ----------
# Per round, interleaved: nothing attached, vfmprss attached, netqtop
# attached; 64-byte UDP into VF0's one queue, skb path and XDP_DROP.
# Start-up: from launch to the first per-queue report.
case_tool() { # none|vfmprss|vfmprss-N|vfmprss-Px|netqtop
	tool_up "$1" || { TOOLS=${TOOLS/ $1/}; return 0; }
	xdp_attach b "$VF0" xdp_drop || die "attach"
	pg_setup a "$PF" 192.0.2.2 "$VF0_MAC" 1
	addm "cost_xdp_$1" "$(measure a vf_xdp_drop)"
	xdp_detach b "$VF0"
	pg_setup a "$PF" 192.0.2.2 "$VF0_MAC" 1
	addm "cost_skb_$1" "$(measure a vf_udp)"
	tool_down
	unset BASE_IDS
}
TOOL_NS=b TOOL_DEV=$VF0
TOOLS="none vfmprss vfmprss-N vfmprss-Px"
[[ -n $NETQTOP ]] && TOOLS+=" netqtop"
if [[ ${BENCH_TOOLS:-1} == 1 ]]; then
	in_ns b ethtool -L "$VF0" combined 1
	tool_rounds case_tool
fi

declare -A M
for k in "${!RES[@]}"; do M[$k]=$(mean "${RES[$k]}"); done

{
if ((DP)); then
echo
echo "| case (64 B UDP, 1 RX queue unless noted) | vfmp VF (pps) | veth (pps) | vfmp/veth | goal |"
echo "|---|---:|---:|---:|---|"
echo "| XDP_DROP | ${M[vfmp_xdp]} | ${M[veth_xdp]} | $(ratio "${M[vfmp_xdp]}" "${M[veth_xdp]}") | >= 1.2 |"
echo "| skb path: dropped by the UDP stack at a closed port | ${M[vfmp_skb]} | ${M[veth_skb]} | $(ratio "${M[vfmp_skb]}" "${M[veth_skb]}") | >= 1.0 |"
echo "| XDP_DROP, pktgen burst 32 (xmit_more; veth has no burst) | ${M[vfmp_xdp32]} | - | - | - |"
echo
echo "| vfmp XDP_DROP scaling | pps | ratio |"
echo "|---|---:|---:|"
echo "| 1 queue, 1 pktgen thread | ${M[scale_1q]} | 1.00 |"
echo "| 2 queues, 2 pktgen threads (RSS) | ${M[scale_2q]} | $(ratio "${M[scale_2q]}" "${M[scale_1q]}") |"
fi
if [[ ${BENCH_TOOLS:-1} == 1 ]]; then
	echo
	tool_table "VF0's queue" "skb:skb XDP_DROP:xdp"
fi
echo
echo "per-round samples (pps):"
for k in vfmp_xdp veth_xdp vfmp_xdp32 vfmp_skb veth_skb scale_1q scale_2q \
	cost_skb_none cost_skb_vfmprss cost_skb_vfmprss-N cost_skb_vfmprss-Px cost_skb_netqtop \
	cost_xdp_none cost_xdp_vfmprss cost_xdp_vfmprss-N cost_xdp_vfmprss-Px cost_xdp_netqtop \
	ns_cost_skb_vfmprss ns_cost_skb_vfmprss-N ns_cost_skb_vfmprss-Px ns_cost_skb_netqtop \
	ns_cost_xdp_vfmprss ns_cost_xdp_vfmprss-N ns_cost_xdp_vfmprss-Px ns_cost_xdp_netqtop \
	start_vfmprss start_vfmprss-N start_vfmprss-Px start_netqtop; do
	echo "  $k:${RES[$k]:-}"
done
} | tee "$OUT/bench-table.md"

ip netns del va; ip netns del vb
xdp_env_down
exit 0
