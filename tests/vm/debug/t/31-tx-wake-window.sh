#!/bin/bash
# vm-opts: -t 600
# 31-tx-wake-window.sh - a reconfiguration's teardown must leave VF0's TX
# queues stopped until the restart.  The PF flood-pings VF0, whose XDP
# program answers with XDP_TX from NAPI (TX completions in every poll),
# and VF0 flood-pings the PF through the stack, while ethtool -L / -G and
# MTU changes restart VF0's datapath.  A BPF program
# (tests/vm/debug/bpf/hold.bpf.c) holds each napi_disable for 50 ms (TX
# queues stopped, the other queue pairs still polling) and each restart
# for 200 ms (rings freed), so a queue that a poll woke during the
# teardown is transmitted on after its rings are gone.  Without 61eb5ba
# (tx_live) this faults in vfmp_dp_xmit on the first change.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../../dplib.sh"
# shellcheck source=tests/bench/xdplib.sh
source "$(dirname "$0")/../../../bench/xdplib.sh"
# shellcheck source=tests/vm/debug/holdlib.sh
source "$(dirname "$0")/../holdlib.sh"

xdp_env_up 2 >/dev/null 2>&1
t_ok "adapter, 2 VFs, namespaces a/b/c (VF0=$VF0)" test -n "$VF0_IDX" || bail_out "no setup"
t_ok "the hold program attaches to napi_disable and vfmp_dp_open" hold_load hold
XDP_OBJ=$VFMP_REPO/bpf/xdp_test.bpf.o
t_ok "xdp_tx_echo on VF0" xdp_attach b "$VF0" xdp_tx_echo
bg_start fl a ping -f -q 192.0.2.2
bg_start vping b ping -f -q 192.0.2.1
t_ok "VF0 floods the PF" wait_for 20 sh -c "ip -n b -s link show $VF0 | awk '/TX:/ { getline; exit !(\$2 > 200) }'"
for step in "ethtool -L $VF0 combined 1" "ethtool -L $VF0 combined 2" \
	"ethtool -G $VF0 rx 256 tx 256" "ethtool -G $VF0 rx 512 tx 512" \
	"ip link set $VF0 mtu 1400" "ip link set $VF0 mtu 1500"; do
	# shellcheck disable=SC2086 # the step is a command line
	t_ok "$step, its restart held, under the flood" nx b $step
done
n=$(hold_var held)
t_ok "every restart was held (12 or more holds: $n)" test "$n" -ge 12
hold_unload hold
bg_stop vping
bg_stop fl
nx b ip link set "$VF0" xdpdrv off
t_ok "VF0 still reaches the PF" ping_ok b 192.0.2.1
dp_teardown
t_ok "delete the adapter" sim_del 0
drv_unload
done_testing
