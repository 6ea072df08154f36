#!/bin/bash
# vm-opts: -t 900
# 33-dp-robust.sh - reconfiguration under load: UDP floods PF->VF0 and
# VF0->PF plus a fast ping PF->VF1 keep running while ethtool -L (VF and
# PF), ethtool -G, VF link down/up, sriov_numvfs 0 (and back) and finally
# rmmod vfmp happen; traffic resumes after each change, and everything is
# freed (allocs 0) with no kernel warning (the harness checks dmesg).
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

rings() { nx "$1" ethtool -g "$2" | awk '/^Current/ { c = 1 } c && /^(RX|TX):/ { printf "%s%s", s, $2; s = " " }'; }
vfrx() { est_sum b "$VF0" 'rx_queue_[0-9]+_packets'; }
cfg_vfs() { [[ -n $VF0 && -n $VF1 ]] && _dp_cfg b "$VF0" 192.0.2.2 && _dp_cfg c "$VF1" 192.0.2.3; }
load_start() {
	bg_start f0 a python3 -c "$UDP_FLOOD_PY" 192.0.2.2
	bg_start f1 b python3 -c "$UDP_FLOOD_PY" 192.0.2.1
	bg_start p1 a ping -q -i 0.002 192.0.2.3
}

dp_setup "0 4 2" 2 || bail_out "datapath setup failed"
pass "PF in a, VF0 in b, VF1 in c"
t_ok "baseline ping PF -> VF0" ping_ok a 192.0.2.2

# ---- a device that overstates a received frame's length ----------------
# (the next RX write-back on the adapter claims the buffer's size + 1: the
# driver must not hand that memory to the stack or XDP)
lenerr() { echo $(( $(est_sum a "$PF" 'rx_queue_[0-9]+_len_errors') + $(est_sum b "$VF0" 'rx_queue_[0-9]+_len_errors') + $(est_sum c "$VF1" 'rx_queue_[0-9]+_len_errors') )); }
le0=$(lenerr)
dmesg_mark
echo 1 > "$(sim_dbg 0 rx_bad_len)"
nx a ping -q -c 3 -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1
t_eq "a write-back longer than the buffer is dropped and counted once (len_errors)" 1 $(($(lenerr) - le0))
t_match "the driver says so" 'frame length [0-9]+ beyond the [0-9]+-byte buffer, dropped' "$(dmesg_since_mark vfmp)"
t_eq "the knob is spent" 0 "$(cat "$(sim_dbg 0 rx_bad_len)")"
t_eq "rx_length_errors in the netdev stats (all three ports)" 1 \
	$(( $(nx a cat /sys/class/net/"$PF"/statistics/rx_length_errors) + $(nx b cat /sys/class/net/"$VF0"/statistics/rx_length_errors) + $(nx c cat /sys/class/net/"$VF1"/statistics/rx_length_errors) ))
t_ok "VF0 still receives" ping_ok a 192.0.2.2
dmesg_mark

load_start
r0=$(vfrx); sleep 6; r1=$(vfrx)
t_ok "VF0 is under load (rx_queue packets $r0 -> $r1)" test $((r1 - r0)) -gt 200

t_ok "VF0 ethtool -L combined 1 under load" nx b ethtool -L "$VF0" combined 1
t_ok "traffic resumes (PF -> VF0)" ping_ok a 192.0.2.2
t_ok "VF0 ethtool -L combined 2 under load" nx b ethtool -L "$VF0" combined 2
t_ok "traffic resumes" ping_ok a 192.0.2.2
t_ok "PF ethtool -L combined 1 then 2 under load" \
	sh -c "ip netns exec a ethtool -L $PF combined 1 && ip netns exec a ethtool -L $PF combined 2"
t_ok "traffic resumes (VF0 -> PF)" ping_ok b 192.0.2.1

t_ok "VF0 ethtool -G rx 256 tx 256 under load" nx b ethtool -G "$VF0" rx 256 tx 256
t_eq "rings are 256/256" "256 256" "$(rings b "$VF0")"
t_ok "traffic resumes" ping_ok a 192.0.2.2
t_ok "VF0 ethtool -G rx 512 tx 512 (back)" nx b ethtool -G "$VF0" rx 512 tx 512
t_eq "rings are 512/512" "512 512" "$(rings b "$VF0")"
t_ok "traffic resumes" ping_ok a 192.0.2.2

t_ok "VF0 link down under load" nx b ip link set "$VF0" down
t_ok "PF -> VF0 fails while it is down" ping_no a 192.0.2.2
t_ok "VF0 link up" nx b ip link set "$VF0" up
t_ok "traffic resumes" ping_ok a 192.0.2.2
r0=$(vfrx); sleep 3; r1=$(vfrx)
t_ok "the flood reaches VF0 again ($r0 -> $r1)" test $((r1 - r0)) -gt 100
t_ok "VF1 still answers the fast ping" ping_ok a 192.0.2.3

t_eq "sriov_numvfs 0 with both VFs under load" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 0)"
t_eq "the VF devices are gone" "" "$(ls -d "$(dev_path sim0-vf0)" "$(dev_path sim0-vf1)" 2>/dev/null)"
t_match "PF netdev still up" 'state UP|LOWER_UP' "$(nx a ip link show "$PF")"
t_eq "sriov_numvfs 2 again" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
dp_vf_names
t_ok "new VF netdevs ($VF0 $VF1) configured in b and c" cfg_vfs
t_ok "traffic resumes to the new VF0" ping_ok a 192.0.2.2
t_ok "and to the new VF1" ping_ok a 192.0.2.3
log=$(dmesg_since_mark)
t_fail "no VF reset left unacknowledged, no event lost" grep -Eq 'did not acknowledge|not told of the change' <<<"$log"

r0=$(vfrx); sleep 2; r1=$(vfrx)
diag "VF0 rx before rmmod: $r0 -> $r1"
t_ok "rmmod vfmp under load" rmmod vfmp
for k in f0 f1 p1; do bg_stop $k; done
dp_teardown
t_ok "delete the adapter" sim_del 0
t_eq "allocs 0" 0 "$(allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
