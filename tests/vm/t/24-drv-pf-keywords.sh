#!/bin/bash
# 24-drv-pf-keywords.sh - vfmp.ko as a PF in the parent partition (the sim's
# default for a PF) reads the SR-IOV keywords (*SRIOV, *NumVFs, ...) and
# reports PF_MINIPORT|SRIOV_SUPPORTED, or PF_MINIPORT alone with SR-IOV off.
# Keywords are read at init, so each change is followed by unbind/bind.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

PF=sim0-pf
CAPS3="type=0x80 rev=1 size=12 flags=0x0 caps=0x3 PF_MINIPORT|SRIOV_SUPPORTED"
CAPS2="type=0x80 rev=1 size=12 flags=0x0 caps=0x2 PF_MINIPORT"
NUMVFS=$(dev_path $PF)/sriov_numvfs

rebind_pf() { drv_unbind $PF >/dev/null; drv_bind $PF; }

t_ok "modules load" drv_load
trace_start
t_ok "adapter 0 (4 VFs) created, PF autoprobes" sim_new "0 4 2"
t_eq "PF personality" pf "$(vattr $PF personality)"
t_eq "PF hypervisor: parent from the device, pf_sriov" "present=1 kind=other partition=parent source=device third_party=0 verdict=pf_sriov" "$(vattr $PF hypervisor)"
t_eq "hw caps 0x3" "$CAPS3" "$(vattr $PF hw_sriov_caps)"
t_eq "cur caps 0x3" "$CAPS3" "$(vattr $PF cur_sriov_caps)"
t_eq "PF advertises VMQ" "advertised queues=8" "$(vattr $PF vmq)"
t_eq "trace: PF steps in order" "alloc_adapter/R1/ok partition_check/R2/ok enable_device/R1/ok keywords/R3/ok queues/R1/ok mailbox/R9/ok nic_switch/R9/ok sriov_caps/R4/ok sriov_flags/R5/ok vmq/R7/ok register_attrs/R6/ok rss_pm/R8/ok sysfs/R1/ok register_netdev/R1/ok devlink/R9/ok" "$(trace_steps $PF)"
tr=$(trace_dev $PF)
t_eq "trace: keyword step reads *SRIOV first, all allowed" \
	"*SRIOV allowed|*SriovPreferred allowed|*SwitchType allowed|*SwitchId allowed|*NumVFs allowed|*SwitchName allowed" \
	"$(sed -n '/name=enable_device/,/name=keywords/s/^vfmp_keyword: dev=[^ ]* function=pf keyword=\([^ ]*\) \([a-z]*\) err=0$/\1 \2/p' <<<"$tr" | paste -sd'|')"
t_eq "trace: hardware and current caps 0x3" "caps=0x3 caps=0x3" "$(grep '^vfmp_caps_register:' <<<"$tr" | grep -o 'caps=0x[0-9a-f]*' | paste -sd' ')"
t_match "trace: PF verdict pf_sriov" "vfmp_partition: dev=sim0-pf function=pf .* partition=parent source=device .* verdict=${VERDICT[pf_sriov]} err=0" "$tr"
t_match "keyword reads: PF read them, vf=0" '^total pf=[1-9][0-9]* vf=0$' "$(kw_reads 0)"
t_eq "enable 2 VFs" OK "$(write_sysfs "$NUMVFS" 2)"
t_eq "sriov_numvfs reads 2" 2 "$(cat "$NUMVFS")"
t_eq "disable VFs" OK "$(write_sysfs "$NUMVFS" 0)"

# *SRIOV=0
t_eq "*SRIOV=0 written to the NVM" OK "$(kw_set 0 '*SRIOV=0')"
t_eq "PF rebinds" OK "$(rebind_pf)"
t_eq "cur caps 0x2 (SR-IOV off)" "$CAPS2" "$(vattr $PF cur_sriov_caps)"
t_eq "hw caps still 0x3" "$CAPS3" "$(vattr $PF hw_sriov_caps)"
t_match "init_log: mailbox and nic_switch skipped" 'mailbox +skip .*
.*nic_switch +skip ' "$(vattr $PF init_log)"
t_eq "mbx_stats: mailbox off with the reason" "mailbox off (*SRIOV=0 in the adapter's keywords)" "$(vattr $PF mbx_stats)"
dmesg_mark
t_eq "enabling VFs refused: EOPNOTSUPP" EOPNOTSUPP "$(write_sysfs "$NUMVFS" 2)"
t_match "kernel says SR-IOV is off and why" "vfmp $PF: cannot enable VFs: SR-IOV is off \(\*SRIOV=0 in the adapter's keywords\)" "$(dmesg_since_mark)"
t_eq "no VF appeared" 0 "$(cat "$NUMVFS")"

# *NumVFs=1
t_eq "*SRIOV=1" OK "$(kw_set 0 '*SRIOV=1')"
t_eq "*NumVFs=1" OK "$(kw_set 0 '*NumVFs=1')"
dmesg_mark
t_eq "PF rebinds" OK "$(rebind_pf)"
t_match "NIC switch sized by *NumVFs" "vfmp $PF: NIC switch 0 \"Default Switch\" \(type 1\) created for up to 1 VFs" "$(dmesg_since_mark)"
t_eq "cur caps 0x3 again" "$CAPS3" "$(vattr $PF cur_sriov_caps)"
dmesg_mark
t_eq "enabling 2 VFs refused: ERANGE" ERANGE "$(write_sysfs "$NUMVFS" 2)"
t_match "kernel names *NumVFs" "vfmp $PF: cannot enable 2 VFs: the NIC switch allows 1 \(\*NumVFs\)" "$(dmesg_since_mark)"
t_eq "enabling 1 VF works" OK "$(write_sysfs "$NUMVFS" 1)"
t_eq "the VF is up" vf "$(vattr sim0-vf0 personality)"
t_eq "disable VFs" OK "$(write_sysfs "$NUMVFS" 0)"

# *NumVFs above the adapter's total: clamped with a warning
t_eq "*NumVFs=9" OK "$(kw_set 0 '*NumVFs=9')"
dmesg_mark
t_eq "PF rebinds" OK "$(rebind_pf)"
t_match "kernel warns and clamps *NumVFs" "vfmp $PF: \*NumVFs=9 exceeds the adapter's 4 VFs; using 4" "$(dmesg_since_mark)"

# invalid *SRIOV
t_eq "*NumVFs=4" OK "$(kw_set 0 '*NumVFs=4')"
t_eq "*SRIOV=7" OK "$(kw_set 0 '*SRIOV=7')"
dmesg_mark
t_eq "PF rebinds" OK "$(rebind_pf)"
t_match "kernel warns *SRIOV=7 is invalid, SR-IOV off" "vfmp $PF: \*SRIOV=7 is not 0 or 1; SR-IOV stays off" "$(dmesg_since_mark)"
t_eq "cur caps 0x2" "$CAPS2" "$(vattr $PF cur_sriov_caps)"
t_eq "enabling VFs refused: EOPNOTSUPP" EOPNOTSUPP "$(write_sysfs "$NUMVFS" 1)"
done_testing
