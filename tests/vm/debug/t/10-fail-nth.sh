#!/bin/bash
# vm-opts: -t 3000
# 10-fail-nth.sh - every allocation the driver makes on behalf of a user
# request may fail.  For each operation (PF probe, VF probe, SR-IOV enable
# and disable, the VF's mailbox requests, channel, ring, MTU and RSS
# changes, XDP attach), the Nth slab or page allocation of the calling
# task is made to fail (/proc/thread-self/fail-nth), N = 1, 2, ...: each
# run must fail with an error or absorb the failure, and leave the device
# as it was or cleanly gone; the fault-free run at the end must succeed,
# and the VF must still carry traffic.  kmemleak scans at the end of the
# file (stage2.sh) catch what an error path forgot to free; KASAN and
# lockdep catch the rest.  Needs CONFIG_FAULT_INJECTION (make check-debug).
#
# Operations with more fault sites than VFMP_FAILNTH_ALL (default 48: a
# bind takes seconds on a KASAN kernel under TCG, and the allocations of
# a ring fill repeat one code path) are swept over their first ALL/2
# sites, then ALL/2 more, one in each of ALL/2 equal strides over the rest,
# at an offset in the stride drawn from VFMP_FAILNTH_SEED (default: the
# time; printed), so that runs with a small ALL (CI: make check-debug-ci)
# cover different sites; VFMP_FAILNTH_ALL=100000 sweeps every site.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../../dplib.sh"

FN=$VFMP_REPO/build/tests/failnth
XDP_OBJ=$VFMP_REPO/bpf/xdp_test.bpf.o
ALL=${VFMP_FAILNTH_ALL:-48}
((ALL >= 2)) || ALL=2
SEED=${VFMP_FAILNTH_SEED:-$(date +%s)}
diag "fault sites: all up to $ALL, else a sample; seed $SEED (VFMP_FAILNTH_SEED=$SEED reproduces it)"
[[ -e /proc/thread-self/fail-nth ]] || bail_out "this kernel has no fault injection (make check-debug)"
[[ -x $FN ]] || bail_out "$FN missing (make check-debug builds it)"
for f in failslab fail_page_alloc; do
	d=/sys/kernel/debug/$f
	# GFP_KERNEL allocations too (the defaults only fail atomic ones), any
	# order, one line per injected fault
	echo N > $d/ignore-gfp-wait
	echo 1 > $d/verbose
done
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem

# failnth in the netns $NS (none: this one)
run_fn() {
	if [[ -n ${NS:-} ]]; then in_ns "$NS" "$FN" "$@"; else "$FN" "$@"; fi
}

# which N to try for an operation with SITES fault sites
points() {
	local sites=$1 i
	if ((sites <= ALL)); then
		seq 1 "$sites"
		return
	fi
	local h=$((ALL / 2)) stride off
	seq 1 "$h"
	stride=$(((sites - h) / h))
	off=$((SEED % (stride > 0 ? stride : 1)))
	for ((i = 0; i < h; i++)); do echo $((h + 1 + (sites - h) * i / h + off)); done | uniq
}

# sweep NAME PREP CHECK -- FAILNTH-ARGS...
# PREP (eval'd, no faults) puts the device in the starting state before
# each run; CHECK (eval'd) after each run must succeed, with $RES the
# run's result (OK or an errno name); it sets WHY when it fails.
sweep() {
	local name=$1 prep=$2 check=$3 out sites n runs=0 failed=0 absorbed=0 past=0
	local -A errs=()
	local bad=()
	shift 4
	eval "$prep"
	out=$(run_fn 100000000 "$@") || { fail "$name: failnth: $out"; return; }
	sites=${out#*left=}
	sites=$((100000000 - ${sites%% *}))
	t_eq "$name: the fault-free run succeeds ($sites fault sites)" OK "${out##*result=}"
	for n in $(points "$sites"); do
		eval "$prep"
		out=$(run_fn "$n" "$@") || { bad+=("N=$n: failnth: $out"); break; }
		RES=${out##*result=}
		runs=$((runs + 1))
		if [[ $out == injected=0* ]]; then
			# fewer sites this time (caches warm up): a fault-free run
			[[ $RES == OK ]] || bad+=("N=$n: failed with no fault injected ($out)")
			past=$((past + 1))
		elif [[ $RES == OK ]]; then
			absorbed=$((absorbed + 1))
		else
			failed=$((failed + 1))
			errs[$RES]=1
		fi
		WHY=""
		eval "$check" || bad+=("N=$n ($RES): ${WHY:-check failed}")
		((${#bad[@]} < 5)) || break
	done
	diag "$name: $runs runs: $failed failed (${!errs[*]}), $absorbed absorbed the failure, $past had fewer sites than N"
	if ((${#bad[@]})); then
		fail "$name: every injected failure unwinds" "${bad[@]}"
	else
		pass "$name: every injected failure unwinds ($runs of $sites sites)"
	fi
	eval "$prep"
	out=$(run_fn 100000000 "$@")
	t_eq "$name: and the fault-free run succeeds after them" OK "${out##*result=}"
}

drv_load || bail_out "cannot load modules"
autoprobe 0
sim_new "0 2 2" || bail_out "sim_new"
PFDEV=$(dev_path sim0-pf)
NUMVFS=$PFDEV/sriov_numvfs

# want WHAT ACTUAL [IF-OK IF-FAILED]: ACTUAL must be IF-OK after a run that
# succeeded, IF-FAILED after one that failed.  ENOBUFS is the one error
# that does not say the operation failed: the kernel carried out the
# netlink request and then could not allocate its acknowledgement
# (netlink_ack reports that as ENOBUFS on the socket), so either state is
# right after it.
want() {
	local exp=$3
	[[ $RES == OK ]] || exp=$4
	[[ $RES == ENOBUFS && $2 == "$3" ]] && return 0
	[[ $2 == "$exp" ]] || { WHY="$1 is $2, not $exp"; return 1; }
}

# ---- PF probe ----------------------------------------------------------------
unbound() { # DEV: no driver, no netdev
	[[ -z $(drvname "$1") && -z $(dev_netdev "$1") ]] || { WHY="$1 half bound: driver '$(drvname "$1")' netdev '$(dev_netdev "$1")'"; return 1; }
}
has_netdev() { [[ -n $(dev_netdev "$1") ]]; }
bound_ok() { # DEV: driver and netdev
	[[ $(drvname "$1") == vfmp ]] && wait_for 10 has_netdev "$1" || { WHY="$1 bound without a netdev"; return 1; }
}
pf_prep='[[ -z $(drvname sim0-pf) ]] || drv_unbind sim0-pf >/dev/null'
pf_check='if [[ $RES == OK ]]; then bound_ok sim0-pf; else unbound sim0-pf; fi'
sweep "PF probe" "$pf_prep" "$pf_check" -- write "$VFMPDRV/bind" sim0-pf
PF=$(wait_netdev sim0-pf)

# ---- SR-IOV enable (and the VFs' probes it runs) -------------------------------
autoprobe 1
vfs_gone() { [[ $(rd "$NUMVFS") == 0 && -z $(sim_vfs 0) ]] || { WHY="numvfs $(rd "$NUMVFS"), VFs: $(sim_vfs 0)"; return 1; }; }
en_prep='[[ $(rd "$NUMVFS") == 0 ]] || write_sysfs "$NUMVFS" 0 >/dev/null'
en_check='if [[ $RES == OK ]]; then want numvfs "$(rd "$NUMVFS")" 2; else vfs_gone; fi && bound_ok sim0-pf'
sweep "SR-IOV enable" "$en_prep" "$en_check" -- write "$NUMVFS" 2

# ---- SR-IOV disable ------------------------------------------------------------
dis_prep='[[ $(rd "$NUMVFS") == 2 ]] || write_sysfs "$NUMVFS" 2 >/dev/null; wait_for 20 has_netdev sim0-vf1'
# a disable refused early (e.g. sysfs could not copy the written value)
# must leave both VFs as they were
vfs_kept() {
	[[ $(rd "$NUMVFS") == 2 && $(drvname sim0-vf0) == vfmp && $(drvname sim0-vf1) == vfmp ]] ||
		{ WHY="a failed disable left numvfs $(rd "$NUMVFS"), VFs: $(sim_vfs 0)"; return 1; }
}
dis_check='if [[ $RES == OK ]]; then vfs_gone; else vfs_kept; fi && bound_ok sim0-pf'
sweep "SR-IOV disable" "$dis_prep" "$dis_check" -- write "$NUMVFS" 0

# ---- VF probe ------------------------------------------------------------------
autoprobe 0
write_sysfs "$NUMVFS" 1 >/dev/null
vf_prep='[[ -z $(drvname sim0-vf0) ]] || drv_unbind sim0-vf0 >/dev/null'
vf_check='if [[ $RES == OK ]]; then bound_ok sim0-vf0; else unbound sim0-vf0; fi && bound_ok sim0-pf'
sweep "VF probe" "$vf_prep" "$vf_check" -- write "$VFMPDRV/bind" sim0-vf0
autoprobe 1

# ---- the VF at work: its requests to the PF, reconfiguration, XDP --------------
VF0=$(wait_netdev sim0-vf0)
dp_netns || bail_out "netns setup"
t_ok "VF0 reaches the PF before the sweeps" ping_ok b 192.0.2.1
# nsenter --net: the netns only (sysfs there is still the root netns's:
# read a device's sysfs files with nx, which remounts /sys)
inb() { in_ns b "$@"; }
vf_up() { inb ip link show "$VF0" | grep -q LOWER_UP || { WHY="VF0 lost its link: $(inb ip -br link show "$VF0")"; return 1; }; }
chans() { inb ethtool -l "$VF0" | awk '/Combined/ { v = $2 } END { print v }'; }
rings() { inb ethtool -g "$VF0" | awk '/^RX:/ { v = $2 } END { print v }'; }
MAC0=$(nx b cat /sys/class/net/"$VF0"/address)
MAC1=02:00:00:00:0f:01
RING0=$(rings)
RINGN=$((RING0 == 128 ? 256 : 128))
NS=b

sweep "VF SET_MAC" "inb ip link set $VF0 address $MAC0" \
	'want MAC "$(nx b cat /sys/class/net/$VF0/address)" $MAC1 $MAC0 && vf_up' \
	-- mac "$VF0" $MAC1
inb ip link set "$VF0" address "$MAC0"
sweep "VF CONFIG_RSS (ethtool -X)" "inb ethtool -X $VF0 equal 2" \
	'inb ethtool -x "$VF0" >/dev/null && vf_up' \
	-- rss "$VF0" 1
sweep "VF channels (ethtool -L)" "[[ \$(chans) == 2 ]] || inb ethtool -L $VF0 combined 2" \
	'want channels "$(chans)" 1 2 && vf_up' \
	-- channels "$VF0" 1
inb ethtool -L "$VF0" combined 2
sweep "VF rings (ethtool -G)" "[[ \$(rings) == $RING0 ]] || inb ethtool -G $VF0 rx $RING0 tx $RING0" \
	'want "RX ring" "$(rings)" $RINGN $RING0 && vf_up' \
	-- rings "$VF0" $RINGN $RINGN
inb ethtool -G "$VF0" rx "$RING0" tx "$RING0"
sweep "VF MTU" "inb ip link set $VF0 mtu 1500" \
	'want MTU "$(nx b cat /sys/class/net/$VF0/mtu)" 2000 1500 && vf_up' \
	-- mtu "$VF0" 2000
inb ip link set "$VF0" mtu 1500
sweep "VF XDP attach" "inb ip link set $VF0 xdpdrv off" \
	'want "XDP programs" "$(inb ip link show $VF0 | grep -c prog/xdp)" 1 0 && vf_up' \
	-- xdp "$VF0" "$XDP_OBJ" xdp_pass
inb ip link set "$VF0" xdpdrv off
NS=a
sweep "PF channels (ethtool -L)" "[[ \$(in_ns a ethtool -l $PF | awk '/Combined/ { v = \$2 } END { print v }') == 2 ]] || in_ns a ethtool -L $PF combined 2" \
	'in_ns a ip link show "$PF" | grep -q LOWER_UP || { WHY="PF lost its link"; false; }' \
	-- channels "$PF" 1
in_ns a ethtool -L "$PF" combined 2

t_ok "after every sweep, VF0 still reaches the PF" ping_ok b 192.0.2.1
dp_teardown
sim_del 0
t_eq "the simulator's allocations are all freed" 0 "$(allocs)"
drv_unload
done_testing
