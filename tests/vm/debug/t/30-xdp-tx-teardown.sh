#!/bin/bash
# vm-opts: -t 900
# 30-xdp-tx-teardown.sh - XDP_TX while the rings it transmits on go away.
# The PF flood-pings VF0, whose XDP program (xdp_tx_echo) answers every
# echo from its NAPI poll with XDP_TX, so the TX rings are busy from NAPI
# and from the stack at once; meanwhile VF0's channels, rings, MTU and link
# change, its driver is unbound and bound again, SR-IOV is disabled, and
# finally vfmp is unloaded, all under the flood.  On the debug kernel a
# transmit on a freed ring, a queue woken after its teardown, or a leaked
# buffer is a KASAN, lockdep, WARNING or kmemleak report, which fails the
# file; here the flood must keep being answered after each change.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../../dplib.sh"
# shellcheck source=tests/bench/xdplib.sh
source "$(dirname "$0")/../../../bench/xdplib.sh"

[[ -f $XDP_OBJ ]] || bail_out "$XDP_OBJ missing: run make bpf"
xdp_env_up 2 >/dev/null 2>&1
t_ok "adapter, 2 VFs, namespaces a/b/c (VF0=$VF0)" test -n "$VF0_IDX" || bail_out "no setup"

xtx() { est_sum b "$VF0" 'rx_queue_[0-9]+_xdp_tx'; }
# the flood is answered: XDP_TX keeps counting, within 30 s
answered() {
	local x0
	x0=$(xtx)
	wait_for 30 sh -c "[ \$(ip netns exec b ethtool -S $VF0 | awk '/rx_queue_[0-9]+_xdp_tx:/ { s += \$2 } END { print s + 0 }') -gt $((x0 + 50)) ]"
}
flood() { bg_start fl a ping -f -q 192.0.2.2; }
# VF0's new netdev into b, addressed, up, with the program; flood it again
vf0_back() {
	VF0=$(wait_netdev sim0-vf0)
	t_ok "$1: VF0 ($VF0) in b with xdp_tx_echo" \
		sh -c "ip link set $VF0 netns b && ip -n b addr add 192.0.2.2/24 dev $VF0 && ip -n b link set $VF0 up && ip -n b link set dev $VF0 xdpdrv obj $XDP_OBJ program xdp_tx_echo"
	# the answered flood below is the check; this only gives the link time
	wait_for 30 sh -c "ip -n b -br link show $VF0 | grep -q ' UP '"
	flood
	t_ok "$1: the flood is answered" answered
}

t_ok "xdp_tx_echo attaches to VF0" xdp_attach b "$VF0" xdp_tx_echo
flood
t_ok "the PF's flood ping is answered by XDP_TX" answered

t_ok "ethtool -L combined 1 under XDP_TX" nx b ethtool -L "$VF0" combined 1
t_ok "answered again" answered
t_ok "ethtool -L combined 2" nx b ethtool -L "$VF0" combined 2
t_ok "answered again" answered
t_ok "ethtool -G rx 256 tx 256 under XDP_TX" nx b ethtool -G "$VF0" rx 256 tx 256
t_ok "answered again" answered
t_ok "ethtool -G rx 512 tx 512" nx b ethtool -G "$VF0" rx 512 tx 512
t_ok "answered again" answered
t_ok "MTU 1400 under XDP_TX" nx b ip link set "$VF0" mtu 1400
t_ok "answered again" answered
t_ok "MTU 1500" nx b ip link set "$VF0" mtu 1500
t_ok "link down under XDP_TX" nx b ip link set "$VF0" down
t_ok "link up" nx b ip link set "$VF0" up
t_ok "answered again" answered
t_ok "the program replaced under XDP_TX (xdp_pass, then xdp_tx_echo)" \
	sh -c "ip -n b link set dev $VF0 xdpdrv off && ip -n b link set dev $VF0 xdpdrv obj $XDP_OBJ program xdp_pass && ip -n b link set dev $VF0 xdpdrv off && ip -n b link set dev $VF0 xdpdrv obj $XDP_OBJ program xdp_tx_echo"
t_ok "answered again" answered

# the driver goes while NAPI transmits: unbind in netns b is not possible,
# the device's driver is unbound from the root namespace
t_eq "unbind VF0's driver under XDP_TX" OK "$(drv_unbind sim0-vf0)"
bg_stop fl
t_eq "bind it again" OK "$(drv_bind sim0-vf0)"
vf0_back "the new instance"

t_eq "sriov_numvfs 0 under XDP_TX" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 0)"
bg_stop fl
t_eq "sriov_numvfs 2 again" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
vf0_back "the re-enabled VF"
t_ok "rmmod vfmp under XDP_TX" rmmod vfmp
bg_stop fl
dp_teardown
t_ok "delete the adapter" sim_del 0
t_eq "allocs 0" 0 "$(allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
