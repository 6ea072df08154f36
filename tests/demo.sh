#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh: runs inside the guest (make demo, booted with a QEMU Intel 82576,
# run-vm.sh --igb 1).  The init tracer, started before any driver, follows
# a real igbvf VF from creation to netdev (and explains why it was unbound
# first), a vfmp VF rule by rule, and a VF refused in the parent partition;
# then the seed's rules are judged for both VFs.
set -eu
S=/sys/bus/vfmp_sim
PF=/sys/bus/pci/devices/0000:00:08.0
TR=${VFMP_VM_ARTIFACTS:-/tmp}/vfmpinit.out
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; eval "$@"; }
seen=0
# trace [ERE [SECS]]: wait (up to SECS) for a tracer line matching ERE, then
# print the lines it wrote since the last call
trace() {
	local i
	for ((i = 0; i < ${2:-10} * 5; i++)); do
		tail -n +$((seen + 1)) $TR | grep -qE "${1:-.}" && break
		sleep 0.2
	done
	local new
	new=$(tail -n +$((seen + 1)) $TR)
	[[ -n $new ]] && seen=$((seen + $(wc -l <<<"$new")))
	printf '\033[2m-- vfmpinit --\033[0m\n'
	grep -vE "${TRACE_HIDE:-^$}" <<<"$new" || true
}

say "Start the init tracer first: it attaches to vmlinux only, so no driver needs to be loaded"
# --vfmp: vfmp.ko is not installed in this guest (it is insmod'ed from the
# build tree), so ask for its probe point now, to see its very first init
show 'build/tools/vfmpinit --vfmp -u 3 > $TR 2>&1 &'
for _ in $(seq 100); do grep -q watching $TR && break; sleep 0.1; done
trace watching

say "A real SR-IOV NIC (QEMU's Intel 82576) with the kernel's own drivers: igb binds the PF"
show 'modprobe igb'
trace 'probe +igb'

say "Enable 2 VFs: the PF creates them; no udev here, so nothing loads igbvf"
show 'echo 2 > $PF/sriov_numvfs'
trace 'UNBOUND.*18.2' 15

say "Load igbvf: one record per VF probe, with its PF, duration and netdev"
show 'modprobe igbvf'
trace 'probe +igbvf.*18.2' 30

say "Now vfmp, on the simulated NIC: adapter 0, 2 VFs, every seed rule step by step"
show 'insmod "$VFMP_KO"/vfmp_sim.ko && insmod "$VFMP_KO"/vfmp.ko'
show 'echo "0 4 2" > $S/new_device'
echo "(the PF's own rule steps are left out here; the VF's follow)"
TRACE_HIDE='^sim0-pf +([0-9]+ R|R[0-9]|==)' trace 'probe +vfmp'
show 'echo 1 > $S/devices/sim0-pf/sriov_numvfs'
trace 'sim0-vf0 +probe'

say "A VF assigned to the parent partition is refused (rule R2)"
show 'echo "1 2 2" > $S/new_device'
show 'echo 0 > $S/drivers_autoprobe'
show 'echo 1 > $S/devices/sim1-pf/sriov_numvfs'
show 'echo parent > $S/devices/sim1-vf0/partition'
show 'echo 1 > $S/drivers_autoprobe'
show 'echo sim1-vf0 > $S/drivers/vfmp/bind || echo "(bind refused: $?)"'
TRACE_HIDE='^sim1-pf ' trace 'sim1-vf0 +probe'

say "The seed's rules, judged for each VF netdev (no BPF: sysfs, ethtool, CPUID)"
vf=$(ls $PF/virtfn0/net)
show "build/tools/vfmpinit --check -d $vf || true"
show "build/tools/vfmpinit --check -d sim0-vf0 || true"

say "The tracer pins no module: unload vfmp and the igb drivers while it runs"
show 'echo 1 > $S/del_device; echo 0 > $S/del_device'
show 'rmmod vfmp vfmp_sim && echo 0 > $PF/sriov_numvfs && rmmod igbvf igb && echo unloaded'
trace 'igb +module unloaded'
kill %1
wait
tail -n 1 $TR
