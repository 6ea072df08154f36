#!/bin/bash
# 12-sim-sriov-partition.sh - sriov_numvfs with vfmp.ko bound (VF devices,
# virtfn/physfn links, the N -> M rule, disable), the partition attribute
# (defaults, writable only while no driver is bound), keyword_reads
# counting, and deleting an adapter with VFs enabled (VFs go first).
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

insmod "$VFMP_KO"/vfmp_sim.ko || bail_out "insmod vfmp_sim.ko failed"
write_sysfs $SIMBUS/new_device 1 >/dev/null || bail_out "cannot create sim1"
write_sysfs $SIMBUS/new_device "2 4 2" >/dev/null || bail_out "cannot create sim2"

dmesg_mark
t_errno "no driver: sriov_numvfs 2 -> ENOENT" ENOENT write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 2
t_match "no driver: kernel says so" 'sim1-pf: no driver bound' "$(dmesg_since_mark)"
t_eq "partition writable without a driver" OK "$(write_sysfs $SIMDEVS/sim1-pf/partition platform)"
t_eq "partition reads platform" platform "$(rd $SIMDEVS/sim1-pf/partition)"
t_eq "partition back to parent" OK "$(write_sysfs $SIMDEVS/sim1-pf/partition parent)"

t_ok "insmod vfmp.ko" insmod "$VFMP_KO"/vfmp.ko
t_eq "sim1-pf bound to vfmp" vfmp "$(drvname sim1-pf)"
t_eq "sim2-pf bound to vfmp" vfmp "$(drvname sim2-pf)"
t_match "PF read keywords (counted as pf reads)" '^total pf=[1-9][0-9]* vf=0$' "$(tail -n1 $SIMDBG/sim1/keyword_reads)"
t_eq "keyword_reads write resets" OK "$(write_sysfs $SIMDBG/sim1/keyword_reads 1)"
t_eq "keyword_reads all zero after reset" "total pf=0 vf=0" "$(tail -n1 $SIMDBG/sim1/keyword_reads)"

# ---- partition while bound ----------------------------------------------
dmesg_mark
t_errno "partition write while bound -> EBUSY" EBUSY write_sysfs $SIMDEVS/sim1-pf/partition child
t_match "EBUSY logged naming the driver" 'sim1-pf: partition: cannot change while driver vfmp is bound' "$(dmesg_since_mark)"
t_eq "partition unchanged" parent "$(rd $SIMDEVS/sim1-pf/partition)"

# ---- enable / disable --------------------------------------------------
t_eq "sriov_numvfs 2" OK "$(write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 2)"
t_eq "sriov_numvfs reads 2" 2 "$(rd $SIMDEVS/sim1-pf/sriov_numvfs)"
t_eq "sim1-vf0 and sim1-vf1 exist" "sim1-vf0 sim1-vf1" "$(sim_vfs 1)"
t_eq "sim1-vf0 bound to vfmp" vfmp "$(drvname sim1-vf0)"
t_eq "sim1-vf1 bound to vfmp" vfmp "$(drvname sim1-vf1)"
t_eq "virtfn0 -> sim1-vf0" sim1-vf0 "$(basename "$(readlink $SIMDEVS/sim1-pf/virtfn0)")"
t_eq "virtfn1 -> sim1-vf1" sim1-vf1 "$(basename "$(readlink $SIMDEVS/sim1-pf/virtfn1)")"
t_eq "sim1-vf1/physfn -> sim1-pf" sim1-pf "$(basename "$(readlink $SIMDEVS/sim1-vf1/physfn)")"
t_eq "VF function" vf "$(rd $SIMDEVS/sim1-vf1/function)"
t_eq "VF vf_index" 1 "$(rd $SIMDEVS/sim1-vf1/vf_index)"
t_eq "VF adapter" 1 "$(rd $SIMDEVS/sim1-vf1/adapter)"
t_eq "VF partition default child" child "$(rd $SIMDEVS/sim1-vf0/partition)"
t_fail "VF has no sriov_numvfs" test -e $SIMDEVS/sim1-vf0/sriov_numvfs
t_eq "VF perm_addr zero" 00:00:00:00:00:00 "$(rd $SIMDEVS/sim1-vf0/perm_addr)"
t_match "VF silicon is VMQ capable too" '^[1-9]' "$(rd $SIMDEVS/sim1-vf0/vmq_queues)"
t_eq "VFs read no keyword" "total pf=0 vf=0" "$(tail -n1 $SIMDBG/sim1/keyword_reads)"
t_match "mailbox carried traffic for vf0" 'vf0 to_pf sent=[1-9]' "$(cat $SIMDBG/sim1/mbx_stats)"
dmesg_mark
t_errno "VF partition write while bound -> EBUSY" EBUSY write_sysfs $SIMDEVS/sim1-vf0/partition parent
t_match "VF EBUSY logged" 'sim1-vf0: partition: cannot change while driver vfmp is bound' "$(dmesg_since_mark)"
dmesg_mark
t_errno "2 -> 3 refused with EBUSY" EBUSY write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 3
t_match "EBUSY logged" 'sim1-pf: 2 VFs already enabled; disable before enabling 3' "$(dmesg_since_mark)"
t_eq "still exactly 2 VFs" "sim1-vf0 sim1-vf1" "$(sim_vfs 1)"
t_eq "writing the current value 2 is a no-op" OK "$(write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 2)"
t_errno "9 > totalvfs -> ERANGE" ERANGE write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 9
t_eq "sriov_numvfs 0" OK "$(write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 0)"
t_eq "VF devices gone" "" "$(sim_vfs 1)"
t_fail "virtfn0 link gone" test -e $SIMDEVS/sim1-pf/virtfn0
t_eq "sriov_numvfs reads 0" 0 "$(rd $SIMDEVS/sim1-pf/sriov_numvfs)"
t_eq "sim2: all 4 VFs" OK "$(write_sysfs $SIMDEVS/sim2-pf/sriov_numvfs 4)"
t_eq "sim2: 4 VF devices bound" "vfmp vfmp vfmp vfmp" \
	"$(echo "$(drvname sim2-vf0) $(drvname sim2-vf1) $(drvname sim2-vf2) $(drvname sim2-vf3)")"

# ---- unbind the PF: VFs go away, partition becomes writable --------------
t_eq "sim1 re-enable 2 VFs" OK "$(write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 2)"
t_eq "unbind sim1-pf" OK "$(write_sysfs $VFMPDRV/unbind sim1-pf)"
t_fail "sim1-pf has no driver" test -e $SIMDEVS/sim1-pf/driver
t_eq "PF unbind removed its VFs" "" "$(sim_vfs 1)"
t_eq "sriov_numvfs 0 after unbind" 0 "$(rd $SIMDEVS/sim1-pf/sriov_numvfs)"
t_eq "partition child accepted when unbound" OK "$(write_sysfs $SIMDEVS/sim1-pf/partition child)"
t_eq "partition reads child" child "$(rd $SIMDEVS/sim1-pf/partition)"
t_errno "bad partition value -> EINVAL" EINVAL write_sysfs $SIMDEVS/sim1-pf/partition guest
t_eq "bind a child-partition PF" OK "$(write_sysfs $VFMPDRV/bind sim1-pf)"
t_errno "child PF: SR-IOV off -> EOPNOTSUPP" EOPNOTSUPP write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 1
t_eq "unbind again" OK "$(write_sysfs $VFMPDRV/unbind sim1-pf)"
t_eq "partition parent" OK "$(write_sysfs $SIMDEVS/sim1-pf/partition parent)"
t_eq "rebind as parent" OK "$(write_sysfs $VFMPDRV/bind sim1-pf)"
t_eq "VFs work again" OK "$(write_sysfs $SIMDEVS/sim1-pf/sriov_numvfs 2)"

# ---- delete adapters with VFs enabled: VFs first, so RESET_VF is answered --
dmesg_mark
t_eq "del_device 1 with 2 VFs" OK "$(write_sysfs $SIMBUS/del_device 1)"
t_eq "del_device 2 with 4 VFs" OK "$(write_sysfs $SIMBUS/del_device 2)"
log=$(dmesg_since_mark)
t_eq "all devices gone" "" "$(ls $SIMDEVS)"
t_fail "every VF's RESET_VF was acknowledged (PF outlived its VFs)" grep -q 'did not acknowledge' <<<"$log"
t_eq "allocs 0" 0 "$(rd $SIMDBG/allocs)"
rmmod vfmp && rmmod vfmp_sim
done_testing
