#!/bin/bash
# 23-drv-bare-metal.sh - vfmp.ko with no hypervisor at all: a VF asking the
# platform is refused (not in a child partition) unless allow_bare_metal_vf
# is set; a PF asking the platform on bare metal may enable SR-IOV.
# vm-opts: --no-hypervisor
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

VF=sim0-vf0
PF=sim0-pf
t_fail "no hypervisor CPUID bit" grep -q hypervisor /proc/cpuinfo
t_ok "modules load" drv_load
t_eq "allow_bare_metal_vf defaults to N" N "$(cat /sys/module/vfmp/parameters/allow_bare_metal_vf)"
t_ok "adapter 0 created" sim_new "0 2 1"
# the PF asks the platform too: unbind, switch, rebind
t_eq "PF unbound" OK "$(drv_unbind $PF)"
t_eq "PF partition set to platform" OK "$(write_sysfs "$(dev_path $PF)/partition" platform)"
trace_start
t_eq "PF bound" OK "$(drv_bind $PF)"
t_eq "PF hypervisor file: none, pf_sriov" "present=0 kind=none partition=unknown source=platform third_party=0 verdict=pf_sriov" "$(vattr $PF hypervisor)"
t_eq "PF personality pf" pf "$(vattr $PF personality)"
t_eq "PF cur caps 0x3" "type=0x80 rev=1 size=12 flags=0x0 caps=0x3 PF_MINIPORT|SRIOV_SUPPORTED" "$(vattr $PF cur_sriov_caps)"
t_match "trace: PF verdict pf_sriov from the platform" "vfmp_partition: dev=$PF function=pf hv_present=0 hv_kind=${HV_KIND[none]} hv_root=0 xen_dom0=0 override=${PART_OVR[platform]} partition=unknown source=platform allow_bare_metal=0 verdict=${VERDICT[pf_sriov]} err=0" "$(trace_dev $PF)"

autoprobe 0
t_eq "enable 1 VF (unbound)" OK "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 1)"
t_eq "VF partition set to platform" OK "$(write_sysfs "$(dev_path $VF)/partition" platform)"
base=$(netdev_count)
dmesg_mark
t_eq "VF bind refused with EPERM" EPERM "$(drv_bind $VF)"
msg=$(dmesg_since_mark)
t_match "kernel says why and names allow_bare_metal_vf" "vfmp $VF: init step 2 partition_check \(R2\) failed: -1: no hypervisor: a VF is not in a child partition \(load with allow_bare_metal_vf=1 to permit\)" "$msg"
t_eq "no netdev left behind" "$base" "$(netdev_count)"
t_match "trace: verdict refuse_vf_bare_metal" "vfmp_partition: dev=$VF function=vf hv_present=0 hv_kind=${HV_KIND[none]} .* override=${PART_OVR[platform]} partition=unknown source=platform allow_bare_metal=0 verdict=${VERDICT[refuse_vf_bare_metal]} err=-1" "$(trace_dev $VF)"
t_match "last_failed_init: R2 partition_check fail" ' 2 R2  partition_check  fail err=-1 .*allow_bare_metal_vf' "$(cat $VFMPDRV/last_failed_init)"

t_eq "allow_bare_metal_vf set at runtime" OK "$(write_sysfs /sys/module/vfmp/parameters/allow_bare_metal_vf 1)"
trace_start
dmesg_mark
t_eq "VF bind now succeeds" OK "$(drv_bind $VF)"
autoprobe 1
t_eq "VF hypervisor file: vf_bare_metal_allowed" "present=0 kind=none partition=unknown source=platform third_party=0 verdict=vf_bare_metal_allowed" "$(vattr $VF hypervisor)"
t_match "kernel notes bare metal was allowed" "vfmp $VF: no hypervisor: VF on bare metal allowed by allow_bare_metal_vf=1" "$(dmesg_since_mark)"
t_match "trace: verdict vf_bare_metal_allowed, allow_bare_metal=1" "vfmp_partition: dev=$VF .* allow_bare_metal=1 verdict=${VERDICT[vf_bare_metal_allowed]} err=0" "$(trace_dev $VF)"
t_match "keyword reads: vf=0" '^total pf=[0-9]+ vf=0$' "$(kw_reads 0)"
done_testing
