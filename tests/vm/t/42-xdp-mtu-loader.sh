#!/bin/bash
# 42-xdp-mtu-loader.sh - XDP refusals tied to the MTU (a frame must fit one
# page-sized RX buffer) and Debian's xdp-loader (libxdp) against a VF.
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
mtu() { ip -n b -o link show "$VF0" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'; }

# ---- MTU 9000 first: attaching is refused with an extack message
t_ok "VF0 takes MTU 9000" ip -n b link set dev "$VF0" mtu 9000
dmesg_mark
out=$(xdp_attach b "$VF0" xdp_pass 2>&1)
t_eq "native attach refused at MTU 9000" 1 "$([[ $? -ne 0 ]] && echo 1)"
t_match "extack: MTU too large for XDP" 'Error: vfmp: MTU too large for XDP' "$out"
t_match "kernel log names the limit" "$VF0: XDP needs MTU <= [0-9]+ \(now 9000\)" "$(dmesg_since_mark vfmp)"
XMAX=$(dmesg_since_mark vfmp | sed -n 's/.*XDP needs MTU <= \([0-9]*\).*/\1/p' | tail -1)
t_match "no program attached" '^$' "$(ip -n b link show "$VF0" | grep -o 'prog/xdp')"
t_fail "xdp-loader -m native refused too" in_ns b xdp-loader load -m native -n xdp_pass "$VF0" "$XDP_OBJ"

# ---- at the largest XDP MTU it attaches; one byte more is refused
t_ok "MTU $XMAX (the XDP maximum) set" ip -n b link set dev "$VF0" mtu "$XMAX"
t_ok "native attach at MTU $XMAX" xdp_attach b "$VF0" xdp_pass
dmesg_mark
t_fail "MTU $((XMAX + 1)) refused with XDP attached" ip -n b link set dev "$VF0" mtu $((XMAX + 1))
t_fail "MTU 9000 refused with XDP attached" ip -n b link set dev "$VF0" mtu 9000
t_eq "MTU unchanged" "$XMAX" "$(mtu)"
t_match "kernel log says why" "MTU 9000 too large with XDP attached \(max $XMAX\)" "$(dmesg_since_mark vfmp)"
t_ok "lowering the MTU (queue restart) keeps XDP" ip -n b link set dev "$VF0" mtu 1500
t_match "program still attached" 'prog/xdp id' "$(ip -n b link show "$VF0")"
p0=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_pass')
t_ok "ping PF -> VF0 after the restart" in_ns a ping -c 3 -i 0.2 -W 2 192.0.2.2
p1=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_pass')
t_eq "and XDP still runs (xdp_pass >= 3)" 1 "$(( p1 - p0 >= 3 ))"
t_ok "detach" xdp_detach b "$VF0"

# ---- xdp-loader (libxdp); it wants a bpffs at /sys/fs/bpf
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
t_ok "xdp-loader load -m native xdp_drop" in_ns b xdp-loader load -m native -n xdp_drop "$VF0" "$XDP_OBJ"
st=$(in_ns b xdp-loader status "$VF0" 2>&1)
t_match "xdp-loader status: xdp_drop in native mode" "$VF0 .*native.*
.*xdp_drop" "$st"
d0=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_drop')
t_fail "ping fails while loaded" in_ns a ping -c 3 -i 0.3 -W 1 192.0.2.2
d1=$(est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_drop')
t_eq "xdp_drop grew by >= 3" 1 "$(( d1 - d0 >= 3 ))"
t_ok "xdp-loader unload --all" in_ns b xdp-loader unload "$VF0" --all
t_match "xdp-loader status: nothing loaded" "$VF0 +<No XDP program loaded!>" "$(in_ns b xdp-loader status "$VF0" 2>&1)"
t_ok "ping works after unload" in_ns a ping -c 2 -i 0.2 -W 2 192.0.2.2
t_ok "teardown: namespaces, adapter, modules" xdp_env_down
diag "xdp-loader status was:" "$st"
done_testing
