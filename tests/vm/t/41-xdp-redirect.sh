#!/bin/bash
# 41-xdp-redirect.sh - XDP_REDIRECT out of VF0 through a devmap into another
# function's ndo_xdp_xmit: VF0 -> VF1 and VF0 -> PF.  The program turns an
# ICMP echo request into the reply, sets the source MAC to the egress
# function's (the switch's spoof check) and redirects it, so the pinger gets
# its answer only if the frame really left through the other function.
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
t_ok "bpftool loads and pins the programs and maps" bpffs_load
M=$XDP_PIN/m
t_ok "xdp_redir_echo attached natively to VF0 (pinned)" \
	ip -n b link set dev "$VF0" xdpdrv pinned "$XDP_PIN/p/xdp_redir_echo"
echos() { in_ns "$1" awk '/^Icmp:/ { if (!c) { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i } else print $c }' /proc/net/snmp; }
rd() { est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_redirect'; }

# ---- VF0 -> VF1: the reply leaves VF1 for the PF (dmac = PF)
t_ok "redir_cfg: smac = VF1" bpftool map update pinned $M/redir_cfg \
	key 0 0 0 0 value $(mac_bytes "$VF1_MAC") 0 0
t_ok "tx_port[0] = VF1 (ifindex $VF1_IDX in netns c)" in_ns c bpftool map update \
	pinned $M/tx_port key 0 0 0 0 value $(u32_bytes "$VF1_IDX")
r0=$(rd) x0=$(est_sum c "$VF1" 'tx_queue_[0-9]+_xdp_xmit')
h0=$(est c "$VF1" hw_port_tx_packets) p0=$(est_sum a "$PF" 'rx_queue_[0-9]+_packets')
e0=$(echos b)
t_ok "VF0->VF1: ping PF -> VF0 answered through VF1" in_ns a ping -c 5 -i 0.2 -W 2 192.0.2.2
r1=$(rd) x1=$(est_sum c "$VF1" 'tx_queue_[0-9]+_xdp_xmit')
h1=$(est c "$VF1" hw_port_tx_packets) p1=$(est_sum a "$PF" 'rx_queue_[0-9]+_packets')
e1=$(echos b)
t_eq "VF0 rx_queue_N_xdp_redirect grew by >= 5" 1 "$(( r1 - r0 >= 5 ))"
t_eq "VF1 tx_queue_N_xdp_xmit grew by the same" "$(( r1 - r0 ))" "$(( x1 - x0 ))"
t_eq "VF1's switch port sent them (hw_port_tx_packets)" 1 "$(( h1 - h0 >= 5 ))"
t_eq "the PF received them" 1 "$(( p1 - p0 >= 5 ))"
t_eq "VF0's stack saw no echo" "$e0" "$e1"
t_eq "VF1 spoof check passed (hw_port_tx_spoofed 0)" 0 "$(est c "$VF1" hw_port_tx_spoofed)"
t_ok "VF0->VF1: 300 flood pings" in_ns a ping -f -c 300 -W 2 192.0.2.2

# ---- VF0 -> PF: the reply leaves the PF for VF1 (dmac = VF1)
t_ok "redir_cfg: smac = PF" bpftool map update pinned $M/redir_cfg \
	key 0 0 0 0 value $(mac_bytes "$PF_MAC") 0 0
t_ok "tx_port[0] = PF (ifindex $PF_IDX in netns a)" in_ns a bpftool map update \
	pinned $M/tx_port key 0 0 0 0 value $(u32_bytes "$PF_IDX")
r0=$(rd) x0=$(est_sum a "$PF" 'tx_queue_[0-9]+_xdp_xmit')
v0=$(est_sum c "$VF1" 'rx_queue_[0-9]+_packets') e0=$(echos b)
t_ok "VF0->PF: ping VF1 -> VF0 answered through the PF" in_ns c ping -c 5 -i 0.2 -W 2 192.0.2.2
r1=$(rd) x1=$(est_sum a "$PF" 'tx_queue_[0-9]+_xdp_xmit')
v1=$(est_sum c "$VF1" 'rx_queue_[0-9]+_packets') e1=$(echos b)
t_eq "VF0 rx_queue_N_xdp_redirect grew by >= 5" 1 "$(( r1 - r0 >= 5 ))"
t_eq "PF tx_queue_N_xdp_xmit grew by the same" "$(( r1 - r0 ))" "$(( x1 - x0 ))"
t_eq "VF1 received them" 1 "$(( v1 - v0 >= 5 ))"
t_eq "VF0's stack saw no echo" "$e0" "$e1"

# ---- an empty devmap slot: bpf_redirect_map falls back to XDP_ABORTED
t_ok "tx_port[0] deleted" bpftool map delete pinned $M/tx_port key 0 0 0 0
a0=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_aborted')
t_fail "ping fails with no egress" in_ns c ping -c 3 -i 0.3 -W 1 192.0.2.2
a1=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_aborted')
t_eq "counted as xdp_aborted" 1 "$(( a1 - a0 >= 3 ))"
t_ok "detach" ip -n b link set dev "$VF0" xdpdrv off
t_ok "teardown: namespaces, adapter, modules" xdp_env_down
done_testing
