#!/bin/bash
# 10-sim-adapters.sh - vfmp_sim.ko adapter create/delete through the bus
# attributes new_device/del_device, the device attributes of a PF with
# default and explicit sizes, the debugfs keyword store and module unload.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

nlines() { grep -c . <<<"$1"; }

t_ok "insmod vfmp_sim.ko" insmod "$VFMP_KO"/vfmp_sim.ko
t_ok "bus /sys/bus/vfmp_sim registered" test -d $SIMBUS
t_ok "bus has new_device" test -f $SIMBUS/new_device
t_ok "bus has del_device" test -f $SIMBUS/del_device
t_eq "no devices after load" "" "$(ls $SIMDEVS)"
t_eq "debugfs allocs is 0 after load" 0 "$(cat $SIMDBG/allocs)"

# ---- defaults: "ID" -> 8 VFs, 4 queue pairs --------------------------
t_eq "new_device '1' accepted" OK "$(write_sysfs $SIMBUS/new_device 1)"
t_ok "sim1-pf appears" test -e $SIMDEVS/sim1-pf
t_eq "function" pf "$(dev_attr sim1-pf function)"
t_eq "adapter" 1 "$(dev_attr sim1-pf adapter)"
t_fail "vf_index hidden on a PF" test -e $SIMDEVS/sim1-pf/vf_index
t_eq "max_queue_pairs default 4" 4 "$(dev_attr sim1-pf max_queue_pairs)"
t_eq "rss_key_size 40" 40 "$(dev_attr sim1-pf rss_key_size)"
t_eq "rss_indir_size 128" 128 "$(dev_attr sim1-pf rss_indir_size)"
t_eq "rss_hash_types: all six" "ipv4 tcp_ipv4 udp_ipv4 ipv6 tcp_ipv6 udp_ipv6" \
	"$(dev_attr sim1-pf rss_hash_types)"
t_eq "max_mtu 9000" 9000 "$(dev_attr sim1-pf max_mtu)"
t_eq "wol magic" magic "$(dev_attr sim1-pf wol)"
vmq=$(dev_attr sim1-pf vmq_queues)
t_match "vmq_queues > 0 (VMQ capable silicon)" '^[1-9][0-9]*$' "$vmq"
t_eq "perm_addr derived from ID" 02:56:46:00:00:01 "$(dev_attr sim1-pf perm_addr)"
t_eq "partition default parent" parent "$(dev_attr sim1-pf partition)"
t_eq "sriov_totalvfs default 8" 8 "$(dev_attr sim1-pf sriov_totalvfs)"
t_eq "sriov_numvfs 0" 0 "$(dev_attr sim1-pf sriov_numvfs)"
t_match "uevent MODALIAS" 'MODALIAS=vfmp_sim:pf' "$(dev_attr sim1-pf uevent)"
t_fail "no driver bound" test -e $SIMDEVS/sim1-pf/driver
t_match "allocs > 0 with an adapter" '^[1-9][0-9]*$' "$(cat $SIMDBG/allocs)"

# ---- explicit sizes ----------------------------------------------------
t_eq "new_device '2 16 8' accepted" OK "$(write_sysfs $SIMBUS/new_device "2 16 8")"
t_eq "sim2: sriov_totalvfs 16" 16 "$(dev_attr sim2-pf sriov_totalvfs)"
t_eq "sim2: max_queue_pairs 8" 8 "$(dev_attr sim2-pf max_queue_pairs)"
t_eq "new_device '0 0 1' (lower bounds) accepted" OK "$(write_sysfs $SIMBUS/new_device "0 0 1")"
t_eq "sim0: sriov_totalvfs 0" 0 "$(dev_attr sim0-pf sriov_totalvfs)"
t_eq "sim0: max_queue_pairs 1" 1 "$(dev_attr sim0-pf max_queue_pairs)"
t_eq "new_device '1023 64 16' (upper bounds) accepted" OK \
	"$(write_sysfs $SIMBUS/new_device "1023 64 16")"
t_eq "sim1023: sriov_totalvfs 64" 64 "$(dev_attr sim1023-pf sriov_totalvfs)"
t_eq "sim1023: max_queue_pairs 16" 16 "$(dev_attr sim1023-pf max_queue_pairs)"
t_eq "sim1023: perm_addr" 02:56:46:00:03:ff "$(dev_attr sim1023-pf perm_addr)"
t_eq "echo-style write with newline accepted" OK "$(write_sysfs $SIMBUS/new_device $'7 2\n')"
t_eq "sim7: sriov_totalvfs 2" 2 "$(dev_attr sim7-pf sriov_totalvfs)"
t_eq "five PFs listed" "sim0-pf sim1-pf sim1023-pf sim2-pf sim7-pf" "$(ls $SIMDEVS | sort | xargs)"

# ---- debugfs per adapter and the keyword store ------------------------
for f in keywords keyword_reads mbx_stats fail_mbx_send drop_mbx_reply \
	mbx_reply_delay_ms mbx_send_timeout_ms fail_alloc fail_vf_add surprise_remove rx_bad_len vf_inject; do
	[[ -e $SIMDBG/sim1/$f ]] || missing+=" $f"
done
t_eq "debugfs sim1/ has all files" "" "${missing:-}"
kw=$(cat $SIMDBG/sim1/keywords)
t_eq "sim1 keywords: the 6 defaults" \
	"*SRIOV=1|*SriovPreferred=0|*SwitchType=1|*SwitchName=Default Switch|*SwitchId=0|*NumVFs=8" \
	"$(paste -sd'|' <<<"$kw")"
t_match "sim2 *NumVFs follows TOTAL_VFS" '(^|'$'\n'')\*NumVFs=16($|'$'\n'')' "$(cat $SIMDBG/sim2/keywords)"
t_match "sim0 *NumVFs=0" '\*NumVFs=0' "$(cat $SIMDBG/sim0/keywords)"
t_eq "write *SRIOV=0" OK "$(write_sysfs $SIMDBG/sim1/keywords '*SRIOV=0')"
t_match "*SRIOV now 0" '(^|'$'\n'')\*SRIOV=0($|'$'\n'')' "$(cat $SIMDBG/sim1/keywords)"
t_eq "write *SwitchName with a space and newline" OK \
	"$(write_sysfs $SIMDBG/sim1/keywords $'*SwitchName=Lab Switch\n')"
t_match "*SwitchName updated" '\*SwitchName=Lab Switch' "$(cat $SIMDBG/sim1/keywords)"
t_eq "still 6 keywords" 6 "$(nlines "$(cat $SIMDBG/sim1/keywords)")"
t_match "other adapter's keywords untouched" '\*SRIOV=1' "$(cat $SIMDBG/sim2/keywords)"
dmesg_mark
t_errno "unknown keyword -> ENOENT" ENOENT write_sysfs $SIMDBG/sim1/keywords '*Bogus=1'
t_match "unknown keyword logged" 'sim1: unknown keyword "\*Bogus"' "$(dmesg_since_mark)"
dmesg_mark
t_errno "no '=' -> EINVAL" EINVAL write_sysfs $SIMDBG/sim1/keywords 'SRIOV'
t_match "missing '=' logged" 'sim1: keywords: expected NAME=VALUE' "$(dmesg_since_mark)"
t_errno "empty value -> EINVAL" EINVAL write_sysfs $SIMDBG/sim1/keywords '*SwitchId='
t_errno "64-char value -> EINVAL" EINVAL write_sysfs $SIMDBG/sim1/keywords "*SwitchName=$(printf 'x%.0s' {1..64})"
t_match "failed writes changed nothing" '\*SwitchId=0' "$(cat $SIMDBG/sim1/keywords)"
kr=$(cat $SIMDBG/sim1/keyword_reads)
t_eq "keyword_reads: 6 keywords + total, all zero without a driver" \
	"*SRIOV pf=0 vf=0|*SriovPreferred pf=0 vf=0|*SwitchType pf=0 vf=0|*SwitchName pf=0 vf=0|*SwitchId pf=0 vf=0|*NumVFs pf=0 vf=0|total pf=0 vf=0" \
	"$(paste -sd'|' <<<"$kr")"
t_eq "keyword_reads write (reset) accepted" OK "$(write_sysfs $SIMDBG/sim1/keyword_reads 0)"

# ---- delete ---------------------------------------------------------
t_eq "del_device 2" OK "$(write_sysfs $SIMBUS/del_device 2)"
t_fail "sim2-pf gone" test -e $SIMDEVS/sim2-pf
t_fail "debugfs sim2/ gone" test -e $SIMDBG/sim2
t_eq "others intact" "sim0-pf sim1-pf sim1023-pf sim7-pf" "$(ls $SIMDEVS | sort | xargs)"
t_eq "re-create ID 2 after delete works" OK "$(write_sysfs $SIMBUS/new_device "2 3")"
t_eq "re-created sim2 has the new size" 3 "$(dev_attr sim2-pf sriov_totalvfs)"
for id in 0 1 2 7 1023; do write_sysfs $SIMBUS/del_device "$id" >/dev/null || bad+=" $id"; done
t_eq "delete the remaining adapters" "" "${bad:-}"
t_eq "no devices left" "" "$(ls $SIMDEVS)"
t_eq "debugfs allocs back to 0" 0 "$(cat $SIMDBG/allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
t_fail "/sys/bus/vfmp_sim gone after unload" test -e $SIMBUS
done_testing
