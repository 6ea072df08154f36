#!/bin/bash
# vm-opts: -t 900
# 30-dp-traffic.sh - datapath traffic through the simulated NIC switch:
# ping (IPv4 and IPv6) and iperf3 TCP/UDP in both directions PF<->VF and
# VF<->VF, the netdev (ip -s link), ethtool -S and per-VF counters that move
# with it, and `ip link show PF` listing every VF's switch port.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

dp_setup "0 4 2" 2 v6 || bail_out "datapath setup failed"
pass "PF in a, VF0 in b, VF1 in c, IPv4 and IPv6 addresses"

show=$(nx a ip link show "$PF")
t_match "ip link show PF lists vf 0 with its MAC and defaults" \
	'vf 0 +link/ether 02:56:46:01:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off' "$show"
t_match "ip link show PF lists vf 1" \
	'vf 1 +link/ether 02:56:46:02:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off' "$show"
t_eq "VF0 netdev has the switch port's MAC" 02:56:46:01:00:00 "$(nx b cat /sys/class/net/"$VF0"/address)"

# counters before any traffic
vf0_tx0=$(vfstat a "$PF" 0 tx packets)
vf1_rx0=$(vfstat a "$PF" 1 rx packets)
e_rx0=$(est_sum b "$VF0" 'rx_queue_[0-9]+_packets')
e_tx0=$(est_sum b "$VF0" 'tx_queue_[0-9]+_packets')
hw_tx0=$(est b "$VF0" hw_port_tx_packets)
ip_rx0=$(nx b cat /sys/class/net/"$VF0"/statistics/rx_packets)

# ---- ping ------------------------------------------------------------
t_ok "ping PF -> VF0" ping_ok a 192.0.2.2
t_ok "ping PF -> VF1" ping_ok a 192.0.2.3
t_ok "ping VF0 -> PF" ping_ok b 192.0.2.1
t_ok "ping VF0 -> VF1" ping_ok b 192.0.2.3
t_ok "ping VF1 -> VF0" ping_ok c 192.0.2.2
t_ok "ping6 PF -> VF0 (2001:db8::2)" ping_ok a 2001:db8::2
t_ok "ping6 VF0 -> VF1" ping_ok b 2001:db8::3
t_ok "ping6 VF1 -> PF" ping_ok c 2001:db8::1
t_match "VF0 learned the PF's MAC over ARP (broadcast reached it)" \
	'lladdr 02:56:46:00:00:00' "$(nx b ip neigh show 192.0.2.1)"

# ---- iperf3 ----------------------------------------------------------
mb=$(iperf a b 192.0.2.1)
t_match "iperf3 TCP VF0 -> PF (${mb:-?} Mbit/s)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf a b 192.0.2.1 -R)
t_match "iperf3 TCP PF -> VF0 (${mb:-?} Mbit/s)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf a b 192.0.2.1 -u -b 20M)
t_match "iperf3 UDP VF0 -> PF at 20M (${mb:-?} Mbit/s received)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf a b 192.0.2.1 -u -b 20M -R)
t_match "iperf3 UDP PF -> VF0 at 20M (${mb:-?} Mbit/s received)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf c b 192.0.2.3)
t_match "iperf3 TCP VF0 -> VF1 (${mb:-?} Mbit/s)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf c b 192.0.2.3 -R)
t_match "iperf3 TCP VF1 -> VF0 (${mb:-?} Mbit/s)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf b c 192.0.2.2 -u -b 20M)
t_match "iperf3 UDP VF1 -> VF0 at 20M (${mb:-?} Mbit/s received)" '^[1-9][0-9]*$' "$mb"
mb=$(iperf a c 2001:db8::1 -u -b 10M)
t_match "iperf3 UDP over IPv6 VF1 -> PF (${mb:-?} Mbit/s received)" '^[1-9][0-9]*$' "$mb"

# ---- counters moved ---------------------------------------------------
e_rx1=$(est_sum b "$VF0" 'rx_queue_[0-9]+_packets')
e_tx1=$(est_sum b "$VF0" 'tx_queue_[0-9]+_packets')
hw_tx1=$(est b "$VF0" hw_port_tx_packets)
ip_rx1=$(nx b cat /sys/class/net/"$VF0"/statistics/rx_packets)
# iperf3 moves tens of thousands of frames on Debian's kernels, a few
# thousand on the debug kernel (KASAN): > 1000 says the counters followed
# the traffic on both; the equalities below are the exact checks
t_ok "ethtool -S VF0 rx_queue_N_packets grew by > 1000 ($e_rx0 -> $e_rx1)" test $((e_rx1 - e_rx0)) -gt 1000
t_ok "ethtool -S VF0 tx_queue_N_packets grew by > 1000 ($e_tx0 -> $e_tx1)" test $((e_tx1 - e_tx0)) -gt 1000
t_ok "VF0 hw_port_tx_packets grew ($hw_tx0 -> $hw_tx1)" test $((hw_tx1 - hw_tx0)) -gt 1000
t_ok "ip -s link VF0 rx_packets grew ($ip_rx0 -> $ip_rx1)" test $((ip_rx1 - ip_rx0)) -gt 1000
# both read the same counters; bracket one read with two of the other so
# a stray frame arriving between the reads cannot make them differ
ip_a=$(nx b cat /sys/class/net/"$VF0"/statistics/rx_packets)
e_mid=$(est_sum b "$VF0" 'rx_queue_[0-9]+_packets')
ip_b=$(nx b cat /sys/class/net/"$VF0"/statistics/rx_packets)
t_ok "netdev rx_packets == sum of rx_queue_N_packets ($ip_a <= $e_mid <= $ip_b)" \
	test "$ip_a" -le "$e_mid" -a "$e_mid" -le "$ip_b"
nz=$(nx b ethtool -S "$VF0" | grep -cE '^ +rx_queue_[0-9]+_packets: [1-9]')
t_ok "RSS spread VF0's received flows over more than one queue ($nz queues)" test "$nz" -ge 2
t_eq "no RX drops on VF0" 0 "$(est_sum b "$VF0" '(rx_queue_[0-9]+_drops|hw_queue_[0-9]+_rx_too_long)')"

vf0_tx1=$(vfstat a "$PF" 0 tx packets)
vf1_rx1=$(vfstat a "$PF" 1 rx packets)
t_ok "ip -s link show PF: vf 0 TX packets grew ($vf0_tx0 -> $vf0_tx1)" test $((vf0_tx1 - vf0_tx0)) -gt 1000
t_ok "ip -s link show PF: vf 1 RX packets grew ($vf1_rx0 -> $vf1_rx1)" test $((vf1_rx1 - vf1_rx0)) -gt 1000
hw=$(est b "$VF0" hw_port_tx_packets)
t_ok "per-VF stats agree with the VF's own hw_port_tx_packets (+-20)" \
	test $((vf0_tx1 > hw ? vf0_tx1 - hw : hw - vf0_tx1)) -le 20
txt=$(nx a ip -s link show "$PF")
t_match "ip -s link show PF prints per-VF RX/TX blocks" 'vf 1 [^
]*
 +RX: bytes +packets[^
]*
 +[1-9][0-9]* +[1-9]' "$txt"

# ---- teardown -------------------------------------------------------
dp_teardown
t_ok "delete the adapter (netdevs back in the init netns)" sim_del 0
t_eq "allocs 0 after deleting the adapter" 0 "$(allocs)"
t_ok "rmmod vfmp vfmp_sim" sh -c 'rmmod vfmp && rmmod vfmp_sim'
done_testing
