#!/bin/bash
# 25-drv-pf-child.sh - vfmp.ko: a PF passed through to a child partition
# initializes as a plain PF (verdict pf_no_sriov_child): no SR-IOV, no
# keyword reads at all, sriov_numvfs refused.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

PF=sim0-pf
t_ok "modules load" drv_load
t_ok "adapter 0 created" sim_new "0 4 2"
t_eq "PF unbound" OK "$(drv_unbind $PF)"
t_eq "PF partition set to child" OK "$(write_sysfs "$(dev_path $PF)/partition" child)"
echo 1 > "$(sim_dbg 0 keyword_reads)"
t_eq "keyword read counters reset" "total pf=0 vf=0" "$(kw_reads 0)"
trace_start
dmesg_mark
t_eq "PF binds" OK "$(drv_bind $PF)"
msg=$(dmesg_since_mark)
t_eq "personality pf" pf "$(vattr $PF personality)"
t_eq "hypervisor: child from the device, pf_no_sriov_child" "present=1 kind=other partition=child source=device third_party=0 verdict=pf_no_sriov_child" "$(vattr $PF hypervisor)"
t_eq "cur caps 0x2" "type=0x80 rev=1 size=12 flags=0x0 caps=0x2 PF_MINIPORT" "$(vattr $PF cur_sriov_caps)"
t_match "kernel explains" "vfmp $PF: PF passed through to a guest partition: SR-IOV not enabled" "$msg"
t_eq "keyword reads: pf=0 vf=0 (skipped)" "total pf=0 vf=0" "$(kw_reads 0)"
tr=$(trace_dev $PF)
t_eq "trace: no vfmp_keyword event" 0 "$(grep -c '^vfmp_keyword:' <<<"$tr")"
t_match "trace: verdict pf_no_sriov_child" "vfmp_partition: dev=$PF function=pf .* override=${PART_OVR[child]} partition=child source=device allow_bare_metal=0 verdict=${VERDICT[pf_no_sriov_child]} err=0" "$tr"
t_match "trace: keywords step skipped (R3)" 'keywords/R3/skip' "$(trace_steps $PF)"
dmesg_mark
t_eq "enabling VFs refused: EOPNOTSUPP" EOPNOTSUPP "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 2)"
t_match "kernel says SR-IOV is off: child partition" "vfmp $PF: cannot enable VFs: SR-IOV is off \(PF is in a child partition\)" "$(dmesg_since_mark)"
done_testing
