#!/bin/bash
# 26-drv-vf-timeout.sh - vfmp.ko: a VF whose PF does not answer.  A PF
# unbind takes its VFs away (as PCI's sriov disable does), so the silent PF
# is modelled with the sim's mailbox faults: a lost reply (drop_mbx_reply),
# a reply later than mbx_timeout_ms (mbx_reply_delay_ms) and a failing
# doorbell (fail_mbx_send).  Each probe fails cleanly and a later one works.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

PF=sim0-pf
VF=sim0-vf0
P=/sys/module/vfmp/parameters/mbx_timeout_ms

t_ok "modules load" drv_load
t_eq "mbx_timeout_ms defaults to 2000" 2000 "$(cat $P)"
t_eq "mbx_timeout_ms below 10 refused" ERANGE "$(write_sysfs $P 5)"
t_eq "mbx_timeout_ms=300" OK "$(write_sysfs $P 300)"
t_ok "adapter 0 created" sim_new "0 2 1"
t_eq "enable 1 VF" OK "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 1)"
t_eq "VF up" vf "$(vattr $VF personality)"
t_eq "PF unbind" OK "$(drv_unbind $PF)"
t_fail "the PF's unbind removed its VF" test -e "$(dev_path $VF)"
t_eq "PF bind" OK "$(drv_bind $PF)"
autoprobe 0
t_eq "enable 1 VF (unbound)" OK "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 1)"
base=$(netdev_count)
allocs=$(cat $SIMDBG/allocs)

# lost reply
echo 1 > "$(sim_dbg 0 drop_mbx_reply)"
trace_start
dmesg_mark
t0=$(now_ms)
t_eq "bind fails with ETIMEDOUT (VERSION reply lost)" ETIMEDOUT "$(drv_bind $VF)"
ms=$(($(now_ms) - t0))
# the bind's own work adds to the wait: a slower (debug) kernel gets the
# bound times its VFMP_VM_TIME_SCALE
t_ok "it waited about mbx_timeout_ms ($ms ms)" test "$ms" -ge 290 -a "$ms" -lt $((3000 * ${VFMP_VM_TIME_SCALE:-1}))
msg=$(dmesg_since_mark)
t_match "kernel names the cause" "vfmp $VF: mailbox version: no reply from the PF \(no PF driver bound, or the reply was lost\) \(-110\)" "$msg"
t_match "kernel names the failing step" "vfmp $VF: init step 5 mailbox \(R1\) failed: -110" "$msg"
t_match "sim counted the dropped reply" 'vf0 to_vf sent=[0-9]+ received=[0-9]+ queued=0 dropped=1 ' "$(cat "$(sim_dbg 0 mbx_stats)")"
t_fail "VF unbound" test -e "$(dev_path $VF)/driver"
t_eq "no netdev left behind" "$base" "$(netdev_count)"
t_eq "sim allocations unchanged" "$allocs" "$(cat $SIMDBG/allocs)"
t_match "last_failed_init: mailbox fail -110" ' 5 R1  mailbox          fail err=-110 ' "$(cat $VFMPDRV/last_failed_init)"
t_eq "trace: steps up to the mailbox" "alloc_adapter/R1/ok partition_check/R2/ok enable_device/R1/ok keywords/R3/skip mailbox/R1/fail" "$(trace_steps $VF)"
t_eq "trace: VF sent VERSION, got nothing" "vfmp_mbx: dev=$VF vf=0 dir=tx opcode=${MBX_OP[version]} len=24 status=${MBX_STATUS[ok]} err=0" "$(trace_dev $VF | grep '^vfmp_mbx:')"
t_match "trace: init_end err -110" "vfmp_init_end: dev=$VF personality=none err=-110 " "$(trace_dev $VF)"

# late reply
echo 1000 > "$(sim_dbg 0 mbx_reply_delay_ms)"
dmesg_mark
t_eq "bind fails with ETIMEDOUT (reply 1000 ms late)" ETIMEDOUT "$(drv_bind $VF)"
t_match "kernel names the cause" "vfmp $VF: mailbox version: no reply from the PF" "$(dmesg_since_mark)"
echo 0 > "$(sim_dbg 0 mbx_reply_delay_ms)"
sleep 1.2	# the late reply lands in a channel nobody listens to
t_eq "no netdev left behind" "$base" "$(netdev_count)"

# doorbell failure: every send try fails
echo 3 > "$(sim_dbg 0 fail_mbx_send)"
dmesg_mark
t_eq "bind fails with EIO (send failed 3 times)" EIO "$(drv_bind $VF)"
t_match "kernel says the send failed" "vfmp $VF: mailbox version: mailbox send failed \(-5\)" "$(dmesg_since_mark)"
t_match "sim counted 3 failed sends" 'vf0 to_pf sent=[0-9]+ received=[0-9]+ queued=0 dropped=0 failed=3 ' "$(cat "$(sim_dbg 0 mbx_stats)")"

# and now it works
trace_start
t_eq "bind succeeds with the faults gone" OK "$(drv_bind $VF)"
t_eq "VF up" vf "$(vattr $VF personality)"
t_eq "one more netdev" $((base + 1)) "$(netdev_count)"
t_match "VF saw no stray replies since" '^requests=2 unexpected_replies=0 ' "$(vattr $VF mbx_stats)"
autoprobe 1
done_testing
