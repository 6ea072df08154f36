#!/bin/bash
# vm-opts: -t 900
# 20-step-inject.sh - every init step can fail, and its failure unwinds the
# steps before it.  Each step's run function is marked
# ALLOW_ERROR_INJECTION; fail_function makes the step named in the PF's and
# the VF's step tables (kmod/drv/vfmp_pf.c, vfmp_vf.c) return -ENOMEM, the
# bind must fail naming that step, leave the device unbound with nothing
# registered, and the next bind without the fault must work.  Needs
# CONFIG_FAIL_FUNCTION (make check-debug).
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../../drvlib.sh"

FF=/sys/kernel/debug/fail_function
[[ -d $FF ]] || bail_out "this kernel has no fail_function (make check-debug)"
echo 100 > $FF/probability
echo -1 > $FF/times
echo 1 > $FF/verbose

# "NAME FUNCTION" per step of a table, in order, from the source
steps() { # FILE TABLE
	awk -v t="$2" '$0 ~ "^const struct vfmp_step " t "\\[\\]" { on = 1; next }
		on && /^};/ { exit }
		on && /\{ "/ { gsub(/[{",]/, " "); print $1, $3 }' "$VFMP_REPO/kmod/drv/$1"
}
mapfile -t PF_STEPS < <(steps vfmp_pf.c vfmp_pf_steps)
mapfile -t VF_STEPS < <(steps vfmp_vf.c vfmp_vf_steps)
t_ok "the PF's step table read (${#PF_STEPS[@]} steps)" test "${#PF_STEPS[@]}" -ge 10
t_ok "the VF's step table read (${#VF_STEPS[@]} steps)" test "${#VF_STEPS[@]}" -ge 10

# inject DEV STEP-NUMBER NAME FUNCTION
inject() {
	local dev=$1 k=$2 name=$3 fn=$4 r msg
	if ! echo "$fn" > $FF/inject 2>/dev/null; then
		fail "$dev step $k $name: $fn is not injectable"
		return
	fi
	printf "%u" -12 > "$FF/$fn/retval"	# an unsigned long: -ENOMEM
	dmesg_mark
	r=$(drv_bind "$dev")
	echo "!$fn" > $FF/inject
	msg=$(dmesg_since_mark "init step")
	t_eq "$dev step $k $name fails: bind returns ENOMEM" ENOMEM "$r"
	t_match "  the log names the step" "init step $k $name \\(.*\\) failed: -12" "$msg"
	t_eq "  nothing left bound or registered" "/" "$(drvname "$dev")/$(dev_netdev "$dev")"
	t_eq "  and the next bind works" OK "$(drv_bind "$dev")"
	wait_for 10 test -e "$(dev_path "$dev")/net"
	t_eq "  and its unbind" OK "$(drv_unbind "$dev")"
}

# inject_all DEV WHOSE "NAME FUNCTION"...: each step in turn, then no
# netdev may be left behind
inject_all() {
	local dev=$1 whose=$2 k=0 n s
	shift 2
	n=$(netdev_count)
	for s in "$@"; do
		k=$((k + 1))
		# shellcheck disable=SC2086 # NAME FUNCTION: two words
		inject "$dev" "$k" $s
	done
	t_eq "no netdev left behind by the $whose failures" "$n" "$(netdev_count)"
}

drv_load || bail_out "cannot load modules"
autoprobe 0
sim_new "0 2 2" || bail_out "sim_new"
inject_all sim0-pf "PF's" "${PF_STEPS[@]}"

t_eq "PF binds" OK "$(drv_bind sim0-pf)"
PF=$(wait_netdev sim0-pf)
t_eq "one VF" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1)"
inject_all sim0-vf0 "VF's" "${VF_STEPS[@]}"
t_eq "after all that, VF0 binds" OK "$(drv_bind sim0-vf0)"
VF=$(wait_netdev sim0-vf0)
ip link set "$PF" up
ip link set "$VF" up
t_ok "and gets its link from the PF" wait_for 10 sh -c "ip link show $VF | grep -q LOWER_UP"

write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 0 >/dev/null
sim_del 0
t_eq "the simulator's allocations are all freed" 0 "$(cat $SIMDBG/allocs)"
drv_unload
done_testing
