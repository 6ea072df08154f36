#!/bin/bash
# 13-sim-faults.sh - the observable effect of every vfmp_sim fault knob
# (debugfs simID/fail_mbx_send, drop_mbx_reply, mbx_reply_delay_ms,
# mbx_send_timeout_ms, fail_alloc, surprise_remove) with vfmp.ko bound.
# Each scenario uses a fresh adapter so the mailbox counters start at 0.
# The VF probe sends VERSION then GET_RESOURCES and retries a send up to 3
# times on -EIO; the reply timeout is vfmp's mbx_timeout_ms.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

TMO=/sys/module/vfmp/parameters/mbx_timeout_ms

stat_of() { grep "^vf$2 $3 " "$SIMDBG/sim$1/mbx_stats"; } # ID VF DIR

insmod "$VFMP_KO"/vfmp_sim.ko || bail_out "insmod vfmp_sim.ko failed"
insmod "$VFMP_KO"/vfmp.ko || bail_out "insmod vfmp.ko failed"
t_eq "mbx_timeout_ms default 2000" 2000 "$(rd $TMO)"
t_eq "mbx_timeout_ms set to 1000 for this file" OK "$(write_sysfs $TMO 1000)"
new() { write_sysfs $SIMBUS/new_device "$1" >/dev/null && [[ $(drvname "sim${1%% *}-pf") == vfmp ]]; }

# ---- knob defaults ----------------------------------------------------
t_ok "sim10 created, PF bound" new "10 2"
t_eq "knobs default 0/0/0/1000/0" "0 0 0 1000 0" \
	"$(rd $SIMDBG/sim10/fail_mbx_send) $(rd $SIMDBG/sim10/drop_mbx_reply) $(rd $SIMDBG/sim10/mbx_reply_delay_ms) $(rd $SIMDBG/sim10/mbx_send_timeout_ms) $(rd $SIMDBG/sim10/fail_alloc)"
t_eq "mbx_send_timeout_ms writable" OK "$(write_sysfs $SIMDBG/sim10/mbx_send_timeout_ms 50)"
t_eq "mbx_send_timeout_ms reads back 50" 50 "$(rd $SIMDBG/sim10/mbx_send_timeout_ms)"
t_errno "mbx_send_timeout_ms junk -> EINVAL" EINVAL write_sysfs $SIMDBG/sim10/mbx_send_timeout_ms abc
t_eq "baseline VF with a 50 ms send timeout comes up" OK "$(write_sysfs $SIMDEVS/sim10-pf/sriov_numvfs 1)"
t_eq "baseline VF bound" vfmp "$(drvname sim10-vf0)"
t_match "baseline: no failures, no drops" 'vf0 to_pf sent=2 received=2 queued=0 dropped=0 failed=0 timeouts=0' "$(stat_of 10 0 to_pf)"
t_match "baseline: two replies" 'vf0 to_vf sent=2 received=2 queued=0 dropped=0 failed=0' "$(stat_of 10 0 to_vf)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim10-pf/sriov_numvfs 0)"

# ---- fail_mbx_send ------------------------------------------------------
t_ok "sim11 created" new "11 2"
t_eq "fail_mbx_send=1" OK "$(write_sysfs $SIMDBG/sim11/fail_mbx_send 1)"
t_eq "one failed send: VF still enabled" OK "$(write_sysfs $SIMDEVS/sim11-pf/sriov_numvfs 1)"
t_eq "one failed send: VF bound (the driver retried)" vfmp "$(drvname sim11-vf0)"
t_match "mbx_stats: failed=1 on vf0 to_pf" 'vf0 to_pf sent=2 .* failed=1 ' "$(stat_of 11 0 to_pf)"
t_eq "knob consumed" 0 "$(rd $SIMDBG/sim11/fail_mbx_send)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim11-pf/sriov_numvfs 0)"
t_eq "fail_mbx_send=10" OK "$(write_sysfs $SIMDBG/sim11/fail_mbx_send 10)"
dmesg_mark
t_eq "enabling still succeeds (the VF device appears)" OK "$(write_sysfs $SIMDEVS/sim11-pf/sriov_numvfs 1)"
log=$(dmesg_since_mark)
t_eq "VF device exists" sim11-vf0 "$(sim_vfs 11)"
t_eq "VF not bound to vfmp" "" "$(drvname sim11-vf0)"
t_match "dmesg names the mailbox send failure" 'sim11-vf0: mailbox (VERSION|version): mailbox send failed \(-5\)' "$log"
t_eq "exactly 3 sends tried: 7 left in the knob" 7 "$(rd $SIMDBG/sim11/fail_mbx_send)"
t_match "mbx_stats: failed=4 in total on vf0 to_pf" 'failed=4 ' "$(stat_of 11 0 to_pf)"
t_match "last_failed_init names the VF and -EIO" 'dev=sim11-vf0 function=vf result=-5' "$(cat $VFMPDRV/last_failed_init)"
t_eq "fail_mbx_send=0" OK "$(write_sysfs $SIMDBG/sim11/fail_mbx_send 0)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim11-pf/sriov_numvfs 0)"
t_eq "no VF left" "" "$(sim_vfs 11)"

# ---- drop_mbx_reply -----------------------------------------------------
t_ok "sim12 created" new "12 2"
t_eq "drop_mbx_reply=1" OK "$(write_sysfs $SIMDBG/sim12/drop_mbx_reply 1)"
t0=$(now_ms)
t_eq "enable 1 VF" OK "$(write_sysfs $SIMDEVS/sim12-pf/sriov_numvfs 1)"
dt=$(($(now_ms) - t0))
t_eq "VF not bound (reply lost)" "" "$(drvname sim12-vf0)"
t_ok "probe waited for the 1000 ms timeout (took ${dt} ms)" test "$dt" -ge 1000
t_match "mbx_stats: dropped=1 on vf0 to_vf" 'vf0 to_vf sent=0 .* dropped=1 ' "$(stat_of 12 0 to_vf)"
lfi=$(cat $VFMPDRV/last_failed_init)
t_match "last_failed_init: sim12-vf0 timed out" 'dev=sim12-vf0 function=vf result=-110' "$lfi"
t_match "last_failed_init: the mailbox step failed" 'mailbox +fail err=-110' "$lfi"
t_eq "knob consumed" 0 "$(rd $SIMDBG/sim12/drop_mbx_reply)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim12-pf/sriov_numvfs 0)"
t_eq "re-enable without the fault works" OK "$(write_sysfs $SIMDEVS/sim12-pf/sriov_numvfs 1)"
t_eq "VF bound now" vfmp "$(drvname sim12-vf0)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim12-pf/sriov_numvfs 0)"

# ---- mbx_reply_delay_ms -------------------------------------------------
t_ok "sim13 created" new "13 2"
t_eq "mbx_reply_delay_ms=300" OK "$(write_sysfs $SIMDBG/sim13/mbx_reply_delay_ms 300)"
t0=$(now_ms)
t_eq "enable 1 VF with delayed replies" OK "$(write_sysfs $SIMDEVS/sim13-pf/sriov_numvfs 1)"
dt=$(($(now_ms) - t0))
t_eq "VF still comes up" vfmp "$(drvname sim13-vf0)"
t_ok "but slower: 2 replies x 300 ms (took ${dt} ms)" test "$dt" -ge 600
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim13-pf/sriov_numvfs 0)"
t_eq "mbx_reply_delay_ms=1500 (> timeout)" OK "$(write_sysfs $SIMDBG/sim13/mbx_reply_delay_ms 1500)"
t_eq "enable 1 VF" OK "$(write_sysfs $SIMDEVS/sim13-pf/sriov_numvfs 1)"
t_eq "VF probe failed" "" "$(drvname sim13-vf0)"
t_match "last_failed_init: sim13-vf0 timed out" 'dev=sim13-vf0 function=vf result=-110' "$(cat $VFMPDRV/last_failed_init)"
t_eq "disable (late reply still queued)" OK "$(write_sysfs $SIMDEVS/sim13-pf/sriov_numvfs 0)"
write_sysfs $SIMDBG/sim13/mbx_reply_delay_ms 0 >/dev/null

# ---- fail_alloc ---------------------------------------------------------
t_ok "sim14 created" new "14 4"
a0=$(rd $SIMDBG/allocs)
t_eq "fail_alloc=1" OK "$(write_sysfs $SIMDBG/sim14/fail_alloc 1)"
t_errno "enabling 2 VFs fails with ENOMEM" ENOMEM write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 2
t_eq "nothing left behind: no VF devices" "" "$(sim_vfs 14)"
t_eq "nothing left behind: sriov_numvfs 0" 0 "$(rd $SIMDEVS/sim14-pf/sriov_numvfs)"
t_eq "nothing left behind: allocs unchanged" "$a0" "$(rd $SIMDBG/allocs)"
t_match "fail_alloc_hits=1" 'fail_alloc_hits=1' "$(cat $SIMDBG/sim14/mbx_stats)"
t_eq "retry works" OK "$(write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 2)"
t_eq "both VFs bound" "vfmp vfmp" "$(drvname sim14-vf0) $(drvname sim14-vf1)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 0)"
t_eq "unbind sim14-pf" OK "$(write_sysfs $VFMPDRV/unbind sim14-pf)"
t_eq "fail_alloc=1" OK "$(write_sysfs $SIMDBG/sim14/fail_alloc 1)"
t_errno "PF probe fails on bind with ENOMEM" ENOMEM write_sysfs $VFMPDRV/bind sim14-pf
t_fail "PF not bound" test -e $SIMDEVS/sim14-pf/driver
t_match "last_failed_init: PF enable_device failed" 'dev=sim14-pf function=pf result=-12' "$(cat $VFMPDRV/last_failed_init)"
t_eq "bind retry works" OK "$(write_sysfs $VFMPDRV/bind sim14-pf)"

# ---- fail_vf_add: an enable that fails after some VFs were probed --------
# VF0 and VF1 come up and talk to the PF, VF2 fails: the PF must forget
# what VF0 and VF1 told it, so the slots' next VFs start clean.
pfmbx() { cat "$SIMDEVS/sim14-pf/vfmp/mbx_stats"; }
reqs() { pfmbx | sed -n "s/^vf$1 requests=\([0-9]*\) .*/\1/p"; }
t_eq "fail_vf_add=3" OK "$(write_sysfs $SIMDBG/sim14/fail_vf_add 3)"
dmesg_mark
t_errno "enabling 3 VFs fails with ENOMEM at the third" ENOMEM write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 3
t_match "VF0 and VF1 were probed in the attempt" 'sim14-vf1' "$(dmesg_since_mark vfmp)"
t_eq "nothing left behind: no VF devices" "" "$(sim_vfs 14)"
t_eq "the PF forgot the VFs of the failed attempt" "no VF has sent a request" "$(pfmbx)"
t_eq "the knob is spent" 0 "$(rd $SIMDBG/sim14/fail_vf_add)"
t_eq "re-enable 3 VFs" OK "$(write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 3)"
t_eq "all three bound" "vfmp vfmp vfmp" "$(drvname sim14-vf0) $(drvname sim14-vf1) $(drvname sim14-vf2)"
r0=$(reqs 0) r2=$(reqs 2)
t_match "VF2 talked to the PF" '^[1-9]' "$r2"
t_eq "VF0's request count starts afresh (equals VF2's)" "$r2 $r2" "$r0 $(reqs 1)"
t_eq "disable" OK "$(write_sysfs $SIMDEVS/sim14-pf/sriov_numvfs 0)"

# ---- surprise_remove ----------------------------------------------------
t_ok "sim15 created" new "15 4"
t_eq "enable 2 VFs" OK "$(write_sysfs $SIMDEVS/sim15-pf/sriov_numvfs 2)"
dmesg_mark
t_eq "surprise_remove 1" OK "$(write_sysfs $SIMDBG/sim15/surprise_remove 1)"
t_match "logged" 'vfmp_sim: sim15: VF 1 surprise-removed' "$(dmesg_since_mark)"
t_eq "sim15-vf1 gone from the bus, vf0 stays" sim15-vf0 "$(sim_vfs 15)"
t_fail "virtfn1 link gone" test -e $SIMDEVS/sim15-pf/virtfn1
t_eq "vf0 still bound" vfmp "$(drvname sim15-vf0)"
t_ok "the driver survives" test -d /sys/module/vfmp
t_eq "sriov_numvfs still 2 (slot counted)" 2 "$(rd $SIMDEVS/sim15-pf/sriov_numvfs)"
dmesg_mark
t_errno "surprise_remove 1 again -> ENODEV" ENODEV write_sysfs $SIMDBG/sim15/surprise_remove 1
t_match "logged" 'vfmp_sim: sim15: surprise_remove: no VF 1' "$(dmesg_since_mark)"
t_errno "surprise_remove 3 (not enabled) -> ENODEV" ENODEV write_sysfs $SIMDBG/sim15/surprise_remove 3
t_errno "surprise_remove junk -> EINVAL" EINVAL write_sysfs $SIMDBG/sim15/surprise_remove x
t_eq "sriov_numvfs 0 afterwards works" OK "$(write_sysfs $SIMDEVS/sim15-pf/sriov_numvfs 0)"
t_eq "no VFs left" "" "$(sim_vfs 15)"
t_eq "re-enable 2 works" OK "$(write_sysfs $SIMDEVS/sim15-pf/sriov_numvfs 2)"
t_eq "both bound" "vfmp vfmp" "$(drvname sim15-vf0) $(drvname sim15-vf1)"

# ---- cleanup -------------------------------------------------------------
for id in 10 11 12 13 14 15; do write_sysfs $SIMBUS/del_device $id >/dev/null || bad+=" $id"; done
t_eq "all adapters deleted" "" "${bad:-}$(ls $SIMDEVS)"
t_eq "allocs 0" 0 "$(rd $SIMDBG/allocs)"
rmmod vfmp && rmmod vfmp_sim
done_testing
