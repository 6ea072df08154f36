#!/bin/bash
# vm-opts: --igb 2 -t 600
# 70-igb-sriov.sh - the harness's real SR-IOV NIC: two QEMU-emulated Intel
# 82576 adapters (run-vm.sh --igb 2) driven by the in-tree igb (PF) and
# igbvf (VF) drivers.  Proves what the VF-init tools are tested on for a
# driver other than vfmp: VFs created through sriov_numvfs, bound by igbvf,
# with netdevs, torn down again, the two PFs passing traffic over the hub,
# and bad input refused with the kernel's errno.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

PCI=/sys/bus/pci/devices
PF=$PCI/0000:00:08.0
PF2=$PCI/0000:00:0c.0

id_of() { echo "$(cat "$1/vendor"):$(cat "$1/device")"; }
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
vfs_of() { # PF -> its VFs' BDFs, in order
	local i
	for ((i = 0; ; i++)); do
		[[ -e $1/virtfn$i ]] || break
		basename "$(readlink "$1/virtfn$i")"
	done | xargs
}
netdev_of() { ls "$1/net" 2>/dev/null | head -n 1; }
has_netdev() { [[ -n $(netdev_of "$1") ]]; }
pf_drivers() { echo "$(drv_of $PF)$(drv_of $PF2)"; }

t_eq "first PF is an 82576 (8086:10c9)" "0x8086:0x10c9" "$(id_of $PF)"
t_eq "second PF too" "0x8086:0x10c9" "$(id_of $PF2)"
dmesg_mark
t_ok "modprobe igb" modprobe igb
t_ok "igb binds both PFs" wait_eq 30 igbigb pf_drivers
t_eq "sriov_totalvfs is 7" 7 "$(cat $PF/sriov_totalvfs)"
t_eq "no VFs yet" 0 "$(cat $PF/sriov_numvfs)"

# ---- bad input: the kernel's own checks ----------------------------------
t_errno "sriov_numvfs 8 (> totalvfs) refused" ERANGE write_sysfs $PF/sriov_numvfs 8
t_errno "sriov_numvfs junk refused" EINVAL write_sysfs $PF/sriov_numvfs 3x
t_eq "still no VFs" 0 "$(cat $PF/sriov_numvfs)"

# ---- VF creation: with no igbvf loaded, the VFs stay unbound ---------------
t_ok "echo 3 > sriov_numvfs" write_sysfs $PF/sriov_numvfs 3
t_eq "three VFs at slot 0x18, stride 2" "0000:00:18.0 0000:00:18.2 0000:00:18.4" "$(vfs_of $PF)"
ok=1
for vf in $(vfs_of $PF); do
	[[ $(id_of $PCI/$vf) == 0x8086:0x10ca ]] || ok=0
	[[ $(readlink -f $PCI/$vf/physfn) == "$(readlink -f $PF)" ]] || ok=0
	[[ -z $(drv_of $PCI/$vf) ]] || ok=0
done
t_ok "each is an 82576 VF (8086:10ca) whose physfn is the PF, unbound" test $ok = 1
t_errno "sriov_numvfs 2 while 3 are enabled refused (N->M)" EBUSY write_sysfs $PF/sriov_numvfs 2

# ---- igbvf binds them ------------------------------------------------------
t0=$(date +%s%N)
t_ok "modprobe igbvf" modprobe igbvf
bound() { local vf; for vf in $(vfs_of $PF); do [[ $(drv_of $PCI/$vf) == igbvf ]] || return 1; done; }
t_ok "igbvf binds all three VFs" wait_for 60 bound
diag "modprobe igbvf to three bound VFs: $((($(date +%s%N) - t0) / 1000000)) ms"
havenet() { local vf; for vf in $(vfs_of $PF); do [[ -n $(netdev_of $PCI/$vf) ]] || return 1; done; }
t_ok "each VF registered a netdev" wait_for 30 havenet
t_eq "ip link show PF lists three VFs" 3 "$(ip -d link show "$(netdev_of $PF)" | grep -c '^ *vf [0-9]')"

# ---- unbind / bind one VF --------------------------------------------------
VF=$(vfs_of $PF | cut -d' ' -f2)
t_ok "unbind $VF" write_sysfs $PCI/$VF/driver/unbind "$VF"
t_eq "it has no driver and no netdev" ":" "$(drv_of $PCI/$VF):$(netdev_of $PCI/$VF)"
t_ok "bind it again" write_sysfs /sys/bus/pci/drivers/igbvf/bind "$VF"
t_ok "its netdev is back" wait_for 30 has_netdev $PCI/$VF

# ---- traffic between the two PFs, over the QEMU hub -------------------------
N1=$(netdev_of $PF) N2=$(netdev_of $PF2)
ip netns add igb1 && ip netns add igb2
ip link set "$N1" netns igb1 && ip link set "$N2" netns igb2
nx igb1 ip addr add 192.0.2.1/24 dev "$N1"
nx igb2 ip addr add 192.0.2.2/24 dev "$N2"
nx igb1 ip link set "$N1" up
nx igb2 ip link set "$N2" up
carriers() { echo "$(nx igb1 cat /sys/class/net/"$N1"/carrier)$(nx igb2 cat /sys/class/net/"$N2"/carrier)"; }
t_ok "both PFs get carrier" wait_eq 60 11 carriers
t_ok "PF 1 pings PF 2 across the hub" ping_ok igb1 192.0.2.2
nx igb1 ip link set "$N1" netns 1
nx igb2 ip link set "$N2" netns 1
ip netns del igb1; ip netns del igb2

# ---- teardown ----------------------------------------------------------------
t_ok "echo 0 > sriov_numvfs" write_sysfs $PF/sriov_numvfs 0
t_eq "the VFs are gone" "" "$(vfs_of $PF)"
t_ok "rmmod igbvf igb" rmmod igbvf igb
t_eq "the kernel logged no warning" "" "$(dmesg_since_mark '(WARNING|BUG|Oops|refcount)')"
done_testing
