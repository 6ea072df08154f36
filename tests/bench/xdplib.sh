#!/bin/bash
# xdplib.sh - guest-side helpers shared by the XDP VM tests
# (tests/vm/t/4*.sh) and the benchmark (tests/bench/bench.sh).
#
#   xdp_env_up [QPS]     insmod both modules, adapter "0 4 QPS" (2 default),
#                        2 VFs; PF in netns a (192.0.2.1), VF0 in b (.2),
#                        VF1 in c (.3); sets PF VF0 VF1 and their MACs
#                        PF_MAC VF0_MAC VF1_MAC and ifindexes PF_IDX ...
#   xdp_env_down         delete namespaces and the adapter, rmmod
#   in_ns NS cmd...      run cmd in netns NS without touching mounts
#                        (unlike `ip netns exec`, which remounts /sys)
#   est NS DEV NAME      one ethtool -S counter (0 if absent)
#   est_sum NS DEV RE    sum of the ethtool -S counters whose name matches RE
#   xdp_attach NS DEV PROG [xdpdrv|xdpgeneric]   ip link ... obj ... program
#   xdp_detach NS DEV
#   bpffs_load           bpftool prog loadall of the object, programs pinned
#                        under $XDP_PIN/p/<name>, maps under $XDP_PIN/m/<name>
#   mac_bytes MAC        "0x02 0x00 ..." for bpftool
#   u32_bytes N          4 little-endian bytes for bpftool
XDP_OBJ=${XDP_OBJ:-${VFMP_REPO:-$PWD}/bpf/xdp_test.bpf.o}
XDP_PIN=${XDP_PIN:-/run/xdpt-bpffs}
SIMBUS=${SIMBUS:-/sys/bus/vfmp_sim}

in_ns() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }

_netdev_of() { ls "$SIMBUS/devices/$1/net/" 2>/dev/null | head -n 1; }

_wait_netdev() { # DEV -> name, waits up to 10 s for the VF netdev
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(_netdev_of "$1")
		[[ -n $n ]] && { echo "$n"; return 0; }
		sleep 0.1
	done
	return 1
}

xdp_env_up() {
	local qps=${1:-2} ns
	insmod "$VFMP_KO"/vfmp_sim.ko || return 1
	insmod "$VFMP_KO"/vfmp.ko || return 1
	echo "0 4 $qps" > $SIMBUS/new_device || return 1
	PF=$(_wait_netdev sim0-pf) || return 1
	echo 2 > $SIMBUS/devices/sim0-pf/sriov_numvfs || return 1
	VF0=$(_wait_netdev sim0-vf0) || return 1
	VF1=$(_wait_netdev sim0-vf1) || return 1
	for ns in a b c; do ip netns add $ns || return 1; done
	ip link set "$PF" netns a && ip link set "$VF0" netns b &&
		ip link set "$VF1" netns c || return 1
	ip -n a addr add 192.0.2.1/24 dev "$PF" && ip -n a link set "$PF" up &&
	ip -n b addr add 192.0.2.2/24 dev "$VF0" && ip -n b link set "$VF0" up &&
	ip -n c addr add 192.0.2.3/24 dev "$VF1" && ip -n c link set "$VF1" up ||
		return 1
	for ns in a b c; do ip -n $ns link set lo up; done
	PF_MAC=$(ip -n a -br link show "$PF" | awk '{print $3}')
	VF0_MAC=$(ip -n b -br link show "$VF0" | awk '{print $3}')
	VF1_MAC=$(ip -n c -br link show "$VF1" | awk '{print $3}')
	PF_IDX=$(ip -n a -o link show "$PF" | cut -d: -f1)
	VF0_IDX=$(ip -n b -o link show "$VF0" | cut -d: -f1)
	VF1_IDX=$(ip -n c -o link show "$VF1" | cut -d: -f1)
	# carrier comes up asynchronously on the VFs
	for ((ns = 0; ns < 50; ns++)); do
		ip -n b -br link show "$VF0" | grep -q ' UP ' &&
			ip -n c -br link show "$VF1" | grep -q ' UP ' && break
		sleep 0.1
	done
	return 0
}

xdp_env_down() {
	local ns
	for ns in a b c; do ip netns del $ns 2>/dev/null; done
	sleep 0.5
	echo 0 > $SIMBUS/del_device 2>/dev/null
	rmmod vfmp 2>/dev/null
	rmmod vfmp_sim 2>/dev/null
	[[ -d $XDP_PIN ]] && { umount "$XDP_PIN" 2>/dev/null; rmdir "$XDP_PIN"; }
	return 0
}

est() {
	local v
	v=$(in_ns "$1" ethtool -S "$2" 2>/dev/null | awk -v n="$3:" '$1 == n {print $2}')
	echo "${v:-0}"
}

est_sum() {
	in_ns "$1" ethtool -S "$2" 2>/dev/null |
		awk -v re="^($3):\$" '$1 ~ re {s += $2} END {print s + 0}'
}

xdp_attach() { # NS DEV PROG [mode]
	ip -n "$1" link set dev "$2" "${4:-xdpdrv}" obj "$XDP_OBJ" program "$3"
}

xdp_detach() { ip -n "$1" link set dev "$2" xdp off; }

bpffs_load() {
	mkdir -p "$XDP_PIN" || return 1
	mountpoint -q "$XDP_PIN" || mount -t bpf bpf "$XDP_PIN" || return 1
	rm -rf "${XDP_PIN:?}/p" "${XDP_PIN:?}/m"
	bpftool prog loadall "$XDP_OBJ" "$XDP_PIN/p" type xdp pinmaps "$XDP_PIN/m"
}

mac_bytes() { echo "0x${1//:/ 0x}"; }

u32_bytes() {
	printf '%d %d %d %d' $(($1 & 255)) $((($1 >> 8) & 255)) \
		$((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
