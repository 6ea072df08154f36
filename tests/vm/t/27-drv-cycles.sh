#!/bin/bash
# 27-drv-cycles.sh - vfmp.ko: 50 unbind/bind cycles of a VF and of the PF
# (a PF unbind removes its VFs), rmmod with VFs up, then nothing left:
# no netdev, no sim allocation.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

N=50
PF=sim0-pf
VF=sim0-vf0
base=$(netdev_count)
t_ok "modules load" drv_load
t_ok "adapter 0 (4 VFs) created" sim_new "0 4 2"
t_eq "enable 2 VFs" OK "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 2)"
t_eq "PF + 2 VF netdevs" $((base + 3)) "$(netdev_count)"

bad=""
for ((i = 1; i <= N; i++)); do
	r=$(drv_unbind $VF)
	[[ $r == OK ]] || { bad="unbind $i: $r"; break; }
	r=$(drv_bind $VF)
	[[ $r == OK ]] || { bad="bind $i: $r"; break; }
done
t_eq "$N VF unbind/bind cycles" "" "$bad"
t_eq "VF up" vf "$(vattr $VF personality)"
t_eq "netdev count stable" $((base + 3)) "$(netdev_count)"
# 2 requests at first bind, then RESET_VF + VERSION + GET_RESOURCES per cycle
t_match "PF served every cycle, rejected nothing" "vf0 requests=$((2 + 3 * N)) rejects=0 last_reject=-/- version_done=1 qps=2" "$(vattr $PF mbx_stats)"
t_match "VF saw no stray replies" 'unexpected_replies=0( |$)' "$(vattr $VF mbx_stats)"

bad=""
for ((i = 1; i <= N; i++)); do
	r=$(drv_unbind $PF)
	[[ $r == OK ]] || { bad="unbind $i: $r"; break; }
	[[ $(cat "$(dev_path $PF)/sriov_numvfs") == 0 ]] || { bad="VFs left after unbind $i"; break; }
	r=$(drv_bind $PF)
	[[ $r == OK ]] || { bad="bind $i: $r"; break; }
	if ((i % 10 == 0)); then
		r=$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 2)
		[[ $r == OK ]] || { bad="enable VFs $i: $r"; break; }
	fi
done
t_eq "$N PF unbind/bind cycles (VFs enabled every 10th)" "" "$bad"
t_eq "PF up with SR-IOV" "type=0x80 rev=1 size=12 flags=0x0 caps=0x3 PF_MINIPORT|SRIOV_SUPPORTED" "$(vattr $PF cur_sriov_caps)"
t_eq "2 VFs up" "vf vf" "$(vattr sim0-vf0 personality) $(vattr sim0-vf1 personality)"
t_eq "netdev count" $((base + 3)) "$(netdev_count)"
t_match "keyword reads: vf=0" '^total pf=[0-9]+ vf=0$' "$(kw_reads 0)"

t_ok "a second adapter with 1 VF" sim_new "1 2 1"
write_sysfs "$(dev_path sim1-pf)/sriov_numvfs" 1 >/dev/null
t_eq "5 netdevs of ours" $((base + 5)) "$(netdev_count)"
dmesg_mark
t_ok "rmmod vfmp with VFs up" rmmod vfmp
t_eq "netdevs back to baseline" "$base" "$(netdev_count)"
t_ok "delete the adapters" sh -c "echo 0 > $SIMBUS/del_device && echo 1 > $SIMBUS/del_device"
t_eq "sim allocations back to 0" 0 "$(cat $SIMDBG/allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
