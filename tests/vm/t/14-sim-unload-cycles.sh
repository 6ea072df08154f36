#!/bin/bash
# 14-sim-unload-cycles.sh - module unload with adapters (and VFs) present,
# and many adapter create/delete cycles (some with VFs enabled through
# vfmp.ko) with the sim's outstanding allocation count back to 0.
# vm-opts: -t 900
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

PLAIN=${VFMP_CYCLES_PLAIN:-200}
WITHVF=${VFMP_CYCLES_VF:-200}

w() { printf '%s' "$2" > "$1"; } # quiet single write, status only

# ---- rmmod vfmp_sim alone with adapters (no driver) ---------------------
t_ok "insmod vfmp_sim.ko" insmod "$VFMP_KO"/vfmp_sim.ko
for id in 1 2 3; do w $SIMBUS/new_device "$id"; done
t_eq "3 adapters created" "sim1-pf sim2-pf sim3-pf" "$(sim_pfs)"
dmesg_mark
t_ok "rmmod vfmp_sim with 3 adapters" rmmod vfmp_sim
t_fail "/sys/bus/vfmp_sim gone" test -e $SIMBUS
t_fail "debugfs vfmp_sim gone" test -e $SIMDBG
t_fail "no leak reported on unload" grep -q 'allocations leaked' <<<"$(dmesg_since_mark)"

# ---- rmmod vfmp then vfmp_sim with adapters and VFs ----------------------
t_ok "insmod vfmp_sim.ko again" insmod "$VFMP_KO"/vfmp_sim.ko
t_ok "insmod vfmp.ko" insmod "$VFMP_KO"/vfmp.ko
w $SIMBUS/new_device 1 && w $SIMBUS/new_device "2 4 2" && w $SIMBUS/new_device "3 0"
t_eq "VFs enabled on two adapters" OK \
	"$(w $SIMDEVS/sim1-pf/sriov_numvfs 2 && w $SIMDEVS/sim2-pf/sriov_numvfs 4 && echo OK)"
t_eq "6 VF devices present" 6 "$(ls -d $SIMDEVS/sim*-vf* | wc -l)"
t_fail "rmmod vfmp_sim refused while vfmp uses it" rmmod vfmp_sim
t_ok "bus still there" test -e $SIMDEVS/sim1-vf0
dmesg_mark
t_ok "rmmod vfmp with VFs enabled" rmmod vfmp
t_eq "adapters stay, unbound" "sim1-pf sim2-pf sim3-pf" "$(sim_pfs)"
t_ok "rmmod vfmp_sim with adapters (and whatever VFs are left)" rmmod vfmp_sim
log=$(dmesg_since_mark)
t_fail "/sys/bus/vfmp_sim gone" test -e $SIMBUS
t_fail "no leak reported on unload" grep -q 'allocations leaked' <<<"$log"

# ---- VFs still enabled when the sim goes: unbind the PF driver first ------
t_ok "reload both modules" sh -c 'insmod "$VFMP_KO"/vfmp_sim.ko && insmod "$VFMP_KO"/vfmp.ko'
w $SIMBUS/new_device 4 && w $SIMDEVS/sim4-pf/sriov_numvfs 3
t_eq "sim4 has 3 VFs" 3 "$(ls -d $SIMDEVS/sim4-vf* | wc -l)"
t_ok "rmmod vfmp, vfmp_sim" sh -c 'rmmod vfmp && rmmod vfmp_sim'
t_fail "/sys/bus/vfmp_sim gone" test -e $SIMBUS

# ---- create/delete cycles -------------------------------------------------
insmod "$VFMP_KO"/vfmp_sim.ko || bail_out "insmod vfmp_sim.ko failed"
t0=$SECONDS errs=0
for ((i = 0; i < PLAIN; i++)); do
	id=$((i % 8))
	w $SIMBUS/new_device "$id $((i % 65)) $((i % 16 + 1))" || errs=$((errs + 1))
	[[ -e $SIMDEVS/sim$id-pf ]] || errs=$((errs + 1))
	w $SIMBUS/del_device "$id" || errs=$((errs + 1))
done
t_eq "$PLAIN plain create/delete cycles without error ($((SECONDS - t0)) s)" 0 "$errs"
t_eq "no device left" "" "$(ls $SIMDEVS)"
t_eq "allocs 0 after plain cycles" 0 "$(rd $SIMDBG/allocs)"

# two writers racing create/delete of the same IDs: each write either
# works or fails cleanly (EEXIST/ENOENT); the kernel log check catches the rest
race() { local i; for ((i = 0; i < 100; i++)); do w $SIMBUS/new_device "$((20 + i % 3)) 2" 2>/dev/null; w $SIMBUS/del_device "$((20 + (i + $1) % 3))" 2>/dev/null; done; }
t0=$SECONDS
race 0 & p1=$!
race 1 & p2=$!
wait $p1 $p2
for id in 20 21 22; do w $SIMBUS/del_device $id 2>/dev/null; done
t_eq "racing create/delete: no device left ($((SECONDS - t0)) s)" "" "$(ls $SIMDEVS)"
t_eq "racing create/delete: allocs 0" 0 "$(rd $SIMDBG/allocs)"
t_eq "bus still works after the race" OK "$(w $SIMBUS/new_device 20 && w $SIMBUS/del_device 20 && echo OK)"

insmod "$VFMP_KO"/vfmp.ko || bail_out "insmod vfmp.ko failed"
t0=$SECONDS errs=0 unbound=0
for ((i = 0; i < WITHVF; i++)); do
	id=$((i % 4 + 10)) n=$((i % 3 + 1))
	w $SIMBUS/new_device "$id 4 2" || errs=$((errs + 1))
	w $SIMDEVS/sim$id-pf/sriov_numvfs "$n" || errs=$((errs + 1))
	[[ -e $SIMDEVS/sim$id-vf$((n - 1))/driver ]] || unbound=$((unbound + 1))
	# half of the cycles disable first, the rest delete with VFs enabled
	if ((i % 2)); then w $SIMDEVS/sim$id-pf/sriov_numvfs 0 || errs=$((errs + 1)); fi
	w $SIMBUS/del_device "$id" || errs=$((errs + 1))
done
t_eq "$WITHVF cycles with VFs enabled without error ($((SECONDS - t0)) s)" 0 "$errs"
t_eq "every VF came up bound" 0 "$unbound"
t_eq "allocs 0 after VF cycles" 0 "$(rd $SIMDBG/allocs)"
t_ok "rmmod vfmp" rmmod vfmp
t_ok "rmmod vfmp_sim" rmmod vfmp_sim

# ---- rmmod vfmp_sim racing new_device/del_device --------------------------
# Module exit tears the adapters down; a new_device that lands after that
# and before the bus goes would leave a device on a bus that no longer
# exists (and code that is about to be unloaded).
churn() {
	local i
	for ((i = 0; ; i++)); do
		w $SIMBUS/new_device "$((i % 6 + 30)) 2" 2>/dev/null
		w $SIMBUS/del_device "$(((i + 3) % 6 + 30))" 2>/dev/null
		[[ -e $SIMBUS ]] || return 0
	done
}
dmesg_mark
fails=0
for r in 1 2 3 4 5 6 7 8 9 10; do
	insmod "$VFMP_KO"/vfmp_sim.ko || { fails=$((fails + 1)); continue; }
	churn & pc=$!
	churn & pd=$!
	sleep "0.$((r % 5 + 1))"
	rmmod vfmp_sim || fails=$((fails + 1))
	wait $pc $pd
done
log=$(dmesg_since_mark)
t_eq "10 rounds of rmmod vfmp_sim under new_device/del_device churn" 0 "$fails"
t_fail "no allocation leaked at any unload" grep -q 'allocations leaked' <<<"$log"
t_ok "insmod vfmp_sim.ko once more" insmod "$VFMP_KO"/vfmp_sim.ko
t_eq "a clean bus" "" "$(ls $SIMDEVS)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
