#!/bin/bash
# 34-dp-reconfig-fail.sh - a channel or MTU change that cannot be applied
# (the PF's reply to the VF's RSS request is lost) fails with the error,
# leaves the old settings in place and the VF working.
# vm-opts: -t 600
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../drvlib.sh"

drv_load mbx_timeout_ms=300 || bail_out "cannot load modules"
sim_new "0 2 2"
write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1 >/dev/null
VF=$(dev_netdev sim0-vf0)
t_ok "VF up" ip link set "$VF" up
t_match "2 channels" 'Combined:\s+2' "$(ethtool -l "$VF" | tail -n 5)"

echo 1 > "$(sim_dbg 0 drop_mbx_reply)"
dmesg_mark
t_fail "ethtool -L 1 fails while the PF's reply is lost" ethtool -L "$VF" combined 1
t_match "the driver says it restored the settings" 'new settings failed \(-110\); restoring the previous ones' \
	"$(dmesg_since_mark vfmp)"
t_match "still 2 channels" 'Combined:\s+2' "$(ethtool -l "$VF" | tail -n 5)"
t_match "VF still up with carrier" 'LOWER_UP' "$(ip link show "$VF")"
t_eq "both queues run again" 2 "$(ethtool -S "$VF" | grep -c 'hw_queue_[01]_rx_packets')"

echo 1 > "$(sim_dbg 0 drop_mbx_reply)"
t_fail "MTU 2000 fails while the PF's reply is lost" ip link set "$VF" mtu 2000
t_eq "MTU unchanged" 1500 "$(cat /sys/class/net/"$VF"/mtu)"
t_match "VF still up with carrier" 'LOWER_UP' "$(ip link show "$VF")"

t_ok "with the mailbox healthy, ethtool -L 1 works" ethtool -L "$VF" combined 1
t_ok "and MTU 2000 too" ip link set "$VF" mtu 2000
sim_del 0
drv_unload
done_testing
