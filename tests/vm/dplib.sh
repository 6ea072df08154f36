#!/bin/bash
# dplib.sh - guest-side helpers for the vfmp datapath tests (tests/vm/t/3*.sh,
# and with xdplib.sh tests/vm/t/4*.sh and tests/bench/bench.sh).
# Source after lib.sh and drvlib.sh.
#
#   dp_setup "ID VFS QPS" NUMVFS [v6|ll]
#                 load the modules, create the adapter, enable NUMVFS VFs and
#                 put the PF in netns a (192.0.2.1/24), VF0 in b (.2), VF1 in
#                 c (.3); with "v6" also 2001:db8::1..3/64 (nodad), with "ll"
#                 IPv6 is left as it is (link-local addresses only), else IPv6
#                 is disabled on the three netdevs (no RS/MLD/ND noise).
#                 Sets PF, VF0, VF1 (netdev names).
#   dp_netns      (re)create netns a b c and configure PF/VF0/VF1 in them
#   dp_vf_names   set VF0, VF1 from sim0-vf0/sim0-vf1 (after re-enabling VFs)
#   dp_teardown   stop background loads, delete netns a b c
#   nx NS cmd...  ip netns exec NS cmd... (also remounts /sys for NS)
#   in_ns NS cmd...       run cmd in netns NS without touching mounts
#   ping_ok NS DST        2 replies within 8 s (retries until then)
#   ping_no NS DST        no reply to 2 pings (1 s each)
#   est NS DEV NAME       one ethtool -S counter (empty if missing)
#   est_sum NS DEV ERE    sum of the ethtool -S counters whose whole name
#                         matches ERE (0 if none)
#   vfstat NS PF VF DIR FIELD   per-VF stats of `ip -s -j link show PF`
#                         (DIR rx|tx, FIELD packets|bytes|dropped)
#   iperf NS_SRV NS_CLI DST [iperf3 client args...]
#                         one iperf3 run (-t 2 unless given), prints the
#                         receiver's Mbit/s as an integer (empty on failure)
#   allocs                /sys/kernel/debug/vfmp_sim/allocs
#   bg_start NAME NS cmd... / bg_stop NAME    background load, by its pid
#   UDP_FLOOD_PY          python UDP load generator (see below)

declare -A _BG=()
PF="" VF0="" VF1=""

nx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
in_ns() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }

ping_ok() { nx "$1" ping -q -c 2 -i 0.2 -w 8 "$2" >/dev/null 2>&1; }
ping_no() { ! nx "$1" ping -q -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1; }

est() { in_ns "$1" ethtool -S "$2" 2>/dev/null | awk -v n="$3:" '$1 == n { print $2 }'; }

est_sum() {
	in_ns "$1" ethtool -S "$2" 2>/dev/null |
		awk -v re="^($3)\$" '{ k = $1; sub(/:$/, "", k) } k ~ re { s += $2 } END { print s + 0 }'
}

# est_sums NS DEV RE...: one sum per regex, all from one ethtool -S
# snapshot, so counters the driver updates together stay consistent with
# each other even while stray frames arrive between two reads.
est_sums() {
	local ns=$1 dev=$2
	shift 2
	in_ns "$ns" ethtool -S "$dev" 2>/dev/null | awk -v res="$*" '
		BEGIN { n = split(res, re, " ") }
		{ k = $1; sub(/:$/, "", k); for (i = 1; i <= n; i++) if (k ~ "^(" re[i] ")$") s[i] += $2 }
		END { for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " " : ""), s[i]; print "" }'
}

vfstat() { # NS PF VF rx|tx FIELD
	nx "$1" ip -s -j link show "$2" 2>/dev/null | python3 -c '
import json, sys
vf, d, f = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for v in json.load(sys.stdin)[0].get("vfinfo_list", []):
    if v.get("vf") == vf:
        st = v["stats"][d]  # iproute2 names tx fields tx_packets...
        print(st.get(f, st.get(d + "_" + f, "")))' "$3" "$4" "$5"
}

allocs() { cat /sys/kernel/debug/vfmp_sim/allocs; }

# iperf NS_SRV NS_CLI DST [client args] -> receiver Mbit/s (integer)
iperf() {
	local srv=$1 cli=$2 dst=$3 pidf=/tmp/iperf3-$1.pid js; shift 3
	nx "$srv" iperf3 -s -1 -D -I "$pidf" >/dev/null 2>&1
	wait_for 5 sh -c "ip netns exec $srv ss -ltn | grep -q ':5201 '"
	js=$(timeout 40 ip netns exec "$cli" iperf3 -c "$dst" -t 2 -J "$@" 2>/dev/null)
	[[ -f $pidf ]] && kill "$(cat "$pidf")" 2>/dev/null
	sleep 0.2
	python3 -c '
import json, sys
try:
    e = json.loads(sys.argv[1])["end"]
except Exception:
    sys.exit(0)
s = e.get("sum_received")
if s is None and "sum" in e:
    s = dict(e["sum"])
    s["bits_per_second"] *= 1 - s.get("lost_percent", 0) / 100.0
if s:
    print(int(s["bits_per_second"] / 1e6))' "$js"
}

bg_start() { # NAME NS cmd...
	local name=$1 ns=$2; shift 2
	ip netns exec "$ns" "$@" >/dev/null 2>&1 &
	_BG[$name]=$!
}

bg_stop() {
	local p=${_BG[$1]:-}
	[[ -n $p ]] || return 0
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	unset "_BG[$1]"
	return 0
}

# python UDP sender that ignores errors (ENETDOWN, ENOBUFS, a vanished
# device), ~10 datagrams per 2 ms at most:
#   bg_start NAME NS python3 -c "$UDP_FLOOD_PY" DST [PORT]
# shellcheck disable=SC2034 # used by the test files
UDP_FLOOD_PY='
import socket, sys, time
dst = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 9
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
buf = b"x" * 1000
while True:
    for _ in range(10):
        try:
            s.sendto(buf, (dst, port))
        except OSError:
            pass
    time.sleep(0.002)'

_dp_cfg() { # NS DEV V4 V6
	local ns=$1 dev=$2
	ip link set "$dev" netns "$ns" || return 1
	if [[ $_DP_V6 == v6 ]]; then
		nx "$ns" ip addr add "$4/64" dev "$dev" nodad || return 1
	elif [[ $_DP_V6 != ll ]]; then
		nx "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || return 1
	fi
	nx "$ns" ip addr add "$3/24" dev "$dev" || return 1
	nx "$ns" ip link set "$dev" up
}

dp_netns() {
	local ns
	for ns in a b c; do ip netns add $ns 2>/dev/null; nx $ns ip link set lo up; done
	_dp_cfg a "$PF" 192.0.2.1 2001:db8::1 || return 1
	[[ -n $VF0 ]] && { _dp_cfg b "$VF0" 192.0.2.2 2001:db8::2 || return 1; }
	[[ -n $VF1 ]] && { _dp_cfg c "$VF1" 192.0.2.3 2001:db8::3 || return 1; }
	return 0
}

dp_vf_names() { # the VFs' netdevs appear with their devices; wait for them
	VF0="" VF1=""
	[[ -e $(dev_path sim0-vf0) ]] && VF0=$(wait_netdev sim0-vf0)
	[[ -e $(dev_path sim0-vf1) ]] && VF1=$(wait_netdev sim0-vf1)
	return 0
}

dp_setup() { # "ID VFS QPS" NUMVFS [v6|ll]
	_DP_V6=${3:-}
	drv_load || return 1
	sim_new "$1" || return 1
	PF=$(wait_netdev sim0-pf) || return 1
	write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" "$2" >/dev/null || return 1
	dp_vf_names
	dp_netns
}

dp_teardown() {
	local k
	for k in "${!_BG[@]}"; do bg_stop "$k"; done
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	ip netns del c 2>/dev/null
	sleep 0.5
}
