#!/bin/bash
# xdplib.sh - guest-side XDP helpers shared by the XDP VM tests
# (tests/vm/t/4*.sh) and the benchmark (tests/bench/bench.sh).  Source it
# after tests/vm/lib.sh, drvlib.sh and dplib.sh, which provide the rest
# (in_ns, est, est_sum, dp_setup, ...).
#
#   xdp_env_up [QPS]     dp_setup "0 4 QPS" (2 default) with 2 VFs and IPv6
#                        left on (link-local): PF in netns a (192.0.2.1),
#                        VF0 in b (.2), VF1 in c (.3); sets PF VF0 VF1, their
#                        MACs PF_MAC VF0_MAC VF1_MAC and ifindexes PF_IDX ...,
#                        and waits (up to 5 s) for the VFs' carrier
#   xdp_env_down         delete namespaces and the adapter, rmmod
#   xdp_attach NS DEV PROG [xdpdrv|xdpgeneric]   ip link ... obj ... program
#   xdp_detach NS DEV
#   bpffs_load           bpftool prog loadall of the object, programs pinned
#                        under $XDP_PIN/p/<name>, maps under $XDP_PIN/m/<name>
#   mac_bytes MAC        "0x02 0x00 ..." for bpftool
#   u32_bytes N          4 little-endian bytes for bpftool
XDP_OBJ=${XDP_OBJ:-${VFMP_REPO:-$PWD}/bpf/xdp_test.bpf.o}
XDP_PIN=${XDP_PIN:-/run/xdpt-bpffs}

xdp_env_up() {
	local i
	dp_setup "0 4 ${1:-2}" 2 ll || return 1
	[[ -n $VF0 && -n $VF1 ]] || return 1
	PF_MAC=$(ip -n a -br link show "$PF" | awk '{print $3}')
	VF0_MAC=$(ip -n b -br link show "$VF0" | awk '{print $3}')
	VF1_MAC=$(ip -n c -br link show "$VF1" | awk '{print $3}')
	PF_IDX=$(ip -n a -o link show "$PF" | cut -d: -f1)
	VF0_IDX=$(ip -n b -o link show "$VF0" | cut -d: -f1)
	VF1_IDX=$(ip -n c -o link show "$VF1" | cut -d: -f1)
	# carrier comes up asynchronously on the VFs
	for ((i = 0; i < 50; i++)); do
		ip -n b -br link show "$VF0" | grep -q ' UP ' &&
			ip -n c -br link show "$VF1" | grep -q ' UP ' && break
		sleep 0.1
	done
	return 0
}

xdp_env_down() {
	dp_teardown
	sim_del 0
	drv_unload
	[[ -d $XDP_PIN ]] && { umount "$XDP_PIN" 2>/dev/null; rmdir "$XDP_PIN"; }
	return 0
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
