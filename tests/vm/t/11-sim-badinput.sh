#!/bin/bash
# 11-sim-badinput.sh - every malformed write to the vfmp_sim bus, device
# and debugfs attributes fails with the right errno, logs exactly one
# kernel line saying why, and leaves the existing adapters untouched.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

insmod "$VFMP_KO"/vfmp_sim.ko || bail_out "insmod vfmp_sim.ko failed"
write_sysfs $SIMBUS/new_device 1 >/dev/null || bail_out "cannot create sim1"
write_sysfs $SIMBUS/new_device "2 4 2" >/dev/null || bail_out "cannot create sim2"

# everything a bad write must not change, gathered with builtins only (every
# fork costs ~0.1 s under TCG) into $STATE
state() {
	local d a v s="" kw
	for d in "$SIMDEVS"/*; do
		s+=${d##*/}
		for a in sriov_totalvfs max_queue_pairs partition sriov_numvfs; do
			read -r v < "$d/$a"; s+=" $v"
		done
		s+=$'\n'
	done
	for d in "$SIMDBG"/sim*; do
		mapfile -t kw < "$d/keywords"
		s+="${d##*/}: ${kw[*]}"$'\n'
	done
	read -r v < "$SIMDBG/allocs"
	STATE="${s}allocs=$v"
}
state
GOOD=$STATE
t_match "baseline: two adapters" '^sim1-pf 8 4 parent 0'$'\n''sim2-pf 4 2 parent 0' "$GOOD"

# bad FILE VALUE ERRNO MSG-REGEX: errno, one kernel line matching, intact
bad() {
	local f=$1 v=$2 e=$3 re=$4 shown log
	shown=$(printf '%q' "$v")
	dmesg_mark
	t_errno "$(basename "$f") $shown -> $e" "$e" write_sysfs "$f" "$v"
	log=$(dmesg_since_mark)
	t_eq "$(basename "$f") $shown: exactly one vfmp_sim kernel line" 1 "$(grep -c vfmp_sim <<<"$log")"
	t_match "$(basename "$f") $shown: kernel says why" "$re" "$log"
	state
	t_eq "$(basename "$f") $shown: adapters intact" "$GOOD" "$STATE"
}

NEWMSG='vfmp_sim: new_device: expected "ID \[TOTAL_VFS \[QUEUE_PAIRS\]\]"'
bad $SIMBUS/new_device "abc" EINVAL "$NEWMSG"
bad $SIMBUS/new_device "-1" EINVAL "$NEWMSG"
bad $SIMBUS/new_device "5x" EINVAL "$NEWMSG"
bad $SIMBUS/new_device "5 abc" EINVAL "$NEWMSG"
bad $SIMBUS/new_device "5 8 4 1" EINVAL "$NEWMSG"
bad $SIMBUS/new_device " " EINVAL "$NEWMSG"
bad $SIMBUS/new_device "1024" ERANGE 'vfmp_sim: new_device: ID 1024 out of range 0\.\.1023'
bad $SIMBUS/new_device "4294967297" ERANGE 'vfmp_sim: new_device: number out of range'
bad $SIMBUS/new_device "5 65" ERANGE 'vfmp_sim: new_device: TOTAL_VFS 65 out of range 0\.\.64'
bad $SIMBUS/new_device "5 8 0" ERANGE 'vfmp_sim: new_device: QUEUE_PAIRS 0 out of range 1\.\.16'
bad $SIMBUS/new_device "5 8 17" ERANGE 'vfmp_sim: new_device: QUEUE_PAIRS 17 out of range 1\.\.16'
bad $SIMBUS/new_device "1" EEXIST 'vfmp_sim: new_device: adapter 1 already exists'
bad $SIMBUS/new_device "2 8 4" EEXIST 'vfmp_sim: new_device: adapter 2 already exists'

DELMSG='vfmp_sim: del_device: expected "ID"'
bad $SIMBUS/del_device "abc" EINVAL "$DELMSG"
bad $SIMBUS/del_device "1 2" EINVAL "$DELMSG"
bad $SIMBUS/del_device "7" ENOENT 'vfmp_sim: del_device: no adapter 7'
bad $SIMBUS/del_device "4294967297" ERANGE "$DELMSG"

# sriov_numvfs: value checks, then "no driver bound"
bad $SIMDEVS/sim1-pf/sriov_numvfs "2" ENOENT 'sim1-pf: no driver bound to device; cannot configure SR-IOV'
bad $SIMDEVS/sim1-pf/sriov_numvfs "9" ERANGE 'sim1-pf: sriov_numvfs: 9 exceeds sriov_totalvfs 8'
bad $SIMDEVS/sim1-pf/sriov_numvfs "abc" EINVAL 'sim1-pf: sriov_numvfs: not a number'
bad $SIMDEVS/sim1-pf/sriov_numvfs "-1" EINVAL 'sim1-pf: sriov_numvfs: not a number'

# partition: only the three names
bad $SIMDEVS/sim1-pf/partition "bogus" EINVAL 'sim1-pf: partition: expected parent, child or platform'
bad $SIMDEVS/sim2-pf/partition "Parent" EINVAL 'sim2-pf: partition: expected parent, child or platform'

# debugfs: keywords and surprise_remove
bad $SIMDBG/sim1/keywords '*Nope=1' ENOENT 'vfmp_sim: sim1: unknown keyword "\*Nope"'
bad $SIMDBG/sim1/keywords 'SRIOV1' EINVAL 'vfmp_sim: sim1: keywords: expected NAME=VALUE'
bad $SIMDBG/sim1/keywords $'*SwitchName=a\tb' EINVAL 'vfmp_sim: sim1: \*SwitchName: value is not printable'
bad $SIMDBG/sim2/surprise_remove 0 ENODEV 'vfmp_sim: sim2: surprise_remove: no VF 0'

# read-only attributes refuse writes (no kernel line expected)
t_fail "function is read-only" write_sysfs $SIMDEVS/sim1-pf/function vf
t_fail "sriov_totalvfs is read-only" write_sysfs $SIMDEVS/sim1-pf/sriov_totalvfs 2
state
t_eq "adapters intact after everything" "$GOOD" "$STATE"

# valid writes still work after all that
t_eq "valid new_device still works" OK "$(write_sysfs $SIMBUS/new_device 5)"
t_eq "valid del_device still works" OK "$(write_sysfs $SIMBUS/del_device 5)"
state
t_eq "state back to baseline" "$GOOD" "$STATE"
write_sysfs $SIMBUS/del_device 1 >/dev/null
write_sysfs $SIMBUS/del_device 2 >/dev/null
t_eq "allocs 0 at the end" 0 "$(cat $SIMDBG/allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
