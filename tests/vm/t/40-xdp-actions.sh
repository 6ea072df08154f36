#!/bin/bash
# 40-xdp-actions.sh - native XDP on a VF: PASS, DROP, TX and ABORTED, each
# checked by the driver's per-queue counters (ethtool -S) and by what
# arrives where (PF in netns a pings VF0 in netns b).
# vm-opts: -t 900
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"
# shellcheck source=tests/bench/xdplib.sh
source "$(dirname "$0")/../../bench/xdplib.sh"

[[ -f $XDP_OBJ ]] || bail_out "$XDP_OBJ missing: run make bpf"
xdp_env_up 2 >/dev/null 2>&1; t_ok "adapter, 2 VFs, namespaces a/b/c (VF0=$VF0)" test -n "$VF1_IDX" || bail_out "no setup"
t_ok "ping PF -> VF0 without XDP" in_ns a ping -c 2 -i 0.2 -W 2 192.0.2.2

rxsum() { est_sum b "$VF0" "rx_queue_[0-9]+_$1"; }
echos() { in_ns b awk '/^Icmp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i } else print $c }' /proc/net/snmp; }

# ---- PASS
t_ok "xdp_pass attaches in native mode (xdpdrv)" xdp_attach b "$VF0" xdp_pass
l=$(ip -n b link show "$VF0")
t_match "ip link shows a native XDP program" 'mtu [0-9]+ xdp .*prog/xdp id [0-9]+' "$l"
p0=$(rxsum xdp_pass) e0=$(echos)
t_ok "PASS: ping PF -> VF0 works" in_ns a ping -c 5 -i 0.2 -W 2 192.0.2.2
p1=$(rxsum xdp_pass) e1=$(echos)
t_eq "PASS: rx_queue_N_xdp_pass grew by >= 5" 1 "$(( p1 - p0 >= 5 ))"
t_eq "PASS: the VF0 stack answered the echoes" 1 "$(( e1 - e0 >= 5 ))"
t_ok "detach" xdp_detach b "$VF0"
t_match "no program left" '^[^p]*$' "$(ip -n b link show "$VF0" | grep -o 'prog/xdp')"

# ---- metadata: bpf_xdp_adjust_meta works and the skb path still does
t_ok "xdp_meta attaches" xdp_attach b "$VF0" xdp_meta
d0=$(rxsum xdp_drop) p0=$(rxsum xdp_pass)
t_ok "META: ping works (adjust_meta succeeded)" in_ns a ping -c 3 -i 0.2 -W 2 192.0.2.2
d1=$(rxsum xdp_drop) p1=$(rxsum xdp_pass)
t_eq "META: no frame dropped for want of metadata support" "$d0" "$d1"
t_eq "META: xdp_pass grew by >= 3" 1 "$(( p1 - p0 >= 3 ))"
t_ok "detach" xdp_detach b "$VF0"

# ---- DROP
t_ok "xdp_drop attaches" xdp_attach b "$VF0" xdp_drop
# one snapshot for both: a stray frame between two reads made them differ
read -r d0 r0 < <(est_sums b "$VF0" 'rx_queue_[0-9]+_xdp_drop' 'rx_queue_[0-9]+_packets'); e0=$(echos)
t_fail "DROP: ping PF -> VF0 fails" in_ns a ping -c 3 -i 0.3 -W 1 192.0.2.2
read -r d1 r1 < <(est_sums b "$VF0" 'rx_queue_[0-9]+_xdp_drop' 'rx_queue_[0-9]+_packets'); e1=$(echos)
t_eq "DROP: rx_queue_N_xdp_drop grew by >= 3" 1 "$(( d1 - d0 >= 3 ))"
t_eq "DROP: every received frame was dropped" "$(( r1 - r0 ))" "$(( d1 - d0 ))"
t_eq "DROP: the VF0 stack saw no echo" "$e0" "$e1"
t_match "DROP: counted in rx_dropped (ip -s link)" 'RX: .*
 +[0-9]+ +[0-9]+ +[0-9]+ +[1-9]' "$(ip -n b -s link show "$VF0")"
t_ok "detach" xdp_detach b "$VF0"
t_ok "ping works again" in_ns a ping -c 2 -i 0.2 -W 2 192.0.2.2

# ---- TX: echo request -> reply in XDP, bounced out of VF0 to the PF
t_ok "xdp_tx_echo attaches" xdp_attach b "$VF0" xdp_tx_echo
x0=$(rxsum xdp_tx) e0=$(echos) pr0=$(est_sum a "$PF" 'rx_queue_[0-9]+_packets')
t0=$(est_sum b "$VF0" 'tx_queue_[0-9]+_packets')
t_ok "TX: ping PF -> VF0 answered by the XDP program" in_ns a ping -c 5 -i 0.2 -W 2 192.0.2.2
x1=$(rxsum xdp_tx) e1=$(echos) pr1=$(est_sum a "$PF" 'rx_queue_[0-9]+_packets')
t1=$(est_sum b "$VF0" 'tx_queue_[0-9]+_packets')
t_eq "TX: rx_queue_N_xdp_tx grew by >= 5" 1 "$(( x1 - x0 >= 5 ))"
t_eq "TX: the VF0 stack saw no echo (XDP answered)" "$e0" "$e1"
t_eq "TX: the PF received >= 5 frames" 1 "$(( pr1 - pr0 >= 5 ))"
t_eq "TX: VF0 completed >= 5 transmits" 1 "$(( t1 - t0 >= 5 ))"
# a burst larger than the NAPI budget, with the stack's own TX interleaved
t_ok "TX: 200 flood pings answered" in_ns a ping -f -c 200 -W 2 192.0.2.2
t_ok "detach" xdp_detach b "$VF0"

# ---- ABORTED: counter and the xdp:xdp_exception tracepoint
TR=/sys/kernel/tracing
[[ -d $TR/events ]] || mount -t tracefs tracefs $TR
t_ok "xdp_aborted attaches" xdp_attach b "$VF0" xdp_aborted
pid=$(ip -n b -d link show "$VF0" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
# Stray IPv6/ARP frames can arrive at any time, and the driver traces a
# frame during the poll but adds it to the counter at the poll's end. So:
# counter before tracing starts, tracing stops before the counter is read,
# and the counter is read once it no longer moves. Then every traced frame
# is counted: n <= a1 - a0 holds whatever the stray traffic does.
a0=$(rxsum xdp_aborted)
echo 0 > $TR/tracing_on; : > $TR/trace
echo 1 > $TR/events/xdp/xdp_exception/enable; echo 1 > $TR/tracing_on
t_fail "ABORTED: ping PF -> VF0 fails" in_ns a ping -c 3 -i 0.3 -W 1 192.0.2.2
echo 0 > $TR/events/xdp/xdp_exception/enable
a1=$(rxsum xdp_aborted)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	sleep 0.1; a=$(rxsum xdp_aborted); [[ $a == "$a1" ]] && break; a1=$a
done
tr=$(grep xdp_exception $TR/trace)
t_eq "ABORTED: rx_queue_N_xdp_aborted grew by >= 3" 1 "$(( a1 - a0 >= 3 ))"
t_match "ABORTED: xdp:xdp_exception fired for VF0 with action=ABORTED" \
	"xdp_exception: prog_id=$pid action=ABORTED ifindex=$VF0_IDX" "$tr"
n=$(grep -c "ifindex=$VF0_IDX" <<<"$tr")
t_eq "ABORTED: a tracepoint hit per aborted frame (3 <= $n <= $(( a1 - a0 )))" 1 "$(( n >= 3 && n <= a1 - a0 ))"
t_ok "detach" xdp_detach b "$VF0"

# ---- generic XDP still works on top (the stack path, not the driver)
t_ok "generic mode attaches too" xdp_attach b "$VF0" xdp_pass xdpgeneric
t_ok "and detaches" ip -n b link set dev "$VF0" xdpgeneric off
t_ok "teardown: namespaces, adapter, modules" xdp_env_down
done_testing
