#!/bin/bash
# 28-drv-kw-guard.sh - vfmp.ko R3 guard: with debug_vf_kw_read=1 a VF's init
# tries to read *SRIOV; the one keyword accessor refuses it before the
# hardware is touched (WARN_ONCE, vfmp_keyword refused event, sim counter
# vf=0) and the VF still comes up.
# vm-allow-warn: a VF must not read SR-IOV keyword
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

t_ok "modules load" drv_load
t_ok "adapter 0 created" sim_new "0 4 1"
t_eq "debug_vf_kw_read defaults to N" N "$(cat /sys/module/vfmp/parameters/debug_vf_kw_read)"
t_eq "debug_vf_kw_read=1" OK "$(write_sysfs /sys/module/vfmp/parameters/debug_vf_kw_read 1)"
echo 1 > "$(sim_dbg 0 keyword_reads)"
trace_start
dmesg_mark
t_eq "enable 2 VFs" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
msg=$(dmesg_since_mark)
t_match "WARN_ONCE names the VF and the rule" 'vfmp: sim0-vf0: a VF must not read SR-IOV keyword \*SRIOV \(rule R3\); refused' "$msg"
t_eq "warned once for two VFs" 1 "$(grep -c 'a VF must not read SR-IOV keyword' <<<"$msg")"
t_match "a WARNING splat was printed" 'WARNING: CPU: [0-9]+ PID: [0-9]+ at .*vfmp_kw_read' "$msg"
t_match "each VF logs the refused read" "vfmp sim0-vf0: debug_vf_kw_read: keyword read refused \(-1\).*vfmp sim0-vf1: debug_vf_kw_read: keyword read refused \(-1\)" "$(tr '\n' ' ' <<<"$msg")"
for vf in sim0-vf0 sim0-vf1; do
	t_eq "trace: $vf keyword read refused err=-1" "vfmp_keyword: dev=$vf function=vf keyword=*SRIOV refused err=-1" "$(trace_dev $vf | grep '^vfmp_keyword:')"
done
t_eq "sim keyword_reads: nothing reached the hardware" "total pf=0 vf=0" "$(kw_reads 0)"
t_eq "*SRIOV never read by a VF" "*SRIOV pf=0 vf=0" "$(grep '^\*SRIOV ' "$(sim_dbg 0 keyword_reads)")"
t_eq "vf0 still comes up as a VF" vf "$(vattr sim0-vf0 personality)"
t_match "init_log: keyword step skipped" 'keywords +skip ' "$(vattr sim0-vf0 init_log)"
t_eq "kernel taint includes W" 512 "$(( $(cat /proc/sys/kernel/tainted) & 512 ))"
done_testing
