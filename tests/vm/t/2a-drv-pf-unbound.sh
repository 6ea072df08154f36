#!/bin/bash
# 2a-drv-pf-unbound.sh - a VF whose PF has no driver times out (issue 3).
# A PF driver leaves SR-IOV on while a VF is assigned to a guest (as PCI
# drivers do); that VF's mailbox then has nobody to answer, so its probe
# fails after mbx_timeout_ms with a message naming the cause, and leaves
# nothing behind.  Rebinding the PF adopts the VFs again.
# vm-opts: -t 600
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../drvlib.sh"

drv_load mbx_timeout_ms=300 || bail_out "cannot load modules"
sim_new "0 4 2"
t_eq "2 VFs enabled" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
t_eq "VF 0 marked assigned" OK "$(write_sysfs "$(dev_path sim0-vf0)/assigned" 1)"
t_eq "assigned reads back" 1 "$(cat "$(dev_path sim0-vf0)/assigned")"
t_fail "a PF has no assigned attribute" test -e "$(dev_path sim0-pf)/assigned"
t_eq "disabling SR-IOV under an assigned VF is refused" EBUSY \
	"$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 0)"

ADMIN=02:00:00:00:0d:01
t_ok "admin sets VF 0's MAC" ip link set "$(wait_netdev sim0-pf)" vf 0 mac $ADMIN
dmesg_mark
t_eq "PF unbinds" OK "$(drv_unbind sim0-pf)"
t_ok "the assigned VF survives the PF driver" test -e "$(dev_path sim0-vf0)"
t_match "the PF says why SR-IOV stays on" \
	'1 VFs are assigned to guests: leaving SR-IOV enabled' "$(dmesg_since_mark vfmp)"

t_eq "VF unbinds (its RESET_VF goes unanswered)" OK "$(drv_unbind sim0-vf0)"
vf0_queued() {
	sed -n 's/^vf0 to_pf .* queued=\([0-9]*\) .*/\1/p' "$(sim_dbg 0 mbx_stats)"
}
q_before=$(vf0_queued)
nd_before=$(netdev_count)
allocs_before=$(cat $SIMDBG/allocs)
dmesg_mark
t0=$(now_ms)
t_eq "VF probe fails with ETIMEDOUT" ETIMEDOUT "$(drv_bind sim0-vf0)"
ms=$(($(now_ms) - t0))
t_ok "it waited for the timeout (${ms} ms >= 300)" test "$ms" -ge 300
t_match "the message names the cause" \
	'mailbox version: no reply from the PF \(no PF driver bound' "$(dmesg_since_mark vfmp)"
t_match "last_failed_init stops at the mailbox step" \
	'5 R1  mailbox +fail err=-110' "$(cat $VFMPDRV/last_failed_init)"
t_eq "no netdev left behind" "$nd_before" "$(netdev_count)"
# the unanswered request stays in mailbox memory, nothing else is left
queued=$(( $(vf0_queued) - q_before ))
t_eq "the unanswered VERSION waits in the mailbox" 1 "$queued"
t_eq "no other sim allocation left behind" "$((allocs_before + queued))" "$(cat $SIMDBG/allocs)"

dmesg_mark
t_eq "PF binds again and adopts its VFs" OK "$(drv_bind sim0-pf)"
t_match "the new PF instance keeps the administrator's MAC" \
	"VF 0 keeps its administrator's MAC $ADMIN" "$(dmesg_since_mark vfmp)"
t_match "ip link show lists it" "vf 0 .*link/ether $ADMIN" "$(ip link show "$(wait_netdev sim0-pf)")"
t_eq "the VF now comes up" OK "$(drv_bind sim0-vf0)"
t_eq "and GET_RESOURCES gives it the admin MAC, not a generated one" $ADMIN \
	"$(cat /sys/class/net/"$(wait_netdev sim0-vf0)"/address)"

# A VF that stays bound across a PF driver rebind: the new PF instance
# does not know it, so its next request is refused (ERR_STATE); the VF
# negotiates again and carries on.
vfnd=$(dev_netdev sim0-vf0)
t_ok "VF netdev up" ip link set "$vfnd" up
t_eq "PF rebinds under the bound, assigned VF" "OK OK" \
	"$(drv_unbind sim0-pf) $(drv_bind sim0-pf)"
dmesg_mark
ip link set "$vfnd" down
t_ok "VF netdev comes up again (CONFIG_RSS to the new PF)" ip link set "$vfnd" up
t_match "it renegotiated with the new PF" 'PF lost our state; negotiating again' \
	"$(dmesg_since_mark vfmp)"
write_sysfs "$(dev_path sim0-vf0)/assigned" 0 >/dev/null
sim_del 0
t_eq "allocs back to 0" 0 "$(cat $SIMDBG/allocs)"
drv_unload
done_testing
