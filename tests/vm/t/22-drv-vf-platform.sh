#!/bin/bash
# 22-drv-vf-platform.sh - vfmp.ko: a VF that asks the real platform
# (partition=platform).  The QEMU TCG guest sets the CPUID hypervisor bit
# with no known signature: a third-party hypervisor, partition unknown, so
# the VF is treated as in a child partition (R2).
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

VF=sim0-vf0
t_ok "hypervisor CPUID bit present" grep -q hypervisor /proc/cpuinfo
t_ok "modules load" drv_load
t_ok "adapter 0 created" sim_new "0 2 1"
autoprobe 0
t_eq "enable 1 VF (unbound)" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1)"
t_eq "VF partition set to platform" OK "$(write_sysfs "$(dev_path $VF)/partition" platform)"
trace_start
dmesg_mark
t_eq "bind succeeds" OK "$(drv_bind $VF)"
autoprobe 1
msg=$(dmesg_since_mark)
t_eq "hypervisor file" "present=1 kind=other partition=unknown source=platform third_party=1 verdict=vf_treated_as_child" "$(vattr $VF hypervisor)"
t_eq "personality vf" vf "$(vattr $VF personality)"
t_eq "cur caps 0x5" "type=0x80 rev=1 size=12 flags=0x0 caps=0x5 VF_MINIPORT|SRIOV_SUPPORTED" "$(vattr $VF cur_sriov_caps)"
t_match "kernel says it is treated as child" "vfmp $VF: third-party hypervisor \(partition unknown\): VF treated as in a child partition" "$msg"
t_match "kernel says initialized (vf_treated_as_child)" "vfmp $VF: initialized as vf \(vf_treated_as_child\)" "$msg"
tr=$(trace_dev $VF)
t_match "trace: platform inputs, verdict vf_treated_as_child" "vfmp_partition: dev=$VF function=vf hv_present=1 hv_kind=${HV_KIND[other]} hv_root=0 xen_dom0=0 override=${PART_OVR[platform]} partition=unknown source=platform allow_bare_metal=0 verdict=${VERDICT[vf_treated_as_child]} err=0" "$tr"
t_eq "trace: all 13 steps ran" 13 "$(grep -c '^vfmp_init_step:' <<<"$tr")"
t_match "keyword reads: vf=0" '^total pf=[0-9]+ vf=0$' "$(kw_reads 0)"
done_testing
