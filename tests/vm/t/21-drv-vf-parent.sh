#!/bin/bash
# 21-drv-vf-parent.sh - vfmp.ko: a VF whose partition is the parent must not
# initialize (R2/R9): bind fails with EPERM, the kernel says why in one line,
# last_failed_init keeps the failing step, the trace carries the refusal, and
# nothing is left behind.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

VF=sim0-vf1
t_ok "modules load" drv_load
t_eq "no failed init yet" none "$(cat $VFMPDRV/last_failed_init)"
t_ok "adapter 0 created" sim_new "0 4 2"
base=$(netdev_count)
t_ok "driver autoprobe off" autoprobe 0
t_eq "enable 2 VFs (unbound)" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
t_fail "VF has no driver" test -e "$(dev_path $VF)/driver"
t_eq "VF partition set to parent while unbound" OK "$(write_sysfs "$(dev_path $VF)/partition" parent)"
t_eq "partition reads back parent" parent "$(cat "$(dev_path $VF)/partition")"
trace_start
dmesg_mark
t_eq "bind is refused with EPERM" EPERM "$(drv_bind $VF)"
msg=$(dmesg_since_mark)
t_match "one line names the step, rule and why: parent partition, PF init impossible on a VF" \
	"vfmp $VF: init step 2 partition_check \(R2\) failed: -1: a VF must not initialize in the parent partition, and PF init is impossible on a VF function" "$msg"
t_eq "the reason is logged once" 1 "$(grep -c 'must not initialize in the parent partition' <<<"$msg")"
t_fail "VF still unbound" test -e "$(dev_path $VF)/driver"
t_eq "no netdev left behind" "$base" "$(netdev_count)"
lf=$(cat $VFMPDRV/last_failed_init)
t_match "last_failed_init: the VF, result -1 (EPERM)" "^dev=$VF function=vf result=-1 " "$lf"
t_match "last_failed_init: R2 partition_check fail" ' 2 R2  partition_check  fail err=-1 .*# a VF must not initialize in the parent partition' "$lf"
t_eq "last_failed_init: stops at step 2" 3 "$(wc -l <<<"$lf")"
tr=$(trace_dev $VF)
t_match "trace: verdict refuse_vf_in_parent err -1, from the device" \
	"vfmp_partition: dev=$VF function=vf hv_present=1 hv_kind=${HV_KIND[other]} .* override=${PART_OVR[parent]} partition=parent source=device allow_bare_metal=0 verdict=${VERDICT[refuse_vf_in_parent]} err=-1" "$tr"
t_eq "trace: steps stop at partition_check" "alloc_adapter/R1/ok partition_check/R2/fail" "$(trace_steps $VF)"
t_match "trace: init_end personality none err -1" "vfmp_init_end: dev=$VF personality=none err=-1 " "$tr"
t_eq "trace: no keyword or mailbox traffic from the refused VF" 0 "$(grep -cE '^vfmp_(keyword|mbx):' <<<"$tr")"
# back to child: the same function now comes up
write_sysfs "$(dev_path $VF)/partition" child >/dev/null
t_eq "after partition=child the bind succeeds" OK "$(drv_bind $VF)"
t_eq "and it is a VF" vf "$(vattr $VF personality)"
autoprobe 1
done_testing
